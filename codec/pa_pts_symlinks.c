/* pa_pts_symlinks.c - ITA-HSR Get Symlinks and Symlinks (see
 * pa_pts_symlinks.h). */
#include "pa_pts_symlinks.h"

#include "pa_value.h"

/* Paths are text and not empty. */
static int
get_path16(struct wire_reader *r, struct bytes *ret, struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint16_t len;

	if (wire_get_u16(r, &len))
		return pa_value_truncated(e, r);
	if (len == 0)
		return pa_value_fail(e, TNC_EINVALID, at, "empty path");
	if (wire_get_bytes(r, len, ret))
		return pa_value_fail(e, TNC_ETRUNCATED, at, "path length past the end of the value");
	return pa_value_check_text(*ret, at + 2, e);
}

int
pa_pts_symlinks_request_decode(struct bytes value, struct bytes *ret_dir,
    struct parse_error *ret_err)
{
	int err;

	if (value.len == 0)
		return pa_value_fail(ret_err, TNC_ETRUNCATED, 0, "directory is empty");
	if ((err = pa_value_check_text(value, 0, ret_err)))
		return err;
	*ret_dir = value;
	return 0;
}

void
pa_pts_symlinks_request_encode(struct wire_writer *w, struct bytes dir)
{
	if (dir.len == 0 || !pa_value_is_text(dir))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_bytes(w, dir.ptr, dir.len);
}

int
pa_pts_symlinks_decode(struct bytes value, struct pa_pts_symlinks *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_symlinks v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, &v.count))
		return pa_value_truncated(ret_err, &r);
	/* Each link takes at least two lengths and two octets of paths. */
	if (v.count > wire_remaining(&r) / 6)
		return pa_value_fail(ret_err, TNC_ETOOLONG, 0, "more symlinks than the value can hold");
	v.entries = (struct bytes){value.ptr + 4, wire_remaining(&r)};
	for (uint32_t i = 0; i < v.count; i++) {
		struct pa_pts_symlink s;

		if ((err = get_path16(&r, &s.link, ret_err)) || (err = get_path16(&r, &s.dir, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_pts_symlinks_iter_init(struct pa_pts_symlinks_iter *it, const struct pa_pts_symlinks *s)
{
	wire_reader_init(&it->r, s->entries.ptr, s->entries.len);
}

bool
pa_pts_symlinks_next(struct pa_pts_symlinks_iter *it, struct pa_pts_symlink *ret)
{
	struct parse_error ignored;

	return wire_remaining(&it->r) > 0 && get_path16(&it->r, &ret->link, &ignored) == 0 &&
	    get_path16(&it->r, &ret->dir, &ignored) == 0;
}

void
pa_pts_symlinks_encode(struct wire_writer *w, const struct pa_pts_symlink *links, size_t n)
{
	if (n > UINT32_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u32(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct bytes *p[2] = {&links[i].link, &links[i].dir};

		for (size_t k = 0; k < 2; k++) {
			if (p[k]->len == 0 || p[k]->len > UINT16_MAX || !pa_value_is_text(*p[k]))
				wire_writer_fail(w, TNC_EINVALID);
			wire_put_u16(w, (uint16_t)p[k]->len);
			wire_put_bytes(w, p[k]->ptr, p[k]->len);
		}
	}
}
