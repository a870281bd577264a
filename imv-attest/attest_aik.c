/* attest_aik.c - the AIK, its key id and its certificate chain (see
 * attest_aik.h). */
#include "attest_aik.h"

#include <dirent.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <string.h>

static X509_STORE *cas;
static unsigned ncas;

static bool
is_pem(struct bytes b)
{
	return b.len > 10 && !memcmp(b.ptr, "-----BEGIN", 10);
}

static X509 *
cert_from(struct bytes b)
{
	if (is_pem(b)) {
		BIO *bio = BIO_new_mem_buf(b.ptr, (int)b.len);
		X509 *x = bio ? PEM_read_bio_X509(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		return x;
	}
	const unsigned char *p = b.ptr;
	X509 *x = d2i_X509(NULL, &p, (long)b.len);
	if (x && p != b.ptr + b.len) {
		X509_free(x);
		return NULL;
	}
	return x;
}

static EVP_PKEY *
key_from(struct bytes b)
{
	if (is_pem(b)) {
		BIO *bio = BIO_new_mem_buf(b.ptr, (int)b.len);
		EVP_PKEY *k = bio ? PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL) : NULL;
		BIO_free(bio);
		return k;
	}
	const unsigned char *p = b.ptr;
	EVP_PKEY *k = d2i_PUBKEY(NULL, &p, (long)b.len);
	if (k && p != b.ptr + b.len) {
		EVP_PKEY_free(k);
		return NULL;
	}
	return k;
}

int
attest_aik_parse(const struct pa_pts_aik *a, struct attest_aik *ret, char *why, size_t size)
{
	memset(ret, 0, sizeof(*ret));
	if (a->naked) {
		ret->key = key_from(a->blob);
		if (!ret->key) {
			snprintf(why, size, "the AIK is not a public key");
			return TNC_EINVALID;
		}
	} else {
		ret->cert = cert_from(a->blob);
		ret->key = ret->cert ? X509_get_pubkey(ret->cert) : NULL;
		if (!ret->key) {
			snprintf(why, size, "the AIK certificate does not parse");
			attest_aik_clear(ret);
			return TNC_EINVALID;
		}
	}
	int id = EVP_PKEY_get_base_id(ret->key);
	if (id != EVP_PKEY_RSA && id != EVP_PKEY_EC) {
		snprintf(why, size, "the AIK is neither an RSA nor an EC key");
		attest_aik_clear(ret);
		return TNC_EINVALID;
	}
	unsigned char *der = NULL;
	int len = i2d_PUBKEY(ret->key, &der);
	if (len <= 0) {
		snprintf(why, size, "the AIK cannot be encoded");
		attest_aik_clear(ret);
		return TNC_EINVALID;
	}
	SHA1(der, (size_t)len, ret->keyid);
	OPENSSL_free(der);
	for (int i = 0; i < ATTEST_AIK_KEYID_LEN; i++)
		snprintf(ret->keyid_hex + 2 * i, 3, "%02x", ret->keyid[i]);
	return 0;
}

void
attest_aik_clear(struct attest_aik *k)
{
	EVP_PKEY_free(k->key);
	X509_free(k->cert);
	k->key = NULL;
	k->cert = NULL;
}

void
attest_aik_keyid_text(const struct attest_aik *k, char *out, size_t size)
{
	size_t n = 0;
	out[0] = 0;
	for (int i = 0; i < ATTEST_AIK_KEYID_LEN && n + 4 <= size; i++)
		n += (size_t)snprintf(out + n, size - n, "%s%02x", i ? ":" : "", k->keyid[i]);
}

int
attest_aik_load_cas(const char *dir, char *why, size_t size)
{
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(why, size, "cannot open '%s'", dir);
		return TNC_ECONFIG;
	}
	if (!cas)
		cas = X509_STORE_new();
	struct dirent *de;
	while ((de = readdir(d))) {
		char path[4096];
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		FILE *fp = fopen(path, "rb");
		if (!fp)
			continue;
		uint8_t buf[16384];
		size_t n = fread(buf, 1, sizeof(buf), fp);
		fclose(fp);
		X509 *x = cert_from((struct bytes){buf, n});
		if (!x)
			continue;
		if (X509_STORE_add_cert(cas, x) == 1)
			ncas++;
		X509_free(x);
	}
	closedir(d);
	return (int)ncas;
}

bool
attest_aik_have_cas(void)
{
	return ncas > 0;
}

void
attest_aik_free_cas(void)
{
	X509_STORE_free(cas);
	cas = NULL;
	ncas = 0;
}

bool
attest_aik_cert_trusted(const struct attest_aik *k, char *why, size_t size)
{
	if (!k->cert || !cas) {
		snprintf(why, size, k->cert ? "no AIK CA certificates are configured" :
		    "a bare AIK public key has no certificate chain");
		return false;
	}
	X509_STORE_CTX *ctx = X509_STORE_CTX_new();
	bool ok = ctx && X509_STORE_CTX_init(ctx, cas, k->cert, NULL) == 1 &&
	    X509_verify_cert(ctx) == 1;
	if (!ok)
		snprintf(why, size, "the AIK certificate does not verify: %s",
		    ctx ? X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx)) : "no memory");
	X509_STORE_CTX_free(ctx);
	return ok;
}
