/* ike_initiator_auth.c - IKE_AUTH of the initiator with EAP (RFC 7296
 * 2.16) and an EAP-only responder (RFC 5998) or one with a certificate:
 * request 1, the responder's certificate AUTH checked, the EAP rounds, our
 * MSK-based AUTH, the responder's AUTH verified, the CHILD_SA taken. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "eap.h"
#include "ike_initiator_int.h"
#include "ikev2_auth.h"
#include "ikev2_cert.h"
#include "ikev2_sig.h"

/* The payloads of an IKE_AUTH response this module reads (the first of
 * each kind). */
struct auth_response {
	struct ikev2_payload idr, cert, auth, eap, sa, tsi, tsr, cp;
	bool has_idr, has_cert, has_auth, has_eap, has_sa, has_tsi, has_tsr, has_cp;
	uint16_t error;         /* the first error notification, 0 if none */
	uint32_t auth_lifetime; /* N(AUTH_LIFETIME), 0 if none */
};

static void
collect(const struct ikev2_chain *c, struct auth_response *r)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	memset(r, 0, sizeof(*r));
	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		struct ikev2_payload *slot = NULL;
		bool *has = NULL;
		switch (p.type) {
		case IKEV2_PL_IDR: slot = &r->idr, has = &r->has_idr; break;
		case IKEV2_PL_CERT: slot = &r->cert, has = &r->has_cert; break;
		case IKEV2_PL_AUTH: slot = &r->auth, has = &r->has_auth; break;
		case IKEV2_PL_EAP: slot = &r->eap, has = &r->has_eap; break;
		case IKEV2_PL_SA: slot = &r->sa, has = &r->has_sa; break;
		case IKEV2_PL_TSI: slot = &r->tsi, has = &r->has_tsi; break;
		case IKEV2_PL_TSR: slot = &r->tsr, has = &r->has_tsr; break;
		case IKEV2_PL_CP: slot = &r->cp, has = &r->has_cp; break;
		case IKEV2_PL_NOTIFY: {
			const struct ikev2_notify *n = &p.u.notify;
			if (n->type < IKEV2_N_INITIAL_CONTACT && !r->error)
				r->error = n->type;
			if (n->type == IKEV2_N_AUTH_LIFETIME && n->data.len == 4)
				r->auth_lifetime = (uint32_t)n->data.ptr[0] << 24 |
				    (uint32_t)n->data.ptr[1] << 16 | (uint32_t)n->data.ptr[2] << 8 |
				    n->data.ptr[3];
			break;
		}
		default:
			break;
		}
		if (slot && !*has) {
			*slot = p;
			*has = true;
		}
	}
}

/* The responder thinks the SA is up (it sent its AUTH) but we refuse it:
 * an INFORMATIONAL DELETE goes out once, then the SA ends. */
static int
abandon(struct ike_initiator *i, int err, const char *reason)
{
	struct ikev2_builder b;

	ikev2_builder_init_chain(&b, i->cfg->max_msg_len);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, (struct bytes){NULL, 0});
	(void)ikei_request(i, IKEV2_INFORMATIONAL, &b, 0);
	ikev2_builder_clear(&b);
	return ikei_end(i, err, reason);
}

static int
refused(struct ike_initiator *i, const char *what, uint16_t error)
{
	snprintf(i->reason_buf, sizeof(i->reason_buf), "%s: %s", what, ikev2_notify_name(error));
	return ikei_end(i, TNC_EPEER, i->reason_buf);
}

int
ikei_auth_first(struct ike_initiator *i, uint64_t now_ms)
{
	const struct ike_initiator_config *c = i->cfg;
	const struct bytes none = {NULL, 0};
	const struct ikev2_cp_attr cp[] = {{IKEV2_CFG_INTERNAL_IP4_ADDRESS, none},
	    {IKEV2_CFG_INTERNAL_IP4_DNS, none}};
	struct ikev2_proposal_spec props[255];
	uint8_t spi[4];
	struct ikev2_builder b;
	int err;

	do { /* SPIs 1 to 255 are reserved (RFC 4303 2.1) */
		if (i->random(i->random_arg, spi, sizeof(spi)))
			return ikei_end(i, TNC_EINVALID, "random source failed");
		i->spi_in = (uint32_t)spi[0] << 24 | (uint32_t)spi[1] << 16 | (uint32_t)spi[2] << 8 |
		    spi[3];
	} while (i->spi_in < 256);
	/* IDi' for our AUTH: ID Type, RESERVED, the data */
	uint8_t *idi = malloc(4 + c->id.len);
	if (!idi)
		return ikei_end(i, -ENOMEM, "no memory for IDi");
	idi[0] = c->id_type, idi[1] = idi[2] = idi[3] = 0;
	if (c->id.len)
		memcpy(idi + 4, c->id.ptr, c->id.len);
	ikev2_buf_free(&i->idi);
	i->idi = (struct ikev2_buf){idi, 4 + c->id.len};
	for (size_t p = 0; p < c->esp_count; p++)
		props[p] = (struct ikev2_proposal_spec){(uint8_t)(p + 1), IKEV2_PROTO_ESP,
		    {spi, sizeof(spi)}, c->esp[p].transforms, c->esp[p].count};
	ikev2_builder_init_chain(&b, c->max_msg_len);
	ikev2_builder_add_id(&b, IKEV2_PL_IDI, c->id_type, c->id);
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_INITIAL_CONTACT, none);
	if (c->idr.len)
		ikev2_builder_add_id(&b, IKEV2_PL_IDR, c->idr_type, c->idr);
	ikev2_builder_add_sa(&b, props, c->esp_count);
	ikev2_builder_add_ts(&b, IKEV2_PL_TSI, c->tsi, c->tsi_count);
	ikev2_builder_add_ts(&b, IKEV2_PL_TSR, c->tsr, c->tsr_count);
	if (c->request_vip)
		ikev2_builder_add_cp(&b, IKEV2_CFG_REQUEST, cp, 2);
	if (c->eap_only)
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_EAP_ONLY_AUTHENTICATION,
		    none);
	err = ikei_request(i, IKEV2_IKE_AUTH, &b, now_ms);
	ikev2_builder_clear(&b);
	return err ? ikei_end(i, err, i->reason) : 0;
}

/* The responder's identity: as configured when one is, the same in
 * every response that carries it. */
static const char *
keep_idr(struct ike_initiator *i, const struct ikev2_payload *idr)
{
	const struct ike_initiator_config *c = i->cfg;
	const struct bytes body = idr->body;

	if (i->idr.ptr)
		return body.len == i->idr.len && !memcmp(body.ptr, i->idr.ptr, body.len)
		    ? NULL : "IDr of the responder changed";
	if (c->idr.len && (idr->u.id.type != c->idr_type || idr->u.id.data.len != c->idr.len ||
			      memcmp(idr->u.id.data.ptr, c->idr.ptr, c->idr.len)))
		return "IDr of the responder is not the identity configured";
	return ikev2_buf_set(&i->idr, body.ptr, body.len) ? "no memory for IDr" : NULL;
}

/* The responder's certificate and signature AUTH of its first answer:
 * NULL, or why they are refused. */
static const char *
check_signed(struct ike_initiator *i, const struct auth_response *r)
{
	EVP_PKEY *key = NULL;
	struct wire_writer w;
	const char *why = NULL;

	if (!r->has_idr || !r->has_cert || !r->has_auth)
		return "responder's first answer lacks IDr, CERT or AUTH (we did not ask for "
		       "EAP-only authentication)";
	if (r->cert.u.cert.encoding != IKEV2_CERT_X509_SIGNATURE)
		return "CERT of the responder is not an X.509 certificate (encoding 4)";
	if (ikev2_cert_check(i->cfg->trust, r->cert.u.cert.data, r->idr.u.id.type, r->idr.u.id.data,
		i->cfg->cert_host, &key, &why)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "certificate of the responder: %s", why);
		return i->reason_buf;
	}
	/* 2.15: RealMessage2 | NonceIData | prf(SK_pr, IDr') */
	const struct ikev2_auth_input in = {i->keys.suite.prf, {i->init_resp.ptr, i->init_resp.len},
	    {i->ni, sizeof(i->ni)}, {i->keys.pr, i->keys.suite.prf_len}, r->idr.body};
	wire_writer_init(&w, i->init_resp.len + sizeof(i->ni) + IKEV2_PRF_MAX_LEN);
	if (ikev2_auth_octets(&in, &w))
		why = "responder's signed octets do not build";
	else if (ikev2_sig_verify(key, r->auth.u.auth.method, r->auth.u.auth.data,
		     (struct bytes){w.buf, w.len}, &why)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "responder AUTH: %s", why);
		why = i->reason_buf;
	}
	wire_writer_clear(&w);
	EVP_PKEY_free(key);
	return why;
}

/* An EAP round's answer: [ IDr? EAP ], the first without eap_only
 * [ IDr CERT AUTH EAP ]. */
static int
eap_round(struct ike_initiator *i, const struct auth_response *r, uint64_t now_ms)
{
	struct eap_packet pkt;
	struct parse_error e;
	const bool first = !i->idr.ptr;
	const char *why;

	if (r->error)
		return refused(i, "responder refused IKE_AUTH", r->error);
	if (r->has_idr && (why = keep_idr(i, &r->idr)))
		return ikei_end(i, TNC_EPEER, why);
	/* RFC 5998 leaves EAP-only to the responder: with trust anchors we
	 * also take its certificate AUTH when we offered EAP-only */
	if (first && (!i->cfg->eap_only || (r->has_auth && i->cfg->trust))) {
		if ((why = check_signed(i, r))) {
			ikei_auth_failed(i, now_ms);
			return ikei_end(i, TNC_EPEER, why);
		}
		i->responder_signature = ikev2_sig_scheme_name(r->auth.u.auth.method,
		    r->auth.u.auth.data);
	} else if (r->has_auth) {
		return ikei_end(i, TNC_EPEER, "responder AUTH before EAP ended");
	}
	if (!r->has_eap)
		return ikei_end(i, TNC_EPEER, "IKE_AUTH response without EAP");
	const struct bytes eap = r->eap.u.eap.msg;
	if (eap_parse(eap.ptr, eap.len, &pkt, &e)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "EAP of the responder: %s", e.reason);
		return ikei_end(i, TNC_EPEER, i->reason_buf);
	}
	switch (pkt.code) {
	case EAP_REQUEST:
		i->eap_owed = true;
		break;
	case EAP_SUCCESS:
		i->msk_owed = true;
		break;
	case EAP_FAILURE:
		/* the responder's half-open SA need not wait for its timeout */
		ikei_auth_failed(i, now_ms);
		i->ops.eap_request(i->arg, eap);
		return ikei_end(i, TNC_EPEER, "EAP-Failure from the responder");
	default:
		return ikei_end(i, TNC_EPEER, "EAP Response from the responder");
	}
	i->ops.eap_request(i->arg, eap); /* may send our next request right away */
	return 0;
}

/* Whether selector t lies within one of ours. */
static bool
ts_within(const struct ikev2_ts *t, const struct ikev2_ts *ours, size_t count)
{
	for (size_t k = 0; k < count; k++) {
		const struct ikev2_ts *o = &ours[k];
		if (o->type == t->type && o->start.len == t->start.len &&
		    (!o->ip_proto || o->ip_proto == t->ip_proto) && t->start_port >= o->start_port &&
		    t->end_port <= o->end_port && t->start_port <= t->end_port &&
		    memcmp(t->start.ptr, o->start.ptr, t->start.len) >= 0 &&
		    memcmp(t->end.ptr, o->end.ptr, t->end.len) <= 0 &&
		    memcmp(t->start.ptr, t->end.ptr, t->start.len) <= 0)
			return true;
	}
	return false;
}

/* The responder's selectors, each within ours, into out. */
static const char *
take_ts(const struct ikev2_payload *p, const struct ikev2_ts *ours, size_t count,
    struct ike_initiator_ts *out, size_t *ret_count)
{
	struct bytes list = p->u.ts.selectors;
	struct ikev2_ts t;

	*ret_count = 0;
	while (ikev2_ts_next(&list, &t)) {
		if (*ret_count == IKE_INITIATOR_MAX_TS)
			return "more traffic selectors than we keep";
		if (!ts_within(&t, ours, count))
			return "traffic selector of the responder is not within ours";
		struct ike_initiator_ts *o = &out[(*ret_count)++];
		*o = (struct ike_initiator_ts){t.type, t.ip_proto, (uint8_t)t.start.len, t.start_port,
		    t.end_port, {0}, {0}};
		memcpy(o->start, t.start.ptr, t.start.len);
		memcpy(o->end, t.end.ptr, t.end.len);
	}
	return *ret_count ? NULL : "no traffic selector from the responder";
}

/* The ESP proposal chosen: one of ours by number, its transforms ones we
 * offered in it, one of each type, no D-H (no PFS in IKE_AUTH). */
static const char *
take_esp(struct ike_initiator *i, struct bytes sa, struct ike_initiator_child *ch)
{
	struct ikev2_proposal p;
	struct ikev2_transform t;
	uint16_t encr = 0, bits = 0, integ = 0;
	unsigned seen = 0;

	if (!ikev2_proposal_next(&sa, &p) || sa.len)
		return "SA of the IKE_AUTH response is not one proposal";
	if (p.protocol != IKEV2_PROTO_ESP || p.spi.len != 4 || !p.num || p.num > i->cfg->esp_count)
		return "chosen ESP proposal is not one of ours (number, protocol or SPI)";
	const struct ike_initiator_proposal *ours = &i->cfg->esp[p.num - 1];
	while (ikev2_transform_next(&p.transforms, &t)) {
		bool offered = false;
		for (size_t k = 0; k < ours->count && !offered; k++)
			offered = ours->transforms[k].type == t.type && ours->transforms[k].id == t.id &&
			    ours->transforms[k].key_length == t.key_length;
		if (!offered || t.type == IKEV2_TRANS_DH || t.type == IKEV2_TRANS_PRF ||
		    t.type > IKEV2_TRANS_ESN || (seen & 1u << t.type))
			return "chosen ESP transforms are not one of each we offered";
		seen |= 1u << t.type;
		if (t.type == IKEV2_TRANS_ENCR)
			encr = t.id, bits = t.key_length;
		else if (t.type == IKEV2_TRANS_INTEG)
			integ = t.id;
	}
	if (ikev2_suite_init(&ch->esp, encr, bits, integ, 0, NULL))
		return "chosen ESP transforms unusable";
	ch->spi_out = (uint32_t)p.spi.ptr[0] << 24 | (uint32_t)p.spi.ptr[1] << 16 |
	    (uint32_t)p.spi.ptr[2] << 8 | p.spi.ptr[3];
	if (ch->spi_out < 256)
		return "ESP SPI of the responder is reserved (below 256)";
	return NULL;
}

/* The virtual IP and DNS servers of a CFG_REPLY. */
static const char *
take_cp(const struct ikev2_payload *cp, struct ike_initiator_child *ch)
{
	struct bytes list = cp->u.cp.attrs;
	struct ikev2_cp_attr a;

	if (cp->u.cp.cfg_type != IKEV2_CFG_REPLY)
		return "CP of the responder is not a CFG_REPLY";
	while (ikev2_cp_next(&list, &a)) {
		if (a.type != IKEV2_CFG_INTERNAL_IP4_ADDRESS && a.type != IKEV2_CFG_INTERNAL_IP4_DNS)
			continue;
		if (a.value.len != 4)
			return "INTERNAL_IP4 attribute of the responder is not 4 octets";
		const uint32_t v = (uint32_t)a.value.ptr[0] << 24 | (uint32_t)a.value.ptr[1] << 16 |
		    (uint32_t)a.value.ptr[2] << 8 | a.value.ptr[3];
		if (a.type == IKEV2_CFG_INTERNAL_IP4_ADDRESS && !ch->has_virtual_ip) {
			ch->has_virtual_ip = true;
			ch->virtual_ip = v;
		} else if (a.type == IKEV2_CFG_INTERNAL_IP4_DNS && ch->dns_count < IKE_INITIATOR_MAX_DNS) {
			ch->dns[ch->dns_count++] = v;
		}
	}
	return NULL;
}

/* The CHILD_SA of the last answer, its keys derived (2.17). */
static const char *
take_child(struct ike_initiator *i, const struct auth_response *r, struct ike_initiator_child *ch)
{
	const struct ike_initiator_config *c = i->cfg;
	const char *why;

	memset(ch, 0, sizeof(*ch));
	if (!r->has_sa || !r->has_tsi || !r->has_tsr)
		return "IKE_AUTH answer without SA, TSi or TSr, and no notification why";
	if ((why = take_esp(i, r->sa.u.sa, ch)) ||
	    (why = take_ts(&r->tsi, c->tsi, c->tsi_count, ch->tsi, &ch->tsi_count)) ||
	    (why = take_ts(&r->tsr, c->tsr, c->tsr_count, ch->tsr, &ch->tsr_count)))
		return why;
	/* a virtual IP asked for but not given is no failure: the connection
	 * may not use one (the seeds' rw-isolate); has_virtual_ip says so */
	if (r->has_cp && (why = take_cp(&r->cp, ch)))
		return why;
	ch->spi_in = i->spi_in;
	ch->auth_lifetime_s = r->auth_lifetime;
	if (ikev2_child_keys_derive(i->keys.suite.prf, (struct bytes){i->keys.d, i->keys.suite.prf_len},
		&ch->esp, (struct bytes){NULL, 0}, (struct bytes){i->ni, sizeof(i->ni)},
		(struct bytes){i->nr.ptr, i->nr.len}, &ch->keys))
		return "CHILD_SA key derivation failed";
	return NULL;
}

/* The answer to our AUTH: [ AUTH CP? SA TSi TSr N(AUTH_LIFETIME)? ], or
 * an error notification. */
static int
final_round(struct ike_initiator *i, const struct auth_response *r)
{
	const char *why;

	if (!r->has_auth)
		return r->error ? refused(i, "responder refused our AUTH", r->error)
				: ikei_end(i, TNC_EPEER, "answer to our AUTH without AUTH");
	if (r->has_idr && (why = keep_idr(i, &r->idr)))
		return abandon(i, TNC_EPEER, why);
	if (!i->idr.ptr)
		return abandon(i, TNC_EPEER, "responder sent no IDr");
	if (r->auth.u.auth.method != IKEV2_AUTH_SHARED_KEY_MIC)
		return abandon(i, TNC_EPEER, "responder AUTH method is not the Shared Key MIC");
	const struct ikev2_auth_input in = {i->keys.suite.prf, {i->init_resp.ptr, i->init_resp.len},
	    {i->ni, sizeof(i->ni)}, {i->keys.pr, i->keys.suite.prf_len}, {i->idr.ptr, i->idr.len}};
	if (ikev2_auth_mic_verify(&in, (struct bytes){i->msk, i->msk_len}, r->auth.u.auth.data))
		return abandon(i, TNC_EPEER, "responder AUTH does not verify with the MSK");
	if (r->error) {
		/* the IKE SA is up without a CHILD_SA (e.g. NO_PROPOSAL_CHOSEN,
		 * TS_UNACCEPTABLE, FAILED_CP_REQUIRED, INTERNAL_ADDRESS_FAILURE) */
		snprintf(i->reason_buf, sizeof(i->reason_buf), "no CHILD_SA: %s",
		    ikev2_notify_name(r->error));
		i->reason = i->reason_buf;
		i->state = IKEI_ESTABLISHED;
		i->ops.established(i->arg, NULL);
		return 0;
	}
	if ((why = take_child(i, r, &i->child))) {
		ikev2_child_keys_cleanse(&i->child.keys);
		return abandon(i, TNC_EPEER, why);
	}
	i->child_up = true;
	i->state = IKEI_ESTABLISHED;
	i->ops.established(i->arg, &i->child);
	return 0;
}

int
ikei_auth_response(struct ike_initiator *i, const struct ikev2_chain *c, uint64_t now_ms)
{
	struct auth_response r;

	collect(c, &r);
	if (i->auth_sent) {
		i->auth_sent = false;
		return final_round(i, &r);
	}
	return eap_round(i, &r, now_ms);
}

int
ike_initiator_eap_response(struct ike_initiator *i, struct bytes eap, uint64_t now_ms)
{
	struct eap_packet pkt;
	struct parse_error e;
	struct ikev2_builder b;
	int err;

	if (i->state != IKEI_AUTH || !i->eap_owed)
		return ikei_fail(i, TNC_ESTATE, "no EAP Request waits for a Response");
	if (eap_parse(eap.ptr, eap.len, &pkt, &e) || pkt.code != EAP_RESPONSE)
		return ikei_fail(i, TNC_EINVALID, "not a valid EAP Response");
	ikev2_builder_init_chain(&b, i->cfg->max_msg_len);
	ikev2_builder_add_eap(&b, eap);
	err = ikei_request(i, IKEV2_IKE_AUTH, &b, now_ms);
	ikev2_builder_clear(&b);
	if (!err)
		i->eap_owed = false;
	return err;
}

int
ike_initiator_eap_done(struct ike_initiator *i, struct bytes msk, uint64_t now_ms)
{
	uint8_t mic[IKEV2_PRF_MAX_LEN];
	size_t mic_len = 0;
	struct ikev2_builder b;
	int err;

	if (i->state != IKEI_AUTH || !i->msk_owed)
		return ikei_fail(i, TNC_ESTATE, "EAP-Success not received");
	if (!msk.len || msk.len > sizeof(i->msk))
		return ikei_fail(i, TNC_EINVALID, "MSK empty or longer than 256 octets");
	memcpy(i->msk, msk.ptr, msk.len);
	i->msk_len = msk.len;
	/* 2.16: prf(prf(MSK, "Key Pad for IKEv2"), RealMessage1 | Nr | prf(SK_pi, IDi')) */
	const struct ikev2_auth_input in = {i->keys.suite.prf, {i->init_req.ptr, i->init_req.len},
	    {i->nr.ptr, i->nr.len}, {i->keys.pi, i->keys.suite.prf_len}, {i->idi.ptr, i->idi.len}};
	if ((err = ikev2_auth_mic(&in, msk, mic, &mic_len)))
		return ikei_fail(i, err, "AUTH computation failed");
	ikev2_builder_init_chain(&b, i->cfg->max_msg_len);
	ikev2_builder_add_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, (struct bytes){mic, mic_len});
	err = ikei_request(i, IKEV2_IKE_AUTH, &b, now_ms);
	ikev2_builder_clear(&b);
	OPENSSL_cleanse(mic, sizeof(mic));
	if (err)
		return err;
	i->msk_owed = false;
	i->auth_sent = true;
	return 0;
}
