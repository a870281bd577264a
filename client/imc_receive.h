/* imc_receive.h - one PA message from an IMV to an IMC: parsed (RFC 5792),
 * its attributes handed to the IMC's handler, the answer sent.  A message
 * pa_tnc_msg_parse() refuses, or an attribute value a handler's decoder
 * refuses, is answered with an IETF PA-TNC Error and not processed further
 * (RFC 5792 4.2.8).  Diagnostics: IMV subsystem (shown as IMC by
 * tncclient).
 */
#ifndef TNC_IMC_RECEIVE_H
#define TNC_IMC_RECEIVE_H

#include <stdbool.h>

#include "imc_reply.h"
#include "pa_tnc.h"
#include "pb_tnc.h"

/* A handler's answer for an attribute type the IMC does not take. */
#define IMC_ATTR_IGNORED 1

/* Handles attribute a of a message from the IMV of ctx's reply: 0,
 * IMC_ATTR_IGNORED, or an error with pe filled (offsets in a's value). */
typedef int imc_attr_fn(void *ctx, const struct pa_tnc_attr *a, struct parse_error *pe);

/* What tells the IMCs' receiving apart. */
struct imc_receiver {
	unsigned id;      /* the IMC's, for the log */
	const char *name; /* likewise */
	struct pa_tnc_limits lim;
	/* true (the SWIMA IMC): a Segmentation Contract Request is handled
	 * before the other attributes of its message, so that the contract
	 * bounds their answers; false: the attributes in order. */
	bool contracts_first;
	imc_attr_fn *handle;
};

/* true when pa is addressed to the IMC id of PA subtype (vendor,
 * subtype). */
bool imc_receive_wants(const struct pb_pa *pa, uint32_t vendor, uint32_t subtype, uint16_t id);
/* Processes pa with rx, ctx for its handler, r the answer (sent at the
 * end). */
void imc_receive(const struct imc_receiver *rx, void *ctx, struct imc_reply *r,
    const struct pb_pa *pa);

#endif
