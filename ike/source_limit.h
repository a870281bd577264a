/* source_limit.h - how many connections one source address holds at once.
 *
 * IPv4 addresses count one by one; IPv6 addresses by their /64 prefix (one
 * host usually owns a whole /64).  Many endpoints may share an address
 * behind NAT, hence the configurable limit.  One instance per kind of
 * thing counted (PT-TLS connections, IKE SAs, half-open IKE SAs). */
#ifndef TNC_SOURCE_LIMIT_H
#define TNC_SOURCE_LIMIT_H

#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

struct source_key {
	uint8_t b[16];
};

#define SOURCE_LIMIT_BUCKETS 4096 /* a power of two, above the largest bound */

struct source;
struct source_limit {
	unsigned per_source;
	struct source *buckets[SOURCE_LIMIT_BUCKETS];
};

void source_limit_init(struct source_limit *l, unsigned per_source);
/* Counts one more connection from sa; TNC_EAGAIN when the source holds
 * per_source already (nothing counted then). */
int source_limit_take(struct source_limit *l, const struct sockaddr *sa, struct source_key *ret)
    TNC_MUST_CHECK;
/* The connection counted under key is gone. */
void source_limit_put(struct source_limit *l, const struct source_key *key);

#endif
