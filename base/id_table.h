/* id_table.h - objects by a 32-bit ID (a TNCCS Connection ID): a hash table
 * of chained buckets whose entries live inside the caller's objects (embed
 * struct id_table_entry as the first member and cast back).  It holds
 * tnc-ike's PT-TLS connections, tnc-tnccs's sessions, tnc-policy's pending
 * sessions and an IMV's connections.  Buckets are sized at init for the
 * caller's bound, so find, add and remove cost O(1) on average up to it;
 * nothing is allocated after init. */
#ifndef TNC_ID_TABLE_H
#define TNC_ID_TABLE_H

#include <stddef.h>
#include <stdint.h>

struct id_table_entry {
	uint32_t id;
	struct id_table_entry *next; /* in the same bucket */
};

struct id_table {
	struct id_table_entry **buckets;
	unsigned shift; /* 32 - log2(number of buckets) */
	size_t count;
};

/* A table with a bucket per entry up to bound (rounded up to a power of
 * two).  The caller keeps count within its bound; beyond it, chains grow. */
void id_table_init(struct id_table *t, size_t bound);
/* Frees the buckets; the entries are the caller's. */
void id_table_clear(struct id_table *t);

struct id_table_entry *id_table_find(const struct id_table *t, uint32_t id);
/* e->id must not be in the table yet. */
void id_table_add(struct id_table *t, struct id_table_entry *e);
/* Nothing happens when e is not in the table. */
void id_table_remove(struct id_table *t, struct id_table_entry *e);
/* The entry after e in no particular order, the first for e NULL, NULL
 * after the last.  Taken before e is handled, it lets the handler remove
 * e (and only e); an entry added meanwhile may or may not come. */
struct id_table_entry *id_table_next(const struct id_table *t, const struct id_table_entry *e);

#endif
