/* pa_ietf.c - IETF PA-TNC attribute values (RFC 5792 4.2.1-4.2.7,
 * 4.2.9-4.2.12) and the ITA-HSR Device ID.
 *
 * Reserved fields are ignored on reception and sent as zero; enumerated
 * fields must hold a value the RFC defines; text must be UTF-8 without NUL
 * (a C consumer, a log line or a database column never sees a cut-off or
 * malformed string).  Offsets in errors count from the start of the value.
 */
#include "pa_ietf.h"

#include <string.h>

#include "pa_value.h"

/* An 8-bit length and that many octets of text. */
static int
get_text8(struct wire_reader *r, struct bytes *ret, struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint8_t n;

	if (wire_get_u8(r, &n))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, n, ret))
		return pa_value_fail(e, TNC_ETRUNCATED, at, "string length past the end of the value");
	return pa_value_check_text(*ret, at + 1, e);
}

static void
put_text8(struct wire_writer *w, struct bytes s)
{
	if (s.len > UINT8_MAX || !pa_value_is_text(s)) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	wire_put_u8(w, (uint8_t)s.len);
	wire_put_bytes(w, s.ptr, s.len);
}

static void
put_text(struct wire_writer *w, struct bytes s)
{
	if (!pa_value_is_text(s))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_bytes(w, s.ptr, s.len);
}

static void
put_reserved_vendor(struct wire_writer *w, uint32_t vendor)
{
	if (vendor > PA_TNC_VENDOR_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, 0);
	wire_put_u24(w, vendor);
}

int
pa_ietf_attr_request_decode(struct bytes value, struct pa_ietf_attr_request *ret,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	uint8_t reserved;
	uint32_t vendor, type;
	size_t n = 0;

	wire_reader_init(&r, value.ptr, value.len);
	while (wire_remaining(&r) > 0) {
		if (wire_get_u8(&r, &reserved) || wire_get_u24(&r, &vendor) ||
		    wire_get_u32(&r, &type))
			return pa_value_truncated(ret_err, &r);
		n++;
	}
	ret->entries = value;
	ret->count = n;
	return 0;
}

struct pa_tnc_type
pa_ietf_attr_request_get(const struct pa_ietf_attr_request *req, size_t i)
{
	const uint8_t *p = req->entries.ptr + 8 * i;

	return (struct pa_tnc_type){
		(uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3],
		(uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7],
	};
}

void
pa_ietf_attr_request_encode(struct wire_writer *w, const struct pa_tnc_type *types, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		put_reserved_vendor(w, types[i].vendor);
		wire_put_u32(w, types[i].type);
	}
}

int
pa_ietf_product_info_decode(struct bytes value, struct pa_ietf_product_info *ret,
    struct parse_error *ret_err)
{
	struct pa_ietf_product_info v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u24(&r, &v.vendor) || wire_get_u16(&r, &v.product_id))
		return pa_value_truncated(ret_err, &r);
	/* The Product Name fills the rest of the value. */
	if (wire_get_bytes(&r, wire_remaining(&r), &v.name))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_check_text(v.name, 5, ret_err)))
		return err;
	*ret = v;
	return 0;
}

void
pa_ietf_product_info_encode(struct wire_writer *w, const struct pa_ietf_product_info *v)
{
	if (v->vendor > PA_TNC_VENDOR_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u24(w, v->vendor);
	wire_put_u16(w, v->product_id);
	put_text(w, v->name);
}

int
pa_ietf_numeric_version_decode(struct bytes value, struct pa_ietf_numeric_version *ret,
    struct parse_error *ret_err)
{
	struct pa_ietf_numeric_version v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, &v.major) || wire_get_u32(&r, &v.minor) ||
	    wire_get_u32(&r, &v.build) || wire_get_u16(&r, &v.sp_major) ||
	    wire_get_u16(&r, &v.sp_minor))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_ietf_numeric_version_encode(struct wire_writer *w, const struct pa_ietf_numeric_version *v)
{
	wire_put_u32(w, v->major);
	wire_put_u32(w, v->minor);
	wire_put_u32(w, v->build);
	wire_put_u16(w, v->sp_major);
	wire_put_u16(w, v->sp_minor);
}

int
pa_ietf_string_version_decode(struct bytes value, struct pa_ietf_string_version *ret,
    struct parse_error *ret_err)
{
	struct pa_ietf_string_version v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if ((err = get_text8(&r, &v.version, ret_err)) || (err = get_text8(&r, &v.build, ret_err)) ||
	    (err = get_text8(&r, &v.config, ret_err)) || (err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_ietf_string_version_encode(struct wire_writer *w, const struct pa_ietf_string_version *v)
{
	put_text8(w, v->version);
	put_text8(w, v->build);
	put_text8(w, v->config);
}

/* RFC 5792 4.2.5: Last Use is an RFC 3339 date and time in UTC with the
 * format YYYY-MM-DDTHH:MM:SSZ; returns the index of the first octet that
 * breaks the pattern, or PA_IETF_LAST_USE_LEN. */
static size_t
bad_last_use_at(const uint8_t *s)
{
	static const char pattern[] = "dddd-dd-ddTdd:dd:ddZ";

	for (size_t i = 0; i < PA_IETF_LAST_USE_LEN; i++) {
		bool ok = pattern[i] == 'd' ? s[i] >= '0' && s[i] <= '9' : s[i] == pattern[i];
		if (!ok)
			return i;
	}
	return PA_IETF_LAST_USE_LEN;
}

int
pa_ietf_operational_status_decode(struct bytes value, struct pa_ietf_operational_status *ret,
    struct parse_error *ret_err)
{
	struct pa_ietf_operational_status v;
	struct wire_reader r;
	uint16_t reserved;
	size_t bad;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.status) || wire_get_u8(&r, &v.result) ||
	    wire_get_u16(&r, &reserved) || wire_get_bytes(&r, PA_IETF_LAST_USE_LEN, &v.last_use))
		return pa_value_truncated(ret_err, &r);
	if (v.status > PA_IETF_OP_STATUS_OPERATIONAL)
		return pa_value_fail(ret_err, TNC_EINVALID, 0, "unknown operational status");
	if (v.result > PA_IETF_OP_RESULT_UNSUCCESSFUL)
		return pa_value_fail(ret_err, TNC_EINVALID, 1, "unknown operational result");
	if ((bad = bad_last_use_at(v.last_use.ptr)) < PA_IETF_LAST_USE_LEN)
		return pa_value_fail(ret_err, TNC_EINVALID, 4 + bad, "last use is not YYYY-MM-DDTHH:MM:SSZ");
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_ietf_operational_status_encode(struct wire_writer *w,
    const struct pa_ietf_operational_status *v)
{
	if (v->status > PA_IETF_OP_STATUS_OPERATIONAL || v->result > PA_IETF_OP_RESULT_UNSUCCESSFUL ||
	    v->last_use.len != PA_IETF_LAST_USE_LEN ||
	    bad_last_use_at(v->last_use.ptr) < PA_IETF_LAST_USE_LEN) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	wire_put_u8(w, v->status);
	wire_put_u8(w, v->result);
	wire_put_u16(w, 0); /* Reserved */
	wire_put_bytes(w, v->last_use.ptr, v->last_use.len);
}

#define PORT_FLAG_BLOCKED 0x01 /* 4.2.6: seven reserved bits, then B */

int
pa_ietf_port_filter_decode(struct bytes value, struct pa_ietf_port_filter *ret,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	uint8_t flags, protocol;
	uint16_t port;
	size_t n = 0;

	wire_reader_init(&r, value.ptr, value.len);
	while (wire_remaining(&r) > 0) {
		if (wire_get_u8(&r, &flags) || wire_get_u8(&r, &protocol) ||
		    wire_get_u16(&r, &port))
			return pa_value_truncated(ret_err, &r);
		n++;
	}
	ret->entries = value;
	ret->count = n;
	return 0;
}

struct pa_ietf_port
pa_ietf_port_filter_get(const struct pa_ietf_port_filter *pf, size_t i)
{
	const uint8_t *p = pf->entries.ptr + 4 * i;

	return (struct pa_ietf_port){
		(p[0] & PORT_FLAG_BLOCKED) != 0,
		p[1],
		(uint16_t)(p[2] << 8 | p[3]),
	};
}

void
pa_ietf_port_filter_encode(struct wire_writer *w, const struct pa_ietf_port *ports, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		wire_put_u8(w, ports[i].blocked ? PORT_FLAG_BLOCKED : 0);
		wire_put_u8(w, ports[i].protocol);
		wire_put_u16(w, ports[i].port);
	}
}

int
pa_ietf_installed_packages_decode(struct bytes value, struct pa_ietf_installed_packages *ret,
    struct parse_error *ret_err)
{
	struct pa_ietf_installed_packages v;
	struct wire_reader r;
	struct bytes name, version;
	uint16_t reserved;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u16(&r, &reserved) || wire_get_u16(&r, &v.count))
		return pa_value_truncated(ret_err, &r);
	for (size_t i = 0; i < v.count; i++)
		if ((err = get_text8(&r, &name, ret_err)) || (err = get_text8(&r, &version, ret_err)))
			return err;
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	v.entries.ptr = value.ptr + 4;
	v.entries.len = value.len - 4;
	*ret = v;
	return 0;
}

void
pa_ietf_packages_iter_init(struct pa_ietf_packages_iter *it,
    const struct pa_ietf_installed_packages *p)
{
	wire_reader_init(&it->r, p->entries.ptr, p->entries.len);
}

bool
pa_ietf_packages_next(struct pa_ietf_packages_iter *it, struct pa_ietf_package *ret)
{
	struct pa_ietf_package p;
	uint8_t n, m;

	if (wire_get_u8(&it->r, &n) || wire_get_bytes(&it->r, n, &p.name) ||
	    wire_get_u8(&it->r, &m) || wire_get_bytes(&it->r, m, &p.version))
		return false;
	*ret = p;
	return true;
}

void
pa_ietf_installed_packages_encode(struct wire_writer *w, const struct pa_ietf_package *pkgs,
    size_t n)
{
	if (n > UINT16_MAX) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	wire_put_u16(w, 0); /* Reserved */
	wire_put_u16(w, (uint16_t)n);
	for (size_t i = 0; i < n; i++) {
		put_text8(w, pkgs[i].name);
		put_text8(w, pkgs[i].version);
	}
}

/* A value that is one 32-bit enumerated field no larger than max. */
static int
decode_u32_enum(struct bytes value, uint32_t max, uint32_t *ret, struct parse_error *e)
{
	struct wire_reader r;
	uint32_t v;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, &v))
		return pa_value_truncated(e, &r);
	if (v > max)
		return pa_value_fail(e, TNC_EINVALID, 0, "value not defined by RFC 5792");
	if ((err = pa_value_end(e, &r)))
		return err;
	*ret = v;
	return 0;
}

static void
encode_u32_enum(struct wire_writer *w, uint32_t max, uint32_t v)
{
	if (v > max)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u32(w, v);
}

int
pa_ietf_assessment_result_decode(struct bytes value, uint32_t *ret, struct parse_error *ret_err)
{
	return decode_u32_enum(value, PA_IETF_ASSESSMENT_DONT_KNOW, ret, ret_err);
}

void
pa_ietf_assessment_result_encode(struct wire_writer *w, uint32_t result)
{
	encode_u32_enum(w, PA_IETF_ASSESSMENT_DONT_KNOW, result);
}

int
pa_ietf_forwarding_enabled_decode(struct bytes value, uint32_t *ret, struct parse_error *ret_err)
{
	return decode_u32_enum(value, PA_IETF_FORWARDING_STATUS_UNKNOWN, ret, ret_err);
}

void
pa_ietf_forwarding_enabled_encode(struct wire_writer *w, uint32_t status)
{
	encode_u32_enum(w, PA_IETF_FORWARDING_STATUS_UNKNOWN, status);
}

int
pa_ietf_default_password_decode(struct bytes value, uint32_t *ret, struct parse_error *ret_err)
{
	return decode_u32_enum(value, PA_IETF_DEFAULT_PASSWORD_STATUS_ENABLED, ret, ret_err);
}

void
pa_ietf_default_password_encode(struct wire_writer *w, uint32_t status)
{
	encode_u32_enum(w, PA_IETF_DEFAULT_PASSWORD_STATUS_ENABLED, status);
}

/* The IETF Remediation String parameters, starting at offset 8 of the value:
 * a 32-bit length and the string, an 8-bit length and the language code. */
static int
decode_remediation_string(struct wire_reader *r, struct pa_ietf_remediation *v,
    struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint32_t n;
	int err;

	if (wire_get_u32(r, &n))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, n, &v->text))
		return pa_value_fail(e, TNC_ETRUNCATED, at, "string length past the end of the value");
	if ((err = pa_value_check_text(v->text, at + 4, e)) || (err = get_text8(r, &v->lang, e)))
		return err;
	return pa_value_end(e, r);
}

int
pa_ietf_remediation_decode(struct bytes value, struct pa_ietf_remediation *ret,
    struct parse_error *ret_err)
{
	struct pa_ietf_remediation v;
	struct wire_reader r;
	uint8_t reserved;
	int err = 0;

	memset(&v, 0, sizeof(v));
	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &reserved) || wire_get_u24(&r, &v.vendor) || wire_get_u32(&r, &v.type))
		return pa_value_truncated(ret_err, &r);
	v.params.ptr = value.ptr + 8;
	v.params.len = value.len - 8;
	if (v.vendor == PA_TNC_VENDOR_IETF && v.type == PA_IETF_REMEDIATION_URI) {
		v.text = v.params;
		err = pa_value_check_text(v.text, 8, ret_err);
	} else if (v.vendor == PA_TNC_VENDOR_IETF && v.type == PA_IETF_REMEDIATION_STRING) {
		err = decode_remediation_string(&r, &v, ret_err);
	}
	if (err)
		return err;
	*ret = v;
	return 0;
}

void
pa_ietf_remediation_encode(struct wire_writer *w, const struct pa_ietf_remediation *v)
{
	put_reserved_vendor(w, v->vendor);
	wire_put_u32(w, v->type);
	if (v->vendor == PA_TNC_VENDOR_IETF && v->type == PA_IETF_REMEDIATION_URI) {
		put_text(w, v->text);
	} else if (v->vendor == PA_TNC_VENDOR_IETF && v->type == PA_IETF_REMEDIATION_STRING) {
		if (v->text.len > UINT32_MAX)
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u32(w, (uint32_t)v->text.len);
		put_text(w, v->text);
		put_text8(w, v->lang);
	} else {
		wire_put_bytes(w, v->params.ptr, v->params.len);
	}
}

int
pa_ietf_device_id_decode(struct bytes value, struct bytes *ret, struct parse_error *ret_err)
{
	int err;

	if ((err = pa_value_check_text(value, 0, ret_err)))
		return err;
	*ret = value;
	return 0;
}

void
pa_ietf_device_id_encode(struct wire_writer *w, struct bytes id)
{
	put_text(w, id);
}

static const char *
name_of(const char *const *names, size_t n, uint32_t value)
{
	return value < n ? names[value] : "unknown";
}

#define NAME_OF(names, v) name_of(names, sizeof(names) / sizeof(names[0]), v)

const char *
pa_ietf_assessment_result_name(uint32_t result)
{
	static const char *const names[] = {"compliant", "minor non-compliance",
	    "significant non-compliance", "error", "don't know"};
	return NAME_OF(names, result);
}

const char *
pa_ietf_op_status_name(uint8_t status)
{
	static const char *const names[] = {"unknown", "not installed",
	    "installed but not operational", "operational"};
	return NAME_OF(names, status);
}

const char *
pa_ietf_op_result_name(uint8_t result)
{
	static const char *const names[] = {"unknown", "successful", "successful with errors",
	    "unsuccessful"};
	return NAME_OF(names, result);
}

const char *
pa_ietf_forwarding_name(uint32_t status)
{
	static const char *const names[] = {"disabled", "enabled", "unknown"};
	return NAME_OF(names, status);
}
