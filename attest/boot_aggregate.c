/* boot_aggregate.c - the Linux IMA boot aggregate (see boot_aggregate.h). */
#include "boot_aggregate.h"

#include <string.h>

void
boot_aggregate_compute(struct digest_ctx *d, const struct pcr_banks *p, enum digest_alg bank,
    unsigned last_pcr, uint8_t *out)
{
	uint8_t pcrs[10 * DIGEST_MAX];
	size_t n = digest_size(bank), len = 0;

	for (unsigned i = 0; i <= last_pcr && i < 10; i++, len += n)
		memcpy(pcrs + len, pcr_banks_get(p, bank, i), n);
	digest_two(d, bank, pcrs, len, NULL, 0, out);
}

int
boot_aggregate_match(struct digest_ctx *d, const struct pcr_banks *p, enum digest_alg bank,
    const uint8_t *logged, unsigned *ret_last_pcr)
{
	static const unsigned last[] = {9, 7};
	uint8_t out[DIGEST_MAX];

	if (!pcr_banks_has(p, bank))
		return TNC_ESTATE;
	for (size_t i = 0; i < sizeof(last) / sizeof(last[0]); i++) {
		boot_aggregate_compute(d, p, bank, last[i], out);
		if (memcmp(out, logged, digest_size(bank)) == 0) {
			*ret_last_pcr = last[i];
			return 0;
		}
	}
	return TNC_ENOTFOUND;
}
