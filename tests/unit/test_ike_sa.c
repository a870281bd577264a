/* test_ike_sa.c - the IKEv2 responder SA (ike/ikev2_sa/) driven by
 * tncclient's initiator (client/ike_initiator/, which is not built from
 * the responder's code) and, where the initiator must misbehave, by raw
 * messages of the codec and the crypto layer (test_ike_sa_peer.h):
 * IKE_SA_INIT with each suite, INVALID_KE_PAYLOAD and the initiator's
 * retry, NO_PROPOSAL_CHOSEN, NAT detection, cookies; IKE_AUTH with EAP
 * through seam 1 (the test plays the EAP server and the initiator's EAP
 * peer), AUTH checked both ways, the CHILD_SA's keys equal on both sides,
 * the virtual IP leased and released; refusals (wrong AUTH, no EAP-only,
 * EAP failure).
 */
#include "test_ike_sa_peer.h"

static struct bytes last_req; /* the last request sent, in req */

static const struct offer def = {offer_default, 8};
static const struct offer gcm = {offer_gcm, 3};

/* The initiator's IKE_SA_INIT accepted; the shadow holds the keys, the
 * initiator takes the answer with lib_take_init(). */
static void
do_init(const struct offer *of, uint16_t group)
{
	owner_new(&o);
	lib_new(&p, of, group, PEER_ADDR);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
	ck_assert_uint_eq(o.out_count, 1);
	peer_init_done(&p, B(o.out[0], o.out_len[0]));
}

/* The initiator takes the IKE_SA_INIT answer and sends IKE_AUTH request 1
 * with what flags say (in L.out). */
static void
lib_take_init(int flags)
{
	lib_flags(flags);
	ck_assert_int_eq(lib_receive(B(p.init_resp, p.init_resp_len)), 0);
	ck_assert_uint_eq(L.out_count, 1);
}

/* The initiator's EAP peer answers with eap: the next IKE_AUTH request. */
static void
lib_eap_response(const uint8_t *eap, size_t len)
{
	L.out_count = 0;
	ck_assert_int_eq(ike_initiator_eap_response(L.i, B(eap, len), NOW), 0);
	ck_assert_uint_eq(L.out_count, 1);
}

/* The owner's EAP server answers now (outside any callback). */
static int
eap_answer(const uint8_t *eap, size_t len)
{
	o.out_count = 0;
	return ike_sa_eap_request(o.sa, B(eap, len));
}

/* IKE_AUTH request 1 (with flags) and the EAP rounds up to EAP-Success,
 * each answer taken by the initiator, and eap_done() with conn; p->mid is
 * then the AUTH request's. */
static void
do_eap_with(const char *conn, int flags)
{
	uint8_t eap[600];
	char sum[96];

	lib_take_init(flags);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
	ck_assert_uint_eq(o.eap_starts, 1);
	ck_assert_uint_eq(o.out_count, 0); /* pending until the EAP server answers */
	ck_assert_uint_eq(o.peer_id_len, p.idi_len);
	ck_assert_mem_eq(o.peer_id, p.idi, p.idi_len);
	ck_assert_int_eq(eap_answer(eap_ttls_start, sizeof(eap_ttls_start)), 0);
	expect_answer(&o, &p, "IKE_AUTH response 1 [ IDr EAP/REQ/TTLS ]");
	lib_take(&o);
	ck_assert_uint_eq(L.eaps, 1);
	ck_assert_mem_eq(L.eap, eap_ttls_start, sizeof(eap_ttls_start));
	p.mid++;
	for (uint8_t round = 0; round < 3; round++) {
		const size_t n = eap_ttls_response((uint8_t)(0xa8 + round), 100 + round, eap);
		lib_eap_response(eap, n);
		ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
		ck_assert_uint_eq(o.eap_responses, round + 1u);
		ck_assert_uint_eq(o.last_eap_len, n);
		ck_assert_mem_eq(o.last_eap, eap, n);
		if (round < 2) {
			const uint8_t next[] = {1, (uint8_t)(0xa9 + round), 0, 6, 21, 0};
			ck_assert_int_eq(eap_answer(next, sizeof(next)), 0);
			snprintf(sum, sizeof(sum), "IKE_AUTH response %u [ EAP/REQ/TTLS ]", p.mid);
		} else {
			const uint8_t success[] = {EAP_SUCCESS, 0xab, 0, 4};
			ck_assert_int_eq(eap_answer(success, sizeof(success)), 0);
			snprintf(sum, sizeof(sum), "IKE_AUTH response %u [ EAP/SUCC ]", p.mid);
		}
		expect_answer(&o, &p, sum);
		lib_take(&o);
		p.mid++;
	}
	ck_assert_uint_eq(L.eaps, 4);
	ck_assert_uint_eq(L.eap[0], EAP_SUCCESS);
	ck_assert_int_eq(ike_sa_eap_done(o.sa, true, B(msk, sizeof(msk)), conn), 0);
}

static void
do_eap(const char *conn)
{
	do_eap_with(conn, AUTH1_ALL);
}

/* The initiator's [ AUTH ] made with key (its EAP peer's MSK); the answer
 * opened into p and taken by the initiator (which judges it). */
static void
send_auth(struct bytes key)
{
	L.out_count = 0;
	ck_assert_int_eq(ike_initiator_eap_done(L.i, key, NOW), 0);
	ck_assert_uint_eq(L.out_count, 1);
	memcpy(req, L.out[0], L.out_len[0]);
	last_req = B(req, L.out_len[0]);
	(void)deliver(&o, last_req);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
	(void)lib_receive(B(o.out[0], o.out_len[0]));
}

/* Our AUTH checked as the initiator does: RealMessage2 | Ni |
 * prf(SK_pr, IDr'). */
static void
verify_gateway_auth(void)
{
	uint8_t idr[4 + sizeof(gw_id)] = {IKEV2_ID_FQDN, 0, 0, 0};
	struct ikev2_payload auth;

	memcpy(idr + 4, gw_id, strlen(gw_id));
	const struct ikev2_auth_input in = {p.keys.suite.prf, B(p.init_resp, p.init_resp_len),
	    B(p.ni, 32), B(p.keys.pr, p.keys.suite.prf_len), B(idr, 4 + strlen(gw_id))};
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_AUTH, 0, &auth));
	ck_assert_uint_eq(auth.u.auth.method, IKEV2_AUTH_SHARED_KEY_MIC);
	ck_assert_uint_eq(auth.u.auth.data.len, p.keys.suite.prf_len);
	ck_assert_int_eq(ikev2_auth_mic_verify(&in, B(msk, sizeof(msk)), auth.u.auth.data), 0);
}

/* An INFORMATIONAL request of the peer with the inner chain b. */
static int
send_info(struct ikev2_builder *b)
{
	return deliver(&o, peer_request(&p, IKEV2_INFORMATIONAL, b, req));
}

/* --- IKE_SA_INIT --- */

static const struct {
	const struct offer *offer;
	uint16_t group;
	uint16_t encr, bits, integ, prf;
} init_cases[] = {
    {&gcm, IKEV2_DH_ECP_256, IKEV2_ENCR_AES_GCM_16, 256, 0, IKEV2_PRF_HMAC_SHA2_384},
    {&def, IKEV2_DH_MODP_2048, IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128,
	IKEV2_PRF_HMAC_SHA2_256},
    {&def, IKEV2_DH_CURVE25519, IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256,
	IKEV2_PRF_HMAC_SHA2_512},
};

/* _i: suite; the answer's transforms, NAT detection data, FRAG_SUP and
 * HASH_ALG; the keys agree (the first IKE_AUTH answer opens). */
START_TEST(init_each_suite)
{
	struct ikev2_payload n;
	uint8_t want[20];
	static const uint8_t hashes[] = {0, 2, 0, 3, 0, 4};

	do_init(init_cases[_i].offer, init_cases[_i].group);
	ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) "
				    "N(FRAG_SUP) N(HASH_ALG) ]");
	ck_assert_uint_ne(p.spi_r, 0);
	ck_assert_uint_eq(ike_sa_spi_r(o.sa), p.spi_r);
	ck_assert_uint_eq(ike_sa_spi_i(o.sa), SPI_I);
	ck_assert_uint_eq(p.keys.suite.encr, init_cases[_i].encr);
	ck_assert_uint_eq(p.keys.suite.encr_bits, init_cases[_i].bits);
	ck_assert_uint_eq(p.keys.suite.integ, init_cases[_i].integ);
	ck_assert_uint_eq(p.keys.suite.prf, init_cases[_i].prf);
	ck_assert_uint_eq(p.nr_len, 32);
	/* NATD_S_IP is the gateway's address, NATD_D_IP the peer's */
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_NAT_DETECTION_SOURCE_IP, &n));
	natd(SPI_I, p.spi_r, GW_ADDR, 500, want);
	ck_assert_mem_eq(n.u.notify.data.ptr, want, 20);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_NAT_DETECTION_DESTINATION_IP, &n));
	natd(SPI_I, p.spi_r, PEER_ADDR, 500, want);
	ck_assert_mem_eq(n.u.notify.data.ptr, want, 20);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_SIGNATURE_HASH_ALGORITHMS, &n));
	ck_assert_uint_eq(n.u.notify.data.len, sizeof(hashes));
	ck_assert_mem_eq(n.u.notify.data.ptr, hashes, sizeof(hashes));
	ck_assert(!ike_sa_nat_remote(o.sa));
	ck_assert(!ike_sa_nat_local(o.sa));
	ck_assert(!ike_sa_established(o.sa));

	/* a retransmitted IKE_SA_INIT gets the same answer */
	ck_assert_int_eq(deliver(&o, B(p.init_req, p.init_req_len)), 0);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.out_len[0], p.init_resp_len);
	ck_assert_mem_eq(o.out[0], p.init_resp, p.init_resp_len);

	/* the keys agree: the first IKE_AUTH request is read, its answer opens */
	do_eap("rw-allow");
	ck_assert_uint_eq(o.closes, 0);
	/* the initiator took the same transforms */
	ck_assert_uint_eq(ike_initiator_suite(L.i)->encr, init_cases[_i].encr);
	ck_assert_uint_eq(ike_initiator_suite(L.i)->integ, init_cases[_i].integ);
	ck_assert_uint_eq(ike_initiator_suite(L.i)->prf, init_cases[_i].prf);
}
END_TEST

/* The KE is of a group offered but not the one we choose:
 * INVALID_KE_PAYLOAD names ours; the retry with it succeeds. */
START_TEST(init_invalid_ke_then_retry)
{
	static const struct ikev2_transform_spec t[] = {
	    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128},
	    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	    {IKEV2_TRANS_DH, IKEV2_DH_ECP_384, 0},
	    {IKEV2_TRANS_DH, IKEV2_DH_MODP_2048, 0},
	};
	const struct offer of = {t, 5};
	struct ikev2_msg m;
	struct ikev2_payload n;

	owner_new(&o);
	lib_new(&p, &of, IKEV2_DH_ECP_384, PEER_ADDR);
	ck_assert_int_eq(deliver(&o, lib_out(0)), TNC_EINVALID);
	ck_assert_uint_eq(o.out_count, 1);
	peer_parse_plain(&p, B(o.out[0], o.out_len[0]), &m);
	ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ N(INVAL_KE) ]");
	ck_assert_uint_eq(m.hdr.spi_r, 0);
	ck_assert_uint_eq(m.hdr.spi_i, SPI_I);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NOTIFY, IKEV2_N_INVALID_KE_PAYLOAD, &n));
	ck_assert_uint_eq(n.u.notify.data.len, 2);
	ck_assert_uint_eq(n.u.notify.data.ptr[0] << 8 | n.u.notify.data.ptr[1], IKEV2_DH_MODP_2048);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert(ike_sa_closed(o.sa));
	ck_assert_str_eq(o.closed_reason, "KE of a group we do not choose: INVALID_KE_PAYLOAD sent");
	ike_sa_free(o.sa);

	/* the initiator's retry, in the group it was told; a new SA (the owner's) */
	ck_assert_int_eq(lib_receive(B(o.out[0], o.out_len[0])), 0);
	ck_assert_str_eq(ike_initiator_reason(L.i), "KE sent again in the group the responder names");
	ck_assert_uint_eq(L.out_count, 1);
	memcpy(p.init_req, L.out[0], L.out_len[0]);
	p.init_req_len = L.out_len[0];
	peer_shadow(&p, IKEV2_DH_MODP_2048);
	owner_new(&o);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
	ck_assert_uint_eq(o.out_count, 1);
	peer_init_done(&p, B(o.out[0], o.out_len[0]));
	ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) "
				    "N(FRAG_SUP) N(HASH_ALG) ]");
	ck_assert_uint_eq(p.keys.suite.encr_bits, 128);
	do_eap("rw-allow");
}
END_TEST

START_TEST(init_no_proposal_chosen)
{
	static const struct ikev2_transform_spec t[] = {
	    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 192}, /* not configured */
	    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	    {IKEV2_TRANS_DH, IKEV2_DH_MODP_2048, 0},
	};
	const struct offer of = {t, 4};
	struct ikev2_msg m;

	owner_new(&o);
	lib_new(&p, &of, IKEV2_DH_MODP_2048, PEER_ADDR);
	ck_assert_int_eq(deliver(&o, lib_out(0)), TNC_EINVALID);
	ck_assert_uint_eq(o.out_count, 1);
	peer_parse_plain(&p, B(o.out[0], o.out_len[0]), &m);
	ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ N(NO_PROP) ]");
	ck_assert_str_eq(ike_sa_reason(o.sa), "no proposal of the peer is acceptable");
	ck_assert_uint_eq(o.closes, 1);
	/* the initiator gives up, saying why */
	ck_assert_int_eq(lib_receive(B(o.out[0], o.out_len[0])), TNC_EPEER);
	ck_assert_uint_eq(L.failed, 1);
	ck_assert_str_eq(L.reason,
	    "responder refused IKE_SA_INIT: NO_PROPOSAL_CHOSEN, none of our proposals");
	/* nothing more is answered */
	ck_assert_int_eq(deliver(&o, B(p.init_req, p.init_req_len)), TNC_ESTATE);
	ck_assert_uint_eq(o.out_count, 0);
}
END_TEST

/* A KE value the group refuses (X25519 all zeros, RFC 8031 2) and a
 * request without Nonce: INVALID_SYNTAX, the SA ends. */
START_TEST(init_bad_ke_or_missing_nonce)
{
	const struct ikev2_header h = {.spi_i = SPI_I, .major = 2, .exchange = IKEV2_IKE_SA_INIT,
	    .flags = IKEV2_FLAG_INITIATOR};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, B(NULL, 0), offer_default, 8};
	static const uint8_t zero[32];
	struct ikev2_builder b;
	struct ikev2_msg m;
	struct bytes msg;

	for (int c = 0; c < 2; c++) {
		ike_sa_free(o.sa);
		owner_new(&o);
		ikev2_builder_init(&b, &h, MAX_MSG);
		ikev2_builder_add_sa(&b, &prop, 1);
		ikev2_builder_add_ke(&b, IKEV2_DH_CURVE25519, B(zero, sizeof(zero)));
		if (c == 0)
			ikev2_builder_add_nonce(&b, B(p.ni, sizeof(p.ni)));
		ck_assert_int_eq(ikev2_builder_finish(&b, &msg), 0);
		ck_assert_int_lt(deliver(&o, msg), 0);
		ikev2_builder_clear(&b);
		ck_assert_uint_eq(o.out_count, 1);
		peer_parse_plain(&p, B(o.out[0], o.out_len[0]), &m);
		ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ N(INVAL_SYN) ]");
		ck_assert_uint_eq(o.closes, 1);
		if (c == 0)
			ck_assert_str_eq(o.closed_reason,
			    "KE refused: X25519 shared secret is zero (low-order point)");
		else
			ck_assert_str_eq(o.closed_reason, "IKE_SA_INIT request without SA, KE or Nonce");
	}
}
END_TEST

/* The peer saw another source address than ours for it: a NAT in front
 * of it, reported to the owner. */
START_TEST(init_nat_detected)
{
	owner_new(&o);
	lib_new(&p, &def, IKEV2_DH_MODP_2048, 0x0a000002u);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
	ck_assert(ike_sa_nat_remote(o.sa));
	ck_assert(!ike_sa_nat_local(o.sa));
	/* and the initiator sees the NAT in front of itself */
	ck_assert_int_eq(lib_receive(B(o.out[0], o.out_len[0])), 0);
	ck_assert(ike_initiator_nat_local(L.i));
	ck_assert(!ike_initiator_nat_remote(L.i));
}
END_TEST

/* --- cookies --- */

START_TEST(cookies_required_echoed_forged_stale)
{
	struct ike_cookies c;
	struct ike_cookie_result r;
	uint8_t secret[IKE_COOKIE_SECRET_LEN], cookie[IKE_COOKIE_LEN];
	const struct ike_endpoint peer_ep = ep4(PEER_ADDR, 500), other = ep4(PEER_ADDR + 1, 500);
	struct ikev2_msg m;
	struct ikev2_payload n;
	struct bytes msg;

	memset(secret, 0x11, sizeof(secret));
	ike_cookies_init(&c, secret);
	/* no cookie: a challenge, SPIr zero, N(COOKIE) only */
	lib_new(&p, &def, IKEV2_DH_MODP_2048, PEER_ADDR);
	msg = lib_out(0);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r), IKE_COOKIE_REPLY);
	ck_assert_str_eq(r.reason, "cookie required");
	peer_parse_plain(&p, B(r.reply, r.reply_len), &m);
	ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ N(COOKIE) ]");
	ck_assert_uint_eq(m.hdr.spi_r, 0);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE, &n));
	ck_assert_uint_eq(n.u.notify.data.len, IKE_COOKIE_LEN);
	ck_assert_uint_eq(n.u.notify.data.ptr[0], 0); /* the secret's version */
	memcpy(cookie, n.u.notify.data.ptr, IKE_COOKIE_LEN);

	/* echoed by the initiator: accepted, and the SA takes the request with it */
	ck_assert_int_eq(lib_receive(B(r.reply, r.reply_len)), 0);
	ck_assert_str_eq(ike_initiator_reason(L.i), "COOKIE echoed");
	memcpy(p.init_req, L.out[0], L.out_len[0]);
	p.init_req_len = L.out_len[0];
	msg = B(p.init_req, p.init_req_len);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r),
	    IKE_COOKIE_ACCEPT);
	owner_new(&o);
	ck_assert_int_eq(deliver(&o, msg), 0);
	peer_init_done(&p, B(o.out[0], o.out_len[0]));
	ck_assert_str_eq(p.summary, "IKE_SA_INIT response 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) "
				    "N(FRAG_SUP) N(HASH_ALG) ]");
	/* and AUTH covers the request as sent, cookie included */
	do_eap("rw-isolate");
	send_auth(B(msk, sizeof(msk)));
	verify_gateway_auth();
	ck_assert_uint_eq(L.established, 1);

	/* forged and replayed cookies: raw requests */
	/* from another address: does not match */
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &other, &r), IKE_COOKIE_REPLY);
	ck_assert_str_eq(r.reason, "cookie does not match the request");
	/* forged: one octet changed */
	cookie[9] ^= 1;
	msg = peer_init(&p, &def, IKEV2_DH_MODP_2048, B(cookie, sizeof(cookie)), PEER_ADDR);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r), IKE_COOKIE_REPLY);
	ck_assert_str_eq(r.reason, "cookie does not match the request");
	cookie[9] ^= 1;
	/* another nonce: does not match either */
	p.ni[0] ^= 1;
	msg = peer_init(&p, &def, IKEV2_DH_MODP_2048, B(cookie, sizeof(cookie)), PEER_ADDR);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r), IKE_COOKIE_REPLY);
	p.ni[0] ^= 1;
	/* one rotation: still valid (the previous secret); two: stale */
	memset(secret, 0x22, sizeof(secret));
	ike_cookies_rotate(&c, secret);
	msg = peer_init(&p, &def, IKEV2_DH_MODP_2048, B(cookie, sizeof(cookie)), PEER_ADDR);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r),
	    IKE_COOKIE_ACCEPT);
	memset(secret, 0x33, sizeof(secret));
	ike_cookies_rotate(&c, secret);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r), IKE_COOKIE_REPLY);
	ck_assert_str_eq(r.reason, "cookie of an unknown secret version (stale)");
	/* the new challenge carries version 2 and is accepted */
	peer_parse_plain(&p, B(r.reply, r.reply_len), &m);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE, &n));
	ck_assert_uint_eq(n.u.notify.data.ptr[0], 2);
	memcpy(cookie, n.u.notify.data.ptr, IKE_COOKIE_LEN);
	msg = peer_init(&p, &def, IKEV2_DH_MODP_2048, B(cookie, sizeof(cookie)), PEER_ADDR);
	ck_assert_int_eq(ike_cookie_check(&c, msg.ptr, msg.len, &lim, &peer_ep, &r),
	    IKE_COOKIE_ACCEPT);
	/* not an IKE_SA_INIT request: dropped */
	ck_assert_int_eq(ike_cookie_check(&c, o.out[0], o.out_len[0], &lim, &peer_ep, &r),
	    IKE_COOKIE_DROP);
	ike_cookies_cleanse(&c);
}
END_TEST

/* --- IKE_AUTH --- */

/* The seeds' flow to the end: EAP rounds, AUTH both ways, the CHILD_SA of
 * rw-allow with a virtual IP and DNS, keys equal; then the retransmitted
 * AUTH answered identically, a tampered request dropped, DELETE. */
START_TEST(auth_eap_child_delete)
{
	struct ikev2_payload sa, tsi, tsr, cp;
	struct ikev2_proposal prop;
	struct ikev2_transform t;
	struct ikev2_ts ts;
	struct ikev2_cp_attr a;
	struct ikev2_child_keys keys;
	struct ikev2_suite esp;
	struct ikev2_builder b;
	uint8_t saved[2048];
	size_t saved_len;
	const uint16_t group = _i ? IKEV2_DH_ECP_256 : IKEV2_DH_MODP_2048;

	do_init(_i ? &gcm : &def, group);
	do_eap("rw-allow");
	ck_assert_uint_eq(ike_pool_leased(pool), 0); /* no lease before AUTH */
	send_auth(B(msk, sizeof(msk)));
	ck_assert_str_eq(p.summary,
	    "IKE_AUTH response 5 [ AUTH CPRP(ADDR DNS DNS) SA TSi TSr N(AUTH_LFT) ]");
	verify_gateway_auth();
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.child_ups, 1);

	/* ESP: our order prefers AES-GCM-16-128, the peer's proposal 2 */
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_SA, 0, &sa));
	struct bytes list = sa.u.sa;
	ck_assert(ikev2_proposal_next(&list, &prop));
	ck_assert_uint_eq(prop.num, 2);
	ck_assert_uint_eq(prop.protocol, IKEV2_PROTO_ESP);
	ck_assert_uint_eq(prop.spi.len, 4);
	ck_assert_uint_eq(get32(prop.spi.ptr), o.child.spi_in);
	ck_assert_uint_ge(o.child.spi_in, 256);
	ck_assert(ikev2_transform_next(&prop.transforms, &t));
	ck_assert_uint_eq(t.type, IKEV2_TRANS_ENCR);
	ck_assert_uint_eq(t.id, IKEV2_ENCR_AES_GCM_16);
	ck_assert_uint_eq(t.key_length, 128);
	ck_assert(ikev2_transform_next(&prop.transforms, &t));
	ck_assert_uint_eq(t.type, IKEV2_TRANS_ESN);
	ck_assert_uint_eq(t.id, 0);
	ck_assert(!ikev2_transform_next(&prop.transforms, &t));
	ck_assert_uint_eq(o.child.spi_out, PEER_ESP_SPI);
	ck_assert_uint_eq(o.child.esp.encr, IKEV2_ENCR_AES_GCM_16);
	ck_assert_str_eq(o.child.conn_name, "rw-allow");
	ck_assert_uint_eq(o.child.lifetime_s, 3600);

	/* KEYMAT as the initiator derives it */
	ck_assert_int_eq(ikev2_suite_init(&esp, IKEV2_ENCR_AES_GCM_16, 128, 0, 0, NULL), 0);
	ck_assert_int_eq(ikev2_child_keys_derive(p.keys.suite.prf, B(p.keys.d, p.keys.suite.prf_len),
			     &esp, B(NULL, 0), B(p.ni, 32), B(p.nr, p.nr_len), &keys), 0);
	ck_assert_mem_eq(o.child.keys.ei, keys.ei, esp.encr_key_len);
	ck_assert_mem_eq(o.child.keys.er, keys.er, esp.encr_key_len);
	ck_assert(memcmp(keys.ei, keys.er, esp.encr_key_len) != 0);
	ikev2_child_keys_cleanse(&keys);
	/* the initiator's CHILD_SA is the mirror image */
	ck_assert_uint_eq(L.established, 1);
	ck_assert(!L.child_null);
	ck_assert_uint_eq(L.child.spi_in, o.child.spi_out);
	ck_assert_uint_eq(L.child.spi_out, o.child.spi_in);
	ck_assert_uint_eq(L.child.esp.encr, IKEV2_ENCR_AES_GCM_16);
	ck_assert_mem_eq(L.child.keys.ei, o.child.keys.ei, esp.encr_key_len);
	ck_assert_mem_eq(L.child.keys.er, o.child.keys.er, esp.encr_key_len);
	ck_assert(L.child.has_virtual_ip);
	ck_assert_uint_eq(L.child.virtual_ip, POOL_FIRST);
	ck_assert_uint_eq(L.child.dns_count, 2);
	ck_assert_uint_eq(L.child.dns[1], dns[1]);
	ck_assert_uint_eq(L.child.auth_lifetime_s, 10800);

	/* the virtual IP, DNS; TSi narrowed to it, TSr to 10.1.0.0/16 */
	ck_assert(o.child.has_virtual_ip);
	ck_assert_uint_eq(o.child.virtual_ip, POOL_FIRST);
	ck_assert_uint_eq(ike_pool_leased(pool), 1);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_CP, 0, &cp));
	ck_assert_uint_eq(cp.u.cp.cfg_type, IKEV2_CFG_REPLY);
	list = cp.u.cp.attrs;
	ck_assert(ikev2_cp_next(&list, &a));
	ck_assert_uint_eq(a.type, IKEV2_CFG_INTERNAL_IP4_ADDRESS);
	ck_assert_uint_eq(get32(a.value.ptr), POOL_FIRST);
	ck_assert(ikev2_cp_next(&list, &a));
	ck_assert_uint_eq(a.type, IKEV2_CFG_INTERNAL_IP4_DNS);
	ck_assert_uint_eq(get32(a.value.ptr), dns[0]);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_TSI, 0, &tsi));
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_TSR, 0, &tsr));
	list = tsi.u.ts.selectors;
	ck_assert(ikev2_ts_next(&list, &ts));
	ck_assert_uint_eq(get32(ts.start.ptr), POOL_FIRST);
	ck_assert_uint_eq(get32(ts.end.ptr), POOL_FIRST);
	ck_assert_uint_eq(o.child.ts_remote.start, POOL_FIRST);
	list = tsr.u.ts.selectors;
	ck_assert(ikev2_ts_next(&list, &ts));
	ck_assert_uint_eq(get32(ts.start.ptr), 0x0a010000u);
	ck_assert_uint_eq(get32(ts.end.ptr), 0x0a01ffffu);
	ck_assert_uint_eq(ts.end_port, 65535);

	/* the AUTH request again: the stored answer, byte for byte */
	saved_len = o.out_len[0];
	memcpy(saved, o.out[0], saved_len);
	ck_assert_int_eq(deliver(&o, last_req), 0);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.out_len[0], saved_len);
	ck_assert_mem_eq(o.out[0], saved, saved_len);
	ck_assert_uint_eq(o.child_ups, 1);

	/* a tampered INFORMATIONAL: dropped silently, nothing changes */
	p.mid++;
	ikev2_builder_init_chain(&b, MAX_MSG);
	struct bytes info = peer_request(&p, IKEV2_INFORMATIONAL, &b, req);
	req[info.len - 3] ^= 0x10;
	ck_assert_int_eq(deliver(&o, info), TNC_EINVALID);
	ck_assert_str_eq(ike_sa_reason(o.sa), "integrity check failed");
	ck_assert_uint_eq(o.out_count, 0);
	req[info.len - 3] ^= 0x10; /* the genuine one is still expected */
	ck_assert_int_eq(deliver(&o, info), 0);
	expect_answer(&o, &p, "INFORMATIONAL response 6 [ ]");

	/* out of the window: dropped */
	p.mid += 3;
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(send_info(&b), TNC_ESTATE);
	ck_assert_str_eq(ike_sa_reason(o.sa), "message ID outside the window");
	ck_assert_uint_eq(o.out_count, 0);
	p.mid -= 2;

	/* DELETE of the IKE SA: answered, CHILD_SA down, closed, IP back */
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, B(NULL, 0));
	ck_assert_int_eq(send_info(&b), 0);
	expect_answer(&o, &p, "INFORMATIONAL response 7 [ ]");
	ck_assert_uint_eq(o.child_downs, 1);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert(o.child_down_before_close);
	ck_assert_str_eq(o.closed_reason, "peer deleted the IKE SA");
	ck_assert_uint_eq(ike_pool_leased(pool), 0);
}
END_TEST

/* No CHILD_SA, the IKE SA up all the same, the answer saying why: no ESP
 * proposal in common, no CP for a virtual-IP connection, no selector
 * (IPv6 only) within the connection's. */
START_TEST(child_refusals)
{
	static const struct ike_esp_cfg cbc128_sha512[] = {
	    {IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_512_256}};
	static const struct {
		const char *conn;
		int flags;
		const char *summary;
	} cases[] = {
	    {"rw-isolate", AUTH1_ALL, "IKE_AUTH response 5 [ AUTH N(NO_PROP) N(AUTH_LFT) ]"},
	    {"rw-allow", AUTH1_ALL & ~AUTH1_CP,
		"IKE_AUTH response 5 [ AUTH N(FAIL_CP_REQ) N(AUTH_LFT) ]"},
	    {"rw-isolate", AUTH1_ALL & ~AUTH1_TS_V4,
		"IKE_AUTH response 5 [ AUTH N(TS_UNACCEPT) N(AUTH_LFT) ]"},
	};

	conns[1].esp = _i == 0 ? cbc128_sha512 : esp_cfg + 1;
	do_init(&def, IKEV2_DH_MODP_2048);
	do_eap_with(cases[_i].conn, cases[_i].flags);
	send_auth(B(msk, sizeof(msk)));
	ck_assert_str_eq(p.summary, cases[_i].summary);
	verify_gateway_auth();
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.child_ups, 0);
	ck_assert_uint_eq(ike_pool_leased(pool), 0);
	/* the initiator: the IKE SA up, no CHILD_SA */
	ck_assert_uint_eq(L.established, 1);
	ck_assert(L.child_null);
}
END_TEST

/* A wrong AUTH (another key): AUTHENTICATION_FAILED, closed, no CHILD_SA. */
START_TEST(auth_wrong_mic_refused)
{
	uint8_t wrong[sizeof(msk)];

	do_init(&def, IKEV2_DH_MODP_2048);
	do_eap("rw-allow");
	memcpy(wrong, msk, sizeof(msk));
	wrong[17] ^= 0x01;
	send_auth(B(wrong, sizeof(wrong)));
	ck_assert_str_eq(p.summary, "IKE_AUTH response 5 [ N(AUTH_FAILED) ]");
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "peer AUTH does not verify with the EAP MSK");
	ck_assert_uint_eq(o.child_ups, 0);
	ck_assert(!ike_sa_established(o.sa));
	ck_assert_uint_eq(ike_pool_leased(pool), 0);
	ck_assert_uint_eq(L.failed, 1);
	ck_assert_str_eq(L.reason, "responder refused our AUTH: AUTHENTICATION_FAILED");
}
END_TEST

/* Without N(EAP_ONLY_AUTHENTICATION) the peer wants a certificate AUTH
 * of ours; this configuration has no key for one: refused before EAP
 * starts (test_ike_sa_cert has the gateway with a certificate). */
START_TEST(auth_without_eap_only_refused)
{
	do_init(&def, IKEV2_DH_MODP_2048);
	lib_take_init(AUTH1_ALL & ~AUTH1_EAP_ONLY);
	ck_assert_int_eq(deliver(&o, lib_out(0)), TNC_EPEER);
	expect_answer(&o, &p, "IKE_AUTH response 1 [ N(AUTH_FAILED) ]");
	ck_assert_int_eq(lib_receive(B(o.out[0], o.out_len[0])), TNC_EPEER);
	ck_assert_str_eq(L.reason, "responder refused IKE_AUTH: AUTHENTICATION_FAILED");
	ck_assert_uint_eq(o.eap_starts, 0);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "peer does not offer EAP-only authentication (RFC 5998) "
					  "and we have no certificate key for a signature AUTH");
}
END_TEST

/* EAP-Failure goes out; the peer's next request ends the SA. */
START_TEST(auth_eap_failure_closes)
{
	struct ikev2_builder b;
	static const uint8_t failure[] = {EAP_FAILURE, 0xa8, 0, 4};
	uint8_t eap[64];

	do_init(&def, IKEV2_DH_MODP_2048);
	lib_take_init(AUTH1_ALL);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
	/* a Response is not something the owner may send */
	const size_t n = eap_ttls_response(1, 4, eap);
	ck_assert_int_eq(eap_answer(eap, n), TNC_EINVALID);
	ck_assert_uint_eq(o.out_count, 0);
	ck_assert_int_eq(eap_answer(failure, sizeof(failure)), 0);
	expect_answer(&o, &p, "IKE_AUTH response 1 [ IDr EAP/FAIL ]");
	ck_assert_int_eq(lib_receive(B(o.out[0], o.out_len[0])), TNC_EPEER);
	ck_assert_str_eq(L.reason, "EAP-Failure from the responder");
	ck_assert_int_eq(ike_sa_eap_done(o.sa, false, B(NULL, 0), NULL), 0);
	ck_assert_uint_eq(o.closes, 0);
	/* an initiator that goes on anyway (raw): the SA ends */
	p.mid++;
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_eap(&b, B(eap, n));
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_IKE_AUTH, &b, req)), TNC_EPEER);
	expect_answer(&o, &p, "IKE_AUTH response 2 [ N(AUTH_FAILED) ]");
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "EAP failed");
}
END_TEST

/* The request waiting for the EAP server: its retransmission is ignored;
 * once answered, the retransmission gets the stored answer. */
START_TEST(auth_pending_retransmission)
{
	uint8_t saved[2048];
	size_t saved_len;

	do_init(&def, IKEV2_DH_MODP_2048);
	lib_take_init(AUTH1_ALL);
	memcpy(req, L.out[0], L.out_len[0]);
	const struct bytes first = B(req, L.out_len[0]);
	ck_assert_int_eq(deliver(&o, first), 0);
	ck_assert_int_eq(deliver(&o, first), TNC_ESTATE);
	ck_assert_str_eq(ike_sa_reason(o.sa), "retransmission of a request whose answer is pending");
	ck_assert_uint_eq(o.out_count, 0);
	ck_assert_uint_eq(o.eap_starts, 1);
	/* no answer is pending outside the EAP conversation's rounds */
	ck_assert_int_eq(eap_answer(eap_ttls_start, sizeof(eap_ttls_start)), 0);
	saved_len = o.out_len[0];
	memcpy(saved, o.out[0], saved_len);
	ck_assert_int_eq(eap_answer(eap_ttls_start, sizeof(eap_ttls_start)), TNC_ESTATE);
	ck_assert_int_eq(deliver(&o, first), 0);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.out_len[0], saved_len);
	ck_assert_mem_eq(o.out[0], saved, saved_len);
	ck_assert_uint_eq(o.eap_starts, 1);
	/* an EAP result for a connection that does not exist fails closed */
	ck_assert_int_eq(ike_sa_eap_done(o.sa, true, B(msk, sizeof(msk)), "rw-none"), TNC_ENOTFOUND);
}
END_TEST

/* INFORMATIONAL: empty (liveness), DELETE of the CHILD_SA, an unknown SPI
 * ignored; CREATE_CHILD_SA refused. */
START_TEST(info_liveness_and_child_delete)
{
	struct ikev2_builder b;
	struct ikev2_payload d;
	static const uint8_t other_spi[4] = {1, 2, 3, 4};
	const uint8_t spi[4] = {0xc1, 0xc2, 0xc3, 0xc4};

	do_init(&gcm, IKEV2_DH_ECP_256);
	do_eap("rw-isolate");
	send_auth(B(msk, sizeof(msk)));
	ck_assert_str_eq(p.summary, "IKE_AUTH response 5 [ AUTH SA TSi TSr N(AUTH_LFT) ]");
	ck_assert_uint_eq(o.child_ups, 1);
	ck_assert_uint_eq(L.established, 1);
	ck_assert_uint_eq(L.child.tsr[0].ip_proto, 6);
	ck_assert_uint_eq(L.child.tsr[0].start_port, 443);
	/* rw-isolate: 10.2.0.0/24 tcp 443 and the peer's 192.168.0.0/24 */
	ck_assert_uint_eq(o.child.ts_local.start, 0x0a020000u);
	ck_assert_uint_eq(o.child.ts_local.end, 0x0a0200ffu);
	ck_assert_uint_eq(o.child.ts_local.ip_proto, 6);
	ck_assert_uint_eq(o.child.ts_local.start_port, 443);
	ck_assert_uint_eq(o.child.ts_remote.start, 0xc0a80000u);
	ck_assert(!o.child.has_virtual_ip);
	ck_assert_uint_eq(o.child.esp.encr, IKEV2_ENCR_AES_CBC);
	ck_assert_uint_eq(o.child.esp.integ, IKEV2_INTEG_HMAC_SHA2_256_128);

	p.mid++;
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(send_info(&b), 0);
	expect_answer(&o, &p, "INFORMATIONAL response 6 [ ]");
	p.mid++;
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, 1, B(other_spi, 4));
	ck_assert_int_eq(send_info(&b), 0);
	expect_answer(&o, &p, "INFORMATIONAL response 7 [ ]");
	ck_assert_uint_eq(o.child_downs, 0);
	p.mid++;
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, 1, B(spi, 4));
	ck_assert_int_eq(send_info(&b), 0);
	expect_answer(&o, &p, "INFORMATIONAL response 8 [ D ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_DELETE, 0, &d));
	ck_assert_uint_eq(d.u.del.protocol, IKEV2_PROTO_ESP);
	ck_assert_uint_eq(d.u.del.spi_count, 1);
	ck_assert_uint_eq(get32(d.u.del.spis.ptr), o.child.spi_in);
	ck_assert_uint_eq(o.child_downs, 1);
	ck_assert_uint_eq(o.closes, 0);
	p.mid++;
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, B(NULL, 0), IKEV2_N_REKEY_SA, B(NULL, 0));
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_CREATE_CHILD_SA, &b, req)), TNC_ESTATE);
	expect_answer(&o, &p, "CREATE_CHILD_SA response 9 [ N(NO_ADD_SAS) ]");
	ck_assert(ike_sa_established(o.sa));
}
END_TEST

/* A malformed inner chain (authenticated): INVALID_SYNTAX or
 * UNSUPPORTED_CRITICAL_PAYLOAD with the type, protected; in IKE_AUTH the
 * SA ends. */
START_TEST(malformed_inner_chain_answered)
{
	/* TSi claiming one selector it does not carry */
	static const uint8_t bad_ts[] = {0, 0, 0, 8, 1, 0, 0, 0};
	/* an unknown payload type 200 with the critical bit */
	static const uint8_t critical[] = {0, 0x80, 0, 4};
	const struct ikev2_header h = {.spi_i = SPI_I, .major = 2, .exchange = IKEV2_IKE_AUTH,
	    .flags = IKEV2_FLAG_INITIATOR, .message_id = 1};
	struct ikev2_builder b;
	struct ikev2_payload n;
	struct bytes msg;

	for (int c = 0; c < 2; c++) {
		peer_reset(&p);
		ike_sa_free(o.sa);
		do_init(&def, IKEV2_DH_MODP_2048);
		struct ikev2_header hh = h;
		hh.spi_r = p.spi_r;
		const struct ikev2_sk_key k = ikev2_sk_key_of(&p.keys, true);
		ikev2_builder_init(&b, &hh, MAX_MSG);
		ck_assert_int_eq(ikev2_sk_seal(&b, &k, c ? 200 : IKEV2_PL_TSI,
				     c ? B(critical, 4) : B(bad_ts, 8), 0, 0, ikev2_iv_random, NULL,
				     &msg), 0);
		ck_assert_int_eq(deliver(&o, msg), TNC_EINVALID);
		ikev2_builder_clear(&b);
		expect_answer(&o, &p, c ? "IKE_AUTH response 1 [ N(CRIT) ]"
					: "IKE_AUTH response 1 [ N(INVAL_SYN) ]");
		if (c) {
			ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY,
			    IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, &n));
			ck_assert_uint_eq(n.u.notify.data.len, 1);
			ck_assert_uint_eq(n.u.notify.data.ptr[0], 200);
		}
		ck_assert_uint_eq(o.closes, 1);
		ck_assert_uint_eq(o.eap_starts, 0);
	}
}
END_TEST

/* --- fragments (RFC 7383) --- */

/* The initiator's first IKE_AUTH request in its 3 SKF fragments, given
 * out of order, with a duplicate, a tampered one and a raw one over the
 * count bound: reassembled. */
START_TEST(fragments_reassembled)
{
	struct ikev2_builder b;
	struct bytes msg;
	uint8_t frags[4][2048];
	size_t lens[4];
	static const uint8_t junk[64];

	do_init(&def, IKEV2_DH_MODP_2048);
	lib.cfg.fragment_size = 170; /* 95 octets of the request's ~240 in each */
	ck_assert_int_eq(lib_receive(B(p.init_resp, p.init_resp_len)), 0);
	ck_assert_uint_eq(L.out_count, 3);
	for (size_t i = 0; i < 3; i++) {
		ck_assert_uint_le(L.out_len[i], 170);
		memcpy(frags[i], L.out[i], L.out_len[i]);
		lens[i] = L.out_len[i];
	}
	/* a fragment 1 of 17 (over the bound), raw */
	const struct ikev2_sk_key key = ikev2_sk_key_of(&p.keys, true);
	const struct ikev2_header h = {.spi_i = SPI_I, .spi_r = p.spi_r, .major = 2,
	    .exchange = IKEV2_IKE_AUTH, .flags = IKEV2_FLAG_INITIATOR, .message_id = 1};
	ikev2_builder_init(&b, &h, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &key, IKEV2_PL_IDI, B(junk, sizeof(junk)), 1, 17,
			     ikev2_iv_random, NULL, &msg), 0);
	memcpy(frags[3], msg.ptr, msg.len);
	lens[3] = msg.len;
	ikev2_builder_clear(&b);
	ck_assert_int_eq(deliver(&o, B(frags[3], lens[3])), TNC_ETOOLONG);
	ck_assert_str_eq(ike_sa_reason(o.sa), "Total Fragments above the limit");
	ck_assert_int_eq(deliver(&o, B(frags[1], lens[1])), 0);
	ck_assert_int_eq(deliver(&o, B(frags[1], lens[1])), 0);
	ck_assert_str_eq(ike_sa_reason(o.sa), "duplicate fragment ignored");
	frags[0][lens[0] - 1] ^= 1;
	ck_assert_int_eq(deliver(&o, B(frags[0], lens[0])), TNC_EINVALID);
	frags[0][lens[0] - 1] ^= 1;
	ck_assert_int_eq(deliver(&o, B(frags[0], lens[0])), 0);
	ck_assert_uint_eq(o.eap_starts, 0);
	ck_assert_int_eq(deliver(&o, B(frags[2], lens[2])), 0);
	ck_assert_uint_eq(o.eap_starts, 1);
	ck_assert_mem_eq(o.peer_id, p.idi, p.idi_len);
	ck_assert_uint_eq(o.out_count, 0);
	ck_assert_int_eq(eap_answer(eap_ttls_start, sizeof(eap_ttls_start)), 0);
	expect_answer(&o, &p, "IKE_AUTH response 1 [ IDr EAP/REQ/TTLS ]");
	/* a retransmitted fragment 2 is ignored, fragment 1 brings the answer */
	ck_assert_int_eq(deliver(&o, B(frags[1], lens[1])), TNC_ESTATE);
	ck_assert_uint_eq(o.out_count, 0);
	ck_assert_int_eq(deliver(&o, B(frags[0], lens[0])), 0);
	ck_assert_uint_eq(o.out_count, 1);
}
END_TEST

/* An answer above the fragment size goes out in SKF fragments no larger,
 * which reassemble to it; a retransmission brings them all again. */
START_TEST(fragments_sent)
{
	struct ikev2_payload eap;
	uint8_t big[1000];
	uint8_t copy[MAX_OUT][2048];
	size_t count;

	cfg.fragment_size = 300;
	do_init(&def, IKEV2_DH_MODP_2048);
	lib_take_init(AUTH1_ALL);
	memcpy(req, L.out[0], L.out_len[0]);
	const struct bytes first = B(req, L.out_len[0]);
	ck_assert_int_eq(deliver(&o, first), 0);
	big[0] = EAP_REQUEST, big[1] = 7, big[2] = sizeof(big) >> 8, big[3] = sizeof(big) & 0xff;
	big[4] = EAP_TYPE_TTLS;
	for (size_t i = 5; i < sizeof(big); i++)
		big[i] = (uint8_t)i;
	ck_assert_int_eq(eap_answer(big, sizeof(big)), 0);
	count = o.out_count;
	ck_assert_uint_ge(count, 4);
	for (size_t i = 0; i < count; i++) {
		ck_assert_uint_le(o.out_len[i], 300);
		memcpy(copy[i], o.out[i], o.out_len[i]);
		ck_assert_int_eq(peer_open(&p, B(o.out[i], o.out_len[i])), i + 1 == count);
	}
	ck_assert_str_eq(p.summary, "IKE_AUTH response 1 [ IDr EAP/REQ/TTLS ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_EAP, 0, &eap));
	ck_assert_uint_eq(eap.u.eap.msg.len, sizeof(big));
	ck_assert_mem_eq(eap.u.eap.msg.ptr, big, sizeof(big));
	/* the initiator reassembles them too */
	lib_take(&o);
	ck_assert_uint_eq(L.eaps, 1);
	ck_assert_uint_eq(L.eap_len, sizeof(big));
	ck_assert_mem_eq(L.eap, big, sizeof(big));
	ck_assert_int_eq(deliver(&o, first), 0);
	ck_assert_uint_eq(o.out_count, count);
	for (size_t i = 0; i < count; i++)
		ck_assert_mem_eq(o.out[i], copy[i], o.out_len[i]);
}
END_TEST

/* --- timers --- */

START_TEST(timer_half_open)
{
	do_init(&def, IKEV2_DH_MODP_2048);
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 1), NOW + 30000);
	ck_assert_uint_eq(o.closes, 0);
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 30000), 0);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "not established in time");
}
END_TEST

/* Liveness: an idle peer gets an empty INFORMATIONAL request; answered,
 * the SA lives on; unanswered, it ends.  At the lifetime, a DELETE. */
START_TEST(timer_dpd_and_lifetime)
{
	cfg.dpd_ms = 10000;
	cfg.ike_lifetime_s = 100;
	do_init(&def, IKEV2_DH_MODP_2048);
	do_eap("rw-isolate");
	send_auth(B(msk, sizeof(msk)));
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 1), NOW + 10000);
	o.out_count = 0;
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 10000), NOW + 12500);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
	ck_assert_str_eq(p.summary, "INFORMATIONAL request 0 [ ]");
	/* the initiator answers (I and R flags, the same message ID) */
	lib_take(&o);
	ck_assert_uint_eq(L.out_count, 1);
	const struct bytes msg = lib_out(0);
	struct ikev2_msg m;
	struct parse_error e;
	ck_assert_int_eq(ikev2_msg_parse(msg.ptr, msg.len, &lim, &m, &e), 0);
	ck_assert_uint_eq(m.hdr.flags, IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE);
	ck_assert_uint_eq(m.hdr.message_id, 0);
	o.out_count = 0;
	ck_assert_int_eq(ike_sa_receive(o.sa, msg.ptr, msg.len, NOW + 11000), 0);
	ck_assert_int_eq(ike_sa_receive(o.sa, msg.ptr, msg.len, NOW + 11000), TNC_ESTATE);
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 11001), NOW + 21000);
	/* no answer this time: 4 sends, then the end */
	uint64_t t = NOW + 21000;
	for (int i = 0; i < 4; i++) {
		o.out_count = 0;
		t = ike_sa_timeout(o.sa, t);
		ck_assert_uint_eq(o.out_count, 1);
		ck_assert_uint_eq(o.closes, 0);
	}
	ck_assert_uint_eq(ike_sa_timeout(o.sa, t), 0);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "peer did not answer the liveness check");
	ck_assert_uint_eq(o.child_downs, 1);
	ike_sa_free(o.sa);

	/* the lifetime: a DELETE of the IKE SA, retransmitted; with no
	 * answer, closed 15 s later */
	cfg.dpd_ms = 0;
	peer_reset(&p);
	do_init(&def, IKEV2_DH_MODP_2048);
	do_eap("rw-isolate");
	send_auth(B(msk, sizeof(msk)));
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 1), NOW + 100000);
	o.out_count = 0;
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 100000), NOW + 101000);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.child_downs, 1);
	ck_assert_uint_eq(o.closes, 0);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
	ck_assert_str_eq(p.summary, "INFORMATIONAL request 0 [ D ]");
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 101000), NOW + 103000);
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 103000), NOW + 107000);
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 107000), NOW + 115000);
	ck_assert_uint_eq(o.out_count, 4);
	ck_assert_uint_eq(o.closes, 0);
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 115000), 0);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "IKE SA lifetime expired");
	o.out_count = 1; /* the initiator takes the first send (the rest are copies) */
	lib_take(&o);
	ck_assert_uint_eq(L.failed, 1);
	ck_assert_str_eq(L.reason, "responder deleted the IKE SA");
}
END_TEST

/* --- the pool --- */

START_TEST(pool_leases_and_bounds)
{
	uint32_t a, b, c;

	ck_assert_int_eq(ike_pool_lease(pool, &a), 0);
	ck_assert_int_eq(ike_pool_lease(pool, &b), 0);
	ck_assert_uint_eq(a, POOL_FIRST);
	ck_assert_uint_eq(b, POOL_FIRST + 1);
	ck_assert_int_eq(ike_pool_lease(pool, &c), TNC_EAGAIN);
	ck_assert_int_eq(ike_pool_release(pool, a), 0);
	ck_assert_int_eq(ike_pool_release(pool, a), TNC_ENOTFOUND);
	ck_assert_int_eq(ike_pool_release(pool, POOL_FIRST + 2), TNC_ENOTFOUND);
	ck_assert_int_eq(ike_pool_lease(pool, &c), 0);
	ck_assert_uint_eq(c, POOL_FIRST);
	ck_assert_uint_eq(ike_pool_leased(pool), 2);
	ck_assert_int_eq(ike_pool_release(pool, b), 0);
	ck_assert_int_eq(ike_pool_release(pool, c), 0);
	ck_assert_ptr_null(ike_pool_new(0xffffffffu, 2));
	ck_assert_ptr_null(ike_pool_new(1, 0));
	ck_assert_ptr_null(ike_pool_new(1, IKE_POOL_MAX + 1));

	/* an exhausted pool: the IKE SA comes up, no CHILD_SA */
	ck_assert_int_eq(ike_pool_lease(pool, &a), 0);
	ck_assert_int_eq(ike_pool_lease(pool, &b), 0);
	do_init(&def, IKEV2_DH_MODP_2048);
	do_eap("rw-allow");
	send_auth(B(msk, sizeof(msk)));
	ck_assert_str_eq(p.summary, "IKE_AUTH response 5 [ AUTH N(INT_ADDR_FAIL) N(AUTH_LFT) ]");
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.child_ups, 0);
	ck_assert(L.child_null);
	ck_assert_str_eq(ike_initiator_reason(L.i), "no CHILD_SA: INTERNAL_ADDRESS_FAILURE");
	ck_assert_int_eq(ike_pool_release(pool, a), 0);
	ck_assert_int_eq(ike_pool_release(pool, b), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_sa");
	TCase *tc = tcase_create("ike_sa");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, init_each_suite, 0, 3);
	tcase_add_test(tc, init_invalid_ke_then_retry);
	tcase_add_test(tc, init_no_proposal_chosen);
	tcase_add_test(tc, init_bad_ke_or_missing_nonce);
	tcase_add_test(tc, init_nat_detected);
	tcase_add_test(tc, cookies_required_echoed_forged_stale);
	tcase_add_loop_test(tc, auth_eap_child_delete, 0, 2);
	tcase_add_loop_test(tc, child_refusals, 0, 3);
	tcase_add_test(tc, auth_wrong_mic_refused);
	tcase_add_test(tc, auth_without_eap_only_refused);
	tcase_add_test(tc, auth_eap_failure_closes);
	tcase_add_test(tc, auth_pending_retransmission);
	tcase_add_test(tc, info_liveness_and_child_delete);
	tcase_add_test(tc, malformed_inner_chain_answered);
	tcase_add_test(tc, fragments_reassembled);
	tcase_add_test(tc, fragments_sent);
	tcase_add_test(tc, timer_half_open);
	tcase_add_test(tc, timer_dpd_and_lifetime);
	tcase_add_test(tc, pool_leases_and_bounds);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
