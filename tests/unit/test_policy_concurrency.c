/* test_policy_concurrency.c - two writers on one database at once: this
 * process's children run the session path through the store API while
 * tncadm imports large package lists (long write transactions) and adds
 * devices.  Nobody may see "database is locked" or any other error, and
 * every row written is there afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "policy_admin.h"
#include "testlib.h"

#define IMPORTS 6
#define STANZAS 20000
#define SESSION_WRITERS 2
#define MIN_SESSIONS 50

static char dir[64], db[128], stop[160];

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* A session writer: complete sessions until the stop file exists (and at
 * least MIN_SESSIONS); writes "sessions max_ms" to fd; exit 1 on any error. */
static void
session_writer(int id, int fd)
{
	struct policy_store *s;
	char err[256], device[32];
	if (policy_store_open(db, 0, &s, err, sizeof(err))) {
		fprintf(stderr, "writer %d: %s\n", id, err);
		_exit(1);
	}
	int done = 0;
	double worst = 0;
	while (done < MIN_SESSIONS || access(stop, F_OK) != 0) {
		int64_t session;
		struct ps_device dev;
		struct ps_workitem *w = NULL;
		size_t n = 0;
		double t0 = now_ms();
		snprintf(device, sizeof(device), "dev-%d-%d", id, done % 10);
		int e = policy_store_session_create(s, 1800000000 + done, (uint32_t)done, "dn", device,
		    &session);
		if (!e)
			e = policy_store_session_device(s, session, 1800000000 + done, "Debian 12 x86_64",
			    device, &dev);
		if (!e)
			e = policy_store_workitems_create(s, session, 1800000000 + done, &w, &n);
		for (size_t i = 0; !e && i < n; i++)
			e = policy_store_workitem_result(s, w[i].id, 1, IMV_REC_ALLOW, "ok");
		if (!e)
			e = policy_store_session_finish(s, session, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT);
		policy_store_workitems_free(w, n);
		if (e) {
			fprintf(stderr, "writer %d, session %d: %s (%s)\n", id, done, tnc_strerror(e),
			    policy_store_error(s));
			_exit(1);
		}
		double took = now_ms() - t0;
		worst = took > worst ? took : worst;
		done++;
	}
	policy_store_close(s);
	dprintf(fd, "%d %.1f\n", done, worst);
	_exit(0);
}

START_TEST(session_writers_and_tncadm_at_once)
{
	char out[4096], path[192];
	strcpy(dir, "/tmp/test_policy_concurrency.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(db, sizeof(db), "%s/tnc.db", dir);
	snprintf(stop, sizeof(stop), "%s/stop", dir);
	snprintf(path, sizeof(path), "%s/Packages", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < STANZAS; i++)
		fprintf(f, "Package: pkg-%d\nVersion: 1.%d-1\n\n", i, i);
	fclose(f);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncadm --db %s init", TNC_BIN_DIR, db), 0);

	int fds[2];
	ck_assert_int_eq(pipe(fds), 0);
	pid_t writers[SESSION_WRITERS];
	for (int i = 0; i < SESSION_WRITERS; i++) {
		writers[i] = fork();
		ck_assert_int_ge(writers[i], 0);
		if (writers[i] == 0)
			session_writer(i, fds[1]);
	}
	close(fds[1]);
	/* meanwhile tncadm writes: each import is one long transaction */
	double t0 = now_ms();
	for (int i = 0; i < IMPORTS; i++) {
		ck_assert_int_eq(tl_sh(out, sizeof(out),
		                     "%s/tncadm --db %s product add 'Product %d' 2>&1 &&"
		                     " %s/tncadm --db %s package import 'Product %d' %s 2>&1 &&"
		                     " %s/tncadm --db %s device add adm-%d 2>&1 &&"
		                     " %s/tncadm --db %s session list --limit 3 >/dev/null 2>&1",
		                     TNC_BIN_DIR, db, i, TNC_BIN_DIR, db, i, path, TNC_BIN_DIR, db, i,
		                     TNC_BIN_DIR, db), 0);
		ck_assert_msg(!strstr(out, "locked"), "%s", out);
	}
	double adm_ms = now_ms() - t0;
	ck_assert_int_eq(close(open(stop, O_CREAT | O_WRONLY, 0600)), 0);
	int total = 0;
	for (int i = 0; i < SESSION_WRITERS; i++) {
		int st;
		ck_assert_int_eq(waitpid(writers[i], &st, 0), writers[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "session writer %d failed", i);
	}
	FILE *r = fdopen(fds[0], "r");
	int n;
	double worst;
	while (fscanf(r, "%d %lf", &n, &worst) == 2) {
		printf("session writer: %d sessions, slowest %.1f ms (tncadm busy %.0f ms)\n", n, worst,
		    adm_ms);
		total += n;
	}
	fclose(r);
	ck_assert_int_ge(total, SESSION_WRITERS * MIN_SESSIONS);

	/* everything both sides wrote is there, and consistent */
	struct policy_store *s;
	char err[256];
	ck_assert_int_eq(policy_store_open(db, 0, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncadm --db %s tables", TNC_BIN_DIR, db), 0);
	char want[64];
	snprintf(want, sizeof(want), "sessions            %d\n", total);
	ck_assert_msg(strstr(out, want), "%s", out);
	snprintf(want, sizeof(want), "workitems           %d\n", 3 * total);
	ck_assert_msg(strstr(out, want), "%s", out);
	snprintf(want, sizeof(want), "versions            %d\n", IMPORTS * STANZAS);
	ck_assert_msg(strstr(out, want), "%s", out);
	snprintf(want, sizeof(want), "products            %d\n", IMPORTS + 1);
	ck_assert_msg(strstr(out, want), "%s", out);
	snprintf(out, sizeof(out), "rm -rf %s", dir);
	ck_assert_int_eq(system(out), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy_concurrency");
	TCase *tc = tcase_create("writers");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, session_writers_and_tncadm_at_once);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
