/* eap_peer_inner.c - the EAP peer's tunneled methods in the seeds' order:
 * EAP-Identity, EAP-MD5 right after it when asked for, then EAP-TNC or
 * PT-EAP carrying PB-TNC batches between the server and the owner's TNCC
 * (see eap_peer.h).
 *
 * PB-TNC is half duplex: the server's batch goes to ops->tnc_batch() and
 * the Response waits for the owner's answer (eap_peer_tnc_batch()); ours
 * goes out in fragments (EAP-TNC), each acknowledged by the server, whose
 * next Request carries its next batch. */
#include "eap_peer_int.h"

#include <string.h>

#include "eap_md5.h"
#include "eap_tnc.h"

static const char *
inner_name(const struct eap_peer *p)
{
	switch (p->inner) {
	case INNER_NONE:
		return "none";
	case INNER_IDENTITY:
		return "EAP-Identity";
	case INNER_MD5:
		return "EAP-MD5";
	default:
		return p->tnc_type == EAP_TYPE_TNC ? "EAP-TNC" : "PT-EAP";
	}
}

/* Encodes nothing itself: sends what the caller put in w. */
static int
answer(struct eap_peer *p, struct wire_writer *w)
{
	int rc = eap_peer_tls_send_inner(p, w);
	wire_writer_clear(w);
	return rc;
}

static int
take_identity(struct eap_peer *p, const struct eap_packet *e)
{
	if (p->inner != INNER_NONE)
		return eap_peer_fail(p, TNC_ESTATE, "EAP-Identity Request after %s", inner_name(p));
	p->inner = INNER_IDENTITY;
	struct wire_writer w;
	wire_writer_init(&w, p->cfg.max_inner);
	eap_put(&w, &(struct eap_packet){.code = EAP_RESPONSE, .id = e->id,
	    .type = EAP_TYPE_IDENTITY,
	    .data = {(const uint8_t *)p->identity, strlen(p->identity)}});
	return answer(p, &w);
}

static int
take_md5(struct eap_peer *p, const struct eap_packet *e)
{
	if (p->inner == INNER_NONE)
		return eap_peer_fail(p, TNC_ESTATE, "EAP-MD5 Request before the EAP-Identity Request");
	if (p->inner != INNER_IDENTITY)
		return eap_peer_fail(p, TNC_ESTATE, "EAP-MD5 Request after %s", inner_name(p));
	p->inner = INNER_MD5;
	struct eap_md5 m;
	struct parse_error pe = {0};
	int rc = eap_md5_parse(e, &m, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "EAP-MD5 Request", &pe);
	if (p->cfg.md5_secret.len == 0)
		return eap_peer_fail(p, TNC_ECONFIG, "the server asks for EAP-MD5 and no secret is configured");
	uint8_t digest[EAP_MD5_RESPONSE_LEN];
	if (eap_md5_response(e->id, p->cfg.md5_secret, m.value, digest) != 0)
		return eap_peer_fail(p, TNC_EINVALID, "no MD5 digest in libcrypto");
	struct wire_writer w;
	wire_writer_init(&w, p->cfg.max_inner);
	eap_md5_put(&w, EAP_RESPONSE, e->id, (struct bytes){digest, sizeof(digest)},
	    (struct bytes){0});
	return answer(p, &w);
}

static bool
is_eap_tnc(const struct eap_peer *p)
{
	return p->tnc_type == EAP_TYPE_TNC;
}

/* The server's Start: after the identity (and EAP-MD5), or first when our
 * certificate may have authenticated us. */
static int
tnc_start(struct eap_peer *p, uint8_t type, bool has_data)
{
	const char *name = type == EAP_TYPE_TNC ? "EAP-TNC" : "PT-EAP";
	if (p->inner == INNER_TNC)
		return eap_peer_fail(p, TNC_EINVALID, "%s Start flag after the Start", name);
	if (p->inner == INNER_NONE && !SSL_get_certificate(p->ssl))
		return eap_peer_fail(p, TNC_ESTATE, "%s Start before the EAP-Identity Request", name);
	if (has_data)
		return eap_peer_fail(p, TNC_EINVALID, "%s Start with data", name);
	p->inner = INNER_TNC;
	p->tnc_type = type;
	p->batch_due = true;
	p->ops.tnc_start(p->arg, type);
	return 0;
}

/* The server's batch, whole: the owner's turn. */
static void
tnc_batch_in(struct eap_peer *p, struct bytes batch)
{
	p->batch_due = true;
	p->ops.tnc_batch(p->arg, batch);
}

/* Our next EAP-TNC fragment: at most tnc_fragment octets, M on all but the
 * last; L with the batch length on the first unless strongswan_fragments. */
static int
put_fragment(struct eap_peer *p)
{
	size_t left = p->batch.len - p->batch_sent;
	size_t n = left < p->cfg.tnc_fragment ? left : p->cfg.tnc_fragment;
	struct eap_frag f = {.version = EAP_TNC_VERSION, .msg_len = (uint32_t)p->batch.len,
	    .data = {p->batch.buf + p->batch_sent, n}};
	if (n < left)
		f.flags = EAP_FRAG_FLAG_M;
	if (n < left && p->batch_sent == 0 && !p->cfg.strongswan_fragments)
		f.flags |= EAP_FRAG_FLAG_L;
	p->batch_sent += n;
	struct wire_writer w;
	wire_writer_init(&w, p->cfg.max_inner);
	eap_frag_put(&w, EAP_RESPONSE, p->inner_id, EAP_TYPE_TNC, &f);
	return answer(p, &w);
}

static bool
batch_sending(const struct eap_peer *p)
{
	return p->batch_sent < p->batch.len;
}

static int
send_tnc_empty(struct eap_peer *p)
{
	struct wire_writer w;
	wire_writer_init(&w, p->cfg.max_inner);
	if (is_eap_tnc(p))
		eap_frag_put(&w, EAP_RESPONSE, p->inner_id, EAP_TYPE_TNC,
		    &(struct eap_frag){.version = EAP_TNC_VERSION});
	else
		pt_eap_put(&w, EAP_RESPONSE, p->inner_id, 0, (struct bytes){0});
	return answer(p, &w);
}

static int
take_eap_tnc(struct eap_peer *p, const struct eap_packet *e)
{
	struct eap_frag f;
	struct parse_error pe = {0};
	int rc = eap_tnc_parse(e, &f, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "EAP-TNC Request", &pe);
	if (f.flags & EAP_FRAG_FLAG_S)
		return tnc_start(p, EAP_TYPE_TNC, (f.flags & (EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M)) ||
		    f.data.len > 0);
	if (p->inner != INNER_TNC)
		return eap_peer_fail(p, TNC_ESTATE, "EAP-TNC Request without the Start flag after %s",
		    inner_name(p));
	if (batch_sending(p)) {
		if (!eap_frag_is_ack(&f))
			return eap_peer_fail(p, TNC_EINVALID,
			    "EAP-TNC data where the acknowledgement of our fragment was due");
		return put_fragment(p);
	}
	if (eap_frag_is_ack(&f))
		return eap_peer_fail(p, TNC_EINVALID, "EAP-TNC acknowledgement where none was due");
	bool complete;
	rc = eap_reasm_add(&p->tnc_reasm, &f, &complete, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "EAP-TNC fragment", &pe);
	if (!complete)
		return send_tnc_empty(p);
	tnc_batch_in(p, eap_reasm_message(&p->tnc_reasm));
	eap_reasm_next(&p->tnc_reasm);
	return 0;
}

static int
take_pt_eap(struct eap_peer *p, const struct eap_packet *e)
{
	struct pt_eap m;
	struct parse_error pe = {0};
	int rc = pt_eap_parse(e, &m, &pe);
	if (rc)
		return eap_peer_fail_parse(p, rc, "PT-EAP Request", &pe);
	if (m.flags & PT_EAP_FLAG_S)
		return tnc_start(p, EAP_TYPE_PT_EAP, m.batch.len > 0);
	if (p->inner != INNER_TNC)
		return eap_peer_fail(p, TNC_ESTATE, "PT-EAP Request without the Start flag after %s",
		    inner_name(p));
	if (m.batch.len == 0)
		return eap_peer_fail(p, TNC_EINVALID, "PT-EAP Request without a batch");
	if (m.batch.len > p->cfg.max_batch)
		return eap_peer_fail(p, TNC_ETOOLONG, "PB-TNC batch of %zu octets over %zu",
		    m.batch.len, p->cfg.max_batch);
	tnc_batch_in(p, m.batch);
	return 0;
}

int
eap_peer_inner_take(struct eap_peer *p, const struct eap_packet *e)
{
	if (e->code != EAP_REQUEST)
		return eap_peer_fail(p, TNC_ETYPE, "tunneled EAP %s where a Request was due",
		    eap_code_name(e->code));
	if (p->inner_taken && e->id == p->inner_id)
		return eap_peer_fail(p, TNC_EINVALID,
		    "tunneled EAP Request with the Identifier %u of the previous one", e->id);
	p->inner_taken = true;
	p->inner_id = e->id;
	if (p->ops.inner_request)
		p->ops.inner_request(p->arg, e);
	if (p->inner == INNER_TNC && e->type != p->tnc_type)
		return eap_peer_fail(p, TNC_ETYPE, "tunneled EAP Request of type %s during %s",
		    eap_type_name(e->type), inner_name(p));
	switch (e->type) {
	case EAP_TYPE_IDENTITY:
		return take_identity(p, e);
	case EAP_TYPE_MD5:
		return take_md5(p, e);
	case EAP_TYPE_TNC:
		return take_eap_tnc(p, e);
	case EAP_TYPE_PT_EAP:
		return take_pt_eap(p, e);
	default:
		return eap_peer_fail(p, TNC_ETYPE, "tunneled EAP Request of type %s",
		    eap_type_name(e->type));
	}
}

bool
eap_peer_inner_partial(const struct eap_peer *p)
{
	return p->tnc_reasm.state == EAP_REASM_PARTIAL;
}

int
eap_peer_tnc_batch(struct eap_peer *p, struct bytes batch)
{
	if (p->state == EAP_PEER_ENDED || !p->batch_due)
		return TNC_ESTATE;
	size_t bound = p->cfg.max_batch;
	if (!is_eap_tnc(p) && p->cfg.max_inner - PT_EAP_HEADER_LEN < bound)
		bound = p->cfg.max_inner - PT_EAP_HEADER_LEN;
	if (batch.len > bound)
		return eap_peer_fail(p, TNC_ETOOLONG,
		    "PB-TNC batch for the server of %zu octets over %zu", batch.len, bound);
	p->batch_due = false;
	int rc;
	if (batch.len == 0) {
		rc = send_tnc_empty(p);
	} else if (!is_eap_tnc(p)) {
		struct wire_writer w;
		wire_writer_init(&w, p->cfg.max_inner);
		pt_eap_put(&w, EAP_RESPONSE, p->inner_id, 0, batch);
		rc = answer(p, &w);
	} else {
		/* Kept for the fragments to come. */
		wire_writer_clear(&p->batch);
		wire_writer_init(&p->batch, p->cfg.max_batch);
		wire_put_bytes(&p->batch, batch.ptr, batch.len);
		p->batch_sent = 0;
		rc = put_fragment(p);
	}
	/* Inside eap_peer_receive() the Response goes out when it returns. */
	if (rc == 0 && !p->busy)
		rc = eap_peer_respond(p);
	return rc;
}
