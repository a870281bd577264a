/* test_eap_peer.c - tncclient's EAP peer (client/eap_peer/) against a
 * scripted server: ike/ttls's EAP-TTLS server conversation does the TLS
 * side, the test chooses every tunneled Request (ttls_server_send_inner())
 * and every outer packet it wants to get wrong.  The peer's answers (the
 * MD5 digest, its EAP-TNC fragments with L, its batch given later, a
 * retransmission answered again, the MSK at EAP-Success), then each of its
 * refusals with its reason: the server's certificate (wrong CA, wrong
 * name), the outer packets (Start, types, versions, codes, fragments,
 * Identifiers, a Success too early), the tunneled ones (order, types,
 * Identifiers, EAP-TNC and PT-EAP fragments and bounds) and the owner's
 * batch over the bound. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_md5.h"
#include "eap_peer.h"
#include "eap_tnc.h"
#include "eap_ttls.h"
#include "eap_ttls_keys.h"
#include "testlib.h"
#include "tl_x509.h"
#include "ttls_server.h"

#define PKT_MAX 65536u
#define SERVER_NAME "moon.strongswan.org"

/* The scripted server and the peer with its owner's records. */
struct t {
	X509 *ca;
	EVP_PKEY *ca_key;
	SSL_CTX *sctx;
	struct ttls_server *srv;
	struct eap_peer_config cfg;
	X509_STORE *trust;
	struct eap_peer *p;
	int rc; /* of the last eap_peer_receive() */
	/* The server's last packet for the peer. */
	uint8_t req[PKT_MAX];
	size_t req_len;
	/* The peer's callbacks. */
	uint8_t resp[PKT_MAX];
	size_t resp_len;
	unsigned sends;
	unsigned starts;
	uint8_t start_type;
	uint8_t got[PKT_MAX];
	size_t got_len;
	unsigned batches;
	struct bytes answer; /* given from inside the callback when set */
	bool answer_now;
	unsigned dones;
	bool success;
	struct eap_keys keys;
	char reason[320];
	/* The peer's tunneled Responses, as the server got them. */
	uint8_t inner[PKT_MAX];
	size_t inner_len;
	unsigned inners;
};

static void
give_answer(struct t *t)
{
	if (t->answer_now)
		ck_assert_int_eq(eap_peer_tnc_batch(t->p, t->answer), 0);
}

static void
on_send(void *arg, struct bytes eap)
{
	struct t *t = arg;
	ck_assert_uint_le(eap.len, sizeof(t->resp));
	memcpy(t->resp, eap.ptr, eap.len);
	t->resp_len = eap.len;
	t->sends++;
}

static void
on_tnc_start(void *arg, uint8_t type)
{
	struct t *t = arg;
	t->starts++;
	t->start_type = type;
	give_answer(t);
}

static void
on_tnc_batch(void *arg, struct bytes batch)
{
	struct t *t = arg;
	ck_assert_uint_le(batch.len, sizeof(t->got));
	memcpy(t->got, batch.ptr, batch.len);
	t->got_len = batch.len;
	t->batches++;
	give_answer(t);
}

static void
on_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct t *t = arg;
	t->dones++;
	t->success = success;
	if (keys)
		t->keys = *keys;
	snprintf(t->reason, sizeof(t->reason), "%s", reason ? reason : "");
}

static const struct eap_peer_ops ops = {
	.send = on_send, .tnc_start = on_tnc_start, .tnc_batch = on_tnc_batch, .done = on_done,
};

static void
on_server_inner(void *arg, struct bytes eap)
{
	struct t *t = arg;
	memcpy(t->inner, eap.ptr, eap.len);
	t->inner_len = eap.len;
	t->inners++;
}

/* The server's certificate for name, from a CA the peer trusts unless
 * trusted is false. */
static void
t_init_as(struct t *t, const char *name, bool trusted)
{
	memset(t, 0, sizeof(*t));
	t->ca = tl_x509_cert("strongSwan Root CA", &t->ca_key, NULL, NULL);
	EVP_PKEY *other_key = NULL;
	X509 *other = trusted ? NULL : tl_x509_cert("Other CA", &other_key, NULL, NULL);
	t->sctx = tl_x509_server_ctx(name, other ? other : t->ca, other ? other_key : t->ca_key);
	X509_free(other);
	EVP_PKEY_free(other_key);
	t->trust = X509_STORE_new();
	ck_assert_int_eq(X509_STORE_add_cert(t->trust, t->ca), 1);
	t->cfg = (struct eap_peer_config){
		.identity = "carol@strongswan.org",
		.md5_secret = {(const uint8_t *)"Ar3etTnp", 8},
		.trust = t->trust,
		.server_name = SERVER_NAME,
		.max_tls_version = TLS1_2_VERSION,
		.fragment = 1000,
		.max_message = 16384,
		.max_inner = 1200,
		.tnc_fragment = 100,
		.max_batch = 1000,
		.max_round_trips = 50,
	};
}

static void
t_init(struct t *t)
{
	t_init_as(t, SERVER_NAME, true);
}

static void
t_free(struct t *t)
{
	eap_peer_free(t->p);
	ttls_server_free(t->srv);
	SSL_CTX_free(t->sctx);
	X509_STORE_free(t->trust);
	X509_free(t->ca);
	EVP_PKEY_free(t->ca_key);
}

/* The peer takes pkt. */
static int
to_peer(struct t *t, const uint8_t *pkt, size_t len)
{
	t->rc = eap_peer_receive(t->p, (struct bytes){pkt, len});
	return t->rc;
}

/* The server's next packet, out, goes to the peer. */
static void
deliver(struct t *t, struct wire_writer *out)
{
	ck_assert_int_eq(wire_writer_status(out), 0);
	ck_assert_uint_gt(out->len, 0);
	memcpy(t->req, out->buf, out->len);
	t->req_len = out->len;
	to_peer(t, t->req, t->req_len);
}

/* The server takes the peer's Response and answers until it has nothing
 * to say or the peer stops answering. */
static void
pump(struct t *t)
{
	for (unsigned i = 0; i < 64 && t->dones == 0; i++) {
		unsigned sends = t->sends;
		struct wire_writer out;
		wire_writer_init(&out, PKT_MAX);
		ck_assert_int_eq(ttls_server_receive(t->srv, t->resp, t->resp_len, &out), 0);
		if (out.len == 0) {
			wire_writer_clear(&out);
			return;
		}
		deliver(t, &out);
		wire_writer_clear(&out);
		if (t->sends == sends)
			return;
	}
}

/* The peer and the server; the EAP-TTLS Start with Identifier 40. */
static void
t_start(struct t *t)
{
	ck_assert_int_eq(eap_peer_new(&t->cfg, &ops, t, &t->p), 0);
	const struct ttls_server_limits limits = {.fragment = 1000, .message = 16384,
	    .round_trips = 16, .inner = 2000, .max_tls_version = TLS1_3_VERSION};
	ck_assert_int_eq(ttls_server_new(t->sctx, &limits, on_server_inner, t, &t->srv), 0);
	struct wire_writer out;
	wire_writer_init(&out, PKT_MAX);
	ck_assert_int_eq(ttls_server_start(t->srv, 40, &out), 0);
	deliver(t, &out);
	wire_writer_clear(&out);
	ck_assert_int_eq(t->rc, 0);
	ck_assert_int_eq(eap_peer_state(t->p), EAP_PEER_HANDSHAKE);
}

/* The handshake to its end on both sides. */
static void
t_tunnel(struct t *t)
{
	t_start(t);
	pump(t);
	ck_assert_msg(t->dones == 0, "%s", t->reason);
	ck_assert_int_eq(ttls_server_state(t->srv), TTLS_SERVER_TUNNEL);
	ck_assert_int_eq(eap_peer_state(t->p), EAP_PEER_TUNNEL);
}

/* A tunneled Request (pkt: the test's writer, cleared) to the peer, then
 * the server takes the peer's answers (acknowledging fragments).  The
 * peer's rc for the last packet it took. */
static int
t_inner(struct t *t, struct wire_writer *pkt)
{
	ck_assert_int_eq(wire_writer_status(pkt), 0);
	ck_assert_int_eq(ttls_server_send_inner(t->srv, (struct bytes){pkt->buf, pkt->len}), 0);
	wire_writer_clear(pkt);
	struct wire_writer out;
	wire_writer_init(&out, PKT_MAX);
	ck_assert_int_eq(ttls_server_flush(t->srv, &out), 0);
	unsigned sends = t->sends;
	deliver(t, &out);
	wire_writer_clear(&out);
	if (t->sends != sends && t->dones == 0)
		pump(t);
	return t->rc;
}

static int
t_identity(struct t *t, uint8_t id)
{
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	eap_put(&w, &(struct eap_packet){.code = EAP_REQUEST, .id = id, .type = EAP_TYPE_IDENTITY});
	return t_inner(t, &w);
}

static const uint8_t challenge[16] = "0123456789abcdef";

static int
t_md5(struct t *t, uint8_t id)
{
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	eap_md5_put(&w, EAP_REQUEST, id, (struct bytes){challenge, sizeof(challenge)},
	    (struct bytes){0});
	return t_inner(t, &w);
}

static int
t_tnc(struct t *t, uint8_t id, uint8_t flags, uint32_t msg_len, struct bytes data)
{
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	eap_frag_put(&w, EAP_REQUEST, id, EAP_TYPE_TNC, &(struct eap_frag){.flags = flags,
	    .version = EAP_TNC_VERSION, .msg_len = msg_len, .data = data});
	return t_inner(t, &w);
}

/* The tunnel with Identity and MD5 answered. */
static void
t_authenticated(struct t *t)
{
	t_tunnel(t);
	ck_assert_int_eq(t_identity(t, 1), 0);
	ck_assert_int_eq(t_md5(t, 2), 0);
	ck_assert_uint_eq(t->inners, 2);
}

/* The end by refusal: one done(false) with reason, the rc negative,
 * nothing taken after. */
static void
assert_refused(struct t *t, const char *reason)
{
	ck_assert_uint_eq(t->dones, 1);
	ck_assert(!t->success);
	ck_assert_str_eq(t->reason, reason);
	ck_assert_int_lt(t->rc, 0);
	ck_assert_int_eq(eap_peer_state(t->p), EAP_PEER_ENDED);
	unsigned sends = t->sends;
	const uint8_t late[] = {EAP_FAILURE, t->resp[1], 0, 4};
	ck_assert_int_eq(eap_peer_receive(t->p, (struct bytes){late, sizeof(late)}), TNC_ESTATE);
	ck_assert_int_eq(eap_peer_tnc_batch(t->p, (struct bytes){0}), TNC_ESTATE);
	ck_assert_uint_eq(t->dones, 1);
	ck_assert_uint_eq(t->sends, sends);
}

/* A raw outer packet of the server's. */
static int
t_raw(struct t *t, const uint8_t *pkt, size_t len)
{
	return to_peer(t, pkt, len);
}

/* The peer's Response's Identifier: what EAP-Success must carry. */
static uint8_t
last_id(const struct t *t)
{
	return t->resp[1];
}

/* The seeds' inner order with the answers checked: the identity, the MD5
 * digest, EAP-TNC with the peer's batch given later and cut with L, the
 * server's batch in two fragments (strongSwan's form), EAP-Success with the
 * server's MSK. */
START_TEST(test_flow)
{
	struct t t;
	t_init(&t);
	t_tunnel(&t);
	ck_assert_int_eq(t_identity(&t, 1), 0);
	ck_assert_uint_eq(t.inner_len, 5 + 20);
	ck_assert_mem_eq(t.inner + 5, "carol@strongswan.org", 20);
	ck_assert_int_eq(t_md5(&t, 2), 0);
	struct eap_packet e;
	struct eap_md5 m;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(e.code, EAP_RESPONSE);
	ck_assert_int_eq(e.id, 2);
	ck_assert_int_eq(eap_md5_parse(&e, &m, &pe), 0);
	ck_assert(eap_md5_verify(2, (struct bytes){(const uint8_t *)"Ar3etTnp", 8},
	    (struct bytes){challenge, sizeof(challenge)}, m.value));
	/* The Start: the Response waits for the TNCC's batch. */
	unsigned sends = t.sends;
	ck_assert_int_eq(t_tnc(&t, 3, EAP_FRAG_FLAG_S, 0, (struct bytes){0}), 0);
	ck_assert_uint_eq(t.starts, 1);
	ck_assert_int_eq(t.start_type, EAP_TYPE_TNC);
	ck_assert_uint_eq(t.sends, sends);
	uint8_t batch[250];
	for (size_t i = 0; i < sizeof(batch); i++)
		batch[i] = (uint8_t)(i * 3);
	ck_assert_int_eq(eap_peer_tnc_batch(t.p, (struct bytes){batch, sizeof(batch)}), 0);
	ck_assert_int_eq(eap_peer_tnc_batch(t.p, (struct bytes){batch, 1}), TNC_ESTATE);
	ck_assert_uint_eq(t.sends, sends + 1);
	pump(&t);
	/* 100 + 100 + 50 octets: L (250) and M, M, then none. */
	struct eap_frag f;
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(eap_tnc_parse(&e, &f, &pe), 0);
	ck_assert_int_eq(f.flags, EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M);
	ck_assert_uint_eq(f.msg_len, 250);
	ck_assert_uint_eq(f.data.len, 100);
	ck_assert_mem_eq(f.data.ptr, batch, 100);
	ck_assert_int_eq(t_tnc(&t, 4, 0, 0, (struct bytes){0}), 0);
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(eap_tnc_parse(&e, &f, &pe), 0);
	ck_assert_int_eq(f.flags, EAP_FRAG_FLAG_M);
	ck_assert_mem_eq(f.data.ptr, batch + 100, 100);
	ck_assert_int_eq(t_tnc(&t, 5, 0, 0, (struct bytes){0}), 0);
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(eap_tnc_parse(&e, &f, &pe), 0);
	ck_assert_int_eq(f.flags, 0);
	ck_assert_uint_eq(f.data.len, 50);
	ck_assert_mem_eq(f.data.ptr, batch + 200, 50);
	/* The server's batch: M without L, then the rest; the peer's owner
	 * answers inside the callback with nothing to say. */
	t.answer_now = true;
	ck_assert_int_eq(t_tnc(&t, 6, EAP_FRAG_FLAG_M, 0, (struct bytes){batch, 30}), 0);
	ck_assert_uint_eq(t.batches, 0);
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(eap_tnc_parse(&e, &f, &pe), 0);
	ck_assert(eap_frag_is_ack(&f));
	ck_assert_int_eq(t_tnc(&t, 7, 0, 0, (struct bytes){batch + 30, 20}), 0);
	ck_assert_uint_eq(t.batches, 1);
	ck_assert_uint_eq(t.got_len, 50);
	ck_assert_mem_eq(t.got, batch, 50);
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(e.id, 7);
	ck_assert_int_eq(eap_tnc_parse(&e, &f, &pe), 0);
	ck_assert(eap_frag_is_ack(&f));
	/* A retransmission of the last Request: the last Response again. */
	sends = t.sends;
	uint8_t resp[PKT_MAX];
	size_t resp_len = t.resp_len;
	memcpy(resp, t.resp, resp_len);
	ck_assert_int_eq(t_raw(&t, t.req, t.req_len), TNC_EAGAIN);
	ck_assert_uint_eq(t.sends, sends + 1);
	ck_assert_uint_eq(t.resp_len, resp_len);
	ck_assert_mem_eq(t.resp, resp, resp_len);
	/* A Success with another Identifier is discarded; the right one
	 * ends it with the server's keys. */
	uint8_t success[] = {EAP_SUCCESS, (uint8_t)(last_id(&t) + 1), 0, 4};
	ck_assert_int_eq(t_raw(&t, success, sizeof(success)), TNC_EAGAIN);
	ck_assert_uint_eq(t.dones, 0);
	success[1] = last_id(&t);
	ck_assert_int_eq(t_raw(&t, success, sizeof(success)), 0);
	ck_assert_uint_eq(t.dones, 1);
	ck_assert(t.success);
	struct eap_keys keys;
	ck_assert_int_eq(ttls_server_succeed(t.srv, &keys), 0);
	ck_assert_mem_eq(t.keys.msk, keys.msk, EAP_MSK_LEN);
	ck_assert_mem_eq(t.keys.emsk, keys.emsk, EAP_EMSK_LEN);
	ck_assert_int_eq(t_raw(&t, success, sizeof(success)), TNC_ESTATE);
	t_free(&t);
}
END_TEST

/* The server's certificate from a CA the peer does not trust: refused,
 * and the peer's alert tells the server why. */
START_TEST(test_untrusted_server)
{
	struct t t;
	t_init_as(&t, SERVER_NAME, false);
	t_start(&t);
	unsigned sends = t.sends;
	struct wire_writer out;
	wire_writer_init(&out, PKT_MAX);
	ck_assert_int_eq(ttls_server_receive(t.srv, t.resp, t.resp_len, &out), 0);
	deliver(&t, &out);
	wire_writer_clear(&out);
	assert_refused(&t,
	    "TLS handshake: the server's certificate: unable to get local issuer certificate");
	ck_assert_uint_eq(t.sends, sends + 1);
	wire_writer_init(&out, PKT_MAX);
	ck_assert_int_lt(ttls_server_receive(t.srv, t.resp, t.resp_len, &out), 0);
	ck_assert_str_eq(ttls_server_reason(t.srv),
	    "TLS handshake: the peer sent the TLS alert fatal unknown CA");
	wire_writer_clear(&out);
	t_free(&t);
}
END_TEST

START_TEST(test_wrong_server_name)
{
	struct t t;
	t_init_as(&t, "sun.strongswan.org", true);
	t_start(&t);
	pump(&t);
	assert_refused(&t, "TLS handshake: the server's certificate: hostname mismatch");
	t_free(&t);
}
END_TEST

/* No name configured: any certificate from the trusted CA. */
START_TEST(test_any_server_name)
{
	struct t t;
	t_init_as(&t, "sun.strongswan.org", true);
	t.cfg.server_name = NULL;
	t_tunnel(&t);
	t_free(&t);
}
END_TEST

START_TEST(test_success_too_early)
{
	struct t t;
	t_init(&t);
	t_start(&t);
	const uint8_t success[] = {EAP_SUCCESS, last_id(&t), 0, 4};
	ck_assert_int_lt(t_raw(&t, success, sizeof(success)), 0);
	assert_refused(&t, "EAP-Success during the TLS handshake");
	t_free(&t);
}
END_TEST

/* EAP-Failure: the end with where it came. */
START_TEST(test_failure)
{
	struct t t;
	t_init(&t);
	t_authenticated(&t);
	const uint8_t failure[] = {EAP_FAILURE, last_id(&t), 0, 4};
	ck_assert_int_eq(t_raw(&t, failure, sizeof(failure)), TNC_EPEER);
	assert_refused(&t, "the server sent EAP-Failure after our EAP-MD5 Response");
	t_free(&t);
}
END_TEST

/* One malformed or misplaced outer packet before or at the Start. */
static void
assert_outer_refused(const uint8_t *pkt, size_t len, bool after_start, const char *reason)
{
	struct t t;
	t_init(&t);
	ck_assert_int_eq(eap_peer_new(&t.cfg, &ops, &t, &t.p), 0);
	if (after_start) {
		const uint8_t start[] = {EAP_REQUEST, 40, 0, 6, EAP_TYPE_TTLS, EAP_FRAG_FLAG_S};
		ck_assert_int_eq(t_raw(&t, start, sizeof(start)), 0);
		ck_assert_uint_eq(t.sends, 1); /* the ClientHello */
	}
	t_raw(&t, pkt, len);
	assert_refused(&t, reason);
	t_free(&t);
}

START_TEST(test_outer_refused)
{
	const uint8_t no_start[] = {EAP_REQUEST, 1, 0, 6, EAP_TYPE_TTLS, 0};
	assert_outer_refused(no_start, sizeof(no_start), false,
	    "EAP-TTLS Request without the Start flag where the Start was due");
	const uint8_t start_data[] = {EAP_REQUEST, 1, 0, 7, EAP_TYPE_TTLS, EAP_FRAG_FLAG_S, 0x16};
	assert_outer_refused(start_data, sizeof(start_data), false, "EAP-TTLS Start with data");
	const uint8_t start_again[] = {EAP_REQUEST, 41, 0, 6, EAP_TYPE_TTLS, EAP_FRAG_FLAG_S};
	assert_outer_refused(start_again, sizeof(start_again), true,
	    "EAP-TTLS Start flag after the Start");
	const uint8_t md5[] = {EAP_REQUEST, 1, 0, 7, EAP_TYPE_MD5, 1, 0};
	assert_outer_refused(md5, sizeof(md5), false, "EAP Request of type EAP_MD5 where EAP_TTLS was due");
	const uint8_t version[] = {EAP_REQUEST, 1, 0, 6, EAP_TYPE_TTLS, EAP_FRAG_FLAG_S | 1};
	assert_outer_refused(version, sizeof(version), false,
	    "EAP-TTLS Request: unsupported EAP-TTLS version at offset 5");
	const uint8_t truncated[] = {EAP_REQUEST, 1, 0, 9, EAP_TYPE_TTLS, EAP_FRAG_FLAG_S};
	assert_outer_refused(truncated, sizeof(truncated), false,
	    "EAP packet: EAP length past the end of the data at offset 2");
	const uint8_t response[] = {EAP_RESPONSE, 1, 0, 6, EAP_TYPE_TTLS, 0};
	assert_outer_refused(response, sizeof(response), false, "EAP Response from the server");
	const uint8_t no_length[] = {EAP_REQUEST, 41, 0, 8, EAP_TYPE_TTLS, EAP_FRAG_FLAG_M, 0x16, 3};
	assert_outer_refused(no_length, sizeof(no_length), true,
	    "EAP-TTLS fragment: EAP first fragment without the L flag at offset 5");
	/* A TLS message announced over max_message (16384). */
	const uint8_t too_long[] = {EAP_REQUEST, 41, 0, 11, EAP_TYPE_TTLS,
	    EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M, 0, 0, 0x40, 1, 0x16};
	assert_outer_refused(too_long, sizeof(too_long), true,
	    "EAP-TTLS fragment: EAP Message Length over the bound at offset 6");
	const uint8_t ack[] = {EAP_REQUEST, 41, 0, 6, EAP_TYPE_TTLS, 0};
	assert_outer_refused(ack, sizeof(ack), true, "EAP-TTLS acknowledgement where none was due");
	/* Not TLS at all. */
	const uint8_t garbage[] = {EAP_REQUEST, 41, 0, 12, EAP_TYPE_TTLS, 0, 0x16, 0x7f, 0x7f, 0, 1, 0};
	assert_outer_refused(garbage, sizeof(garbage), true,
	    "TLS handshake: TLS error: wrong version number");
}
END_TEST

/* Identifiers: a retransmitted Start is answered again; a Success or
 * Failure that does not answer our last Response is discarded. */
START_TEST(test_identifiers)
{
	struct t t;
	t_init(&t);
	ck_assert_int_eq(eap_peer_new(&t.cfg, &ops, &t, &t.p), 0);
	const uint8_t start[] = {EAP_REQUEST, 40, 0, 6, EAP_TYPE_TTLS, EAP_FRAG_FLAG_S};
	ck_assert_int_eq(t_raw(&t, start, sizeof(start)), 0);
	uint8_t hello[PKT_MAX];
	size_t hello_len = t.resp_len;
	memcpy(hello, t.resp, hello_len);
	ck_assert_int_eq(t_raw(&t, start, sizeof(start)), TNC_EAGAIN);
	ck_assert_uint_eq(t.sends, 2);
	ck_assert_mem_eq(t.resp, hello, hello_len);
	const uint8_t failure[] = {EAP_FAILURE, 39, 0, 4};
	ck_assert_int_eq(t_raw(&t, failure, sizeof(failure)), TNC_EAGAIN);
	ck_assert_uint_eq(t.dones, 0);
	ck_assert_int_eq(eap_peer_state(t.p), EAP_PEER_HANDSHAKE);
	t_free(&t);
}
END_TEST

/* The tunneled Requests out of the seeds' order or malformed. */
START_TEST(test_md5_before_identity)
{
	struct t t;
	t_init(&t);
	t_tunnel(&t);
	ck_assert_int_lt(t_md5(&t, 1), 0);
	assert_refused(&t, "EAP-MD5 Request before the EAP-Identity Request");
	ck_assert_uint_eq(t.inners, 0);
	t_free(&t);
}
END_TEST

START_TEST(test_identity_twice)
{
	struct t t;
	t_init(&t);
	t_authenticated(&t);
	ck_assert_int_lt(t_identity(&t, 3), 0);
	assert_refused(&t, "EAP-Identity Request after EAP-MD5");
	t_free(&t);
}
END_TEST

START_TEST(test_tnc_before_identity)
{
	struct t t;
	t_init(&t);
	t_tunnel(&t);
	ck_assert_int_lt(t_tnc(&t, 1, EAP_FRAG_FLAG_S, 0, (struct bytes){0}), 0);
	assert_refused(&t, "EAP-TNC Start before the EAP-Identity Request");
	ck_assert_uint_eq(t.starts, 0);
	t_free(&t);
}
END_TEST

START_TEST(test_tnc_without_start)
{
	struct t t;
	t_init(&t);
	t_authenticated(&t);
	ck_assert_int_lt(t_tnc(&t, 3, 0, 0, (struct bytes){(const uint8_t *)"x", 1}), 0);
	assert_refused(&t, "EAP-TNC Request without the Start flag after EAP-MD5");
	t_free(&t);
}
END_TEST

START_TEST(test_md5_without_secret)
{
	struct t t;
	t_init(&t);
	t.cfg.md5_secret = (struct bytes){0};
	t_tunnel(&t);
	ck_assert_int_eq(t_identity(&t, 1), 0);
	ck_assert_int_eq(t_md5(&t, 2), TNC_ECONFIG);
	assert_refused(&t, "the server asks for EAP-MD5 and no secret is configured");
	t_free(&t);
}
END_TEST

/* One tunneled packet (not a well-ordered Request) after the identity. */
static void
assert_inner_refused(const uint8_t *pkt, size_t len, const char *reason)
{
	struct t t;
	t_init(&t);
	t_tunnel(&t);
	ck_assert_int_eq(t_identity(&t, 1), 0);
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	wire_put_bytes(&w, pkt, len);
	ck_assert_msg(t_inner(&t, &w) < 0, "not refused: %s", reason);
	assert_refused(&t, reason);
	t_free(&t);
}

START_TEST(test_inner_refused)
{
	const uint8_t success[] = {EAP_SUCCESS, 2, 0, 4};
	assert_inner_refused(success, sizeof(success), "tunneled EAP Success where a Request was due");
	const uint8_t same_id[] = {EAP_REQUEST, 1, 0, 22, EAP_TYPE_MD5, 16, '0', '1', '2', '3', '4',
	    '5', '6', '7', '8', '9', 'a', 'b', 'c', 'd', 'e', 'f'};
	assert_inner_refused(same_id, sizeof(same_id),
	    "tunneled EAP Request with the Identifier 1 of the previous one");
	const uint8_t gtc[] = {EAP_REQUEST, 2, 0, 6, EAP_TYPE_GTC, 'x'};
	assert_inner_refused(gtc, sizeof(gtc), "tunneled EAP Request of type EAP_GTC");
	const uint8_t md5_empty[] = {EAP_REQUEST, 2, 0, 6, EAP_TYPE_MD5, 0};
	assert_inner_refused(md5_empty, sizeof(md5_empty),
	    "EAP-MD5 Request: MD5-Challenge Value-Size 0 at offset 5");
	const uint8_t truncated[] = {EAP_REQUEST, 2, 0, 9, EAP_TYPE_MD5, 1, 0};
	assert_inner_refused(truncated, sizeof(truncated),
	    "tunneled EAP packet: EAP length past the end of the data at offset 2");
	const uint8_t tnc_version[] = {EAP_REQUEST, 2, 0, 6, EAP_TYPE_TNC, EAP_FRAG_FLAG_S | 2};
	assert_inner_refused(tnc_version, sizeof(tnc_version),
	    "EAP-TNC Request: unsupported EAP-TNC version at offset 5");
	const uint8_t tnc_data[] = {EAP_REQUEST, 2, 0, 7, EAP_TYPE_TNC, EAP_FRAG_FLAG_S | 1, 2};
	assert_inner_refused(tnc_data, sizeof(tnc_data), "EAP-TNC Start with data");
	const uint8_t pt_empty[] = {EAP_REQUEST, 2, 0, 6, EAP_TYPE_PT_EAP, PT_EAP_VERSION};
	assert_inner_refused(pt_empty, sizeof(pt_empty),
	    "PT-EAP Request without the Start flag after EAP-Identity");
	/* Over max_inner (1200): the AVP's EAP packet of 1201 octets. */
	uint8_t big[1201] = {EAP_REQUEST, 2, 1201 >> 8, 1201 & 0xff, EAP_TYPE_GTC};
	assert_inner_refused(big, sizeof(big), "tunneled EAP packet of 1201 octets over 1200");
}
END_TEST

/* EAP-TNC started; the TNCC's batches given from the callbacks. */
static void
t_tnc_started(struct t *t, struct bytes answer)
{
	t_authenticated(t);
	t->answer = answer;
	t->answer_now = true;
	ck_assert_int_eq(t_tnc(t, 3, EAP_FRAG_FLAG_S, 0, (struct bytes){0}), 0);
	ck_assert_uint_eq(t->starts, 1);
}

START_TEST(test_tnc_refused)
{
	static const uint8_t data[1200];
	struct t t;
	/* The server's batch past max_batch (1000), announced by no L. */
	t_init(&t);
	t_tnc_started(&t, (struct bytes){0});
	ck_assert_int_eq(t_tnc(&t, 4, EAP_FRAG_FLAG_M, 0, (struct bytes){data, 600}), 0);
	ck_assert_int_lt(t_tnc(&t, 5, 0, 0, (struct bytes){data, 401}), 0);
	assert_refused(&t, "EAP-TNC fragment: EAP fragments run past the bound on a message at offset 6");
	ck_assert_uint_eq(t.batches, 0);
	t_free(&t);
	/* Announced over it. */
	t_init(&t);
	t_tnc_started(&t, (struct bytes){0});
	ck_assert_int_lt(t_tnc(&t, 4, EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M, 1001, (struct bytes){data, 10}), 0);
	assert_refused(&t, "EAP-TNC fragment: EAP Message Length over the bound at offset 6");
	t_free(&t);
	/* An acknowledgement where the peer sent nothing to acknowledge. */
	t_init(&t);
	t_tnc_started(&t, (struct bytes){0});
	ck_assert_int_lt(t_tnc(&t, 4, 0, 0, (struct bytes){0}), 0);
	assert_refused(&t, "EAP-TNC acknowledgement where none was due");
	t_free(&t);
	/* Data where the acknowledgement of the peer's fragment was due. */
	t_init(&t);
	t_tnc_started(&t, (struct bytes){data, 150});
	ck_assert_int_lt(t_tnc(&t, 4, 0, 0, (struct bytes){data, 5}), 0);
	assert_refused(&t, "EAP-TNC data where the acknowledgement of our fragment was due");
	t_free(&t);
	/* A second Start; PT-EAP inside EAP-TNC. */
	t_init(&t);
	t_tnc_started(&t, (struct bytes){0});
	ck_assert_int_lt(t_tnc(&t, 4, EAP_FRAG_FLAG_S, 0, (struct bytes){0}), 0);
	assert_refused(&t, "EAP-TNC Start flag after the Start");
	t_free(&t);
	t_init(&t);
	t_tnc_started(&t, (struct bytes){0});
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	pt_eap_put(&w, EAP_REQUEST, 4, 0, (struct bytes){data, 8});
	ck_assert_int_lt(t_inner(&t, &w), 0);
	assert_refused(&t, "tunneled EAP Request of type EAP_PT_EAP during EAP-TNC");
	t_free(&t);
}
END_TEST

/* EAP-Success while the server's batch is half sent. */
START_TEST(test_success_mid_batch)
{
	static const uint8_t data[100];
	struct t t;
	t_init(&t);
	t_tnc_started(&t, (struct bytes){0});
	ck_assert_int_eq(t_tnc(&t, 4, EAP_FRAG_FLAG_M, 0, (struct bytes){data, 50}), 0);
	const uint8_t success[] = {EAP_SUCCESS, last_id(&t), 0, 4};
	ck_assert_int_lt(t_raw(&t, success, sizeof(success)), 0);
	assert_refused(&t, "EAP-Success in the middle of the server's PB-TNC batch");
	t_free(&t);
}
END_TEST

/* PT-EAP: one packet per batch both ways; an empty Request refused; the
 * owner's batch over what one packet holds refused. */
START_TEST(test_pt_eap)
{
	uint8_t batch[300];
	for (size_t i = 0; i < sizeof(batch); i++)
		batch[i] = (uint8_t)i;
	struct t t;
	t_init(&t);
	t_authenticated(&t);
	t.answer = (struct bytes){batch, 200};
	t.answer_now = true;
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	pt_eap_put(&w, EAP_REQUEST, 3, PT_EAP_FLAG_S, (struct bytes){0});
	ck_assert_int_eq(t_inner(&t, &w), 0);
	ck_assert_int_eq(t.start_type, EAP_TYPE_PT_EAP);
	struct eap_packet e;
	struct pt_eap m;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(t.inner, t.inner_len, &e, &pe), 0);
	ck_assert_int_eq(pt_eap_parse(&e, &m, &pe), 0);
	ck_assert_uint_eq(m.batch.len, 200);
	ck_assert_mem_eq(m.batch.ptr, batch, 200);
	t.answer_now = false;
	wire_writer_init(&w, PKT_MAX);
	pt_eap_put(&w, EAP_REQUEST, 4, 0, (struct bytes){batch, 300});
	ck_assert_int_eq(t_inner(&t, &w), 0);
	ck_assert_uint_eq(t.batches, 1);
	ck_assert_uint_eq(t.got_len, 300);
	/* max_inner 1200 less PT-EAP's 6 octets; max_batch is 1000 */
	uint8_t big[1001] = {0};
	t.rc = eap_peer_tnc_batch(t.p, (struct bytes){big, sizeof(big)});
	ck_assert_int_eq(t.rc, TNC_ETOOLONG);
	assert_refused(&t, "PB-TNC batch for the server of 1001 octets over 1000");
	t_free(&t);
	t_init(&t);
	t_authenticated(&t);
	t.answer_now = true;
	wire_writer_init(&w, PKT_MAX);
	pt_eap_put(&w, EAP_REQUEST, 3, PT_EAP_FLAG_S, (struct bytes){0});
	ck_assert_int_eq(t_inner(&t, &w), 0);
	wire_writer_init(&w, PKT_MAX);
	pt_eap_put(&w, EAP_REQUEST, 4, 0, (struct bytes){0});
	ck_assert_int_lt(t_inner(&t, &w), 0);
	assert_refused(&t, "PT-EAP Request without a batch");
	t_free(&t);
}
END_TEST

/* A Request while the peer's Response waits for its TNCC. */
START_TEST(test_request_while_response_due)
{
	struct t t;
	t_init(&t);
	t_authenticated(&t);
	unsigned sends = t.sends;
	ck_assert_int_eq(t_tnc(&t, 3, EAP_FRAG_FLAG_S, 0, (struct bytes){0}), 0);
	ck_assert_uint_eq(t.sends, sends);
	uint8_t next[] = {EAP_REQUEST, (uint8_t)(t.req[1] + 1), 0, 6, EAP_TYPE_TTLS, 0};
	ck_assert_int_eq(t_raw(&t, next, sizeof(next)), TNC_ESTATE);
	char reason[96];
	snprintf(reason, sizeof(reason), "EAP Request %u while our Response to Request %u is due",
	    next[1], t.req[1]);
	assert_refused(&t, reason);
	t_free(&t);
}
END_TEST

START_TEST(test_round_trip_bound)
{
	struct t t;
	t_init(&t);
	t.cfg.max_round_trips = 2;
	t_start(&t);
	pump(&t);
	assert_refused(&t, "no result after 2 round trips");
	t_free(&t);
}
END_TEST

START_TEST(test_config_refused)
{
	struct t t;
	t_init(&t);
	struct eap_peer *p = NULL;
	struct eap_peer_config cfg = t.cfg;
	cfg.trust = NULL;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), TNC_EINVALID);
	cfg = t.cfg;
	cfg.tnc_fragment = cfg.max_inner - 9; /* the packet would be 1 over */
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), TNC_EINVALID);
	cfg.tnc_fragment = cfg.max_inner - 10;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), 0);
	eap_peer_free(p);
	cfg = t.cfg;
	char long_id[EAP_PEER_IDENTITY_MAX + 2];
	memset(long_id, 'a', sizeof(long_id) - 1);
	long_id[sizeof(long_id) - 1] = 0;
	cfg.identity = long_id;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), TNC_EINVALID);
	cfg = t.cfg;
	cfg.max_round_trips = 0;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), TNC_EINVALID);
	/* A certificate without its key, and with another one. */
	EVP_PKEY *key, *other;
	X509 *cert = tl_x509_cert("carol", &key, t.ca, t.ca_key);
	X509_free(tl_x509_cert("x", &other, NULL, NULL));
	cfg = t.cfg;
	cfg.cert = cert;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), TNC_EINVALID);
	cfg.key = other;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), TNC_EINVALID);
	cfg.key = key;
	ck_assert_int_eq(eap_peer_new(&cfg, &ops, &t, &p), 0);
	eap_peer_free(p);
	X509_free(cert);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
	t_free(&t);
}
END_TEST

static Suite *
eap_peer_suite(void)
{
	Suite *s = suite_create("eap_peer");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_flow);
	tcase_add_test(tc, test_untrusted_server);
	tcase_add_test(tc, test_wrong_server_name);
	tcase_add_test(tc, test_any_server_name);
	tcase_add_test(tc, test_success_too_early);
	tcase_add_test(tc, test_failure);
	tcase_add_test(tc, test_outer_refused);
	tcase_add_test(tc, test_identifiers);
	tcase_add_test(tc, test_md5_before_identity);
	tcase_add_test(tc, test_identity_twice);
	tcase_add_test(tc, test_tnc_before_identity);
	tcase_add_test(tc, test_tnc_without_start);
	tcase_add_test(tc, test_md5_without_secret);
	tcase_add_test(tc, test_inner_refused);
	tcase_add_test(tc, test_tnc_refused);
	tcase_add_test(tc, test_success_mid_batch);
	tcase_add_test(tc, test_pt_eap);
	tcase_add_test(tc, test_request_while_response_due);
	tcase_add_test(tc, test_round_trip_bound);
	tcase_add_test(tc, test_config_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(eap_peer_suite());
}
