/* test_store_software.c - the software database of the SWIMA IMV
 * (policy_software.h) on SQLite and (the _pg run) on PostgreSQL: a
 * 5,000-identifier inventory replaced in one call and replaced again by
 * its difference, events applied once however often they come, an epoch
 * change refused, versions ranges in dpkg's order (epochs, '~', revisions),
 * advisories marking versions vulnerable and the devices they affect, a
 * policy's verdict (forbidden, required, vulnerable), tags and the
 * identifiers still without one, and the bounds on what comes in. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy_software.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define DEV "3d1219c7c4c5404aaa1f6d2a48adfda4"
#define DEV2 "second-device"
#define NBIG 5000

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
	ck_assert_msg(policy_store_check(s) == 0, "%s", policy_store_error(s));
	policy_store_close(s);
	tl_policy_db_drop(db);
}

/* Rows of a listing: how many, and the cells of the first NKEEP as text
 * ("name=value" joined by ' ', one line per row). */
#define NKEEP 16
struct rows {
	size_t n;
	char line[NKEEP][2048];
};

static int
collect(void *ctx, const struct ps_column *cols, const struct ps_cell *cells, size_t ncols)
{
	struct rows *r = ctx;
	if (r->n < NKEEP) {
		char *p = r->line[r->n];
		size_t left = sizeof(r->line[0]);
		p[0] = '\0';
		for (size_t c = 0; c < ncols; c++) {
			int k = cells[c].null ? snprintf(p, left, "%s%s=-", c ? " " : "", cols[c].name) :
			    cols[c].type == PS_COL_TEXT ?
			    snprintf(p, left, "%s%s=%s", c ? " " : "", cols[c].name, cells[c].s) :
			    snprintf(p, left, "%s%s=%lld", c ? " " : "", cols[c].name,
			        (long long)cells[c].i);
			ck_assert_int_lt(k, (int)left);
			p += k;
			left -= (size_t)k;
		}
	}
	r->n++;
	return 0;
}

static struct rows *
inventory(const char *device)
{
	static struct rows r;
	memset(&r, 0, sizeof(r));
	ck_assert_msg(policy_store_sw_inventory_list(s, device, collect, &r) == 0, "%s",
	    policy_store_error(s));
	return &r;
}

/* Identifiers pkgI-1.I (package pkgI, version 1.I) for i in [from, to). */
static struct ps_sw_id *
make_ids(size_t from, size_t to, char (**names)[3][128])
{
	struct ps_sw_id *ids = calloc(to - from, sizeof(*ids));
	*names = calloc(to - from, sizeof(**names));
	ck_assert_ptr_nonnull(ids);
	ck_assert_ptr_nonnull(*names);
	for (size_t i = from; i < to; i++) {
		char(*n)[128] = (*names)[i - from];
		snprintf(n[0], 128, "debian.org__Debian_12-x86_64-pkg%zu-1.%zu", i, i);
		snprintf(n[1], 128, "pkg%zu", i);
		snprintf(n[2], 128, "1.%zu", i);
		ids[i - from] = (struct ps_sw_id){n[0], n[1], n[2], "debian.org"};
	}
	return ids;
}

static double
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

START_TEST(big_inventory_replaced_in_one_call)
{
	char(*names)[3][128], (*names2)[3][128];
	struct ps_sw_id *ids = make_ids(0, NBIG, &names);
	struct ps_sw_state st;
	ck_assert_int_eq(policy_store_sw_state(s, DEV, &st), 0);
	ck_assert(!st.known);

	double t0 = now_ms();
	ck_assert_msg(policy_store_sw_inventory_replace(s, DEV, 1000, 7, 100, ids, NBIG) == 0, "%s",
	    policy_store_error(s));
	double t1 = now_ms();
	ck_assert_int_eq(policy_store_sw_state(s, DEV, &st), 0);
	ck_assert(st.known);
	ck_assert_uint_eq(st.epoch, 7);
	ck_assert_uint_eq(st.last_eid, 100);
	struct rows *r = inventory(DEV);
	ck_assert_uint_eq(r->n, NBIG);
	/* name order: pkg0, pkg1, pkg10, ... */
	ck_assert_str_eq(r->line[0], "identifier=debian.org__Debian_12-x86_64-pkg0-1.0 package=pkg0"
	                             " version=1.0 since=1000 tagged=0");

	/* the last 1000 go, 500 come, one is given twice */
	struct ps_sw_id *more = make_ids(NBIG, NBIG + 500, &names2);
	struct ps_sw_id *next = calloc(NBIG - 1000 + 501, sizeof(*next));
	ck_assert_ptr_nonnull(next);
	memcpy(next, ids, (NBIG - 1000) * sizeof(*ids));
	memcpy(next + NBIG - 1000, more, 500 * sizeof(*more));
	next[NBIG - 1000 + 500] = ids[3];
	double t2 = now_ms();
	ck_assert_msg(policy_store_sw_inventory_replace(s, DEV, 2000, 8, 5, next, NBIG - 1000 + 501) ==
	    0, "%s", policy_store_error(s));
	double t3 = now_ms();
	r = inventory(DEV);
	ck_assert_uint_eq(r->n, NBIG - 1000 + 500);
	ck_assert_ptr_nonnull(strstr(r->line[0], "pkg0-1.0 package=pkg0 version=1.0 since=1000 "));
	ck_assert_int_eq(policy_store_sw_state(s, DEV, &st), 0);
	ck_assert_uint_eq(st.epoch, 8);
	ck_assert_uint_eq(st.last_eid, 5);
	/* the new ones since 2000, the kept ones still since 1000 */
	struct ps_sw_range all = {0};
	struct rows d = {0};
	ck_assert_int_eq(policy_store_sw_devices(s, "pkg5000", &all, collect, &d), 0);
	ck_assert_uint_eq(d.n, 1);
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(policy_store_sw_devices(s, "pkg4999", &all, collect, &d), 0);
	ck_assert_uint_eq(d.n, 0); /* gone */
	printf("inventory of %d identifiers: stored in %.0f ms, replaced by its difference in %.0f ms"
	       " (%s)\n", NBIG, t1 - t0, t3 - t2, tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	free(ids);
	free(more);
	free(next);
	free(names);
	free(names2);
}
END_TEST

static const struct ps_sw_id ID_A = {"debian.org__Debian_12-x86_64-a-1.0", "a", "1.0", NULL},
                             ID_B = {"debian.org__Debian_12-x86_64-b-2.0", "b", "2.0", NULL},
                             ID_C = {"debian.org__Debian_12-x86_64-c-3.0", "c", "3.0", NULL};

START_TEST(events_are_applied_once)
{
	const struct ps_sw_id start[] = {ID_A, ID_B};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1000, 1, 10, start, 2), 0);
	const struct ps_sw_event ev[] = {
	    {11, "2026-12-07T06:00:00Z", PS_SW_CREATE, ID_C},
	    {12, "2026-12-07T06:00:01Z", PS_SW_DELETE, ID_A},
	    {12, "2026-12-07T06:00:01Z", PS_SW_ALTER, ID_B},
	};
	size_t applied = 99;
	ck_assert_msg(policy_store_sw_events_apply(s, DEV, 2000, 1, 12, ev, 3, &applied) == 0, "%s",
	    policy_store_error(s));
	ck_assert_uint_eq(applied, 3);
	struct rows *r = inventory(DEV);
	ck_assert_uint_eq(r->n, 2);
	ck_assert_ptr_nonnull(strstr(r->line[0], "-b-2.0 "));
	ck_assert_ptr_nonnull(strstr(r->line[1], "-c-3.0 package=c version=3.0 since=2000"));

	/* again, and a later create of A that was deleted: only the new one */
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV, 3000, 1, 12, ev, 3, &applied), 0);
	ck_assert_uint_eq(applied, 0);
	ck_assert_uint_eq(inventory(DEV)->n, 2);
	const struct ps_sw_event again = {13, "2026-12-07T06:00:02Z", PS_SW_CREATE, ID_A};
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV, 3000, 1, 13, &again, 1, &applied), 0);
	ck_assert_uint_eq(applied, 1);
	ck_assert_uint_eq(inventory(DEV)->n, 3);
	struct ps_sw_state st;
	ck_assert_int_eq(policy_store_sw_state(s, DEV, &st), 0);
	ck_assert_uint_eq(st.last_eid, 13);
	/* an older last EID does not move it back */
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV, 3000, 1, 5, ev, 1, &applied), 0);
	ck_assert_int_eq(policy_store_sw_state(s, DEV, &st), 0);
	ck_assert_uint_eq(st.last_eid, 13);

	struct rows e = {0};
	ck_assert_int_eq(policy_store_sw_events_list(s, DEV, 11, collect, &e), 0);
	ck_assert_uint_eq(e.n, 3);
	ck_assert_str_eq(e.line[0], "epoch=1 eid=12 time=2026-12-07T06:00:01Z action=delete"
	                            " identifier=debian.org__Debian_12-x86_64-a-1.0");
	memset(&e, 0, sizeof(e));
	ck_assert_int_eq(policy_store_sw_events_list(s, DEV, -1, collect, &e), 0);
	ck_assert_uint_eq(e.n, 4);

	/* another epoch, or a device without an inventory: a full one first */
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV, 4000, 2, 1, ev, 1, NULL), TNC_ESTATE);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "changed its epoch"));
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV2, 4000, 1, 1, ev, 1, NULL), TNC_ESTATE);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "no stored inventory"));
	ck_assert_uint_eq(inventory(DEV)->n, 3); /* nothing of the refused calls */
}
END_TEST

/* openssl at versions around 3.0.11-1 on one device each. */
static const char *const versions[] = {"1:0.9.8", "3.0.11-1~deb12u2", "3.0.11-1", "3.0.9-1",
    "3.0.11~rc1-1", "3.0.11-1+b1", "3.0.11", "3.0.11-10"};
#define NVERSIONS (sizeof(versions) / sizeof(versions[0]))

static void
fleet(void)
{
	for (size_t i = 0; i < NVERSIONS; i++) {
		char dev[32], name[128];
		snprintf(dev, sizeof(dev), "dev-%zu", i);
		snprintf(name, sizeof(name), "debian.org__Debian_12-x86_64-openssl-%s", versions[i]);
		const struct ps_sw_id ids[] = {{name, "openssl", versions[i], "debian.org"}, ID_A};
		ck_assert_msg(policy_store_sw_inventory_replace(s, dev, 1000, 1, 1, ids, 2) == 0, "%s",
		    policy_store_error(s));
	}
}

/* The devices (dev-N, by index into versions) found for a range, as a
 * string "0 3 ...". */
static const char *
devices(const char *from, const char *to, bool below)
{
	static char out[128];
	struct ps_sw_range range = {from, to, below};
	struct rows r = {0};
	ck_assert_msg(policy_store_sw_devices(s, "openssl", &range, collect, &r) == 0, "%s",
	    policy_store_error(s));
	out[0] = '\0';
	for (size_t i = 0; i < r.n && i < NKEEP; i++) {
		unsigned n;
		ck_assert_int_eq(sscanf(r.line[i], "device=dev-%u", &n), 1);
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%u", i ? " " : "", n);
	}
	return out;
}

START_TEST(version_ranges_in_dpkg_order)
{
	fleet();
	/* 3.0.11-1~deb12u2 < 3.0.11-1; 3.0.11~rc1-1 < 3.0.11 < 3.0.11-1; epoch 1 above all */
	ck_assert_str_eq(devices(NULL, "3.0.11-1", true), "1 3 4 6");
	ck_assert_str_eq(devices(NULL, "3.0.11-1", false), "1 2 3 4 6");
	ck_assert_str_eq(devices("3.0.11-1", "3.0.11-2", false), "2 5");
	ck_assert_str_eq(devices("1:0", NULL, false), "0");
	ck_assert_str_eq(devices("3.0.11-2", NULL, false), "0 7"); /* -10 > -2 as numbers */
	ck_assert_str_eq(devices(NULL, NULL, false), "0 1 2 3 4 5 6 7");
	struct ps_sw_range bad = {"3.0:1", NULL, false};
	struct rows r = {0};
	ck_assert_int_eq(policy_store_sw_devices(s, "openssl", &bad, collect, &r), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "lowest version"));
}
END_TEST

START_TEST(advisories_mark_versions_vulnerable)
{
	fleet();
	const struct ps_sw_advisory a[] = {
	    {"openssl", "3.0.11-1~deb12u2", "DSA-5532-1", false},
	    {"a", "1.0", "DSA-9999-1", true},
	    {"unused", "1.0", "DSA-0001-1", false},
	};
	size_t added = 0;
	ck_assert_msg(policy_store_sw_advisories_import(s, "dsa-list", a, 3, &added) == 0, "%s",
	    policy_store_error(s));
	ck_assert_uint_eq(added, 3);
	ck_assert_int_eq(policy_store_sw_advisories_import(s, "dsa-list", a, 3, &added), 0);
	ck_assert_uint_eq(added, 0);
	struct rows r = {0};
	ck_assert_int_eq(policy_store_sw_affected(s, "dsa-list", collect, &r), 0);
	/* every device runs a-1.0; dev-3 (3.0.9-1) and dev-4 (3.0.11~rc1-1) an old openssl */
	/* every device runs a-1.0 (exact); openssl below 3.0.11-1~deb12u2: 3.0.9-1,
	 * 3.0.11~rc1-1 and 3.0.11 (no revision sorts before any) */
	ck_assert_uint_eq(r.n, NVERSIONS + 3);
	ck_assert_str_eq(r.line[2], "device=dev-2 package=a version=1.0 advisory=DSA-9999-1");
	ck_assert_str_eq(r.line[4], "device=dev-3 package=openssl version=3.0.9-1 advisory=DSA-5532-1");
	ck_assert_str_eq(r.line[6], "device=dev-4 package=openssl version=3.0.11~rc1-1"
	                            " advisory=DSA-5532-1");
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(policy_store_sw_affected(s, "another", collect, &r), 0);
	ck_assert_uint_eq(r.n, 0);

	struct ps_sw_verdict v;
	ck_assert_int_eq(policy_store_sw_verdict(s, "dev-3", "", &v), 0);
	ck_assert(v.fail);
	ck_assert_uint_eq(v.vulnerable, 2);
	ck_assert_uint_eq(v.identifiers, 2);
	ck_assert_str_eq(v.detail, "vulnerable a 1.0 (DSA-9999-1); vulnerable openssl 3.0.9-1"
	                           " (DSA-5532-1)");
	const struct ps_sw_advisory bad = {"openssl", "", "DSA-1", false};
	ck_assert_int_eq(policy_store_sw_advisories_import(s, "x", &bad, 1, NULL), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "openssl"));
}
END_TEST

START_TEST(verdict_of_forbidden_and_required_software)
{
	const struct ps_sw_id ids[] = {ID_A, ID_B};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1000, 1, 1, ids, 2), 0);
	struct ps_sw_verdict v;
	ck_assert_int_eq(policy_store_sw_verdict(s, DEV, "forbid:c require:a", &v), 0);
	ck_assert(!v.fail);
	ck_assert_str_eq(v.detail, "");
	ck_assert_int_eq(policy_store_sw_verdict(s, DEV, " forbid:b  require:c require:a ", &v), 0);
	ck_assert(v.fail);
	ck_assert_uint_eq(v.forbidden, 1);
	ck_assert_uint_eq(v.missing, 1);
	ck_assert_uint_eq(v.vulnerable, 0);
	ck_assert_str_eq(v.detail, "forbidden b; missing c");
	/* a device the database does not know lacks what is required */
	ck_assert_int_eq(policy_store_sw_verdict(s, DEV2, "require:a forbid:b", &v), 0);
	ck_assert(v.fail);
	ck_assert_uint_eq(v.missing, 1);
	ck_assert_uint_eq(v.identifiers, 0);
	ck_assert_int_eq(policy_store_sw_verdict(s, DEV, "allow:a", &v), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "forbid:PACKAGE"));
	ck_assert_ptr_null(ps_sw_rules_check(""));
	ck_assert_ptr_nonnull(ps_sw_rules_check("forbid:"));
	/* the IMV's word for a subscription is no rule, anywhere */
	ck_assert_ptr_null(ps_sw_rules_check("subscribe"));
	ck_assert_ptr_nonnull(ps_sw_rules_check("subscribed"));
	ck_assert_int_eq(policy_store_sw_verdict(s, DEV2, "subscribe require:a subscribe", &v), 0);
	ck_assert(v.fail);
	ck_assert_uint_eq(v.missing, 1);
	ck_assert_str_eq(v.detail, "missing a");
}
END_TEST

static int
name_into(void *ctx, const char *name)
{
	struct rows *r = ctx;
	if (r->n < NKEEP)
		snprintf(r->line[r->n], sizeof(r->line[0]), "%s", name);
	r->n++;
	return 0;
}

START_TEST(tags_and_untagged_identifiers)
{
	const struct ps_sw_id ids[] = {ID_A, ID_B, ID_C};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1000, 1, 1, ids, 3), 0);
	struct rows r = {0};
	ck_assert_int_eq(policy_store_sw_untagged(s, DEV, 2, name_into, &r), 0);
	ck_assert_uint_eq(r.n, 2);
	ck_assert_str_eq(r.line[0], ID_A.name);
	const struct ps_sw_tag t[] = {{ID_A, "<SoftwareIdentity name=\"a\" version=\"1.0\"/>"},
	    {ID_C, "\n<SoftwareIdentity name=\"c\"/>"}};
	ck_assert_msg(policy_store_sw_tags_store(s, t, 2, 5000) == 0, "%s", policy_store_error(s));
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(policy_store_sw_untagged(s, DEV, 10, name_into, &r), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.line[0], ID_B.name);
	ck_assert_ptr_nonnull(strstr(inventory(DEV)->line[0], "tagged=1"));
	/* a tag is the identifier's, not the device's: another device with the
	 * same software is asked for none it already has */
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV2, 7000, 2, 3, ids, 3), 0);
	memset(&r, 0, sizeof(r));
	ck_assert_int_eq(policy_store_sw_untagged(s, DEV2, 10, name_into, &r), 0);
	ck_assert_uint_eq(r.n, 1);
	ck_assert_str_eq(r.line[0], ID_B.name);
	ck_assert_ptr_nonnull(strstr(inventory(DEV2)->line[0], "tagged=1"));
	/* a tag for an identifier no inventory has yet; a tag replaced */
	const struct ps_sw_tag later[] = {{{"regid.x__new", NULL, NULL, NULL}, "<x/>"},
	    {ID_A, "<SoftwareIdentity name=\"a\" version=\"1.0\" tagVersion=\"2\"/>"}};
	ck_assert_int_eq(policy_store_sw_tags_store(s, later, 2, 6000), 0);
	const struct ps_sw_tag not_xml = {ID_B, "plain text"};
	ck_assert_int_eq(policy_store_sw_tags_store(s, &not_xml, 1, 6000), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), ID_B.name));
}
END_TEST

START_TEST(bounds_and_bad_input)
{
	char *long_name = malloc(PS_SW_ID_MAX + 2);
	ck_assert_ptr_nonnull(long_name);
	memset(long_name, 'x', PS_SW_ID_MAX + 1);
	long_name[PS_SW_ID_MAX + 1] = '\0';
	const struct ps_sw_id too_long[] = {ID_A, {long_name, NULL, NULL, NULL}};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1, 1, 1, too_long, 2),
	    TNC_ETOOLONG);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "longer than 1024"));
	long_name[PS_SW_ID_MAX] = '\0';
	const struct ps_sw_id just_fits = {long_name, NULL, NULL, NULL};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1, 1, 1, &just_fits, 1), 0);
	free(long_name);
	const struct ps_sw_id empty_pkg = {"n", "", NULL, NULL};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1, 1, 1, &empty_pkg, 1),
	    TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "the package of software identifier"));
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, "", 1, 1, 1, &ID_A, 1), TNC_EINVALID);
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEV, 1, 1, 1, &ID_A,
	    PS_SW_INVENTORY_MAX + 1), TNC_ETOOLONG);
	const struct ps_sw_event bad_action = {1, "t", 7, ID_A};
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV, 1, 1, 1, &bad_action, 1, NULL),
	    TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(policy_store_error(s), "action 7"));
	const struct ps_sw_event no_time = {1, NULL, PS_SW_CREATE, ID_A};
	ck_assert_int_eq(policy_store_sw_events_apply(s, DEV, 1, 1, 1, &no_time, 1, NULL),
	    TNC_EINVALID);
	struct rows r = {0};
	ck_assert_int_eq(policy_store_sw_inventory_list(s, "nobody", collect, &r), TNC_ENOTFOUND);
	/* the device made by the first call still has its one identifier */
	ck_assert_uint_eq(inventory(DEV)->n, 1);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("store_software");
	TCase *tc = tcase_create("software");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, big_inventory_replaced_in_one_call);
	tcase_add_test(tc, events_are_applied_once);
	tcase_add_test(tc, version_ranges_in_dpkg_order);
	tcase_add_test(tc, advisories_mark_versions_vulnerable);
	tcase_add_test(tc, verdict_of_forbidden_and_required_software);
	tcase_add_test(tc, tags_and_untagged_identifiers);
	tcase_add_test(tc, bounds_and_bad_input);
	suite_add_tcase(suite, tc);
	return tl_run_suite(suite);
}
