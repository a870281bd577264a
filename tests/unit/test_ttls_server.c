/* test_ttls_server.c - the EAP-TTLS server conversation (ike/ttls/
 * ttls_server.h) against a peer written here: an OpenSSL client over memory
 * BIOs framed with codec/eap_ttls, fragments of 200 octets both ways.  The
 * handshake, a tunneled EAP-Identity and EAP-MD5 exchange, the MSK on both
 * sides (TLS 1.2, and TLS 1.3 when allowed); then each refusal: a tampered
 * record, an oversize message, data past the last fragment, a TLS alert,
 * too many round trips. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include "eap.h"
#include "eap_frag.h"
#include "eap_md5.h"
#include "eap_ttls.h"
#include "eap_ttls_keys.h"
#include "testlib.h"
#include "tl_x509.h"
#include "ttls_server.h"

#define FRAG 200
#define PKT_MAX 65536u

/* The EAP-TTLS peer. */
struct peer {
	SSL_CTX *ctx;
	SSL *ssl;
	BIO *in, *out;
	uint8_t id; /* of the Request being answered */
	struct eap_reasm reasm;
	struct wire_writer msg;
	struct eap_fragmenter frag;
	bool ack_due; /* the Request was a fragment with M: acknowledge it */
	uint8_t inner[PKT_MAX]; /* the last tunneled EAP packet from the server */
	size_t inner_len;
};

static void
peer_init(struct peer *p)
{
	memset(p, 0, sizeof *p);
	p->ctx = SSL_CTX_new(TLS_client_method());
	ck_assert_ptr_nonnull(p->ctx);
	SSL_CTX_set_verify(p->ctx, SSL_VERIFY_NONE, NULL);
	p->ssl = SSL_new(p->ctx);
	p->in = BIO_new(BIO_s_mem());
	p->out = BIO_new(BIO_s_mem());
	BIO_set_mem_eof_return(p->in, -1);
	SSL_set_bio(p->ssl, p->in, p->out);
	SSL_set_connect_state(p->ssl);
	eap_reasm_init(&p->reasm, PKT_MAX);
	wire_writer_init(&p->msg, PKT_MAX);
}

static void
peer_free(struct peer *p)
{
	SSL_free(p->ssl);
	SSL_CTX_free(p->ctx);
	eap_reasm_clear(&p->reasm);
	wire_writer_clear(&p->msg);
}

/* Takes one Request from the server. */
static void
peer_take(struct peer *p, struct bytes req)
{
	struct eap_packet e;
	struct eap_frag f;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(req.ptr, req.len, &e, &pe), 0);
	ck_assert_int_eq(e.code, EAP_REQUEST);
	ck_assert_int_eq(eap_ttls_parse(&e, &f, &pe), 0);
	p->id = e.id;
	p->ack_due = false;
	if (f.flags & EAP_FRAG_FLAG_S) {
		ck_assert_int_le(SSL_do_handshake(p->ssl), 0); /* ClientHello written */
		return;
	}
	if (eap_frag_is_ack(&f))
		return; /* of our fragment, or nothing to say */
	bool complete;
	ck_assert_int_eq(eap_reasm_add(&p->reasm, &f, &complete, &pe), 0);
	if (!complete) {
		p->ack_due = true;
		return;
	}
	struct bytes m = eap_reasm_message(&p->reasm);
	ck_assert_int_eq(BIO_write(p->in, m.ptr, (int)m.len), (int)m.len);
	eap_reasm_next(&p->reasm);
	if (!SSL_is_init_finished(p->ssl))
		SSL_do_handshake(p->ssl);
	if (SSL_is_init_finished(p->ssl)) {
		int n = SSL_read(p->ssl, p->inner, sizeof p->inner);
		if (n > 0) {
			struct bytes eap;
			ck_assert_int_eq(ttls_avp_find_eap_message((struct bytes){p->inner, (size_t)n}, &eap, &pe), 0);
			memmove(p->inner, eap.ptr, eap.len);
			p->inner_len = eap.len;
		}
	}
}

/* Puts an EAP packet into the tunnel; it goes with the next Response. */
static void
peer_send_inner(struct peer *p, struct bytes eap)
{
	struct wire_writer w;
	wire_writer_init(&w, PKT_MAX);
	ttls_avp_put_eap_message(&w, eap);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_int_eq(SSL_write(p->ssl, w.buf, (int)w.len), (int)w.len);
	wire_writer_clear(&w);
}

/* Whether a message is being sent in fragments. */
static bool
peer_sending(const struct peer *p)
{
	return p->frag.msg.ptr && !eap_fragmenter_done(&p->frag);
}

/* The Response to the last Request: an ACK, our next fragment, our new
 * TLS output, or empty. */
static void
peer_reply(struct peer *p, struct wire_writer *resp)
{
	struct eap_frag empty = {.version = EAP_TTLS_VERSION};
	if (p->ack_due) {
		eap_frag_put(resp, EAP_RESPONSE, p->id, EAP_TYPE_TTLS, &empty);
	} else if (peer_sending(p)) {
		eap_fragmenter_put(&p->frag, resp, EAP_RESPONSE, p->id, EAP_TYPE_TTLS, EAP_TTLS_VERSION, 0);
	} else if (BIO_ctrl_pending(p->out) > 0) {
		wire_writer_clear(&p->msg);
		wire_writer_init(&p->msg, PKT_MAX);
		uint8_t chunk[4096];
		int n;
		while ((n = BIO_read(p->out, chunk, sizeof chunk)) > 0)
			wire_put_bytes(&p->msg, chunk, (size_t)n);
		eap_fragmenter_init(&p->frag, (struct bytes){p->msg.buf, p->msg.len}, FRAG);
		eap_fragmenter_put(&p->frag, resp, EAP_RESPONSE, p->id, EAP_TYPE_TTLS, EAP_TTLS_VERSION, 0);
	} else {
		eap_frag_put(resp, EAP_RESPONSE, p->id, EAP_TYPE_TTLS, &empty);
	}
	ck_assert_int_eq(wire_writer_status(resp), 0);
}

/* What the server's callback saw. */
struct seen {
	struct ttls_server *s;
	unsigned count;
	uint8_t last[PKT_MAX];
	size_t last_len;
	struct bytes answer; /* sent into the tunnel on the next callback, if set */
};

static void
on_inner(void *arg, struct bytes eap)
{
	struct seen *seen = arg;
	seen->count++;
	memcpy(seen->last, eap.ptr, eap.len);
	seen->last_len = eap.len;
	if (seen->answer.len) {
		ck_assert_int_eq(ttls_server_send_inner(seen->s, seen->answer), 0);
		seen->answer.len = 0;
	}
}

static const struct ttls_server_limits limits = {
	.fragment = FRAG, .message = 16384, .round_trips = 32, .inner = 4096,
	.max_tls_version = TLS1_2_VERSION,
};

struct conv {
	SSL_CTX *ctx;
	struct ttls_server *s;
	struct peer peer;
	struct seen seen;
	struct wire_writer req, resp;
	unsigned responses;
};

static void
conv_init(struct conv *c, const struct ttls_server_limits *l)
{
	memset(c, 0, sizeof *c);
	c->ctx = tl_x509_server_ctx("ttls-test", NULL, NULL); /* self-signed */
	ck_assert_int_eq(ttls_server_new(c->ctx, l, on_inner, &c->seen, &c->s), 0);
	c->seen.s = c->s;
	peer_init(&c->peer);
	wire_writer_init(&c->req, PKT_MAX);
	wire_writer_init(&c->resp, PKT_MAX);
	ck_assert_int_eq(ttls_server_start(c->s, 7, &c->req), 0);
}

static void
conv_free(struct conv *c)
{
	ttls_server_free(c->s);
	SSL_CTX_free(c->ctx);
	peer_free(&c->peer);
	wire_writer_clear(&c->req);
	wire_writer_clear(&c->resp);
}

static struct bytes
W(const struct wire_writer *w)
{
	return (struct bytes){w->buf, w->len};
}

/* Sends the Response in c->resp; the server's answer lands in c->req. */
static int
conv_send(struct conv *c)
{
	wire_writer_clear(&c->req);
	wire_writer_init(&c->req, PKT_MAX);
	c->responses++;
	return ttls_server_receive(c->s, c->resp.buf, c->resp.len, &c->req);
}

static void
conv_reply(struct conv *c)
{
	wire_writer_clear(&c->resp);
	wire_writer_init(&c->resp, PKT_MAX);
	peer_reply(&c->peer, &c->resp);
}

/* Runs the handshake until the peer has taken the server's Finished; the
 * peer then owes a Response to c->req. */
static void
conv_handshake(struct conv *c)
{
	for (unsigned i = 0; i < 40; i++) {
		peer_take(&c->peer, W(&c->req));
		if (SSL_is_init_finished(c->peer.ssl) && !c->peer.ack_due && !peer_sending(&c->peer))
			break;
		conv_reply(c);
		ck_assert_msg(conv_send(c) == 0, "server: %s", ttls_server_reason(c->s));
		ck_assert_uint_gt(c->req.len, 0);
	}
	ck_assert(SSL_is_init_finished(c->peer.ssl));
	ck_assert_int_eq(ttls_server_state(c->s), TTLS_SERVER_TUNNEL);
	ck_assert_int_eq(ttls_server_tls_version(c->s), TLS1_2_VERSION);
}

/* The peer's MSK and EMSK, from its exporter with eap_ttls_keys' arguments. */
static void
peer_keys(struct peer *p, bool tls13, struct eap_keys *ret)
{
	struct eap_ttls_exporter e;
	eap_ttls_exporter(tls13, &e);
	uint8_t material[EAP_TTLS_KEY_MATERIAL_LEN];
	ck_assert_int_eq(SSL_export_keying_material(p->ssl, material, sizeof material, e.label,
	    e.label_len, e.context, e.context_len, e.use_context), 1);
	eap_keys_from_material(material, ret);
}

static void
assert_failed(struct conv *c, int rc, const char *reason_part)
{
	ck_assert_int_lt(rc, 0);
	ck_assert_int_eq(ttls_server_state(c->s), TTLS_SERVER_FAILED);
	ck_assert_msg(strstr(ttls_server_reason(c->s), reason_part), "reason \"%s\" lacks \"%s\"",
	    ttls_server_reason(c->s), reason_part);
	/* Nothing more is taken. */
	ck_assert_int_eq(ttls_server_receive(c->s, c->resp.buf, c->resp.len, &c->req), TNC_ESTATE);
}

START_TEST(test_identity_md5_and_msk)
{
	struct conv c;
	conv_init(&c, &limits);
	conv_handshake(&c);
	/* The ClientHello in 2 fragments, 2 ACKs of the server's flight (3
	 * fragments), the client's last flight. */
	ck_assert_uint_ge(c.responses, 5);

	/* Tunneled EAP-Identity Response; the server answers with an MD5
	 * challenge from its callback. */
	const uint8_t challenge[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
	struct wire_writer chal;
	wire_writer_init(&chal, PKT_MAX);
	eap_md5_put(&chal, EAP_REQUEST, 2, (struct bytes){challenge, sizeof challenge}, (struct bytes){0});
	c.seen.answer = W(&chal);
	const uint8_t identity[] = {EAP_RESPONSE, 1, 0, 10, EAP_TYPE_IDENTITY, 'c', 'a', 'r', 'o', 'l'};
	peer_send_inner(&c.peer, (struct bytes){identity, sizeof identity});
	conv_reply(&c);
	ck_assert_int_eq(conv_send(&c), 0);
	ck_assert_uint_eq(c.seen.count, 1);
	ck_assert_uint_eq(c.seen.last_len, sizeof identity);
	ck_assert_mem_eq(c.seen.last, identity, sizeof identity);
	ck_assert_uint_gt(c.req.len, 0);

	/* The peer decrypts the challenge and answers it. */
	peer_take(&c.peer, W(&c.req));
	ck_assert_uint_eq(c.peer.inner_len, chal.len);
	ck_assert_mem_eq(c.peer.inner, chal.buf, chal.len);
	uint8_t digest[EAP_MD5_RESPONSE_LEN];
	const char *secret = "p4ssw0rd";
	ck_assert_int_eq(eap_md5_response(2, (struct bytes){(const uint8_t *)secret, strlen(secret)},
	    (struct bytes){challenge, sizeof challenge}, digest), 0);
	struct wire_writer md5;
	wire_writer_init(&md5, PKT_MAX);
	eap_md5_put(&md5, EAP_RESPONSE, 2, (struct bytes){digest, sizeof digest}, (struct bytes){0});
	peer_send_inner(&c.peer, W(&md5));
	conv_reply(&c);
	ck_assert_int_eq(conv_send(&c), 0);
	ck_assert_uint_eq(c.seen.count, 2);
	ck_assert_uint_eq(c.seen.last_len, md5.len);
	ck_assert_mem_eq(c.seen.last, md5.buf, md5.len);
	struct eap_packet p;
	struct eap_md5 m;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(c.seen.last, c.seen.last_len, &p, &pe), 0);
	ck_assert_int_eq(eap_md5_parse(&p, &m, &pe), 0);
	ck_assert(eap_md5_verify(2, (struct bytes){(const uint8_t *)secret, strlen(secret)},
	    (struct bytes){challenge, sizeof challenge}, m.value));
	ck_assert_uint_eq(c.req.len, 0); /* nothing queued: the server waits */

	/* A Success for the inner method goes in by send_inner and out by
	 * flush. */
	const uint8_t success[] = {EAP_SUCCESS, 2, 0, 4};
	ck_assert_int_eq(ttls_server_send_inner(c.s, (struct bytes){success, sizeof success}), 0);
	ck_assert_int_eq(ttls_server_flush(c.s, &c.req), 0);
	peer_take(&c.peer, W(&c.req));
	ck_assert_uint_eq(c.peer.inner_len, sizeof success);
	ck_assert_mem_eq(c.peer.inner, success, sizeof success);

	/* Both sides' MSK: the server's module, the peer's exporter call with
	 * eap_ttls_keys' arguments. */
	struct eap_keys server_keys, peer;
	ck_assert_int_eq(ttls_server_succeed(c.s, &server_keys), 0);
	ck_assert_int_eq(ttls_server_state(c.s), TTLS_SERVER_DONE);
	peer_keys(&c.peer, false, &peer);
	ck_assert_mem_eq(server_keys.msk, peer.msk, EAP_MSK_LEN);
	ck_assert_mem_eq(server_keys.emsk, peer.emsk, EAP_EMSK_LEN);
	static const uint8_t zero[EAP_MSK_LEN];
	ck_assert(memcmp(server_keys.msk, zero, EAP_MSK_LEN) != 0);
	ck_assert_int_eq(ttls_server_succeed(c.s, &server_keys), TNC_ESTATE);

	wire_writer_clear(&chal);
	wire_writer_clear(&md5);
	conv_free(&c);
}
END_TEST

/* TLS 1.3 when allowed: the server speaks first in the tunnel (its
 * handshake ends on the peer's Finished with nothing to send), and the
 * keys come from the RFC 9427 exporter. */
START_TEST(test_tls13_keys)
{
	struct ttls_server_limits l = limits;
	l.max_tls_version = TLS1_3_VERSION;
	struct conv c;
	conv_init(&c, &l);
	for (unsigned i = 0; i < 20 && ttls_server_state(c.s) == TTLS_SERVER_HANDSHAKE; i++) {
		peer_take(&c.peer, W(&c.req));
		conv_reply(&c);
		ck_assert_msg(conv_send(&c) == 0, "server: %s", ttls_server_reason(c.s));
	}
	ck_assert_int_eq(ttls_server_state(c.s), TTLS_SERVER_TUNNEL);
	ck_assert_int_eq(ttls_server_tls_version(c.s), TLS1_3_VERSION);
	ck_assert_uint_eq(c.req.len, 0);
	const uint8_t id_req[] = {EAP_REQUEST, 1, 0, 5, EAP_TYPE_IDENTITY};
	ck_assert_int_eq(ttls_server_send_inner(c.s, (struct bytes){id_req, sizeof id_req}), 0);
	ck_assert_int_eq(ttls_server_flush(c.s, &c.req), 0);
	peer_take(&c.peer, W(&c.req));
	ck_assert(SSL_is_init_finished(c.peer.ssl));
	ck_assert_uint_eq(c.peer.inner_len, sizeof id_req);
	ck_assert_mem_eq(c.peer.inner, id_req, sizeof id_req);
	struct eap_keys server_keys, peer;
	ck_assert_int_eq(ttls_server_succeed(c.s, &server_keys), 0);
	peer_keys(&c.peer, true, &peer);
	ck_assert_mem_eq(server_keys.msk, peer.msk, EAP_MSK_LEN);
	/* Not the TLS 1.2 label's keys. */
	peer_keys(&c.peer, false, &peer);
	ck_assert(memcmp(server_keys.msk, peer.msk, EAP_MSK_LEN) != 0);
	conv_free(&c);
}
END_TEST

START_TEST(test_tampered_record)
{
	struct conv c;
	conv_init(&c, &limits);
	conv_handshake(&c);
	const uint8_t identity[] = {EAP_RESPONSE, 1, 0, 6, EAP_TYPE_IDENTITY, 'x'};
	peer_send_inner(&c.peer, (struct bytes){identity, sizeof identity});
	conv_reply(&c);
	c.resp.buf[c.resp.len - 1] ^= 0x01; /* the record's last tag octet */
	int rc = conv_send(&c);
	assert_failed(&c, rc, "bad record mac");
	ck_assert_uint_eq(c.seen.count, 0);
	conv_free(&c);
}
END_TEST

/* One fragment with its Flags, Message Length and data, as a Response to
 * the last Request. */
static void
put_fragment(struct conv *c, uint8_t flags, uint32_t msg_len, size_t data_len)
{
	static const uint8_t data[FRAG];
	struct eap_packet e;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(c->req.buf, c->req.len, &e, &pe), 0);
	struct eap_frag f = {.flags = flags, .version = EAP_TTLS_VERSION, .msg_len = msg_len,
	    .data = {data, data_len}};
	wire_writer_clear(&c->resp);
	wire_writer_init(&c->resp, PKT_MAX);
	eap_frag_put(&c->resp, EAP_RESPONSE, e.id, EAP_TYPE_TTLS, &f);
}

START_TEST(test_oversize_reassembly)
{
	struct conv c;
	conv_init(&c, &limits);
	put_fragment(&c, EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M, (uint32_t)limits.message + 1, FRAG);
	assert_failed(&c, conv_send(&c), "EAP-TTLS fragment: EAP Message Length over the bound");
	conv_free(&c);
}
END_TEST

START_TEST(test_fragment_past_the_last)
{
	struct conv c;
	conv_init(&c, &limits);
	put_fragment(&c, EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M, 300, FRAG);
	ck_assert_int_eq(conv_send(&c), 0);
	/* The server acknowledged: an empty Request with the next identifier. */
	ck_assert_uint_eq(c.req.len, EAP_TYPE_HEADER_LEN + 1);
	ck_assert_uint_eq(c.req.buf[1], 8);
	put_fragment(&c, 0, 0, 150); /* 50 octets past the Message Length */
	assert_failed(&c, conv_send(&c), "EAP fragments run past the Message Length");
	conv_free(&c);
}
END_TEST

START_TEST(test_tls_alert)
{
	struct conv c;
	conv_init(&c, &limits);
	/* Up to the peer's taking the server's whole first flight. */
	for (unsigned i = 0; i < 10; i++) {
		peer_take(&c.peer, W(&c.req));
		if (c.peer.frag.msg.ptr && !c.peer.ack_due && !peer_sending(&c.peer))
			break;
		conv_reply(&c);
		ck_assert_int_eq(conv_send(&c), 0);
	}
	ck_assert(!SSL_is_init_finished(c.peer.ssl));
	/* Instead of its key exchange: a fatal handshake_failure alert. */
	static const uint8_t alert[] = {0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28};
	struct eap_frag f = {.version = EAP_TTLS_VERSION, .data = {alert, sizeof alert}};
	wire_writer_clear(&c.resp);
	wire_writer_init(&c.resp, PKT_MAX);
	eap_frag_put(&c.resp, EAP_RESPONSE, c.peer.id, EAP_TYPE_TTLS, &f);
	assert_failed(&c, conv_send(&c), "TLS handshake: the peer sent the TLS alert fatal handshake failure");
	conv_free(&c);
}
END_TEST

START_TEST(test_round_trip_bound)
{
	struct ttls_server_limits l = limits;
	l.round_trips = 3;
	struct conv c;
	conv_init(&c, &l);
	int rc = 0;
	for (unsigned i = 0; i < 10 && rc == 0; i++) {
		peer_take(&c.peer, W(&c.req));
		conv_reply(&c);
		rc = conv_send(&c);
	}
	ck_assert_uint_eq(c.responses, 4);
	assert_failed(&c, rc, "TLS handshake not done after 3 round trips");
	conv_free(&c);
}
END_TEST

START_TEST(test_wrong_identifier_discarded)
{
	struct conv c;
	conv_init(&c, &limits);
	put_fragment(&c, 0, 0, 0);
	c.resp.buf[1] ^= 0xff;
	ck_assert_int_eq(conv_send(&c), TNC_EAGAIN);
	ck_assert_int_eq(ttls_server_state(c.s), TTLS_SERVER_HANDSHAKE);
	ck_assert_str_eq(ttls_server_reason(c.s), "");
	/* The right one still goes through: the handshake completes. */
	wire_writer_clear(&c.req);
	wire_writer_init(&c.req, PKT_MAX);
	struct eap_frag start = {.flags = EAP_FRAG_FLAG_S, .version = EAP_TTLS_VERSION};
	eap_frag_put(&c.req, EAP_REQUEST, 7, EAP_TYPE_TTLS, &start);
	conv_handshake(&c);
	conv_free(&c);
}
END_TEST

static Suite *
ttls_server_suite(void)
{
	Suite *s = suite_create("ttls_server");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_identity_md5_and_msk);
	tcase_add_test(tc, test_tls13_keys);
	tcase_add_test(tc, test_tampered_record);
	tcase_add_test(tc, test_oversize_reassembly);
	tcase_add_test(tc, test_fragment_past_the_last);
	tcase_add_test(tc, test_tls_alert);
	tcase_add_test(tc, test_round_trip_bound);
	tcase_add_test(tc, test_wrong_identifier_discarded);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(ttls_server_suite());
}
