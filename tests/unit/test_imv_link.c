/* test_imv_link.c - a connection's IF-M exchange as every IMV has it
 * (imv/imv_link.h): a message goes out only with an attribute, exclusively
 * to a known IMC, carrying what is owed; a malformed message keeps the
 * first failure's text and owes Invalid Parameter; and the taking apart of
 * a received message (imv/imv_rx.h): handlers by type, unknown attributes
 * skipped, a refused value failing the connection at its offset, a
 * message that does not parse failing it, an unsupported version only
 * answered. */
#include <stdio.h>
#include <string.h>

#include "imv_link.h"
#include "imv_rx.h"
#include "pa_ietf.h"
#include "testlib.h"

#define IMV 9
#define CONN 5

static struct imv_link link;

static void
setup(void)
{
	memset(&link, 0, sizeof(link));
	imv_link_init(&link, IMV, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM, CONN,
	    65536, 65466);
}

static void
teardown(void)
{
	imv_link_clear(&link);
}

START_TEST(finish_sends_only_with_an_attribute)
{
	struct imv_out out = {0};

	imv_link_begin(&link);
	ck_assert_int_eq(imv_link_finish(&link, &out), 0);
	ck_assert(!out.send);
	imv_link_assessment(&link, &out, PA_IETF_ASSESSMENT_COMPLIANT);
	ck_assert(out.send);
	ck_assert(!out.excl); /* no IMC known yet: to any */
	ck_assert_uint_eq(out.imc_id, IMV_ID_ANY);
	ck_assert_uint_gt(out.msg.len, PA_TNC_HEADER_LEN);

	memset(&out, 0, sizeof(out));
	link.imc_id = 3;
	imv_link_assessment(&link, &out, PA_IETF_ASSESSMENT_ERROR);
	ck_assert(out.send);
	ck_assert(out.excl);
	ck_assert_uint_eq(out.imc_id, 3);
}
END_TEST

START_TEST(malformed_keeps_the_first_failure_and_owes_an_error)
{
	struct parse_error pe = {12, PA_TNC_ERROR_INVALID_PARAMETER, "too short"};
	uint8_t msg[32] = {PA_TNC_VERSION};
	char failure[64] = "";
	struct imv_out out = {0};

	link.imc_id = 3;
	imv_link_flush(&link, &out);
	ck_assert(!out.send); /* nothing owed */
	imv_link_malformed(&link, msg, sizeof(msg), &pe, "malformed X attribute", true, failure,
	    sizeof(failure));
	ck_assert_str_eq(failure, "malformed X attribute from IMC 3 at offset 12");
	ck_assert_uint_eq(link.errors.n, 1);
	pe.offset = 20;
	imv_link_malformed(&link, msg, sizeof(msg), &pe, "malformed PA-TNC Error attribute", false,
	    failure, sizeof(failure));
	ck_assert_str_eq(failure, "malformed X attribute from IMC 3 at offset 12");
	ck_assert_uint_eq(link.errors.n, 1); /* errors are not answered with errors */

	imv_link_flush(&link, &out);
	ck_assert(out.send);
	ck_assert_uint_eq(link.errors.n, 0); /* delivered */
}
END_TEST

START_TEST(recommend_fills_out)
{
	struct imv_out out = {0};
	imv_link_recommend(&link, &out, IMV_REC_ISOLATE, IMV_EVAL_NONCOMPLIANT_MAJOR, "why");
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_str_eq(out.reason, "why");
}
END_TEST

/* --- imv_rx --- */

static struct {
	unsigned products, fails;
	bool tell_imc;
	uint32_t offset;
	char what[200];
} seen;

static int
on_product(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	seen.products++;
	return seen.products > 1 ? imv_rx_refuse(rx, a, "a second product") : 0;
}

static void
rx_fail(void *st, const uint8_t *msg, size_t len, const struct parse_error *pe, const char *what,
    bool tell_imc)
{
	ck_assert_ptr_eq(st, &seen);
	seen.fails++;
	seen.tell_imc = tell_imc;
	seen.offset = pe->offset;
	snprintf(seen.what, sizeof(seen.what), "%s", what);
}

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION},
};
static const struct pa_tnc_limits limits = {
	.max_msg_len = 65536, .max_attrs = 16, .supported = supported, .n_supported = 1,
};
static const struct imv_rx_handler handlers[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION, on_product},
};
static const struct imv_rx_ops ops = {
	.imv_id = IMV, .limits = &limits, .handlers = handlers, .n_handlers = 1, .fail = rx_fail,
};

/* A message of n Product Information attributes after a Numeric Version. */
static struct bytes
message(struct pa_tnc_builder *b, unsigned n)
{
	struct pa_ietf_numeric_version v = {12, 0, 0, 0, 0};
	struct pa_ietf_product_info p = {9586, 0, {(const uint8_t *)"Debian", 6}};
	struct bytes msg;

	pa_tnc_builder_init(b, 1, 65536);
	pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION);
	pa_ietf_numeric_version_encode(&b->w, &v);
	pa_tnc_builder_end(b);
	for (unsigned i = 0; i < n; i++) {
		pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
		pa_ietf_product_info_encode(&b->w, &p);
		pa_tnc_builder_end(b);
	}
	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	return msg;
}

START_TEST(rx_dispatches_and_refuses_at_the_value)
{
	struct imv_reasm *reasm = NULL;
	struct pa_tnc_builder b;

	memset(&seen, 0, sizeof(seen));
	struct bytes m = message(&b, 1);
	imv_rx_process(&ops, &seen, &link, &reasm, m.ptr, m.len);
	pa_tnc_builder_clear(&b);
	ck_assert_uint_eq(seen.products, 1); /* the Numeric Version skipped */
	ck_assert_uint_eq(seen.fails, 0);

	memset(&seen, 0, sizeof(seen));
	m = message(&b, 3);
	imv_rx_process(&ops, &seen, &link, &reasm, m.ptr, m.len);
	ck_assert_uint_eq(seen.products, 2); /* the rest not looked at */
	ck_assert_uint_eq(seen.fails, 1);
	ck_assert(seen.tell_imc);
	ck_assert_ptr_nonnull(strstr(seen.what, "refused "));
	ck_assert_ptr_nonnull(strstr(seen.what, "Product Information attribute: a second product"));
	/* header, Numeric Version (12 + 16), Product Information (12 + 5 + 6), header */
	ck_assert_uint_eq(seen.offset, PA_TNC_HEADER_LEN + 28 + 23 + PA_TNC_ATTR_HEADER_LEN);
	pa_tnc_builder_clear(&b);
}
END_TEST

START_TEST(rx_message_that_does_not_parse)
{
	struct imv_reasm *reasm = NULL;
	struct pa_tnc_builder b;

	memset(&seen, 0, sizeof(seen));
	struct bytes m = message(&b, 1);
	imv_rx_process(&ops, &seen, &link, &reasm, m.ptr, m.len - 1);
	ck_assert_uint_eq(seen.fails, 1);
	ck_assert(seen.tell_imc);
	ck_assert_str_eq(seen.what, "malformed PA-TNC message");
	ck_assert_uint_eq(seen.products, 0);

	/* another PA-TNC version: ignored and answered, the connection goes on */
	memset(&seen, 0, sizeof(seen));
	uint8_t v2[64];
	memcpy(v2, m.ptr, m.len);
	v2[0] = PA_TNC_VERSION + 1;
	imv_rx_process(&ops, &seen, &link, &reasm, v2, m.len);
	pa_tnc_builder_clear(&b);
	ck_assert_uint_eq(seen.fails, 0);
	ck_assert_uint_eq(seen.products, 0);
	ck_assert_uint_eq(link.errors.n, 1);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imv_link");
	TCase *tc = tcase_create("link");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, finish_sends_only_with_an_attribute);
	tcase_add_test(tc, malformed_keeps_the_first_failure_and_owes_an_error);
	tcase_add_test(tc, recommend_fills_out);
	tcase_add_test(tc, rx_dispatches_and_refuses_at_the_value);
	tcase_add_test(tc, rx_message_that_does_not_parse);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
