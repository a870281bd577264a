/* pt_tls_server.c - PT-TLS server connections (see pt_tls_server.h).
 * RFC 6876 3.3: a client sends Version Request first; we answer Version
 * Response (version 1), then SASL Mechanisms: none (the TLS handshake
 * already authenticated what is required), or with `sasl = plain` PLAIN,
 * which the client must complete (sasl_server.h); then the data transport
 * phase, in which each PB-TNC Batch message carries one batch. */
#include "pt_tls_server.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "acceptor.h"
#include "ike_metrics.h"
#include "log.h"
#include "pb_tnc.h"
#include "pt_tls.h"
#include "ptconn.h"
#include "sasl_server.h"
#include "tnccs_link.h"

#define RX_CHUNK 16384       /* the most plaintext tls_conn delivers at once */
#define RX_KEEP (2 * RX_CHUNK) /* a larger buffer is given back once it is empty enough */
/* The largest message while a client authenticates: a PLAIN message takes
 * at most 789 octets; one with longer fields still fits, to be answered
 * with a SASL Result that names the field. */
#define SASL_MSG_MAX 4096

static struct {
	struct child *child;
	struct ike_settings cfg;
	SSL_CTX *tls;
	unsigned count;       /* connections with a client */
	size_t rx_total;      /* receive buffer bytes of all connections */
} srv;

/* What a receive buffer of cap bytes takes from the budget: the part
 * beyond RX_KEEP, which every connection may have (max_connections bounds
 * those). */
static size_t
rx_charge(size_t cap)
{
	return cap > RX_KEEP ? cap - RX_KEEP : 0;
}

/* Resizes c's receive buffer within the budget of all connections
 * (max_receive_buffers): many clients each holding a large partial
 * message must not take tnc-ike to its address-space limit, nor keep
 * others from a buffer of RX_KEEP.  false when the budget has no room. */
static bool
rx_resize(struct ptconn *c, size_t cap)
{
	size_t total = srv.rx_total - rx_charge(c->rx_cap) + rx_charge(cap);
	if (cap > c->rx_cap && total > srv.cfg.max_receive)
		return false;
	uint8_t *q = realloc(c->rx, cap);
	if (!q)
		abort();
	srv.rx_total = total;
	c->rx = q;
	c->rx_cap = cap;
	return true;
}

static uint64_t
now_ms(void)
{
	return uv_now(child_loop(srv.child));
}

/* The next deadline of c (pt_tls_server.h); none while it is held. */
static void
arm(struct ptconn *c)
{
	if (c->link.waiting || c->state == PTC_CLOSING)
		return;
	uint64_t due, now = now_ms();
	if (c->state != PTC_DATA) {
		due = c->accepted_at + srv.cfg.handshake_ms;
	} else {
		due = c->active_at + srv.cfg.idle_ms;
		if (c->partial_at && c->partial_at + srv.cfg.message_ms < due)
			due = c->partial_at + srv.cfg.message_ms;
	}
	tls_conn_set_deadline(c->tls, due > now ? due - now : 1);
}

static void
on_deadline(struct tls_conn *t)
{
	struct ptconn *c = tls_conn_data(t);
	if (c->state != PTC_DATA) {
		LOG(NET, 1, "Connection ID %u (%s): no PT-TLS data phase within %u ms, closing",
		    c->link.entry.id, tls_conn_peer(t), srv.cfg.handshake_ms);
		ike_metrics_refused("handshake_timeout");
	} else if (c->partial_at && now_ms() >= c->partial_at + srv.cfg.message_ms) {
		LOG(NET, 1, "Connection ID %u (%s): a PT-TLS message did not arrive whole within %u ms, "
		    "closing", c->link.entry.id, tls_conn_peer(t), srv.cfg.message_ms);
		ike_metrics_refused("message_timeout");
	} else {
		LOG(NET, 1, "Connection ID %u (%s): no PT-TLS message for %u ms, closing",
		    c->link.entry.id, tls_conn_peer(t), srv.cfg.idle_ms);
		ike_metrics_refused("idle_timeout");
	}
	c->state = PTC_CLOSING;
	tls_conn_abort(t, TNC_ETIMEOUT);
}

static void
end(struct ptconn *c, int err)
{
	c->state = PTC_CLOSING;
	tls_conn_close(c->tls, err);
}

static int
send_msg(struct ptconn *c, struct wire_writer *w, int put_err)
{
	int err = put_err ? put_err : tls_conn_write(c->tls, w->buf, w->len);
	wire_writer_clear(w);
	return err;
}

/* A PT-TLS Error for the message at m (up to 1024 octets of it are copied). */
static void
send_error(struct ptconn *c, uint32_t code, const uint8_t *m, size_t len, bool fatal)
{
	struct wire_writer w;
	wire_writer_init(&w, 4096);
	size_t copy = len < 1024 ? len : 1024;
	/* one line per answer to an unsupported type would let a client flood the log */
	LOG(TNC, fatal ? 1 : 2, "Connection ID %u: sending PT-TLS error '%s'%s", c->link.entry.id,
	    pt_tls_error_code_name(PT_TLS_VENDOR_IETF, code), fatal ? " and closing" : "");
	ike_metrics_pt_tls_error(code);
	int err = send_msg(c, &w, pt_tls_put_error(&w, c->next_msg_id++, PT_TLS_VENDOR_IETF, code,
	    (struct bytes){m, copy}));
	if (fatal || err)
		end(c, TNC_EPEER);
}

static void
enter_data_phase(struct ptconn *c)
{
	c->state = PTC_DATA;
	LOG(TNC, 2, "Connection ID %u: entering PT-TLS data transport phase", c->link.entry.id);
	int err = tnccs_link_open(&c->link);
	if (err)
		end(c, err);
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
		LOG(TNC, 1, "Connection ID %u: client wants PT-TLS versions %u..%u", c->link.entry.id,
		    v->min, v->max);
		send_error(c, PT_TLS_ERROR_VERSION_NOT_SUPPORTED, raw, len, true);
		return;
	}
	wire_writer_init(&w, 256);
	if (send_msg(c, &w, pt_tls_put_version_response(&w, c->next_msg_id++, PT_TLS_VERSION)))
		return;
	LOG(TNC, 2, "negotiated PT-TLS version %u", PT_TLS_VERSION);
	wire_writer_init(&w, 256);
	if (sasl_server_required()) {
		struct bytes mech = sasl_server_mechanism();
		if (send_msg(c, &w, pt_tls_put_sasl_mechanisms(&w, c->next_msg_id++, &mech, 1)))
			return;
		LOG(TNC, 2, "Connection ID %u: offering SASL PLAIN", c->link.entry.id);
		c->state = PTC_SASL_SELECTION;
		return;
	}
	LOG(TNC, 2, "skipping SASL, the client is authenticated by TLS");
	if (send_msg(c, &w, pt_tls_put_sasl_mechanisms(&w, c->next_msg_id++, NULL, 0)))
		return;
	enter_data_phase(c);
}

static bool
is_ietf(const struct pt_tls_msg *m, uint32_t type)
{
	return m->hdr.vendor == PT_TLS_VENDOR_IETF && m->hdr.type == type;
}

/* The PLAIN message of c's Mechanism Selection or Authentication Data:
 * SASL Result, then the data phase or the end. */
static void
sasl_finish(struct ptconn *c, struct bytes plain)
{
	struct wire_writer w;
	uint16_t code;
	enum sasl_verdict v = sasl_server_check(c, plain, now_ms(), &code);

	wire_writer_init(&w, 64);
	if (send_msg(c, &w, pt_tls_put_sasl_result(&w, c->next_msg_id++,
	    v == SASL_SUCCESS ? PT_TLS_SASL_SUCCESS : code, (struct bytes){NULL, 0})))
		return;
	if (v == SASL_SUCCESS)
		enter_data_phase(c);
	else
		end(c, TNC_EPEER); /* RFC 6876 3.8: no second try on this connection */
}

/* RFC 6876 3.8: the client's messages while it authenticates. */
static void
sasl_step(struct ptconn *c, const struct pt_tls_msg *m, const uint8_t *raw, size_t len)
{
	struct wire_writer w;

	if (is_ietf(m, PT_TLS_SASL_RESULT)) {
		LOG_WARN(TNC, "Connection ID %u: the client ends SASL with '%s'", c->link.entry.id,
		    pt_tls_sasl_result_name(m->u.sasl_result.code));
		end(c, TNC_EPEER);
	} else if (c->state == PTC_SASL_SELECTION && is_ietf(m, PT_TLS_SASL_MECHANISM_SELECTION)) {
		struct bytes name = m->u.sasl_selection.name, want = sasl_server_mechanism();
		if (name.len != want.len || memcmp(name.ptr, want.ptr, want.len) != 0) {
			LOG_WARN(TNC, "Connection ID %u: the client selects SASL mechanism '%.*s', not "
			    "the PLAIN offered", c->link.entry.id, (int)name.len,
			    (const char *)name.ptr);
			send_error(c, PT_TLS_ERROR_SASL_MECHANISM_ERROR, raw, len, true);
		} else if (m->u.sasl_selection.initial.len == 0) {
			/* no initial response: an empty challenge asks for it */
			wire_writer_init(&w, 64);
			if (send_msg(c, &w, pt_tls_put_sasl_authentication_data(&w, c->next_msg_id++,
			    (struct bytes){NULL, 0})) == 0)
				c->state = PTC_SASL_RESPONSE;
		} else {
			sasl_finish(c, m->u.sasl_selection.initial);
		}
	} else if (c->state == PTC_SASL_RESPONSE && is_ietf(m, PT_TLS_SASL_AUTHENTICATION_DATA)) {
		sasl_finish(c, m->u.sasl_data);
	} else {
		LOG_WARN(TNC, "Connection ID %u: PT-TLS '%s' while the client must authenticate",
		    c->link.entry.id, pt_tls_msg_type_name(m->hdr.vendor, m->hdr.type));
		send_error(c, PT_TLS_ERROR_INVALID_MESSAGE, raw, len, true);
	}
}

/* One whole PT-TLS message: 0 when handled, TNC_EAGAIN when it must wait
 * for tnc-tnccs (it stays in the receive buffer). */
static int
handle_msg(struct ptconn *c, const uint8_t *raw, size_t len)
{
	struct pt_tls_msg m;
	struct parse_error pe;
	int err = pt_tls_parse(raw, len, &m, &pe);

	if (err) {
		LOG(TNC, err == TNC_ETYPE ? 2 : 1, "Connection ID %u: bad PT-TLS message at offset %u: %s",
		    c->link.entry.id, pe.offset, pe.reason ? pe.reason : tnc_strerror(err));
		/* RFC 6876 3.9: an unsupported type is answered, the session goes on */
		send_error(c, pe.code, raw, len, err != TNC_ETYPE);
		return 0;
	}
	LOG(TNC, 2, "received PT-TLS message #%u of type '%s' (%zu bytes)", m.hdr.id,
	    pt_tls_msg_type_name(m.hdr.vendor, m.hdr.type), len);
	if (c->state == PTC_NEGOTIATE) {
		negotiate(c, &m, raw, len);
		return 0;
	}
	if (m.hdr.vendor == PT_TLS_VENDOR_IETF && m.hdr.type == PT_TLS_ERROR) {
		LOG_WARN(TNC, "Connection ID %u: the client reports PT-TLS error '%s'", c->link.entry.id,
		    pt_tls_error_code_name(m.u.error.vendor, m.u.error.code));
		return 0;
	}
	if (c->state == PTC_SASL_SELECTION || c->state == PTC_SASL_RESPONSE) {
		sasl_step(c, &m, raw, len);
		return 0;
	}
	if (m.hdr.vendor != PT_TLS_VENDOR_IETF || m.hdr.type != PT_TLS_PB_TNC_BATCH) {
		send_error(c, PT_TLS_ERROR_INVALID_MESSAGE, raw, len, true);
		return 0;
	}
	err = tnccs_link_batch(&c->link, m.u.batch);
	if (err && err != TNC_EAGAIN)
		end(c, err); /* a lost batch would stall the session */
	return err == TNC_EAGAIN ? TNC_EAGAIN : 0;
}

/* Handles the whole messages in the receive buffer, until it holds at
 * most a partial one, or the connection is held or closing. */
static void
process_rx(struct ptconn *c)
{
	size_t off = 0;
	bool consumed = false;

	while (c->state != PTC_CLOSING && !c->link.waiting) {
		size_t need;
		struct parse_error pe;
		bool sasl = c->state == PTC_SASL_SELECTION || c->state == PTC_SASL_RESPONSE;
		uint32_t limit = sasl ? SASL_MSG_MAX : srv.cfg.max_batch + PT_TLS_HEADER_LEN;
		int err = pt_tls_deframe(c->rx + off, c->rx_len - off, limit, &need, &pe);
		if (err == TNC_EAGAIN)
			break;
		if (err) {
			LOG(TNC, 1, "Connection ID %u: PT-TLS message length refused: %s",
			    c->link.entry.id, tnc_strerror(err));
			send_error(c, pe.code, c->rx + off, c->rx_len - off, true);
			break;
		}
		if (handle_msg(c, c->rx + off, need) == TNC_EAGAIN)
			break;
		if (sasl)
			sodium_memzero(c->rx + off, need); /* it may hold a password */
		off += need;
		consumed = true;
		c->active_at = now_ms();
	}
	if (c->state == PTC_CLOSING)
		off = c->rx_len; /* nothing more is handled */
	memmove(c->rx, c->rx + off, c->rx_len - off);
	c->rx_len -= off;
	if (c->rx_len == 0)
		c->partial_at = 0;
	else if (consumed)
		c->partial_at = now_ms(); /* the rest came with this read */
	if (c->rx_cap > RX_KEEP && c->rx_len <= RX_CHUNK)
		(void)rx_resize(c, RX_KEEP);
}

static void
on_data(struct tls_conn *t, const uint8_t *p, size_t n)
{
	struct ptconn *c = tls_conn_data(t);
	/* a partial message (under limit) plus one delivery at most */
	size_t limit = (size_t)srv.cfg.max_batch + PT_TLS_HEADER_LEN + RX_CHUNK;

	if (c->state == PTC_CLOSING)
		return;
	if (c->rx_len + n > c->rx_cap) {
		size_t cap = c->rx_cap ? c->rx_cap : RX_KEEP;
		while (cap < c->rx_len + n)
			cap *= 2;
		if (cap > limit)
			cap = limit;
		if (cap < c->rx_len + n) { /* cannot happen: deframe refuses first */
			end(c, TNC_ETOOLONG);
			return;
		}
		if (!rx_resize(c, cap)) {
			LOG_WARN(NET, "Connection ID %u from %s: dropped, the partial PT-TLS messages of "
			    "all connections fill max_receive_buffers (%zu bytes)", c->link.entry.id,
			    tls_conn_peer(t), srv.cfg.max_receive);
			ike_metrics_refused("receive_budget");
			end(c, TNC_ETOOLONG);
			return;
		}
	}
	if (c->rx_len == 0)
		c->partial_at = now_ms();
	memcpy(c->rx + c->rx_len, p, n);
	c->rx_len += n;
	process_rx(c);
	arm(c);
}

static void
on_handshake(struct tls_conn *t)
{
	struct ptconn *c = tls_conn_data(t);
	c->state = PTC_NEGOTIATE;
	LOG(TNC, 2, "Connection ID %u: %s established with %s%s%s, entering PT-TLS negotiation",
	    c->link.entry.id, tls_conn_version(t), tls_conn_peer(t),
	    tls_conn_identity(t)[0] ? " as " : "", tls_conn_identity(t));
}

static void
on_close(struct tls_conn *t, int err)
{
	struct ptconn *c = tls_conn_data(t);
	srv.count--;
	LOG(TNC, 1, "PT-TLS connection %u with %s terminates%s%s", c->link.entry.id, tls_conn_peer(t),
	    err ? ": " : "", err ? tnc_strerror(err) : "");
	c->tls = NULL;
	free(c->rx);
	srv.rx_total -= rx_charge(c->rx_cap);
	c->rx = NULL;
	c->rx_len = c->rx_cap = 0;
	acceptor_released(&c->source);
	if (!tnccs_link_close(&c->link, err))
		free(c);
}

static const struct tls_conn_ops tls_ops = {on_handshake, on_data, on_deadline, on_close};

static const struct tnccs_conn_ops link_ops;

int
pt_tls_server_accept(int fd, const struct sockaddr *peer, const struct source_key *key)
{
	struct ptconn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	c->source = *key;
	int err = tls_conn_accept(child_loop(srv.child), srv.tls, fd, peer, &srv.cfg.out, &tls_ops, c,
	    &c->tls);
	if (err) {
		free(c);
		return err;
	}
	tnccs_link_add(&c->link, &link_ops);
	srv.count++;
	c->accepted_at = now_ms();
	arm(c);
	LOG(TNC, 1, "accepting PT-TLS stream from %s as Connection ID %u", tls_conn_peer(c->tls),
	    c->link.entry.id);
	return 0;
}

unsigned pt_tls_server_count(void) { return srv.count; }

void
pt_tls_server_init(struct child *c, const struct ike_settings *s, SSL_CTX *tls)
{
	srv.child = c;
	srv.cfg = *s;
	srv.tls = tls;
}

/* tnccs_link's ops: the link holds a connection while it waits for
 * tnc-tnccs and lets it go on (its queued messages are handled first). */
static void
link_pause(struct tnccs_conn *l)
{
	struct ptconn *c = (struct ptconn *)l;
	tls_conn_hold(c->tls, true);
	tls_conn_set_deadline(c->tls, 0);
}

static void
link_resume(struct tnccs_conn *l)
{
	struct ptconn *c = (struct ptconn *)l;
	/* the time it was held does not count against the client */
	c->active_at = now_ms();
	if (c->partial_at)
		c->partial_at = c->active_at;
	process_rx(c);
	if (c->link.waiting || c->state == PTC_CLOSING)
		return;
	arm(c);
	tls_conn_hold(c->tls, false);
}

static void
link_abort(struct tnccs_conn *l, int err)
{
	tls_conn_abort(((struct ptconn *)l)->tls, err);
}

static void
link_describe(struct tnccs_conn *l, struct ipc_tnccs_open *o)
{
	struct ptconn *c = (struct ptconn *)l;
	const char *transport = "IF-T for TLS 2.0";
	const char *peer = tls_conn_peer(c->tls);
	/* the SASL user when the client authenticated so, else its certificate's subject */
	const char *identity = c->sasl_user[0] ? c->sasl_user : tls_conn_identity(c->tls);
	o->transport = (struct bytes){(const uint8_t *)transport, strlen(transport)};
	o->peer = (struct bytes){(const uint8_t *)peer, strlen(peer)};
	o->identity = (struct bytes){(const uint8_t *)identity, strlen(identity)};
	o->id_auth = c->sasl_user[0] ? IPC_ID_AUTH_PASSWORD :
	    identity[0] ? IPC_ID_AUTH_CERTIFICATE : IPC_ID_AUTH_UNKNOWN;
	o->max_batch = srv.cfg.max_batch;
	/* a batch holding one PB-PA */
	o->max_msg = srv.cfg.max_batch - PB_BATCH_HEADER_LEN - PB_MSG_HEADER_LEN - PB_PA_HEADER_LEN;
}

static void
link_release(struct tnccs_conn *l)
{
	free(l);
}

static void
link_from_tnccs(struct tnccs_conn *l, struct ipc_received *rx)
{
	struct ptconn *c = (struct ptconn *)l;
	struct wire_writer w;

	if (c->state == PTC_CLOSING)
		return; /* the client is leaving */
	switch (rx->hdr.type) {
	case IPC_TNCCS_BATCH:
		wire_writer_init(&w, (size_t)srv.cfg.max_batch + PT_TLS_HEADER_LEN);
		LOG(TNC, 2, "sending PT-TLS message #%u of type 'PB-TNC Batch' (%zu bytes)",
		    c->next_msg_id, rx->msg.u.tnccs_batch.batch.len + PT_TLS_HEADER_LEN);
		if (send_msg(c, &w, pt_tls_put_pb_batch(&w, c->next_msg_id++,
		    rx->msg.u.tnccs_batch.batch))) {
			end(c, TNC_EINVALID);
			return;
		}
		c->link.client_waits = false;
		c->active_at = now_ms();
		arm(c);
		return;
	case IPC_TNCCS_RESULT:
		LOG(TNC, 1, "Connection ID %u (%s): access recommendation '%s', evaluation '%s'",
		    c->link.entry.id, tls_conn_peer(c->tls),
		    imv_recommendation_name(rx->msg.u.imv_recommend.recommendation),
		    imv_evaluation_name(rx->msg.u.imv_recommend.evaluation));
		return;
	case IPC_TNCCS_CLOSE:
		tnccs_link_forget(&c->link);
		end(c, 0);
		return;
	}
}

static const struct tnccs_conn_ops link_ops = {
	link_pause, link_resume, link_abort, link_describe, link_from_tnccs, link_release,
};
