/* tl_policy_db.c - a fresh policy database per test, SQLite or PostgreSQL
 * (see tl_policy_db.h).  On PostgreSQL every database is made and dropped
 * over a superuser connection to the server's "postgres" database, whose
 * URI and password tests/pg/pg-server left in TNC_TEST_PG/uri and
 * TNC_TEST_PG/password. */
#include "tl_policy_db.h"

#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "testlib.h"

#define SQLITE_DIR_PREFIX "/tmp/tnc-policy-db-"
#define PG_DB_PREFIX "tnc_test_"

static const char *
pg_dir(void)
{
	const char *dir = getenv("TNC_TEST_PG");
	return dir && *dir ? dir : NULL;
}

bool
tl_policy_db_is_pg(void)
{
	return pg_dir() != NULL;
}

/* snprintf that fails the test instead of truncating. */
static void __attribute__((format(printf, 3, 4)))
bounded_print(char *out, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(out, size, fmt, ap);
	va_end(ap);
	ck_assert_msg(n >= 0 && (size_t)n < size, "\"%s\" does not fit in %zu bytes", fmt, size);
}

/* The first line of path, without its newline. */
static void
read_line(const char *path, char *out, size_t size)
{
	FILE *f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s: %s (is the pg fixture up?)", path, strerror(errno));
	bool ok = fgets(out, (int)size, f) != NULL;
	fclose(f);
	ck_assert_msg(ok, "%s is empty", path);
	out[strcspn(out, "\n")] = 0;
}

PGconn *
tl_pg_connect(const char *uri, const char *password_file)
{
	char password[256];
	read_line(password_file, password, sizeof(password));
	/* No GSSAPI probe: the server is on loopback and has no Kerberos. */
	const char *keys[] = {"dbname", "password", "connect_timeout", "gssencmode", NULL};
	const char *values[] = {uri, password, "10", "disable", NULL};
	PGconn *c = PQconnectdbParams(keys, values, 1);
	ck_assert_ptr_nonnull(c);
	ck_assert_msg(PQstatus(c) == CONNECTION_OK, "connecting to %s: %s", uri, PQerrorMessage(c));
	return c;
}

/* The URI of the server's maintenance database "postgres". */
static void
admin_uri(char *uri, size_t size)
{
	char path[512];
	bounded_print(path, sizeof(path), "%s/uri", pg_dir());
	read_line(path, uri, size);
}

/* Runs one statement without a result on the maintenance database. */
static void
admin_exec(const char *sql)
{
	char uri[256], password_file[512];
	admin_uri(uri, sizeof(uri));
	bounded_print(password_file, sizeof(password_file), "%s/password", pg_dir());
	PGconn *c = tl_pg_connect(uri, password_file);
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* The database name of a URI of tl_policy_db(); only names it made pass. */
static const char *
pg_db_name(const char *uri)
{
	const char *slash = strrchr(uri, '/');
	ck_assert_msg(slash != NULL, "no database in %s", uri);
	const char *name = slash + 1;
	ck_assert_msg(strncmp(name, PG_DB_PREFIX, strlen(PG_DB_PREFIX)) == 0 &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == strlen(name),
	    "%s is not a database of tl_policy_db()", uri);
	return name;
}

void
tl_policy_db(char *db, size_t dbsize, char *pwfile, size_t pwsize)
{
	if (!tl_policy_db_is_pg()) {
		char dir[] = SQLITE_DIR_PREFIX "XXXXXX";
		ck_assert_msg(mkdtemp(dir) != NULL, "mkdtemp: %s", strerror(errno));
		bounded_print(db, dbsize, "%s/tnc.db", dir);
		bounded_print(pwfile, pwsize, "%s", "");
		return;
	}
	/* Unique across the forked tests and parallel suites sharing the server. */
	unsigned nonce;
	ck_assert_int_eq(getrandom(&nonce, sizeof(nonce), 0), (ssize_t)sizeof(nonce));
	char name[64], sql[128], uri[256];
	bounded_print(name, sizeof(name), PG_DB_PREFIX "%ld_%08x", (long)getpid(), nonce);
	bounded_print(sql, sizeof(sql), "CREATE DATABASE %s", name);
	admin_exec(sql);

	admin_uri(uri, sizeof(uri));
	char *slash = strrchr(uri, '/');
	ck_assert_msg(slash != NULL, "no database in %s", uri);
	*slash = 0;
	bounded_print(db, dbsize, "%s/%s", uri, name);
	bounded_print(pwfile, pwsize, "%s/password", pg_dir());
}

void
tl_policy_db_drop(const char *db)
{
	if (tl_policy_db_is_pg()) {
		char sql[128];
		bounded_print(sql, sizeof(sql), "DROP DATABASE %s WITH (FORCE)", pg_db_name(db));
		admin_exec(sql);
		return;
	}
	/* Only what mkdtemp() made: the prefix, six letters or digits, /tnc.db. */
	const char *suffix = db + strlen(SQLITE_DIR_PREFIX);
	ck_assert_msg(strncmp(db, SQLITE_DIR_PREFIX, strlen(SQLITE_DIR_PREFIX)) == 0 &&
	    strspn(suffix, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789") == 6 &&
	    !strcmp(suffix + 6, "/tnc.db"), "%s is not a database of tl_policy_db()", db);
	int dir_len = (int)(suffix + 6 - db);
	char out[256];
	int rc = tl_sh(out, sizeof(out), "rm -rf -- '%.*s' 2>&1", dir_len, db);
	ck_assert_msg(rc == 0, "removing %.*s: %s", dir_len, db, out);
}
