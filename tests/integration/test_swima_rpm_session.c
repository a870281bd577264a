/* test_swima_rpm_session.c - SWIMA end to end with the rpm source: tncd
 * (tnc-imv-swima, tnc-policy) and tncclient --swima --packages rpm on
 * loopback, the endpoint's packages in an rpm database made at test time
 * (rpmbuild; `rpm --dbpath DIR -i --nodeps --justdb`, as test_imc_rpm).
 *
 * Under a SWIDT policy "require:tnc-alpha" enforced on the default group:
 *   1. the first session: allow, the inventory of the five rpm packages
 *      stored, `tncadm sw inventory` lists them with package and version,
 *      `tncadm sw devices tnc-delta` names the device;
 *   2. tnc-gamma erased and tnc-beta upgraded: the next session moves the
 *      three events (DELETION + CREATION of tnc-beta under one EID, the
 *      DELETION of tnc-gamma), which `tncadm sw events` shows;
 *   3. forbid:tnc-delta in the policy: isolate, tnc-delta named.
 * Under a SWIDI policy with "subscribe", tncclient --swima-watch sees the
 * rpm database change after the result and sends its events in a
 * handshake retry: stored, and the new verdict isolates.
 * Without rpmbuild the test exits 77 (skipped).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"
#include "tl_rpm.h"

#define DEVICE "0123456789abcdef"
#define SW_ID_PREFIX "debian.org__Debian_GNU/Linux_12-x86_64-"

static char out[1 << 20];

struct endpoint {
	char dir[192], root[256], state[256], facts[256];
};

static void
endpoint_init(struct tl_tncd *t, struct endpoint *e)
{
	snprintf(e->dir, sizeof(e->dir), "%s/endpoint", t->dir);
	snprintf(e->root, sizeof(e->root), "%s/root", e->dir);
	snprintf(e->state, sizeof(e->state), "%s/swima-rpm-state", e->dir);
	tl_rpm_endpoint(e->dir, e->root);
	tl_facts_file(t, "swima", "", e->facts, sizeof(e->facts));
}

/* tncclient --swima with the rpm source; its output in out, and whether it
 * printed want and exited want_rc. */
static void
client(struct tl_tncd *t, const struct endpoint *e, const char *want, int want_rc)
{
	int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--verbose --swima --packages rpm --rpm-root %s --rpm-dbpath /var/lib/rpm "
	    "--swima-state %s --timeout 30 2>&1", TNC_BIN_DIR, t->port, t->ca, e->facts, e->root,
	    e->state);
	ck_assert_msg(strstr(out, want) && rc == want_rc, "tncclient (exit %d) did not print "
	    "'%s': %s", rc, want, out);
}

/* Waits for the SWIMA IMV's recommendation rec. */
static void
expect_swima_rec(struct tl_tncd *t, const char *rec)
{
	char needle[128];
	snprintf(needle, sizeof(needle), "IMV 2 recommends '%s' with evaluation", rec);
	ck_assert_msg(tl_log_count(t, needle) > 0 || tl_log_contains(t, needle, 5000),
	    "no '%s' (log %s)", needle, t->log);
}

START_TEST(rpm_inventory_events_and_forbidden_software)
{
	struct tl_tncd t;
	struct endpoint e;

	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	tl_adm(&t, "policy add 'Software' --type SWIDT --argument 'require:tnc-alpha' "
	    "--fail isolate");
	tl_adm(&t, "enforcement add 'Software' Default");
	endpoint_init(&t, &e);

	/* 1: the inventory of the rpm database */
	client(&t, &e, "access recommendation: allow", 0);
	ck_assert_msg(strstr(out, "rpm packages of '") && strstr(out, "new EID epoch"),
	    "tncclient: %s", out);
	expect_swima_rec(&t, "allow");
	ck_assert(tl_log_contains(&t, "received software ID inventory with 5 items", 0));
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX "'"),
	    "5\n");
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX
	    "tnc-alpha-2~1.0-3 *tnc-alpha *2~1.0-3 '"), "1\n");
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX
	    "libfoo~~-0.9-1.el9 *libfoo++ *0.9-1.el9 '"), "1\n");
	const char *devices = tl_adm(&t, "sw devices tnc-delta");
	ck_assert_msg(strstr(devices, DEVICE), "sw devices: %s", devices);

	/* 2: an erase and an upgrade: their events, in the same epoch */
	tl_rpm_build(e.dir, 'c');
	tl_rpm(e.dir, e.root, "-e tnc-gamma");
	tl_rpm(e.dir, e.root, "-U tnc-beta-1.1-1.noarch.rpm");
	client(&t, &e, "access recommendation: allow", 0);
	ck_assert_msg(strstr(out, "the rpm database changed: 3 events, EIDs up to 2"),
	    "tncclient: %s", out);
	ck_assert(tl_log_contains(&t, "received software ID events with 3 items", 5000));
	ck_assert_int_eq(tl_log_count(&t, "received software ID inventory with 5 items"), 1);
	const char *events = tl_adm(&t, "sw events " DEVICE " --since 0");
	ck_assert_msg(strstr(events, SW_ID_PREFIX "tnc-gamma-2~1.0-3") &&
	    strstr(events, SW_ID_PREFIX "tnc-beta-2~1.1-1") &&
	    strstr(events, SW_ID_PREFIX "tnc-beta-2~1.0-3"), "events: %s", events);
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX "'"),
	    "4\n");
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c 'tnc-gamma' || true"),
	    "0\n");

	/* 3: forbidden software */
	tl_adm(&t, "policy set 'Software' --argument 'forbid:tnc-delta require:tnc-alpha'");
	client(&t, &e, "access recommendation: isolate", 2);
	ck_assert_msg(strstr(out, "tnc-delta"), "tncclient was not told what failed: %s", out);
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	tl_tncd_stop(&t);
}
END_TEST

/* A SWIDI policy with "subscribe": tncclient --swima-watch keeps the
 * session after the result, and when rpm installs tnc-epsilon its event
 * goes to the IMV in a handshake retry and is stored. */
START_TEST(subscription_fires_on_rpm_change)
{
	struct tl_tncd t;
	struct endpoint e;
	char opts[2048], path[300], text[1 << 16];

	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	tl_adm(&t, "policy add 'Software IDs' --type SWIDI --argument 'subscribe "
	    "forbid:tnc-epsilon' --fail isolate");
	tl_adm(&t, "enforcement add 'Software IDs' Default");
	endpoint_init(&t, &e);
	tl_rpm_build(e.dir, 'd');
	snprintf(path, sizeof(path), "%s/watch.out", t.dir);
	snprintf(opts, sizeof(opts), "--verbose --swima --packages rpm --rpm-root %s "
	    "--rpm-dbpath /var/lib/rpm --swima-state %s --swima-watch 8", e.root, e.state);
	pid_t pid = tl_client_spawn(&t, e.facts, opts, path);
	ck_assert(tl_log_contains(&t, "IMV 2 subscribes to the events of IMC", 10000));
	ck_assert(tl_log_contains(&t, "IMV 2 recommends 'allow'", 10000));
	ck_assert(!tl_log_contains(&t, "removed TNCCS Connection ID 1", 500));

	tl_rpm(e.dir, e.root, "-i tnc-epsilon-5-1.noarch.rpm");
	ck_assert_int_eq(tl_client_wait(pid), 2); /* isolate: tnc-epsilon came with the event */
	ck_assert(tl_log_contains(&t, "received software ID events with 1 items for subscription",
	    0));
	ck_assert_int_eq(tl_sh(text, sizeof(text), "cat '%s'", path), 0);
	ck_assert_msg(strstr(text, "watches the rpm database") &&
	    strstr(text, "requesting a handshake retry") &&
	    strstr(text, "access recommendation: isolate"), "tncclient: %s", text);
	const char *events = tl_adm(&t, "sw events " DEVICE " --since 0");
	ck_assert_msg(strstr(events, SW_ID_PREFIX "tnc-epsilon-5-1"), "events: %s", events);
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	tl_tncd_stop(&t);
}
END_TEST

int
main(void)
{
	if (!tl_rpm_available())
		return 77;
	Suite *s = suite_create("swima_rpm_session");
	TCase *tc = tcase_create("swima_rpm");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, rpm_inventory_events_and_forbidden_software);
	tcase_add_test(tc, subscription_fires_on_rpm_change);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
