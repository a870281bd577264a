/* test_hostile_imv.c - a compromised IMV (tests/helpers/hostile_imv.c, run
 * by tncd in place of tnc-imv-os under tnc-imv-os's real sandbox) tries, one
 * generation after the other: to claim another IMV's ID and every PA message
 * type, to send a message of another role, and to push descriptors into
 * tnc-tnccs with frames that carry none.  Each attempt is refused and closes
 * its channel; nothing is delivered to it; tnc-tnccs keeps running with its
 * descriptor count unchanged; a session meanwhile fails closed.  The last
 * generation subscribes as the manifest says and is accepted (the control). */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static char out[65536];

static int
pid_of(struct tl_tncd *t, const char *name)
{
	char pid[32];
	ck_assert_int_eq(tl_ctl(t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_row_field(out, name, "pid", pid, sizeof(pid)), 0);
	return atoi(pid);
}

static int
open_fds(int pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	DIR *d = opendir(path);
	ck_assert_ptr_nonnull(d);
	int n = 0;
	for (struct dirent *e; (e = readdir(d));)
		n += e->d_name[0] != '.';
	closedir(d);
	return n;
}

/* kill -9 the hostile IMV and wait for its next generation to be ready. */
static void
next_generation(struct tl_tncd *t)
{
	int pid = pid_of(t, "tnc-imv-os");
	kill(pid, SIGKILL);
	ck_assert_int_gt(tl_wait_state(t, "tnc-imv-os", "ready", pid, 10000), 0);
}

/* A log line of tnc-tnccs (slot 02) containing text. */
static int
tnccs_logged(struct tl_tncd *t, const char *text, int timeout_ms)
{
	char needle[256];
	snprintf(needle, sizeof(needle), "02[IPC] %s", text);
	return tl_log_contains(t, needle, timeout_ms);
}

START_TEST(hostile_imv_is_refused)
{
	struct tl_tncd t;
	char extra[512], facts[256];

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: needs root to read tnc-tnccs's descriptors\n");
		return;
	}
	/* without tnc-policy the helper's one channel is the one to tnc-tnccs */
	snprintf(extra, sizeof(extra), "[imv-os]\npath = %s/tnc-test-hostile-imv\n"
	    "[tnccs]\nimv_timeout_ms = 1000\n[policy]\nenabled = no\n", TNC_BIN_DIR);
	tl_tncd_start(&t, extra, true);
	int tnccs = pid_of(&t, "tnc-tnccs");

	/* gen 1: claims IMV ID 3 and every PA message type */
	ck_assert(tl_log_contains(&t, "hostile: claiming IMV ID 3", 5000));
	ck_assert_msg(tnccs_logged(&t, "direct channel to tnc-imv-os closed", 5000),
	    "tnc-tnccs kept the channel of an IMV claiming another ID (log %s)", t.log);
	ck_assert(!tl_log_contains(&t, "IMV 3 \"Attestation\" (tnc-imv-os)", 0));
	/* an endpoint's evidence reaches no one; without its OS IMV it is not allowed */
	snprintf(facts, sizeof(facts), "%s/ok.facts", t.dir);
	FILE *f = fopen(facts, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "product = Debian\nversion = 12 x86_64\nforwarding = 0\ndefault_password = 0\n"
	    "packages = /dev/null\n");
	fclose(f);
	int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 20 2>&1", TNC_BIN_DIR, t.port, t.ca, facts);
	ck_assert_msg(rc != 0 && rc != 2, "tncclient exit %d without its OS IMV: %s", rc, out);
	ck_assert(!tl_log_contains(&t, "hostile: got", 0));

	/* gen 2: a message only tnc-ike may send */
	next_generation(&t);
	ck_assert(tl_log_contains(&t, "hostile: sending tnccs-batch", 5000));
	ck_assert(tnccs_logged(&t, "channel 'tnc-imv-os': message 'tnccs-batch' may not flow "
	    "from imv to tnccs", 5000));

	/* gen 3: 50 descriptors on frames that carry none */
	int before = open_fds(tnccs);
	next_generation(&t);
	ck_assert(tl_log_contains(&t, "hostile: sending 50 pings", 5000));
	ck_assert(tnccs_logged(&t, "channel 'tnc-imv-os': a descriptor came with a message that "
	    "carries none", 5000));
	/* the channel closes asynchronously: give it a moment under load */
	for (int i = 0; i < 100 && open_fds(tnccs) != before; i++)
		usleep(20000);
	ck_assert_int_eq(open_fds(tnccs), before);
	/* still generation 3: its channel, not a new one, was what closed */
	ck_assert(!tl_log_contains(&t, "(generation 4)", 0));

	/* gen 4, the control: the manifest's own subscription is accepted */
	next_generation(&t);
	ck_assert(tl_log_contains(&t, "hostile: subscribing as the manifest says", 5000));
	ck_assert(tl_log_contains(&t, "IMV 1 \"OS\" (tnc-imv-os) is available", 5000));
	for (int i = 0; i < 100 && open_fds(tnccs) != before + 1; i++)
		usleep(20000);
	ck_assert_int_eq(open_fds(tnccs), before + 1); /* its channel */

	ck_assert(!tl_log_contains(&t, "hostile: got 'imv-receive'", 0));
	ck_assert_int_eq(pid_of(&t, "tnc-tnccs"), tnccs);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("hostile_imv");
	TCase *tc = tcase_create("hostile");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, hostile_imv_is_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
