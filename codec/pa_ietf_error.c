/* pa_ietf_error.c - PA-TNC Error attribute value (RFC 5792 4.2.8).
 *
 * Value: Reserved (8), Error Code Vendor ID (24), Error Code (32), Error
 * Information.  For the IETF codes Invalid Parameter, Version Not Supported
 * and Attribute Type Not Supported the information is the message header
 * copy plus a fixed field and nothing may follow it; for every other code
 * it is kept as received.
 */
#include "pa_ietf_error.h"

#include <string.h>

#include "pa_value.h"

/* Codes whose Error Information RFC 5792 defines. */
static bool
has_fixed_info(uint32_t vendor, uint32_t code)
{
	return vendor == PA_TNC_VENDOR_IETF && code >= PA_TNC_ERROR_INVALID_PARAMETER &&
	    code <= PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED;
}

static int
decode_fixed_info(struct wire_reader *r, struct pa_ietf_error *v)
{
	struct bytes msg_info;
	uint16_t reserved;

	if (wire_get_bytes(r, PA_IETF_ERROR_MSG_INFO_LEN, &msg_info))
		return TNC_ETRUNCATED;
	memcpy(v->msg_info, msg_info.ptr, PA_IETF_ERROR_MSG_INFO_LEN);
	switch (v->code) {
	case PA_TNC_ERROR_INVALID_PARAMETER:
		return wire_get_u32(r, &v->offset);
	case PA_TNC_ERROR_VERSION_NOT_SUPPORTED:
		if (wire_get_u8(r, &v->max_version) || wire_get_u8(r, &v->min_version) ||
		    wire_get_u16(r, &reserved))
			return TNC_ETRUNCATED;
		return 0;
	default: /* PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED */
		if (wire_get_u8(r, &v->attr_flags) || wire_get_u24(r, &v->attr_vendor) ||
		    wire_get_u32(r, &v->attr_type))
			return TNC_ETRUNCATED;
		return 0;
	}
}

int
pa_ietf_error_decode(struct bytes value, struct pa_ietf_error *ret, struct parse_error *ret_err)
{
	struct pa_ietf_error v;
	struct wire_reader r;
	uint8_t reserved;

	memset(&v, 0, sizeof(v));
	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &reserved) || wire_get_u24(&r, &v.vendor) || wire_get_u32(&r, &v.code))
		return pa_value_fail(ret_err, TNC_ETRUNCATED, wire_offset(&r), "attribute value truncated");
	if (v.vendor == PA_TNC_VENDOR_IETF && v.code == PA_TNC_ERROR_RESERVED)
		return pa_value_fail(ret_err, TNC_EINVALID, 4, "reserved error code");
	if (has_fixed_info(v.vendor, v.code)) {
		if (decode_fixed_info(&r, &v))
			return pa_value_fail(ret_err, TNC_ETRUNCATED, wire_offset(&r),
			    "attribute value truncated");
		if (wire_remaining(&r) > 0)
			return pa_value_fail(ret_err, TNC_ETRAILING, wire_offset(&r),
			    "bytes after the attribute value");
	} else if (wire_get_bytes(&r, wire_remaining(&r), &v.info)) {
		return pa_value_fail(ret_err, TNC_ETRUNCATED, wire_offset(&r), "attribute value truncated");
	}
	*ret = v;
	return 0;
}

void
pa_ietf_error_encode(struct wire_writer *w, const struct pa_ietf_error *v)
{
	if (v->vendor > PA_TNC_VENDOR_MAX || v->attr_vendor > PA_TNC_VENDOR_MAX ||
	    (v->vendor == PA_TNC_VENDOR_IETF && v->code == PA_TNC_ERROR_RESERVED)) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u24(w, v->vendor);
	wire_put_u32(w, v->code);
	if (!has_fixed_info(v->vendor, v->code)) {
		wire_put_bytes(w, v->info.ptr, v->info.len);
		return;
	}
	wire_put_bytes(w, v->msg_info, PA_IETF_ERROR_MSG_INFO_LEN);
	switch (v->code) {
	case PA_TNC_ERROR_INVALID_PARAMETER:
		wire_put_u32(w, v->offset);
		break;
	case PA_TNC_ERROR_VERSION_NOT_SUPPORTED:
		wire_put_u8(w, v->max_version);
		wire_put_u8(w, v->min_version);
		wire_put_u16(w, 0); /* Reserved */
		break;
	default: /* PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED */
		wire_put_u8(w, v->attr_flags);
		wire_put_u24(w, v->attr_vendor);
		wire_put_u32(w, v->attr_type);
		break;
	}
}

void
pa_ietf_error_from_parse(const uint8_t *msg, size_t len, const struct parse_error *pe,
    struct pa_ietf_error *ret)
{
	struct pa_ietf_error v;
	const uint8_t *a;

	memset(&v, 0, sizeof(v));
	v.vendor = PA_TNC_VENDOR_IETF;
	v.code = pe->code;
	if (len)
		memcpy(v.msg_info, msg,
		    len < PA_IETF_ERROR_MSG_INFO_LEN ? len : PA_IETF_ERROR_MSG_INFO_LEN);
	v.offset = pe->offset;
	v.max_version = PA_TNC_VERSION;
	v.min_version = PA_TNC_VERSION;
	/* pa_tnc_msg_parse() reports the offset of the refused attribute,
	 * whose 12-octet header lies within msg. */
	if (pe->code == PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED && pe->offset <= len &&
	    len - pe->offset >= PA_IETF_ERROR_ATTR_INFO_LEN) {
		a = msg + pe->offset;
		v.attr_flags = a[0];
		v.attr_vendor = (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
		v.attr_type = (uint32_t)a[4] << 24 | (uint32_t)a[5] << 16 | (uint32_t)a[6] << 8 | a[7];
	}
	*ret = v;
}
