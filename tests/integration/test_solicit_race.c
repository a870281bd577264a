/* test_solicit_race.c - problem 1 with the real processes: an IMV that dies
 * and comes back while a connection waits for a solicited recommendation
 * must not count as "allow, compliant".
 *
 * tnc-test-stall-imv runs in place of tnc-imv-os: it gives no
 * recommendation at the end of a batch, so tnccs solicits it, and it holds
 * that solicitation until the test raises its IMV log level.  Meanwhile the
 * test kill -9s tnc-imv-swima (tnc-test-dontknow-imv, which recommends none /
 * don't know) and waits until tnccs has it back; then it
 * releases the stall IMV.  The endpoint must not be allowed:
 *  - policy default, forwarding off: no IMV gives a recommendation -> no access;
 *  - policy any, forwarding on: the stall IMV says isolate -> isolate. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

static char out[65536];

static void
race(const char *policy, const char *forwarding, int want_rc, const char *want_final)
{
	struct tl_tncd t;
	char extra[512], facts[256], client_out[256];

	/* the attestation and SWIMA IMVs, asked nothing (no workitems), would
	 * allow: the race is between the stall IMV and one that never allows */
	snprintf(extra, sizeof(extra), "[imv-os]\npath = %s/tnc-test-stall-imv\n"
	    "[imv-swima]\npath = %s/tnc-test-dontknow-imv\n"
	    "[tnccs]\nrecommendation_policy = %s\n[imv-attest]\nenabled = no\n", TNC_BIN_DIR,
	    TNC_BIN_DIR, policy);
	tl_tncd_start(&t, extra, true);
	snprintf(facts, sizeof(facts), "%s/race.facts", t.dir);
	snprintf(client_out, sizeof(client_out), "%s/client.out", t.dir);
	FILE *f = fopen(facts, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "product = Debian GNU/Linux\nversion = 12 x86_64\nforwarding = %s\n"
	    "default_password = 0\npackages = /dev/null\n", forwarding);
	fclose(f);

	pid_t client = tl_client_spawn(&t, facts, NULL, client_out);
	ck_assert_msg(tl_log_contains(&t, "stall: holding the solicitation of Connection ID", 15000),
	    "tnccs never solicited the stall IMV (log %s)", t.log);
	int swima = tl_child_pid(&t, "tnc-imv-swima");
	ck_assert_int_gt(swima, 0);
	ck_assert_int_eq(kill(swima, SIGKILL), 0);
	ck_assert_int_gt(tl_wait_state(&t, "tnc-imv-swima", "ready", swima, 10000), 0);
	ck_assert_msg(tl_log_contains(&t, "IMV 2 \"SWIMA\" is back: Connection ID", 10000),
	    "tnccs did not take the new tnc-imv-swima into the connection (log %s)", t.log);
	/* the race is set up: the solicited IMV answers only now */
	ck_assert(!tl_log_contains(&t, "stall: released", 0));
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "loglevel tnc-imv-os imv 3"), 0);
	int rc = tl_client_wait(client);
	size_t len;
	char *text = (char *)tl_read_file(client_out, &len);
	ck_assert_msg(rc != 0, "the endpoint was allowed (policy %s): %s", policy, text);
	ck_assert_msg(rc == want_rc, "tncclient exit %d, want %d: %s", rc, want_rc, text);
	free(text);
	ck_assert(tl_log_contains(&t, "stall: released Connection ID", 100));
	ck_assert(tl_log_contains(&t, want_final, 2000));
	tl_tncd_stop(&t);
}

START_TEST(default_policy_endpoint_without_a_say_is_not_allowed)
{
	race("default", "0", 3, "final recommendation is 'no access'");
}
END_TEST

START_TEST(any_policy_forwarding_endpoint_is_not_allowed)
{
	race("any", "1", 2, "final recommendation is 'isolate'");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("solicit_race");
	TCase *tc = tcase_create("race");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, default_policy_endpoint_without_a_say_is_not_allowed);
	tcase_add_test(tc, any_policy_forwarding_endpoint_is_not_allowed);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
