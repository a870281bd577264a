/* imc_errors.c - an IMC's PA-TNC Errors (see imc_errors.h).
 * Diagnostics: IMV subsystem (shown as IMC by tncclient). */
#include "imc_errors.h"

#include "log.h"
#include "pa_ietf.h"

/* A PA-TNC Error value: a code and its information (a message header and
 * offset, or the attestation IMC's copy of a request it cannot fulfil). */
#define ERROR_VALUE_MAX (64u * 1024)

void
imc_errors_add(struct imc_reply *r, const struct pa_ietf_error *e)
{
	struct wire_writer w;

	wire_writer_init(&w, ERROR_VALUE_MAX);
	pa_ietf_error_encode(&w, e);
	imc_reply_put(r, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, &w);
}

void
imc_errors_from_parse(struct imc_reply *r, const uint8_t *msg, size_t len,
    const struct parse_error *pe)
{
	struct pa_ietf_error e;

	pa_ietf_error_from_parse(msg, len, pe, &e);
	LOG(IMV, 1, "sending PA-TNC error '%s' (offset %u)",
	    pa_tnc_error_code_name(PA_TNC_VENDOR_IETF, pe->code), pe->offset);
	imc_errors_add(r, &e);
}
