/* test_ikev2_sig.c - signature AUTH (ike/ikev2_crypto/ikev2_sig.h): each
 * method signs and verifies, a flipped octet or another key is refused,
 * the method follows the key and the peer's hashes, the AUTH data has the
 * form RFC 4754 / RFC 7427 give it; the peer certificate's checks
 * (ikev2_cert.h): chain, IDr and host name. */
#include <string.h>

#include <openssl/evp.h>

#include "ikev2.h"
#include "ikev2_auth.h"
#include "ikev2_cert.h"
#include "ikev2_sig.h"
#include "test_ike_cert.h"
#include "testlib.h"

static const uint8_t octets[] = "RealMessage2 | NonceIData | prf(SK_pr, IDr')";
static const struct bytes msg = {octets, sizeof(octets) - 1};

static EVP_PKEY *
ec_key(const char *curve)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "EC", curve);
	ck_assert_ptr_nonnull(k);
	return k;
}

static EVP_PKEY *
rsa_key(void)
{
	EVP_PKEY *k = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* Signs with c, checks the method and the data's length, verifies; then
 * each of a flipped octet of the signature, of the octets, and another key
 * of the same kind is refused. */
static void
round_trip(EVP_PKEY *key, EVP_PKEY *other, const struct ikev2_sig_choice *c, size_t want_len)
{
	uint8_t sig[IKEV2_SIG_MAX_LEN], flipped[sizeof(octets)];
	size_t len = 0;
	const char *why = NULL;

	ck_assert_int_eq(ikev2_sig_sign(key, c, msg, sig, &len, &why), 0);
	if (want_len)
		ck_assert_uint_eq(len, want_len);
	ck_assert_int_eq(ikev2_sig_verify(key, c->method, (struct bytes){sig, len}, msg, &why), 0);
	ck_assert_int_eq(ikev2_sig_verify(other, c->method, (struct bytes){sig, len}, msg, &why),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "signature of the AUTH does not verify with the certificate's key");
	sig[len - 1] ^= 1;
	why = NULL;
	ck_assert_int_eq(ikev2_sig_verify(key, c->method, (struct bytes){sig, len}, msg, &why),
	    TNC_EINVALID);
	ck_assert_ptr_nonnull(why);
	sig[len - 1] ^= 1;
	memcpy(flipped, octets, sizeof(octets));
	flipped[3] ^= 0x80;
	ck_assert_int_eq(ikev2_sig_verify(key, c->method, (struct bytes){sig, len},
	    (struct bytes){flipped, msg.len}, &why), TNC_EINVALID);
}

START_TEST(ecdsa_classic_methods)
{
	static const struct {
		const char *curve;
		uint8_t method;
		size_t len;
	} cases[] = {{"P-256", IKEV2_AUTH_ECDSA_256, 64}, {"P-384", IKEV2_AUTH_ECDSA_384, 96},
	    {"P-521", IKEV2_AUTH_ECDSA_521, 132}};
	for (size_t k = 0; k < 3; k++) {
		EVP_PKEY *key = ec_key(cases[k].curve), *other = ec_key(cases[k].curve);
		struct ikev2_sig_choice c;
		const char *why;
		ck_assert_int_eq(ikev2_sig_choose(key, 0, &c, &why), 0);
		ck_assert_uint_eq(c.method, cases[k].method);
		round_trip(key, other, &c, cases[k].len);
		/* r | s of another length is refused before any verification */
		uint8_t sig[IKEV2_SIG_MAX_LEN];
		size_t len;
		ck_assert_int_eq(ikev2_sig_sign(key, &c, msg, sig, &len, &why), 0);
		ck_assert_int_eq(ikev2_sig_verify(key, c.method, (struct bytes){sig, len - 1}, msg,
		    &why), TNC_EINVALID);
		ck_assert_str_eq(why, "ECDSA AUTH data is not r | s of the curve's length");
		EVP_PKEY_free(key);
		EVP_PKEY_free(other);
	}
}
END_TEST

START_TEST(rsa_classic_method)
{
	EVP_PKEY *key = rsa_key(), *other = rsa_key();
	struct ikev2_sig_choice c;
	const char *why;

	ck_assert_int_eq(ikev2_sig_choose(key, 0, &c, &why), 0);
	ck_assert_uint_eq(c.method, IKEV2_AUTH_RSA_SIG);
	round_trip(key, other, &c, 256);
	EVP_PKEY_free(key);
	EVP_PKEY_free(other);
}
END_TEST

/* RFC 7427: the AlgorithmIdentifier of Appendix A after its length octet. */
START_TEST(digital_signature_method)
{
	static const uint8_t ecdsa_sha256[] = {12, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
	    0x3d, 0x04, 0x03, 0x02};
	static const uint8_t ecdsa_sha384[] = {12, 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce,
	    0x3d, 0x04, 0x03, 0x03};
	static const uint8_t rsa_sha256[] = {15, 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
	    0xf7, 0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00};
	const unsigned all = 1u << IKEV2_HASH_SHA2_256 | 1u << IKEV2_HASH_SHA2_384 |
	    1u << IKEV2_HASH_SHA2_512;
	EVP_PKEY *p256 = ec_key("P-256"), *p256b = ec_key("P-256"), *p384 = ec_key("P-384"),
		 *p384b = ec_key("P-384"), *rsa = rsa_key(), *rsab = rsa_key();
	uint8_t sig[IKEV2_SIG_MAX_LEN];
	struct ikev2_sig_choice c;
	size_t len;
	const char *why;

	ck_assert_int_eq(ikev2_sig_choose(p256, all, &c, &why), 0);
	ck_assert_uint_eq(c.method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	ck_assert_uint_eq(c.hash, IKEV2_HASH_SHA2_256);
	round_trip(p256, p256b, &c, 0);
	ck_assert_int_eq(ikev2_sig_sign(p256, &c, msg, sig, &len, &why), 0);
	ck_assert_mem_eq(sig, ecdsa_sha256, sizeof(ecdsa_sha256));
	/* an RSA AlgorithmIdentifier on an EC key: refused by name */
	memcpy(sig, rsa_sha256, sizeof(rsa_sha256));
	ck_assert_int_eq(ikev2_sig_verify(p256, c.method, (struct bytes){sig, len}, msg, &why),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "AlgorithmIdentifier of the AUTH is not for the certificate's key");
	sig[5] ^= 1; /* the OID */
	ck_assert_int_eq(ikev2_sig_verify(p256, c.method, (struct bytes){sig, len}, msg, &why),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "AlgorithmIdentifier of the AUTH is none we verify (ECDSA or RSA "
			      "PKCS#1 v1.5 with SHA-2)");
	sig[0] = 200; /* longer than the data */
	ck_assert_int_eq(ikev2_sig_verify(p256, c.method, (struct bytes){sig, 20}, msg, &why),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "AUTH data shorter than its AlgorithmIdentifier length");

	/* P-384 takes SHA-384 when the peer has it, else SHA-256 */
	ck_assert_int_eq(ikev2_sig_choose(p384, all, &c, &why), 0);
	ck_assert_uint_eq(c.hash, IKEV2_HASH_SHA2_384);
	round_trip(p384, p384b, &c, 0);
	ck_assert_int_eq(ikev2_sig_sign(p384, &c, msg, sig, &len, &why), 0);
	ck_assert_mem_eq(sig, ecdsa_sha384, sizeof(ecdsa_sha384));
	ck_assert_int_eq(ikev2_sig_choose(p384, 1u << IKEV2_HASH_SHA2_256, &c, &why), 0);
	ck_assert_uint_eq(c.method, IKEV2_AUTH_DIGITAL_SIGNATURE);
	ck_assert_uint_eq(c.hash, IKEV2_HASH_SHA2_256);
	round_trip(p384, p384b, &c, 0);

	ck_assert_int_eq(ikev2_sig_choose(rsa, all, &c, &why), 0);
	ck_assert_uint_eq(c.hash, IKEV2_HASH_SHA2_256);
	round_trip(rsa, rsab, &c, sizeof(rsa_sha256) + 256);
	ck_assert_int_eq(ikev2_sig_sign(rsa, &c, msg, sig, &len, &why), 0);
	ck_assert_mem_eq(sig, rsa_sha256, sizeof(rsa_sha256));
	/* a classic method for the wrong kind of key */
	ck_assert_int_eq(ikev2_sig_verify(rsa, IKEV2_AUTH_ECDSA_256, (struct bytes){sig, 64}, msg,
	    &why), TNC_EINVALID);
	ck_assert_str_eq(why, "AUTH method is not a signature method for the certificate's key");
	ck_assert_int_eq(ikev2_sig_verify(rsa, IKEV2_AUTH_SHARED_KEY_MIC, (struct bytes){sig, 64},
	    msg, &why), TNC_EINVALID);
	EVP_PKEY *x = EVP_PKEY_Q_keygen(NULL, NULL, "X25519");
	ck_assert_int_eq(ikev2_sig_choose(x, all, &c, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "our key is neither RSA nor ECDSA on P-256, P-384 or P-521");
	EVP_PKEY_free(x);
	EVP_PKEY_free(p256);
	EVP_PKEY_free(p256b);
	EVP_PKEY_free(p384);
	EVP_PKEY_free(p384b);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(rsab);
}
END_TEST

START_TEST(hash_notification_parsed)
{
	static const uint8_t strongswan[] = {0, 1, 0, 2, 0, 3, 0, 4, 0, 5}; /* SHA-1 .. Identity */
	static const uint8_t sha384_only[] = {0, 3};
	static const uint8_t odd[] = {0, 2, 0};
	ck_assert_uint_eq(ikev2_sig_hashes((struct bytes){strongswan, sizeof(strongswan)}),
	    1u << 2 | 1u << 3 | 1u << 4);
	ck_assert_uint_eq(ikev2_sig_hashes((struct bytes){sha384_only, 2}), 1u << 3);
	ck_assert_uint_eq(ikev2_sig_hashes((struct bytes){odd, 3}), 0);
	ck_assert_uint_eq(ikev2_sig_hashes((struct bytes){NULL, 0}), 0);
}
END_TEST

START_TEST(certificate_checked)
{
	static const char moon[] = "moon.strongswan.org";
	const struct bytes id = {(const uint8_t *)moon, sizeof(moon) - 1};
	const uint8_t ip[4] = {192, 168, 0, 1};
	EVP_PKEY *ca_key = ec_key("P-256"), *gw_key = ec_key("P-256"), *got = NULL;
	X509 *ca = cert_for(ca_key, "CA", "DNS:ca.example", NULL, NULL);
	X509 *gw = cert_for(gw_key, moon, "DNS:moon.strongswan.org,IP:192.168.0.1", ca, ca_key);
	X509_STORE *trust = X509_STORE_new(), *empty = X509_STORE_new();
	uint8_t *buf;
	const char *why;

	ck_assert_int_eq(X509_STORE_add_cert(trust, ca), 1);
	const struct bytes der = der_of(gw, &buf);
	ck_assert_int_eq(ikev2_cert_check(trust, der, IKEV2_ID_FQDN, id, NULL, &got, &why), 0);
	ck_assert_int_eq(EVP_PKEY_eq(got, gw_key), 1);
	EVP_PKEY_free(got);
	ck_assert_int_eq(ikev2_cert_check(trust, der, IKEV2_ID_IPV4_ADDR, (struct bytes){ip, 4},
	    "192.168.0.1", &got, &why), 0);
	EVP_PKEY_free(got);
	ck_assert_int_eq(ikev2_cert_check(trust, der, IKEV2_ID_FQDN, id, "sun.strongswan.org", &got,
	    &why), TNC_EINVALID);
	ck_assert_str_eq(why, "certificate does not name the server");
	ck_assert_ptr_null(got);
	ck_assert_int_eq(ikev2_cert_check(trust, der, IKEV2_ID_FQDN,
	    (struct bytes){(const uint8_t *)"sun.strongswan.org", 18}, NULL, &got, &why),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "certificate does not name the IDr");
	ck_assert_int_eq(ikev2_cert_check(empty, der, IKEV2_ID_FQDN, id, NULL, &got, &why),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "unable to get local issuer certificate");
	ck_assert_int_eq(ikev2_cert_check(trust, (struct bytes){der.ptr, der.len - 1}, IKEV2_ID_FQDN,
	    id, NULL, &got, &why), TNC_EINVALID);
	ck_assert_str_eq(why, "CERT is not one DER X.509 certificate");
	OPENSSL_free(buf);
	X509_STORE_free(trust);
	X509_STORE_free(empty);
	X509_free(ca);
	X509_free(gw);
	EVP_PKEY_free(ca_key);
	EVP_PKEY_free(gw_key);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ikev2_sig");
	TCase *tc = tcase_create("sig");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, ecdsa_classic_methods);
	tcase_add_test(tc, rsa_classic_method);
	tcase_add_test(tc, digital_signature_method);
	tcase_add_test(tc, hash_notification_parsed);
	tcase_add_test(tc, certificate_checked);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
