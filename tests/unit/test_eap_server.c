/* test_eap_server.c - the EAP server conversation (ike/eap_server/) against
 * tncclient's EAP peer (client/eap_peer/) in memory: the peer verifies the
 * server's certificate, answers the tunneled EAP-Identity and EAP-MD5 and
 * speaks EAP-TNC as strongSwan does (fragments with M but without L).  The
 * whole flow of the seeds: TTLS handshake, Identity, MD5, a 3-batch PB-TNC
 * exchange with fragments both ways, EAP-Success with the peer's own MSK;
 * then each refusal with its exact reason, EAP-Failure and one done() on
 * both sides; PT-EAP as the carrier; the reassembler's length_optional flag
 * (codec/eap_frag) directly. */
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
#include "eap_peer.h"
#include "eap_secrets.h"
#include "eap_server.h"
#include "eap_tnc.h"
#include "eap_ttls.h"
#include "eap_ttls_keys.h"
#include "testlib.h"
#include "tl_x509.h"

#define TTLS_FRAG 400
#define SERVER_TNC_FRAG 300
#define PEER_TNC_FRAG 250
#define MAX_BATCH 4000
#define PKT_MAX 65536u
#define BATCHES_MAX 4

static const char secrets_text[] =
    "# EAP-MD5 secrets\n"
    "carol@strongswan.org : \"Ar3etTnp\"\n"
    "dave@strongswan.org:\"W7R0g3do\"\n";

/* The server's context as tnc-ike's, its certificate "moon.strongswan.org"
 * from server_ca; client certificates requested (not required) when ca is
 * given. */
static SSL_CTX *
server_ctx(X509 *ca, X509 *server_ca, EVP_PKEY *server_ca_key)
{
	SSL_CTX *ctx = tl_x509_server_ctx("moon.strongswan.org", server_ca, server_ca_key);
	if (ca) {
		ck_assert_int_eq(X509_STORE_add_cert(SSL_CTX_get_cert_store(ctx), ca), 1);
		SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER, NULL);
	}
	return ctx;
}

/* A batch of len octets: a PB-TNC-like header and a pattern from seed. */
static struct bytes
make_batch(size_t len, uint8_t seed)
{
	uint8_t *b = malloc(len);
	ck_assert_ptr_nonnull(b);
	for (size_t i = 0; i < len; i++)
		b[i] = (uint8_t)(seed + i * 7);
	b[0] = 2; /* PB-TNC version */
	return (struct bytes){b, len};
}

/* The peer (client/eap_peer) and its owner, tncclient's part: the batches
 * its TNCC sends in turn from the Start on (an empty Response when none is
 * left), the server's batches it got, a log of the tunneled Requests, its
 * Responses and its end. */
struct peer {
	struct eap_peer *p;
	X509_STORE *trust;
	X509 *cert;
	EVP_PKEY *key;
	const char *identity;
	const char *secret;
	struct bytes batches[BATCHES_MAX];
	unsigned n_batches, next_batch;
	uint8_t got[BATCHES_MAX][PKT_MAX / 8];
	size_t got_len[BATCHES_MAX];
	unsigned n_got;
	char log[64]; /* one letter per tunneled Request, see on_peer_inner() */
	uint8_t resp[PKT_MAX]; /* the last Response */
	size_t resp_len;
	bool resp_new;
	uint8_t last_response_id;
	unsigned responses;
	unsigned tunnel_responses; /* once the peer's handshake was done */
	/* The server's EAP-Success or EAP-Failure, and the peer's done(). */
	bool success, failure;
	uint8_t end_id;
	unsigned dones;
	bool done_success;
	struct eap_keys keys;
	char reason[320];
};

static void
peer_init(struct peer *p, X509 *server_ca)
{
	memset(p, 0, sizeof(*p));
	p->trust = X509_STORE_new();
	ck_assert_ptr_nonnull(p->trust);
	ck_assert_int_eq(X509_STORE_add_cert(p->trust, server_ca), 1);
	p->identity = "carol@strongswan.org";
	p->secret = "Ar3etTnp";
}

static void
peer_free(struct peer *p)
{
	eap_peer_free(p->p);
	X509_STORE_free(p->trust);
	X509_free(p->cert);
	EVP_PKEY_free(p->key);
	for (unsigned i = 0; i < p->n_batches; i++)
		free((void *)p->batches[i].ptr);
}

static void
peer_log(struct peer *p, char c)
{
	size_t n = strlen(p->log);
	ck_assert_uint_lt(n + 1, sizeof(p->log));
	p->log[n] = c;
}

static void
on_peer_send(void *arg, struct bytes eap)
{
	struct peer *p = arg;
	ck_assert_uint_le(eap.len, sizeof(p->resp));
	ck_assert_uint_ge(eap.len, EAP_HEADER_LEN);
	memcpy(p->resp, eap.ptr, eap.len);
	p->resp_len = eap.len;
	p->resp_new = true;
	p->last_response_id = eap.ptr[1];
	p->responses++;
	p->tunnel_responses += eap_peer_state(p->p) == EAP_PEER_TUNNEL ? 1 : 0;
}

/* The TNCC's next batch, or nothing to say. */
static void
peer_next_batch(struct peer *p)
{
	struct bytes b = {0};
	if (p->next_batch < p->n_batches)
		b = p->batches[p->next_batch++];
	ck_assert_int_eq(eap_peer_tnc_batch(p->p, b), 0);
}

static void
on_peer_tnc_start(void *arg, uint8_t type)
{
	(void)type;
	peer_next_batch(arg);
}

static void
on_peer_tnc_batch(void *arg, struct bytes b)
{
	struct peer *p = arg;
	ck_assert_uint_lt(p->n_got, BATCHES_MAX);
	ck_assert_uint_le(b.len, sizeof(p->got[0]));
	memcpy(p->got[p->n_got], b.ptr, b.len);
	p->got_len[p->n_got++] = b.len;
	peer_next_batch(p);
}

static void
on_peer_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct peer *p = arg;
	p->dones++;
	p->done_success = success;
	if (keys)
		p->keys = *keys;
	snprintf(p->reason, sizeof(p->reason), "%s", reason ? reason : "");
}

/* Log: I Identity, 5 MD5; EAP-TNC: S the Start, a an ACK of ours, F a
 * first fragment with L, f a fragment with M, l the last (or only) one;
 * PT-EAP: S the Start, l a batch. */
static void
on_peer_inner(void *arg, const struct eap_packet *e)
{
	struct peer *p = arg;
	struct eap_frag f;
	struct pt_eap m;
	struct parse_error pe;
	switch (e->type) {
	case EAP_TYPE_IDENTITY:
		peer_log(p, 'I');
		break;
	case EAP_TYPE_MD5:
		peer_log(p, '5');
		break;
	case EAP_TYPE_TNC:
		ck_assert_int_eq(eap_tnc_parse(e, &f, &pe), 0);
		peer_log(p, (f.flags & EAP_FRAG_FLAG_S) ? 'S' : eap_frag_is_ack(&f) ? 'a' :
		    (f.flags & EAP_FRAG_FLAG_L) ? 'F' : (f.flags & EAP_FRAG_FLAG_M) ? 'f' : 'l');
		break;
	case EAP_TYPE_PT_EAP:
		ck_assert_int_eq(pt_eap_parse(e, &m, &pe), 0);
		peer_log(p, (m.flags & PT_EAP_FLAG_S) ? 'S' : 'l');
		break;
	default:
		ck_abort_msg("tunneled Request of type %u", e->type);
	}
}

static const struct eap_peer_ops peer_ops = {
	.send = on_peer_send, .tnc_start = on_peer_tnc_start, .tnc_batch = on_peer_tnc_batch,
	.done = on_peer_done, .inner_request = on_peer_inner,
};

/* The peer as tncclient would configure it, with strongSwan's EAP-TNC
 * fragments (M without L), which the server must take. */
static void
peer_start(struct peer *p)
{
	const struct eap_peer_config cfg = {
		.identity = p->identity,
		.md5_secret = {(const uint8_t *)p->secret, strlen(p->secret)},
		.trust = p->trust,
		.server_name = "moon.strongswan.org",
		.cert = p->cert,
		.key = p->key,
		.max_tls_version = TLS1_3_VERSION,
		.fragment = TTLS_FRAG,
		.max_message = 16384,
		.max_inner = 1200,
		.tnc_fragment = PEER_TNC_FRAG,
		.max_batch = PKT_MAX / 8,
		.max_round_trips = 200,
		.strongswan_fragments = true,
	};
	ck_assert_int_eq(eap_peer_new(&cfg, &peer_ops, p, &p->p), 0);
}

/* Notes the server's EAP-Success or EAP-Failure in req, if it is one. */
static void
peer_see_end(struct peer *p, struct bytes req)
{
	struct eap_packet e;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(req.ptr, req.len, &e, &pe), 0);
	if (e.code == EAP_SUCCESS || e.code == EAP_FAILURE) {
		p->success = e.code == EAP_SUCCESS;
		p->failure = e.code == EAP_FAILURE;
		p->end_id = e.id;
	}
}

/* The peer takes one packet of the server's. */
static int
peer_take(struct peer *p, struct bytes req)
{
	peer_see_end(p, req);
	p->resp_new = false;
	return eap_peer_receive(p->p, req);
}

/* The owner: what the server's callbacks gave, and its scripted answers
 * (tnc-tnccs): a batch for each of the peer's but the last, then the
 * result. */
struct owner {
	struct eap_server *s;
	uint8_t req[PKT_MAX];
	size_t req_len;
	unsigned sends;
	char identity[300];
	unsigned opens;
	uint8_t got[BATCHES_MAX][PKT_MAX / 8];
	size_t got_len[BATCHES_MAX];
	unsigned n_got;
	struct bytes answers[BATCHES_MAX];
	unsigned n_answers, next_answer;
	bool access;      /* the result given after the last answer */
	bool finish_early; /* give the result right after the last answer */
	bool due;         /* a batch came: answer it */
	bool passive;     /* answers nothing: the test calls the server */
	unsigned dones;
	bool success;
	struct eap_keys keys;
	char reason[256];
};

static void
on_send(void *arg, struct bytes eap)
{
	struct owner *o = arg;
	ck_assert_uint_le(eap.len, sizeof(o->req));
	memcpy(o->req, eap.ptr, eap.len);
	o->req_len = eap.len;
	o->sends++;
}

static void
on_tnc_open(void *arg, const char *identity)
{
	struct owner *o = arg;
	snprintf(o->identity, sizeof(o->identity), "%s", identity);
	o->opens++;
}

static void
on_tnc_batch(void *arg, struct bytes batch)
{
	struct owner *o = arg;
	ck_assert_uint_lt(o->n_got, BATCHES_MAX);
	ck_assert_uint_le(batch.len, sizeof(o->got[0]));
	memcpy(o->got[o->n_got], batch.ptr, batch.len);
	o->got_len[o->n_got++] = batch.len;
	o->due = true;
}

static void
on_done(void *arg, bool success, const struct eap_keys *keys, const char *reason)
{
	struct owner *o = arg;
	o->dones++;
	o->success = success;
	if (keys)
		o->keys = *keys;
	snprintf(o->reason, sizeof(o->reason), "%s", reason ? reason : "");
}

static const struct eap_server_ops ops = {
	.send = on_send, .tnc_open = on_tnc_open, .tnc_batch = on_tnc_batch, .done = on_done,
};

/* The answer to the peer's batch, outside the server's callback as over
 * IPC. */
static void
owner_act(struct owner *o)
{
	if (!o->due || o->passive)
		return;
	o->due = false;
	if (o->next_answer < o->n_answers) {
		struct bytes b = o->answers[o->next_answer++];
		ck_assert_int_eq(eap_server_tnc_batch(o->s, b), 0);
		if (o->finish_early && o->next_answer == o->n_answers)
			ck_assert_int_eq(eap_server_tnc_finish(o->s, o->access), 0);
		return;
	}
	if (!o->finish_early)
		ck_assert_int_eq(eap_server_tnc_finish(o->s, o->access), 0);
}

struct conv {
	SSL_CTX *ctx;
	X509 *server_ca; /* the peer's trust anchor */
	EVP_PKEY *server_ca_key;
	X509 *client_ca; /* the server's, when it requests client certificates */
	EVP_PKEY *client_ca_key;
	struct eap_secrets secrets;
	struct eap_server_config cfg;
	struct peer peer;
	struct owner owner;
	int last_rc;
};

static void
conv_init(struct conv *c)
{
	memset(c, 0, sizeof(*c));
	c->server_ca = tl_x509_cert("strongSwan Root CA", &c->server_ca_key, NULL, NULL);
	c->ctx = server_ctx(NULL, c->server_ca, c->server_ca_key);
	char err[256];
	ck_assert_int_eq(eap_secrets_parse(secrets_text, strlen(secrets_text), "secrets", &c->secrets,
	    err, sizeof(err)), 0);
	c->cfg = (struct eap_server_config){
		.tls_ctx = c->ctx,
		.ttls = {.fragment = TTLS_FRAG, .message = 16384, .round_trips = 32, .inner = 1200,
		    .max_tls_version = TLS1_2_VERSION},
		.md5_secrets = &c->secrets,
		.tnc_type = EAP_TYPE_TNC,
		.tnc_fragment = SERVER_TNC_FRAG,
		.max_batch = MAX_BATCH,
		.max_round_trips = 100,
	};
	peer_init(&c->peer, c->server_ca);
	c->owner.access = true;
}

/* The seeds' exchange: the peer's CDATA of 700 octets (3 fragments), the
 * server's 800 (3 fragments), the peer's 100, the server's 50 (its
 * Result), the peer's 8 (its Close). */
static void
conv_script_batches(struct conv *c)
{
	c->peer.batches[0] = make_batch(700, 0x11);
	c->peer.batches[1] = make_batch(100, 0x22);
	c->peer.batches[2] = make_batch(8, 0x33);
	c->peer.n_batches = 3;
	c->owner.answers[0] = make_batch(800, 0x44);
	c->owner.answers[1] = make_batch(50, 0x55);
	c->owner.n_answers = 2;
}

static void
conv_start(struct conv *c)
{
	peer_start(&c->peer);
	ck_assert_int_eq(eap_server_new(&c->cfg, &ops, &c->owner, &c->owner.s), 0);
	ck_assert_int_eq(eap_server_start(c->owner.s), 0);
	ck_assert_uint_eq(c->owner.sends, 1);
}

static void
conv_free(struct conv *c)
{
	eap_server_free(c->owner.s);
	SSL_CTX_free(c->ctx);
	X509_free(c->server_ca);
	EVP_PKEY_free(c->server_ca_key);
	X509_free(c->client_ca);
	EVP_PKEY_free(c->client_ca_key);
	eap_secrets_clear(&c->secrets);
	peer_free(&c->peer);
	for (unsigned i = 0; i < c->owner.n_answers; i++)
		free((void *)c->owner.answers[i].ptr);
}

/* One round trip: the peer takes the last packet and answers it (unless
 * it was the end); then the owner acts.  False once the conversation has
 * ended or stalled. */
static bool
conv_step(struct conv *c)
{
	unsigned sends = c->owner.sends;
	int rc = peer_take(&c->peer, (struct bytes){c->owner.req, c->owner.req_len});
	if (c->peer.success || c->peer.failure)
		return false;
	ck_assert_msg(rc == 0 && c->peer.resp_new, "the peer refused (%d): %s", rc, c->peer.reason);
	c->last_rc = eap_server_receive(c->owner.s, (struct bytes){c->peer.resp, c->peer.resp_len});
	owner_act(&c->owner);
	if (c->owner.sends == sends)
		return false;
	return true;
}

static void
conv_run(struct conv *c)
{
	for (unsigned i = 0; i < 200 && conv_step(c); i++)
		;
}

/* The server's EAP-Failure answering the last Response, its done() with
 * reason, and nothing taken after. */
static void
assert_server_failure(struct conv *c, const char *reason)
{
	ck_assert_msg(c->peer.failure, "no EAP-Failure; log %s", c->peer.log);
	ck_assert_uint_eq(c->peer.end_id, c->peer.last_response_id);
	ck_assert_uint_eq(c->owner.dones, 1);
	ck_assert(!c->owner.success);
	ck_assert_str_eq(c->owner.reason, reason);
	ck_assert_int_lt(c->last_rc, 0);
	/* Nothing more is taken. */
	const uint8_t late[] = {EAP_RESPONSE, c->peer.last_response_id, 0, 6, EAP_TYPE_TTLS, 0};
	ck_assert_int_eq(eap_server_receive(c->owner.s, (struct bytes){late, sizeof(late)}), TNC_ESTATE);
	ck_assert_uint_eq(c->owner.dones, 1);
}

/* The same, and the peer took the EAP-Failure as the server's answer. */
static void
assert_failure(struct conv *c, const char *reason)
{
	assert_server_failure(c, reason);
	ck_assert_uint_eq(c->peer.dones, 1);
	ck_assert(!c->peer.done_success);
	ck_assert_msg(strncmp(c->peer.reason, "the server sent EAP-Failure", 27) == 0, "%s",
	    c->peer.reason);
}

/* The server's done() with success, once, and the peer's EAP-Success with
 * the server's MSK and EMSK. */
static void
assert_success(struct conv *c)
{
	ck_assert_uint_eq(c->owner.dones, 1);
	ck_assert(c->owner.success);
	ck_assert_str_eq(c->owner.reason, "");
	ck_assert(c->peer.success);
	ck_assert_uint_eq(c->peer.dones, 1);
	ck_assert(c->peer.done_success);
	ck_assert_mem_eq(c->owner.keys.msk, c->peer.keys.msk, EAP_MSK_LEN);
	ck_assert_mem_eq(c->owner.keys.emsk, c->peer.keys.emsk, EAP_EMSK_LEN);
}

static void
assert_batches_exchanged(struct conv *c, unsigned peer_n, unsigned owner_n)
{
	ck_assert_uint_eq(c->owner.n_got, peer_n);
	for (unsigned i = 0; i < peer_n; i++) {
		ck_assert_uint_eq(c->owner.got_len[i], c->peer.batches[i].len);
		ck_assert_mem_eq(c->owner.got[i], c->peer.batches[i].ptr, c->peer.batches[i].len);
	}
	ck_assert_uint_eq(c->peer.n_got, owner_n);
	for (unsigned i = 0; i < owner_n; i++) {
		ck_assert_uint_eq(c->peer.got_len[i], c->owner.answers[i].len);
		ck_assert_mem_eq(c->peer.got[i], c->owner.answers[i].ptr, c->owner.answers[i].len);
	}
}

START_TEST(test_seed_flow_success)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	conv_start(&c);
	conv_run(&c);
	/* Identity, MD5, the Start, 2 ACKs of the peer's 3 fragments; the
	 * server's 800 octets in 3 fragments (the first with L); its 50. */
	ck_assert_str_eq(c.peer.log, "I5SaaFfll");
	ck_assert_uint_eq(c.owner.opens, 1);
	ck_assert_str_eq(c.owner.identity, "carol@strongswan.org");
	ck_assert_int_eq(eap_server_identity_auth(c.owner.s), EAP_SERVER_ID_MD5);
	assert_batches_exchanged(&c, 3, 2);
	ck_assert_uint_eq(c.peer.end_id, c.peer.last_response_id);
	assert_success(&c);
	static const uint8_t zero[EAP_MSK_LEN];
	ck_assert(memcmp(c.owner.keys.msk, zero, EAP_MSK_LEN) != 0);
	/* In the tunnel: the ACK of the server's Finished, then one Response
	 * per tunneled Request above. */
	ck_assert_uint_eq(c.peer.tunnel_responses, 10);
	/* After the end: TNC_ESTATE. */
	ck_assert_int_eq(eap_server_tnc_finish(c.owner.s, true), TNC_ESTATE);
	ck_assert_int_eq(eap_server_tnc_batch(c.owner.s, c.owner.answers[1]), TNC_ESTATE);
	conv_free(&c);
}
END_TEST

/* No access: the server's last batch is delivered, then EAP-Failure. */
START_TEST(test_no_access)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.owner.access = false;
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I5SaaFfll");
	assert_batches_exchanged(&c, 3, 2);
	ck_assert_msg(c.peer.failure, "log %s", c.peer.log);
	ck_assert_uint_eq(c.owner.dones, 1);
	ck_assert(!c.owner.success);
	ck_assert_str_eq(c.owner.reason, "the TNC result for 'carol@strongswan.org' is no access");
	conv_free(&c);
}
END_TEST

/* The result right after the server's last batch: it waits for the
 * peer's Response to that batch. */
START_TEST(test_finish_after_last_batch_delivered)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.owner.finish_early = true;
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I5SaaFfll");
	/* The peer's Close came after the result: not handed on. */
	assert_batches_exchanged(&c, 2, 2);
	ck_assert_uint_eq(c.peer.next_batch, 3);
	assert_success(&c);
	conv_free(&c);
}
END_TEST

START_TEST(test_md5_wrong_secret)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.peer.secret = "Ar3etTnq";
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I5");
	assert_failure(&c, "EAP-MD5 authentication of 'carol@strongswan.org' failed: wrong response");
	ck_assert_uint_eq(c.owner.opens, 0);
	ck_assert_int_eq(eap_server_identity_auth(c.owner.s), EAP_SERVER_ID_UNAUTHENTICATED);
	conv_free(&c);
}
END_TEST

START_TEST(test_md5_unknown_identity)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.peer.identity = "mallory@strongswan.org";
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I5");
	assert_failure(&c,
	    "EAP-MD5 authentication of 'mallory@strongswan.org' failed: no secret for this identity");
	ck_assert_uint_eq(c.owner.opens, 0);
	conv_free(&c);
}
END_TEST

/* The peer's first batch runs past the bound, announced by no L. */
START_TEST(test_oversized_peer_batch)
{
	struct conv c;
	conv_init(&c);
	c.peer.batches[0] = make_batch(MAX_BATCH + 1, 0x11);
	c.peer.n_batches = 1;
	conv_start(&c);
	conv_run(&c);
	/* 16 full fragments (4000 octets) taken and acknowledged, the 17th
	 * refused. */
	ck_assert_str_eq(c.peer.log, "I5Saaaaaaaaaaaaaaaa");
	assert_failure(&c, "EAP-TNC fragment: EAP fragments run past the bound on a message at offset 6");
	ck_assert_uint_eq(c.owner.n_got, 0);
	conv_free(&c);
}
END_TEST

/* A conversation at tnc-tnccs's turn: the peer's one batch (100 octets)
 * handed on, tnc-tnccs (passive) not answering it by itself. */
static void
conv_owner_turn(struct conv *c)
{
	conv_init(c);
	c->peer.batches[0] = make_batch(100, 0x11);
	c->peer.n_batches = 1;
	c->owner.passive = true;
	conv_start(c);
	conv_run(c);
	ck_assert_uint_eq(c->owner.n_got, 1);
}

/* tnc-tnccs's batch over the bound. */
START_TEST(test_oversized_owner_batch)
{
	struct conv c;
	conv_owner_turn(&c);
	ck_assert_uint_eq(c.owner.dones, 0);
	struct bytes big = make_batch(MAX_BATCH + 1, 0x44);
	ck_assert_int_eq(eap_server_tnc_batch(c.owner.s, big), TNC_ETOOLONG);
	free((void *)big.ptr);
	peer_take(&c.peer, (struct bytes){c.owner.req, c.owner.req_len});
	c.last_rc = TNC_ETOOLONG;
	assert_failure(&c, "PB-TNC batch for the peer of 4001 octets (1 to 4000 allowed)");
	conv_free(&c);
}
END_TEST

static void
assert_identity_refused(const char *identity, const char *reason)
{
	struct conv c;
	conv_init(&c);
	c.peer.identity = identity;
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I");
	assert_failure(&c, reason);
	conv_free(&c);
}

START_TEST(test_identity_refused)
{
	assert_identity_refused("", "empty EAP-Identity");
	/* The identity starts at offset 5 of the tunneled packet. */
	assert_identity_refused("caro\001l", "EAP-Identity holds a control character at offset 9");
	assert_identity_refused("caro\377l", "EAP-Identity is not UTF-8");
}
END_TEST

/* tnc-tnccs sends a second batch before the peer answered the first:
 * refused (PB-TNC is half duplex). */
START_TEST(test_owner_batch_out_of_turn)
{
	struct conv c;
	conv_owner_turn(&c);
	struct bytes b = make_batch(800, 0x44);
	ck_assert_int_eq(eap_server_tnc_batch(c.owner.s, b), 0);
	unsigned sends = c.owner.sends;
	ck_assert_int_eq(eap_server_tnc_batch(c.owner.s, b), TNC_ESTATE);
	free((void *)b.ptr);
	ck_assert_uint_eq(c.owner.sends, sends + 1); /* the EAP-Failure */
	ck_assert_uint_eq(c.owner.dones, 1);
	ck_assert_str_eq(c.owner.reason, "a PB-TNC batch for the peer while the peer's Response is due");
	conv_free(&c);
}
END_TEST

/* A misbehaving peer: its TLS connection answers the tunneled EAP-MD5
 * Request (in the server's last packet, unfragmented) with an
 * EAP-Identity Response, in place of the peer library. */
static void
answer_md5_with_identity(struct conv *c)
{
	SSL *ssl = eap_peer_ssl(c->peer.p);
	struct eap_packet e, inner;
	struct eap_frag f;
	struct parse_error pe;
	ck_assert_int_eq(eap_parse(c->owner.req, c->owner.req_len, &e, &pe), 0);
	ck_assert_int_eq(eap_ttls_parse(&e, &f, &pe), 0);
	ck_assert_int_eq(f.flags, 0);
	ck_assert_int_eq(BIO_write(SSL_get_rbio(ssl), f.data.ptr, (int)f.data.len), (int)f.data.len);
	uint8_t buf[1024];
	int n = SSL_read(ssl, buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	struct bytes eap;
	ck_assert_int_eq(ttls_avp_find_eap_message((struct bytes){buf, (size_t)n}, &eap, &pe), 0);
	ck_assert_int_eq(eap_parse(eap.ptr, eap.len, &inner, &pe), 0);
	ck_assert_int_eq(inner.type, EAP_TYPE_MD5);
	peer_log(&c->peer, '5');
	struct wire_writer w, avp;
	wire_writer_init(&w, PKT_MAX);
	wire_writer_init(&avp, PKT_MAX);
	eap_put(&avp, &(struct eap_packet){.code = EAP_RESPONSE, .id = inner.id,
	    .type = EAP_TYPE_IDENTITY, .data = {(const uint8_t *)"x", 1}});
	ck_assert_int_eq(wire_writer_status(&avp), 0);
	eap = (struct bytes){avp.buf, avp.len};
	ttls_avp_put_eap_message(&w, eap);
	ck_assert_int_eq(SSL_write(ssl, w.buf, (int)w.len), (int)w.len);
	n = BIO_read(SSL_get_wbio(ssl), buf, sizeof(buf));
	ck_assert_int_gt(n, 0);
	wire_writer_clear(&w);
	wire_writer_init(&w, PKT_MAX);
	eap_frag_put(&w, EAP_RESPONSE, e.id, EAP_TYPE_TTLS,
	    &(struct eap_frag){.version = EAP_TTLS_VERSION, .data = {buf, (size_t)n}});
	ck_assert_int_eq(wire_writer_status(&w), 0);
	c->peer.last_response_id = e.id;
	c->last_rc = eap_server_receive(c->owner.s, (struct bytes){w.buf, w.len});
	wire_writer_clear(&w);
	wire_writer_clear(&avp);
}

/* An Identity Response where the MD5 one was due, inside the tunnel. */
START_TEST(test_wrong_inner_type)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	conv_start(&c);
	while (strcmp(c.peer.log, "I") != 0)
		ck_assert(conv_step(&c));
	answer_md5_with_identity(&c);
	ck_assert_str_eq(c.peer.log, "I5");
	/* The library peer never answered that Request: the EAP-Failure is
	 * checked as it comes. */
	peer_see_end(&c.peer, (struct bytes){c.owner.req, c.owner.req_len});
	assert_server_failure(&c, "tunneled EAP Response of type EAP_IDENTITY where EAP_MD5 was due");
	conv_free(&c);
}
END_TEST

/* An outer EAP-MD5 Response in the middle of the handshake. */
START_TEST(test_wrong_outer_type)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	conv_start(&c);
	ck_assert(conv_step(&c)); /* the ClientHello */
	peer_take(&c.peer, (struct bytes){c.owner.req, c.owner.req_len});
	/* In place of the peer's Response to that Request. */
	uint8_t md5[EAP_TYPE_HEADER_LEN + 1 + EAP_MD5_RESPONSE_LEN] = {EAP_RESPONSE,
	    c.peer.last_response_id, 0, sizeof(md5), EAP_TYPE_MD5, EAP_MD5_RESPONSE_LEN};
	c.last_rc = eap_server_receive(c.owner.s, (struct bytes){md5, sizeof(md5)});
	ck_assert_int_eq(c.last_rc, TNC_ETYPE);
	peer_take(&c.peer, (struct bytes){c.owner.req, c.owner.req_len});
	assert_failure(&c, "EAP Response of type EAP_MD5 where EAP_TTLS was due");
	conv_free(&c);
}
END_TEST

/* A retransmission (the last Request's Identifier, already answered) and
 * a stale Identifier are discarded, the conversation unchanged. */
START_TEST(test_stale_identifier_discarded)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	conv_start(&c);
	ck_assert(conv_step(&c));
	uint8_t stale[] = {EAP_RESPONSE, c.peer.last_response_id, 0, 6, EAP_TYPE_TTLS, 0};
	ck_assert_int_eq(eap_server_receive(c.owner.s, (struct bytes){stale, sizeof(stale)}), TNC_EAGAIN);
	stale[1]--;
	ck_assert_int_eq(eap_server_receive(c.owner.s, (struct bytes){stale, sizeof(stale)}), TNC_EAGAIN);
	ck_assert_uint_eq(c.owner.dones, 0);
	conv_run(&c);
	ck_assert(c.peer.success);
	ck_assert_uint_eq(c.owner.dones, 1);
	conv_free(&c);
}
END_TEST

START_TEST(test_round_trip_bound)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.cfg.max_round_trips = 5;
	conv_start(&c);
	conv_run(&c);
	ck_assert_uint_eq(c.peer.responses, 6);
	assert_failure(&c, "no result after 5 round trips");
	conv_free(&c);
}
END_TEST

/* TLS 1.3 when allowed: the server's handshake ends on the peer's
 * Finished, so the Identity Request goes with that answer; RFC 9427's MSK. */
START_TEST(test_tls13)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.cfg.ttls.max_tls_version = TLS1_3_VERSION;
	conv_start(&c);
	conv_run(&c);
	ck_assert_int_eq(SSL_version(eap_peer_ssl(c.peer.p)), TLS1_3_VERSION);
	ck_assert_str_eq(c.peer.log, "I5SaaFfll");
	assert_batches_exchanged(&c, 3, 2);
	/* The Response with the peer's Finished (its handshake is done once
	 * sent), then one per tunneled Request: no ACK of a Finished. */
	ck_assert_uint_eq(c.peer.tunnel_responses, 1 + 9);
	assert_success(&c);
	conv_free(&c);
}
END_TEST

/* PT-EAP as the carrier: one packet per batch, no fragments. */
START_TEST(test_pt_eap)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.cfg.tnc_type = EAP_TYPE_PT_EAP;
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I5Sll");
	assert_batches_exchanged(&c, 3, 2);
	assert_success(&c);
	conv_free(&c);
}
END_TEST

/* MD5 only: success after the MD5 Response, no TNCCS connection. */
START_TEST(test_md5_only)
{
	struct conv c;
	conv_init(&c);
	c.cfg.tnc_type = 0;
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "I5");
	ck_assert_uint_eq(c.owner.opens, 0);
	assert_success(&c);
	conv_free(&c);
}
END_TEST

/* TNC without MD5: the identity is reported unauthenticated. */
START_TEST(test_tnc_only)
{
	struct conv c;
	conv_init(&c);
	conv_script_batches(&c);
	c.cfg.md5_secrets = NULL;
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "ISaaFfll");
	ck_assert_str_eq(c.owner.identity, "carol@strongswan.org");
	ck_assert_int_eq(eap_server_identity_auth(c.owner.s), EAP_SERVER_ID_UNAUTHENTICATED);
	ck_assert(c.peer.success);
	conv_free(&c);
}
END_TEST

/* The peer's certificate from issuer, with subject CN cn. */
static void
peer_use_cert(struct peer *p, const char *cn, X509 *issuer, EVP_PKEY *issuer_key)
{
	p->cert = tl_x509_cert(cn, &p->key, issuer, issuer_key);
}

/* A conversation whose server requests client certificates from its CA
 * "strongSec Root CA" (c->client_ca). */
static void
conv_init_client_ca(struct conv *c)
{
	conv_init(c);
	c->client_ca = tl_x509_cert("strongSec Root CA", &c->client_ca_key, NULL, NULL);
	SSL_CTX_free(c->ctx);
	c->ctx = server_ctx(c->client_ca, c->server_ca, c->server_ca_key);
	c->cfg.tls_ctx = c->ctx;
}

/* The second seed: a verified client certificate is the identity; no
 * EAP-Identity or EAP-MD5, EAP-TNC at once. */
START_TEST(test_client_certificate)
{
	struct conv c;
	conv_init_client_ca(&c);
	conv_script_batches(&c);
	peer_use_cert(&c.peer, "mijas.strongsec.com", c.client_ca, c.client_ca_key);
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "SaaFfll");
	ck_assert_uint_eq(c.owner.opens, 1);
	ck_assert_str_eq(c.owner.identity, "mijas.strongsec.com");
	ck_assert_int_eq(eap_server_identity_auth(c.owner.s), EAP_SERVER_ID_CERTIFICATE);
	assert_batches_exchanged(&c, 3, 2);
	assert_success(&c);
	conv_free(&c);
}
END_TEST

/* A certificate and no TNC: the end comes once the peer has taken the
 * server's Finished (the Response to it), not before. */
START_TEST(test_client_certificate_only)
{
	struct conv c;
	conv_init_client_ca(&c);
	c.cfg.tnc_type = 0;
	peer_use_cert(&c.peer, "mijas.strongsec.com", c.client_ca, c.client_ca_key);
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "");
	ck_assert(SSL_is_init_finished(eap_peer_ssl(c.peer.p)));
	ck_assert_uint_eq(c.peer.tunnel_responses, 1);
	assert_success(&c);
	conv_free(&c);
}
END_TEST

/* A subject without a commonName: the whole subject, RFC 2253. */
START_TEST(test_client_certificate_without_cn)
{
	struct conv c;
	conv_init_client_ca(&c);
	c.peer.batches[0] = make_batch(100, 0x11);
	c.peer.n_batches = 1;
	c.owner.passive = true;
	peer_use_cert(&c.peer, NULL, c.client_ca, c.client_ca_key);
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "S");
	ck_assert_uint_eq(c.owner.opens, 1);
	ck_assert_str_eq(c.owner.identity, "O=strongSec");
	ck_assert_int_eq(eap_server_identity_auth(c.owner.s), EAP_SERVER_ID_CERTIFICATE);
	ck_assert_uint_eq(c.owner.n_got, 1);
	conv_free(&c);
}
END_TEST

/* A certificate from another CA fails the handshake (the context's
 * verification). */
START_TEST(test_client_certificate_untrusted)
{
	EVP_PKEY *other_key;
	X509 *other = tl_x509_cert("Other CA", &other_key, NULL, NULL);
	struct conv c;
	conv_init_client_ca(&c);
	conv_script_batches(&c);
	peer_use_cert(&c.peer, "mijas.strongsec.com", other, other_key);
	conv_start(&c);
	conv_run(&c);
	ck_assert_str_eq(c.peer.log, "");
	assert_failure(&c, "TLS handshake: TLS error: certificate verify failed");
	ck_assert_uint_eq(c.owner.opens, 0);
	conv_free(&c);
	X509_free(other);
	EVP_PKEY_free(other_key);
}
END_TEST

START_TEST(test_config_refused)
{
	struct conv c;
	conv_init(&c);
	struct eap_server *s = NULL;
	struct eap_server_config cfg = c.cfg;
	cfg.md5_secrets = NULL;
	cfg.tnc_type = 0;
	ck_assert_int_eq(eap_server_new(&cfg, &ops, &c.owner, &s), TNC_EINVALID);
	cfg = c.cfg;
	cfg.tnc_fragment = cfg.ttls.inner - 9; /* the packet would be 1 over */
	ck_assert_int_eq(eap_server_new(&cfg, &ops, &c.owner, &s), TNC_EINVALID);
	cfg.tnc_fragment = cfg.ttls.inner - 10;
	ck_assert_int_eq(eap_server_new(&cfg, &ops, &c.owner, &s), 0);
	eap_server_free(s);
	cfg = c.cfg;
	cfg.tnc_type = EAP_TYPE_TTLS;
	ck_assert_int_eq(eap_server_new(&cfg, &ops, &c.owner, &s), TNC_EINVALID);
	cfg = c.cfg;
	cfg.max_round_trips = 0;
	ck_assert_int_eq(eap_server_new(&cfg, &ops, &c.owner, &s), TNC_EINVALID);
	conv_free(&c);
}
END_TEST

/* codec/eap_frag: a first fragment with M but no L only when the
 * reassembler allows it; then the fragment without M ends the message,
 * within max_len, and no later fragment may bring L. */
static int
reasm_add(struct eap_reasm *r, uint8_t flags, uint32_t msg_len, size_t n, bool *complete,
    struct parse_error *pe)
{
	static const uint8_t data[64];
	struct eap_frag f = {.flags = flags, .version = 1, .msg_len = msg_len, .data = {data, n}};
	return eap_reasm_add(r, &f, complete, pe);
}

START_TEST(test_reasm_length_optional)
{
	struct eap_reasm r;
	struct parse_error pe = {0};
	bool complete;
	eap_reasm_init(&r, 100);
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_M, 0, 40, &complete, &pe), TNC_EINVALID);
	ck_assert_str_eq(pe.reason, "EAP first fragment without the L flag");
	eap_reasm_clear(&r);

	eap_reasm_init(&r, 100);
	r.length_optional = true;
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_M, 0, 40, &complete, &pe), 0);
	ck_assert(!complete);
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_M, 0, 40, &complete, &pe), 0);
	ck_assert_int_eq(reasm_add(&r, 0, 0, 20, &complete, &pe), 0);
	ck_assert(complete);
	ck_assert_uint_eq(eap_reasm_message(&r).len, 100);
	eap_reasm_next(&r);
	ck_assert(r.length_optional);
	/* An announced message still works, and so does an unfragmented one. */
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_L | EAP_FRAG_FLAG_M, 50, 30, &complete, &pe), 0);
	ck_assert_int_eq(reasm_add(&r, 0, 0, 20, &complete, &pe), 0);
	ck_assert(complete);
	eap_reasm_next(&r);
	ck_assert_int_eq(reasm_add(&r, 0, 0, 10, &complete, &pe), 0);
	ck_assert(complete);
	ck_assert_uint_eq(eap_reasm_message(&r).len, 10);
	eap_reasm_next(&r);
	/* One octet past max_len. */
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_M, 0, 60, &complete, &pe), 0);
	ck_assert_int_eq(reasm_add(&r, 0, 0, 41, &complete, &pe), TNC_ETOOLONG);
	ck_assert_str_eq(pe.reason, "EAP fragments run past the bound on a message");
	ck_assert_int_eq(r.state, EAP_REASM_FAILED);
	eap_reasm_clear(&r);
	/* L on a later fragment of an unannounced message. */
	eap_reasm_init(&r, 100);
	r.length_optional = true;
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_M, 0, 10, &complete, &pe), 0);
	ck_assert_int_eq(reasm_add(&r, EAP_FRAG_FLAG_L, 20, 10, &complete, &pe), TNC_EINVALID);
	ck_assert_str_eq(pe.reason, "EAP Message Length on a later fragment of a message without one");
	eap_reasm_clear(&r);
}
END_TEST

static Suite *
eap_server_suite(void)
{
	Suite *s = suite_create("eap_server");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_seed_flow_success);
	tcase_add_test(tc, test_no_access);
	tcase_add_test(tc, test_finish_after_last_batch_delivered);
	tcase_add_test(tc, test_md5_wrong_secret);
	tcase_add_test(tc, test_md5_unknown_identity);
	tcase_add_test(tc, test_oversized_peer_batch);
	tcase_add_test(tc, test_oversized_owner_batch);
	tcase_add_test(tc, test_identity_refused);
	tcase_add_test(tc, test_owner_batch_out_of_turn);
	tcase_add_test(tc, test_wrong_inner_type);
	tcase_add_test(tc, test_wrong_outer_type);
	tcase_add_test(tc, test_stale_identifier_discarded);
	tcase_add_test(tc, test_round_trip_bound);
	tcase_add_test(tc, test_tls13);
	tcase_add_test(tc, test_pt_eap);
	tcase_add_test(tc, test_md5_only);
	tcase_add_test(tc, test_tnc_only);
	tcase_add_test(tc, test_client_certificate);
	tcase_add_test(tc, test_client_certificate_only);
	tcase_add_test(tc, test_client_certificate_without_cn);
	tcase_add_test(tc, test_client_certificate_untrusted);
	tcase_add_test(tc, test_config_refused);
	tcase_add_test(tc, test_reasm_length_optional);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(eap_server_suite());
}
