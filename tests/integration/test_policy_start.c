/* test_policy_start.c - tnc-policy opens its database sandboxed but before
 * it reports READY: a database it cannot open (here a file that is not
 * SQLite) fails tncd's first start loudly, naming the cause, instead of a
 * crash loop; the file is left as it was. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testlib.h"

START_TEST(a_database_it_cannot_open_fails_the_first_start)
{
	char state[] = "/tmp/tnc-policy-start-XXXXXX", dir[256], db[300], extra[512];
	unsigned char before[32], after[32];

	ck_assert_ptr_nonnull(mkdtemp(state));
	snprintf(dir, sizeof(dir), "%s/policy", state);
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(db, sizeof(db), "%s/tnc.db", dir);
	FILE *f = fopen(db, "w");
	ck_assert_ptr_nonnull(f);
	fputs("this is not an SQLite database\n", f);
	fclose(f);
	ck_assert_int_eq(chmod(db, 0666), 0); /* readable by tnc-policy's uid */
	tl_sha256_file(db, before);

	struct tl_tncd t;
	snprintf(extra, sizeof(extra), "[daemon]\nstate_dir = %s\nready_timeout_ms = 3000\n", state);
	tl_tncd_start(&t, extra, false);
	int rc = tl_tncd_wait_exit(&t, 8000);
	ck_assert_msg(rc == 1, "tncd exit code %d, want 1 (log %s)", rc, t.log);
	static const char *const needles[] = {
		"tnc-policy failed before it was ever ready (exit code 3)",
		"tncd stopped: the first start failed: tnc-policy did not become ready (exit code 3); "
		    "its first error: 03[IMV] policy: cannot open the database /tnc.db",
		NULL};
	for (const char *const *n = needles; *n; n++)
		ck_assert_msg(tl_log_contains(&t, *n, 0), "no '%s' in %s", *n, t.log);
	ck_assert_msg(!tl_log_contains(&t, "restarting tnc-policy", 0), "log %s", t.log);
	ck_assert_msg(tl_port_free(t.port), "PT-TLS port %d still bound", t.port);
	tl_sha256_file(db, after);
	ck_assert_msg(!memcmp(before, after, 32), "the database file was changed");
	char cmd[400], out[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", state);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s", cmd), 0);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy_start");
	TCase *tc = tcase_create("start");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, a_database_it_cannot_open_fails_the_first_start);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
