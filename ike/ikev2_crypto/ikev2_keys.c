/* ikev2_keys.c - SKEYSEED, the IKE SA keys and CHILD_SA KEYMAT (see ikev2_keys.h). */
#include "ikev2_keys.h"

#include <string.h>

#include <openssl/crypto.h>

#include "ikev2.h"

#define SPI_LEN 8
/* The longest KEYMAT: SK_d, SK_p x2 (64), SK_a x2 (64), SK_e x2 (36). */
#define MAX_KEYMAT (3 * IKEV2_PRF_MAX_LEN + 2 * IKEV2_MAX_INTEG_KEY + 2 * IKEV2_MAX_ENCR_KEY)

static bool
nonce_ok(struct bytes n)
{
	return n.len >= IKEV2_NONCE_MIN && n.len <= IKEV2_NONCE_MAX;
}

int
ikev2_skeyseed(uint16_t prf, struct bytes ni, struct bytes nr, struct bytes g_ir,
    uint8_t out[IKEV2_PRF_MAX_LEN])
{
	uint8_t key[2 * IKEV2_NONCE_MAX];
	int err;

	if (!nonce_ok(ni) || !nonce_ok(nr) || g_ir.len == 0)
		return TNC_EINVALID;
	/* The key is the nonces concatenated (2.14; HMAC takes any length). */
	memcpy(key, ni.ptr, ni.len);
	memcpy(key + ni.len, nr.ptr, nr.len);
	err = ikev2_prf(prf, (struct bytes){key, ni.len + nr.len}, &g_ir, 1, out);
	OPENSSL_cleanse(key, sizeof(key));
	return err;
}

int
ikev2_skeyseed_rekey(uint16_t old_prf, struct bytes old_sk_d, struct bytes g_ir,
    struct bytes ni, struct bytes nr, uint8_t out[IKEV2_PRF_MAX_LEN])
{
	const struct bytes data[] = {g_ir, ni, nr};

	if (!nonce_ok(ni) || !nonce_ok(nr) || g_ir.len == 0)
		return TNC_EINVALID;
	return ikev2_prf(old_prf, old_sk_d, data, 3, out);
}

/* The next n octets of *keymat into dst. */
static void
take(uint8_t *dst, const uint8_t **keymat, size_t n)
{
	memcpy(dst, *keymat, n);
	*keymat += n;
}

int
ikev2_sa_keys_derive(const struct ikev2_suite *suite, struct bytes skeyseed,
    struct bytes ni, struct bytes nr, uint64_t spi_i, uint64_t spi_r, struct ikev2_sa_keys *ret)
{
	const size_t pl = suite->prf_len, al = suite->integ_key_len, el = suite->encr_key_len;
	uint8_t spis[2 * SPI_LEN], keymat[MAX_KEYMAT];
	const uint8_t *at = keymat;
	int err;

	if (!pl || !nonce_ok(ni) || !nonce_ok(nr))
		return TNC_EINVALID;
	for (size_t i = 0; i < SPI_LEN; i++) {
		spis[i] = (uint8_t)(spi_i >> (56 - 8 * i));
		spis[SPI_LEN + i] = (uint8_t)(spi_r >> (56 - 8 * i));
	}
	const struct bytes seed[] = {ni, nr, {spis, sizeof(spis)}};
	if ((err = ikev2_prf_plus(suite->prf, skeyseed, seed, 3, keymat, 3 * pl + 2 * al + 2 * el)))
		return err;
	memset(ret, 0, sizeof(*ret));
	ret->suite = *suite;
	take(ret->d, &at, pl);
	take(ret->ai, &at, al);
	take(ret->ar, &at, al);
	take(ret->ei, &at, el);
	take(ret->er, &at, el);
	take(ret->pi, &at, pl);
	take(ret->pr, &at, pl);
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return 0;
}

int
ikev2_child_keys_derive(uint16_t prf, struct bytes sk_d, const struct ikev2_suite *esp,
    struct bytes g_ir, struct bytes ni, struct bytes nr, struct ikev2_child_keys *ret)
{
	const size_t al = esp->integ_key_len, el = esp->encr_key_len;
	uint8_t keymat[2 * IKEV2_MAX_ENCR_KEY + 2 * IKEV2_MAX_INTEG_KEY];
	const uint8_t *at = keymat;
	int err;

	if (!nonce_ok(ni) || !nonce_ok(nr))
		return TNC_EINVALID;
	/* g^ir first when there is one; an empty segment adds nothing. */
	const struct bytes seed[] = {g_ir, ni, nr};
	if ((err = ikev2_prf_plus(prf, sk_d, seed, 3, keymat, 2 * (el + al))))
		return err;
	memset(ret, 0, sizeof(*ret));
	ret->suite = *esp;
	take(ret->ei, &at, el);
	take(ret->ai, &at, al);
	take(ret->er, &at, el);
	take(ret->ar, &at, al);
	OPENSSL_cleanse(keymat, sizeof(keymat));
	return 0;
}

void
ikev2_sa_keys_cleanse(struct ikev2_sa_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}

void
ikev2_child_keys_cleanse(struct ikev2_child_keys *k)
{
	OPENSSL_cleanse(k, sizeof(*k));
}
