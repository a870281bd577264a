/* imc_swima_answer.h - the attribute values the SWIMA IMC answers a SWIMA
 * Request with (RFC 8412 5.8-5.11), built from the endpoint's inventory
 * (sw_inventory.h) and event history (sw_events.h).
 *
 * A request's targeted Software Identifiers narrow the answer to the
 * records (or events) of those identifiers; one the endpoint has no record
 * of is left out (RFC 8412's targeted requests: not an error).  Records carry
 * Data Model ISO/IEC 19770-2:2015, Source ID 0, no locator, and (without
 * the R flag) the generated SWID tag.  Pure: no I/O, no logging.
 */
#ifndef TNC_IMC_SWIMA_ANSWER_H
#define TNC_IMC_SWIMA_ANSWER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pa_swima.h"
#include "sw_events.h"
#include "sw_inventory.h"
#include "wire.h"

/* The targeted identifiers of a request, sorted for lookup; n == 0: all. */
struct imc_swima_targets {
	struct bytes *ids; /* views into the request (or a subscription's copy) */
	size_t n;
};

/* Fills t from the identifiers of req (views into req's value). */
void imc_swima_targets_init(struct imc_swima_targets *t, const struct pa_swima_request *req);
void imc_swima_targets_clear(struct imc_swima_targets *t);
/* true when t names id (always when t names none). */
bool imc_swima_targets_has(const struct imc_swima_targets *t, const char *id);

/* What an answer holds: its header fields and the records (or events) it
 * carries. */
struct imc_swima_answer {
	bool ids_only;       /* R: identifiers without their tags */
	uint32_t request_id; /* Request ID Copy or Subscription ID */
	uint32_t epoch, last_eid;
	size_t count;        /* set by the builders */
};

/* Appends the value of a Software [Identifier] Inventory with the packages
 * of inv that t names.  w's error (TNC_ETOOLONG past its max) tells an
 * answer too large; a tag that cannot be generated fails with its error. */
int imc_swima_answer_inventory(struct wire_writer *w, const struct sw_naming *n,
    const struct sw_inventory *inv, const struct imc_swima_targets *t,
    struct imc_swima_answer *a) TNC_MUST_CHECK;

/* Appends the value of Software [Identifier] Events with the events
 * ev->v[first .. first + count) that t names; Last Consulted EID is
 * a->last_eid (the answer is never partial). */
int imc_swima_answer_events(struct wire_writer *w, const struct sw_naming *n,
    const struct sw_events *ev, size_t first, size_t count,
    const struct imc_swima_targets *t, struct imc_swima_answer *a) TNC_MUST_CHECK;

#endif
