/* test_policy_files.c - measured files against a product's reference
 * hashes (policy_store_file_verdicts(), what the attestation IMV asks of
 * tnc-policy for each IMA measurement), on SQLite and (the _pg run) on
 * PostgreSQL: ok, differ and unknown per file and algorithm, a product the
 * database does not know, the root directory, another store's import seen
 * at once, the same verdicts without the in-memory copy, the reference
 * hashes themselves (policy_store_file_references()), and the bounds. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy_admin.h"
#include "store_int.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define PRODUCT "Debian 12 x86_64"
#define H1 "1111111111111111111111111111111111111111111111111111111111111111"
#define H2 "2222222222222222222222222222222222222222222222222222222222222222"
#define H3 "3333333333333333333333333333333333333333333333333333333333333333"
#define S1 "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"

static char db[256], pwfile[512];
static struct policy_store *s;

static void
setup(void)
{
	char err[256];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(tl_policy_open(db, pwfile, PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s",
	    err);
	ck_assert_int_eq(policy_admin_product_add(s, PRODUCT), 0);
	const struct ps_file_hash h[] = {{"/usr/bin/ls", "sha256", H1, 10},
	    {"/etc/ssh/sshd_config", "sha256", H2, 20}, {"/usr/bin/ls", "sha1", S1, 10},
	    {"/init", "sha256", H3, 30}};
	ck_assert_msg(policy_admin_files_import(s, PRODUCT, h, 4) == 0, "%s", policy_store_error(s));
}

static void
teardown(void)
{
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
	tl_policy_db_drop(db);
}

static const struct ps_file_measurement measured[] = {
    {"/usr/bin/ls", H1},           /* ok */
    {"/etc/ssh/sshd_config", H1},  /* differ */
    {"/usr/bin/unknown", H1},      /* unknown */
    {"/init", H3},                 /* ok, in / */
    {"/usr/bin", H1},              /* a directory is not a file */
};
static const uint8_t expected[] = {PS_FILE_OK, PS_FILE_DIFFER, PS_FILE_UNKNOWN, PS_FILE_OK,
    PS_FILE_UNKNOWN};
#define NMEASURED (sizeof(measured) / sizeof(measured[0]))

static void
assert_verdicts(struct policy_store *store)
{
	uint8_t v[NMEASURED];
	memset(v, 0xee, sizeof(v));
	ck_assert_msg(policy_store_file_verdicts(store, PRODUCT, "sha256", measured, NMEASURED, v) ==
	    0, "%s", policy_store_error(store));
	for (size_t i = 0; i < NMEASURED; i++)
		ck_assert_msg(v[i] == expected[i], "%s: verdict %d, not %d", measured[i].path, v[i],
		    expected[i]);
}

START_TEST(ok_differ_and_unknown_per_file)
{
	assert_verdicts(s);
	/* another algorithm has its own references */
	const struct ps_file_measurement sha1[] = {{"/usr/bin/ls", S1}, {"/init", S1}};
	uint8_t v[2];
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "sha1", sha1, 2, v), 0);
	ck_assert_int_eq(v[0], PS_FILE_OK);
	ck_assert_int_eq(v[1], PS_FILE_UNKNOWN);
	/* every file of a product the database does not know */
	uint8_t u[NMEASURED];
	ck_assert_int_eq(policy_store_file_verdicts(s, "Windows 11", "sha256", measured, NMEASURED,
	                     u), 0);
	for (size_t i = 0; i < NMEASURED; i++)
		ck_assert_int_eq(u[i], PS_FILE_UNKNOWN);
}
END_TEST

/* Another store (tncadm, another gateway) changes a reference hash: the
 * next lookup sees it, although the first one filled the cache. */
START_TEST(another_stores_import_is_seen_at_once)
{
	char err[256];
	struct policy_store *other;
	uint8_t v[NMEASURED];
	assert_verdicts(s);
	ck_assert_msg(tl_policy_open(db, pwfile, 0, &other, err, sizeof(err)) == 0, "%s", err);
	const struct ps_file_hash changed = {"/etc/ssh/sshd_config", "sha256", H1, 20};
	ck_assert_int_eq(policy_admin_files_import(other, PRODUCT, &changed, 1), 0);
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "sha256", measured, NMEASURED, v), 0);
	ck_assert_int_eq(v[1], PS_FILE_OK);
	ck_assert_int_eq(policy_admin_product_remove(other, PRODUCT), 0);
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "sha256", measured, NMEASURED, v), 0);
	for (size_t i = 0; i < NMEASURED; i++)
		ck_assert_int_eq(v[i], PS_FILE_UNKNOWN);
	policy_store_close(other);
}
END_TEST

/* A product with more hashes than a cache holds is looked up file by file,
 * with the same verdicts. */
START_TEST(without_the_cache_the_same_verdicts)
{
	store_file_cache_bound(s, 1);
	assert_verdicts(s);
	store_file_cache_bound(s, 0);
	assert_verdicts(s);
}
END_TEST

/* The references themselves, for a caller that derives what it compares
 * (the attestation IMV rebuilding IMA template hashes). */
START_TEST(references_as_stored)
{
	const char *paths[] = {"/usr/bin/ls", "/usr/bin/unknown", "/init"};
	char refs[3][PS_HASH_HEX_MAX + 1];
	ck_assert_int_eq(policy_store_file_references(s, PRODUCT, "sha256", paths, 3, refs), 0);
	ck_assert_str_eq(refs[0], H1);
	ck_assert_str_eq(refs[1], "");
	ck_assert_str_eq(refs[2], H3);
	ck_assert_int_eq(policy_store_file_references(s, PRODUCT, "sha1", paths, 1, refs), 0);
	ck_assert_str_eq(refs[0], S1);
	ck_assert_int_eq(policy_store_file_references(s, "Windows 11", "sha256", paths, 3, refs), 0);
	ck_assert_str_eq(refs[0], "");
	store_file_cache_bound(s, 1);
	ck_assert_int_eq(policy_store_file_references(s, PRODUCT, "sha256", paths, 3, refs), 0);
	ck_assert_str_eq(refs[2], H3);
}
END_TEST

START_TEST(bounds_and_bad_input)
{
	uint8_t v[1];
	const struct ps_file_measurement one = {"/usr/bin/ls", H1};
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "md5", &one, 1, v), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "md5"));
	ck_assert_int_eq(policy_store_file_verdicts(s, "", "sha256", &one, 1, v), TNC_EINVALID);
	const struct ps_file_measurement none = {NULL, H1};
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "sha256", &none, 1, v), TNC_EINVALID);
	char *long_path = malloc(PS_PATH_MAX + 2);
	ck_assert_ptr_nonnull(long_path);
	memset(long_path, 'a', PS_PATH_MAX + 1);
	long_path[0] = '/';
	long_path[PS_PATH_MAX + 1] = '\0';
	const struct ps_file_measurement too_long = {long_path, H1};
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "sha256", &too_long, 1, v),
	    TNC_EINVALID);
	free(long_path);
	ck_assert_int_eq(policy_store_file_verdicts(s, PRODUCT, "sha256", &one, PS_LOOKUP_MAX + 1, v),
	    TNC_ETOOLONG);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("policy_files");
	TCase *tc = tcase_create("files");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ok_differ_and_unknown_per_file);
	tcase_add_test(tc, another_stores_import_is_seen_at_once);
	tcase_add_test(tc, without_the_cache_the_same_verdicts);
	tcase_add_test(tc, references_as_stored);
	tcase_add_test(tc, bounds_and_bad_input);
	suite_add_tcase(suite, tc);
	return tl_run_suite(suite);
}
