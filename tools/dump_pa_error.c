/* dump_pa_error.c - the PA-TNC Error attribute (RFC 5792 4.2.8, codes 4-8
 * from RFC 8412) for tncdump: the code by name, then the Error Information
 * the codec decodes for the IETF codes 1-3, or the information as received
 * (quoted, so the description text of a SWIMA error stays readable). */
#include "dump_pa_error.h"

#include "pa_ietf_error.h"

int
dump_pa_error_value(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_error v;
	struct bytes hdr;
	char text[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_ietf_error_decode(value, &v, e)))
		return err;
	tree_line(t, "error %s 0x%06x/0x%08x", pa_tnc_error_code_name(v.vendor, v.code), v.vendor,
	    v.code);
	hdr = (struct bytes){v.msg_info, sizeof(v.msg_info)};
	if (v.vendor != PA_TNC_VENDOR_IETF || v.code > PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED) {
		tree_line(t, "information %s", tree_quote(text, v.info));
		return 0;
	}
	tree_hex(t, "offending message header", hdr);
	switch (v.code) {
	case PA_TNC_ERROR_INVALID_PARAMETER:
		tree_line(t, "offset %u", v.offset);
		break;
	case PA_TNC_ERROR_VERSION_NOT_SUPPORTED:
		tree_line(t, "max version %u, min version %u", v.max_version, v.min_version);
		break;
	default: /* Attribute Type Not Supported; the decoder refuses Reserved */
		tree_line(t, "attribute %s 0x%06x/0x%08x, flags 0x%02x",
		    pa_tnc_attr_name(v.attr_vendor, v.attr_type), v.attr_vendor, v.attr_type,
		    v.attr_flags);
		break;
	}
	return 0;
}
