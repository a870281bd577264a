/* tpm_info.c - the TPM's fixed properties (see tpm_info.h). */
#include "tpm_info.h"

#include <stdio.h>
#include <string.h>

#include "tpm_int.h"

/* A property's 4 bytes as ASCII, big-endian as the TPM means them. */
static void
put_chars(char *out, uint32_t v)
{
	out[0] = (char)(v >> 24);
	out[1] = (char)(v >> 16);
	out[2] = (char)(v >> 8);
	out[3] = (char)v;
}

/* Drops trailing NULs and blanks; anything not printable becomes '?'. */
static void
tidy(char *s, size_t len)
{
	for (size_t i = 0; i < len && s[i]; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			s[i] = '?';
	while (len > 0 && (s[len - 1] == 0 || s[len - 1] == ' '))
		s[--len] = 0;
}

static void
apply(struct tpm_info *info, const TPMS_TAGGED_PROPERTY *p)
{
	switch (p->property) {
	case TPM2_PT_FAMILY_INDICATOR:
		put_chars(info->family, p->value);
		break;
	case TPM2_PT_LEVEL:
		info->level = p->value;
		break;
	case TPM2_PT_REVISION:
		info->revision = p->value;
		break;
	case TPM2_PT_DAY_OF_YEAR:
		info->day_of_year = p->value;
		break;
	case TPM2_PT_YEAR:
		info->year = p->value;
		break;
	case TPM2_PT_MANUFACTURER:
		info->manufacturer = p->value;
		put_chars(info->manufacturer_id, p->value);
		break;
	case TPM2_PT_VENDOR_STRING_1:
	case TPM2_PT_VENDOR_STRING_2:
	case TPM2_PT_VENDOR_STRING_3:
	case TPM2_PT_VENDOR_STRING_4:
		put_chars(info->vendor + 4 * (p->property - TPM2_PT_VENDOR_STRING_1), p->value);
		break;
	case TPM2_PT_FIRMWARE_VERSION_1:
		info->firmware_version |= (uint64_t)p->value << 32;
		break;
	case TPM2_PT_FIRMWARE_VERSION_2:
		info->firmware_version |= p->value;
		break;
	default:
		break;
	}
}

int
tpm_info_get(struct tpm *t, struct tpm_info *ret)
{
	struct tpm_info info;
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMI_YES_NO more;
	/* The properties wanted are the first 12 of the fixed group. */
	TSS2_RC rc = Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
	    TPM2_CAP_TPM_PROPERTIES, TPM2_PT_FIXED, TPM2_PT_FIRMWARE_VERSION_2 - TPM2_PT_FIXED + 1,
	    &more, &cap);

	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "TPM2_GetCapability(TPM_PROPERTIES)", rc);
	memset(&info, 0, sizeof(info));
	const TPML_TAGGED_TPM_PROPERTY *props = &cap->data.tpmProperties;
	for (UINT32 i = 0; i < props->count && i < TPM2_MAX_TPM_PROPERTIES; i++)
		apply(&info, &props->tpmProperty[i]);
	Esys_Free(cap);
	tidy(info.family, sizeof(info.family) - 1);
	tidy(info.manufacturer_id, sizeof(info.manufacturer_id) - 1);
	tidy(info.vendor, sizeof(info.vendor) - 1);
	*ret = info;
	return 0;
}

void
tpm_info_format(const struct tpm_info *info, char *out, size_t size)
{
	snprintf(out, size, "TPM %s rev. %u.%02u %u %s", info->family, info->revision / 100,
	    info->revision % 100, info->year, info->manufacturer_id);
}
