/* test_ike_sa_cert.c - the responder SA (ike/ikev2_sa/) authenticating
 * with its certificate (RFC 7296 2.16) to a peer that does not ask for
 * EAP-only authentication, driven by the initiator library
 * (client/ike_initiator/) over an in-memory link: [ IDr CERT AUTH EAP ]
 * first, RFC 7427's method when the peer announced SHA-2 hashes, the key's
 * classic one otherwise (ECDSA 9, RSA 1); the initiator refusing a
 * signature of another key, an untrusted certificate and one not naming
 * the IDr; an EAP-only peer still getting [ IDr EAP ].  The EAP
 * conversation is Identity then Success with a fixed MSK. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "eap.h"
#include "ike_initiator.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_dh.h"
#include "ikev2_prf.h"
#include "ikev2_sig.h"
#include "testlib.h"

#define MAX_MSG 65536u
#define QUEUE 16
#define T0 1000u

static struct bytes
B(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

static uint64_t rnd = 0x9e3779b97f4a7c15ull;
static int
test_random(void *arg, uint8_t *buf, size_t len)
{
	for (size_t k = 0; k < len; k++) {
		rnd ^= rnd << 13;
		rnd ^= rnd >> 7;
		rnd ^= rnd << 17;
		buf[k] = (uint8_t)rnd;
	}
	return 0;
}

static const struct ike_suite_cfg suites[] = {
	{IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_ECP_256},
};
static const struct ike_esp_cfg esp[] = {
	{IKEV2_ENCR_AES_CBC, 256, IKEV2_INTEG_HMAC_SHA2_256_128},
};
static const struct ike_conn_cfg conns[] = {{
	.name = "rw-allow",
	.local_ts = {0x0a010000, 0x0a01000f, 0, 0, 65535},
	.remote_ts = {0, 0xffffffffu, 0, 0, 65535},
	.esp = esp, .esp_count = 1, .lifetime_s = 3600,
}};
static const char gw_id[] = "moon.strongswan.org";

static const struct ikev2_transform_spec ike_t[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256},
	{IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
};
static const struct ike_initiator_proposal ike_props[] = {{ike_t, 3}};
static const struct ikev2_transform_spec esp_t[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_CBC, 256},
	{IKEV2_TRANS_INTEG, IKEV2_INTEG_HMAC_SHA2_256_128, 0},
	{IKEV2_TRANS_ESN, 0, 0},
};
static const struct ike_initiator_proposal esp_props[] = {{esp_t, 3}};
static const uint8_t any_s[4] = {0, 0, 0, 0}, any_e[4] = {255, 255, 255, 255};
static const struct ikev2_ts any4 = {IKEV2_TS_IPV4_ADDR_RANGE, 0, 0, 65535, {any_s, 4},
    {any_e, 4}};
static const char my_id[] = "carol@strongswan.org";
/* strongSwan's list: SHA-1, SHA2-256, -384, -512, Identity */
static const uint8_t hash_algs[] = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5};

static const uint8_t msk[64] = "sixty-four octets of MSK, as an EAP method would export them...";

struct queue {
	uint8_t msg[QUEUE][2048];
	size_t len[QUEUE], count;
};

static struct {
	struct ike_sa_config rcfg;
	struct ike_initiator_config icfg;
	struct ike_sa *sa;
	struct ike_initiator *i;
	struct queue to_i, to_r;
	char first_answer[160]; /* the summary of our IKE_AUTH response 1 */
	int auth_method;        /* of its AUTH; -1 none */
	bool i_established;
	char reason[160], i_reason[160];
} t;

/* A self-signed certificate for key naming san (a CA, as tnc-ike's own). */
static X509 *
self_signed(EVP_PKEY *key, const char *san)
{
	X509 *c = X509_new();
	X509V3_CTX v3;
	ck_assert_ptr_nonnull(c);
	X509_set_version(c, 2);
	ASN1_INTEGER_set(X509_get_serialNumber(c), 1);
	X509_gmtime_adj(X509_getm_notBefore(c), -60);
	X509_gmtime_adj(X509_getm_notAfter(c), 3600);
	X509_set_pubkey(c, key);
	X509_NAME_add_entry_by_txt(X509_get_subject_name(c), "CN", MBSTRING_ASC,
	    (const unsigned char *)"gateway", -1, -1, 0);
	X509_set_issuer_name(c, X509_get_subject_name(c));
	X509V3_set_ctx(&v3, c, c, NULL, NULL, 0);
	const char *const exts[][2] = {{"subjectAltName", san}, {"basicConstraints", "critical,CA:TRUE"}};
	for (size_t k = 0; k < 2; k++) {
		X509_EXTENSION *e = X509V3_EXT_conf(NULL, &v3, exts[k][0], exts[k][1]);
		ck_assert_ptr_nonnull(e);
		X509_add_ext(c, e, -1);
		X509_EXTENSION_free(e);
	}
	ck_assert_int_gt(X509_sign(c, key, EVP_sha256()), 0);
	return c;
}

/* The gateway's credentials and the peer's trust in them. */
struct creds {
	EVP_PKEY *key, *sign_key; /* sign_key: the certificate's unless a test swaps it */
	X509 *cert;
	uint8_t *der;
	int der_len;
	X509_STORE *trust;
};

static void
creds_make(struct creds *c, EVP_PKEY *key, const char *san)
{
	memset(c, 0, sizeof(*c));
	c->key = c->sign_key = key;
	c->cert = self_signed(key, san);
	c->der_len = i2d_X509(c->cert, &c->der);
	ck_assert_int_gt(c->der_len, 0);
	c->trust = X509_STORE_new();
	ck_assert_int_eq(X509_STORE_add_cert(c->trust, c->cert), 1);
}

static void
creds_free(struct creds *c)
{
	if (c->sign_key != c->key)
		EVP_PKEY_free(c->sign_key);
	EVP_PKEY_free(c->key);
	X509_free(c->cert);
	OPENSSL_free(c->der);
	X509_STORE_free(c->trust);
}

static void
enqueue(struct queue *q, const uint8_t *msg, size_t len)
{
	ck_assert_uint_lt(q->count, QUEUE);
	ck_assert_uint_le(len, sizeof(q->msg[0]));
	memcpy(q->msg[q->count], msg, len);
	q->len[q->count++] = len;
}

static void
r_send(void *arg, const uint8_t *msg, size_t len)
{
	enqueue(&t.to_i, msg, len);
}

static const uint8_t identity_request[] = {EAP_REQUEST, 1, 0, 5, EAP_TYPE_IDENTITY};

static void
r_eap_start(void *arg, struct bytes peer_id)
{
	(void)ike_sa_eap_request(t.sa, B(identity_request, sizeof(identity_request)));
}

static void
r_eap_response(void *arg, struct bytes eap)
{
	const uint8_t success[4] = {EAP_SUCCESS, 1, 0, 4};
	ck_assert_int_eq(ike_sa_eap_request(t.sa, B(success, 4)), 0);
	ck_assert_int_eq(ike_sa_eap_done(t.sa, true, B(msk, sizeof(msk)), "rw-allow"), 0);
}

static void
r_child(void *arg, const struct ike_child_sa *c)
{
}

static void
r_closed(void *arg, const char *reason)
{
	snprintf(t.reason, sizeof(t.reason), "%s", reason);
}

/* Keeps our first IKE_AUTH answer's summary and AUTH method. */
static void
r_message(void *arg, bool sent, const struct ikev2_header *h, const struct ikev2_chain *inner)
{
	struct ikev2_iter it;
	struct ikev2_payload p;

	if (!sent || h->exchange != IKEV2_IKE_AUTH || h->message_id != 1)
		return;
	ikev2_summary(h, inner, t.first_answer, sizeof(t.first_answer));
	ikev2_iter_init(&it, inner);
	while (ikev2_iter_next(&it, &p))
		if (p.type == IKEV2_PL_AUTH)
			t.auth_method = p.u.auth.method;
}

static const struct ike_sa_ops rops = {.send = r_send, .eap_start = r_eap_start,
    .eap_response = r_eap_response, .child_up = r_child, .child_down = r_child,
    .closed = r_closed, .message = r_message};

static void
i_send(void *arg, const uint8_t *msg, size_t len)
{
	enqueue(&t.to_r, msg, len);
}

static void
i_eap_request(void *arg, struct bytes eap)
{
	static const uint8_t identity[] = {EAP_RESPONSE, 1, 0, 9, EAP_TYPE_IDENTITY, 'c', 'a', 'r',
	    'o'};
	if (eap.ptr[0] == EAP_REQUEST)
		ck_assert_int_eq(ike_initiator_eap_response(t.i, B(identity, sizeof(identity)), T0), 0);
	else if (eap.ptr[0] == EAP_SUCCESS)
		ck_assert_int_eq(ike_initiator_eap_done(t.i, B(msk, sizeof(msk)), T0), 0);
}

static void
i_established(void *arg, const struct ike_initiator_child *c)
{
	ck_assert_ptr_nonnull(c);
	t.i_established = true;
}

static void
i_failed(void *arg, const char *reason)
{
	snprintf(t.i_reason, sizeof(t.i_reason), "%s", reason);
}

static const struct ike_initiator_ops iops = {.send = i_send, .eap_request = i_eap_request,
    .established = i_established, .failed = i_failed};

static void
pump(void)
{
	while (t.to_i.count || t.to_r.count) {
		struct queue q = t.to_r;
		t.to_r.count = 0;
		for (size_t k = 0; k < q.count; k++)
			(void)ike_sa_receive(t.sa, q.msg[k], q.len[k], T0);
		q = t.to_i;
		t.to_i.count = 0;
		for (size_t k = 0; k < q.count; k++)
			(void)ike_initiator_receive(t.i, q.msg[k], q.len[k], T0);
	}
}

/* Runs both sides to the end: the responder with c's credentials (NULL:
 * none), signing always or not, the peer EAP-only or not, announcing RFC
 * 7427 hashes or not, trusting trust. */
static void
run_signing(const struct creds *c, bool always, bool eap_only, bool hashes, X509_STORE *trust)
{
	struct ike_sa_params rp = {.cfg = &t.rcfg, .random = test_random, .now_ms = T0};
	struct ike_initiator_params ip = {.cfg = &t.icfg, .random = test_random};

	memset(&t, 0, sizeof(t));
	t.auth_method = -1;
	t.rcfg = (struct ike_sa_config){.suites = suites, .suite_count = 1, .conns = conns,
	    .conn_count = 1, .id_type = IKEV2_ID_FQDN,
	    .id = {(const uint8_t *)gw_id, sizeof(gw_id) - 1}, .max_msg_len = MAX_MSG,
	    .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16,
	    .ike_lifetime_s = 600, .half_open_ms = 30000, .sign_always = always};
	if (c) {
		t.rcfg.cert_der = B(c->der, (size_t)c->der_len);
		t.rcfg.sign_key = c->sign_key;
	}
	t.icfg = (struct ike_initiator_config){.ike = ike_props, .ike_count = 1,
	    .esp = esp_props, .esp_count = 1, .id_type = IKEV2_ID_RFC822_ADDR,
	    .id = {(const uint8_t *)my_id, sizeof(my_id) - 1}, .tsi = &any4, .tsi_count = 1,
	    .tsr = &any4, .tsr_count = 1, .eap_only = eap_only, .trust = trust,
	    .hash_algs = hashes ? B(hash_algs, sizeof(hash_algs)) : B(NULL, 0),
	    .max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 1280,
	    .max_fragments = 16, .retransmit_ms = 1000, .max_sends = 3};
	rp.local = (struct ike_endpoint){.addr_len = 4, .addr = {192, 168, 0, 1}, .port = 500};
	rp.remote = (struct ike_endpoint){.addr_len = 4, .addr = {192, 168, 0, 254}, .port = 500};
	ip.local = (struct ike_initiator_endpoint){.addr_len = 4, .addr = {192, 168, 0, 254},
	    .port = 500};
	ip.remote = (struct ike_initiator_endpoint){.addr_len = 4, .addr = {192, 168, 0, 1},
	    .port = 500};
	ck_assert_int_eq(ike_sa_new(&rp, &rops, NULL, &t.sa), 0);
	ck_assert_int_eq(ike_initiator_new(&ip, &iops, NULL, &t.i), 0);
	ck_assert_int_eq(ike_initiator_start(t.i, T0), 0);
	pump();
}

/* run_signing() without sign_always. */
static void
run(const struct creds *c, bool eap_only, bool hashes, X509_STORE *trust)
{
	run_signing(c, false, eap_only, hashes, trust);
}

static void
finish(void)
{
	ike_initiator_free(t.i);
	ike_sa_free(t.sa);
}

static void
expect_established(void)
{
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/ID ]");
	ck_assert_msg(ike_sa_established(t.sa), "responder: %s", ike_sa_reason(t.sa));
	ck_assert_msg(t.i_established, "initiator: %s", t.i_reason);
}

START_TEST(ecdsa_digital_signature_with_hashes)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:moon.strongswan.org");
	run(&c, false, true, c.trust);
	expect_established();
	ck_assert_int_eq(t.auth_method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	ck_assert_str_eq(ike_initiator_responder_signature(t.i), "ECDSA_WITH_SHA256_DER");
	const struct bytes idr = ike_initiator_responder_id(t.i);
	ck_assert_uint_eq(idr.len, sizeof(gw_id) - 1);
	ck_assert_mem_eq(idr.ptr, gw_id, idr.len);
	finish();
	creds_free(&c);
}
END_TEST

START_TEST(ecdsa_classic_without_hashes)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-384"), "DNS:moon.strongswan.org");
	run(&c, false, false, c.trust);
	expect_established();
	ck_assert_int_eq(t.auth_method, IKEV2_AUTH_ECDSA_384);
	ck_assert_str_eq(ike_initiator_responder_signature(t.i), "ECDSA-384");
	finish();
	creds_free(&c);
}
END_TEST

START_TEST(rsa_both_methods)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048),
	    "DNS:moon.strongswan.org");
	run(&c, false, false, c.trust);
	expect_established();
	ck_assert_int_eq(t.auth_method, IKEV2_AUTH_RSA_SIG);
	finish();
	run(&c, false, true, c.trust);
	expect_established();
	ck_assert_int_eq(t.auth_method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	finish();
	creds_free(&c);
}
END_TEST

/* The responder signs with a key that is not its certificate's: the
 * initiator refuses, tells the responder, which ends the half-open SA. */
START_TEST(signature_of_another_key_refused)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:moon.strongswan.org");
	c.sign_key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	run(&c, false, true, c.trust);
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/ID ]");
	ck_assert(!t.i_established);
	ck_assert_str_eq(t.i_reason, "responder AUTH: signature of the AUTH does not verify with "
				     "the certificate's key");
	ck_assert(!ike_sa_established(t.sa));
	ck_assert(ike_sa_closed(t.sa));
	finish();
	creds_free(&c);
}
END_TEST

START_TEST(untrusted_or_misnamed_certificate_refused)
{
	struct creds c, other;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:sun.strongswan.org");
	creds_make(&other, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:moon.strongswan.org");
	run(&c, false, true, c.trust);
	ck_assert(!t.i_established);
	ck_assert_str_eq(t.i_reason, "certificate of the responder: certificate does not name the "
				     "IDr");
	finish();
	run(&other, false, true, c.trust);
	ck_assert(!t.i_established);
	ck_assert_str_eq(t.i_reason, "certificate of the responder: self-signed certificate");
	finish();
	creds_free(&c);
	creds_free(&other);
}
END_TEST

/* A responder with a key still answers an EAP-only peer without CERT and
 * AUTH (RFC 5998); one without a key refuses a peer that is not. */
START_TEST(eap_only_unchanged_and_no_key_refused)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:moon.strongswan.org");
	run(&c, true, true, NULL);
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ IDr EAP/REQ/ID ]");
	ck_assert(ike_sa_established(t.sa));
	ck_assert(t.i_established);
	ck_assert_ptr_null(ike_initiator_responder_signature(t.i));
	finish();
	run(NULL, false, true, c.trust);
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ N(AUTH_FAILED) ]");
	ck_assert_str_eq(t.reason, "peer does not offer EAP-only authentication (RFC 5998) and we "
				   "have no certificate key for a signature AUTH");
	ck_assert_str_eq(t.i_reason, "responder refused IKE_AUTH: AUTHENTICATION_FAILED");
	finish();
	creds_free(&c);
}
END_TEST

/* ikev2_gateway_auth = pubkey: the certificate AUTH also for a peer that
 * offers EAP-only (as strongSwan always does; RFC 5998 lets the responder
 * choose); our initiator takes it with trust anchors, refuses it without. */
START_TEST(sign_always_to_an_eap_only_peer)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:moon.strongswan.org");
	run_signing(&c, true, true, true, c.trust);
	expect_established();
	ck_assert_int_eq(t.auth_method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	finish();
	run_signing(&c, true, true, true, NULL);
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/ID ]");
	ck_assert(!t.i_established);
	ck_assert_str_eq(t.i_reason, "responder AUTH before EAP ended");
	finish();
	creds_free(&c);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_sa_cert");
	TCase *tc = tcase_create("cert");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, ecdsa_digital_signature_with_hashes);
	tcase_add_test(tc, ecdsa_classic_without_hashes);
	tcase_add_test(tc, rsa_both_methods);
	tcase_add_test(tc, signature_of_another_key_refused);
	tcase_add_test(tc, untrusted_or_misnamed_certificate_refused);
	tcase_add_test(tc, eap_only_unchanged_and_no_key_refused);
	tcase_add_test(tc, sign_always_to_an_eap_only_peer);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
