/* test_policy_concurrency.c - several writers on one database at once, on
 * either engine; in the _pg run (ctest's test_policy_concurrency_pg) they
 * are what a fleet of gateways sharing a PostgreSQL database is.
 * Session writers (this process's children, through the store API) run
 * while tncadm imports large package lists (long write transactions) and
 * adds devices: nobody may see "database is locked" or any other error,
 * and every row written is there afterwards.  Gateways meeting one new
 * device, identity and product at the same moment make one row of each,
 * never an error or a duplicate. */
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "policy_admin.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define IMPORTS 6
/* Releases per import: a long transaction on either engine.  On
 * PostgreSQL each row is a round trip to the server (0.3 ms here), so
 * fewer rows give an import of a second or more. */
#define STANZAS_SQLITE 20000
#define STANZAS_PG 4000
#define SESSION_WRITERS 2
#define MIN_SESSIONS 50
#define GATEWAYS 4
#define MEETINGS 60
#define NOW 1800000000

static char dir[64], db[256], pwfile[512], stop[160];

static void
setup(void)
{
	strcpy(dir, "/tmp/test_policy_concurrency.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(stop, sizeof(stop), "%s/stop", dir);
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	/* tncadm finds the database where an operator's script would put it */
	ck_assert_int_eq(setenv("TNC_POLICY_DB", db, 1), 0);
	ck_assert_int_eq(pwfile[0] ? setenv("TNC_POLICY_DB_PASSWORD_FILE", pwfile, 1)
	                           : unsetenv("TNC_POLICY_DB_PASSWORD_FILE"), 0);
}

static void
teardown(void)
{
	char cmd[128];
	tl_policy_db_drop(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

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
	if (tl_policy_open(db, pwfile, 0, &s, err, sizeof(err))) {
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
		int e = policy_store_session_create(s, NOW + done, (uint32_t)done, "dn", device,
		    &session);
		if (!e)
			e = policy_store_session_device(s, session, NOW + done, "Debian 12 x86_64",
			    device, &dev);
		if (!e)
			e = policy_store_workitems_create(s, session, NOW + done, &w, &n);
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

/* tncadm tables counts want[i] rows in tables[i], for each of the n. */
static void
assert_tables(const char *const *tables, const int *want, size_t n)
{
	char out[4096];
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncadm tables 2>&1", TNC_BIN_DIR), 0);
	for (size_t i = 0; i < n; i++) {
		int rows = -1;
		for (const char *line = out; line && rows < 0; line = strchr(line, '\n')) {
			char name[64];
			line += *line == '\n';
			if (sscanf(line, "%63s %d", name, &rows) != 2 || strcmp(name, tables[i]))
				rows = -1;
		}
		ck_assert_msg(rows == want[i], "%s: %d rows, not %d:\n%s", tables[i], rows, want[i],
		    out);
	}
}

START_TEST(session_writers_and_tncadm_at_once)
{
	char out[4096], path[192];
	int stanzas = tl_policy_db_is_pg() ? STANZAS_PG : STANZAS_SQLITE;
	snprintf(path, sizeof(path), "%s/Packages", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < stanzas; i++)
		fprintf(f, "Package: pkg-%d\nVersion: 1.%d-1\n\n", i, i);
	fclose(f);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncadm init 2>&1", TNC_BIN_DIR), 0);

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
		                     "%s/tncadm product add 'Product %d' 2>&1 &&"
		                     " %s/tncadm package import 'Product %d' %s 2>&1 &&"
		                     " %s/tncadm device add adm-%d 2>&1 &&"
		                     " %s/tncadm session list --limit 3 >/dev/null 2>&1",
		                     TNC_BIN_DIR, i, TNC_BIN_DIR, i, path, TNC_BIN_DIR, i, TNC_BIN_DIR),
		    0);
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
	ck_assert_msg(tl_policy_open(db, pwfile, 0, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
	static const char *const tables[] = {"sessions", "workitems", "versions", "products",
	    "devices"};
	const int want[] = {total, 3 * total, IMPORTS * stanzas, IMPORTS + 1,
	    SESSION_WRITERS * 10 + IMPORTS};
	assert_tables(tables, want, sizeof(want) / sizeof(want[0]));
}
END_TEST

/* Meeting i: a session of device "shared-i" (product "Product i",
 * identity "CN=user-i"), all new.  Even meetings as tnc-policy records a
 * session (a workitem plan, then the whole session in one transaction),
 * odd ones through session_create and session_device. */
static int
meet(struct policy_store *s, int gateway, int i)
{
	char device[32], product[32], identity[32];
	snprintf(device, sizeof(device), "shared-%d", i);
	snprintf(product, sizeof(product), "Product %d", i);
	snprintf(identity, sizeof(identity), "CN=user-%d", i);
	uint32_t connection = (uint32_t)(gateway * MEETINGS + i);
	int64_t session;
	if (i % 2) {
		struct ps_device dev;
		int e = policy_store_session_create(s, NOW + i, connection, "dn", identity, &session);
		return e ? e : policy_store_session_device(s, session, NOW + i, product, device, &dev);
	}
	struct ps_workitem *w;
	size_t n;
	int e = policy_store_workitems_plan(s, product, device, NOW + i, &w, &n);
	if (e)
		return e;
	struct ps_workitem_outcome o[8];
	for (size_t k = 0; k < n && k < 8; k++)
		o[k] = (struct ps_workitem_outcome){&w[k], true, 1, IMV_REC_ALLOW, "ok"};
	const struct ps_session_record r = {.time = NOW + i, .connection = connection,
	    .identity_type = "dn", .identity_value = identity, .product = product,
	    .device_value = device, .workitems = o, .nworkitems = n < 8 ? n : 8,
	    .rec = IMV_REC_ALLOW, .eval = IMV_EVAL_COMPLIANT};
	e = policy_store_session_record(s, &r, &session);
	policy_store_workitems_free(w, n);
	return e;
}

/* A gateway: its own store; every meeting starts at the barrier with the
 * other gateways'.  A failure is reported, and the barriers still kept, so
 * that the others are not left waiting; exit 1 then. */
static void
gateway(int id, pthread_barrier_t *meeting)
{
	char err[256];
	struct policy_store *s;
	int open_err = tl_policy_open(db, pwfile, 0, &s, err, sizeof(err));
	if (open_err)
		fprintf(stderr, "gateway %d: %s\n", id, err);
	bool failed = open_err != 0;
	for (int i = 0; i < MEETINGS; i++) {
		pthread_barrier_wait(meeting);
		int e = failed ? 0 : meet(s, id, i);
		if (e) {
			fprintf(stderr, "gateway %d, meeting %d: %s (%s)\n", id, i, tnc_strerror(e),
			    policy_store_error(s));
			failed = true;
		}
	}
	policy_store_close(s);
	_exit(failed ? 1 : 0);
}

START_TEST(gateways_meeting_one_new_device_make_one_row)
{
	char out[4096];
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncadm init 2>&1", TNC_BIN_DIR), 0);
	pthread_barrier_t *meeting = mmap(NULL, sizeof(*meeting), PROT_READ | PROT_WRITE,
	    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(meeting, MAP_FAILED);
	pthread_barrierattr_t attr;
	ck_assert_int_eq(pthread_barrierattr_init(&attr), 0);
	ck_assert_int_eq(pthread_barrierattr_setpshared(&attr, PTHREAD_PROCESS_SHARED), 0);
	ck_assert_int_eq(pthread_barrier_init(meeting, &attr, GATEWAYS), 0);
	pid_t pids[GATEWAYS];
	for (int i = 0; i < GATEWAYS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0)
			gateway(i, meeting);
	}
	for (int i = 0; i < GATEWAYS; i++) {
		int st;
		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "gateway %d failed", i);
	}
	pthread_barrier_destroy(meeting);
	munmap(meeting, sizeof(*meeting));

	/* one device, product, identity and device-identity per meeting; every
	 * gateway's session, each recorded one with its 3 default workitems */
	static const char *const tables[] = {"devices", "products", "identities",
	    "devices_identities", "sessions", "workitems"};
	const int want[] = {MEETINGS, MEETINGS, MEETINGS, MEETINGS, GATEWAYS * MEETINGS,
	    3 * GATEWAYS * MEETINGS / 2};
	assert_tables(tables, want, sizeof(want) / sizeof(want[0]));
	/* and each device is tied to its product, seen with its identity */
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncadm device show shared-7 2>&1",
	                     TNC_BIN_DIR), 0);
	ck_assert_msg(strstr(out, "Product 7") && strstr(out, "CN=user-7"), "%s", out);
	struct policy_store *s;
	char err[256];
	ck_assert_msg(tl_policy_open(db, pwfile, 0, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy_concurrency");
	TCase *tc = tcase_create(tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, session_writers_and_tncadm_at_once);
	tcase_add_test(tc, gateways_meeting_one_new_device_make_one_row);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
