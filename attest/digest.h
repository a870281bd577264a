/* digest.h - the hash algorithms of TPM PCR banks and IMA lists.
 *
 * Names as Linux IMA prints them ("sha256"), TPM_ALG_ID values (TCG
 * Algorithm Registry), digest sizes, and the hashing a replay does about
 * twice per measurement, on inputs of 64 to a few hundred bytes: there
 * the set-up of a hash costs as much as the hashing (see digest.c).
 */
#ifndef TNC_ATTEST_DIGEST_H
#define TNC_ATTEST_DIGEST_H

#include <openssl/sha.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

enum digest_alg { DIGEST_SHA1, DIGEST_SHA256, DIGEST_SHA384, DIGEST_SHA512, DIGEST_ALG_COUNT };

#define DIGEST_MAX 64                                /* bytes of the largest digest */
#define DIGEST_BIT(a) (1u << (a))                    /* an algorithm in a set */
#define DIGEST_ALL ((1u << DIGEST_ALG_COUNT) - 1)    /* the set of every algorithm */

const char *digest_name(enum digest_alg a);
uint16_t digest_tpm_alg(enum digest_alg a);

/* Inline: a replay asks for it a few times per measurement. */
static inline size_t
digest_size(enum digest_alg a)
{
	static const uint8_t size[DIGEST_ALG_COUNT] = {20, 32, 48, 64};
	return size[a];
}

/* 0 and *ret, or TNC_ENOTFOUND for an algorithm not listed above. */
int digest_from_tpm_alg(uint16_t tpm_alg, enum digest_alg *ret) TNC_MUST_CHECK;
int digest_from_name(const char *name, size_t len, enum digest_alg *ret) TNC_MUST_CHECK;

/* The state of one hash, kept by the caller and reused. */
struct digest_ctx {
	union {
		SHA_CTX sha1;
		SHA256_CTX sha256;
		SHA512_CTX sha512; /* SHA-384 too */
	} state;
};

void digest_ctx_init(struct digest_ctx *d);
void digest_ctx_clear(struct digest_ctx *d); /* wipes the state */

/* out = H_a(p1 || p2), digest_size(a) bytes; p2 may be NULL when n2 is 0. */
void digest_two(struct digest_ctx *d, enum digest_alg a, const void *p1, size_t n1, const void *p2,
    size_t n2, uint8_t *out);

#endif
