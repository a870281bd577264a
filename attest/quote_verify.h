/* quote_verify.h - verification of a TPM quote against what the verifier
 * expects: the agreed nonce as extraData (externalData for TPM 1.2), the
 * PCR values from its own replay of the evidence, and the AIK's signature
 * (RSASSA-PKCS1-v1_5, RSA-PSS, ECDSA; OpenSSL 3 EVP).
 *
 * Callers: tnc-imv-attest (Simple Evidence Final), tncverify quote, the
 * tests.  Every check is made; the result names the first failure in the
 * order malformed, signature hash, signature, magic, type, nonce, PCR
 * selection, PCR digest, with a one-line detail naming the field or PCR.
 */
#ifndef TNC_QUOTE_VERIFY_H
#define TNC_QUOTE_VERIFY_H

#include <openssl/evp.h>
#include <stdbool.h>

#include "pcr_bank.h"
#include "quote.h"

/* The value the verifier expects in PCR `pcr` of the bank of TPM hash
 * `alg` (its digest size in octets), or NULL if its evidence gives none. */
typedef const uint8_t *(*quote_pcr_fn)(void *ctx, uint16_t alg, unsigned pcr);

struct quote_expect {
	struct bytes nonce;   /* extraData must be exactly this (empty: none) */
	quote_pcr_fn pcr;     /* expected PCR values; NULL fails PCR selection */
	void *pcr_ctx;
	uint16_t sig_hash;    /* 0, or the hash the signature must use */
	uint16_t required_bank;  /* with required_pcrs: PCRs the quote must */
	uint32_t required_pcrs;  /* cover in that bank (bit i = PCR i) */
};

struct quote_result {
	enum quote_reason reason; /* the first failure, QUOTE_OK if none */
	char detail[400];         /* one line on that failure ("" if none) */
	bool signature_valid;
	uint16_t sig_alg;         /* as verified: TPM2_ALG_RSASSA, ... */
	uint16_t sig_hash;
	bool pcr_digest_match;
	size_t composite_len;     /* octets hashed into the PCR digest */
	uint8_t pcr_digest[DIGEST_MAX]; /* of the expected PCR values */
	size_t pcr_digest_len;
};

/* Verifies a TPMS_ATTEST signed with sig by aik.  The PCR digest is the
 * signature's hash over the expected values of the selected PCRs, banks
 * in selection order, PCRs ascending (TPM 2.0 Part 3, TPM2_Quote).
 * Returns res->reason. */
enum quote_reason quote_verify_tpm2(struct bytes attest, const struct tpm2_signature *sig,
    EVP_PKEY *aik, const struct quote_expect *x, struct quote_result *res);

/* Verifies a TPM_QUOTE_INFO or TPM_QUOTE_INFO2 signed (RSASSA-PKCS1-v1_5,
 * SHA-1) with sig by aik.  The composite hash is SHA-1 of the
 * TPM_PCR_COMPOSITE of the expected SHA-1 PCR values over the selection:
 * the quote's own for TPM_QUOTE_INFO2, sel for TPM_QUOTE_INFO (which
 * carries none; NULL fails PCR selection).  Returns res->reason. */
enum quote_reason quote_verify_tpm12(struct bytes quote_info, struct bytes sig,
    const struct tpm12_pcr_selection *sel, EVP_PKEY *aik, const struct quote_expect *x,
    struct quote_result *res);

/* A quote_pcr_fn over a replay's struct pcr_banks (ctx): the value of
 * every PCR the evidence extended or set (pcr_banks.used). */
const uint8_t *quote_pcr_from_banks(void *banks, uint16_t alg, unsigned pcr);

/* PCR values given as lines "<index> <hex>" (the test data's
 * pcrs-<bank>.txt; the bank follows from the value's length; '#' starts a
 * comment) into b, marking them used and their banks active.  On error,
 * e->offset is the line number. */
int quote_pcrs_load(struct pcr_banks *b, const char *text, size_t len, struct parse_error *e)
    TNC_MUST_CHECK;

#endif
