/* test_imv_segments.c - the IF-M layer every IMV shares (imv/): the
 * reassembly budget (per connection and per process), segmentation
 * contracts, the reassembly of one attribute with its reservation and
 * every way it is returned, the PA-TNC Error queue, and the OS IMV's
 * connection state on top of them. */
#include <stdlib.h>
#include <string.h>

#include "imv_budget.h"
#include "imv_contract.h"
#include "imv_errors.h"
#include "imv_msg.h"
#include "imv_reasm.h"
#include "os_state.h"
#include "testlib.h"

#define KiB 1024u
#define MiB (1024u * 1024u)

static void
setup(void)
{
	imv_budget_reset();
}

/* A Segment Envelope attribute (header and value) in buf. */
static struct pa_tnc_attr
envelope(uint8_t *buf, size_t size, uint8_t flags, uint32_t base_id, const uint8_t *seg,
    size_t len)
{
	struct wire_writer w;
	struct pa_segment_envelope env = {flags, base_id, {seg, len}};
	struct pa_tnc_attr a = {0, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, {NULL, 0}};

	wire_writer_init(&w, size);
	pa_segment_envelope_encode(&w, &env);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	memcpy(buf, w.buf, w.len);
	a.value = (struct bytes){buf, w.len};
	wire_writer_clear(&w);
	return a;
}

/* The first segment of an attribute of declared Length len (12-octet
 * header, IETF Installed Packages, then zeros up to seg_len octets). */
static uint8_t *
first_segment(uint32_t len, size_t seg_len)
{
	uint8_t *s = calloc(1, seg_len);
	ck_assert_ptr_nonnull(s);
	s[7] = PA_IETF_INSTALLED_PACKAGES;
	s[8] = (uint8_t)(len >> 24);
	s[9] = (uint8_t)(len >> 16);
	s[10] = (uint8_t)(len >> 8);
	s[11] = (uint8_t)len;
	return s;
}

/* Starts an attribute of declared Length len in *r: the envelope's result. */
static int
start(struct imv_reasm **r, uint32_t len, struct parse_error *pe)
{
	static uint8_t buf[64];
	uint8_t *seg = first_segment(len, 12);
	struct pa_tnc_attr a = envelope(buf, sizeof(buf),
	    PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE, 5, seg, 12);
	struct pa_tnc_attr whole;
	bool done = true;
	int err = imv_reasm_envelope(r, 1, 7, &a, &whole, &done, pe);
	if (err == 0)
		ck_assert(!done);
	free(seg);
	return err;
}

START_TEST(budget_keys)
{
	ck_assert_uint_eq(imv_budget_conn_max(), 4 * MiB);
	ck_assert_uint_eq(imv_budget_total_max(), 128 * MiB);
	ck_assert_ptr_null(imv_budget_set("reassembly_total_max", "33554432"));
	ck_assert_ptr_null(imv_budget_set("reassembly_conn_max", "1048576"));
	ck_assert_uint_eq(imv_budget_total_max(), 32 * MiB);
	ck_assert_uint_eq(imv_budget_conn_max(), 1 * MiB);
	ck_assert_str_eq(imv_budget_set("allowed_products", "x"), ""); /* not ours */
	ck_assert_str_ne(imv_budget_set("reassembly_conn_max", "65535"), "");
	ck_assert_str_ne(imv_budget_set("reassembly_conn_max", "1M"), "");
	ck_assert_str_ne(imv_budget_set("reassembly_total_max", "-1"), "");
	ck_assert_str_ne(imv_budget_set("reassembly_total_max", "536870913"), "");
	ck_assert_uint_eq(imv_budget_total_max(), 32 * MiB); /* refused: unchanged */
	/* the per-connection cap never exceeds the total */
	ck_assert_ptr_null(imv_budget_set("reassembly_conn_max", "67108864"));
	ck_assert_uint_eq(imv_budget_conn_max(), 32 * MiB);
}
END_TEST

START_TEST(budget_reserve_release)
{
	size_t a = 0, b = 0;

	ck_assert_int_eq(imv_budget_reserve(&a, 100 * MiB), 0);
	ck_assert_int_eq(imv_budget_reserve(&b, 28 * MiB), 0);
	ck_assert_uint_eq(imv_budget_used(), 128 * MiB);
	ck_assert_int_eq(imv_budget_reserve(&b, 1), TNC_ETOOLONG); /* past the total */
	ck_assert_uint_eq(b, 28 * MiB);
	imv_budget_release(&a);
	ck_assert_uint_eq(a, 0);
	ck_assert_uint_eq(imv_budget_used(), 28 * MiB);
	ck_assert_int_eq(imv_budget_reserve(&b, 1), 0);
	imv_budget_release(&b);
	imv_budget_release(&b); /* twice: nothing more */
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(reasm_reserves_declared_length_at_start)
{
	struct imv_reasm *r = NULL;
	struct parse_error pe;

	ck_assert_int_eq(start(&r, 3 * MiB, &pe), 0);
	ck_assert_ptr_nonnull(r);
	/* the whole Length, not the 12 octets received */
	ck_assert_uint_eq(imv_budget_used(), 3 * MiB);
	ck_assert_str_eq(imv_reasm_attr_name(r), "IETF/Installed Packages");
	ck_assert_uint_eq(imv_reasm_segments(r), 1);
	imv_reasm_free(r); /* the connection is deleted */
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(reasm_refuses_past_the_connection_cap)
{
	struct imv_reasm *r = NULL;
	struct parse_error pe;

	ck_assert_int_eq(start(&r, 4 * MiB + 1, &pe), TNC_ETOOLONG);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(pe.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(pe.offset, 4 + 8); /* the base attribute's Length */
	ck_assert_uint_eq(imv_budget_used(), 0);
	ck_assert_int_eq(start(&r, 4 * MiB, &pe), 0); /* the cap itself is fine */
	ck_assert_uint_eq(imv_budget_used(), 4 * MiB);
	imv_reasm_free(r);
	/* a configured cap */
	ck_assert_ptr_null(imv_budget_set("reassembly_conn_max", "1048576"));
	r = NULL;
	ck_assert_int_eq(start(&r, MiB + 1, &pe), TNC_ETOOLONG);
	ck_assert_int_eq(start(&r, MiB, &pe), 0);
	imv_reasm_free(r);
}
END_TEST

/* 8 endpoints hold the largest attribute one connection may: the others
 * still fit; the process total refuses only new attributes, alone. */
START_TEST(reasm_holders_cannot_starve_the_others)
{
	struct imv_reasm *held[32] = {NULL}, *other = NULL, *late = NULL;
	struct parse_error pe;

	for (int i = 0; i < 8; i++)
		ck_assert_int_eq(start(&held[i], 4 * MiB, &pe), 0);
	ck_assert_uint_eq(imv_budget_used(), 32 * MiB);
	ck_assert_int_eq(start(&other, 4 * MiB, &pe), 0);
	imv_reasm_free(other);
	other = NULL;
	/* fill the process budget: 32 attributes of 4 MiB */
	for (int i = 8; i < 32; i++)
		ck_assert_int_eq(start(&held[i], 4 * MiB, &pe), 0);
	ck_assert_int_eq(start(&late, 1 * MiB, &pe), TNC_ETOOLONG);
	ck_assert_ptr_null(late);
	ck_assert_uint_eq(pe.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(imv_budget_used(), 128 * MiB); /* the others keep theirs */
	for (int i = 0; i < 32; i++)
		imv_reasm_free(held[i]);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(reasm_complete_then_release)
{
	enum { LEN = 100000, SEG = 4000 };
	uint8_t *attr = first_segment(LEN, LEN), buf[SEG + 16];
	struct imv_reasm *r = NULL;
	struct pa_tnc_attr whole;
	struct parse_error pe;
	bool done = false;
	unsigned n = 0;

	for (size_t i = 12; i < LEN; i++)
		attr[i] = (uint8_t)i;
	for (size_t pos = 0; pos < LEN; pos += SEG, n++) {
		uint8_t flags = (pos == 0 ? PA_SEGMENT_FLAG_START : 0) |
		    (pos + SEG < LEN ? PA_SEGMENT_FLAG_MORE : 0);
		struct pa_tnc_attr a = envelope(buf, sizeof(buf), flags, 9, attr + pos, SEG);
		ck_assert(!done);
		ck_assert_int_eq(imv_reasm_envelope(&r, 1, 7, &a, &whole, &done, &pe), 0);
		ck_assert_uint_eq(imv_budget_used(), LEN);
	}
	ck_assert(done);
	ck_assert_uint_eq(n, LEN / SEG);
	ck_assert_uint_eq(whole.type, PA_IETF_INSTALLED_PACKAGES);
	ck_assert_uint_eq(whole.value.len, LEN - 12);
	ck_assert_mem_eq(whole.value.ptr, attr + 12, LEN - 12);
	imv_reasm_free(r); /* the caller is done with it */
	ck_assert_uint_eq(imv_budget_used(), 0);
	free(attr);
}
END_TEST

START_TEST(reasm_cancel_and_refusals_release)
{
	uint8_t buf[64], seg[12] = {0};
	struct imv_reasm *r = NULL;
	struct pa_tnc_attr whole, a;
	struct parse_error pe;
	bool done;

	/* Cancel Segment Exchange */
	ck_assert_int_eq(start(&r, 2 * MiB, &pe), 0);
	uint8_t cancel[4] = {0, 0, 0, 5};
	struct pa_tnc_attr c = {0, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL, {cancel, 4}};
	ck_assert_int_eq(imv_reasm_cancel(&r, 7, &c, &pe), 0);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(imv_budget_used(), 0);
	ck_assert_int_eq(imv_reasm_cancel(&r, 7, &c, &pe), 0); /* nothing in flight */
	c.value.len = 3;
	ck_assert_int_ne(imv_reasm_cancel(&r, 7, &c, &pe), 0); /* malformed */

	/* another Base Message ID */
	ck_assert_int_eq(start(&r, 2 * MiB, &pe), 0);
	a = envelope(buf, sizeof(buf), PA_SEGMENT_FLAG_MORE, 6, seg, sizeof(seg));
	ck_assert_int_ne(imv_reasm_envelope(&r, 1, 7, &a, &whole, &done, &pe), 0);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(imv_budget_used(), 0);

	/* START while one is open */
	ck_assert_int_eq(start(&r, 2 * MiB, &pe), 0);
	ck_assert_int_eq(start(&r, 1 * MiB, &pe), TNC_ESTATE);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(imv_budget_used(), 0);

	/* without START; a first segment shorter than a header; a Length below 12 */
	a = envelope(buf, sizeof(buf), PA_SEGMENT_FLAG_MORE, 5, seg, sizeof(seg));
	ck_assert_int_eq(imv_reasm_envelope(&r, 1, 7, &a, &whole, &done, &pe), TNC_ESTATE);
	a = envelope(buf, sizeof(buf), PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE, 5, seg, 11);
	ck_assert_int_eq(imv_reasm_envelope(&r, 1, 7, &a, &whole, &done, &pe), TNC_ETRUNCATED);
	ck_assert_int_ne(start(&r, 11, &pe), 0);
	ck_assert_ptr_null(r);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(contract_both_ways)
{
	struct imv_contract c;
	struct imv_msg m = {0};
	struct bytes msg;
	struct pa_tnc_msg parsed;
	struct pa_segment_contract sizes;
	struct parse_error pe;
	static const struct pa_tnc_limits lim = {1 << 20, 16, NULL, 0};

	imv_contract_init(&c, 2, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_SWIMA, 4096, 65466);
	ck_assert_uint_eq(c.own.max_msg_size, imv_budget_conn_max());
	ck_assert_uint_eq(c.own.max_seg_size, 4096 - IMV_SEGMENT_OVERHEAD);
	imv_contract_init(&c, 2, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_SWIMA, 1000000, 65466);
	ck_assert_uint_eq(c.own.max_seg_size, 65466);

	/* the IMC asks: answered in the next message, until one is out */
	uint8_t v[8] = {0, 0x10, 0, 0, 0, 0, 0x20, 0};
	struct pa_tnc_attr req = {0, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, {v, 8}};
	ck_assert_int_eq(imv_contract_received(&c, 7, &req, &pe), 0);
	ck_assert(c.asked && c.peer_known);
	ck_assert_uint_eq(c.peer.max_msg_size, 0x100000);
	ck_assert_uint_eq(c.peer.max_seg_size, 0x2000);
	imv_msg_begin(&m, 4096);
	imv_contract_answer(&c, &m, 7);
	imv_contract_ask(&c, &m);
	ck_assert_int_eq(imv_msg_finish(&m, &msg), 0);
	ck_assert_int_eq(pa_tnc_msg_parse(msg.ptr, msg.len, &lim, &parsed, &pe), 0);
	ck_assert_uint_eq(parsed.count, 2);
	ck_assert_uint_eq(parsed.attrs[0].type, PA_SEGMENT_CONTRACT_RESPONSE);
	ck_assert_uint_eq(parsed.attrs[1].type, PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_int_eq(pa_segment_contract_decode(parsed.attrs[0].value, &sizes, &pe), 0);
	ck_assert_uint_eq(sizes.max_msg_size, imv_budget_conn_max());
	pa_tnc_msg_clear(&parsed);
	imv_contract_answered(&c);
	imv_msg_begin(&m, 4096);
	imv_contract_answer(&c, &m, 7); /* answered: nothing */
	ck_assert_uint_eq(imv_msg_count(&m), 0);
	imv_msg_clear(&m);

	/* a response only records the IMC's sizes; a malformed one is refused */
	struct pa_tnc_attr resp = {0, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, {v, 8}};
	imv_contract_reset(&c);
	ck_assert_int_eq(imv_contract_received(&c, 7, &resp, &pe), 0);
	ck_assert(!c.asked && c.peer_known);
	resp.value.len = 7;
	ck_assert_int_ne(imv_contract_received(&c, 7, &resp, &pe), 0);
}
END_TEST

START_TEST(error_queue_is_bounded)
{
	struct imv_errors q = {0};
	struct imv_msg m = {0};
	struct pa_ietf_error e = {.vendor = PA_TNC_VENDOR_IETF,
	    .code = PA_TNC_ERROR_INVALID_PARAMETER};

	for (uint32_t i = 0; i < IMV_ERRORS_MAX + 3; i++) {
		e.offset = i;
		imv_errors_add(&q, &e);
	}
	ck_assert_uint_eq(q.n, IMV_ERRORS_MAX);
	ck_assert_uint_eq(q.e[IMV_ERRORS_MAX - 1].offset, IMV_ERRORS_MAX - 1); /* oldest kept */
	imv_msg_begin(&m, 4096);
	imv_errors_put(&q, &m);
	ck_assert_uint_eq(imv_msg_count(&m), IMV_ERRORS_MAX);
	imv_msg_clear(&m);
	imv_errors_clear(&q);
	ck_assert_uint_eq(q.n, 0);
}
END_TEST

/* The OS IMV's connection state on the layer: an endpoint above the cap
 * gets a PA-TNC Error and no access; deleting a connection that holds an
 * attribute returns its reservation.  Neither gets as far as tnc-policy:
 * its port fails the test when called. */
static int
no_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
{
	(void)ctx, (void)seq, (void)product, (void)device;
	ck_abort_msg("the OS IMV asked tnc-policy for workitems");
	return 0;
}

static int
no_packages(void *ctx, uint32_t seq, uint16_t count, struct bytes list)
{
	(void)ctx, (void)seq, (void)count, (void)list;
	ck_abort_msg("the OS IMV asked tnc-policy for package verdicts");
	return 0;
}

static int
no_result(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text)
{
	(void)ctx, (void)workitem, (void)rec, (void)text;
	ck_abort_msg("the OS IMV reported a workitem result");
	return 0;
}

START_TEST(os_state_over_the_cap_and_deleted)
{
	static const struct os_config cfg = {"", OS_SEGMENT_DEFAULT};
	static const struct os_policy_port port = {no_workitems, no_packages, no_result};
	struct imv_out out;
	uint8_t *seg = first_segment(16 * MiB, 12);
	struct pa_tnc_builder b;
	struct bytes msg;
	struct pa_segment_envelope env = {PA_SEGMENT_FLAG_START | PA_SEGMENT_FLAG_MORE, 1,
	    {seg, 12}};

	struct os_state *huge = os_state_new(&cfg, &port, NULL, 1, 65536);
	struct os_state *held = os_state_new(&cfg, &port, NULL, 2, 65536);
	pa_tnc_builder_init(&b, 1, 4096);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
	pa_segment_envelope_encode(&b.w, &env);
	pa_tnc_builder_end(&b);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &msg), 0);
	os_state_receive(huge, 3, msg.ptr, msg.len);
	ck_assert(huge->failed);
	ck_assert_ptr_null(huge->reasm);
	os_state_batch_ending(huge, &out);
	ck_assert(out.send && out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	pa_tnc_builder_clear(&b);

	/* 4 MiB: reserved in full, until the state is freed */
	seg[9] = 0x40;
	seg[8] = 0;
	pa_tnc_builder_init(&b, 2, 4096);
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE);
	pa_segment_envelope_encode(&b.w, &env);
	pa_tnc_builder_end(&b);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &msg), 0);
	os_state_receive(held, 3, msg.ptr, msg.len);
	ck_assert(!held->failed);
	ck_assert_ptr_nonnull(held->reasm);
	ck_assert_uint_eq(imv_budget_used(), 4 * MiB);
	os_state_free(held);
	ck_assert_uint_eq(imv_budget_used(), 0);
	os_state_free(huge);
	pa_tnc_builder_clear(&b);
	free(seg);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imv_segments");
	TCase *tc = tcase_create("ifm");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, budget_keys);
	tcase_add_test(tc, budget_reserve_release);
	tcase_add_test(tc, reasm_reserves_declared_length_at_start);
	tcase_add_test(tc, reasm_refuses_past_the_connection_cap);
	tcase_add_test(tc, reasm_holders_cannot_starve_the_others);
	tcase_add_test(tc, reasm_complete_then_release);
	tcase_add_test(tc, reasm_cancel_and_refusals_release);
	tcase_add_test(tc, contract_both_ways);
	tcase_add_test(tc, error_queue_is_bounded);
	tcase_add_test(tc, os_state_over_the_cap_and_deleted);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
