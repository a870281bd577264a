/* test_ike_sa_cert.c - the responder SA (ike/ikev2_sa/) authenticating
 * with its certificate (RFC 7296 2.16) to a peer that does not ask for
 * EAP-only authentication, driven by the initiator library
 * (client/ike_initiator/) over an in-memory link (test_ike_link.h):
 * [ IDr CERT AUTH EAP ] first, RFC 7427's method when the peer announced
 * SHA-2 hashes, the key's classic one otherwise (ECDSA 9, RSA 1); the
 * initiator refusing a signature of another key, an untrusted certificate
 * and one not naming the IDr; an EAP-only peer still getting [ IDr EAP ].
 * The EAP conversation is Identity then Success with a fixed MSK. */
#include <stdio.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "ikev2_dh.h"
#include "ikev2_prf.h"
#include "ikev2_sig.h"
#include "test_ike_cert.h"
#include "test_ike_link.h"

static const struct ike_suite_cfg suites[] = {
	{IKEV2_ENCR_AES_GCM_16, 256, IKEV2_INTEG_NONE, IKEV2_PRF_HMAC_SHA2_256, IKEV2_DH_ECP_256},
};

static const struct ikev2_transform_spec ike_t[] = {
	{IKEV2_TRANS_ENCR, IKEV2_ENCR_AES_GCM_16, 256},
	{IKEV2_TRANS_PRF, IKEV2_PRF_HMAC_SHA2_256, 0},
	{IKEV2_TRANS_DH, IKEV2_DH_ECP_256, 0},
};
static const struct ike_initiator_proposal ike_props[] = {{ike_t, 3}};
/* strongSwan's list: SHA-1, SHA2-256, -384, -512, Identity */
static const uint8_t hash_algs[] = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5};

static struct {
	struct ike_sa_config rcfg;
	struct ike_initiator_config icfg;
	char first_answer[160]; /* the summary of our IKE_AUTH response 1 */
	int auth_method;        /* of its AUTH; -1 none */
	char reason[160];
} t;

/* The gateway's credentials and the peer's trust in them. */
struct creds {
	EVP_PKEY *key, *sign_key; /* sign_key: the certificate's unless a test swaps it */
	X509 *cert;
	uint8_t *der_buf;
	struct bytes der;
	X509_STORE *trust;
};

/* key's credentials: a self-signed certificate naming san (a CA, as
 * tnc-ike's own), its DER, and a trust store of it. */
static void
creds_make(struct creds *c, EVP_PKEY *key, const char *san)
{
	memset(c, 0, sizeof(*c));
	c->key = c->sign_key = key;
	c->cert = cert_for(key, "gateway", san, NULL, NULL);
	c->der = der_of(c->cert, &c->der_buf);
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
	OPENSSL_free(c->der_buf);
	X509_STORE_free(c->trust);
}

static void
r_eap_start(void *arg, struct bytes peer_id)
{
	(void)ike_sa_eap_request(ends.sa, B(identity_request, sizeof(identity_request)));
}

static void
r_eap_response(void *arg, struct bytes eap)
{
	const uint8_t success[4] = {EAP_SUCCESS, 1, 0, 4};
	ck_assert_int_eq(ike_sa_eap_request(ends.sa, B(success, 4)), 0);
	ck_assert_int_eq(ike_sa_eap_done(ends.sa, true, B(msk, sizeof(msk)), "rw-allow"), 0);
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

/* Runs both sides to the end: the responder with c's credentials (NULL:
 * none), signing always or not, the peer EAP-only or not, announcing RFC
 * 7427 hashes or not, trusting trust. */
static void
run_signing(const struct creds *c, bool always, bool eap_only, bool hashes, X509_STORE *trust)
{
	memset(&t, 0, sizeof(t));
	t.auth_method = -1;
	t.rcfg = (struct ike_sa_config){.suites = suites, .suite_count = 1, .conns = conns,
	    .conn_count = 1, .id_type = IKEV2_ID_FQDN,
	    .id = {(const uint8_t *)gw_id, sizeof(gw_id) - 1}, .max_msg_len = MAX_MSG,
	    .max_payloads = 64, .fragment_size = 1280, .max_fragments = 16,
	    .ike_lifetime_s = 600, .half_open_ms = 30000, .sign_always = always};
	if (c) {
		t.rcfg.cert_der = c->der;
		t.rcfg.sign_key = c->sign_key;
	}
	t.icfg = (struct ike_initiator_config){.ike = ike_props, .ike_count = 1,
	    .esp = esp_props, .esp_count = 1, .id_type = IKEV2_ID_RFC822_ADDR,
	    .id = {(const uint8_t *)my_id, sizeof(my_id) - 1}, .tsi = &any4, .tsi_count = 1,
	    .tsr = &any4, .tsr_count = 1, .eap_only = eap_only, .trust = trust,
	    .hash_algs = hashes ? B(hash_algs, sizeof(hash_algs)) : B(NULL, 0),
	    .max_msg_len = MAX_MSG, .max_payloads = 64, .fragment_size = 1280,
	    .max_fragments = 16, .retransmit_ms = 1000, .max_sends = 3};
	link_run(&t.rcfg, &rops, &t.icfg);
}

/* run_signing() without sign_always. */
static void
run(const struct creds *c, bool eap_only, bool hashes, X509_STORE *trust)
{
	run_signing(c, false, eap_only, hashes, trust);
}

static void
expect_established(void)
{
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ IDr CERT AUTH EAP/REQ/ID ]");
	ck_assert_msg(ike_sa_established(ends.sa), "responder: %s", ike_sa_reason(ends.sa));
	ck_assert_msg(ends.i_established, "initiator: %s", ends.i_reason);
}

START_TEST(ecdsa_digital_signature_with_hashes)
{
	struct creds c;
	creds_make(&c, EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256"), "DNS:moon.strongswan.org");
	run(&c, false, true, c.trust);
	expect_established();
	ck_assert_int_eq(t.auth_method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	ck_assert_str_eq(ike_initiator_responder_signature(ends.i), "ECDSA_WITH_SHA256_DER");
	const struct bytes idr = ike_initiator_responder_id(ends.i);
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
	ck_assert_str_eq(ike_initiator_responder_signature(ends.i), "ECDSA-384");
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
	ck_assert(!ends.i_established);
	ck_assert_str_eq(ends.i_reason, "responder AUTH: signature of the AUTH does not verify with "
				     "the certificate's key");
	ck_assert(!ike_sa_established(ends.sa));
	ck_assert(ike_sa_closed(ends.sa));
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
	ck_assert(!ends.i_established);
	ck_assert_str_eq(ends.i_reason, "certificate of the responder: certificate does not name the "
				     "IDr");
	finish();
	run(&other, false, true, c.trust);
	ck_assert(!ends.i_established);
	ck_assert_str_eq(ends.i_reason, "certificate of the responder: self-signed certificate");
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
	ck_assert(ike_sa_established(ends.sa));
	ck_assert(ends.i_established);
	ck_assert_ptr_null(ike_initiator_responder_signature(ends.i));
	finish();
	run(NULL, false, true, c.trust);
	ck_assert_str_eq(t.first_answer, "IKE_AUTH response 1 [ N(AUTH_FAILED) ]");
	ck_assert_str_eq(t.reason, "peer does not offer EAP-only authentication (RFC 5998) and we "
				   "have no certificate key for a signature AUTH");
	ck_assert_str_eq(ends.i_reason, "responder refused IKE_AUTH: AUTHENTICATION_FAILED");
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
	ck_assert(!ends.i_established);
	ck_assert_str_eq(ends.i_reason, "responder AUTH before EAP ended");
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
