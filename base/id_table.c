/* id_table.c - objects by a 32-bit ID (see id_table.h). */
#include "id_table.h"

#include <stdlib.h>

#define BITS_MAX 24 /* 16 Mi buckets: far above any bound of ours */

static size_t
nbuckets(const struct id_table *t)
{
	return (size_t)1 << (32 - t->shift);
}

/* Fibonacci hashing: the consecutive IDs tnc-ike hands out spread over
 * all buckets. */
static size_t
bucket_of(const struct id_table *t, uint32_t id)
{
	return (uint32_t)(id * 2654435769u) >> t->shift;
}

void
id_table_init(struct id_table *t, size_t bound)
{
	unsigned bits = 1;
	while (bits < BITS_MAX && ((size_t)1 << bits) < bound)
		bits++;
	t->shift = 32 - bits;
	t->count = 0;
	t->buckets = calloc(nbuckets(t), sizeof(*t->buckets));
	if (!t->buckets)
		abort();
}

void
id_table_clear(struct id_table *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->count = 0;
}

struct id_table_entry *
id_table_find(const struct id_table *t, uint32_t id)
{
	for (struct id_table_entry *e = t->buckets[bucket_of(t, id)]; e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

void
id_table_add(struct id_table *t, struct id_table_entry *e)
{
	struct id_table_entry **b = &t->buckets[bucket_of(t, e->id)];
	e->next = *b;
	*b = e;
	t->count++;
}

void
id_table_remove(struct id_table *t, struct id_table_entry *e)
{
	struct id_table_entry **pp = &t->buckets[bucket_of(t, e->id)];
	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = e->next;
	t->count--;
}

struct id_table_entry *
id_table_next(const struct id_table *t, const struct id_table_entry *e)
{
	if (e && e->next)
		return e->next;
	for (size_t b = e ? bucket_of(t, e->id) + 1 : 0; b < nbuckets(t); b++)
		if (t->buckets[b])
			return t->buckets[b];
	return NULL;
}
