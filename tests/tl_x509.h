/* tl_x509.h - certificates and a TLS server context for the EAP-TTLS
 * tests (test_eap_peer, test_eap_server, test_ttls_server), made in memory. */
#ifndef TL_X509_H
#define TL_X509_H

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

/* A P-256 key (in *ret_key) and a certificate for it with subject
 * "O=strongSec, CN=cn" (no CN when cn is NULL), signed by issuer with
 * issuer_key, or a self-signed CA certificate when issuer is NULL. */
X509 *tl_x509_cert(const char *cn, EVP_PKEY **ret_key, X509 *issuer, EVP_PKEY *issuer_key);
/* A server's context as tnc-ike's: TLS 1.2 at least, no session tickets
 * (of no use in EAP-TTLS; in TLS 1.3 they would cost a round trip of their
 * own after the handshake), a certificate for cn from issuer. */
SSL_CTX *tl_x509_server_ctx(const char *cn, X509 *issuer, EVP_PKEY *issuer_key);

#endif
