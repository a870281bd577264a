/* test_pg_testlib.c - testlib's per-test policy databases (tl_policy_db.h).
 * Plain, it checks the SQLite side; as test_pg_testlib_pg (ctest's pg
 * fixture) it proves the server of tests/pg/pg-server is a real PostgreSQL
 * on 127.0.0.1 with password authentication, and that every test gets a
 * database of its own that it can write and read back. */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"
#include "tl_policy_db.h"

/* The one value of a one-row, one-column query. */
static void
query_value(PGconn *c, const char *sql, char *out, size_t size)
{
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_TUPLES_OK, "%s: %s", sql, PQerrorMessage(c));
	ck_assert_int_eq(PQntuples(r), 1);
	snprintf(out, size, "%s", PQgetvalue(r, 0, 0));
	PQclear(r);
}

static void
exec_ok(PGconn *c, const char *sql)
{
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
}

/* --- SQLite (TNC_TEST_PG unset) --- */

START_TEST(sqlite_path_in_a_fresh_directory)
{
	char db[256], db2[256], pwfile[256];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	tl_policy_db(db2, sizeof(db2), pwfile, sizeof(pwfile));
	ck_assert_str_eq(pwfile, "");
	ck_assert_str_ne(db, db2);

	char *slash = strrchr(db, '/');
	ck_assert_str_eq(slash, "/tnc.db");
	struct stat st;
	ck_assert_int_eq(stat(db, &st), -1); /* the store creates it */
	*slash = 0;
	ck_assert_int_eq(stat(db, &st), 0);
	ck_assert(S_ISDIR(st.st_mode));
	ck_assert_int_eq(st.st_mode & 0777, 0700);

	*slash = '/';
	tl_policy_db_drop(db);
	*slash = 0;
	ck_assert_int_eq(stat(db, &st), -1);
	tl_policy_db_drop(db2);
}
END_TEST

/* --- PostgreSQL (TNC_TEST_PG set by the _pg variant) --- */

START_TEST(pg_database_is_real_and_writable)
{
	char db[256], pwfile[512], value[256];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(strncmp(db, "postgresql://tnc@127.0.0.1:", 27) == 0, "uri %s", db);

	/* What ps_target_make() demands of a password file. */
	struct stat st;
	ck_assert_int_eq(stat(pwfile, &st), 0);
	ck_assert(S_ISREG(st.st_mode));
	ck_assert_int_eq(st.st_mode & 077, 0);

	PGconn *c = tl_pg_connect(db, pwfile);
	query_value(c, "SELECT current_database()", value, sizeof(value));
	ck_assert_str_eq(value, strrchr(db, '/') + 1);
	query_value(c, "SELECT inet_server_addr()", value, sizeof(value));
	ck_assert_str_eq(value, "127.0.0.1"); /* TCP, not the Unix socket */
	query_value(c, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", value,
	    sizeof(value));
	ck_assert_str_eq(value, "0");

	exec_ok(c, "CREATE TABLE device (id BIGINT PRIMARY KEY, name TEXT NOT NULL)");
	const char *params[] = {"7", "gw-a \xc3\xa9"}; /* UTF-8 survives */
	PGresult *r = PQexecParams(c, "INSERT INTO device VALUES ($1, $2)", 2, NULL, params, NULL,
	    NULL, 0);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s", PQerrorMessage(c));
	PQclear(r);
	query_value(c, "SELECT id || ':' || name FROM device", value, sizeof(value));
	ck_assert_str_eq(value, "7:gw-a \xc3\xa9");
	r = PQexec(c, "INSERT INTO device VALUES (7, 'again')");
	ck_assert_int_eq(PQresultStatus(r), PGRES_FATAL_ERROR);
	ck_assert_str_eq(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23505"); /* unique_violation */
	PQclear(r);
	PQfinish(c);

	tl_policy_db_drop(db);
}
END_TEST

START_TEST(pg_each_test_gets_its_own_database)
{
	char db[256], db2[256], pwfile[512], value[64];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	tl_policy_db(db2, sizeof(db2), pwfile, sizeof(pwfile));
	ck_assert_str_ne(db, db2);

	PGconn *c = tl_pg_connect(db, pwfile);
	exec_ok(c, "CREATE TABLE only_in_first (x INT)");
	PGconn *c2 = tl_pg_connect(db2, pwfile);
	query_value(c2, "SELECT to_regclass('only_in_first') IS NULL", value, sizeof(value));
	ck_assert_str_eq(value, "t");

	/* Dropped even with a connection still open: that one is closed. */
	tl_policy_db_drop(db);
	PGresult *r = PQexec(c, "SELECT 1");
	ck_assert_int_ne(PQresultStatus(r), PGRES_TUPLES_OK);
	PQclear(r);
	PQfinish(c);
	char sql[128];
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM pg_database WHERE datname = '%s'",
	    strrchr(db, '/') + 1);
	query_value(c2, sql, value, sizeof(value));
	ck_assert_str_eq(value, "0");
	PQfinish(c2);
	tl_policy_db_drop(db2);
}
END_TEST

START_TEST(pg_wrong_password_is_refused)
{
	char db[256], pwfile[512];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	const char *keys[] = {"dbname", "password", "gssencmode", NULL};
	const char *values[] = {db, "not-the-password", "disable", NULL};
	PGconn *c = PQconnectdbParams(keys, values, 1);
	ck_assert_int_eq(PQstatus(c), CONNECTION_BAD);
	ck_assert_msg(strstr(PQerrorMessage(c), "password authentication failed") != NULL, "%s",
	    PQerrorMessage(c));
	PQfinish(c);
	tl_policy_db_drop(db);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("pg_testlib");
	TCase *tc = tcase_create(tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	if (tl_policy_db_is_pg()) {
		tcase_add_test(tc, pg_database_is_real_and_writable);
		tcase_add_test(tc, pg_each_test_gets_its_own_database);
		tcase_add_test(tc, pg_wrong_password_is_refused);
	} else {
		tcase_add_test(tc, sqlite_path_in_a_fresh_directory);
	}
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
