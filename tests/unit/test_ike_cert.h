/* test_ike_cert.h - the certificates of the IKEv2 signature tests
 * (test_ikev2_sig.c, test_ike_sa_cert.c): one for a given key, naming a
 * subjectAltName, issued by a CA or self-signed (then a CA itself, as
 * tnc-ike's own gateway certificate is); and its DER.
 */
#ifndef TEST_IKE_CERT_H
#define TEST_IKE_CERT_H

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "testlib.h"

/* A certificate for key with subjectAltName san, signed by ca_key (self-
 * signed when ca is NULL). */
static X509 *
cert_for(EVP_PKEY *key, const char *cn, const char *san, X509 *ca, EVP_PKEY *ca_key)
{
	X509 *c = X509_new();
	X509V3_CTX v3;
	ck_assert_ptr_nonnull(c);
	X509_set_version(c, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c), 7);
	X509_gmtime_adj(X509_getm_notBefore(c), -60);
	X509_gmtime_adj(X509_getm_notAfter(c), 3600);
	X509_set_pubkey(c, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_ASC,
	    (const unsigned char *)cn, -1, -1, 0);
	X509_set_issuer_name(c, X509_get_subject_name(ca ? ca : c));
	X509V3_set_ctx(&v3, ca ? ca : c, c, NULL, NULL, 0);
	X509_EXTENSION *ext = X509V3_EXT_conf_nid(NULL, &v3, NID_subject_alt_name, san);
	ck_assert_ptr_nonnull(ext);
	X509_add_ext(c, ext, -1);
	X509_EXTENSION_free(ext);
	if (!ca) {
		ext = X509V3_EXT_conf_nid(NULL, &v3, NID_basic_constraints, "critical,CA:TRUE");
		ck_assert_ptr_nonnull(ext);
		X509_add_ext(c, ext, -1);
		X509_EXTENSION_free(ext);
	}
	ck_assert_int_gt(X509_sign(c, ca ? ca_key : key, EVP_sha256()), 0);
	return c;
}

/* c's DER in *buf (OPENSSL_free() it). */
static struct bytes
der_of(X509 *c, uint8_t **buf)
{
	*buf = NULL;
	int len = i2d_X509(c, buf);
	ck_assert_int_gt(len, 0);
	return (struct bytes){*buf, (size_t)len};
}

#endif
