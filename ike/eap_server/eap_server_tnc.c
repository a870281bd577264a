/* eap_server_tnc.c - the inner EAP-TNC (TCG IF-T for Tunneled EAP, type
 * 38) or PT-EAP (RFC 7171, type 54) of the EAP server: PB-TNC batches
 * between the peer and the owner's TNCCS connection (see eap_server.h).
 *
 * PB-TNC is half duplex: the peer's batch goes to ops->tnc_batch() and
 * the conversation waits for the owner's answer (eap_server_tnc_batch())
 * or result (eap_server_tnc_finish()); the owner's batch goes out, in
 * fragments each acknowledged by the peer (EAP-TNC), and the peer's next
 * Response carries its next batch.  The result ends the conversation once
 * the peer has answered our last Request, so that our last batch (the
 * PB-TNC Result) is delivered first. */
#include "eap_server_int.h"

#include <stdio.h>
#include <string.h>

#include "eap_tnc.h"

static bool
is_eap_tnc(const struct eap_server *s)
{
	return s->cfg.tnc_type == EAP_TYPE_TNC;
}

/* Whether our batch is still being sent in fragments. */
static bool
sending(const struct eap_server *s)
{
	return s->frag.msg.ptr && !eap_fragmenter_done(&s->frag);
}

/* An EAP-TNC Request with no data: flags (S for the Start) or the
 * acknowledgement of the peer's fragment. */
static int
send_empty(struct eap_server *s, uint8_t flags)
{
	struct wire_writer w;
	wire_writer_init(&w, s->cfg.ttls.inner);
	uint8_t id = (uint8_t)(s->inner_id + 1);
	if (is_eap_tnc(s))
		eap_frag_put(&w, EAP_REQUEST, id, EAP_TYPE_TNC,
		    &(struct eap_frag){.flags = flags, .version = EAP_TNC_VERSION});
	else
		pt_eap_put(&w, EAP_REQUEST, id, flags ? PT_EAP_FLAG_S : 0, (struct bytes){0});
	int rc = eap_server_send_inner(s, &w);
	wire_writer_clear(&w);
	return rc;
}

static int
send_fragment(struct eap_server *s)
{
	struct wire_writer w;
	wire_writer_init(&w, s->cfg.ttls.inner);
	eap_fragmenter_put(&s->frag, &w, EAP_REQUEST, (uint8_t)(s->inner_id + 1), EAP_TYPE_TNC,
	    EAP_TNC_VERSION, 0);
	int rc = eap_server_send_inner(s, &w);
	wire_writer_clear(&w);
	return rc;
}

int
eap_server_tnc_start(struct eap_server *s)
{
	s->phase = PHASE_TNC;
	int rc = send_empty(s, EAP_FRAG_FLAG_S);
	if (rc == 0)
		s->ops.tnc_open(s->arg, s->identity);
	return rc;
}

static int
take_eap_tnc(struct eap_server *s, const struct eap_packet *p)
{
	struct eap_frag f;
	struct parse_error pe = {0};
	int rc = eap_tnc_parse(p, &f, &pe);
	if (rc)
		return eap_server_fail_parse(s, rc, "EAP-TNC Response", &pe);
	if (f.flags & EAP_FRAG_FLAG_S)
		return eap_server_fail(s, TNC_EINVALID, "EAP-TNC Start flag in a Response");
	if (sending(s)) {
		if (!eap_frag_is_ack(&f))
			return eap_server_fail(s, TNC_EINVALID,
			    "EAP-TNC data where the acknowledgement of a fragment was due");
		return send_fragment(s);
	}
	/* After the result, the peer's Response to our last Request means our
	 * last batch is delivered: the end (eap_server_receive()); what the
	 * peer says in it (its PB-TNC Close) is for no one. */
	if (s->tnc_finished)
		return 0;
	if (eap_frag_is_ack(&f))
		return 0; /* the peer has nothing to say: the owner's turn */
	bool complete;
	rc = eap_reasm_add(&s->reasm, &f, &complete, &pe);
	if (rc)
		return eap_server_fail_parse(s, rc, "EAP-TNC fragment", &pe);
	if (!complete)
		return send_empty(s, 0);
	s->ops.tnc_batch(s->arg, eap_reasm_message(&s->reasm));
	eap_reasm_next(&s->reasm);
	return 0;
}

static int
take_pt_eap(struct eap_server *s, const struct eap_packet *p)
{
	struct pt_eap m;
	struct parse_error pe = {0};
	int rc = pt_eap_parse(p, &m, &pe);
	if (rc)
		return eap_server_fail_parse(s, rc, "PT-EAP Response", &pe);
	if (m.flags & PT_EAP_FLAG_S)
		return eap_server_fail(s, TNC_EINVALID, "PT-EAP Start flag in a Response");
	if (s->tnc_finished)
		return 0; /* the end, as for EAP-TNC */
	if (m.batch.len == 0)
		return 0;
	if (m.batch.len > s->cfg.max_batch)
		return eap_server_fail(s, TNC_ETOOLONG, "PB-TNC batch of %zu octets over %zu",
		    m.batch.len, s->cfg.max_batch);
	s->ops.tnc_batch(s->arg, m.batch);
	return 0;
}

int
eap_server_tnc_take(struct eap_server *s, const struct eap_packet *p)
{
	return is_eap_tnc(s) ? take_eap_tnc(s, p) : take_pt_eap(s, p);
}

int
eap_server_tnc_batch(struct eap_server *s, struct bytes batch)
{
	if (s->phase != PHASE_TNC || s->tnc_finished)
		return TNC_ESTATE;
	if (s->inner_out)
		return eap_server_fail(s, TNC_ESTATE,
		    "a PB-TNC batch for the peer while the peer's Response is due");
	size_t bound = s->cfg.max_batch;
	if (!is_eap_tnc(s) && s->cfg.ttls.inner - PT_EAP_HEADER_LEN < bound)
		bound = s->cfg.ttls.inner - PT_EAP_HEADER_LEN;
	if (batch.len == 0 || batch.len > bound)
		return eap_server_fail(s, TNC_ETOOLONG,
		    "PB-TNC batch for the peer of %zu octets (1 to %zu allowed)", batch.len, bound);
	if (!is_eap_tnc(s)) {
		struct wire_writer w;
		wire_writer_init(&w, s->cfg.ttls.inner);
		pt_eap_put(&w, EAP_REQUEST, (uint8_t)(s->inner_id + 1), 0, batch);
		int rc = eap_server_send_inner(s, &w);
		wire_writer_clear(&w);
		return rc;
	}
	/* Kept for the fragments to come. */
	wire_writer_clear(&s->batch);
	wire_writer_init(&s->batch, s->cfg.max_batch);
	wire_put_bytes(&s->batch, batch.ptr, batch.len);
	eap_fragmenter_init(&s->frag, (struct bytes){s->batch.buf, s->batch.len},
	    s->cfg.tnc_fragment);
	return send_fragment(s);
}

int
eap_server_tnc_finish(struct eap_server *s, bool access)
{
	if (s->phase != PHASE_TNC || s->tnc_finished)
		return TNC_ESTATE;
	s->tnc_finished = true;
	if (!access)
		snprintf(s->reason, sizeof(s->reason), "the TNC result for '%s' is no access",
		    s->identity);
	eap_server_conclude(s, access ? RESULT_ACCESS : RESULT_NO_ACCESS);
	return 0;
}
