/* ikev2_sig.c - signature AUTH methods 1, 9-11 and 14 (see ikev2_sig.h). */
#include "ikev2_sig.h"

#include <string.h>

#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

/* The kinds of key we sign and verify with. */
enum key_kind { KEY_OTHER, KEY_RSA, KEY_P256, KEY_P384, KEY_P521 };

static enum key_kind
kind_of(EVP_PKEY *key)
{
	char group[32];
	size_t len = 0;

	if (EVP_PKEY_is_a(key, "RSA"))
		return KEY_RSA;
	if (!EVP_PKEY_is_a(key, "EC") || !EVP_PKEY_get_group_name(key, group, sizeof(group), &len))
		return KEY_OTHER;
	return !strcmp(group, "prime256v1") ? KEY_P256 : !strcmp(group, "secp384r1") ? KEY_P384
	    : !strcmp(group, "secp521r1") ? KEY_P521 : KEY_OTHER;
}

/* r and s of a curve's ECDSA signature in the classic methods' form. */
static size_t
ec_half(enum key_kind k)
{
	return k == KEY_P256 ? 32 : k == KEY_P384 ? 48 : 66;
}

static const EVP_MD *
md_of(uint8_t hash)
{
	return hash == IKEV2_HASH_SHA2_256 ? EVP_sha256() : hash == IKEV2_HASH_SHA2_384 ? EVP_sha384()
	    : hash == IKEV2_HASH_SHA2_512 ? EVP_sha512() : NULL;
}

/* RFC 7427 Appendix A: the AlgorithmIdentifiers of method 14 (RSA's with
 * NULL parameters). */
struct alg_id {
	bool rsa;
	uint8_t hash;
	uint8_t len;
	uint8_t der[15];
	const char *scheme; /* strongSwan's name */
};

static const struct alg_id alg_ids[] = {
	{false, IKEV2_HASH_SHA2_256, 12,
	    {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02},
	    "ECDSA_WITH_SHA256_DER"},
	{false, IKEV2_HASH_SHA2_384, 12,
	    {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03},
	    "ECDSA_WITH_SHA384_DER"},
	{false, IKEV2_HASH_SHA2_512, 12,
	    {0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04},
	    "ECDSA_WITH_SHA512_DER"},
	{true, IKEV2_HASH_SHA2_256, 15,
	    {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00},
	    "RSA_EMSA_PKCS1_SHA2_256"},
	{true, IKEV2_HASH_SHA2_384, 15,
	    {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c, 0x05, 0x00},
	    "RSA_EMSA_PKCS1_SHA2_384"},
	{true, IKEV2_HASH_SHA2_512, 15,
	    {0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d, 0x05, 0x00},
	    "RSA_EMSA_PKCS1_SHA2_512"},
};

static const struct alg_id *
alg_id_for(bool rsa, uint8_t hash)
{
	for (size_t i = 0; i < sizeof(alg_ids) / sizeof(alg_ids[0]); i++)
		if (alg_ids[i].rsa == rsa && alg_ids[i].hash == hash)
			return &alg_ids[i];
	return NULL;
}

unsigned
ikev2_sig_hashes(struct bytes data)
{
	unsigned bits = 0;

	if (data.len % 2)
		return 0;
	for (size_t i = 0; i < data.len; i += 2) {
		const unsigned id = (unsigned)data.ptr[i] << 8 | data.ptr[i + 1];
		if (id >= IKEV2_HASH_SHA2_256 && id <= IKEV2_HASH_SHA2_512)
			bits |= 1u << id;
	}
	return bits;
}

int
ikev2_sig_choose(EVP_PKEY *key, unsigned peer_hashes, struct ikev2_sig_choice *ret,
    const char **ret_why)
{
	static const uint8_t classic[] = {[KEY_RSA] = IKEV2_AUTH_RSA_SIG,
	    [KEY_P256] = IKEV2_AUTH_ECDSA_256, [KEY_P384] = IKEV2_AUTH_ECDSA_384,
	    [KEY_P521] = IKEV2_AUTH_ECDSA_521};
	static const uint8_t hash_for[] = {[KEY_RSA] = IKEV2_HASH_SHA2_256,
	    [KEY_P256] = IKEV2_HASH_SHA2_256, [KEY_P384] = IKEV2_HASH_SHA2_384,
	    [KEY_P521] = IKEV2_HASH_SHA2_512};
	const enum key_kind k = kind_of(key);

	if (k == KEY_OTHER) {
		*ret_why = "our key is neither RSA nor ECDSA on P-256, P-384 or P-521";
		return TNC_EINVALID;
	}
	if (peer_hashes & 1u << hash_for[k])
		*ret = (struct ikev2_sig_choice){IKEV2_AUTH_DIGITAL_SIGNATURE, hash_for[k]};
	else if (peer_hashes & 1u << IKEV2_HASH_SHA2_256)
		*ret = (struct ikev2_sig_choice){IKEV2_AUTH_DIGITAL_SIGNATURE, IKEV2_HASH_SHA2_256};
	else
		*ret = (struct ikev2_sig_choice){classic[k], 0};
	return 0;
}

/* The digest of a classic method for a key of kind k; NULL when they do
 * not go together. */
static const EVP_MD *
classic_md(uint8_t method, enum key_kind k)
{
	switch (method) {
	case IKEV2_AUTH_RSA_SIG: return k == KEY_RSA ? EVP_sha1() : NULL;
	case IKEV2_AUTH_ECDSA_256: return k == KEY_P256 ? EVP_sha256() : NULL;
	case IKEV2_AUTH_ECDSA_384: return k == KEY_P384 ? EVP_sha384() : NULL;
	case IKEV2_AUTH_ECDSA_521: return k == KEY_P521 ? EVP_sha512() : NULL;
	default: return NULL;
	}
}

/* The DER Ecdsa-Sig-Value of r | s (each half octets) into *ret (OpenSSL's,
 * freed by the caller). */
static int
ec_raw_to_der(const uint8_t *raw, size_t half, uint8_t **ret, size_t *ret_len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(raw, (int)half, NULL), *s = BN_bin2bn(raw + half, (int)half, NULL);
	int len = -1;

	*ret = NULL;
	if (sig && r && s && ECDSA_SIG_set0(sig, r, s) == 1) {
		r = s = NULL; /* the signature's now */
		len = i2d_ECDSA_SIG(sig, ret);
	}
	BN_free(r);
	BN_free(s);
	ECDSA_SIG_free(sig);
	if (len <= 0)
		return TNC_EINVALID;
	*ret_len = (size_t)len;
	return 0;
}

/* r | s, each half octets, of a DER Ecdsa-Sig-Value. */
static int
ec_der_to_raw(const uint8_t *der, size_t len, size_t half, uint8_t *out)
{
	const uint8_t *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)len);
	const BIGNUM *r, *s;
	int ok = 0;

	if (sig) {
		ECDSA_SIG_get0(sig, &r, &s);
		ok = BN_bn2binpad(r, out, (int)half) == (int)half &&
		    BN_bn2binpad(s, out + half, (int)half) == (int)half;
	}
	ECDSA_SIG_free(sig);
	return ok ? 0 : TNC_EINVALID;
}

/* EVP_DigestSign / EVP_DigestVerify with md (RSA: PKCS#1 v1.5, OpenSSL's
 * default); sig_len in: out's room, out: the signature's length. */
static int
digest_sign(EVP_PKEY *key, const EVP_MD *md, struct bytes octets, uint8_t *out, size_t *sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const int ok = ctx && EVP_DigestSignInit(ctx, NULL, md, NULL, key) == 1 &&
	    EVP_DigestSign(ctx, out, sig_len, octets.ptr, octets.len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : TNC_EINVALID;
}

static int
digest_verify(EVP_PKEY *key, const EVP_MD *md, struct bytes octets, const uint8_t *sig,
    size_t sig_len)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const int ok = ctx && EVP_DigestVerifyInit(ctx, NULL, md, NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, sig, sig_len, octets.ptr, octets.len) == 1;

	EVP_MD_CTX_free(ctx);
	return ok ? 0 : TNC_EINVALID;
}

int
ikev2_sig_sign(EVP_PKEY *key, const struct ikev2_sig_choice *c, struct bytes octets,
    uint8_t *out, size_t *ret_len, const char **ret_why)
{
	const enum key_kind k = kind_of(key);
	uint8_t der[160]; /* a P-521 Ecdsa-Sig-Value is at most 139 octets */
	size_t len;

	if (k == KEY_OTHER || EVP_PKEY_get_size(key) <= 0 ||
	    (size_t)EVP_PKEY_get_size(key) > IKEV2_SIG_MAX_LEN - 16) {
		*ret_why = "our key is of no kind or size we sign with";
		return TNC_EINVALID;
	}
	if (c->method == IKEV2_AUTH_DIGITAL_SIGNATURE) {
		const struct alg_id *a = alg_id_for(k == KEY_RSA, c->hash);
		if (!a || !md_of(c->hash)) {
			*ret_why = "no AlgorithmIdentifier for our key and that hash";
			return TNC_EINVALID;
		}
		out[0] = a->len;
		memcpy(out + 1, a->der, a->len);
		len = IKEV2_SIG_MAX_LEN - 1 - a->len;
		if (digest_sign(key, md_of(c->hash), octets, out + 1 + a->len, &len)) {
			*ret_why = "signing failed";
			return TNC_EINVALID;
		}
		*ret_len = 1 + a->len + len;
		return 0;
	}
	const EVP_MD *md = classic_md(c->method, k);
	if (!md) {
		*ret_why = "AUTH method not for our key";
		return TNC_EINVALID;
	}
	if (k == KEY_RSA) {
		len = IKEV2_SIG_MAX_LEN;
		if (digest_sign(key, md, octets, out, &len)) {
			*ret_why = "signing failed";
			return TNC_EINVALID;
		}
		*ret_len = len;
		return 0;
	}
	len = sizeof(der);
	if (digest_sign(key, md, octets, der, &len) || ec_der_to_raw(der, len, ec_half(k), out)) {
		*ret_why = "signing failed";
		return TNC_EINVALID;
	}
	*ret_len = 2 * ec_half(k);
	return 0;
}

/* The AlgorithmIdentifier of method 14's data, NULL for one we do not
 * know or data shorter than its length octet says. */
static const struct alg_id *
alg_id_of(struct bytes data)
{
	if (data.len < 1 || data.len < 1u + data.ptr[0])
		return NULL;
	for (size_t i = 0; i < sizeof(alg_ids) / sizeof(alg_ids[0]); i++)
		if (alg_ids[i].len == data.ptr[0] && !memcmp(alg_ids[i].der, data.ptr + 1, data.ptr[0]))
			return &alg_ids[i];
	return NULL;
}

const char *
ikev2_sig_scheme_name(uint8_t method, struct bytes data)
{
	const struct alg_id *a;

	switch (method) {
	case IKEV2_AUTH_RSA_SIG: return "RSA_EMSA_PKCS1_SHA1";
	case IKEV2_AUTH_ECDSA_256: return "ECDSA-256";
	case IKEV2_AUTH_ECDSA_384: return "ECDSA-384";
	case IKEV2_AUTH_ECDSA_521: return "ECDSA-521";
	case IKEV2_AUTH_DIGITAL_SIGNATURE:
		return (a = alg_id_of(data)) ? a->scheme : "unknown";
	default: return "unknown";
	}
}

/* Method 14: the AlgorithmIdentifier names a hash and a key kind that
 * match key; the signature as X.509 has it. */
static int
verify_digital_signature(EVP_PKEY *key, enum key_kind k, struct bytes data, struct bytes octets,
    const char **ret_why)
{
	const struct alg_id *a = alg_id_of(data);

	if (data.len < 1 || data.len < 1u + data.ptr[0]) {
		*ret_why = "AUTH data shorter than its AlgorithmIdentifier length";
		return TNC_EINVALID;
	}
	if (!a) {
		*ret_why = "AlgorithmIdentifier of the AUTH is none we verify (ECDSA or RSA "
			   "PKCS#1 v1.5 with SHA-2)";
		return TNC_EINVALID;
	}
	if (a->rsa != (k == KEY_RSA)) {
		*ret_why = "AlgorithmIdentifier of the AUTH is not for the certificate's key";
		return TNC_EINVALID;
	}
	const size_t skip = 1u + data.ptr[0];
	if (digest_verify(key, md_of(a->hash), octets, data.ptr + skip, data.len - skip)) {
		*ret_why = "signature of the AUTH does not verify with the certificate's key";
		return TNC_EINVALID;
	}
	return 0;
}

int
ikev2_sig_verify(EVP_PKEY *key, uint8_t method, struct bytes data, struct bytes octets,
    const char **ret_why)
{
	const enum key_kind k = kind_of(key);
	int err;

	if (k == KEY_OTHER) {
		*ret_why = "certificate key is neither RSA nor ECDSA on P-256, P-384 or P-521";
		return TNC_EINVALID;
	}
	if (method == IKEV2_AUTH_DIGITAL_SIGNATURE)
		return verify_digital_signature(key, k, data, octets, ret_why);
	const EVP_MD *md = classic_md(method, k);
	if (!md) {
		*ret_why = "AUTH method is not a signature method for the certificate's key";
		return TNC_EINVALID;
	}
	if (k == KEY_RSA) {
		err = digest_verify(key, md, octets, data.ptr, data.len);
	} else {
		uint8_t *der = NULL;
		size_t der_len = 0;
		if (data.len != 2 * ec_half(k)) {
			*ret_why = "ECDSA AUTH data is not r | s of the curve's length";
			return TNC_EINVALID;
		}
		err = ec_raw_to_der(data.ptr, ec_half(k), &der, &der_len);
		if (!err)
			err = digest_verify(key, md, octets, der, der_len);
		OPENSSL_free(der);
	}
	if (err)
		*ret_why = "signature of the AUTH does not verify with the certificate's key";
	return err;
}
