/* imv_errors.c - the PA-TNC Error queue (see imv_errors.h). */
#include "imv_errors.h"

#include "log.h"

void
imv_errors_add(struct imv_errors *q, const struct pa_ietf_error *e)
{
	if (q->n < IMV_ERRORS_MAX)
		q->e[q->n++] = *e;
	else
		LOG(IMV, 2, "dropping a PA-TNC error '%s': %u already queued",
		    pa_tnc_error_code_name(e->vendor, e->code), q->n);
}

void
imv_errors_ignore(struct imv_errors *q, uint16_t imc_id, const uint8_t *msg, size_t len,
    const struct parse_error *pe)
{
	struct pa_ietf_error e;
	pa_ietf_error_from_parse(msg, len, pe, &e);
	imv_errors_add(q, &e);
	LOG(IMV, 1, "ignoring a PA-TNC message from IMC %u: %s (%s at offset %u)", imc_id,
	    pa_tnc_error_code_name(PA_TNC_VENDOR_IETF, pe->code), pe->reason, pe->offset);
}

void
imv_errors_invalid(struct imv_errors *q, const uint8_t *msg, size_t len,
    const struct parse_error *pe)
{
	struct pa_ietf_error e;
	struct parse_error invalid = *pe;
	invalid.code = PA_TNC_ERROR_INVALID_PARAMETER;
	pa_ietf_error_from_parse(msg, len, &invalid, &e);
	imv_errors_add(q, &e);
}

void
imv_errors_put(const struct imv_errors *q, struct imv_msg *m)
{
	for (unsigned i = 0; i < q->n; i++)
		imv_msg_error(m, &q->e[i]);
}

void
imv_errors_clear(struct imv_errors *q)
{
	q->n = 0;
}
