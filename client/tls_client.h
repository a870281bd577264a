/* tls_client.h - one blocking TCP connection with an OpenSSL TLS client on
 * top, every step bounded by the overall deadline (deadline.h).
 *
 * The server certificate is always verified: against --ca, else against the
 * system's trust store, and its name or IP address against the host part of
 * the server address.  Failures are logged (TLS subsystem) with their reason.
 */
#ifndef TNC_TLS_CLIENT_H
#define TNC_TLS_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct tls_client;

struct tls_client_config {
	const char *server; /* "IPv4:port", "[IPv6]:port" or "name:port" */
	const char *ca;     /* PEM file of trust anchors; NULL: the system's */
	const char *cert;   /* client certificate chain (PEM) or NULL */
	const char *key;    /* its private key (PEM), with cert */
	int version;        /* TLS1_2_VERSION or TLS1_3_VERSION only; 0: 1.2 or later */
};

/* "[IPv6]:port", "IPv4:port", "name:port" -> host and port (1..65535);
 * TNC_EINVALID for anything else or parts longer than their buffers. */
int tls_client_parse_server(const char *server, char *host, size_t hsize, char *port,
    size_t psize) TNC_MUST_CHECK;
/* Connects, handshakes and verifies; *ret is owned by the caller. */
int tls_client_connect(const struct tls_client_config *cfg, struct tls_client **ret) TNC_MUST_CHECK;
/* Writes all n octets. */
int tls_client_write(struct tls_client *c, const void *p, size_t n) TNC_MUST_CHECK;
/* Reads 1..n octets into p; TNC_ECLOSED when the server closed the stream. */
int tls_client_read(struct tls_client *c, void *p, size_t n, size_t *ret_n) TNC_MUST_CHECK;
/* Sends close_notify (best effort), closes the socket, frees; NULL is a no-op. */
void tls_client_free(struct tls_client *c);

#endif
