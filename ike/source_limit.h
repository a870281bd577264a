/* source_limit.h - how many connections one source address holds at once.
 *
 * IPv4 addresses count one by one; IPv6 addresses by their /64 prefix (one
 * host usually owns a whole /64).  Many endpoints may share an address
 * behind NAT, hence the configurable limit. */
#ifndef TNC_SOURCE_LIMIT_H
#define TNC_SOURCE_LIMIT_H

#include <stdint.h>
#include <sys/socket.h>

#include "err.h"

struct source_key {
	uint8_t b[16];
};

void source_limit_init(unsigned per_source);
/* Counts one more connection from sa; TNC_EAGAIN when the source holds
 * per_source already (nothing counted then). */
int source_limit_take(const struct sockaddr *sa, struct source_key *ret) TNC_MUST_CHECK;
/* The connection counted under key is gone. */
void source_limit_put(const struct source_key *key);

#endif
