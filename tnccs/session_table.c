/* session_table.c - see session_table.h. */
#include "session_table.h"

#include <stddef.h>

/* Connection IDs are handed out by tnc-ike, usually in sequence: a
 * multiplicative hash spreads them over the buckets. */
static unsigned
bucket_of(uint32_t id)
{
	return (unsigned)((id * 2654435761u) >> 17) & (SESSION_BUCKETS - 1);
}

struct session_link *
session_table_find(const struct session_table *t, uint32_t id)
{
	for (struct session_link *l = t->bucket[bucket_of(id)]; l; l = l->hnext)
		if (l->id == id)
			return l;
	return NULL;
}

void
session_table_add(struct session_table *t, struct session_link *l)
{
	unsigned b = bucket_of(l->id);
	l->hnext = t->bucket[b];
	t->bucket[b] = l;
	l->prev = NULL;
	l->next = t->all;
	if (t->all)
		t->all->prev = l;
	t->all = l;
	t->count++;
}

void
session_table_remove(struct session_table *t, struct session_link *l)
{
	struct session_link **pp = &t->bucket[bucket_of(l->id)];
	while (*pp && *pp != l)
		pp = &(*pp)->hnext;
	if (!*pp)
		return;
	*pp = l->hnext;
	if (l->prev)
		l->prev->next = l->next;
	else
		t->all = l->next;
	if (l->next)
		l->next->prev = l->prev;
	t->count--;
}
