/* pa_swima_error.c - Error Information of the SWIMA PA-TNC error codes
 * (RFC 8412; see pa_swima.h).  pa_ietf_error_decode() keeps the
 * information of these codes as received; this decodes it.
 */
#include "pa_swima.h"

#include <string.h>

#include "pa_tnc.h"
#include "pa_value.h"

bool
pa_swima_is_error_code(uint32_t vendor, uint32_t code)
{
	return vendor == PA_TNC_VENDOR_IETF && code >= PA_TNC_ERROR_SWIMA &&
	    code <= PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE;
}

int
pa_swima_error_decode(uint32_t code, struct bytes info, struct pa_swima_error *ret,
    struct parse_error *ret_err)
{
	struct pa_swima_error v;
	struct wire_reader r;
	uint8_t reserved;
	size_t at;
	int err;

	if (!pa_swima_is_error_code(PA_TNC_VENDOR_IETF, code))
		return pa_value_fail(ret_err, TNC_EINVALID, 0, "not a SWIMA error code");
	memset(&v, 0, sizeof(v));
	v.code = code;
	wire_reader_init(&r, info.ptr, info.len);
	if (wire_get_u32(&r, &v.request_id))
		return pa_value_truncated(ret_err, &r);
	if (code == PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE && wire_get_u32(&r, &v.max_size))
		return pa_value_truncated(ret_err, &r);
	if (code == PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT) {
		if (wire_get_u8(&r, &reserved) || wire_get_u24(&r, &v.sub_vendor) ||
		    wire_get_u32(&r, &v.sub_code))
			return pa_value_truncated(ret_err, &r);
		if (wire_get_bytes(&r, wire_remaining(&r), &v.sub_info))
			return pa_value_truncated(ret_err, &r);
		*ret = v;
		return 0;
	}
	at = wire_offset(&r);
	if (wire_get_bytes(&r, wire_remaining(&r), &v.description))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_check_text(v.description, at, ret_err)))
		return err;
	*ret = v;
	return 0;
}

void
pa_swima_error_encode(struct wire_writer *w, const struct pa_swima_error *v)
{
	bool fulfillment = v->code == PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT;

	if (!pa_swima_is_error_code(PA_TNC_VENDOR_IETF, v->code) ||
	    (fulfillment && v->sub_vendor > PA_TNC_VENDOR_MAX) ||
	    (!fulfillment && !pa_value_is_text(v->description))) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	/* The PA-TNC Error header (RFC 5792 4.2.8). */
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u24(w, PA_TNC_VENDOR_IETF);
	wire_put_u32(w, v->code);
	wire_put_u32(w, v->request_id);
	if (v->code == PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE)
		wire_put_u32(w, v->max_size);
	if (fulfillment) {
		wire_put_u8(w, 0); /* Reserved */
		wire_put_u24(w, v->sub_vendor);
		wire_put_u32(w, v->sub_code);
		wire_put_bytes(w, v->sub_info.ptr, v->sub_info.len);
		return;
	}
	wire_put_bytes(w, v->description.ptr, v->description.len);
}
