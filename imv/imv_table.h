/* imv_table.h - the connections of an IMV process by TNCCS Connection ID: a
 * hash table with chaining whose entries live inside the caller's objects
 * (embed struct imv_table_entry).  Look-ups cost O(1) on average however
 * many connections there are; the table never allocates after init. */
#ifndef TNC_IMV_TABLE_H
#define TNC_IMV_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct imv_table_entry {
	uint32_t id;
	struct imv_table_entry *next;
};

struct imv_table {
	struct imv_table_entry **buckets;
	unsigned shift; /* 32 - log2(number of buckets) */
	size_t count;
};

/* A table of at least min_buckets buckets (rounded up to a power of two). */
void imv_table_init(struct imv_table *t, size_t min_buckets);
/* Frees the buckets; the entries are the caller's. */
void imv_table_clear(struct imv_table *t);

struct imv_table_entry *imv_table_find(const struct imv_table *t, uint32_t id);
/* e->id must not be in the table yet. */
void imv_table_add(struct imv_table *t, struct imv_table_entry *e);
void imv_table_remove(struct imv_table *t, struct imv_table_entry *e);
/* Calls fn for every entry; fn must not add or remove entries. */
void imv_table_foreach(const struct imv_table *t, void (*fn)(struct imv_table_entry *e));
/* Empties the table and returns its entries chained through next. */
struct imv_table_entry *imv_table_take_all(struct imv_table *t);

#endif
