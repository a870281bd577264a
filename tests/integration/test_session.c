/* test_session.c - complete assessments over PT-TLS between the real
 * tncclient and the real tncd on loopback, judged by the OS IMV from the
 * workitems of the policy database (seeded with tl_policy_seed()): allow,
 * isolate for forwarding, a blacklisted package or an unknown product,
 * segmentation of a large package list, an IMV killed mid-session, and 50
 * clients at once. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static char out[1 << 20];

/* tncd with extra, its database knowing the packages of tl_facts_file(). */
static void
start(struct tl_tncd *t, const char *extra)
{
	tl_tncd_start(t, extra, true);
	tl_policy_seed(t);
}

/* A facts file (tl_facts_file()); returns its path (static buffer). */
static const char *
facts(struct tl_tncd *t, const char *name, const char *text)
{
	static char path[256];
	return tl_facts_file(t, name, text, path, sizeof(path));
}

static int
client(struct tl_tncd *t, const char *facts_path, const char *extra)
{
	return tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 %s 2>&1", TNC_BIN_DIR, t->port, t->ca, facts_path, extra ? extra : "");
}

START_TEST(compliant_machine_is_allowed)
{
	struct tl_tncd t;
	start(&t, NULL);
	int rc = client(&t, facts(&t, "ok", ""), NULL);
	ck_assert_msg(rc == 0, "tncclient exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "allow"), "%s", out);
	ck_assert(tl_log_contains(&t, "final recommendation is 'allow' and evaluation is 'compliant'", 2000));
	/* judged per workitem of the default group */
	ck_assert(tl_log_contains(&t, "IMV 1 handles PCKGS workitem 1", 100));
	ck_assert(tl_log_contains(&t, "IMV 1 handled PCKGS workitem 1: allow - ", 100));
	ck_assert(tl_log_contains(&t, "IMV 1 handled FWDEN workitem 2: allow - ", 100));
	ck_assert(tl_log_contains(&t, "IMV 1 handled PWDEN workitem 3: allow - ", 100));
	/* the operator can follow the session in the log */
	ck_assert(tl_log_contains(&t, "[TNC] assigned TNCCS Connection ID", 100));
	ck_assert(tl_log_contains(&t, "processing PB-TNC CDATA batch for Connection ID", 100));
	ck_assert(tl_log_contains(&t, "handling PB-PA message type 'IETF/Operating System' 0x000000/0x00000001", 100));
	ck_assert(tl_log_contains(&t, "IMV 1 provides recommendation 'allow' and evaluation 'compliant'", 100));
	ck_assert(tl_log_contains(&t, "sending PB-TNC RESULT batch", 100));
	ck_assert(tl_log_contains(&t, "removed TNCCS Connection ID", 2000));
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(forwarding_enabled_is_isolated)
{
	struct tl_tncd t;
	start(&t, NULL);
	int rc = client(&t, facts(&t, "fwd", "forwarding = 1\n"), NULL);
	ck_assert_msg(rc == 2, "tncclient exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "isolate"), "%s", out);
	ck_assert_msg(strstr(out, "forwarding"), "no remediation about forwarding: %s", out);
	ck_assert(tl_log_contains(&t, "final recommendation is 'isolate'", 2000));
	/* the packages pass: forwarding alone isolates */
	ck_assert(tl_log_contains(&t, "IMV 1 handled PCKGS workitem 1: allow - ", 100));
	ck_assert(tl_log_contains(&t, "IMV 1 handled FWDEN workitem 2: isolate - ", 100));
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(blacklisted_package_is_isolated)
{
	struct tl_tncd t;
	start(&t, NULL);
	int rc = client(&t, facts(&t, "bl", "packages_extra = telnetd=0.17-44\n"), NULL);
	ck_assert_msg(rc == 2, "tncclient exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "telnetd"), "no remediation naming the package: %s", out);
	ck_assert(tl_log_contains(&t, "IMV 1 handled PCKGS workitem 1: isolate - ", 2000));
	ck_assert(tl_log_contains(&t, "blacklisted package telnetd", 100));
	tl_tncd_stop(&t);
}
END_TEST

/* A product the database has no packages of: PCKGS has no result, which
 * the default policy answers with isolate (test_os_workitems: no access
 * when the operator says so). */
START_TEST(unknown_product_is_isolated)
{
	struct tl_tncd t;
	start(&t, NULL);
	int rc = client(&t, facts(&t, "unk", "product = Windows\nversion = 95\n"), NULL);
	ck_assert_msg(rc == 2, "tncclient exit %d: %s", rc, out);
	ck_assert(tl_log_contains(&t, "final recommendation is 'isolate'", 2000));
	ck_assert(tl_log_contains(&t, "IMV 1 handled PCKGS workitem 1: isolate - ", 100));
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(large_package_list_is_segmented)
{
	struct tl_tncd t;
	start(&t, "[imv-os]\nmax_segment_size = 4096\n");
	/* 20000 packages, the blacklisted one appended last: only a complete
	 * reassembly can find it */
	const char *f = facts(&t, "big", "packages_count = 20000\npackages_extra = rsh-server=0.17-22\n");
	int rc = client(&t, f, NULL);
	ck_assert_msg(rc == 2, "tncclient exit %d: %s", rc, out);
	ck_assert_msg(strstr(out, "rsh-server"), "%s", out);
	ck_assert(tl_log_contains(&t, "reassembled", 2000));
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(imv_killed_mid_session)
{
	struct tl_tncd t;
	char pid[32];
	start(&t, NULL);
	const char *f = facts(&t, "kill", "");
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 --delay-ms 1500 > %s/kill.out 2>&1", TNC_BIN_DIR, t.port, t.ca, f, t.dir);
	pid_t c = fork();
	if (c == 0) {
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	}
	/* wait until the OS IMV holds the connection, then kill it */
	ck_assert(tl_log_contains(&t, "handling PB-PA message type 'IETF/Operating System'", 10000));
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_row_field(out, "tnc-imv-os", "pid", pid, sizeof(pid)), 0);
	ck_assert_int_eq(kill(atoi(pid), SIGKILL), 0);
	int st;
	ck_assert_int_eq(waitpid(c, &st, 0), c);
	ck_assert(WIFEXITED(st));
	/* Completed after a handshake retry with the restarted IMV. */
	ck_assert(tl_log_contains(&t, "terminated during the assessment", 100));
	ck_assert(tl_log_contains(&t, "requesting a handshake retry", 100));
	ck_assert_msg(WEXITSTATUS(st) == 0, "tncclient exit %d", WEXITSTATUS(st));
	/* and later sessions are normal */
	int rc = client(&t, f, NULL);
	ck_assert_msg(rc == 0, "tncclient exit %d: %s", rc, out);
	tl_tncd_stop(&t);
}
END_TEST

/* tls_ca set: a client must present a certificate issued by that CA. */
START_TEST(client_certificate_required)
{
	char dir[] = "/tmp/tnc-pki-XXXXXX", extra[512];
	tl_mkdtemp(dir);
	int rc = tl_sh(out, sizeof(out),
	    "cd %s && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes "
	    "-keyout ca.key -out ca.pem -subj /CN=test-ca -days 2 2>&1 && "
	    "openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout client.key "
	    "-out client.csr -subj /O=tnc/CN=endpoint-7 2>&1 && "
	    "openssl x509 -req -in client.csr -CA ca.pem -CAkey ca.key -CAcreateserial "
	    "-out client.pem -days 2 2>&1 && chmod 644 *", dir);
	ck_assert_msg(rc == 0, "openssl: %s", out);
	snprintf(extra, sizeof(extra), "[ike]\ntls_ca = %s/ca.pem\n[imv-os]\nlog.IMV = 2\n", dir);
	struct tl_tncd t;
	start(&t, extra);
	const char *f = facts(&t, "cert", "");
	/* no client certificate: refused during the TLS handshake */
	rc = client(&t, f, NULL);
	ck_assert_msg(rc == 4, "tncclient without a certificate: exit %d: %s", rc, out);
	/* a certificate from the CA: assessed, and its subject is the identity */
	char opts[256];
	snprintf(opts, sizeof(opts), "--cert %s/client.pem --key %s/client.key", dir, dir);
	rc = client(&t, f, opts);
	ck_assert_msg(rc == 0, "tncclient with a certificate: exit %d: %s", rc, out);
	ck_assert(tl_log_contains(&t, "identity /O=tnc/CN=endpoint-7", 2000));
	ck_assert(tl_log_contains(&t, "[IMV]   user AR identity '/O=tnc/CN=endpoint-7' of type "
	    "X.500 DN authenticated by certificate", 2000));
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(fifty_concurrent_sessions)
{
	struct tl_tncd t;
	enum { N = 50 };
	pid_t pids[N];
	start(&t, NULL);
	const char *ok = facts(&t, "ok", "");
	char okpath[256], fwdpath[256];
	snprintf(okpath, sizeof(okpath), "%s", ok);
	snprintf(fwdpath, sizeof(fwdpath), "%s", facts(&t, "fwd", "forwarding = 1\n"));
	for (int i = 0; i < N; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			char port[16];
			snprintf(port, sizeof(port), "127.0.0.1:%d", t.port);
			int fd = open("/dev/null", 1);
			dup2(fd, 1);
			dup2(fd, 2);
			/* every fifth client has forwarding on: results must not mix */
			execl(TNC_BIN_DIR "/tncclient", "tncclient", "--server", port, "--ca", t.ca,
			    "--facts", i % 5 == 4 ? fwdpath : okpath, "--timeout", "60", (char *)NULL);
			_exit(127);
		}
	}
	int allowed = 0, isolated = 0;
	for (int i = 0; i < N; i++) {
		int st;
		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		ck_assert(WIFEXITED(st));
		int want = i % 5 == 4 ? 2 : 0;
		ck_assert_msg(WEXITSTATUS(st) == want, "client %d exit %d, want %d", i,
		    WEXITSTATUS(st), want);
		allowed += WEXITSTATUS(st) == 0;
		isolated += WEXITSTATUS(st) == 2;
	}
	ck_assert_int_eq(allowed, 40);
	ck_assert_int_eq(isolated, 10);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("session");
	TCase *tc = tcase_create("pt-tls");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, compliant_machine_is_allowed);
	tcase_add_test(tc, forwarding_enabled_is_isolated);
	tcase_add_test(tc, blacklisted_package_is_isolated);
	tcase_add_test(tc, unknown_product_is_isolated);
	tcase_add_test(tc, large_package_list_is_segmented);
	tcase_add_test(tc, imv_killed_mid_session);
	tcase_add_test(tc, client_certificate_required);
	tcase_add_test(tc, fifty_concurrent_sessions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
