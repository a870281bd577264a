/* tls_conn.c - TLS over a libuv TCP handle (see tls_conn.h).  All socket
 * I/O is libuv's; OpenSSL only transforms bytes, through one BIO of our
 * own: it reads the bytes libuv put in rx and appends what it writes to
 * out, so no byte is copied between BIOs and no BIO buffer is grown,
 * cleared or cleansed per connection.
 * Output produced while plaintext is being delivered is written in one
 * go when the delivery ends (one write per round, not per record), and
 * straight from out when the socket takes it all (uv_try_write): a queued
 * write request, its copy and its callback only when it does not. */
#include "tls_conn.h"

#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "address.h"
#include "log.h"

#define READ_CHUNK 16384
#define OUT_FIRST 4096      /* out's first size; a handshake flight fits */
#define OUT_KEEP (2 * READ_CHUNK) /* a larger out is given back once written */

struct tls_conn {
	uv_tcp_t tcp;
	uv_timer_t timer;     /* the deadline, or the linger of a graceful close */
	SSL *ssl;               /* reads and writes through conn_bio */
	const struct tls_conn_ops *ops; /* NULL: failed in tls_conn_accept, no callback */
	void *data;
	struct tls_conn_limits lim;
	bool handshake_done;
	bool closing;         /* no more reads or writes; close_err is final */
	bool handles_closing; /* uv_close() issued */
	bool held;            /* the layer above takes no data */
	bool out_paused;      /* too much output queued: not reading */
	bool reading;         /* uv_read_start() in effect */
	unsigned pumping;     /* inside pump(): output is flushed when it ends */
	int close_err;
	int handles_open;
	uv_shutdown_t shutdown_req;
	size_t queued;        /* bytes handed to libuv, not yet written */
	uint8_t *out;         /* what OpenSSL wrote, not yet handed to libuv */
	size_t out_len, out_cap;
	size_t rx_off, rx_len; /* rx[rx_off..rx_len): read, not yet taken by OpenSSL */
	char peer[64];
	char identity[256];
	uint8_t rx[READ_CHUNK];
};

/* Output the socket did not take at once, waiting in libuv's queue. */
struct write_req {
	uv_write_t req;
	struct tls_conn *c;
	uint8_t *buf;         /* the former out, freed when written */
	size_t len;           /* bytes queued from it */
};

static void update_reading(struct tls_conn *c);

static void
on_handle_closed(uv_handle_t *h)
{
	struct tls_conn *c = h->data;
	if (--c->handles_open > 0)
		return;
	if (c->ops)
		c->ops->on_close(c, c->close_err);
	SSL_free(c->ssl);
	free(c->out);
	free(c);
}

/* conn_bio: OpenSSL's side of rx and out.  Reading an empty rx asks to
 * retry (SSL_ERROR_WANT_READ), as a memory BIO does; writing never fails
 * (check_backlog bounds out). */
static int
conn_bio_read(BIO *b, char *p, int n)
{
	struct tls_conn *c = BIO_get_data(b);
	size_t take = c->rx_len - c->rx_off;
	BIO_clear_retry_flags(b);
	if (take == 0) {
		BIO_set_retry_read(b);
		return -1;
	}
	if (n <= 0)
		return 0;
	if (take > (size_t)n)
		take = (size_t)n;
	memcpy(p, c->rx + c->rx_off, take);
	c->rx_off += take;
	return (int)take;
}

static int
conn_bio_write(BIO *b, const char *p, int n)
{
	struct tls_conn *c = BIO_get_data(b);
	BIO_clear_retry_flags(b);
	if (n <= 0)
		return 0;
	if (c->out_cap - c->out_len < (size_t)n) {
		size_t cap = c->out_cap ? c->out_cap : OUT_FIRST;
		while (cap - c->out_len < (size_t)n)
			cap *= 2;
		uint8_t *q = realloc(c->out, cap);
		if (!q)
			abort();
		c->out = q;
		c->out_cap = cap;
	}
	memcpy(c->out + c->out_len, p, (size_t)n);
	c->out_len += (size_t)n;
	return n;
}

static long
conn_bio_ctrl(BIO *b, int cmd, long num, void *ptr)
{
	const struct tls_conn *c = BIO_get_data(b);
	switch (cmd) {
	case BIO_CTRL_FLUSH:
		return 1; /* flush_out() follows every OpenSSL call that writes */
	case BIO_CTRL_PENDING:
		return (long)(c->rx_len - c->rx_off);
	case BIO_CTRL_WPENDING:
		return (long)c->out_len;
	default:
		return 0; /* no kTLS, no datagrams, nothing to duplicate */
	}
}

/* Made on the first connection, kept for the life of the process. */
static const BIO_METHOD *
conn_bio_method(void)
{
	static BIO_METHOD *m;
	if (!m) {
		m = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "tls_conn");
		if (!m || !BIO_meth_set_read(m, conn_bio_read) ||
		    !BIO_meth_set_write(m, conn_bio_write) || !BIO_meth_set_ctrl(m, conn_bio_ctrl))
			abort();
	}
	return m;
}

static void
shut(struct tls_conn *c, int err)
{
	if (c->handles_closing)
		return;
	c->handles_closing = true;
	if (!c->closing) {
		c->closing = true;
		c->close_err = err;
	}
	uv_timer_stop(&c->timer);
	uv_close((uv_handle_t *)&c->timer, on_handle_closed);
	uv_close((uv_handle_t *)&c->tcp, on_handle_closed);
}

static size_t
backlog(const struct tls_conn *c)
{
	return c->queued + c->out_len;
}

/* Pauses or resumes reading by the output backlog; drops past out_max. */
static int
check_backlog(struct tls_conn *c)
{
	size_t n = backlog(c);
	if (n > c->lim.out_max) {
		LOG(NET, 1, "%s does not read: %zu bytes queued for it, dropping the connection",
		    c->peer, n);
		return TNC_ETOOLONG;
	}
	bool pause = c->out_paused ? n > c->lim.out_pause / 2 : n > c->lim.out_pause;
	if (pause != c->out_paused) {
		c->out_paused = pause;
		LOG(NET, 3, "%s: %zu bytes queued, %s reading", c->peer, n,
		    pause ? "pausing" : "resuming");
	}
	return 0;
}

static void pump_or_shut(struct tls_conn *c);

static void
on_written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	struct tls_conn *c = w->c;
	c->queued -= w->len;
	free(w->buf);
	free(w);
	if (c->closing || !c->out_paused)
		return;
	(void)check_backlog(c);
	if (!c->out_paused)
		pump_or_shut(c); /* what was buffered while paused, then the socket */
}

/* Moves whatever OpenSSL produced to the socket: written at once when
 * nothing is queued before it and the socket takes it, else queued (the
 * buffer goes with the request; out starts afresh). */
static int
flush_out(struct tls_conn *c)
{
	size_t sent = 0;
	if (c->out_len == 0)
		return 0;
	if (c->queued == 0) {
		uv_buf_t buf = uv_buf_init((char *)c->out, (unsigned)c->out_len);
		int n = uv_try_write((uv_stream_t *)&c->tcp, &buf, 1);
		if (n < 0 && n != UV_EAGAIN)
			return n;
		sent = n > 0 ? (size_t)n : 0;
	}
	if (sent == c->out_len) {
		c->out_len = 0;
		if (c->out_cap > OUT_KEEP) {
			free(c->out);
			c->out = NULL;
			c->out_cap = 0;
		}
		return 0;
	}
	struct write_req *w = malloc(sizeof(*w));
	if (!w)
		abort();
	w->c = c;
	w->buf = c->out;
	w->len = c->out_len - sent;
	uv_buf_t buf = uv_buf_init((char *)c->out + sent, (unsigned)w->len);
	int err = uv_write(&w->req, (uv_stream_t *)&c->tcp, &buf, 1, on_written);
	if (err) {
		free(w);
		return err;
	}
	c->out = NULL;
	c->out_len = c->out_cap = 0;
	c->queued += w->len;
	return 0;
}

static void
note_identity(struct tls_conn *c)
{
	X509 *cert = SSL_get0_peer_certificate(c->ssl);
	if (cert)
		X509_NAME_oneline(X509_get_subject_name(cert), c->identity, sizeof(c->identity));
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

/* Runs the handshake, then delivers plaintext until OpenSSL wants more
 * bytes, the layer above holds, or the output backlog pauses reading. */
static int
pump(struct tls_conn *c)
{
	int err = 0;
	if (!c->handshake_done) {
		int r = SSL_do_handshake(c->ssl);
		if (r == 1) {
			c->handshake_done = true;
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
	while (!c->closing && !c->held && !c->out_paused) {
		uint8_t buf[READ_CHUNK];
		int n = SSL_read(c->ssl, buf, sizeof(buf));
		if (n <= 0) {
			err = tls_failed(c, n, "read");
			break;
		}
		c->ops->on_data(c, buf, (size_t)n);
		if (!err && !c->closing)
			err = check_backlog(c);
		if (err)
			break;
	}
	if (c->closing)
		return 0; /* the layer above closed; tls_conn_close() flushed */
	int ferr = flush_out(c);
	return err ? err : ferr;
}

static void
pump_or_shut(struct tls_conn *c)
{
	c->pumping++;
	int err = pump(c);
	c->pumping--;
	if (err) {
		shut(c, err == TNC_ECLOSED ? 0 : err);
		return;
	}
	update_reading(c);
}

/* Reads go behind what OpenSSL has not taken yet (nothing, unless a
 * delivery stopped early; then reading stopped too). */
static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct tls_conn *c = h->data;
	memmove(c->rx, c->rx + c->rx_off, c->rx_len - c->rx_off);
	c->rx_len -= c->rx_off;
	c->rx_off = 0;
	*buf = uv_buf_init((char *)c->rx + c->rx_len, (unsigned)(sizeof(c->rx) - c->rx_len));
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
	c->rx_len += (size_t)n; /* read into rx by on_alloc's buffer */
	pump_or_shut(c);
}

/* The socket is read while the layer above takes data and the client
 * takes what we write. */
static void
update_reading(struct tls_conn *c)
{
	bool want = !c->closing && !c->held && !c->out_paused;
	if (want == c->reading)
		return;
	int err = want ? uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) :
	    uv_read_stop((uv_stream_t *)&c->tcp);
	if (err) {
		shut(c, err);
		return;
	}
	c->reading = want;
}

static void
on_timer(uv_timer_t *t)
{
	struct tls_conn *c = t->data;
	if (c->closing) {
		LOG(NET, 2, "%s did not take the end of the connection in %u ms", c->peer,
		    TLS_CONN_LINGER_MS);
		shut(c, c->close_err);
		return;
	}
	c->ops->on_deadline(c);
}

int
tls_conn_accept(uv_loop_t *loop, SSL_CTX *ctx, int fd, const struct sockaddr *peer,
    const struct tls_conn_limits *lim, const struct tls_conn_ops *ops, void *data,
    struct tls_conn **ret)
{
	struct tls_conn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->data = data;
	c->lim = *lim;
	address_format(peer, c->peer, sizeof(c->peer));
	uv_tcp_init(loop, &c->tcp);
	uv_timer_init(loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->handles_open = 2;
	int err = uv_tcp_open(&c->tcp, fd);
	if (err) {
		close(fd); /* not the handle's yet */
	} else {
		c->ssl = SSL_new(ctx);
		BIO *bio = BIO_new(conn_bio_method());
		if (!c->ssl || !bio)
			abort();
		BIO_set_data(bio, c);
		BIO_set_init(bio, 1);
		SSL_set_bio(c->ssl, bio, bio); /* one reference for both directions */
		SSL_set_accept_state(c->ssl);
		uv_tcp_nodelay(&c->tcp, 1);
		update_reading(c);
		err = c->reading ? 0 : TNC_ECLOSED;
	}
	if (err) {
		/* both handles are open: close them; no callback for a connection
		 * the caller never got */
		shut(c, err);
		return err;
	}
	c->ops = ops;
	*ret = c;
	return 0;
}

int
tls_conn_write(struct tls_conn *c, const void *p, size_t n)
{
	if (c->closing || !c->handshake_done)
		return TNC_ESTATE;
	while (n > 0) {
		size_t done = 0;
		if (SSL_write_ex(c->ssl, p, n, &done) != 1)
			return tls_failed(c, 0, "write") ? TNC_EPEER : TNC_EAGAIN;
		p = (const uint8_t *)p + done;
		n -= done;
	}
	int err = check_backlog(c);
	if (err) {
		tls_conn_abort(c, err);
		return err;
	}
	if (c->pumping)
		return 0;
	err = flush_out(c);
	update_reading(c);
	return err;
}

void
tls_conn_hold(struct tls_conn *c, bool hold)
{
	if (c->closing || c->held == hold)
		return;
	c->held = hold;
	if (hold)
		update_reading(c);
	else if (!c->pumping)
		pump_or_shut(c); /* what OpenSSL holds already, then the socket */
}

void
tls_conn_set_deadline(struct tls_conn *c, uint64_t ms)
{
	if (c->closing)
		return;
	if (ms)
		uv_timer_start(&c->timer, on_timer, ms, 0);
	else
		uv_timer_stop(&c->timer);
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
	 * uv_close alone would cancel them.  The timer bounds the wait. */
	c->closing = true;
	c->close_err = err;
	update_reading(c);
	c->shutdown_req.data = c;
	if (uv_shutdown(&c->shutdown_req, (uv_stream_t *)&c->tcp, on_shutdown) != 0)
		shut(c, err);
	else
		uv_timer_start(&c->timer, on_timer, TLS_CONN_LINGER_MS, 0);
}

void
tls_conn_abort(struct tls_conn *c, int err)
{
	if (!c->closing) {
		c->closing = true;
		c->close_err = err;
	}
	shut(c, err);
}

void *tls_conn_data(const struct tls_conn *c) { return c->data; }
const char *tls_conn_peer(const struct tls_conn *c) { return c->peer; }
const char *tls_conn_identity(const struct tls_conn *c) { return c->identity; }
const char *tls_conn_version(const struct tls_conn *c) { return SSL_get_version(c->ssl); }
