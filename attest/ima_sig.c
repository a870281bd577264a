/* ima_sig.c - IMA signature v2 checks and the keyring (see ima_sig.h). */
#include "ima_sig.h"

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"

#define SIG_HDR_LEN 9           /* type, version, hash_algo, keyid[4], sig_size[2] */
#define EVM_IMA_XATTR_DIGSIG 3  /* ima-evm-utils' signature types */
#define DIGSIG_VERSION_2 2

struct ima_key {
	EVP_PKEY *pkey;
	uint32_t keyid;
	char *label;
};

struct ima_keyring {
	size_t n;
	struct ima_key keys[IMA_KEYS_MAX];
};

/* The kernel's enum hash_algo (include/uapi/linux/hash_info.h) for the
 * algorithms a signature may use here. */
static const struct {
	uint8_t kernel;
	enum digest_alg alg;
} hash_algos[] = {
    {2, DIGEST_SHA1},
    {4, DIGEST_SHA256},
    {5, DIGEST_SHA384},
    {6, DIGEST_SHA512},
};

const char *
ima_sig_status_name(enum ima_sig_status s)
{
	static const char *const names[IMA_SIG_STATUS_COUNT] = {
	    [IMA_SIG_NONE] = "none",
	    [IMA_SIG_UNCHECKED] = "unchecked",
	    [IMA_SIG_VALID] = "valid",
	    [IMA_SIG_INVALID] = "INVALID",
	    [IMA_SIG_NO_KEY] = "no-key-with-this-keyid",
	    [IMA_SIG_MALFORMED] = "MALFORMED",
	    [IMA_SIG_UNSUPPORTED] = "unsupported",
	};
	return names[s];
}

struct ima_keyring *
ima_keyring_new(void)
{
	struct ima_keyring *k = calloc(1, sizeof(*k));
	if (!k)
		abort();
	return k;
}

void
ima_keyring_free(struct ima_keyring *k)
{
	if (!k)
		return;
	for (size_t i = 0; i < k->n; i++) {
		EVP_PKEY_free(k->keys[i].pkey);
		free(k->keys[i].label);
	}
	free(k);
}

/* A PEM or DER public key or certificate; NULL if buf is none of them. */
static EVP_PKEY *
load_key(const uint8_t *buf, size_t len)
{
	const unsigned char *p = buf;
	EVP_PKEY *pkey = NULL;
	X509 *x = NULL;
	BIO *bio;

	if (len > INT32_MAX)
		return NULL;
	if (!(bio = BIO_new_mem_buf(buf, (int)len)))
		abort();
	pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	if (!pkey && BIO_reset(bio) == 1 && (x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		pkey = X509_get_pubkey(x);
	BIO_free(bio);
	X509_free(x);
	x = NULL;
	if (!pkey && (x = d2i_X509(NULL, &p, (long)len))) {
		pkey = X509_get_pubkey(x);
		X509_free(x);
	}
	p = buf;
	if (!pkey)
		pkey = d2i_PUBKEY(NULL, &p, (long)len);
	return pkey;
}

/* Last 4 bytes of SHA-1 over the DER public key, big-endian as in the header. */
static int
key_id(EVP_PKEY *pkey, uint32_t *ret)
{
	unsigned char *der = NULL, sha1[20];
	int n = i2d_PublicKey(pkey, &der);

	if (n <= 0)
		return TNC_EINVALID;
	if (!EVP_Digest(der, (size_t)n, sha1, NULL, EVP_sha1(), NULL))
		abort();
	OPENSSL_free(der);
	*ret = (uint32_t)sha1[16] << 24 | (uint32_t)sha1[17] << 16 | (uint32_t)sha1[18] << 8 | sha1[19];
	return 0;
}

int
ima_keyring_add(struct ima_keyring *k, const char *label, const uint8_t *buf, size_t len,
    uint32_t *ret_keyid, struct attest_error *err)
{
	EVP_PKEY *pkey;
	uint32_t id;

	if (k->n == IMA_KEYS_MAX)
		return attest_fail(err, TNC_ETOOLONG, 0, "%s: more than %d IMA keys", label,
		    IMA_KEYS_MAX);
	if (!(pkey = load_key(buf, len)))
		return attest_fail(err, TNC_EINVALID, 0,
		    "%s: not a PEM or DER public key or certificate", label);
	if ((EVP_PKEY_base_id(pkey) != EVP_PKEY_RSA && EVP_PKEY_base_id(pkey) != EVP_PKEY_EC) ||
	    key_id(pkey, &id)) {
		EVP_PKEY_free(pkey);
		return attest_fail(err, TNC_EINVALID, 0, "%s: not an RSA or EC key", label);
	}
	if (!(k->keys[k->n].label = strdup(label)))
		abort();
	k->keys[k->n].pkey = pkey;
	k->keys[k->n].keyid = id;
	k->n++;
	if (ret_keyid)
		*ret_keyid = id;
	return 0;
}

/* 1 valid, 0 refused (including a signature that is not even DER). */
static int
verify(EVP_PKEY *pkey, enum digest_alg a, struct bytes sig, struct bytes hash)
{
	static const char *const md_names[DIGEST_ALG_COUNT] = {"SHA1", "SHA256", "SHA384", "SHA512"};
	EVP_PKEY_CTX *c = EVP_PKEY_CTX_new(pkey, NULL);
	const EVP_MD *md = EVP_get_digestbyname(md_names[a]);
	int rc = 0;

	if (!c || !md)
		abort();
	if (EVP_PKEY_verify_init(c) == 1 && EVP_PKEY_CTX_set_signature_md(c, md) == 1 &&
	    (EVP_PKEY_base_id(pkey) != EVP_PKEY_RSA ||
	        EVP_PKEY_CTX_set_rsa_padding(c, RSA_PKCS1_PADDING) == 1))
		rc = EVP_PKEY_verify(c, sig.ptr, sig.len, hash.ptr, hash.len) == 1;
	EVP_PKEY_CTX_free(c);
	return rc;
}

static void
result(struct ima_sig_result *ret, enum ima_sig_status s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
result(struct ima_sig_result *ret, enum ima_sig_status s, const char *fmt, ...)
{
	va_list ap;

	ret->status = s;
	va_start(ap, fmt);
	vsnprintf(ret->reason, sizeof(ret->reason), fmt, ap);
	va_end(ap);
}

/* The header's hash_algo as enum digest_alg, or -1. */
static int
header_hash(uint8_t kernel)
{
	for (size_t i = 0; i < sizeof(hash_algos) / sizeof(hash_algos[0]); i++)
		if (hash_algos[i].kernel == kernel)
			return (int)hash_algos[i].alg;
	return -1;
}

void
ima_sig_check(const struct ima_keyring *keys, struct bytes sig, struct bytes file_alg,
    struct bytes file_hash, struct ima_sig_result *ret)
{
	const uint8_t *h = sig.ptr;
	struct bytes s;
	uint16_t size;

	/* field by field: this runs for every entry, most without a signature */
	ret->status = IMA_SIG_NONE;
	ret->keyid = ret->sig_len = 0;
	ret->hash = -1;
	ret->key_label = NULL;
	ret->reason[0] = '\0';
	if (sig.len == 0)
		return;
	if (sig.len < SIG_HDR_LEN) {
		result(ret, IMA_SIG_MALFORMED, "%zu bytes, shorter than a signature header", sig.len);
		return;
	}
	if (h[0] != EVM_IMA_XATTR_DIGSIG || h[1] != DIGSIG_VERSION_2) {
		result(ret, IMA_SIG_UNSUPPORTED, "signature type %u version %u", h[0], h[1]);
		return;
	}
	ret->keyid = (uint32_t)h[3] << 24 | (uint32_t)h[4] << 16 | (uint32_t)h[5] << 8 | h[6];
	ret->hash = header_hash(h[2]);
	size = (uint16_t)(h[7] << 8 | h[8]);
	s = (struct bytes){h + SIG_HDR_LEN, sig.len - SIG_HDR_LEN};
	ret->sig_len = (uint32_t)s.len;
	if (size != s.len) {
		result(ret, IMA_SIG_MALFORMED, "sig_size field %u but %zu bytes follow", size, s.len);
		return;
	}
	if (ret->hash < 0) {
		result(ret, IMA_SIG_UNSUPPORTED, "hash algorithm %u", h[2]);
		return;
	}
	/* the signature is over the file digest: of the same algorithm */
	if (!bytes_eq_str(file_alg, digest_name((enum digest_alg)ret->hash)) ||
	    file_hash.len != digest_size((enum digest_alg)ret->hash)) {
		result(ret, IMA_SIG_INVALID, "signature hash %s, file hash %.*s",
		    digest_name((enum digest_alg)ret->hash), (int)file_alg.len,
		    (const char *)file_alg.ptr);
		return;
	}
	if (!keys) {
		ret->status = IMA_SIG_UNCHECKED;
		return;
	}
	ret->status = IMA_SIG_NO_KEY;
	for (size_t i = 0; i < keys->n; i++) {
		if (keys->keys[i].keyid != ret->keyid)
			continue;
		ret->key_label = keys->keys[i].label;
		if (verify(keys->keys[i].pkey, (enum digest_alg)ret->hash, s, file_hash)) {
			ret->status = IMA_SIG_VALID;
			return;
		}
		result(ret, IMA_SIG_INVALID, "the signature does not verify with %s",
		    keys->keys[i].label);
	}
}
