/* pa_pts_comp.c - Request Functional Component Evidence and Simple Component
 * Evidence (TCG PTS IF-M binding 3.14.1, 3.15.1), the Measurement
 * Date/Time text and strongSwan's IMA policy URI (see pa_pts_comp.h).
 *
 * Offsets in errors count from the start of the value.  The fixed part of
 * Simple Component Evidence is 40 octets: flags 0, depth 1, name 4,
 * measurement type 12, PCR 13, hash algorithm 16, transform 18, time 20.
 */
#include "pa_pts_comp.h"

#include <stdio.h>
#include <string.h>

#include "pa_value.h"

int
pa_pts_comp_request_decode(struct bytes value, struct pa_pts_comp_request *ret,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	size_t n = 0;

	if (value.len == 0)
		return pa_value_fail(ret_err, TNC_ETRUNCATED, 0, "no component requested");
	if (value.len / PA_PTS_REQ_ENTRY_LEN > PA_PTS_MAX_COMPONENTS)
		return pa_value_fail(ret_err, TNC_ETOOLONG,
		    PA_PTS_MAX_COMPONENTS * PA_PTS_REQ_ENTRY_LEN, "more than 64 components requested");
	wire_reader_init(&r, value.ptr, value.len);
	while (wire_remaining(&r) > 0) {
		struct pa_pts_comp_name name;
		uint32_t depth;
		uint8_t flags;
		int err;

		if (wire_get_u8(&r, &flags) || wire_get_u24(&r, &depth))
			return pa_value_truncated(ret_err, &r);
		if ((err = pa_pts_comp_name_get(&r, &name, ret_err)))
			return err;
		n++;
	}
	ret->entries = value;
	ret->count = n;
	return 0;
}

struct pa_pts_comp_request_entry
pa_pts_comp_request_get(const struct pa_pts_comp_request *req, size_t i)
{
	/* The decoder checked every entry: read the octets in place. */
	const uint8_t *p = req->entries.ptr + PA_PTS_REQ_ENTRY_LEN * i;

	return (struct pa_pts_comp_request_entry){
		.flags = p[0] & PA_PTS_REQ_FLAGS_ALL,
		.depth = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3],
		.name = {
			.vendor = (uint32_t)p[4] << 16 | (uint32_t)p[5] << 8 | p[6],
			.qualifier = p[7],
			.name = (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11],
		},
	};
}

void
pa_pts_comp_request_encode(struct wire_writer *w, const struct pa_pts_comp_request_entry *entries,
    size_t n)
{
	if (n == 0 || n > PA_PTS_MAX_COMPONENTS)
		wire_writer_fail(w, TNC_EINVALID);
	for (size_t i = 0; i < n; i++) {
		if ((entries[i].flags & ~PA_PTS_REQ_FLAGS_ALL) || entries[i].depth > 0xffffff)
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u8(w, entries[i].flags);
		wire_put_u24(w, entries[i].depth);
		pa_pts_comp_name_put(w, &entries[i].name);
	}
}

/* Days from 1970-01-01 to y-m-d of the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	return era * 146097 + (int64_t)(yoe * 365 + yoe / 4 - yoe / 100 + doy) - 719468;
}

static unsigned
days_in_month(int64_t y, unsigned m)
{
	static const unsigned char days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return days[m - 1] + (m == 2 && leap);
}

/* n digits at s as a number; false if any is not a digit. */
static bool
digits(const uint8_t *s, size_t n, unsigned *ret)
{
	unsigned v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*ret = v;
	return true;
}

int
pa_pts_time_parse(struct bytes text, bool *ret_known, int64_t *ret_unix)
{
	const uint8_t *s = text.ptr;
	unsigned y, mo, d, h, mi, sec;

	if (text.len != PA_PTS_TIME_LEN || s[4] != '-' || s[7] != '-' || s[10] != 'T' ||
	    s[13] != ':' || s[16] != ':' || s[19] != 'Z' || !digits(s, 4, &y) ||
	    !digits(s + 5, 2, &mo) || !digits(s + 8, 2, &d) || !digits(s + 11, 2, &h) ||
	    !digits(s + 14, 2, &mi) || !digits(s + 17, 2, &sec))
		return TNC_EINVALID;
	if (y == 0 && mo == 0 && d == 0 && h == 0 && mi == 0 && sec == 0) {
		*ret_known = false;
		*ret_unix = 0;
		return 0;
	}
	/* RFC 3339 5.6/5.7; a leap second (60) is allowed. */
	if (y == 0 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 ||
	    mi > 59 || sec > 60)
		return TNC_EINVALID;
	*ret_known = true;
	*ret_unix = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	return 0;
}

void
pa_pts_time_format(char *out, bool known, int64_t unix_time)
{
	int64_t days, secs, z, era, y;
	unsigned doe, yoe, doy, mp, d, m;
	char text[64];

	if (!known || unix_time < days_from_civil(1, 1, 1) * 86400 ||
	    unix_time >= days_from_civil(10000, 1, 1) * 86400) {
		memcpy(out, "0000-00-00T00:00:00Z", PA_PTS_TIME_LEN + 1);
		return;
	}
	days = unix_time / 86400 - (unix_time % 86400 < 0);
	secs = unix_time - days * 86400;
	/* The inverse of days_from_civil(). */
	z = days + 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = (unsigned)(z - era * 146097);
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	y = (int64_t)yoe + era * 400;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	d = doy - (153 * mp + 2) / 5 + 1;
	m = mp < 10 ? mp + 3 : mp - 9;
	y += m <= 2;
	/* Every field is in range: the text is PA_PTS_TIME_LEN characters. */
	snprintf(text, sizeof(text), "%04d-%02u-%02uT%02d:%02d:%02dZ", (int)y, m, d,
	    (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
	memcpy(out, text, PA_PTS_TIME_LEN + 1);
}

/* The optional fields after the fixed 40 octets, as flags announce. */
static int
get_optional(struct wire_reader *r, struct pa_pts_comp_evidence *v, struct parse_error *e)
{
	uint8_t validation = v->flags & PA_PTS_EVID_VALIDATION_MASK;
	uint16_t len;
	size_t at;
	int err;

	if (validation == PA_PTS_VALIDATION_FAILED || validation == PA_PTS_VALIDATION_PASSED) {
		at = wire_offset(r);
		if (wire_get_u16(r, &len))
			return pa_value_truncated(e, r);
		if (wire_get_bytes(r, len, &v->policy_uri))
			return pa_value_fail(e, TNC_ETRUNCATED, at,
			    "policy URI length past the end of the value");
		if ((err = pa_value_check_text(v->policy_uri, at + 2, e)))
			return err;
	}
	if (v->flags & PA_PTS_EVID_FLAG_PCR) {
		at = wire_offset(r);
		if (wire_get_u16(r, &len))
			return pa_value_truncated(e, r);
		if (len == 0 || len > PA_PTS_HASH_MAX)
			return pa_value_fail(e, TNC_EINVALID, at, "PCR value length is not 1 to 64");
		if (wire_get_bytes(r, len, &v->pcr_before) || wire_get_bytes(r, len, &v->pcr_after))
			return pa_value_fail(e, TNC_ETRUNCATED, at,
			    "PCR values past the end of the value");
	}
	at = wire_offset(r);
	if (wire_remaining(r) == 0 || wire_remaining(r) > PA_PTS_HASH_MAX)
		return pa_value_fail(e, TNC_EINVALID, at, "measurement is not 1 to 64 octets");
	return wire_get_bytes(r, wire_remaining(r), &v->measurement);
}

int
pa_pts_comp_evidence_decode(struct bytes value, struct pa_pts_comp_evidence *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_comp_evidence v;
	struct wire_reader r;
	uint8_t type, reserved;
	int64_t unix_time;
	bool known;
	int err;

	memset(&v, 0, sizeof(v));
	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.depth))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_pts_comp_name_get(&r, &v.name, ret_err)))
		return err;
	if (wire_get_u8(&r, &type) || wire_get_u24(&r, &v.pcr) ||
	    wire_get_u16(&r, &v.hash_algo) || wire_get_u8(&r, &v.transform) ||
	    wire_get_u8(&r, &reserved) || wire_get_bytes(&r, PA_PTS_TIME_LEN, &v.time))
		return pa_value_truncated(ret_err, &r);
	if (type != PA_PTS_MEAS_TYPE_HASH)
		return pa_value_fail(ret_err, TNC_EINVALID, 12, "measurement type is not a hash");
	if (!pa_pts_algo_is_one(v.hash_algo))
		return pa_value_fail(ret_err, TNC_EINVALID, 16,
		    "hash algorithm is not exactly one known algorithm");
	if (v.transform > PA_PTS_TRANSFORM_LONG)
		return pa_value_fail(ret_err, TNC_EINVALID, 18, "unknown PCR transform");
	if (pa_pts_time_parse(v.time, &known, &unix_time))
		return pa_value_fail(ret_err, TNC_EINVALID, 20,
		    "measurement time is not YYYY-MM-DDThh:mm:ssZ");
	/* Reserved flag bits are dropped before they decide anything. */
	v.flags &= PA_PTS_EVID_FLAG_PCR | PA_PTS_EVID_VALIDATION_MASK;
	if ((err = get_optional(&r, &v, ret_err)))
		return err;
	*ret = v;
	return 0;
}

void
pa_pts_comp_evidence_encode(struct wire_writer *w, const struct pa_pts_comp_evidence *v)
{
	uint8_t validation = v->flags & PA_PTS_EVID_VALIDATION_MASK;
	bool has_uri = validation == PA_PTS_VALIDATION_FAILED ||
	    validation == PA_PTS_VALIDATION_PASSED;
	bool has_pcr = (v->flags & PA_PTS_EVID_FLAG_PCR) != 0;
	bool known;
	int64_t unix_time;

	if ((v->flags & ~(PA_PTS_EVID_FLAG_PCR | PA_PTS_EVID_VALIDATION_MASK)) ||
	    v->depth > 0xffffff || v->pcr > 0xffffff || !pa_pts_algo_is_one(v->hash_algo) ||
	    v->transform > PA_PTS_TRANSFORM_LONG || pa_pts_time_parse(v->time, &known, &unix_time) ||
	    (!has_uri && v->policy_uri.len) || v->policy_uri.len > UINT16_MAX ||
	    !pa_value_is_text(v->policy_uri) || has_pcr != (v->pcr_before.len > 0) ||
	    v->pcr_before.len != v->pcr_after.len || v->pcr_before.len > PA_PTS_HASH_MAX ||
	    v->measurement.len == 0 || v->measurement.len > PA_PTS_HASH_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->flags);
	wire_put_u24(w, v->depth);
	pa_pts_comp_name_put(w, &v->name);
	wire_put_u8(w, PA_PTS_MEAS_TYPE_HASH);
	wire_put_u24(w, v->pcr);
	wire_put_u16(w, v->hash_algo);
	wire_put_u8(w, v->transform);
	wire_put_u8(w, 0); /* Reserved */
	wire_put_bytes(w, v->time.ptr, v->time.len);
	if (has_uri) {
		wire_put_u16(w, (uint16_t)v->policy_uri.len);
		wire_put_bytes(w, v->policy_uri.ptr, v->policy_uri.len);
	}
	if (has_pcr) {
		wire_put_u16(w, (uint16_t)v->pcr_before.len);
		wire_put_bytes(w, v->pcr_before.ptr, v->pcr_before.len);
		wire_put_bytes(w, v->pcr_after.ptr, v->pcr_after.len);
	}
	wire_put_bytes(w, v->measurement.ptr, v->measurement.len);
}

/* IMA hash algorithm names are lower-case letters, digits, '-' and '_'. */
static bool
is_algo_char(uint8_t c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

void
pa_pts_ima_uri_split(struct bytes uri, struct pa_pts_ima_uri *ret)
{
	/* Longer than any IMA algorithm name ("streebog512"). */
	const size_t algo_max = 16;
	size_t i = 0;

	while (i < uri.len && i <= algo_max && is_algo_char(uri.ptr[i]))
		i++;
	ret->has_algo = i < uri.len && i <= algo_max && uri.ptr[i] == ':';
	if (ret->has_algo) {
		ret->algo = (struct bytes){uri.ptr, i};
		ret->path = (struct bytes){uri.ptr + i + 1, uri.len - i - 1};
	} else {
		ret->algo = (struct bytes){uri.ptr, 0};
		ret->path = uri;
	}
}
