/* digest.c - hash algorithms and hashing (see digest.h).
 *
 * digest_two() calls OpenSSL's SHA*_Init/Update/Final, deprecated in
 * OpenSSL 3.0 in favour of EVP, on purpose: OpenSSL 3.0's EVP_DigestInit
 * frees and allocates the provider's context on every call (and looks for
 * an ENGINE), which for a 64-byte PCR extend costs a third of the time;
 * bench_evidence replays a seed-sized evidence set in about 25 % less CPU
 * this way.  Both run the same SHA-NI / AVX2 code of libcrypto.
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include "digest.h"

#include <openssl/crypto.h>
#include <string.h>

static const struct {
	const char *name;
	size_t name_len;
	uint16_t tpm_alg; /* TCG Algorithm Registry: TPM_ALG_SHA1 ... TPM_ALG_SHA512 */
} algs[DIGEST_ALG_COUNT] = {
    [DIGEST_SHA1] = {"sha1", 4, 0x0004},
    [DIGEST_SHA256] = {"sha256", 6, 0x000b},
    [DIGEST_SHA384] = {"sha384", 6, 0x000c},
    [DIGEST_SHA512] = {"sha512", 6, 0x000d},
};

const char *
digest_name(enum digest_alg a)
{
	return algs[a].name;
}

uint16_t
digest_tpm_alg(enum digest_alg a)
{
	return algs[a].tpm_alg;
}

int
digest_from_tpm_alg(uint16_t tpm_alg, enum digest_alg *ret)
{
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (algs[a].tpm_alg == tpm_alg) {
			*ret = (enum digest_alg)a;
			return 0;
		}
	return TNC_ENOTFOUND;
}

int
digest_from_name(const char *name, size_t len, enum digest_alg *ret)
{
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (algs[a].name_len == len && memcmp(algs[a].name, name, len) == 0) {
			*ret = (enum digest_alg)a;
			return 0;
		}
	return TNC_ENOTFOUND;
}

void
digest_ctx_init(struct digest_ctx *d)
{
	memset(d, 0, sizeof(*d));
}

void
digest_ctx_clear(struct digest_ctx *d)
{
	OPENSSL_cleanse(d, sizeof(*d));
}

void
digest_two(struct digest_ctx *d, enum digest_alg a, const void *p1, size_t n1, const void *p2,
    size_t n2, uint8_t *out)
{
	switch (a) {
	case DIGEST_SHA1:
		SHA1_Init(&d->state.sha1);
		SHA1_Update(&d->state.sha1, p1, n1);
		if (n2)
			SHA1_Update(&d->state.sha1, p2, n2);
		SHA1_Final(out, &d->state.sha1);
		break;
	case DIGEST_SHA256:
		SHA256_Init(&d->state.sha256);
		SHA256_Update(&d->state.sha256, p1, n1);
		if (n2)
			SHA256_Update(&d->state.sha256, p2, n2);
		SHA256_Final(out, &d->state.sha256);
		break;
	case DIGEST_SHA384:
		SHA384_Init(&d->state.sha512);
		SHA384_Update(&d->state.sha512, p1, n1);
		if (n2)
			SHA384_Update(&d->state.sha512, p2, n2);
		SHA384_Final(out, &d->state.sha512);
		break;
	case DIGEST_SHA512:
	case DIGEST_ALG_COUNT:
		SHA512_Init(&d->state.sha512);
		SHA512_Update(&d->state.sha512, p1, n1);
		if (n2)
			SHA512_Update(&d->state.sha512, p2, n2);
		SHA512_Final(out, &d->state.sha512);
		break;
	}
}
