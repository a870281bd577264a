/* config_pem.h - tnc-ike's PEM files (tls_cert, tls_key, tls_ca) checked
 * the way tnc-ike loads them: the same OpenSSL calls on a TLS server
 * context, so a file tnc-ike would refuse at start is refused by
 * `tncd --check-config`, at tncd's start and at reload.  Each returns 0, or
 * -1 with the reason (path and OpenSSL's reason) in why. */
#ifndef TNC_CONFIG_PEM_H
#define TNC_CONFIG_PEM_H

#include <stddef.h>

/* A regular, readable file of at most 1 MiB holding a certificate chain. */
int config_pem_check_chain(const char *path, char *why, size_t size);
/* An unencrypted private key that matches the first certificate of cert_path. */
int config_pem_check_key(const char *path, const char *cert_path, char *why, size_t size);
/* At least one CA certificate. */
int config_pem_check_ca(const char *path, char *why, size_t size);

#endif
