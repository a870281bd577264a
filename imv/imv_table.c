/* imv_table.c - Connection ID hash table (see imv_table.h). */
#include "imv_table.h"

#include <stdlib.h>

static size_t
nbuckets(const struct imv_table *t)
{
	return (size_t)1 << (32 - t->shift);
}

/* Fibonacci hashing: consecutive IDs, as tnc-ike assigns them, spread over
 * all buckets. */
static struct imv_table_entry **
bucket(const struct imv_table *t, uint32_t id)
{
	return &t->buckets[(uint32_t)(id * 2654435769u) >> t->shift];
}

void
imv_table_init(struct imv_table *t, size_t min_buckets)
{
	unsigned bits = 1;
	while (bits < 24 && ((size_t)1 << bits) < min_buckets)
		bits++;
	t->shift = 32 - bits;
	t->count = 0;
	t->buckets = calloc(nbuckets(t), sizeof(*t->buckets));
	if (!t->buckets)
		abort();
}

void
imv_table_clear(struct imv_table *t)
{
	free(t->buckets);
	t->buckets = NULL;
	t->count = 0;
}

struct imv_table_entry *
imv_table_find(const struct imv_table *t, uint32_t id)
{
	for (struct imv_table_entry *e = *bucket(t, id); e; e = e->next)
		if (e->id == id)
			return e;
	return NULL;
}

void
imv_table_add(struct imv_table *t, struct imv_table_entry *e)
{
	struct imv_table_entry **b = bucket(t, e->id);
	e->next = *b;
	*b = e;
	t->count++;
}

void
imv_table_remove(struct imv_table *t, struct imv_table_entry *e)
{
	struct imv_table_entry **pp = bucket(t, e->id);
	while (*pp && *pp != e)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = e->next;
	t->count--;
}

void
imv_table_foreach(const struct imv_table *t, void (*fn)(struct imv_table_entry *e))
{
	for (size_t i = 0; i < nbuckets(t); i++)
		for (struct imv_table_entry *e = t->buckets[i]; e; e = e->next)
			fn(e);
}

struct imv_table_entry *
imv_table_take_all(struct imv_table *t)
{
	struct imv_table_entry *all = NULL;
	for (size_t i = 0; i < nbuckets(t); i++) {
		while (t->buckets[i]) {
			struct imv_table_entry *e = t->buckets[i];
			t->buckets[i] = e->next;
			e->next = all;
			all = e;
		}
	}
	t->count = 0;
	return all;
}
