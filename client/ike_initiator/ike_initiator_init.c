/* ike_initiator_init.c - the IKE_SA_INIT exchange of the initiator (RFC
 * 7296 1.2, 2.6, 2.7, 2.14, 2.23; RFC 7383 2.3): our request, the COOKIE
 * and INVALID_KE_PAYLOAD retries, the responder's choice checked against
 * what we offered, D-H and the IKE SA's keys, NAT detection. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_initiator_int.h"

/* 2.23: the NAT detection hash of an endpoint. */
static bool
natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_initiator_endpoint *ep,
    uint8_t out[IKEV2_NATD_LEN])
{
	return ikev2_natd_hash(spi_i, spi_r, ep->addr, ep->addr_len, ep->port, out);
}

/* Whether group is a D-H transform of one of our proposals. */
static bool
group_offered(const struct ike_initiator_config *c, uint16_t group)
{
	for (size_t p = 0; p < c->ike_count; p++)
		for (size_t t = 0; t < c->ike[p].count; t++)
			if (c->ike[p].transforms[t].type == IKEV2_TRANS_DH &&
			    c->ike[p].transforms[t].id == group)
				return true;
	return false;
}

uint16_t
ikei_first_group(const struct ike_initiator_config *c)
{
	for (size_t t = 0; t < c->ike[0].count; t++)
		if (c->ike[0].transforms[t].type == IKEV2_TRANS_DH)
			return c->ike[0].transforms[t].id;
	return 0;
}

/* [ N(COOKIE) ] SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) [ N(HASH_ALG) ], sent. */
int
ikei_init_send(struct ike_initiator *i, uint64_t now_ms)
{
	const struct ike_initiator_config *c = i->cfg;
	const struct ikev2_header h = {.spi_i = i->spi_i, .major = IKEV2_MAJOR_VERSION,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_INITIATOR};
	const struct bytes none = {NULL, 0};
	uint8_t src[IKEV2_NATD_LEN], dst[IKEV2_NATD_LEN];
	struct ikev2_proposal_spec *props;
	struct ikev2_builder b;
	struct bytes msg;
	int err;

	if (!natd_hash(i->spi_i, 0, &i->local, src) || !natd_hash(i->spi_i, 0, &i->remote, dst))
		return ikei_end(i, TNC_EINVALID, "NAT detection hash failed");
	if (!(props = calloc(c->ike_count, sizeof(*props))))
		return ikei_end(i, -ENOMEM, "no memory for the proposals");
	for (size_t p = 0; p < c->ike_count; p++)
		props[p] = (struct ikev2_proposal_spec){(uint8_t)(p + 1), IKEV2_PROTO_IKE, none,
		    c->ike[p].transforms, c->ike[p].count};
	ikev2_builder_init(&b, &h, c->max_msg_len);
	if (i->cookie.len) /* 2.6: first */
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_COOKIE,
		    (struct bytes){i->cookie.ptr, i->cookie.len});
	ikev2_builder_add_sa(&b, props, c->ike_count);
	ikev2_builder_add_ke(&b, ikev2_dh_group(i->dh), ikev2_dh_public(i->dh));
	ikev2_builder_add_nonce(&b, (struct bytes){i->ni, sizeof(i->ni)});
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_NAT_DETECTION_SOURCE_IP,
	    (struct bytes){src, sizeof(src)});
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_NAT_DETECTION_DESTINATION_IP,
	    (struct bytes){dst, sizeof(dst)});
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED,
	    none);
	if (c->hash_algs.len)
		ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, none, IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
		    c->hash_algs);
	free(props);
	if (!(err = ikev2_builder_finish(&b, &msg)) && !(err = ikev2_buf_set(&i->init_req, msg.ptr,
							      msg.len)))
		err = ikei_request_raw(i, msg, now_ms);
	ikev2_builder_clear(&b);
	if (err)
		return ikei_end(i, err, "IKE_SA_INIT request does not build");
	return 0;
}

/* The answer asks for the request again, with a cookie or another group. */
static int
restart(struct ike_initiator *i, const struct ikev2_msg *m, uint64_t now_ms)
{
	struct ikev2_payload n;

	if (i->restarts >= IKEI_MAX_RESTARTS)
		return ikei_end(i, TNC_EPEER, "responder asked for IKE_SA_INIT again too often");
	i->restarts++;
	if (ikev2_find(&m->chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE, &n)) {
		if (!n.u.notify.data.len || n.u.notify.data.len > IKEV2_COOKIE_MAX)
			return ikei_end(i, TNC_EINVALID, "COOKIE of the responder not 1..64 octets");
		if (ikev2_buf_set(&i->cookie, n.u.notify.data.ptr, n.u.notify.data.len))
			return ikei_end(i, -ENOMEM, "no memory for the cookie");
		i->reason = "COOKIE echoed";
	} else {
		(void)ikev2_find(&m->chain, IKEV2_PL_NOTIFY, IKEV2_N_INVALID_KE_PAYLOAD, &n);
		const struct bytes d = n.u.notify.data;
		if (d.len != 2)
			return ikei_end(i, TNC_EINVALID, "INVALID_KE_PAYLOAD without a 2-octet group");
		const uint16_t group = (uint16_t)(d.ptr[0] << 8 | d.ptr[1]);
		if (group == ikev2_dh_group(i->dh) || !group_offered(i->cfg, group))
			return ikei_end(i, TNC_EPEER,
			    "INVALID_KE_PAYLOAD names our KE's group or one we did not offer");
		struct ikev2_dh *dh = ikev2_dh_new(group, i->dh_private);
		if (!dh)
			return ikei_end(i, TNC_ECONFIG, "D-H group the responder names is not supported");
		ikev2_dh_free(i->dh);
		i->dh = dh;
		i->reason = "KE sent again in the group the responder names";
	}
	const char *why = i->reason;
	const int err = ikei_init_send(i, now_ms);
	return err ? err : ikei_fail(i, 0, why);
}

/* The responder's proposal: one, ours by number, every transform one we
 * offered in it, one of each type (INTEG not with AEAD, checked later by
 * ikev2_suite_init()), its D-H group that of our KE. */
static const char *
check_choice(struct ike_initiator *i, struct bytes sa, uint16_t *encr, uint16_t *bits,
    uint16_t *integ, uint16_t *prf)
{
	struct ikev2_proposal p;
	struct ikev2_transform t;
	uint16_t dh = 0;
	unsigned seen = 0;

	if (!ikev2_proposal_next(&sa, &p) || sa.len)
		return "SA of the IKE_SA_INIT response is not one proposal";
	if (p.protocol != IKEV2_PROTO_IKE || p.spi.len || !p.num || p.num > i->cfg->ike_count)
		return "chosen IKE proposal is not one of ours (number, protocol or SPI)";
	const struct ike_initiator_proposal *ours = &i->cfg->ike[p.num - 1];
	while (ikev2_transform_next(&p.transforms, &t)) {
		bool offered = false;
		for (size_t k = 0; k < ours->count && !offered; k++)
			offered = ours->transforms[k].type == t.type && ours->transforms[k].id == t.id &&
			    ours->transforms[k].key_length == t.key_length;
		if (!offered || t.type < IKEV2_TRANS_ENCR || t.type > IKEV2_TRANS_DH ||
		    (seen & 1u << t.type))
			return "chosen IKE transforms are not one of each we offered";
		seen |= 1u << t.type;
		switch (t.type) {
		case IKEV2_TRANS_ENCR: *encr = t.id, *bits = t.key_length; break;
		case IKEV2_TRANS_INTEG: *integ = t.id; break;
		case IKEV2_TRANS_PRF: *prf = t.id; break;
		default: dh = t.id; break;
		}
	}
	if (!*encr || !*prf || dh != ikev2_dh_group(i->dh))
		return "chosen IKE proposal lacks ENCR or PRF, or its group is not our KE's";
	return NULL;
}

/* SKEYSEED and the seven keys from the responder's KE and Nr. */
static const char *
derive(struct ike_initiator *i, const struct ikev2_suite *s, struct bytes ke)
{
	uint8_t gir[IKEV2_DH_MAX_SECRET], skeyseed[IKEV2_PRF_MAX_LEN];
	size_t gir_len = 0;
	const char *why = NULL;
	const struct bytes ni = {i->ni, sizeof(i->ni)}, nr = {i->nr.ptr, i->nr.len};

	if (ikev2_dh_shared(i->dh, ke, gir, &gir_len, &why)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "KE of the responder refused: %s",
		    why ? why : "invalid");
		return i->reason_buf;
	}
	if (ikev2_skeyseed(s->prf, ni, nr, (struct bytes){gir, gir_len}, skeyseed) ||
	    ikev2_sa_keys_derive(s, (struct bytes){skeyseed, s->prf_len}, ni, nr, i->spi_i, i->spi_r,
		&i->keys))
		why = "key derivation failed";
	OPENSSL_cleanse(gir, sizeof(gir));
	OPENSSL_cleanse(skeyseed, sizeof(skeyseed));
	return why;
}

/* NAT detection and fragmentation support from the answer. */
static void
notes(struct ike_initiator *i, const struct ikev2_chain *c)
{
	uint8_t src[IKEV2_NATD_LEN], dst[IKEV2_NATD_LEN];
	const bool hashes = natd_hash(i->spi_i, i->spi_r, &i->remote, src) &&
	    natd_hash(i->spi_i, i->spi_r, &i->local, dst);
	bool natd = false, src_match = false, dst_match = false;
	struct ikev2_iter it;
	struct ikev2_payload p;

	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		if (p.type != IKEV2_PL_NOTIFY)
			continue;
		const struct ikev2_notify *n = &p.u.notify;
		const bool ok = hashes && n->data.len == IKEV2_NATD_LEN;
		if (n->type == IKEV2_N_NAT_DETECTION_SOURCE_IP) {
			natd = true; /* any of several source hashes may match */
			src_match |= ok && !CRYPTO_memcmp(n->data.ptr, src, IKEV2_NATD_LEN);
		} else if (n->type == IKEV2_N_NAT_DETECTION_DESTINATION_IP) {
			natd = true;
			dst_match |= ok && !CRYPTO_memcmp(n->data.ptr, dst, IKEV2_NATD_LEN);
		} else if (n->type == IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED) {
			i->frag_supported = true;
		}
	}
	i->nat_remote = natd && !src_match;
	i->nat_local = natd && !dst_match;
}

int
ikei_init_response(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw,
    uint64_t now_ms)
{
	struct ikev2_payload sa, ke, nonce;
	uint16_t encr = 0, bits = 0, integ = 0, prf = 0, error;
	struct ikev2_suite suite;
	const char *why;

	if (m->hdr.exchange != IKEV2_IKE_SA_INIT || !(m->hdr.flags & IKEV2_FLAG_RESPONSE) ||
	    m->hdr.message_id != 0)
		return ikei_fail(i, TNC_EINVALID, "not an IKE_SA_INIT response (exchange, flags, ID)");
	if (ikev2_find(&m->chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE, &sa) ||
	    ikev2_find(&m->chain, IKEV2_PL_NOTIFY, IKEV2_N_INVALID_KE_PAYLOAD, &sa))
		return restart(i, m, now_ms);
	if ((error = ikev2_error_notify(&m->chain))) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "responder refused IKE_SA_INIT: %s",
		    error == IKEV2_N_NO_PROPOSAL_CHOSEN ? "NO_PROPOSAL_CHOSEN, none of our proposals"
							: ikev2_notify_name(error));
		return ikei_end(i, TNC_EPEER, i->reason_buf);
	}
	if (!m->hdr.spi_r)
		return ikei_end(i, TNC_EINVALID, "IKE_SA_INIT response with a zero SPIr");
	if (!ikev2_find(&m->chain, IKEV2_PL_SA, 0, &sa) ||
	    !ikev2_find(&m->chain, IKEV2_PL_KE, 0, &ke) ||
	    !ikev2_find(&m->chain, IKEV2_PL_NONCE, 0, &nonce))
		return ikei_end(i, TNC_EINVALID, "IKE_SA_INIT response without SA, KE or Nonce");
	if ((why = check_choice(i, sa.u.sa, &encr, &bits, &integ, &prf)))
		return ikei_end(i, TNC_EINVALID, why);
	if (ke.u.ke.group != ikev2_dh_group(i->dh))
		return ikei_end(i, TNC_EINVALID, "KE of the responder in another group than ours");
	if (ikev2_suite_init(&suite, encr, bits, integ, prf, &why)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "chosen IKE transforms unusable: %s",
		    why ? why : "unsupported");
		return ikei_end(i, TNC_EINVALID, i->reason_buf);
	}
	i->spi_r = m->hdr.spi_r;
	if (ikev2_buf_set(&i->nr, nonce.u.nonce.ptr, nonce.u.nonce.len) ||
	    ikev2_buf_set(&i->init_resp, raw.ptr, raw.len))
		return ikei_end(i, -ENOMEM, "no memory for the IKE_SA_INIT response");
	if ((why = derive(i, &suite, ke.u.ke.data)))
		return ikei_end(i, TNC_EINVALID, why);
	ikev2_dh_free(i->dh);
	i->dh = NULL;
	notes(i, &m->chain);
	ikei_forget_request(i);
	i->mid = 1;
	i->state = IKEI_AUTH;
	return ikei_auth_first(i, now_ms);
}
