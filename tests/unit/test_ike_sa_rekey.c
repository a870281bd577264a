/* test_ike_sa_rekey.c - CHILD_SA rekeying by the peer (RFC 7296 2.8,
 * 2.17) at the responder SA (ike/ikev2_sa/): the IKE SA is established
 * with tncclient's initiator (client/ike_initiator/, which has no
 * rekeying), then raw CREATE_CHILD_SA requests of the shadow peer
 * (test_ike_sa_peer.h) rekey it: the answer's SA, Nr, KEr and selectors,
 * the new CHILD_SA's KEYMAT equal to the one the peer derives from its own
 * SK_d (with g^ir for PFS), the old CHILD_SA kept until the peer's DELETE
 * or the bound, refusals (CHILD_SA_NOT_FOUND, NO_ADDITIONAL_SAS,
 * INVALID_KE_PAYLOAD with our group, INVALID_SYNTAX, NO_PROPOSAL_CHOSEN,
 * TS_UNACCEPTABLE) leaving the CHILD_SA as it was.  And the IKE SA
 * rekeyed (2.18): the peer derives the new keys itself and talks to the
 * new SA from message ID 0; the old SA answers the rekey's retransmission
 * and its DELETE, which ends nothing else; refusals and the old SA's bound.
 */
/* the shared harness's owner_new() and peer_init() are not needed here:
 * this owner records which CHILD_SA goes down (the old or the new) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#include "test_ike_sa_peer.h"
#pragma GCC diagnostic pop

#define PEER_NEW_SPI 0xd1d2d3d4u
#define KEEP_MS 60000u /* ike_sa_rekey.c's REKEYED_KEEP_MS */

static const struct offer gcm = {offer_gcm, 3};

/* What the SA handed the owner beyond struct owner: the CHILD_SAs that
 * went down, by inbound SPI, in order. */
static uint32_t down_spi[8];
static unsigned downs;

static void
r_child_down(void *arg, const struct ike_child_sa *c)
{
	ck_assert_uint_lt(downs, 8);
	down_spi[downs++] = c->spi_in;
	((struct owner *)arg)->child_downs++;
}

static const struct ike_sa_ops rekey_ops = {.send = o_send, .eap_start = o_eap_start,
    .eap_response = o_eap_response, .child_up = o_child_up, .child_down = r_child_down,
    .closed = o_closed};

/* The IKE SA of conn established by the initiator with the IKE suite of
 * offer_gcm (ECP_256) and one EAP round; its CHILD_SA up (the peer's
 * inbound SPI PEER_ESP_SPI); p.mid is the next request's. */
static void
establish(const char *conn)
{
	uint8_t eap[64];
	static const uint8_t success[] = {EAP_SUCCESS, 0xa9, 0, 4};

	memset(&o, 0, sizeof(o));
	downs = 0;
	const struct ike_sa_params params = {&cfg, ep4(GW_ADDR, 500), ep4(PEER_ADDR, 500),
	    test_random, NULL, NOW};
	ck_assert_int_eq(ike_sa_new(&params, &rekey_ops, &o, &o.sa), 0);
	lib_new(&p, &gcm, IKEV2_DH_ECP_256, PEER_ADDR);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0);
	peer_init_done(&p, B(o.out[0], o.out_len[0]));
	ck_assert_int_eq(lib_receive(B(p.init_resp, p.init_resp_len)), 0);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0); /* IKE_AUTH 1: EAP starts */
	ck_assert_uint_eq(o.eap_starts, 1);
	o.out_count = 0;
	ck_assert_int_eq(ike_sa_eap_request(o.sa, B(eap_ttls_start, sizeof(eap_ttls_start))), 0);
	lib_take(&o);
	L.out_count = 0;
	const size_t n = eap_ttls_response(0xa8, 20, eap);
	ck_assert_int_eq(ike_initiator_eap_response(L.i, B(eap, n), NOW), 0);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0); /* IKE_AUTH 2 */
	o.out_count = 0;
	ck_assert_int_eq(ike_sa_eap_request(o.sa, B(success, sizeof(success))), 0);
	lib_take(&o);
	ck_assert_int_eq(ike_sa_eap_done(o.sa, true, B(msk, sizeof(msk)), conn), 0);
	L.out_count = 0;
	ck_assert_int_eq(ike_initiator_eap_done(L.i, B(msk, sizeof(msk)), NOW), 0);
	ck_assert_int_eq(deliver(&o, lib_out(0)), 0); /* IKE_AUTH 3: AUTH */
	ck_assert_int_eq(lib_receive(B(o.out[0], o.out_len[0])), 0);
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(L.established, 1);
	ck_assert_uint_eq(o.child_ups, 1);
	ck_assert_uint_eq(o.child.spi_out, PEER_ESP_SPI);
	p.mid = 4;
}

static const struct ikev2_transform_spec esp_gcm128[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
    {IKEV2_TRANS_ESN, 0, 0},
};

/* A CREATE_CHILD_SA request: [ N(REKEY_SA) ] [ SA ] [ Ni ] [ KEi ]
 * [ TSi TSr ] as the arguments say (rekey_protocol 0: no REKEY_SA; t
 * NULL: no SA; ke NULL: no KE; tsr NULL: no selectors). */
struct rekey_args {
	uint8_t rekey_protocol;
	uint32_t rekey_spi;
	uint8_t sa_protocol; /* ESP, or IKE for a rekey of the IKE SA */
	const struct ikev2_transform_spec *t;
	size_t n;
	bool nonce;
	const struct ikev2_dh *ke;
	struct bytes ke_data; /* instead of ke's public value, when set */
	const struct ikev2_ts *tsr;
	uint32_t new_spi; /* the peer's inbound SPI of the new CHILD_SA */
};

static uint8_t ni2[32];

static int
send_create_child(const struct rekey_args *a)
{
	struct ikev2_builder b;
	uint8_t spi[8] = {0}, rekey_spi[4];

	for (int k = 0; k < 4; k++) {
		spi[k] = (uint8_t)(a->new_spi >> (24 - 8 * k));
		rekey_spi[k] = (uint8_t)(a->rekey_spi >> (24 - 8 * k));
	}
	for (size_t k = 0; k < sizeof(ni2); k++)
		ni2[k] = (uint8_t)(0x50 + k);
	ikev2_builder_init_chain(&b, MAX_MSG);
	if (a->rekey_protocol)
		ikev2_builder_add_notify(&b, a->rekey_protocol, B(rekey_spi, 4), IKEV2_N_REKEY_SA,
		    B(NULL, 0));
	if (a->t) {
		const struct ikev2_proposal_spec prop = {1, a->sa_protocol,
		    B(spi, a->sa_protocol == IKEV2_PROTO_IKE ? 8 : 4), a->t, a->n};
		ikev2_builder_add_sa(&b, &prop, 1);
	}
	if (a->nonce)
		ikev2_builder_add_nonce(&b, B(ni2, sizeof(ni2)));
	if (a->ke)
		ikev2_builder_add_ke(&b, ikev2_dh_group(a->ke),
		    a->ke_data.len ? a->ke_data : ikev2_dh_public(a->ke));
	if (a->tsr) {
		ikev2_builder_add_ts(&b, IKEV2_PL_TSI, &any4, 1);
		ikev2_builder_add_ts(&b, IKEV2_PL_TSR, a->tsr, 1);
	}
	return deliver(&o, peer_request(&p, IKEV2_CREATE_CHILD_SA, &b, req));
}

/* A well-formed rekey of the CHILD_SA whose peer inbound SPI is spi,
 * the new one's PEER_NEW_SPI. */
static struct rekey_args
rekey_of(uint32_t spi)
{
	return (struct rekey_args){IKEV2_PROTO_ESP, spi, IKEV2_PROTO_ESP, esp_gcm128, 2, true, NULL,
	    {NULL, 0}, &any4, PEER_NEW_SPI};
}

/* The answer to the last request: summary, then the next request's mid. */
static void
expect(const char *summary)
{
	expect_answer(&o, &p, summary);
	p.mid++;
}

/* The answer's SA payload: its first proposal, of protocol, with an SPI
 * of spi_len octets. */
static void
answer_proposal(uint8_t protocol, size_t spi_len, struct ikev2_proposal *prop)
{
	struct ikev2_payload sa;

	ck_assert(ikev2_find(&p.chain, IKEV2_PL_SA, 0, &sa));
	struct bytes list = sa.u.sa;
	ck_assert(ikev2_proposal_next(&list, prop));
	ck_assert_uint_eq(prop->protocol, protocol);
	ck_assert_uint_eq(prop->spi.len, spi_len);
}

/* The rekey's answer checked against what the peer derives itself: the
 * SA payload (our new inbound SPI, GCM-128, the D-H group when ke), Nr,
 * KEr; the new CHILD_SA's KEYMAT prf+(SK_d, [g^ir |] Ni | Nr). */
static void
check_rekeyed(const struct ikev2_dh *ke, uint32_t old_in, uint32_t old_out, uint32_t new_out)
{
	struct ikev2_payload nr, ker;
	struct ikev2_proposal prop;
	struct ikev2_transform t;
	struct ikev2_suite esp;
	struct ikev2_child_keys want;
	uint8_t gir[IKEV2_DH_MAX_SECRET];
	size_t gir_len = 0;
	uint16_t dh = 0;

	answer_proposal(IKEV2_PROTO_ESP, 4, &prop);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NONCE, 0, &nr));
	ck_assert_uint_eq(get32(prop.spi.ptr), o.child.spi_in);
	while (ikev2_transform_next(&prop.transforms, &t))
		if (t.type == IKEV2_TRANS_DH)
			dh = t.id;
	ck_assert_uint_eq(dh, ke ? ikev2_dh_group(ke) : 0);
	if (ke) {
		ck_assert(ikev2_find(&p.chain, IKEV2_PL_KE, 0, &ker));
		ck_assert_uint_eq(ker.u.ke.group, ikev2_dh_group(ke));
		ck_assert_int_eq(ikev2_dh_shared(ke, ker.u.ke.data, gir, &gir_len, NULL), 0);
	}
	/* the owner's new CHILD_SA */
	ck_assert_uint_eq(o.child.spi_out, new_out);
	ck_assert_uint_ne(o.child.spi_in, old_in);
	ck_assert_uint_eq(o.child.rekeys_spi_in, old_in);
	ck_assert_uint_eq(o.child.rekeys_spi_out, old_out);
	ck_assert_str_eq(o.child.conn_name, "rw-allow");
	ck_assert(o.child.has_virtual_ip);
	ck_assert_uint_eq(o.child.ts_remote.start, o.child.virtual_ip);
	ck_assert_uint_eq(o.child.ts_remote.end, o.child.virtual_ip);
	ck_assert_uint_eq(o.child.ts_local.start, 0x0a010000u);
	ck_assert_uint_eq(o.child.ts_local.end, 0x0a01ffffu);
	ck_assert_int_eq(ikev2_suite_init(&esp, IKEV2_ENCR_AES_GCM_16, 128, 0, 0, NULL), 0);
	ck_assert_int_eq(ikev2_child_keys_derive(p.keys.suite.prf, B(p.keys.d, p.keys.suite.prf_len),
			     &esp, B(gir, gir_len), B(ni2, sizeof(ni2)), nr.u.nonce, &want), 0);
	ck_assert_uint_eq(o.child.esp.encr_key_len, esp.encr_key_len);
	ck_assert_mem_eq(o.child.keys.ei, want.ei, esp.encr_key_len);
	ck_assert_mem_eq(o.child.keys.er, want.er, esp.encr_key_len);
	ikev2_child_keys_cleanse(&want);
}

/* An INFORMATIONAL request of the peer: a DELETE of its inbound ESP SPIs. */
static int
send_delete(const uint32_t *spis, uint16_t n)
{
	struct ikev2_builder b;
	uint8_t raw[16];

	for (uint16_t i = 0; i < n; i++)
		for (int k = 0; k < 4; k++)
			raw[4 * i + k] = (uint8_t)(spis[i] >> (24 - 8 * k));
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, n, B(raw, 4u * n));
	return deliver(&o, peer_request(&p, IKEV2_INFORMATIONAL, &b, req));
}

/* The inbound SPIs of the answer's DELETE. */
static void
expect_deleted(const uint32_t *spis, uint16_t n)
{
	struct ikev2_payload d;

	ck_assert(ikev2_find(&p.chain, IKEV2_PL_DELETE, 0, &d));
	ck_assert_uint_eq(d.u.del.protocol, IKEV2_PROTO_ESP);
	ck_assert_uint_eq(d.u.del.spi_count, n);
	for (uint16_t i = 0; i < n; i++)
		ck_assert_uint_eq(get32(d.u.del.spis.ptr + 4 * i), spis[i]);
}

/* The peer's DELETE of its inbound SPI peer_spi answered (summary) with
 * ours, our_spi, the nth CHILD_SA the owner saw go down. */
static void
peer_deletes(uint32_t peer_spi, const char *summary, uint32_t our_spi, unsigned nth)
{
	ck_assert_int_eq(send_delete(&peer_spi, 1), 0);
	expect(summary);
	expect_deleted(&our_spi, 1);
	ck_assert_uint_eq(downs, nth);
	ck_assert_uint_eq(down_spi[nth - 1], our_spi);
}

/* Rekey without PFS; the old CHILD_SA kept until the peer deletes it
 * (our DELETE answers with its inbound SPI); a second rekey then; the IKE
 * SA's DELETE ends the last one. */
START_TEST(rekey_then_peer_deletes_old)
{
	establish("rw-allow");
	const uint32_t first_in = o.child.spi_in, vip = o.child.virtual_ip;
	struct rekey_args a = rekey_of(PEER_ESP_SPI);

	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 4 [ SA No TSi TSr ]");
	ck_assert_uint_eq(o.child_ups, 2);
	ck_assert_uint_eq(o.child_downs, 0);
	check_rekeyed(NULL, first_in, PEER_ESP_SPI, PEER_NEW_SPI);
	ck_assert_uint_eq(o.child.virtual_ip, vip);
	ck_assert_uint_eq(ike_pool_leased(pool), 1);
	const uint32_t second_in = o.child.spi_in;

	/* the old one stays until the peer deletes it */
	peer_deletes(PEER_ESP_SPI, "INFORMATIONAL response 5 [ D ]", first_in, 1);

	/* now the new one may be rekeyed in turn */
	a = rekey_of(PEER_NEW_SPI);
	a.new_spi = PEER_NEW_SPI + 1;
	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 6 [ SA No TSi TSr ]");
	ck_assert_uint_eq(o.child_ups, 3);
	check_rekeyed(NULL, second_in, PEER_NEW_SPI, PEER_NEW_SPI + 1);

	/* both named in one DELETE: both of our SPIs in the answer */
	const uint32_t third_in = o.child.spi_in;
	ck_assert_int_eq(send_delete((const uint32_t[]){PEER_NEW_SPI, PEER_NEW_SPI + 1}, 2), 0);
	expect("INFORMATIONAL response 7 [ D ]");
	expect_deleted((const uint32_t[]){third_in, second_in}, 2);
	ck_assert_uint_eq(downs, 3);
	ck_assert_uint_eq(down_spi[1], second_in);
	ck_assert_uint_eq(down_spi[2], third_in);
	ck_assert(ike_sa_established(o.sa));
}
END_TEST

/* PFS with each group: the KE of the proposal's group, KEr of the same
 * group, g^ir in the KEYMAT. */
static const uint16_t pfs_groups[] = {IKEV2_DH_ECP_256, IKEV2_DH_CURVE25519,
    IKEV2_DH_MODP_2048};

START_TEST(rekey_with_pfs)
{
	const uint16_t group = pfs_groups[_i];
	const struct ikev2_transform_spec t[] = {{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
	    {IKEV2_TRANS_DH, group, 0}, {IKEV2_TRANS_ESN, 0, 0}};
	struct ikev2_dh *ke = ikev2_dh_new(group, B(NULL, 0));

	ck_assert_ptr_nonnull(ke);
	establish("rw-allow");
	const uint32_t first_in = o.child.spi_in;
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	a.t = t, a.n = 3, a.ke = ke;
	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 4 [ SA No KE TSi TSr ]");
	check_rekeyed(ke, first_in, PEER_ESP_SPI, PEER_NEW_SPI);
	ikev2_dh_free(ke);
}
END_TEST

/* INVALID_KE_PAYLOAD names the group we want: the IKE SA's (ECP_256)
 * when the proposal offers it; without a KE for a proposal that requires
 * one too; no group we support: NO_PROPOSAL_CHOSEN; a KE value refused:
 * INVALID_SYNTAX.  The CHILD_SA stays as it was. */
START_TEST(rekey_pfs_refusals)
{
	const struct ikev2_transform_spec two[] = {{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
	    {IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0}, {IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
	    {IKEV2_TRANS_ESN, 0, 0}};
	const struct ikev2_transform_spec unsupported[] = {
	    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128}, {IKEV2_TRANS_DH, 15, 0},
	    {IKEV2_TRANS_ESN, 0, 0}};
	struct ikev2_dh *modp = ikev2_dh_new(IKEV2_DH_MODP_2048, B(NULL, 0));
	struct ikev2_dh *x25519 = ikev2_dh_new(IKEV2_DH_CURVE25519, B(NULL, 0));
	struct ikev2_payload n;
	static const uint8_t zeros[32];

	establish("rw-allow");
	const struct ike_child_sa before = o.child;
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	a.t = two, a.n = 4, a.ke = modp;
	ck_assert_int_eq(send_create_child(&a), TNC_EINVALID);
	expect("CREATE_CHILD_SA response 4 [ N(INVAL_KE) ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_INVALID_KE_PAYLOAD, &n));
	ck_assert_uint_eq(n.u.notify.data.len, 2);
	ck_assert_uint_eq(n.u.notify.data.ptr[1], IKEV2_DH_ECP_256);
	ck_assert_str_eq(ike_sa_reason(o.sa),
	    "rekey: KE of a group the proposal does not offer: INVALID_KE_PAYLOAD sent");

	a.ke = NULL;
	ck_assert_int_eq(send_create_child(&a), TNC_EINVALID);
	expect("CREATE_CHILD_SA response 5 [ N(INVAL_KE) ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_INVALID_KE_PAYLOAD, &n));
	ck_assert_uint_eq(n.u.notify.data.ptr[1], IKEV2_DH_ECP_256);

	a.t = unsupported, a.n = 3, a.ke = modp;
	ck_assert_int_eq(send_create_child(&a), TNC_EINVALID);
	expect("CREATE_CHILD_SA response 6 [ N(NO_PROP) ]");
	ck_assert_str_eq(ike_sa_reason(o.sa),
	    "rekey: KE, but the proposal offers no D-H group we support");

	/* RFC 8031 2: the all-zero X25519 secret */
	a.t = two, a.n = 4, a.ke = x25519, a.ke_data = B(zeros, sizeof(zeros));
	ck_assert_int_eq(send_create_child(&a), TNC_EINVALID);
	expect("CREATE_CHILD_SA response 7 [ N(INVAL_SYN) ]");
	ck_assert_msg(strncmp(ike_sa_reason(o.sa), "KEi refused: ", 13) == 0, "%s",
	    ike_sa_reason(o.sa));

	ck_assert_uint_eq(o.child_ups, 1);
	ck_assert_uint_eq(o.child_downs, 0);
	ck_assert_uint_eq(o.child.spi_in, before.spi_in);
	ck_assert(ike_sa_established(o.sa));
	ikev2_dh_free(modp);
	ikev2_dh_free(x25519);
}
END_TEST

/* Requests that are no rekey of ours, or one we do not take now. */
START_TEST(rekey_refusals)
{
	static const struct ikev2_transform_spec des[] = {{IKEV2_TRANS_ENCR, 3, 0},
	    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0}, {IKEV2_TRANS_ESN, 0, 0}};
	static const uint8_t net_s[4] = {10, 9, 0, 0}, net_e[4] = {10, 9, 255, 255};
	const struct ikev2_ts elsewhere = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {net_s, 4},
	    {net_e, 4}};
	static const struct {
		const char *summary, *reason;
		int err;
	} want[] = {
	    {"[ N(NO_CHILD_SA) ]", "REKEY_SA names no CHILD_SA of ours", TNC_ENOTFOUND},
	    {"[ N(NO_ADD_SAS) ]",
		"CREATE_CHILD_SA for a new CHILD_SA: only the one of IKE_AUTH is accepted",
		TNC_ESTATE},
	    {"[ N(INVAL_SYN) ]", "IKE SA rekey without Nonce or KE", TNC_EINVALID},
	    {"[ N(INVAL_SYN) ]", "CREATE_CHILD_SA rekey without SA, Nonce, TSi or TSr",
		TNC_EINVALID},
	    {"[ N(NO_PROP) ]", "rekey: no ESP proposal acceptable", TNC_EINVALID},
	    {"[ N(TS_UNACCEPT) ]", "rekey: traffic selectors not acceptable", TNC_EINVALID},
	    {"[ N(NO_CHILD_SA) ]", "REKEY_SA names no CHILD_SA of ours", TNC_ENOTFOUND},
	};
	char sum[96];

	establish("rw-allow");
	const uint32_t first_in = o.child.spi_in;
	for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		struct rekey_args a = rekey_of(PEER_ESP_SPI);
		switch (i) {
		case 0: a.rekey_spi = 0x01020304u; break;
		case 1: a.rekey_protocol = 0; break;
		case 2:
			a.rekey_protocol = 0, a.sa_protocol = IKEV2_PROTO_IKE, a.t = offer_gcm, a.n = 3;
			break;
		case 3: a.nonce = false; break;
		case 4: a.t = des, a.n = 3; break;
		case 5: a.tsr = &elsewhere; break;
		case 6: a.rekey_protocol = IKEV2_PROTO_AH; break; /* no AH CHILD_SA here */
		}
		ck_assert_int_eq(send_create_child(&a), want[i].err);
		snprintf(sum, sizeof(sum), "CREATE_CHILD_SA response %u %s", p.mid, want[i].summary);
		expect(sum);
		ck_assert_str_eq(ike_sa_reason(o.sa), want[i].reason);
	}
	ck_assert_uint_eq(o.child_ups, 1);
	ck_assert_uint_eq(o.child.spi_in, first_in);

	/* rekeyed once: a second rekey, or one of the old CHILD_SA, waits for
	 * the old one's DELETE */
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 11 [ SA No TSi TSr ]");
	a = rekey_of(PEER_NEW_SPI);
	ck_assert_int_eq(send_create_child(&a), TNC_ESTATE);
	expect("CREATE_CHILD_SA response 12 [ N(NO_ADD_SAS) ]");
	ck_assert_str_eq(ike_sa_reason(o.sa), "rekey while the CHILD_SA rekeyed before is still kept");
	a = rekey_of(PEER_ESP_SPI);
	ck_assert_int_eq(send_create_child(&a), TNC_ESTATE);
	expect("CREATE_CHILD_SA response 13 [ N(NO_ADD_SAS) ]");
	ck_assert_str_eq(ike_sa_reason(o.sa), "rekey of a CHILD_SA that was rekeyed already");
	ck_assert_uint_eq(o.child_ups, 2);
	ck_assert_uint_eq(o.child_downs, 0);
}
END_TEST

/* The CHILD_SA of rw-allow established and rekeyed once without PFS (the
 * new one the owner's o.child); returns the first one's inbound SPI. */
static uint32_t
establish_rekeyed(void)
{
	establish("rw-allow");
	const uint32_t first_in = o.child.spi_in;
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 4 [ SA No TSi TSr ]");
	return first_in;
}

/* The peer never deletes the old CHILD_SA: at the bound it goes down and
 * our DELETE of it goes out; the IKE SA's end takes the new one. */
START_TEST(rekeyed_deleted_at_the_bound)
{
	const uint32_t first_in = establish_rekeyed();
	const uint32_t second_in = o.child.spi_in;

	o.out_count = 0;
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + 1000), NOW + KEEP_MS);
	ck_assert_uint_eq(o.out_count, 0);
	const uint64_t next = ike_sa_timeout(o.sa, NOW + KEEP_MS);
	ck_assert_uint_gt(next, NOW + KEEP_MS); /* the IKE SA's lifetime */
	ck_assert_uint_eq(downs, 1);
	ck_assert_uint_eq(down_spi[0], first_in);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
	ck_assert_str_eq(p.summary, "INFORMATIONAL request 0 [ D ]");
	expect_deleted((const uint32_t[]){first_in}, 1);

	/* the peer's late DELETE of it names nothing any more */
	ck_assert_int_eq(send_delete((const uint32_t[]){PEER_ESP_SPI}, 1), 0);
	expect("INFORMATIONAL response 5 [ ]");
	ck_assert_uint_eq(downs, 1);

	ike_sa_close(o.sa, "test ends");
	ck_assert_uint_eq(downs, 2);
	ck_assert_uint_eq(down_spi[1], second_in);
	ck_assert(o.child_down_before_close);
}
END_TEST

#define CHILD_LIFE_MS (3600u * 1000u) /* rw-allow's lifetime_s in the fixture */

/* Our DELETE of the IKE SA, the one datagram out, and the CHILD_SA down
 * with it: the SA deletes itself at now_ms. */
static void
expect_ike_deleted_at(uint64_t now_ms, uint32_t child_in)
{
	struct ikev2_payload d;

	o.out_count = 0;
	ck_assert_uint_eq(ike_sa_timeout(o.sa, now_ms - 1), now_ms);
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.out_count, 0);
	(void)ike_sa_timeout(o.sa, now_ms);
	ck_assert(!ike_sa_established(o.sa));
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
	ck_assert_str_eq(p.summary, "INFORMATIONAL request 0 [ D ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_DELETE, 0, &d));
	ck_assert_uint_eq(d.u.del.protocol, IKEV2_PROTO_IKE);
	ck_assert_uint_eq(downs, 1);
	ck_assert_uint_eq(down_spi[downs - 1], child_in);
	/* unanswered, the DELETE is given up: closed, with the reason */
	uint64_t t = now_ms;
	for (int i = 0; i < 10 && t; i++)
		t = ike_sa_timeout(o.sa, t);
	ck_assert_uint_eq(t, 0);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert_str_eq(o.closed_reason, "CHILD_SA lifetime expired, not rekeyed by the peer");
}

/* A CHILD_SA the peer does not rekey within its lifetime ends the IKE SA
 * (it carries no other): DELETE, CHILD_SA down, kernel SAs with it. */
START_TEST(child_lifetime_ends_the_ike_sa)
{
	establish("rw-allow");
	expect_ike_deleted_at(NOW + CHILD_LIFE_MS, o.child.spi_in);
}
END_TEST

/* A rekey starts the new CHILD_SA's lifetime: the IKE SA lives on past the
 * first one's, until the new one's ends unrekeyed. */
START_TEST(rekey_restarts_the_child_lifetime)
{
	establish("rw-allow");
	const uint32_t first_in = o.child.spi_in;
	clock_ms = NOW + CHILD_LIFE_MS - 600000; /* 10 min before the end */
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 4 [ SA No TSi TSr ]");
	peer_deletes(PEER_ESP_SPI, "INFORMATIONAL response 5 [ D ]", first_in, 1);
	downs = 0;
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + CHILD_LIFE_MS), clock_ms + CHILD_LIFE_MS);
	ck_assert(ike_sa_established(o.sa));
	expect_ike_deleted_at(clock_ms + CHILD_LIFE_MS, o.child.spi_in);
}
END_TEST

/* The IKE SA ends while the old CHILD_SA is kept: both go down, the old
 * one first, before closed(). */
START_TEST(ike_delete_ends_both)
{
	struct ikev2_builder b;

	const uint32_t first_in = establish_rekeyed();
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, B(NULL, 0));
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_INFORMATIONAL, &b, req)), 0);
	expect("INFORMATIONAL response 5 [ ]");
	ck_assert_uint_eq(downs, 2);
	ck_assert_uint_eq(down_spi[0], first_in);
	ck_assert_uint_eq(down_spi[1], o.child.spi_in);
	ck_assert_uint_eq(o.closes, 1);
	ck_assert(o.child_down_before_close);
	ck_assert_uint_eq(ike_pool_leased(pool), 0);
}
END_TEST

/* The peer deletes the new CHILD_SA first: only it goes down; the old
 * one stays until its own DELETE, and no rekey is taken meanwhile. */
START_TEST(peer_deletes_new_first)
{
	const uint32_t first_in = establish_rekeyed();
	const uint32_t second_in = o.child.spi_in;
	peer_deletes(PEER_NEW_SPI, "INFORMATIONAL response 5 [ D ]", second_in, 1);
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	ck_assert_int_eq(send_create_child(&a), TNC_ESTATE);
	expect("CREATE_CHILD_SA response 6 [ N(NO_ADD_SAS) ]");
	peer_deletes(PEER_ESP_SPI, "INFORMATIONAL response 7 [ D ]", first_in, 2);
	ck_assert(ike_sa_established(o.sa));
}
END_TEST

/* --- the IKE SA rekeyed (RFC 7296 2.18) --- */

#define NEW_SPI_I 0x0102030405060708ull

/* What the shadow peer talks an IKE SA with. */
struct ike_view {
	uint64_t spi_i, spi_r;
	struct ikev2_sa_keys keys;
	uint32_t mid;
};

static void
view_save(struct ike_view *v)
{
	*v = (struct ike_view){p.spi_i, p.spi_r, p.keys, p.mid};
}

static void
view_use(const struct ike_view *v)
{
	p.spi_i = v->spi_i, p.spi_r = v->spi_r, p.keys = v->keys, p.mid = v->mid;
}

/* [ SA Ni KE ] with one IKE proposal of t (the peer's new SPIi, spi_len
 * octets of it), ke's public value; the request kept in rekey_req. */
static uint8_t rekey_req[MAX_MSG];
static size_t rekey_req_len;

static int
send_ike_rekey(const struct ikev2_transform_spec *t, size_t n, size_t spi_len,
    const struct ikev2_dh *ke)
{
	struct ikev2_builder b;
	uint8_t spi[8];

	for (int k = 0; k < 8; k++)
		spi[k] = (uint8_t)(NEW_SPI_I >> (56 - 8 * k));
	for (size_t k = 0; k < sizeof(ni2); k++)
		ni2[k] = (uint8_t)(0x70 + k);
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, B(spi, spi_len), t, n};
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_nonce(&b, B(ni2, sizeof(ni2)));
	if (ke)
		ikev2_builder_add_ke(&b, ikev2_dh_group(ke), ikev2_dh_public(ke));
	const struct bytes msg = peer_request(&p, IKEV2_CREATE_CHILD_SA, &b, rekey_req);
	rekey_req_len = msg.len;
	return deliver(&o, msg);
}

/* The answer taken as the initiator does: the new SPIr, KEr, Nr; the new
 * keys SKEYSEED = prf(SK_d (old), g^ir | Ni | Nr) with the old PRF, then
 * prf+ with the chosen suite (offer_gcm's) into p, message IDs from 0. */
static void
take_ike_rekey(const struct ikev2_dh *ke)
{
	struct ikev2_payload ker, nr;
	struct ikev2_proposal prop;
	struct ikev2_suite suite;
	uint8_t gir[IKEV2_DH_MAX_SECRET], skeyseed[IKEV2_PRF_MAX_LEN];
	size_t gir_len;

	answer_proposal(IKEV2_PROTO_IKE, 8, &prop);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_KE, 0, &ker));
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NONCE, 0, &nr));
	uint64_t spi_r = 0;
	for (int k = 0; k < 8; k++)
		spi_r = spi_r << 8 | prop.spi.ptr[k];
	ck_assert_uint_ne(spi_r, p.spi_r);
	ck_assert_uint_eq(ike_sa_spi_r(o.sa), spi_r);
	ck_assert_uint_eq(ike_sa_spi_i(o.sa), NEW_SPI_I);
	ck_assert_uint_eq(ker.u.ke.group, ikev2_dh_group(ke));
	ck_assert_int_eq(ikev2_dh_shared(ke, ker.u.ke.data, gir, &gir_len, NULL), 0);
	ck_assert_int_eq(ikev2_skeyseed_rekey(p.keys.suite.prf, B(p.keys.d, p.keys.suite.prf_len),
			     B(gir, gir_len), B(ni2, sizeof(ni2)), nr.u.nonce, skeyseed), 0);
	ck_assert_int_eq(ikev2_suite_init(&suite, IKEV2_ENCR_AES_GCM_16, 256, 0,
			     IKEV2_PRF_HMAC_SHA2_384, NULL), 0);
	ck_assert_int_eq(ikev2_sa_keys_derive(&suite, B(skeyseed, suite.prf_len),
			     B(ni2, sizeof(ni2)), nr.u.nonce, NEW_SPI_I, spi_r, &p.keys), 0);
	p.spi_i = NEW_SPI_I;
	p.spi_r = spi_r;
	p.mid = 0;
}

/* The IKE SA rekeyed: the new one answers under its keys from message ID
 * 0, the rekey's retransmission gets the same answer, the peer's DELETE of
 * the old SA ends only the old keys (the CHILD_SA stays, and is rekeyed
 * with the new SK_d); the old SPIs then name nothing. */
START_TEST(ike_rekey_then_old_deleted)
{
	struct ikev2_builder b;
	struct ike_view old;
	uint64_t old_i, old_r;
	struct ikev2_dh *ke = ikev2_dh_new(IKEV2_DH_ECP_256, B(NULL, 0));

	ck_assert_ptr_nonnull(ke);
	establish("rw-allow");
	const uint32_t child_in = o.child.spi_in;
	ck_assert_int_eq(send_ike_rekey(offer_gcm, 3, 8, ke), 0);
	expect("CREATE_CHILD_SA response 4 [ SA No KE ]");
	view_save(&old);
	ck_assert(ike_sa_old_spis(o.sa, &old_i, &old_r));
	ck_assert_uint_eq(old_i, SPI_I);
	ck_assert_uint_eq(old_r, old.spi_r);
	const uint8_t first_answer_byte = o.out[0][o.out_len[0] - 1];
	const size_t first_answer_len = o.out_len[0];
	take_ike_rekey(ke);

	/* the rekey request again, on the old SA: the same answer */
	ck_assert_int_eq(deliver(&o, B(rekey_req, rekey_req_len)), 0);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.out_len[0], first_answer_len);
	ck_assert_uint_eq(o.out[0][o.out_len[0] - 1], first_answer_byte);

	/* the new SA, from message ID 0 */
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_INFORMATIONAL, &b, req)), 0);
	expect("INFORMATIONAL response 0 [ ]");
	struct ike_view new_sa;
	view_save(&new_sa);

	/* the old SA's DELETE, under the old keys */
	view_use(&old);
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, B(NULL, 0));
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_INFORMATIONAL, &b, req)), 0);
	expect("INFORMATIONAL response 5 [ ]");
	ck_assert(!ike_sa_old_spis(o.sa, &old_i, &old_r));
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.closes, 0);
	ck_assert_uint_eq(o.child_downs, 0);
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_INFORMATIONAL, &b, req)), TNC_EINVALID);
	ck_assert_str_eq(ike_sa_reason(o.sa), "SPIs of another IKE SA");

	/* the CHILD_SA lives on in the new SA: its rekey uses the new SK_d */
	view_use(&new_sa);
	struct rekey_args a = rekey_of(PEER_ESP_SPI);
	ck_assert_int_eq(send_create_child(&a), 0);
	expect("CREATE_CHILD_SA response 1 [ SA No TSi TSr ]");
	check_rekeyed(NULL, child_in, PEER_ESP_SPI, PEER_NEW_SPI);
	ikev2_sa_keys_cleanse(&old.keys);
	ikev2_dh_free(ke);
}
END_TEST

/* Refusals of an IKE SA rekey, and the old SA forgotten at the bound. */
START_TEST(ike_rekey_refusals_and_bound)
{
	struct ikev2_dh *modp = ikev2_dh_new(IKEV2_DH_MODP_2048, B(NULL, 0));
	struct ikev2_dh *ke = ikev2_dh_new(IKEV2_DH_ECP_256, B(NULL, 0));
	struct ikev2_payload n;
	uint64_t old_i, old_r;

	establish("rw-allow");
	ck_assert_int_eq(send_ike_rekey(offer_gcm, 3, 8, NULL), TNC_EINVALID);
	expect("CREATE_CHILD_SA response 4 [ N(INVAL_SYN) ]");
	ck_assert_str_eq(ike_sa_reason(o.sa), "IKE SA rekey without Nonce or KE");
	ck_assert_int_eq(send_ike_rekey(offer_gcm, 3, 8, modp), TNC_EINVALID);
	expect("CREATE_CHILD_SA response 5 [ N(INVAL_KE) ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_INVALID_KE_PAYLOAD, &n));
	ck_assert_uint_eq(n.u.notify.data.ptr[1], IKEV2_DH_ECP_256);
	ck_assert_uint_eq(ike_sa_spi_i(o.sa), SPI_I);

	ck_assert_int_eq(send_ike_rekey(offer_gcm, 3, 8, ke), 0);
	expect("CREATE_CHILD_SA response 6 [ SA No KE ]");
	struct ike_view old;
	view_save(&old);
	take_ike_rekey(ke);
	/* a second rekey before the old SA is deleted */
	ck_assert_int_eq(send_ike_rekey(offer_gcm, 3, 8, ke), TNC_ESTATE);
	expect("CREATE_CHILD_SA response 0 [ N(TEMP_FAIL) ]");
	ck_assert(ike_sa_old_spis(o.sa, &old_i, &old_r));
	o.out_count = 0;
	ck_assert_uint_eq(ike_sa_timeout(o.sa, NOW + KEEP_MS - 1), NOW + KEEP_MS);
	(void)ike_sa_timeout(o.sa, NOW + KEEP_MS);
	ck_assert(!ike_sa_old_spis(o.sa, &old_i, &old_r));
	ck_assert_uint_eq(o.out_count, 0);
	ck_assert(ike_sa_established(o.sa));
	ikev2_sa_keys_cleanse(&old.keys);
	ikev2_dh_free(modp);
	ikev2_dh_free(ke);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_sa_rekey");
	TCase *tc = tcase_create("ike_sa_rekey");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, rekey_then_peer_deletes_old);
	tcase_add_loop_test(tc, rekey_with_pfs, 0, 3);
	tcase_add_test(tc, rekey_pfs_refusals);
	tcase_add_test(tc, rekey_refusals);
	tcase_add_test(tc, rekeyed_deleted_at_the_bound);
	tcase_add_test(tc, child_lifetime_ends_the_ike_sa);
	tcase_add_test(tc, rekey_restarts_the_child_lifetime);
	tcase_add_test(tc, ike_delete_ends_both);
	tcase_add_test(tc, peer_deletes_new_first);
	tcase_add_test(tc, ike_rekey_then_old_deleted);
	tcase_add_test(tc, ike_rekey_refusals_and_bound);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
