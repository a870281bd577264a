/* test_recommendation.c - the three recommendation policies. */
#include "ipc_msg.h"
#include "recommendation.h"
#include "testlib.h"

#define A IMV_REC_ALLOW
#define I IMV_REC_ISOLATE
#define N IMV_REC_NO_ACCESS
#define X IMV_REC_NONE

static uint8_t
combine(enum rec_policy p, uint8_t a, uint8_t b, uint8_t c, size_t n)
{
	struct rec_input in[3] = {{a, 0}, {b, 0}, {c, 0}}, out;
	rec_combine(p, in, n, &out);
	return out.recommendation;
}

START_TEST(default_policy)
{
	ck_assert_uint_eq(combine(REC_POLICY_DEFAULT, A, A, A, 3), A);
	ck_assert_uint_eq(combine(REC_POLICY_DEFAULT, A, I, A, 3), I);
	ck_assert_uint_eq(combine(REC_POLICY_DEFAULT, A, I, N, 3), N);
	ck_assert_uint_eq(combine(REC_POLICY_DEFAULT, A, X, A, 3), A); /* none is left out */
	ck_assert_uint_eq(combine(REC_POLICY_DEFAULT, X, X, X, 3), N); /* none at all */
	ck_assert_uint_eq(combine(REC_POLICY_DEFAULT, A, A, A, 0), N);
}
END_TEST

START_TEST(any_policy)
{
	ck_assert_uint_eq(combine(REC_POLICY_ANY, N, I, A, 3), A);
	ck_assert_uint_eq(combine(REC_POLICY_ANY, N, I, X, 3), I);
	ck_assert_uint_eq(combine(REC_POLICY_ANY, N, N, X, 3), N);
	ck_assert_uint_eq(combine(REC_POLICY_ANY, X, X, X, 3), N);
}
END_TEST

START_TEST(all_policy)
{
	ck_assert_uint_eq(combine(REC_POLICY_ALL, A, A, A, 3), A);
	ck_assert_uint_eq(combine(REC_POLICY_ALL, A, A, X, 3), N); /* none counts as no access */
	ck_assert_uint_eq(combine(REC_POLICY_ALL, A, I, A, 3), I);
	ck_assert_uint_eq(combine(REC_POLICY_ALL, A, I, N, 3), N);
}
END_TEST

START_TEST(evaluation_is_the_worst)
{
	struct rec_input in[3] = {{A, IMV_EVAL_COMPLIANT}, {I, IMV_EVAL_NONCOMPLIANT_MAJOR},
	    {A, IMV_EVAL_NONCOMPLIANT_MINOR}}, out;
	rec_combine(REC_POLICY_DEFAULT, in, 3, &out);
	ck_assert_uint_eq(out.evaluation, IMV_EVAL_NONCOMPLIANT_MAJOR);
	in[1].evaluation = IMV_EVAL_ERROR;
	rec_combine(REC_POLICY_DEFAULT, in, 3, &out);
	ck_assert_uint_eq(out.evaluation, IMV_EVAL_ERROR);
	struct rec_input none = {X, IMV_EVAL_COMPLIANT};
	rec_combine(REC_POLICY_DEFAULT, &none, 1, &out);
	ck_assert_uint_eq(out.evaluation, IMV_EVAL_DONT_KNOW);
	/* the seeds: an IMV asked nothing says don't know, the others decide */
	struct rec_input seed[3] = {{A, IMV_EVAL_DONT_KNOW}, {A, IMV_EVAL_COMPLIANT},
	    {A, IMV_EVAL_COMPLIANT}};
	rec_combine(REC_POLICY_DEFAULT, seed, 3, &out);
	ck_assert_uint_eq(out.evaluation, IMV_EVAL_COMPLIANT);
	seed[1].evaluation = IMV_EVAL_DONT_KNOW;
	seed[2].evaluation = IMV_EVAL_DONT_KNOW;
	rec_combine(REC_POLICY_DEFAULT, seed, 3, &out);
	ck_assert_uint_eq(out.evaluation, IMV_EVAL_DONT_KNOW);
	ck_assert_int_eq(rec_policy_parse("all"), REC_POLICY_ALL);
	ck_assert_int_eq(rec_policy_parse("most"), -1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("recommendation");
	TCase *tc = tcase_create("policies");
	tcase_add_test(tc, default_policy);
	tcase_add_test(tc, any_policy);
	tcase_add_test(tc, all_policy);
	tcase_add_test(tc, evaluation_is_the_worst);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
