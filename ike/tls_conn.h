/* tls_conn.h - one accepted TCP connection with TLS on top (OpenSSL with
 * memory BIOs driven by libuv).  Plaintext in and out; the PT-TLS layer sits
 * above. */
#ifndef TNC_TLS_CONN_H
#define TNC_TLS_CONN_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "err.h"

struct tls_conn;

struct tls_conn_ops {
	void (*on_handshake)(struct tls_conn *c);
	void (*on_data)(struct tls_conn *c, const uint8_t *p, size_t n);
	/* Once, after the socket is closed; c is freed when it returns. */
	void (*on_close)(struct tls_conn *c, int err);
};

/* Takes ownership of an accepted socket fd. */
int tls_conn_accept(uv_loop_t *loop, SSL_CTX *ctx, int fd, unsigned idle_timeout_ms,
    const struct tls_conn_ops *ops, void *data, struct tls_conn **ret) TNC_MUST_CHECK;
int tls_conn_write(struct tls_conn *c, const void *p, size_t n) TNC_MUST_CHECK;
/* Sends close_notify, flushes, closes; on_close follows. Idempotent. */
void tls_conn_close(struct tls_conn *c, int err);

void *tls_conn_data(const struct tls_conn *c);
const char *tls_conn_peer(const struct tls_conn *c);     /* "127.0.0.1:40312" */
const char *tls_conn_identity(const struct tls_conn *c); /* client cert subject or "" */
const char *tls_conn_version(const struct tls_conn *c);  /* "TLSv1.3" */
size_t tls_conn_queued(const struct tls_conn *c);

#endif
