/* test_pa_tnc.c - PA-TNC (RFC 5792) messages: the seed batch's message and
 * every PA-TNC message of the strongSwan session parse with the attribute
 * headers and offsets their .expected files state and re-encode to the same
 * octets; the jtnc vectors parse as expected (the bad-length one with the
 * offset RFC 5792 and jtnc agree on); malformed messages give the RFC 5792
 * error code and exact offset; the PA-TNC Error for each failure; builder
 * misuse; names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "testlib.h"

#define MAX_MSG (1u << 20)

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE},
};
static const struct pa_tnc_limits lim = {MAX_MSG, 64, supported, 4};

static uint32_t
rd24(const uint8_t *p)
{
	return (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | rd24(p + 1);
}

/* A PB-PA message found in a PB-TNC batch. */
struct pb_pa_found {
	uint32_t vendor;
	uint32_t subtype;
	size_t at; /* offset of the PA-TNC message in the batch */
	struct bytes msg;
};

/* Walks a PB-TNC batch (8-octet header, 12-octet message headers) and
 * collects the PA messages of its PB-PA messages, whose values start with
 * 12 octets of flags, PA vendor, subtype, collector and validator. */
static size_t
pb_pa_messages(const uint8_t *batch, size_t len, struct pb_pa_found *out, size_t max)
{
	size_t n = 0, off = 8;

	ck_assert_uint_eq(rd32(batch + 4), len);
	while (off < len) {
		ck_assert_uint_le(off + 12, len);
		uint32_t vendor = rd24(batch + off + 1), type = rd32(batch + off + 4);
		uint32_t mlen = rd32(batch + off + 8);
		ck_assert_uint_ge(mlen, 12);
		ck_assert_uint_le(mlen, len - off);
		if (vendor == 0 && type == 1) {
			const uint8_t *v = batch + off + 12;
			ck_assert_uint_ge(mlen, 24);
			ck_assert_uint_lt(n, max);
			out[n].vendor = rd24(v + 1);
			out[n].subtype = rd32(v + 4);
			out[n].at = off + 24;
			out[n].msg = (struct bytes){v + 12, mlen - 24};
			n++;
		}
		off += mlen;
	}
	return n;
}

/* Expects pa_tnc_msg_parse() to fail with err, RFC 5792 code and offset. */
static void
assert_fails(const uint8_t *buf, size_t len, const struct pa_tnc_limits *l, int err,
    uint32_t code, uint32_t offset)
{
	struct pa_tnc_msg m;
	struct parse_error e;

	memset(&m, 0xa5, sizeof(m));
	ck_assert_int_eq(pa_tnc_msg_parse(buf, len, l, &m, &e), err);
	ck_assert_msg(e.code == code && e.offset == offset,
	    "want code %u offset %u, got code %u offset %u (%s)", code, offset, e.code,
	    e.offset, e.reason);
	ck_assert_ptr_nonnull(e.reason);
	/* Outputs are written only on success. */
	ck_assert_uint_eq(m.count, (size_t)0xa5a5a5a5a5a5a5a5ull);
}

/* The message re-encoded from its parsed attributes. */
static void
assert_reencodes(const struct pa_tnc_msg *m, struct bytes orig)
{
	struct pa_tnc_builder b;
	struct bytes out;

	pa_tnc_builder_init(&b, m->msg_id, MAX_MSG);
	for (size_t i = 0; i < m->count; i++)
		pa_tnc_builder_add(&b, m->attrs[i].flags, m->attrs[i].vendor, m->attrs[i].type,
		    m->attrs[i].value);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), 0);
	ck_assert_uint_eq(b.count, m->count);
	ck_assert_uint_eq(out.len, orig.len);
	ck_assert_mem_eq(out.ptr, orig.ptr, orig.len);
	pa_tnc_builder_clear(&b);
}

START_TEST(seed_batch_message)
{
	size_t len;
	uint8_t *batch = tl_read_testdata("seed/pb-tnc-cdata-105.bin", &len);
	struct pb_pa_found pa[2];
	struct pa_tnc_msg m;
	struct parse_error e;
	size_t vlen;
	uint8_t *value = tl_read_testdata("seed/pa-tnc-product-info-22.bin", &vlen);

	ck_assert_uint_eq(pb_pa_messages(batch, len, pa, 2), 1);
	ck_assert_uint_eq(pa[0].vendor, PA_TNC_VENDOR_TCG);
	ck_assert_uint_eq(pa[0].subtype, PA_TNC_SUBTYPE_TCG_PTS);
	ck_assert_str_eq(pa_tnc_subtype_name(pa[0].vendor, pa[0].subtype), "TCG/PTS");
	ck_assert_int_eq(pa_tnc_msg_parse(pa[0].msg.ptr, pa[0].msg.len, &lim, &m, &e), 0);
	ck_assert_uint_eq(m.version, 1);
	ck_assert_uint_eq(m.msg_id, 0x569e528e);
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(m.attrs[0].offset, 8);
	ck_assert_uint_eq(m.attrs[0].flags, 0);
	ck_assert_uint_eq(m.attrs[0].vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(m.attrs[0].type, PA_IETF_PRODUCT_INFORMATION);
	ck_assert_str_eq(pa_tnc_attr_name(0, 2), "IETF/Product Information");
	/* The attribute value is the seed's 22-octet vector. */
	ck_assert_uint_eq(m.attrs[0].value.len, 22);
	ck_assert_mem_eq(m.attrs[0].value.ptr, value, vlen);
	assert_reencodes(&m, pa[0].msg);
	pa_tnc_msg_clear(&m);
	ck_assert_ptr_null(m.attrs);
	free(value);
	free(batch);
}
END_TEST

struct want_attr {
	uint32_t vendor;
	uint32_t type;
	uint32_t offset;
	uint32_t length;
};

struct want_msg {
	uint32_t subtype; /* all IETF */
	size_t at;
	uint32_t msg_id;
	size_t count;
	struct want_attr attrs[7];
};

struct want_batch {
	const char *file;
	size_t n;
	struct want_msg msgs[3];
};

#define IETF PA_TNC_VENDOR_IETF
#define TCG PA_TNC_VENDOR_TCG
#define OS PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM
#define SWIMA PA_TNC_SUBTYPE_IETF_SWIMA

/* From the .expected files: offsets there count from the batch; here from
 * the message (attribute @ minus pa_tnc @). */
static const struct want_batch session[] = {
	{"strongswan-session-os-swima/01-c2s-CDATA-310.bin", 2, {
		{OS, 63, 0x90b3f372, 7, {{IETF, 2, 8, 23}, {IETF, 4, 31, 24}, {IETF, 3, 55, 28},
		    {IETF, 5, 83, 36}, {IETF, 11, 119, 16}, {IETF, 12, 135, 16},
		    {PA_TNC_VENDOR_ITA, 8, 151, 44}}},
		{SWIMA, 282, 0x9355ae26, 1, {{TCG, 0x21, 8, 20}}},
	}},
	{"strongswan-session-os-swima/02-s2c-SDATA-208.bin", 3, {
		{SWIMA, 32, 0x910fadd8, 1, {{TCG, 0x22, 8, 20}}},
		{OS, 84, 0x815e8c2d, 2, {{TCG, 0x21, 8, 20}, {IETF, 1, 28, 20}}},
		{SWIMA, 156, 0xf97f4412, 2, {{TCG, 0x21, 8, 20}, {IETF, 13, 28, 24}}},
	}},
	{"strongswan-session-os-swima/03-c2s-CDATA-109512.bin", 2, {
		{OS, 32, 0xcdb485ea, 2, {{TCG, 0x22, 8, 20}, {IETF, 7, 28, 21091}}},
		{SWIMA, 21175, 0x027f5a12, 2, {{TCG, 0x22, 8, 20}, {IETF, 15, 28, 88309}}},
	}},
	{"strongswan-session-os-swima/04-s2c-RESULT-136.bin", 2, {
		{OS, 32, 0x33612d64, 1, {{IETF, 9, 8, 16}}},
		{SWIMA, 80, 0x4c7de85b, 1, {{IETF, 9, 8, 16}}},
	}},
	{"strongswan-session-os-swima/05-c2s-CLOSE-8.bin", 0, {{0}}},
};

START_TEST(strongswan_session)
{
	const struct want_batch *wb = &session[_i];
	size_t len;
	uint8_t *batch = tl_read_testdata(wb->file, &len);
	struct pb_pa_found pa[3];

	ck_assert_uint_eq(pb_pa_messages(batch, len, pa, 3), wb->n);
	for (size_t i = 0; i < wb->n; i++) {
		const struct want_msg *w = &wb->msgs[i];
		struct pa_tnc_msg m;
		struct parse_error e;

		ck_assert_uint_eq(pa[i].vendor, PA_TNC_VENDOR_IETF);
		ck_assert_uint_eq(pa[i].subtype, w->subtype);
		ck_assert_uint_eq(pa[i].at, w->at);
		ck_assert_int_eq(pa_tnc_msg_parse(pa[i].msg.ptr, pa[i].msg.len, &lim, &m, &e), 0);
		ck_assert_uint_eq(m.msg_id, w->msg_id);
		ck_assert_uint_eq(m.count, w->count);
		for (size_t k = 0; k < m.count; k++) {
			const struct pa_tnc_attr *a = &m.attrs[k];
			ck_assert_uint_eq(a->flags, 0);
			ck_assert_uint_eq(a->vendor, w->attrs[k].vendor);
			ck_assert_uint_eq(a->type, w->attrs[k].type);
			ck_assert_uint_eq(a->offset, w->attrs[k].offset);
			ck_assert_uint_eq(a->value.len + 12, w->attrs[k].length);
			ck_assert_ptr_eq(a->value.ptr, pa[i].msg.ptr + a->offset + 12);
			ck_assert_str_ne(pa_tnc_attr_name(a->vendor, a->type), "unknown");
		}
		assert_reencodes(&m, pa[i].msg);
		pa_tnc_msg_clear(&m);
	}
	free(batch);
}
END_TEST

START_TEST(jtnc_valid)
{
	static const struct {
		const char *file;
		uint32_t msg_id;
		size_t count;
		uint32_t types[3];
		uint32_t offsets[3];
	} vec[] = {
		{"tnc-messages-jtnc/pa-numeric-version.bin", 0x26, 1, {3}, {8}},
		{"tnc-messages-jtnc/pa-assessment-result.bin", 0, 1, {9}, {8}},
		{"tnc-messages-jtnc/pa-installed-packages.bin", 0x27, 1, {7}, {8}},
		{"tnc-messages-jtnc/pa-mixed.bin", 0x2d, 3, {9, 3, 7}, {8, 24, 52}},
	};

	for (size_t i = 0; i < sizeof(vec) / sizeof(vec[0]); i++) {
		size_t len;
		uint8_t *buf = tl_read_testdata(vec[i].file, &len);
		struct pa_tnc_msg m;
		struct parse_error e;

		ck_assert_int_eq(pa_tnc_msg_parse(buf, len, &lim, &m, &e), 0);
		ck_assert_uint_eq(m.msg_id, vec[i].msg_id);
		ck_assert_uint_eq(m.count, vec[i].count);
		for (size_t k = 0; k < m.count; k++) {
			ck_assert_uint_eq(m.attrs[k].vendor, PA_TNC_VENDOR_IETF);
			ck_assert_uint_eq(m.attrs[k].type, vec[i].types[k]);
			ck_assert_uint_eq(m.attrs[k].offset, vec[i].offsets[k]);
		}
		assert_reencodes(&m, (struct bytes){buf, len});
		pa_tnc_msg_clear(&m);
		free(buf);
	}
}
END_TEST

/* Attribute Length 11 (< 12): RFC 5792 4.2.8 reports the offset of the
 * erroneous value, the Length field at 8 + 8 = 16; jtnc reports the same. */
START_TEST(jtnc_bad_length)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("tnc-messages-jtnc/pa-numeric-version-bad-length.bin", &len);

	assert_fails(buf, len, &lim, TNC_EINVALID, PA_TNC_ERROR_INVALID_PARAMETER, 16);
	free(buf);
}
END_TEST

/* A message with attributes of the given header fields and value lengths
 * (values filled with 'v'); written straight so that tests can break it. */
static size_t
put_msg(uint8_t *buf, size_t n, const uint8_t *flags, const uint32_t *types,
    const uint32_t *lens)
{
	size_t off = 8;

	memcpy(buf, "\x01\x00\x00\x00\x12\x34\x56\x78", 8);
	for (size_t i = 0; i < n; i++) {
		uint32_t l = lens[i] + 12;
		buf[off] = flags[i];
		buf[off + 1] = buf[off + 2] = buf[off + 3] = 0;
		buf[off + 4] = (uint8_t)(types[i] >> 24);
		buf[off + 5] = (uint8_t)(types[i] >> 16);
		buf[off + 6] = (uint8_t)(types[i] >> 8);
		buf[off + 7] = (uint8_t)types[i];
		buf[off + 8] = (uint8_t)(l >> 24);
		buf[off + 9] = (uint8_t)(l >> 16);
		buf[off + 10] = (uint8_t)(l >> 8);
		buf[off + 11] = (uint8_t)l;
		memset(buf + off + 12, 'v', lens[i]);
		off += l;
	}
	return off;
}

START_TEST(malformed_header)
{
	uint8_t buf[64];
	static const uint8_t f0[] = {0, 0};
	static const uint32_t t2[] = {2, 3}, l4[] = {4, 16};
	size_t len = put_msg(buf, 2, f0, t2, l4);
	struct pa_tnc_msg m;
	struct parse_error e;

	ck_assert_int_eq(pa_tnc_msg_parse(buf, len, &lim, &m, &e), 0);
	pa_tnc_msg_clear(&m);
	/* Empty, or a header cut short. */
	assert_fails(buf, 0, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 0);
	assert_fails(buf, 5, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 0);
	assert_fails(buf, 7, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 0);
	/* A message that is only a header is valid. */
	ck_assert_int_eq(pa_tnc_msg_parse(buf, 8, &lim, &m, &e), 0);
	ck_assert_uint_eq(m.count, 0);
	ck_assert_uint_eq(m.msg_id, 0x12345678);
	pa_tnc_msg_clear(&m);
	/* Version 2, and version 0: Version Not Supported at the Version. */
	buf[0] = 2;
	assert_fails(buf, len, &lim, TNC_EVERSION, PA_TNC_ERROR_VERSION_NOT_SUPPORTED, 0);
	assert_fails(buf, 1, &lim, TNC_EVERSION, PA_TNC_ERROR_VERSION_NOT_SUPPORTED, 0);
	buf[0] = 0;
	assert_fails(buf, len, &lim, TNC_EVERSION, PA_TNC_ERROR_VERSION_NOT_SUPPORTED, 0);
	buf[0] = 1;
	/* Reserved octets are ignored on reception (4.1). */
	buf[1] = buf[3] = 0xff;
	ck_assert_int_eq(pa_tnc_msg_parse(buf, len, &lim, &m, &e), 0);
	ck_assert_uint_eq(m.count, 2);
	pa_tnc_msg_clear(&m);
	/* The caller's size cap. */
	struct pa_tnc_limits small = lim;
	small.max_msg_len = len - 1;
	assert_fails(buf, len, &small, TNC_ETOOLONG, PA_TNC_ERROR_INVALID_PARAMETER, 0);
}
END_TEST

START_TEST(malformed_attributes)
{
	uint8_t buf[128];
	static const uint8_t f0[] = {0, 0, 0};
	static const uint32_t t[] = {2, 3, 9}, l[] = {4, 16, 4};
	size_t len = put_msg(buf, 3, f0, t, l); /* attributes at 8, 24, 52 */

	/* Attribute header truncated: 1, 5 and 11 octets of the second one. */
	assert_fails(buf, 25, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 24);
	assert_fails(buf, 29, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 24);
	assert_fails(buf, 35, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 24);
	/* Length past the end (value cut short): the Length field. */
	assert_fails(buf, len - 1, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 60);
	buf[24 + 11] = 29; /* one octet longer: the third starts at 53 */
	assert_fails(buf, len, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 53 + 8);
	buf[24 + 8] = 0x80; /* Length 0x8000001d */
	assert_fails(buf, len, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 32);
	buf[24 + 8] = 0;
	/* Length below 12: 0 and 11. */
	buf[24 + 11] = 0;
	assert_fails(buf, len, &lim, TNC_EINVALID, PA_TNC_ERROR_INVALID_PARAMETER, 32);
	buf[24 + 11] = 11;
	assert_fails(buf, len, &lim, TNC_EINVALID, PA_TNC_ERROR_INVALID_PARAMETER, 32);
	/* Length exactly 12: an empty value; the rest of the old value then
	 * reads as a header whose Length ('vvvv') runs past the end. */
	buf[24 + 11] = 12;
	assert_fails(buf, len, &lim, TNC_ETRUNCATED, PA_TNC_ERROR_INVALID_PARAMETER, 36 + 8);
}
END_TEST

START_TEST(noskip_and_caps)
{
	uint8_t buf[128];
	static const uint8_t flags[] = {PA_TNC_ATTR_FLAG_NOSKIP, 0, PA_TNC_ATTR_FLAG_NOSKIP};
	static const uint32_t t[] = {2, 0x77, 0x78}, l[] = {4, 0, 2};
	size_t len = put_msg(buf, 3, flags, t, l); /* attributes at 8, 24, 36 */
	struct pa_tnc_msg m;
	struct parse_error e;
	struct pa_ietf_error pe;

	/* NOSKIP on a supported type passes, an unsupported type without
	 * NOSKIP is yielded for the caller to skip; NOSKIP on an unsupported
	 * type refuses the message at that attribute. */
	assert_fails(buf, len, &lim, TNC_ETYPE, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED, 36);
	ck_assert_int_eq(pa_tnc_msg_parse(buf, 36, &lim, &m, &e), 0);
	ck_assert_uint_eq(m.count, 2);
	ck_assert(!pa_tnc_is_supported(&lim, m.attrs[1].vendor, m.attrs[1].type));
	pa_tnc_msg_clear(&m);
	/* Its PA-TNC Error copies the message header and the attribute's
	 * Flags, Vendor ID and Type (4.2.8). */
	ck_assert_int_eq(pa_tnc_msg_parse(buf, len, &lim, &m, &e), TNC_ETYPE);
	pa_ietf_error_from_parse(buf, len, &e, &pe);
	ck_assert_uint_eq(pe.vendor, PA_TNC_VENDOR_IETF);
	ck_assert_uint_eq(pe.code, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	ck_assert_mem_eq(pe.msg_info, buf, 8);
	ck_assert_uint_eq(pe.attr_flags, PA_TNC_ATTR_FLAG_NOSKIP);
	ck_assert_uint_eq(pe.attr_vendor, 0);
	ck_assert_uint_eq(pe.attr_type, 0x78);
	/* No supported set at all: every NOSKIP attribute is refused. */
	struct pa_tnc_limits none = {MAX_MSG, 64, NULL, 0};
	assert_fails(buf, len, &none, TNC_ETYPE, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED, 8);
	/* The attribute cap: the first attribute past it. */
	struct pa_tnc_limits two = lim;
	two.max_attrs = 1;
	assert_fails(buf, 36, &two, TNC_ETOOLONG, PA_TNC_ERROR_INVALID_PARAMETER, 24);
	two.max_attrs = 0;
	assert_fails(buf, 36, &two, TNC_ETOOLONG, PA_TNC_ERROR_INVALID_PARAMETER, 8);
}
END_TEST

/* The PA-TNC Error owed for each kind of failure, and its encoding. */
START_TEST(error_replies)
{
	uint8_t buf[64];
	static const uint8_t f0[] = {0};
	static const uint32_t t[] = {3}, l[] = {16};
	size_t len = put_msg(buf, 1, f0, t, l);
	struct pa_tnc_msg m;
	struct parse_error e;
	struct pa_ietf_error pe, back;
	struct wire_writer w;
	struct parse_error de;

	buf[8 + 11] = 11;
	ck_assert_int_eq(pa_tnc_msg_parse(buf, len, &lim, &m, &e), TNC_EINVALID);
	pa_ietf_error_from_parse(buf, len, &e, &pe);
	ck_assert_uint_eq(pe.code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(pe.offset, 16);
	ck_assert_mem_eq(pe.msg_info, "\x01\x00\x00\x00\x12\x34\x56\x78", 8);
	wire_writer_init(&w, 1024);
	pa_ietf_error_encode(&w, &pe);
	ck_assert_int_eq(wire_writer_status(&w), 0);
	ck_assert_uint_eq(w.len, 8 + 8 + 4);
	ck_assert_mem_eq(w.buf, "\x00\x00\x00\x00\x00\x00\x00\x01"
	    "\x01\x00\x00\x00\x12\x34\x56\x78\x00\x00\x00\x10", 20);
	ck_assert_int_eq(pa_ietf_error_decode((struct bytes){w.buf, w.len}, &back, &de), 0);
	ck_assert_uint_eq(back.offset, 16);
	wire_writer_clear(&w);

	buf[0] = 7;
	ck_assert_int_eq(pa_tnc_msg_parse(buf, len, &lim, &m, &e), TNC_EVERSION);
	pa_ietf_error_from_parse(buf, len, &e, &pe);
	ck_assert_uint_eq(pe.code, PA_TNC_ERROR_VERSION_NOT_SUPPORTED);
	ck_assert_uint_eq(pe.max_version, 1);
	ck_assert_uint_eq(pe.min_version, 1);
	ck_assert_uint_eq(pe.msg_info[0], 7);
	wire_writer_init(&w, 1024);
	pa_ietf_error_encode(&w, &pe);
	ck_assert_mem_eq(w.buf + 16, "\x01\x01\x00\x00", 4);
	ck_assert_uint_eq(w.len, 20);
	wire_writer_clear(&w);

	/* A message shorter than its header: the copy is zero-padded. */
	static const uint8_t shorty[] = {1, 0xaa, 0xbb};
	ck_assert_int_eq(pa_tnc_msg_parse(shorty, 3, &lim, &m, &e), TNC_ETRUNCATED);
	pa_ietf_error_from_parse(shorty, 3, &e, &pe);
	ck_assert_mem_eq(pe.msg_info, "\x01\xaa\xbb\x00\x00\x00\x00\x00", 8);
	ck_assert_int_eq(pa_tnc_msg_parse(buf, 0, &lim, &m, &e), TNC_ETRUNCATED);
	pa_ietf_error_from_parse(NULL, 0, &e, &pe);
	ck_assert_uint_eq(pe.offset, 0);
}
END_TEST

START_TEST(single_attribute)
{
	uint8_t buf[64];
	static const uint8_t f0[] = {PA_TNC_ATTR_FLAG_NOSKIP};
	static const uint32_t t[] = {9}, l[] = {4};
	size_t len = put_msg(buf, 1, f0, t, l);
	struct pa_tnc_attr a;
	struct parse_error e;

	ck_assert_int_eq(pa_tnc_attr_parse(buf + 8, len - 8, &a, &e), 0);
	ck_assert_uint_eq(a.offset, 0);
	ck_assert_uint_eq(a.flags, PA_TNC_ATTR_FLAG_NOSKIP);
	ck_assert_uint_eq(a.type, 9);
	ck_assert_uint_eq(a.value.len, 4);
	/* Value decoders' offsets count from the value; rebased onto the
	 * message they count from its start. */
	e.offset = 2;
	a.offset = 8;
	pa_tnc_attr_rebase_error(&a, &e);
	ck_assert_uint_eq(e.offset, 22);
	/* Trailing octets, a short header, a bad Length. */
	buf[len] = 0;
	ck_assert_int_eq(pa_tnc_attr_parse(buf + 8, len - 7, &a, &e), TNC_ETRAILING);
	ck_assert_uint_eq(e.offset, 8);
	ck_assert_int_eq(pa_tnc_attr_parse(buf + 8, 11, &a, &e), TNC_ETRUNCATED);
	ck_assert_uint_eq(e.offset, 0);
	ck_assert_int_eq(pa_tnc_attr_parse(buf + 8, len - 9, &a, &e), TNC_ETRUNCATED);
	ck_assert_uint_eq(e.offset, 8);
	buf[8 + 11] = 3;
	ck_assert_int_eq(pa_tnc_attr_parse(buf + 8, len - 8, &a, &e), TNC_EINVALID);
	ck_assert_uint_eq(e.offset, 8);
}
END_TEST

START_TEST(builder)
{
	struct pa_tnc_builder b;
	struct bytes out;
	struct pa_tnc_msg m;
	struct parse_error e;
	static const uint8_t value[] = {0, 0, 0, 4};

	pa_tnc_builder_init(&b, 0xdeadbeef, 1024);
	pa_tnc_builder_add(&b, PA_TNC_ATTR_FLAG_NOSKIP, PA_TNC_VENDOR_IETF, 9,
	    (struct bytes){value, 4});
	pa_tnc_builder_begin(&b, 0, PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID);
	pa_ietf_device_id_encode(&b.w, (struct bytes){(const uint8_t *)"abc", 3});
	pa_tnc_builder_end(&b);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_TCG, 0x21, (struct bytes){NULL, 0});
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), 0);
	ck_assert_uint_eq(out.len, 8 + 16 + 15 + 12);
	ck_assert_mem_eq(out.ptr, "\x01\x00\x00\x00\xde\xad\xbe\xef", 8);
	ck_assert_int_eq(pa_tnc_msg_parse(out.ptr, out.len, &lim, &m, &e), 0);
	ck_assert_uint_eq(m.count, 3);
	ck_assert_uint_eq(m.attrs[1].vendor, PA_TNC_VENDOR_ITA);
	ck_assert(bytes_eq_str(m.attrs[1].value, "abc"));
	ck_assert_uint_eq(m.attrs[2].value.len, 0);
	pa_tnc_msg_clear(&m);
	pa_tnc_builder_clear(&b);

	/* Misuse sticks: begin twice, end without begin, finish while open,
	 * a vendor wider than 24 bits, an encoder's refusal, the size cap. */
	pa_tnc_builder_init(&b, 1, 1024);
	pa_tnc_builder_begin(&b, 0, 0, 1);
	pa_tnc_builder_begin(&b, 0, 0, 2);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), TNC_ESTATE);
	pa_tnc_builder_clear(&b);
	pa_tnc_builder_init(&b, 1, 1024);
	pa_tnc_builder_end(&b);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), TNC_ESTATE);
	pa_tnc_builder_clear(&b);
	pa_tnc_builder_init(&b, 1, 1024);
	pa_tnc_builder_begin(&b, 0, 0, 1);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), TNC_ESTATE);
	pa_tnc_builder_clear(&b);
	pa_tnc_builder_init(&b, 1, 1024);
	pa_tnc_builder_add(&b, 0, 0x1000000, 1, (struct bytes){NULL, 0});
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), TNC_EINVALID);
	pa_tnc_builder_clear(&b);
	pa_tnc_builder_init(&b, 1, 1024);
	pa_tnc_builder_begin(&b, 0, 0, PA_IETF_ASSESSMENT_RESULT);
	pa_ietf_assessment_result_encode(&b.w, 5);
	pa_tnc_builder_end(&b);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), TNC_EINVALID);
	pa_tnc_builder_clear(&b);
	pa_tnc_builder_init(&b, 1, 8 + 12 + 3);
	pa_tnc_builder_add(&b, 0, 0, 1, (struct bytes){value, 4});
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &out), TNC_ETOOLONG);
	pa_tnc_builder_clear(&b);
}
END_TEST

START_TEST(names)
{
	ck_assert_str_eq(pa_tnc_vendor_name(0), "IETF");
	ck_assert_str_eq(pa_tnc_vendor_name(0x005597), "TCG");
	ck_assert_str_eq(pa_tnc_vendor_name(0x00902a), "ITA-HSR");
	ck_assert_str_eq(pa_tnc_vendor_name(1), "unknown");
	ck_assert_str_eq(pa_tnc_attr_name(0, 2), "IETF/Product Information");
	ck_assert_str_eq(pa_tnc_attr_name(0, 12), "IETF/Factory Default Password Enabled");
	ck_assert_str_eq(pa_tnc_attr_name(0, 15), "IETF/SW Identifier Events");
	ck_assert_str_eq(pa_tnc_attr_name(0x005597, 0x21), "TCG/Segmentation Contract Request");
	ck_assert_str_eq(pa_tnc_attr_name(0x005597, 0x22), "TCG/Segmentation Contract Response");
	ck_assert_str_eq(pa_tnc_attr_name(0x005597, 0x00300000), "TCG/Simple Component Evidence");
	ck_assert_str_eq(pa_tnc_attr_name(0x00902a, 8), "ITA-HSR/Device ID");
	ck_assert_str_eq(pa_tnc_attr_name(0x00902a, 10), "ITA-HSR/Symlinks");
	ck_assert_str_eq(pa_tnc_attr_name(0, 22), "unknown");
	ck_assert_str_eq(pa_tnc_attr_name(1, 2), "unknown");
	ck_assert_str_eq(pa_tnc_subtype_name(0, 1), "IETF/Operating System");
	ck_assert_str_eq(pa_tnc_subtype_name(0, 9), "IETF/SWIMA");
	ck_assert_str_eq(pa_tnc_subtype_name(0x005597, 1), "TCG/PTS");
	ck_assert_str_eq(pa_tnc_subtype_name(0x005597, 2), "unknown");
	ck_assert_str_eq(pa_tnc_error_code_name(0, 1), "Invalid Parameter");
	ck_assert_str_eq(pa_tnc_error_code_name(0, 3), "Attribute Type Not Supported");
	ck_assert_str_eq(pa_tnc_error_code_name(0, 5), "SWIMA Subscription Denied");
	ck_assert_str_eq(pa_tnc_error_code_name(0, 9), "unknown");
	ck_assert_str_eq(pa_tnc_error_code_name(0x005597, 3), "File Not Found");
	ck_assert_str_eq(pa_tnc_error_code_name(0x005597, 99), "unknown");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pa_tnc");
	TCase *vec = tcase_create("vectors");
	tcase_add_test(vec, seed_batch_message);
	tcase_add_loop_test(vec, strongswan_session, 0, sizeof(session) / sizeof(session[0]));
	tcase_add_test(vec, jtnc_valid);
	tcase_add_test(vec, jtnc_bad_length);
	suite_add_tcase(s, vec);
	TCase *codec = tcase_create("codec");
	tcase_add_test(codec, malformed_header);
	tcase_add_test(codec, malformed_attributes);
	tcase_add_test(codec, noskip_and_caps);
	tcase_add_test(codec, error_replies);
	tcase_add_test(codec, single_attribute);
	tcase_add_test(codec, builder);
	tcase_add_test(codec, names);
	suite_add_tcase(s, codec);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
