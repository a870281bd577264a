/* wire.c - bounds-checked big-endian cursors (see wire.h). */
#include "wire.h"

#include <stdlib.h>
#include <string.h>

void
wire_reader_init(struct wire_reader *r, const void *buf, size_t len)
{
	r->base = buf;
	r->len = buf ? len : 0;
	r->pos = 0;
}

size_t
wire_remaining(const struct wire_reader *r)
{
	return r->len - r->pos;
}

size_t
wire_offset(const struct wire_reader *r)
{
	return r->pos;
}

static uint64_t
read_be(const uint8_t *p, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = v << 8 | p[i];
	return v;
}

static int
get_be(struct wire_reader *r, size_t n, uint64_t *ret)
{
	if (wire_remaining(r) < n)
		return TNC_ETRUNCATED;
	*ret = read_be(r->base + r->pos, n);
	r->pos += n;
	return 0;
}

int
wire_get_u8(struct wire_reader *r, uint8_t *ret)
{
	uint64_t v;
	int err = get_be(r, 1, &v);
	if (err == 0)
		*ret = (uint8_t)v;
	return err;
}

int
wire_get_u16(struct wire_reader *r, uint16_t *ret)
{
	uint64_t v;
	int err = get_be(r, 2, &v);
	if (err == 0)
		*ret = (uint16_t)v;
	return err;
}

int
wire_get_u24(struct wire_reader *r, uint32_t *ret)
{
	uint64_t v;
	int err = get_be(r, 3, &v);
	if (err == 0)
		*ret = (uint32_t)v;
	return err;
}

int
wire_get_u32(struct wire_reader *r, uint32_t *ret)
{
	uint64_t v;
	int err = get_be(r, 4, &v);
	if (err == 0)
		*ret = (uint32_t)v;
	return err;
}

int
wire_get_u64(struct wire_reader *r, uint64_t *ret)
{
	return get_be(r, 8, ret);
}

int
wire_get_bytes(struct wire_reader *r, size_t len, struct bytes *ret)
{
	if (wire_remaining(r) < len)
		return TNC_ETRUNCATED;
	ret->ptr = r->base + r->pos;
	ret->len = len;
	r->pos += len;
	return 0;
}

int
wire_skip(struct wire_reader *r, size_t len)
{
	struct bytes ignored;
	return wire_get_bytes(r, len, &ignored);
}

void
wire_writer_init(struct wire_writer *w, size_t max)
{
	memset(w, 0, sizeof(*w));
	w->max = max;
}

void
wire_writer_clear(struct wire_writer *w)
{
	free(w->buf);
	memset(w, 0, sizeof(*w));
}

static uint8_t *
reserve(struct wire_writer *w, size_t n)
{
	if (w->err)
		return NULL;
	if (n > w->max - w->len) {
		w->err = TNC_ETOOLONG;
		return NULL;
	}
	if (w->len + n > w->cap) {
		size_t cap = w->cap ? w->cap : 256;
		while (cap < w->len + n)
			cap *= 2;
		uint8_t *p = realloc(w->buf, cap);
		if (!p)
			abort(); /* OOM is not a peer-controlled condition: sizes are capped */
		w->buf = p;
		w->cap = cap;
	}
	uint8_t *at = w->buf + w->len;
	w->len += n;
	return at;
}

static void
write_be(uint8_t *p, uint64_t v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static void
put_be(struct wire_writer *w, uint64_t v, size_t n)
{
	uint8_t *p = reserve(w, n);
	if (p)
		write_be(p, v, n);
}

void wire_put_u8(struct wire_writer *w, uint8_t v) { put_be(w, v, 1); }
void wire_put_u16(struct wire_writer *w, uint16_t v) { put_be(w, v, 2); }
void wire_put_u24(struct wire_writer *w, uint32_t v) { put_be(w, v & 0xffffff, 3); }
void wire_put_u32(struct wire_writer *w, uint32_t v) { put_be(w, v, 4); }
void wire_put_u64(struct wire_writer *w, uint64_t v) { put_be(w, v, 8); }

void
wire_put_bytes(struct wire_writer *w, const void *p, size_t len)
{
	if (len == 0)
		return; /* nothing to add; w->buf may still be NULL */
	uint8_t *at = reserve(w, len);
	if (at)
		memcpy(at, p, len);
}

static void
patch_be(struct wire_writer *w, size_t at, uint64_t v, size_t n)
{
	if (w->err)
		return;
	if (at > w->len || n > w->len - at) {
		w->err = TNC_EINVALID;
		return;
	}
	write_be(w->buf + at, v, n);
}

void wire_patch_u16(struct wire_writer *w, size_t at, uint16_t v) { patch_be(w, at, v, 2); }
void wire_patch_u24(struct wire_writer *w, size_t at, uint32_t v) { patch_be(w, at, v & 0xffffff, 3); }
void wire_patch_u32(struct wire_writer *w, size_t at, uint32_t v) { patch_be(w, at, v, 4); }

int
wire_writer_status(const struct wire_writer *w)
{
	return w->err;
}

void
wire_writer_fail(struct wire_writer *w, int err)
{
	if (!w->err)
		w->err = err;
}

bool
bytes_eq_str(struct bytes b, const char *s)
{
	size_t n = strlen(s);
	return b.len == n && (n == 0 || memcmp(b.ptr, s, n) == 0);
}

int
parse_fail(struct parse_error *e, int err, uint32_t code, size_t offset, const char *reason)
{
	if (e) {
		e->code = code;
		e->offset = (uint32_t)offset;
		e->reason = reason;
	}
	return err;
}
