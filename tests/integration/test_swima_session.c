/* test_swima_session.c - SWIMA end to end: tncd (tnc-imv-swima, tnc-policy)
 * and tncclient --swima on loopback, with a dpkg status file of 3002
 * packages (openssl 3.0.11-1, bash 5.2.15-2 and 3000 made-up ones) and the
 * dpkg logs of tests/data/dpkg-log (EIDs 1-9).
 *
 * Under a SWIDT policy enforced on the default group:
 *   1. the first session: allow, the whole inventory of identifiers
 *      (segmented) and 200 SWID tags stored, `tncadm sw inventory` lists
 *      the packages, `tncadm sw devices openssl --below 3.0.13-1` names
 *      the device;
 *   2. a second session after two new dpkg log lines: only the events
 *      since EID 9 move (and the next 200 tags), so the client's batches
 *      (tnc-tnccs logs their sizes) are over 200 KB smaller than the
 *      first session's;
 *   3. the state file removed (a new EID epoch): the IMV sees the epoch
 *      change and asks for the whole inventory again;
 *   4. forbid:vim in the policy: isolate, vim named.
 * Under a SWIDI policy with "subscribe", tncclient --swima-watch sends the
 * events of a dpkg run after the result in a handshake retry: stored, and
 * the new verdict isolates. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"

#define SYNTHETIC 3000
#define DEVICE "0123456789abcdef"
#define SW_ID_PREFIX "debian.org__Debian_GNU/Linux_12-x86_64-"

static char out[1 << 20];

struct endpoint {
	char status[256], log0[256], log1[256], state[256], facts[256];
};

/* The status file: openssl, bash and synth00001..03000; after the dpkg run
 * of append_run() synth00001 is gone and vim is there. */
static void
write_status(const struct endpoint *e, bool after_run)
{
	char sh[256];

	ck_assert_int_eq(tl_sh(sh, sizeof(sh), "{ printf 'Package: openssl\\nStatus: install ok "
	    "installed\\nArchitecture: amd64\\nVersion: 3.0.11-1\\n\\nPackage: bash\\nStatus: "
	    "install ok installed\\nArchitecture: amd64\\nVersion: 5.2.15-2\\n\\n'; %s for i in "
	    "$(seq %d %d); do printf 'Package: synth%%05d\\nStatus: install ok installed\\n"
	    "Architecture: amd64\\nVersion: 1.%%d-1\\n\\n' $i $i; done; } > '%s'", after_run ?
	    "printf 'Package: vim\\nStatus: install ok installed\\nArchitecture: amd64\\n"
	    "Version: 2:9.0.1378-2\\n\\n';" : "", after_run ? 2 : 1, SYNTHETIC, e->status), 0);
}

/* dpkg installs vim and removes synth00001: two log lines, the status. */
static void
append_run(const struct endpoint *e)
{
	FILE *f = fopen(e->log1, "a");
	ck_assert_ptr_nonnull(f);
	fputs("2026-12-01 10:00:00 install vim:amd64 <none> 2:9.0.1378-2\n"
	    "2026-12-01 10:00:01 remove synth00001:amd64 1.1-1 <none>\n", f);
	fclose(f);
	write_status(e, true);
}

static void
endpoint_init(struct tl_tncd *t, struct endpoint *e)
{
	snprintf(e->status, sizeof(e->status), "%s/status", t->dir);
	snprintf(e->state, sizeof(e->state), "%s/swima-state", t->dir);
	snprintf(e->log0, sizeof(e->log0), "%s", tl_copy_testdata("dpkg-log/dpkg.log.1", t->dir,
	    "dpkg.log.1"));
	snprintf(e->log1, sizeof(e->log1), "%s", tl_copy_testdata("dpkg-log/dpkg.log", t->dir,
	    "dpkg.log"));
	write_status(e, false);
	tl_facts_file(t, "swima", "", e->facts, sizeof(e->facts));
}

/* tncclient --swima; its output in out, and whether it printed want. */
static void
client(struct tl_tncd *t, const struct endpoint *e, const char *want)
{
	int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--swima --dpkg-status %s --dpkg-log %s --dpkg-log %s --swima-state %s --timeout 30 "
	    "2>&1", TNC_BIN_DIR, t->port, t->ca, e->facts, e->status, e->log0, e->log1, e->state);
	ck_assert_msg(strstr(out, want), "tncclient (exit %d) did not print '%s': %s", rc, want,
	    out);
}

/* The octets of the client's batches in Connection ID conn, as tnc-tnccs
 * logs them ("received TNCCS batch (N bytes) for Connection ID C"). */
static unsigned long
client_bytes(struct tl_tncd *t, int conn)
{
	char needle[64], line[1024];
	unsigned long sum = 0, n;
	FILE *f = fopen(t->log, "r");

	ck_assert_ptr_nonnull(f);
	snprintf(needle, sizeof(needle), " bytes) for Connection ID %d\n", conn);
	while (fgets(line, sizeof(line), f)) {
		const char *p = strstr(line, "received TNCCS batch (");
		if (p && strstr(line, needle) && sscanf(p, "received TNCCS batch (%lu", &n) == 1)
			sum += n;
	}
	fclose(f);
	return sum;
}

/* Waits for session conn's recommendation from the SWIMA IMV. */
static void
expect_swima_rec(struct tl_tncd *t, int conn, const char *rec)
{
	char needle[128];
	snprintf(needle, sizeof(needle), "IMV 2 recommends '%s' with evaluation", rec);
	ck_assert_msg(tl_log_count(t, needle) > 0 || tl_log_contains(t, needle, 5000),
	    "session %d: no '%s' (log %s)", conn, needle, t->log);
}

START_TEST(inventory_events_epoch_and_forbidden_software)
{
	struct tl_tncd t;
	struct endpoint e;

	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	tl_adm(&t, "policy add 'Software' --type SWIDT --argument 'require:bash' --fail isolate");
	tl_adm(&t, "enforcement add 'Software' Default");
	endpoint_init(&t, &e);

	/* 1: the whole inventory */
	client(&t, &e, "access recommendation: allow");
	expect_swima_rec(&t, 1, "allow");
	ck_assert(tl_log_contains(&t, "received software ID inventory with 3002 items", 0));
	ck_assert(tl_log_contains(&t, "tnc-policy stored 3002 of the 3002 entries of the", 0));
	/* the tags go to tnc-policy in chunks; the count is the sum of them all */
	ck_assert(tl_log_contains(&t, "tnc-policy stored 200 of the 200 entries of the SWID tags",
	    0));
	ck_assert_msg(tl_log_contains(&t, "segment", 0), "the inventory was not segmented: log %s",
	    t.log);
	/* every identifier, in the strongSwan form the IMV cuts package and version from */
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX "'"),
	    "3002\n");
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX
	    "openssl-3.0.11-1 *openssl *3.0.11-1 '"), "1\n");
	const char *devices = tl_adm(&t, "sw devices openssl --below 3.0.13-1");
	ck_assert_msg(strstr(devices, DEVICE), "sw devices: %s", devices);
	devices = tl_adm(&t, "sw devices openssl --below 3.0.11-1");
	ck_assert_msg(!strstr(devices, DEVICE), "sw devices below its version: %s", devices);
	unsigned long first = client_bytes(&t, 1);

	/* 2: two new log lines, only they move */
	append_run(&e);
	client(&t, &e, "access recommendation: allow");
	ck_assert(tl_log_contains(&t, "received software ID events with 2 items", 5000));
	unsigned long second = client_bytes(&t, 2);
	/* both sessions carry 200 SWID tags (SWIDT asks for IPC_SW_UNTAGGED_MAX a session,
	 * about 80 KB); the 3002 identifiers (about 215 KB) moved only in the first */
	ck_assert_msg(second < first && first - second > 200000,
	    "events session %lu bytes, inventory session %lu", second, first);
	const char *events = tl_adm(&t, "sw events " DEVICE " --since 9");
	ck_assert_msg(strstr(events, "vim") && strstr(events, "synth00001"), "events: %s", events);

	/* 3: a new epoch: the whole inventory again */
	ck_assert_int_eq(unlink(e.state), 0);
	client(&t, &e, "access recommendation: allow");
	ck_assert(tl_log_contains(&t, "the EID epoch changed from", 5000));
	ck_assert_int_eq(tl_log_count(&t, "received software ID inventory with 3002 items"), 2);
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX "'"),
	    "3002\n");
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c '^" SW_ID_PREFIX
	    "vim-2~9.0.1378-2 '"), "1\n");
	ck_assert_str_eq(tl_adm(&t, "sw inventory " DEVICE " | grep -c ' synth00001 ' || true"),
	    "0\n");

	/* 4: forbidden software */
	tl_adm(&t, "policy set 'Software' --argument 'forbid:vim require:bash'");
	client(&t, &e, "access recommendation: isolate");
	ck_assert_msg(strstr(out, "vim"), "tncclient was not told what failed: %s", out);
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	tl_tncd_stop(&t);
}
END_TEST

/* A SWIDI policy with "subscribe": the IMV subscribes; tncclient
 * --swima-watch keeps the session after the result, and when dpkg runs the
 * new events go to the IMV in a handshake retry and are stored. */
START_TEST(subscription_fires)
{
	struct tl_tncd t;
	struct endpoint e;
	char opts[2048], path[300], text[1 << 16];

	tl_tncd_start(&t, NULL, true);
	tl_policy_seed(&t);
	tl_adm(&t, "policy add 'Software IDs' --type SWIDI --argument 'subscribe forbid:vim' "
	    "--fail isolate");
	tl_adm(&t, "enforcement add 'Software IDs' Default");
	endpoint_init(&t, &e);
	snprintf(path, sizeof(path), "%s/watch.out", t.dir);
	snprintf(opts, sizeof(opts), "--verbose --swima --dpkg-status %s --dpkg-log %s "
	    "--dpkg-log %s --swima-state %s --swima-watch 8", e.status, e.log0, e.log1, e.state);
	pid_t pid = tl_client_spawn(&t, e.facts, opts, path);
	ck_assert(tl_log_contains(&t, "IMV 2 subscribes to the events of IMC", 10000));
	ck_assert(tl_log_contains(&t, "IMV 2 recommends 'allow'", 10000));
	/* the client watches: the session is still open */
	ck_assert(!tl_log_contains(&t, "removed TNCCS Connection ID 1", 500));

	append_run(&e);
	ck_assert_int_eq(tl_client_wait(pid), 2); /* isolate: vim came with the events */
	ck_assert(tl_log_contains(&t, "received software ID events with 2 items for subscription",
	    0));
	ck_assert_int_eq(tl_sh(text, sizeof(text), "cat '%s'", path), 0);
	ck_assert_msg(strstr(text, "requesting a handshake retry") &&
	    strstr(text, "access recommendation: isolate"), "tncclient: %s", text);
	const char *events = tl_adm(&t, "sw events " DEVICE " --since 9");
	ck_assert_msg(strstr(events, "vim") && strstr(events, "synth00001"), "events: %s", events);
	ck_assert_msg(!tl_log_contains(&t, "seccomp violation", 0), "log %s", t.log);
	tl_tncd_stop(&t);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("swima_session");
	TCase *tc = tcase_create("swima");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, inventory_events_epoch_and_forbidden_software);
	tcase_add_test(tc, subscription_fires);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
