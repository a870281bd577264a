/* source_limit.c - connections per source address (see source_limit.h):
 * a chained hash table of the sources that hold a connection now; an
 * entry goes when its last connection does, so the table never holds more
 * entries than there are connections. */
#include "source_limit.h"

#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

struct source {
	struct source *next;
	struct source_key key;
	unsigned count;
};

void
source_limit_init(struct source_limit *l, unsigned per_source)
{
	memset(l, 0, sizeof(*l));
	l->per_source = per_source;
}

static void
key_of(const struct sockaddr *sa, struct source_key *k)
{
	memset(k, 0, sizeof(*k));
	if (sa->sa_family == AF_INET) {
		k->b[10] = k->b[11] = 0xff; /* as an IPv4-mapped address */
		memcpy(k->b + 12, &((const struct sockaddr_in *)sa)->sin_addr, 4);
	} else if (sa->sa_family == AF_INET6) {
		const uint8_t *a = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		memcpy(k->b, a, memcmp(a, mapped, 12) == 0 ? 16 : 8);
	}
}

static struct source **
slot(struct source_limit *l, const struct source_key *k)
{
	uint32_t h = 2166136261u; /* FNV-1a */
	for (size_t i = 0; i < sizeof(k->b); i++)
		h = (h ^ k->b[i]) * 16777619u;
	struct source **pp = &l->buckets[h & (SOURCE_LIMIT_BUCKETS - 1)];
	while (*pp && memcmp(&(*pp)->key, k, sizeof(*k)) != 0)
		pp = &(*pp)->next;
	return pp;
}

int
source_limit_take(struct source_limit *l, const struct sockaddr *sa, struct source_key *ret)
{
	key_of(sa, ret);
	struct source **pp = slot(l, ret);
	if (*pp && (*pp)->count >= l->per_source)
		return TNC_EAGAIN;
	if (!*pp) {
		*pp = calloc(1, sizeof(**pp));
		if (!*pp)
			abort();
		(*pp)->key = *ret;
	}
	(*pp)->count++;
	return 0;
}

void
source_limit_put(struct source_limit *l, const struct source_key *key)
{
	struct source **pp = slot(l, key);
	struct source *s = *pp;
	if (!s || --s->count > 0)
		return;
	*pp = s->next;
	free(s);
}
