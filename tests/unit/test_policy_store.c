/* test_policy_store.c - the policy database's file handling: creation with
 * the schema and default policy, migration of every kept version's fixture
 * (tests/data/policy-db/vN.db) to the current schema, and refusal - with
 * the file left byte-identical - of a newer schema, a corrupt file, a file
 * that is not SQLite and a SQLite file that is not ours. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy_admin.h"
#include "testlib.h"

static char dir[64];

static void
setup(void)
{
	strcpy(dir, "/tmp/test_policy_store.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
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

START_TEST(create_makes_schema_and_default_policy)
{
	char path[128], err[256];
	struct policy_store *s;
	struct stat sb;
	snprintf(path, sizeof(path), "%s/policy/tnc.db", dir);
	ck_assert_int_eq(policy_store_open(path, 0, &s, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_null(s);
	ck_assert_int_eq(policy_store_open(path, PS_OPEN_CREATE, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(policy_store_schema_version(s), policy_store_schema_latest());
	ck_assert_int_eq(policy_store_check(s), 0);
	ck_assert_int_eq(rows(s, "groups"), 1);
	ck_assert_int_eq(rows(s, "policies"), 3);
	ck_assert_int_eq(rows(s, "enforcements"), 3);
	policy_store_close(s);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0600);
	snprintf(path, sizeof(path), "%s/policy", dir);
	ck_assert_int_eq(stat(path, &sb), 0);
	ck_assert_int_eq(sb.st_mode & 0777, 0700);
	/* a second open with CREATE finds the schema and adds nothing */
	snprintf(path, sizeof(path), "%s/policy/tnc.db", dir);
	ck_assert_int_eq(policy_store_open(path, PS_OPEN_CREATE, &s, err, sizeof(err)), 0);
	ck_assert_int_eq(rows(s, "policies"), 3);
	policy_store_close(s);
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
		ck_assert_int_eq(policy_store_peek_version(path, &seen, err, sizeof(err)), 0);
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
assert_refused_untouched(const char *path, int code, const char *message)
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
	char wal[160];
	snprintf(wal, sizeof(wal), "%s-wal", path);
	ck_assert_int_ne(stat(wal, &sb), 0);
}

START_TEST(newer_schema_is_refused_and_untouched)
{
	assert_refused_untouched(tl_copy_testdata("policy-db/v99-future.db", dir, "future.db"), TNC_EVERSION,
	    "schema version 99 is newer");
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
	assert_refused_untouched(path, TNC_EINVALID, "corrupt");
}
END_TEST

START_TEST(not_sqlite_is_refused_and_untouched)
{
	char path[128];
	snprintf(path, sizeof(path), "%s/text.db", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	for (int i = 0; i < 300; i++)
		fputs("this is not a database at all\n", f);
	fclose(f);
	assert_refused_untouched(path, TNC_EINVALID, "not a SQLite database");
}
END_TEST

START_TEST(foreign_sqlite_is_refused_and_untouched)
{
	assert_refused_untouched(tl_copy_testdata("strongswan-policy-db/config.db", dir, "config.db"), TNC_EINVALID,
	    "not a tnc policy database");
}
END_TEST

START_TEST(names_and_limits_from_outside_are_bounded)
{
	char path[128], err[256], long_name[PS_VALUE_MAX + 2];
	struct policy_store *s;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	ck_assert_int_eq(policy_store_open(path, PS_OPEN_CREATE, &s, err, sizeof(err)), 0);
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

int
main(void)
{
	Suite *s = suite_create("policy_store");
	TCase *tc = tcase_create("file");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, create_makes_schema_and_default_policy);
	tcase_add_test(tc, every_version_migrates_to_current);
	tcase_add_test(tc, newer_schema_is_refused_and_untouched);
	tcase_add_test(tc, corrupt_database_is_refused_and_untouched);
	tcase_add_test(tc, not_sqlite_is_refused_and_untouched);
	tcase_add_test(tc, foreign_sqlite_is_refused_and_untouched);
	tcase_add_test(tc, names_and_limits_from_outside_are_bounded);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
