/* ikev2_int.h - what the ikev2*.c files share and nobody else uses. */
#ifndef TNC_IKEV2_INT_H
#define TNC_IKEV2_INT_H

#include "ikev2.h"

/* The generic error of a malformed payload: INVALID_SYNTAX at offset. */
int ikev2_syntax(struct parse_error *e, int err, size_t offset, const char *reason);

/* ikev2_sa.c: validates the proposals of an SA payload whose body starts at
 * offset (3.3); the numbering depends on whether the message is a response. */
int ikev2_sa_decode(struct bytes body, uint32_t offset, bool response,
    struct parse_error *e) TNC_MUST_CHECK;
/* Writes an SA payload body: proposals from specs, or re-encoded from
 * validated proposals as decoded. */
void ikev2_sa_put(struct wire_writer *w, const struct ikev2_proposal_spec *props, size_t count);
void ikev2_sa_put_decoded(struct wire_writer *w, struct bytes proposals);

#endif
