/* pa_value.c - error reports of the PA-TNC value decoders (see pa_value.h). */
#include "pa_value.h"

#include "pa_tnc.h"

int
pa_value_fail(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, PA_TNC_ERROR_INVALID_PARAMETER, offset, reason);
}

int
pa_value_truncated(struct parse_error *e, const struct wire_reader *r)
{
	return pa_value_fail(e, TNC_ETRUNCATED, wire_offset(r), "attribute value truncated");
}

int
pa_value_end(struct parse_error *e, const struct wire_reader *r)
{
	if (wire_remaining(r) == 0)
		return 0;
	return pa_value_fail(e, TNC_ETRAILING, wire_offset(r), "bytes after the attribute value");
}
