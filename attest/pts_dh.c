/* pts_dh.c - the PTS D-H nonce exchange on OpenSSL 3 (see pts_dh.h).
 *
 * MODP groups are RFC 2409 group 2 and RFC 3526 groups 5 and 14 with
 * generator 2 (OpenSSL's BN_get_rfc* primes); ECP groups are NIST P-256
 * and P-384 (RFC 5903).
 */
#include "pts_dh.h"

#include <openssl/core_names.h>
#include <openssl/dh.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rand.h>
#include <stdbool.h>
#include <string.h>

#include "pa_pts.h"

/* The values are the attributes' own: the IMV and IMC pass them through. */
_Static_assert(PTS_DH_MODP_1024 == PA_PTS_DH_MODP1024 && PTS_DH_MODP_1536 == PA_PTS_DH_MODP1536 &&
	PTS_DH_MODP_2048 == PA_PTS_DH_MODP2048 && PTS_DH_ECP_256 == PA_PTS_DH_ECP256 &&
	PTS_DH_ECP_384 == PA_PTS_DH_ECP384, "D-H groups as in pa_pts.h");
_Static_assert(PTS_DH_SHA1 == PA_PTS_ALGO_SHA1 && PTS_DH_SHA256 == PA_PTS_ALGO_SHA256 &&
	PTS_DH_SHA384 == PA_PTS_ALGO_SHA384, "hash algorithms as in pa_pts.h");

#define MAX_VALUE 256     /* a MODP_2048 public value or secret */
#define MODP_PRIV_BITS 256 /* private exponent: twice the groups' strength and more */

static const struct group {
	enum pts_dh_group id;
	const char *name;
	const char *curve;               /* ECP: OpenSSL's group name */
	int nid;                         /* ECP */
	BIGNUM *(*prime)(BIGNUM *);      /* MODP */
	size_t len;                      /* prime or field element octets */
} groups[] = {
	{PTS_DH_MODP_1024, "MODP_1024", NULL, 0, BN_get_rfc2409_prime_1024, 128},
	{PTS_DH_MODP_1536, "MODP_1536", NULL, 0, BN_get_rfc3526_prime_1536, 192},
	{PTS_DH_MODP_2048, "MODP_2048", NULL, 0, BN_get_rfc3526_prime_2048, 256},
	{PTS_DH_ECP_256, "ECP_256", "P-256", NID_X9_62_prime256v1, NULL, 32},
	{PTS_DH_ECP_384, "ECP_384", "P-384", NID_secp384r1, NULL, 48},
};

struct pts_dh {
	const struct group *g;
	EVP_PKEY *key;    /* ours, with the private value */
	BIGNUM *p;        /* MODP prime */
	uint8_t pub[MAX_VALUE];
	size_t pub_len;
	uint8_t secret[MAX_VALUE];
	size_t secret_len; /* 0 until pts_dh_set_peer() */
};

static const struct group *
find_group(enum pts_dh_group id)
{
	for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (groups[i].id == id)
			return &groups[i];
	return NULL;
}

const char *
pts_dh_group_name(enum pts_dh_group group)
{
	const struct group *g = find_group(group);
	return g ? g->name : NULL;
}

const char *
pts_dh_hash_name(enum pts_dh_hash hash)
{
	switch (hash) {
	case PTS_DH_SHA1:
		return "HASH_SHA1";
	case PTS_DH_SHA256:
		return "HASH_SHA2_256";
	case PTS_DH_SHA384:
		return "HASH_SHA2_384";
	}
	return NULL;
}

/* An EVP_PKEY of type from params built by bld (selection: what it holds). */
static EVP_PKEY *
from_params(const char *type, OSSL_PARAM_BLD *bld, int selection)
{
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	EVP_PKEY *key = NULL;

	if (!params || !ctx || EVP_PKEY_fromdata_init(ctx) != 1 ||
	    EVP_PKEY_fromdata(ctx, &key, selection, params) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	return key;
}

/* P and G (= 2) of a MODP group, plus pub (and priv) when given. */
static EVP_PKEY *
modp_key(const BIGNUM *p, const BIGNUM *pub, const BIGNUM *priv, int selection)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *g = BN_new();
	EVP_PKEY *key = NULL;

	if (bld && g && BN_set_word(g, 2) && OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_P, p) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_FFC_G, g) &&
	    (!pub || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PUB_KEY, pub)) &&
	    (!priv || OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv)))
		key = from_params("DH", bld, selection);
	BN_free(g);
	OSSL_PARAM_BLD_free(bld);
	return key;
}

static EVP_PKEY *
modp_generate(const BIGNUM *p)
{
	EVP_PKEY *params = modp_key(p, NULL, NULL, EVP_PKEY_KEY_PARAMETERS), *key = NULL;
	EVP_PKEY_CTX *ctx = params ? EVP_PKEY_CTX_new_from_pkey(NULL, params, NULL) : NULL;
	int bits = MODP_PRIV_BITS;
	OSSL_PARAM set[] = {
	    OSSL_PARAM_int(OSSL_PKEY_PARAM_DH_PRIV_LEN, &bits), OSSL_PARAM_END};

	if (!ctx || EVP_PKEY_keygen_init(ctx) != 1 || EVP_PKEY_CTX_set_params(ctx, set) != 1 ||
	    EVP_PKEY_keygen(ctx, &key) != 1)
		key = NULL;
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(params);
	return key;
}

/* A known private value x: the public value is 2^x mod p. */
static EVP_PKEY *
modp_from_private(const BIGNUM *p, const BIGNUM *priv)
{
	BN_CTX *bnctx = BN_CTX_new();
	BIGNUM *g = BN_new(), *pub = BN_new();
	EVP_PKEY *key = NULL;

	if (bnctx && g && pub && BN_set_word(g, 2) && BN_mod_exp(pub, g, priv, p, bnctx))
		key = modp_key(p, pub, priv, EVP_PKEY_KEYPAIR);
	BN_free(g);
	BN_free(pub);
	BN_CTX_free(bnctx);
	return key;
}

/* A known private value d: the public value is d * G, uncompressed. */
static EVP_PKEY *
ecp_from_private(const struct group *g, const BIGNUM *priv)
{
	EC_GROUP *group = EC_GROUP_new_by_curve_name(g->nid);
	EC_POINT *point = group ? EC_POINT_new(group) : NULL;
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	unsigned char buf[1 + 2 * 48];
	EVP_PKEY *key = NULL;
	size_t n = 0;

	if (point && EC_POINT_mul(group, point, priv, NULL, NULL, NULL))
		n = EC_POINT_point2oct(group, point, POINT_CONVERSION_UNCOMPRESSED, buf, sizeof(buf),
		    NULL);
	if (n && bld &&
	    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, g->curve, 0) &&
	    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_PRIV_KEY, priv) &&
	    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, buf, n))
		key = from_params("EC", bld, EVP_PKEY_KEYPAIR);
	OSSL_PARAM_BLD_free(bld);
	EC_POINT_free(point);
	EC_GROUP_free(group);
	return key;
}

/* Our public value in the IF-M encoding. */
static bool
export_public(struct pts_dh *dh)
{
	unsigned char buf[1 + 2 * 48];
	BIGNUM *y = NULL;
	size_t n = 0;
	bool ok;

	if (dh->g->curve) {
		ok = EVP_PKEY_get_octet_string_param(dh->key, OSSL_PKEY_PARAM_ENCODED_PUBLIC_KEY, buf,
			 sizeof(buf), &n) == 1 &&
		    n == 1 + 2 * dh->g->len && buf[0] == POINT_CONVERSION_UNCOMPRESSED;
		if (ok) { /* x || y without the 0x04 */
			memcpy(dh->pub, buf + 1, n - 1);
			dh->pub_len = n - 1;
		}
		return ok;
	}
	ok = EVP_PKEY_get_bn_param(dh->key, OSSL_PKEY_PARAM_PUB_KEY, &y) == 1 &&
	    BN_bn2binpad(y, dh->pub, (int)dh->g->len) == (int)dh->g->len;
	dh->pub_len = dh->g->len;
	BN_free(y);
	return ok;
}

struct pts_dh *
pts_dh_new(enum pts_dh_group group, struct bytes private_value)
{
	const struct group *g = find_group(group);
	struct pts_dh *dh = NULL;
	BIGNUM *priv = NULL;

	if (!g || private_value.len > MAX_VALUE || !(dh = OPENSSL_zalloc(sizeof(*dh))))
		return NULL;
	dh->g = g;
	if (private_value.len && (!(priv = BN_secure_new()) ||
				     !BN_bin2bn(private_value.ptr, (int)private_value.len, priv)))
		goto out;
	if (g->curve && priv)
		dh->key = ecp_from_private(g, priv);
	else if (g->curve)
		dh->key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", g->curve);
	else if ((dh->p = g->prime(NULL)))
		dh->key = priv ? modp_from_private(dh->p, priv) : modp_generate(dh->p);
out:
	if (!dh->key || !export_public(dh)) {
		ERR_clear_error();
		pts_dh_free(dh);
		dh = NULL;
	}
	BN_clear_free(priv);
	return dh;
}

void
pts_dh_free(struct pts_dh *dh)
{
	if (!dh)
		return;
	EVP_PKEY_free(dh->key);
	BN_free(dh->p);
	OPENSSL_clear_free(dh, sizeof(*dh));
}

struct bytes
pts_dh_public(const struct pts_dh *dh)
{
	return (struct bytes){dh->pub, dh->pub_len};
}

/* The peer's value as a key of our group, validated. */
static EVP_PKEY *
peer_key(const struct pts_dh *dh, struct bytes v)
{
	OSSL_PARAM_BLD *bld;
	unsigned char buf[1 + 2 * 48];
	BIGNUM *y, *max;
	EVP_PKEY *key = NULL;

	if (dh->g->curve) {
		if (v.len != 2 * dh->g->len)
			return NULL;
		buf[0] = POINT_CONVERSION_UNCOMPRESSED;
		memcpy(buf + 1, v.ptr, v.len);
		/* OpenSSL refuses a point that is not on the curve */
		bld = OSSL_PARAM_BLD_new();
		if (bld &&
		    OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, dh->g->curve, 0) &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, buf, v.len + 1))
			key = from_params("EC", bld, EVP_PKEY_PUBLIC_KEY);
		OSSL_PARAM_BLD_free(bld);
		return key;
	}
	if (v.len != dh->g->len)
		return NULL;
	/* RFC 2631 / SP 800-56A partial validation: 1 < y < p - 1 */
	y = BN_bin2bn(v.ptr, (int)v.len, NULL);
	max = BN_dup(dh->p);
	if (y && max && BN_sub_word(max, 1) && BN_cmp(y, BN_value_one()) > 0 && BN_cmp(y, max) < 0)
		key = modp_key(dh->p, y, NULL, EVP_PKEY_PUBLIC_KEY);
	BN_free(y);
	BN_free(max);
	return key;
}

int
pts_dh_set_peer(struct pts_dh *dh, struct bytes peer_public)
{
	EVP_PKEY *peer = peer_key(dh, peer_public);
	EVP_PKEY_CTX *ctx = peer ? EVP_PKEY_CTX_new_from_pkey(NULL, dh->key, NULL) : NULL;
	size_t len = sizeof(dh->secret);
	int rc = TNC_EINVALID;

	OPENSSL_cleanse(dh->secret, sizeof(dh->secret));
	dh->secret_len = 0;
	/* MODP secrets keep their leading zeros: as long as the prime, as
	 * strongSwan computes them; the ECP secret is the x coordinate. */
	if (ctx && EVP_PKEY_derive_init(ctx) == 1 &&
	    (dh->g->curve || EVP_PKEY_CTX_set_dh_pad(ctx, 1) == 1) &&
	    EVP_PKEY_derive_set_peer(ctx, peer) == 1 &&
	    EVP_PKEY_derive(ctx, dh->secret, &len) == 1 && len == dh->g->len) {
		dh->secret_len = len;
		rc = 0;
	}
	if (rc)
		ERR_clear_error(); /* a refused value is an answer, not an error to keep */
	EVP_PKEY_CTX_free(ctx);
	EVP_PKEY_free(peer);
	return rc;
}

int
pts_dh_random_nonce(uint8_t *buf, size_t len)
{
	if (len < PTS_DH_MIN_NONCE || len > PTS_DH_MAX_NONCE)
		return TNC_EINVALID;
	return RAND_bytes(buf, (int)len) == 1 ? 0 : TNC_EINVALID;
}

int
pts_dh_derive_nonce(const struct pts_dh *dh, enum pts_dh_hash hash, struct bytes initiator_nonce,
    struct bytes responder_nonce, uint8_t out[PTS_DH_MAX_HASH], size_t *ret_len)
{
	const EVP_MD *md = hash == PTS_DH_SHA1 ? EVP_sha1()
	    : hash == PTS_DH_SHA256	      ? EVP_sha256()
	    : hash == PTS_DH_SHA384	      ? EVP_sha384()
					      : NULL;
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	int ok;

	if (!dh->secret_len)
		return TNC_ESTATE;
	if (!md || initiator_nonce.len < PTS_DH_MIN_NONCE || initiator_nonce.len > PTS_DH_MAX_NONCE ||
	    responder_nonce.len < PTS_DH_MIN_NONCE || responder_nonce.len > PTS_DH_MAX_NONCE)
		return TNC_EINVALID;
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, md, NULL) == 1 &&
	    EVP_DigestUpdate(ctx, "1", 1) == 1 &&
	    EVP_DigestUpdate(ctx, initiator_nonce.ptr, initiator_nonce.len) == 1 &&
	    EVP_DigestUpdate(ctx, responder_nonce.ptr, responder_nonce.len) == 1 &&
	    EVP_DigestUpdate(ctx, dh->secret, dh->secret_len) == 1 &&
	    EVP_DigestFinal_ex(ctx, out, &len) == 1;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		return TNC_EINVALID;
	*ret_len = len;
	return 0;
}
