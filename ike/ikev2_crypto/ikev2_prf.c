/* ikev2_prf.c - HMAC, the IKEv2 PRFs and prf+ on OpenSSL 3 (see ikev2_prf.h). */
#include "ikev2_prf.h"

#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/params.h>

/* prf+ seeds are nonces, SPIs and a D-H secret: a few segments. */
#define PRF_PLUS_MAX_SEGMENTS 8

static const char *
prf_digest(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_SHA1:
		return "SHA1";
	case IKEV2_PRF_HMAC_SHA2_256:
		return "SHA256";
	case IKEV2_PRF_HMAC_SHA2_384:
		return "SHA384";
	case IKEV2_PRF_HMAC_SHA2_512:
		return "SHA512";
	}
	return NULL;
}

size_t
ikev2_prf_len(uint16_t prf)
{
	switch (prf) {
	case IKEV2_PRF_HMAC_SHA1:
		return 20;
	case IKEV2_PRF_HMAC_SHA2_256:
		return 32;
	case IKEV2_PRF_HMAC_SHA2_384:
		return 48;
	case IKEV2_PRF_HMAC_SHA2_512:
		return 64;
	}
	return 0;
}

int
ikev2_hmac(const char *digest, struct bytes key, const struct bytes *data, size_t count,
    uint8_t *out, size_t *ret_len)
{
	EVP_MAC *mac;
	EVP_MAC_CTX *ctx = NULL;
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0),
		OSSL_PARAM_construct_end(),
	};
	int ok = 0;

	if (!digest || key.len == 0)
		return TNC_EINVALID;
	if ((mac = EVP_MAC_fetch(NULL, "HMAC", NULL)) && (ctx = EVP_MAC_CTX_new(mac)) &&
	    EVP_MAC_init(ctx, key.ptr, key.len, params) == 1) {
		ok = 1;
		for (size_t i = 0; ok && i < count; i++)
			ok = data[i].len == 0 || EVP_MAC_update(ctx, data[i].ptr, data[i].len) == 1;
		ok = ok && EVP_MAC_final(ctx, out, ret_len, IKEV2_PRF_MAX_LEN) == 1;
	}
	EVP_MAC_CTX_free(ctx);
	EVP_MAC_free(mac);
	if (!ok)
		ERR_clear_error();
	return ok ? 0 : TNC_EINVALID;
}

int
ikev2_prf(uint16_t prf, struct bytes key, const struct bytes *data, size_t count,
    uint8_t out[IKEV2_PRF_MAX_LEN])
{
	size_t len;
	int err = ikev2_hmac(prf_digest(prf), key, data, count, out, &len);

	if (!err && len != ikev2_prf_len(prf))
		err = TNC_EINVALID;
	return err;
}

int
ikev2_prf_plus(uint16_t prf, struct bytes key, const struct bytes *seed, size_t count,
    uint8_t *out, size_t len)
{
	size_t prf_len = ikev2_prf_len(prf), done = 0;
	struct bytes data[PRF_PLUS_MAX_SEGMENTS + 2];
	uint8_t t[IKEV2_PRF_MAX_LEN];
	uint8_t round = 1;
	int err = 0;

	if (prf_len == 0 || count > PRF_PLUS_MAX_SEGMENTS)
		return TNC_EINVALID;
	if (len > prf_len * IKEV2_PRF_PLUS_MAX_ROUNDS)
		return TNC_ETOOLONG;
	/* T1 = prf(K, S | 0x01): T0 is empty. */
	data[0] = (struct bytes){t, 0};
	if (count)
		memcpy(data + 1, seed, count * sizeof(*seed));
	data[count + 1] = (struct bytes){&round, 1};
	while (done < len) {
		if ((err = ikev2_prf(prf, key, data, count + 2, t)))
			break;
		size_t n = len - done < prf_len ? len - done : prf_len;
		memcpy(out + done, t, n);
		done += n;
		data[0].len = prf_len;
		round++;
	}
	OPENSSL_cleanse(t, sizeof(t));
	if (err)
		OPENSSL_cleanse(out, len);
	return err;
}
