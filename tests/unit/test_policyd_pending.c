/* test_policyd_pending.c - what tnc-policy holds of a connection between
 * the IMVs' calls (policy/policyd_pending.c, policyd_workitems.c): one plan
 * for the IMVs that report the same device; IMVs that report different
 * devices or products of one connection get no more workitems (fail
 * closed), while the first report's plan and the results given on it
 * stay; a new assessment of the connection starts afresh. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policyd.h"
#include "store_int.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define NOW 1800000000
#define CONN 7
#define IMV_OS 1
#define IMV_ATTEST 3

static char db[256], pwfile[512];
static struct policy_store *s;
static struct pending_table pending;
static char warned[1024]; /* the last warning logged */

static void
capture(const struct log_event *e, void *ctx)
{
	(void)ctx;
	if (e->severity == LOG_SEV_WARNING)
		snprintf(warned, sizeof(warned), "%s", e->text);
}

static void
setup(void)
{
	char err[256];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(tl_policy_open(db, pwfile, PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s",
	    err);
	pending_init(&pending);
	log_set_output(capture, NULL);
	warned[0] = '\0';
}

static void
teardown(void)
{
	pending_clear(&pending);
	policy_store_close(s);
	tl_policy_db_drop(db);
}

static struct bytes
b(const char *text)
{
	return (struct bytes){(const uint8_t *)text, strlen(text)};
}

static void
start(void)
{
	struct ipc_policy_session_start m = {b("CN=client"), b("127.0.0.1:40312"),
	    b("IF-T for TLS 2.0")};
	pending_start(&pending, CONN, NOW, &m);
}

static void
report(const char *product, const char *device)
{
	struct ipc_policy_device m = {b(product), b(device)};
	pending_device(&pending, CONN, &m);
}

static int
plan(uint16_t imv, struct ipc_policy_workitems *w)
{
	return pending_plan(&pending, s, CONN, NOW, imv, w);
}

START_TEST(one_plan_for_the_same_device)
{
	struct ipc_policy_workitems w;
	start();
	report(TL_PRODUCT, "machine-1");
	ck_assert_int_eq(plan(IMV_OS, &w), 0);
	ck_assert_uint_eq(w.count, 3); /* the default policy: PCKGS FWDEN PWDEN */
	struct ipc_policy_workitem_result r = {w.item[0].id, IMV_REC_ISOLATE, b("telnetd")};
	ck_assert_int_eq(pending_result(&pending, CONN, IMV_OS, &r), 0);
	report(TL_PRODUCT, "machine-1"); /* the attestation IMV: the same device */
	ck_assert_int_eq(plan(IMV_ATTEST, &w), 0);
	ck_assert_uint_eq(w.count, 0);
	struct pending_session *p = pending_find(&pending, CONN);
	ck_assert_uint_eq(p->nplan, 3);
	ck_assert(p->answers[0].answered);
}
END_TEST

START_TEST(different_devices_get_no_more_workitems)
{
	struct ipc_policy_workitems w;
	start();
	report(TL_PRODUCT, "machine-1");
	ck_assert_int_eq(plan(IMV_OS, &w), 0);
	ck_assert_uint_eq(w.count, 3);
	struct ipc_policy_workitem_result r = {w.item[1].id, IMV_REC_ALLOW, b("fine")};
	ck_assert_int_eq(pending_result(&pending, CONN, IMV_OS, &r), 0);

	report("Windows 11", "machine-1"); /* another product */
	ck_assert_int_eq(plan(IMV_ATTEST, &w), TNC_EINVALID);
	ck_assert_uint_eq(w.count, 0);
	ck_assert_int_eq(plan(IMV_OS, &w), TNC_EINVALID);
	report(TL_PRODUCT, "machine-2"); /* another device, and back to the first */
	report(TL_PRODUCT, "machine-1");
	ck_assert_int_eq(plan(IMV_ATTEST, &w), TNC_EINVALID);
	/* the first report and its results stay for the record */
	struct pending_session *p = pending_find(&pending, CONN);
	ck_assert_str_eq(p->product, TL_PRODUCT);
	ck_assert_str_eq(p->device, "machine-1");
	ck_assert_uint_eq(p->nplan, 3);
	ck_assert(p->answers[1].answered);
	ck_assert_str_eq(p->answers[1].result, "fine");
	ck_assert_str_eq(warned, "policy: Connection ID 7 reported as device 'machine-1', product "
	    "'Windows 11' after device 'machine-1', product '" TL_PRODUCT "': no more workitems for "
	    "it");

	/* a new assessment of the connection (a retry) starts afresh */
	start();
	report("Windows 11", "machine-1");
	ck_assert_int_eq(plan(IMV_OS, &w), 0);
	ck_assert_uint_eq(w.count, 3);
}
END_TEST

int
main(void)
{
	Suite *su = suite_create("policyd_pending");
	TCase *tc = tcase_create("sqlite");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, one_plan_for_the_same_device);
	tcase_add_test(tc, different_devices_get_no_more_workitems);
	suite_add_tcase(su, tc);
	return tl_run_suite(su);
}
