/* tl_x509.c - see tl_x509.h. */
#include "tl_x509.h"

#include <openssl/x509v3.h>

#include "testlib.h"

X509 *
tl_x509_cert(const char *cn, EVP_PKEY **ret_key, X509 *issuer, EVP_PKEY *issuer_key)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	X509 *cert = X509_new();
	ck_assert(key && cert);
	X509_set_version(cert, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(cert), 7);
	X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
	X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
	X509_set_pubkey(cert, key);
	X509_NAME *name = X509_get_subject_name(cert);
	X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, (const unsigned char *)"strongSec", -1,
	    -1, 0);
	if (cn)
		X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, (const unsigned char *)cn, -1,
		    -1, 0);
	X509_set_issuer_name(cert, issuer ? X509_get_subject_name(issuer) : name);
	if (!issuer) {
		X509_EXTENSION *bc = X509V3_EXT_conf_nid(NULL, NULL, NID_basic_constraints,
		    "critical,CA:TRUE");
		ck_assert_ptr_nonnull(bc);
		ck_assert_int_eq(X509_add_ext(cert, bc, -1), 1);
		X509_EXTENSION_free(bc);
	}
	ck_assert(X509_sign(cert, issuer_key ? issuer_key : key, EVP_sha256()));
	*ret_key = key;
	return cert;
}

SSL_CTX *
tl_x509_server_ctx(const char *cn, X509 *issuer, EVP_PKEY *issuer_key)
{
	SSL_CTX *ctx = SSL_CTX_new(TLS_server_method());
	ck_assert_ptr_nonnull(ctx);
	SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION);
	SSL_CTX_set_options(ctx, SSL_OP_NO_TICKET);
	SSL_CTX_set_num_tickets(ctx, 0);
	EVP_PKEY *key;
	X509 *cert = tl_x509_cert(cn, &key, issuer, issuer_key);
	ck_assert_int_eq(SSL_CTX_use_certificate(ctx, cert), 1);
	ck_assert_int_eq(SSL_CTX_use_PrivateKey(ctx, key), 1);
	X509_free(cert);
	EVP_PKEY_free(key);
	return ctx;
}
