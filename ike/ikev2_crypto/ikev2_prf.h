/* ikev2_prf.h - HMAC, the IKEv2 PRFs and prf+ (RFC 7296 2.13, 3.3.2).
 *
 * The PRFs are the HMAC ones (RFC 2104 / RFC 4868): PRF_HMAC_SHA1 and
 * PRF_HMAC_SHA2_256/384/512, whose output is as long as the digest.  The
 * data of every function is a list of segments, hashed as if concatenated,
 * so callers never copy messages together.  Pure: OpenSSL 3 EVP_MAC only.
 */
#ifndef TNC_IKEV2_PRF_H
#define TNC_IKEV2_PRF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* Transform Type 2 IDs (IANA "IKEv2 Pseudorandom Function Transform IDs"). */
enum ikev2_prf_id {
	IKEV2_PRF_HMAC_SHA1 = 2,
	IKEV2_PRF_HMAC_SHA2_256 = 5,
	IKEV2_PRF_HMAC_SHA2_384 = 6,
	IKEV2_PRF_HMAC_SHA2_512 = 7,
};

#define IKEV2_PRF_MAX_LEN 64
/* prf+ counts its rounds in one octet (2.13). */
#define IKEV2_PRF_PLUS_MAX_ROUNDS 255

/* The PRF's output length, 0 for an unsupported ID. */
size_t ikev2_prf_len(uint16_t prf);

/* HMAC with the digest named digest ("SHA256") over the segments
 * data[0..count) with key; writes the full digest to out (at least
 * IKEV2_PRF_MAX_LEN octets) and its length to *ret_len.  TNC_EINVALID for
 * an empty key or when libcrypto fails. */
int ikev2_hmac(const char *digest, struct bytes key, const struct bytes *data, size_t count,
    uint8_t *out, size_t *ret_len) TNC_MUST_CHECK;

/* prf(key, data[0] | ... ) into out (ikev2_prf_len(prf) octets). */
int ikev2_prf(uint16_t prf, struct bytes key, const struct bytes *data, size_t count,
    uint8_t out[IKEV2_PRF_MAX_LEN]) TNC_MUST_CHECK;

/* prf+(key, S) = T1 | T2 | ..., Tn = prf(key, Tn-1 | S | n), the first
 * len octets into out; S is the segments seed[0..count).  TNC_ETOOLONG
 * beyond 255 rounds. */
int ikev2_prf_plus(uint16_t prf, struct bytes key, const struct bytes *seed, size_t count,
    uint8_t *out, size_t len) TNC_MUST_CHECK;

#endif
