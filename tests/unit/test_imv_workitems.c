/* test_imv_workitems.c - the workitems every IMV keeps (imv/
 * imv_workitems.h): their reading from policy-workitems with the IMV's
 * types (others kept or skipped), a bad recommendation failing closed,
 * tnc-policy's error, a result told to tnc-policy, and the IMV's own
 * result over all of them; and the seq of requests to tnc-policy
 * (imv_policy.h). */
#include <stdio.h>
#include <string.h>

#include "imv_policy.h"
#include "imv_workitems.h"
#include "testlib.h"

static const char *const names[] = {"PCKGS", "FWDEN"};

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
add(struct ipc_policy_workitems *w, uint32_t id, const char *type, uint8_t rec_fail,
    uint8_t rec_noresult)
{
	w->item[w->count++] = (struct ipc_policy_workitem){id, B(type), B(""), rec_fail,
	    rec_noresult};
}

START_TEST(read_keeps_or_skips_other_types)
{
	struct ipc_policy_workitems w = {0};
	struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX];
	struct imv_workitem_types keep = {names, 2, false}, skip = {names, 2, true};

	add(&w, 7, "FWDEN", IMV_REC_ISOLATE, IMV_REC_NONE);
	add(&w, 8, "SWIDT", IMV_REC_NO_ACCESS, IMV_REC_ALLOW);
	add(&w, 9, "PCKGS", 9, 200); /* not recommendations: the strictest */
	add(&w, 10, "PCKGSX", IMV_REC_ALLOW, IMV_REC_ALLOW); /* the whole name counts */

	ck_assert_uint_eq(imv_workitems_read(&w, &keep, item), 4);
	ck_assert_uint_eq(item[0].id, 7);
	ck_assert_uint_eq(item[0].type, 1);
	ck_assert_str_eq(item[0].type_name, "FWDEN");
	ck_assert_int_eq(item[0].rec_fail, IMV_REC_ISOLATE);
	ck_assert_int_eq(item[0].rec_noresult, IMV_REC_NONE);
	ck_assert_uint_eq(item[1].type, 2); /* not the IMV's */
	ck_assert_str_eq(item[1].type_name, "SWIDT");
	ck_assert_uint_eq(item[2].type, 0);
	ck_assert_int_eq(item[2].rec_fail, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(item[2].rec_noresult, IMV_REC_NO_ACCESS);
	ck_assert_uint_eq(item[3].type, 2);

	ck_assert_uint_eq(imv_workitems_read(&w, &skip, item), 2);
	ck_assert_uint_eq(item[0].id, 7);
	ck_assert_uint_eq(item[1].id, 9);
	ck_assert_uint_eq(item[1].type, 0);
}
END_TEST

START_TEST(answer_with_an_error_gives_why)
{
	struct ipc_policy_workitems w = {0};
	struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX];
	struct imv_workitem_types types = {names, 2, false};
	unsigned n = 99;
	char why[128];

	w.status = TNC_ENOTFOUND;
	ck_assert(!imv_workitems_answer(1, 5, &w, &types, item, &n, why, sizeof(why)));
	ck_assert_uint_eq(n, 99); /* untouched */
	ck_assert_ptr_nonnull(strstr(why, "no workitems from tnc-policy: "));
	ck_assert_ptr_nonnull(strstr(why, tnc_strerror(TNC_ENOTFOUND)));

	w.status = 0;
	add(&w, 1, "PCKGS", IMV_REC_ISOLATE, IMV_REC_NONE);
	ck_assert(imv_workitems_answer(1, 5, &w, &types, item, &n, why, sizeof(why)));
	ck_assert_uint_eq(n, 1);
	ck_assert_uint_eq(item[0].id, 1);
}
END_TEST

static struct {
	unsigned calls;
	uint32_t workitem;
	enum imv_recommendation rec;
	char text[64];
} told;

static int
record_result(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text)
{
	told.calls++;
	told.workitem = workitem;
	told.rec = rec;
	snprintf(told.text, sizeof(told.text), "%s", text);
	return ctx ? TNC_ECLOSED : 0;
}

START_TEST(report_tells_tnc_policy)
{
	struct imv_workitem it = {12, 0, "PCKGS", IMV_REC_ISOLATE, IMV_REC_NONE};
	int closed;

	memset(&told, 0, sizeof(told));
	imv_workitem_report(1, 5, &it, true, IMV_REC_ISOLATE, "blacklisted package telnetd",
	    record_result, NULL);
	ck_assert_uint_eq(told.calls, 1);
	ck_assert_uint_eq(told.workitem, 12);
	ck_assert_int_eq(told.rec, IMV_REC_ISOLATE);
	ck_assert_str_eq(told.text, "blacklisted package telnetd");
	/* tnc-policy gone: logged, nothing else */
	imv_workitem_report(1, 5, &it, false, IMV_REC_ALLOW, "ok", record_result, &closed);
	ck_assert_uint_eq(told.calls, 2);
	ck_assert_int_eq(told.rec, IMV_REC_ALLOW);
}
END_TEST

START_TEST(tally_is_the_worst)
{
	struct imv_tally t;

	imv_tally_init(&t, 0); /* no workitems: allow, don't know */
	ck_assert_int_eq(t.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(imv_tally_eval(&t), IMV_EVAL_DONT_KNOW);

	imv_tally_init(&t, 3);
	ck_assert_int_eq(imv_tally_eval(&t), IMV_EVAL_COMPLIANT);
	imv_tally_add(&t, IMV_REC_NONE, false, false); /* none adds nothing */
	ck_assert_int_eq(t.rec, IMV_REC_ALLOW);
	imv_tally_add(&t, IMV_REC_ISOLATE, false, true);
	ck_assert_int_eq(t.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(imv_tally_eval(&t), IMV_EVAL_DONT_KNOW);
	imv_tally_add(&t, IMV_REC_NO_ACCESS, true, false);
	imv_tally_add(&t, IMV_REC_ISOLATE, false, false);
	ck_assert_int_eq(t.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(imv_tally_eval(&t), IMV_EVAL_NONCOMPLIANT_MAJOR);
}
END_TEST

START_TEST(policy_seq_is_never_zero_and_new)
{
	uint32_t a = imv_policy_seq(), b = imv_policy_seq();
	ck_assert_uint_ne(a, 0);
	ck_assert_uint_ne(b, 0);
	ck_assert_uint_ne(a, b);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imv_workitems");
	TCase *tc = tcase_create("workitems");
	tcase_add_test(tc, read_keeps_or_skips_other_types);
	tcase_add_test(tc, answer_with_an_error_gives_why);
	tcase_add_test(tc, report_tells_tnc_policy);
	tcase_add_test(tc, tally_is_the_worst);
	tcase_add_test(tc, policy_seq_is_never_zero_and_new);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
