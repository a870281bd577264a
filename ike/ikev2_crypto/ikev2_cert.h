/* ikev2_cert.h - the peer's certificate from a CERT payload (RFC 7296 3.6,
 * encoding 4: one DER X.509 certificate) checked for signature AUTH: it
 * chains to a trust anchor, names the peer's ID (RFC 4945 3.1: an FQDN a
 * dNSName, an IPv4 address an iPAddress, an RFC 822 address an rfc822Name
 * of the subjectAltName; a DER_ASN1_DN the subject), and optionally the
 * host name or address the caller expects. */
#ifndef TNC_IKEV2_CERT_H
#define TNC_IKEV2_CERT_H

#include <stdint.h>

#include <openssl/types.h>

#include "err.h"
#include "wire.h"

/* 0 with the certificate's public key in *ret_key (the caller frees it);
 * TNC_EINVALID with *ret_why (naming what is wrong) otherwise.  id_type and
 * id: the peer's ID payload (enum ikev2_id_type, its data); host: NULL or
 * the name or address the certificate must also carry. */
int ikev2_cert_check(X509_STORE *trust, struct bytes der, uint8_t id_type, struct bytes id,
    const char *host, EVP_PKEY **ret_key, const char **ret_why) TNC_MUST_CHECK;

#endif
