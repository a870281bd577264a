/* test_pb_tnc.c - PB-TNC (RFC 5793) batches: the seed batch decodes field by
 * field and re-encodes to the same octets; the strongSwan session and the
 * jtnc vectors decode as their .expected files say (jtnc only where it
 * agrees with RFC 5793); every message type round-trips; malformed batches
 * give the RFC 5793 error code and the exact PB-Error offset. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pb_tnc.h"
#include "testlib.h"

#define MAX_BATCH (1u << 20)

static const struct pb_limits to_server = {MAX_BATCH, 64, PB_DIR_TO_SERVER};
static const struct pb_limits to_client = {MAX_BATCH, 64, PB_DIR_TO_CLIENT};
static const struct pb_limits any_dir = {MAX_BATCH, 64, PB_DIR_ANY};

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static struct bytes
BN(const void *p, size_t n)
{
	return (struct bytes){p, n};
}

static void
assert_bytes(struct bytes b, const void *p, size_t n)
{
	ck_assert_uint_eq(b.len, n);
	if (n)
		ck_assert_mem_eq(b.ptr, p, n);
}

/* Expects pb_batch_parse() to fail with err, RFC 5793 code and offset. */
static void
assert_fails(const uint8_t *buf, size_t len, const struct pb_limits *lim, int err,
    uint32_t code, uint32_t offset)
{
	struct pb_batch b;
	struct parse_error e;

	memset(&b, 0xa5, sizeof(b));
	ck_assert_int_eq(pb_batch_parse(buf, len, lim, &b, &e), err);
	ck_assert_msg(e.code == code && e.offset == offset,
	    "want code %u offset %u, got code %u offset %u (%s)", code, offset, e.code,
	    e.offset, e.reason);
	ck_assert_ptr_nonnull(e.reason);
	/* Outputs are written only on success. */
	ck_assert_uint_eq(b.count, (size_t)0xa5a5a5a5a5a5a5a5ull);
}

/* A finished batch copied into a heap buffer the test may mutate. */
static uint8_t *
finish_copy(struct pb_builder *pb, size_t *ret_len)
{
	struct bytes out;
	ck_assert_int_eq(pb_builder_finish(pb, &out), 0);
	uint8_t *copy = malloc(out.len);
	memcpy(copy, out.ptr, out.len);
	*ret_len = out.len;
	pb_builder_clear(pb);
	return copy;
}

/* The batch re-encoded from its parsed messages. */
static void
reencode(const struct pb_batch *b, struct pb_builder *pb)
{
	pb_builder_init(pb, b->dir, b->type, MAX_BATCH);
	for (size_t i = 0; i < b->count; i++)
		pb_builder_add(pb, &b->msgs[i]);
}

START_TEST(seed_cdata_105)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("seed/pb-tnc-cdata-105.bin", &len);
	struct pb_batch b;
	struct parse_error e;

	ck_assert_uint_eq(len, 105);
	ck_assert_int_eq(pb_batch_parse(buf, len, &to_server, &b, &e), 0);
	ck_assert_uint_eq(b.version, 2);
	ck_assert_uint_eq(b.dir, PB_DIR_TO_SERVER);
	ck_assert_uint_eq(b.type, PB_BATCH_CDATA);
	ck_assert_uint_eq(b.length, 105);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_uint_eq(b.skipped, 0);

	const struct pb_msg *lp = &b.msgs[0];
	ck_assert_uint_eq(lp->offset, 8);
	ck_assert_uint_eq(lp->flags, 0);
	ck_assert_uint_eq(lp->vendor, PB_VENDOR_IETF);
	ck_assert_uint_eq(lp->type, PB_MSG_LANGUAGE_PREFERENCE);
	ck_assert_uint_eq(lp->value.len + PB_MSG_HEADER_LEN, 31);
	ck_assert(bytes_eq_str(lp->u.language_preference, "Accept-Language: en"));

	const struct pb_msg *pa = &b.msgs[1];
	ck_assert_uint_eq(pa->offset, 39);
	ck_assert_uint_eq(pa->flags, PB_MSG_FLAG_NOSKIP);
	ck_assert_uint_eq(pa->vendor, PB_VENDOR_IETF);
	ck_assert_uint_eq(pa->type, PB_MSG_PA);
	ck_assert_uint_eq(pa->value.len + PB_MSG_HEADER_LEN, 66);
	ck_assert_uint_eq(pa->u.pa.flags, 0);
	ck_assert_uint_eq(pa->u.pa.vendor, 0x005597);
	ck_assert_uint_eq(pa->u.pa.subtype, 1);
	ck_assert_uint_eq(pa->u.pa.collector_id, 1);
	ck_assert_uint_eq(pa->u.pa.validator_id, 0xffff);
	/* The PA-TNC message: 66 - 24 octets at batch offset 63, version 1,
	 * message ID 0x569e528e, ending in "Ubuntu 11.10 i686". */
	ck_assert_uint_eq(pa->u.pa.body.len, 42);
	ck_assert_ptr_eq(pa->u.pa.body.ptr, buf + 63);
	static const uint8_t pa_head[] = {0x01, 0, 0, 0, 0x56, 0x9e, 0x52, 0x8e};
	ck_assert_mem_eq(pa->u.pa.body.ptr, pa_head, sizeof(pa_head));
	ck_assert_mem_eq(pa->u.pa.body.ptr + 25, "Ubuntu 11.10 i686", 17);

	/* Re-encoded with the typed builder calls: the same 105 octets. */
	struct pb_builder pb;
	struct bytes out;
	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, MAX_BATCH);
	pb_builder_add_language_preference(&pb, B("Accept-Language: en"));
	pb_builder_add_pa(&pb, 0, PB_VENDOR_TCG, 1, 1, PB_PA_ID_ANY, pa->u.pa.body);
	ck_assert_int_eq(pb_builder_finish(&pb, &out), 0);
	assert_bytes(out, buf, len);
	pb_builder_clear(&pb);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

/* The strongSwan 5.9.8 session, as its .expected files list it. */
struct ss_msg {
	uint32_t offset, flags, type, length;
	uint32_t pa_flags, subtype, collector, validator;
};

struct ss_batch {
	const char *file;
	uint8_t dir, type;
	size_t count;
	struct ss_msg msgs[4];
};

static const struct ss_batch session[] = {
	{"01-c2s-CDATA-310.bin", PB_DIR_TO_SERVER, PB_BATCH_CDATA, 3, {
		{8, 0x00, PB_MSG_LANGUAGE_PREFERENCE, 31, 0, 0, 0, 0},
		{39, 0x80, PB_MSG_PA, 219, 0x00, 1, 1, 65535},
		{258, 0x80, PB_MSG_PA, 52, 0x00, 9, 2, 65535}}},
	{"02-s2c-SDATA-208.bin", PB_DIR_TO_CLIENT, PB_BATCH_SDATA, 3, {
		{8, 0x80, PB_MSG_PA, 52, 0x80, 9, 2, 2},
		{60, 0x80, PB_MSG_PA, 72, 0x00, 1, 65535, 1},
		{132, 0x80, PB_MSG_PA, 76, 0x00, 9, 65535, 2}}},
	{"03-c2s-CDATA-109512.bin", PB_DIR_TO_SERVER, PB_BATCH_CDATA, 2, {
		{8, 0x80, PB_MSG_PA, 21143, 0x80, 1, 1, 1},
		{21151, 0x80, PB_MSG_PA, 88361, 0x80, 9, 2, 2}}},
	{"04-s2c-RESULT-136.bin", PB_DIR_TO_CLIENT, PB_BATCH_RESULT, 4, {
		{8, 0x80, PB_MSG_PA, 48, 0x00, 1, 65535, 1},
		{56, 0x80, PB_MSG_PA, 48, 0x80, 9, 2, 2},
		{104, 0x80, PB_MSG_ASSESSMENT_RESULT, 16, 0, 0, 0, 0},
		{120, 0x00, PB_MSG_ACCESS_RECOMMENDATION, 16, 0, 0, 0, 0}}},
	{"05-c2s-CLOSE-8.bin", PB_DIR_TO_SERVER, PB_BATCH_CLOSE, 0, {{0}}},
};

START_TEST(strongswan_session)
{
	const struct ss_batch *want = &session[_i];
	char path[256];
	size_t len;
	struct pb_batch b;
	struct parse_error e;

	snprintf(path, sizeof(path), "strongswan-session-os-swima/%s", want->file);
	uint8_t *buf = tl_read_testdata(path, &len);
	const struct pb_limits *lim = want->dir == PB_DIR_TO_SERVER ? &to_server : &to_client;
	ck_assert_int_eq(pb_batch_parse(buf, len, lim, &b, &e), 0);
	ck_assert_uint_eq(b.dir, want->dir);
	ck_assert_uint_eq(b.type, want->type);
	ck_assert_uint_eq(b.length, len);
	ck_assert_uint_eq(b.count, want->count);
	ck_assert_uint_eq(b.skipped, 0);
	for (size_t i = 0; i < want->count; i++) {
		const struct pb_msg *m = &b.msgs[i];
		const struct ss_msg *w = &want->msgs[i];
		ck_assert_uint_eq(m->offset, w->offset);
		ck_assert_uint_eq(m->flags, w->flags);
		ck_assert_uint_eq(m->vendor, PB_VENDOR_IETF);
		ck_assert_uint_eq(m->type, w->type);
		ck_assert_uint_eq(m->value.len + PB_MSG_HEADER_LEN, w->length);
		if (m->type != PB_MSG_PA)
			continue;
		ck_assert_uint_eq(m->u.pa.flags, w->pa_flags);
		ck_assert_uint_eq(m->u.pa.vendor, PB_VENDOR_IETF);
		ck_assert_uint_eq(m->u.pa.subtype, w->subtype);
		ck_assert_uint_eq(m->u.pa.collector_id, w->collector);
		ck_assert_uint_eq(m->u.pa.validator_id, w->validator);
		ck_assert_uint_eq(m->u.pa.body.len, w->length - 24);
	}
	if (want->type == PB_BATCH_CDATA && want->count == 3)
		ck_assert(bytes_eq_str(b.msgs[0].u.language_preference, "Accept-Language: en"));
	if (want->type == PB_BATCH_RESULT) {
		ck_assert_uint_eq(b.msgs[2].u.assessment_result, PB_ASSESSMENT_COMPLIANT);
		ck_assert_uint_eq(b.msgs[3].u.access_recommendation, PB_ACCESS_ALLOWED);
	}
	/* strongSwan sets no reserved bit: re-encoding gives the same octets. */
	struct pb_builder pb;
	struct bytes out;
	reencode(&b, &pb);
	ck_assert_int_eq(pb_builder_finish(&pb, &out), 0);
	assert_bytes(out, buf, len);
	pb_builder_clear(&pb);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

START_TEST(jtnc_cdata_pa)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pb-cdata-pa.bin", &len);
	struct pb_batch b;
	struct parse_error e;

	ck_assert_int_eq(pb_batch_parse(buf, len, &to_server, &b, &e), 0);
	ck_assert_uint_eq(b.type, PB_BATCH_CDATA);
	ck_assert_uint_eq(b.dir, PB_DIR_TO_SERVER);
	ck_assert_uint_eq(b.length, 36);
	ck_assert_uint_eq(b.count, 1);
	ck_assert_uint_eq(b.msgs[0].offset, 8);
	ck_assert_uint_eq(b.msgs[0].flags, PB_MSG_FLAG_NOSKIP);
	ck_assert_uint_eq(b.msgs[0].type, PB_MSG_PA);
	ck_assert_uint_eq(b.msgs[0].u.pa.flags, 0);
	ck_assert_uint_eq(b.msgs[0].u.pa.vendor, 0);
	ck_assert_uint_eq(b.msgs[0].u.pa.subtype, 1);
	ck_assert_uint_eq(b.msgs[0].u.pa.collector_id, 1);
	ck_assert_uint_eq(b.msgs[0].u.pa.validator_id, 0xffff);
	ck_assert(bytes_eq_str(b.msgs[0].u.pa.body, "PWND"));
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

/* jtnc drops the PB-Access-Recommendation of this CDATA batch and returns
 * the other two messages.  RFC 5793 4.7 decides otherwise: "If a Posture
 * Broker Server receives a PB-TNC message with this message type, it MUST
 * respond with a fatal Invalid Parameter error" -- so we refuse the batch,
 * pointing at the Message Type field (36 + 4) of the offending message. */
START_TEST(jtnc_cdata_mixed)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pb-cdata-mixed.bin", &len);

	ck_assert_uint_eq(len, 128);
	assert_fails(buf, len, &to_server, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 40);
	assert_fails(buf, len, &any_dir, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 40);
	/* Without that message the batch (PB-PA + PB-Reason-String) is still a
	 * client sending a server-only PB-Reason-String (4.11): offset 40 again,
	 * now the Reason-String's type field. */
	uint8_t cut[112];
	memcpy(cut, buf, 36);
	memcpy(cut + 36, buf + 52, 76);
	cut[7] = sizeof(cut);
	assert_fails(cut, sizeof(cut), &to_server, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 40);
	/* The same messages in an SDATA batch from the server: there RFC 5793
	 * 4.7 does say to ignore the recommendation, as jtnc does. */
	buf[1] = PB_BATCH_FLAG_D;
	buf[3] = PB_BATCH_SDATA;
	struct pb_batch b;
	struct parse_error e;
	ck_assert_int_eq(pb_batch_parse(buf, len, &to_client, &b, &e), 0);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_uint_eq(b.skipped, 1);
	ck_assert_uint_eq(b.msgs[0].type, PB_MSG_PA);
	ck_assert(bytes_eq_str(b.msgs[1].u.reason_string.reason,
	    "Don't ever take intimate pictures with your mobile phone."));
	ck_assert(bytes_eq_str(b.msgs[1].u.reason_string.lang, "en"));
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

START_TEST(jtnc_result_recommendation)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pb-result-recommendation.bin", &len);
	struct pb_batch b;
	struct parse_error e;

	ck_assert_int_eq(pb_batch_parse(buf, len, &to_client, &b, &e), 0);
	ck_assert_uint_eq(b.dir, PB_DIR_TO_CLIENT);
	ck_assert_uint_eq(b.type, PB_BATCH_RESULT);
	ck_assert_uint_eq(b.count, 2);
	ck_assert_uint_eq(b.msgs[0].type, PB_MSG_ACCESS_RECOMMENDATION);
	ck_assert_uint_eq(b.msgs[0].flags, 0);
	ck_assert_uint_eq(b.msgs[0].u.access_recommendation, PB_ACCESS_ALLOWED);
	ck_assert_uint_eq(b.msgs[1].type, PB_MSG_ASSESSMENT_RESULT);
	ck_assert_uint_eq(b.msgs[1].flags, PB_MSG_FLAG_NOSKIP);
	ck_assert_uint_eq(b.msgs[1].u.assessment_result, PB_ASSESSMENT_COMPLIANT);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

/* jtnc and RFC 5793 agree: Invalid Parameter at the recommendation field. */
START_TEST(jtnc_result_bad_recommendation)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pb-result-bad-recommendation.bin", &len);

	assert_fails(buf, len, &to_client, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 22);
	free(buf);
}
END_TEST

/* One sample per message type, in a batch that may carry it. */
struct sample {
	uint8_t dir, batch_type;
	struct pb_msg m;
};

#define S(s) {(const uint8_t *)(s), sizeof(s) - 1}
#define IETF(fl, t) .flags = (fl), .vendor = PB_VENDOR_IETF, .type = (t)
#define ERR(fl, v, c) .flags = (fl), .vendor = (v), .code = (c)

static const struct sample samples[] = {
	{PB_DIR_TO_SERVER, PB_BATCH_CDATA, {IETF(0x80, PB_MSG_PA), .u.pa = {PB_PA_FLAG_EXCL,
	    PB_VENDOR_TCG, 1, 3, 7, S("\x01\x00\x00\x00\x12\x34\x56\x78")}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_RESULT, {IETF(0x80, PB_MSG_ASSESSMENT_RESULT),
	    .u.assessment_result = PB_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE}},
	{PB_DIR_TO_CLIENT, PB_BATCH_RESULT, {IETF(0, PB_MSG_ACCESS_RECOMMENDATION),
	    .u.access_recommendation = PB_ACCESS_QUARANTINED}},
	{PB_DIR_TO_CLIENT, PB_BATCH_SDATA, {IETF(0, PB_MSG_REMEDIATION_PARAMETERS),
	    .u.remediation = {.type = PB_REMEDIATION_URI, .text = S("https://remediation.example/fix")}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_RESULT, {IETF(0, PB_MSG_REMEDIATION_PARAMETERS),
	    .u.remediation = {.type = PB_REMEDIATION_STRING, .text = S("Please update your system."),
	    .lang = S("en")}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_RESULT, {IETF(0, PB_MSG_REMEDIATION_PARAMETERS),
	    .u.remediation = {.vendor = 0x00902a, .type = 7, .params = S("vendor data")}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, {IETF(0x80, PB_MSG_ERROR), .u.error = {
	    ERR(PB_ERROR_FLAG_FATAL, 0, PB_ERROR_INVALID_PARAMETER), .offset = 22}}},
	{PB_DIR_TO_SERVER, PB_BATCH_CLOSE, {IETF(0x80, PB_MSG_ERROR), .u.error = {
	    ERR(PB_ERROR_FLAG_FATAL, 0, PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE),
	    .offset = 0x01020304}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, {IETF(0x80, PB_MSG_ERROR), .u.error = {
	    ERR(PB_ERROR_FLAG_FATAL, 0, PB_ERROR_VERSION_NOT_SUPPORTED),
	    .bad_version = 3, .max_version = 2, .min_version = 2}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_SDATA, {IETF(0x80, PB_MSG_ERROR), .u.error = {
	    ERR(0, 0, PB_ERROR_LOCAL_ERROR)}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_SDATA, {IETF(0x80, PB_MSG_ERROR), .u.error = {
	    ERR(0, 0x00902a, 9), .params = S("\x00\x01\x02")}}},
	{PB_DIR_TO_SERVER, PB_BATCH_CDATA, {IETF(0, PB_MSG_LANGUAGE_PREFERENCE),
	    .u.language_preference = S("Accept-Language: de, en;q=0.5")}},
	{PB_DIR_TO_CLIENT, PB_BATCH_RESULT, {IETF(0, PB_MSG_REASON_STRING),
	    .u.reason_string = {S("forwarding enabled"), S("en")}}},
	{PB_DIR_TO_CLIENT, PB_BATCH_SDATA, {.vendor = PB_VENDOR_TCG, .type = PB_TCG_MSG_PDP_REFERRAL,
	    .u.pdp_referral = {PB_VENDOR_TCG, 0, S("\x00\x06\x01\x0fpdp.example")}}},
};

#define NSAMPLES (sizeof(samples) / sizeof(samples[0]))

static void
assert_msg_fields(const struct pb_msg *a, const struct pb_msg *b)
{
	ck_assert_uint_eq(a->flags, b->flags);
	ck_assert_uint_eq(a->vendor, b->vendor);
	ck_assert_uint_eq(a->type, b->type);
	if (a->vendor == PB_VENDOR_TCG) {
		ck_assert_uint_eq(a->u.pdp_referral.id_vendor, b->u.pdp_referral.id_vendor);
		ck_assert_uint_eq(a->u.pdp_referral.id_type, b->u.pdp_referral.id_type);
		assert_bytes(a->u.pdp_referral.id, b->u.pdp_referral.id.ptr, b->u.pdp_referral.id.len);
		return;
	}
	switch (a->type) {
	case PB_MSG_PA:
		ck_assert_uint_eq(a->u.pa.flags, b->u.pa.flags);
		ck_assert_uint_eq(a->u.pa.vendor, b->u.pa.vendor);
		ck_assert_uint_eq(a->u.pa.subtype, b->u.pa.subtype);
		ck_assert_uint_eq(a->u.pa.collector_id, b->u.pa.collector_id);
		ck_assert_uint_eq(a->u.pa.validator_id, b->u.pa.validator_id);
		assert_bytes(a->u.pa.body, b->u.pa.body.ptr, b->u.pa.body.len);
		break;
	case PB_MSG_ASSESSMENT_RESULT:
		ck_assert_uint_eq(a->u.assessment_result, b->u.assessment_result);
		break;
	case PB_MSG_ACCESS_RECOMMENDATION:
		ck_assert_uint_eq(a->u.access_recommendation, b->u.access_recommendation);
		break;
	case PB_MSG_REMEDIATION_PARAMETERS:
		ck_assert_uint_eq(a->u.remediation.vendor, b->u.remediation.vendor);
		ck_assert_uint_eq(a->u.remediation.type, b->u.remediation.type);
		assert_bytes(a->u.remediation.text, b->u.remediation.text.ptr, b->u.remediation.text.len);
		assert_bytes(a->u.remediation.lang, b->u.remediation.lang.ptr, b->u.remediation.lang.len);
		if (b->u.remediation.vendor != PB_VENDOR_IETF)
			assert_bytes(a->u.remediation.params, b->u.remediation.params.ptr,
			    b->u.remediation.params.len);
		break;
	case PB_MSG_ERROR:
		ck_assert_uint_eq(a->u.error.flags, b->u.error.flags);
		ck_assert_uint_eq(a->u.error.vendor, b->u.error.vendor);
		ck_assert_uint_eq(a->u.error.code, b->u.error.code);
		ck_assert_uint_eq(a->u.error.offset, b->u.error.offset);
		ck_assert_uint_eq(a->u.error.bad_version, b->u.error.bad_version);
		ck_assert_uint_eq(a->u.error.max_version, b->u.error.max_version);
		ck_assert_uint_eq(a->u.error.min_version, b->u.error.min_version);
		if (b->u.error.vendor != PB_VENDOR_IETF)
			assert_bytes(a->u.error.params, b->u.error.params.ptr, b->u.error.params.len);
		break;
	case PB_MSG_LANGUAGE_PREFERENCE:
		assert_bytes(a->u.language_preference, b->u.language_preference.ptr,
		    b->u.language_preference.len);
		break;
	case PB_MSG_REASON_STRING:
		assert_bytes(a->u.reason_string.reason, b->u.reason_string.reason.ptr,
		    b->u.reason_string.reason.len);
		assert_bytes(a->u.reason_string.lang, b->u.reason_string.lang.ptr,
		    b->u.reason_string.lang.len);
		break;
	}
}

START_TEST(every_type_round_trips)
{
	struct sample s = samples[_i];
	struct pb_builder pb;
	struct bytes out;
	struct pb_batch b;
	struct parse_error e;

	/* A RESULT batch needs its PB-Assessment-Result (RFC 5793 4.6). */
	bool extra = s.batch_type == PB_BATCH_RESULT && s.m.type != PB_MSG_ASSESSMENT_RESULT;

	pb_builder_init(&pb, s.dir, s.batch_type, MAX_BATCH);
	if (extra)
		pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_COMPLIANT);
	pb_builder_add(&pb, &s.m);
	ck_assert_int_eq(pb_builder_finish(&pb, &out), 0);
	const struct pb_limits *lim = s.dir == PB_DIR_TO_SERVER ? &to_server : &to_client;
	ck_assert_msg(pb_batch_parse(out.ptr, out.len, lim, &b, &e) == 0, "sample %d: %s at %u",
	    _i, e.reason, e.offset);
	ck_assert_uint_eq(b.count, extra ? 2 : 1);
	const struct pb_msg *got = &b.msgs[b.count - 1];
	ck_assert_uint_eq(got->offset, PB_BATCH_HEADER_LEN + (extra ? 16 : 0));
	assert_msg_fields(got, &s.m);
	/* And once more: the decoded message encodes to the same octets. */
	struct pb_builder pb2;
	struct bytes out2;
	reencode(&b, &pb2);
	ck_assert_int_eq(pb_builder_finish(&pb2, &out2), 0);
	assert_bytes(out2, out.ptr, out.len);
	/* Every strict prefix is refused. */
	for (size_t cut = 0; cut < out.len; cut++) {
		struct pb_batch t;
		ck_assert_int_ne(pb_batch_parse(out.ptr, cut, lim, &t, &e), 0);
	}
	pb_builder_clear(&pb2);
	pb_batch_clear(&b);
	pb_builder_clear(&pb);
}
END_TEST

/* The typed helpers encode what the RFC requires (NOSKIP per type). */
START_TEST(typed_helpers)
{
	struct pb_builder pb;
	struct pb_batch b;
	struct parse_error e;
	struct pb_error err = {PB_ERROR_FLAG_FATAL, PB_VENDOR_IETF,
	    PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE, 8, 0, 0, 0, {NULL, 0}};
	size_t len;

	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, MAX_BATCH);
	pb_builder_add_pa(&pb, PB_PA_FLAG_EXCL, 0, 9, 2, 2, B("pa"));
	pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_COMPLIANT);
	pb_builder_add_access_recommendation(&pb, PB_ACCESS_DENIED);
	pb_builder_add_remediation_uri(&pb, B("https://x.example/"));
	pb_builder_add_remediation_string(&pb, B("update"), B("en"));
	pb_builder_add_error(&pb, &err);
	pb_builder_add_language_preference(&pb, B("Content-Language: en"));
	pb_builder_add_reason_string(&pb, B("denied"), B("en"));
	pb_builder_add_pdp_referral(&pb, PB_VENDOR_TCG, 1, BN("\x00\x06\x01\x0f\x7f\x00\x00\x01", 8));
	ck_assert_uint_eq(pb.count, 9);
	uint8_t *buf = finish_copy(&pb, &len);
	ck_assert_int_eq(pb_batch_parse(buf, len, &to_client, &b, &e), 0);
	ck_assert_uint_eq(b.count, 9);
	static const uint8_t flags[9] = {0x80, 0x80, 0, 0, 0, 0x80, 0, 0, 0};
	for (size_t i = 0; i < 9; i++)
		ck_assert_uint_eq(b.msgs[i].flags, flags[i]);
	ck_assert_uint_eq(b.msgs[2].u.access_recommendation, PB_ACCESS_DENIED);
	ck_assert(bytes_eq_str(b.msgs[3].u.remediation.text, "https://x.example/"));
	ck_assert(bytes_eq_str(b.msgs[4].u.remediation.lang, "en"));
	ck_assert_uint_eq(b.msgs[5].u.error.code, PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE);
	ck_assert_uint_eq(b.msgs[5].u.error.offset, 8);
	ck_assert_uint_eq(b.msgs[8].u.pdp_referral.id_type, 1);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

/* A batch of one message with the given raw header and value. */
static uint8_t *
one_msg(uint8_t dir, uint8_t btype, uint8_t flags, uint32_t vendor, uint32_t type,
    const void *value, size_t vlen, size_t *ret_len)
{
	struct pb_builder pb;
	struct pb_msg m;

	memset(&m, 0, sizeof(m));
	m.flags = flags;
	m.vendor = vendor;
	m.type = type;
	m.value = BN(value, vlen);
	pb_builder_init(&pb, dir, btype, MAX_BATCH);
	/* An unknown vendor makes pb_builder_add() copy m.value verbatim;
	 * patch the vendor afterwards. */
	m.vendor = 0xfffffe;
	pb_builder_add(&pb, &m);
	uint8_t *buf = finish_copy(&pb, ret_len);
	buf[9] = (uint8_t)(vendor >> 16);
	buf[10] = (uint8_t)(vendor >> 8);
	buf[11] = (uint8_t)vendor;
	return buf;
}

START_TEST(bad_batch_header)
{
	static const uint8_t close8[] = {2, 0, 0, 6, 0, 0, 0, 8};
	uint8_t h[8];

	assert_fails(close8, 0, &any_dir, TNC_ETRUNCATED, PB_ERROR_INVALID_PARAMETER, 0);
	assert_fails(close8, 1, &any_dir, TNC_ETRUNCATED, PB_ERROR_INVALID_PARAMETER, 1);
	assert_fails(close8, 3, &any_dir, TNC_ETRUNCATED, PB_ERROR_INVALID_PARAMETER, 2);
	assert_fails(close8, 5, &any_dir, TNC_ETRUNCATED, PB_ERROR_INVALID_PARAMETER, 4);
	assert_fails(close8, 7, &any_dir, TNC_ETRUNCATED, PB_ERROR_INVALID_PARAMETER, 4);
	/* Version first, even before the rest of the header has arrived. */
	memcpy(h, close8, 8);
	h[0] = 1;
	assert_fails(h, 8, &any_dir, TNC_EVERSION, PB_ERROR_VERSION_NOT_SUPPORTED, 0);
	assert_fails(h, 1, &any_dir, TNC_EVERSION, PB_ERROR_VERSION_NOT_SUPPORTED, 0);
	/* D = 1 at a server, D = 0 at a client. */
	memcpy(h, close8, 8);
	h[1] = PB_BATCH_FLAG_D;
	assert_fails(h, 8, &to_server, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 1);
	assert_fails(close8, 8, &to_client, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 1);
	/* B-Type 0 and 7..15 are not defined. */
	memcpy(h, close8, 8);
	h[3] = 0;
	assert_fails(h, 8, &any_dir, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 3);
	h[3] = 7;
	assert_fails(h, 8, &any_dir, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 3);
	h[3] = 0x0f;
	assert_fails(h, 8, &any_dir, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 3);
	/* A client sends no RESULT; a server no CDATA or CRETRY. */
	h[3] = PB_BATCH_RESULT;
	assert_fails(h, 8, &any_dir, TNC_ETYPE, PB_ERROR_UNEXPECTED_BATCH_TYPE, 3);
	h[1] = PB_BATCH_FLAG_D;
	h[3] = PB_BATCH_CRETRY;
	assert_fails(h, 8, &any_dir, TNC_ETYPE, PB_ERROR_UNEXPECTED_BATCH_TYPE, 3);
	/* Batch Length: past the data, short of it, above the cap, below 8. */
	memcpy(h, close8, 8);
	h[7] = 9;
	assert_fails(h, 8, &any_dir, TNC_ETRUNCATED, PB_ERROR_INVALID_PARAMETER, 4);
	h[7] = 7;
	assert_fails(h, 8, &any_dir, TNC_ETRAILING, PB_ERROR_INVALID_PARAMETER, 4);
	uint8_t h9[9] = {2, 0, 0, 6, 0, 0, 0, 8, 0};
	assert_fails(h9, 9, &any_dir, TNC_ETRAILING, PB_ERROR_INVALID_PARAMETER, 4);
	struct pb_limits small = {7, 4, PB_DIR_ANY};
	assert_fails(close8, 8, &small, TNC_ETOOLONG, PB_ERROR_LOCAL_ERROR, 4);
	h[4] = 0xff;
	assert_fails(h, 8, &any_dir, TNC_ETOOLONG, PB_ERROR_LOCAL_ERROR, 4);
}
END_TEST

START_TEST(reserved_bits_ignored)
{
	/* RFC 5793 says of every reserved field "MUST be set to 0 on
	 * transmission and ignored upon reception"; so are they. */
	struct pb_builder pb;
	struct pb_batch b;
	struct parse_error e;
	size_t len;

	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, MAX_BATCH);
	pb_builder_add_pa(&pb, PB_PA_FLAG_EXCL, 0, 1, 1, 1, B("x"));
	pb_builder_add_access_recommendation(&pb, PB_ACCESS_ALLOWED);
	pb_builder_add_language_preference(&pb, B("Content-Language: en"));
	pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_COMPLIANT);
	uint8_t *buf = finish_copy(&pb, &len);
	buf[1] |= 0x7f;   /* batch header reserved bits */
	buf[2] = 0xff;
	buf[3] |= 0xf0;
	buf[20] |= 0x7f;  /* PB-PA flags: reserved bits next to EXCL */
	buf[33] |= 0x7f;  /* message header flags of PB-Access-Recommendation */
	buf[45] = 0x12;   /* its Reserved field */
	buf[46] = 0x34;
	buf[49] |= 0x7f;  /* message header flags of PB-Language-Preference */
	ck_assert_int_eq(pb_batch_parse(buf, len, &to_client, &b, &e), 0);
	ck_assert_uint_eq(b.type, PB_BATCH_RESULT);
	ck_assert_uint_eq(b.dir, PB_DIR_TO_CLIENT);
	ck_assert_uint_eq(b.count, 4);
	ck_assert_uint_eq(b.msgs[0].u.pa.flags, PB_PA_FLAG_EXCL);
	ck_assert_uint_eq(b.msgs[1].flags, 0x7f);
	ck_assert_uint_eq(b.msgs[1].u.access_recommendation, PB_ACCESS_ALLOWED);
	ck_assert_uint_eq(b.msgs[2].flags, 0x7f);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

START_TEST(bad_message_header)
{
	/* 5 octets of a message header: flags and vendor fit, type does not. */
	static const uint8_t trunc[] = {2, 0, 0, 1, 0, 0, 0, 13, 0, 0, 0, 0, 0};
	assert_fails(trunc, sizeof(trunc), &to_server, TNC_ETRUNCATED,
	    PB_ERROR_INVALID_PARAMETER, 12);
	static const uint8_t trunc2[] = {2, 0, 0, 1, 0, 0, 0, 19, 0x80, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0};
	assert_fails(trunc2, sizeof(trunc2), &to_server, TNC_ETRUNCATED,
	    PB_ERROR_INVALID_PARAMETER, 16);
	/* Message Length 11 and 0: below the header. */
	static const uint8_t short11[] = {2, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 6,
	    0, 0, 0, 11};
	assert_fails(short11, sizeof(short11), &to_server, TNC_EINVALID,
	    PB_ERROR_INVALID_PARAMETER, 16);
	static const uint8_t short0[] = {2, 0, 0, 1, 0, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 6,
	    0, 0, 0, 0};
	assert_fails(short0, sizeof(short0), &to_server, TNC_EINVALID,
	    PB_ERROR_INVALID_PARAMETER, 16);
	/* Message Length one past the end of the batch. */
	static const uint8_t past[] = {2, 0, 0, 1, 0, 0, 0, 21, 0, 0, 0, 0, 0, 0, 0, 6,
	    0, 0, 0, 14, 'e'};
	assert_fails(past, sizeof(past), &to_server, TNC_ETRUNCATED,
	    PB_ERROR_INVALID_PARAMETER, 16);
	/* The second message's length runs past the end: offset 8 + 13 + 8. */
	static const uint8_t past2[] = {2, 0, 0, 1, 0, 0, 0, 33,
	    0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 13, 'e',
	    0, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 13};
	assert_fails(past2, sizeof(past2), &to_server, TNC_ETRUNCATED,
	    PB_ERROR_INVALID_PARAMETER, 29);
}
END_TEST

START_TEST(unknown_types)
{
	struct pb_batch b;
	struct parse_error e;
	size_t len;
	uint8_t *buf;

	/* Unknown vendor type, unknown IETF type, PB-Experimental (4.4), and a
	 * TCG type other than PB-PDP-Referral: skipped without NOSKIP... */
	static const uint32_t vt[][2] = {{0x00902a, 5}, {0, 8}, {0, PB_MSG_EXPERIMENTAL},
	    {PB_VENDOR_TCG, 2}};
	for (size_t i = 0; i < 4; i++) {
		buf = one_msg(PB_DIR_TO_SERVER, PB_BATCH_CDATA, 0, vt[i][0], vt[i][1], "abc", 3, &len);
		ck_assert_int_eq(pb_batch_parse(buf, len, &to_server, &b, &e), 0);
		ck_assert_uint_eq(b.count, 0);
		ck_assert_uint_eq(b.skipped, 1);
		pb_batch_clear(&b);
		free(buf);
		/* ...and Unsupported Mandatory Message at the message with it. */
		buf = one_msg(PB_DIR_TO_SERVER, PB_BATCH_CDATA, PB_MSG_FLAG_NOSKIP, vt[i][0],
		    vt[i][1], "abc", 3, &len);
		assert_fails(buf, len, &to_server, TNC_ETYPE,
		    PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE, 8);
		free(buf);
	}
	/* The offset is that of the offending message, not the first one. */
	struct pb_builder pb;
	struct pb_msg m;
	memset(&m, 0, sizeof(m));
	m.flags = PB_MSG_FLAG_NOSKIP;
	m.vendor = 0x00902a;
	m.type = 1;
	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, MAX_BATCH);
	pb_builder_add_language_preference(&pb, B("Accept-Language: en"));
	pb_builder_add(&pb, &m);
	buf = finish_copy(&pb, &len);
	assert_fails(buf, len, &to_server, TNC_ETYPE, PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE, 39);
	free(buf);
}
END_TEST

/* One message with a raw header and value, and where RFC 5793 points. */
struct bad_msg {
	uint8_t dir, btype, flags;
	uint32_t vendor, type;
	const char *value;
	size_t vlen;
	int err;
	uint32_t offset; /* of the Invalid Parameter; the message starts at 8 */
};

#define C2S PB_DIR_TO_SERVER, PB_BATCH_CDATA
#define S2C PB_DIR_TO_CLIENT, PB_BATCH_RESULT
#define V(s) s, sizeof(s) - 1

static const struct bad_msg bad_msgs[] = {
	/* Reserved Message Type, whatever the vendor (4.2): its field. */
	{C2S, 0, 0, PB_MSG_TYPE_RESERVED, V(""), TNC_EINVALID, 12},
	{C2S, 0, 0x00902a, PB_MSG_TYPE_RESERVED, V(""), TNC_EINVALID, 12},
	/* NOSKIP: PB-PA without (4.5), PB-Language-Preference and
	 * PB-Access-Recommendation with it (4.10, 4.7): the flags. */
	{C2S, 0, 0, PB_MSG_PA, V("\0\0\0\0\0\0\0\1\0\1\0\1"), TNC_EINVALID, 8},
	{C2S, 0x80, 0, PB_MSG_LANGUAGE_PREFERENCE, V("x"), TNC_EINVALID, 8},
	{S2C, 0x80, 0, PB_MSG_ACCESS_RECOMMENDATION, V("\0\0\0\1"), TNC_EINVALID, 8},
	/* Server-only types from a client (4.6, 4.8): the type field. */
	{C2S, 0x80, 0, PB_MSG_ASSESSMENT_RESULT, V("\0\0\0\0"), TNC_EINVALID, 12},
	{PB_DIR_TO_SERVER, PB_BATCH_CLOSE, 0, 0, PB_MSG_REMEDIATION_PARAMETERS,
	    V("\0\0\0\0\0\0\0\1"), TNC_EINVALID, 12},
	/* PB-PA of 23 octets (at the Message Length); reserved PA Subtype. */
	{C2S, 0x80, 0, PB_MSG_PA, V("\0\0\0\0\0\0\0\1\0\1\0"), TNC_ETRUNCATED, 16},
	{C2S, 0x80, 0, PB_MSG_PA, V("\0\0\0\0\xff\xff\xff\xff\0\1\0\1"), TNC_EINVALID, 24},
	/* PB-Assessment-Result of 17 octets and of value 5; recommendation 0. */
	{S2C, 0x80, 0, PB_MSG_ASSESSMENT_RESULT, V("\0\0\0\0\0"), TNC_ETRUNCATED, 16},
	{S2C, 0x80, 0, PB_MSG_ASSESSMENT_RESULT, V("\0\0\0\5"), TNC_EINVALID, 20},
	{S2C, 0, 0, PB_MSG_ACCESS_RECOMMENDATION, V("\0\0\0\0"), TNC_EINVALID, 22},
	/* PB-Reason-String: 16 octets; string length past the end; language
	 * code length past the end; an octet after the language code. */
	{S2C, 0, 0, PB_MSG_REASON_STRING, V("\0\0\0\0"), TNC_ETRUNCATED, 16},
	{S2C, 0, 0, PB_MSG_REASON_STRING, V("\0\0\0\4ab\0"), TNC_ETRUNCATED, 20},
	{S2C, 0, 0, PB_MSG_REASON_STRING, V("\0\0\0\2ab\3en"), TNC_ETRUNCATED, 26},
	{S2C, 0, 0, PB_MSG_REASON_STRING, V("\0\0\0\2ab\2enX"), TNC_ETRAILING, 29},
	/* Remediation-String: its string length field is at message + 20. */
	{S2C, 0, 0, PB_MSG_REMEDIATION_PARAMETERS, V("\0\0\0\0\0\0\0\2\0\0\1\0"),
	    TNC_ETRUNCATED, 28},
	/* PB-Error of 19 octets; Invalid Parameter without its offset; Local
	 * Error with 2 octets of parameters (at the Error Parameters; none, or
	 * the 4-octet offset strongSwan sends, are accepted). */
	{PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, 0x80, 0, PB_MSG_ERROR, V("\x80\0\0\0\0\1\0"),
	    TNC_ETRUNCATED, 16},
	{PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, 0x80, 0, PB_MSG_ERROR, V("\x80\0\0\0\0\1\0\0\0\0"),
	    TNC_EINVALID, 28},
	{PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, 0x80, 0, PB_MSG_ERROR,
	    V("\x80\0\0\0\0\2\0\0\0\0"), TNC_EINVALID, 28},
	/* PB-PDP-Referral of 19 octets. */
	{PB_DIR_TO_CLIENT, PB_BATCH_SDATA, 0, PB_VENDOR_TCG, PB_TCG_MSG_PDP_REFERRAL,
	    V("\0\0\x55\x97\0\0\0"), TNC_ETRUNCATED, 16},
};

START_TEST(bad_messages)
{
	const struct bad_msg *c = &bad_msgs[_i];
	const struct pb_limits *lim = c->dir == PB_DIR_TO_SERVER ? &to_server : &to_client;
	size_t len;
	uint8_t *buf = one_msg(c->dir, c->btype, c->flags, c->vendor, c->type, c->value,
	    c->vlen, &len);

	assert_fails(buf, len, lim, c->err, PB_ERROR_INVALID_PARAMETER, c->offset);
	free(buf);
}
END_TEST

/* From the server outside RESULT, PB-Access-Recommendation is ignored
 * (4.7), even with a value that would be invalid. */
START_TEST(result_msgs_outside_result)
{
	struct pb_batch b;
	struct parse_error e;
	size_t len;
	uint8_t *buf = one_msg(PB_DIR_TO_CLIENT, PB_BATCH_SDATA, 0, 0, PB_MSG_ACCESS_RECOMMENDATION,
	    "\0\0\0\144", 4, &len);

	ck_assert_int_eq(pb_batch_parse(buf, len, &to_client, &b, &e), 0);
	ck_assert_uint_eq(b.count, 0);
	ck_assert_uint_eq(b.skipped, 1);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

START_TEST(result_batch_contents)
{
	struct pb_builder pb;
	size_t len;
	uint8_t *buf;

	/* No PB-Assessment-Result: the B-Type promises one. */
	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, MAX_BATCH);
	pb_builder_add_access_recommendation(&pb, PB_ACCESS_ALLOWED);
	buf = finish_copy(&pb, &len);
	assert_fails(buf, len, &to_client, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 3);
	free(buf);
	static const uint8_t empty_result[] = {2, 0x80, 0, 3, 0, 0, 0, 8};
	assert_fails(empty_result, 8, &to_client, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 3);
	/* A second PB-Assessment-Result or PB-Access-Recommendation: at the
	 * type field of the second one. */
	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, MAX_BATCH);
	pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_COMPLIANT);
	pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_ERROR);
	buf = finish_copy(&pb, &len);
	assert_fails(buf, len, &to_client, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 28);
	free(buf);
	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, MAX_BATCH);
	pb_builder_add_access_recommendation(&pb, PB_ACCESS_ALLOWED);
	pb_builder_add_assessment_result(&pb, PB_ASSESSMENT_COMPLIANT);
	pb_builder_add_access_recommendation(&pb, PB_ACCESS_DENIED);
	buf = finish_copy(&pb, &len);
	assert_fails(buf, len, &to_client, TNC_EINVALID, PB_ERROR_INVALID_PARAMETER, 44);
	free(buf);
}
END_TEST

START_TEST(message_cap)
{
	struct pb_builder pb;
	struct pb_batch b;
	struct parse_error e;
	struct pb_limits two = {MAX_BATCH, 2, PB_DIR_TO_SERVER};
	size_t len;

	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, MAX_BATCH);
	for (int i = 0; i < 3; i++)
		pb_builder_add_language_preference(&pb, B("Accept-Language: en"));
	uint8_t *buf = finish_copy(&pb, &len);
	assert_fails(buf, len, &two, TNC_ETOOLONG, PB_ERROR_LOCAL_ERROR, 8 + 2 * 31);
	two.max_msgs = 3;
	ck_assert_int_eq(pb_batch_parse(buf, len, &two, &b, &e), 0);
	ck_assert_uint_eq(b.count, 3);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

START_TEST(version_error_reply)
{
	static const uint8_t v1[] = {1, 0, 0, 1, 0, 0, 0, 8};
	struct pb_batch b;
	struct parse_error e;
	struct pb_builder pb;
	size_t len;

	ck_assert_int_eq(pb_batch_parse(v1, sizeof(v1), &to_server, &b, &e), TNC_EVERSION);
	/* The reply RFC 5793 4.1 asks for: a CLOSE batch of version 2 holding a
	 * fatal Version Not Supported error. */
	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, MAX_BATCH);
	pb_builder_add_parse_error(&pb, &e, v1[0]);
	uint8_t *buf = finish_copy(&pb, &len);
	static const uint8_t want[] = {2, 0x80, 0, 6, 0, 0, 0, 32,
	    0x80, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 24,
	    0x80, 0, 0, 0, 0, 4, 0, 0, 1, 2, 2, 0};
	ck_assert_uint_eq(len, sizeof(want));
	ck_assert_mem_eq(buf, want, len);
	ck_assert_int_eq(pb_batch_parse(buf, len, &to_client, &b, &e), 0);
	ck_assert_uint_eq(b.msgs[0].u.error.bad_version, 1);
	ck_assert_uint_eq(b.msgs[0].u.error.max_version, 2);
	ck_assert_uint_eq(b.msgs[0].u.error.min_version, 2);
	pb_batch_clear(&b);
	free(buf);
}
END_TEST

START_TEST(builder_errors)
{
	struct pb_builder pb;
	struct bytes out;
	char lang[256];

	pb_builder_init(&pb, PB_DIR_ANY, PB_BATCH_CDATA, MAX_BATCH);
	ck_assert_int_eq(pb_builder_finish(&pb, &out), TNC_EINVALID);
	pb_builder_clear(&pb);
	pb_builder_init(&pb, PB_DIR_TO_CLIENT, 7, MAX_BATCH);
	ck_assert_int_eq(pb_builder_finish(&pb, &out), TNC_EINVALID);
	pb_builder_clear(&pb);
	memset(lang, 'a', sizeof(lang));
	pb_builder_init(&pb, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, MAX_BATCH);
	pb_builder_add_reason_string(&pb, B("r"), BN(lang, sizeof(lang)));
	ck_assert_int_eq(pb_builder_finish(&pb, &out), TNC_EINVALID);
	pb_builder_clear(&pb);
	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, MAX_BATCH);
	pb_builder_add_pa(&pb, 0, 0x1000000, 1, 1, 1, B(""));
	ck_assert_int_eq(pb_builder_finish(&pb, &out), TNC_EINVALID);
	pb_builder_clear(&pb);
	pb_builder_init(&pb, PB_DIR_TO_SERVER, PB_BATCH_CDATA, 40);
	pb_builder_add_language_preference(&pb, B("Accept-Language: en"));
	pb_builder_add_language_preference(&pb, B("Accept-Language: en"));
	ck_assert_int_eq(pb_builder_finish(&pb, &out), TNC_ETOOLONG);
	pb_builder_clear(&pb);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(pb_batch_type_name(PB_BATCH_CDATA), "CDATA");
	ck_assert_str_eq(pb_batch_type_name(PB_BATCH_CLOSE), "CLOSE");
	ck_assert_str_eq(pb_batch_type_name(0), "unknown");
	ck_assert_str_eq(pb_batch_type_name(7), "unknown");
	ck_assert_str_eq(pb_msg_type_name(0, PB_MSG_PA), "PB-PA");
	ck_assert_str_eq(pb_msg_type_name(0, PB_MSG_REASON_STRING), "PB-Reason-String");
	ck_assert_str_eq(pb_msg_type_name(0, 8), "unknown");
	ck_assert_str_eq(pb_msg_type_name(PB_VENDOR_TCG, PB_TCG_MSG_PDP_REFERRAL), "PB-PDP-Referral");
	ck_assert_str_eq(pb_msg_type_name(PB_VENDOR_TCG, 0), "unknown");
	ck_assert_str_eq(pb_msg_type_name(0x00902a, 1), "unknown");
	ck_assert_str_eq(pb_error_code_name(0, PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE),
	    "Unsupported Mandatory Message");
	ck_assert_str_eq(pb_error_code_name(0, 5), "unknown");
	ck_assert_str_eq(pb_error_code_name(1, 1), "unknown");
	ck_assert_str_eq(pb_assessment_result_name(PB_ASSESSMENT_DONT_KNOW), "don't know");
	ck_assert_str_eq(pb_assessment_result_name(5), "unknown");
	ck_assert_str_eq(pb_access_recommendation_name(PB_ACCESS_QUARANTINED), "Quarantined");
	ck_assert_str_eq(pb_access_recommendation_name(0), "unknown");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pb_tnc");
	TCase *vec = tcase_create("vectors");
	tcase_add_test(vec, seed_cdata_105);
	tcase_add_loop_test(vec, strongswan_session, 0, sizeof(session) / sizeof(session[0]));
	tcase_add_test(vec, jtnc_cdata_pa);
	tcase_add_test(vec, jtnc_cdata_mixed);
	tcase_add_test(vec, jtnc_result_recommendation);
	tcase_add_test(vec, jtnc_result_bad_recommendation);
	suite_add_tcase(s, vec);
	TCase *codec = tcase_create("codec");
	tcase_add_loop_test(codec, every_type_round_trips, 0, NSAMPLES);
	tcase_add_test(codec, typed_helpers);
	tcase_add_test(codec, bad_batch_header);
	tcase_add_test(codec, reserved_bits_ignored);
	tcase_add_test(codec, bad_message_header);
	tcase_add_test(codec, unknown_types);
	tcase_add_loop_test(codec, bad_messages, 0, sizeof(bad_msgs) / sizeof(bad_msgs[0]));
	tcase_add_test(codec, result_msgs_outside_result);
	tcase_add_test(codec, result_batch_contents);
	tcase_add_test(codec, message_cap);
	tcase_add_test(codec, version_error_reply);
	tcase_add_test(codec, builder_errors);
	tcase_add_test(codec, names);
	suite_add_tcase(s, codec);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
