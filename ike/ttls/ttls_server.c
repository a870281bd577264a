/* ttls_server.c - the EAP-TTLS server conversation (see ttls_server.h). */
#include "ttls_server.h"

#include <errno.h>
#include <openssl/err.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_ttls.h"

/* Our own TLS output per Request burst: a handshake flight or one tunneled
 * AVP set; bounds the copy out of the write BIO. */
#define TTLS_OUT_MAX (256u * 1024)
/* An EAP-Message AVP's header and padding around a tunneled EAP packet. */
#define TTLS_AVP_OVERHEAD (TTLS_AVP_VENDOR_HEADER_LEN + TTLS_AVP_ALIGN)

struct ttls_server {
	SSL *ssl;
	BIO *net_in;  /* the peer's TLS octets, written here for the SSL */
	BIO *net_out; /* the SSL's output, read from here into Requests */
	struct ttls_server_limits limits;
	ttls_inner_fn *on_inner;
	void *arg;
	enum ttls_server_state state;
	bool started;
	bool awaiting;  /* a Request is out; its Response not yet taken */
	uint8_t id;     /* of the last Request */
	unsigned round_trips;
	struct eap_reasm reasm;
	struct wire_writer out_msg; /* TLS octets being sent in fragments */
	struct eap_fragmenter frag;
	char alert[96]; /* the last alert the peer sent, for the reason */
	char reason[192];
};

int
ttls_server_fail(struct ttls_server *s, int err, const char *reason)
{
	if (s->state != TTLS_SERVER_FAILED && s->state != TTLS_SERVER_DONE) {
		s->state = TTLS_SERVER_FAILED;
		snprintf(s->reason, sizeof s->reason, "%s", reason);
	}
	return err;
}

__attribute__((format(printf, 3, 4))) static int
fail_fmt(struct ttls_server *s, int err, const char *fmt, ...)
{
	char reason[sizeof s->reason];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof reason, fmt, ap);
	va_end(ap);
	return ttls_server_fail(s, err, reason);
}

static int
fail_parse(struct ttls_server *s, int err, const char *what, const struct parse_error *pe)
{
	return fail_fmt(s, err, "%s: %s at offset %u", what, pe->reason ? pe->reason : tnc_strerror(err),
	    pe->offset);
}

/* The peer's alert if it sent one, else OpenSSL's last queued error: the
 * TLS layer's (a bad record MAC), after the cipher's. */
static int
fail_tls(struct ttls_server *s, const char *when)
{
	unsigned long e = ERR_peek_last_error();
	ERR_clear_error();
	if (s->alert[0])
		return fail_fmt(s, TNC_EPEER, "%s: the peer sent the TLS alert %s", when, s->alert);
	const char *why = e ? ERR_reason_error_string(e) : NULL;
	return fail_fmt(s, TNC_EINVALID, "%s: TLS error: %s", when, why ? why : "unknown");
}

static void
on_tls_info(const SSL *ssl, int where, int value)
{
	struct ttls_server *s = SSL_get_app_data(ssl);
	if (s && (where & SSL_CB_ALERT) && (where & SSL_CB_READ))
		snprintf(s->alert, sizeof s->alert, "%s %s", SSL_alert_type_string_long(value),
		    SSL_alert_desc_string_long(value));
}

int
ttls_server_new(SSL_CTX *ctx, const struct ttls_server_limits *limits, ttls_inner_fn *on_inner,
    void *arg, struct ttls_server **ret)
{
	if (!ctx || !on_inner || limits->fragment == 0 || limits->fragment > EAP_MAX_LEN - 10 ||
	    limits->message == 0 || limits->round_trips == 0 || limits->inner < EAP_HEADER_LEN ||
	    limits->inner > EAP_MAX_LEN ||
	    (limits->max_tls_version != TLS1_2_VERSION && limits->max_tls_version != TLS1_3_VERSION))
		return TNC_EINVALID;
	struct ttls_server *s = calloc(1, sizeof *s);
	if (!s)
		return -ENOMEM;
	s->limits = *limits;
	s->on_inner = on_inner;
	s->arg = arg;
	s->ssl = SSL_new(ctx);
	s->net_in = BIO_new(BIO_s_mem());
	s->net_out = BIO_new(BIO_s_mem());
	if (!s->ssl || !s->net_in || !s->net_out) {
		BIO_free(s->net_in);
		BIO_free(s->net_out);
		SSL_free(s->ssl);
		free(s);
		ERR_clear_error();
		return -ENOMEM;
	}
	/* A read from an empty memory BIO is "retry", not end of file. */
	BIO_set_mem_eof_return(s->net_in, -1);
	SSL_set_bio(s->ssl, s->net_in, s->net_out);
	SSL_set_accept_state(s->ssl);
	SSL_set_app_data(s->ssl, s);
	SSL_set_info_callback(s->ssl, on_tls_info);
	/* TLS 1.2 at least, whatever ctx allows; 1.3 only when asked for:
	 * strongSwan's EAP-TTLS stops at 1.2. */
	if (SSL_set_min_proto_version(s->ssl, TLS1_2_VERSION) != 1 ||
	    SSL_set_max_proto_version(s->ssl, limits->max_tls_version) != 1) {
		ttls_server_free(s);
		ERR_clear_error();
		return TNC_EINVALID;
	}
	eap_reasm_init(&s->reasm, limits->message);
	wire_writer_init(&s->out_msg, TTLS_OUT_MAX);
	s->state = TTLS_SERVER_HANDSHAKE;
	*ret = s;
	return 0;
}

void
ttls_server_free(struct ttls_server *s)
{
	if (!s)
		return;
	SSL_free(s->ssl); /* and both BIOs */
	eap_reasm_clear(&s->reasm);
	wire_writer_clear(&s->out_msg);
	free(s);
}

/* After a Request went into out: now its Response is awaited. */
static int
put_request_done(struct ttls_server *s, struct wire_writer *out)
{
	int rc = wire_writer_status(out);
	if (rc)
		return ttls_server_fail(s, rc, "the Request does not fit the output buffer");
	s->awaiting = true;
	return 0;
}

int
ttls_server_start(struct ttls_server *s, uint8_t id, struct wire_writer *out)
{
	if (s->started || s->state != TTLS_SERVER_HANDSHAKE)
		return TNC_ESTATE;
	s->started = true;
	s->id = id;
	struct eap_frag start = {.flags = EAP_FRAG_FLAG_S, .version = EAP_TTLS_VERSION};
	eap_frag_put(out, EAP_REQUEST, s->id, EAP_TYPE_TTLS, &start);
	return put_request_done(s, out);
}

static int
put_ack(struct ttls_server *s, struct wire_writer *out)
{
	struct eap_frag ack = {.version = EAP_TTLS_VERSION};
	eap_frag_put(out, EAP_REQUEST, ++s->id, EAP_TYPE_TTLS, &ack);
	return put_request_done(s, out);
}

static int
put_next_fragment(struct ttls_server *s, struct wire_writer *out)
{
	eap_fragmenter_put(&s->frag, out, EAP_REQUEST, ++s->id, EAP_TYPE_TTLS, EAP_TTLS_VERSION, 0);
	return put_request_done(s, out);
}

/* Moves what the SSL wrote into the first Request of a new message. */
static int
send_pending(struct ttls_server *s, struct wire_writer *out)
{
	size_t pending = BIO_ctrl_pending(s->net_out);
	if (pending == 0)
		return 0;
	if (pending > TTLS_OUT_MAX)
		return fail_fmt(s, TNC_ETOOLONG, "TLS output of %zu octets over %u", pending, TTLS_OUT_MAX);
	wire_writer_clear(&s->out_msg);
	wire_writer_init(&s->out_msg, TTLS_OUT_MAX);
	uint8_t chunk[4096];
	int n;
	while ((n = BIO_read(s->net_out, chunk, sizeof chunk)) > 0)
		wire_put_bytes(&s->out_msg, chunk, (size_t)n);
	if (wire_writer_status(&s->out_msg))
		return ttls_server_fail(s, TNC_ETOOLONG, "TLS output over its bound");
	eap_fragmenter_init(&s->frag, (struct bytes){s->out_msg.buf, s->out_msg.len}, s->limits.fragment);
	return put_next_fragment(s, out);
}

/* Hands the tunneled data of one TLS message to the callback. */
static int
take_tunneled(struct ttls_server *s, struct bytes data)
{
	struct bytes eap;
	struct parse_error pe = {0};
	int rc = ttls_avp_find_eap_message(data, &eap, &pe);
	if (rc)
		return fail_parse(s, rc, "tunneled AVPs", &pe);
	if (eap.len > s->limits.inner)
		return fail_fmt(s, TNC_ETOOLONG, "tunneled EAP packet of %zu octets over %zu", eap.len,
		    s->limits.inner);
	struct eap_packet p;
	rc = eap_parse(eap.ptr, eap.len, &p, &pe);
	if (rc)
		return fail_parse(s, rc, "tunneled EAP packet", &pe);
	s->on_inner(s->arg, (struct bytes){eap.ptr, p.length});
	return s->state == TTLS_SERVER_FAILED ? TNC_EINVALID : 0;
}

/* Reads the application data the peer's TLS message carried, if any. */
static int
read_tunnel(struct ttls_server *s)
{
	struct wire_writer data;
	wire_writer_init(&data, s->limits.inner + TTLS_AVP_OVERHEAD);
	uint8_t chunk[4096];
	int rc = 0;
	for (;;) {
		int n = SSL_read(s->ssl, chunk, sizeof chunk);
		if (n > 0) {
			wire_put_bytes(&data, chunk, (size_t)n);
			if (wire_writer_status(&data)) {
				rc = fail_fmt(s, TNC_ETOOLONG, "tunneled data over %zu octets",
				    s->limits.inner + TTLS_AVP_OVERHEAD);
				break;
			}
			continue;
		}
		int e = SSL_get_error(s->ssl, n);
		if (e == SSL_ERROR_WANT_READ)
			break;
		if (e == SSL_ERROR_ZERO_RETURN)
			rc = ttls_server_fail(s, TNC_ECLOSED, "the peer closed the tunnel (close_notify)");
		else
			rc = fail_tls(s, "reading the tunnel");
		break;
	}
	if (rc == 0 && data.len > 0)
		rc = take_tunneled(s, (struct bytes){data.buf, data.len});
	wire_writer_clear(&data);
	return rc;
}

/* Feeds one whole TLS message from the peer to the SSL. */
static int
take_tls(struct ttls_server *s, struct bytes msg)
{
	if (msg.len > INT32_MAX || BIO_write(s->net_in, msg.ptr, (int)msg.len) != (int)msg.len)
		return ttls_server_fail(s, -ENOMEM, "cannot buffer the peer's TLS data");
	if (s->state == TTLS_SERVER_HANDSHAKE) {
		int r = SSL_do_handshake(s->ssl);
		if (r != 1) {
			if (SSL_get_error(s->ssl, r) == SSL_ERROR_WANT_READ)
				return 0;
			return fail_tls(s, "TLS handshake");
		}
		s->state = TTLS_SERVER_TUNNEL;
	}
	return read_tunnel(s);
}

int
ttls_server_receive(struct ttls_server *s, const uint8_t *pkt, size_t len, struct wire_writer *out)
{
	if (s->state != TTLS_SERVER_HANDSHAKE && s->state != TTLS_SERVER_TUNNEL)
		return TNC_ESTATE;
	if (!s->awaiting)
		return TNC_EAGAIN; /* no Request outstanding: a duplicate */
	struct eap_packet p;
	struct parse_error pe = {0};
	int rc = eap_parse(pkt, len, &p, &pe);
	if (rc)
		return fail_parse(s, rc, "EAP packet", &pe);
	if (p.code != EAP_RESPONSE)
		return fail_fmt(s, TNC_ETYPE, "EAP Code %s where a Response was due", eap_code_name(p.code));
	if (p.id != s->id)
		return TNC_EAGAIN;
	if (p.type == EAP_TYPE_NAK)
		return ttls_server_fail(s, TNC_EPEER, "the peer refused EAP-TTLS (Nak)");
	struct eap_frag f;
	rc = eap_ttls_parse(&p, &f, &pe);
	if (rc)
		return fail_parse(s, rc, "EAP-TTLS packet", &pe);
	s->awaiting = false;
	if (s->state == TTLS_SERVER_HANDSHAKE && ++s->round_trips > s->limits.round_trips)
		return fail_fmt(s, TNC_ETIMEOUT, "TLS handshake not done after %u round trips",
		    s->limits.round_trips);
	if (s->frag.msg.ptr && !eap_fragmenter_done(&s->frag)) {
		if (!eap_frag_is_ack(&f))
			return ttls_server_fail(s, TNC_EINVALID,
			    "EAP-TTLS data where the acknowledgement of a fragment was due");
		return put_next_fragment(s, out);
	}
	s->frag = (struct eap_fragmenter){0};
	if (eap_frag_is_ack(&f)) {
		/* The peer has nothing to say: fine in the tunnel, a stall in the
		 * handshake, where the server has said its part. */
		if (s->state == TTLS_SERVER_HANDSHAKE)
			return ttls_server_fail(s, TNC_EINVALID, "empty EAP-TTLS Response during the handshake");
		return send_pending(s, out);
	}
	bool complete;
	rc = eap_reasm_add(&s->reasm, &f, &complete, &pe);
	if (rc)
		return fail_parse(s, rc, "EAP-TTLS fragment", &pe);
	if (!complete)
		return put_ack(s, out);
	rc = take_tls(s, eap_reasm_message(&s->reasm));
	eap_reasm_next(&s->reasm);
	if (rc)
		return rc;
	return send_pending(s, out);
}

int
ttls_server_send_inner(struct ttls_server *s, struct bytes eap)
{
	if (s->state != TTLS_SERVER_TUNNEL)
		return TNC_ESTATE;
	if (eap.len > s->limits.inner)
		return fail_fmt(s, TNC_ETOOLONG, "outgoing tunneled EAP packet of %zu octets over %zu",
		    eap.len, s->limits.inner);
	struct wire_writer avp;
	wire_writer_init(&avp, s->limits.inner + TTLS_AVP_OVERHEAD);
	ttls_avp_put_eap_message(&avp, eap);
	int rc = wire_writer_status(&avp);
	if (rc == 0 && SSL_write(s->ssl, avp.buf, (int)avp.len) != (int)avp.len)
		rc = fail_tls(s, "writing the tunnel");
	else if (rc)
		rc = ttls_server_fail(s, rc, "cannot encode the EAP-Message AVP");
	wire_writer_clear(&avp);
	return rc;
}

int
ttls_server_flush(struct ttls_server *s, struct wire_writer *out)
{
	if (s->state != TTLS_SERVER_TUNNEL)
		return TNC_ESTATE;
	if (s->awaiting)
		return 0;
	return send_pending(s, out);
}

int
ttls_server_succeed(struct ttls_server *s, struct eap_keys *ret)
{
	if (s->state != TTLS_SERVER_TUNNEL)
		return TNC_ESTATE;
	struct eap_ttls_exporter e;
	eap_ttls_exporter(SSL_version(s->ssl) >= TLS1_3_VERSION, &e);
	uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN];
	if (SSL_export_keying_material(s->ssl, material, sizeof material, e.label, e.label_len,
	    e.context, e.context_len, e.use_context) != 1)
		return fail_tls(s, "exporting the MSK");
	eap_keys_from_material(material, ret);
	OPENSSL_cleanse(material, sizeof material);
	s->state = TTLS_SERVER_DONE;
	return 0;
}

enum ttls_server_state
ttls_server_state(const struct ttls_server *s)
{
	return s->state;
}

const char *
ttls_server_reason(const struct ttls_server *s)
{
	return s->reason;
}

int
ttls_server_tls_version(const struct ttls_server *s)
{
	return s->state == TTLS_SERVER_HANDSHAKE ? 0 : SSL_version(s->ssl);
}

X509 *
ttls_server_peer_cert(const struct ttls_server *s)
{
	if (s->state == TTLS_SERVER_HANDSHAKE || SSL_get_verify_result(s->ssl) != X509_V_OK)
		return NULL;
	return SSL_get0_peer_certificate(s->ssl);
}
