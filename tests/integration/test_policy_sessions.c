/* test_policy_sessions.c - tnc-policy on the session path, with the real
 * tncd and tncclient on loopback: a session is recorded with its identity,
 * device, product and the recommendation tncclient printed; a device is
 * registered once; 50 concurrent sessions are all recorded; tnc-policy
 * killed at random points of 100 sessions leaves every session whole or
 * absent and no allow unrecorded.  The databases are checked with tncadm
 * (integrity and foreign keys), and no tnc-policy dies of its seccomp
 * profile. */
#include <jansson.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "testlib.h"

static char out[1 << 20];

/* tl_facts_file()'s endpoint with device ID device, then text. */
static const char *
facts(struct tl_tncd *t, const char *name, const char *device, const char *text)
{
	static char path[256];
	char more[2048];
	snprintf(more, sizeof(more), "device_id = %s\n%s", device, text);
	return tl_facts_file(t, name, more, path, sizeof(path));
}

/* tncadm --json on t's database: the parsed array (caller frees). */
static json_t *
adm_json(struct tl_tncd *t, const char *args)
{
	char json_args[256];
	snprintf(json_args, sizeof(json_args), "--json %s", args);
	const char *text = tl_adm(t, "%s", json_args);
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j && json_is_array(j), "tncadm %s: not a JSON array: %s", args, text);
	return j;
}

static const char *
field(json_t *row, const char *key)
{
	json_t *v = json_object_get(row, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* the engine's consistency check clean */
static void
assert_db_clean(struct tl_tncd *t)
{
	const char *text = tl_adm(t, "check");
	ck_assert_msg(strstr(text, "integrity and foreign keys ok"), "check: %s", text);
}

/* What tncclient printed as the access recommendation, as the database names it. */
static const char *
printed_rec(const char *client_out)
{
	static const char *const names[][2] = {{"allow", "allow"}, {"no access", "no_access"},
	    {"isolate", "isolate"}};
	const char *p = strstr(client_out, "access recommendation: ");
	if (!p)
		return NULL;
	p += strlen("access recommendation: ");
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(p, names[i][0], strlen(names[i][0])))
			return names[i][1];
	return NULL;
}

/* tncd with extra; the OS IMV allows tl_facts_file()'s endpoint. */
static void
start(struct tl_tncd *t, const char *extra)
{
	tl_tncd_start(t, extra, true);
	ck_assert_int_gt(tl_wait_state(t, "tnc-policy", "ready", 0, 10000), 0);
	ck_assert(tl_log_contains(t, ", schema version ", 5000));
	tl_policy_seed(t);
}

static void
stop(struct tl_tncd *t)
{
	ck_assert_msg(!tl_log_contains(t, "seccomp violation", 0), "a child died of seccomp (log %s)",
	    t->log);
	ck_assert(!tl_log_contains(t, "cannot record", 0));
	ck_assert(!tl_log_contains(t, "database is locked", 0));
	tl_tncd_stop(t);
	assert_db_clean(t);
}

START_TEST(sessions_recorded_and_device_registered_once)
{
	char certdir[] = "/tmp/tnc-pol-cert-XXXXXX", extra[1024], opts[512];
	struct tl_tncd t;
	ck_assert_ptr_nonnull(mkdtemp(certdir));
	tl_make_cert(certdir, "client");
	snprintf(extra, sizeof(extra), "[ike]\ntls_ca = %s/client.crt\n", certdir);
	snprintf(opts, sizeof(opts), "--cert %s/client.crt --key %s/client.key", certdir, certdir);
	start(&t, extra);

	const char *kinds[][2] = {{"same", ""}, {"same", ""}, {"other", "forwarding = 1\n"}};
	const char *printed[3];
	for (int i = 0; i < 3; i++) {
		char cmd[256];
		snprintf(cmd, sizeof(cmd), "dev-%s", kinds[i][0]);
		int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
		    "--timeout 30 %s 2>&1", TNC_BIN_DIR, t.port, t.ca,
		    facts(&t, kinds[i][0], cmd, kinds[i][1]), opts);
		printed[i] = printed_rec(out);
		ck_assert_msg(printed[i], "client %d exit %d: %s", i, rc, out);
	}
	ck_assert_str_eq(printed[0], "allow");
	ck_assert_str_eq(printed[2], "isolate"); /* the default policy's rec_fail for FWDEN */
	ck_assert(tl_log_contains(&t, "[IMV] assigned session ID 3 to Connection ID", 2000));
	ck_assert(tl_log_contains(&t, "policy: recommendation for access requestor ", 100));

	json_t *sessions = adm_json(&t, "session list");
	ck_assert_uint_eq(json_array_size(sessions), 3);
	for (int i = 0; i < 3; i++) {
		/* the list is newest first */
		json_t *row = json_array_get(sessions, 2 - (size_t)i);
		char dev[32];
		snprintf(dev, sizeof(dev), "dev-%s", kinds[i][0]);
		ck_assert_str_eq(field(row, "device"), dev);
		ck_assert_str_eq(field(row, "product"), "Debian GNU/Linux 12 x86_64");
		ck_assert_str_eq(field(row, "rec"), printed[i]);
		ck_assert_msg(field(row, "identity") && strstr(field(row, "identity"), "CN="),
		    "session %d has no identity", i);
	}
	json_decref(sessions);
	json_t *devices = adm_json(&t, "device list");
	ck_assert_uint_eq(json_array_size(devices), 2); /* the second session added none */
	for (size_t i = 0; i < 2; i++) {
		json_t *d = json_array_get(devices, i);
		json_int_t sessions_of = json_integer_value(json_object_get(d, "sessions"));
		json_int_t first = json_integer_value(json_object_get(d, "first_seen"));
		json_int_t last = json_integer_value(json_object_get(d, "last_seen"));
		ck_assert_int_eq(sessions_of, !strcmp(field(d, "device"), "dev-same") ? 2 : 1);
		ck_assert_int_ge(last, first);
	}
	json_decref(devices);
	stop(&t);
	tl_sh(out, sizeof(out), "rm -rf %s", certdir);
}
END_TEST

START_TEST(fifty_concurrent_sessions_all_recorded)
{
	enum { N = 50 };
	struct tl_tncd t;
	pid_t pids[N];
	char outp[N][256];
	start(&t, "[log]\ntnc = 0\n");
	for (int i = 0; i < N; i++) {
		char name[32];
		snprintf(name, sizeof(name), "c%02d", i);
		snprintf(outp[i], sizeof(outp[i]), "%s/%s.out", t.dir, name);
		pids[i] = tl_client_spawn(&t, facts(&t, name, name, ""), NULL, outp[i]);
	}
	for (int i = 0; i < N; i++)
		ck_assert_msg(tl_client_wait(pids[i]) == 0, "client %d failed (%s)", i, outp[i]);
	json_t *sessions = adm_json(&t, "session list --limit 1000");
	ck_assert_uint_eq(json_array_size(sessions), N);
	for (size_t i = 0; i < N; i++)
		ck_assert_str_eq(field(json_array_get(sessions, i), "rec"), "allow");
	json_decref(sessions);
	stop(&t);
}
END_TEST

/* 100 sessions, 10 at a time, tnc-policy killed (SIGKILL) at a random moment
 * of some batches.  Afterwards every session in the database is whole
 * (device, product and recommendation) and every client that printed allow
 * has its allow recorded: no decision reached a client unrecorded. */
START_TEST(policy_killed_during_hundred_sessions)
{
	enum { N = 100, BATCH = 10 };
	struct tl_tncd t;
	pid_t pids[BATCH];
	char outp[BATCH][256];
	const char *allowed[N] = {NULL};
	char names[N][16];
	unsigned seed = (unsigned)time(NULL) ^ (unsigned)getpid();
	if (getenv("TNC_TEST_SEED"))
		seed = (unsigned)strtoul(getenv("TNC_TEST_SEED"), NULL, 10);
	fprintf(stderr, "policy_killed_during_hundred_sessions: seed %u (TNC_TEST_SEED)\n", seed);
	srand(seed);
	start(&t, "[log]\ntnc = 0\n");
	int kills = 0;
	for (int b = 0; b < N / BATCH; b++) {
		for (int k = 0; k < BATCH; k++) {
			int i = b * BATCH + k;
			snprintf(names[i], sizeof(names[i]), "crash-%03d", i);
			snprintf(outp[k], sizeof(outp[k]), "%s/crash-%03d.out", t.dir, i);
			pids[k] = tl_client_spawn(&t, facts(&t, names[i], names[i], ""), NULL, outp[k]);
		}
		if (rand() % 2) {
			usleep((useconds_t)(rand() % 400) * 1000);
			int pid = tl_child_pid(&t, "tnc-policy");
			if (pid > 0 && kill(pid, SIGKILL) == 0)
				kills++;
		}
		for (int k = 0; k < BATCH; k++) {
			int i = b * BATCH + k;
			(void)tl_client_wait(pids[k]);
			size_t len;
			char *text = (char *)tl_read_file(outp[k], &len);
			ck_assert_ptr_nonnull(text);
			const char *rec = printed_rec(text);
			allowed[i] = rec && !strcmp(rec, "allow") ? names[i] : NULL;
			free(text);
		}
		ck_assert_int_gt(tl_wait_state(&t, "tnc-policy", "ready", 0, 10000), 0);
	}
	fprintf(stderr, "policy_killed_during_hundred_sessions: %d kills\n", kills);
	json_t *sessions = adm_json(&t, "session list --limit 1000");
	size_t n = json_array_size(sessions);
	ck_assert_uint_le(n, N);
	for (size_t r = 0; r < n; r++) {
		json_t *row = json_array_get(sessions, r);
		ck_assert_msg(field(row, "rec") && field(row, "device") && field(row, "product"),
		    "session %lld is not whole (seed %u)",
		    (long long)json_integer_value(json_object_get(row, "id")), seed);
	}
	for (int i = 0; i < N; i++) {
		bool found = false;
		for (size_t r = 0; r < n && allowed[i] && !found; r++) {
			json_t *row = json_array_get(sessions, r);
			found = !strcmp(field(row, "device"), allowed[i]) &&
			    !strcmp(field(row, "rec"), "allow");
		}
		ck_assert_msg(!allowed[i] || found, "%s was allowed but not recorded (seed %u)",
		    allowed[i], seed);
	}
	json_decref(sessions);
	stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("policy_sessions");
	TCase *tc = tcase_create("policy");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sessions_recorded_and_device_registered_once);
	tcase_add_test(tc, fifty_concurrent_sessions_all_recorded);
	tcase_add_test(tc, policy_killed_during_hundred_sessions);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
