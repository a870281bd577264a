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

/* Index of the first octet of s that is NUL or breaks UTF-8, or s.len. */
static size_t
bad_text_at(struct bytes s)
{
	size_t i = 0;

	while (i < s.len) {
		uint8_t c = s.ptr[i];
		size_t n;
		uint32_t cp, min;

		if (c == 0)
			return i;
		if (c < 0x80) {
			i++;
			continue;
		}
		if ((c & 0xe0) == 0xc0)
			n = 1, cp = c & 0x1f, min = 0x80;
		else if ((c & 0xf0) == 0xe0)
			n = 2, cp = c & 0x0f, min = 0x800;
		else if ((c & 0xf8) == 0xf0)
			n = 3, cp = c & 0x07, min = 0x10000;
		else
			return i;
		if (n >= s.len - i)
			return i;
		for (size_t k = 1; k <= n; k++) {
			if ((s.ptr[i + k] & 0xc0) != 0x80)
				return i;
			cp = cp << 6 | (s.ptr[i + k] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i;
		i += n + 1;
	}
	return i;
}

bool
pa_value_is_text(struct bytes s)
{
	return bad_text_at(s) == s.len;
}

int
pa_value_check_text(struct bytes s, size_t at, struct parse_error *e)
{
	size_t bad = bad_text_at(s);

	if (bad == s.len)
		return 0;
	return pa_value_fail(e, TNC_EINVALID, at + bad, "string is not UTF-8 text without NUL");
}
