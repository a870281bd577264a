/* boot_aggregate.h - the Linux IMA boot aggregate: the first entry of an
 * IMA list records a hash over the boot PCRs of one TPM bank, which ties
 * the runtime measurements to the boot the event log describes.
 *
 * The kernel hashes, with the bank's own algorithm, the concatenation of
 * PCRs 0-7 (SHA-1 bank, and every bank before Linux 5.8) or 0-9 (other
 * banks since 5.8, which added the boot loader's PCRs 8 and 9).  PCRs the
 * log never touched count as zero.
 */
#ifndef TNC_ATTEST_BOOT_AGGREGATE_H
#define TNC_ATTEST_BOOT_AGGREGATE_H

#include "pcr_bank.h"

/* out = H_bank(PCR0 || ... || PCR last_pcr) of bank (kept in p), last_pcr
 * 7 or 9; digest_size(bank) bytes. */
void boot_aggregate_compute(struct digest_ctx *d, const struct pcr_banks *p, enum digest_alg bank,
    unsigned last_pcr, uint8_t *out);

/* Which computation over bank gives logged (digest_size(bank) bytes): 0 and
 * *ret_last_pcr 9 or 7 (9 tried first), TNC_ENOTFOUND when neither does,
 * TNC_ESTATE when p does not keep bank. */
int boot_aggregate_match(struct digest_ctx *d, const struct pcr_banks *p, enum digest_alg bank,
    const uint8_t *logged, unsigned *ret_last_pcr) TNC_MUST_CHECK;

#endif
