/* tpm_aik.c - creating, keeping and loading the AIK (see tpm_aik.h). */
#include "tpm_aik.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <tss2/tss2_mu.h>
#include <tss2/tss2_rc.h>

#include "tpm_int.h"

#define BLOB_MAX 4096 /* a marshaled TPM2B_PUBLIC or TPM2B_PRIVATE is far smaller */
#define RSA_DEFAULT_EXPONENT 65537

/* The SRK-like parent: TCG TPM v2.0 Provisioning Guidance's ECC storage
 * key template (restricted decryption key, AES-128-CFB, NIST P-256). */
static const TPM2B_PUBLIC parent_template = {
	.publicArea = {
		.type = TPM2_ALG_ECC,
		.nameAlg = TPM2_ALG_SHA256,
		.objectAttributes = TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT |
		    TPMA_OBJECT_SENSITIVEDATAORIGIN | TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA |
		    TPMA_OBJECT_RESTRICTED | TPMA_OBJECT_DECRYPT,
		.parameters.eccDetail = {
			.symmetric = {.algorithm = TPM2_ALG_AES, .keyBits.aes = 128,
			    .mode.aes = TPM2_ALG_CFB},
			.scheme.scheme = TPM2_ALG_NULL,
			.curveID = TPM2_ECC_NIST_P256,
			.kdf.scheme = TPM2_ALG_NULL,
		},
	},
};

/* A restricted signing key signs only digests the TPM computed itself
 * (quotes, certifications), which is what makes it an attestation key. */
#define AIK_ATTRIBUTES                                                              \
	(TPMA_OBJECT_FIXEDTPM | TPMA_OBJECT_FIXEDPARENT | TPMA_OBJECT_SENSITIVEDATAORIGIN | \
	    TPMA_OBJECT_USERWITHAUTH | TPMA_OBJECT_NODA | TPMA_OBJECT_RESTRICTED |         \
	    TPMA_OBJECT_SIGN_ENCRYPT)

static void
aik_template(enum tpm_aik_type type, TPM2B_PUBLIC *ret)
{
	memset(ret, 0, sizeof(*ret));
	TPMT_PUBLIC *p = &ret->publicArea;
	p->nameAlg = TPM2_ALG_SHA256;
	p->objectAttributes = AIK_ATTRIBUTES;
	if (type == TPM_AIK_RSA_2048) {
		p->type = TPM2_ALG_RSA;
		p->parameters.rsaDetail.symmetric.algorithm = TPM2_ALG_NULL;
		p->parameters.rsaDetail.scheme.scheme = TPM2_ALG_RSASSA;
		p->parameters.rsaDetail.scheme.details.rsassa.hashAlg = TPM2_ALG_SHA256;
		p->parameters.rsaDetail.keyBits = 2048;
		p->parameters.rsaDetail.exponent = 0; /* 65537 */
	} else {
		p->type = TPM2_ALG_ECC;
		p->parameters.eccDetail.symmetric.algorithm = TPM2_ALG_NULL;
		p->parameters.eccDetail.scheme.scheme = TPM2_ALG_ECDSA;
		p->parameters.eccDetail.scheme.details.ecdsa.hashAlg = TPM2_ALG_SHA256;
		p->parameters.eccDetail.curveID = TPM2_ECC_NIST_P256;
		p->parameters.eccDetail.kdf.scheme = TPM2_ALG_NULL;
	}
}

/* The public part as OpenSSL's key; NULL for shapes we do not make. */
static EVP_PKEY *
to_evp(const TPMT_PUBLIC *p)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM *params = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	EVP_PKEY *pkey = NULL;
	BIGNUM *n = NULL, *e = NULL;
	uint8_t point[1 + 2 * 32];
	const char *kind;
	bool ok;

	if (!bld)
		abort();
	if (p->type == TPM2_ALG_RSA) {
		const TPM2B_PUBLIC_KEY_RSA *m = &p->unique.rsa;
		UINT32 exp = p->parameters.rsaDetail.exponent;
		kind = "RSA";
		n = BN_bin2bn(m->buffer, m->size, NULL);
		e = BN_new();
		ok = n && e && m->size > 0 && BN_set_word(e, exp ? exp : RSA_DEFAULT_EXPONENT) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) &&
		    OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
	} else if (p->type == TPM2_ALG_ECC && p->parameters.eccDetail.curveID == TPM2_ECC_NIST_P256 &&
	    p->unique.ecc.x.size == 32 && p->unique.ecc.y.size == 32) {
		kind = "EC";
		point[0] = 0x04; /* SEC 1 uncompressed point */
		memcpy(point + 1, p->unique.ecc.x.buffer, 32);
		memcpy(point + 33, p->unique.ecc.y.buffer, 32);
		ok = OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) &&
		    OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY, point, sizeof(point));
	} else {
		ok = false;
		kind = NULL;
	}
	ok = ok && (params = OSSL_PARAM_BLD_to_param(bld)) &&
	    (ctx = EVP_PKEY_CTX_new_from_name(NULL, kind, NULL)) && EVP_PKEY_fromdata_init(ctx) > 0 &&
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0;
	if (!ok) {
		EVP_PKEY_free(pkey);
		pkey = NULL;
	}
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

/* Fills the key's DER, key id and type from its public area. */
static int
set_public(struct tpm_aik *k, const TPMT_PUBLIC *p)
{
	EVP_PKEY *pkey;
	unsigned char *der = NULL;
	int len;

	if (p->type == TPM2_ALG_RSA && p->parameters.rsaDetail.keyBits != 2048)
		return tpm_fail(k->t, TNC_EINVALID, "AIK: an RSA key of %u bits, not 2048",
		    p->parameters.rsaDetail.keyBits);
	if (!(pkey = to_evp(p)))
		return tpm_fail(k->t, TNC_EINVALID, "AIK: neither an RSA nor a NIST P-256 key");
	len = i2d_PUBKEY(pkey, &der);
	EVP_PKEY_free(pkey);
	if (len <= 0)
		return tpm_fail(k->t, TNC_EINVALID, "AIK: public key does not encode");
	k->der = der;
	k->der_len = (size_t)len;
	SHA1(der, (size_t)len, k->keyid);
	k->type = p->type == TPM2_ALG_RSA ? TPM_AIK_RSA_2048 : TPM_AIK_ECC_P256;
	return 0;
}

static int
create_parent(struct tpm *t, ESYS_TR *ret)
{
	TPM2B_SENSITIVE_CREATE sensitive = {0};
	TPM2B_DATA outside = {0};
	TPML_PCR_SELECTION creation_pcrs = {0};
	TSS2_RC rc = Esys_CreatePrimary(t->esys, ESYS_TR_RH_ENDORSEMENT, ESYS_TR_PASSWORD,
	    ESYS_TR_NONE, ESYS_TR_NONE, &sensitive, &parent_template, &outside, &creation_pcrs, ret,
	    NULL, NULL, NULL, NULL);

	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "TPM2_CreatePrimary (AIK parent, endorsement hierarchy)", rc);
	return 0;
}

static void
blob_path(char *out, size_t size, const char *dir, const char *name)
{
	snprintf(out, size, "%s/%s", dir, name);
}

/* A small file into buf; -ENOENT when there is none. */
static int
read_blob(struct tpm *t, const char *path, uint8_t *buf, size_t size, size_t *ret_len)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? -ENOENT : tpm_fail(t, -errno, "%s: %s", path, strerror(errno));
	n = read(fd, buf, size);
	close(fd);
	if (n < 0)
		return tpm_fail(t, -EIO, "%s: %s", path, strerror(errno));
	if ((size_t)n == size)
		return tpm_fail(t, TNC_ETOOLONG, "%s: larger than %zu bytes", path, size - 1);
	*ret_len = (size_t)n;
	return 0;
}

/* Writes path through a temporary file renamed into place, so a crash
 * leaves the old file or the new one. */
static int
write_file(struct tpm *t, const char *path, const void *data, size_t len, mode_t mode)
{
	char tmp[4096];
	int fd, err = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
	if (fd < 0)
		return tpm_fail(t, -errno, "%s: %s", tmp, strerror(errno));
	ssize_t n = write(fd, data, len);
	if (n != (ssize_t)len || fsync(fd) != 0)
		err = tpm_fail(t, -EIO, "%s: %s", tmp,
		    n >= 0 && n < (ssize_t)len ? "short write" : strerror(errno));
	if (close(fd) != 0 && !err)
		err = tpm_fail(t, -EIO, "%s: %s", tmp, strerror(errno));
	if (!err && rename(tmp, path) != 0)
		err = tpm_fail(t, -errno, "%s: %s", path, strerror(errno));
	if (err)
		unlink(tmp);
	return err;
}

static int
write_pem(struct tpm_aik *k, const char *path)
{
	const unsigned char *p = k->der;
	EVP_PKEY *pkey = d2i_PUBKEY(NULL, &p, (long)k->der_len);
	BIO *bio = BIO_new(BIO_s_mem());
	char *text;
	long len;
	int err;

	if (!pkey || !bio || !PEM_write_bio_PUBKEY(bio, pkey))
		abort(); /* our own DER, just made */
	len = BIO_get_mem_data(bio, &text);
	err = write_file(k->t, path, text, (size_t)len, 0644);
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	return err;
}

static int
save(struct tpm_aik *k, const char *dir, const TPM2B_PUBLIC *pub, const TPM2B_PRIVATE *priv)
{
	uint8_t pub_buf[BLOB_MAX], priv_buf[BLOB_MAX];
	size_t pub_len = 0, priv_len = 0;
	char path[4096];
	int err;

	if (Tss2_MU_TPM2B_PUBLIC_Marshal(pub, pub_buf, sizeof(pub_buf), &pub_len) != TSS2_RC_SUCCESS ||
	    Tss2_MU_TPM2B_PRIVATE_Marshal(priv, priv_buf, sizeof(priv_buf), &priv_len) !=
		TSS2_RC_SUCCESS)
		return tpm_fail(k->t, TNC_ETOOLONG, "AIK blobs do not marshal");
	/* aik.pub last: its presence says the pair is complete. */
	blob_path(path, sizeof(path), dir, "aik.priv");
	if ((err = write_file(k->t, path, priv_buf, priv_len, 0600)) < 0)
		return err;
	blob_path(path, sizeof(path), dir, "aik.pem");
	if ((err = write_pem(k, path)) < 0)
		return err;
	blob_path(path, sizeof(path), dir, "aik.pub");
	return write_file(k->t, path, pub_buf, pub_len, 0644);
}

static int
create(struct tpm_aik *k, ESYS_TR parent, const char *dir, enum tpm_aik_type type)
{
	TPM2B_SENSITIVE_CREATE sensitive = {0};
	TPM2B_DATA outside = {0};
	TPML_PCR_SELECTION creation_pcrs = {0};
	TPM2B_PUBLIC template, *pub = NULL;
	TPM2B_PRIVATE *priv = NULL;
	TSS2_RC rc;
	int err;

	aik_template(type, &template);
	rc = Esys_Create(k->t->esys, parent, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE,
	    &sensitive, &template, &outside, &creation_pcrs, &priv, &pub, NULL, NULL, NULL);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(k->t, "TPM2_Create (AIK)", rc);
	rc = Esys_Load(k->t->esys, parent, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, priv, pub,
	    &k->handle);
	if (rc != TSS2_RC_SUCCESS)
		err = tpm_fail_rc(k->t, "TPM2_Load (new AIK)", rc);
	else if ((err = set_public(k, &pub->publicArea)) == 0)
		err = save(k, dir, pub, priv);
	Esys_Free(pub);
	Esys_Free(priv);
	return err;
}

static int
load(struct tpm_aik *k, ESYS_TR parent, const char *dir, const uint8_t *pub_buf, size_t pub_len)
{
	uint8_t priv_buf[BLOB_MAX];
	size_t priv_len, off = 0;
	TPM2B_PUBLIC pub = {0};
	TPM2B_PRIVATE priv = {0};
	char path[4096];
	TSS2_RC rc;
	int err;

	blob_path(path, sizeof(path), dir, "aik.priv");
	err = read_blob(k->t, path, priv_buf, sizeof(priv_buf), &priv_len);
	if (err == -ENOENT)
		return tpm_fail(k->t, TNC_ENOTFOUND, "%s: missing, but aik.pub is there", path);
	if (err < 0)
		return err;
	if (Tss2_MU_TPM2B_PUBLIC_Unmarshal(pub_buf, pub_len, &off, &pub) != TSS2_RC_SUCCESS ||
	    off != pub_len)
		return tpm_fail(k->t, TNC_EINVALID, "%s/aik.pub: not a TPM2B_PUBLIC", dir);
	off = 0;
	if (Tss2_MU_TPM2B_PRIVATE_Unmarshal(priv_buf, priv_len, &off, &priv) != TSS2_RC_SUCCESS ||
	    off != priv_len)
		return tpm_fail(k->t, TNC_EINVALID, "%s: not a TPM2B_PRIVATE", path);
	if ((pub.publicArea.objectAttributes & AIK_ATTRIBUTES) != AIK_ATTRIBUTES)
		return tpm_fail(k->t, TNC_EINVALID, "%s/aik.pub: not a restricted signing key", dir);
	rc = Esys_Load(k->t->esys, parent, ESYS_TR_PASSWORD, ESYS_TR_NONE, ESYS_TR_NONE, &priv, &pub,
	    &k->handle);
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(k->t, -EIO,
		    "TPM2_Load (AIK of %s): %s - the TPM was cleared or is not the one that made it",
		    dir, Tss2_RC_Decode(rc));
	return set_public(k, &pub.publicArea);
}

int
tpm_aik_load(struct tpm *t, const char *state_dir, enum tpm_aik_type type, struct tpm_aik **ret)
{
	struct tpm_aik *k = calloc(1, sizeof(*k));
	uint8_t pub_buf[BLOB_MAX];
	size_t pub_len = 0;
	char path[4096];
	struct stat st;
	ESYS_TR parent;
	bool exists;
	int err;

	if (!k)
		abort();
	k->t = t;
	k->handle = ESYS_TR_NONE;
	if (stat(state_dir, &st) != 0) {
		err = tpm_fail(t, -errno, "state directory %s: %s", state_dir, strerror(errno));
		goto out;
	}
	if (!S_ISDIR(st.st_mode)) {
		err = tpm_fail(t, -ENOTDIR, "state directory %s: not a directory", state_dir);
		goto out;
	}
	blob_path(path, sizeof(path), state_dir, "aik.pub");
	err = read_blob(t, path, pub_buf, sizeof(pub_buf), &pub_len);
	if (err < 0 && err != -ENOENT)
		goto out;
	exists = err == 0;
	if ((err = create_parent(t, &parent)) < 0)
		goto out;
	err = exists ? load(k, parent, state_dir, pub_buf, pub_len) : create(k, parent, state_dir, type);
	/* The parent is only needed to load: free its TPM slot. */
	Esys_FlushContext(t->esys, parent);
out:
	if (err < 0) {
		tpm_aik_free(k);
		return err;
	}
	*ret = k;
	return 0;
}

void
tpm_aik_free(struct tpm_aik *k)
{
	if (!k)
		return;
	if (k->handle != ESYS_TR_NONE)
		Esys_FlushContext(k->t->esys, k->handle);
	OPENSSL_free(k->der);
	free(k);
}

enum tpm_aik_type
tpm_aik_type(const struct tpm_aik *k)
{
	return k->type;
}

const uint8_t *
tpm_aik_public_der(const struct tpm_aik *k, size_t *ret_len)
{
	*ret_len = k->der_len;
	return k->der;
}

const uint8_t *
tpm_aik_keyid(const struct tpm_aik *k)
{
	return k->keyid;
}
