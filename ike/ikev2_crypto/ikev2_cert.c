/* ikev2_cert.c - the peer's certificate checked (see ikev2_cert.h). */
#include "ikev2_cert.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "ikev2.h"

/* Whether cert names the peer's ID. */
static bool
names_id(X509 *cert, uint8_t id_type, struct bytes id)
{
	const char *text = (const char *)id.ptr;

	switch (id_type) {
	case IKEV2_ID_FQDN:
		return id.len && X509_check_host(cert, text, id.len, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS,
		    NULL) == 1;
	case IKEV2_ID_RFC822_ADDR:
		return id.len && X509_check_email(cert, text, id.len, 0) == 1;
	case IKEV2_ID_IPV4_ADDR:
		return id.len == 4 && X509_check_ip(cert, id.ptr, 4, 0) == 1;
	case IKEV2_ID_IPV6_ADDR:
		return id.len == 16 && X509_check_ip(cert, id.ptr, 16, 0) == 1;
	case IKEV2_ID_DER_ASN1_DN: {
		const uint8_t *p = id.ptr;
		X509_NAME *dn = id.len ? d2i_X509_NAME(NULL, &p, (long)id.len) : NULL;
		const bool same = dn && p == id.ptr + id.len &&
		    X509_NAME_cmp(dn, X509_get_subject_name(cert)) == 0;
		X509_NAME_free(dn);
		return same;
	}
	default:
		return false;
	}
}

int
ikev2_cert_check(X509_STORE *trust, struct bytes der, uint8_t id_type, struct bytes id,
    const char *host, EVP_PKEY **ret_key, const char **ret_why)
{
	const uint8_t *p = der.ptr;
	X509 *cert = der.len ? d2i_X509(NULL, &p, (long)der.len) : NULL;
	X509_STORE_CTX *ctx = NULL;
	int err = TNC_EINVALID;

	*ret_key = NULL;
	if (!cert || p != der.ptr + der.len) {
		*ret_why = "CERT is not one DER X.509 certificate";
		goto out;
	}
	if (!(ctx = X509_STORE_CTX_new()) || X509_STORE_CTX_init(ctx, trust, cert, NULL) != 1) {
		*ret_why = "certificate verification not set up";
		goto out;
	}
	if (X509_verify_cert(ctx) != 1) {
		*ret_why = X509_verify_cert_error_string(X509_STORE_CTX_get_error(ctx));
		goto out;
	}
	if (!names_id(cert, id_type, id)) {
		*ret_why = "certificate does not name the IDr";
		goto out;
	}
	if (host && X509_check_ip_asc(cert, host, 0) != 1 &&
	    X509_check_host(cert, host, 0, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, NULL) != 1) {
		*ret_why = "certificate does not name the server";
		goto out;
	}
	if (!(*ret_key = X509_get_pubkey(cert))) {
		*ret_why = "certificate public key unreadable";
		goto out;
	}
	err = 0;
out:
	X509_STORE_CTX_free(ctx);
	X509_free(cert);
	return err;
}
