/* tpm_pcr.c - PCR banks, extend and read (see tpm_pcr.h). */
#include "tpm_pcr.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "tpm_int.h"

static bool
any_selected(const TPMS_PCR_SELECTION *s)
{
	for (unsigned i = 0; i < s->sizeofSelect && i < TPM2_PCR_SELECT_MAX; i++)
		if (s->pcrSelect[i])
			return true;
	return false;
}

int
tpm_pcr_banks(struct tpm *t, unsigned *ret_banks)
{
	TPMS_CAPABILITY_DATA *cap = NULL;
	TPMI_YES_NO more;
	unsigned banks = 0;
	enum digest_alg a;
	TSS2_RC rc = Esys_GetCapability(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
	    TPM2_CAP_PCRS, 0, TPM2_NUM_PCR_BANKS, &more, &cap);

	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "TPM2_GetCapability(PCRS)", rc);
	const TPML_PCR_SELECTION *sel = &cap->data.assignedPCR;
	for (UINT32 i = 0; i < sel->count && i < TPM2_NUM_PCR_BANKS; i++)
		if (any_selected(&sel->pcrSelections[i]) &&
		    digest_from_tpm_alg(sel->pcrSelections[i].hash, &a) == 0)
			banks |= DIGEST_BIT(a);
	Esys_Free(cap);
	*ret_banks = banks;
	return 0;
}

int
tpm_pcr_extend(struct tpm *t, unsigned pcr, unsigned banks,
    const uint8_t *const digest[DIGEST_ALG_COUNT])
{
	TPML_DIGEST_VALUES values = {0};
	TSS2_RC rc;

	if (pcr >= PCR_COUNT)
		return tpm_fail(t, TNC_EINVALID, "PCR %u: PCRs are 0 to %d", pcr, PCR_COUNT - 1);
	for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
		if (!(banks & DIGEST_BIT(a)))
			continue;
		TPMT_HA *ha = &values.digests[values.count++];
		ha->hashAlg = digest_tpm_alg((enum digest_alg)a);
		memcpy(&ha->digest, digest[a], digest_size((enum digest_alg)a));
	}
	if (values.count == 0)
		return tpm_fail(t, TNC_EINVALID, "PCR %u: no bank to extend", pcr);
	/* ESYS_TR_PCR0 + n is PCR n's handle; PCRs have empty authValues. */
	rc = Esys_PCR_Extend(t->esys, ESYS_TR_PCR0 + pcr, ESYS_TR_PASSWORD, ESYS_TR_NONE,
	    ESYS_TR_NONE, &values);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "TPM2_PCR_Extend", rc);
	return 0;
}

/* Takes the digests of one TPM2_PCR_Read answer; false when they are not
 * what was asked for. */
static bool
take_digests(const TPML_PCR_SELECTION *sel, const TPML_DIGEST *out, uint32_t asked, size_t size,
    uint8_t values[PCR_COUNT][DIGEST_MAX], uint32_t *ret_got)
{
	uint32_t got = 0;
	unsigned k = 0;

	if (sel->count > 1)
		return false;
	for (unsigned i = 0; i < PCR_COUNT; i++)
		if (sel->count == 1 && i / 8 < sel->pcrSelections[0].sizeofSelect &&
		    (sel->pcrSelections[0].pcrSelect[i / 8] >> (i % 8)) & 1)
			got |= 1u << i;
	if (got & ~asked)
		return false;
	/* Digests come in PCR order, one per PCR the TPM read. */
	for (unsigned i = 0; i < PCR_COUNT; i++) {
		if (!((got >> i) & 1))
			continue;
		if (k >= out->count || out->digests[k].size != size)
			return false;
		memcpy(values[i], out->digests[k++].buffer, size);
	}
	*ret_got = got;
	return k == out->count;
}

/* The TPM answers at most 8 digests per TPM2_PCR_Read and says which PCRs
 * it read, so the remaining ones are asked for again. */
int
tpm_pcr_read(struct tpm *t, enum digest_alg bank, uint32_t mask,
    uint8_t values[PCR_COUNT][DIGEST_MAX])
{
	uint32_t left = mask & ((1u << PCR_COUNT) - 1);

	while (left) {
		TPML_PCR_SELECTION in = {
			.count = 1,
			.pcrSelections[0] = {.hash = digest_tpm_alg(bank), .sizeofSelect = 3,
			    .pcrSelect = {left & 0xff, (left >> 8) & 0xff, (left >> 16) & 0xff}},
		};
		TPML_PCR_SELECTION *sel = NULL;
		TPML_DIGEST *out = NULL;
		UINT32 counter;
		uint32_t got;
		TSS2_RC rc = Esys_PCR_Read(t->esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE, &in,
		    &counter, &sel, &out);

		if (rc != TSS2_RC_SUCCESS)
			return tpm_fail_rc(t, "TPM2_PCR_Read", rc);
		bool ok = take_digests(sel, out, left, digest_size(bank), values, &got);
		Esys_Free(sel);
		Esys_Free(out);
		if (!ok)
			return tpm_fail(t, -EIO, "TPM2_PCR_Read: answer does not match the selection");
		/* An unallocated bank reads as an empty selection. */
		if (!got)
			return tpm_fail(t, TNC_ENOTFOUND, "bank %s is not allocated", digest_name(bank));
		left &= ~got;
	}
	return 0;
}
