/* ikev2_sk.c - SK / SKF payload protection on OpenSSL 3 (see ikev2_sk.h). */
#include "ikev2_sk.h"

#include <limits.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

/* SKF's Fragment Number and Total Fragments before the IV. */
#define SKF_FIELDS_LEN 4
#define MAX_GCM_NONCE 12

struct ikev2_sk_key
ikev2_sk_key_of(const struct ikev2_sa_keys *k, bool sent_by_initiator)
{
	const uint8_t *integ = sent_by_initiator ? k->ai : k->ar;
	return (struct ikev2_sk_key){
		.suite = &k->suite,
		.encr = sent_by_initiator ? k->ei : k->er,
		.integ = k->suite.aead ? NULL : integ,
	};
}

int
ikev2_iv_random(void *arg, uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : TNC_EINVALID;
}

/* AES-CBC or AES-GCM over in[0..len) into out (in place allowed).  GCM:
 * aad authenticated, tag written (encrypt) or checked (decrypt). */
static bool
cipher(const struct ikev2_sk_key *k, bool encrypt, const uint8_t *iv, struct bytes aad,
    const uint8_t *in, uint8_t *out, size_t len, uint8_t *tag)
{
	const struct ikev2_suite *s = k->suite;
	const size_t key_len = s->encr_key_len - s->salt_len;
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, s->cipher, NULL);
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t nonce[MAX_GCM_NONCE];
	const uint8_t *civ = iv;
	int n = 0, fin = 0;
	bool ok;

	if (s->aead) { /* RFC 5282 4: nonce = salt | IV */
		memcpy(nonce, k->encr + key_len, s->salt_len);
		memcpy(nonce + s->salt_len, iv, s->iv_len);
		civ = nonce;
	}
	ok = c && ctx && len <= INT_MAX && aad.len <= INT_MAX &&
	    EVP_CipherInit_ex2(ctx, c, k->encr, civ, encrypt, NULL) == 1 &&
	    EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	    (!s->aead || EVP_CipherUpdate(ctx, NULL, &n, aad.ptr, (int)aad.len) == 1) &&
	    (!s->aead || encrypt ||
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_SET_TAG, (int)s->icv_len, tag) == 1) &&
	    EVP_CipherUpdate(ctx, out, &n, in, (int)len) == 1 && (size_t)n == len &&
	    EVP_CipherFinal_ex(ctx, out + n, &fin) == 1 && fin == 0 &&
	    (!s->aead || !encrypt ||
		EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, (int)s->icv_len, tag) == 1);
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	OPENSSL_cleanse(nonce, sizeof(nonce));
	if (!ok)
		ERR_clear_error();
	return ok;
}

/* The truncated HMAC of msg (CBC suites) into icv. */
static bool
integ_icv(const struct ikev2_sk_key *k, struct bytes msg, uint8_t *icv)
{
	const struct ikev2_suite *s = k->suite;
	uint8_t full[IKEV2_PRF_MAX_LEN];
	size_t n;
	bool ok = !ikev2_hmac(s->integ_digest, (struct bytes){k->integ, s->integ_key_len}, &msg, 1,
		      full, &n) &&
	    n >= s->icv_len;

	if (ok)
		memcpy(icv, full, s->icv_len);
	OPENSSL_cleanse(full, sizeof(full));
	return ok;
}

/* Adds the payload with ct_len octets reserved for the padded plaintext and
 * finishes b; *ret_iv_at is the IV's offset in the message. */
static int
reserve(struct ikev2_builder *b, const struct ikev2_suite *s, uint8_t first_inner, size_t ct_len,
    uint16_t fragment, uint16_t fragments, size_t *ret_iv_at, struct bytes *ret)
{
	const size_t sk_at = b->w.len;
	const uint8_t type = fragments ? IKEV2_PL_SKF : IKEV2_PL_SK;
	int err;

	ikev2_builder_add_sk(b, type, first_inner, fragment, fragments,
	    (struct bytes){NULL, s->iv_len}, (struct bytes){NULL, ct_len},
	    (struct bytes){NULL, s->icv_len});
	if ((err = ikev2_builder_finish(b, ret)))
		return err;
	*ret_iv_at = sk_at + IKEV2_PAYLOAD_HEADER_LEN + (fragments ? SKF_FIELDS_LEN : 0);
	/* the payload is the last thing in the message */
	return *ret_iv_at + s->iv_len + ct_len + s->icv_len == ret->len ? 0 : TNC_ESTATE;
}

/* Fills the IV and encrypts the padded plaintext at iv_at + iv_len in
 * place, then writes the ICV. */
static int
protect(struct ikev2_builder *b, const struct ikev2_sk_key *k, size_t iv_at, size_t ct_len,
    ikev2_iv_fn iv, void *iv_arg)
{
	const struct ikev2_suite *s = k->suite;
	uint8_t *m = b->w.buf, *ct = m + iv_at + s->iv_len, *icv = ct + ct_len;
	bool ok;

	if (iv(iv_arg, m + iv_at, s->iv_len))
		return TNC_EINVALID;
	if (s->aead) /* AAD: the header through the payload header (RFC 5282 5.1) */
		ok = cipher(k, true, m + iv_at, (struct bytes){m, iv_at}, ct, ct, ct_len, icv);
	else /* ICV over everything before it (3.14) */
		ok = cipher(k, true, m + iv_at, (struct bytes){NULL, 0}, ct, ct, ct_len, NULL) &&
		    integ_icv(k, (struct bytes){m, (size_t)(icv - m)}, icv);
	return ok ? 0 : TNC_EINVALID;
}

int
ikev2_sk_seal(struct ikev2_builder *b, const struct ikev2_sk_key *k, uint8_t first_inner,
    struct bytes plaintext, uint16_t fragment, uint16_t fragments, ikev2_iv_fn iv, void *iv_arg,
    struct bytes *ret)
{
	const size_t block = k->suite->block_len;
	const size_t pad = (block - (plaintext.len + 1) % block) % block;
	const size_t ct_len = plaintext.len + pad + 1;
	size_t iv_at;
	int err;

	if ((err = reserve(b, k->suite, first_inner, ct_len, fragment, fragments, &iv_at, ret)))
		return err;
	uint8_t *ct = b->w.buf + iv_at + k->suite->iv_len;
	if (plaintext.len)
		memcpy(ct, plaintext.ptr, plaintext.len);
	memset(ct + plaintext.len, 0, pad);
	ct[ct_len - 1] = (uint8_t)pad;
	return protect(b, k, iv_at, ct_len, iv, iv_arg);
}

int
ikev2_sk_seal_padded(struct ikev2_builder *b, const struct ikev2_sk_key *k, uint8_t first_inner,
    struct bytes padded, uint16_t fragment, uint16_t fragments, ikev2_iv_fn iv, void *iv_arg,
    struct bytes *ret)
{
	size_t iv_at;
	int err;

	if (padded.len == 0 || padded.len % k->suite->block_len)
		return TNC_EINVALID;
	if ((err = reserve(b, k->suite, first_inner, padded.len, fragment, fragments, &iv_at, ret)))
		return err;
	memcpy(b->w.buf + iv_at + k->suite->iv_len, padded.ptr, padded.len);
	return protect(b, k, iv_at, padded.len, iv, iv_arg);
}

int
ikev2_sk_open(const struct ikev2_sk_key *k, struct bytes msg, const struct ikev2_payload *sk,
    uint8_t *out, size_t out_size, struct bytes *ret_plain, struct parse_error *e)
{
	const struct ikev2_suite *s = k->suite;
	const struct bytes enc = sk->u.sk.encrypted;
	struct bytes iv, ct, icv;
	uint8_t want[IKEV2_MAX_ICV];
	size_t enc_at;
	bool ok;

	if (sk->type != IKEV2_PL_SK && sk->type != IKEV2_PL_SKF)
		return parse_fail(e, TNC_ETYPE, 0, sk->offset, "not an Encrypted payload");
	/* The views must lie in msg, the payload last (the parser checked). */
	if (enc.ptr < msg.ptr || enc.ptr > msg.ptr + msg.len ||
	    enc.len != (size_t)(msg.ptr + msg.len - enc.ptr))
		return parse_fail(e, TNC_EINVALID, 0, sk->offset,
		    "Encrypted payload does not end the message");
	enc_at = (size_t)(enc.ptr - msg.ptr);
	if (ikev2_sk_split(enc, s->iv_len, s->icv_len, s->block_len, &iv, &ct, &icv))
		return parse_fail(e, TNC_EINVALID, 0, enc_at,
		    "Encrypted field too short or not a multiple of the cipher block");
	if (out_size < ct.len)
		return parse_fail(e, TNC_ETOOLONG, 0, enc_at, "plaintext buffer too small");
	if (s->aead) {
		/* GCM checks the tag itself, in constant time, at the end */
		ok = cipher(k, false, iv.ptr, (struct bytes){msg.ptr, enc_at}, ct.ptr, out, ct.len,
		    (uint8_t *)icv.ptr);
	} else {
		/* the ICV first: nothing unauthenticated is decrypted */
		ok = integ_icv(k, (struct bytes){msg.ptr, (size_t)(icv.ptr - msg.ptr)}, want) &&
		    CRYPTO_memcmp(want, icv.ptr, s->icv_len) == 0 &&
		    cipher(k, false, iv.ptr, (struct bytes){NULL, 0}, ct.ptr, out, ct.len, NULL);
	}
	if (!ok) {
		OPENSSL_cleanse(out, ct.len);
		return parse_fail(e, TNC_EINVALID, 0, (size_t)(icv.ptr - msg.ptr),
		    "integrity check failed");
	}
	const uint8_t pad = out[ct.len - 1];
	if (pad >= ct.len) {
		OPENSSL_cleanse(out, ct.len);
		return parse_fail(e, TNC_EINVALID, IKEV2_N_INVALID_SYNTAX,
		    (size_t)(icv.ptr - msg.ptr) - 1, "Pad Length exceeds the decrypted data");
	}
	*ret_plain = (struct bytes){out, ct.len - 1 - pad};
	return 0;
}
