/* tls_conn.h - one accepted TCP connection with TLS on top (OpenSSL with
 * memory BIOs driven by libuv).  Plaintext in and out; the PT-TLS layer sits
 * above.
 *
 * Bounds a client cannot lift: reading stops while more than out_pause
 * bytes wait to be written to it and resumes below half of that; past
 * out_max queued bytes the connection is dropped.  One deadline at a time,
 * set by the layer above.  A graceful close lingers at most
 * TLS_CONN_LINGER_MS for the queued output, then the socket is closed. */
#ifndef TNC_TLS_CONN_H
#define TNC_TLS_CONN_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <uv.h>

#include "err.h"

#define TLS_CONN_LINGER_MS 5000

struct tls_conn;

struct tls_conn_ops {
	void (*on_handshake)(struct tls_conn *c);
	/* Plaintext; never called while the connection is held. */
	void (*on_data)(struct tls_conn *c, const uint8_t *p, size_t n);
	/* The deadline set with tls_conn_set_deadline() passed. */
	void (*on_deadline)(struct tls_conn *c);
	/* Once, after the socket is closed; c is freed when it returns. */
	void (*on_close)(struct tls_conn *c, int err);
};

struct tls_conn_limits {
	size_t out_pause; /* queued output above which the client is not read */
	size_t out_max;   /* queued output above which the client is dropped */
};

/* Takes ownership of an accepted socket fd (closed on failure too); peer is
 * its address for logs. */
int tls_conn_accept(uv_loop_t *loop, SSL_CTX *ctx, int fd, const struct sockaddr *peer,
    const struct tls_conn_limits *lim, const struct tls_conn_ops *ops, void *data,
    struct tls_conn **ret) TNC_MUST_CHECK;
int tls_conn_write(struct tls_conn *c, const void *p, size_t n) TNC_MUST_CHECK;
/* While held, no plaintext is delivered and the socket is not read; on
 * release, what is buffered is delivered before anything new is read. */
void tls_conn_hold(struct tls_conn *c, bool hold);
/* on_deadline after ms (0: no deadline). */
void tls_conn_set_deadline(struct tls_conn *c, uint64_t ms);
/* Sends close_notify, flushes (bounded), closes; on_close follows. Idempotent. */
void tls_conn_close(struct tls_conn *c, int err);
/* Closes at once, discarding queued output; on_close follows. */
void tls_conn_abort(struct tls_conn *c, int err);

void *tls_conn_data(const struct tls_conn *c);
const char *tls_conn_peer(const struct tls_conn *c);     /* "127.0.0.1:40312" */
const char *tls_conn_identity(const struct tls_conn *c); /* client cert subject or "" */
const char *tls_conn_version(const struct tls_conn *c);  /* "TLSv1.3" */

#endif
