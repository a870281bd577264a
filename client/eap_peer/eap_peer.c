/* eap_peer.c - the EAP peer conversation: the outer EAP-TTLS packets,
 * their fragments, retransmissions and the end (see eap_peer.h). */
#include "eap_peer_int.h"

#include <errno.h>
#include <openssl/crypto.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eap_md5.h"
#include "eap_ttls.h"

/* Our own TLS output per Response burst: a handshake flight (with a
 * client certificate) or one tunneled Response. */
#define OUT_MAX (256u * 1024)

static bool
config_ok(const struct eap_peer_config *c)
{
	if (!c->identity || !c->trust || !c->cert != !c->key)
		return false;
	size_t id_len = strlen(c->identity);
	return id_len <= EAP_PEER_IDENTITY_MAX &&
	    (c->max_tls_version == TLS1_2_VERSION || c->max_tls_version == TLS1_3_VERSION) &&
	    c->fragment >= 1 && c->fragment <= EAP_MAX_LEN - EAP_PEER_TNC_OVERHEAD &&
	    c->max_message >= 1 && c->max_round_trips >= 1 && c->max_batch >= EAP_PEER_BATCH_MIN &&
	    c->max_inner <= EAP_MAX_LEN && c->max_inner > EAP_PEER_TNC_OVERHEAD &&
	    c->max_inner >= EAP_TYPE_HEADER_LEN + id_len &&
	    c->max_inner >= EAP_TYPE_HEADER_LEN + 1 + EAP_MD5_RESPONSE_LEN &&
	    c->tnc_fragment >= 1 && c->tnc_fragment <= c->max_inner - EAP_PEER_TNC_OVERHEAD;
}

int
eap_peer_new(const struct eap_peer_config *cfg, const struct eap_peer_ops *ops, void *arg,
    struct eap_peer **ret)
{
	if (!config_ok(cfg) || !ops->send || !ops->tnc_start || !ops->tnc_batch || !ops->done)
		return TNC_EINVALID;
	struct eap_peer *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->cfg = *cfg;
	p->ops = *ops;
	p->arg = arg;
	snprintf(p->identity, sizeof(p->identity), "%s", cfg->identity);
	p->cfg.identity = p->identity;
	/* Used by eap_peer_tls_new() only (the SSL keeps what it needs). */
	p->cfg.trust = NULL;
	p->cfg.server_name = NULL;
	p->cfg.cert = NULL;
	p->cfg.key = NULL;
	if (cfg->md5_secret.len > 0) {
		p->secret = malloc(cfg->md5_secret.len);
		if (!p->secret) {
			free(p);
			return -ENOMEM;
		}
		memcpy(p->secret, cfg->md5_secret.ptr, cfg->md5_secret.len);
	}
	p->cfg.md5_secret = (struct bytes){p->secret, cfg->md5_secret.len};
	eap_reasm_init(&p->reasm, cfg->max_message);
	eap_reasm_init(&p->tnc_reasm, cfg->max_batch);
	/* Both forms of EAP-TNC fragments: L on the first (ours) and M
	 * without L (strongSwan's). */
	p->tnc_reasm.length_optional = true;
	wire_writer_init(&p->out_msg, OUT_MAX);
	wire_writer_init(&p->batch, cfg->max_batch);
	wire_writer_init(&p->last_response, EAP_MAX_LEN);
	int rc = eap_peer_tls_new(p, cfg);
	if (rc) {
		eap_peer_free(p);
		return rc;
	}
	p->state = EAP_PEER_START;
	*ret = p;
	return 0;
}

void
eap_peer_free(struct eap_peer *p)
{
	if (!p)
		return;
	SSL_free(p->ssl); /* and both BIOs */
	if (p->secret)
		OPENSSL_cleanse(p->secret, p->cfg.md5_secret.len);
	free(p->secret);
	eap_reasm_clear(&p->reasm);
	eap_reasm_clear(&p->tnc_reasm);
	wire_writer_clear(&p->out_msg);
	wire_writer_clear(&p->batch);
	wire_writer_clear(&p->last_response);
	OPENSSL_cleanse(p, sizeof(*p));
	free(p);
}

enum eap_peer_state
eap_peer_state(const struct eap_peer *p)
{
	return p->state;
}

SSL *
eap_peer_ssl(const struct eap_peer *p)
{
	return p->ssl;
}

static void
finish_failure(struct eap_peer *p)
{
	if (p->state == EAP_PEER_ENDED)
		return;
	/* Our TLS alert, so that the server can say why (once: the Response
	 * may fail too). */
	if (p->send_alert && p->response_due && BIO_ctrl_pending(p->net_out) > 0) {
		p->send_alert = false;
		(void)eap_peer_respond(p);
	}
	p->state = EAP_PEER_ENDED;
	p->ops.done(p->arg, false, NULL, p->reason);
}

int
eap_peer_fail(struct eap_peer *p, int err, const char *fmt, ...)
{
	if (!p->failed) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
		va_end(ap);
		p->failed = true;
		p->fail_err = err;
	}
	if (!p->busy)
		finish_failure(p);
	return err;
}

int
eap_peer_fail_parse(struct eap_peer *p, int err, const char *what, const struct parse_error *pe)
{
	return eap_peer_fail(p, err, "%s: %s at offset %u", what,
	    pe->reason ? pe->reason : tnc_strerror(err), pe->offset);
}

static int
send_response(struct eap_peer *p, const struct wire_writer *w)
{
	int rc = wire_writer_status(w);
	if (rc)
		return eap_peer_fail(p, rc, "cannot encode our EAP-TTLS Response");
	wire_writer_clear(&p->last_response);
	wire_writer_init(&p->last_response, EAP_MAX_LEN);
	wire_put_bytes(&p->last_response, w->buf, w->len);
	p->response_due = false;
	p->ops.send(p->arg, (struct bytes){w->buf, w->len});
	return 0;
}

static bool
sending(const struct eap_peer *p)
{
	return p->frag.msg.ptr && !eap_fragmenter_done(&p->frag);
}

int
eap_peer_respond(struct eap_peer *p)
{
	struct wire_writer w;
	wire_writer_init(&w, EAP_MAX_LEN);
	struct eap_frag empty = {.version = EAP_TTLS_VERSION};
	size_t pending = BIO_ctrl_pending(p->net_out);
	int rc = 0;
	if (p->ack_due) {
		p->ack_due = false;
		eap_frag_put(&w, EAP_RESPONSE, p->request_id, EAP_TYPE_TTLS, &empty);
	} else if (sending(p)) {
		eap_fragmenter_put(&p->frag, &w, EAP_RESPONSE, p->request_id, EAP_TYPE_TTLS,
		    EAP_TTLS_VERSION, 0);
	} else if (pending > OUT_MAX) {
		rc = eap_peer_fail(p, TNC_ETOOLONG, "our TLS output of %zu octets over %u", pending,
		    OUT_MAX);
	} else if (pending > 0) {
		wire_writer_clear(&p->out_msg);
		wire_writer_init(&p->out_msg, OUT_MAX);
		uint8_t chunk[4096];
		int n;
		while ((n = BIO_read(p->net_out, chunk, sizeof(chunk))) > 0)
			wire_put_bytes(&p->out_msg, chunk, (size_t)n);
		eap_fragmenter_init(&p->frag, (struct bytes){p->out_msg.buf, p->out_msg.len},
		    p->cfg.fragment);
		eap_fragmenter_put(&p->frag, &w, EAP_RESPONSE, p->request_id, EAP_TYPE_TTLS,
		    EAP_TTLS_VERSION, 0);
	} else {
		eap_frag_put(&w, EAP_RESPONSE, p->request_id, EAP_TYPE_TTLS, &empty);
	}
	if (rc == 0)
		rc = send_response(p, &w);
	wire_writer_clear(&w);
	return rc;
}

/* The Type-Data of one EAP-TTLS Request (eap_ttls_parse() validated). */
static int
take_ttls(struct eap_peer *p, const struct eap_frag *f)
{
	if (p->state == EAP_PEER_START) {
		if (!(f->flags & EAP_FRAG_FLAG_S))
			return eap_peer_fail(p, TNC_EINVALID,
			    "EAP-TTLS Request without the Start flag where the Start was due");
		if ((f->flags & (EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M)) || f->data.len > 0)
			return eap_peer_fail(p, TNC_EINVALID, "EAP-TTLS Start with data");
		p->state = EAP_PEER_HANDSHAKE;
		return eap_peer_tls_start(p);
	}
	if (f->flags & EAP_FRAG_FLAG_S)
		return eap_peer_fail(p, TNC_EINVALID, "EAP-TTLS Start flag after the Start");
	if (sending(p)) {
		if (!eap_frag_is_ack(f))
			return eap_peer_fail(p, TNC_EINVALID,
			    "EAP-TTLS data where the acknowledgement of our fragment was due");
		return 0;
	}
	if (eap_frag_is_ack(f))
		return eap_peer_fail(p, TNC_EINVALID, "EAP-TTLS acknowledgement where none was due");
	bool complete;
	struct parse_error pe = {0};
	int rc = eap_reasm_add(&p->reasm, f, &complete, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "EAP-TTLS fragment", &pe);
	if (!complete) {
		p->ack_due = true;
		return 0;
	}
	rc = eap_peer_tls_take(p, eap_reasm_message(&p->reasm));
	eap_reasm_next(&p->reasm);
	return rc;
}

static int
take_request(struct eap_peer *p, const struct eap_packet *e)
{
	if (p->answered && e->id == p->request_id) {
		/* RFC 3748 4.1: a retransmission gets the last Response again. */
		if (!p->response_due)
			p->ops.send(p->arg, (struct bytes){p->last_response.buf, p->last_response.len});
		return TNC_EAGAIN;
	}
	if (p->response_due)
		return eap_peer_fail(p, TNC_ESTATE,
		    "EAP Request %u while our Response to Request %u is due", e->id, p->request_id);
	if (e->type != EAP_TYPE_TTLS)
		return eap_peer_fail(p, TNC_ETYPE, "EAP Request of type %s where EAP_TTLS was due",
		    eap_type_name(e->type));
	struct eap_frag f;
	struct parse_error pe = {0};
	int rc = eap_ttls_parse(e, &f, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "EAP-TTLS Request", &pe);
	if (++p->round_trips > p->cfg.max_round_trips)
		return eap_peer_fail(p, TNC_ETIMEOUT, "no result after %u round trips",
		    p->cfg.max_round_trips);
	p->answered = true;
	p->request_id = e->id;
	p->response_due = true;
	p->busy = true;
	rc = take_ttls(p, &f);
	p->busy = false;
	if (p->failed) {
		finish_failure(p);
		return rc ? rc : p->fail_err;
	}
	if (rc == 0 && !p->batch_due)
		rc = eap_peer_respond(p);
	return rc;
}

/* Where the conversation was, for the reason of an EAP-Failure. */
static const char *
where(const struct eap_peer *p)
{
	switch (p->state) {
	case EAP_PEER_START:
		return "before the EAP-TTLS Start";
	case EAP_PEER_HANDSHAKE:
		return "during the TLS handshake";
	default:
		break;
	}
	switch (p->inner) {
	case INNER_NONE:
		return "after the TLS handshake";
	case INNER_IDENTITY:
		return "after our EAP-Identity";
	case INNER_MD5:
		return "after our EAP-MD5 Response";
	default:
		return p->tnc_type == EAP_TYPE_TNC ? "during EAP-TNC" : "during PT-EAP";
	}
}

static int
take_success(struct eap_peer *p)
{
	if (p->response_due)
		return eap_peer_fail(p, TNC_ESTATE, "EAP-Success before our Response to Request %u",
		    p->request_id);
	if (p->state != EAP_PEER_TUNNEL)
		return eap_peer_fail(p, TNC_ESTATE, "EAP-Success %s", where(p));
	if (sending(p) || p->reasm.state == EAP_REASM_PARTIAL)
		return eap_peer_fail(p, TNC_ESTATE,
		    "EAP-Success in the middle of a fragmented TLS message");
	if (eap_peer_inner_partial(p))
		return eap_peer_fail(p, TNC_ESTATE,
		    "EAP-Success in the middle of the server's PB-TNC batch");
	struct eap_keys keys;
	int rc = eap_peer_tls_keys(p, &keys);
	if (rc)
		return rc;
	p->state = EAP_PEER_ENDED;
	p->ops.done(p->arg, true, &keys, NULL);
	eap_keys_cleanse(&keys);
	return 0;
}

int
eap_peer_receive(struct eap_peer *p, struct bytes eap)
{
	if (p->state == EAP_PEER_ENDED)
		return TNC_ESTATE;
	struct eap_packet e;
	struct parse_error pe = {0};
	int rc = eap_parse(eap.ptr, eap.len, &e, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "EAP packet", &pe);
	switch (e.code) {
	case EAP_REQUEST:
		return take_request(p, &e);
	case EAP_SUCCESS:
	case EAP_FAILURE:
		/* RFC 3748 4.2: the answer to our last Response, or discarded. */
		if (p->answered && e.id != p->request_id)
			return TNC_EAGAIN;
		if (e.code == EAP_SUCCESS)
			return take_success(p);
		return eap_peer_fail(p, TNC_EPEER, "the server sent EAP-Failure %s", where(p));
	default:
		return eap_peer_fail(p, TNC_ETYPE, "EAP %s from the server",
		    eap_code_name(e.code));
	}
}
