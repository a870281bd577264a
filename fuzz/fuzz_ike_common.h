/* fuzz_ike_common.h - what the IKEv2 harnesses (fuzz_ike_sa.c for the
 * responder, fuzz_ike_initiator.c for the initiator) share: the abort on a
 * broken invariant, the owner's record of the last datagram sent (which
 * must parse), a constant random source, and the IKE SA keys of the
 * harness's genuine handshake (X25519, AES-GCM-16-128, PRF-HMAC-SHA2-256).
 * The includer defines MAX_MSG first.
 */
#ifndef FUZZ_IKE_COMMON_H
#define FUZZ_IKE_COMMON_H

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2.h"
#include "ikev2_dh.h"
#include "ikev2_keys.h"

static const struct ikev2_limits lim = {MAX_MSG, 64};

static inline void
check(bool ok)
{
	if (!ok)
		abort();
}

/* The last datagram the SA under test sent, kept by its owner. */
struct fuzz_sent {
	uint8_t last[MAX_MSG];
	size_t last_len;
};

/* The owner's send(): arg is an owner whose first member is its struct
 * fuzz_sent. */
static inline void
f_send(void *arg, const uint8_t *msg, size_t len)
{
	struct fuzz_sent *s = arg;
	struct ikev2_msg m;
	struct parse_error e;

	check(len <= sizeof(s->last) && ikev2_msg_parse(msg, len, &lim, &m, &e) == 0);
	memcpy(s->last, msg, len);
	s->last_len = len;
}

static inline int
f_random(void *arg, uint8_t *buf, size_t len)
{
	memset(buf, 0x5a, len);
	return 0;
}

/* The payload of type in chain c. */
static inline bool
find(const struct ikev2_chain *c, uint8_t type, struct ikev2_payload *ret)
{
	struct ikev2_iter it;
	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, ret))
		if (ret->type == type)
			return true;
	return false;
}

/* The IKE SA's keys from our D-H key pair dh, the peer's KE and the
 * nonces; false when a step fails. */
static inline bool
fuzz_ike_keys(struct ikev2_dh *dh, const struct ikev2_payload *peer_ke, struct bytes ni,
    struct bytes nr, uint64_t spi_i, uint64_t spi_r, struct ikev2_sa_keys *ret)
{
	uint8_t gir[IKEV2_DH_MAX_SECRET], seed[IKEV2_PRF_MAX_LEN];
	size_t gir_len;
	struct ikev2_suite s;

	return !ikev2_suite_init(&s, IKEV2_ENCR_AES_GCM_16, 128, 0, IKEV2_PRF_HMAC_SHA2_256, NULL) &&
	    !ikev2_dh_shared(dh, peer_ke->u.ke.data, gir, &gir_len, NULL) &&
	    !ikev2_skeyseed(IKEV2_PRF_HMAC_SHA2_256, ni, nr, (struct bytes){gir, gir_len}, seed) &&
	    !ikev2_sa_keys_derive(&s, (struct bytes){seed, 32}, ni, nr, spi_i, spi_r, ret);
}

#endif
