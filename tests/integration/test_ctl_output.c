/* test_ctl_output.c - what tncctl prints for people and for programs:
 *  - `tncctl metrics` parses with Debian's python3-prometheus-client, and a
 *    session moves the counters by exactly what it did (one allow, one
 *    isolate, their batches, their duration, the OS IMV's recommendations),
 *    tnc-ike's PT-TLS errors and refused connections by reason, and a killed
 *    child shows as not answering while it is down and as a restart after;
 *  - every `--json` output parses as JSON with the documented field types,
 *    with --json before or after the command;
 *  - every program's --help exits 0 and --version names the version; a bad
 *    tncctl option exits 2. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tl_ptls.h"

#define PY "/usr/bin/python3 " TNC_SOURCE_DIR "/tests/py/"

static char out[1 << 18];

/* The value of one parsed sample ("name{labels}"); -1 when absent. */
static double
sample(const char *samples, const char *name)
{
	char needle[256];
	snprintf(needle, sizeof(needle), "%s ", name);
	const char *p = strstr(samples, needle);
	return p ? strtod(p + strlen(needle), NULL) : -1;
}

static void
scrape(struct tl_tncd *t, char *samples, size_t size)
{
	int rc = tl_sh(samples, size, "%s/tncctl -s %s metrics | " PY "metrics_sample.py",
	    TNC_BIN_DIR, t->sock);
	ck_assert_msg(rc == 0, "metrics do not parse: %s", samples);
}

static int
client(struct tl_tncd *t, const char *extra_facts)
{
	char facts[256];
	tl_facts_file(t, "f", extra_facts, facts, sizeof(facts));
	return tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 20 2>&1", TNC_BIN_DIR, t->port, t->ca, facts);
}

START_TEST(metrics_move_with_sessions)
{
	struct tl_tncd t;
	static char before[1 << 16], after[1 << 16];

	tl_tncd_start(&t, "[ike]\nhandshake_timeout = 1\n"
	    "[daemon]\nrestart_delay_ms = 2000\nrestart_delay_max_ms = 2000\n", true);
	tl_policy_seed(&t); /* the endpoint's packages are known: allow */
	scrape(&t, before, sizeof(before));
	ck_assert_msg(sample(before, "tnc_child_metrics_answered{child=\"tnc-tnccs\"}") == 1, "%s",
	    before);
	ck_assert_int_eq(client(&t, ""), 0);
	ck_assert_msg(client(&t, "forwarding = 1\n") == 2, "%s", out);
	ck_assert(tl_log_contains(&t, "removed TNCCS Connection ID 2", 5000));
	scrape(&t, after, sizeof(after));

#define DELTA(name) (sample(after, name) - (sample(before, name) < 0 ? 0 : sample(before, name)))
	ck_assert_msg(DELTA("tnc_sessions_decided_total{recommendation=\"allow\"}") == 1, "%s", after);
	ck_assert_msg(DELTA("tnc_sessions_decided_total{recommendation=\"isolate\"}") == 1, "%s", after);
	ck_assert_msg(DELTA("tnc_imv_recommendations_total{imv=\"OS\",recommendation=\"allow\"}") == 1,
	    "%s", after);
	ck_assert_msg(DELTA("tnc_session_duration_seconds_count{}") == 2, "%s", after);
	ck_assert_msg(sample(after, "tnc_sessions_in_flight{}") == 0, "%s", after);
	/* each session: at least CDATA and CLOSE in, SDATA/RESULT out */
	ck_assert_msg(DELTA("tnc_pb_tnc_batches_total{direction=\"from_client\"}") >= 4, "%s", after);
	ck_assert_msg(DELTA("tnc_pb_tnc_batches_total{direction=\"to_client\"}") >= 2, "%s", after);
	ck_assert_msg(DELTA("tnc_pb_tnc_bytes_total{direction=\"from_client\"}") > 100, "%s", after);

	/* tnc-ike: an unsupported PT-TLS message is answered with an error, a
	 * connection that never gets to the data phase is ended */
	struct tl_ptls c;
	ck_assert_int_eq(tl_ptls_connect(&c, t.port, 1), 0);
	static const uint8_t unsupported[16] = {0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 16};
	ck_assert_int_eq(tl_ptls_send_raw(&c, unsupported, sizeof(unsupported)), 0);
	uint8_t *m;
	size_t len;
	ck_assert_int_eq(tl_ptls_recv(&c, &m, &len, 5000), 0);
	free(m);
	tl_ptls_close(&c);
	struct tl_ptls silent;
	ck_assert_int_eq(tl_ptls_connect(&silent, t.port, 0), 0); /* TLS, no PT-TLS */
	ck_assert(tl_ptls_closed(&silent, 3000));
	tl_ptls_close(&silent);
	scrape(&t, after, sizeof(after));
	ck_assert_msg(DELTA("tnc_pt_tls_errors_total{code=\"Type Not Supported\"}") == 1, "%s",
	    after);
	ck_assert_msg(DELTA("tnc_connections_refused_total{reason=\"handshake_timeout\"}") == 1,
	    "%s", after);

	/* a killed child does not answer while it waits for its restart (not the
	 * 1 of the scrape before), then it is restarted and counted */
	const char *swima_answered = "tnc_child_metrics_answered{child=\"tnc-imv-swima\"}";
	ck_assert_msg(sample(after, swima_answered) == 1, "%s", after);
	int pid = tl_child_pid(&t, "tnc-imv-swima");
	ck_assert_int_gt(pid, 0);
	kill(pid, SIGKILL);
	ck_assert_int_ne(tl_wait_state(&t, "tnc-imv-swima", "backing-off", pid, 1500), -1);
	scrape(&t, after, sizeof(after));
	ck_assert_msg(sample(after, swima_answered) == 0, "%s", after);
	ck_assert_int_gt(tl_wait_state(&t, "tnc-imv-swima", "ready", pid, 10000), 0);
	scrape(&t, after, sizeof(after));
	ck_assert_msg(sample(after, "tnc_child_restarts_total{child=\"tnc-imv-swima\"}") == 1, "%s",
	    after);
	ck_assert_msg(sample(after, swima_answered) == 1, "%s", after);
	tl_tncd_stop(&t);
}
END_TEST

/* `tncctl ARGS` as JSON through json_types.py with the schema named. */
static void
json_ok(struct tl_tncd *t, const char *args, const char *schema)
{
	int rc = tl_sh(out, sizeof(out), "%s/tncctl -s %s %s | " PY "json_types.py %s 2>&1",
	    TNC_BIN_DIR, t->sock, args, schema);
	ck_assert_msg(rc == 0, "tncctl %s: %s", args, out);
}

START_TEST(json_is_typed_wherever_the_option_stands)
{
	struct tl_tncd t;
	tl_tncd_start(&t, NULL, true);
	json_ok(&t, "--json status", "status");
	json_ok(&t, "status --json", "status");
	json_ok(&t, "-j privileges", "privileges");
	json_ok(&t, "privileges --json", "privileges");
	json_ok(&t, "metrics --json", "metrics");
	json_ok(&t, "--json loglevel tnc-imv-os TNC -1", "none");
	json_ok(&t, "loglevel TNC 1 --json", "none");
	json_ok(&t, "ping tnc-tnccs tnc-imv-os --json", "none");
	/* a refused command is JSON too, with its status */
	int rc = tl_sh(out, sizeof(out), "%s/tncctl -s %s --json restart nobody", TNC_BIN_DIR, t.sock);
	ck_assert_int_eq(rc, 1);
	ck_assert_msg(strstr(out, "\"status\":") && strstr(out, "no process named"), "%s", out);
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(help_version_and_bad_options)
{
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncctl --help", TNC_BIN_DIR), 0);
	ck_assert_msg(strstr(out, "usage: tncctl") && strstr(out, "metrics"), "%s", out);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncctl --version", TNC_BIN_DIR), 0);
	ck_assert_msg(strstr(out, "tncctl " TNC_VERSION), "%s", out);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncctl --colour status 2>&1", TNC_BIN_DIR), 2);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncctl 2>&1", TNC_BIN_DIR), 2);
	/* every program the operator runs */
	static const char *const programs[] = {"tncd", "tncctl", "tncadm", "tncclient", "tncdump"};
	for (size_t i = 0; i < sizeof(programs) / sizeof(programs[0]); i++) {
		char want[64];
		ck_assert_msg(tl_sh(out, sizeof(out), "%s/%s --help", TNC_BIN_DIR, programs[i]) == 0,
		    "%s --help: %s", programs[i], out);
		ck_assert_msg(strstr(out, "usage"), "%s --help: %s", programs[i], out);
		ck_assert_msg(tl_sh(out, sizeof(out), "%s/%s --version", TNC_BIN_DIR, programs[i]) == 0,
		    "%s --version: %s", programs[i], out);
		snprintf(want, sizeof(want), "%s " TNC_VERSION, programs[i]);
		ck_assert_msg(strstr(out, want), "%s --version: %s", programs[i], out);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ctl_output");
	TCase *tc = tcase_create("ctl");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, metrics_move_with_sessions);
	tcase_add_test(tc, json_is_typed_wherever_the_option_stands);
	tcase_add_test(tc, help_version_and_bad_options);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
