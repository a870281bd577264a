/* tpm_pcr.h - the TPM's PCR banks: which are allocated, extending a PCR in
 * several banks at once, reading PCR values.  Banks are named by the hash
 * algorithms of attest/digest.h (SHA-1, SHA-256, SHA-384, SHA-512); a bank
 * of another algorithm (SM3-256) is invisible here.
 *
 * Used by the log replay (tpm_replay.h), the quote's PCR selection and the
 * tests, which read back what was extended. */
#ifndef TNC_TPM_PCR_H
#define TNC_TPM_PCR_H

#include <stdint.h>

#include "digest.h"
#include "err.h"
#include "pcr_bank.h"
#include "tpm_conn.h"

/* The banks the TPM has allocated (at least one PCR selected), as a set of
 * DIGEST_BIT()s. */
int tpm_pcr_banks(struct tpm *t, unsigned *ret_banks) TNC_MUST_CHECK;
/* TPM2_PCR_Extend of PCR pcr (< PCR_COUNT) in each bank of banks (a
 * non-empty DIGEST_BIT() set) with digest[a], digest_size(a) bytes; the
 * other banks stay as they are. */
int tpm_pcr_extend(struct tpm *t, unsigned pcr, unsigned banks,
    const uint8_t *const digest[DIGEST_ALG_COUNT]) TNC_MUST_CHECK;
/* Reads the PCRs of mask (bit i = PCR i) in one bank into values[i]
 * (digest_size(bank) bytes each); TNC_ENOTFOUND when the TPM has not
 * allocated the bank. */
int tpm_pcr_read(struct tpm *t, enum digest_alg bank, uint32_t mask,
    uint8_t values[PCR_COUNT][DIGEST_MAX]) TNC_MUST_CHECK;

#endif
