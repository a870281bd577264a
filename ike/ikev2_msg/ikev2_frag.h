/* ikev2_frag.h - reassembling an IKE message from SKF fragments (RFC 7383
 * 2.6), each already authenticated and decrypted by the caller.
 *
 * One message at a time (each window is 1), named by its message ID and
 * whether it is a response (requests and responses count their IDs
 * apart).  Bounds: at most max_fragments fragments and max_bytes octets of
 * plaintext in all.  A fragment with a greater Total Fragments than the
 * ones stored starts the message over (the peer re-fragmented it, 2.6.1);
 * a smaller one is dropped; a duplicate is ignored.
 */
#ifndef TNC_IKEV2_FRAG_H
#define TNC_IKEV2_FRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ikev2_buf.h"
#include "wire.h"

struct ikev2_frag {
	bool active;
	bool response;
	uint32_t mid;
	uint16_t total, have;
	uint8_t first; /* the inner chain's first payload, from fragment 1 */
	size_t bytes;
	struct ikev2_buf *parts; /* total entries */
};

struct ikev2_frag_limits {
	uint16_t max_fragments;
	size_t max_bytes;
};

/* Stores fragment num of total of message mid (next: its SKF Next Payload,
 * plain: its decrypted content).  0: stored, more to come; 1: complete,
 * the message's inner chain is in out[0..*ret_len) (out holds max_bytes)
 * with its first payload type in *ret_first, and f is empty again; a
 * negative error when the fragment is refused, *ret_reason says why. */
int ikev2_frag_add(struct ikev2_frag *f, const struct ikev2_frag_limits *lim, bool response,
    uint32_t mid, uint16_t num, uint16_t total, uint8_t next, struct bytes plain, uint8_t *out,
    size_t *ret_len, uint8_t *ret_first, const char **ret_reason) TNC_MUST_CHECK;
void ikev2_frag_reset(struct ikev2_frag *f);

#endif
