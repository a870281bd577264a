/* imc_ietf.c - an IMV's assessment, remediation and errors as an IMC takes
 * them (see imc_ietf.h). */
#include "imc_ietf.h"

#include <stdio.h>
#include <string.h>

#include "imc_receive.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"

static int
on_assessment(struct bytes value, uint16_t imv, struct outcome *out, struct parse_error *pe)
{
	uint32_t result;
	int err = pa_ietf_assessment_result_decode(value, &result, pe);

	if (err)
		return err;
	LOG(IMV, 1, "IMV %u assessment result is '%s'", imv, pa_ietf_assessment_result_name(result));
	if (out)
		outcome_add(out, OUTCOME_IMV_ASSESSMENT, imv, result, (struct bytes){NULL, 0},
		    (struct bytes){NULL, 0});
	return 0;
}

static int
on_remediation(struct bytes value, uint16_t imv, struct outcome *out, struct parse_error *pe)
{
	struct pa_ietf_remediation rem;
	int err = pa_ietf_remediation_decode(value, &rem, pe);
	char what[96];
	struct bytes text = rem.text;

	if (err)
		return err;
	if (rem.vendor != PA_TNC_VENDOR_IETF ||
	    (rem.type != PA_IETF_REMEDIATION_URI && rem.type != PA_IETF_REMEDIATION_STRING)) {
		snprintf(what, sizeof(what), "of vendor 0x%06x type %u (%zu bytes, not shown)",
		    rem.vendor, rem.type, rem.params.len);
		text = (struct bytes){(const uint8_t *)what, strlen(what)};
	}
	LOG(IMV, 1, "IMV %u sends remediation instructions (%zu bytes)", imv, text.len);
	if (out)
		outcome_add(out, OUTCOME_IMV_REMEDIATION, imv, 0, text, rem.lang);
	return 0;
}

static int
on_error(struct bytes value, uint16_t imv, struct parse_error *pe)
{
	struct pa_ietf_error e;
	int err = pa_ietf_error_decode(value, &e, pe);

	if (err)
		return err;
	if (e.vendor == PA_TNC_VENDOR_IETF && e.code == PA_TNC_ERROR_INVALID_PARAMETER)
		LOG(IMV, 0, "IMV %u reports PA-TNC error '%s' at offset %u", imv,
		    pa_tnc_error_code_name(e.vendor, e.code), e.offset);
	else
		LOG(IMV, 0, "IMV %u reports PA-TNC error '%s' (vendor 0x%06x, code %u)", imv,
		    pa_tnc_error_code_name(e.vendor, e.code), e.vendor, e.code);
	return 0;
}

int
imc_ietf_handle(const struct pa_tnc_attr *a, uint16_t imv, struct outcome *out,
    struct parse_error *pe)
{
	if (a->vendor != PA_TNC_VENDOR_IETF)
		return IMC_ATTR_IGNORED;
	switch (a->type) {
	case PA_IETF_ASSESSMENT_RESULT: return on_assessment(a->value, imv, out, pe);
	case PA_IETF_REMEDIATION_INSTRUCTIONS: return on_remediation(a->value, imv, out, pe);
	case PA_IETF_PA_TNC_ERROR: return on_error(a->value, imv, pe);
	default: return IMC_ATTR_IGNORED;
	}
}
