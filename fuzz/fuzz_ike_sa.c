/* fuzz_ike_sa.c - libFuzzer harness for the IKEv2 responder SA
 * (ike/ikev2_sa/).
 *
 * The first octet picks the mode.  Even: the rest is the first datagram
 * of a new SA (IKE_SA_INIT parsing, proposal selection, KE checks), given
 * twice, and to the cookie check.  Odd: a genuine IKE_SA_INIT (X25519,
 * AES-GCM) is made first by an initiator written here from the codec and
 * crypto layer, then the rest is cut into records, each the inner chain
 * of a request sealed with the initiator's keys: [exchange selector,
 * first payload type, length (2 octets), chain]; message IDs count up,
 * every fourth record reuses the previous ID (a retransmission).  The
 * owner's callbacks answer EAP at once and end it after two rounds; a
 * selector with bit 2 set sends the initiator's genuine AUTH (over the IDi
 * of the last IKE_AUTH record) instead of the record, so the CHILD_SA,
 * INFORMATIONAL and DELETE paths after it are reachable with hostile
 * content; bit 3 picks the peer's address the record comes from (a
 * MOBIKE move).  The SA must never crash or leak; every datagram
 * it sends must parse.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ike_cookie.h"
#include "ike_sa.h"
#include "ikev2_auth.h"
#include "ikev2.h"
#include "ikev2_dh.h"
#include "ikev2_keys.h"
#include "ikev2_sk.h"

#define MAX_MSG 65536u

#include "fuzz_ike_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const struct ike_suite_cfg suites[] = {
    {IKEV2_ENCR_AES_GCM_16, 128, 0, IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_CURVE25519},
    {IKEV2_ENCR_AES_CBC, 128, IKEV2_INTEG_HMAC_SHA2_256_128, IKEV2_PRF_HMAC_SHA2_256,
	IKEV2_DH_MODP_2048},
};
static const struct ike_esp_cfg esp[] = {{IKEV2_ENCR_AES_GCM_16, 128, 0}};
static const uint32_t dns[] = {0x0a000001u};
static const uint8_t msk[64] = {1};
static const uint8_t eap_req[] = {1, 1, 0, 6, 21, 0x20};
static const uint8_t eap_succ[] = {3, 2, 0, 4};

struct fuzz_owner {
	struct fuzz_sent sent; /* first: f_send() */
	struct ike_sa *sa;
	unsigned rounds;
};

static void
f_eap_start(void *arg, struct bytes id)
{
	struct fuzz_owner *o = arg;
	(void)ike_sa_eap_request(o->sa, (struct bytes){eap_req, sizeof(eap_req)});
}

static void
f_eap_response(void *arg, struct bytes eap)
{
	struct fuzz_owner *o = arg;
	if (++o->rounds < 2) {
		(void)ike_sa_eap_request(o->sa, (struct bytes){eap_req, sizeof(eap_req)});
		return;
	}
	(void)ike_sa_eap_request(o->sa, (struct bytes){eap_succ, sizeof(eap_succ)});
	(void)ike_sa_eap_done(o->sa, true, (struct bytes){msk, sizeof(msk)}, "c");
}

static void
f_child(void *arg, const struct ike_child_sa *c)
{
}

static void
f_closed(void *arg, const char *reason)
{
}

/* MOBIKE: the SA moved to where the datagram came from */
static void
f_moved(void *arg, const struct ike_endpoint *local, const struct ike_endpoint *remote,
    const struct ike_child_sa *c)
{
	check(!c || (c->peer.port == remote->port && c->peer.addr_len == remote->addr_len &&
	    !memcmp(c->peer.addr, remote->addr, remote->addr_len)));
}

static const struct ike_sa_ops ops = {f_send, f_eap_start, f_eap_response, f_child, f_child,
    f_closed, NULL, NULL, f_moved};

/* The gateway, and the peer's two addresses (a selector picks one: MOBIKE
 * moves between them). */
static const struct ike_endpoint gw = {4, {10, 0, 0, 1}, 500};
static const struct ike_endpoint peers[2] = {{4, {10, 0, 0, 2}, 500}, {4, {10, 0, 0, 3}, 4500}};

/* What the initiator keeps for its AUTH. */
struct initiator {
	struct ikev2_sa_keys keys;
	uint8_t init_req[1024], nr[IKEV2_NONCE_MAX], idi[512];
	size_t init_req_len, nr_len, idi_len;
};

/* The initiator's IKE_SA_INIT (X25519, AES-GCM-16-128, PRF-HMAC-SHA2-256)
 * and its keys from the answer. */
static bool
handshake(struct fuzz_owner *o, struct initiator *in)
{
	static const struct ikev2_transform_spec t[] = {
	    {IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 128},
	    {IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	    {IKEV2_TRANS_DH, IKEV2_DH_CURVE25519, 0},
	};
	static const uint8_t priv[32] = {7}, ni[32] = {9};
	const struct ikev2_header h = {.spi_i = 1, .major = 2, .exchange = IKEV2_IKE_SA_INIT,
	    .flags = IKEV2_FLAG_INITIATOR};
	const struct ikev2_proposal_spec prop = {1, IKEV2_PROTO_IKE, {NULL, 0}, t, 3};
	struct ikev2_dh *dh = ikev2_dh_new(IKEV2_DH_CURVE25519, (struct bytes){priv, 32});
	struct ikev2_builder b;
	struct ikev2_msg m;
	struct ikev2_payload ke, nr;
	struct parse_error e;
	struct bytes msg;
	bool ok;

	check(dh != NULL);
	ikev2_builder_init(&b, &h, MAX_MSG);
	ikev2_builder_add_sa(&b, &prop, 1);
	ikev2_builder_add_ke(&b, IKEV2_DH_CURVE25519, ikev2_dh_public(dh));
	ikev2_builder_add_nonce(&b, (struct bytes){ni, 32});
	ikev2_builder_add_notify(&b, 0, (struct bytes){NULL, 0},
	    IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, (struct bytes){NULL, 0});
	ok = !ikev2_builder_finish(&b, &msg) && msg.len <= sizeof(in->init_req) &&
	    !ike_sa_receive(o->sa, msg.ptr, msg.len, 0) &&
	    !ikev2_msg_parse(o->sent.last, o->sent.last_len, &lim, &m, &e) &&
	    find(&m.chain, IKEV2_PL_KE, &ke) && find(&m.chain, IKEV2_PL_NONCE, &nr) &&
	    fuzz_ike_keys(dh, &ke, (struct bytes){ni, 32}, nr.u.nonce, 1, ike_sa_spi_r(o->sa),
		&in->keys);
	if (ok) {
		memcpy(in->init_req, msg.ptr, msg.len);
		in->init_req_len = msg.len;
		memcpy(in->nr, nr.u.nonce.ptr, nr.u.nonce.len);
		in->nr_len = nr.u.nonce.len;
	}
	ikev2_builder_clear(&b);
	ikev2_dh_free(dh);
	check(ok); /* a genuine handshake always succeeds */
	return ok;
}

/* Keeps the IDi body of an IKE_AUTH record's chain, for the AUTH. */
static void
keep_idi(struct initiator *in, uint8_t first, struct bytes chain)
{
	struct ikev2_chain c;
	struct ikev2_payload id;
	struct parse_error e;

	if (!ikev2_chain_parse(first, 0, chain.ptr, chain.len, 0, false, &lim, &c, &e) &&
	    find(&c, IKEV2_PL_IDI, &id) && id.body.len <= sizeof(in->idi)) {
		memcpy(in->idi, id.body.ptr, id.body.len);
		in->idi_len = id.body.len;
	}
}

/* The chain [ AUTH ] with the genuine MSK-based MIC (2.16) into b. */
static void
genuine_auth(const struct initiator *in, struct ikev2_builder *b)
{
	const struct ikev2_auth_input ai = {IKEV2_PRF_HMAC_SHA2_256,
	    {in->init_req, in->init_req_len}, {in->nr, in->nr_len}, {in->keys.pi, 32},
	    {in->idi, in->idi_len}};
	uint8_t mic[IKEV2_PRF_MAX_LEN];
	size_t n = 0;

	check(ikev2_auth_mic(&ai, (struct bytes){msk, sizeof(msk)}, mic, &n) == 0);
	ikev2_builder_init_chain(b, MAX_MSG);
	ikev2_builder_add_auth(b, IKEV2_AUTH_SHARED_KEY_MIC, (struct bytes){mic, n});
}

static const uint8_t exchanges[] = {IKEV2_IKE_AUTH, IKEV2_INFORMATIONAL, IKEV2_CREATE_CHILD_SA,
    IKEV2_IKE_AUTH};

/* Records of the input sealed as requests; a selector with bit 2 set
 * sends the genuine AUTH instead of the record's chain. */
static void
requests(struct fuzz_owner *o, struct initiator *in, const uint8_t *data, size_t size)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&in->keys, true);
	uint32_t mid = 1;

	for (unsigned n = 0; size >= 4 && n < 32; n++) {
		const size_t len = (size_t)data[2] << 8 | data[3];
		if (len > size - 4)
			break;
		const struct ikev2_header h = {.spi_i = 1, .spi_r = ike_sa_spi_r(o->sa), .major = 2,
		    .exchange = exchanges[data[0] & 3], .flags = IKEV2_FLAG_INITIATOR,
		    .message_id = n % 4 == 3 ? mid - 1 : mid++};
		struct bytes chain = {data + 4, len}, msg;
		uint8_t first = data[1];
		struct ikev2_builder b, auth;
		if (h.exchange == IKEV2_IKE_AUTH)
			keep_idi(in, first, chain);
		if (data[0] & 4) {
			genuine_auth(in, &auth);
			check(ikev2_builder_finish(&auth, &chain) == 0);
			first = auth.first;
		}
		ikev2_builder_init(&b, &h, MAX_MSG);
		if (!ikev2_sk_seal(&b, &k, first, chain, 0, 0, ikev2_iv_random, NULL, &msg))
			(void)ike_sa_receive_from(o->sa, msg.ptr, msg.len, &gw,
			    &peers[data[0] >> 3 & 1], n);
		ikev2_builder_clear(&b);
		if (data[0] & 4)
			ikev2_builder_clear(&auth);
		(void)ike_sa_timeout(o->sa, (uint64_t)n * 1000);
		data += 4 + len;
		size -= 4 + len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ike_pool *pool = ike_pool_new(0x0a000064u, 4);
	const struct ike_conn_cfg conn = {.name = "c", .local_ts = {0, 0xffffffffu, 0, 0, 65535},
	    .remote_is_virtual_ip = true, .esp = esp, .esp_count = 1, .pool = pool, .dns = dns,
	    .dns_count = 1};
	const struct ike_sa_config cfg = {.suites = suites, .suite_count = 2, .conns = &conn,
	    .conn_count = 1, .id_type = IKEV2_ID_FQDN, .id = {(const uint8_t *)"gw", 2},
	    .max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 576, .max_fragments = 8,
	    .ike_lifetime_s = 3600, .half_open_ms = 30000, .dpd_ms = 5000};
	const struct ike_sa_params p = {&cfg, gw, peers[0], f_random, NULL, 0};
	static struct fuzz_owner o;
	static struct initiator in;

	if (!size || !pool)
		goto out;
	memset(&o, 0, sizeof(o));
	check(ike_sa_new(&p, &ops, &o, &o.sa) == 0);
	if (data[0] & 1) {
		memset(&in, 0, sizeof(in));
		if (handshake(&o, &in))
			requests(&o, &in, data + 1, size - 1);
	} else {
		struct ike_cookies c;
		struct ike_cookie_result r;
		const uint8_t secret[IKE_COOKIE_SECRET_LEN] = {3};
		ike_cookies_init(&c, secret);
		(void)ike_cookie_check(&c, data + 1, size - 1, &lim, &peers[0], &r);
		(void)ike_sa_receive(o.sa, data + 1, size - 1, 0);
		(void)ike_sa_receive(o.sa, data + 1, size - 1, 1);
	}
	ike_sa_free(o.sa);
	check(ike_pool_leased(pool) == 0);
out:
	ike_pool_free(pool);
	return 0;
}
