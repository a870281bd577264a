/* test_tncadm_sw.c - tncadm sw on a fleet whose inventories and events
 * the store holds (as tnc-policy writes them for the SWIMA IMV), on SQLite
 * and (the _pg run) PostgreSQL: a device's inventory and its events since
 * an EID, "which devices run openssl below X" and a --from/--to range in
 * dpkg's order (tables and JSON), advisories imported from a DSA list for
 * one release and from a simple list with the devices they affect, and
 * the exit codes and messages of what is wrong. */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_software.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define OUT_MAX (1 << 20)

static char dir[64], db[256], pwfile[512], *out;

/* One device per openssl version; each also runs bash 5.2.15-2+b2. */
static const struct {
	const char *device, *openssl;
} fleet[] = {
    {"gw-old", "3.0.9-1"},
    {"gw-rc", "3.0.11~rc1-1"},
    {"gw-sec", "3.0.11-1~deb12u2"},
    {"gw-new", "3.0.13-1~deb12u1"},
    {"gw-epoch", "1:1.0.0-1"},
};
#define NFLEET (sizeof(fleet) / sizeof(fleet[0]))

static void
setup(void)
{
	char err[256], name[128];
	struct policy_store *s;
	strcpy(dir, "/tmp/test_tncadm_sw.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(tl_policy_open(db, pwfile, PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s",
	    err);
	for (size_t i = 0; i < NFLEET; i++) {
		snprintf(name, sizeof(name), "debian.org__Debian_12-x86_64-openssl-%s", fleet[i].openssl);
		const struct ps_sw_id ids[] = {{name, "openssl", fleet[i].openssl, "debian.org"},
		    {"debian.org__Debian_12-x86_64-bash-5.2.15-2~b2", "bash", "5.2.15-2+b2",
		        "debian.org"}};
		ck_assert_msg(policy_store_sw_inventory_replace(s, fleet[i].device, 1800000000, 1, 2,
		    ids, 2) == 0, "%s", policy_store_error(s));
	}
	const struct ps_sw_event ev[] = {
	    {3, "2026-12-07T05:00:00Z", PS_SW_CREATE, {"x__curl-7.88.1-10", "curl", "7.88.1-10", NULL}},
	    {4, "2026-12-07T05:00:01Z", PS_SW_DELETE, {"x__curl-7.88.1-10", "curl", "7.88.1-10", NULL}},
	    {5, "2026-12-07T05:00:02Z", PS_SW_CREATE, {"x__vim-9.0", "vim", "9.0", NULL}},
	};
	ck_assert_msg(policy_store_sw_events_apply(s, "gw-old", 1800000100, 1, 5, ev, 3, NULL) == 0,
	    "%s", policy_store_error(s));
	policy_store_close(s);
	out = malloc(OUT_MAX);
	ck_assert_ptr_nonnull(out);
}

static void
teardown(void)
{
	char cmd[128];
	tl_policy_db_drop(db);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
	free(out);
}

/* tncadm ARGS on the test's database (stderr into the output too); the
 * exit code. */
static int
adm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
adm(const char *fmt, ...)
{
	char args[1536];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof(args));
	return tl_sh(out, OUT_MAX, "cd %s && %s/tncadm --db '%s'%s%s%s %s 2>&1", dir, TNC_BIN_DIR,
	    db, pwfile[0] ? " --db-password-file '" : "", pwfile, pwfile[0] ? "'" : "", args);
}

static void
ok(const char *args)
{
	int rc = adm("%s", args);
	ck_assert_msg(rc == 0, "tncadm %s: exit %d: %s", args, rc, out);
}

/* The device column of a JSON listing, joined by ' '. */
static const char *
devices_of(const char *args)
{
	static char names[256];
	int rc = adm("%s --json", args);
	ck_assert_msg(rc == 0, "tncadm %s: exit %d: %s", args, rc, out);
	json_error_t e;
	json_t *rows = json_loads(out, 0, &e), *row;
	ck_assert_msg(json_is_array(rows), "tncadm %s: %s", args, out);
	size_t i;
	names[0] = '\0';
	json_array_foreach(rows, i, row) {
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s%s", i ? " " : "",
		    json_string_value(json_object_get(row, "device")));
	}
	json_decref(rows);
	return names;
}

START_TEST(inventory_and_events_of_a_device)
{
	ok("sw inventory gw-old");
	ck_assert_msg(strstr(out, "debian.org__Debian_12-x86_64-openssl-3.0.9-1   openssl  3.0.9-1 "
	                          "     1800000000  no"), "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "x__vim-9.0"));
	ck_assert_ptr_null(strstr(out, "curl")); /* created, then deleted */

	ck_assert_int_eq(adm("sw inventory gw-old --json"), 0);
	json_t *rows = json_loads(out, 0, NULL);
	ck_assert_uint_eq(json_array_size(rows), 3);
	json_t *first = json_array_get(rows, 0);
	ck_assert_str_eq(json_string_value(json_object_get(first, "version")), "5.2.15-2+b2");
	ck_assert_int_eq(json_integer_value(json_object_get(first, "since")), 1800000000);
	ck_assert(json_is_false(json_object_get(first, "tagged")));
	json_decref(rows);

	ck_assert_int_eq(adm("sw events gw-old --since 3 --json"), 0);
	rows = json_loads(out, 0, NULL);
	ck_assert_uint_eq(json_array_size(rows), 2);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(rows, 0), "eid")), 4);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 0), "action")),
	    "delete");
	json_decref(rows);
	ok("sw events gw-old");
	ck_assert_ptr_nonnull(strstr(out, "2026-12-07T05:00:00Z"));

	ck_assert_int_eq(adm("sw inventory nobody"), 1);
	ck_assert_ptr_nonnull(strstr(out, "no device 'nobody'"));
	ck_assert_int_eq(adm("sw events gw-old --since -1"), 2);
}
END_TEST

START_TEST(devices_in_a_version_range)
{
	/* "which devices run openssl below 3.0.11-1~deb12u2": ~rc1 sorts before the release */
	ck_assert_str_eq(devices_of("sw devices openssl --below 3.0.11-1~deb12u2"), "gw-old gw-rc");
	ck_assert_str_eq(devices_of("sw devices openssl --from 3.0.11 --to 3.0.13-1~deb12u1"),
	    "gw-new gw-sec");
	ck_assert_str_eq(devices_of("sw devices openssl --from 1:0"), "gw-epoch");
	ck_assert_str_eq(devices_of("sw devices openssl"), "gw-epoch gw-new gw-old gw-rc gw-sec");
	ck_assert_str_eq(devices_of("sw devices telnetd"), "");
	ok("sw devices openssl --below 3.0.11");
	ck_assert_msg(strstr(out, "gw-old  openssl  3.0.9-1 "), "%s", out);
	ck_assert_int_eq(adm("sw devices openssl --below 3 --to 4"), 2);
	ck_assert_int_eq(adm("sw devices openssl --below 1:"), 1);
	ck_assert_ptr_nonnull(strstr(out, "the highest version '1:'"));
}
END_TEST

START_TEST(advisories_import_and_devices_affected)
{
	char data[512];
	snprintf(data, sizeof(data), "%s/sw-advisories", TNC_TESTDATA_DIR);
	ok("sw advisories import '" TNC_TESTDATA_DIR "/sw-advisories/dsa-list' --suite bookworm");
	/* bookworm's openssl and glibc fixes; bullseye's glibc and flac are not this release's */
	ck_assert_msg(strstr(out, "2 versions marked vulnerable (2 new) from dsa-list:bookworm"),
	    "%s", out);
	ck_assert_ptr_nonnull(strstr(out, "gw-old  openssl  3.0.9-1       DSA-5532-1"));
	ck_assert_ptr_nonnull(strstr(out, "gw-rc   openssl  3.0.11~rc1-1  DSA-5532-1"));
	ck_assert_ptr_null(strstr(out, "gw-sec"));
	ok("sw advisories import '" TNC_TESTDATA_DIR "/sw-advisories/dsa-list' --suite bookworm");
	ck_assert_ptr_nonnull(strstr(out, "(0 new)"));

	ck_assert_int_eq(adm("sw advisories import '%s/simple-list' --json", data), 0);
	json_t *rows = json_loads(out, 0, NULL);
	/* openssl below 3.0.13-1~deb12u1: all but gw-new (and the epoch); bash below 5.2.15-2+b7 */
	ck_assert_uint_eq(json_array_size(rows), NFLEET + 3);
	json_decref(rows);

	ck_assert_int_eq(adm("sw advisories import '%s/dsa-list'", data), 2);
	ck_assert_ptr_nonnull(strstr(out, "--suite"));
	ck_assert_int_eq(adm("sw advisories list '%s/dsa-list'", data), 2);
	ck_assert_int_eq(adm("sw advisories import '%s/missing'", data), 1);
	char bad[128];
	snprintf(bad, sizeof(bad), "%s/bad-list", dir);
	FILE *f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fputs("openssl 3.0.13-1 DSA-1\nopenssl 3.0.13-1\n", f);
	fclose(f);
	ck_assert_int_eq(adm("sw advisories import %s", bad), 1);
	ck_assert_ptr_nonnull(strstr(out, "line 2"));
	f = fopen(bad, "w");
	ck_assert_ptr_nonnull(f);
	fputs("openssl 3.0:13 DSA-1\n", f);
	fclose(f);
	ck_assert_int_eq(adm("sw advisories import %s", bad), 1);
	ck_assert_ptr_nonnull(strstr(out, "openssl"));
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("tncadm_sw");
	TCase *tc = tcase_create("sw");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, inventory_and_events_of_a_device);
	tcase_add_test(tc, devices_in_a_version_range);
	tcase_add_test(tc, advisories_import_and_devices_affected);
	suite_add_tcase(suite, tc);
	return tl_run_suite(suite);
}
