/* ikev2_seal.h - protecting an outgoing IKE message: its inner chain
 * sealed into one SK payload, or into SKF fragments (RFC 7383 2.5) when
 * one datagram would exceed the fragment size. */
#ifndef TNC_IKEV2_SEAL_H
#define TNC_IKEV2_SEAL_H

#include "ikev2.h"
#include "ikev2_buf.h"
#include "ikev2_keys.h"

/* The sender's side of an IKE SA, as sealing needs it. */
struct ikev2_sealer {
	const struct ikev2_sa_keys *keys;
	bool initiator; /* we are the original initiator: our keys are the i ones */
	/* IVs: AES-GCM needs uniqueness under the key (this counter, kept by
	 * the owner), AES-CBC unpredictability (random). */
	uint64_t *gcm_iv;
	int (*random)(void *arg, uint8_t *buf, size_t len);
	void *random_arg;
	size_t max_msg_len;
	size_t fragment_size; /* 0: never fragmented */
};

/* Seals plain (first payload first) under header h: the datagrams into a
 * new list *ret of *ret_count; a negative error with *ret_reason. */
int ikev2_seal(const struct ikev2_sealer *s, const struct ikev2_header *h, uint8_t first,
    struct bytes plain, struct ikev2_buf **ret, size_t *ret_count,
    const char **ret_reason) TNC_MUST_CHECK;

#endif
