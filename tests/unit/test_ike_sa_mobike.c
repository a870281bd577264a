/* test_ike_sa_mobike.c - MOBIKE (RFC 4555) in the IKEv2 responder SA
 * (ike/ikev2_sa/ike_sa_mobike.c), driven by the raw initiator of
 * test_ike_sa_peer.h (tncclient's initiator does not speak MOBIKE):
 * N(MOBIKE_SUPPORTED) answered only when offered; UPDATE_SA_ADDRESSES
 * moving the IKE SA and its CHILD_SA to the request's source, with the NAT
 * detection checked and answered; COOKIE2 echoed; the update ignored
 * without MOBIKE; notifications out of bounds refused with a reason while
 * the SA stays.
 */
/* the raw peer only: the shared header's initiator helpers go unused */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-function"
#pragma GCC diagnostic ignored "-Wunused-variable"
#pragma GCC diagnostic ignored "-Wunused-const-variable"
#include "test_ike_sa_peer.h"
#pragma GCC diagnostic pop

#define NEW_ADDR 0xc0a800fdu /* 192.168.0.253: where the peer moves */
#define NAT_ADDR 0x0a0000fdu /* 10.0.0.253: its address behind a NAT */

/* IKE_SA_INIT, then IKE_AUTH with EAP (Success at once) and the peer's
 * AUTH: established with a CHILD_SA of rw-isolate; N(MOBIKE_SUPPORTED) in
 * request 1 when offer.  The last answer stays in p. */
static void
establish(bool offer)
{
	static const uint8_t esp_spi[4] = {0xc1, 0xc2, 0xc3, 0xc4};
	static const uint8_t success[] = {EAP_SUCCESS, 1, 0, 4};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_ESP, B(esp_spi, 4), esp_t, 3};
	const struct bytes none = B(NULL, 0);
	const struct offer of = {offer_default, 8};
	uint8_t mic[IKEV2_PRF_MAX_LEN];
	size_t mic_len;
	struct ikev2_builder b;

	owner_new(&o);
	ck_assert_int_eq(deliver(&o, peer_init(&p, &of, IKEV2_DH_CURVE25519, none, PEER_ADDR)), 0);
	ck_assert_uint_eq(o.out_count, 1);
	peer_init_done(&p, B(o.out[0], o.out_len[0]));

	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_id(&b, IKEV2_PL_IDI, IKEV2_ID_RFC822_ADDR, B(p.idi + 4, p.idi_len - 4));
	ikev2_builder_add_notify(&b, 0, none, IKEV2_N_EAP_ONLY_AUTHENTICATION, none);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ts(&b, IKEV2_PL_TSI, &any4, 1);
	ikev2_builder_add_ts(&b, IKEV2_PL_TSR, &any4, 1);
	if (offer)
		ikev2_builder_add_notify(&b, 0, none, IKEV2_N_MOBIKE_SUPPORTED, none);
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_IKE_AUTH, &b, req)), 0);
	ck_assert_uint_eq(o.eap_starts, 1);
	o.out_count = 0;
	ck_assert_int_eq(ike_sa_eap_request(o.sa, B(success, sizeof(success))), 0);
	expect_answer(&o, &p, "IKE_AUTH response 1 [ IDr EAP/SUCC ]");
	p.mid++;
	ck_assert_int_eq(ike_sa_eap_done(o.sa, true, B(msk, sizeof(msk)), "rw-isolate"), 0);

	const struct ikev2_auth_input in = {p.keys.suite.prf, B(p.init_req, p.init_req_len),
	    B(p.nr, p.nr_len), B(p.keys.pi, p.keys.suite.prf_len), B(p.idi, p.idi_len)};
	ck_assert_int_eq(ikev2_auth_mic(&in, B(msk, sizeof(msk)), mic, &mic_len), 0);
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, B(mic, mic_len));
	ck_assert_int_eq(deliver(&o, peer_request(&p, IKEV2_IKE_AUTH, &b, req)), 0);
	p.mid++;
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.child_ups, 1);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
}

/* An INFORMATIONAL request with the chain b, from `from` to the gateway's
 * port 4500 (NAT-T floated there); its one answer opened into p. */
static int
send_info_from(struct ikev2_builder *b, struct ike_endpoint from)
{
	const struct ike_endpoint to = ep4(GW_ADDR, 4500);
	const struct bytes msg = peer_request(&p, IKEV2_INFORMATIONAL, b, req);
	o.out_count = 0;
	int err = ike_sa_receive_from(o.sa, msg.ptr, msg.len, &to, &from, NOW);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_int_eq(peer_open(&p, B(o.out[0], o.out_len[0])), 1);
	ck_assert(p.hdr.flags & IKEV2_FLAG_RESPONSE);
	ck_assert_uint_eq(p.hdr.message_id, p.mid);
	p.mid++;
	return err;
}

/* [ N(UPD_SA_ADDR) N(NATD_S_IP) N(NATD_D_IP) ] as a peer at src_addr:4500
 * believes it is, to the gateway at port 4500. */
static void
add_update(struct ikev2_builder *b, uint32_t src_addr)
{
	uint8_t s[20], d[20];
	natd(SPI_I, p.spi_r, src_addr, 4500, s);
	natd(SPI_I, p.spi_r, GW_ADDR, 4500, d);
	ikev2_builder_add_notify(b, 0, B(NULL, 0), IKEV2_N_UPDATE_SA_ADDRESSES, B(NULL, 0));
	ikev2_builder_add_notify(b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_SOURCE_IP, B(s, 20));
	ikev2_builder_add_notify(b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_DESTINATION_IP, B(d, 20));
}

/* Our NAT detection in the answer: the gateway's 4500 as source, the
 * peer's address at 4500 as destination. */
static void
expect_our_natd(uint32_t peer_addr)
{
	struct ikev2_payload n;
	uint8_t want[20];
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_NAT_DETECTION_SOURCE_IP, &n));
	natd(SPI_I, p.spi_r, GW_ADDR, 4500, want);
	ck_assert_uint_eq(n.u.notify.data.len, 20);
	ck_assert_mem_eq(n.u.notify.data.ptr, want, 20);
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_NAT_DETECTION_DESTINATION_IP, &n));
	natd(SPI_I, p.spi_r, peer_addr, 4500, want);
	ck_assert_mem_eq(n.u.notify.data.ptr, want, 20);
}

static bool
endpoint_is(const struct ike_endpoint *e, uint32_t addr, uint16_t port)
{
	const struct ike_endpoint want = ep4(addr, port);
	return e->addr_len == 4 && !memcmp(e->addr, want.addr, 4) && e->port == port;
}

/* _i 1: offered, answered in the last IKE_AUTH response, on; _i 0: no
 * N(MOBIKE_SUPPORTED) either way. */
START_TEST(mobike_supported_answered_only_when_offered)
{
	establish(_i == 1);
	ck_assert_str_eq(p.summary, _i ? "IKE_AUTH response 2 [ AUTH SA TSi TSr N(AUTH_LFT) "
					 "N(MOBIKE_SUP) ]" :
					 "IKE_AUTH response 2 [ AUTH SA TSi TSr N(AUTH_LFT) ]");
	ck_assert(ike_sa_mobike(o.sa) == (_i == 1));
}
END_TEST

/* UPDATE_SA_ADDRESSES from a new address: answered with our NAT
 * detection, the SA and its CHILD_SA moved there (moved() once); later
 * requests from elsewhere move nothing; an update from behind a NAT
 * (its source hash another address) sets the NAT state. */
START_TEST(update_moves_the_sa_and_its_child)
{
	struct ikev2_builder b;

	establish(true);
	ikev2_builder_init_chain(&b, MAX_MSG);
	add_update(&b, NEW_ADDR);
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 3 [ N(NATD_S_IP) N(NATD_D_IP) ]");
	expect_our_natd(NEW_ADDR);
	ck_assert_uint_eq(o.moves, 1);
	ck_assert(endpoint_is(&o.moved_remote, NEW_ADDR, 4500));
	ck_assert(endpoint_is(&o.moved_local, GW_ADDR, 4500));
	ck_assert(o.moved_with_child);
	ck_assert(endpoint_is(&o.child.peer, NEW_ADDR, 4500));
	ck_assert(endpoint_is(&o.child.local, GW_ADDR, 4500));
	ck_assert(!ike_sa_nat_remote(o.sa));
	ck_assert(!ike_sa_nat_local(o.sa));

	/* the same update again: nothing new to move to */
	ikev2_builder_init_chain(&b, MAX_MSG);
	add_update(&b, NEW_ADDR);
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), 0);
	ck_assert_uint_eq(o.moves, 1);
	/* a liveness check from another address moves nothing */
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(send_info_from(&b, ep4(PEER_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 5 [ ]");
	ck_assert_uint_eq(o.moves, 1);

	/* from behind a NAT: the peer's hash names its private address */
	ikev2_builder_init_chain(&b, MAX_MSG);
	add_update(&b, NAT_ADDR);
	ck_assert_int_eq(send_info_from(&b, ep4(PEER_ADDR, 4500)), 0);
	expect_our_natd(PEER_ADDR);
	ck_assert_uint_eq(o.moves, 2);
	ck_assert(endpoint_is(&o.moved_remote, PEER_ADDR, 4500));
	ck_assert(ike_sa_nat_remote(o.sa));
	ck_assert(!ike_sa_nat_local(o.sa));
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.closes, 0);
}
END_TEST

/* COOKIE2 is echoed, alone or with an update. */
START_TEST(cookie2_echoed)
{
	uint8_t cookie[16];
	struct ikev2_builder b;
	struct ikev2_payload n;

	for (size_t k = 0; k < sizeof(cookie); k++)
		cookie[k] = (uint8_t)(0x30 + k);
	establish(true);
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_COOKIE2, B(cookie, sizeof(cookie)));
	ck_assert_int_eq(send_info_from(&b, ep4(PEER_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 3 [ N(COOKIE2) ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE2, &n));
	ck_assert_uint_eq(n.u.notify.data.len, sizeof(cookie));
	ck_assert_mem_eq(n.u.notify.data.ptr, cookie, sizeof(cookie));
	ck_assert_uint_eq(o.moves, 0);

	cookie[0] ^= 0xff;
	ikev2_builder_init_chain(&b, MAX_MSG);
	add_update(&b, NEW_ADDR);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_COOKIE2, B(cookie, 8));
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary,
	    "INFORMATIONAL response 4 [ N(NATD_S_IP) N(NATD_D_IP) N(COOKIE2) ]");
	ck_assert(ikev2_find(&p.chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE2, &n));
	ck_assert_uint_eq(n.u.notify.data.len, 8);
	ck_assert_mem_eq(n.u.notify.data.ptr, cookie, 8);
	ck_assert_uint_eq(o.moves, 1);
}
END_TEST

/* Without MOBIKE the update is a status notification we ignore: answered
 * empty, nothing moves. */
START_TEST(update_without_mobike_ignored)
{
	static const uint8_t short_cookie[2] = {1, 2}; /* out of bounds, but not read */
	struct ikev2_builder b;

	establish(false);
	ikev2_builder_init_chain(&b, MAX_MSG);
	add_update(&b, NEW_ADDR);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_COOKIE2, B(short_cookie, 2));
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 3 [ ]");
	ck_assert_uint_eq(o.moves, 0);
	ck_assert(!ike_sa_mobike(o.sa));
	ck_assert(ike_sa_established(o.sa));
}
END_TEST

/* Additional addresses: up to 16 accepted (and not kept), with an update. */
START_TEST(additional_addresses_accepted_up_to_the_bound)
{
	static const uint8_t a6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
	struct ikev2_builder b;

	establish(true);
	ikev2_builder_init_chain(&b, MAX_MSG);
	add_update(&b, NEW_ADDR);
	for (uint8_t k = 0; k < 15; k++) {
		const uint8_t a4[4] = {10, 9, 0, k};
		ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_ADDITIONAL_IP4_ADDRESS, B(a4, 4));
	}
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_ADDITIONAL_IP6_ADDRESS, B(a6, 16));
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 3 [ N(NATD_S_IP) N(NATD_D_IP) ]");
	ck_assert_uint_eq(o.moves, 1);

	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NO_ADDITIONAL_ADDRESSES, B(NULL, 0));
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 4 [ ]");
}
END_TEST

/* A notification out of bounds: the request is refused with
 * INVALID_SYNTAX and a reason naming it (the codec's own, for a length it
 * checks); nothing moves, the SA stays and answers the next request. */
static const struct {
	uint16_t type;
	uint8_t len;   /* its data: len octets */
	uint8_t count; /* that many times */
	bool with_update;
	const char *reason;
} odd[] = {
    {IKEV2_N_COOKIE2, 7, 1, false, "COOKIE2 not of 8 to 64 octets"},
    {IKEV2_N_COOKIE2, 65, 1, true, "COOKIE2 not of 8 to 64 octets"},
    {IKEV2_N_COOKIE2, 8, 2, false, "COOKIE2 twice"},
    {IKEV2_N_UPDATE_SA_ADDRESSES, 0, 1, true, "UPDATE_SA_ADDRESSES twice"},
    {IKEV2_N_UPDATE_SA_ADDRESSES, 4, 1, false, "UPDATE_SA_ADDRESSES with data"},
    {IKEV2_N_NAT_DETECTION_SOURCE_IP, 19, 1, false,
	"NAT_DETECTION_SOURCE_IP data not 20 octets (a SHA-1 hash)"},
    {IKEV2_N_NAT_DETECTION_SOURCE_IP, 20, 1, false,
	"NAT_DETECTION_SOURCE_IP and _DESTINATION_IP not both present"},
    {IKEV2_N_NAT_DETECTION_SOURCE_IP, 20, 16, true, "more than 16 NAT_DETECTION_SOURCE_IP"},
    {IKEV2_N_NAT_DETECTION_DESTINATION_IP, 20, 1, true, "NAT_DETECTION_DESTINATION_IP twice"},
    {IKEV2_N_NAT_DETECTION_DESTINATION_IP, 21, 1, false,
	"NAT_DETECTION_DESTINATION_IP data not 20 octets (a SHA-1 hash)"},
    {IKEV2_N_ADDITIONAL_IP4_ADDRESS, 16, 1, false, "ADDITIONAL_IP4_ADDRESS data not 4 octets"},
    {IKEV2_N_ADDITIONAL_IP6_ADDRESS, 4, 1, true, "ADDITIONAL_IP6_ADDRESS data not 16 octets"},
    {IKEV2_N_ADDITIONAL_IP4_ADDRESS, 4, 17, true, "more than 16 ADDITIONAL_IP4/6_ADDRESS"},
    {IKEV2_N_NO_ADDITIONAL_ADDRESSES, 1, 1, false, "NO_ADDITIONAL_ADDRESSES with data"},
    {IKEV2_N_NO_ADDITIONAL_ADDRESSES, 0, 2, false, "NO_ADDITIONAL_ADDRESSES twice"},
};

START_TEST(odd_notifications_refused)
{
	uint8_t data[80] = {0};
	struct ikev2_builder b;

	establish(true);
	ikev2_builder_init_chain(&b, MAX_MSG);
	if (odd[_i].with_update)
		add_update(&b, NEW_ADDR);
	for (uint8_t k = 0; k < odd[_i].count; k++)
		ikev2_builder_add_notify(&b, 0, B(NULL, 0), odd[_i].type, B(data, odd[_i].len));
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), TNC_EINVALID);
	ck_assert_str_eq(ike_sa_reason(o.sa), odd[_i].reason);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 3 [ N(INVAL_SYN) ]");
	ck_assert_uint_eq(o.moves, 0);
	ck_assert(ike_sa_established(o.sa));
	ck_assert_uint_eq(o.closes, 0);
	/* and the next request is answered */
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(send_info_from(&b, ep4(PEER_ADDR, 500)), 0);
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 4 [ ]");
}
END_TEST

/* NO_ADDITIONAL_ADDRESSES contradicting ADDITIONAL_IP4_ADDRESS. */
START_TEST(no_additional_with_additional_refused)
{
	static const uint8_t a4[4] = {10, 9, 0, 1};
	struct ikev2_builder b;

	establish(true);
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_ADDITIONAL_IP4_ADDRESS, B(a4, 4));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NO_ADDITIONAL_ADDRESSES, B(NULL, 0));
	ck_assert_int_eq(send_info_from(&b, ep4(NEW_ADDR, 4500)), TNC_EINVALID);
	ck_assert_str_eq(ike_sa_reason(o.sa),
	    "NO_ADDITIONAL_ADDRESSES with ADDITIONAL_IP4/6_ADDRESS");
	ck_assert_str_eq(p.summary, "INFORMATIONAL response 3 [ N(INVAL_SYN) ]");
	ck_assert(ike_sa_established(o.sa));
}
END_TEST

/* The owner's endpoints must be IPv4 or IPv6. */
START_TEST(receive_from_odd_endpoint_refused)
{
	struct ike_endpoint bad = ep4(NEW_ADDR, 4500);
	const struct ike_endpoint gw = ep4(GW_ADDR, 4500);

	establish(true);
	bad.addr_len = 5;
	ck_assert_int_eq(ike_sa_receive_from(o.sa, req, 40, &gw, &bad, NOW), TNC_EINVALID);
	ck_assert_str_eq(ike_sa_reason(o.sa), "datagram endpoint neither IPv4 nor IPv6");
	ck_assert(ike_sa_established(o.sa));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_sa_mobike");
	TCase *tc = tcase_create("mobike");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, mobike_supported_answered_only_when_offered, 0, 2);
	tcase_add_test(tc, update_moves_the_sa_and_its_child);
	tcase_add_test(tc, cookie2_echoed);
	tcase_add_test(tc, update_without_mobike_ignored);
	tcase_add_test(tc, additional_addresses_accepted_up_to_the_bound);
	tcase_add_loop_test(tc, odd_notifications_refused, 0, (int)(sizeof(odd) / sizeof(odd[0])));
	tcase_add_test(tc, no_additional_with_additional_refused);
	tcase_add_test(tc, receive_from_odd_endpoint_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
