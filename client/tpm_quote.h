/* tpm_quote.h - TPM2_Quote: the TPM signs, with the AIK, a TPMS_ATTEST
 * holding the digest of selected PCRs and the verifier's nonce (TPM 2.0
 * Part 3, 18.4).
 *
 * The attestation IMC quotes the PCRs its evidence covers (the seeds: the
 * SHA-256 bank, PCRs 0-10 and 14) with the nonce agreed in the PTS DH
 * exchange, and sends the TPMS_ATTEST and the signature in Simple Evidence
 * Final.  All outputs are heap copies owned by the caller. */
#ifndef TNC_TPM_QUOTE_H
#define TNC_TPM_QUOTE_H

#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"
#include "tpm_aik.h"

/* PCRs 0-10 and 14: the selection of the seeds' quote (ff 47 00). */
#define TPM_QUOTE_PCRS_DEFAULT 0x000047ffu
#define TPM_QUOTE_NONCE_MAX 64 /* TPM2B_DATA holds at most a TPMU_HA */

struct tpm_quote {
	uint8_t *attest; /* TPMS_ATTEST as signed (TPM2B_ATTEST's bytes) */
	size_t attest_len;
	uint8_t *signature; /* TPMT_SIGNATURE as the TPM marshals it */
	size_t signature_len;
	/* The signature alone, as strongSwan's Simple Evidence Final (flag
	 * 0x10) carries it: RSASSA's signature bytes, or ECDSA's r || s, each
	 * padded to the curve's size (32 bytes for P-256). */
	uint8_t *bare_signature;
	size_t bare_signature_len;
};

/* Quotes the PCRs of pcrs (bit i = PCR i, 0..23, at least one) in bank with
 * the AIK's own scheme, nonce as qualifyingData (1..TPM_QUOTE_NONCE_MAX
 * bytes); TNC_ENOTFOUND when the TPM has not allocated bank.  Release
 * with tpm_quote_clear(). */
int tpm_quote(struct tpm_aik *aik, enum digest_alg bank, uint32_t pcrs, const uint8_t *nonce,
    size_t nonce_len, struct tpm_quote *ret) TNC_MUST_CHECK;
void tpm_quote_clear(struct tpm_quote *q);

#endif
