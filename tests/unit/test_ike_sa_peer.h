/* test_ike_sa_peer.h - the initiator of the ike_sa tests: tncclient's
 * (client/ike_initiator/, built from the codec and ike/ikev2_crypto/ only,
 * never from ike/ikev2_sa/) wherever it behaves as it should, and raw
 * messages from the codec and the crypto layer where a test needs a
 * misbehaving one (tampered, out of the window, a forged cookie, a bad KE,
 * malformed chains, fragments out of order).  The raw side shadows the
 * library's keys: the library's KEs use a known private value, so the
 * test derives the same IKE SA keys from the messages on the wire and can
 * open every answer and seal its own requests.  And the harness that
 * records what the responder hands its owner, and the tests' fixture.
 * Included by test_ike_sa.c, test_ike_sa_mobike.c and test_ike_sa_rekey.c.
 */
#ifndef TEST_IKE_SA_PEER_H
#define TEST_IKE_SA_PEER_H

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eap.h"
#include "ike_cookie.h"
#include "ike_initiator.h"
#include "ike_pool.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_dh.h"
#include "ikev2_keys.h"
#include "ikev2_sk.h"
#include "testlib.h"

#define MAX_MSG 65536u
#define MAX_OUT 64
#define SPI_I 0x1122334455667788ull
#define PEER_ESP_SPI 0xc1c2c3c4u
#define NOW 1000000u

#include "test_ike_common.h"

/* --- the configuration under test --- */

static const struct ike_suite_cfg suites[] = {
    {IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_384, IKEV2_DH_ECP_256},
    {IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_PRF_HMAC_SHA2_256,
	IKEV2_DH_MODP_2048},
    {IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_512_256, IKEV2_PRF_HMAC_SHA2_512,
	IKEV2_DH_CURVE25519},
};
static const struct ike_esp_cfg esp_cfg[] = {
    {IKEV2_ENCR_AES_GCM_16, 128, IKEV2_INTEG_NONE},
    {IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128},
};
static const uint32_t dns[] = {0x0a030001u, 0x08080808u};
#define POOL_FIRST 0x0a030064u /* 10.3.0.100 */
#define POOL_SIZE 2
#define GW_ADDR 0xc0a80001u    /* 192.168.0.1 */

static struct ike_pool *pool;
static struct ike_conn_cfg conns[2];
static struct ike_sa_config cfg;
static const char gw_id[] = "moon.strongswan.org";

static void
config_setup(void)
{
	pool = ike_pool_new(POOL_FIRST, POOL_SIZE);
	ck_assert_ptr_nonnull(pool);
	conns[0] = (struct ike_conn_cfg){.name = "rw-allow",
	    .local_ts = {0x0a010000u, 0x0a01ffffu, 0, 0, 65535}, /* 10.1.0.0/16 */
	    .remote_is_virtual_ip = true, .esp = esp_cfg, .esp_count = 2, .lifetime_s = 3600,
	    .pool = pool, .dns = dns, .dns_count = 2};
	conns[1] = (struct ike_conn_cfg){.name = "rw-isolate",
	    .local_ts = {0x0a020000u, 0x0a0200ffu, 6, 443, 443}, /* 10.2.0.0/24 tcp 443 */
	    .remote_ts = {0xc0a80000u, 0xc0a800ffu, 0, 0, 65535}, .esp = esp_cfg + 1,
	    .esp_count = 1, .lifetime_s = 600};
	cfg = (struct ike_sa_config){.suites = suites, .suite_count = 3, .conns = conns,
	    .conn_count = 2, .id_type = IKEV2_ID_FQDN, .id = B(gw_id, strlen(gw_id)),
	    .max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16,
	    .ike_lifetime_s = 10800, .half_open_ms = 30000, .dpd_ms = 0};
}

static void
config_teardown(void)
{
	ck_assert_uint_eq(ike_pool_leased(pool), 0); /* every lease came back */
	ike_pool_free(pool);
}

/* --- the owner's side: what the SA hands out --- */

struct owner {
	struct ike_sa *sa;
	uint8_t out[MAX_OUT][2048];
	size_t out_len[MAX_OUT], out_count;
	unsigned eap_starts, eap_responses, child_ups, child_downs, closes;
	uint8_t peer_id[256], last_eap[2048];
	size_t peer_id_len, last_eap_len;
	struct ike_child_sa child;
	char closed_reason[160];
	bool child_down_before_close;
	unsigned moves; /* MOBIKE: moved(), with what it passed last */
	struct ike_endpoint moved_local, moved_remote;
	bool moved_with_child;
};

static void
o_send(void *arg, const uint8_t *msg, size_t len)
{
	struct owner *o = arg;
	ck_assert_uint_lt(o->out_count, MAX_OUT);
	ck_assert_uint_le(len, sizeof(o->out[0]));
	memcpy(o->out[o->out_count], msg, len);
	o->out_len[o->out_count++] = len;
}

static void
o_eap_start(void *arg, struct bytes peer_id)
{
	struct owner *o = arg;
	ck_assert_uint_le(peer_id.len, sizeof(o->peer_id));
	memcpy(o->peer_id, peer_id.ptr, peer_id.len);
	o->peer_id_len = peer_id.len;
	o->eap_starts++;
}

static void
o_eap_response(void *arg, struct bytes eap)
{
	struct owner *o = arg;
	ck_assert_uint_le(eap.len, sizeof(o->last_eap));
	memcpy(o->last_eap, eap.ptr, eap.len);
	o->last_eap_len = eap.len;
	o->eap_responses++;
}

static void
o_child_up(void *arg, const struct ike_child_sa *c)
{
	struct owner *o = arg;
	o->child = *c;
	o->child_ups++;
}

static void
o_child_down(void *arg, const struct ike_child_sa *c)
{
	struct owner *o = arg;
	ck_assert_uint_eq(c->spi_in, o->child.spi_in);
	o->child_downs++;
}

static void
o_closed(void *arg, const char *reason)
{
	struct owner *o = arg;
	snprintf(o->closed_reason, sizeof(o->closed_reason), "%s", reason);
	o->child_down_before_close = o->child_downs == o->child_ups;
	o->closes++;
}

static void
o_moved(void *arg, const struct ike_endpoint *local, const struct ike_endpoint *remote,
    const struct ike_child_sa *c)
{
	struct owner *o = arg;
	o->moved_local = *local;
	o->moved_remote = *remote;
	o->moved_with_child = c != NULL;
	if (c)
		o->child = *c;
	o->moves++;
}

/* message and established (optional) are not needed here */
static const struct ike_sa_ops owner_ops = {o_send, o_eap_start, o_eap_response, o_child_up,
    o_child_down, o_closed, NULL, NULL, o_moved};

static struct ike_endpoint
ep4(uint32_t addr, uint16_t port)
{
	struct ike_endpoint e = {.addr_len = 4, .port = port};
	e.addr[0] = (uint8_t)(addr >> 24);
	e.addr[1] = (uint8_t)(addr >> 16);
	e.addr[2] = (uint8_t)(addr >> 8);
	e.addr[3] = (uint8_t)addr;
	return e;
}

#define PEER_ADDR 0xc0a800feu /* 192.168.0.254 */

static void
owner_new(struct owner *o)
{
	memset(o, 0, sizeof(*o));
	const struct ike_sa_params p = {&cfg, ep4(GW_ADDR, 500), ep4(PEER_ADDR, 500), test_random,
	    NULL, NOW};
	ck_assert_int_eq(ike_sa_new(&p, &owner_ops, o, &o->sa), 0);
}

/* The time deliver() hands the SA; a test moves it on. */
static uint64_t clock_ms = NOW;

/* Delivers a datagram; the SA's answers land in o->out (reset first). */
static int
deliver(struct owner *o, struct bytes msg)
{
	o->out_count = 0;
	return ike_sa_receive(o->sa, msg.ptr, msg.len, clock_ms);
}

/* --- the raw initiator, and the shadow of the library's keys --- */

struct peer {
	uint64_t spi_i, spi_r;
	struct ikev2_dh *dh;
	uint16_t group;
	uint8_t ni[32], nr[IKEV2_NONCE_MAX];
	size_t nr_len;
	uint8_t init_req[4096], init_resp[4096];
	size_t init_req_len, init_resp_len;
	struct ikev2_sa_keys keys;
	uint32_t mid;
	uint8_t idi[64];
	size_t idi_len;
	uint8_t plain[MAX_MSG];
	struct ikev2_header hdr; /* of the last response opened */
	struct ikev2_chain chain;
	char summary[512];
	uint8_t fragbuf[MAX_MSG];
	size_t fraglen;
};

/* The proposal the initiator offers: one IKE proposal with its
 * transforms, like strongSwan's default, or one given by the test. */
struct offer {
	const struct ikev2_transform_spec *t;
	size_t n;
};

static const struct ikev2_transform_spec offer_default[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 128},
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_512_256, 0},
    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_512, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_MODP_2048, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
};
static const struct ikev2_transform_spec offer_gcm[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256},
    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_384, 0},
    {IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
};

/* A raw IKE_SA_INIT request into p->init_req (for forged and replayed
 * cookies): SA KE No N(NATD_S_IP) N(NATD_D_IP) N(FRAG_SUP) N(HASH_ALG), a
 * cookie first if given; src_addr is what the peer believes its address
 * is (another one: a NAT). */
static struct bytes
peer_init(struct peer *p, const struct offer *o, uint16_t group, struct bytes cookie,
    uint32_t src_addr)
{
	const struct ikev2_header h = {.spi_i = p->spi_i, .major = 2,
	    .exchange = IKEV2_IKE_SA_INIT, .flags = IKEV2_FLAG_INITIATOR};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, B(NULL, 0), o->t, o->n};
	static const uint8_t hashes[] = {0, 2, 0, 3, 0, 4};
	uint8_t s[20], d[20];
	struct ikev2_builder b;
	struct bytes msg;

	if (p->dh)
		ikev2_dh_free(p->dh);
	p->dh = ikev2_dh_new(group, B(NULL, 0));
	ck_assert_ptr_nonnull(p->dh);
	p->group = group;
	natd(p->spi_i, 0, src_addr, 500, s);
	natd(p->spi_i, 0, GW_ADDR, 500, d);
	ikev2_builder_init(&b, &h, MAX_MSG);
	if (cookie.len)
		ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_COOKIE, cookie);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ke(&b, group, ikev2_dh_public(p->dh));
	ikev2_builder_add_nonce(&b, B(p->ni, sizeof(p->ni)));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_SOURCE_IP, B(s, 20));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_NAT_DETECTION_DESTINATION_IP, B(d, 20));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED,
	    B(NULL, 0));
	ikev2_builder_add_notify(&b, 0, B(NULL, 0), IKEV2_N_SIGNATURE_HASH_ALGORITHMS,
	    B(hashes, sizeof(hashes)));
	ck_assert_int_eq(ikev2_builder_finish(&b, &msg), 0);
	ck_assert_uint_le(msg.len, sizeof(p->init_req));
	memcpy(p->init_req, msg.ptr, msg.len);
	p->init_req_len = msg.len;
	ikev2_builder_clear(&b);
	return B(p->init_req, p->init_req_len);
}

static void
peer_reset(struct peer *p)
{
	if (p->dh)
		ikev2_dh_free(p->dh);
	memset(p, 0, sizeof(*p));
	p->spi_i = SPI_I;
	for (size_t i = 0; i < sizeof(p->ni); i++)
		p->ni[i] = (uint8_t)(0xa0 + i);
	static const uint8_t idi[] = "\x03\x00\x00\x00" "carol@strongswan.org";
	memcpy(p->idi, idi, sizeof(idi) - 1);
	p->idi_len = sizeof(idi) - 1;
	p->mid = 1;
}

static void
peer_done(struct peer *p)
{
	if (p->dh)
		ikev2_dh_free(p->dh);
	p->dh = NULL;
	ikev2_sa_keys_cleanse(&p->keys);
}

static const struct ikev2_limits lim = {MAX_MSG, 64};

/* Parses an unprotected answer into p->hdr / p->chain / p->summary. */
static void
peer_parse_plain(struct peer *p, struct bytes msg, struct ikev2_msg *m)
{
	struct parse_error e;
	ck_assert_msg(ikev2_msg_parse(msg.ptr, msg.len, &lim, m, &e) == 0, "%s", e.reason);
	p->hdr = m->hdr;
	p->chain = m->chain;
	ikev2_summary(&m->hdr, &m->chain, p->summary, sizeof(p->summary));
}

/* Takes the IKE_SA_INIT answer: the chosen transforms, KE, Nr; derives
 * the IKE SA's keys as the initiator (the library's, when p->dh is the
 * shadow's key pair and p->init_req the library's request). */
static void
peer_init_done(struct peer *p, struct bytes msg)
{
	struct ikev2_msg m;
	struct ikev2_payload sa, ke, nonce;
	struct ikev2_proposal prop;
	struct ikev2_transform t;
	uint16_t encr = 0, bits = 0, integ = 0, prf = 0;
	uint8_t gir[IKEV2_DH_MAX_SECRET], skeyseed[IKEV2_PRF_MAX_LEN];
	size_t gir_len;
	struct ikev2_suite suite;

	peer_parse_plain(p, msg, &m);
	memcpy(p->init_resp, msg.ptr, msg.len);
	p->init_resp_len = msg.len;
	p->spi_r = m.hdr.spi_r;
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_SA, 0, &sa));
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_KE, 0, &ke));
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_NONCE, 0, &nonce));
	struct bytes list = sa.u.sa;
	ck_assert(ikev2_proposal_next(&list, &prop));
	ck_assert_uint_eq(list.len, 0); /* one proposal */
	while (ikev2_transform_next(&prop.transforms, &t)) {
		if (t.type == IKEV2_TRANS_ENCR)
			encr = t.id, bits = t.key_length;
		else if (t.type == IKEV2_TRANS_INTEG)
			integ = t.id;
		else if (t.type == IKEV2_TRANS_PRF)
			prf = t.id;
		else if (t.type == IKEV2_TRANS_DH)
			ck_assert_uint_eq(t.id, p->group);
	}
	ck_assert_uint_eq(ke.u.ke.group, p->group);
	memcpy(p->nr, nonce.u.nonce.ptr, nonce.u.nonce.len);
	p->nr_len = nonce.u.nonce.len;
	ck_assert_int_eq(ikev2_suite_init(&suite, encr, bits, integ, prf, NULL), 0);
	ck_assert_int_eq(ikev2_dh_shared(p->dh, ke.u.ke.data, gir, &gir_len, NULL), 0);
	ck_assert_int_eq(ikev2_skeyseed(prf, B(p->ni, 32), B(p->nr, p->nr_len), B(gir, gir_len),
			     skeyseed), 0);
	ck_assert_int_eq(ikev2_sa_keys_derive(&suite, B(skeyseed, suite.prf_len), B(p->ni, 32),
			     B(p->nr, p->nr_len), p->spi_i, p->spi_r, &p->keys), 0);
}

/* A protected request of the initiator: the inner chain in inner (cleared
 * here) sealed with SK_ei / SK_ai under message ID p->mid, into out. */
static struct bytes
peer_request(struct peer *p, uint8_t exchange, struct ikev2_builder *inner, uint8_t *out)
{
	const struct ikev2_header h = {.spi_i = p->spi_i, .spi_r = p->spi_r, .major = 2,
	    .exchange = exchange, .flags = IKEV2_FLAG_INITIATOR, .message_id = p->mid};
	const struct ikev2_sk_key k = ikev2_sk_key_of(&p->keys, true);
	struct ikev2_builder b;
	struct bytes plain, msg;

	ck_assert_int_eq(ikev2_builder_finish(inner, &plain), 0);
	ikev2_builder_init(&b, &h, MAX_MSG);
	ck_assert_int_eq(ikev2_sk_seal(&b, &k, inner->first, plain, 0, 0, ikev2_iv_random, NULL,
			     &msg), 0);
	memcpy(out, msg.ptr, msg.len);
	ikev2_builder_clear(&b);
	ikev2_builder_clear(inner);
	return B(out, msg.len);
}

/* Opens a protected answer (SK, or one SKF fragment collected into
 * p->fragbuf): 1 when a whole inner chain is in p->chain, 0 for a fragment
 * that is not the last. */
static int
peer_open(struct peer *p, struct bytes msg)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&p->keys, false);
	struct ikev2_msg m;
	struct ikev2_payload sk;
	struct parse_error e;
	struct bytes plain;
	static uint8_t tmp[MAX_MSG];
	static uint8_t first;

	ck_assert_msg(ikev2_msg_parse(msg.ptr, msg.len, &lim, &m, &e) == 0, "%s", e.reason);
	ck_assert(!(m.hdr.flags & IKEV2_FLAG_INITIATOR)); /* from the responder */
	ck_assert(ikev2_find(&m.chain, IKEV2_PL_SK, 0, &sk) ||
	    ikev2_find(&m.chain, IKEV2_PL_SKF, 0, &sk));
	ck_assert_msg(ikev2_sk_open(&k, msg, &sk, tmp, sizeof(tmp), &plain, &e) == 0, "%s",
	    e.reason);
	p->hdr = m.hdr;
	if (sk.type == IKEV2_PL_SKF) {
		/* fragments in order here; their numbers checked */
		if (sk.u.sk.fragment == 1) {
			p->fraglen = 0;
			first = sk.next;
		}
		memcpy(p->fragbuf + p->fraglen, plain.ptr, plain.len);
		p->fraglen += plain.len;
		if (sk.u.sk.fragment < sk.u.sk.fragments)
			return 0;
		plain = B(p->fragbuf, p->fraglen);
		sk.next = first;
	}
	memcpy(p->plain, plain.ptr, plain.len);
	ck_assert_msg(ikev2_chain_parse(sk.next, sk.offset, p->plain, plain.len, sk.offset + 4, true,
			  &lim, &p->chain, &e) == 0, "%s", e.reason);
	ikev2_summary(&m.hdr, &p->chain, p->summary, sizeof(p->summary));
	return 1;
}

/* Opens the one answer the SA sent and checks its summary. */
static void
expect_answer(struct owner *o, struct peer *p, const char *summary)
{
	ck_assert_uint_eq(o->out_count, 1);
	ck_assert_int_eq(peer_open(p, B(o->out[0], o->out_len[0])), 1);
	ck_assert(p->hdr.flags & IKEV2_FLAG_RESPONSE);
	ck_assert_str_eq(p->summary, summary);
}

static const uint8_t eap_ttls_start[] = {1, 0xa8, 0, 6, 21, 0x20};
static const uint8_t msk[64] = "the MSK of the EAP method: sixty-four octets for the AUTH...!";

/* An EAP Response of type TTLS with id and n octets of data. */
static size_t
eap_ttls_response(uint8_t id, size_t n, uint8_t *out)
{
	out[0] = EAP_RESPONSE, out[1] = id, out[2] = (uint8_t)((n + 6) >> 8);
	out[3] = (uint8_t)(n + 6), out[4] = EAP_TYPE_TTLS, out[5] = 0;
	for (size_t i = 0; i < n; i++)
		out[6 + i] = (uint8_t)(i * 31);
	return n + 6;
}

/* What the first IKE_AUTH request carries (the initiator's config). */
enum {
	AUTH1_EAP_ONLY = 1, /* N(EAP_ONLY_AUTHENTICATION) */
	AUTH1_CP = 2,       /* CPRQ(ADDR DNS) */
	AUTH1_TS_V4 = 4,    /* IPv4 selectors, else IPv6 ones only */
	AUTH1_ALL = 7,
};

/* --- the initiator: client/ike_initiator/ --- */

static const char my_id[] = "carol@strongswan.org";
static const uint8_t hash_algs[] = {0, 2, 0, 3, 0, 4};
/* The private value of the initiator's KEs, known to the shadow. */
static const uint8_t dh_private[32] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x08};

static const struct ikev2_transform_spec esp_t[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
    {IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
    {IKEV2_TRANS_ESN, 0, 0},
};
static const struct ikev2_transform_spec esp_gcm[] = {
    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
    {IKEV2_TRANS_ESN, 0, 0},
};
static const struct ike_initiator_proposal esp_props[] = {{esp_t, 3}, {esp_gcm, 2}};
static const uint8_t any_s[4] = {0, 0, 0, 0}, any_e[4] = {255, 255, 255, 255};
static const uint8_t any6_s[16], any6_e[16] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
static const struct ikev2_ts any4 = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {any_s, 4},
    {any_e, 4}};
static const struct ikev2_ts any6 = {IKEV2_TS_IPV6_ADDR_RANGE, 0, 0, 65535, {any6_s, 16},
    {any6_e, 16}};

/* The initiator, what it hands its owner, and its configuration. */
static struct initiator_record L;
static struct {
	struct ike_initiator_config cfg;
	struct ikev2_transform_spec ike_t[16];
	struct ike_initiator_proposal ike_prop;
} lib;

/* The initiator's randomness: SPIi, Ni and its ESP SPI are the values the
 * assertions name (the draws by length: 8, 32, 4 octets); CBC IVs from the
 * test's source. */
static int
lib_random(void *arg, uint8_t *buf, size_t len)
{
	if (len == 8) {
		for (size_t k = 0; k < 8; k++)
			buf[k] = (uint8_t)(SPI_I >> (56 - 8 * k));
	} else if (len == 32) {
		for (size_t k = 0; k < 32; k++)
			buf[k] = (uint8_t)(0xa0 + k);
	} else if (len == 4) {
		for (size_t k = 0; k < 4; k++)
			buf[k] = (uint8_t)(PEER_ESP_SPI >> (24 - 8 * k));
	} else {
		return test_random(arg, buf, len);
	}
	return 0;
}

/* The first IKE_AUTH request's contents as flags say. */
static void
lib_flags(int flags)
{
	lib.cfg.eap_only = flags & AUTH1_EAP_ONLY;
	lib.cfg.request_vip = flags & AUTH1_CP;
	lib.cfg.tsi = lib.cfg.tsr = flags & AUTH1_TS_V4 ? &any4 : &any6;
}

/* The shadow's key pair in group: the library's. */
static void
peer_shadow(struct peer *p, uint16_t group)
{
	if (p->dh)
		ikev2_dh_free(p->dh);
	p->dh = ikev2_dh_new(group, B(dh_private, sizeof(dh_private)));
	ck_assert_ptr_nonnull(p->dh);
	p->group = group;
}

static void
lib_free(void)
{
	ike_initiator_free(L.i);
	memset(&L, 0, sizeof(L));
}

/* The initiator offering the transforms of o in one proposal, its KE in
 * group (moved to the front of the D-H transforms), its address src_addr
 * (another than PEER_ADDR: a NAT), a cookie-less IKE_SA_INIT sent (in
 * L.out[0], and kept in p->init_req for the shadow). */
static void
lib_new(struct peer *p, const struct offer *o, uint16_t group, uint32_t src_addr)
{
	size_t n = 0;

	lib_free();
	ck_assert_uint_lt(o->n, 16);
	for (size_t k = 0; k < o->n; k++)
		if (o->t[k].type != IKEV2_TRANS_DH || o->t[k].id == group)
			lib.ike_t[n++] = o->t[k];
	for (size_t k = 0; k < o->n; k++)
		if (o->t[k].type == IKEV2_TRANS_DH && o->t[k].id != group)
			lib.ike_t[n++] = o->t[k];
	lib.ike_prop = (struct ike_initiator_proposal){lib.ike_t, n};
	lib.cfg = (struct ike_initiator_config){.ike = &lib.ike_prop, .ike_count = 1, .esp = esp_props,
	    .esp_count = 2, .id_type = IKEV2_ID_RFC822_ADDR, .id = B(my_id, strlen(my_id)),
	    .idr_type = IKEV2_ID_FQDN, .idr = B(gw_id, strlen(gw_id)), .tsi_count = 1,
	    .tsr_count = 1, .hash_algs = B(hash_algs, sizeof(hash_algs)), .max_msg_len = MAX_MSG,
	    .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16, .retransmit_ms = 1000,
	    .max_sends = 4};
	lib_flags(AUTH1_ALL);
	const struct ike_endpoint local = ep4(src_addr, 500), remote = ep4(GW_ADDR, 500);
	struct ike_initiator_params params = {&lib.cfg, {4, {0}, 500}, {4, {0}, 500}, lib_random,
	    NULL, B(dh_private, sizeof(dh_private))};
	memcpy(params.local.addr, local.addr, 4);
	memcpy(params.remote.addr, remote.addr, 4);
	ck_assert_int_eq(ike_initiator_new(&params, &initiator_record_ops, &L, &L.i), 0);
	ck_assert_int_eq(ike_initiator_start(L.i, NOW), 0);
	ck_assert_uint_eq(L.out_count, 1);
	ck_assert_uint_le(L.out_len[0], sizeof(p->init_req));
	memcpy(p->init_req, L.out[0], L.out_len[0]);
	p->init_req_len = L.out_len[0];
	peer_shadow(p, group);
}

/* A datagram of the responder for the initiator; its answers land in
 * L.out (reset first). */
static int
lib_receive(struct bytes msg)
{
	L.out_count = 0;
	return ike_initiator_receive(L.i, msg.ptr, msg.len, NOW);
}

/* The initiator's datagram n. */
static struct bytes
lib_out(size_t n)
{
	ck_assert_uint_lt(n, L.out_count);
	return B(L.out[n], L.out_len[n]);
}

/* Every datagram the responder just sent, for the initiator. */
static void
lib_take(const struct owner *o)
{
	const size_t count = o->out_count;
	ck_assert_uint_gt(count, 0);
	for (size_t k = 0; k < count; k++) {
		L.out_count = 0;
		ck_assert_int_eq(ike_initiator_receive(L.i, o->out[k], o->out_len[k], NOW), 0);
	}
}

/* --- the fixture: one owner, one peer, a buffer for its requests --- */

static struct owner o;
static struct peer p;
static uint8_t req[MAX_MSG];

static void
setup(void)
{
	config_setup();
	peer_reset(&p);
	memset(&o, 0, sizeof(o));
}

static void
teardown(void)
{
	ike_sa_free(o.sa);
	o.sa = NULL;
	lib_free();
	peer_done(&p);
	config_teardown();
}

#endif
