/* pcr_bank.h - an emulated TPM's PCRs: banks SHA-1, SHA-256, SHA-384 and
 * SHA-512 of 24 PCRs each (TCG PC Client Platform TPM Profile), extended
 * as a TPM does: PCR := H(PCR || digest) (TPM 2.0 Part 1, 17.2).
 *
 * A plain value: no heap, copy it freely.  PCRs start at zero, except that
 * PCR 0 starts at the locality of TPM2_Startup when the event log says so
 * (PC Client PFP, StartupLocality event: locality 3 gives 00..03).
 */
#ifndef TNC_ATTEST_PCR_BANK_H
#define TNC_ATTEST_PCR_BANK_H

#include <stdbool.h>
#include <stdint.h>

#include "digest.h"

#define PCR_COUNT 24

struct pcr_banks {
	unsigned active;                 /* DIGEST_BIT()s of the banks kept */
	uint32_t used[DIGEST_ALG_COUNT]; /* per bank, bit per PCR extended or given a start value */
	uint8_t value[DIGEST_ALG_COUNT][PCR_COUNT][DIGEST_MAX];
};

/* Every PCR of the banks in active (DIGEST_BIT()s) zero. */
void pcr_banks_init(struct pcr_banks *b, unsigned active);

/* PCR 0 of every kept bank starts at 00..00LL, LL = locality. */
void pcr_banks_set_locality(struct pcr_banks *b, uint8_t locality);

/* Extends PCR pcr (< PCR_COUNT) of bank a with digest (digest_size(a)
 * bytes); a no-op for a bank not kept. */
void pcr_banks_extend(struct pcr_banks *b, struct digest_ctx *d, enum digest_alg a, unsigned pcr,
    const uint8_t *digest);

static inline bool
pcr_banks_has(const struct pcr_banks *b, enum digest_alg a)
{
	return (b->active & DIGEST_BIT(a)) != 0;
}

/* The digest_size(a) bytes of PCR pcr of bank a. */
const uint8_t *pcr_banks_get(const struct pcr_banks *b, enum digest_alg a, unsigned pcr);

#endif
