/* ikev2_dh.h - the IKEv2 key exchange (RFC 7296 2.12, 3.4): groups 14
 * (MODP_2048, RFC 3526), 19 and 20 (ECP_256, ECP_384, RFC 5903) and 31
 * (Curve25519, RFC 8031).
 *
 * Public values as the KE payload carries them: MODP big-endian, as long as
 * the prime; ECP x || y without a point format octet (RFC 5903 7); X25519
 * the 32-octet u-coordinate (RFC 7748 5).  The shared secret g^ir: MODP as
 * long as the prime with leading zeros (2.14); ECP the x coordinate (RFC
 * 5903 9); X25519 the 32 octets of RFC 7748 6.1.
 *
 * A peer value is refused (RFC 7296 2.12, RFC 6989) when its length is not
 * the group's, a MODP value is not within 1 < y < p - 1, an ECP value is
 * not a point on the curve (coordinates >= p included), or an X25519 value
 * gives the all-zero secret (RFC 8031 2: 0, 1, p - 1 and the other
 * low-order points).
 */
#ifndef TNC_IKEV2_DH_H
#define TNC_IKEV2_DH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* Transform Type 4 IDs. */
enum ikev2_dh_group {
	IKEV2_DH_MODP_2048 = 14,
	IKEV2_DH_ECP_256 = 19,
	IKEV2_DH_ECP_384 = 20,
	IKEV2_DH_CURVE25519 = 31,
};

#define IKEV2_DH_MAX_PUBLIC 256
#define IKEV2_DH_MAX_SECRET 256

struct ikev2_dh;

/* The KE Data length of group, 0 if unsupported (for INVALID_KE_PAYLOAD). */
size_t ikev2_dh_public_len(uint16_t group);

/* A fresh key pair in group; with private_value (for known-answer tests:
 * MODP and ECP big-endian, X25519 the 32 octets of RFC 7748) that one.
 * NULL for an unsupported group or a private value OpenSSL refuses. */
struct ikev2_dh *ikev2_dh_new(uint16_t group, struct bytes private_value);
void ikev2_dh_free(struct ikev2_dh *dh);

uint16_t ikev2_dh_group(const struct ikev2_dh *dh);
/* Our public value, valid until ikev2_dh_free(). */
struct bytes ikev2_dh_public(const struct ikev2_dh *dh);

/* g^ir from the peer's KE Data into out; *ret_len is its length.
 * TNC_EINVALID for a refused value, *ret_reason (optional) says why. */
int ikev2_dh_shared(const struct ikev2_dh *dh, struct bytes peer,
    uint8_t out[IKEV2_DH_MAX_SECRET], size_t *ret_len, const char **ret_reason) TNC_MUST_CHECK;

#endif
