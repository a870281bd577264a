/* test_tncd.c - the real tncd and its six children on this machine:
 * sandboxes as read from /proc, kill -9 and operator restarts, live log
 * levels, a seccomp violation, a crash loop backing off, shutdown, and a
 * first start that fails loudly instead of crash-looping, and a child
 * flooding the log. */
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testlib.h"

static const char *const children[] = {"tnc-ike", "tnc-tnccs", "tnc-imv-os", "tnc-imv-swima",
    "tnc-imv-attest", "tnc-policy"};
/* Without a user in the config: the system user named like the process,
 * where this machine has one (the .deb test may have left them), else the
 * manifest's fallback ids. */
static const unsigned fallback_uids[] = {70701, 70702, 70710, 70711, 70712, 70703};
#define NCHILD 6

static unsigned
default_uid(int i)
{
	const struct passwd *pw = getpwnam(children[i]);
	return pw ? pw->pw_uid : fallback_uids[i];
}

static char out[65536];

static int
pid_of(struct tl_tncd *t, const char *name)
{
	char pid[32];
	ck_assert_int_eq(tl_ctl(t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_row_field(out, name, "pid", pid, sizeof(pid)), 0);
	return atoi(pid);
}

START_TEST(children_are_sandboxed)
{
	struct tl_tncd t;
	char v[128], w[128], privs[65536];

	if (geteuid() != 0) {
		fprintf(stderr, "SKIP: per-child uids need root (CI runs as root)\n");
		return;
	}
	tl_tncd_start(&t, NULL, true);
	ck_assert_int_eq(tl_ctl(&t, privs, sizeof(privs), "privileges"), 0);
	unsigned seen_uids[NCHILD];
	for (int i = 0; i < NCHILD; i++) {
		int pid = pid_of(&t, children[i]);
		ck_assert_int_gt(pid, 0);
		/* Read by the test itself from /proc ... */
		ck_assert_int_eq(tl_proc_status(pid, "Uid", v, sizeof(v)), 0);
		unsigned r, e, s, f;
		ck_assert_int_eq(sscanf(v, "%u %u %u %u", &r, &e, &s, &f), 4);
		ck_assert_uint_eq(e, default_uid(i));
		ck_assert_uint_eq(r, default_uid(i));
		ck_assert_uint_eq(s, default_uid(i));
		seen_uids[i] = e;
		ck_assert_int_eq(tl_proc_status(pid, "NoNewPrivs", v, sizeof(v)), 0);
		ck_assert_str_eq(v, "1");
		ck_assert_int_eq(tl_proc_status(pid, "Seccomp", v, sizeof(v)), 0);
		ck_assert_str_eq(v, "2");
		ck_assert_int_eq(tl_proc_status(pid, "CapEff", v, sizeof(v)), 0);
		ck_assert_str_eq(v, "0000000000000000");
		ck_assert_int_eq(tl_proc_status(pid, "CapBnd", v, sizeof(v)), 0);
		ck_assert_str_eq(v, "0000000000000000");
		ck_assert_int_eq(tl_proc_status(pid, "Groups", v, sizeof(v)), 0);
		ck_assert_str_eq(v, "");
		/* ... and the same as tncctl privileges --json shows. */
		ck_assert_int_eq(tl_row_field(privs, children[i], "pid", w, sizeof(w)), 0);
		ck_assert_int_eq(atoi(w), pid);
		ck_assert_int_eq(tl_row_field(privs, children[i], "uid", w, sizeof(w)), 0);
		ck_assert_uint_eq((unsigned)atoi(w), e);
		ck_assert_int_eq(tl_row_field(privs, children[i], "no_new_privs", w, sizeof(w)), 0);
		ck_assert_str_eq(w, "1");
		ck_assert_int_eq(tl_row_field(privs, children[i], "seccomp", w, sizeof(w)), 0);
		ck_assert_str_eq(w, "2");
		ck_assert_int_eq(tl_row_field(privs, children[i], "cap_eff", w, sizeof(w)), 0);
		ck_assert_str_eq(w, "0000000000000000");
		ck_assert_int_eq(tl_row_field(privs, children[i], "syscalls", w, sizeof(w)), 0);
		ck_assert_int_gt(atoi(w), 20);
		/* chrooted into its own state directory */
		char expect_root[256];
		snprintf(expect_root, sizeof(expect_root), "%s/state/%s", t.dir, children[i] + 4);
		ck_assert_int_eq(tl_row_field(privs, children[i], "root", w, sizeof(w)), 0);
		ck_assert_str_eq(w, expect_root);
		ck_assert_int_eq(tl_row_field(privs, children[i], "fds", w, sizeof(w)), 0);
		/* fixed fds 0-4, libuv's own (epoll, eventfd, signal pipes, a reserve
		 * fd), one per peer channel and tnc-policy's database with its -wal
		 * and -shm: nothing inherited by accident */
		ck_assert_int_gt(atoi(w), 5);
		ck_assert_int_le(atoi(w), strcmp(children[i], "tnc-policy") ? 18 : 21);
	}
	/* each child its own uid */
	for (int i = 0; i < NCHILD; i++)
		for (int j = i + 1; j < NCHILD; j++)
			ck_assert_uint_ne(seen_uids[i], seen_uids[j]);
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(kill_9_restarts_only_that_child)
{
	struct tl_tncd t;
	int before[NCHILD];

	tl_tncd_start(&t, NULL, true);
	for (int i = 0; i < NCHILD; i++)
		before[i] = pid_of(&t, children[i]);
	ck_assert_int_eq(kill(before[4], SIGKILL), 0);
	int fresh = tl_wait_state(&t, "tnc-imv-attest", "ready", before[4], 2000);
	ck_assert_msg(fresh > 0, "no new tnc-imv-attest within 2 s");
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(pid_of(&t, children[i]), before[i]);
	/* tnccs has a working direct channel to the new instance */
	int rc = 1;
	for (int tries = 0; tries < 50 && rc != 0; tries++) {
		rc = tl_ctl(&t, out, sizeof(out), "ping tnc-tnccs tnc-imv-attest");
		if (rc)
			usleep(20000);
	}
	ck_assert_msg(rc == 0, "ping through tnccs failed: %s", out);
	ck_assert_ptr_nonnull(strstr(out, "answered"));
	ck_assert(tl_log_contains(&t, "tnc-imv-attest", 1000));
	ck_assert(tl_log_contains(&t, "died: signal 9 (KILL)", 1000));
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(operator_restart_and_live_loglevel)
{
	struct tl_tncd t;
	int before[NCHILD];

	tl_tncd_start(&t, NULL, true);
	for (int i = 0; i < NCHILD; i++)
		before[i] = pid_of(&t, children[i]);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "restart tnc-imv-os"), 0);
	int fresh = tl_wait_state(&t, "tnc-imv-os", "ready", before[2], 3000);
	ck_assert_int_gt(fresh, 0);
	for (int i = 0; i < NCHILD; i++)
		if (i != 2)
			ck_assert_int_eq(pid_of(&t, children[i]), before[i]);
	ck_assert(tl_log_contains(&t, "tnc-imv-os (pid", 1000));
	ck_assert(tl_log_contains(&t, "stopped", 1000));

	/* imv-os logs received frames only at IPC level 3. */
	const char *needle = "10[IPC] channel 'tnc-tnccs': received 'ping'";
	int rc = 1;
	for (int tries = 0; tries < 50 && rc != 0; tries++)
		if ((rc = tl_ctl(&t, out, sizeof(out), "ping tnc-tnccs tnc-imv-os")))
			usleep(20000);
	ck_assert_int_eq(rc, 0);
	ck_assert(!tl_log_contains(&t, needle, 300));
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "loglevel tnc-imv-os IPC 3"), 0);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "ping tnc-tnccs tnc-imv-os"), 0);
	ck_assert(tl_log_contains(&t, needle, 2000));
	/* other children did not change level */
	ck_assert(!tl_log_contains(&t, "11[IPC] channel", 200));
	ck_assert_int_ne(tl_ctl(&t, out, sizeof(out), "loglevel tnc-imv-os NOPE 3"), 0);
	ck_assert_int_ne(tl_ctl(&t, out, sizeof(out), "restart tnc-nothing"), 0);
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(seccomp_violation_is_reported_and_restarted)
{
	struct tl_tncd t;
	char extra[512], v[64];

	snprintf(extra, sizeof(extra), "[imv-os]\npath = %s/tnc-test-socket-probe\n", TNC_BIN_DIR);
	tl_tncd_start(&t, extra, false);
	ck_assert_msg(tl_log_contains(&t, "10[DMN] probe: calling socket()", 5000),
	    "the probe never reached socket()");
	ck_assert(tl_log_contains(&t, "tnc-imv-os (pid", 3000));
	ck_assert(tl_log_contains(&t, "killed by SIGSYS: seccomp violation", 3000));
	ck_assert(!tl_log_contains(&t, "the sandbox did NOT stop it", 100));
	/* restarted: generation grows */
	int ok = 0;
	for (int i = 0; i < 100 && !ok; i++) {
		ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
		ck_assert_int_eq(tl_row_field(out, "tnc-imv-os", "restarts", v, sizeof(v)), 0);
		ok = atoi(v) >= 2;
		usleep(50000);
	}
	ck_assert_msg(ok, "tnc-imv-os was not restarted");
	ck_assert_int_eq(tl_row_field(out, "tnc-imv-os", "last_exit", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "SIGSYS (seccomp violation)");
	/* the other children are unaffected */
	ck_assert_int_gt(tl_wait_state(&t, "tnc-tnccs", "ready", 0, 3000), 0);
	ck_assert_int_gt(tl_wait_state(&t, "tnc-imv-attest", "ready", 0, 3000), 0);
	tl_tncd_stop(&t);
}
END_TEST

/* A child that did start (READY once) and then keeps dying is restarted
 * with a growing delay, and tncd keeps running. */
START_TEST(crash_loop_backs_off)
{
	struct tl_tncd t;
	char v[64], extra[256];

	snprintf(extra, sizeof(extra), "[imv-swima]\npath = %s/tnc-test-sup-crash-after-ready\n",
	    TNC_BIN_DIR);
	tl_tncd_start(&t, extra, false);
	int others[NCHILD];
	for (int i = 0; i < NCHILD; i++)
		if (i != 3)
			ck_assert_int_gt(others[i] = tl_wait_state(&t, children[i], "ready", 0, 10000), 0);
	/* the delay doubles: 100, 200, 400, 800, then the 1600 ms cap */
	unsigned seen_max = 0, seen_backoff = 0, prev = 0, grew = 0;
	for (int i = 0; i < 300 && seen_max < 1600; i++) {
		ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
		ck_assert_int_eq(tl_row_field(out, "tnc-imv-swima", "state", v, sizeof(v)), 0);
		if (strcmp(v, "backing-off") == 0) {
			seen_backoff++;
			ck_assert_int_eq(tl_row_field(out, "tnc-imv-swima", "backoff_ms", v, sizeof(v)), 0);
			unsigned ms = (unsigned)atoi(v);
			grew += ms > prev;
			prev = ms;
			if (ms > seen_max)
				seen_max = ms;
		}
		usleep(30000);
	}
	ck_assert_uint_gt(seen_backoff, 0);
	ck_assert_uint_ge(grew, 3);
	ck_assert_uint_eq(seen_max, 1600);
	ck_assert(tl_log_contains(&t, "tnc-imv-swima is crash-looping", 1000));
	ck_assert_int_eq(tl_row_field(out, "tnc-imv-swima", "last_exit", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "exit code 1");
	for (int i = 0; i < NCHILD; i++)
		if (i != 3)
			ck_assert_int_eq(pid_of(&t, children[i]), others[i]);
	ck_assert(!tl_log_contains(&t, "the first start fails", 10));
	tl_tncd_stop(&t);
}
END_TEST

/* The first start fails loudly: tncd exits 1 well within ready_timeout_ms
 * (1000 here), says which child and why, and the PT-TLS port it had bound
 * is free again - instead of a crash loop holding the port. */
static void
expect_first_start_failure(struct tl_tncd *t, const char *const *needles)
{
	int rc = tl_tncd_wait_exit(t, 3000);
	ck_assert_msg(rc == 1, "tncd exit code %d, want 1 (log %s)", rc, t->log);
	for (; *needles; needles++)
		ck_assert_msg(tl_log_contains(t, *needles, 0), "no '%s' in %s", *needles, t->log);
	ck_assert_msg(tl_port_free(t->port), "PT-TLS port %d still bound", t->port);
	ck_assert_msg(access(t->sock, F_OK) != 0, "control socket left behind");
}

START_TEST(first_start_fails_when_a_child_exits)
{
	struct tl_tncd t;
	char extra[256];

	snprintf(extra, sizeof(extra), "path = %s/tnc-test-sup-start-fail\n"
	    "[daemon]\nready_timeout_ms = 1000\n", TNC_BIN_DIR);
	tl_tncd_start(&t, extra, false); /* extra continues the [ike] section */
	static const char *const needles[] = {
		"tnc-ike failed before it was ever ready (exit code 3)",
		"all children stopped",
		"tncd stopped: the first start failed: tnc-ike did not become ready (exit code 3); "
		    "its first error: 01[TLS] sup-start-fail: cannot load the test key",
		NULL};
	expect_first_start_failure(&t, needles);
	/* it did bind the port before: the listener was opened, then released */
	ck_assert(tl_log_contains(&t, "listening for PT-TLS on", 0));
	ck_assert(!tl_log_contains(&t, "restarting tnc-ike", 0));
}
END_TEST

START_TEST(first_start_fails_when_a_child_hangs)
{
	struct tl_tncd t;
	char extra[256];

	snprintf(extra, sizeof(extra), "[imv-attest]\npath = %s/tnc-test-sup-start-hang\n"
	    "[daemon]\nready_timeout_ms = 1000\n", TNC_BIN_DIR);
	tl_tncd_start(&t, extra, false);
	static const char *const needles[] = {
		"tnc-imv-attest failed before it was ever ready (signal 9 (KILL), killed: not ready "
		    "in time)",
		"tncd stopped: the first start failed: tnc-imv-attest",
		NULL};
	expect_first_start_failure(&t, needles);
}
END_TEST

/* A key that does not match the certificate: the start refuses the file
 * with its line, before anything is bound or spawned. */
START_TEST(first_start_fails_on_a_bad_key)
{
	struct tl_tncd t;
	char extra[512], dir[] = "/tmp/tnc-keys-XXXXXX";

	tl_mkdtemp(dir);
	tl_make_cert(dir, "a");
	tl_make_cert(dir, "b");
	snprintf(extra, sizeof(extra), "tls_cert = %s/a.crt\ntls_key = %s/b.key\n", dir, dir);
	tl_tncd_start(&t, extra, false);
	char want[256];
	snprintf(want, sizeof(want), "tncd.conf:10: [ike] tls_key: the certificate in %s/a.crt "
	    "does not match the key in %s/b.key", dir, dir);
	static const char *needles[2];
	needles[0] = want;
	expect_first_start_failure(&t, needles);
	ck_assert(!tl_log_contains(&t, "started tnc-", 0));
}
END_TEST

START_TEST(sigterm_stops_every_child)
{
	struct tl_tncd t;
	int pids[NCHILD];

	tl_tncd_start(&t, NULL, true);
	for (int i = 0; i < NCHILD; i++)
		pids[i] = pid_of(&t, children[i]);
	tl_tncd_stop(&t);
	for (int i = 0; i < NCHILD; i++)
		ck_assert_msg(kill(pids[i], 0) != 0, "%s survived tncd", children[i]);
	/* front to back: ike stops before the IMVs */
	size_t len;
	char *log = (char *)tl_read_file(t.log, &len);
	char *ike = strstr(log, "tnc-ike (pid");
	ike = ike ? strstr(ike, "stopped") : NULL;
	char *imv = strstr(log, "tnc-imv-attest (pid");
	while (imv && strstr(imv + 1, "tnc-imv-attest (pid"))
		imv = strstr(imv + 1, "tnc-imv-attest (pid");
	ck_assert_ptr_nonnull(ike);
	ck_assert_ptr_nonnull(imv);
	ck_assert_msg(ike < imv, "tnc-ike stopped after the IMVs");
	free(log);
}
END_TEST

START_TEST(sighup_reloads_or_keeps_the_config)
{
	struct tl_tncd t;
	char v[64];

	tl_tncd_start(&t, NULL, true);
	int os_before = pid_of(&t, "tnc-imv-os"), ike_before = pid_of(&t, "tnc-ike");
	int tnccs_before = pid_of(&t, "tnc-tnccs");
	/* a broken file is refused, nothing changes */
	FILE *f = fopen(t.conf, "a");
	ck_assert_ptr_nonnull(f);
	fputs("[imv-os]\nbogus = 1\n", f);
	fclose(f);
	ck_assert_int_eq(kill(t.pid, SIGHUP), 0);
	ck_assert(tl_log_contains(&t, "reload refused, keeping the running configuration", 3000));
	ck_assert_int_eq(pid_of(&t, "tnc-imv-os"), os_before);
	/* values are checked as at start: an empty choice (which used to spin
	 * tncd for ever) and an [imv-os] value out of range change nothing */
	static const char *const bad_values[] = {"[tnccs]\nrecommendation_policy =\n",
	    "[imv-os]\nmax_segment_size = 100\n"};
	for (int i = 0; i < 2; i++) {
		char text[1024];
		snprintf(text, sizeof(text), "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\n"
		    "[ike]\npt_tls_listen = 127.0.0.1:%d\n%s", t.sock, t.dir, t.port, bad_values[i]);
		f = fopen(t.conf, "w");
		ck_assert_ptr_nonnull(f);
		fputs(text, f);
		fclose(f);
		ck_assert_int_eq(kill(t.pid, SIGHUP), 0);
		ck_assert_int_eq(tl_log_count_reaching(&t, "reload refused", 2 + i, 3000), 2 + i);
		ck_assert_int_eq(pid_of(&t, "tnc-imv-os"), os_before);
		ck_assert_int_eq(pid_of(&t, "tnc-tnccs"), tnccs_before);
	}
	/* a valid change: imv-os gets a remediation URI, so only imv-os restarts */
	char text[1024];
	snprintf(text, sizeof(text), "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\n"
	    "restart_delay_ms = 100\nrestart_delay_max_ms = 1600\nping_interval_ms = 500\n"
	    "[ike]\npt_tls_listen = 127.0.0.1:%d\n[imv-os]\n"
	    "remediation_uri = https://nac.example/remediation\n",
	    t.sock, t.dir, t.port);
	f = fopen(t.conf, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	ck_assert_int_eq(kill(t.pid, SIGHUP), 0);
	ck_assert(tl_log_contains(&t, "configuration of tnc-imv-os changed", 3000));
	ck_assert_int_gt(tl_wait_state(&t, "tnc-imv-os", "ready", os_before, 5000), 0);
	ck_assert_int_eq(pid_of(&t, "tnc-ike"), ike_before);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_row_field(out, "tnc-imv-os", "restarts", v, sizeof(v)), 0);
	ck_assert_int_eq(atoi(v), 1);
	/* disabling a child stops it in order and leaves it disabled */
	char stopped[96], died[96];
	int swima = pid_of(&t, "tnc-imv-swima");
	snprintf(stopped, sizeof(stopped), "tnc-imv-swima (pid %d, generation 1) stopped", swima);
	snprintf(died, sizeof(died), "tnc-imv-swima (pid %d, generation 1) died", swima);
	f = fopen(t.conf, "a");
	ck_assert_ptr_nonnull(f);
	fputs("[imv-swima]\nenabled = no\n", f);
	fclose(f);
	ck_assert_int_eq(kill(t.pid, SIGHUP), 0);
	ck_assert_int_eq(tl_wait_state(&t, "tnc-imv-swima", "disabled", -1, 5000), 0);
	ck_assert(tl_log_contains(&t, "tnc-imv-swima disabled", 100));
	ck_assert(tl_log_contains(&t, stopped, 1000));
	ck_assert(!tl_log_contains(&t, died, 10));
	tl_tncd_stop(&t);
}
END_TEST

/* Under systemd: READY=1 once every child is READY, then WATCHDOG=1 pings. */
START_TEST(systemd_readiness_and_watchdog)
{
	char dir[] = "/tmp/tnc-notify-XXXXXX", sockpath[64], conf[192];
	tl_mkdtemp(dir);
	snprintf(sockpath, sizeof(sockpath), "%s/notify", dir);
	snprintf(conf, sizeof(conf), "%s/tncd.conf", dir);
	FILE *f = fopen(conf, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "[daemon]\ncontrol_socket = %s/ctl\nstate_dir = %s/state\n[ike]\npt_tls_listen = no\n",
	    dir, dir);
	fclose(f);
	int sock = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	struct sockaddr_un sa = {.sun_family = AF_UNIX};
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sockpath);
	ck_assert_int_eq(bind(sock, (struct sockaddr *)&sa, sizeof(sa)), 0);
	pid_t pid = fork();
	if (pid == 0) {
		setenv("NOTIFY_SOCKET", sockpath, 1);
		setenv("WATCHDOG_USEC", "400000", 1);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 2);
		execl(TNC_BIN_DIR "/tncd", "tncd", "--foreground", "--config", conf, (char *)NULL);
		_exit(127);
	}
	int ready = 0, watchdogs = 0;
	struct timeval tv = {10, 0};
	setsockopt(sock, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	while (watchdogs < 3) {
		char msg[512];
		ssize_t n = recv(sock, msg, sizeof(msg) - 1, 0);
		if (n <= 0)
			break;
		msg[n] = 0;
		ready |= strstr(msg, "READY=1") != NULL;
		if (strstr(msg, "WATCHDOG=1"))
			watchdogs += ready; /* pings after readiness */
		if (strstr(msg, "READY=1"))
			ck_assert_ptr_nonnull(strstr(msg, "STATUS=6 of 6 processes ready"));
	}
	kill(pid, SIGTERM);
	int st;
	waitpid(pid, &st, 0);
	close(sock);
	ck_assert_msg(ready, "no READY=1");
	ck_assert_int_ge(watchdogs, 3);
	ck_assert(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}
END_TEST

START_TEST(bad_config_line_is_refused)
{
	char path[] = "/tmp/tnc-conf-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	const char *text = "[daemon]\nrestart_delay_ms = 100\n\n[imv-os]\nuser = 64710\ncolour = blue\n";
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	int rc = tl_sh(out, sizeof(out), "%s/tncd --check-config --config %s 2>&1", TNC_BIN_DIR, path);
	ck_assert_int_ne(rc, 0);
	char expect[128];
	snprintf(expect, sizeof(expect), "%s:6: unknown key 'colour' in section [imv-os]", path);
	ck_assert_msg(strstr(out, expect), "got: %s", out);
	/* tncd itself refuses to start on it */
	rc = tl_sh(out, sizeof(out), "%s/tncd --foreground --config %s 2>&1", TNC_BIN_DIR, path);
	ck_assert_int_eq(rc, 1);
	ck_assert_ptr_nonnull(strstr(out, expect));
	unlink(path);
}
END_TEST

/* A child logging more than [log] lines_per_second: tncd passes that many
 * a second, drops the rest and says how many it dropped once the second is
 * over, without waiting for the child's next line. */
START_TEST(a_flooding_child_is_rate_limited)
{
	struct tl_tncd t;
	tl_tncd_start(&t, "[log]\nlines_per_second = 10\n", true);
	usleep(1100000); /* the start's lines have a second of their own */
	long t0 = tl_now_ms();
	int before = tl_log_count(&t, "02[");
	/* tnc-tnccs answers each ping; at IPC level 3 it logs every frame */
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "loglevel tnc-tnccs ipc 3"), 0);
	for (int i = 0; i < 40; i++)
		ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "ping tnc-ike tnc-tnccs"), 0);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "loglevel tnc-tnccs ipc 1"), 0);
	ck_assert_msg(tl_log_contains(&t, "00[DMN] dropped ", 2500),
	    "no dropped lines reported (log %s)", t.log);
	ck_assert(tl_log_contains(&t, " log lines of tnc-tnccs (more than 10 a second)", 0));
	long seconds = (tl_now_ms() - t0) / 1000 + 1;
	int passed = tl_log_count(&t, "02[") - before;
	ck_assert_msg(passed >= 10 && passed <= 10 * (seconds + 1),
	    "%d lines of tnc-tnccs passed in about %ld s (log %s)", passed, seconds, t.log);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tncd");
	TCase *tc = tcase_create("processes");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, children_are_sandboxed);
	tcase_add_test(tc, kill_9_restarts_only_that_child);
	tcase_add_test(tc, operator_restart_and_live_loglevel);
	tcase_add_test(tc, seccomp_violation_is_reported_and_restarted);
	tcase_add_test(tc, crash_loop_backs_off);
	tcase_add_test(tc, first_start_fails_when_a_child_exits);
	tcase_add_test(tc, first_start_fails_when_a_child_hangs);
	tcase_add_test(tc, first_start_fails_on_a_bad_key);
	tcase_add_test(tc, sigterm_stops_every_child);
	tcase_add_test(tc, sighup_reloads_or_keeps_the_config);
	tcase_add_test(tc, systemd_readiness_and_watchdog);
	tcase_add_test(tc, bad_config_line_is_refused);
	tcase_add_test(tc, a_flooding_child_is_rate_limited);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
