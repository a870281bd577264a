/* test_policy_pg.c - tnc-policy on a PostgreSQL server that goes away and
 * comes back, with the real tncd and tncclient on loopback and a server of
 * the test's own (tests/pg/pg-server, with TLS turned on), stopped and
 * started again on its port: tnc-policy's sandbox (db-client) connects
 * over TLS (sslmode=require); sessions before the loss are decided and
 * recorded; while the server is down every session ends without a
 * decision (fail closed) and the loss is logged once; tnc-policy tries to
 * reconnect after 0.5 s, then 1 s, then 2 s ...; when the server is back
 * it reconnects by itself (logged once), again over TLS, and sessions are
 * decided and recorded again; no session is recorded twice or without its
 * client's decision, and tnc-policy was neither restarted nor killed by
 * its seccomp profile.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "tl_policy_db.h"

#define CLIENTS 4            /* concurrent sessions in each phase */
#define RECONNECT_WAIT_MS 40000 /* above the back-off's 30 s cap */

static char out[1 << 16];

struct pg {
	char dir[64];             /* the server's (pg-server's DIR) */
	char uri[256], password_file[128];
	int port;
};

/* The server binaries, as pg-server finds them. */
static const char *
pg_bindir(void)
{
	static char dir[256];
	int rc = tl_sh(dir, sizeof(dir), "pg_config --bindir 2>/dev/null || "
	    "printf '%%s\\n' /usr/lib/postgresql/*/bin | sort -V | tail -1");
	dir[strcspn(dir, "\n")] = 0;
	ck_assert_msg(rc == 0 && dir[0] == '/', "no PostgreSQL binaries: %s", dir);
	return dir;
}

/* Unchecked fixture, in the runner's process, so that the server is
 * removed however the test ends: a failure here is left for the test to
 * report (pg.uri stays empty). */
static struct pg pg;
static char pg_failure[1024];

static void
start_server(void)
{
	char tmp[] = "/tmp/tnc-pgloss-XXXXXX", path[128];
	size_t len;
	if (!mkdtemp(tmp) || chmod(tmp, 0755) != 0) { /* its user reaches its DIR below */
		snprintf(pg_failure, sizeof(pg_failure), "no temporary directory");
		return;
	}
	snprintf(pg.dir, sizeof(pg.dir), "%s/pg", tmp);
	if (tl_sh(pg_failure, sizeof(pg_failure), "%s/tests/pg/pg-server start %s 2>&1",
	    TNC_SOURCE_DIR, pg.dir) != 0)
		return;
	snprintf(path, sizeof(path), "%s/uri", pg.dir);
	char *uri = (char *)tl_read_file(path, &len);
	if (!uri)
		return;
	uri[strcspn(uri, "\n")] = 0;
	snprintf(pg.uri, sizeof(pg.uri), "%s", uri);
	free(uri);
	pg.port = atoi(strrchr(pg.uri, ':') + 1);
	snprintf(pg.password_file, sizeof(pg.password_file), "%s/password", pg.dir);
}

/* pg_ctl on the cluster of pg-server's DIR, as the user it runs as. */
static void
pg_ctl(const char *args)
{
	int rc = tl_sh(out, sizeof(out), "setpriv --reuid=nobody --regid=$(id -g nobody) "
	    "--clear-groups -- %s/pg_ctl -D %s/data -l %s/log -w -t 30 %s 2>&1", pg_bindir(),
	    pg.dir, pg.dir, args);
	ck_assert_msg(rc == 0, "pg_ctl %s: %s", args, out);
}

static void
remove_server(void)
{
	if (pg.dir[0])
		tl_sh(pg_failure, sizeof(pg_failure), "%s/tests/pg/pg-server stop %s; rmdir %.*s",
		    TNC_SOURCE_DIR, pg.dir, (int)(strrchr(pg.dir, '/') - pg.dir), pg.dir);
}

/* A statement on the server that must succeed. */
static void
pg_exec(const char *sql)
{
	PGconn *c = tl_pg_connect(pg.uri, pg.password_file);
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) ==
	    PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* TLS with a self-signed certificate, from the next start on. */
static void
pg_enable_tls(void)
{
	tl_make_cert(pg.dir, "server");
	int rc = tl_sh(out, sizeof(out), "install -o nobody -m 600 %s/server.crt %s/server.key "
	    "%s/data/ 2>&1", pg.dir, pg.dir, pg.dir);
	ck_assert_msg(rc == 0, "%s", out);
	pg_exec("ALTER SYSTEM SET ssl = on");
	pg_ctl("restart -m fast");
}

/* Whether tnc-policy's connection (application_name tnc) uses TLS. */
static bool
policy_uses_tls(void)
{
	PGconn *c = tl_pg_connect(pg.uri, pg.password_file);
	PGresult *r = PQexec(c, "SELECT count(*) FROM pg_stat_activity JOIN pg_stat_ssl "
	    "USING (pid) WHERE application_name = 'tnc' AND ssl");
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	bool tls = atol(PQgetvalue(r, 0, 0)) == 1;
	PQclear(r);
	PQfinish(c);
	return tls;
}

/* Rows of the sessions table: all, and how many connections are there
 * more than once. */
static void
count_sessions(long *ret_rows, long *ret_repeated)
{
	PGconn *c = tl_pg_connect(pg.uri, pg.password_file);
	PGresult *r = PQexec(c, "SELECT count(*), count(*) - count(DISTINCT connection) "
	    "FROM sessions");
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	*ret_rows = atol(PQgetvalue(r, 0, 0));
	*ret_repeated = atol(PQgetvalue(r, 0, 1));
	PQclear(r);
	PQfinish(c);
}

/* CLIENTS sessions at once; how many got a decision.  With none_wanted
 * every one must end without a decision. */
static int
run_sessions(struct tl_tncd *t, const char *phase, bool none_wanted)
{
	char facts[256], path[CLIENTS][256], name[64];
	pid_t pid[CLIENTS];
	int decided = 0;

	for (int i = 0; i < CLIENTS; i++) {
		char device[96];
		snprintf(name, sizeof(name), "%s-%d", phase, i);
		snprintf(device, sizeof(device), "device_id = %s\n", name);
		tl_facts_file(t, name, device, facts, sizeof(facts));
		snprintf(path[i], sizeof(path[i]), "%s/%s-%d.out", t->dir, phase, i);
		pid[i] = tl_client_spawn(t, facts, NULL, path[i]);
	}
	for (int i = 0; i < CLIENTS; i++) {
		tl_client_wait(pid[i]);
		size_t len;
		char *text = (char *)tl_read_file(path[i], &len);
		ck_assert_ptr_nonnull(text);
		const char *rec = strstr(text, "access recommendation: ");
		ck_assert_msg(rec, "%s session %d printed no recommendation: %s", phase, i, text);
		bool none = !strncmp(rec + strlen("access recommendation: "), "none", 4);
		ck_assert_msg(!none_wanted || none, "%s session %d was decided: %s", phase, i, text);
		decided += !none;
		free(text);
	}
	return decided;
}

START_TEST(the_server_goes_away_and_comes_back)
{
	struct tl_tncd t;
	char extra[1024], args[64];
	long rows, repeated;

	ck_assert_msg(pg.uri[0], "no PostgreSQL server: %s", pg_failure);
	pg_enable_tls();
	/* level 2: each failed try to reconnect */
	snprintf(extra, sizeof(extra), "[policy]\ndatabase = %s?sslmode=require\n"
	    "password_file = %s\nlog.imv = 2\n", pg.uri, pg.password_file);
	tl_tncd_start(&t, extra, true);
	ck_assert_msg(tl_log_contains(&t, "capabilities state-files,db-client", 0), "log %s",
	    t.log);

	ck_assert_msg(policy_uses_tls(), "tnc-policy's connection is not TLS");
	int before = run_sessions(&t, "before", false);
	ck_assert_int_eq(before, CLIENTS);
	count_sessions(&rows, &repeated);
	ck_assert_int_eq(rows, before);

	pg_ctl("stop -m fast");
	int down = run_sessions(&t, "down", true);
	ck_assert_int_eq(down, 0);
	down = run_sessions(&t, "down2", true);
	ck_assert_int_eq(down, 0);
	ck_assert_msg(tl_log_contains(&t, "policy: database connection lost: ", 5000) &&
	    tl_log_contains(&t, "sessions end without a decision until it is back", 0),
	    "log %s", t.log);
	/* backing off: 0.5 s to the first try, 1 s to the second, then 2 s */
	ck_assert_msg(tl_log_contains(&t, "database still unreachable after try 2: ", 5000),
	    "no second try (log %s)", t.log);
	ck_assert_msg(tl_log_contains(&t, "after try 1: ", 0) &&
	    tl_log_contains(&t, "; next try in 1.0 s", 0) &&
	    tl_log_contains(&t, "; next try in 2.0 s", 0), "no back-off (log %s)", t.log);

	snprintf(args, sizeof(args), "start -o '-p %d'", pg.port);
	pg_ctl(args);
	ck_assert_msg(tl_log_contains(&t, "policy: database connection restored after ",
	    RECONNECT_WAIT_MS), "not reconnected (log %s)", t.log);
	int after = run_sessions(&t, "after", false);
	ck_assert_int_eq(after, CLIENTS);
	ck_assert_msg(policy_uses_tls(), "tnc-policy's new connection is not TLS");

	/* every decided session recorded, once; none of those without a decision */
	count_sessions(&rows, &repeated);
	ck_assert_int_eq(rows, before + after);
	ck_assert_int_eq(repeated, 0);
	ck_assert_int_eq(tl_log_count(&t, "policy: database connection lost: "), 1);
	ck_assert_int_eq(tl_log_count(&t, "policy: database connection restored after "), 1);
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	ck_assert_msg(!tl_log_contains(&t, "restarting tnc-policy", 0), "log %s", t.log);
	tl_tncd_stop(&t);
}
END_TEST

/* How many sessions device has in the database at uri, and the
 * recommendation of the last ("" with none). */
static long
device_sessions(const char *uri, const char *device, char *rec, size_t size)
{
	PGconn *c = tl_pg_connect(uri, pg.password_file);
	const char *param[1] = {device};
	PGresult *r = PQexecParams(c, "SELECT count(*), coalesce(max(s.rec), '') FROM sessions AS s"
	    " JOIN devices AS d ON d.id = s.device WHERE d.value = $1", 1, NULL, param, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s", PQerrorMessage(c));
	long n = atol(PQgetvalue(r, 0, 0));
	snprintf(rec, size, "%s", PQgetvalue(r, 0, 1));
	PQclear(r);
	PQfinish(c);
	return n;
}

/* Two gateways on one database, sessions starting every 50 ms over both,
 * the server stopped while they run: the first are decided, the last end
 * without a decision; a client told allow has that allow recorded, once;
 * no device is recorded twice; each gateway logs the loss and the return
 * once; afterwards both decide and record again. */
START_TEST(the_server_stops_mid_load_under_two_gateways)
{
	enum { MIDLOAD = 20, STOP_AT = 16 };
	struct tl_tncd gw[2];
	char uri[300], args[64], path[2 * MIDLOAD][256], device[2 * MIDLOAD][32];
	pid_t pid[2 * MIDLOAD];
	bool told_allow[2 * MIDLOAD];

	ck_assert_msg(pg.uri[0], "no PostgreSQL server: %s", pg_failure);
	pg_exec("CREATE DATABASE midload");
	snprintf(uri, sizeof(uri), "%.*s/midload", (int)(strrchr(pg.uri, '/') - pg.uri), pg.uri);
	for (int g = 0; g < 2; g++)
		tl_tncd_start_on(&gw[g], "[log]\ntnc = 1\n", true, uri, pg.password_file);
	tl_policy_seed(&gw[0]);

	for (int i = 0; i < 2 * MIDLOAD; i++) {
		struct tl_tncd *t = &gw[i % 2];
		char facts[256], text[64];
		snprintf(device[i], sizeof(device[i]), "midload-%02d", i);
		snprintf(text, sizeof(text), "device_id = %.31s\n", device[i]);
		tl_facts_file(t, device[i], text, facts, sizeof(facts));
		snprintf(path[i], sizeof(path[i]), "%.127s/%.31s.out", t->dir, device[i]);
		pid[i] = tl_client_spawn(t, facts, NULL, path[i]);
		if (i == STOP_AT)
			pg_ctl("stop -m fast");
		usleep(50 * 1000);
	}
	int allowed = 0;
	for (int i = 0; i < 2 * MIDLOAD; i++) {
		tl_client_wait(pid[i]);
		size_t len;
		char *text = (char *)tl_read_file(path[i], &len);
		ck_assert_ptr_nonnull(text);
		told_allow[i] = strstr(text, "access recommendation: allow") != NULL;
		free(text);
		allowed += told_allow[i];
	}
	for (int g = 0; g < 2; g++)
		ck_assert_msg(tl_log_contains(&gw[g], "policy: database connection lost: ", 5000),
		    "gateway %d did not notice (log %s)", g, gw[g].log);

	snprintf(args, sizeof(args), "start -o '-p %d'", pg.port);
	pg_ctl(args);
	for (int g = 0; g < 2; g++)
		ck_assert_msg(tl_log_contains(&gw[g], "policy: database connection restored after ",
		    RECONNECT_WAIT_MS), "gateway %d did not reconnect (log %s)", g, gw[g].log);
	for (int i = 0; i < 2 * MIDLOAD; i++) {
		char rec[32];
		long rows = device_sessions(uri, device[i], rec, sizeof(rec));
		ck_assert_msg(rows <= 1, "%s recorded %ld times", device[i], rows);
		if (told_allow[i])
			ck_assert_msg(rows == 1 && !strcmp(rec, "allow"),
			    "%s was told allow: %ld rows, rec '%s'", device[i], rows, rec);
	}
	fprintf(stderr, "mid-load: %d of %d sessions allowed before the server stopped\n", allowed,
	    2 * MIDLOAD);
	ck_assert_int_gt(allowed, 0);
	for (int i = STOP_AT + 1; i < 2 * MIDLOAD; i++) /* fail closed while it is down */
		ck_assert_msg(!told_allow[i], "%s was told allow with the server down", device[i]);
	for (int g = 0; g < 2; g++) {
		ck_assert_int_eq(run_sessions(&gw[g], g ? "again-b" : "again-a", false), CLIENTS);
		ck_assert_int_eq(tl_log_count(&gw[g], "policy: database connection lost: "), 1);
		ck_assert_int_eq(tl_log_count(&gw[g], "policy: database connection restored after "),
		    1);
		ck_assert_msg(!tl_log_contains(&gw[g], "seccomp violation", 0), "log %s", gw[g].log);
		ck_assert_msg(!tl_log_contains(&gw[g], "restarting tnc-policy", 0), "log %s",
		    gw[g].log);
		tl_tncd_stop(&gw[g]);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("policy_pg");
	TCase *tc = tcase_create("policy_pg");
	tcase_set_timeout(tc, 120);
	tcase_add_unchecked_fixture(tc, start_server, remove_server);
	tcase_add_test(tc, the_server_goes_away_and_comes_back);
	tcase_add_test(tc, the_server_stops_mid_load_under_two_gateways);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
