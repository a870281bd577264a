/* test_tnccs_restart.c - kill -9 of tnc-tnccs while 10 assessments are in
 * flight (tncclient --delay-ms keeps each between its batches).  tnc-ike
 * keeps the client connections and re-opens them with the new tnc-tnccs
 * (TNCCS_OPEN with RESUMED, and CLIENT_WAITS when a client's batch got no
 * answer); the assessments start over with SRETRY, and every one of the 10
 * ends with the verdict its endpoint deserves - none with a broken pipe.
 * The three kinds get three different verdicts, so that no result can go
 * to the wrong client unseen: the policy database knows the compliant
 * endpoint's packages (tl_policy_seed()), and a product it has none of
 * gets no access (the default policy would isolate it, like forwarding). */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define N 10

static const struct {
	const char *name, *facts;
	int expect; /* tncclient exit: 0 allow, 2 isolate, 3 no access */
} kinds[] = {
	{"compliant", "", 0},
	{"forwarding", "forwarding = 1\n", 2},
	{"unknown", "product = Plan 9\n", 3},
};

START_TEST(tnccs_killed_during_ten_sessions)
{
	struct tl_tncd t;
	char facts[3][256], outp[N][256];
	pid_t pids[N];

	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	tl_adm(&t, "enforcement set 'Installed Packages' Default --noresult no_access");
	for (unsigned k = 0; k < 3; k++)
		tl_facts_file(&t, kinds[k].name, kinds[k].facts, facts[k], sizeof(facts[k]));
	for (int i = 0; i < N; i++) {
		snprintf(outp[i], sizeof(outp[i]), "%s/client%d.out", t.dir, i);
		pids[i] = tl_client_spawn(&t, facts[i % 3], "--delay-ms 2500", outp[i]);
	}
	/* every connection had its first batch handled, none is decided */
	ck_assert_msg(tl_log_count_reaching(&t, "processing PB-TNC CDATA batch for Connection ID", N,
	    15000) >= N, "the 10 assessments did not start (log %s)", t.log);
	ck_assert_int_eq(tl_log_count(&t, "final recommendation is"), 0);
	int tnccs = tl_child_pid(&t, "tnc-tnccs");
	ck_assert_int_gt(tnccs, 0);
	ck_assert_int_eq(kill(tnccs, SIGKILL), 0);
	ck_assert_int_gt(tl_wait_state(&t, "tnc-tnccs", "ready", tnccs, 10000), 0);

	for (int i = 0; i < N; i++) {
		int rc = tl_client_wait(pids[i]);
		size_t len;
		char *text = (char *)tl_read_file(outp[i], &len);
		ck_assert_msg(rc == kinds[i % 3].expect, "client %d (%s): exit %d, want %d: %s", i,
		    kinds[i % 3].name, rc, kinds[i % 3].expect, text);
		free(text);
	}
	ck_assert(tl_log_contains(&t, "resumed after a tnc-tnccs restart", 100));
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tnccs_restart");
	TCase *tc = tcase_create("restart");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tnccs_killed_during_ten_sessions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
