/* test_ike_initiator.c - the IKEv2 initiator (client/ike_initiator/)
 * against a responder scripted here from the codec and the crypto layer,
 * so that each answer can be made wrong on purpose: the seeds' flow to the
 * CHILD_SA (keys, selectors, virtual IP, DNS) and DELETE; the initiator's
 * refusals (another SPI, a tampered or misnumbered answer, a bad AUTH, no
 * SA, NO_PROPOSAL_CHOSEN, AUTHENTICATION_FAILED, a foreign identity, an
 * unoffered transform), COOKIE and INVALID_KE_PAYLOAD retries and their
 * bound, retransmission with backoff and its bound, fragments both ways,
 * liveness checks and the responder's DELETE; after an EAP-Failure our
 * INFORMATIONAL [ N(AUTHENTICATION_FAILED) ] (RFC 7296 2.21.2).
 */
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "eap.h"
#include "ike_initiator.h"
#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_dh.h"
#include "ikev2_keys.h"
#include "ikev2_sk.h"
#include "testlib.h"

#define MAX_MSG 65536u
#define MAX_OUT 32
#define T0 5000u

#include "test_ike_common.h"

/* --- the initiator's configuration --- */

static const struct ikev2_transform_spec ike_t[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128},
    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
};
static const struct ikev2_transform_spec ike_gcm[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256},
    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_384, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
};
static const struct ike_initiator_proposal ike_props[] = {{ike_t, 5}, {ike_gcm, 3}};
static const struct ikev2_transform_spec esp_gcm[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
    {IKEV2_TRANS_ESN, 0, 0},
};
static const struct ikev2_transform_spec esp_cbc[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
    {IKEV2_TRANS_ESN, 0, 0},
};
static const struct ike_initiator_proposal esp_props[] = {{esp_gcm, 2}, {esp_cbc, 3}};
static const uint8_t any_s[4] = {0, 0, 0, 0}, any_e[4] = {255, 255, 255, 255};
static const struct ikev2_ts any4 = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {any_s, 4},
    {any_e, 4}};
static const char my_id[] = "carol@strongswan.org", gw_id[] = "moon.strongswan.org";
static struct ike_initiator_config cfg;

#define LOCAL_ADDR 0xc0a800feu /* 192.168.0.254 */
#define GW_ADDR 0xc0a80001u    /* 192.168.0.1 */

static struct ike_initiator_endpoint
ep4(uint32_t a, uint16_t port)
{
	return (struct ike_initiator_endpoint){4, {(uint8_t)(a >> 24), (uint8_t)(a >> 16),
	    (uint8_t)(a >> 8), (uint8_t)a}, port};
}

/* --- the owner: what the initiator hands out --- */

static struct initiator_record o;

/* --- the responder, scripted --- */

static const struct ikev2_limits lim = {MAX_MSG, 64};
static const uint8_t msk[64] = "the MSK of the EAP method: sixty-four octets for the AUTH...!";

static struct {
	uint64_t spi_i, spi_r;
	uint8_t ni[IKEV2_NONCE_MAX], nr[32];
	size_t ni_len;
	uint8_t init_resp[2048];
	size_t init_resp_len;
	uint8_t init_req[2048];
	size_t init_req_len;
	struct ikev2_sa_keys keys;
	uint8_t plain[MAX_MSG];
	struct ikev2_header hdr; /* of the last request opened */
	struct ikev2_chain chain;
	char summary[512];
	uint32_t esp_spi; /* the initiator's */
	uint8_t idi[300];
	size_t idi_len;
} r;

/* Datagram n the initiator sent, parsed unprotected (IKE_SA_INIT). */
static void
parse_out(size_t n, struct ikev2_msg *m)
{
	struct parse_error e;
	ck_assert_uint_lt(n, o.out_count);
	ck_assert_msg(ikev2_msg_parse(o.out[n], o.out_len[n], &lim, m, &e) == 0, "%s", e.reason);
	ikev2_summary(&m->hdr, &m->chain, r.summary, sizeof(r.summary));
}

static int
deliver(struct bytes msg)
{
	o.out_count = 0;
	return ike_initiator_receive(o.i, msg.ptr, msg.len, T0);
}

static void
start(void)
{
	const struct ike_initiator_params p = {&cfg, ep4(LOCAL_ADDR, 500), ep4(GW_ADDR, 500),
	    test_random, NULL, {NULL, 0}};
	o.out_count = 0;
	ck_assert_int_eq(ike_initiator_new(&p, &initiator_record_ops, &o, &o.i), 0);
	ck_assert_int_eq(ike_initiator_start(o.i, T0), 0);
	ck_assert_uint_eq(o.out_count, 1);
}

/* An unprotected IKE_SA_INIT answer with the notification given. */
static struct bytes
init_notify(uint16_t type, struct bytes data, uint8_t *buf)
{
	const struct ikev2_header h = {.spi_i = ike_initiator_spi_i(o.i), .major = 2,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};
	struct ikev2_builder b;
	struct bytes msg;

	ikev2_builder_init(&b, &h, MAX_MSG);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), type, data);
	ck_assert_int_eq(ikev2_builder_finish(&b, &msg), 0);
	memcpy(buf, msg.ptr, msg.len);
	ikev2_builder_clear(&b);
	return B(buf, msg.len);
}

/* The responder's IKE_SA_INIT answer to the last request, choosing
 * transforms t of proposal num; NATD as seen from peer_addr (another than
 * LOCAL_ADDR: a NAT); the keys derived as the responder. */
static struct bytes
init_answer(uint8_t num, const struct ikev2_transform_spec *t, size_t n, uint32_t peer_addr,
    uint8_t *buf)
{
	struct ikev2_msg m;
	struct ikev2_payload ke, nonce;
	uint8_t gir[IKEV2_DH_MAX_SECRET], seed[IKEV2_PRF_MAX_LEN], s[20], d[20];
	size_t gir_len;
	struct ikev2_suite suite;
	uint16_t encr = 0, bits = 0, integ = 0, prf = 0;
	struct ikev2_builder b;
	struct bytes msg;

	parse_out(o.out_count - 1, &m);
	memcpy(r.init_req, o.out[o.out_count - 1], o.out_len[o.out_count - 1]);
	r.init_req_len = o.out_len[o.out_count - 1];
	r.spi_i = m.hdr.spi_i;
	r.spi_r = 0x5152535455565758ull;
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_KE, 0, &ke));
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NONCE, 0, &nonce));
	memcpy(r.ni, nonce.u.nonce.ptr, nonce.u.nonce.len);
	r.ni_len = nonce.u.nonce.len;
	for (size_t k = 0; k < sizeof(r.nr); k++)
		r.nr[k] = (uint8_t)(0x30 + k);
	struct ikev2_dh *dh = ikev2_dh_new(ke.u.ke.group, B(NULL, 0));
	ck_assert_ptr_nonnull(dh);
	for (size_t k = 0; k < n; k++) {
		if (t[k].type == IKEV2_TRANS_ENCR)
			encr = t[k].id, bits = t[k].key_length;
		else if (t[k].type == IKEV2_TRANS_INTEG)
			integ = t[k].id;
		else if (t[k].type == IKEV2_TRANS_PRF)
			prf = t[k].id;
	}
	const struct ikev2_header h = {.spi_i = r.spi_i, .spi_r = r.spi_r, .major = 2,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_RESPONSE};
	const struct ikev2_proposal_spec prop = {num, IKEV2_PROTO_IKE, B(NULL, 0), t, n};
	natd(r.spi_i, r.spi_r, GW_ADDR, 500, s);
	natd(r.spi_i, r.spi_r, peer_addr, 500, d);
	ikev2_builder_init(&b, &h, MAX_MSG);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ke(&b, ke.u.ke.group, ikev2_dh_public(dh));
	ikev2_builder_add_nonce(&b, B(r.nr, sizeof(r.nr)));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_SOURCE_IP, B(s, 20));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_DESTINATION_IP, B(d, 20));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED,
	    B(NULL, 0));
	ck_assert_int_eq(ikev2_builder_finish(&b, &msg), 0);
	memcpy(buf, msg.ptr, msg.len);
	memcpy(r.init_resp, msg.ptr, msg.len);
	r.init_resp_len = msg.len;
	ikev2_builder_clear(&b);
	if (prf && !ikev2_suite_init(&suite, encr, bits, integ, prf, NULL)) {
		ck_assert_int_eq(ikev2_dh_shared(dh, ke.u.ke.data, gir, &gir_len, NULL), 0);
		ck_assert_int_eq(ikev2_skeyseed(prf, B(r.ni, r.ni_len), B(r.nr, 32), B(gir, gir_len),
				     seed), 0);
		ck_assert_int_eq(ikev2_sa_keys_derive(&suite, B(seed, suite.prf_len), B(r.ni, r.ni_len),
				     B(r.nr, 32), r.spi_i, r.spi_r, &r.keys), 0);
	}
	ikev2_dh_free(dh);
	return B(buf, msg.len);
}

/* Opens datagram n of the initiator (a protected request or answer) into
 * r.chain / r.summary. */
static void
open_out(size_t n)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&r.keys, true);
	static uint8_t tmp[MAX_MSG];
	struct ikev2_msg m;
	struct ikev2_payload sk;
	struct parse_error e;
	struct bytes plain;

	ck_assert_uint_lt(n, o.out_count);
	ck_assert_msg(ikev2_msg_parse(o.out[n], o.out_len[n], &lim, &m, &e) == 0, "%s", e.reason);
	ck_assert(m.hdr.flags & IKEV2_FLAG_INITIATOR);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_SK, 0, &sk));
	ck_assert_msg(ikev2_sk_open(&k, B(o.out[n], o.out_len[n]), &sk, tmp, sizeof(tmp), &plain,
			  &e) == 0, "%s", e.reason);
	memcpy(r.plain, plain.ptr, plain.len);
	ck_assert_msg(ikev2_chain_parse(sk.next, sk.offset, r.plain, plain.len, sk.offset + 4,
			  m.hdr.flags & IKEV2_FLAG_RESPONSE, &lim, &r.chain, &e) == 0, "%s", e.reason);
	r.hdr = m.hdr;
	ikev2_summary(&m.hdr, &r.chain, r.summary, sizeof(r.summary));
}

/* A protected message of the responder with the inner chain b (cleared). */
static struct bytes
seal_msg(uint8_t exchange, uint8_t flags, uint32_t mid, struct ikev2_builder *inner, uint8_t *buf)
{
	const struct ikev2_header h = {.spi_i = r.spi_i, .spi_r = r.spi_r, .major = 2,
	    .exchange = exchange, .flags = flags, .message_id = mid};
	const struct ikev2_sk_key k = ikev2_sk_key_of(&r.keys, false);
	struct ikev2_builder b;
	struct bytes plain, msg;

	ck_assert_int_eq(ikev2_builder_finish(inner, &plain), 0);
	ikev2_builder_init(&b, &h, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &k, inner->first, plain, 0, 0, ikev2_iv_random, NULL,
			     &msg), 0);
	memcpy(buf, msg.ptr, msg.len);
	ikev2_builder_clear(&b);
	ikev2_builder_clear(inner);
	return B(buf, msg.len);
}

static struct bytes
answer(uint32_t mid, struct ikev2_builder *inner, uint8_t *buf)
{
	return seal_msg(IKEV2_IKE_AUTH, IKEV2_FLAG_RESPONSE, mid, inner, buf);
}

static const uint8_t eap_start[] = {EAP_REQUEST, 0xa8, 0, 6, EAP_TYPE_TTLS, 0x20};

/* [ IDr EAP ] with eap. */
static void
eap_chain(struct ikev2_builder *b, bool idr, const uint8_t *eap, size_t len)
{
	ikev2_builder_init_chain(b, MAX_MSG);
	if (idr)
		ikev2_builder_add_id(b, IKEV2_PL_IDR, IKEV2_ID_FQDN, B(gw_id, strlen(gw_id)));
	ikev2_builder_add_eap(b, B(eap, len));
}

static uint8_t buf[MAX_MSG];

/* IKE_SA_INIT (proposal 1) and request 1 opened; no answer yet. */
static void
to_auth1(void)
{
	start();
	ck_assert_int_eq(deliver(init_answer(1, (const struct ikev2_transform_spec[]){ike_t[0],
		ike_t[1], ike_t[2], ike_t[3]}, 4, LOCAL_ADDR, buf)), 0);
	ck_assert_uint_eq(o.out_count, 1);
	open_out(0);
}

/* Through EAP: request 1 answered [ IDr EAP/REQ ], one EAP Response,
 * EAP-Success, eap_done(): the AUTH request (mid 3) opened into r. */
static void
to_auth_request(void)
{
	struct ikev2_builder b;
	struct ikev2_payload id, auth;
	static const uint8_t response[] = {EAP_RESPONSE, 0xa8, 0, 6, EAP_TYPE_TTLS, 0};
	static const uint8_t success[] = {EAP_SUCCESS, 0xa9, 0, 4};

	to_auth1();
	ck_assert(ikev2_find(&r.chain, IKEV2_PL_IDI, 0, &id));
	memcpy(r.idi, id.body.ptr, id.body.len);
	r.idi_len = id.body.len;
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), 0);
	ck_assert_uint_eq(o.eaps, 1);
	ck_assert_uint_eq(o.out_count, 0); /* the owner's EAP peer answers next */
	ck_assert_int_eq(ike_initiator_eap_response(o.i, B(response, sizeof(response)), T0), 0);
	open_out(0);
	ck_assert_str_eq(r.summary, "IKE_AUTH request 2 [ EAP/RES/TTLS ]");
	eap_chain(&b, false, success, sizeof(success));
	ck_assert_int_eq(deliver(answer(2, &b, buf)), 0);
	ck_assert_uint_eq(o.eaps, 2);
	ck_assert_uint_eq(o.eap[0], EAP_SUCCESS);
	ck_assert_int_eq(ike_initiator_eap_done(o.i, B(msk, sizeof(msk)), T0), 0);
	open_out(0);
	ck_assert_str_eq(r.summary, "IKE_AUTH request 3 [ AUTH ]");
	/* the initiator's AUTH verifies as the responder checks it (2.16) */
	ck_assert(ikev2_find(&r.chain, IKEV2_PL_AUTH, 0, &auth));
	const struct ikev2_auth_input in = {r.keys.suite.prf, B(r.init_req, r.init_req_len),
	    B(r.nr, 32), B(r.keys.pi, r.keys.suite.prf_len), B(r.idi, r.idi_len)};
	ck_assert_int_eq(ikev2_auth_mic_verify(&in, B(msk, sizeof(msk)), auth.u.auth.data), 0);
}

/* What the final answer carries. */
enum {
	FINAL_AUTH = 1,     /* the responder's AUTH */
	FINAL_BAD_AUTH = 2, /* ... made with another MSK */
	FINAL_CHILD = 4,    /* CP SA TSi TSr */
};

/* The responder's final answer (mid 3): [ AUTH CPRP(ADDR DNS DNS) SA TSi TSr
 * N(AUTH_LFT) ] as flags say, or [ N(error) ]. */
static struct bytes
final_answer(int flags, uint16_t error)
{
	uint8_t idr[4 + sizeof(gw_id)] = {IKEV2_ID_FQDN, 0, 0, 0}, mic[IKEV2_PRF_MAX_LEN];
	uint8_t wrong[sizeof(msk)];
	size_t mic_len;
	static const uint8_t spi[4] = {0xc5, 0xc6, 0xc7, 0xc8}, vip[4] = {10, 3, 0, 100},
			     dns1[4] = {10, 3, 0, 1}, dns2[4] = {8, 8, 8, 8};
	static const uint8_t ts_s[4] = {10, 1, 0, 0}, ts_e[4] = {10, 1, 255, 255};
	static const uint8_t lft[4] = {0, 0, 0x2a, 0x30};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_ESP, B(spi, 4), esp_gcm, 2};
	const struct ikev2_ts tsi = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, B(vip, 4), B(vip, 4)};
	const struct ikev2_ts tsr = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, B(ts_s, 4), B(ts_e, 4)};
	const struct ikev2_cp_attr cp[] = {{IKEV2_CFG_INTERNAL_IP4_ADDRESS, B(vip, 4)},
	    {IKEV2_CFG_INTERNAL_IP4_DNS, B(dns1, 4)}, {IKEV2_CFG_INTERNAL_IP4_DNS, B(dns2, 4)}};
	struct ikev2_builder b;

	memcpy(idr + 4, gw_id, strlen(gw_id));
	memcpy(wrong, msk, sizeof(msk));
	wrong[3] ^= 1;
	const struct ikev2_auth_input in = {r.keys.suite.prf, B(r.init_resp, r.init_resp_len),
	    B(r.ni, r.ni_len), B(r.keys.pr, r.keys.suite.prf_len), B(idr, 4 + strlen(gw_id))};
	ck_assert_int_eq(ikev2_auth_mic(&in, flags & FINAL_BAD_AUTH ? B(wrong, sizeof(wrong))
								     : B(msk, sizeof(msk)), mic, &mic_len), 0);
	ikev2_builder_init_chain(&b, MAX_MSG);
	if (flags & (FINAL_AUTH | FINAL_BAD_AUTH))
		ikev2_builder_add_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, B(mic, mic_len));
	if (error)
		ikev2_builder_add_notify(&b, 0, B(NULL, 0), error, B(NULL, 0));
	if (flags & FINAL_CHILD) {
		ikev2_builder_add_cp(&b, IKEV2_CFG_REPLY, cp, 3);
		ikev2_builder_add_sa(&b, &prop, 1);
		ikev2_builder_add_ts(&b, IKEV2_PL_TSI, &tsi, 1);
		ikev2_builder_add_ts(&b, IKEV2_PL_TSR, &tsr, 1);
	}
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_AUTH_LIFETIME, B(lft, 4));
	return answer(3, &b, buf);
}

static void
setup(void)
{
	memset(&o, 0, sizeof(o));
	memset(&r, 0, sizeof(r));
	cfg = (struct ike_initiator_config){.ike = ike_props, .ike_count = 2, .esp = esp_props,
	    .esp_count = 2, .id_type = IKEV2_ID_RFC822_ADDR, .id = B(my_id, strlen(my_id)),
	    .idr_type = IKEV2_ID_FQDN, .idr = B(gw_id, strlen(gw_id)), .tsi = &any4, .tsi_count = 1,
	    .tsr = &any4, .tsr_count = 1, .request_vip = true, .eap_only = true,
	    .max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16,
	    .retransmit_ms = 1000, .max_sends = 4};
}

static void
teardown(void)
{
	ike_initiator_free(o.i);
	o.i = NULL;
	ikev2_sa_keys_cleanse(&r.keys);
}

/* --- the flow --- */

/* IKE_SA_INIT as sent, request 1 like strongSwan's, EAP both ways, AUTH
 * both ways, the CHILD_SA's keys as the responder derives them, the
 * virtual IP and DNS; a liveness check answered; DELETE on close. */
START_TEST(flow_to_child_and_delete)
{
	struct ikev2_msg m;
	struct ikev2_payload n;
	struct ikev2_builder b;
	struct ikev2_child_keys keys;
	uint8_t want[20];

	start();
	parse_out(0, &m);
	ck_assert_str_eq(r.summary,
	    "IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]");
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_KE, 0, &n));
	ck_assert_uint_eq(n.u.ke.group, IKEV2_DH_CURVE25519);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NOTIFY, IKEV2_N_NAT_DETECTION_SOURCE_IP, &n));
	natd(m.hdr.spi_i, 0, LOCAL_ADDR, 500, want);
	ck_assert_mem_eq(n.u.notify.data.ptr, want, 20);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NOTIFY, IKEV2_N_NAT_DETECTION_DESTINATION_IP, &n));
	natd(m.hdr.spi_i, 0, GW_ADDR, 500, want);
	ck_assert_mem_eq(n.u.notify.data.ptr, want, 20);
	ike_initiator_free(o.i);
	o.i = NULL;

	to_auth1();
	ck_assert_str_eq(r.summary, "IKE_AUTH request 1 [ IDi N(INIT_CONTACT) IDr SA TSi TSr "
				    "CPRQ(ADDR DNS) N(EAP_ONLY) ]");
	ck_assert_uint_eq(ike_initiator_spi_r(o.i), r.spi_r);
	ck_assert(!ike_initiator_nat_local(o.i));
	ck_assert(!ike_initiator_nat_remote(o.i));
	ck_assert_uint_eq(ike_initiator_suite(o.i)->encr, IKEV2_ENCR_AES_CBC);
	ck_assert_uint_eq(ike_initiator_suite(o.i)->prf, IKEV2_PRF_HMAC_SHA2_256);
	ck_assert(ikev2_find(&r.chain, IKEV2_PL_SA, 0, &n));
	struct bytes list = n.u.sa;
	struct ikev2_proposal prop;
	ck_assert(ikev2_proposal_next(&list, &prop));
	r.esp_spi = get32(prop.spi.ptr);
	ck_assert_uint_ge(r.esp_spi, 256);
	ike_initiator_free(o.i);
	o.i = NULL;
	memset(&o, 0, sizeof(o));

	to_auth_request();
	ck_assert_int_eq(deliver(final_answer(FINAL_AUTH | FINAL_CHILD, 0)), 0);
	ck_assert_uint_eq(o.established, 1);
	ck_assert(!o.child_null);
	ck_assert(ike_initiator_established(o.i));
	ck_assert_uint_eq(o.child.spi_out, 0xc5c6c7c8u);
	ck_assert_uint_ge(o.child.spi_in, 256);
	ck_assert_uint_eq(o.child.esp.encr, IKEV2_ENCR_AES_GCM_16);
	ck_assert_uint_eq(o.child.esp.encr_bits, 128);
	ck_assert(o.child.has_virtual_ip);
	ck_assert_uint_eq(o.child.virtual_ip, 0x0a030064u);
	ck_assert_uint_eq(o.child.dns_count, 2);
	ck_assert_uint_eq(o.child.dns[0], 0x0a030001u);
	ck_assert_uint_eq(o.child.dns[1], 0x08080808u);
	ck_assert_uint_eq(o.child.tsi_count, 1);
	ck_assert_mem_eq(o.child.tsi[0].start, "\x0a\x03\x00\x64", 4);
	ck_assert_uint_eq(o.child.tsr_count, 1);
	ck_assert_mem_eq(o.child.tsr[0].end, "\x0a\x01\xff\xff", 4);
	ck_assert_uint_eq(o.child.auth_lifetime_s, 0x2a30);
	const struct ikev2_suite esp = o.child.esp;
	ck_assert_int_eq(ikev2_child_keys_derive(r.keys.suite.prf, B(r.keys.d, r.keys.suite.prf_len),
			     &esp, B(NULL, 0), B(r.ni, r.ni_len), B(r.nr, 32), &keys), 0);
	ck_assert_mem_eq(o.child.keys.ei, keys.ei, esp.encr_key_len);
	ck_assert_mem_eq(o.child.keys.er, keys.er, esp.encr_key_len);
	ikev2_child_keys_cleanse(&keys);

	/* the final answer again (a retransmission): ignored */
	ck_assert_int_eq(deliver(final_answer(FINAL_AUTH | FINAL_CHILD, 0)), TNC_ESTATE);
	ck_assert_str_eq(ike_initiator_reason(o.i), "response to no request outstanding");

	/* a liveness check: answered empty, and a retransmission of it again */
	ikev2_builder_init_chain(&b, MAX_MSG);
	const struct bytes dpd = seal_msg(IKEV2_INFORMATIONAL, 0, 0, &b, buf);
	ck_assert_int_eq(deliver(dpd), 0);
	open_out(0);
	ck_assert_str_eq(r.summary, "INFORMATIONAL response 0 [ ]");
	ck_assert_int_eq(deliver(dpd), 0);
	ck_assert_str_eq(ike_initiator_reason(o.i), "retransmitted request answered again");
	ck_assert_uint_eq(o.out_count, 1);
	/* one ahead of the window: dropped */
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(deliver(seal_msg(IKEV2_INFORMATIONAL, 0, 2, &b, buf)), TNC_ESTATE);
	ck_assert_uint_eq(o.out_count, 0);

	/* close: DELETE, retransmitted, answered */
	o.out_count = 0;
	ck_assert_int_eq(ike_initiator_close(o.i, T0 + 100), 0);
	open_out(0);
	ck_assert_str_eq(r.summary, "INFORMATIONAL request 4 [ D ]");
	o.out_count = 0;
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 1100), T0 + 1100 + 2000);
	ck_assert_uint_eq(o.out_count, 1);
	ikev2_builder_init_chain(&b, MAX_MSG);
	ck_assert_int_eq(deliver(seal_msg(IKEV2_INFORMATIONAL, IKEV2_FLAG_RESPONSE, 4, &b, buf)), 0);
	ck_assert(ike_initiator_closed(o.i));
	ck_assert_str_eq(ike_initiator_reason(o.i), "IKE SA deleted");
	ck_assert_uint_eq(o.failed, 0);
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 10000), 0);
}
END_TEST

/* --- refusals --- */

/* Answers that are not the responder's for this SA, or not an answer:
 * dropped, the request still outstanding; then the genuine one works. */
START_TEST(dropped_answers)
{
	struct ikev2_builder b;
	struct bytes msg;

	to_auth1();
	/* another SPIr */
	const uint64_t spi_r = r.spi_r;
	r.spi_r ^= 1;
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), TNC_EINVALID);
	ck_assert_str_eq(ike_initiator_reason(o.i), "SPIr of another IKE SA");
	r.spi_r = spi_r;
	/* another message ID */
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(answer(2, &b, buf)), TNC_ESTATE);
	ck_assert_str_eq(ike_initiator_reason(o.i), "response to no request outstanding");
	/* tampered: the ICV fails */
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	msg = answer(1, &b, buf);
	buf[msg.len - 5] ^= 0x40;
	ck_assert_int_eq(deliver(msg), TNC_EINVALID);
	ck_assert_str_eq(ike_initiator_reason(o.i), "integrity check failed");
	/* a request flag where a response is due, the I flag, another exchange */
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(seal_msg(IKEV2_IKE_AUTH, IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE,
				     1, &b, buf)), TNC_EINVALID);
	ck_assert_str_eq(ike_initiator_reason(o.i), "message with the Initiator flag (ours, reflected?)");
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(seal_msg(IKEV2_INFORMATIONAL, IKEV2_FLAG_RESPONSE, 1, &b, buf)),
	    TNC_EINVALID);
	ck_assert_str_eq(ike_initiator_reason(o.i), "response of another exchange than the request");
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(seal_msg(IKEV2_IKE_AUTH, 0, 0, &b, buf)), TNC_ESTATE);
	ck_assert_str_eq(ike_initiator_reason(o.i), "request of the responder before the IKE SA is up");
	/* garbage */
	ck_assert_int_eq(deliver(B("\x01\x02\x03", 3)), TNC_EINVALID);
	ck_assert_uint_eq(o.eaps, 0);
	ck_assert_uint_eq(o.failed, 0);
	/* the genuine answer */
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), 0);
	ck_assert_uint_eq(o.eaps, 1);
	ck_assert_mem_eq(o.eap, eap_start, sizeof(eap_start));
	/* a Response is refused from the owner before a Request waits */
	ck_assert_int_eq(ike_initiator_eap_done(o.i, B(msk, sizeof(msk)), T0), TNC_ESTATE);
	ck_assert_int_eq(ike_initiator_eap_response(o.i, B(eap_start, sizeof(eap_start)), T0),
	    TNC_EINVALID);
}
END_TEST

/* Final answers the initiator refuses, each ending the SA with its reason
 * (a DELETE sent when the responder thinks the SA is up). */
START_TEST(final_answer_refused)
{
	static const struct {
		int flags;
		uint16_t error;
		const char *reason;
		bool delete_sent;
	} cases[] = {
	    {FINAL_BAD_AUTH | FINAL_CHILD, 0, "responder AUTH does not verify with the MSK", true},
	    {FINAL_AUTH, 0, "IKE_AUTH answer without SA, TSi or TSr, and no notification why", true},
	    {0, IKEV2_N_AUTHENTICATION_FAILED, "responder refused our AUTH: AUTHENTICATION_FAILED",
		false},
	    {FINAL_CHILD, 0, "answer to our AUTH without AUTH", false},
	};

	to_auth_request();
	ck_assert_int_eq(deliver(final_answer(cases[_i].flags, cases[_i].error)), TNC_EPEER);
	ck_assert_uint_eq(o.established, 0);
	ck_assert_uint_eq(o.failed, 1);
	ck_assert_str_eq(o.reason, cases[_i].reason);
	ck_assert(ike_initiator_closed(o.i));
	ck_assert_uint_eq(o.out_count, cases[_i].delete_sent);
	if (cases[_i].delete_sent) {
		open_out(0);
		ck_assert_str_eq(r.summary, "INFORMATIONAL request 4 [ D ]");
	}
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 100000), 0);
}
END_TEST

/* A CHILD_SA refused with a notification: the IKE SA up without it. */
START_TEST(final_answer_child_refused)
{
	to_auth_request();
	ck_assert_int_eq(deliver(final_answer(FINAL_AUTH, IKEV2_N_TS_UNACCEPTABLE)), 0);
	ck_assert_uint_eq(o.established, 1);
	ck_assert(o.child_null);
	ck_assert_str_eq(ike_initiator_reason(o.i), "no CHILD_SA: TS_UNACCEPTABLE");
	ck_assert(ike_initiator_established(o.i));
}
END_TEST

/* An IDr other than the one configured; EAP-Failure; AUTH before EAP. */
START_TEST(eap_phase_refusals)
{
	static const uint8_t failure[] = {EAP_FAILURE, 0xa8, 0, 4};
	struct ikev2_builder b;

	to_auth1();
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_id(&b, IKEV2_PL_IDR, IKEV2_ID_FQDN, B("sun.strongswan.org", 18));
	ikev2_builder_add_eap(&b, B(eap_start, sizeof(eap_start)));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), TNC_EPEER);
	ck_assert_str_eq(o.reason, "IDr of the responder is not the identity configured");
	ck_assert_uint_eq(o.eaps, 0);
	ike_initiator_free(o.i);
	memset(&o, 0, sizeof(o));

	to_auth1();
	eap_chain(&b, true, failure, sizeof(failure));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), TNC_EPEER);
	ck_assert_uint_eq(o.eaps, 1); /* the owner sees the EAP-Failure */
	ck_assert_str_eq(o.reason, "EAP-Failure from the responder");
	ck_assert(ike_initiator_closed(o.i));
	/* RFC 7296 2.21.2: the responder is told in an INFORMATIONAL of its own,
	 * sent once, not retransmitted, no answer awaited */
	ck_assert_uint_eq(o.out_count, 1);
	open_out(0);
	ck_assert_str_eq(r.summary, "INFORMATIONAL request 2 [ N(AUTH_FAILED) ]");
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 100000), 0);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.failed, 1);
	ike_initiator_free(o.i);
	memset(&o, 0, sizeof(o));

	to_auth1();
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NO_PROPOSAL_CHOSEN, B(NULL, 0));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), TNC_EPEER);
	ck_assert_str_eq(o.reason, "responder refused IKE_AUTH: NO_PROPOSAL_CHOSEN");
	ike_initiator_free(o.i);
	memset(&o, 0, sizeof(o));

	to_auth1();
	ikev2_builder_init_chain(&b, MAX_MSG);
	ikev2_builder_add_auth(&b, IKEV2_AUTH_SHARED_KEY_MIC, B(msk, 32));
	ikev2_builder_add_eap(&b, B(eap_start, sizeof(eap_start)));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), TNC_EPEER);
	ck_assert_str_eq(o.reason, "responder AUTH before EAP ended");
}
END_TEST

/* IKE_SA_INIT answers refused: NO_PROPOSAL_CHOSEN, transforms or a group
 * we did not offer, a foreign SPIi (dropped). */
START_TEST(init_refusals)
{
	const struct ikev2_transform_spec cbc192[] = {
	    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 192}, ike_t[1], ike_t[2], ike_t[3]};
	const struct ikev2_transform_spec ecp256[] = {ike_t[0], ike_t[1], ike_t[2], ike_t[4]};
	const struct ikev2_transform_spec two_prf[] = {ike_t[0], ike_t[1], ike_t[2],
	    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0}, ike_t[3]};
	struct bytes msg;

	start();
	ck_assert_int_eq(deliver(init_notify(IKEV2_N_NO_PROPOSAL_CHOSEN, B(NULL, 0), buf)),
	    TNC_EPEER);
	ck_assert_str_eq(o.reason,
	    "responder refused IKE_SA_INIT: NO_PROPOSAL_CHOSEN, none of our proposals");
	ck_assert(ike_initiator_closed(o.i));
	ck_assert_int_eq(deliver(init_notify(IKEV2_N_NO_PROPOSAL_CHOSEN, B(NULL, 0), buf)),
	    TNC_ESTATE);
	ike_initiator_free(o.i);

	const struct {
		uint8_t num;
		const struct ikev2_transform_spec *t;
		size_t n;
		const char *reason;
	} cases[] = {
	    {1, cbc192, 4, "chosen IKE transforms are not one of each we offered"},
	    {1, ecp256, 4, "chosen IKE proposal lacks ENCR or PRF, or its group is not our KE's"},
	    {1, two_prf, 5, "chosen IKE transforms are not one of each we offered"},
	    {3, ike_t, 4, "chosen IKE proposal is not one of ours (number, protocol or SPI)"},
	};
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		memset(&o, 0, sizeof(o));
		start();
		msg = init_answer(cases[c].num, cases[c].t, cases[c].n, LOCAL_ADDR, buf);
		ck_assert_int_eq(deliver(msg), TNC_EINVALID);
		ck_assert_str_eq(o.reason, cases[c].reason);
		ck_assert_uint_eq(o.out_count, 0);
		ike_initiator_free(o.i);
	}

	/* another SPIi: dropped, the genuine answer still taken; a NAT seen */
	memset(&o, 0, sizeof(o));
	start();
	msg = init_answer(2, ike_gcm, 3, 0x0a000002u, buf);
	buf[0] ^= 1;
	ck_assert_int_eq(deliver(msg), TNC_EINVALID);
	ck_assert_str_eq(ike_initiator_reason(o.i), "SPIi of another IKE SA");
	buf[0] ^= 1;
	ck_assert_int_eq(deliver(msg), 0);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert(ike_initiator_nat_local(o.i));
	ck_assert(!ike_initiator_nat_remote(o.i));
	ck_assert_uint_eq(ike_initiator_suite(o.i)->encr, IKEV2_ENCR_AES_GCM_16);
	open_out(0); /* AES-GCM keys agree */
	ck_assert_uint_eq(r.hdr.message_id, 1);
}
END_TEST

/* COOKIE: the request again with N(COOKIE) first, the same nonce and KE;
 * INVALID_KE_PAYLOAD: again with a KE of the group named, if we offered
 * it; the retries bounded. */
START_TEST(cookie_and_invalid_ke)
{
	static const uint8_t cookie[] = "a cookie of the responder";
	const uint8_t ecp[2] = {0, IKEV2_DH_ECP_256}, modp[2] = {0, IKEV2_DH_MODP_2048};
	struct ikev2_msg m;
	struct ikev2_payload n, first_nonce;
	uint8_t first[2048];
	size_t first_len;

	start();
	memcpy(first, o.out[0], o.out_len[0]);
	first_len = o.out_len[0];
	ck_assert_int_eq(deliver(init_notify(IKEV2_N_COOKIE, B(cookie, sizeof(cookie)), buf)), 0);
	ck_assert_str_eq(ike_initiator_reason(o.i), "COOKIE echoed");
	parse_out(0, &m);
	ck_assert_str_eq(r.summary,
	    "IKE_SA_INIT request 0 [ N(COOKIE) SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) ]");
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NOTIFY, IKEV2_N_COOKIE, &n));
	ck_assert_uint_eq(n.u.notify.data.len, sizeof(cookie));
	ck_assert_mem_eq(n.u.notify.data.ptr, cookie, sizeof(cookie));
	/* all else unchanged: the request is the first with the cookie in front */
	ck_assert_uint_eq(o.out_len[0], first_len + 8 + sizeof(cookie));
	ck_assert_mem_eq(o.out[0] + 28 + 8 + sizeof(cookie), first + 28, first_len - 28);

	ck_assert_int_eq(deliver(init_notify(IKEV2_N_INVALID_KE_PAYLOAD, B(ecp, 2), buf)), 0);
	parse_out(0, &m);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_KE, 0, &n));
	ck_assert_uint_eq(n.u.ke.group, IKEV2_DH_ECP_256);
	ck_assert_uint_eq(n.u.ke.data.len, 64);
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NONCE, 0, &first_nonce));
	/* the answer in that group: IKE_AUTH follows */
	ck_assert_int_eq(deliver(init_answer(1, (const struct ikev2_transform_spec[]){ike_t[0],
		ike_t[1], ike_t[2], ike_t[4]}, 4, LOCAL_ADDR, buf)), 0);
	open_out(0);
	ck_assert_uint_eq(r.hdr.exchange, IKEV2_IKE_AUTH);
	ike_initiator_free(o.i);

	/* a group we did not offer */
	memset(&o, 0, sizeof(o));
	start();
	ck_assert_int_eq(deliver(init_notify(IKEV2_N_INVALID_KE_PAYLOAD, B(modp, 2), buf)), TNC_EPEER);
	ck_assert_str_eq(o.reason, "INVALID_KE_PAYLOAD names our KE's group or one we did not offer");
	ike_initiator_free(o.i);

	/* cookies without end */
	memset(&o, 0, sizeof(o));
	start();
	for (int k = 0; k < 3; k++)
		ck_assert_int_eq(deliver(init_notify(IKEV2_N_COOKIE, B(cookie, 8), buf)), 0);
	ck_assert_int_eq(deliver(init_notify(IKEV2_N_COOKIE, B(cookie, 8), buf)), TNC_EPEER);
	ck_assert_str_eq(o.reason, "responder asked for IKE_SA_INIT again too often");
	ck_assert_uint_eq(o.failed, 1);
}
END_TEST

/* The request sent again at 1, 2, 4 s after the last send, max_sends in
 * all, then the SA fails; an answer stops it. */
START_TEST(retransmission_backoff_and_bound)
{
	uint64_t t;
	uint8_t first[2048];
	size_t first_len;

	start();
	memcpy(first, o.out[0], o.out_len[0]);
	first_len = o.out_len[0];
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 1), T0 + 1000);
	o.out_count = 0;
	ck_assert_uint_eq(t = ike_initiator_timeout(o.i, T0 + 1000), T0 + 1000 + 2000);
	ck_assert_uint_eq(o.out_count, 1);
	ck_assert_uint_eq(o.out_len[0], first_len);
	ck_assert_mem_eq(o.out[0], first, first_len);
	ck_assert_uint_eq(t = ike_initiator_timeout(o.i, t), T0 + 3000 + 4000);
	ck_assert_uint_eq(t = ike_initiator_timeout(o.i, t), T0 + 7000 + 8000);
	ck_assert_uint_eq(o.out_count, 3);
	ck_assert_uint_eq(o.failed, 0);
	ck_assert_uint_eq(ike_initiator_timeout(o.i, t), 0);
	ck_assert_uint_eq(o.out_count, 3); /* 4 sends in all */
	ck_assert_uint_eq(o.failed, 1);
	ck_assert_str_eq(o.reason, "responder did not answer the request");
	ike_initiator_free(o.i);

	/* IKE_AUTH request 1 retransmitted, then answered: no more */
	memset(&o, 0, sizeof(o));
	to_auth1();
	o.out_count = 0;
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 1000), T0 + 3000);
	open_out(0);
	ck_assert_uint_eq(r.hdr.message_id, 1);
	struct ikev2_builder b;
	eap_chain(&b, true, eap_start, sizeof(eap_start));
	ck_assert_int_eq(deliver(answer(1, &b, buf)), 0);
	ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 3000), 0);
	ck_assert_uint_eq(o.out_count, 0);
}
END_TEST

/* A large EAP Request in SKF fragments, out of order with a duplicate,
 * reassembled; a large EAP Response of ours sent in fragments no larger
 * than fragment_size. */
START_TEST(fragments_both_ways)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&r.keys, false);
	struct ikev2_builder b, chain;
	struct bytes plain, msg;
	static uint8_t big[3000], frags[4][1024];
	size_t lens[4];

	cfg.fragment_size = 600;
	to_auth1();
	big[0] = EAP_REQUEST, big[1] = 9, big[2] = sizeof(big) >> 8, big[3] = sizeof(big) & 0xff;
	big[4] = EAP_TYPE_TTLS;
	for (size_t n = 5; n < sizeof(big); n++)
		big[n] = (uint8_t)n;
	eap_chain(&chain, true, big, sizeof(big));
	ck_assert_int_eq(ikev2_builder_finish(&chain, &plain), 0);
	const struct ikev2_header h = {.spi_i = r.spi_i, .spi_r = r.spi_r, .major = 2,
	    .exchange = IKEV2_IKE_AUTH, .flags = IKEV2_FLAG_RESPONSE, .message_id = 1};
	const size_t part = plain.len / 4 + 1;
	for (uint16_t n = 0; n < 4; n++) {
		const size_t at = n * part, len = plain.len - at < part ? plain.len - at : part;
		ikev2_builder_init(&b, &h, MAX_MSG);
		ck_assert_int_eq(ikev2_sk_seal(&b, &k, n == 0 ? chain.first : 0,
				     B(plain.ptr + at, len), (uint16_t)(n + 1), 4, ikev2_iv_random,
				     NULL, &msg), 0);
		ck_assert_uint_le(msg.len, sizeof(frags[0]));
		memcpy(frags[n], msg.ptr, msg.len);
		lens[n] = msg.len;
		ikev2_builder_clear(&b);
	}
	ikev2_builder_clear(&chain);
	const int order[] = {2, 0, 2, 3};
	for (size_t n = 0; n < 4; n++) {
		ck_assert_int_eq(deliver(B(frags[order[n]], lens[order[n]])), 0);
		ck_assert_uint_eq(o.eaps, 0);
	}
	ck_assert_str_eq(ike_initiator_reason(o.i), "fragment stored");
	ck_assert_int_eq(deliver(B(frags[1], lens[1])), 0);
	ck_assert_uint_eq(o.eaps, 1);
	ck_assert_uint_eq(o.eap_len, sizeof(big));
	ck_assert_mem_eq(o.eap, big, sizeof(big));

	/* our Response of 1500 octets: fragments of at most 600, reassembling */
	big[0] = EAP_RESPONSE, big[2] = 1500 >> 8, big[3] = 1500 & 0xff;
	ck_assert_int_eq(ike_initiator_eap_response(o.i, B(big, 1500), T0), 0);
	ck_assert_uint_ge(o.out_count, 3);
	static uint8_t joined[4096];
	size_t joined_len = 0;
	const struct ikev2_sk_key ki = ikev2_sk_key_of(&r.keys, true);
	uint8_t first = 0;
	for (size_t n = 0; n < o.out_count; n++) {
		struct ikev2_msg m;
		struct ikev2_payload sk;
		struct parse_error e;
		static uint8_t tmp[2048];
		ck_assert_uint_le(o.out_len[n], 600);
		ck_assert_int_eq(ikev2_msg_parse(o.out[n], o.out_len[n], &lim, &m, &e), 0);
		ck_assert(ikev2_find(&m.chain, IKEV2_PL_SKF, 0, &sk));
		ck_assert_uint_eq(sk.u.sk.fragment, n + 1);
		ck_assert_uint_eq(sk.u.sk.fragments, o.out_count);
		if (n == 0)
			first = sk.next;
		ck_assert_int_eq(ikev2_sk_open(&ki, B(o.out[n], o.out_len[n]), &sk, tmp, sizeof(tmp),
				     &plain, &e), 0);
		memcpy(joined + joined_len, plain.ptr, plain.len);
		joined_len += plain.len;
	}
	struct ikev2_chain c;
	struct parse_error e;
	struct ikev2_payload eap;
	ck_assert_int_eq(ikev2_chain_parse(first, 0, joined, joined_len, 0, false, &lim, &c, &e), 0);
	ck_assert(ikev2_find(&c, IKEV2_PL_EAP, 0, &eap));
	ck_assert_uint_eq(eap.u.eap.msg.len, 1500);
	ck_assert_mem_eq(eap.u.eap.msg.ptr, big, 1500);
}
END_TEST

/* The responder's requests on the established SA: DELETE of the CHILD_SA
 * (answered with ours; the IKE SA then deleted), DELETE of the IKE SA,
 * an error notification, CREATE_CHILD_SA refused. */
START_TEST(responder_requests)
{
	struct ikev2_builder b;
	struct ikev2_payload d;
	const uint8_t spi[4] = {0xc5, 0xc6, 0xc7, 0xc8};

	for (int c = 0; c < 3; c++) {
		memset(&o, 0, sizeof(o));
		to_auth_request();
		ck_assert_int_eq(deliver(final_answer(FINAL_AUTH | FINAL_CHILD, 0)), 0);
		ck_assert_uint_eq(o.established, 1);
		ikev2_builder_init_chain(&b, MAX_MSG);
		ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_REKEY_SA, B(NULL, 0));
		ck_assert_int_eq(deliver(seal_msg(IKEV2_CREATE_CHILD_SA, 0, 0, &b, buf)), TNC_ESTATE);
		open_out(0);
		ck_assert_str_eq(r.summary, "CREATE_CHILD_SA response 0 [ N(NO_ADD_SAS) ]");
		ikev2_builder_init_chain(&b, MAX_MSG);
		if (c == 0)
			ikev2_builder_add_delete(&b, IKEV2_PROTO_ESP, 4, 1, B(spi, 4));
		else if (c == 1)
			ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, B(NULL, 0));
		else
			ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_AUTHENTICATION_FAILED,
			    B(NULL, 0));
		(void)deliver(seal_msg(IKEV2_INFORMATIONAL, 0, 1, &b, buf));
		ck_assert_uint_eq(o.failed, 1);
		open_out(0);
		if (c == 0) {
			ck_assert_str_eq(r.summary, "INFORMATIONAL response 1 [ D ]");
			ck_assert(ikev2_find(&r.chain, IKEV2_PL_DELETE, 0, &d));
			ck_assert_uint_eq(get32(d.u.del.spis.ptr), o.child.spi_in);
			ck_assert_str_eq(o.reason, "responder deleted the CHILD_SA");
			open_out(1);
			ck_assert_str_eq(r.summary, "INFORMATIONAL request 4 [ D ]");
			ck_assert(!ike_initiator_closed(o.i));
			ck_assert_uint_eq(ike_initiator_timeout(o.i, T0 + 100000), T0 + 100000 + 2000);
		} else {
			ck_assert_str_eq(r.summary, "INFORMATIONAL response 1 [ ]");
			ck_assert_str_eq(o.reason, c == 1 ? "responder deleted the IKE SA"
							  : "responder reported AUTHENTICATION_FAILED");
			ck_assert(ike_initiator_closed(o.i));
		}
		ike_initiator_free(o.i);
		o.i = NULL;
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_initiator");
	TCase *tc = tcase_create("ike_initiator");
	tcase_set_timeout(tc, 60);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, flow_to_child_and_delete);
	tcase_add_test(tc, dropped_answers);
	tcase_add_loop_test(tc, final_answer_refused, 0, 4);
	tcase_add_test(tc, final_answer_child_refused);
	tcase_add_test(tc, eap_phase_refusals);
	tcase_add_test(tc, init_refusals);
	tcase_add_test(tc, cookie_and_invalid_ke);
	tcase_add_test(tc, retransmission_backoff_and_bound);
	tcase_add_test(tc, fragments_both_ways);
	tcase_add_test(tc, responder_requests);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
