/* ikev2_suite.h - the negotiated transforms of an IKE or CHILD SA and the
 * sizes they fix (RFC 7296 3.3.2, RFC 4868, RFC 5282, RFC 4106).
 *
 * Supported: ENCR_AES_CBC with a Key Length of 128, 192 or 256 and one of
 * AUTH_HMAC_SHA1_96, AUTH_HMAC_SHA2_256_128, _384_192, _512_256; or
 * ENCR_AES_GCM_16 (128, 192, 256) with no integrity transform, whose key
 * material is the AES key followed by a 4-octet salt.  The PRF is needed
 * for an IKE SA only (a CHILD_SA takes its keys from the IKE SA's PRF).
 */
#ifndef TNC_IKEV2_SUITE_H
#define TNC_IKEV2_SUITE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* Transform Type 1 and 3 IDs (IANA IKEv2 registries). */
enum ikev2_encr_id {
	IKEV2_ENCR_AES_CBC = 12,
	IKEV2_ENCR_AES_GCM_16 = 20,
};
enum ikev2_integ_id {
	IKEV2_INTEG_NONE = 0,
	IKEV2_INTEG_HMAC_SHA1_96 = 2,
	IKEV2_INTEG_HMAC_SHA2_256_128 = 12,
	IKEV2_INTEG_HMAC_SHA2_384_192 = 13,
	IKEV2_INTEG_HMAC_SHA2_512_256 = 14,
};

#define IKEV2_GCM_SALT_LEN 4
/* AES-256 key and GCM salt; HMAC-SHA2-512 key and its 32-octet ICV. */
#define IKEV2_MAX_ENCR_KEY (32 + IKEV2_GCM_SALT_LEN)
#define IKEV2_MAX_INTEG_KEY 64
#define IKEV2_MAX_ICV 32

struct ikev2_suite {
	/* the transforms as negotiated */
	uint16_t encr;      /* enum ikev2_encr_id */
	uint16_t encr_bits; /* the Key Length attribute */
	uint16_t integ;     /* enum ikev2_integ_id */
	uint16_t prf;       /* enum ikev2_prf_id, 0 for a CHILD_SA */
	/* what they fix, set by ikev2_suite_init() */
	bool aead;
	size_t encr_key_len;  /* cipher key plus salt */
	size_t salt_len;
	size_t iv_len;
	size_t block_len;     /* 1 for AEAD (no alignment) */
	size_t icv_len;
	size_t integ_key_len; /* 0 for AEAD */
	size_t prf_len;       /* 0 without a PRF */
	const char *cipher;   /* OpenSSL names: "AES-256-CBC", "SHA256" */
	const char *integ_digest;
};

/* Fills *ret for the transforms given; TNC_ETYPE for an unsupported ID,
 * TNC_EINVALID for a key length or combination that is not allowed (AEAD
 * with an integrity transform, CBC without one); *ret_reason (optional)
 * names the field. */
int ikev2_suite_init(struct ikev2_suite *ret, uint16_t encr, uint16_t encr_bits, uint16_t integ,
    uint16_t prf, const char **ret_reason) TNC_MUST_CHECK;

#endif
