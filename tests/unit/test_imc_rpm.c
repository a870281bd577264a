/* test_imc_rpm.c - the SWIMA IMC's rpm source on a real rpm database made
 * at test time: tiny packages built with rpmbuild from tl_rpm.c's specs and
 * registered with `rpm --dbpath DIR -i --nodeps --justdb` (no files, no
 * scriptlets, no root needed).
 *
 *   the inventory: names, "[epoch:]version-release", architectures, tag
 *   IDs and install times, found through --root and --dbpath alike;
 *   the events: a first run starts an epoch with none; an erase and an
 *   upgrade make DELETION, and DELETION + CREATION sharing an EID, in the
 *   same epoch; they are kept across runs; a reinstall is an ALTERATION;
 *   "events since EID n"; the oldest EIDs forgotten at SW_RPM_EVENTS_MAX;
 *   a removed or malformed state starts a new epoch;
 *   a missing or corrupt database and fields out of rpm's syntax are
 *   refused with a reason; --packages auto's choice and the IMC's
 *   configuration for rpm.
 * Without rpmbuild (Debian package rpm, in scripts/deps) the test exits 77,
 * which ctest reports as skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "imc_swima.h"
#include "log.h"
#include "os_facts.h"
#include "pa_swima.h"
#include "sw_rpm.h"
#include "sw_rpm_events.h"
#include "testlib.h"
#include "tl_rpm.h"

#define PREFIX "fedora.org__Fedora_39-x86_64-"

/* gcc's -fsanitize=address, and clang's */
#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static const struct sw_naming fedora39 = {"fedora.org", "tnc test", "Fedora", "39 x86_64",
	SW_SYNTAX_RPM};

static char dir[64], root[128], dbdir[160], state[128];
static struct sw_rpm_db db;

static char out[8192];

static void
setup(void)
{
	log_set_all_levels(-1);
	setenv("TZ", "UTC0", 1);
	snprintf(dir, sizeof(dir), "/tmp/test_imc_rpm-XXXXXX");
	tl_mkdtemp(dir);
	snprintf(root, sizeof(root), "%s/root", dir);
	snprintf(dbdir, sizeof(dbdir), "%s/var/lib/rpm", root);
	snprintf(state, sizeof(state), "%s/swima-rpm-state", dir);
	tl_rpm_endpoint(dir, root);
	db = (struct sw_rpm_db){root, "/var/lib/rpm"};
}

static void
load_inventory(struct sw_inventory *inv, const struct sw_rpm_db *d)
{
	char reason[SW_REASON_MAX];
	int err = sw_inventory_load_rpm(inv, d, &fedora39, reason, sizeof(reason));

	ck_assert_msg(err == 0, "inventory: %d %s", err, reason);
	ck_assert_str_eq(reason, "");
}

static void
load_events(struct sw_events *ev)
{
	char reason[SW_REASON_MAX];
	int err = sw_rpm_events_load(ev, &db, state, &fedora39, reason, sizeof(reason));

	ck_assert_msg(err == 0, "events: %d %s", err, reason);
}

static void
expect_package(const struct sw_package *p, const char *name, const char *version,
    const char *tag_id)
{
	ck_assert_str_eq(p->name, name);
	ck_assert_str_eq(p->version, version);
	ck_assert_str_eq(p->arch, "noarch");
	ck_assert_str_eq(p->tag_id, tag_id);
	ck_assert_str_eq(p->sw_id + strlen("fedora.org__"), tag_id);
	ck_assert_uint_eq(p->record_id, sw_inventory_record_id(p->sw_id));
	ck_assert_int_le(llabs((long long)(p->install_time - time(NULL))), 600);
}

START_TEST(inventory_names_versions_and_tag_ids)
{
	struct sw_inventory inv;
	struct sw_rpm_db by_dbpath = {NULL, dbdir};
	char path[256];

	sw_inventory_init(&inv);
	load_inventory(&inv, &db);
	ck_assert_uint_eq(inv.count, 5);
	/* sorted by Software Identifier: '+' and ':' as '~' as for dpkg */
	expect_package(&inv.v[0], "libfoo++", "0.9-1.el9", "Fedora_39-x86_64-libfoo~~-0.9-1.el9");
	expect_package(&inv.v[1], "tnc-alpha", "2:1.0-3", "Fedora_39-x86_64-tnc-alpha-2~1.0-3");
	expect_package(&inv.v[2], "tnc-beta", "2:1.0-3", "Fedora_39-x86_64-tnc-beta-2~1.0-3");
	expect_package(&inv.v[3], "tnc-delta", "0.9-1.el9", "Fedora_39-x86_64-tnc-delta-0.9-1.el9");
	expect_package(&inv.v[4], "tnc-gamma", "2:1.0-3", "Fedora_39-x86_64-tnc-gamma-2~1.0-3");
	ck_assert_ptr_nonnull(sw_inventory_find(&inv, PREFIX "tnc-delta-0.9-1.el9",
	    strlen(PREFIX "tnc-delta-0.9-1.el9")));

	/* the generated tag names the package and its rpm version */
	uint8_t *tag;
	size_t len;
	ck_assert_int_eq(sw_inventory_package_tag(&fedora39, &inv.v[1], &tag, &len), 0);
	ck_assert_ptr_nonnull(strstr((char *)tag, "name=\"tnc-alpha\""));
	ck_assert_ptr_nonnull(strstr((char *)tag, "version=\"2:1.0-3\""));
	ck_assert_ptr_nonnull(strstr((char *)tag, "tagId=\"Fedora_39-x86_64-tnc-alpha-2~1.0-3\""));
	ck_assert_ptr_nonnull(strstr((char *)tag, "regid=\"fedora.org\""));
	free(tag);

	/* the same database as a --dbpath of its own */
	struct sw_inventory again;
	sw_inventory_init(&again);
	load_inventory(&again, &by_dbpath);
	ck_assert_uint_eq(again.count, 5);
	for (size_t i = 0; i < 5; i++)
		ck_assert_str_eq(again.v[i].sw_id, inv.v[i].sw_id);
	ck_assert_int_eq(sw_rpm_db_dir(&db, path, sizeof(path)), 0);
	ck_assert_str_eq(path, dbdir);
	ck_assert(sw_rpm_db_exists(&db));
	sw_inventory_clear(&again);
	sw_inventory_clear(&inv);
}
END_TEST

struct want {
	uint32_t eid;
	uint8_t action;
	const char *name, *version;
};

static void
expect_events(const struct sw_events *ev, const struct want *w, size_t n)
{
	ck_assert_uint_eq(ev->count, n);
	for (size_t i = 0; i < n; i++) {
		const struct sw_event *e = &ev->v[i];
		ck_assert_uint_eq(e->eid, w[i].eid);
		ck_assert_uint_eq(e->action, w[i].action);
		ck_assert_str_eq(e->pkg.name, w[i].name);
		ck_assert_str_eq(e->pkg.version, w[i].version);
		ck_assert_uint_eq(strlen(e->timestamp), 20);
		ck_assert_int_eq(e->timestamp[19], 'Z');
	}
}

START_TEST(events_of_erase_upgrade_and_reinstall)
{
	struct sw_events ev;
	size_t first, count;

	sw_events_init(&ev);
	/* first run: a new epoch, the database its snapshot, no events */
	load_events(&ev);
	uint32_t epoch = ev.epoch;
	ck_assert_uint_ne(epoch, 0);
	ck_assert_str_eq(ev.new_epoch_reason, "no state file");
	ck_assert_uint_eq(ev.last_eid, 0);
	ck_assert_uint_eq(ev.count, 0);

	/* tnc-gamma erased, tnc-beta upgraded */
	tl_rpm_build(dir, 'c');
	tl_rpm(dir, root, "-e tnc-gamma");
	tl_rpm(dir, root, "-U tnc-beta-1.1-1.noarch.rpm");
	load_events(&ev);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.last_eid, 2);
	static const struct want run2[] = {
		{1, PA_SWIMA_ACTION_DELETION, "tnc-beta", "2:1.0-3"},
		{1, PA_SWIMA_ACTION_CREATION, "tnc-beta", "2:1.1-1"},
		{2, PA_SWIMA_ACTION_DELETION, "tnc-gamma", "2:1.0-3"},
	};
	expect_events(&ev, run2, 3);
	ck_assert_str_eq(ev.v[1].pkg.sw_id, "fedora.org__" "Fedora_39-x86_64-tnc-beta-2~1.1-1");

	/* nothing changed: the same history from the state file */
	load_events(&ev);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 2);
	expect_events(&ev, run2, 3);

	/* a new package and a reinstall (a later INSTALLTIME) */
	tl_rpm_build(dir, 'd');
	sleep(1);
	/* in this order: EIDs follow install times, then names */
	tl_rpm(dir, root, "--reinstall tnc-delta-0.9-1.el9.noarch.rpm");
	tl_rpm(dir, root, "-i tnc-epsilon-5-1.noarch.rpm");
	load_events(&ev);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 4);
	static const struct want run4[] = {
		{1, PA_SWIMA_ACTION_DELETION, "tnc-beta", "2:1.0-3"},
		{1, PA_SWIMA_ACTION_CREATION, "tnc-beta", "2:1.1-1"},
		{2, PA_SWIMA_ACTION_DELETION, "tnc-gamma", "2:1.0-3"},
		{3, PA_SWIMA_ACTION_ALTERATION, "tnc-delta", "0.9-1.el9"},
		{4, PA_SWIMA_ACTION_CREATION, "tnc-epsilon", "5-1"},
	};
	expect_events(&ev, run4, 5);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 2, &first, &count), SW_EVENTS_LISTED);
	ck_assert_uint_eq(first, 3);
	ck_assert_uint_eq(count, 2);
	ck_assert_int_eq(sw_events_since(&ev, epoch ^ 1, 2, &first, &count),
	    SW_EVENTS_EPOCH_CHANGED);

	/* the state removed: a new epoch from the database as it is */
	ck_assert_int_eq(unlink(state), 0);
	load_events(&ev);
	ck_assert_uint_ne(ev.epoch, epoch);
	ck_assert_str_eq(ev.new_epoch_reason, "no state file");
	ck_assert_uint_eq(ev.last_eid, 0);
	ck_assert_uint_eq(ev.count, 0);
	epoch = ev.epoch;
	tl_rpm(dir, root, "-e tnc-epsilon");
	load_events(&ev);
	ck_assert_uint_eq(ev.epoch, epoch);
	static const struct want erased[] = {{1, PA_SWIMA_ACTION_DELETION, "tnc-epsilon", "5-1"}};
	expect_events(&ev, erased, 1);
	sw_events_clear(&ev);
}
END_TEST

/* The state of the first run with n made-up events before the database's
 * (EIDs 1..n). */
static void
state_with_events(unsigned n)
{
	ck_assert_int_eq(tl_sh(out, sizeof(out), "sed -i 's/^last-eid 0$/last-eid %u/' '%s' && "
	    "seq 1 %u | sed 's/.*/event & 2026-01-01T00:00:00Z 1 tnc-old &-1 noarch/' >> '%s'", n,
	    state, n, state), 0);
}

START_TEST(oldest_events_forgotten)
{
	struct sw_events ev;
	size_t first, count;

	sw_events_init(&ev);
	load_events(&ev);
	uint32_t epoch = ev.epoch;
	state_with_events(SW_RPM_EVENTS_MAX);
	load_events(&ev);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.count, SW_RPM_EVENTS_MAX);
	ck_assert_str_eq(ev.v[SW_RPM_EVENTS_MAX - 1].pkg.version, "20000-1");

	tl_rpm(dir, root, "-e tnc-gamma");
	load_events(&ev);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, SW_RPM_EVENTS_MAX + 1);
	ck_assert_uint_eq(ev.count, SW_RPM_EVENTS_MAX);
	ck_assert_uint_eq(ev.v[0].eid, 2);
	ck_assert_str_eq(ev.v[SW_RPM_EVENTS_MAX - 1].pkg.name, "tnc-gamma");
	ck_assert_int_eq(sw_events_since(&ev, epoch, 0, &first, &count), SW_EVENTS_EXPIRED);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 1, &first, &count), SW_EVENTS_LISTED);
	ck_assert_uint_eq(count, SW_RPM_EVENTS_MAX);

	/* a state with more events than kept is malformed */
	ck_assert_int_eq(unlink(state), 0);
	load_events(&ev);
	state_with_events(SW_RPM_EVENTS_MAX + 1);
	load_events(&ev);
	ck_assert_str_eq(ev.new_epoch_reason, "state file malformed");
	sw_events_clear(&ev);
}
END_TEST

START_TEST(malformed_state_starts_a_new_epoch)
{
	static const char *const bad[] = {
		"", "swima-state 1\nepoch 5\nlast-eid 0\n",
		"swima-rpm-state 1\nepoch 0\nlast-eid 0\n",
		"swima-rpm-state 1\nepoch 5\nlast-eid 1\nevent 2 2026-12-01T10:00:00Z 1 a 1-1 -\n",
		"swima-rpm-state 1\nepoch 5\nlast-eid 1\nevent 1 2026-12-01 1 a 1-1 -\n",
		"swima-rpm-state 1\nepoch 5\nlast-eid 1\nevent 1 2026-12-01T10:00:00Z 4 a 1-1 -\n",
		"swima-rpm-state 1\nepoch 5\nlast-eid 0\npackage 1 a 1.0 noarch\n",
		"swima-rpm-state 1\nepoch 5\nlast-eid 0\npackage 1 a  1-1 noarch\n",
		"swima-rpm-state 1\nepoch 5\nlast-eid 0\npackage 1 a 1-1 noarch",
	};
	struct sw_events ev;

	sw_events_init(&ev);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		FILE *f = fopen(state, "w");
		ck_assert_ptr_nonnull(f);
		fputs(bad[i], f);
		ck_assert_int_eq(fclose(f), 0);
		load_events(&ev);
		ck_assert_msg(ev.new_epoch_reason && strcmp(ev.new_epoch_reason,
		    "state file malformed") == 0, "state %zu: %s", i,
		    ev.new_epoch_reason ? ev.new_epoch_reason : "(continued)");
		ck_assert_uint_ne(ev.epoch, 5);
		ck_assert_uint_eq(ev.count, 0);
	}
	/* the one it wrote is continued */
	uint32_t epoch = ev.epoch;
	load_events(&ev);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.epoch, epoch);
	size_t len;
	uint8_t *text = tl_read_file(state, &len);
	ck_assert_ptr_nonnull(strstr((char *)text, "\npackage "));
	ck_assert_ptr_nonnull(strstr((char *)text, " tnc-alpha 2:1.0-3 noarch\n"));
	free(text);
	sw_events_clear(&ev);
}
END_TEST

START_TEST(bad_databases_refused_with_a_reason)
{
	struct sw_inventory inv;
	struct sw_events ev;
	struct sw_rpm_db missing = {root, "/no/such/db"};
	char reason[SW_REASON_MAX], want[256];

	sw_inventory_init(&inv);
	sw_events_init(&ev);
	ck_assert(!sw_rpm_db_exists(&missing));
	ck_assert_int_eq(sw_inventory_load_rpm(&inv, &missing, &fedora39, reason, sizeof(reason)),
	    -ENOENT);
	snprintf(want, sizeof(want), "rpmdb %s/no/such/db: ", root);
	ck_assert_msg(strncmp(reason, want, strlen(want)) == 0, "reason: %s", reason);
	ck_assert_uint_eq(inv.count, 0);
	/* the events fail the same way, the state untouched (none written) */
	ck_assert_int_eq(sw_rpm_events_load(&ev, &missing, state, &fedora39, reason,
	    sizeof(reason)), -ENOENT);
	ck_assert_int_ne(access(state, F_OK), 0);

	/* a directory without a database: librpm would make an empty one */
	struct sw_rpm_db empty = {root, "/var"};
	ck_assert(!sw_rpm_db_exists(&empty));
	ck_assert_int_eq(sw_inventory_load_rpm(&inv, &empty, &fedora39, reason, sizeof(reason)),
	    -ENOENT);
	snprintf(want, sizeof(want), "rpmdb %s/var: no rpmdb.sqlite, Packages or Packages.db in "
	    "it", root);
	ck_assert_str_eq(reason, want);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "ls '%s/var'", root), 0);
	ck_assert_str_eq(out, "lib\n");

	/* a database file that is not one */
	ck_assert_int_eq(tl_sh(out, sizeof(out), "cd '%s' && cp rpmdb.sqlite good && "
	    "rm -f rpmdb.sqlite-* && head -c 8192 /dev/urandom > rpmdb.sqlite", dbdir), 0);
	ck_assert_int_eq(sw_inventory_load_rpm(&inv, &db, &fedora39, reason, sizeof(reason)),
	    TNC_EINVALID);
	snprintf(want, sizeof(want), "rpmdb %s: rpmdb.sqlite: not an SQLite database", dbdir);
	ck_assert_str_eq(reason, want);
	ck_assert_uint_eq(inv.count, 0);
#ifndef UNDER_ASAN
	/* one that begins as one and is cut short: librpm's own reason (librpm
	 * leaks its SQLite handle here, hence not under ASan) */
	ck_assert_int_eq(tl_sh(out, sizeof(out), "cd '%s' && head -c 4096 good > rpmdb.sqlite",
	    dbdir), 0);
	ck_assert_int_eq(sw_inventory_load_rpm(&inv, &db, &fedora39, reason, sizeof(reason)),
	    TNC_EINVALID);
	snprintf(want, sizeof(want), "rpmdb %s: sqlite failure: ", dbdir);
	ck_assert_msg(strncmp(reason, want, strlen(want)) == 0, "reason: %s", reason);
	ck_assert_uint_eq(inv.count, 0);
#endif
	sw_inventory_clear(&inv);
}
END_TEST

START_TEST(fields_out_of_rpm_syntax_refused)
{
	static const struct {
		const char *name, *version, *arch, *why;
	} bad[] = {
		{"", "1-1", "noarch", "Name: empty"},
		{"-x", "1-1", "noarch", "Name: not an rpm package name"},
		{"a b", "1-1", "noarch", "Name: not an rpm package name"},
		{"a", "1.0", "noarch", "Version: not an rpm [epoch:]version-release"},
		{"a", "1-2-3", "noarch", "Version: not an rpm [epoch:]version-release"},
		{"a", "x:1-2", "noarch", "Version: not an rpm [epoch:]version-release"},
		{"a", ":1-2", "noarch", "Version: not an rpm [epoch:]version-release"},
		{"a", "1-", "noarch", "Version: not an rpm [epoch:]version-release"},
		{"a", "1-1", "x86-64", "Arch: not an rpm architecture"},
	};
	struct sw_package p;
	const char *why;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(sw_inventory_package_init(&p, &fedora39, bad[i].name, bad[i].version,
		    bad[i].arch, &why), TNC_EINVALID);
		ck_assert_str_eq(why, bad[i].why);
	}
	/* rpm's own: upper case, '_', '^' and '~' are fine; Debian's syntax refuses them */
	ck_assert_int_eq(sw_inventory_package_init(&p, &fedora39, "NetworkManager_x",
	    "1:1.44^git~rc1-2.fc39", "x86_64", &why), 0);
	ck_assert_str_eq(p.tag_id, "Fedora_39-x86_64-NetworkManager_x-1~1.44^git~rc1-2.fc39");
	sw_inventory_package_clear(&p);
	struct sw_naming debian = fedora39;
	debian.syntax = SW_SYNTAX_DEBIAN;
	ck_assert_int_eq(sw_inventory_package_init(&p, &debian, "NetworkManager_x", "1-1", "",
	    &why), TNC_EINVALID);
}
END_TEST

START_TEST(auto_chooses_dpkg_then_rpm)
{
	char status[192];
	struct sw_source src = {.kind = SW_SOURCE_AUTO, .dpkg_status = status, .rpm = db};
	struct sw_source none = src;
	struct os_facts facts;
	struct imc_swima_config cfg;

	snprintf(status, sizeof(status), "%s/status", dir);
	none.rpm.dbpath = "/no/such/db";
	ck_assert_int_eq(sw_source_choose(&src), SW_SOURCE_RPM);
	ck_assert_int_eq(sw_source_choose(&none), SW_SOURCE_DPKG);
	src.kind = SW_SOURCE_DPKG;
	ck_assert_int_eq(sw_source_choose(&src), SW_SOURCE_DPKG);
	src.kind = SW_SOURCE_AUTO;
	ck_assert_int_eq(tl_sh(out, sizeof(out), "touch '%s'", status), 0);
	ck_assert_int_eq(sw_source_choose(&src), SW_SOURCE_DPKG);
	ck_assert_int_eq(unlink(status), 0);

	/* the IMC's configuration: rpm's syntax and state file, the OS's regid */
	os_facts_init(&facts);
	snprintf(facts.product, sizeof(facts.product), "Fedora Linux");
	snprintf(facts.version, sizeof(facts.version), "39 x86_64");
	imc_swima_config_init(&cfg, &facts, &src);
	ck_assert_int_eq(cfg.source.kind, SW_SOURCE_RPM);
	ck_assert_str_eq(sw_source_name(&cfg.source), "rpm");
	ck_assert_int_eq(cfg.naming.syntax, SW_SYNTAX_RPM);
	ck_assert_str_eq(cfg.naming.regid, "fedora.org");
	ck_assert_str_eq(cfg.source.events.state, sw_rpm_events_state);
	char path[256];
	ck_assert(sw_source_watched(&cfg.source, 0, path, sizeof(path)));
	snprintf(status, sizeof(status), "%s/rpmdb.sqlite", dbdir);
	ck_assert_str_eq(path, status);
	os_facts_clear(&facts);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imc_rpm");
	TCase *tc = tcase_create("rpm");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, inventory_names_versions_and_tag_ids);
	tcase_add_test(tc, events_of_erase_upgrade_and_reinstall);
	tcase_add_test(tc, oldest_events_forgotten);
	tcase_add_test(tc, malformed_state_starts_a_new_epoch);
	tcase_add_test(tc, bad_databases_refused_with_a_reason);
	tcase_add_test(tc, fields_out_of_rpm_syntax_refused);
	tcase_add_test(tc, auto_chooses_dpkg_then_rpm);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (!tl_rpm_available())
		return 77;
	return tl_run_suite(suite());
}
