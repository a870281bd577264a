/* test_os_workitems.c - the real tnc-imv-os judging the workitems of the
 * policy database, with tncd, tnc-tnccs, tnc-policy and tncclient on
 * loopback: the default group's PCKGS, FWDEN and PWDEN are handled and
 * logged as the seeds do, results and recommendation stored with the
 * session and equal to what tncclient printed; a blacklisted package, a
 * package with a security update, forwarding enabled and an unknown
 * product each get what the policy says, naming what failed; without
 * enforcements the IMV has no workitems; without tnc-policy it fails
 * closed. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define PRODUCT TL_PRODUCT

static char out[1 << 20];

/* A file in t's directory with text; its path. */
static const char *
file(struct tl_tncd *t, const char *name, const char *text)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	return path;
}

/* tncclient with the compliant facts plus text; its output in out, and
 * whether it printed want. */
static void
client(struct tl_tncd *t, const char *name, const char *text, const char *want)
{
	char facts[256];
	tl_facts_file(t, name, text, facts, sizeof(facts));
	int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 2>&1", TNC_BIN_DIR, t->port, t->ca, facts);
	ck_assert_msg(strstr(out, want), "tncclient (exit %d) did not print '%s': %s", rc, want,
	    out);
}

/* Session id as "rec|TYPE rec result|..." from tncadm --json session show. */
static const char *
stored(struct tl_tncd *t, int id)
{
	static char buf[4096];
	const char *text = tl_adm(t, "--json session show %d", id);
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j, "not JSON: %s", text);
	const char *rec = json_string_value(json_object_get(json_object_get(j, "session"), "rec"));
	snprintf(buf, sizeof(buf), "%s", rec ? rec : "-");
	json_t *items = json_object_get(j, "workitems");
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *w = json_array_get(items, i);
		const char *r = json_string_value(json_object_get(w, "rec"));
		const char *result = json_string_value(json_object_get(w, "result"));
		size_t len = strlen(buf);
		snprintf(buf + len, sizeof(buf) - len, "|%s %s %s",
		    json_string_value(json_object_get(w, "type")), r ? r : "-", result ? result : "-");
	}
	json_decref(j);
	return buf;
}

static void
expect_stored(struct tl_tncd *t, int id, const char *want)
{
	char needle[64];
	snprintf(needle, sizeof(needle), "assigned session ID %d to Connection ID", id);
	ck_assert(tl_log_contains(t, needle, 5000));
	const char *got = stored(t, id);
	ck_assert_msg(!strcmp(got, want), "session %d stored\n  %s\nwanted\n  %s", id, got, want);
}

#define COUNTS(n, b, v, o, k, u) "processed " #n " packages: " #b " blacklisted, " #v \
	" vulnerable, " #o " outdated, " #k " ok, " #u " unknown"

START_TEST(default_policy_judged_from_the_database)
{
	struct tl_tncd t;
	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);

	client(&t, "clean", "", "access recommendation: allow");
	ck_assert(tl_log_contains(&t, "10[IMV] IMV 1 handles PCKGS workitem 1", 0));
	ck_assert(tl_log_contains(&t, "10[IMV] IMV 1 handles FWDEN workitem 2", 0));
	ck_assert(tl_log_contains(&t, "IMV 1 handled PCKGS workitem 1: allow - "
	    COUNTS(2, 0, 0, 0, 2, 0), 0));
	expect_stored(&t, 1, "allow|PCKGS allow " COUNTS(2, 0, 0, 0, 2, 0)
	    "|FWDEN allow IPv4 forwarding is disabled"
	    "|PWDEN allow factory default password is not enabled");
	const char *device = tl_adm(&t, "device show 0123456789abcdef");
	ck_assert_msg(strstr(device, PRODUCT), "device not registered with its product: %s", device);

	client(&t, "blacklisted", "packages_extra = telnetd=0.17-44\n",
	    "access recommendation: isolate");
	ck_assert_msg(strstr(out, "telnetd"), "tncclient did not learn what failed: %s", out);
	expect_stored(&t, 2, "isolate|PCKGS isolate " COUNTS(3, 1, 0, 0, 2, 0)
	    "; blacklisted package telnetd (0.17-44)"
	    "|FWDEN allow IPv4 forwarding is disabled"
	    "|PWDEN allow factory default password is not enabled");

	client(&t, "forwarding", "forwarding = 1\n", "access recommendation: isolate");
	ck_assert_msg(strstr(out, "forwarding"), "tncclient did not learn what failed: %s", out);
	expect_stored(&t, 3, "isolate|PCKGS allow " COUNTS(2, 0, 0, 0, 2, 0)
	    "|FWDEN isolate IPv4 forwarding is enabled"
	    "|PWDEN allow factory default password is not enabled");

	/* a newer openssl that fixes a security problem */
	const char *updates = file(&t, "Packages", "Package: openssl\nVersion: 3.0.13-1\n"
	    "Architecture: amd64\n\n");
	tl_adm(&t, "package import '%s' %s --security", PRODUCT, updates);
	client(&t, "vulnerable", "", "access recommendation: isolate");
	expect_stored(&t, 4, "isolate|PCKGS isolate " COUNTS(2, 0, 1, 0, 1, 0)
	    "; vulnerable package openssl (3.0.11-1)"
	    "|FWDEN allow IPv4 forwarding is disabled"
	    "|PWDEN allow factory default password is not enabled");
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	tl_tncd_stop(&t);
}
END_TEST

/* A product whose packages the database does not know: PCKGS has no
 * result, and the endpoint gets the policy's recommendation for that. */
START_TEST(unknown_product_gets_what_the_policy_says)
{
	struct tl_tncd t;
	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	const char *other = "product = Windows\nversion = 11\ndevice_id = win-device\n";
	client(&t, "win", other, "access recommendation: isolate");
	ck_assert_msg(strstr(out, "unknown product 'Windows 11'"), "tncclient was not told why: %s",
	    out);
	ck_assert(tl_log_contains(&t, "IMV 1 handled PCKGS workitem 1: isolate - "
	    COUNTS(2, 0, 0, 0, 0, 2) "; the database knows none of them for product "
	    "'Windows 11'", 2000));
	expect_stored(&t, 1, "isolate|PCKGS isolate " COUNTS(2, 0, 0, 0, 0, 2)
	    "; the database knows none of them for product 'Windows 11'"
	    "|FWDEN allow IPv4 forwarding is disabled"
	    "|PWDEN allow factory default password is not enabled");
	/* the operator says: unknown products get no access */
	tl_adm(&t, "policy set 'Installed Packages' --noresult no_access");
	client(&t, "win", other, "access recommendation: no access");
	ck_assert_str_eq(stored(&t, 2), "no_access|PCKGS no_access " COUNTS(2, 0, 0, 0, 0, 2)
	    "; the database knows none of them for product 'Windows 11'"
	    "|FWDEN allow IPv4 forwarding is disabled"
	    "|PWDEN allow factory default password is not enabled");
	tl_tncd_stop(&t);
}
END_TEST

/* No enforcement applies: the seeds' "no workitems - no evaluation
 * requested", and allow. */
START_TEST(no_workitems_no_evaluation)
{
	struct tl_tncd t;
	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	tl_adm(&t, "enforcement remove 'Installed Packages' Default");
	tl_adm(&t, "enforcement remove 'IP Forwarding Enabled' Default");
	tl_adm(&t, "enforcement remove 'Default Password Enabled' Default");
	client(&t, "fwd", "forwarding = 1\n", "access recommendation: allow");
	ck_assert(tl_log_contains(&t, "10[IMV] IMV 1 has no workitems - no evaluation requested",
	    0));
	ck_assert(tl_log_contains(&t, "IMV 1 recommends 'allow' with evaluation 'don't know'", 0));
	expect_stored(&t, 1, "allow");
	tl_tncd_stop(&t);
}
END_TEST

/* tnc-policy is off: the OS IMV cannot get its workitems and says no access. */
START_TEST(without_tnc_policy_fails_closed)
{
	struct tl_tncd t;
	tl_tncd_start(&t, "[policy]\nenabled = no\n", true);
	client(&t, "clean", "", "access recommendation: no access");
	ck_assert(tl_log_contains(&t, "IMV 1 recommends 'no access' with evaluation 'error' for "
	    "Connection ID 1: no workitems from tnc-policy", 2000));
	tl_tncd_stop(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("os_workitems");
	TCase *tc = tcase_create("os");
	tcase_set_timeout(tc, 90);
	tcase_add_test(tc, default_policy_judged_from_the_database);
	tcase_add_test(tc, unknown_product_gets_what_the_policy_says);
	tcase_add_test(tc, no_workitems_no_evaluation);
	tcase_add_test(tc, without_tnc_policy_fails_closed);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
