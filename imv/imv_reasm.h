/* imv_reasm.h - the one segmented attribute a connection of an IMV is
 * receiving (TCG IF-M Segmentation 1.0), within the process's reassembly
 * budget (imv_budget.h).
 *
 * A heap object that exists from the first Segment Envelope (START) to the
 * end of the exchange; the connection keeps a pointer, NULL while nothing
 * is in flight.  The START envelope declares the attribute's Length, which
 * must be at most imv_budget_conn_max() and is reserved whole from the
 * budget before a byte is copied: an endpoint that starts an attribute and
 * stops sending holds at most the cap, and a full budget refuses new
 * attributes instead of failing those already in flight.  imv_reasm_free()
 * returns the reservation: after the attribute completed and was used, on
 * Cancel Segment Exchange, on a refusal, or with the connection.
 */
#ifndef TNC_IMV_REASM_H
#define TNC_IMV_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imv_msg.h"

struct imv_reasm;

/* A Segment Envelope attribute from imc_id for IMV imv_id, fed to *rp
 * (created by START).  0 and *ret_done false: more is to come; 0 and
 * *ret_done true: *ret_attr is the whole attribute, a view into *rp (use
 * it, then imv_reasm_free()).  A refusal (malformed, out of order, above
 * the connection cap or beyond the process budget) frees *rp, sets it to
 * NULL and fills *ret_err: Invalid Parameter, offset from the start of the
 * envelope's value. */
int imv_reasm_envelope(struct imv_reasm **rp, uint16_t imv_id, uint16_t imc_id,
    const struct pa_tnc_attr *a, struct pa_tnc_attr *ret_attr, bool *ret_done,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* A Cancel Segment Exchange attribute from imc_id: frees *rp (NULL ok). */
int imv_reasm_cancel(struct imv_reasm **rp, uint16_t imc_id, const struct pa_tnc_attr *a,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* Appends Next Segment asking imc_id for the next envelope of r. */
void imv_reasm_next(const struct imv_reasm *r, struct imv_msg *m, uint16_t imc_id);
/* Frees r (NULL: no-op) and returns its reservation to the budget. */
void imv_reasm_free(struct imv_reasm *r);
/* imv_reasm_free(*rp), nothing in flight after. */
void imv_reasm_drop(struct imv_reasm **rp);

/* For the log: the attribute's type name and the segments so far. */
const char *imv_reasm_attr_name(const struct imv_reasm *r);
unsigned imv_reasm_segments(const struct imv_reasm *r);

#endif
