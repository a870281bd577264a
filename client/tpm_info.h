/* tpm_info.h - what the TPM says about itself (TPM 2.0 Part 2, the
 * TPM_PT fixed properties): the specification family, level, revision and
 * date, the manufacturer, the vendor string and the firmware version.
 *
 * The attestation IMC reports these in its TPM Version Information
 * attribute and logs them as "TPM 2.0 rev. 1.38 2018 STM". */
#ifndef TNC_TPM_INFO_H
#define TNC_TPM_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tpm_conn.h"

struct tpm_info {
	char family[5];        /* TPM_PT_FAMILY_INDICATOR: "2.0" */
	uint32_t level;        /* TPM_PT_LEVEL: 0 */
	uint32_t revision;     /* TPM_PT_REVISION: 138 for rev. 1.38 */
	uint32_t year;         /* TPM_PT_YEAR of the specification */
	uint32_t day_of_year;  /* TPM_PT_DAY_OF_YEAR */
	uint32_t manufacturer; /* TPM_PT_MANUFACTURER: 4 ASCII bytes, big-endian */
	char manufacturer_id[5]; /* the same without trailing blanks: "IBM", "STM" */
	char vendor[17];       /* TPM_PT_VENDOR_STRING_1..4 without trailing NULs/blanks */
	/* TPM_PT_FIRMWARE_VERSION_1 << 32 | _2: the value TPMS_ATTEST's
	 * firmwareVersion carries */
	uint64_t firmware_version;
};

/* Reads the fixed properties (TPM2_GetCapability). */
int tpm_info_get(struct tpm *t, struct tpm_info *ret) TNC_MUST_CHECK;
/* "TPM 2.0 rev. 1.38 2018 STM" (the format of the seeds' log lines). */
void tpm_info_format(const struct tpm_info *info, char *out, size_t size);

#endif
