/* ike_pool.c - virtual IP leases as a bitmap (see ike_pool.h). */
#include "ike_pool.h"

#include <stdbool.h>
#include <stdlib.h>

struct ike_pool {
	uint32_t first, count;
	size_t leased;
	size_t hint; /* no free address below it */
	uint8_t used[];
};

struct ike_pool *
ike_pool_new(uint32_t first, uint32_t count)
{
	struct ike_pool *p;

	if (count == 0 || count > IKE_POOL_MAX || first > UINT32_MAX - (count - 1))
		return NULL;
	if (!(p = calloc(1, sizeof(*p) + (count + 7) / 8)))
		return NULL;
	p->first = first;
	p->count = count;
	return p;
}

void
ike_pool_free(struct ike_pool *p)
{
	free(p);
}

static bool
is_used(const struct ike_pool *p, size_t i)
{
	return p->used[i / 8] & (1u << (i % 8));
}

int
ike_pool_lease(struct ike_pool *p, uint32_t *ret)
{
	for (size_t i = p->hint; i < p->count; i++) {
		if (is_used(p, i))
			continue;
		p->used[i / 8] |= (uint8_t)(1u << (i % 8));
		p->leased++;
		p->hint = i + 1;
		*ret = p->first + (uint32_t)i;
		return 0;
	}
	return TNC_EAGAIN;
}

int
ike_pool_release(struct ike_pool *p, uint32_t addr)
{
	if (addr < p->first || addr - p->first >= p->count)
		return TNC_ENOTFOUND;
	const size_t i = addr - p->first;
	if (!is_used(p, i))
		return TNC_ENOTFOUND;
	p->used[i / 8] &= (uint8_t)~(1u << (i % 8));
	p->leased--;
	if (i < p->hint)
		p->hint = i;
	return 0;
}

size_t
ike_pool_leased(const struct ike_pool *p)
{
	return p->leased;
}
