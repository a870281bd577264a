/* test_policy_fleet.c - two gateways sharing one PostgreSQL policy database
 * (ctest runs it with the pg fixture's server): two real tncd instances
 * with their own state directories, control sockets and ports, tnc-policy
 * of each on the same database.  A device first assessed at one gateway is
 * known at the other with its history, and the second gateway's session
 * adds to it; 50 concurrent sessions spread over both, 10 devices of them
 * assessed at both gateways at the same moment, are each recorded once and
 * each device is one row; the database is consistent afterwards. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testlib.h"
#include "tl_policy_db.h"

#define SESSIONS 50
#define SHARED 10 /* devices assessed at both gateways at once */

/* tncadm --json ARGS at gateway t, parsed (caller frees). */
static json_t *
adm_json(struct tl_tncd *t, const char *args)
{
	char json_args[256];
	snprintf(json_args, sizeof(json_args), "--json %s", args);
	const char *text = tl_adm(t, "%s", json_args);
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);
	ck_assert_msg(j, "tncadm %s: not JSON: %s", args, text);
	return j;
}

/* tl_facts_file()'s endpoint with device ID device, at gateway t. */
static const char *
facts(struct tl_tncd *t, const char *name, const char *device)
{
	static char path[256];
	char text[128];
	snprintf(text, sizeof(text), "device_id = %s\n", device);
	return tl_facts_file(t, name, text, path, sizeof(path));
}

/* A session of device at t with the client certificate of certdir; what
 * tncclient printed. */
static void
assess(struct tl_tncd *t, const char *certdir, const char *name, const char *device, char *out,
    size_t size)
{
	char path[256], opts[512];
	snprintf(path, sizeof(path), "%s/%s.out", t->dir, name);
	snprintf(opts, sizeof(opts), "--cert %s/client.crt --key %s/client.key", certdir, certdir);
	pid_t pid = tl_client_spawn(t, facts(t, name, device), opts, path);
	ck_assert_msg(tl_client_wait(pid) == 0, "client %s failed (%s)", name, path);
	size_t len;
	char *text = (char *)tl_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	snprintf(out, size, "%s", text);
	free(text);
}

/* How many sessions of the session list have device. */
static size_t
sessions_of(json_t *sessions, const char *device)
{
	size_t n = 0;
	for (size_t i = 0; i < json_array_size(sessions); i++) {
		json_t *d = json_object_get(json_array_get(sessions, i), "device");
		n += json_is_string(d) && !strcmp(json_string_value(d), device);
	}
	return n;
}

/* Two gateways on one new database, trusting certdir's client certificate
 * (NULL: none). */
static void
start_fleet(struct tl_tncd *a, struct tl_tncd *b, const char *certdir)
{
	char extra[512] = "[log]\ntnc = 0\n";
	ck_assert_msg(tl_policy_db_is_pg(), "run by ctest with the pg fixture (TNC_TEST_PG)");
	if (certdir)
		snprintf(extra, sizeof(extra), "[log]\ntnc = 0\n[ike]\ntls_ca = %s/client.crt\n", certdir);
	tl_tncd_start(a, extra, true);
	tl_tncd_start_on(b, extra, true, a->db, a->db_password_file);
	ck_assert_str_ne(a->dir, b->dir);
	ck_assert_int_ne(a->port, b->port);
	ck_assert(tl_log_contains(a, ", schema version ", 5000));
	ck_assert(tl_log_contains(b, ", schema version ", 5000));
	tl_policy_seed(a); /* the packages are the fleet's: b sees them too */
}

static void
stop_fleet(struct tl_tncd *a, struct tl_tncd *b)
{
	for (struct tl_tncd *t = a; t; t = t == a ? b : NULL) {
		ck_assert_msg(!tl_log_contains(t, "seccomp violation", 0), "log %s", t->log);
		ck_assert_msg(!tl_log_contains(t, "cannot record", 0), "log %s", t->log);
		ck_assert_msg(!tl_log_contains(t, "restarting tnc-policy", 0), "log %s", t->log);
	}
	const char *check = tl_adm(a, "check");
	ck_assert_msg(strstr(check, "ok"), "check: %s", check);
	tl_tncd_stop(a);
	tl_tncd_stop(b);
}

START_TEST(a_device_first_seen_at_one_gateway_is_known_at_the_other)
{
	struct tl_tncd a, b;
	char out[8192], certdir[] = "/tmp/tnc-fleet-cert-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(certdir));
	tl_make_cert(certdir, "client");
	start_fleet(&a, &b, certdir);

	assess(&a, certdir, "roamer-a", "roamer", out, sizeof(out));
	ck_assert_msg(strstr(out, "access recommendation: allow"), "%s", out);
	/* b has never seen it: its database has */
	json_t *d = adm_json(&b, "device show roamer");
	json_t *dev = json_object_get(d, "device");
	ck_assert_int_eq(json_integer_value(json_object_get(dev, "sessions")), 1);
	ck_assert_str_eq(json_string_value(json_object_get(dev, "product")), TL_PRODUCT);
	json_t *ids = json_object_get(d, "identities");
	ck_assert_uint_eq(json_array_size(ids), 1);
	const char *who = json_string_value(json_object_get(json_array_get(ids, 0), "value"));
	ck_assert_msg(who && strstr(who, "CN="), "identity %s", who ? who : "(none)");
	json_decref(d);

	assess(&b, certdir, "roamer-b", "roamer", out, sizeof(out));
	ck_assert_msg(strstr(out, "access recommendation: allow"), "%s", out);
	d = adm_json(&a, "device show roamer");
	dev = json_object_get(d, "device");
	ck_assert_int_eq(json_integer_value(json_object_get(dev, "sessions")), 2);
	json_decref(d);
	json_t *devices = adm_json(&a, "device list");
	ck_assert_uint_eq(json_array_size(devices), 1);
	json_decref(devices);
	json_t *sessions = adm_json(&b, "session list");
	ck_assert_uint_eq(json_array_size(sessions), 2);
	ck_assert_uint_eq(sessions_of(sessions, "roamer"), 2);
	json_decref(sessions);
	stop_fleet(&a, &b);
	tl_sh(out, sizeof(out), "rm -rf %s", certdir);
}
END_TEST

START_TEST(fifty_sessions_over_two_gateways_are_each_recorded_once)
{
	struct tl_tncd a, b;
	pid_t pids[SESSIONS];
	char outp[SESSIONS][256], device[SESSIONS][32];
	start_fleet(&a, &b, NULL);

	for (int i = 0; i < SESSIONS; i++) {
		struct tl_tncd *t = i % 2 ? &b : &a;
		char name[32];
		/* the first 2 * SHARED: pairs of one device, one at each gateway */
		if (i < 2 * SHARED)
			snprintf(device[i], sizeof(device[i]), "shared-%02d", i / 2);
		else
			snprintf(device[i], sizeof(device[i]), "fleet-%02d", i);
		snprintf(name, sizeof(name), "s%02d", i);
		snprintf(outp[i], sizeof(outp[i]), "%s/%s.out", t->dir, name);
		pids[i] = tl_client_spawn(t, facts(t, name, device[i]), NULL, outp[i]);
	}
	for (int i = 0; i < SESSIONS; i++) {
		ck_assert_msg(tl_client_wait(pids[i]) == 0, "client %d failed (%s)", i, outp[i]);
		size_t len;
		char *text = (char *)tl_read_file(outp[i], &len);
		ck_assert_msg(text && strstr(text, "access recommendation: allow"), "%d: %s", i,
		    text ? text : "(no output)");
		free(text);
	}

	json_t *sessions = adm_json(&a, "session list --limit 1000");
	ck_assert_uint_eq(json_array_size(sessions), SESSIONS);
	for (int i = 0; i < SESSIONS; i++)
		ck_assert_msg(sessions_of(sessions, device[i]) == (i < 2 * SHARED ? 2u : 1u),
		    "%s has %zu sessions", device[i], sessions_of(sessions, device[i]));
	for (size_t i = 0; i < json_array_size(sessions); i++) {
		json_t *rec = json_object_get(json_array_get(sessions, i), "rec");
		ck_assert_str_eq(json_string_value(rec), "allow");
	}
	json_decref(sessions);
	json_t *devices = adm_json(&b, "device list --limit 1000");
	ck_assert_uint_eq(json_array_size(devices), SESSIONS - SHARED);
	json_decref(devices);
	json_t *products = adm_json(&b, "product list");
	ck_assert_uint_eq(json_array_size(products), 1);
	json_decref(products);
	stop_fleet(&a, &b);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("policy_fleet");
	TCase *tc = tcase_create("fleet");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, a_device_first_seen_at_one_gateway_is_known_at_the_other);
	tcase_add_test(tc, fifty_sessions_over_two_gateways_are_each_recorded_once);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
