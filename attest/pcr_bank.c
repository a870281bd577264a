/* pcr_bank.c - the emulated PCRs (see pcr_bank.h). */
#include "pcr_bank.h"

#include <stdlib.h>
#include <string.h>

void
pcr_banks_init(struct pcr_banks *b, unsigned active)
{
	memset(b, 0, sizeof(*b));
	b->active = active & DIGEST_ALL;
}

void
pcr_banks_set_locality(struct pcr_banks *b, uint8_t locality)
{
	for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
		if (!(b->active & DIGEST_BIT(a)))
			continue;
		memset(b->value[a][0], 0, DIGEST_MAX);
		b->value[a][0][digest_size((enum digest_alg)a) - 1] = locality;
		b->used[a] |= 1u;
	}
}

void
pcr_banks_extend(struct pcr_banks *b, struct digest_ctx *d, enum digest_alg a, unsigned pcr,
    const uint8_t *digest)
{
	size_t n = digest_size(a);

	if (pcr >= PCR_COUNT)
		abort(); /* callers check the index they read */
	if (!(b->active & DIGEST_BIT(a)))
		return;
	digest_two(d, a, b->value[a][pcr], n, digest, n, b->value[a][pcr]);
	b->used[a] |= 1u << pcr;
}

const uint8_t *
pcr_banks_get(const struct pcr_banks *b, enum digest_alg a, unsigned pcr)
{
	return b->value[a][pcr];
}
