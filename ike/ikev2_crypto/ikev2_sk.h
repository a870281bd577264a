/* ikev2_sk.h - protecting the Encrypted payload, SK (RFC 7296 3.14) and
 * SKF (RFC 7383 2.5).
 *
 * Encrypted field = IV | ciphertext of (inner payloads | Padding | Pad
 * Length) | ICV.  AES-CBC with HMAC: the ICV is the truncated HMAC with
 * SK_a over the whole message up to the ICV (3.14).  AES-GCM (RFC 5282):
 * nonce = salt | IV, the AAD is the message from the IKE header through the
 * SK/SKF payload header (its Fragment Number and Total Fragments included),
 * the ICV is the tag.  The IV comes from a caller's function: for GCM it
 * must never repeat under one key (a counter will do), for CBC it must be
 * unpredictable.
 *
 * Sealing pads to the block size with zeros (the least padding, 3.14).
 * Opening checks the ICV in constant time before anything is decrypted or
 * interpreted, then that the Pad Length fits in the plaintext; any other
 * padding content is accepted, as 3.14 requires.
 */
#ifndef TNC_IKEV2_SK_H
#define TNC_IKEV2_SK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ikev2.h"
#include "ikev2_keys.h"
#include "wire.h"

/* One direction's keys: those of the messages the initiator sends
 * (SK_ei, SK_ai) or the responder sends (SK_er, SK_ar). */
struct ikev2_sk_key {
	const struct ikev2_suite *suite;
	const uint8_t *encr;  /* suite->encr_key_len octets: key | salt */
	const uint8_t *integ; /* suite->integ_key_len octets; NULL with AEAD */
};

/* The keys of messages sent by the initiator (or by the responder). */
struct ikev2_sk_key ikev2_sk_key_of(const struct ikev2_sa_keys *k, bool sent_by_initiator);

/* Writes len octets of IV; 0 or a negative error. */
typedef int (*ikev2_iv_fn)(void *arg, uint8_t *buf, size_t len);
/* Random IVs from OpenSSL's DRBG (arg unused). */
int ikev2_iv_random(void *arg, uint8_t *buf, size_t len);

/* Appends an SK payload (fragments == 0) or an SKF payload (fragment of
 * fragments) protecting the inner chain plaintext (first_inner names its
 * first payload) to b, which holds the header and any payloads before it,
 * finishes b and protects it in place; *ret views the message, valid until
 * ikev2_builder_clear(b).  The builder's errors, TNC_EINVALID when the IV
 * source or libcrypto fails. */
int ikev2_sk_seal(struct ikev2_builder *b, const struct ikev2_sk_key *k, uint8_t first_inner,
    struct bytes plaintext, uint16_t fragment, uint16_t fragments, ikev2_iv_fn iv,
    void *iv_arg, struct bytes *ret) TNC_MUST_CHECK;

/* ikev2_sk_seal() with the padding chosen by the caller: padded ends with
 * the Pad Length octet and must be a multiple of the block size (tests use
 * it to write padding a receiver must refuse). */
int ikev2_sk_seal_padded(struct ikev2_builder *b, const struct ikev2_sk_key *k,
    uint8_t first_inner, struct bytes padded, uint16_t fragment, uint16_t fragments,
    ikev2_iv_fn iv, void *iv_arg, struct bytes *ret) TNC_MUST_CHECK;

/* Checks and decrypts the SK or SKF payload sk, the last payload of msg
 * as ikev2_msg_parse() decoded it, into out (out_size at least the
 * Encrypted field's length); *ret_plain views the inner chain in out,
 * padding removed, for ikev2_chain_parse() (base: sk->offset + 4, + 4 more
 * for SKF).  Failures fill *e: code 0 (drop silently, 2.21.1 / 3.14) for a
 * wrong ICV or a malformed Encrypted field; INVALID_SYNTAX for a Pad
 * Length that does not fit, which an authenticated peer sent. */
int ikev2_sk_open(const struct ikev2_sk_key *k, struct bytes msg, const struct ikev2_payload *sk,
    uint8_t *out, size_t out_size, struct bytes *ret_plain, struct parse_error *e) TNC_MUST_CHECK;

#endif
