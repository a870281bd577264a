/* session_table.h - tnccs's sessions by TNCCS Connection ID: a hash table
 * of chained buckets (O(1) look-ups at SESSIONS_MAX), plus a list of all of
 * them for the events that touch every session. */
#ifndef TNC_SESSION_TABLE_H
#define TNC_SESSION_TABLE_H

#include <stdint.h>

#define SESSIONS_MAX 20000
#define SESSION_BUCKETS 32768 /* a power of two above SESSIONS_MAX */

/* What the table needs of a session; embedded first in struct session. */
struct session_link {
	uint32_t id;
	struct session_link *hnext;       /* same bucket */
	struct session_link *prev, *next; /* every session */
};

struct session_table {
	struct session_link *bucket[SESSION_BUCKETS];
	struct session_link *all;
	unsigned count;
};

struct session_link *session_table_find(const struct session_table *t, uint32_t id);
/* The caller checks session_table_find() and SESSIONS_MAX first. */
void session_table_add(struct session_table *t, struct session_link *l);
void session_table_remove(struct session_table *t, struct session_link *l);

#endif
