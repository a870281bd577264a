/* adm_key.c - public keys and certificates from PEM or DER files with
 * OpenSSL (see adm_key.h). */
#include "adm_key.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The file's bytes, at most ADM_KEY_FILE_MAX; NULL with err set. */
static uint8_t *
read_small(const char *path, size_t *ret_len, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	uint8_t *buf = malloc(ADM_KEY_FILE_MAX + 1);
	if (!buf)
		abort();
	size_t n = fread(buf, 1, ADM_KEY_FILE_MAX + 1, f);
	bool failed = ferror(f);
	fclose(f);
	if (failed || n == 0 || n > ADM_KEY_FILE_MAX) {
		snprintf(err, errlen, "%s: %s", path,
		    failed ? "cannot read" : n == 0 ? "empty" : "larger than any key or certificate");
		free(buf);
		return NULL;
	}
	*ret_len = n;
	return buf;
}

/* The public key of buf: PEM key, PEM certificate, DER key, DER certificate. */
static EVP_PKEY *
parse(const uint8_t *buf, size_t len, bool *ret_cert)
{
	EVP_PKEY *pkey = NULL;
	X509 *cert = NULL;
	BIO *bio = BIO_new_mem_buf(buf, (int)len);
	if (!bio)
		abort();
	if ((pkey = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL)))
		goto out;
	(void)BIO_reset(bio);
	if ((cert = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
		goto out;
	const unsigned char *p = buf;
	if ((pkey = d2i_PUBKEY(NULL, &p, (long)len)) && p == buf + len)
		goto out;
	EVP_PKEY_free(pkey);
	pkey = NULL;
	p = buf;
	if ((cert = d2i_X509(NULL, &p, (long)len)) && p != buf + len) {
		X509_free(cert);
		cert = NULL;
	}
out:
	if (cert)
		pkey = X509_get_pubkey(cert);
	*ret_cert = cert != NULL;
	X509_free(cert);
	BIO_free(bio);
	ERR_clear_error(); /* the forms tried before the one that fitted */
	return pkey;
}

int
adm_key_read(const char *path, struct adm_key *ret, char *err, size_t errlen)
{
	size_t len;
	*ret = (struct adm_key){0};
	uint8_t *buf = read_small(path, &len, err, errlen);
	if (!buf)
		return -1;
	ret->pkey = parse(buf, len, &ret->from_certificate);
	free(buf);
	if (!ret->pkey) {
		snprintf(err, errlen, "%s: neither a public key nor an X.509 certificate (PEM or DER)",
		    path);
		return -1;
	}
	int type = EVP_PKEY_get_base_id(ret->pkey);
	char group[64] = "";
	size_t glen = 0;
	if (type == EVP_PKEY_EC &&
	    !EVP_PKEY_get_utf8_string_param(ret->pkey, "group", group, sizeof(group), &glen))
		snprintf(group, sizeof(group), "(unnamed curve)");
	if (type == EVP_PKEY_RSA) {
		snprintf(ret->what, sizeof(ret->what), "RSA %d", EVP_PKEY_get_bits(ret->pkey));
	} else if (type == EVP_PKEY_EC) {
		snprintf(ret->what, sizeof(ret->what), "EC %s", group);
	} else {
		snprintf(err, errlen, "%s: a %s key, not RSA or EC", path,
		    OBJ_nid2sn(type) ? OBJ_nid2sn(type) : "unknown");
		adm_key_clear(ret);
		return -1;
	}
	int n = i2d_PUBKEY(ret->pkey, &ret->der);
	if (n <= 0) {
		snprintf(err, errlen, "%s: the public key does not encode", path);
		adm_key_clear(ret);
		return -1;
	}
	ret->der_len = (size_t)n;
	return 0;
}

void
adm_key_clear(struct adm_key *k)
{
	EVP_PKEY_free(k->pkey);
	OPENSSL_free(k->der);
	*k = (struct adm_key){0};
}

void
adm_key_aik_keyid(const struct adm_key *k, char hex[ADM_AIK_KEYID_HEX])
{
	uint8_t id[SHA_DIGEST_LENGTH];
	SHA1(k->der, k->der_len, id);
	for (size_t i = 0; i < sizeof(id); i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
}
