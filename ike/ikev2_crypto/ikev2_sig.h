/* ikev2_sig.h - signature AUTH (RFC 7296 2.15, 3.8; RFC 4754; RFC 7427).
 *
 * The octets signed are ikev2_auth_octets()'s.  Methods:
 *   1  RSA Digital Signature: RSASSA-PKCS1-v1_5 with SHA-1 (RFC 7427 1)
 *   9, 10, 11  ECDSA with SHA-256 on P-256, SHA-384 on P-384, SHA-512 on
 *      P-521: r | s, each the curve's length (RFC 4754 7)
 *   14 Digital Signature (RFC 7427 3): one octet, the length of the
 *      AlgorithmIdentifier that follows, then the signature (ECDSA: the
 *      DER Ecdsa-Sig-Value); here ecdsa-with-SHA256/384/512 and
 *      sha256/384/512WithRSAEncryption (Appendix A's encodings).
 * Method 14 is used when the peer announced, in N(SIGNATURE_HASH_ALGORITHMS)
 * of IKE_SA_INIT, the SHA-2 hash that goes with our key (SHA-256 for RSA and
 * P-256, SHA-384 for P-384, SHA-512 for P-521) or else SHA-256; otherwise the
 * key's classic method.
 */
#ifndef TNC_IKEV2_SIG_H
#define TNC_IKEV2_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <openssl/types.h>

#include "err.h"
#include "wire.h"

#define IKEV2_AUTH_RSA_SIG 1
#define IKEV2_AUTH_ECDSA_256 9
#define IKEV2_AUTH_ECDSA_384 10
#define IKEV2_AUTH_ECDSA_521 11
#define IKEV2_AUTH_DIGITAL_SIGNATURE 14

/* RFC 7427 hash algorithm IDs (IANA "IKEv2 Hash Algorithms"). */
#define IKEV2_HASH_SHA2_256 2
#define IKEV2_HASH_SHA2_384 3
#define IKEV2_HASH_SHA2_512 4

/* The AUTH data of the largest key we sign with (RSA 8192) and its
 * AlgorithmIdentifier. */
#define IKEV2_SIG_MAX_LEN 1100

/* How we sign: the AUTH method and, for method 14, the hash. */
struct ikev2_sig_choice {
	uint8_t method;
	uint8_t hash; /* IKEV2_HASH_*; method 14 only */
};

/* The SHA-2 hashes of a N(SIGNATURE_HASH_ALGORITHMS) notification's data
 * (2-octet IDs) as bits 1 << IKEV2_HASH_*; others ignored, an odd length
 * gives none. */
unsigned ikev2_sig_hashes(struct bytes notify_data);

/* The method for key given the hashes the peer announced (bits as
 * ikev2_sig_hashes() makes them; 0: no notification).  TNC_EINVALID with
 * *ret_why for a key that is neither RSA nor EC on P-256/384/521. */
int ikev2_sig_choose(EVP_PKEY *key, unsigned peer_hashes, struct ikev2_sig_choice *ret,
    const char **ret_why) TNC_MUST_CHECK;

/* Signs octets with key as c says: the AUTH payload's data into
 * out[IKEV2_SIG_MAX_LEN], its length in *ret_len. */
int ikev2_sig_sign(EVP_PKEY *key, const struct ikev2_sig_choice *c, struct bytes octets,
    uint8_t *out, size_t *ret_len, const char **ret_why) TNC_MUST_CHECK;

/* strongSwan's name of the signature scheme of an AUTH payload (method,
 * data) for the log: "ECDSA_WITH_SHA256_DER", "RSA_EMSA_PKCS1_SHA1", ...;
 * "unknown" for another. */
const char *ikev2_sig_scheme_name(uint8_t method, struct bytes auth_data);

/* 0 when auth_data, an AUTH payload's data of method, is key's signature
 * over octets; TNC_EINVALID with *ret_why naming what is wrong (method
 * unknown or not the key's kind, AlgorithmIdentifier, length, signature). */
int ikev2_sig_verify(EVP_PKEY *key, uint8_t method, struct bytes auth_data, struct bytes octets,
    const char **ret_why) TNC_MUST_CHECK;

#endif
