/* pt_tls_server.c - PT-TLS server connections (see pt_tls_server.h).
 * RFC 6876 3.3: a client sends Version Request first; we answer Version
 * Response (version 1), then SASL Mechanisms with no mechanism (the TLS
 * handshake already authenticated what is required), and enter the data
 * transport phase in which each PB-TNC Batch message carries one batch. */
#include "pt_tls_server.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "pb_tnc.h"
#include "pt_tls.h"
#include "tls_conn.h"

enum ptc_state { PTC_TLS, PTC_NEGOTIATE, PTC_DATA, PTC_CLOSING };

struct ptconn {
	struct ptconn *next;
	struct tls_conn *tls;
	uint32_t id;          /* TNCCS Connection ID */
	enum ptc_state state;
	bool tnccs_knows;     /* TNCCS_OPEN sent, no TNCCS_CLOSE yet */
	uint32_t next_msg_id;
	uint8_t *rx;
	size_t rx_len, rx_cap;
};

static struct {
	struct child *child;
	struct pt_tls_settings cfg;
	uv_stream_t *listener;  /* owns the listening socket */
	uv_poll_t poll;
	bool polling;
	struct ptconn *conns;
	unsigned nconns;
	uint32_t next_id;
} srv;

static int
to_tnccs(uint32_t id, const struct ipc_msg *m)
{
	struct ipc_channel *ch = child_peer(srv.child, ROLE_TNCCS);
	int err = ch ? ipc_channel_send(ch, m, id, 0, 0, -1) : TNC_ECLOSED;
	if (err)
		LOG(IPC, 1, "cannot send '%s' of Connection ID %u to tnc-tnccs: %s",
		    ipc_type_name(m->type), id, tnc_strerror(err));
	return err;
}

static struct ptconn *
find(uint32_t id)
{
	for (struct ptconn *c = srv.conns; c; c = c->next)
		if (c->id == id)
			return c;
	return NULL;
}

static int
send_msg(struct ptconn *c, struct wire_writer *w, int put_err)
{
	int err = put_err ? put_err : tls_conn_write(c->tls, w->buf, w->len);
	wire_writer_clear(w);
	return err;
}

/* A PT-TLS Error for the message at m (hdr_len octets of it are copied). */
static void
send_error(struct ptconn *c, uint32_t code, const uint8_t *m, size_t len, bool fatal)
{
	struct wire_writer w;
	wire_writer_init(&w, 4096);
	size_t copy = len < 1024 ? len : 1024;
	LOG(TNC, 1, "Connection ID %u: sending PT-TLS error '%s'%s", c->id,
	    pt_tls_error_code_name(PT_TLS_VENDOR_IETF, code), fatal ? " and closing" : "");
	(void)send_msg(c, &w, pt_tls_put_error(&w, c->next_msg_id++, PT_TLS_VENDOR_IETF, code,
	    (struct bytes){m, copy}));
	if (fatal) {
		c->state = PTC_CLOSING;
		tls_conn_close(c->tls, TNC_EPEER);
	}
}

static void
open_with_tnccs(struct ptconn *c)
{
	const char *transport = "IF-T for TLS 2.0";
	const char *peer = tls_conn_peer(c->tls), *identity = tls_conn_identity(c->tls);
	struct ipc_msg m = {.type = IPC_TNCCS_OPEN};
	m.u.tnccs_open = (struct ipc_tnccs_open){
		.transport = {(const uint8_t *)transport, strlen(transport)},
		.peer = {(const uint8_t *)peer, strlen(peer)},
		.identity = {(const uint8_t *)identity, strlen(identity)},
		.max_batch = srv.cfg.max_batch,
		/* a batch holding one PB-PA */
		.max_msg = srv.cfg.max_batch - PB_BATCH_HEADER_LEN - PB_MSG_HEADER_LEN - PB_PA_HEADER_LEN,
	};
	if (to_tnccs(c->id, &m) == 0) {
		c->tnccs_knows = true;
		return;
	}
	c->state = PTC_CLOSING;
	tls_conn_close(c->tls, TNC_EAGAIN);
}

static void
negotiate(struct ptconn *c, const struct pt_tls_msg *m, const uint8_t *raw, size_t len)
{
	struct wire_writer w;
	if (m->hdr.vendor != PT_TLS_VENDOR_IETF || m->hdr.type != PT_TLS_VERSION_REQUEST) {
		send_error(c, PT_TLS_ERROR_INVALID_MESSAGE, raw, len, true);
		return;
	}
	const struct pt_tls_version_request *v = &m->u.version_request;
	if (v->min > PT_TLS_VERSION || v->max < PT_TLS_VERSION) {
		LOG(TNC, 1, "Connection ID %u: client wants PT-TLS versions %u..%u", c->id, v->min, v->max);
		send_error(c, PT_TLS_ERROR_VERSION_NOT_SUPPORTED, raw, len, true);
		return;
	}
	wire_writer_init(&w, 256);
	if (send_msg(c, &w, pt_tls_put_version_response(&w, c->next_msg_id++, PT_TLS_VERSION)))
		return;
	LOG(TNC, 2, "negotiated PT-TLS version %u", PT_TLS_VERSION);
	LOG(TNC, 2, "skipping SASL, the client is authenticated by TLS");
	wire_writer_init(&w, 256);
	if (send_msg(c, &w, pt_tls_put_sasl_mechanisms(&w, c->next_msg_id++, NULL, 0)))
		return;
	c->state = PTC_DATA;
	LOG(TNC, 2, "Connection ID %u: entering PT-TLS data transport phase", c->id);
	open_with_tnccs(c);
}

static void
handle_msg(struct ptconn *c, const uint8_t *raw, size_t len)
{
	struct pt_tls_msg m;
	struct parse_error pe;
	int err = pt_tls_parse(raw, len, &m, &pe);

	if (err) {
		LOG(TNC, 1, "Connection ID %u: bad PT-TLS message at offset %u: %s", c->id, pe.offset,
		    pe.reason ? pe.reason : tnc_strerror(err));
		/* RFC 6876 3.9: an unsupported type is answered, the session goes on */
		send_error(c, pe.code, raw, len, err != TNC_ETYPE);
		return;
	}
	LOG(TNC, 2, "received PT-TLS message #%u of type '%s' (%zu bytes)", m.hdr.id,
	    pt_tls_msg_type_name(m.hdr.vendor, m.hdr.type), len);
	if (c->state == PTC_NEGOTIATE) {
		negotiate(c, &m, raw, len);
		return;
	}
	if (m.hdr.vendor == PT_TLS_VENDOR_IETF && m.hdr.type == PT_TLS_ERROR) {
		LOG(TNC, 0, "Connection ID %u: the client reports PT-TLS error '%s'", c->id,
		    pt_tls_error_code_name(m.u.error.vendor, m.u.error.code));
		return;
	}
	if (m.hdr.vendor != PT_TLS_VENDOR_IETF || m.hdr.type != PT_TLS_PB_TNC_BATCH) {
		send_error(c, PT_TLS_ERROR_INVALID_MESSAGE, raw, len, true);
		return;
	}
	struct ipc_msg fwd = {.type = IPC_TNCCS_BATCH, .u.tnccs_batch.batch = m.u.batch};
	if (to_tnccs(c->id, &fwd) != 0) {
		/* a lost batch would stall the session: end it now instead */
		c->state = PTC_CLOSING;
		tls_conn_close(c->tls, TNC_EAGAIN);
	}
}

static void
on_data(struct tls_conn *t, const uint8_t *p, size_t n)
{
	struct ptconn *c = tls_conn_data(t);
	size_t limit = (size_t)srv.cfg.max_batch + PT_TLS_HEADER_LEN;

	if (c->state == PTC_CLOSING)
		return;
	if (c->rx_len + n > c->rx_cap) {
		size_t cap = c->rx_cap ? c->rx_cap : 16384;
		while (cap < c->rx_len + n)
			cap *= 2;
		if (cap > limit + 16384)
			cap = limit + 16384;
		if (cap < c->rx_len + n) { /* cannot happen: deframe refuses first */
			tls_conn_close(t, TNC_ETOOLONG);
			return;
		}
		uint8_t *q = realloc(c->rx, cap);
		if (!q)
			abort();
		c->rx = q;
		c->rx_cap = cap;
	}
	memcpy(c->rx + c->rx_len, p, n);
	c->rx_len += n;
	size_t off = 0;
	while (c->state != PTC_CLOSING) {
		size_t need;
		struct parse_error pe;
		int err = pt_tls_deframe(c->rx + off, c->rx_len - off, (uint32_t)limit, &need, &pe);
		if (err == TNC_EAGAIN)
			break;
		if (err) {
			LOG(TNC, 1, "Connection ID %u: PT-TLS message length refused: %s", c->id,
			    tnc_strerror(err));
			send_error(c, pe.code, c->rx + off, c->rx_len - off, true);
			return;
		}
		handle_msg(c, c->rx + off, need);
		off += need;
	}
	memmove(c->rx, c->rx + off, c->rx_len - off);
	c->rx_len -= off;
}

static void
on_handshake(struct tls_conn *t)
{
	struct ptconn *c = tls_conn_data(t);
	c->state = PTC_NEGOTIATE;
	LOG(TNC, 2, "Connection ID %u: %s established with %s%s%s, entering PT-TLS negotiation",
	    c->id, tls_conn_version(t), tls_conn_peer(t), tls_conn_identity(t)[0] ? " as " : "",
	    tls_conn_identity(t));
}

static void start_polling(void);

static void
on_close(struct tls_conn *t, int err)
{
	struct ptconn *c = tls_conn_data(t);
	struct ptconn **pp = &srv.conns;
	while (*pp != c)
		pp = &(*pp)->next;
	*pp = c->next;
	srv.nconns--;
	if (c->tnccs_knows) {
		const char *why = err ? tnc_strerror(err) : "the client closed the connection";
		struct ipc_msg m = {.type = IPC_TNCCS_CLOSE};
		m.u.tnccs_close = (struct ipc_tnccs_close){err, {(const uint8_t *)why, strlen(why)}};
		to_tnccs(c->id, &m); /* a failure is logged there; the client is gone anyway */
	}
	LOG(TNC, 1, "PT-TLS connection %u with %s terminates%s%s", c->id, tls_conn_peer(t),
	    err ? ": " : "", err ? tnc_strerror(err) : "");
	free(c->rx);
	free(c);
	start_polling(); /* below the connection limit again */
}

static const struct tls_conn_ops tls_ops = {on_handshake, on_data, on_close};

static void
on_acceptable(uv_poll_t *p, int status, int events)
{
	uv_os_fd_t lfd;
	if (status < 0 || uv_fileno((uv_handle_t *)srv.listener, &lfd) != 0)
		return;
	while (srv.nconns < srv.cfg.max_connections) {
		int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno != EAGAIN && errno != EINTR)
				LOG(NET, 1, "accept failed: %s", strerror(errno));
			return;
		}
		if (!child_peer(srv.child, ROLE_TNCCS)) {
			LOG(NET, 1, "refusing a PT-TLS connection: tnc-tnccs is not available");
			close(fd);
			continue;
		}
		struct ptconn *c = calloc(1, sizeof(*c));
		if (!c)
			abort();
		c->id = ++srv.next_id ? srv.next_id : ++srv.next_id;
		if (tls_conn_accept(p->loop, srv.cfg.tls, fd, srv.cfg.idle_timeout_ms, &tls_ops, c,
		    &c->tls) != 0) {
			free(c);
			continue;
		}
		c->next = srv.conns;
		srv.conns = c;
		srv.nconns++;
		LOG(TNC, 1, "accepting PT-TLS stream from %s as Connection ID %u",
		    tls_conn_peer(c->tls), c->id);
	}
	/* At the limit: leave further clients in the kernel's queue. */
	uv_poll_stop(&srv.poll);
	srv.polling = false;
	LOG(NET, 1, "%u PT-TLS connections: not accepting more for now", srv.nconns);
}

static void
start_polling(void)
{
	if (srv.listener && !srv.polling && srv.nconns < srv.cfg.max_connections) {
		uv_poll_start(&srv.poll, UV_READABLE, on_acceptable);
		srv.polling = true;
	}
}

void
pt_tls_server_init(struct child *c, const struct pt_tls_settings *s)
{
	srv.child = c;
	srv.cfg = *s;
}

void
pt_tls_server_listen(struct ipc_received *rx)
{
	char address[64];
	uv_os_fd_t fd;

	if (srv.listener || !rx->handle || uv_fileno((uv_handle_t *)rx->handle, &fd) != 0) {
		LOG(NET, 1, "ignoring a listening socket: %s",
		    srv.listener ? "already listening" : "no descriptor");
		return;
	}
	srv.listener = rx->handle; /* keeps the descriptor open */
	rx->handle = NULL;
	/* No listen() or bind() here (the sandbox has neither): tncd did both;
	 * readiness of the socket means a connection waits in accept4(). */
	uv_poll_init_socket(srv.child ? child_loop(srv.child) : NULL, &srv.poll, fd);
	start_polling();
	LOG(NET, 1, "accepting PT-TLS connections on %s",
	    bytes_cstr(rx->msg.u.ike_listener.address, address, sizeof(address)));
}

void
pt_tls_server_from_tnccs(struct ipc_received *rx)
{
	struct ptconn *c = find(rx->hdr.session);
	struct wire_writer w;

	if (!c)
		return; /* the client already left */
	switch (rx->hdr.type) {
	case IPC_TNCCS_BATCH:
		wire_writer_init(&w, (size_t)srv.cfg.max_batch + PT_TLS_HEADER_LEN);
		LOG(TNC, 2, "sending PT-TLS message #%u of type 'PB-TNC Batch' (%zu bytes)",
		    c->next_msg_id, rx->msg.u.tnccs_batch.batch.len + PT_TLS_HEADER_LEN);
		if (send_msg(c, &w, pt_tls_put_pb_batch(&w, c->next_msg_id++, rx->msg.u.tnccs_batch.batch)))
			tls_conn_close(c->tls, TNC_EINVALID);
		return;
	case IPC_TNCCS_RESULT:
		LOG(TNC, 1, "Connection ID %u (%s): access recommendation '%s', evaluation '%s'", c->id,
		    tls_conn_peer(c->tls), imv_recommendation_name(rx->msg.u.imv_recommend.recommendation),
		    imv_evaluation_name(rx->msg.u.imv_recommend.evaluation));
		return;
	case IPC_TNCCS_CLOSE:
		c->tnccs_knows = false;
		c->state = PTC_CLOSING;
		tls_conn_close(c->tls, 0);
		return;
	}
}

void
pt_tls_server_drop_all(const char *why)
{
	for (struct ptconn *c = srv.conns; c; c = c->next) {
		if (c->state == PTC_CLOSING)
			continue;
		LOG(TNC, 1, "closing PT-TLS connection %u: %s", c->id, why);
		c->tnccs_knows = false;
		c->state = PTC_CLOSING;
		tls_conn_close(c->tls, TNC_ECLOSED);
	}
}
