/* test_policy_session.c - the store calls a session makes, on either
 * engine (the _pg run is ctest's test_policy_session_pg): session and
 * device rows, workitems from the enforcements of the device's groups
 * (membership, product, default, ancestors; max_age; one workitem per
 * policy with the most restrictive recommendations), results, the final
 * recommendation, the package lookup and its verdicts in dpkg's order (also
 * after another connection changed them), the bounds on what comes from
 * outside, and what a whole session's record writes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pkg_verdict.h"
#include "policy_admin.h"
#include "store_int.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define NOW 1800000000
#define PRODUCT "Debian 12 x86_64"

static char db[256], pwfile[512];
static struct policy_store *s;

static void
setup(void)
{
	char err[256];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(tl_policy_open(db, pwfile, PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s",
	    err);
}

static void
teardown(void)
{
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
	tl_policy_db_drop(db);
}

static int64_t
new_session(const char *device, struct ps_device *dev, int64_t now)
{
	int64_t id;
	struct ps_device d;
	ck_assert_int_eq(policy_store_session_create(s, now, 42, "dn", "CN=client", &id), 0);
	ck_assert_int_eq(policy_store_session_device(s, id, now, PRODUCT, device, dev ? dev : &d), 0);
	return id;
}

static const struct ps_workitem *
find_type(const struct ps_workitem *w, size_t n, enum ps_policy_type t)
{
	for (size_t i = 0; i < n; i++)
		if (w[i].type == t)
			return &w[i];
	return NULL;
}

START_TEST(default_policy_gives_three_workitems)
{
	struct ps_device dev;
	int64_t id = new_session("machine-1", &dev, NOW);
	ck_assert_int_gt(dev.id, 0);
	ck_assert_int_gt(dev.product, 0);
	ck_assert(!dev.trusted);
	struct ps_workitem *w;
	size_t n;
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW, &w, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_nonnull(find_type(w, n, PS_POLICY_PCKGS));
	ck_assert_ptr_nonnull(find_type(w, n, PS_POLICY_FWDEN));
	ck_assert_int_eq(find_type(w, n, PS_POLICY_PWDEN)->rec_fail, IMV_REC_ISOLATE);
	ck_assert_int_eq(find_type(w, n, PS_POLICY_FWDEN)->rec_noresult, IMV_REC_ISOLATE);
	ck_assert_int_eq(find_type(w, n, PS_POLICY_PCKGS)->rec_fail, IMV_REC_ISOLATE);
	for (size_t i = 0; i < n; i++)
		ck_assert_int_eq(policy_store_workitem_result(s, w[i].id, 1, IMV_REC_ALLOW, "fine"), 0);
	ck_assert_int_eq(policy_store_session_finish(s, id, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT), 0);
	policy_store_workitems_free(w, n);
	/* the same device again: same id, product, last_seen moved */
	struct ps_device again;
	new_session("machine-1", &again, NOW + 10);
	ck_assert_int_eq(again.id, dev.id);
	ck_assert_int_eq(policy_store_device_lookup(s, "machine-1", &again), 0);
	ck_assert_int_eq(again.id, dev.id);
	ck_assert_int_eq(policy_store_device_lookup(s, "machine-2", &again), TNC_ENOTFOUND);
}
END_TEST

START_TEST(workitems_need_a_device_and_a_session)
{
	int64_t id;
	struct ps_workitem *w;
	size_t n;
	struct ps_device dev;
	ck_assert_int_eq(policy_store_session_create(s, NOW, 1, NULL, NULL, &id), 0);
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW, &w, &n), TNC_ESTATE);
	ck_assert_int_eq(policy_store_workitems_create(s, id + 100, NOW, &w, &n), TNC_ENOTFOUND);
	ck_assert_int_eq(policy_store_session_device(s, id + 100, NOW, PRODUCT, "m", &dev),
	    TNC_ENOTFOUND);
	ck_assert_int_eq(policy_store_workitem_result(s, 999, 1, IMV_REC_ALLOW, ""), TNC_ENOTFOUND);
	ck_assert_int_eq(policy_store_session_finish(s, id + 100, IMV_REC_ALLOW, IMV_EVAL_COMPLIANT),
	    TNC_ENOTFOUND);
	ck_assert_int_eq(policy_store_session_finish(s, id, 7, IMV_EVAL_COMPLIANT), TNC_EINVALID);
}
END_TEST

START_TEST(groups_membership_product_ancestors_and_max_age)
{
	struct ps_device dev;
	int64_t first = new_session("machine-1", &dev, NOW);
	new_session("machine-2", NULL, NOW);
	struct ps_policy_spec tcp = {"No Open TCP Ports", PS_POLICY_TCPOP, "", IMV_REC_ISOLATE,
	    IMV_REC_NONE, NULL};
	struct ps_policy_spec udp = {"Open UDP Ports", PS_POLICY_UDPOP, "500 4500", IMV_REC_ALLOW,
	    IMV_REC_ALLOW, NULL};
	struct ps_policy_spec meas = {"Measure openssl", PS_POLICY_FMEAS, "", IMV_REC_ISOLATE,
	    IMV_REC_ISOLATE, "/usr/bin/openssl"};
	ck_assert_int_eq(policy_admin_policy_add(s, &tcp), 0);
	ck_assert_int_eq(policy_admin_policy_add(s, &udp), 0);
	ck_assert_int_eq(policy_admin_policy_add(s, &meas), 0);
	meas.path = NULL;
	meas.name = "x";
	ck_assert_int_eq(policy_admin_policy_add(s, &meas), TNC_EINVALID); /* FMEAS needs a path */
	ck_assert_int_eq(policy_admin_group_add(s, "Linux", NULL), 0);
	ck_assert_int_eq(policy_admin_group_add(s, "Servers", "Linux"), 0);
	ck_assert_int_eq(policy_admin_group_add(s, "Debian", NULL), 0);
	ck_assert_int_eq(policy_admin_group_member(s, "Servers", PS_MEMBER_DEVICE, "machine-1", true),
	    0);
	ck_assert_int_eq(policy_admin_group_member(s, "Debian", PS_MEMBER_PRODUCT, PRODUCT, true), 0);
	/* Linux (the ancestor of Servers) checks TCP every time; Debian (the
	 * product's group) checks UDP at most hourly and TCP too, more strictly */
	ck_assert_int_eq(policy_admin_enforcement_add(s, "No Open TCP Ports", "Linux", 0, -1, -1), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "No Open TCP Ports", "Debian", 0,
	                     IMV_REC_NO_ACCESS, -1), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "Open UDP Ports", "Debian", 3600, -1, -1), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "Measure openssl", "Servers", 0, -1, -1), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "Open UDP Ports", "Debian", 1, -1, -1),
	    -EEXIST);

	struct ps_workitem *w;
	size_t n;
	int64_t id = new_session("machine-1", NULL, NOW + 1);
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW + 1, &w, &n), 0);
	ck_assert_uint_eq(n, 6); /* 3 default + TCP once + UDP + FMEAS */
	const struct ps_workitem *t = find_type(w, n, PS_POLICY_TCPOP);
	ck_assert_int_eq(t->rec_fail, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(t->rec_noresult, IMV_REC_NONE);
	ck_assert_str_eq(find_type(w, n, PS_POLICY_UDPOP)->argument, "500 4500");
	ck_assert_str_eq(find_type(w, n, PS_POLICY_FMEAS)->argument, "/usr/bin/openssl");
	ck_assert_int_eq(policy_store_workitem_result(s, find_type(w, n, PS_POLICY_UDPOP)->id, 1,
	                     IMV_REC_ALLOW, "only 500 4500 open"), 0);
	policy_store_workitems_free(w, n);

	/* within max_age the UDP result stands; machine-2 (not a Server) gets no FMEAS */
	id = new_session("machine-1", NULL, NOW + 1800);
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW + 1800, &w, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_ptr_null(find_type(w, n, PS_POLICY_UDPOP));
	policy_store_workitems_free(w, n);
	id = new_session("machine-1", NULL, NOW + 3602);
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW + 3602, &w, &n), 0);
	ck_assert_ptr_nonnull(find_type(w, n, PS_POLICY_UDPOP));
	policy_store_workitems_free(w, n);
	id = new_session("machine-2", NULL, NOW + 1);
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW + 1, &w, &n), 0);
	ck_assert_uint_eq(n, 5);
	ck_assert_ptr_null(find_type(w, n, PS_POLICY_FMEAS));
	policy_store_workitems_free(w, n);
	(void)first;
}
END_TEST

static struct ps_package *
pkg(struct ps_package_set *set, const char *name)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->pkgs[i].name, name))
			return &set->pkgs[i];
	ck_abort_msg("no %s", name);
	return NULL;
}

START_TEST(package_lookup_and_verdicts)
{
	struct ps_device dev;
	new_session("machine-1", &dev, NOW);
	struct ps_package_version v[] = {{"openssl", "3.0.11-1~deb12u2"}, {"openssl", "3.0.11-1"},
	    {"bash", "5.2.15-2+b2"}, {"telnet", "0.17+2.4-2"}};
	struct ps_package_version sec[] = {{"openssl", "3.0.13-1~deb12u1"}};
	size_t added;
	ck_assert_int_eq(policy_admin_packages_import(s, PRODUCT, v, 4, false, NOW, &added), 0);
	ck_assert_uint_eq(added, 4);
	ck_assert_int_eq(policy_admin_packages_import(s, PRODUCT, v, 4, false, NOW, &added), 0);
	ck_assert_uint_eq(added, 0);
	ck_assert_int_eq(policy_admin_packages_import(s, PRODUCT, sec, 1, true, NOW, &added), 0);
	ck_assert_int_eq(policy_admin_package_mark(s, "telnet", NULL, NULL, PS_FLAG_BLACKLIST, true),
	    0);
	ck_assert_int_eq(policy_admin_package_mark(s, "bash", PRODUCT, "5.2.15-2+b2",
	                     PS_FLAG_BLACKLIST, true), 0);
	ck_assert_int_eq(policy_admin_package_mark(s, "bash", PRODUCT, "9", PS_FLAG_SECURITY, true),
	    TNC_ENOTFOUND);
	ck_assert_int_eq(policy_admin_packages_import(s, "no product", v, 1, false, NOW, &added),
	    TNC_ENOTFOUND);

	const char *names[] = {"openssl", "bash", "telnet", "unheard-of"};
	struct ps_package_set *set;
	ck_assert_int_eq(policy_store_package_versions(s, dev.product, names, 4, &set), 0);
	ck_assert_uint_eq(set->n, 4);
	struct ps_package *o = pkg(set, "openssl");
	ck_assert(o->known);
	ck_assert_uint_eq(o->nreleases, 3);
	/* dpkg's order: 3.0.11-1~deb12u2 < 3.0.11-1 < 3.0.13-1~deb12u1 (security) */
	ck_assert_int_eq(pkg_verdict(o, "3.0.11-1~deb12u2"), PKG_VULNERABLE);
	ck_assert_int_eq(pkg_verdict(o, "3.0.13-1~deb12u1"), PKG_OK);
	ck_assert_int_eq(pkg_verdict(o, "3.0.14-1"), PKG_OK);
	ck_assert_int_eq(pkg_verdict(pkg(set, "bash"), "5.2.15-2+b2"), PKG_BLACKLISTED);
	ck_assert_int_eq(pkg_verdict(pkg(set, "bash"), "5.2.15-2+b1"), PKG_OUTDATED);
	ck_assert_int_eq(pkg_verdict(pkg(set, "telnet"), "0.17+2.4-2"), PKG_BLACKLISTED);
	ck_assert(!pkg(set, "unheard-of")->known);
	ck_assert_int_eq(pkg_verdict(pkg(set, "unheard-of"), "1"), PKG_UNKNOWN);
	policy_store_package_set_free(set);
	/* another product knows none of these releases */
	ck_assert_int_eq(policy_store_package_versions(s, dev.product + 1, names, 4, &set), 0);
	ck_assert_int_eq(pkg_verdict(pkg(set, "openssl"), "3.0.11-1"), PKG_UNKNOWN);
	policy_store_package_set_free(set);

	/* the same judged in one call by product name, as tnc-policy answers an IMV */
	const char *versions[] = {"3.0.11-1~deb12u2", "5.2.15-2+b1", "0.17+2.4-2", "1"};
	static const uint8_t want[4] = {PKG_VULNERABLE, PKG_OUTDATED, PKG_BLACKLISTED, PKG_UNKNOWN};
	uint8_t verdicts[4];
	/* from the product's releases held in memory, then, as for a product too
	 * large to hold, package by package */
	for (size_t bound = 0; bound <= 2; bound += 2) {
		store_pkg_cache_bound(s, bound);
		memset(verdicts, 0xff, sizeof(verdicts));
		ck_assert_int_eq(policy_store_package_verdicts(s, PRODUCT, names, versions, 4,
		                     verdicts), 0);
		ck_assert_msg(!memcmp(verdicts, want, 4), "bound %zu: %d %d %d %d", bound,
		    verdicts[0], verdicts[1], verdicts[2], verdicts[3]);
	}
	store_pkg_cache_bound(s, 0);
	memset(verdicts, 0xff, sizeof(verdicts));
	ck_assert_int_eq(policy_store_package_verdicts(s, "Ubuntu 24.04 x86_64", names, versions, 4,
	                     verdicts), 0);
	for (int i = 0; i < 4; i++)
		ck_assert_int_eq(verdicts[i], PKG_UNKNOWN);
	ck_assert_int_eq(policy_store_package_verdicts(s, "", names, versions, 4, verdicts),
	    TNC_EINVALID);
	/* who judges what */
	ck_assert_uint_eq(ps_policy_type_imv(PS_POLICY_PCKGS), 1);
	ck_assert_uint_eq(ps_policy_type_imv(PS_POLICY_PWDEN), 1);
	ck_assert_uint_eq(ps_policy_type_imv(PS_POLICY_SWIDI), 2);
	ck_assert_uint_eq(ps_policy_type_imv(PS_POLICY_TPMRA), 3);
}
END_TEST

/* The lookup serves from memory; a change by another connection (tncadm)
 * or by this one is seen by the next lookup. */
START_TEST(package_lookup_sees_every_change)
{
	struct ps_device dev;
	char err[256];
	new_session("machine-1", &dev, NOW);
	struct ps_package_version v[] = {{"openssl", "3.0.11-1"}};
	size_t added;
	ck_assert_int_eq(policy_admin_packages_import(s, PRODUCT, v, 1, false, NOW, &added), 0);
	const char *names[] = {"openssl", "curl"};
	struct ps_package_set *set;
	ck_assert_int_eq(policy_store_package_versions(s, dev.product, names, 2, &set), 0);
	ck_assert_int_eq(pkg_verdict(&set->pkgs[0], "3.0.11-1"), PKG_OK);
	ck_assert(!set->pkgs[1].known);
	policy_store_package_set_free(set);

	struct policy_store *other;
	ck_assert_msg(tl_policy_open(db, pwfile, 0, &other, err, sizeof(err)) == 0, "%s", err);
	struct ps_package_version newer[] = {{"openssl", "3.0.13-1"}, {"curl", "7.88.1-10"}};
	ck_assert_int_eq(policy_admin_packages_import(other, PRODUCT, newer, 2, true, NOW, &added), 0);
	ck_assert_int_eq(policy_store_package_versions(s, dev.product, names, 2, &set), 0);
	ck_assert_int_eq(pkg_verdict(&set->pkgs[0], "3.0.11-1"), PKG_VULNERABLE);
	ck_assert(set->pkgs[1].known);
	policy_store_package_set_free(set);
	ck_assert_int_eq(policy_admin_package_mark(other, "curl", NULL, NULL, PS_FLAG_BLACKLIST, true),
	    0);
	policy_store_close(other);
	ck_assert_int_eq(policy_store_package_versions(s, dev.product, names, 2, &set), 0);
	ck_assert_int_eq(pkg_verdict(&set->pkgs[1], "7.88.1-10"), PKG_BLACKLISTED);
	policy_store_package_set_free(set);
	/* this connection's own change */
	ck_assert_int_eq(policy_admin_package_mark(s, "curl", NULL, NULL, PS_FLAG_BLACKLIST, false), 0);
	ck_assert_int_eq(policy_store_package_versions(s, dev.product, names, 2, &set), 0);
	ck_assert_int_eq(pkg_verdict(&set->pkgs[1], "7.88.1-10"), PKG_OK);
	policy_store_package_set_free(set);
	ck_assert_int_eq(policy_admin_product_remove(s, PRODUCT), 0);
	ck_assert_int_eq(policy_store_package_versions(s, dev.product, names, 2, &set), 0);
	ck_assert(!set->pkgs[0].known);
	policy_store_package_set_free(set);
}
END_TEST

START_TEST(bounds_on_input_from_outside)
{
	char big[PS_RESULT_MAX + 2];
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	int64_t id, id2;
	struct ps_workitem *w;
	size_t n;
	struct ps_device dev;
	ck_assert_int_eq(policy_store_session_create(s, NOW, 1, "dn", big, &id), TNC_EINVALID);
	id = new_session("machine-1", NULL, NOW);
	ck_assert_int_eq(policy_store_workitems_create(s, id, NOW, &w, &n), 0);
	ck_assert_int_eq(policy_store_workitem_result(s, w[0].id, 1, IMV_REC_ALLOW, big),
	    TNC_ETOOLONG);
	big[PS_RESULT_MAX] = '\0'; /* exactly the maximum */
	ck_assert_int_eq(policy_store_workitem_result(s, w[0].id, 1, IMV_REC_ALLOW, big), 0);
	policy_store_workitems_free(w, n);
	big[PS_VALUE_MAX + 1] = '\0';
	ck_assert_int_eq(policy_store_session_create(s, NOW, 1, NULL, NULL, &id2), 0);
	ck_assert_int_eq(policy_store_session_device(s, id2, NOW, PRODUCT, big, &dev), TNC_ETOOLONG);
	ck_assert_int_eq(policy_store_session_device(s, id2, NOW, big, "m", &dev), TNC_ETOOLONG);
	ck_assert_int_eq(policy_store_device_lookup(s, big, &dev), TNC_ETOOLONG);

	static const char *names[PS_LOOKUP_MAX + 1];
	for (size_t i = 0; i <= PS_LOOKUP_MAX; i++)
		names[i] = "p";
	struct ps_package_set *set;
	ck_assert_int_eq(policy_store_package_versions(s, 1, names, PS_LOOKUP_MAX + 1, &set),
	    TNC_ETOOLONG);
	names[0] = big;
	ck_assert_int_eq(policy_store_package_versions(s, 1, names, 1, &set), TNC_ETOOLONG);
	ck_assert_int_eq(policy_store_package_versions(s, 1, names + 1, PS_LOOKUP_MAX, &set), 0);
	ck_assert_uint_eq(set->n, PS_LOOKUP_MAX);
	policy_store_package_set_free(set);
}
END_TEST

/* Collects "type rec imv result" of each stored workitem of a session. */
static int
workitem_row(void *ctx, const struct ps_column *cols, const struct ps_cell *cells, size_t ncols)
{
	char *out = ctx;
	size_t len = strlen(out);
	snprintf(out + len, 512 - len, "%s %s %lld %s;", cells[1].s,
	    cells[6].null ? "-" : cells[6].s, cells[3].null ? -1LL : (long long)cells[3].i,
	    cells[7].null ? "-" : cells[7].s);
	return 0;
}

static void
stored_workitems(int64_t session, char out[512])
{
	char id[32];
	out[0] = '\0';
	snprintf(id, sizeof(id), "%lld", (long long)session);
	ck_assert_int_eq(policy_admin_list(s, PS_LIST_SESSION_WORKITEMS, id, 0, workitem_row, out),
	    0);
}

static int64_t
record(int64_t now, const char *device, const struct ps_workitem_outcome *o, size_t n)
{
	int64_t session = 0;
	const struct ps_session_record r = {.time = now, .connection = 7, .product = PRODUCT,
	    .device_value = device, .workitems = o, .nworkitems = n, .rec = IMV_REC_ISOLATE,
	    .eval = IMV_EVAL_NONCOMPLIANT_MAJOR};
	ck_assert_int_eq(policy_store_session_record(s, &r, &session), 0);
	return session;
}

/* Planning writes nothing and sees a new device's groups (default,
 * product); the plan and its results are written with the session at its
 * end, and a result within max_age keeps a workitem out of the next plan. */
START_TEST(plan_then_record_with_results)
{
	struct ps_policy_spec udp = {"Open UDP Ports", PS_POLICY_UDPOP, "500", IMV_REC_ISOLATE,
	    IMV_REC_ALLOW, NULL};
	ck_assert_int_eq(policy_admin_policy_add(s, &udp), 0);
	ck_assert_int_eq(policy_admin_product_add(s, PRODUCT), 0);
	ck_assert_int_eq(policy_admin_group_add(s, "Debian", NULL), 0);
	ck_assert_int_eq(policy_admin_group_member(s, "Debian", PS_MEMBER_PRODUCT, PRODUCT, true), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "Open UDP Ports", "Debian", 3600, -1, -1), 0);

	struct ps_workitem *w;
	size_t n;
	struct ps_device dev;
	ck_assert_int_eq(policy_store_workitems_plan(s, PRODUCT, "new-machine", NOW, &w, &n), 0);
	ck_assert_uint_eq(n, 4); /* default PCKGS FWDEN PWDEN + the product group's UDPOP */
	for (size_t i = 0; i < n; i++) {
		ck_assert_int_eq(w[i].id, 0);
		ck_assert_int_gt(w[i].policy, 0);
		ck_assert_int_gt(w[i].enforcement, 0);
	}
	ck_assert_int_eq(policy_store_device_lookup(s, "new-machine", &dev), TNC_ENOTFOUND);

	struct ps_workitem_outcome o[4];
	for (size_t i = 0; i < n; i++)
		o[i] = (struct ps_workitem_outcome){&w[i], w[i].type != PS_POLICY_PWDEN, 1,
		    w[i].type == PS_POLICY_PCKGS ? IMV_REC_ISOLATE : IMV_REC_ALLOW,
		    w[i].type == PS_POLICY_PCKGS ? "blacklisted package telnetd" : "fine"};
	int64_t session = record(NOW, "new-machine", o, n);
	char rows[512];
	stored_workitems(session, rows);
	ck_assert_msg(strstr(rows, "PCKGS isolate 1 blacklisted package telnetd;") &&
	    strstr(rows, "FWDEN allow 1 fine;") && strstr(rows, "PWDEN - -1 -;") &&
	    strstr(rows, "UDPOP allow 1 fine;"), "%s", rows);
	policy_store_workitems_free(w, n);

	/* within max_age: no UDPOP; after it: again */
	ck_assert_int_eq(policy_store_workitems_plan(s, PRODUCT, "new-machine", NOW + 60, &w, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_ptr_null(find_type(w, n, PS_POLICY_UDPOP));
	policy_store_workitems_free(w, n);
	ck_assert_int_eq(policy_store_workitems_plan(s, PRODUCT, "new-machine", NOW + 3601, &w, &n),
	    0);
	ck_assert_ptr_nonnull(find_type(w, n, PS_POLICY_UDPOP));
	/* a result too long fails the whole session: nothing of it is stored */
	char big[PS_RESULT_MAX + 2];
	memset(big, 'r', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	struct ps_workitem_outcome bad = {&w[0], true, 1, IMV_REC_ALLOW, big};
	int64_t none = 0;
	const struct ps_session_record r = {.time = NOW + 3601, .connection = 8, .product = PRODUCT,
	    .device_value = "other-machine", .workitems = &bad, .nworkitems = 1,
	    .rec = IMV_REC_ALLOW, .eval = IMV_EVAL_COMPLIANT};
	ck_assert_int_eq(policy_store_session_record(s, &r, &none), TNC_ETOOLONG);
	ck_assert_int_eq(policy_store_device_lookup(s, "other-machine", &dev), TNC_ENOTFOUND);
	/* workitems need the device they were planned for */
	const struct ps_session_record nodev = {.time = NOW, .connection = 9, .workitems = &bad,
	    .nworkitems = 1, .rec = IMV_REC_ALLOW, .eval = IMV_EVAL_COMPLIANT};
	ck_assert_int_eq(policy_store_session_record(s, &nodev, &none), TNC_ESTATE);
	policy_store_workitems_free(w, n);
}
END_TEST

/* One integer the store reads back (a column of one row). */
static int64_t
stored(const char *sql, int64_t id)
{
	int64_t v = -1;
	ck_assert_msg(store_int(s, &v, sql, "I", id) == 0, "%s: %s", sql, policy_store_error(s));
	return v;
}

/* The number of workitems of type t a plan of the device (product) gives now. */
static size_t
planned(const char *product, const char *device, enum ps_policy_type t)
{
	struct ps_workitem *w;
	size_t n, found = 0;
	ck_assert_msg(policy_store_workitems_plan(s, product, device, NOW, &w, &n) == 0, "%s",
	    policy_store_error(s));
	for (size_t i = 0; i < n; i++)
		found += w[i].type == t;
	policy_store_workitems_free(w, n);
	return found;
}

/* What applies to a product's devices is held per product: every change
 * shows in the next plan, another connection's (tncadm, another gateway)
 * and this one's; a device that is a member of a group of its own gets
 * that group's enforcements without the product's other devices getting
 * them; a product whose plan was dropped for newer ones is planned again. */
START_TEST(plan_follows_every_change)
{
	char err[256];
	struct ps_policy_spec udp = {"Open UDP Ports", PS_POLICY_UDPOP, "500", IMV_REC_ISOLATE,
	    IMV_REC_ALLOW, NULL};
	struct ps_policy_spec tcp = {"No Open TCP Ports", PS_POLICY_TCPOP, "", IMV_REC_ISOLATE,
	    IMV_REC_NONE, NULL};
	ck_assert_int_eq(policy_admin_policy_add(s, &udp), 0);
	ck_assert_int_eq(policy_admin_policy_add(s, &tcp), 0);
	ck_assert_int_eq(policy_admin_product_add(s, PRODUCT), 0);
	ck_assert_int_eq(policy_admin_group_add(s, "Debian", NULL), 0);
	ck_assert_int_eq(policy_admin_group_add(s, "Servers", NULL), 0);
	ck_assert_int_eq(policy_admin_group_member(s, "Debian", PS_MEMBER_PRODUCT, PRODUCT, true), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-1", PS_POLICY_UDPOP), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-1", PS_POLICY_PCKGS), 1);

	struct policy_store *other;
	ck_assert_msg(tl_policy_open(db, pwfile, 0, &other, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(policy_admin_enforcement_add(other, "Open UDP Ports", "Debian", 0, -1, -1),
	    0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-1", PS_POLICY_UDPOP), 1);
	ck_assert_uint_eq(planned("Debian 11 x86_64", "machine-3", PS_POLICY_UDPOP), 0);

	/* machine-1 joins Servers, which checks TCP: machine-2 stays without */
	ck_assert_int_eq(policy_admin_device_add(other, "machine-1", PRODUCT, "", NULL, 1), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(other, "No Open TCP Ports", "Servers", 0, -1,
	                     -1), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-1", PS_POLICY_TCPOP), 0);
	ck_assert_int_eq(policy_admin_group_member(other, "Servers", PS_MEMBER_DEVICE, "machine-1",
	                     true), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-1", PS_POLICY_TCPOP), 1);
	ck_assert_uint_eq(planned(PRODUCT, "machine-1", PS_POLICY_UDPOP), 1);
	ck_assert_uint_eq(planned(PRODUCT, "machine-2", PS_POLICY_TCPOP), 0);
	policy_store_close(other);

	/* this connection's own change */
	ck_assert_int_eq(policy_admin_enforcement_remove(s, "Open UDP Ports", "Debian"), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-2", PS_POLICY_UDPOP), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "Open UDP Ports", "Debian", 0, -1, -1), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-2", PS_POLICY_UDPOP), 1);

	/* more products than plans are held: the first is planned again, right */
	for (int i = 0; i < 2 * STORE_PLAN_CACHES; i++) {
		char product[32];
		snprintf(product, sizeof(product), "Product %d", i);
		ck_assert_uint_eq(planned(product, "machine-2", PS_POLICY_UDPOP), 0);
	}
	ck_assert_uint_eq(planned(PRODUCT, "machine-2", PS_POLICY_UDPOP), 1);
	ck_assert_int_eq(policy_admin_group_remove(s, "Debian"), 0);
	ck_assert_uint_eq(planned(PRODUCT, "machine-2", PS_POLICY_UDPOP), 0);
}
END_TEST

/* A recorded session's row holds its identity, device, product and
 * decision; the device keeps its first_seen and takes the product of its
 * latest session; the identity is recorded for the device; a session
 * without a device has none. */
START_TEST(record_writes_session_device_and_identity)
{
	const struct ps_session_record first = {.time = NOW, .connection = 11,
	    .identity_type = "ar", .identity_value = "CN=client", .product = PRODUCT,
	    .device_value = "moving-machine", .rec = IMV_REC_ALLOW, .eval = IMV_EVAL_COMPLIANT};
	struct ps_session_record later = first;
	later.time = NOW + 100;
	later.connection = 12;
	later.product = "Debian 13 x86_64";
	later.rec = IMV_REC_NO_ACCESS;
	later.eval = IMV_EVAL_ERROR;
	int64_t s1, s2, s3, product1, product2;
	struct ps_device dev;
	ck_assert_int_eq(policy_store_session_record(s, &first, &s1), 0);
	ck_assert_int_eq(policy_store_device_lookup(s, "moving-machine", &dev), 0);
	ck_assert_int_eq(store_id(s, STORE_PRODUCT, PRODUCT, &product1), 0);
	ck_assert_int_eq(dev.product, product1);
	ck_assert_int_eq(policy_store_session_record(s, &later, &s2), 0);
	ck_assert_int_eq(store_id(s, STORE_PRODUCT, "Debian 13 x86_64", &product2), 0);
	ck_assert_int_ne(product1, product2);
	ck_assert_int_eq(policy_store_device_lookup(s, "moving-machine", &dev), 0);
	ck_assert_int_eq(dev.product, product2);

	ck_assert_int_eq(stored("SELECT device FROM sessions WHERE id = ?", s1), dev.id);
	ck_assert_int_eq(stored("SELECT product FROM sessions WHERE id = ?", s1), product1);
	ck_assert_int_eq(stored("SELECT product FROM sessions WHERE id = ?", s2), product2);
	ck_assert_int_eq(stored("SELECT count(*) FROM sessions WHERE id = ? AND rec = 'allow'"
	    " AND eval = 'compliant' AND time = 1800000000 AND connection = 11", s1), 1);
	ck_assert_int_eq(stored("SELECT count(*) FROM sessions WHERE id = ? AND rec = 'no_access'"
	    " AND eval = 'error' AND time = 1800000100 AND connection = 12", s2), 1);
	int64_t identity = stored("SELECT identity FROM sessions WHERE id = ?", s1);
	ck_assert_int_gt(identity, 0);
	ck_assert_int_eq(stored("SELECT identity FROM sessions WHERE id = ?", s2), identity);
	ck_assert_int_eq(stored("SELECT first_seen FROM devices WHERE id = ?", dev.id), NOW);
	ck_assert_int_eq(stored("SELECT last_seen FROM devices WHERE id = ?", dev.id), NOW + 100);
	ck_assert_int_eq(stored("SELECT first_seen FROM devices_identities WHERE device = ?",
	    dev.id), NOW);
	ck_assert_int_eq(stored("SELECT last_seen FROM devices_identities WHERE device = ?",
	    dev.id), NOW + 100);
	ck_assert_int_eq(stored("SELECT count(*) FROM devices_identities WHERE identity = ?",
	    identity), 1);

	const struct ps_session_record bare = {.time = NOW, .connection = 13,
	    .rec = IMV_REC_NONE, .eval = IMV_EVAL_DONT_KNOW};
	ck_assert_int_eq(policy_store_session_record(s, &bare, &s3), 0);
	ck_assert_int_eq(stored("SELECT count(*) FROM sessions WHERE id = ? AND device IS NULL"
	    " AND product IS NULL AND identity IS NULL AND rec = 'none' AND eval = 'dont_know'",
	    s3), 1);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("policy_session");
	TCase *tc = tcase_create(tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, default_policy_gives_three_workitems);
	tcase_add_test(tc, workitems_need_a_device_and_a_session);
	tcase_add_test(tc, groups_membership_product_ancestors_and_max_age);
	tcase_add_test(tc, package_lookup_and_verdicts);
	tcase_add_test(tc, package_lookup_sees_every_change);
	tcase_add_test(tc, bounds_on_input_from_outside);
	tcase_add_test(tc, plan_then_record_with_results);
	tcase_add_test(tc, plan_follows_every_change);
	tcase_add_test(tc, record_writes_session_device_and_identity);
	suite_add_tcase(su, tc);
	return tl_run_suite(su);
}
