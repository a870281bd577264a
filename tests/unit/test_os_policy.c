/* test_os_policy.c - the OS IMV: its policy, version order and judgement
 * (imv-os/os_policy.c, os_version.c, os_verdict.c), and whole exchanges
 * driven through struct os_state without a process (os_state.c,
 * os_attrs.c, os_request.c), including strongSwan's recorded messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "os_policy.h"
#include "os_state.h"
#include "os_verdict.h"
#include "os_version.h"
#include "pa_ietf.h"
#include "pa_segment.h"
#include "testlib.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

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

static struct os_policy
policy(const char *products, const char *unknown, const char *blacklist, const char *min)
{
	struct os_policy p;
	os_policy_init(&p);
	ck_assert_ptr_null(os_policy_set(&p, "allowed_products", products));
	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", unknown));
	ck_assert_ptr_null(os_policy_set(&p, "blacklisted_packages", blacklist));
	ck_assert_ptr_null(os_policy_set(&p, "min_package_versions", min));
	return p;
}

START_TEST(policy_defaults_and_keys)
{
	struct os_policy p;
	os_policy_init(&p);
	ck_assert_uint_eq(p.nproducts, 0);
	ck_assert_int_eq(p.unknown_product, OS_UNKNOWN_ISOLATE);
	ck_assert_uint_eq(p.max_segment_size, 65466);
	ck_assert_str_eq(p.remediation_uri, "");
	ck_assert_str_eq(os_policy_set(&p, "state_dir", "/x"), ""); /* not ours */
	ck_assert_str_eq(os_policy_set(&p, "log.IMV", "2"), "");

	ck_assert_ptr_null(os_policy_set(&p, "allowed_products",
	    " Debian 12 x86_64 ,, Ubuntu 22.04 x86_64,Fedora*  "));
	ck_assert_uint_eq(p.nproducts, 3);
	ck_assert_str_eq(p.products[0], "Debian 12 x86_64");
	ck_assert_str_eq(p.products[1], "Ubuntu 22.04 x86_64");
	ck_assert_str_eq(p.products[2], "Fedora*");
	ck_assert_ptr_null(os_policy_set(&p, "allowed_products", " , "));
	ck_assert_uint_eq(p.nproducts, 0);

	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "block"));
	ck_assert_int_eq(p.unknown_product, OS_UNKNOWN_BLOCK);
	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "allow"));
	ck_assert_int_eq(p.unknown_product, OS_UNKNOWN_ALLOW);
	ck_assert_ptr_nonnull(os_policy_set(&p, "unknown_product", "deny"));
	ck_assert_int_eq(p.unknown_product, OS_UNKNOWN_ALLOW);

	ck_assert_ptr_null(os_policy_set(&p, "blacklisted_packages",
	    "telnetd, rsh-server nis,\tftp"));
	ck_assert_uint_eq(p.nblacklist, 4);
	ck_assert_str_eq(p.blacklist[0], "ftp"); /* sorted */
	ck_assert_str_eq(p.blacklist[3], "telnetd");

	ck_assert_ptr_null(os_policy_set(&p, "remediation_uri", "  https://x.test/fix  "));
	ck_assert_str_eq(p.remediation_uri, "https://x.test/fix");
	ck_assert_ptr_null(os_policy_set(&p, "remediation_uri", ""));
	ck_assert_str_eq(p.remediation_uri, "");

	ck_assert_ptr_null(os_policy_set(&p, "max_segment_size", "512"));
	ck_assert_uint_eq(p.max_segment_size, 512);
	ck_assert_ptr_nonnull(os_policy_set(&p, "max_segment_size", "511"));
	ck_assert_ptr_nonnull(os_policy_set(&p, "max_segment_size", "1000001"));
	ck_assert_ptr_nonnull(os_policy_set(&p, "max_segment_size", "-1"));
	ck_assert_ptr_nonnull(os_policy_set(&p, "max_segment_size", "64k"));
	ck_assert_ptr_nonnull(os_policy_set(&p, "max_segment_size", ""));
	ck_assert_uint_eq(p.max_segment_size, 512);
	os_policy_clear(&p);
	os_policy_clear(&p); /* twice is harmless */
}
END_TEST

START_TEST(policy_min_versions)
{
	struct os_policy p;
	os_policy_init(&p);
	ck_assert_ptr_null(os_policy_set(&p, "min_package_versions",
	    "openssl>=3.0.11, libc6 >= 2.36-9+deb12u4 ,bash>=1:5.2"));
	ck_assert_uint_eq(p.nmin, 3);
	ck_assert_str_eq(p.min[0].name, "bash");
	ck_assert_str_eq(p.min[0].version, "1:5.2");
	ck_assert_str_eq(p.min[1].name, "libc6");
	ck_assert_str_eq(p.min[1].version, "2.36-9+deb12u4");
	ck_assert_str_eq(p.min[2].name, "openssl");
	static const char *const bad[] = {"openssl", "openssl>=", ">=1.0", "open ssl>=1",
	    "openssl>=1 2", "a>=1>=2", "openssl=1.0", "ok>=1,bad", "a>=1,b>=2,a>=3"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_ptr_nonnull(os_policy_set(&p, "min_package_versions", bad[i]));
		ck_assert_uint_eq(p.nmin, 3); /* unchanged */
	}
	ck_assert_ptr_null(os_policy_set(&p, "min_package_versions", ""));
	ck_assert_uint_eq(p.nmin, 0);
	os_policy_clear(&p);
}
END_TEST

START_TEST(policy_products)
{
	struct os_policy p = policy("", "isolate", "", "");
	ck_assert(os_policy_product_allowed(&p, "Anything 1"));
	ck_assert(os_policy_product_allowed(&p, ""));
	os_policy_clear(&p);

	p = policy("Debian 12 x86_64, Ubuntu 22*", "isolate", "", "");
	ck_assert(os_policy_product_allowed(&p, "Debian 12 x86_64"));
	ck_assert(!os_policy_product_allowed(&p, "Debian 12"));
	ck_assert(!os_policy_product_allowed(&p, "Debian 12 x86_64 "));
	ck_assert(!os_policy_product_allowed(&p, "debian 12 x86_64"));
	ck_assert(os_policy_product_allowed(&p, "Ubuntu 22.04 x86_64"));
	ck_assert(os_policy_product_allowed(&p, "Ubuntu 22"));
	ck_assert(!os_policy_product_allowed(&p, "Ubuntu 2"));
	ck_assert(!os_policy_product_allowed(&p, ""));
	os_policy_clear(&p);

	p = policy("*", "block", "", "");
	ck_assert(os_policy_product_allowed(&p, "Anything"));
	os_policy_clear(&p);
}
END_TEST

START_TEST(policy_packages)
{
	struct os_policy p = policy("", "isolate", "telnetd rsh-server",
	    "openssl>=3.0.11,libc6>=2.36");
	struct os_packages sum = {0};

	os_policy_package(&p, B("telnetd"), B("0.17-44"), &sum);
	os_policy_package(&p, B("openssl"), B("3.0.2-0ubuntu1"), &sum);
	os_policy_package(&p, B("libc6"), B("2.36"), &sum);       /* equal is ok */
	os_policy_package(&p, B("libc6-dev"), B("2.30"), &sum);   /* no rule */
	os_policy_package(&p, B("telnet"), B("1"), &sum);         /* no prefix match */
	os_policy_package(&p, B(""), B(""), &sum);
	os_policy_package(&p, (struct bytes){(const uint8_t *)"openssl\0x", 9}, B("1"), &sum);
	ck_assert_uint_eq(sum.total, 7);
	ck_assert_uint_eq(sum.blacklisted, 1);
	ck_assert_uint_eq(sum.outdated, 1);
	ck_assert_uint_eq(sum.ok, 1);
	ck_assert_uint_eq(sum.unknown, 4);
	ck_assert_uint_eq(sum.findings.n, 2);
	ck_assert_int_eq(sum.findings.item[0].kind, OS_FINDING_BLACKLISTED);
	ck_assert_str_eq(sum.findings.item[0].name, "telnetd");
	ck_assert_int_eq(sum.findings.item[1].kind, OS_FINDING_OUTDATED);
	ck_assert_str_eq(sum.findings.item[1].name, "openssl");
	ck_assert_str_eq(sum.findings.item[1].version, "3.0.2-0ubuntu1");
	ck_assert_str_eq(sum.findings.item[1].wanted, "3.0.11");

	/* Many findings: kept up to the cap, the rest counted. */
	for (int i = 0; i < OS_FINDINGS_MAX + 5; i++)
		os_policy_package(&p, B("telnetd"), B("1\n\x01\xff"), &sum);
	ck_assert_uint_eq(sum.findings.n, OS_FINDINGS_MAX);
	ck_assert_uint_eq(sum.findings.dropped, 7);
	ck_assert_uint_eq(sum.blacklisted, 1 + OS_FINDINGS_MAX + 5);
	ck_assert_str_eq(sum.findings.item[2].version, "1???"); /* printable only */
	os_policy_clear(&p);
}
END_TEST

/* Facts of a healthy Debian endpoint with its packages in. */
static struct os_facts
good_facts(void)
{
	struct os_facts f = OS_FACTS_INIT;
	f.have_product = f.have_version = true;
	strcpy(f.product, "Debian");
	strcpy(f.version, "12 x86_64");
	f.forwarding = 0;
	f.default_password = 0;
	f.have_packages = true;
	f.packages.total = f.packages.unknown = 836;
	return f;
}

static void
judge(const struct os_policy *p, const struct os_facts *f, enum imv_recommendation rec,
    enum imv_evaluation eval, struct os_verdict *v)
{
	os_verdict_judge(p, f, v);
	ck_assert_int_eq(v->rec, rec);
	ck_assert_int_eq(v->eval, eval);
}

START_TEST(judge_compliant)
{
	struct os_policy p = policy("", "isolate", "telnetd", "openssl>=3.0.11");
	struct os_facts f = good_facts();
	struct os_verdict v;
	char text[256];

	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT, &v);
	ck_assert(v.complete);
	ck_assert_uint_eq(v.findings.n, 0);
	for (int c = 0; c < OS_CHECK_COUNT; c++)
		ck_assert_int_eq(v.check[c], IMV_REC_ALLOW);
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "operating system is compliant");
	os_verdict_remediation(&v, &f, &p, text, sizeof(text));
	ck_assert_str_eq(text, "");
	os_verdict_check_text(&v, &f, OS_CHECK_PCKGS, text, sizeof(text));
	ck_assert_str_eq(text,
	    "processed 836 packages: 0 blacklisted, 0 outdated, 0 ok, 836 unknown");
	os_verdict_check_text(&v, &f, OS_CHECK_FWDEN, text, sizeof(text));
	ck_assert_str_eq(text, "forwarding not enabled");
	os_verdict_check_text(&v, &f, OS_CHECK_PWDEN, text, sizeof(text));
	ck_assert_str_eq(text, "factory default password not enabled");
	os_verdict_check_text(&v, &f, OS_CHECK_PRODUCT, text, sizeof(text));
	ck_assert_str_eq(text, "product 'Debian 12 x86_64', every product allowed");
	ck_assert_str_eq(os_verdict_check_name(OS_CHECK_FWDEN), "FWDEN");
	os_policy_clear(&p);
}
END_TEST

START_TEST(judge_products)
{
	struct os_policy p = policy("Debian 12 x86_64", "isolate", "", "");
	struct os_facts f = good_facts();
	struct os_verdict v;
	char text[256];

	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT, &v);
	ck_assert_int_eq(v.product, OS_PRODUCT_ALLOWED);
	os_verdict_check_text(&v, &f, OS_CHECK_PRODUCT, text, sizeof(text));
	ck_assert_str_eq(text, "product 'Debian 12 x86_64' is allowed");

	strcpy(f.version, "11 x86_64");
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	ck_assert_int_eq(v.product, OS_PRODUCT_UNKNOWN);
	os_verdict_check_text(&v, &f, OS_CHECK_PRODUCT, text, sizeof(text));
	ck_assert_str_eq(text, "product 'Debian 11 x86_64' is not in allowed_products");
	ck_assert_uint_eq(v.findings.n, 1);
	ck_assert_int_eq(v.findings.item[0].kind, OS_FINDING_PRODUCT);
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "unknown product 'Debian 11 x86_64'");
	os_verdict_remediation(&v, &f, &p, text, sizeof(text));
	ck_assert_str_eq(text, "use an allowed operating system instead of 'Debian 11 x86_64'\n");

	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "block"));
	judge(&p, &f, IMV_REC_NO_ACCESS, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	ck_assert_int_eq(v.check[OS_CHECK_PRODUCT], IMV_REC_NO_ACCESS);
	f.forwarding = 1; /* isolate does not soften a block */
	judge(&p, &f, IMV_REC_NO_ACCESS, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	f.forwarding = 0;

	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "allow"));
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT, &v);
	ck_assert_uint_eq(v.findings.n, 0);
	ck_assert_int_eq(v.product, OS_PRODUCT_UNKNOWN);

	/* Not reported: the unknown_product action, and the facts are incomplete. */
	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "isolate"));
	f.have_product = f.have_version = false;
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	ck_assert(!v.complete);
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "operating system not reported");
	os_verdict_check_text(&v, &f, OS_CHECK_PRODUCT, text, sizeof(text));
	ck_assert_str_eq(text, "operating system not reported");
	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "allow"));
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW, &v);
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "missing facts: operating system");

	/* A name that did not fit matches no entry, not even a prefix. */
	ck_assert_ptr_null(os_policy_set(&p, "allowed_products", "Deb*"));
	ck_assert_ptr_null(os_policy_set(&p, "unknown_product", "isolate"));
	f = good_facts();
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT, &v);
	f.product_cut = true;
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	os_policy_clear(&p);
}
END_TEST

START_TEST(judge_forwarding_and_password)
{
	struct os_policy p = policy("", "isolate", "", "");
	struct os_facts f = good_facts();
	struct os_verdict v;
	char text[256];

	f.forwarding = 1;
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	ck_assert_int_eq(v.check[OS_CHECK_FWDEN], IMV_REC_ISOLATE);
	os_verdict_check_text(&v, &f, OS_CHECK_FWDEN, text, sizeof(text));
	ck_assert_str_eq(text, "IPv4 forwarding is enabled");
	os_verdict_remediation(&v, &f, &p, text, sizeof(text));
	ck_assert_str_eq(text, "disable IPv4 forwarding\n");

	f.forwarding = 2; /* "unknown": no finding, but not compliant either */
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW, &v);
	ck_assert_int_eq(v.check[OS_CHECK_FWDEN], IMV_REC_NONE);
	os_verdict_check_text(&v, &f, OS_CHECK_FWDEN, text, sizeof(text));
	ck_assert_str_eq(text, "forwarding status unknown");
	f.forwarding = OS_FACT_UNSET;
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW, &v);
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "missing facts: IPv4 forwarding");
	f.forwarding = 0;

	f.default_password = 1;
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	os_verdict_check_text(&v, &f, OS_CHECK_PWDEN, text, sizeof(text));
	ck_assert_str_eq(text, "factory default password is enabled");
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "factory default password enabled");
	f.default_password = OS_FACT_UNSET;
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW, &v);
	ck_assert_int_eq(v.check[OS_CHECK_PWDEN], IMV_REC_NONE);
	os_policy_clear(&p);
}
END_TEST

START_TEST(judge_packages)
{
	struct os_policy p = policy("", "isolate", "telnetd", "openssl>=3.0.11");
	ck_assert_ptr_null(os_policy_set(&p, "remediation_uri", "https://fix.test/os"));
	struct os_facts f = good_facts();
	struct os_verdict v;
	char text[512];

	os_policy_package(&p, B("openssl"), B("3.0.2"), &f.packages);
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MINOR, &v); /* only outdated */
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "outdated package openssl 3.0.2 (< 3.0.11)");
	os_verdict_remediation(&v, &f, &p, text, sizeof(text));
	ck_assert_str_eq(text, "upgrade openssl to >= 3.0.11 (installed: 3.0.2)\n"
	    "see https://fix.test/os\n");

	f.forwarding = 1; /* outdated plus anything else is major */
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	f.forwarding = 0;

	os_policy_package(&p, B("telnetd"), B("0.17"), &f.packages);
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	os_verdict_check_text(&v, &f, OS_CHECK_PCKGS, text, sizeof(text));
	ck_assert_str_eq(text,
	    "processed 838 packages: 1 blacklisted, 1 outdated, 0 ok, 836 unknown");
	os_verdict_remediation(&v, &f, &p, text, sizeof(text));
	ck_assert_str_eq(text, "upgrade openssl to >= 3.0.11 (installed: 3.0.2)\n"
	    "remove package telnetd\nsee https://fix.test/os\n");

	f.have_packages = false; /* never arrived: judged on the rest */
	judge(&p, &f, IMV_REC_ALLOW, IMV_EVAL_DONT_KNOW, &v);
	ck_assert_int_eq(v.check[OS_CHECK_PCKGS], IMV_REC_NONE);
	os_verdict_check_text(&v, &f, OS_CHECK_PCKGS, text, sizeof(text));
	ck_assert_str_eq(text, "no installed packages received");
	os_verdict_reason(&v, &f, text, sizeof(text));
	ck_assert_str_eq(text, "missing facts: installed packages");
	f.forwarding = 1; /* a finding is not softened by missing facts */
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	os_policy_clear(&p);
}
END_TEST

START_TEST(judge_many_findings)
{
	struct os_policy p = policy("Debian 12 x86_64", "isolate", "telnetd",
	    "openssl>=3.0.11");
	struct os_facts f = good_facts();
	struct os_verdict v;
	char reason[200], text[4096];

	strcpy(f.version, "11");
	f.forwarding = f.default_password = 1;
	for (int i = 0; i < 40; i++)
		os_policy_package(&p, B("openssl"), B("1.1.1n-0+deb11u5"), &f.packages);
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	ck_assert_uint_eq(v.findings.n, OS_FINDINGS_MAX);
	ck_assert_uint_eq(v.findings.dropped, 3 + 40 - OS_FINDINGS_MAX);
	os_verdict_reason(&v, &f, reason, sizeof(reason));
	ck_assert_uint_eq(strlen(reason), sizeof(reason) - 1);
	ck_assert_str_eq(reason + sizeof(reason) - 4, "...");
	const char *want = "unknown product 'Debian 11', IPv4 forwarding enabled, "
	    "factory default password enabled, outdated package openssl 1.1.1n-0+deb11u5";
	ck_assert(strncmp(reason, want, strlen(want)) == 0);
	os_verdict_remediation(&v, &f, &p, text, sizeof(text));
	ck_assert_ptr_nonnull(strstr(text, "and 11 more packages to remove or upgrade\n"));

	/* Only outdated packages, beyond the kept ones too: still minor. */
	f = good_facts();
	for (int i = 0; i < 40; i++)
		os_policy_package(&p, B("openssl"), B("1"), &f.packages);
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MINOR, &v);
	/* A blacklisted package beyond the kept findings makes it major. */
	os_policy_package(&p, B("telnetd"), B("1"), &f.packages);
	ck_assert_uint_eq(f.packages.findings.dropped, 40 + 1 - OS_FINDINGS_MAX);
	judge(&p, &f, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, &v);
	os_verdict_reason(&v, &f, reason, 8);
	ck_assert_str_eq(reason, "outd...");
	os_verdict_reason(&v, &f, reason, 0); /* no room: nothing written */
	os_policy_clear(&p);
}
END_TEST

/* --- exchanges through struct os_state --- */

#define SS "strongswan-session-os-swima/"

/* The pushed facts as strongSwan's OS IMC sends them. */
static void
add_facts(struct pa_tnc_builder *b, uint32_t fwd, uint32_t pwd)
{
	struct pa_ietf_product_info pi = {9586, 0, B("Debian")};
	struct pa_ietf_string_version sv = {B("12 x86_64"), B(""), B("")};

	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
	pa_ietf_product_info_encode(&b->w, &pi);
	pa_tnc_builder_end(b);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION);
	pa_ietf_string_version_encode(&b->w, &sv);
	pa_tnc_builder_end(b);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED);
	pa_ietf_forwarding_enabled_encode(&b->w, fwd);
	pa_tnc_builder_end(b);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED);
	pa_ietf_default_password_encode(&b->w, pwd);
	pa_tnc_builder_end(b);
}

/* Hands the builder's message to the state and clears the builder. */
static void
send_msg(struct os_state *st, uint16_t imc, struct pa_tnc_builder *b)
{
	struct bytes msg;
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	os_state_receive(st, imc, msg.ptr, msg.len);
	pa_tnc_builder_clear(b);
}

static void
push_facts(struct os_state *st, uint16_t imc, uint32_t fwd, uint32_t pwd)
{
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 1, 1 << 20);
	add_facts(&b, fwd, pwd);
	send_msg(st, imc, &b);
}

/* The IMV's message, parsed; attribute values stay valid with out. */
static void
parse_out(const struct os_out *out, struct pa_tnc_msg *m)
{
	static const struct pa_tnc_limits lim = {1 << 24, 64, NULL, 0};
	struct parse_error pe;
	ck_assert(out->send);
	ck_assert_int_eq(pa_tnc_msg_parse(out->msg.ptr, out->msg.len, &lim, m, &pe), 0);
}

static void
assert_attr(const struct pa_tnc_msg *m, size_t i, uint32_t vendor, uint32_t type)
{
	ck_assert_uint_gt(m->count, i);
	ck_assert_uint_eq(m->attrs[i].vendor, vendor);
	ck_assert_uint_eq(m->attrs[i].type, type);
	ck_assert_uint_eq(m->attrs[i].flags, 0);
}

static uint32_t
assessment(const struct pa_tnc_msg *m, size_t i)
{
	uint32_t v;
	struct parse_error pe;
	assert_attr(m, i, PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT);
	ck_assert_int_eq(pa_ietf_assessment_result_decode(m->attrs[i].value, &v, &pe), 0);
	return v;
}

static struct pa_ietf_error
error_attr(const struct pa_tnc_msg *m, size_t i)
{
	struct pa_ietf_error e;
	struct parse_error pe;
	assert_attr(m, i, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	ck_assert_int_eq(pa_ietf_error_decode(m->attrs[i].value, &e, &pe), 0);
	return e;
}

START_TEST(exchange_strongswan_session)
{
	size_t n1, n3;
	uint8_t *b1 = tl_read_testdata(SS "01-c2s-CDATA-310.bin", &n1);
	uint8_t *b3 = tl_read_testdata(SS "03-c2s-CDATA-109512.bin", &n3);
	struct os_policy p = policy("Debian 12 x86_64", "block", "zstd", "adduser>=3.200,apt>=2.6");
	struct os_state *st = os_state_new(&p, 1, 2097104);
	struct os_out out;
	struct pa_tnc_msg m;
	struct pa_segment_contract c;
	struct pa_ietf_attr_request req;
	struct pa_ietf_remediation rem;
	struct parse_error pe;

	ck_assert_uint_eq(n1, 310);
	ck_assert_uint_eq(n3, 109512);
	/* Batch 1: the pushed OS attributes (PA-TNC message at 63, 195 bytes). */
	os_state_receive(st, 1, b1 + 63, 195);
	ck_assert(st->facts.have_product && st->facts.have_version);
	ck_assert_str_eq(st->facts.product, "Debian");
	ck_assert_str_eq(st->facts.version, "12 x86_64");
	ck_assert_int_eq(st->facts.forwarding, 0);
	ck_assert_int_eq(st->facts.default_password, 0);
	ck_assert_uint_eq(st->have, (1u << OS_HAVE_PACKAGES) - 1); /* all but the packages */
	os_state_batch_ending(st, &out);
	ck_assert(!out.recommend);
	ck_assert_uint_eq(out.imc_id, 1);
	ck_assert(out.excl);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 2);
	assert_attr(&m, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_int_eq(pa_segment_contract_decode(m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_msg_size, OS_REASM_MAX);
	ck_assert_uint_eq(c.max_seg_size, 65466);
	assert_attr(&m, 1, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST);
	ck_assert_int_eq(pa_ietf_attr_request_decode(m.attrs[1].value, &req, &pe), 0);
	ck_assert_uint_eq(req.count, 1);
	ck_assert_uint_eq(pa_ietf_attr_request_get(&req, 0).vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(pa_ietf_attr_request_get(&req, 0).type, PA_IETF_INSTALLED_PACKAGES);
	pa_tnc_msg_clear(&m);

	os_state_batch_ending(st, &out); /* a round without an answer: nothing */
	ck_assert(!out.send && !out.recommend);

	/* Batch 3: Contract Response and 836 Installed Packages (at 32, 21119 bytes). */
	os_state_receive(st, 1, b3 + 32, 21119);
	ck_assert(st->facts.have_packages);
	ck_assert_uint_eq(st->facts.packages.total, 836);
	ck_assert_uint_eq(st->facts.packages.blacklisted, 1);
	ck_assert_uint_eq(st->facts.packages.outdated, 1);
	ck_assert_uint_eq(st->facts.packages.ok, 1);
	ck_assert_uint_eq(st->facts.packages.unknown, 833);
	os_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason,
	    "outdated package adduser 3.134 (< 3.200), blacklisted package zstd");
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 2);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE);
	assert_attr(&m, 1, PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS);
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[1].value, &rem, &pe), 0);
	ck_assert_uint_eq(rem.type, PA_IETF_REMEDIATION_STRING);
	ck_assert(bytes_eq_str(rem.text, "upgrade adduser to >= 3.200 (installed: 3.134)\n"
	    "remove package zstd\n"));
	ck_assert(bytes_eq_str(rem.lang, "en"));
	pa_tnc_msg_clear(&m);
	os_state_solicit(st, &out); /* decided: nothing more */
	ck_assert(!out.send && !out.recommend);

	/* The same session under strongSwan's empty policy: allow, compliant,
	 * and only the Assessment Result, as in batch 4. */
	os_state_free(st);
	os_policy_clear(&p);
	p = policy("", "isolate", "", "");
	st = os_state_new(&p, 1, 2097104);
	os_state_receive(st, 1, b1 + 63, 195);
	os_state_batch_ending(st, &out);
	os_state_receive(st, 1, b3 + 32, 21119);
	os_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(out.eval, IMV_EVAL_COMPLIANT);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_COMPLIANT);
	ck_assert_uint_eq(out.msg.len, 24); /* as strongSwan's */
	pa_tnc_msg_clear(&m);
	os_state_free(st);
	os_policy_clear(&p);
	free(b1);
	free(b3);
}
END_TEST

/* An Installed Packages attribute (header and value) of n packages. */
static struct bytes
packages_attr(struct pa_tnc_builder *b, unsigned n)
{
	struct pa_ietf_package *pkgs = calloc(n, sizeof(*pkgs));
	char (*names)[16] = calloc(n, sizeof(*names)), (*versions)[16] = calloc(n, sizeof(*versions));
	struct bytes msg;

	ck_assert(pkgs && names && versions);
	for (unsigned i = 0; i < n; i++) {
		snprintf(names[i], sizeof(names[i]), "pkg-%u", i);
		snprintf(versions[i], sizeof(versions[i]), "1.%u", i);
		pkgs[i] = (struct pa_ietf_package){B(names[i]), B(versions[i])};
	}
	pa_tnc_builder_init(b, 2, 1 << 24);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	pa_ietf_installed_packages_encode(&b->w, pkgs, n);
	pa_tnc_builder_end(b);
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	free(pkgs);
	free(names);
	free(versions);
	return (struct bytes){msg.ptr + PA_TNC_HEADER_LEN, msg.len - PA_TNC_HEADER_LEN};
}

static void
send_envelope(struct os_state *st, const struct pa_segment_envelope *env, bool contract)
{
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 3, 1 << 20);
	if (contract) {
		struct pa_segment_contract c = {PA_SEGMENT_NO_LIMIT, 1000};
		pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE);
		pa_segment_contract_encode(&b.w, &c);
		pa_tnc_builder_end(&b);
	}
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
	pa_segment_envelope_encode(&b.w, env);
	pa_tnc_builder_end(&b);
	send_msg(st, 3, &b);
}

START_TEST(exchange_segmented)
{
	struct os_policy p = policy("", "isolate", "", "pkg-1999>=2");
	struct os_state *st = os_state_new(&p, 7, 4096);
	struct pa_tnc_builder pb;
	struct bytes attr = packages_attr(&pb, 2000);
	struct pa_segment_splitter sp;
	struct pa_segment_envelope env;
	struct pa_segment_contract c;
	struct pa_segment_next next;
	struct pa_ietf_attr_request req;
	struct parse_error pe;
	struct os_out out;
	struct pa_tnc_msg m;
	unsigned segments = 0;

	push_facts(st, 3, 0, 0);
	os_state_batch_ending(st, &out);
	parse_out(&out, &m);
	ck_assert_int_eq(pa_segment_contract_decode(m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_seg_size, 4096 - 24); /* cut to fit this connection */
	ck_assert_int_eq(pa_ietf_attr_request_decode(m.attrs[1].value, &req, &pe), 0);
	ck_assert_uint_eq(req.count, 2); /* packages and the device ID */
	ck_assert_uint_eq(pa_ietf_attr_request_get(&req, 1).vendor, PA_TNC_VENDOR_ITA);
	pa_tnc_msg_clear(&m);

	ck_assert_int_eq(pa_segment_splitter_init(&sp, attr, 0x4242, 1000), 0);
	while (pa_segment_splitter_next(&sp, &env)) {
		send_envelope(st, &env, segments++ == 0);
		os_state_batch_ending(st, &out);
		if (env.flags & PA_SEGMENT_FLAG_MORE) {
			ck_assert(!out.recommend);
			ck_assert_uint_gt(os_state_reasm_bytes(), 0);
			parse_out(&out, &m);
			ck_assert_uint_eq(m.count, 1);
			assert_attr(&m, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT);
			ck_assert_int_eq(pa_segment_next_decode(m.attrs[0].value, &next, &pe), 0);
			ck_assert(!next.cancel);
			ck_assert_uint_eq(next.base_msg_id, 0x4242);
			pa_tnc_msg_clear(&m);
		}
	}
	ck_assert_uint_eq(segments, (attr.len + 999) / 1000);
	ck_assert_uint_gt(segments, 20);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	ck_assert(out.recommend);
	ck_assert_uint_eq(st->facts.packages.total, 2000);
	ck_assert_uint_eq(st->facts.packages.outdated, 1);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MINOR);
	pa_tnc_builder_clear(&pb);
	os_state_free(st);
	os_policy_clear(&p);
}
END_TEST

START_TEST(exchange_segment_limits)
{
	struct os_policy p = policy("", "isolate", "", "");
	struct os_state *st = os_state_new(&p, 8, 65536), *other = os_state_new(&p, 9, 65536);
	uint8_t head[12] = {0, 0, 0, 0, 0, 0, 0, PA_IETF_INSTALLED_PACKAGES, 0x01, 0, 0, 13};
	struct pa_segment_envelope env = {PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE, 1,
	    {head, sizeof(head)}};
	struct os_out out;
	struct pa_tnc_msg m;

	/* A declared Length of 16 MiB + 1 is refused: no access, error. */
	send_envelope(st, &env, false);
	ck_assert(st->failed);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	os_state_batch_ending(st, &out);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	parse_out(&out, &m);
	ck_assert_uint_eq(error_attr(&m, 0).code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(assessment(&m, 1), PA_IETF_ASSESSMENT_ERROR);
	pa_tnc_msg_clear(&m);

	/* The budget over all connections. */
	ck_assert_int_eq(os_state_reserve(st, OS_REASM_BUDGET), 0);
	ck_assert_int_eq(os_state_reserve(other, 1), TNC_ETOOLONG);
	os_state_drop_segments(st);
	ck_assert_int_eq(os_state_reserve(other, 1), 0);
	os_state_free(other); /* returns its byte */
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);

	/* Without START, or cancelled: the exchange is over. */
	os_state_restart(st);
	head[8] = 0;
	env.flags = PA_SEGMENT_FLAG_MORE;
	send_envelope(st, &env, false);
	ck_assert(st->failed);
	os_state_restart(st);
	env.flags |= PA_SEGMENT_FLAG_START;
	send_envelope(st, &env, false);
	ck_assert(!st->failed);
	ck_assert_ptr_nonnull(st->reasm);
	struct pa_tnc_builder b;
	pa_tnc_builder_init(&b, 4, 1024);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL);
	pa_segment_cancel_encode(&b.w, 1);
	pa_tnc_builder_end(&b);
	send_msg(st, 3, &b);
	ck_assert_ptr_null(st->reasm);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);

	/* A reassembled attribute with NOSKIP that the IMV does not know. */
	static const uint8_t unknown[14] = {0x80, 0x00, 0x12, 0x34, 0, 0, 0, 9, 0, 0, 0, 14, 1, 2};
	env = (struct pa_segment_envelope){PA_SEGMENT_FLAG_START, 2, {unknown, sizeof(unknown)}};
	send_envelope(st, &env, false);
	ck_assert(!st->failed);
	ck_assert_ptr_null(st->reasm);
	os_state_batch_ending(st, &out);
	parse_out(&out, &m);
	struct pa_ietf_error e = error_attr(&m, 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	ck_assert_uint_eq(e.attr_vendor, 0x1234);
	ck_assert_uint_eq(e.attr_type, 9);
	pa_tnc_msg_clear(&m);

	/* An envelope inside a reassembled attribute is refused. */
	uint8_t nested[12 + 4 + 12] = {0, 0x00, 0x55, 0x97, 0, 0, 0, PA_SEGMENT_ENVELOPE, 0, 0, 0, 28,
	    PA_SEGMENT_FLAG_START, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 12};
	env = (struct pa_segment_envelope){PA_SEGMENT_FLAG_START, 3, {nested, sizeof(nested)}};
	send_envelope(st, &env, false);
	ck_assert(st->failed);
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	os_state_free(st);
	os_policy_clear(&p);
}
END_TEST

START_TEST(exchange_malformed)
{
	struct os_policy p = policy("", "isolate", "", "");
	struct os_state *st = os_state_new(&p, 2, 65536);
	static const uint8_t truncated[] = {1, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0};
	struct pa_tnc_builder b;
	struct pa_ietf_error e;
	struct os_out out;
	struct pa_tnc_msg m;

	os_state_receive(st, 1, truncated, sizeof(truncated));
	ck_assert(st->failed);
	push_facts(st, 1, 0, 0); /* ignored after a malformed message */
	ck_assert(!st->facts.have_product);
	os_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_str_eq(out.reason, "malformed PA-TNC message from IMC 1 at offset 8");
	parse_out(&out, &m);
	e = error_attr(&m, 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e.offset, 8);
	ck_assert_mem_eq(e.msg_info, truncated, 8);
	ck_assert_uint_eq(assessment(&m, 1), PA_IETF_ASSESSMENT_ERROR);
	pa_tnc_msg_clear(&m);

	/* A value that does not decode: its offset within the message. */
	os_state_restart(st);
	ck_assert(!st->failed);
	pa_tnc_builder_init(&b, 5, 1024);
	add_facts(&b, 0, 0);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED,
	    (struct bytes){(const uint8_t *)"\0\0\0\7", 4});
	send_msg(st, 1, &b);
	ck_assert(st->failed);
	os_state_solicit(st, &out);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	parse_out(&out, &m);
	e = error_attr(&m, 0);
	ck_assert_uint_eq(e.offset, 8 + 23 + 24 + 16 + 16 + 12); /* the fifth attribute's value */
	pa_tnc_msg_clear(&m);

	/* A malformed PA-TNC Error fails the connection but is not answered. */
	os_state_restart(st);
	pa_tnc_builder_init(&b, 5, 1024);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, B("abc"));
	send_msg(st, 1, &b);
	ck_assert(st->failed);
	os_state_batch_ending(st, &out);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_ERROR);
	pa_tnc_msg_clear(&m);
	os_state_free(st);
	os_policy_clear(&p);
}
END_TEST

START_TEST(exchange_unsupported)
{
	struct os_policy p = policy("", "isolate", "", "");
	struct os_state *st = os_state_new(&p, 3, 65536);
	struct pa_tnc_builder b;
	struct pa_ietf_error e;
	struct os_out out;
	struct pa_tnc_msg m;
	uint8_t v2[8] = {2, 0, 0, 0, 0, 0, 0, 1};

	/* An unknown attribute without NOSKIP is skipped, the rest taken. */
	pa_tnc_builder_init(&b, 6, 1024);
	pa_tnc_builder_add(&b, 0, 0x001234, 9, B("whatever"));
	add_facts(&b, 0, 0);
	send_msg(st, 1, &b);
	ck_assert(st->facts.have_product);
	ck_assert(!st->failed);

	/* With NOSKIP: the whole message is ignored and refused. */
	os_state_restart(st);
	pa_tnc_builder_init(&b, 7, 1024);
	add_facts(&b, 1, 1);
	pa_tnc_builder_add(&b, PA_TNC_ATTR_FLAG_NOSKIP, 0x001234, 9, B("whatever"));
	send_msg(st, 1, &b);
	ck_assert(!st->facts.have_product);
	ck_assert_int_eq(st->facts.forwarding, OS_FACT_UNSET);
	/* So is a PA-TNC version we do not speak. */
	os_state_receive(st, 1, v2, sizeof(v2));
	ck_assert(!st->failed);
	os_state_batch_ending(st, &out);
	ck_assert(!out.recommend);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 4);
	e = error_attr(&m, 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	ck_assert_uint_eq(e.attr_flags, PA_TNC_ATTR_FLAG_NOSKIP);
	ck_assert_uint_eq(e.attr_vendor, 0x001234);
	ck_assert_uint_eq(e.attr_type, 9);
	e = error_attr(&m, 1);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_VERSION_NOT_SUPPORTED);
	ck_assert_mem_eq(e.msg_info, v2, 8);
	assert_attr(&m, 2, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	assert_attr(&m, 3, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST);
	pa_tnc_msg_clear(&m);

	/* The IMC's Segmentation Contract Request is answered in the next message. */
	os_state_restart(st);
	struct pa_segment_contract c = {PA_SEGMENT_NO_LIMIT, 2097080};
	pa_tnc_builder_init(&b, 8, 1024);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_segment_contract_encode(&b.w, &c);
	pa_tnc_builder_end(&b);
	add_facts(&b, 0, 0);
	send_msg(st, 1, &b);
	os_state_batch_ending(st, &out);
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 3);
	assert_attr(&m, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE);
	assert_attr(&m, 1, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_tnc_msg_clear(&m);
	os_state_batch_ending(st, &out); /* answered once */
	ck_assert(!out.send);
	os_state_free(st);
	os_policy_clear(&p);
}
END_TEST

START_TEST(exchange_solicit_and_silence)
{
	struct os_policy p = policy("", "isolate", "", "");
	ck_assert_ptr_null(os_policy_set(&p, "remediation_uri", "https://fix.test"));
	struct os_state *st = os_state_new(&p, 4, 65536);
	struct pa_ietf_attr_request req;
	struct pa_ietf_remediation rem;
	struct parse_error pe;
	struct os_out out;
	struct pa_tnc_msg m;

	/* Nothing from an OS IMC at all. */
	os_state_solicit(st, &out);
	ck_assert(!out.send);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NONE);
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);

	/* A first batch without an OS message: ask any IMC for everything. */
	os_state_restart(st);
	os_state_batch_ending(st, &out);
	ck_assert_uint_eq(out.imc_id, IMV_ID_ANY);
	ck_assert(!out.excl);
	parse_out(&out, &m);
	ck_assert_int_eq(pa_ietf_attr_request_decode(m.attrs[1].value, &req, &pe), 0);
	ck_assert_uint_eq(req.count, 6);
	pa_tnc_msg_clear(&m);

	/* Facts but no packages, and tnccs needs the recommendation now. */
	push_facts(st, 5, 0, 0);
	os_state_solicit(st, &out);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "missing facts: installed packages");
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_DONT_KNOW);
	pa_tnc_msg_clear(&m);

	/* The IMC answered the request without packages: decide on the rest. */
	os_state_restart(st);
	push_facts(st, 5, 1, 0);
	os_state_batch_ending(st, &out);
	ck_assert(!out.recommend);
	push_facts(st, 5, 1, 0);
	os_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason, "IPv4 forwarding enabled");
	parse_out(&out, &m);
	ck_assert_uint_eq(m.count, 3);
	ck_assert_uint_eq(assessment(&m, 0), PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE);
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[1].value, &rem, &pe), 0);
	ck_assert(bytes_eq_str(rem.text, "disable IPv4 forwarding\nsee https://fix.test\n"));
	ck_assert_int_eq(pa_ietf_remediation_decode(m.attrs[2].value, &rem, &pe), 0);
	ck_assert_uint_eq(rem.type, PA_IETF_REMEDIATION_URI);
	ck_assert(bytes_eq_str(rem.text, "https://fix.test"));
	pa_tnc_msg_clear(&m);

	/* A small connection: the remediation is cut, the result still goes. */
	os_state_free(st);
	st = os_state_new(&p, 5, 40);
	push_facts(st, 5, 1, 1);
	os_state_solicit(st, &out);
	ck_assert(out.send);
	ck_assert_uint_le(out.msg.len, 40);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	os_state_free(st);
	os_policy_clear(&p);
}
END_TEST

/* Whatever bytes arrive, the state neither crashes nor leaks (ASan). */
START_TEST(exchange_robust)
{
	size_t n1, n3;
	uint8_t *b1 = tl_read_testdata(SS "01-c2s-CDATA-310.bin", &n1);
	uint8_t *b3 = tl_read_testdata(SS "03-c2s-CDATA-109512.bin", &n3);
	struct os_policy p = policy("Debian*", "block", "zstd", "apt>=3");
	struct os_out out;
	uint8_t msg[256];

	log_set_all_levels(-1);
	for (size_t i = 0; i < 195; i++) {
		for (unsigned x = 1; x < 256; x <<= 1) {
			struct os_state *st = os_state_new(&p, 1, 65536);
			memcpy(msg, b1 + 63, 195);
			msg[i] ^= (uint8_t)x;
			os_state_receive(st, 1, msg, 195);
			os_state_batch_ending(st, &out);
			os_state_receive(st, 1, b3 + 32, 21119);
			os_state_batch_ending(st, &out);
			os_state_solicit(st, &out);
			os_state_free(st);
		}
	}
	for (size_t len = 0; len <= 21119; len += len < 400 ? 1 : 97) {
		struct os_state *st = os_state_new(&p, 1, 65536);
		os_state_receive(st, 1, b3 + 32, len);
		os_state_solicit(st, &out);
		ck_assert(out.recommend);
		os_state_free(st);
	}
	ck_assert_uint_eq(os_state_reasm_bytes(), 0);
	os_policy_clear(&p);
	free(b1);
	free(b3);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("os_policy");
	TCase *tc = tcase_create("version");
	tcase_add_test(tc, version_numbers);
	tcase_add_test(tc, version_text_and_tilde);
	tcase_add_test(tc, version_epoch);
	suite_add_tcase(s, tc);
	tc = tcase_create("policy");
	tcase_add_test(tc, policy_defaults_and_keys);
	tcase_add_test(tc, policy_min_versions);
	tcase_add_test(tc, policy_products);
	tcase_add_test(tc, policy_packages);
	suite_add_tcase(s, tc);
	tc = tcase_create("verdict");
	tcase_add_test(tc, judge_compliant);
	tcase_add_test(tc, judge_products);
	tcase_add_test(tc, judge_forwarding_and_password);
	tcase_add_test(tc, judge_packages);
	tcase_add_test(tc, judge_many_findings);
	suite_add_tcase(s, tc);
	tc = tcase_create("exchange");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exchange_strongswan_session);
	tcase_add_test(tc, exchange_segmented);
	tcase_add_test(tc, exchange_segment_limits);
	tcase_add_test(tc, exchange_malformed);
	tcase_add_test(tc, exchange_unsupported);
	tcase_add_test(tc, exchange_solicit_and_silence);
	tcase_add_test(tc, exchange_robust);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
