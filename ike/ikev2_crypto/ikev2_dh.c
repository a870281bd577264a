/* ikev2_dh.c - IKEv2 D-H groups 14, 19, 20 and 31 on OpenSSL 3 (see ikev2_dh.h). */
#include "ikev2_dh.h"

#include <stdbool.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

enum kind { MODP, ECP, X25519 };

/* A random MODP exponent of 256 bits: twice group 14's strength (112)
 * with a margin, as RFC 3526 8 suggests. */
#define MODP_PRIV_BITS 256
#define MAX_ECP_POINT (1 + 2 * 48)

static const struct group {
	uint16_t id;
	enum kind kind;
	const char *name; /* OpenSSL's group name */
	int nid;          /* ECP: the curve, for EC_POINT arithmetic */
	size_t public_len;
	size_t secret_len;
} groups[] = {
	{IKEV2_DH_MODP_2048, MODP, "modp_2048", 0, 256, 256},
	{IKEV2_DH_ECP_256, ECP, "P-256", NID_X9_62_prime256v1, 64, 32},
	{IKEV2_DH_ECP_384, ECP, "P-384", NID_secp384r1, 96, 48},
	{IKEV2_DH_CURVE25519, X25519, "X25519", 0, 32, 32},
};

struct ikev2_dh {
	const struct group *g;
	EVP_PKEY *key;
	uint8_t pub[IKEV2_DH_MAX_PUBLIC];
};

static const struct group *
find_group(uint16_t id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

size_t
ikev2_dh_public_len(uint16_t group)
{
	const struct group *g = find_group(group);
	return g ? g->public_len : 0;
}

uint16_t
ikev2_dh_group(const struct ikev2_dh *dh)
{
	return dh->g->id;
}

struct bytes
ikev2_dh_public(const struct ikev2_dh *dh)
{
	return (struct bytes){dh->pub, dh->g->public_len};
}

/* A key of type ("DH", "EC") in the named group from bld's other fields. */
static EVP_PKEY *
from_params(const struct group *g, const char *type, OSSL_PARAM_BLD *bld, int selection)
{
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	if (OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->name, 0) &&
	    (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL)) &&
	    EVP_PKEY_fromdata_init(ctx) == 1 && EVP_PKEY_fromdata(ctx, &key, selection, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return key;
}

static EVP_PKEY *
modp_generate(const struct group *g)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "DH", NULL);
	EVP_PKEY *key = NULL;
	int bits = MODP_PRIV_BITS;
	OSSL_PARAM params[] = {
		OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, (char *)g->name, 0),
		OSSL_PARAM_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits),
		OSSL_PARAM_END,
	};

	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_set_params(ctx, params) != 1 ||
	    EVP_PKEY_generate(ctx, &key) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	return key;
}

/* Private value x given: the public value is 2^x mod p. */
static EVP_PKEY *
modp_from_private(const struct group *g, const BIGNUM *x)
{
	BN_CTX *bnctx = BN_CTX_new();
	BIGNUM *p = BN_get_rfc3526_prime_2048(NULL), *two = BN_new(), *y = BN_new();
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *key = NULL;

	if (bnctx && p && two && y && bld && BN_set_word(two, 2) &&
	    BN_mod_exp_mont_consttime(y, two, x, p, bnctx, NULL) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, x))
		key = from_params(g, "DH", bld, EVP_PKEY_KEYPAIR);
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	BN_free(two);
	BN_free(p);
	BN_CTX_free(bnctx);
	return key;
}

/* Private value d given: the public value is d * G. */
static EVP_PKEY *
ecp_from_private(const struct group *g, const BIGNUM *d)
{
	EC_GROUP *curve = EC_GROUP_new_by_curve_name(g->nid);
	EC_POINT *q = curve ? EC_POINT_new(curve) : NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	uint8_t point[MAX_ECP_POINT];
	EVP_PKEY *key = NULL;
	size_t n = 0;

	if (q && EC_POINT_mul(curve, q, d, NULL, NULL, NULL))
		n = EC_POINT_point2oct(curve, q, POINT_CONVERSION_UNCOMPRESSED, point, sizeof(point),
		    NULL);
	if (n && bld && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, d) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, n))
		key = from_params(g, "EC", bld, EVP_PKEY_KEYPAIR);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(q);
	EC_GROUP_free(curve);
	return key;
}

static EVP_PKEY *
new_key(const struct group *g, struct bytes priv_value)
{
	EVP_PKEY *key = NULL;
	BIGNUM *priv;

	if (g->kind == X25519)
		return priv_value.len
		    ? EVP_PKEY_new_raw_private_key(EVP_PKEY_X25519, NULL, priv_value.ptr, priv_value.len)
		    : EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	if (!priv_value.len)
		return g->kind == MODP ? modp_generate(g) : EVP_PKEY_Q_keygen(NULL, NULL, "EC", g->name);
	if (priv_value.len > g->public_len || !(priv = BN_secure_new()))
		return NULL;
	BN_set_flags(priv, BN_FLG_CONSTTIME);
	if (BN_bin2bn(priv_value.ptr, (int)priv_value.len, priv))
		key = g->kind == MODP ? modp_from_private(g, priv) : ecp_from_private(g, priv);
	BN_clear_free(priv);
	return key;
}

/* Our public value in the KE encoding. */
static bool
export_public(struct ikev2_dh *dh)
{
	const struct group *g = dh->g;
	uint8_t point[MAX_ECP_POINT];
	BIGNUM *y = NULL;
	size_t n = 0;
	bool ok;

	switch (g->kind) {
	case MODP:
		ok = EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) == 1 &&
		    BN_bn2binpad(y, dh->pub, (int)g->public_len) == (int)g->public_len;
		BN_free(y);
		return ok;
	case ECP:
		ok = EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, point,
			 sizeof(point), &n) == 1 &&
		    n == 1 + g->public_len && point[0] == POINT_CONVERSION_UNCOMPRESSED;
		if (ok)
			memcpy(dh->pub, point + 1, g->public_len);
		return ok;
	case X25519:
		n = g->public_len;
		return EVP_PKEY_get_raw_public_key(dh->key, dh->pub, &n) == 1 && n == g->public_len;
	}
	return false;
}

struct ikev2_dh *
ikev2_dh_new(uint16_t group, struct bytes private_value)
{
	const struct group *g = find_group(group);
	struct ikev2_dh *dh;

	if (!g || !(dh = OPENSSL_zalloc(sizeof(*dh))))
		return NULL;
	dh->g = g;
	if (!(dh->key = new_key(g, private_value)) || !export_public(dh)) {
		ERR_clear_error();
		ikev2_dh_free(dh);
		return NULL;
	}
	return dh;
}

void
ikev2_dh_free(struct ikev2_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	OPENSSL_clear_free(dh, sizeof(*dh));
}

/* 1 < y < p - 1 (RFC 6989 2.1: enough for a safe-prime group like 14). */
static EVP_PKEY *
modp_peer(const struct group *g, struct bytes v, const char **why)
{
	BIGNUM *p = BN_get_rfc3526_prime_2048(NULL), *y = BN_bin2bn(v.ptr, (int)v.len, NULL);
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	EVP_PKEY *key = NULL;

	if (p && y && bld && BN_sub_word(p, 1)) {
		if (BN_cmp(y, BN_value_one()) <= 0 || BN_cmp(y, p) >= 0)
			*why = "MODP public value not within 1 < y < p - 1";
		else if (OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, y))
			key = from_params(g, "DH", bld, EVP_PKEY_PUBLIC_KEY);
	}
	OSSL_PARAM_BLD_free(bld);
	BN_free(y);
	BN_free(p);
	return key;
}

/* A point on the curve (RFC 6989 2.3); OpenSSL's decoding refuses
 * coordinates >= p, the quick check a point off the curve. */
static EVP_PKEY *
ecp_peer(const struct group *g, struct bytes v, const char **why)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	uint8_t point[MAX_ECP_POINT];
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *key = NULL;

	point[0] = POINT_CONVERSION_UNCOMPRESSED;
	memcpy(point + 1, v.ptr, v.len);
	if (bld && OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, v.len + 1))
		key = from_params(g, "EC", bld, EVP_PKEY_PUBLIC_KEY);
	if (key && (!(ctx = EVP_PKEY_CTX_new_from_pkey(NULL, key, NULL)) ||
		       EVP_PKEY_public_check_quick(ctx) != 1)) {
		EVP_PKEY_free(key);
		key = NULL;
	}
	if (!key)
		*why = "ECP public value is not a point on the curve";
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

static bool
all_zero(const uint8_t *b, size_t n)
{
	uint8_t acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= b[i];
	return acc == 0;
}

int
ikev2_dh_shared(const struct ikev2_dh *dh, struct bytes peer, uint8_t out[IKEV2_DH_MAX_SECRET],
    size_t *ret_len, const char **ret_reason)
{
	const struct group *g = dh->g;
	const char *why = "key agreement failed";
	EVP_PKEY *pk = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	size_t len = IKEV2_DH_MAX_SECRET;
	bool ok = false;

	if (peer.len != g->public_len)
		why = "KE data length is not the group's";
	else if (g->kind == MODP)
		pk = modp_peer(g, peer, &why);
	else if (g->kind == ECP)
		pk = ecp_peer(g, peer, &why);
	else
		pk = EVP_PKEY_new_raw_public_key(EVP_PKEY_X25519, NULL, peer.ptr, peer.len);
	/* MODP secrets keep their leading zeros (2.14).  OpenSSL's own check
	 * of a MODP peer (y^q = 1, about 2 ms) is skipped: RFC 6989 2.1 needs
	 * only the range check of a safe-prime group, done above. */
	if (pk && (ctx = EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL)) &&
	    EVP_PKEY_derive_init(ctx) == 1 && (g->kind != MODP || EVP_PKEY_CTX_set_dh_pad(ctx, 1) == 1) &&
	    EVP_PKEY_derive_set_peer_ex(ctx, pk, g->kind != MODP) == 1 &&
	    EVP_PKEY_derive(ctx, out, &len) == 1 && len == g->secret_len)
		ok = true;
	/* RFC 8031 2: a low-order point gives zero, which OpenSSL refuses too
	 * (its refusal is the only way a well-formed X25519 value fails). */
	if (g->kind == X25519 && pk && (!ok || all_zero(out, len))) {
		ok = false;
		why = "X25519 shared secret is zero (low-order point)";
	}
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(pk);
	if (!ok) {
		ERR_clear_error(); /* a refused value is an answer, not an error to keep */
		OPENSSL_cleanse(out, IKEV2_DH_MAX_SECRET);
		if (ret_reason)
			*ret_reason = why;
		return TNC_EINVALID;
	}
	*ret_len = len;
	return 0;
}
