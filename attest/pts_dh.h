/* pts_dh.h - the D-H nonce exchange of TCG Attestation PTS Protocol:
 * Binding to TNC IF-M 1.0 (3.8: D-H Nonce Parameters Request / Response /
 * Finish), on both sides: the IMV is the initiator, the IMC the responder.
 *
 * Each side makes a key pair in the selected group and a random nonce,
 * takes the peer's public value and nonce, and both derive the same
 * nonce for the TPM quote:
 *     hash("1" || initiator nonce || responder nonce || shared secret)
 * with the selected hash ("1" is the octet 0x31).  Public values are
 * encoded as in IKEv2: MODP big-endian, as long as the prime; ECP the
 * x || y coordinates (RFC 5903); the ECP shared secret is x (RFC 5903).
 * Private values and the shared secret stay inside this module and are
 * wiped when it is freed.
 */
#ifndef TNC_PTS_DH_H
#define TNC_PTS_DH_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* Groups as the D-H attributes carry them (the PA_PTS_DH_* bits of
 * pa_pts.h), with their IKEv2 numbers. */
enum pts_dh_group {
	PTS_DH_MODP_1024 = 0x8000, /* IKE 2, RFC 2409 */
	PTS_DH_MODP_1536 = 0x4000, /* IKE 5, RFC 3526 */
	PTS_DH_MODP_2048 = 0x2000, /* IKE 14, RFC 3526 */
	PTS_DH_ECP_256 = 0x1000,   /* IKE 19, RFC 5903 */
	PTS_DH_ECP_384 = 0x0800,   /* IKE 20, RFC 5903 */
};

/* Hashes as the attributes carry them (PA_PTS_ALGO_*). */
enum pts_dh_hash {
	PTS_DH_SHA1 = 0x8000,
	PTS_DH_SHA256 = 0x4000,
	PTS_DH_SHA384 = 0x2000,
};

/* Nonce lengths: strongSwan refuses nonces shorter than 17 octets; the
 * Nonce Length field of the D-H attributes is one octet. */
#define PTS_DH_MIN_NONCE 17
#define PTS_DH_MAX_NONCE 255
#define PTS_DH_MAX_HASH 48

struct pts_dh;

/* A fresh key pair in group; with private_value (big-endian, for known-
 * answer tests) that one instead of a random one.  NULL for an unknown
 * group or a private value OpenSSL refuses. */
struct pts_dh *pts_dh_new(enum pts_dh_group group, struct bytes private_value);
void pts_dh_free(struct pts_dh *dh);

/* "MODP_1024", ..., "ECP_384"; NULL if unknown. */
const char *pts_dh_group_name(enum pts_dh_group group);
/* "HASH_SHA1", "HASH_SHA2_256", "HASH_SHA2_384" as the seeds log them. */
const char *pts_dh_hash_name(enum pts_dh_hash hash);

/* Our public value, a view valid until pts_dh_free(). */
struct bytes pts_dh_public(const struct pts_dh *dh);

/* Takes the peer's public value and computes the shared secret.  Refuses
 * (TNC_EINVALID) a value of the wrong length, outside 1 < y < p - 1, or
 * not a point on the curve. */
int pts_dh_set_peer(struct pts_dh *dh, struct bytes peer_public) TNC_MUST_CHECK;

/* Random nonce octets for our side (len within the bounds above). */
int pts_dh_random_nonce(uint8_t *buf, size_t len) TNC_MUST_CHECK;

/* The nonce both sides quote with, after pts_dh_set_peer(): writes the
 * hash's size (20, 32, 48) octets to out. */
int pts_dh_derive_nonce(const struct pts_dh *dh, enum pts_dh_hash hash,
    struct bytes initiator_nonce, struct bytes responder_nonce, uint8_t out[PTS_DH_MAX_HASH],
    size_t *ret_len) TNC_MUST_CHECK;

#endif
