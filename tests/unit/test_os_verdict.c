/* test_os_verdict.c - the OS IMV's judgement without a process: dpkg
 * version order (os_version.c), the judgement of the workitems tnc-policy
 * gives a connection (os_verdict.c), and the installed packages on their
 * way to tnc-policy and their verdicts back (os_lookup.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_budget.h"
#include "ipc_frame.h"
#include "os_lookup.h"
#include "os_verdict.h"
#include "os_version.h"
#include "testlib.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
setup(void)
{
	imv_budget_reset();
}

/* --- dpkg version order --- */

static int
vcmp(const char *a, const char *b)
{
	int r = os_version_cmp(B(a), B(b));
	int back = os_version_cmp(B(b), B(a));
	ck_assert_int_eq(r < 0, back > 0); /* antisymmetric */
	ck_assert_int_eq(r == 0, back == 0);
	return r < 0 ? -1 : r > 0;
}

START_TEST(version_numbers)
{
	ck_assert_int_eq(vcmp("1.0", "1.0"), 0);
	ck_assert_int_eq(vcmp("1.10", "1.9"), 1);
	ck_assert_int_eq(vcmp("1.01", "1.1"), 0); /* numbers, not strings */
	ck_assert_int_eq(vcmp("3.0.2", "3.0.11"), -1);
	ck_assert_int_eq(vcmp("1.0", "1.0.1"), -1);
	ck_assert_int_eq(vcmp("10", "9"), 1);
	ck_assert_int_eq(vcmp("123456789012345678901234567890",
	    "123456789012345678901234567891"), -1);
	ck_assert_int_eq(vcmp("99999999999999999999999", "100000000000000000000000"), -1);
	ck_assert_int_eq(vcmp("", ""), 0);
	ck_assert_int_eq(vcmp("", "0"), 0);
	ck_assert_int_eq(vcmp("", "1"), -1);
}
END_TEST

START_TEST(version_text_and_tilde)
{
	ck_assert_int_eq(vcmp("1.0", "1.0a"), -1);       /* the end before a letter */
	ck_assert_int_eq(vcmp("1.0a", "1.0b"), -1);
	ck_assert_int_eq(vcmp("1.0~rc1", "1.0"), -1);    /* tilde before the end */
	ck_assert_int_eq(vcmp("1.0~rc1", "1.0~rc2"), -1);
	ck_assert_int_eq(vcmp("1.0~~", "1.0~"), -1);
	ck_assert_int_eq(vcmp("3.0.11-1~deb12u2", "3.0.11-1"), -1);
	ck_assert_int_eq(vcmp("3.0.11-1", "3.0.11-1+b1"), -1);
	ck_assert_int_eq(vcmp("3.0.11-1+b1", "3.0.12"), -1);
	ck_assert_int_eq(vcmp("5.2.15-2+b8", "5.2.15-2+b10"), -1);
	ck_assert_int_eq(vcmp("a", "1"), 1);             /* a non-digit run comes first */
	ck_assert_int_eq(vcmp("1.2-1", "1.2.1"), -1);    /* upstream 1.2 < 1.2.1 */
}
END_TEST

START_TEST(version_epoch)
{
	ck_assert_int_eq(vcmp("1:2.38.1-5", "2.40"), 1);
	ck_assert_int_eq(vcmp("0:1.0", "1.0"), 0);
	ck_assert_int_eq(vcmp("2:1.0", "10:0.1"), -1);
	ck_assert_int_eq(vcmp("1:1.0", "1:1.1"), -1);
	/* what dpkg refuses (":1.0", "1.2:3") is tested in test_dpkg_version.c */
}
END_TEST
/* --- the judgement of workitems --- */

/* The workitems of types as the IMV keeps them, judged on f. */
static void
judge(const char *types, const struct os_facts *f, struct os_items *items, struct os_verdict *v)
{
	struct ipc_policy_workitems w = tl_policy_workitems(types);
	os_items_from_msg(&w, items);
	os_verdict_judge(items, f, v);
}

/* A Debian endpoint that reported all but its packages' verdicts:
 * forwarding and the factory default password off. */
static struct os_facts
debian(void)
{
	struct os_facts f = OS_FACTS_INIT;
	f.have_product = f.have_version = true;
	strcpy(f.product, "Debian GNU/Linux");
	strcpy(f.version, "12 x86_64");
	strcpy(f.device_id, "3d1219c7c4c5404aaa1f6d2a48adfda4");
	f.forwarding = f.default_password = 0;
	f.have_packages = true;
	return f;
}

static void
package(struct os_facts *f, enum os_pkg_verdict v, const char *name, const char *version)
{
	os_packages_add(&f->packages, v, B(name), B(version));
}

static void
assert_result(const struct os_verdict *v, unsigned i, enum os_outcome outcome,
    enum imv_recommendation rec, const char *text)
{
	ck_assert_int_eq(v->result[i].outcome, outcome);
	ck_assert_int_eq(v->result[i].rec, rec);
	ck_assert_str_eq(v->result[i].text, text);
}

START_TEST(verdict_items_from_msg)
{
	struct ipc_policy_workitems w = tl_policy_workitems("PCKGS SWIDT PWDEN UNSRC FWDEN PCKGSX");
	struct os_items items;

	w.item[0].id = 3193;
	w.item[0].rec_fail = IMV_REC_NO_ACCESS;
	w.item[0].rec_noresult = IMV_REC_NONE;
	w.item[2].rec_fail = 9; /* not a recommendation: the strictest */
	os_items_from_msg(&w, &items);
	ck_assert_uint_eq(items.n, 6);
	ck_assert_uint_eq(items.item[0].id, 3193);
	ck_assert_int_eq(items.item[0].type, OS_ITEM_PCKGS);
	ck_assert_str_eq(items.item[0].type_name, "PCKGS");
	ck_assert_int_eq(items.item[0].rec_fail, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(items.item[0].rec_noresult, IMV_REC_NONE);
	ck_assert_int_eq(items.item[1].type, OS_ITEM_OTHER);
	ck_assert_str_eq(items.item[1].type_name, "SWIDT");
	ck_assert_uint_eq(items.item[1].id, 2);
	ck_assert_int_eq(items.item[2].type, OS_ITEM_PWDEN);
	ck_assert_int_eq(items.item[2].rec_fail, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(items.item[2].rec_noresult, IMV_REC_ALLOW);
	ck_assert_int_eq(items.item[3].type, OS_ITEM_UNSRC);
	ck_assert_int_eq(items.item[4].type, OS_ITEM_FWDEN);
	ck_assert_int_eq(items.item[4].rec_fail, IMV_REC_ISOLATE);
	ck_assert_int_eq(items.item[5].type, OS_ITEM_OTHER); /* the whole name counts */

	/* What they need the endpoint to report. */
	ck_assert_uint_eq(os_items_needs(&items), 1u << OS_HAVE_PACKAGES |
	    1u << OS_HAVE_FORWARDING | 1u << OS_HAVE_DEFAULT_PASSWORD);
	w = tl_policy_workitems("UNSRC SWIDT");
	os_items_from_msg(&w, &items);
	ck_assert_uint_eq(os_items_needs(&items), 1u << OS_HAVE_PACKAGES);
	w = tl_policy_workitems("SWIDT");
	os_items_from_msg(&w, &items);
	ck_assert_uint_eq(os_items_needs(&items), 0);

	/* More than a message holds: the first IPC_POLICY_WORKITEMS_MAX. */
	w = tl_policy_workitems("FWDEN");
	for (unsigned i = 1; i < IPC_POLICY_WORKITEMS_MAX; i++)
		w.item[i] = w.item[0];
	w.count = IPC_POLICY_WORKITEMS_MAX + 8;
	os_items_from_msg(&w, &items);
	ck_assert_uint_eq(items.n, IPC_POLICY_WORKITEMS_MAX);
}
END_TEST

START_TEST(verdict_forwarding_and_password)
{
	struct os_facts f = debian();
	struct os_items items;
	struct os_verdict v;
	char text[256];

	judge("FWDEN PWDEN", &f, &items, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_COMPLIANT);
	assert_result(&v, 0, OS_PASS, IMV_REC_ALLOW, "IPv4 forwarding is disabled");
	assert_result(&v, 1, OS_PASS, IMV_REC_ALLOW, "factory default password is not enabled");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "operating system is compliant");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, ""); /* nothing failed: not even the URI */

	f.forwarding = 1;
	judge("FWDEN PWDEN", &f, &items, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	assert_result(&v, 0, OS_FAIL, IMV_REC_ISOLATE, "IPv4 forwarding is enabled");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "IPv4 forwarding enabled");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, "disable IPv4 forwarding\nsee https://fix.test/os\n");
	os_verdict_remediation(&items, &v, &f, "", text, sizeof(text));
	ck_assert_str_eq(text, "disable IPv4 forwarding\n");

	f.default_password = 1;
	judge("FWDEN PWDEN", &f, &items, &v);
	assert_result(&v, 1, OS_FAIL, IMV_REC_ISOLATE, "factory default password is enabled");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "IPv4 forwarding enabled, factory default password enabled");
	os_verdict_remediation(&items, &v, &f, NULL, text, sizeof(text));
	ck_assert_str_eq(text, "disable IPv4 forwarding\nchange the factory default password\n");

	/* Unknown or not reported: no result, the policy's rec_noresult. */
	f.forwarding = 2;
	f.default_password = OS_FACT_UNSET;
	judge("FWDEN PWDEN", &f, &items, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);
	assert_result(&v, 0, OS_NORESULT, IMV_REC_ALLOW, "IPv4 forwarding unknown");
	assert_result(&v, 1, OS_NORESULT, IMV_REC_ALLOW, "factory default password not reported");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "FWDEN: no result (IPv4 forwarding unknown), "
	    "PWDEN: no result (factory default password not reported)");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, "");
	f.forwarding = OS_FACT_UNSET;
	f.default_password = 2;
	judge("FWDEN PWDEN", &f, &items, &v);
	assert_result(&v, 0, OS_NORESULT, IMV_REC_ALLOW, "IPv4 forwarding not reported");
	assert_result(&v, 1, OS_NORESULT, IMV_REC_ALLOW, "factory default password unknown");
}
END_TEST

START_TEST(verdict_installed_packages)
{
	struct os_facts f = debian();
	struct os_items items;
	struct os_verdict v;
	char text[512];

	/* Outdated is no failure: only blacklisted and vulnerable are. */
	package(&f, OS_PKG_OK, "bash", "5.2.15-2");
	package(&f, OS_PKG_OUTDATED, "openssl", "3.0.11-1");
	judge("PCKGS UNSRC", &f, &items, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_COMPLIANT);
	assert_result(&v, 0, OS_PASS, IMV_REC_ALLOW,
	    "processed 2 packages: 0 blacklisted, 0 vulnerable, 1 outdated, 1 ok, 0 unknown");
	assert_result(&v, 1, OS_PASS, IMV_REC_ALLOW,
	    "processed 2 packages: 0 blacklisted, 0 vulnerable, 1 outdated, 1 ok, 0 unknown");

	package(&f, OS_PKG_BLACKLISTED, "telnetd", "0.17-44");
	judge("PCKGS UNSRC", &f, &items, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	assert_result(&v, 0, OS_FAIL, IMV_REC_ISOLATE,
	    "processed 3 packages: 1 blacklisted, 0 vulnerable, 1 outdated, 1 ok, 0 unknown; "
	    "blacklisted package telnetd (0.17-44)");
	ck_assert_int_eq(v.result[1].outcome, OS_PASS);
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "blacklisted package telnetd (0.17-44)");
	os_verdict_remediation(&items, &v, &f, "", text, sizeof(text));
	ck_assert_str_eq(text, "remove package telnetd (0.17-44)\n");

	package(&f, OS_PKG_VULNERABLE, "libssl3", "3.0.9-1");
	package(&f, OS_PKG_UNKNOWN, "mytool", "0.1");
	judge("PCKGS UNSRC", &f, &items, &v);
	assert_result(&v, 0, OS_FAIL, IMV_REC_ISOLATE,
	    "processed 5 packages: 1 blacklisted, 1 vulnerable, 1 outdated, 1 ok, 1 unknown; "
	    "blacklisted package telnetd (0.17-44), vulnerable package libssl3 (3.0.9-1)");
	assert_result(&v, 1, OS_FAIL, IMV_REC_ISOLATE,
	    "processed 5 packages: 1 blacklisted, 1 vulnerable, 1 outdated, 1 ok, 1 unknown; "
	    "unknown package mytool (0.1)");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "blacklisted package telnetd (0.17-44), "
	    "vulnerable package libssl3 (3.0.9-1), unknown package mytool (0.1)");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, "remove package telnetd (0.17-44)\n"
	    "install the security update of libssl3 (3.0.9-1)\n"
	    "remove package mytool (0.1), which is not from a known source\n"
	    "see https://fix.test/os\n");

	/* A vulnerable package alone fails PCKGS too. */
	f = debian();
	package(&f, OS_PKG_VULNERABLE, "libssl3", "3.0.9-1");
	judge("PCKGS", &f, &items, &v);
	ck_assert_int_eq(v.result[0].outcome, OS_FAIL);
	os_verdict_remediation(&items, &v, &f, "", text, sizeof(text));
	ck_assert_str_eq(text, "install the security update of libssl3 (3.0.9-1)\n");

	/* Not reported, or not looked up: no result. */
	f = debian();
	f.have_packages = false;
	judge("PCKGS UNSRC", &f, &items, &v);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);
	assert_result(&v, 0, OS_NORESULT, IMV_REC_ALLOW, "no installed packages received");
	assert_result(&v, 1, OS_NORESULT, IMV_REC_ALLOW, "no installed packages received");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "PCKGS: no result (no installed packages received), "
	    "UNSRC: no result (no installed packages received)");
	f = debian();
	package(&f, OS_PKG_BLACKLISTED, "telnetd", "0.17-44");
	f.packages.lookup_failed = true;
	strcpy(f.packages.failure, "channel closed");
	judge("PCKGS UNSRC", &f, &items, &v);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);
	assert_result(&v, 0, OS_NORESULT, IMV_REC_ALLOW,
	    "the package versions could not be looked up: channel closed");
	ck_assert_int_eq(v.result[1].outcome, OS_NORESULT);
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, "");
}
END_TEST

/* Packages reported of which the database knows none: its product is
 * unknown to it, so PCKGS cannot tell; UNSRC fails all the same. */
START_TEST(verdict_unknown_product)
{
	struct os_facts f = debian();
	struct os_items items;
	struct os_verdict v;
	char text[256];

	package(&f, OS_PKG_UNKNOWN, "bash", "5.2.15-2");
	package(&f, OS_PKG_UNKNOWN, "zstd", "1.5.4+dfsg2-5");
	judge("PCKGS UNSRC", &f, &items, &v);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	assert_result(&v, 0, OS_NORESULT, IMV_REC_ALLOW,
	    "processed 2 packages: 0 blacklisted, 0 vulnerable, 0 outdated, 0 ok, 2 unknown; "
	    "the database knows none of them for product 'Debian GNU/Linux 12 x86_64'");
	ck_assert_int_eq(v.result[1].outcome, OS_FAIL);
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "PCKGS: no result (unknown product 'Debian GNU/Linux 12 x86_64'), "
	    "unknown package bash (5.2.15-2), "
	    "unknown package zstd (1.5.4+dfsg2-5)");

	f.have_version = false; /* the product as the endpoint named it */
	judge("PCKGS", &f, &items, &v);
	ck_assert_ptr_nonnull(strstr(v.result[0].text, "for product 'Debian GNU/Linux'"));

	/* One package it knows: the product is known, the rest passes. */
	package(&f, OS_PKG_OK, "apt", "2.6.1");
	judge("PCKGS", &f, &items, &v);
	ck_assert_int_eq(v.result[0].outcome, OS_PASS);
	/* A blacklisted one among unknown ones fails. */
	f = debian();
	package(&f, OS_PKG_UNKNOWN, "bash", "5.2.15-2");
	package(&f, OS_PKG_BLACKLISTED, "telnetd", "0.17-44");
	judge("PCKGS", &f, &items, &v);
	ck_assert_int_eq(v.result[0].outcome, OS_FAIL);
	/* An empty list is no evidence of an unknown product. */
	f = debian();
	judge("PCKGS", &f, &items, &v);
	assert_result(&v, 0, OS_PASS, IMV_REC_ALLOW,
	    "processed 0 packages: 0 blacklisted, 0 vulnerable, 0 outdated, 0 ok, 0 unknown");
}
END_TEST

START_TEST(verdict_recommendations)
{
	struct os_facts f = debian();
	struct os_items items;
	struct os_verdict v;

	judge("PCKGS FWDEN PWDEN", &f, &items, &v);
	items.item[0].rec_fail = IMV_REC_NO_ACCESS;
	items.item[0].rec_noresult = IMV_REC_ISOLATE;
	items.item[2].rec_noresult = IMV_REC_NONE;

	package(&f, OS_PKG_OK, "bash", "5.2.15-2");
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_COMPLIANT);

	f.forwarding = 1; /* FWDEN fails: isolate */
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);

	package(&f, OS_PKG_BLACKLISTED, "telnetd", "0.17-44"); /* and PCKGS: no access */
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.result[0].rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(v.result[1].rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);

	/* PCKGS without a result: its rec_noresult; a failure still wins the evaluation. */
	f.have_packages = false;
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.result[0].outcome, OS_NORESULT);
	ck_assert_int_eq(v.result[0].rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	f.forwarding = 0;
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);

	/* A recommendation of "none" adds nothing. */
	f = debian();
	f.default_password = OS_FACT_UNSET;
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.result[2].rec, IMV_REC_NONE);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);

	/* A failure the policy allows is still a failure. */
	f = debian();
	f.default_password = 1;
	items.item[2].rec_fail = IMV_REC_ALLOW;
	os_verdict_judge(&items, &f, &v);
	ck_assert_int_eq(v.result[2].outcome, OS_FAIL);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
}
END_TEST

START_TEST(verdict_no_workitems_and_others)
{
	struct os_facts f = debian();
	struct os_items items;
	struct os_verdict v;
	char text[256];

	f.forwarding = 1; /* not asked about: no matter */
	judge("", &f, &items, &v);
	ck_assert_uint_eq(items.n, 0);
	ck_assert_int_eq(v.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "no workitems - no evaluation requested");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, "");

	/* Another IMV's workitem: no result here. */
	judge("SWIDT", &f, &items, &v);
	items.item[0].rec_noresult = IMV_REC_ISOLATE;
	os_verdict_judge(&items, &f, &v);
	assert_result(&v, 0, OS_NORESULT, IMV_REC_ISOLATE, "not a workitem type of the OS IMV");
	ck_assert_int_eq(v.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(v.eval, IMV_EVAL_DONT_KNOW);
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "SWIDT: no result (not a workitem type of the OS IMV)");
}
END_TEST

/* More findings than are kept by name: the rest counted, in the result,
 * the reason and the remediation; texts that do not fit end in "...". */
START_TEST(verdict_many_findings_and_cut_texts)
{
	struct os_facts f = debian();
	struct os_items items;
	struct os_verdict v;
	char name[16], want[4096], text[4096], small[32];

	for (int i = 0; i < OS_FINDINGS_MAX + 3; i++) {
		snprintf(name, sizeof(name), "bad-%d", i);
		package(&f, OS_PKG_BLACKLISTED, name, "1");
	}
	ck_assert_uint_eq(f.packages.named[OS_PKG_BLACKLISTED].n, OS_FINDINGS_MAX);
	ck_assert_uint_eq(f.packages.count[OS_PKG_BLACKLISTED], OS_FINDINGS_MAX + 3);
	judge("PCKGS", &f, &items, &v);
	ck_assert_int_eq(v.result[0].outcome, OS_FAIL);
	/* the result text does not hold all the names */
	ck_assert_uint_eq(strlen(v.result[0].text), OS_RESULT_MAX - 1);
	ck_assert_str_eq(v.result[0].text + OS_RESULT_MAX - 4, "...");

	want[0] = 0;
	for (int i = 0; i < OS_FINDINGS_MAX; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    "blacklisted package bad-%d (1), ", i);
	strcat(want, "3 more blacklisted packages");
	os_verdict_reason(&items, &v, &f, text, sizeof(text));
	ck_assert_str_eq(text, want);

	want[0] = 0;
	for (int i = 0; i < OS_FINDINGS_MAX; i++)
		snprintf(want + strlen(want), sizeof(want) - strlen(want),
		    "remove package bad-%d (1)\n", i);
	strcat(want, "and 3 more blacklisted packages\nsee https://fix.test/os\n");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", text, sizeof(text));
	ck_assert_str_eq(text, want);

	/* Cut to fit. */
	os_verdict_reason(&items, &v, &f, small, 8);
	ck_assert_str_eq(small, "blac...");
	os_verdict_remediation(&items, &v, &f, "https://fix.test/os", small, 30);
	ck_assert_str_eq(small, "remove package bad-0 (1)\nr...");
	strcpy(small, "untouched");
	os_verdict_reason(&items, &v, &f, small, 0); /* no room: nothing written */
	os_verdict_remediation(&items, &v, &f, "", small, 0);
	ck_assert_str_eq(small, "untouched");
}
END_TEST

START_TEST(verdict_text_and_packages_add)
{
	struct os_packages p = {0};
	char text[8];

	ck_assert(os_copy_text(text, sizeof(text), B("a\tb\x7f" "c")));
	ck_assert_str_eq(text, "a?b?c"); /* printable ASCII only */
	ck_assert(!os_copy_text(text, 4, B("abcdef")));
	ck_assert_str_eq(text, "abc");
	ck_assert(os_copy_text(text, 1, B("")));
	ck_assert_str_eq(text, "");

	os_packages_add(&p, OS_PKG_OK, B("bash"), B("5.2"));
	os_packages_add(&p, (enum os_pkg_verdict)9, B("odd"), B("1"));
	os_packages_add(&p, OS_PKG_OUTDATED, B("open\nssl"), B("3.0\x01"));
	ck_assert_uint_eq(p.total, 3);
	ck_assert_uint_eq(p.count[OS_PKG_OK], 1);
	ck_assert_uint_eq(p.named[OS_PKG_OK].n, 0); /* the good ones are not named */
	ck_assert_uint_eq(p.count[OS_PKG_UNKNOWN], 1);
	ck_assert_str_eq(p.named[OS_PKG_UNKNOWN].item[0].name, "odd");
	ck_assert_str_eq(p.named[OS_PKG_OUTDATED].item[0].name, "open?ssl");
	ck_assert_str_eq(p.named[OS_PKG_OUTDATED].item[0].version, "3.0?");
}
END_TEST

/* --- installed packages to tnc-policy and their verdicts back --- */

/* n packages "pkg-<i>" of version "1.<i>" from i = from. */
static void
add_numbered(struct os_lookups *l, unsigned from, unsigned n)
{
	char name[32], version[32];

	for (unsigned i = from; i < from + n; i++) {
		snprintf(name, sizeof(name), "pkg-%u", i);
		snprintf(version, sizeof(version), "1.%u", i);
		ck_assert_int_eq(os_lookups_add(l, B(name), B(version)), 0);
	}
}

/* A list holds exactly the numbered packages from .. from + count - 1. */
static void
assert_numbered(const struct os_lookup *lk, unsigned from, unsigned count)
{
	struct ipc_policy_packages m = {lk->count, {lk->list.buf, lk->list.len}};
	struct bytes name, version;
	size_t pos = 0;
	char want[32];

	ck_assert_uint_eq(lk->count, count);
	for (unsigned i = from; i < from + count; i++) {
		ck_assert_int_eq(ipc_policy_package_next(&m, &pos, &name, &version), 0);
		snprintf(want, sizeof(want), "pkg-%u", i);
		ck_assert(bytes_eq_str(name, want));
		snprintf(want, sizeof(want), "1.%u", i);
		ck_assert(bytes_eq_str(version, want));
	}
	ck_assert_int_eq(ipc_policy_package_next(&m, &pos, &name, &version), TNC_ENOTFOUND);
}

/* Every list ready goes out, numbered from seq. */
static unsigned
send_all(struct os_lookups *l, uint32_t seq)
{
	struct os_lookup *lk;
	unsigned n = 0;

	while ((lk = os_lookups_next(l)))
		os_lookups_sent(l, lk, seq + n++);
	return n;
}

START_TEST(lookup_lists_of_1000)
{
	struct os_lookups l;
	struct os_packages sum = {0};
	uint8_t verdicts[IPC_POLICY_PACKAGES_MAX];
	struct ipc_policy_package_verdicts v = {0, {verdicts, IPC_POLICY_PACKAGES_MAX}};

	os_lookups_init(&l);
	ck_assert(!os_lookups_pending(&l));
	add_numbered(&l, 0, 2500);
	os_lookups_flush(&l);
	for (unsigned i = 0; i < 3; i++) {
		struct os_lookup *lk = os_lookups_next(&l);
		ck_assert_ptr_nonnull(lk);
		assert_numbered(lk, i * 1000, i < 2 ? 1000 : 500);
		os_lookups_sent(&l, lk, 10 + i);
	}
	ck_assert_ptr_null(os_lookups_next(&l));
	ck_assert(os_lookups_pending(&l));

	/* The second list's verdicts first: pkg-1001 is vulnerable. */
	memset(verdicts, OS_PKG_OK, sizeof(verdicts));
	verdicts[1] = OS_PKG_VULNERABLE;
	ck_assert_int_eq(os_lookups_answer(&l, 11, &v, &sum), 0);
	ck_assert_uint_eq(sum.total, 1000);
	ck_assert_uint_eq(sum.count[OS_PKG_OK], 999);
	ck_assert_uint_eq(sum.count[OS_PKG_VULNERABLE], 1);
	ck_assert_str_eq(sum.named[OS_PKG_VULNERABLE].item[0].name, "pkg-1001");
	ck_assert_str_eq(sum.named[OS_PKG_VULNERABLE].item[0].version, "1.1001");
	/* answered already, or never asked: not found, nothing counted */
	ck_assert_int_eq(os_lookups_answer(&l, 11, &v, &sum), TNC_ENOTFOUND);
	ck_assert_int_eq(os_lookups_answer(&l, 13, &v, &sum), TNC_ENOTFOUND);
	ck_assert_int_eq(os_lookups_answer(&l, 0, &v, &sum), TNC_ENOTFOUND);
	ck_assert_uint_eq(sum.total, 1000);

	verdicts[1] = OS_PKG_OK;
	verdicts[499] = OS_PKG_BLACKLISTED;
	v.verdicts.len = 500;
	ck_assert_int_eq(os_lookups_answer(&l, 12, &v, &sum), 0);
	ck_assert_str_eq(sum.named[OS_PKG_BLACKLISTED].item[0].name, "pkg-2499");
	ck_assert(os_lookups_pending(&l));
	verdicts[499] = OS_PKG_UNKNOWN;
	v.verdicts.len = 1000;
	ck_assert_int_eq(os_lookups_answer(&l, 10, &v, &sum), 0);
	ck_assert(!os_lookups_pending(&l));
	ck_assert_str_eq(sum.named[OS_PKG_UNKNOWN].item[0].name, "pkg-499");
	ck_assert_uint_eq(sum.total, 2500);
	ck_assert_uint_eq(sum.count[OS_PKG_OK], 2497);
	ck_assert(!sum.lookup_failed);
	os_lookups_clear(&l);
}
END_TEST

START_TEST(lookup_failures)
{
	struct os_lookups l;
	struct os_packages sum = {0}, other = {0};
	uint8_t verdicts[4] = {OS_PKG_OK, OS_PKG_OK, OS_PKG_OK, OS_PKG_OK};
	struct ipc_policy_package_verdicts closed = {TNC_ECLOSED, {NULL, 0}};
	struct ipc_policy_package_verdicts v = {0, {verdicts, 2}};

	os_lookups_init(&l);
	add_numbered(&l, 0, 3);
	os_lookups_flush(&l);
	ck_assert_uint_eq(send_all(&l, 1), 1);
	add_numbered(&l, 3, 3);
	os_lookups_flush(&l);
	ck_assert_uint_eq(send_all(&l, 2), 1);

	/* tnc-policy could not judge them */
	ck_assert_int_eq(os_lookups_answer(&l, 1, &closed, &sum), 0);
	ck_assert(sum.lookup_failed);
	ck_assert_str_eq(sum.failure, "channel closed");
	ck_assert_uint_eq(sum.total, 0);
	ck_assert(os_lookups_pending(&l));
	/* verdicts for 2 of 3 packages: failed too, the first reason kept */
	ck_assert_int_eq(os_lookups_answer(&l, 2, &v, &sum), 0);
	ck_assert_str_eq(sum.failure, "channel closed");
	ck_assert_uint_eq(sum.total, 0);
	ck_assert(!os_lookups_pending(&l));

	add_numbered(&l, 0, 3);
	os_lookups_flush(&l);
	ck_assert_uint_eq(send_all(&l, 3), 1);
	v.verdicts.len = 4; /* more than asked */
	ck_assert_int_eq(os_lookups_answer(&l, 3, &v, &other), 0);
	ck_assert(other.lookup_failed);
	ck_assert_str_eq(other.failure, "tnc-policy answered for another number of packages");
	ck_assert_uint_eq(other.total, 0);
	ck_assert_uint_eq(imv_budget_used(), 0);
	os_lookups_clear(&l);
}
END_TEST

START_TEST(lookup_budget)
{
	struct os_lookups l;
	struct os_packages sum = {0};
	uint8_t verdicts[IPC_POLICY_PACKAGES_MAX] = {0};
	struct ipc_policy_package_verdicts v = {0, {verdicts, 2}};
	char name[256], version[256];

	/* Each package holds 2 + its name and version until its verdict is in. */
	os_lookups_init(&l);
	ck_assert_int_eq(os_lookups_add(&l, B("a"), B("1")), 0);
	ck_assert_int_eq(os_lookups_add(&l, B("bash"), B("5.2.15-2")), 0);
	ck_assert_uint_eq(imv_budget_used(), 4 + 14);
	os_lookups_flush(&l);
	send_all(&l, 1);
	ck_assert_uint_eq(imv_budget_used(), 18);
	ck_assert_int_eq(os_lookups_answer(&l, 1, &v, &sum), 0);
	ck_assert_uint_eq(imv_budget_used(), 0);

	/* Two lists: held until the last answer. */
	add_numbered(&l, 0, 1500);
	size_t held = imv_budget_used();
	ck_assert_uint_gt(held, 1500 * 7);
	os_lookups_flush(&l);
	ck_assert_uint_eq(send_all(&l, 2), 2);
	v.verdicts.len = 1000;
	ck_assert_int_eq(os_lookups_answer(&l, 2, &v, &sum), 0);
	ck_assert_uint_eq(imv_budget_used(), held);
	v.verdicts.len = 500;
	ck_assert_int_eq(os_lookups_answer(&l, 3, &v, &sum), 0);
	ck_assert_uint_eq(imv_budget_used(), 0);

	/* Cleared: all of it back, whatever the lists' state. */
	add_numbered(&l, 0, 1200);
	os_lookups_flush(&l);
	send_all(&l, 4);
	add_numbered(&l, 0, 10);
	ck_assert_uint_gt(imv_budget_used(), 0);
	os_lookups_clear(&l);
	ck_assert_uint_eq(imv_budget_used(), 0);
	ck_assert(!os_lookups_pending(&l));
	os_lookups_clear(&l);

	/* A small budget: 128 packages of 512 octets fill it. */
	ck_assert_ptr_null(imv_budget_set("reassembly_total_max", "65536"));
	memset(name, 'n', 255);
	memset(version, 'v', 255);
	struct bytes n255 = {(const uint8_t *)name, 255}, v255 = {(const uint8_t *)version, 255};
	for (int i = 0; i < 128; i++)
		ck_assert_int_eq(os_lookups_add(&l, n255, v255), 0);
	ck_assert_uint_eq(imv_budget_used(), 65536);
	ck_assert_int_eq(os_lookups_add(&l, n255, v255), TNC_ETOOLONG);
	ck_assert_int_eq(os_lookups_add(&l, B("a"), B("")), TNC_ETOOLONG);
	os_lookups_flush(&l);
	ck_assert_uint_eq(os_lookups_next(&l)->count, 128); /* the refused ones not added */
	os_lookups_clear(&l);
	ck_assert_int_eq(os_lookups_add(&l, B("a"), B("")), 0);
	os_lookups_clear(&l);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(lookup_names_and_frame_bound)
{
	struct os_lookups l;
	char name[257], version[257];
	struct bytes n255 = {(const uint8_t *)name, 255}, v255 = {(const uint8_t *)version, 255};
	unsigned counts[3], n = 0, total = 0;
	struct os_lookup *lk;

	memset(name, 'n', sizeof(name));
	memset(version, 'v', sizeof(version));
	os_lookups_init(&l);
	ck_assert_int_eq(os_lookups_add(&l, B(""), B("1")), TNC_ETOOLONG);
	ck_assert_int_eq(os_lookups_add(&l, (struct bytes){n255.ptr, 256}, B("1")), TNC_ETOOLONG);
	ck_assert_int_eq(os_lookups_add(&l, B("a"), (struct bytes){v255.ptr, 256}), TNC_ETOOLONG);
	ck_assert_uint_eq(imv_budget_used(), 0);
	ck_assert_ptr_null(l.filling);
	ck_assert_int_eq(os_lookups_add(&l, n255, B("")), 0); /* the longest name, no version */
	ck_assert_uint_eq(imv_budget_used(), 2 + 255);
	os_lookups_clear(&l);

	/* Names and versions of 255 bytes: 1000 of them would pass the frame
	 * bound, so a list ends earlier, and each still goes in one frame. */
	for (int i = 0; i < 1200; i++)
		ck_assert_int_eq(os_lookups_add(&l, n255, v255), 0);
	os_lookups_flush(&l);
	while ((lk = os_lookups_next(&l))) {
		struct ipc_msg m = {.type = IPC_POLICY_PACKAGES}, back;
		struct wire_writer w;
		ck_assert_uint_lt(n, 3);
		counts[n++] = lk->count;
		total += lk->count;
		m.u.policy_packages = (struct ipc_policy_packages){lk->count,
		    {lk->list.buf, lk->list.len}};
		wire_writer_init(&w, IPC_FRAME_MAX_DEFAULT - IPC_HEADER_LEN);
		ck_assert_int_eq(ipc_msg_encode(&m, &w), 0);
		ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_PACKAGES, w.buf, w.len, &back), 0);
		ck_assert_uint_eq(back.u.policy_packages.count, lk->count);
		wire_writer_clear(&w);
		os_lookups_sent(&l, lk, n);
	}
	ck_assert_uint_eq(n, 3);
	ck_assert_uint_eq(total, 1200);
	ck_assert_uint_lt(counts[0], IPC_POLICY_PACKAGES_MAX);
	ck_assert_uint_eq(counts[0], counts[1]);
	ck_assert_uint_gt(counts[0], 400); /* not needlessly short either */
	os_lookups_clear(&l);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("os_verdict");
	TCase *tc = tcase_create("version");
	tcase_add_test(tc, version_numbers);
	tcase_add_test(tc, version_text_and_tilde);
	tcase_add_test(tc, version_epoch);
	suite_add_tcase(s, tc);
	tc = tcase_create("verdict");
	tcase_add_test(tc, verdict_items_from_msg);
	tcase_add_test(tc, verdict_forwarding_and_password);
	tcase_add_test(tc, verdict_installed_packages);
	tcase_add_test(tc, verdict_unknown_product);
	tcase_add_test(tc, verdict_recommendations);
	tcase_add_test(tc, verdict_no_workitems_and_others);
	tcase_add_test(tc, verdict_many_findings_and_cut_texts);
	tcase_add_test(tc, verdict_text_and_packages_add);
	suite_add_tcase(s, tc);
	tc = tcase_create("lookup");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, lookup_lists_of_1000);
	tcase_add_test(tc, lookup_failures);
	tcase_add_test(tc, lookup_budget);
	tcase_add_test(tc, lookup_names_and_frame_bound);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
