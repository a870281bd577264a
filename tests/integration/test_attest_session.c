/* test_attest_session.c - remote attestation end to end: tncd (tnc-tnccs,
 * tnc-policy, tnc-imv-attest) and tncclient's attestation IMC on a
 * software TPM (tests/tpm/swtpm-start), on loopback.
 *
 * Evidence of one boot, made and replayed into the swtpm as
 * tests/tl_attest.h describes (also bench_attest's).
 * The policy database knows the files of all but the last UNKNOWN entries
 * (tncadm files import-ima from a copy of the list without them), the
 * device's AIK (tncadm device aik --trust) and a TPMRA enforcement.
 *
 * A complete session gives allow with the seeds' log lines and the
 * workitem's result stored; then each tampering case (one IMA entry
 * changed, one BIOS event changed, a quote over a wrong nonce and a
 * replayed quote through tncclient's test hook, an untrusted AIK) gives
 * isolate or no access with its reason in the log and in `tncadm session
 * show`.  Killing tnc-imv-attest mid-session ends that session fail-closed
 * or retries it; a session beside it and the other children go on.
 * Every swtpm is stopped by the unchecked teardown, also after a
 * test crashed. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"
#include "testlib.h"
#include "tl_attest.h"

#define BIOS_EVENTS 119 /* extended_events of the log's .expected file */
#define UNKNOWN TL_ATTEST_UNKNOWN

static char out[1 << 20];

static void
write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* An endpoint of the boot's evidence as it is (tl_attest.h). */
static void
endpoint_start(struct tl_endpoint *e)
{
	tl_endpoint_make(e, "boot");
	tl_endpoint_replay(e);
}

/* tncclient with the attestation IMC: tl_attest_client(), output in out. */
static int
client(struct tl_tncd *t, const struct tl_endpoint *e, const char *bios, const char *ima,
    const char *env)
{
	return tl_attest_client(t, e, bios, ima, env, out, sizeof(out));
}

static void
assert_refused(int rc, struct tl_tncd *t, const char *reason)
{
	ck_assert_msg(rc == 2 || rc == 3, "tncclient exit %d, wanted isolate or no access:\n%s", rc,
	    tl_out_tail(out));
	tl_assert_logged(t, reason);
	tl_assert_stored(t, "TPMRA", reason);
}

START_TEST(complete_session_allows)
{
	struct tl_tncd t;
	struct tl_endpoint e;
	char line[160];

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, true);
	long start = tl_now_ms();
	int rc = client(&t, &e, NULL, NULL, NULL);
	long ms = tl_now_ms() - start;
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	ck_assert_msg(strstr(out, "access recommendation: allow"), "%s", tl_out_tail(out));
	fprintf(stderr, "test_attest_session: a complete session took %ld ms\n", ms);
	tl_assert_logged(&t, "TPM 2.0 - locality indicator set to 3");
	tl_assert_logged(&t, "AIK public key is trusted");
	tl_assert_logged(&t, "adding directory symlinks");
	snprintf(line, sizeof(line), "checking %d BIOS evidence measurements", BIOS_EVENTS);
	tl_assert_logged(&t, line);
	tl_assert_logged(&t, "boot aggregate computed over PCR0..PCR9 is correct");
	tl_assert_logged(&t, "checking boot aggregate evidence measurement");
	/* the files: every entry but the boot aggregate */
	snprintf(line, sizeof(line), "processed %u IMA file evidence measurements: %u ok, %d "
	    "unknown, 0 differ, 0 failed", e.ima_entries - 1, e.ima_entries - 1 - UNKNOWN, UNKNOWN);
	tl_assert_logged(&t, line);
	snprintf(line, sizeof(line), "%d BIOS evidence measurements are ok", BIOS_EVENTS);
	tl_assert_logged(&t, line);
	tl_assert_logged(&t, "TPM Quote Info signature verification successful");
	tl_assert_stored(&t, "TPMRA", "allow");
	tl_tncd_stop(&t);
}
END_TEST

/* One IMA entry's file digest changed (its template hash recomputed, so
 * the entry is well-formed): the file differs from the reference and the
 * quote's PCR 10 no longer matches the evidence. */
START_TEST(changed_ima_entry)
{
	struct tl_tncd t;
	struct tl_endpoint e;
	char path[256], o[256];

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, true);
	snprintf(path, sizeof(path), "%s/ima-changed.bin", e.dir);
	int rc = tl_sh(o, sizeof(o), "%s/tnc-test-attest-evidence change '%s' 5 '%s' 2>&1",
	    TNC_BIN_DIR, e.ima, path);
	ck_assert_msg(rc == 0, "%s", o);
	assert_refused(client(&t, &e, NULL, path, NULL), &t, "differ");
	tl_tncd_stop(&t);
}
END_TEST

/* One BIOS event's SHA-256 digest changed: PCRs and boot aggregate. */
START_TEST(changed_bios_event)
{
	struct tl_tncd t;
	struct tl_endpoint e;
	char path[256];
	size_t len;

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, true);
	uint8_t *bios = tl_read_file(e.bios, &len);
	/* the first extended record after the Spec ID header (a TCG_PCR_EVENT
	 * of 32 octets and its event data): TCG_PCR_EVENT2s here hold a SHA-1
	 * and a SHA-256 digest */
	size_t off = 32 + le32(bios + 28);
	while (le32(bios + off + 4) == EV_NO_ACTION) {
		ck_assert_uint_le(off + 12 + 22 + 34 + 4, len);
		ck_assert_uint_eq(bios[off + 12] | bios[off + 13] << 8, 0x0004);
		ck_assert_uint_eq(bios[off + 34] | bios[off + 35] << 8, 0x000b);
		off += 12 + 22 + 34 + 4 + le32(bios + off + 12 + 22 + 34);
	}
	off += 12 + 22 + 2; /* the SHA-256 digest's first octet */
	bios[off] ^= 0x01;
	snprintf(path, sizeof(path), "%s/bios-changed.bin", e.dir);
	write_file(path, bios, len);
	free(bios);
	assert_refused(client(&t, &e, path, NULL, NULL), &t, "boot aggregate");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(wrong_nonce)
{
	struct tl_tncd t;
	struct tl_endpoint e;

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, true);
	assert_refused(client(&t, &e, NULL, NULL, "TNC_TEST_ATTEST_TAMPER=nonce"), &t, "quote");
	tl_tncd_stop(&t);
}
END_TEST

/* The quote of an earlier session, sent again: its nonce is stale. */
START_TEST(replayed_quote)
{
	struct tl_tncd t;
	struct tl_endpoint e;
	char env[256];

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, true);
	snprintf(env, sizeof(env), "TNC_TEST_ATTEST_TAMPER=replay:%s/quote.bin", e.dir);
	int rc = client(&t, &e, NULL, NULL, env);
	ck_assert_msg(rc == 0, "first session: exit %d:\n%s", rc, tl_out_tail(out));
	assert_refused(client(&t, &e, NULL, NULL, env), &t, "quote");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(untrusted_aik)
{
	struct tl_tncd t;
	struct tl_endpoint e;

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, false);
	assert_refused(client(&t, &e, NULL, NULL, NULL), &t, "AIK");
	tl_tncd_stop(&t);
}
END_TEST

/* tnc-imv-attest killed while it holds a session's evidence state: the
 * session it served ends fail-closed or is retried by tnc-tnccs (never
 * allowed on a verdict the dead IMV gave), a session without attestation
 * running beside it ends as it would have, tnc-tnccs and tnc-policy keep
 * their pids, and the restarted IMV serves the next session. */
START_TEST(imv_killed_mid_session)
{
	struct tl_tncd t;
	struct tl_endpoint e;
	char facts[256], extra[1024], path[2][160], text[128];

	endpoint_start(&e);
	tl_attest_server_start(&t, &e, NULL, true);
	int tnccs = tl_child_pid(&t, "tnc-tnccs"), policy = tl_child_pid(&t, "tnc-policy");
	int imv = tl_child_pid(&t, "tnc-imv-attest");
	ck_assert(tnccs > 0 && policy > 0 && imv > 0);
	/* the bystander first alone, for the outcome it gets undisturbed */
	tl_facts_file(&t, "plain", "", facts, sizeof(facts));
	snprintf(path[1], sizeof(path[1]), "%s/plain.out", e.dir);
	int plain_rc = tl_client_wait(tl_client_spawn(&t, facts, "--delay-ms 300", path[1]));

	snprintf(text, sizeof(text), "device_id = %s\n", e.keyid);
	tl_facts_file(&t, "attest", text, facts, sizeof(facts));
	snprintf(extra, sizeof(extra), "--verbose --delay-ms 300 --tpm '%s' --aik-dir '%s' "
	    "--bios-log '%s' --ima-list '%s'", e.tcti, e.aik_dir, e.bios, e.ima);
	snprintf(path[0], sizeof(path[0]), "%s/attest.out", e.dir);
	pid_t attest = tl_client_spawn(&t, facts, extra, path[0]);
	/* the IMV has agreed a nonce and trusted the AIK: it holds the session */
	ck_assert_msg(tl_log_contains(&t, "AIK public key is trusted", 10000), "no AIK step");
	tl_facts_file(&t, "plain", "", facts, sizeof(facts));
	pid_t plain = tl_client_spawn(&t, facts, "--delay-ms 300", path[1]);
	ck_assert_int_eq(kill(imv, SIGKILL), 0);
	int attest_rc = tl_client_wait(attest);
	ck_assert_int_eq(tl_client_wait(plain), plain_rc);

	ck_assert(tl_log_contains(&t, "terminated during the assessment", 5000));
	size_t len;
	char *got = (char *)tl_read_file(path[0], &len);
	bool retried = tl_log_contains(&t, "will be retried", 0);
	fprintf(stderr, "test_attest_session: killed IMV's session %s, exit %d; bystander exit %d\n",
	    retried ? "retried" : "not retried", attest_rc, plain_rc);
	if (retried)
		/* retried: the new IMV judged the whole session again */
		ck_assert_msg(attest_rc == 0 && strstr(got, "access recommendation: allow"),
		    "retried session: exit %d\n%s", attest_rc, got);
	else
		ck_assert_msg(attest_rc != 0 && !strstr(got, "access recommendation: allow"),
		    "session of the killed IMV: exit %d\n%s", attest_rc, got);
	free(got);
	ck_assert_int_gt(tl_wait_state(&t, "tnc-imv-attest", "ready", imv, 10000), 0);
	ck_assert_int_eq(tl_child_pid(&t, "tnc-tnccs"), tnccs);
	ck_assert_int_eq(tl_child_pid(&t, "tnc-policy"), policy);
	/* the restarted IMV serves the next session in full */
	int rc = client(&t, &e, NULL, NULL, NULL);
	ck_assert_msg(rc == 0 && strstr(out, "access recommendation: allow"), "after restart: %d\n%s",
	    rc, tl_out_tail(out));
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_session");
	TCase *tc = tcase_create("swtpm");

	tcase_add_unchecked_fixture(tc, tl_attest_base_setup, tl_attest_base_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, complete_session_allows);
	tcase_add_test(tc, changed_ima_entry);
	tcase_add_test(tc, changed_bios_event);
	tcase_add_test(tc, wrong_nonce);
	tcase_add_test(tc, replayed_quote);
	tcase_add_test(tc, untrusted_aik);
	tcase_add_test(tc, imv_killed_mid_session);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
