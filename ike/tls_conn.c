/* tls_conn.c - TLS over a libuv TCP handle with OpenSSL memory BIOs (see
 * tls_conn.h).  All socket I/O is libuv's; OpenSSL only transforms bytes. */
#include "tls_conn.h"

#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "log.h"

#define READ_CHUNK 16384

struct tls_conn {
	uv_tcp_t tcp;
	uv_timer_t idle;
	unsigned idle_ms;
	SSL *ssl;
	BIO *in, *out;
	const struct tls_conn_ops *ops;
	void *data;
	int handshake_done;
	int closing;          /* no more reads or writes; close_err is final */
	int handles_closing;  /* uv_close() issued */
	int close_err;
	int handles_open;
	uv_shutdown_t shutdown_req;
	size_t queued;
	char peer[64];
	char identity[256];
	char rx[READ_CHUNK];
};

struct write_req {
	uv_write_t req;
	struct tls_conn *c;
	size_t len;
	char data[];
};

static void
on_handle_closed(uv_handle_t *h)
{
	struct tls_conn *c = h->data;
	if (--c->handles_open > 0)
		return;
	c->ops->on_close(c, c->close_err);
	SSL_free(c->ssl);
	free(c);
}

static void
shut(struct tls_conn *c, int err)
{
	if (c->handles_closing)
		return;
	c->handles_closing = 1;
	if (!c->closing) {
		c->closing = 1;
		c->close_err = err;
	}
	uv_timer_stop(&c->idle);
	uv_close((uv_handle_t *)&c->idle, on_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static void
on_written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	w->c->queued -= w->len;
	free(w);
}

/* Moves whatever OpenSSL produced to the socket. */
static int
flush_out(struct tls_conn *c)
{
	int pending;
	while ((pending = BIO_pending(c->out)) > 0) {
		struct write_req *w = malloc(sizeof(*w) + (size_t)pending);
		if (!w)
			abort();
		int n = BIO_read(c->out, w->data, pending);
		if (n <= 0) {
			free(w);
			return TNC_EINVALID;
		}
		w->c = c;
		w->len = (size_t)n;
		uv_buf_t buf = uv_buf_init(w->data, (unsigned)n);
		int err = uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_written);
		if (err) {
			free(w);
			return err;
		}
		c->queued += (size_t)n;
	}
	return 0;
}

static void
note_identity(struct tls_conn *c)
{
	X509 *cert = SSL_get1_peer_certificate(c->ssl);
	if (!cert)
		return;
	X509_NAME_oneline(X509_get_subject_name(cert), c->identity, sizeof(c->identity));
	X509_free(cert);
}

static int
tls_failed(struct tls_conn *c, int ret, const char *what)
{
	int e = SSL_get_error(c->ssl, ret);
	if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE)
		return 0;
	if (e == SSL_ERROR_ZERO_RETURN)
		return TNC_ECLOSED;
	char buf[256] = "";
	unsigned long code = ERR_get_error();
	if (code)
		ERR_error_string_n(code, buf, sizeof(buf));
	LOG(TLS, 1, "TLS %s with %s failed: %s", what, c->peer, code ? buf : "protocol error");
	ERR_clear_error();
	return TNC_EPEER;
}

static int
pump(struct tls_conn *c)
{
	int err = 0;
	if (!c->handshake_done) {
		int r = SSL_do_handshake(c->ssl);
		if (r == 1) {
			c->handshake_done = 1;
			note_identity(c);
			LOG(TLS, 2, "%s handshake with %s done, cipher %s", SSL_get_version(c->ssl),
			    c->peer, SSL_get_cipher_name(c->ssl));
		} else {
			err = tls_failed(c, r, "handshake");
		}
		int ferr = flush_out(c);
		if (err || ferr || !c->handshake_done)
			return err ? err : ferr;
		c->ops->on_handshake(c);
	}
	for (;;) {
		uint8_t buf[READ_CHUNK];
		int n = SSL_read(c->ssl, buf, sizeof(buf));
		if (n <= 0) {
			err = tls_failed(c, n, "read");
			break;
		}
		c->ops->on_data(c, buf, (size_t)n);
		if (c->closing)
			return 0;
	}
	int ferr = flush_out(c);
	return err ? err : ferr;
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct tls_conn *c = h->data;
	*buf = uv_buf_init(c->rx, sizeof(c->rx));
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct tls_conn *c = s->data;
	if (n < 0) {
		shut(c, n == UV_EOF ? 0 : (int)n);
		return;
	}
	if (n == 0 || c->closing)
		return;
	uv_timer_again(&c->idle);
	if (BIO_write(c->in, buf->base, (int)n) != n) {
		shut(c, TNC_EINVALID);
		return;
	}
	int err = pump(c);
	if (err)
		shut(c, err == TNC_ECLOSED ? 0 : err);
}

static void
on_idle(uv_timer_t *t)
{
	struct tls_conn *c = t->data;
	if (c->closing)
		return; /* a graceful close is under way */
	LOG(NET, 1, "connection from %s idle for %u ms, closing", c->peer, c->idle_ms);
	shut(c, TNC_ETIMEOUT);
}

int
tls_conn_accept(uv_loop_t *loop, SSL_CTX *ctx, int fd, unsigned idle_timeout_ms,
    const struct tls_conn_ops *ops, void *data, struct tls_conn **ret)
{
	struct tls_conn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->ops = ops;
	c->data = data;
	c->idle_ms = idle_timeout_ms;
	uv_tcp_init(loop, &c->tcp);
	uv_timer_init(loop, &c->idle);
	c->tcp.data = c->idle.data = c;
	c->handles_open = 2;
	struct sockaddr_storage ss;
	socklen_t sslen = sizeof(ss);
	if (getpeername(fd, (struct sockaddr *)&ss, &sslen) == 0)
		address_format((struct sockaddr *)&ss, c->peer, sizeof(c->peer));
	int err = uv_tcp_open(&c->tcp, fd);
	if (!err) {
		c->ssl = SSL_new(ctx);
		c->in = BIO_new(BIO_s_mem());
		c->out = BIO_new(BIO_s_mem());
		if (!c->ssl || !c->in || !c->out)
			abort();
		SSL_set_bio(c->ssl, c->in, c->out);
		SSL_set_accept_state(c->ssl);
		uv_tcp_nodelay(&c->tcp, 1);
		err = uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
	}
	if (err) {
		c->ops = NULL;
		close(fd);
		free(c);
		return err;
	}
	uv_timer_start(&c->idle, on_idle, idle_timeout_ms, idle_timeout_ms);
	*ret = c;
	return 0;
}

int
tls_conn_write(struct tls_conn *c, const void *p, size_t n)
{
	if (c->closing || !c->handshake_done)
		return TNC_ESTATE;
	while (n > 0) {
		int chunk = n > 16384 ? 16384 : (int)n;
		int r = SSL_write(c->ssl, p, chunk);
		if (r <= 0)
			return tls_failed(c, r, "write") ? TNC_EPEER : TNC_EAGAIN;
		p = (const uint8_t *)p + r;
		n -= (size_t)r;
	}
	return flush_out(c);
}

static void
on_shutdown(uv_shutdown_t *req, int status)
{
	shut(req->data, 0); /* the error was recorded by tls_conn_close() */
}

void
tls_conn_close(struct tls_conn *c, int err)
{
	if (c->closing)
		return;
	if (c->handshake_done) {
		SSL_shutdown(c->ssl);
		(void)flush_out(c);
	}
	/* uv_shutdown waits for the queued writes (the last batch, close_notify);
	 * uv_close alone would cancel them. */
	c->closing = 1;
	c->close_err = err;
	uv_read_stop((uv_stream_t *)&c->tcp);
	c->shutdown_req.data = c;
	if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, on_shutdown) != 0)
		shut(c, err);
}

void *tls_conn_data(const struct tls_conn *c) { return c->data; }
const char *tls_conn_peer(const struct tls_conn *c) { return c->peer; }
const char *tls_conn_identity(const struct tls_conn *c) { return c->identity; }
const char *tls_conn_version(const struct tls_conn *c) { return SSL_get_version(c->ssl); }
size_t tls_conn_queued(const struct tls_conn *c) { return c->queued; }
