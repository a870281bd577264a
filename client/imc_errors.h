/* imc_errors.h - the IETF PA-TNC Error attributes (RFC 5792 4.2.8) an
 * IMC answers with.
 */
#ifndef TNC_IMC_ERRORS_H
#define TNC_IMC_ERRORS_H

#include <stddef.h>
#include <stdint.h>

#include "imc_reply.h"
#include "pa_ietf_error.h"

/* Appends e as a PA-TNC Error attribute. */
void imc_errors_add(struct imc_reply *r, const struct pa_ietf_error *e);
/* Appends the error pe names in the PA-TNC message msg[0..len) (a message
 * pa_tnc_msg_parse() refused, or an attribute value its decoder refused,
 * pe rebased onto the message); logged. */
void imc_errors_from_parse(struct imc_reply *r, const uint8_t *msg, size_t len,
    const struct parse_error *pe);

#endif
