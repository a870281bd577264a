/* test_attest_session.c - remote attestation end to end: tncd (tnc-tnccs,
 * tnc-policy, tnc-imv-attest) and tncclient's attestation IMC on a
 * software TPM (tests/tpm/swtpm-start), on loopback.
 *
 * Evidence of one boot: the test data has no BIOS log and IMA list of the
 * same boot, so tnc-test-attest-evidence (tests/helpers/attest_evidence.c,
 * also bench_attest's) makes the IMA list of the event log
 * tpm-replay/binary_bios_measurements.bin from the real list
 * tpm-replay/sha1.log; nothing is hand-made, and nothing generated is kept
 * in the tree.  The swtpm, started at the log's locality 3, gets both
 * replayed into its PCRs.
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
#include <sys/stat.h>

#include "eventlog.h"
#include "testlib.h"
#include "tpm_aik.h"
#include "tpm_conn.h"
#include "tpm_replay.h"

#define SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
#define BIOS_LOG "tpm-replay/binary_bios_measurements.bin"
#define IMA_LIST "tpm-replay/sha1.log"
#define BIOS_EVENTS 119 /* extended_events of the log's .expected file */
#define UNKNOWN 12 /* entries whose files the database does not know */
#define PRODUCT TL_PRODUCT

static char base[64]; /* the TCase's; each test works in dir below it */
static char dir[96];
static char out[1 << 20];
static unsigned ima_entries; /* of the list make_ima_list() made */

static void
base_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/test_attest_session.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	setenv("TSS2_LOG", "all+none", 1);
}

static void
base_teardown(void)
{
	char o[256];
	ck_assert_int_eq(tl_sh(o, sizeof(o),
	    "for d in '%s'/*/tpm; do [ ! -e \"$d\" ] || '%s' stop \"$d\"; done; rm -rf '%s'",
	    base, SWTPM_START, base), 0);
}

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

/* The IMA list of the log's boot (see the top): written to into/ima.bin;
 * into/ima-known.bin is the same without its last UNKNOWN entries. */
static void
make_ima_list(const char *into)
{
	char o[512];

	int rc = tl_sh(o, sizeof(o), "%s/tnc-test-attest-evidence boot '%s/%s' '%s/%s' %d '%s' 2>&1",
	    TNC_BIN_DIR, TNC_TESTDATA_DIR, BIOS_LOG, TNC_TESTDATA_DIR, IMA_LIST, UNKNOWN, into);
	ck_assert_msg(rc == 0, "%s", o);
	ima_entries = (unsigned)atoi(o);
	ck_assert_uint_gt(ima_entries, UNKNOWN + 100);
}

/* The endpoint: swtpm at locality 3 with the boot replayed, its AIK made,
 * and the files tncclient reads. */
struct endpoint {
	char tcti[128], aik_dir[128], bios[128], ima[128], keyid[2 * TPM_AIK_KEYID_SIZE + 1];
};

static void
endpoint_start(struct endpoint *e)
{
	char err[256];
	struct tpm *t;
	struct tpm_aik *aik;
	struct tpm_replay r;
	size_t len;

	snprintf(dir, sizeof(dir), "%s/XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	ck_assert_int_eq(tl_sh(e->tcti, sizeof(e->tcti), "'%s' start '%s/tpm' --no-startup 2>&1",
	    SWTPM_START, dir), 0);
	e->tcti[strcspn(e->tcti, "\n")] = 0;
	make_ima_list(dir);
	snprintf(e->bios, sizeof(e->bios), "%s/%s", TNC_TESTDATA_DIR, BIOS_LOG);
	snprintf(e->ima, sizeof(e->ima), "%s/ima.bin", dir);
	snprintf(e->aik_dir, sizeof(e->aik_dir), "%s/aik", dir);
	ck_assert_int_eq(mkdir(e->aik_dir, 0700), 0);
	ck_assert_msg(tpm_open(e->tcti, &t, err, sizeof(err)) == 0, "%s", err);
	uint8_t *bios = tl_read_file(e->bios, &len);
	ck_assert_msg(tpm_replay_boot(t, bios, len, &r) == 0, "%s", tpm_error(t));
	free(bios);
	uint8_t *ima = tl_read_file(e->ima, &len);
	ck_assert_msg(tpm_replay_ima(t, ima, len, &r) == 0, "%s", tpm_error(t));
	free(ima);
	ck_assert_msg(tpm_aik_load(t, e->aik_dir, TPM_AIK_ECC_P256, &aik) == 0, "%s", tpm_error(t));
	for (size_t i = 0; i < TPM_AIK_KEYID_SIZE; i++)
		sprintf(e->keyid + 2 * i, "%02x", tpm_aik_keyid(aik)[i]);
	tpm_aik_free(aik);
	tpm_close(t);
}

/* tncd with a TPMRA enforcement for the default group, the product's
 * reference files and the endpoint's AIK registered (trusted if trust). */
static void
server_start(struct tl_tncd *t, const struct endpoint *e, bool trust)
{
	tl_tncd_start(t, "[imv-attest]\nlog.imv = 2\nlog.pts = 2\n", true);
	tl_policy_seed(t);
	tl_adm(t, "policy add 'TPM Remote Attestation' --type TPMRA --fail isolate "
	    "--noresult no_access");
	tl_adm(t, "enforcement add 'TPM Remote Attestation' Default");
	tl_adm(t, "files import-ima '%s' '%s/ima-known.bin' --algo sha256", PRODUCT, dir);
	tl_adm(t, "device add %s --product '%s' --aik %s", e->keyid, PRODUCT, e->keyid);
	tl_adm(t, "device aik %s --file '%s/aik.pem'%s", e->keyid, e->aik_dir,
	    trust ? " --trust" : "");
}

/* tncclient with the attestation IMC; bios and ima override the
 * endpoint's files, env is put before the command.  Its exit code; the
 * output is in out. */
static int
client(struct tl_tncd *t, const struct endpoint *e, const char *bios, const char *ima,
    const char *env)
{
	char facts[256], text[128];

	snprintf(text, sizeof(text), "device_id = %s\n", e->keyid);
	tl_facts_file(t, "attest", text, facts, sizeof(facts));
	return tl_sh(out, sizeof(out), "%s %s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 60 --verbose --tpm '%s' --aik-dir '%s' --bios-log '%s' --ima-list '%s' 2>&1",
	    env ? env : "", TNC_BIN_DIR, t->port, t->ca, facts, e->tcti, e->aik_dir,
	    bios ? bios : e->bios, ima ? ima : e->ima);
}

/* The end of tncclient's output, short enough for a Check message. */
static const char *
out_tail(void)
{
	size_t n = strlen(out);
	return n > 3000 ? out + n - 3000 : out;
}

static void
assert_logged(struct tl_tncd *t, const char *needle)
{
	ck_assert_msg(tl_log_contains(t, needle, 5000), "tncd did not log '%s'", needle);
}

/* `tncadm session show` of the latest session names why. */
static void
assert_stored(struct tl_tncd *t, const char *needle)
{
	const char *list = tl_adm(t, "session list --limit 1");
	int id = 0;
	for (const char *p = list; *p && !id; p++)
		if (*p >= '1' && *p <= '9')
			id = atoi(p);
	ck_assert_int_gt(id, 0);
	const char *show = tl_adm(t, "session show %d", id);
	ck_assert_msg(strstr(show, "TPMRA") && strstr(show, needle),
	    "session %d does not show TPMRA with '%s':\n%s", id, needle, show);
}

static void
assert_refused(int rc, struct tl_tncd *t, const char *reason)
{
	ck_assert_msg(rc == 2 || rc == 3, "tncclient exit %d, wanted isolate or no access:\n%s", rc,
	    out_tail());
	assert_logged(t, reason);
	assert_stored(t, reason);
}

START_TEST(complete_session_allows)
{
	struct tl_tncd t;
	struct endpoint e;
	char line[160];

	endpoint_start(&e);
	server_start(&t, &e, true);
	long start = tl_now_ms();
	int rc = client(&t, &e, NULL, NULL, NULL);
	long ms = tl_now_ms() - start;
	ck_assert_msg(rc == 0, "tncclient exit %d:\n%s", rc, out_tail());
	ck_assert_msg(strstr(out, "access recommendation: allow"), "%s", out_tail());
	fprintf(stderr, "test_attest_session: a complete session took %ld ms\n", ms);
	assert_logged(&t, "TPM 2.0 - locality indicator set to 3");
	assert_logged(&t, "AIK public key is trusted");
	assert_logged(&t, "adding directory symlinks");
	snprintf(line, sizeof(line), "checking %d BIOS evidence measurements", BIOS_EVENTS);
	assert_logged(&t, line);
	assert_logged(&t, "boot aggregate computed over PCR0..PCR9 is correct");
	assert_logged(&t, "checking boot aggregate evidence measurement");
	/* the files: every entry but the boot aggregate */
	snprintf(line, sizeof(line), "processed %u IMA file evidence measurements: %u ok, %d "
	    "unknown, 0 differ, 0 failed", ima_entries - 1, ima_entries - 1 - UNKNOWN, UNKNOWN);
	assert_logged(&t, line);
	snprintf(line, sizeof(line), "%d BIOS evidence measurements are ok", BIOS_EVENTS);
	assert_logged(&t, line);
	assert_logged(&t, "TPM Quote Info signature verification successful");
	assert_stored(&t, "allow");
	tl_tncd_stop(&t);
}
END_TEST

/* One IMA entry's file digest changed (its template hash recomputed, so
 * the entry is well-formed): the file differs from the reference and the
 * quote's PCR 10 no longer matches the evidence. */
START_TEST(changed_ima_entry)
{
	struct tl_tncd t;
	struct endpoint e;
	char path[256], o[256];

	endpoint_start(&e);
	server_start(&t, &e, true);
	snprintf(path, sizeof(path), "%s/ima-changed.bin", dir);
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
	struct endpoint e;
	char path[256];
	size_t len;

	endpoint_start(&e);
	server_start(&t, &e, true);
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
	snprintf(path, sizeof(path), "%s/bios-changed.bin", dir);
	write_file(path, bios, len);
	free(bios);
	assert_refused(client(&t, &e, path, NULL, NULL), &t, "boot aggregate");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(wrong_nonce)
{
	struct tl_tncd t;
	struct endpoint e;

	endpoint_start(&e);
	server_start(&t, &e, true);
	assert_refused(client(&t, &e, NULL, NULL, "TNC_TEST_ATTEST_TAMPER=nonce"), &t, "quote");
	tl_tncd_stop(&t);
}
END_TEST

/* The quote of an earlier session, sent again: its nonce is stale. */
START_TEST(replayed_quote)
{
	struct tl_tncd t;
	struct endpoint e;
	char env[256];

	endpoint_start(&e);
	server_start(&t, &e, true);
	snprintf(env, sizeof(env), "TNC_TEST_ATTEST_TAMPER=replay:%s/quote.bin", dir);
	int rc = client(&t, &e, NULL, NULL, env);
	ck_assert_msg(rc == 0, "first session: exit %d:\n%s", rc, out_tail());
	assert_refused(client(&t, &e, NULL, NULL, env), &t, "quote");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(untrusted_aik)
{
	struct tl_tncd t;
	struct endpoint e;

	endpoint_start(&e);
	server_start(&t, &e, false);
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
	struct endpoint e;
	char facts[256], extra[1024], path[2][160], text[128];

	endpoint_start(&e);
	server_start(&t, &e, true);
	int tnccs = tl_child_pid(&t, "tnc-tnccs"), policy = tl_child_pid(&t, "tnc-policy");
	int imv = tl_child_pid(&t, "tnc-imv-attest");
	ck_assert(tnccs > 0 && policy > 0 && imv > 0);
	/* the bystander first alone, for the outcome it gets undisturbed */
	tl_facts_file(&t, "plain", "", facts, sizeof(facts));
	snprintf(path[1], sizeof(path[1]), "%s/plain.out", dir);
	int plain_rc = tl_client_wait(tl_client_spawn(&t, facts, "--delay-ms 300", path[1]));

	snprintf(text, sizeof(text), "device_id = %s\n", e.keyid);
	tl_facts_file(&t, "attest", text, facts, sizeof(facts));
	snprintf(extra, sizeof(extra), "--verbose --delay-ms 300 --tpm '%s' --aik-dir '%s' "
	    "--bios-log '%s' --ima-list '%s'", e.tcti, e.aik_dir, e.bios, e.ima);
	snprintf(path[0], sizeof(path[0]), "%s/attest.out", dir);
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
	    rc, out_tail());
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_session");
	TCase *tc = tcase_create("swtpm");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
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
