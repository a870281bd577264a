/* eap_server.c - the EAP server conversation: the outer EAP-TTLS packets,
 * the tunnel's dispatch to the inner methods, and the end (see
 * eap_server.h). */
#include "eap_server_int.h"

#include <errno.h>
#include <openssl/rand.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eap_tnc.h"

/* Big enough for any EAP packet: the Requests ttls_server puts. */
#define OUT_MAX EAP_MAX_LEN
/* EAP-TNC's Type-Data header: Flags/Version and the Message Length. */
#define EAP_TNC_OVERHEAD (EAP_TYPE_HEADER_LEN + 1 + EAP_FRAG_LENGTH_LEN)
/* A PB-TNC batch header (RFC 5793 4.1). */
#define PB_BATCH_HEADER_LEN 8

static void on_inner(void *arg, struct bytes eap);

static bool
config_ok(const struct eap_server_config *c)
{
	if (!c->tls_ctx || c->max_round_trips == 0 || (!c->md5_secrets && c->tnc_type == 0))
		return false;
	switch (c->tnc_type) {
	case 0:
		return true;
	case EAP_TYPE_TNC:
		return c->max_batch >= PB_BATCH_HEADER_LEN && c->ttls.inner > EAP_TNC_OVERHEAD &&
		    c->tnc_fragment >= 1 && c->tnc_fragment <= c->ttls.inner - EAP_TNC_OVERHEAD;
	case EAP_TYPE_PT_EAP:
		return c->max_batch >= PB_BATCH_HEADER_LEN && c->ttls.inner > PT_EAP_HEADER_LEN;
	default:
		return false;
	}
}

int
eap_server_new(const struct eap_server_config *cfg, const struct eap_server_ops *ops, void *arg,
    struct eap_server **ret)
{
	if (!config_ok(cfg) || !ops->send || !ops->tnc_open || !ops->tnc_batch || !ops->done)
		return TNC_EINVALID;
	struct eap_server *s = calloc(1, sizeof(*s));
	if (!s)
		return -ENOMEM;
	int rc = ttls_server_new(cfg->tls_ctx, &cfg->ttls, on_inner, s, &s->ttls);
	if (rc) {
		free(s);
		return rc;
	}
	s->cfg = *cfg;
	s->ops = *ops;
	s->arg = arg;
	eap_reasm_init(&s->reasm, cfg->max_batch);
	/* strongSwan's EAP-TNC fragments carry M without L; PT-EAP has no
	 * fragments. */
	s->reasm.length_optional = true;
	wire_writer_init(&s->batch, cfg->max_batch);
	*ret = s;
	return 0;
}

void
eap_server_free(struct eap_server *s)
{
	if (!s)
		return;
	ttls_server_free(s->ttls);
	eap_reasm_clear(&s->reasm);
	wire_writer_clear(&s->batch);
	OPENSSL_cleanse(s, sizeof(*s));
	free(s);
}

enum eap_server_identity_auth
eap_server_identity_auth(const struct eap_server *s)
{
	return s->identity_auth;
}

/* Hands the Request in out, if any, to the owner. */
static void
emit(struct eap_server *s, const struct wire_writer *out)
{
	if (out->len == 0)
		return;
	s->request_out = true;
	s->request_id = out->buf[1];
	s->ops.send(s->arg, (struct bytes){out->buf, out->len});
}

/* EAP-Success or EAP-Failure answering the last Response, then done(). */
static void
end(struct eap_server *s, bool success, const struct eap_keys *keys)
{
	struct wire_writer w;
	wire_writer_init(&w, EAP_HEADER_LEN);
	eap_put(&w, &(struct eap_packet){.code = success ? EAP_SUCCESS : EAP_FAILURE,
	    .id = s->response_id});
	s->phase = PHASE_ENDED;
	s->request_out = false;
	if (wire_writer_status(&w) == 0)
		s->ops.send(s->arg, (struct bytes){w.buf, w.len});
	wire_writer_clear(&w);
	s->ops.done(s->arg, success, keys, success ? NULL : s->reason);
}

static void
end_failure(struct eap_server *s)
{
	if (s->phase == PHASE_ENDED)
		return;
	if (!s->reason[0])
		snprintf(s->reason, sizeof(s->reason), "%s", ttls_server_reason(s->ttls));
	end(s, false, NULL);
}

/* The result, once nothing is in flight and ttls_server_receive() has
 * returned. */
static void
end_with_result(struct eap_server *s)
{
	if (s->result == RESULT_NO_ACCESS) {
		end_failure(s);
		return;
	}
	struct eap_keys keys;
	if (ttls_server_succeed(s->ttls, &keys) != 0) {
		end_failure(s);
		return;
	}
	end(s, true, &keys);
	eap_keys_cleanse(&keys);
}

int
eap_server_fail(struct eap_server *s, int err, const char *fmt, ...)
{
	if (!s->reason[0]) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(s->reason, sizeof(s->reason), fmt, ap);
		va_end(ap);
	}
	/* Stops the tunnel: ttls_server_receive() returns an error. */
	ttls_server_fail(s->ttls, err, s->reason);
	if (!s->busy)
		end_failure(s);
	return err;
}

int
eap_server_fail_parse(struct eap_server *s, int err, const char *what, const struct parse_error *pe)
{
	return eap_server_fail(s, err, "%s: %s at offset %u", what,
	    pe->reason ? pe->reason : tnc_strerror(err), pe->offset);
}

/* Whether the result can go out now: no tunneled Request awaits its
 * Response. */
static bool
end_ready(const struct eap_server *s)
{
	return s->result != RESULT_NONE && !s->inner_out;
}

void
eap_server_conclude(struct eap_server *s, enum eap_server_result result)
{
	s->result = result;
	/* Else at the end of eap_server_receive(), when the Request out (ours
	 * or ttls_server's, say our Finished) has been answered. */
	if (end_ready(s) && !s->busy && !s->request_out)
		end_with_result(s);
}

int
eap_server_send_inner(struct eap_server *s, struct wire_writer *pkt)
{
	int rc = wire_writer_status(pkt);
	if (rc)
		return eap_server_fail(s, rc, "cannot encode the tunneled Request");
	s->inner_id = pkt->buf[1];
	s->inner_out = true;
	rc = ttls_server_send_inner(s->ttls, (struct bytes){pkt->buf, pkt->len});
	if (rc)
		return eap_server_fail(s, rc, "%s", ttls_server_reason(s->ttls));
	if (s->busy)
		return 0;
	struct wire_writer out;
	wire_writer_init(&out, OUT_MAX);
	rc = ttls_server_flush(s->ttls, &out);
	if (rc)
		eap_server_fail(s, rc, "%s", ttls_server_reason(s->ttls));
	else
		emit(s, &out);
	wire_writer_clear(&out);
	return rc;
}

int
eap_server_start(struct eap_server *s)
{
	if (s->phase != PHASE_NEW)
		return TNC_ESTATE;
	uint8_t ids[2];
	if (RAND_bytes(ids, sizeof(ids)) != 1)
		return -ENOMEM;
	s->phase = PHASE_HANDSHAKE;
	s->inner_id = ids[1];
	s->response_id = ids[0];
	struct wire_writer out;
	wire_writer_init(&out, OUT_MAX);
	int rc = ttls_server_start(s->ttls, ids[0], &out);
	if (rc)
		eap_server_fail(s, rc, "%s", ttls_server_reason(s->ttls));
	else
		emit(s, &out);
	wire_writer_clear(&out);
	return rc;
}

/* The type a tunneled Response must have in each phase. */
static uint8_t
inner_type_due(const struct eap_server *s)
{
	switch (s->phase) {
	case PHASE_IDENTITY:
		return EAP_TYPE_IDENTITY;
	case PHASE_MD5:
		return EAP_TYPE_MD5;
	case PHASE_TNC:
		return s->cfg.tnc_type;
	default:
		return 0;
	}
}

/* A tunneled EAP packet (validated by eap_parse(); a view valid during the
 * call): the Response to the outstanding tunneled Request, of its type. */
static void
on_inner(void *arg, struct bytes eap)
{
	struct eap_server *s = arg;
	struct eap_packet p;
	struct parse_error pe = {0};
	if (eap_parse(eap.ptr, eap.len, &p, &pe) != 0) {
		eap_server_fail_parse(s, TNC_EINVALID, "tunneled EAP packet", &pe);
		return;
	}
	uint8_t due = inner_type_due(s);
	if (p.code != EAP_RESPONSE) {
		eap_server_fail(s, TNC_ETYPE, "tunneled EAP %s where a Response was due",
		    eap_code_name(p.code));
		return;
	}
	if (!s->inner_out || due == 0) {
		eap_server_fail(s, TNC_ESTATE, "tunneled EAP Response where none was due");
		return;
	}
	/* strongSwan's TTLS peer begins phase 2 itself, as RFC 5281 lets a
	 * client: its Identity Response comes with the end of the handshake,
	 * Identifier 0, and answers the Identity Request now outstanding. */
	bool unprompted_identity = due == EAP_TYPE_IDENTITY && p.type == EAP_TYPE_IDENTITY &&
	    p.id == 0;
	if (p.id != s->inner_id && !unprompted_identity) {
		eap_server_fail(s, TNC_EINVALID, "tunneled EAP Response with Identifier %u, %u was due",
		    p.id, s->inner_id);
		return;
	}
	if (p.type == EAP_TYPE_NAK && due != EAP_TYPE_IDENTITY) {
		eap_server_fail(s, TNC_EPEER, "the peer refused %s (Nak)", eap_type_name(due));
		return;
	}
	if (p.type != due) {
		eap_server_fail(s, TNC_ETYPE, "tunneled EAP Response of type %s where %s was due",
		    eap_type_name(p.type), eap_type_name(due));
		return;
	}
	s->inner_out = false;
	if (s->phase == PHASE_TNC)
		eap_server_tnc_take(s, &p);
	else
		eap_server_auth_take(s, &p);
}

int
eap_server_receive(struct eap_server *s, struct bytes eap)
{
	if (s->phase == PHASE_NEW || s->phase == PHASE_ENDED)
		return TNC_ESTATE;
	struct eap_packet p;
	struct parse_error pe = {0};
	int rc = eap_parse(eap.ptr, eap.len, &p, &pe);
	if (rc)
		return eap_server_fail_parse(s, rc, "EAP packet", &pe);
	if (p.code != EAP_RESPONSE)
		return eap_server_fail(s, TNC_ETYPE, "EAP %s from the peer where a Response was due",
		    eap_code_name(p.code));
	if (!s->request_out || p.id != s->request_id)
		return TNC_EAGAIN; /* RFC 3748 4.1: discarded */
	s->request_out = false;
	s->response_id = p.id;
	if (p.type != EAP_TYPE_TTLS && p.type != EAP_TYPE_NAK)
		return eap_server_fail(s, TNC_ETYPE, "EAP Response of type %s where EAP_TTLS was due",
		    eap_type_name(p.type));
	if (++s->round_trips > s->cfg.max_round_trips)
		return eap_server_fail(s, TNC_ETIMEOUT, "no result after %u round trips",
		    s->cfg.max_round_trips);
	struct wire_writer out;
	wire_writer_init(&out, OUT_MAX);
	s->busy = true;
	rc = ttls_server_receive(s->ttls, eap.ptr, eap.len, &out);
	if (rc == 0 && s->phase == PHASE_HANDSHAKE && ttls_server_state(s->ttls) == TTLS_SERVER_TUNNEL) {
		/* The handshake is done: what the tunnel starts with goes with
		 * the answer, or after the peer's acknowledgement of our
		 * Finished. */
		rc = eap_server_tunnel_start(s);
		if (rc == 0)
			rc = ttls_server_flush(s->ttls, &out);
	}
	s->busy = false;
	if (rc == 0 && ttls_server_state(s->ttls) == TTLS_SERVER_FAILED)
		rc = TNC_EINVALID;
	if (rc == TNC_EAGAIN) {
		/* ttls_server discarded it (its Identifier is ours: not expected). */
		s->request_out = true;
		s->round_trips--;
	} else if (rc < 0) {
		end_failure(s);
	} else if (out.len > 0) {
		emit(s, &out); /* the end, if ready, after the peer's answer to it */
	} else if (end_ready(s)) {
		end_with_result(s);
	}
	wire_writer_clear(&out);
	return rc;
}
