/* test_imc_common.c - what tncclient's three IMCs share: the message queue
 * (imc_msgq.h), the answer being built (imc_reply.h), the receiving of a
 * PA message (imc_receive.h) and the IMC's side of TCG IF-M Segmentation
 * (imc_segments.h).
 *
 * Checked: the queue's order, EXCL flags, one-at-a-time and all-at-once
 * taking; a reply of one message, refused whole past its size, and a
 * spilling reply cut into messages of at most its size (an attribute
 * larger alone in its own); a contract clamped to our segment size limit,
 * answered and forgotten; an attribute cut into segments, handed out on
 * Next Segment, reassembled equal, its exchange gone after the last; Next
 * Segment of an unknown ID refused with Invalid Parameter; the attributes
 * handled in order, or contract requests first; an ignored attribute
 * skipped; a malformed value answered with a PA-TNC Error that stops the
 * message; the EXCL addressing of a PA message; an IMV's assessment and
 * remediation going to the outcome (or only logged), an unknown
 * remediation type described, a malformed result refused. */
#include <stdlib.h>
#include <string.h>

#include "imc_ietf.h"
#include "imc_msgq.h"
#include "imc_receive.h"
#include "imc_reply.h"
#include "imc_segments.h"
#include "log.h"
#include "outcome.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "pb_tnc.h"
#include "testlib.h"

#define IMV 7
#define TEST_TYPE 0x77 /* an IETF type no IMC sends, for made-up attributes */

static void
setup(void)
{
	log_set_all_levels(-1);
}

/* The queued message m, parsed; its attribute count. */
static size_t
parse(const struct imc_msg *m, struct pa_tnc_msg *ret)
{
	struct pa_tnc_limits lim = {1u << 24, 64, NULL, 0};
	struct parse_error pe;

	ck_assert_int_eq(pa_tnc_msg_parse(m->data, m->len, &lim, ret, &pe), 0);
	return ret->count;
}

static void
add_filler(struct imc_reply *r, size_t len)
{
	uint8_t value[256];

	ck_assert_uint_le(len, sizeof(value));
	memset(value, 0x5a, len);
	imc_reply_add(r, PA_TNC_VENDOR_IETF, TEST_TYPE, (struct bytes){value, len});
}

START_TEST(queue_order_and_flags)
{
	struct imc_msgq q;
	static const uint8_t one[] = {1}, two[] = {2, 2}, three[] = {3, 3, 3};

	imc_msgq_init(&q);
	ck_assert_ptr_null(imc_msgq_take_one(&q));
	imc_msgq_push(&q, (struct bytes){one, sizeof(one)}, PB_PA_ID_ANY);
	imc_msgq_push(&q, (struct bytes){two, sizeof(two)}, IMV);
	imc_msgq_push(&q, (struct bytes){three, sizeof(three)}, IMV);

	struct imc_msg *m = imc_msgq_take_one(&q);
	ck_assert_uint_eq(m->len, 1);
	ck_assert_uint_eq(m->flags, 0);
	ck_assert_uint_eq(m->validator_id, PB_PA_ID_ANY);
	ck_assert_ptr_null(m->next);
	free(m);
	m = imc_msgq_take_all(&q);
	ck_assert_uint_eq(m->len, 2);
	ck_assert_uint_eq(m->flags, PB_PA_FLAG_EXCL);
	ck_assert_uint_eq(m->validator_id, IMV);
	ck_assert_uint_eq(m->next->len, 3);
	ck_assert_int_eq(memcmp(m->next->data, three, 3), 0);
	ck_assert_ptr_null(m->next->next);
	free(m->next);
	free(m);
	ck_assert_ptr_null(imc_msgq_take_all(&q));

	/* pushing after taking all appends to the empty queue */
	imc_msgq_push(&q, (struct bytes){one, sizeof(one)}, IMV);
	imc_msgq_push(&q, (struct bytes){two, sizeof(two)}, IMV);
	imc_msgq_drop(&q);
	ck_assert_ptr_null(imc_msgq_take_one(&q));
}
END_TEST

START_TEST(reply_one_message)
{
	struct imc_msgq q;
	struct imc_reply r;
	struct pa_tnc_msg m;

	imc_msgq_init(&q);
	imc_reply_init(&r, &q, IMV, 100);
	ck_assert(!imc_reply_send(&r)); /* nothing added: nothing sent */
	add_filler(&r, 20);
	add_filler(&r, 20);
	ck_assert(imc_reply_send(&r));
	struct imc_msg *one = imc_msgq_take_all(&q);
	ck_assert_ptr_nonnull(one);
	ck_assert_ptr_null(one->next);
	ck_assert_uint_eq(one->flags, PB_PA_FLAG_EXCL);
	ck_assert_uint_eq(parse(one, &m), 2);
	ck_assert_uint_eq(m.attrs[1].type, TEST_TYPE);
	ck_assert_uint_eq(m.attrs[1].value.len, 20);
	pa_tnc_msg_clear(&m);
	free(one);

	/* 8 + 4 * (12 + 20) octets: over 100, the message is refused whole */
	for (int i = 0; i < 4; i++)
		add_filler(&r, 20);
	ck_assert(imc_reply_send(&r));
	ck_assert_ptr_null(imc_msgq_take_all(&q));
}
END_TEST

START_TEST(reply_spills)
{
	struct imc_msgq q;
	struct imc_reply r;
	struct pa_tnc_msg m;

	imc_msgq_init(&q);
	imc_reply_init(&r, &q, IMV, 100);
	r.spill = true;
	/* a header of 8 and 3 attributes of 12 + 16 octets fit in 100 (92); a
	 * fourth starts a new message */
	for (int i = 0; i < 4; i++)
		add_filler(&r, 16);
	add_filler(&r, 200); /* alone, larger than 100 */
	add_filler(&r, 16);
	ck_assert(imc_reply_send(&r));
	size_t counts[4], n = 0;
	for (struct imc_msg *msg = imc_msgq_take_one(&q); msg; msg = imc_msgq_take_one(&q)) {
		ck_assert_uint_lt(n, 4);
		counts[n++] = parse(msg, &m);
		if (n == 3)
			ck_assert_uint_eq(m.attrs[0].value.len, 200);
		else
			ck_assert_uint_le(msg->len, 100);
		pa_tnc_msg_clear(&m);
		free(msg);
	}
	ck_assert_uint_eq(n, 4);
	ck_assert_uint_eq(counts[0], 3);
	ck_assert_uint_eq(counts[1], 1);
	ck_assert_uint_eq(counts[2], 1);
	ck_assert_uint_eq(counts[3], 1);
}
END_TEST

START_TEST(segments)
{
	struct imc_msgq q;
	struct imc_reply r;
	struct imc_segments s;
	struct pa_tnc_msg m;
	struct parse_error pe;
	struct pa_segment_contract c;
	uint8_t value[8], attr[1000];
	struct wire_writer w;

	imc_msgq_init(&q);
	imc_segments_init(&s);
	ck_assert_ptr_null(imc_segments_contract(&s, IMV));

	/* a contract: our segment size limit applies */
	wire_writer_init(&w, sizeof(value));
	pa_segment_contract_encode(&w, &(struct pa_segment_contract){PA_SEGMENT_NO_LIMIT,
	    0x7fffffffu});
	ck_assert_int_eq(wire_writer_status(&w), 0);
	memcpy(value, w.buf, sizeof(value));
	wire_writer_clear(&w);
	imc_reply_init(&r, &q, IMV, 1 << 20);
	ck_assert_int_eq(imc_segments_on_contract(&s, 1, &r, (struct bytes){value, 8}, &pe), 0);
	ck_assert(imc_reply_send(&r));
	struct imc_msg *msg = imc_msgq_take_all(&q);
	ck_assert_uint_eq(parse(msg, &m), 1);
	ck_assert_uint_eq(m.attrs[0].type, PA_SEGMENT_CONTRACT_RESPONSE);
	ck_assert_int_eq(pa_segment_contract_decode(m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_msg_size, PA_SEGMENT_NO_LIMIT);
	ck_assert_uint_eq(c.max_seg_size, IMC_SEGMENTS_OWN_MAX_SEG);
	pa_tnc_msg_clear(&m);
	free(msg);
	ck_assert_uint_eq(imc_segments_contract(&s, IMV)->max_seg_size, IMC_SEGMENTS_OWN_MAX_SEG);
	ck_assert_ptr_null(imc_segments_contract(&s, IMV + 1));

	/* a 1000-octet attribute in segments of 300 */
	for (size_t i = 0; i < sizeof(attr); i++)
		attr[i] = (uint8_t)(i * 7);
	attr[0] = 0, attr[1] = 0, attr[2] = 0, attr[3] = 0; /* flags, IETF */
	attr[4] = 0, attr[5] = 0, attr[6] = 0, attr[7] = TEST_TYPE;
	attr[8] = 0, attr[9] = 0, attr[10] = 1000 >> 8, attr[11] = 1000 & 0xff;
	uint32_t id = imc_segments_start(&s, IMV, (struct bytes){attr, sizeof(attr)}, 300);
	ck_assert_uint_eq(id, 1);
	struct pa_segment_reasm *re = pa_segment_reasm_new(4096);
	bool done = false;
	unsigned n = 0;
	uint8_t next[4] = {0, 0, 0, 1}; /* flags, Base Message ID 1 */
	imc_reply_init(&r, &q, IMV, 1 << 20);
	imc_segments_send(&s, &r, id);
	while (!done) {
		struct pa_segment_envelope env;
		ck_assert(imc_reply_send(&r));
		msg = imc_msgq_take_all(&q);
		ck_assert_uint_eq(parse(msg, &m), 1);
		ck_assert_uint_eq(m.attrs[0].type, PA_SEGMENT_ENVELOPE);
		ck_assert_int_eq(pa_segment_envelope_decode(m.attrs[0].value, &env, &pe), 0);
		ck_assert_uint_eq(env.base_msg_id, id);
		ck_assert_uint_le(env.segment.len, 300);
		ck_assert_int_eq(pa_segment_reasm_feed(re, &env, &done, &pe), 0);
		ck_assert_uint_eq(!!(env.flags & PA_SEGMENT_FLAG_MORE), !done);
		pa_tnc_msg_clear(&m);
		free(msg);
		n++;
		if (!done)
			ck_assert_int_eq(imc_segments_on_next(&s, &r, (struct bytes){next, 4}, &pe), 0);
	}
	ck_assert_uint_eq(n, 4); /* 300 + 300 + 300 + 100 */
	struct pa_tnc_attr whole;
	ck_assert_int_eq(pa_segment_reasm_attr(re, &whole), 0);
	ck_assert_uint_eq(whole.type, TEST_TYPE);
	ck_assert_uint_eq(whole.value.len, sizeof(attr) - PA_TNC_ATTR_HEADER_LEN);
	ck_assert_int_eq(memcmp(whole.value.ptr, attr + PA_TNC_ATTR_HEADER_LEN,
	    whole.value.len), 0);
	pa_segment_reasm_free(re);

	/* after the last segment the exchange is gone */
	ck_assert_int_eq(imc_segments_on_next(&s, &r, (struct bytes){next, 4}, &pe),
	    TNC_ENOTFOUND);
	ck_assert_uint_eq(pe.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(pe.offset, 1);
	/* a cancel of an unknown exchange is no error */
	ck_assert_int_eq(imc_segments_on_cancel(&s, &r, (struct bytes){next, 4}, &pe), 0);
	/* a cancelled exchange sends nothing more */
	ck_assert_uint_eq(imc_segments_start(&s, IMV, (struct bytes){attr, sizeof(attr)}, 300), 2);
	next[3] = 2;
	ck_assert_int_eq(imc_segments_on_cancel(&s, &r, (struct bytes){next, 4}, &pe), 0);
	ck_assert_int_eq(imc_segments_on_next(&s, &r, (struct bytes){next, 4}, &pe),
	    TNC_ENOTFOUND);
	ck_assert(!imc_reply_send(&r));
	/* segments too small for the attribute header: not cut */
	ck_assert_uint_eq(imc_segments_start(&s, IMV, (struct bytes){attr, sizeof(attr)}, 8), 0);

	imc_segments_forget(&s);
	ck_assert_ptr_null(imc_segments_contract(&s, IMV));
}
END_TEST

/* The order in which a test receiver's handler saw the attributes. */
struct seen {
	uint32_t types[8];
	size_t n;
};

static int
record(void *ctx, const struct pa_tnc_attr *a, struct parse_error *pe)
{
	struct seen *s = ctx;

	s->types[s->n++] = a->type;
	if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_ASSESSMENT_RESULT)
		return IMC_ATTR_IGNORED;
	if (a->value.len == 1) /* the made-up malformed value */
		return parse_fail(pe, TNC_EINVALID, PA_TNC_ERROR_INVALID_PARAMETER, 0, "test");
	return 0;
}

/* A message to the test receiver: test attributes of the value lengths in
 * lens (0: a contract request; 1: malformed; 5: ignored). */
static void
receive(bool contracts_first, const size_t *lens, size_t n, struct seen *seen,
    struct imc_msgq *q)
{
	struct imc_receiver rx = {9, "test", {1 << 20, 64, NULL, 0}, contracts_first, record};
	struct pa_tnc_builder b;
	struct bytes body;
	uint8_t value[16] = {0};
	struct imc_reply r;

	pa_tnc_builder_init(&b, 1, 1 << 20);
	for (size_t i = 0; i < n; i++) {
		if (lens[i] == 0)
			pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST,
			    (struct bytes){value, 8});
		else if (lens[i] == 5)
			pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT,
			    (struct bytes){value, 4});
		else
			pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_IETF, TEST_TYPE + (uint32_t)i,
			    (struct bytes){value, lens[i]});
	}
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &body), 0);
	struct pb_pa pa = {0, PB_VENDOR_IETF, 1, 9, IMV, body};
	memset(seen, 0, sizeof(*seen));
	imc_reply_init(&r, q, IMV, 1 << 20);
	imc_receive(&rx, seen, &r, &pa);
	pa_tnc_builder_clear(&b);
}

START_TEST(receive_order)
{
	static const size_t lens[] = {4, 0, 4, 5, 4};
	struct imc_msgq q;
	struct seen seen;

	imc_msgq_init(&q);
	receive(false, lens, 5, &seen, &q);
	ck_assert_uint_eq(seen.n, 5);
	ck_assert_uint_eq(seen.types[0], TEST_TYPE);
	ck_assert_uint_eq(seen.types[1], PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_uint_eq(seen.types[2], TEST_TYPE + 2);
	ck_assert_uint_eq(seen.types[3], PA_IETF_ASSESSMENT_RESULT);
	ck_assert_uint_eq(seen.types[4], TEST_TYPE + 4);
	ck_assert_ptr_null(imc_msgq_take_all(&q)); /* no handler added anything */

	receive(true, lens, 5, &seen, &q);
	ck_assert_uint_eq(seen.n, 5);
	ck_assert_uint_eq(seen.types[0], PA_SEGMENT_CONTRACT_REQUEST);
	ck_assert_uint_eq(seen.types[1], TEST_TYPE);
	ck_assert_uint_eq(seen.types[2], TEST_TYPE + 2);
	ck_assert_uint_eq(seen.types[4], TEST_TYPE + 4);
}
END_TEST

START_TEST(receive_malformed_value)
{
	static const size_t lens[] = {4, 1, 4};
	struct imc_msgq q;
	struct seen seen;
	struct pa_tnc_msg m;
	struct pa_ietf_error e;
	struct parse_error pe;

	imc_msgq_init(&q);
	receive(false, lens, 3, &seen, &q);
	ck_assert_uint_eq(seen.n, 2); /* the third is not processed */
	struct imc_msg *msg = imc_msgq_take_all(&q);
	ck_assert_ptr_nonnull(msg);
	ck_assert_uint_eq(msg->validator_id, IMV);
	ck_assert_uint_eq(parse(msg, &m), 1);
	ck_assert_uint_eq(m.attrs[0].type, PA_IETF_PA_TNC_ERROR);
	ck_assert_int_eq(pa_ietf_error_decode(m.attrs[0].value, &e, &pe), 0);
	ck_assert_uint_eq(e.vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	/* the second attribute's value: after the header, one attribute of
	 * 4 octets and the second's header */
	ck_assert_uint_eq(e.offset, PA_TNC_HEADER_LEN + 2 * PA_TNC_ATTR_HEADER_LEN + 4);
	pa_tnc_msg_clear(&m);
	free(msg);
}
END_TEST

START_TEST(wants)
{
	struct pb_pa pa = {0, PB_VENDOR_IETF, 9, 2, IMV, {NULL, 0}};

	ck_assert(imc_receive_wants(&pa, PB_VENDOR_IETF, 9, 3));
	pa.flags = PB_PA_FLAG_EXCL;
	ck_assert(!imc_receive_wants(&pa, PB_VENDOR_IETF, 9, 3));
	ck_assert(imc_receive_wants(&pa, PB_VENDOR_IETF, 9, 2));
	ck_assert(!imc_receive_wants(&pa, PB_VENDOR_IETF, 1, 2));
	ck_assert(!imc_receive_wants(&pa, PB_VENDOR_TCG, 9, 2));
}
END_TEST

/* The attribute of vendor IETF and type with the value w holds. */
static struct pa_tnc_attr
ietf_attr(uint32_t type, struct wire_writer *w)
{
	ck_assert_int_eq(wire_writer_status(w), 0);
	return (struct pa_tnc_attr){.vendor = PA_TNC_VENDOR_IETF, .type = type,
	    .value = {w->buf, w->len}};
}

START_TEST(ietf_attrs)
{
	struct outcome out;
	struct wire_writer w;
	struct parse_error pe;
	struct pa_tnc_attr a;
	static const uint8_t text[] = "update now";

	outcome_init(&out);
	wire_writer_init(&w, 64);
	pa_ietf_assessment_result_encode(&w, PA_IETF_ASSESSMENT_MINOR_NON_COMPLIANCE);
	a = ietf_attr(PA_IETF_ASSESSMENT_RESULT, &w);
	ck_assert_int_eq(imc_ietf_handle(&a, IMV, NULL, &pe), 0);
	ck_assert_uint_eq(out.count, 0);
	ck_assert_int_eq(imc_ietf_handle(&a, IMV, &out, &pe), 0);
	ck_assert_uint_eq(out.count, 1);
	ck_assert_uint_eq(out.items[0].kind, OUTCOME_IMV_ASSESSMENT);
	ck_assert_uint_eq(out.items[0].imv, IMV);
	ck_assert_uint_eq(out.items[0].value, PA_IETF_ASSESSMENT_MINOR_NON_COMPLIANCE);
	a.value.len = 3; /* malformed */
	ck_assert_int_ne(imc_ietf_handle(&a, IMV, &out, &pe), 0);
	ck_assert_uint_eq(out.count, 1);
	wire_writer_clear(&w);

	wire_writer_init(&w, 64);
	pa_ietf_remediation_encode(&w, &(struct pa_ietf_remediation){.vendor = PA_TNC_VENDOR_IETF,
	    .type = PA_IETF_REMEDIATION_URI, .text = {text, sizeof(text) - 1}});
	a = ietf_attr(PA_IETF_REMEDIATION_INSTRUCTIONS, &w);
	ck_assert_int_eq(imc_ietf_handle(&a, IMV, &out, &pe), 0);
	ck_assert_uint_eq(out.items[1].kind, OUTCOME_IMV_REMEDIATION);
	ck_assert_str_eq(out.items[1].text, "update now");
	wire_writer_clear(&w);
	/* another vendor's parameters are described, not shown */
	wire_writer_init(&w, 64);
	pa_ietf_remediation_encode(&w, &(struct pa_ietf_remediation){.vendor = 0x5597,
	    .type = 1, .params = {text, 4}});
	a = ietf_attr(PA_IETF_REMEDIATION_INSTRUCTIONS, &w);
	ck_assert_int_eq(imc_ietf_handle(&a, IMV, &out, &pe), 0);
	ck_assert_uint_eq(out.count, 3);
	ck_assert_str_eq(out.items[2].text, "of vendor 0x005597 type 1 (4 bytes, not shown)");
	wire_writer_clear(&w);

	/* what is not theirs */
	a = (struct pa_tnc_attr){.vendor = PA_TNC_VENDOR_IETF, .type = PA_IETF_ATTRIBUTE_REQUEST};
	ck_assert_int_eq(imc_ietf_handle(&a, IMV, &out, &pe), IMC_ATTR_IGNORED);
	a.vendor = PA_TNC_VENDOR_TCG;
	a.type = PA_IETF_ASSESSMENT_RESULT;
	ck_assert_int_eq(imc_ietf_handle(&a, IMV, &out, &pe), IMC_ATTR_IGNORED);
	outcome_clear(&out);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("imc_common");
	TCase *tc = tcase_create("imc_common");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, queue_order_and_flags);
	tcase_add_test(tc, reply_one_message);
	tcase_add_test(tc, reply_spills);
	tcase_add_test(tc, segments);
	tcase_add_test(tc, receive_order);
	tcase_add_test(tc, receive_malformed_value);
	tcase_add_test(tc, wants);
	tcase_add_test(tc, ietf_attrs);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
