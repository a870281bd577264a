/* tpm_quote.c - TPM2_Quote (see tpm_quote.h). */
#include "tpm_quote.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <tss2/tss2_mu.h>

#include "tpm_int.h"
#include "tpm_pcr.h"

#define ECC_P256_SIZE 32

static uint8_t *
copy(const void *p, size_t len)
{
	uint8_t *c = malloc(len ? len : 1);

	if (!c)
		abort();
	memcpy(c, p, len);
	return c;
}

/* r || s, each left-padded to the curve's size; false when one is longer. */
static bool
ecdsa_bare(const TPMS_SIGNATURE_ECC *sig, uint8_t out[2 * ECC_P256_SIZE])
{
	const TPM2B_ECC_PARAMETER *parts[2] = {&sig->signatureR, &sig->signatureS};

	memset(out, 0, 2 * ECC_P256_SIZE);
	for (int i = 0; i < 2; i++) {
		if (parts[i]->size > ECC_P256_SIZE)
			return false;
		memcpy(out + (i + 1) * ECC_P256_SIZE - parts[i]->size, parts[i]->buffer, parts[i]->size);
	}
	return true;
}

static int
fill(struct tpm *t, const TPM2B_ATTEST *attest, const TPMT_SIGNATURE *sig, struct tpm_quote *ret)
{
	uint8_t sig_buf[sizeof(TPMT_SIGNATURE)], ecdsa[2 * ECC_P256_SIZE];
	size_t sig_len = 0;
	const void *bare;
	size_t bare_len;

	if (Tss2_MU_TPMT_SIGNATURE_Marshal(sig, sig_buf, sizeof(sig_buf), &sig_len) != TSS2_RC_SUCCESS)
		return tpm_fail(t, -EIO, "TPM2_Quote: signature does not marshal");
	switch (sig->sigAlg) {
	case TPM2_ALG_RSASSA:
		bare = sig->signature.rsassa.sig.buffer;
		bare_len = sig->signature.rsassa.sig.size;
		break;
	case TPM2_ALG_ECDSA:
		if (!ecdsa_bare(&sig->signature.ecdsa, ecdsa))
			return tpm_fail(t, -EIO, "TPM2_Quote: ECDSA r or s longer than P-256's");
		bare = ecdsa;
		bare_len = sizeof(ecdsa);
		break;
	default:
		return tpm_fail(t, -EIO, "TPM2_Quote: unexpected signature algorithm 0x%04x",
		    sig->sigAlg);
	}
	ret->attest = copy(attest->attestationData, attest->size);
	ret->attest_len = attest->size;
	ret->signature = copy(sig_buf, sig_len);
	ret->signature_len = sig_len;
	ret->bare_signature = copy(bare, bare_len);
	ret->bare_signature_len = bare_len;
	return 0;
}

/* A TPM quotes a bank it has not allocated as an empty selection, which no
 * verifier accepts: say so here instead. */
static int
check_allocated(struct tpm *t, enum digest_alg bank)
{
	unsigned banks;
	int err;

	if ((err = tpm_pcr_banks(t, &banks)) < 0)
		return err;
	if (!(banks & DIGEST_BIT(bank)))
		return tpm_fail(t, TNC_ENOTFOUND, "quote: bank %s is not allocated", digest_name(bank));
	return 0;
}

int
tpm_quote(struct tpm_aik *aik, enum digest_alg bank, uint32_t pcrs, const uint8_t *nonce,
    size_t nonce_len, struct tpm_quote *ret)
{
	struct tpm *t = aik->t;
	TPM2B_DATA qualifying = {0};
	TPMT_SIG_SCHEME scheme = {.scheme = TPM2_ALG_NULL}; /* the key's own */
	TPM2B_ATTEST *attest = NULL;
	TPMT_SIGNATURE *sig = NULL;
	struct tpm_quote q = {0};
	TSS2_RC rc;
	int err;

	if (pcrs == 0 || pcrs >> PCR_COUNT)
		return tpm_fail(t, TNC_EINVALID, "quote: PCR selection 0x%x is empty or beyond PCR %d",
		    pcrs, PCR_COUNT - 1);
	if (nonce_len == 0 || nonce_len > TPM_QUOTE_NONCE_MAX)
		return tpm_fail(t, TNC_EINVALID, "quote: nonce of %zu bytes (1 to %d)", nonce_len,
		    TPM_QUOTE_NONCE_MAX);
	if ((err = check_allocated(t, bank)) < 0)
		return err;
	qualifying.size = (UINT16)nonce_len;
	memcpy(qualifying.buffer, nonce, nonce_len);
	TPML_PCR_SELECTION sel = {
		.count = 1,
		.pcrSelections[0] = {.hash = digest_tpm_alg(bank), .sizeofSelect = 3,
		    .pcrSelect = {pcrs & 0xff, (pcrs >> 8) & 0xff, (pcrs >> 16) & 0xff}},
	};
	rc = Esys_Quote(t->esys, aik->handle, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
	    &qualifying, &scheme, &sel, &attest, &sig);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "TPM2_Quote", rc);
	err = fill(t, attest, sig, &q);
	Esys_Free(attest);
	Esys_Free(sig);
	if (err == 0)
		*ret = q;
	return err;
}

void
tpm_quote_clear(struct tpm_quote *q)
{
	free(q->attest);
	free(q->signature);
	free(q->bare_signature);
	memset(q, 0, sizeof(*q));
}
