/* test_policy_workitems.c - tnc-policy's side of workitems with the real
 * tncd, tnc-tnccs, tnc-policy and tncclient on loopback, and
 * tnc-test-workitems-imv (tests/helpers/workitems_imv.c) in place of the
 * OS IMV: the device report as a request is answered with the workitems
 * the database's enforcements plan for that device (PCKGS, FWDEN, PWDEN of
 * the default group, UNSRC added with tncadm and a max_age); a package
 * blacklisted with tncadm comes back blacklisted in one lookup of 1000; each result
 * is logged and stored with the session in one
 * transaction; a second session within max_age plans no new UNSRC; an
 * answer to a workitem the IMV was not given, or a second answer, is
 * refused and not stored; more workitems than one message carries leave
 * the IMV with none (fail closed). */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

static char out[1 << 20];

static const char *
facts(struct tl_tncd *t)
{
	static char path[256];
	snprintf(path, sizeof(path), "%s/wi.facts", t->dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "product = Debian GNU/Linux\nversion = 12 x86_64\nnumeric_version = 12.0\n"
	    "forwarding = 0\ndefault_password = 0\ndevice_id = wi-device-1\npackages = /dev/null\n");
	fclose(f);
	return path;
}

/* tncadm --json session show id, parsed (caller frees). */
static json_t *
session_show(struct tl_tncd *t, int id)
{
	const char *text = tl_adm(t, "--json session show %d", id);
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j, "not JSON: %s", text);
	return j;
}

/* The stored workitems of session id as "TYPE rec imv result;" in id order. */
static void
stored(struct tl_tncd *t, int id, char *buf, size_t size)
{
	json_t *j = session_show(t, id);
	json_t *items = json_object_get(j, "workitems");
	ck_assert_msg(json_is_array(items), "session %d has no workitems", id);
	buf[0] = '\0';
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *w = json_array_get(items, i);
		const char *rec = json_string_value(json_object_get(w, "rec"));
		const char *result = json_string_value(json_object_get(w, "result"));
		size_t len = strlen(buf);
		snprintf(buf + len, size - len, "%s %s %lld %s;",
		    json_string_value(json_object_get(w, "type")), rec ? rec : "-",
		    (long long)json_integer_value(json_object_get(w, "imv")), result ? result : "-");
	}
	json_decref(j);
}

static const char *
session_rec(struct tl_tncd *t, int id)
{
	static char rec[32];
	json_t *j = session_show(t, id);
	const char *r = json_string_value(json_object_get(json_object_get(j, "session"), "rec"));
	snprintf(rec, sizeof(rec), "%s", r ? r : "-");
	json_decref(j);
	return rec;
}

static void
run_client(struct tl_tncd *t, const char *want)
{
	int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 30 2>&1", TNC_BIN_DIR, t->port, t->ca, facts(t));
	ck_assert_msg(strstr(out, want), "client exit %d, wanted '%s': %s", rc, want, out);
}

START_TEST(workitems_planned_judged_and_recorded)
{
	struct tl_tncd t;
	char extra[512], rows[2048];
	snprintf(extra, sizeof(extra), "[imv-os]\npath = %s/tnc-test-workitems-imv\n"
	    "[policy]\nlog.imv = 2\n", TNC_BIN_DIR); /* its line for each result stored */
	tl_tncd_start(&t, extra, true);
	ck_assert_int_gt(tl_wait_state(&t, "tnc-policy", "ready", 0, 10000), 0);
	ck_assert(tl_log_contains(&t, "wi: subscribed as IMV 1", 5000));
	ck_assert(tl_log_contains(&t, ", schema version ", 5000));
	char dpkg[256];
	snprintf(dpkg, sizeof(dpkg), "%s/status", t.dir);
	FILE *f = fopen(dpkg, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "Package: telnetd\nStatus: install ok installed\nVersion: 0.17-1\n\n"
	    "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\n");
	fclose(f);
	tl_adm(&t, "product add '%s'", TL_PRODUCT);
	tl_adm(&t, "package import '%s' %s", TL_PRODUCT, dpkg);
	tl_adm(&t, "package blacklist telnetd");
	tl_adm(&t, "policy add 'Unknown Sources' --type UNSRC --fail isolate --noresult allow");
	tl_adm(&t, "enforcement add 'Unknown Sources' Default --max-age 3600");

	run_client(&t, "access recommendation: isolate");
	ck_assert(tl_log_contains(&t, "wi: 4 workitems for Connection ID", 2000));
	ck_assert(tl_log_contains(&t, "] PCKGS workitem 1", 0));
	ck_assert(tl_log_contains(&t, "] UNSRC workitem 4", 0));
	ck_assert(tl_log_contains(&t, "wi: verdicts for Connection ID 1: status 0, 1000: telnetd 4 "
	    "bash 1", 0));
	ck_assert(tl_log_contains(&t,
	    "policy: result of PCKGS workitem 1 from IMV 1: isolate - blacklisted package telnetd",
	    0));
	ck_assert(tl_log_contains(&t, "policy: result of FWDEN workitem 2 from IMV 1: allow - ok",
	    0));
	ck_assert(tl_log_contains(&t, "IMV 1 answered workitem 1 of Connection ID 1 twice", 0));
	ck_assert(tl_log_contains(&t, "IMV 1 answered workitem 999 of Connection ID 1, not one of "
	    "its own", 0));
	ck_assert(tl_log_contains(&t, "assigned session ID 1 to Connection ID 1", 2000));
	ck_assert_str_eq(session_rec(&t, 1), "isolate");
	stored(&t, 1, rows, sizeof(rows));
	ck_assert_str_eq(rows, "PCKGS isolate 1 blacklisted package telnetd;FWDEN allow 1 ok;"
	    "PWDEN allow 1 ok;UNSRC allow 1 ok;");

	/* within UNSRC's max_age: the three default workitems only */
	run_client(&t, "access recommendation: isolate");
	ck_assert(tl_log_contains(&t, "assigned session ID 2 to Connection ID 2", 5000));
	ck_assert(tl_log_contains(&t, "wi: 3 workitems for Connection ID 2", 0));
	ck_assert_int_eq(tl_log_count(&t, "] UNSRC workitem"), 1);
	stored(&t, 2, rows, sizeof(rows));
	ck_assert_str_eq(rows, "PCKGS isolate 1 blacklisted package telnetd;FWDEN allow 1 ok;"
	    "PWDEN allow 1 ok;");

	/* without the blacklist the endpoint is allowed */
	tl_adm(&t, "package unblacklist telnetd");
	run_client(&t, "access recommendation: allow");
	ck_assert(tl_log_contains(&t, "assigned session ID 3 to Connection ID 3", 5000));
	ck_assert_str_eq(session_rec(&t, 3), "allow");
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	ck_assert(!tl_log_contains(&t, "cannot record", 0));
	tl_tncd_stop(&t);
}
END_TEST

/* More workitems for one IMV than a policy-workitems carries: the IMV gets
 * none and an error (it recommends no access); the plan is still stored,
 * unanswered. */
START_TEST(too_many_workitems_fail_closed)
{
	struct tl_tncd t;
	char extra[512], rows[8192];
	snprintf(extra, sizeof(extra), "[imv-os]\npath = %s/tnc-test-workitems-imv\n", TNC_BIN_DIR);
	tl_tncd_start(&t, extra, true);
	ck_assert(tl_log_contains(&t, ", schema version ", 5000));
	for (int i = 0; i < 30; i++) { /* 30 + the default group's 3 > 32 */
		tl_adm(&t, "policy add 'Forwarding %d' --type FWDEN --fail isolate --noresult isolate",
		    i);
		tl_adm(&t, "enforcement add 'Forwarding %d' Default", i);
	}
	run_client(&t, "access recommendation: no access");
	ck_assert(tl_log_contains(&t, "has more than 32 workitems for IMV 1", 2000));
	ck_assert(tl_log_contains(&t, "wi: 0 workitems for Connection ID 1, status -", 0));
	ck_assert(tl_log_contains(&t, "assigned session ID 1 to Connection ID 1", 5000));
	ck_assert_str_eq(session_rec(&t, 1), "no_access");
	stored(&t, 1, rows, sizeof(rows));
	ck_assert_msg(!strstr(rows, " allow ") && strstr(rows, "FWDEN - 0 -;"), "%s", rows);
	tl_tncd_stop(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy_workitems");
	TCase *tc = tcase_create("workitems");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, workitems_planned_judged_and_recorded);
	tcase_add_test(tc, too_many_workitems_fail_closed);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
