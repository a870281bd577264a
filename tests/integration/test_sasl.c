/* test_sasl.c - PT-TLS SASL PLAIN (RFC 6876 3.8, RFC 4616) between the
 * real tncd and the real tncclient, and a raw PT-TLS client for what
 * tncclient never sends: the right password is assessed with the user as
 * the AR identity (tnccs and the IMV log it); a wrong password, an unknown
 * user, an authzid for someone else, oversized fields, a client without
 * credentials, one that stalls in SASL and one over the verification rate
 * are refused before any TNCCS connection exists; sasl = none is unchanged;
 * tncd refuses a malformed credentials file with its file:line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "pt_tls.h"
#include "sasl_plain.h"
#include "testlib.h"
#include "tl_ptls.h"

#define POLICY "[imv-os]\nlog.IMV = 2\n"

static char out[1 << 16];

/* A directory with the credentials file "creds" (alice: "correct horse",
 * bob: "battery staple") written by tncadm, and alice's and a wrong
 * password file. */
static void
make_creds(char *dir, size_t size)
{
	snprintf(dir, size, "/tmp/tnc-sasl-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	int rc = tl_sh(out, sizeof(out), "cd %s && printf 'correct horse\\n' > alice.pw && "
	    "printf 'wrong horse\\n' > wrong.pw && "
	    "%s/tncadm sasl add alice --file creds --password-file alice.pw && "
	    "printf 'battery staple\\n' | %s/tncadm sasl add bob --file creds 2>&1", dir,
	    TNC_BIN_DIR, TNC_BIN_DIR);
	ck_assert_msg(rc == 0, "tncadm: %s", out);
}

static void
remove_creds(const char *dir)
{
	char ignored[256];
	(void)tl_sh(ignored, sizeof(ignored), "rm -rf %s", dir);
}

static void
start(struct tl_tncd *t, const char *dir, const char *more)
{
	char extra[1024];
	snprintf(extra, sizeof(extra), "sasl = plain\nsasl_credentials = %s/creds\n"
	    "sasl_attempts_per_address = 50\n%s" POLICY, dir, more);
	tl_tncd_start(t, extra, true);
}

static int
client(struct tl_tncd *t, const char *extra)
{
	char facts[256];
	return tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 20 %s 2>&1", TNC_BIN_DIR, t->port, t->ca,
	    tl_facts_file(t, "ok", "", facts, sizeof(facts)), extra);
}

START_TEST(right_password_is_assessed_as_the_user)
{
	struct tl_tncd t;
	char dir[64], opt[256];
	make_creds(dir, sizeof(dir));
	start(&t, dir, "");
	tl_policy_seed(&t); /* the endpoint's packages are known: allow */
	snprintf(opt, sizeof(opt), "--sasl-user alice --sasl-password-file %s/alice.pw", dir);
	int rc = client(&t, opt);
	ck_assert_msg(rc == 0, "tncclient exit %d: %s", rc, out);
	ck_assert(tl_log_contains(&t, "SASL PLAIN authenticated user 'alice'", 2000));
	ck_assert(tl_log_contains(&t, "over IF-T for TLS 2.0, identity alice", 2000));
	/* the IMVs' lines, as strongSwan's */
	ck_assert(tl_log_contains(&t, "[IMV]   user AR identity 'alice' of type username "
	    "authenticated by password", 2000));
	ck_assert(tl_log_contains(&t, "[IMV]   machine AR identity '127.0.0.1' of type IPv4 "
	    "address authenticated by unknown method", 2000));
	ck_assert(tl_log_contains(&t, "final recommendation is 'allow'", 2000));
	ck_assert_int_eq(tl_log_count(&t, "correct horse"), 0); /* never logged */
	tl_tncd_stop(&t);
	remove_creds(dir);
}
END_TEST

START_TEST(wrong_password_unknown_user_and_no_credentials_are_refused)
{
	struct tl_tncd t;
	char dir[64], opt[256];
	make_creds(dir, sizeof(dir));
	start(&t, dir, "");
	snprintf(opt, sizeof(opt), "--sasl-user alice --sasl-password-file %s/wrong.pw", dir);
	int rc = client(&t, opt);
	ck_assert_msg(rc == 5, "wrong password: tncclient exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "refused by the server (SASL result 'Failure')"), "%s", out);
	ck_assert(tl_log_contains(&t, "SASL PLAIN user 'alice' refused: wrong password", 2000));

	snprintf(opt, sizeof(opt), "--sasl-user mallory --sasl-password-file %s/alice.pw", dir);
	rc = client(&t, opt);
	ck_assert_msg(rc == 5, "unknown user: tncclient exit %d: %s", rc, out);
	ck_assert(tl_log_contains(&t, "SASL PLAIN user 'mallory' refused: unknown user", 2000));

	rc = client(&t, "");
	ck_assert_msg(rc == 5, "no credentials: tncclient exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "mechanisms: PLAIN); give --sasl-user"), "%s", out);

	ck_assert_int_eq(tl_log_count(&t, "assigned TNCCS Connection ID"), 0);
	ck_assert_int_eq(tl_log_count(&t, "wrong horse"), 0);
	tl_tncd_stop(&t);
	remove_creds(dir);
}
END_TEST

/* TLS, Version Request/Response and the server's SASL Mechanisms, which
 * must offer PLAIN alone. */
static void
raw_connect(struct tl_ptls *c, const char *from, int port)
{
	static const uint8_t version_request[] = {0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 0,
	    0, 1, 1, 1};
	static const uint8_t plain_offer[] = {5, 'P', 'L', 'A', 'I', 'N'};
	uint8_t *m;
	size_t len;
	ck_assert_int_eq(tl_ptls_connect_from(c, from, port, 0), 0);
	ck_assert_int_eq(tl_ptls_send_raw(c, version_request, sizeof(version_request)), 0);
	ck_assert_int_eq(tl_ptls_recv(c, &m, &len, 5000), 0);
	free(m);
	ck_assert_int_eq(tl_ptls_recv(c, &m, &len, 5000), 0);
	ck_assert_uint_eq(m[7], PT_TLS_SASL_MECHANISMS);
	ck_assert_uint_eq(len, PT_TLS_HEADER_LEN + sizeof(plain_offer));
	ck_assert(memcmp(m + PT_TLS_HEADER_LEN, plain_offer, sizeof(plain_offer)) == 0);
	free(m);
	c->next_id = 2;
}

/* A Mechanism Selection (PLAIN) with initial[0..n) as its initial response. */
static void
raw_select(struct tl_ptls *c, const void *initial, size_t n)
{
	struct wire_writer w;
	wire_writer_init(&w, 8192);
	ck_assert_int_eq(pt_tls_put_sasl_mechanism_selection(&w, c->next_id++,
	    (struct bytes){(const uint8_t *)"PLAIN", 5}, (struct bytes){initial, n}), 0);
	ck_assert_int_eq(tl_ptls_send_raw(c, w.buf, w.len), 0);
	wire_writer_clear(&w);
}

/* The next message must be SASL Result code; then the server closes
 * unless code is Success. */
static void
expect_result(struct tl_ptls *c, uint16_t code)
{
	uint8_t *m;
	size_t len;
	ck_assert_int_eq(tl_ptls_recv(c, &m, &len, 5000), 0);
	ck_assert_uint_eq(m[7], PT_TLS_SASL_RESULT);
	ck_assert_uint_eq(len, PT_TLS_HEADER_LEN + 2);
	ck_assert_uint_eq((unsigned)(m[16] << 8 | m[17]), code);
	free(m);
	if (code != PT_TLS_SASL_SUCCESS)
		ck_assert_msg(tl_ptls_closed(c, 5000), "the server kept the connection open");
}

START_TEST(malformed_plain_messages_are_refused)
{
	struct tl_tncd t;
	struct tl_ptls c;
	char dir[64];
	uint8_t long_user[1 + 300 + 1 + 5];
	make_creds(dir, sizeof(dir));
	start(&t, dir, "");

	/* an authcid of 300 octets: Mechanism Failure, and the log says why */
	long_user[0] = 0;
	memset(long_user + 1, 'a', 300);
	memcpy(long_user + 301, "\0pass", 5);
	raw_connect(&c, "127.0.0.1", t.port);
	raw_select(&c, long_user, sizeof(long_user));
	expect_result(&c, PT_TLS_SASL_MECHANISM_FAILURE);
	tl_ptls_close(&c);
	ck_assert(tl_log_contains(&t, "authcid longer than 255 octets", 2000));

	/* one NUL only */
	raw_connect(&c, "127.0.0.1", t.port);
	raw_select(&c, "\0alice", 6);
	expect_result(&c, PT_TLS_SASL_MECHANISM_FAILURE);
	tl_ptls_close(&c);
	ck_assert(tl_log_contains(&t, "PLAIN message without its two NUL separators", 2000));

	/* alice's password, but asking to act as bob */
	raw_connect(&c, "127.0.0.1", t.port);
	raw_select(&c, "bob\0alice\0correct horse", 23);
	expect_result(&c, PT_TLS_SASL_FAILURE);
	tl_ptls_close(&c);
	ck_assert(tl_log_contains(&t, "user 'alice' refused: it asks to act for another", 2000));

	/* a newline in the name cannot forge a log line */
	raw_connect(&c, "127.0.0.1", t.port);
	raw_select(&c, "\0eve\n00[TNC] forged\0x", 21);
	expect_result(&c, PT_TLS_SASL_FAILURE);
	tl_ptls_close(&c);
	ck_assert(tl_log_contains(&t, "user 'eve\\x0a00[TNC] forged' refused: unknown user", 2000));

	/* a message above the SASL phase's cap: PT-TLS Invalid Parameter */
	static uint8_t huge[8000];
	raw_connect(&c, "127.0.0.1", t.port);
	raw_select(&c, huge, sizeof(huge));
	uint8_t *m;
	size_t len;
	ck_assert_int_eq(tl_ptls_recv(&c, &m, &len, 5000), 0);
	ck_assert_uint_eq(m[7], PT_TLS_ERROR);
	ck_assert_uint_eq(m[23], PT_TLS_ERROR_INVALID_PARAMETER);
	free(m);
	ck_assert(tl_ptls_closed(&c, 5000));
	tl_ptls_close(&c);

	ck_assert_int_eq(tl_log_count(&t, "assigned TNCCS Connection ID"), 0);
	tl_tncd_stop(&t);
	remove_creds(dir);
}
END_TEST

/* Without an initial response the server asks with an empty SASL
 * Authentication Data; the answer completes it, and the batch that follows
 * reaches tnc-tnccs as alice's. */
START_TEST(empty_initial_response_gets_a_challenge)
{
	struct tl_tncd t;
	struct tl_ptls c;
	struct wire_writer w;
	char dir[64];
	uint8_t *m;
	size_t len;
	make_creds(dir, sizeof(dir));
	start(&t, dir, "");
	raw_connect(&c, "127.0.0.1", t.port);
	raw_select(&c, NULL, 0);
	ck_assert_int_eq(tl_ptls_recv(&c, &m, &len, 5000), 0);
	ck_assert_uint_eq(m[7], PT_TLS_SASL_AUTHENTICATION_DATA);
	ck_assert_uint_eq(len, PT_TLS_HEADER_LEN);
	free(m);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(pt_tls_put_sasl_authentication_data(&w, c.next_id++,
	    (struct bytes){(const uint8_t *)"\0alice\0correct horse", 20}), 0);
	ck_assert_int_eq(tl_ptls_send_raw(&c, w.buf, w.len), 0);
	wire_writer_clear(&w);
	expect_result(&c, PT_TLS_SASL_SUCCESS);
	ck_assert(tl_log_contains(&t, "identity alice", 5000));
	tl_ptls_close(&c);
	tl_tncd_stop(&t);
	remove_creds(dir);
}
END_TEST

/* Each address gets sasl_attempts_per_address verifications a second; the
 * one beyond is refused unchecked (even with the right password), others
 * go on; a client that stops inside SASL meets the handshake deadline. */
START_TEST(verification_rate_and_deadline)
{
	struct tl_tncd t;
	struct tl_ptls c;
	char dir[64], extra[512];
	make_creds(dir, sizeof(dir));
	snprintf(extra, sizeof(extra), "sasl = plain\nsasl_credentials = %s/creds\n"
	    "sasl_attempts_per_address = 2\nhandshake_timeout = 2\n" POLICY, dir);
	tl_tncd_start(&t, extra, true);
	long start_ms = tl_now_ms();
	for (int i = 0; i < 2; i++) {
		raw_connect(&c, "127.0.0.3", t.port);
		raw_select(&c, "\0alice\0guess", 12);
		expect_result(&c, PT_TLS_SASL_FAILURE);
		tl_ptls_close(&c);
	}
	raw_connect(&c, "127.0.0.3", t.port);
	raw_select(&c, "\0alice\0correct horse", 20);
	expect_result(&c, PT_TLS_SASL_FAILURE);
	tl_ptls_close(&c);
	bool same_second = tl_now_ms() - start_ms < 900;
	if (same_second)
		ck_assert(tl_log_contains(&t, "refused unchecked: that address had its password "
		    "verifications of this second", 2000));
	/* another address is served */
	raw_connect(&c, "127.0.0.4", t.port);
	raw_select(&c, "\0alice\0correct horse", 20);
	expect_result(&c, PT_TLS_SASL_SUCCESS);
	tl_ptls_close(&c);

	raw_connect(&c, "127.0.0.5", t.port);
	long t0 = tl_now_ms();
	ck_assert_msg(tl_ptls_closed(&c, 5000), "a client silent in SASL was kept");
	ck_assert_int_lt(tl_now_ms() - t0, 4000);
	tl_ptls_close(&c);
	ck_assert(tl_log_contains(&t, "no PT-TLS data phase within 2000 ms", 2000));
	tl_tncd_stop(&t);
	remove_creds(dir);
	ck_assert_msg(same_second, "the three attempts took a second: the rate was not tested");
}
END_TEST

START_TEST(sasl_none_is_unchanged)
{
	struct tl_tncd t;
	struct tl_ptls c;
	char dir[64], opt[256];
	make_creds(dir, sizeof(dir));
	tl_tncd_start(&t, POLICY, true);
	tl_policy_seed(&t);
	/* tl_ptls_connect checks for the empty SASL Mechanisms */
	ck_assert_int_eq(tl_ptls_connect(&c, t.port, 1), 0);
	tl_ptls_close(&c);
	snprintf(opt, sizeof(opt), "--sasl-user alice --sasl-password-file %s/wrong.pw", dir);
	int rc = client(&t, opt);
	ck_assert_msg(rc == 0, "tncclient exit %d: %s", rc, out);
	ck_assert_int_eq(tl_log_count(&t, "SASL PLAIN"), 0);
	tl_tncd_stop(&t);
	remove_creds(dir);
}
END_TEST

START_TEST(malformed_credentials_file_is_refused)
{
	char dir[64], conf[128];
	make_creds(dir, sizeof(dir));
	snprintf(conf, sizeof(conf), "%s/tncd.conf", dir);
	FILE *f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[daemon]\nstate_dir = %s/state\n[ike]\nsasl = plain\n"
	    "sasl_credentials = %s/creds\n", dir, dir);
	fclose(f);
	int rc = tl_sh(out, sizeof(out), "%s/tncd --check-config --config %s 2>&1", TNC_BIN_DIR,
	    conf);
	ck_assert_msg(rc == 0, "a good file refused: %s", out);
	rc = tl_sh(out, sizeof(out), "echo 'carol:$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA' "
	    ">> %s/creds && %s/tncd --check-config --config %s 2>&1", dir, TNC_BIN_DIR, conf);
	ck_assert_msg(rc != 0, "a costly hash accepted: %s", out);
	ck_assert_msg(strstr(out, "tncd.conf:5: [ike] sasl_credentials: ") &&
	    strstr(out, "/creds:4: password hash costs too much to verify"), "%s", out);
	rc = tl_sh(out, sizeof(out), "rm %s/creds && %s/tncd --check-config --config %s 2>&1", dir,
	    TNC_BIN_DIR, conf);
	ck_assert_msg(rc != 0 && strstr(out, "cannot open"), "a missing file accepted: %s", out);
	remove_creds(dir);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sasl");
	TCase *tc = tcase_create("sasl");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, right_password_is_assessed_as_the_user);
	tcase_add_test(tc, wrong_password_unknown_user_and_no_credentials_are_refused);
	tcase_add_test(tc, malformed_plain_messages_are_refused);
	tcase_add_test(tc, empty_initial_response_gets_a_challenge);
	tcase_add_test(tc, verification_rate_and_deadline);
	tcase_add_test(tc, sasl_none_is_unchanged);
	tcase_add_test(tc, malformed_credentials_file_is_refused);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
