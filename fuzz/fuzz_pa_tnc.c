/* fuzz_pa_tnc.c - libFuzzer harness for PA-TNC (RFC 5792) messages, the
 * attribute values of pa_ietf/pa_ietf_error and TCG IF-M Segmentation.
 *
 * Each input is parsed as a PA-TNC message.  A failure must carry an RFC
 * 5792 error code, an offset inside the input, and a PA-TNC Error that
 * encodes and decodes to the same fields.  A message that parses must
 * re-encode to the same octets (reserved header octets aside); each
 * attribute whose type is known is decoded and re-encoded: same length,
 * a fixed point after one round, the same octets where the encoding is
 * canonical (no reserved bits); each is split into envelopes and
 * reassembled to the same octets; the message's own Segment Envelopes go
 * through a reassembler.  The whole input is also fed to every value
 * decoder.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"

#define MAX_MSG (1u << 20)
#define MAX_REASM (64u << 10)
#define MAX_SPLIT 4096 /* split only attributes this small: keeps runs fast */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static const struct pa_tnc_type known[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST},
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION},
	{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION},
	{PA_TNC_VENDOR_IETF, PA_IETF_OPERATIONAL_STATUS},
	{PA_TNC_VENDOR_IETF, PA_IETF_PORT_FILTER},
	{PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS},
	{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED},
	{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED},
	{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL},
};
#define NKNOWN (sizeof(known) / sizeof(known[0]))

/* Encodings without reserved or ignored bits: decode-encode is identity. */
static bool
canonical(uint32_t vendor, uint32_t type)
{
	if (vendor == PA_TNC_VENDOR_ITA || vendor == PA_TNC_VENDOR_TCG)
		return type == PA_ITA_DEVICE_ID || type == PA_SEGMENT_CONTRACT_REQUEST ||
		    type == PA_SEGMENT_CONTRACT_RESPONSE;
	switch (type) {
	case PA_IETF_PRODUCT_INFORMATION:
	case PA_IETF_NUMERIC_VERSION:
	case PA_IETF_STRING_VERSION:
	case PA_IETF_ASSESSMENT_RESULT:
	case PA_IETF_FORWARDING_ENABLED:
	case PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED:
		return true;
	default:
		return false;
	}
}

static void
reencode_packages(struct bytes v, struct wire_writer *w, int *rc, struct parse_error *e)
{
	struct pa_ietf_installed_packages ip;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package *p;
	size_t n = 0;

	if ((*rc = pa_ietf_installed_packages_decode(v, &ip, e)))
		return;
	p = calloc((size_t)ip.count + 1, sizeof(*p));
	check(p != NULL);
	pa_ietf_packages_iter_init(&it, &ip);
	while (pa_ietf_packages_next(&it, &p[n]))
		n++;
	check(n == ip.count);
	pa_ietf_installed_packages_encode(w, p, n);
	free(p);
}

static void
reencode_lists(uint32_t type, struct bytes v, struct wire_writer *w, int *rc,
    struct parse_error *e)
{
	struct pa_ietf_attr_request req;
	struct pa_ietf_port_filter pf;

	if (type == PA_IETF_ATTRIBUTE_REQUEST) {
		if ((*rc = pa_ietf_attr_request_decode(v, &req, e)))
			return;
		for (size_t i = 0; i < req.count; i++) {
			struct pa_tnc_type t = pa_ietf_attr_request_get(&req, i);
			pa_ietf_attr_request_encode(w, &t, 1);
		}
	} else if (type == PA_IETF_PORT_FILTER) {
		if ((*rc = pa_ietf_port_filter_decode(v, &pf, e)))
			return;
		for (size_t i = 0; i < pf.count; i++) {
			struct pa_ietf_port p = pa_ietf_port_filter_get(&pf, i);
			pa_ietf_port_filter_encode(w, &p, 1);
		}
	} else {
		reencode_packages(v, w, rc, e);
	}
}

static void
reencode_ietf(uint32_t type, struct bytes v, struct wire_writer *w, int *rc,
    struct parse_error *e)
{
	union {
		struct pa_ietf_product_info pi;
		struct pa_ietf_numeric_version nv;
		struct pa_ietf_string_version sv;
		struct pa_ietf_operational_status os;
		struct pa_ietf_error pe;
		struct pa_ietf_remediation rem;
		uint32_t u32;
	} u;

	switch (type) {
	case PA_IETF_PRODUCT_INFORMATION:
		if (!(*rc = pa_ietf_product_info_decode(v, &u.pi, e)))
			pa_ietf_product_info_encode(w, &u.pi);
		break;
	case PA_IETF_NUMERIC_VERSION:
		if (!(*rc = pa_ietf_numeric_version_decode(v, &u.nv, e)))
			pa_ietf_numeric_version_encode(w, &u.nv);
		break;
	case PA_IETF_STRING_VERSION:
		if (!(*rc = pa_ietf_string_version_decode(v, &u.sv, e)))
			pa_ietf_string_version_encode(w, &u.sv);
		break;
	case PA_IETF_OPERATIONAL_STATUS:
		if (!(*rc = pa_ietf_operational_status_decode(v, &u.os, e)))
			pa_ietf_operational_status_encode(w, &u.os);
		break;
	case PA_IETF_PA_TNC_ERROR:
		if (!(*rc = pa_ietf_error_decode(v, &u.pe, e)))
			pa_ietf_error_encode(w, &u.pe);
		break;
	case PA_IETF_ASSESSMENT_RESULT:
		if (!(*rc = pa_ietf_assessment_result_decode(v, &u.u32, e)))
			pa_ietf_assessment_result_encode(w, u.u32);
		break;
	case PA_IETF_REMEDIATION_INSTRUCTIONS:
		if (!(*rc = pa_ietf_remediation_decode(v, &u.rem, e)))
			pa_ietf_remediation_encode(w, &u.rem);
		break;
	case PA_IETF_FORWARDING_ENABLED:
		if (!(*rc = pa_ietf_forwarding_enabled_decode(v, &u.u32, e)))
			pa_ietf_forwarding_enabled_encode(w, u.u32);
		break;
	case PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED:
		if (!(*rc = pa_ietf_default_password_decode(v, &u.u32, e)))
			pa_ietf_default_password_encode(w, u.u32);
		break;
	default:
		reencode_lists(type, v, w, rc, e);
		break;
	}
}

static void
reencode_other(uint32_t vendor, uint32_t type, struct bytes v, struct wire_writer *w, int *rc,
    struct parse_error *e)
{
	union {
		struct bytes id;
		struct pa_segment_contract c;
		struct pa_segment_envelope env;
		struct pa_segment_next next;
		uint32_t u32;
	} u;

	if (vendor == PA_TNC_VENDOR_ITA) {
		if (!(*rc = pa_ietf_device_id_decode(v, &u.id, e)))
			pa_ietf_device_id_encode(w, u.id);
	} else if (type == PA_SEGMENT_CONTRACT_REQUEST || type == PA_SEGMENT_CONTRACT_RESPONSE) {
		if (!(*rc = pa_segment_contract_decode(v, &u.c, e)))
			pa_segment_contract_encode(w, &u.c);
	} else if (type == PA_SEGMENT_ENVELOPE) {
		if (!(*rc = pa_segment_envelope_decode(v, &u.env, e)))
			pa_segment_envelope_encode(w, &u.env);
	} else if (type == PA_SEGMENT_NEXT) {
		if (!(*rc = pa_segment_next_decode(v, &u.next, e)))
			pa_segment_next_encode(w, &u.next);
	} else {
		if (!(*rc = pa_segment_cancel_decode(v, &u.u32, e)))
			pa_segment_cancel_encode(w, u.u32);
	}
}

/* Decodes v as (vendor, type) and encodes the result into w; false if the
 * type is unknown or the value refused (whose error must be sound). */
static bool
reencode(uint32_t vendor, uint32_t type, struct bytes v, struct wire_writer *w)
{
	struct parse_error e;
	int rc = 0;
	size_t i;

	for (i = 0; i < NKNOWN; i++)
		if (known[i].vendor == vendor && known[i].type == type)
			break;
	if (i == NKNOWN)
		return false;
	e.reason = NULL;
	if (vendor == PA_TNC_VENDOR_IETF)
		reencode_ietf(type, v, w, &rc, &e);
	else
		reencode_other(vendor, type, v, w, &rc, &e);
	if (rc) {
		check(rc < 0 && e.reason != NULL && e.offset <= v.len);
		check(e.code == PA_TNC_ERROR_INVALID_PARAMETER);
		return false;
	}
	return true;
}

static void
check_value(uint32_t vendor, uint32_t type, struct bytes v)
{
	struct wire_writer w1, w2;

	wire_writer_init(&w1, MAX_MSG);
	wire_writer_init(&w2, MAX_MSG);
	if (reencode(vendor, type, v, &w1)) {
		check(wire_writer_status(&w1) == 0);
		check(w1.len == v.len);
		if (canonical(vendor, type))
			check(v.len == 0 || memcmp(w1.buf, v.ptr, v.len) == 0);
		check(reencode(vendor, type, (struct bytes){w1.buf, w1.len}, &w2));
		check(wire_writer_status(&w2) == 0);
		check(w2.len == w1.len && (w1.len == 0 || memcmp(w1.buf, w2.buf, w1.len) == 0));
	}
	wire_writer_clear(&w1);
	wire_writer_clear(&w2);
}

/* Splits the attribute at data[0..len) and reassembles it. */
static void
check_split(const uint8_t *attr, size_t len, size_t max_seg)
{
	struct pa_segment_splitter sp;
	struct pa_segment_envelope env;
	struct pa_segment_reasm *r = pa_segment_reasm_new(len);
	struct pa_tnc_attr a;
	struct parse_error e;
	bool done = false;

	check(pa_segment_splitter_init(&sp, (struct bytes){attr, len}, 0x123456, max_seg) == 0);
	while (pa_segment_splitter_next(&sp, &env)) {
		check(!done && env.segment.len <= max_seg);
		check(pa_segment_reasm_feed(r, &env, &done, &e) == 0);
	}
	check(done);
	check(pa_segment_reasm_attr(r, &a) == 0);
	check(a.value.len + PA_TNC_ATTR_HEADER_LEN == len);
	check(memcmp(a.value.ptr - PA_TNC_ATTR_HEADER_LEN, attr, len) == 0);
	pa_segment_reasm_free(r);
}

/* The message's own envelopes, in order, through one reassembler. */
static void
feed_envelope(struct pa_segment_reasm *r, const struct pa_tnc_attr *a)
{
	struct pa_segment_envelope env;
	struct pa_tnc_attr whole;
	struct parse_error e;
	bool done;

	if (pa_segment_envelope_decode(a->value, &env, &e))
		return;
	if (pa_segment_reasm_feed(r, &env, &done, &e)) {
		check(e.reason != NULL && e.offset <= a->value.len);
		return;
	}
	if (done) {
		check(pa_segment_reasm_attr(r, &whole) == 0);
		check_value(whole.vendor, whole.type, whole.value);
	}
}

static void
check_reencoded_msg(const struct pa_tnc_msg *m, const uint8_t *data, size_t size)
{
	struct pa_tnc_builder b;
	struct bytes out;

	pa_tnc_builder_init(&b, m->msg_id, MAX_MSG);
	for (size_t i = 0; i < m->count; i++)
		pa_tnc_builder_add(&b, m->attrs[i].flags, m->attrs[i].vendor, m->attrs[i].type,
		    m->attrs[i].value);
	check(pa_tnc_builder_finish(&b, &out) == 0);
	/* Octets 1-3 are Reserved: ignored on reception, zero when sent. */
	check(out.len == size && out.ptr[0] == data[0]);
	check(memcmp(out.ptr + 4, data + 4, size - 4) == 0);
	pa_tnc_builder_clear(&b);
}

static void
check_parsed(const struct pa_tnc_msg *m, const uint8_t *data, size_t size)
{
	struct pa_segment_reasm *r = pa_segment_reasm_new(MAX_REASM);

	check(m->version == PA_TNC_VERSION);
	check_reencoded_msg(m, data, size);
	for (size_t i = 0; i < m->count; i++) {
		const struct pa_tnc_attr *a = &m->attrs[i];
		size_t len = a->value.len + PA_TNC_ATTR_HEADER_LEN;

		check(a->offset + len <= size && a->value.ptr == data + a->offset + 12);
		check(pa_tnc_attr_name(a->vendor, a->type) != NULL);
		check_value(a->vendor, a->type, a->value);
		if (a->vendor == PA_TNC_VENDOR_TCG && a->type == PA_SEGMENT_ENVELOPE)
			feed_envelope(r, a);
		if (len <= MAX_SPLIT)
			check_split(data + a->offset, len, 12 + a->value.len % 17);
	}
	pa_segment_reasm_free(r);
}

static void
check_failure(const uint8_t *data, size_t size, const struct parse_error *e)
{
	struct pa_ietf_error pe, back;
	struct parse_error de;
	struct wire_writer w;

	check(e->reason != NULL && e->offset <= size);
	check(e->code >= PA_TNC_ERROR_INVALID_PARAMETER &&
	    e->code <= PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED);
	pa_ietf_error_from_parse(data, size, e, &pe);
	wire_writer_init(&w, 256);
	pa_ietf_error_encode(&w, &pe);
	check(wire_writer_status(&w) == 0);
	check(pa_ietf_error_decode((struct bytes){w.buf, w.len}, &back, &de) == 0);
	check(back.code == pe.code && memcmp(back.msg_info, pe.msg_info, 8) == 0);
	check(back.offset == pe.offset || pe.code != PA_TNC_ERROR_INVALID_PARAMETER);
	check(back.attr_type == pe.attr_type && back.attr_vendor == pe.attr_vendor);
	wire_writer_clear(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct pa_tnc_limits lim = {MAX_MSG, 256, known, NKNOWN};
	struct pa_tnc_msg m;
	struct parse_error e;

	if (pa_tnc_msg_parse(data, size, &lim, &m, &e) == 0) {
		check_parsed(&m, data, size);
		pa_tnc_msg_clear(&m);
	} else {
		check_failure(data, size, &e);
	}
	for (size_t i = 0; i < NKNOWN; i++)
		check_value(known[i].vendor, known[i].type, (struct bytes){data, size});
	return 0;
}
