/* pt_tls.c - PT-TLS deframer, message validation and encoders (RFC 6876 3.5-3.9).
 *
 * Header problems (length below 16, above the cap, not the octets given,
 * reserved type) map to Invalid Parameter, types we do not implement to Type
 * Not Supported, bad values to Malformed Message (3.9.1).  Offsets count
 * from the first octet of the message.  Reserved fields are sent as zero
 * and ignored on reception.
 */
#include "pt_tls.h"

#include <string.h>

static int
malformed(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, PT_TLS_ERROR_MALFORMED_MESSAGE, offset, reason);
}

int
pt_tls_deframe(const uint8_t *buf, size_t len, uint32_t max_len, size_t *ret_need,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	uint32_t length;

	wire_reader_init(&r, buf, len);
	if (wire_skip(&r, 8) || wire_get_u32(&r, &length)) {
		*ret_need = PT_TLS_HEADER_LEN;
		return TNC_EAGAIN;
	}
	if (length < PT_TLS_HEADER_LEN)
		return parse_fail(ret_err, TNC_EINVALID, PT_TLS_ERROR_INVALID_PARAMETER, 8,
		    "message length below 16");
	if (length > max_len)
		return parse_fail(ret_err, TNC_ETOOLONG, PT_TLS_ERROR_INVALID_PARAMETER, 8,
		    "message length above the maximum");
	*ret_need = length;
	return len < length ? TNC_EAGAIN : 0;
}

static int
parse_header(struct wire_reader *r, size_t len, struct pt_tls_header *h, struct parse_error *e)
{
	uint8_t reserved;

	if (wire_get_u8(r, &reserved) || wire_get_u24(r, &h->vendor) ||
	    wire_get_u32(r, &h->type) || wire_get_u32(r, &h->length) || wire_get_u32(r, &h->id))
		return parse_fail(e, TNC_ETRUNCATED, PT_TLS_ERROR_INVALID_PARAMETER, wire_offset(r),
		    "message header truncated");
	if (h->length < PT_TLS_HEADER_LEN)
		return parse_fail(e, TNC_EINVALID, PT_TLS_ERROR_INVALID_PARAMETER, 8, "message length below 16");
	if (h->length > len)
		return parse_fail(e, TNC_ETRUNCATED, PT_TLS_ERROR_INVALID_PARAMETER, 8,
		    "message length past the end of the data");
	if (h->length < len)
		return parse_fail(e, TNC_ETRAILING, PT_TLS_ERROR_INVALID_PARAMETER, 8,
		    "message length shorter than the data");
	if (h->type == PT_TLS_TYPE_RESERVED)
		return parse_fail(e, TNC_EINVALID, PT_TLS_ERROR_INVALID_PARAMETER, 4, "reserved message type");
	if (h->vendor != PT_TLS_VENDOR_IETF)
		return parse_fail(e, TNC_ETYPE, PT_TLS_ERROR_TYPE_NOT_SUPPORTED, 1, "unsupported vendor");
	/* Experimental (0) "MUST NOT be used in production" (3.6). */
	if (h->type == PT_TLS_EXPERIMENTAL || h->type > PT_TLS_ERROR)
		return parse_fail(e, TNC_ETYPE, PT_TLS_ERROR_TYPE_NOT_SUPPORTED, 4, "unsupported message type");
	return 0;
}

/* RFC 4422 3.1: SASL mechanism names are upper-case letters, digits, hyphen
 * and underscore. */
static bool
mech_char_ok(uint8_t c)
{
	return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/* Index of the first octet that may not appear in a mechanism name, or
 * name.len when there is none. */
static size_t
mech_first_bad(struct bytes name)
{
	size_t i = 0;

	while (i < name.len && mech_char_ok(name.ptr[i]))
		i++;
	return i;
}

static bool
mech_name_ok(struct bytes name)
{
	return name.len > 0 && name.len <= PT_TLS_SASL_MECH_NAME_MAX &&
	    mech_first_bad(name) == name.len;
}

/* One (reserved:3, length:5, name) entry of the value read by r. */
static int
get_mech(struct wire_reader *r, struct bytes *ret, struct parse_error *e)
{
	size_t at = PT_TLS_HEADER_LEN + wire_offset(r);
	size_t bad;
	uint8_t first, len;
	struct bytes name;

	/* Only a Mechanism Selection can lack its mechanism: its value is
	 * shorter than the fixed part, reported at the Message Length. */
	if (wire_get_u8(r, &first))
		return malformed(e, TNC_ETRUNCATED, 8, "SASL mechanism missing");
	len = first & PT_TLS_SASL_MECH_LEN_MASK;
	if (len == 0 || len > PT_TLS_SASL_MECH_NAME_MAX)
		return malformed(e, TNC_EINVALID, at, "SASL mechanism name length not 1-20");
	if (wire_get_bytes(r, len, &name))
		return malformed(e, TNC_ETRUNCATED, at, "SASL mechanism name past the end");
	if ((bad = mech_first_bad(name)) < name.len)
		return malformed(e, TNC_EINVALID, at + 1 + bad,
		    "SASL mechanism name not of A-Z 0-9 - _");
	*ret = name;
	return 0;
}

static int
decode_version_request(struct pt_tls_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pt_tls_version_request *v = &m->u.version_request;
	uint8_t reserved;

	if (m->value.len != 4 || wire_get_u8(r, &reserved) || wire_get_u8(r, &v->min) ||
	    wire_get_u8(r, &v->max) || wire_get_u8(r, &v->preferred))
		return malformed(e, TNC_EINVALID, 8, "Version Request length is not 20");
	if (v->min > v->max)
		return malformed(e, TNC_EINVALID, 17, "minimum version above the maximum");
	if (v->preferred < v->min || v->preferred > v->max)
		return malformed(e, TNC_EINVALID, 19, "preferred version outside min-max");
	return 0;
}

static int
decode_version_response(struct pt_tls_msg *m, struct wire_reader *r, struct parse_error *e)
{
	uint32_t reserved;

	if (m->value.len != 4 || wire_get_u24(r, &reserved) || wire_get_u8(r, &m->u.version))
		return malformed(e, TNC_EINVALID, 8, "Version Response length is not 20");
	return 0;
}

static int
decode_sasl_mechanisms(struct pt_tls_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pt_tls_sasl_mechanisms *s = &m->u.sasl_mechanisms;
	struct bytes name;
	int err;

	s->list = m->value;
	while (wire_remaining(r) > 0) {
		if ((err = get_mech(r, &name, e)))
			return err;
		s->count++;
	}
	return 0;
}

static int
decode_sasl_selection(struct pt_tls_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pt_tls_sasl_selection *s = &m->u.sasl_selection;
	int err;

	if ((err = get_mech(r, &s->name, e)))
		return err;
	return wire_get_bytes(r, wire_remaining(r), &s->initial);
}

static int
decode_sasl_result(struct pt_tls_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pt_tls_sasl_result_value *s = &m->u.sasl_result;

	if (wire_get_u16(r, &s->code))
		return malformed(e, TNC_ETRUNCATED, 8, "SASL Result shorter than 18 octets");
	if (s->code > PT_TLS_SASL_MECHANISM_FAILURE)
		return malformed(e, TNC_EINVALID, 16, "unknown SASL result code");
	return wire_get_bytes(r, wire_remaining(r), &s->data);
}

static int
decode_error(struct pt_tls_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pt_tls_error *pe = &m->u.error;
	uint8_t reserved;

	if (wire_get_u8(r, &reserved) || wire_get_u24(r, &pe->vendor) ||
	    wire_get_u32(r, &pe->code))
		return malformed(e, TNC_ETRUNCATED, 8, "PT-TLS Error shorter than 24 octets");
	return wire_get_bytes(r, wire_remaining(r), &pe->original);
}

static int
decode_value(struct pt_tls_msg *m, struct parse_error *e)
{
	struct wire_reader r;

	wire_reader_init(&r, m->value.ptr, m->value.len);
	switch (m->hdr.type) {
	case PT_TLS_VERSION_REQUEST:
		return decode_version_request(m, &r, e);
	case PT_TLS_VERSION_RESPONSE:
		return decode_version_response(m, &r, e);
	case PT_TLS_SASL_MECHANISMS:
		return decode_sasl_mechanisms(m, &r, e);
	case PT_TLS_SASL_MECHANISM_SELECTION:
		return decode_sasl_selection(m, &r, e);
	case PT_TLS_SASL_AUTHENTICATION_DATA:
		m->u.sasl_data = m->value;
		return 0;
	case PT_TLS_SASL_RESULT:
		return decode_sasl_result(m, &r, e);
	case PT_TLS_PB_TNC_BATCH:
		m->u.batch = m->value;
		return 0;
	default: /* PT_TLS_ERROR; parse_header() refused every other type */
		return decode_error(m, &r, e);
	}
}

int
pt_tls_parse(const uint8_t *buf, size_t len, struct pt_tls_msg *ret, struct parse_error *ret_err)
{
	struct wire_reader r;
	struct pt_tls_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	wire_reader_init(&r, buf, len);
	if ((err = parse_header(&r, len, &m.hdr, ret_err)) ||
	    (err = wire_get_bytes(&r, wire_remaining(&r), &m.value)) ||
	    (err = decode_value(&m, ret_err)))
		return err;
	*ret = m;
	return 0;
}

bool
pt_tls_sasl_mechanisms_next(struct bytes *list, struct bytes *ret_name)
{
	struct wire_reader r;
	uint8_t first;

	wire_reader_init(&r, list->ptr, list->len);
	if (wire_get_u8(&r, &first) || wire_get_bytes(&r, first & PT_TLS_SASL_MECH_LEN_MASK, ret_name))
		return false;
	list->ptr += wire_offset(&r);
	list->len -= wire_offset(&r);
	return true;
}

/* Message header with a zero Message Length; returns where it starts. */
static size_t
begin(struct wire_writer *w, uint32_t vendor, uint32_t type, uint32_t id)
{
	size_t at = w->len;

	wire_put_u8(w, 0);
	wire_put_u24(w, vendor);
	wire_put_u32(w, type);
	wire_put_u32(w, 0); /* Message Length, patched by end() */
	wire_put_u32(w, id);
	return at;
}

static int
end(struct wire_writer *w, size_t at)
{
	int err = wire_writer_status(w);

	if (err)
		return err;
	if (w->len - at > UINT32_MAX)
		return TNC_ETOOLONG;
	wire_patch_u32(w, at + 8, (uint32_t)(w->len - at));
	return wire_writer_status(w);
}

static int
put_raw(struct wire_writer *w, uint32_t vendor, uint32_t type, uint32_t id, struct bytes value)
{
	size_t at;

	if (vendor > PT_TLS_VENDOR_MAX)
		return TNC_EINVALID;
	at = begin(w, vendor, type, id);
	wire_put_bytes(w, value.ptr, value.len);
	return end(w, at);
}

int
pt_tls_put_version_request(struct wire_writer *w, uint32_t id, uint8_t min, uint8_t max,
    uint8_t preferred)
{
	size_t at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_VERSION_REQUEST, id);

	wire_put_u8(w, 0);
	wire_put_u8(w, min);
	wire_put_u8(w, max);
	wire_put_u8(w, preferred);
	return end(w, at);
}

int
pt_tls_put_version_response(struct wire_writer *w, uint32_t id, uint8_t version)
{
	size_t at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_VERSION_RESPONSE, id);

	wire_put_u24(w, 0);
	wire_put_u8(w, version);
	return end(w, at);
}

static void
put_mech(struct wire_writer *w, struct bytes name)
{
	wire_put_u8(w, (uint8_t)name.len);
	wire_put_bytes(w, name.ptr, name.len);
}

int
pt_tls_put_sasl_mechanisms(struct wire_writer *w, uint32_t id, const struct bytes *names, size_t n)
{
	size_t at;

	for (size_t i = 0; i < n; i++)
		if (!mech_name_ok(names[i]))
			return TNC_EINVALID;
	at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_SASL_MECHANISMS, id);
	for (size_t i = 0; i < n; i++)
		put_mech(w, names[i]);
	return end(w, at);
}

int
pt_tls_put_sasl_mechanism_selection(struct wire_writer *w, uint32_t id, struct bytes name,
    struct bytes initial)
{
	size_t at;

	if (!mech_name_ok(name))
		return TNC_EINVALID;
	at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_SASL_MECHANISM_SELECTION, id);
	put_mech(w, name);
	wire_put_bytes(w, initial.ptr, initial.len);
	return end(w, at);
}

int
pt_tls_put_sasl_authentication_data(struct wire_writer *w, uint32_t id, struct bytes data)
{
	return put_raw(w, PT_TLS_VENDOR_IETF, PT_TLS_SASL_AUTHENTICATION_DATA, id, data);
}

int
pt_tls_put_sasl_result(struct wire_writer *w, uint32_t id, uint16_t code, struct bytes data)
{
	size_t at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_SASL_RESULT, id);

	wire_put_u16(w, code);
	wire_put_bytes(w, data.ptr, data.len);
	return end(w, at);
}

int
pt_tls_put_pb_batch(struct wire_writer *w, uint32_t id, struct bytes batch)
{
	return put_raw(w, PT_TLS_VENDOR_IETF, PT_TLS_PB_TNC_BATCH, id, batch);
}

int
pt_tls_put_error(struct wire_writer *w, uint32_t id, uint32_t vendor, uint32_t code,
    struct bytes original)
{
	size_t at;

	if (vendor > PT_TLS_VENDOR_MAX)
		return TNC_EINVALID;
	at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_ERROR, id);
	wire_put_u8(w, 0);
	wire_put_u24(w, vendor);
	wire_put_u32(w, code);
	wire_put_bytes(w, original.ptr, original.len);
	return end(w, at);
}

static int
put_sasl_mechanisms_list(struct wire_writer *w, uint32_t id, struct bytes list)
{
	size_t at = begin(w, PT_TLS_VENDOR_IETF, PT_TLS_SASL_MECHANISMS, id);
	struct bytes name;

	while (pt_tls_sasl_mechanisms_next(&list, &name))
		put_mech(w, name);
	return end(w, at);
}

int
pt_tls_put(struct wire_writer *w, const struct pt_tls_msg *m)
{
	const struct pt_tls_header *h = &m->hdr;

	if (h->vendor != PT_TLS_VENDOR_IETF)
		return put_raw(w, h->vendor, h->type, h->id, m->value);
	switch (h->type) {
	case PT_TLS_VERSION_REQUEST:
		return pt_tls_put_version_request(w, h->id, m->u.version_request.min,
		    m->u.version_request.max, m->u.version_request.preferred);
	case PT_TLS_VERSION_RESPONSE:
		return pt_tls_put_version_response(w, h->id, m->u.version);
	case PT_TLS_SASL_MECHANISMS:
		return put_sasl_mechanisms_list(w, h->id, m->u.sasl_mechanisms.list);
	case PT_TLS_SASL_MECHANISM_SELECTION:
		return pt_tls_put_sasl_mechanism_selection(w, h->id, m->u.sasl_selection.name,
		    m->u.sasl_selection.initial);
	case PT_TLS_SASL_AUTHENTICATION_DATA:
		return pt_tls_put_sasl_authentication_data(w, h->id, m->u.sasl_data);
	case PT_TLS_SASL_RESULT:
		return pt_tls_put_sasl_result(w, h->id, m->u.sasl_result.code, m->u.sasl_result.data);
	case PT_TLS_PB_TNC_BATCH:
		return pt_tls_put_pb_batch(w, h->id, m->u.batch);
	case PT_TLS_ERROR:
		return pt_tls_put_error(w, h->id, m->u.error.vendor, m->u.error.code,
		    m->u.error.original);
	default:
		return put_raw(w, h->vendor, h->type, h->id, m->value);
	}
}

static const char *
name_of(const char *const *names, size_t n, uint32_t value)
{
	return value < n ? names[value] : "unknown";
}

#define NAME_OF(table, value) name_of(table, sizeof(table) / sizeof(table[0]), value)

const char *
pt_tls_msg_type_name(uint32_t vendor, uint32_t type)
{
	static const char *const ietf[] = {
		"Experimental", "Version Request", "Version Response", "SASL Mechanisms",
		"SASL Mechanism Selection", "SASL Authentication Data", "SASL Result",
		"PB-TNC Batch", "PT-TLS Error",
	};
	return vendor == PT_TLS_VENDOR_IETF ? NAME_OF(ietf, type) : "unknown";
}

const char *
pt_tls_error_code_name(uint32_t vendor, uint32_t code)
{
	static const char *const ietf[] = {
		"Reserved", "Malformed Message", "Version Not Supported", "Type Not Supported",
		"Invalid Message", "SASL Mechanism Error", "Invalid Parameter",
	};
	return vendor == PT_TLS_VENDOR_IETF ? NAME_OF(ietf, code) : "unknown";
}

const char *
pt_tls_sasl_result_name(uint16_t code)
{
	static const char *const names[] = {
		"Success", "Failure", "Abort", "Mechanism Failure",
	};
	return NAME_OF(names, code);
}
