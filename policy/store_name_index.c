/* store_name_index.c - names to entry numbers (see store_name_index.h). */
#include "store_name_index.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static uint64_t
hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211ull;
	return h;
}

static const char *
name_of(const void *entries, size_t stride, size_t offset, size_t i)
{
	const char *name;
	memcpy(&name, (const char *)entries + i * stride + offset, sizeof(name));
	return name;
}

void
store_name_index_build(struct store_name_index *x, const void *entries, size_t stride,
    size_t offset, size_t n)
{
	size_t size = 16;
	while (size < 2 * n) /* at most half full: short probe runs */
		size *= 2;
	x->mask = size - 1;
	x->slots = calloc(size, sizeof(*x->slots));
	if (!x->slots)
		abort();
	for (size_t i = 0; i < n; i++) {
		size_t at = hash(name_of(entries, stride, offset, i)) & x->mask;
		while (x->slots[at])
			at = (at + 1) & x->mask;
		x->slots[at] = i + 1;
	}
}

size_t
store_name_index_find(const struct store_name_index *x, const void *entries, size_t stride,
    size_t offset, const char *name)
{
	for (size_t at = hash(name) & x->mask; x->slots[at]; at = (at + 1) & x->mask)
		if (!strcmp(name_of(entries, stride, offset, x->slots[at] - 1), name))
			return x->slots[at] - 1;
	return SIZE_MAX;
}

void
store_name_index_free(struct store_name_index *x)
{
	free(x->slots);
	x->slots = NULL;
}
