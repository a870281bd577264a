/* pa_pts_report.c - Verification Result, Integrity Report and Request
 * Integrity Measurement Log (see pa_pts_report.h). */
#include "pa_pts_report.h"

#include "pa_value.h"

int
pa_pts_xml_decode(struct bytes value, struct bytes *ret, struct parse_error *ret_err)
{
	int err;

	if (value.len == 0)
		return pa_value_fail(ret_err, TNC_ETRUNCATED, 0, "XML document is empty");
	if ((err = pa_value_check_text(value, 0, ret_err)))
		return err;
	*ret = value;
	return 0;
}

void
pa_pts_xml_encode(struct wire_writer *w, struct bytes xml)
{
	if (xml.len == 0 || !pa_value_is_text(xml))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_bytes(w, xml.ptr, xml.len);
}

int
pa_pts_iml_request_decode(struct bytes value, struct pa_pts_iml_request *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_iml_request v = {0};
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.pcr))
		return pa_value_truncated(ret_err, &r);
	v.has_component = wire_remaining(&r) > 0;
	if (v.has_component) {
		if (wire_get_u32(&r, &v.depth))
			return pa_value_truncated(ret_err, &r);
		if ((err = pa_pts_comp_name_get(&r, &v.name, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_pts_iml_request_encode(struct wire_writer *w, const struct pa_pts_iml_request *v)
{
	if (v->pcr > 0xffffff)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->flags);
	wire_put_u24(w, v->pcr);
	if (v->has_component) {
		wire_put_u32(w, v->depth);
		pa_pts_comp_name_put(w, &v->name);
	}
}
