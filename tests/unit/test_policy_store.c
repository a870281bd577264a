/* test_policy_store.c - opening the policy database on either engine:
 * creation with the schema and default policy, once, also by stores
 * creating one database at the same moment; the bounds on names; and the
 * refusal - the database left as it was - of one that is not ours or is
 * newer than this build.
 * The "sqlite" case is what only a file has (its modes, the kept vN.db
 * fixtures migrated, a corrupt file, a file that is not SQLite, no WAL
 * file left by a refused open); the _pg run (ctest's test_policy_store_pg)
 * has PostgreSQL's own instead: tables without schema_version, a
 * schema_version row 99, each older schema migrated forward. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "policy_admin.h"
#include "store_int.h"
#include "testlib.h"
#include "tl_pg_sql.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define CREATORS 4 /* stores creating one database at once */

static char db[256], pwfile[512], dir[256];

static void
setup(void)
{
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
}

static void
teardown(void)
{
	tl_policy_db_drop(db);
}

/* SQLite: the test's database's new directory holds the files a test makes. */
static void
sqlite_setup(void)
{
	setup();
	snprintf(dir, sizeof(dir), "%.*s", (int)(strrchr(db, '/') - db), db);
}

static int
open_db(unsigned flags, struct policy_store **ret, char *err, size_t errlen)
{
	return tl_policy_open(db, pwfile, flags, ret, err, errlen);
}

struct counts {
	char names[32][32];
	int64_t rows[32];
	int n;
};

static int
on_table(void *ctx, const struct ps_column *cols, const struct ps_cell *cells, size_t n)
{
	struct counts *c = ctx;
	ck_assert_uint_eq(n, 2);
	snprintf(c->names[c->n], sizeof(c->names[0]), "%s", cells[0].s);
	c->rows[c->n++] = cells[1].i;
	return 0;
}

static int64_t
rows(struct policy_store *s, const char *table)
{
	struct counts c = {0};
	ck_assert_int_eq(policy_admin_list(s, PS_LIST_TABLES, NULL, 0, on_table, &c), 0);
	for (int i = 0; i < c.n; i++)
		if (!strcmp(c.names[i], table))
			return c.rows[i];
	ck_abort_msg("no table %s", table);
	return -1;
}

/* The schema at this build's version, each step recorded once, and the
 * default policy once. */
static void
assert_one_schema_and_default_policy(struct policy_store *s)
{
	int64_t steps = 0;
	ck_assert_int_eq(policy_store_schema_version(s), policy_store_schema_latest());
	ck_assert_int_eq(store_int(s, &steps, "SELECT count(*) FROM schema_version", ""), 0);
	ck_assert_int_eq(steps, (int64_t)store_nmigrations);
	ck_assert_int_eq(rows(s, "groups"), 1);
	ck_assert_int_eq(rows(s, "policies"), 3);
	ck_assert_int_eq(rows(s, "enforcements"), 3);
	ck_assert_msg(policy_store_check(s) == 0, "%s", policy_store_error(s));
}

/* --- both engines --- */

START_TEST(create_makes_schema_and_default_policy)
{
	char err[256];
	struct policy_store *s;
	/* no file yet / an empty database: nothing without PS_OPEN_CREATE */
	int code = open_db(0, &s, err, sizeof(err));
	ck_assert_ptr_null(s);
	if (tl_policy_db_is_pg()) {
		ck_assert_int_eq(code, TNC_EINVALID);
		ck_assert_msg(strstr(err, "empty database; run 'tncadm init'") != NULL, "%s", err);
	} else {
		ck_assert_int_eq(code, -ENOENT);
	}
	ck_assert_msg(open_db(PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s", err);
	assert_one_schema_and_default_policy(s);
	policy_store_close(s);
	/* a second open with CREATE finds the schema and adds nothing */
	ck_assert_msg(open_db(PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s", err);
	assert_one_schema_and_default_policy(s);
	policy_store_close(s);
}
END_TEST

/* Gateways starting at once on a new database: each store opens it with
 * CREATE at the same moment; they take turns, the first makes the schema,
 * the others find it. */
START_TEST(stores_creating_at_once_make_one_schema)
{
	int go[2];
	pid_t pids[CREATORS];
	ck_assert_int_eq(pipe(go), 0);
	for (int i = 0; i < CREATORS; i++) {
		pids[i] = fork();
		ck_assert_int_ge(pids[i], 0);
		if (pids[i] == 0) {
			char c, err[256];
			struct policy_store *s;
			close(go[1]);
			/* released together when the parent closes its end */
			if (read(go[0], &c, 1) != 0)
				_exit(2);
			int code = open_db(PS_OPEN_CREATE, &s, err, sizeof(err));
			if (code)
				fprintf(stderr, "creator %d: %s\n", i, err);
			policy_store_close(s);
			_exit(code ? 1 : 0);
		}
	}
	close(go[0]);
	close(go[1]);
	for (int i = 0; i < CREATORS; i++) {
		int st;
		ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == 0, "creator %d failed", i);
	}
	char err[256];
	struct policy_store *s;
	ck_assert_msg(open_db(0, &s, err, sizeof(err)) == 0, "%s", err);
	assert_one_schema_and_default_policy(s);
	policy_store_close(s);
}
END_TEST

START_TEST(names_and_limits_from_outside_are_bounded)
{
	char err[256], long_name[PS_VALUE_MAX + 2];
	struct policy_store *s;
	ck_assert_msg(open_db(PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s", err);
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	ck_assert_int_eq(policy_admin_product_add(s, long_name), TNC_ETOOLONG);
	long_name[PS_VALUE_MAX] = '\0'; /* exactly the maximum */
	ck_assert_int_eq(policy_admin_product_add(s, long_name), 0);
	ck_assert_int_eq(policy_admin_product_add(s, long_name), -EEXIST);
	ck_assert_int_eq(policy_admin_product_add(s, ""), TNC_EINVALID);
	ck_assert_int_eq(policy_admin_product_remove(s, "no such product"), TNC_ENOTFOUND);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "no such product"));
	ck_assert_int_eq(rows(s, "products"), 1);
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
}
END_TEST

/* --- SQLite: what only a file has --- */

START_TEST(create_makes_private_file_and_directory)
{
	char path[300], err[256];
	struct policy_store *s;
	struct stat sb;
	snprintf(path, sizeof(path), "%s/policy/tnc.db", dir);
	ck_assert_int_eq(policy_store_open(path, 0, &s, err, sizeof(err)), -ENOENT);
	ck_assert_int_eq(stat(path, &sb), -1);
	ck_assert_int_eq(policy_store_open(path, PS_OPEN_CREATE, &s, err, sizeof(err)), 0);
	policy_store_close(s);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/policy", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
}
END_TEST

/* Every kept fixture vN.db for N = 1 .. latest migrates to the current
 * schema, keeping its rows, and is clean afterwards. */
START_TEST(every_version_migrates_to_current)
{
	static const struct {
		const char *table;
		int64_t rows;
	} v1_rows[] = {{"products", 1}, {"devices", 1}, {"sessions", 1}, {"groups", 2},
	    {"policies", 4}, {"enforcements", 4}, {"workitems", 4}, {"packages", 2},
	    {"versions", 3}, {"file_hashes", 1}};
	int latest = policy_store_schema_latest();
	for (int v = 1; v <= latest; v++) {
		char rel[64], name[32], err[256];
		snprintf(rel, sizeof(rel), "policy-db/v%d.db", v);
		snprintf(name, sizeof(name), "v%d.db", v);
		const char *path = tl_copy_testdata(rel, dir, name);
		int seen = -1;
		struct ps_target *t;
		ck_assert_int_eq(ps_target_make(path, NULL, &t, err, sizeof(err)), 0);
		ck_assert_int_eq(policy_store_peek_version(t, &seen, err, sizeof(err)), 0);
		ps_target_free(t);
		ck_assert_int_eq(seen, v);
		struct policy_store *s;
		if (v < latest) {
			ck_assert_int_eq(policy_store_open(path, 0, &s, err, sizeof(err)), TNC_EVERSION);
			ck_assert_ptr_nonnull(strstr(err, "tncadm migrate"));
		}
		ck_assert_msg(policy_store_open(path, PS_OPEN_MIGRATE, &s, err, sizeof(err)) == 0, "%s",
		    err);
		ck_assert_int_eq(policy_store_schema_version(s), latest);
		ck_assert_msg(policy_store_check(s) == 0, "%s", policy_store_error(s));
		for (size_t i = 0; v == 1 && i < sizeof(v1_rows) / sizeof(v1_rows[0]); i++)
			ck_assert_msg(rows(s, v1_rows[i].table) == v1_rows[i].rows, "%s",
			    v1_rows[i].table);
		policy_store_close(s);
	}
}
END_TEST

/* Opening fails with code and message, and the file is byte-identical. */
static void
assert_file_refused_untouched(const char *path, int code, const char *message)
{
	unsigned char before[32], after[32];
	char err[256] = "";
	struct policy_store *s = (void *)1;
	struct stat sb;
	tl_sha256_file(path, before);
	for (unsigned flags = 0; flags <= (PS_OPEN_CREATE | PS_OPEN_MIGRATE); flags++) {
		ck_assert_int_eq(policy_store_open(path, flags, &s, err, sizeof(err)), code);
		ck_assert_ptr_null(s);
		ck_assert_msg(strstr(err, message) != NULL, "'%s' lacks '%s'", err, message);
	}
	tl_sha256_file(path, after);
	ck_assert_mem_eq(before, after, 32);
	char wal[300];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	ck_assert_int_ne(stat(wal, &sb), 0);
}

START_TEST(newer_schema_file_is_refused_and_untouched)
{
	assert_file_refused_untouched(tl_copy_testdata("policy-db/v99-future.db", dir, "future.db"),
	    TNC_EVERSION, "schema version 99 is newer");
}
END_TEST

START_TEST(corrupt_database_is_refused_and_untouched)
{
	const char *path = tl_copy_testdata("policy-db/v1.db", dir, "corrupt.db");
	/* garble the middle of the file: b-tree pages, not the header */
	struct stat sb;
	ck_assert_int_eq(stat(path, &sb), 0);
	int fd = open(path, O_WRONLY);
	ck_assert_int_ge(fd, 0);
	char junk[8192];
	memset(junk, 0xa5, sizeof(junk));
	ck_assert_int_eq(pwrite(fd, junk, sizeof(junk), 8192), (ssize_t)sizeof(junk));
	close(fd);
	assert_file_refused_untouched(path, TNC_EINVALID, "corrupt");
}
END_TEST

START_TEST(not_sqlite_is_refused_and_untouched)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/text.db", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 300; i++)
		fputs("this is not a database at all\n", f);
	fclose(f);
	assert_file_refused_untouched(path, TNC_EINVALID, "not a SQLite database");
}
END_TEST

START_TEST(foreign_sqlite_is_refused_and_untouched)
{
	assert_file_refused_untouched(tl_copy_testdata("strongswan-policy-db/config.db", dir,
	                                  "config.db"), TNC_EINVALID, "not a tnc policy database");
}
END_TEST

/* --- PostgreSQL: the same properties of a server's database --- */

/* Opening, and peeking at its version, fail with code and message with
 * every flag, and a dump of the database is the same before and after. */
static void
assert_pg_refused_untouched(int code, const char *message)
{
	char *before = tl_pg_dump(db, pwfile), err[256] = "";
	struct policy_store *s = (void *)1;
	for (unsigned flags = 0; flags <= (PS_OPEN_CREATE | PS_OPEN_MIGRATE); flags++) {
		ck_assert_int_eq(open_db(flags, &s, err, sizeof(err)), code);
		ck_assert_ptr_null(s);
		ck_assert_msg(strstr(err, message) != NULL, "'%s' lacks '%s'", err, message);
	}
	struct ps_target *t;
	int version = -1;
	ck_assert_int_eq(ps_target_make(db, pwfile, &t, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_store_peek_version(t, &version, err, sizeof(err)), code);
	ps_target_free(t);
	ck_assert_int_eq(version, -1);
	char *after = tl_pg_dump(db, pwfile);
	ck_assert_str_eq(before, after);
	free(before);
	free(after);
}

/* Another application's tables, two of them named as ours. */
START_TEST(pg_foreign_database_is_refused_and_untouched)
{
	tl_pg_exec(db, pwfile,
	    "CREATE TABLE devices (id SERIAL PRIMARY KEY, value TEXT NOT NULL);"
	    "CREATE TABLE products (id INTEGER PRIMARY KEY, name TEXT);"
	    "INSERT INTO devices (value) VALUES ('a'), ('b');"
	    "INSERT INTO products VALUES (7, 'someone else''s')");
	assert_pg_refused_untouched(TNC_EINVALID, "not a tnc policy database");
}
END_TEST

START_TEST(pg_newer_schema_is_refused_and_untouched)
{
	char err[256];
	struct policy_store *s;
	ck_assert_msg(open_db(PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(policy_admin_product_add(s, "Debian 12 x86_64"), 0);
	policy_store_close(s);
	tl_pg_exec(db, pwfile, "INSERT INTO schema_version (version, applied) VALUES (99, 0)");
	assert_pg_refused_untouched(TNC_EVERSION, "schema version 99 is newer");
}
END_TEST

/* What each step above version 1 adds, taken away again: a database as
 * that older build left it.  Each new step in policy/schema/ needs its
 * row here, as it needs its vNNN.db fixture for SQLite. */
static const char *const undo_step[] = {
    [2] = "DROP TABLE generations",
    [3] = "DELETE FROM generations WHERE name = 'files'",
    [4] = "DROP TABLE sw_vulnerable, sw_state, sw_events, sw_inventory, sw_tags, sw_identifiers",
    [5] = "DELETE FROM generations WHERE name = 'policies'",
};
#define UNDO_STEPS ((int)(sizeof(undo_step) / sizeof(undo_step[0])) - 1)

/* For each older version: refused without MIGRATE, migrated with it,
 * keeping its rows, and clean afterwards. */
START_TEST(pg_every_older_version_migrates_to_current)
{
	int latest = policy_store_schema_latest();
	ck_assert_msg(UNDO_STEPS == latest, "schema step %d has no undo_step row", latest);
	for (int v = 1; v < latest; v++) {
		char err[256], sql[128];
		struct policy_store *s;
		if (v > 1) { /* a database of its own for each version */
			tl_policy_db_drop(db);
			setup();
		}
		ck_assert_msg(open_db(PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s", err);
		ck_assert_int_eq(policy_admin_product_add(s, "Debian 12 x86_64"), 0);
		ck_assert_int_eq(policy_admin_device_add(s, "3d1219c7", "Debian 12 x86_64", "", NULL, 1),
		    0);
		policy_store_close(s);
		for (int step = latest; step > v; step--)
			tl_pg_exec(db, pwfile, undo_step[step]);
		snprintf(sql, sizeof(sql), "DELETE FROM schema_version WHERE version > %d", v);
		tl_pg_exec(db, pwfile, sql);

		struct ps_target *t;
		int seen = -1;
		ck_assert_int_eq(ps_target_make(db, pwfile, &t, err, sizeof(err)), 0);
		ck_assert_int_eq(policy_store_peek_version(t, &seen, err, sizeof(err)), 0);
		ps_target_free(t);
		ck_assert_int_eq(seen, v);
		ck_assert_int_eq(open_db(0, &s, err, sizeof(err)), TNC_EVERSION);
		ck_assert_msg(strstr(err, "tncadm migrate") != NULL, "%s", err);
		ck_assert_msg(open_db(PS_OPEN_MIGRATE, &s, err, sizeof(err)) == 0, "%s", err);
		assert_one_schema_and_default_policy(s);
		ck_assert_int_eq(rows(s, "products"), 1);
		ck_assert_int_eq(rows(s, "devices"), 1);
		policy_store_close(s);
	}
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy_store");
	TCase *both = tcase_create(tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	tcase_add_checked_fixture(both, setup, teardown);
	tcase_set_timeout(both, 30);
	tcase_add_test(both, create_makes_schema_and_default_policy);
	tcase_add_test(both, stores_creating_at_once_make_one_schema);
	tcase_add_test(both, names_and_limits_from_outside_are_bounded);
	suite_add_tcase(s, both);
	if (tl_policy_db_is_pg()) {
		TCase *pg = tcase_create("postgresql_database");
		tcase_add_checked_fixture(pg, setup, teardown);
		tcase_set_timeout(pg, 30);
		tcase_add_test(pg, pg_foreign_database_is_refused_and_untouched);
		tcase_add_test(pg, pg_newer_schema_is_refused_and_untouched);
		tcase_add_test(pg, pg_every_older_version_migrates_to_current);
		suite_add_tcase(s, pg);
	} else {
		TCase *file = tcase_create("sqlite_file");
		tcase_add_checked_fixture(file, sqlite_setup, teardown);
		tcase_set_timeout(file, 30);
		tcase_add_test(file, create_makes_private_file_and_directory);
		tcase_add_test(file, every_version_migrates_to_current);
		tcase_add_test(file, newer_schema_file_is_refused_and_untouched);
		tcase_add_test(file, corrupt_database_is_refused_and_untouched);
		tcase_add_test(file, not_sqlite_is_refused_and_untouched);
		tcase_add_test(file, foreign_sqlite_is_refused_and_untouched);
		suite_add_tcase(s, file);
	}
	return tl_run_suite(s);
}
