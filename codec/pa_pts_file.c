/* pa_pts_file.c - file metadata and file measurement attributes (TCG PTS
 * IF-M binding 3.17.1, 3.17.3, 3.19.1, 3.19.2; see pa_pts_file.h).
 *
 * A list's count is checked against the smallest size its entries can have
 * before any entry is read, so a count of 2^64-1 costs one division; then
 * each entry is checked once and the iterators read them without checks
 * that could fail.  Offsets in errors count from the start of the value.
 */
#include "pa_pts_file.h"

#include <string.h>

#include "pa_pts.h"
#include "pa_value.h"

/* The path filling the rest of a request: text, not empty. */
static int
get_path(struct wire_reader *r, struct bytes *ret, struct parse_error *e)
{
	size_t at = wire_offset(r);

	if (wire_remaining(r) == 0)
		return pa_value_fail(e, TNC_ETRUNCATED, at, "path is empty");
	if (wire_get_bytes(r, wire_remaining(r), ret))
		return pa_value_truncated(e, r);
	return pa_value_check_text(*ret, at, e);
}

/* 3.19.1: the delimiter is one UTF-8 encoded character, right-aligned in
 * the 32-bit field. */
static bool
is_delimiter(uint32_t d)
{
	const uint8_t o[4] = {(uint8_t)(d >> 24), (uint8_t)(d >> 16), (uint8_t)(d >> 8), (uint8_t)d};
	size_t at = 0, n;

	while (at < 3 && o[at] == 0)
		at++;
	n = o[at] < 0x80 ? 1 : (o[at] & 0xe0) == 0xc0 ? 2 : (o[at] & 0xf0) == 0xe0 ? 3 : 4;
	return o[at] != 0 && n == 4 - at && pa_value_is_text((struct bytes){o + at, n});
}

int
pa_pts_file_meas_request_decode(struct bytes value, struct pa_pts_file_meas_request *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_file_meas_request v;
	struct wire_reader r;
	uint8_t flags, reserved;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &flags) || wire_get_u8(&r, &reserved) ||
	    wire_get_u16(&r, &v.request_id) || wire_get_u32(&r, &v.delimiter))
		return pa_value_truncated(ret_err, &r);
	if (!is_delimiter(v.delimiter))
		return pa_value_fail(ret_err, TNC_EINVALID, 4,
		    "delimiter is not one UTF-8 encoded character");
	if ((err = get_path(&r, &v.path, ret_err)))
		return err;
	v.directory = (flags & PA_PTS_FILE_FLAG_DIRECTORY) != 0;
	*ret = v;
	return 0;
}

void
pa_pts_file_meas_request_encode(struct wire_writer *w, const struct pa_pts_file_meas_request *v)
{
	if (!is_delimiter(v->delimiter) || v->path.len == 0 || !pa_value_is_text(v->path))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->directory ? PA_PTS_FILE_FLAG_DIRECTORY : 0);
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u16(w, v->request_id);
	wire_put_u32(w, v->delimiter);
	wire_put_bytes(w, v->path.ptr, v->path.len);
}

/* A 16-bit length and that much text. */
static int
get_text16(struct wire_reader *r, struct bytes *ret, const char *reason, struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint16_t len;

	if (wire_get_u16(r, &len))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, len, ret))
		return pa_value_fail(e, TNC_ETRUNCATED, at, reason);
	return pa_value_check_text(*ret, at + 2, e);
}

int
pa_pts_file_meas_decode(struct bytes value, struct pa_pts_file_meas *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_file_meas v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u64(&r, &v.count) || wire_get_u16(&r, &v.request_id) ||
	    wire_get_u16(&r, &v.meas_len))
		return pa_value_truncated(ret_err, &r);
	if (v.meas_len > PA_PTS_HASH_MAX)
		return pa_value_fail(ret_err, TNC_EINVALID, 10, "measurement length above 64");
	if (v.count > wire_remaining(&r) / ((size_t)v.meas_len + 2))
		return pa_value_fail(ret_err, TNC_ETOOLONG, 0, "more files than the value can hold");
	v.entries = (struct bytes){value.ptr + wire_offset(&r), wire_remaining(&r)};
	for (uint64_t i = 0; i < v.count; i++) {
		struct bytes measurement, name;

		if (wire_get_bytes(&r, v.meas_len, &measurement))
			return pa_value_truncated(ret_err, &r);
		if ((err = get_text16(&r, &name, "file name length past the end of the value",
		    ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_pts_file_meas_iter_init(struct pa_pts_file_meas_iter *it, const struct pa_pts_file_meas *m)
{
	wire_reader_init(&it->r, m->entries.ptr, m->entries.len);
	it->meas_len = m->meas_len;
}

bool
pa_pts_file_meas_next(struct pa_pts_file_meas_iter *it, struct pa_pts_file_meas_entry *ret)
{
	uint16_t len;

	if (wire_remaining(&it->r) == 0)
		return false;
	return wire_get_bytes(&it->r, it->meas_len, &ret->measurement) == 0 &&
	    wire_get_u16(&it->r, &len) == 0 && wire_get_bytes(&it->r, len, &ret->filename) == 0;
}

void
pa_pts_file_meas_encode(struct wire_writer *w, uint16_t request_id, uint16_t meas_len,
    const struct pa_pts_file_meas_entry *files, size_t n)
{
	if (meas_len > PA_PTS_HASH_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u64(w, n);
	wire_put_u16(w, request_id);
	wire_put_u16(w, meas_len);
	for (size_t i = 0; i < n; i++) {
		if (files[i].measurement.len != meas_len || files[i].filename.len > UINT16_MAX ||
		    !pa_value_is_text(files[i].filename))
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_bytes(w, files[i].measurement.ptr, files[i].measurement.len);
		wire_put_u16(w, (uint16_t)files[i].filename.len);
		wire_put_bytes(w, files[i].filename.ptr, files[i].filename.len);
	}
}

int
pa_pts_file_meta_request_decode(struct bytes value, struct pa_pts_file_meta_request *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_file_meta_request v;
	struct wire_reader r;
	uint16_t reserved;
	uint8_t flags;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &flags) || wire_get_u8(&r, &v.delimiter) ||
	    wire_get_u16(&r, &reserved))
		return pa_value_truncated(ret_err, &r);
	if (v.delimiter == 0 || v.delimiter >= 0x80)
		return pa_value_fail(ret_err, TNC_EINVALID, 1, "delimiter is not an ASCII character");
	if ((err = get_path(&r, &v.path, ret_err)))
		return err;
	v.directory = (flags & PA_PTS_FILE_FLAG_DIRECTORY) != 0;
	*ret = v;
	return 0;
}

void
pa_pts_file_meta_request_encode(struct wire_writer *w, const struct pa_pts_file_meta_request *v)
{
	if (v->delimiter == 0 || v->delimiter >= 0x80 || v->path.len == 0 ||
	    !pa_value_is_text(v->path))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->directory ? PA_PTS_FILE_FLAG_DIRECTORY : 0);
	wire_put_u8(w, v->delimiter);
	wire_put_u16(w, 0); /* Reserved */
	wire_put_bytes(w, v->path.ptr, v->path.len);
}

/* One metadata entry, its length field at the cursor. */
static int
get_meta_entry(struct wire_reader *r, struct pa_pts_file_meta_entry *m, struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint16_t len;
	uint8_t reserved;

	if (wire_get_u16(r, &len))
		return pa_value_truncated(e, r);
	/* The length counts the whole entry, its own two octets included. */
	if (len < PA_PTS_FILE_META_FIXED_LEN)
		return pa_value_fail(e, TNC_EINVALID, at, "file metadata length below 52");
	if (wire_remaining(r) < (size_t)len - 2)
		return pa_value_fail(e, TNC_ETRUNCATED, at,
		    "file metadata length past the end of the value");
	if (wire_get_u8(r, &m->type) || wire_get_u8(r, &reserved) || wire_get_u64(r, &m->size) ||
	    wire_get_u64(r, &m->created) || wire_get_u64(r, &m->modified) ||
	    wire_get_u64(r, &m->accessed) || wire_get_u64(r, &m->owner) ||
	    wire_get_u64(r, &m->group) ||
	    wire_get_bytes(r, len - PA_PTS_FILE_META_FIXED_LEN, &m->filename))
		return pa_value_truncated(e, r);
	return pa_value_check_text(m->filename, at + PA_PTS_FILE_META_FIXED_LEN, e);
}

int
pa_pts_file_meta_decode(struct bytes value, struct pa_pts_file_meta *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_file_meta v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u64(&r, &v.count))
		return pa_value_truncated(ret_err, &r);
	if (v.count > wire_remaining(&r) / PA_PTS_FILE_META_FIXED_LEN)
		return pa_value_fail(ret_err, TNC_ETOOLONG, 0, "more files than the value can hold");
	v.entries = (struct bytes){value.ptr + wire_offset(&r), wire_remaining(&r)};
	for (uint64_t i = 0; i < v.count; i++) {
		struct pa_pts_file_meta_entry m;

		if ((err = get_meta_entry(&r, &m, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_pts_file_meta_iter_init(struct pa_pts_file_meta_iter *it, const struct pa_pts_file_meta *m)
{
	wire_reader_init(&it->r, m->entries.ptr, m->entries.len);
}

bool
pa_pts_file_meta_next(struct pa_pts_file_meta_iter *it, struct pa_pts_file_meta_entry *ret)
{
	struct parse_error ignored;

	return wire_remaining(&it->r) > 0 && get_meta_entry(&it->r, ret, &ignored) == 0;
}

void
pa_pts_file_meta_encode(struct wire_writer *w, const struct pa_pts_file_meta_entry *files,
    size_t n)
{
	wire_put_u64(w, n);
	for (size_t i = 0; i < n; i++) {
		const struct pa_pts_file_meta_entry *m = &files[i];

		if (m->filename.len > UINT16_MAX - PA_PTS_FILE_META_FIXED_LEN ||
		    !pa_value_is_text(m->filename))
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u16(w, (uint16_t)(PA_PTS_FILE_META_FIXED_LEN + m->filename.len));
		wire_put_u8(w, m->type);
		wire_put_u8(w, 0); /* Reserved */
		wire_put_u64(w, m->size);
		wire_put_u64(w, m->created);
		wire_put_u64(w, m->modified);
		wire_put_u64(w, m->accessed);
		wire_put_u64(w, m->owner);
		wire_put_u64(w, m->group);
		wire_put_bytes(w, m->filename.ptr, m->filename.len);
	}
}
