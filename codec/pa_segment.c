/* pa_segment.c - TCG IF-M Segmentation attributes, splitter and reassembler
 * (TCG IF-M Segmentation Specification 1.0 Rev. 5).
 *
 * The layouts follow the wire as strongSwan 5.9 sends it (see the session
 * in testdata/strongswan-session-os-swima): the contracts are two 32-bit
 * sizes, envelopes and Next Segment carry flags and a 24-bit Base Message
 * ID.  Next Segment's C flag is the first bit of the spec's figure; a C in
 * the last bit, as strongSwan encodes it, is honoured too.  The reassembler
 * grows its buffer with the data received, never past the declared Length.
 */
#include "pa_segment.h"

#include <stdlib.h>
#include <string.h>

#include "pa_value.h"

/* strongSwan's encoding of Next Segment's C flag. */
#define FLAG_CANCEL_LSB 0x01

static void
put_flags_id(struct wire_writer *w, uint8_t flags, uint32_t base_msg_id)
{
	if (base_msg_id > PA_SEGMENT_ID_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, flags);
	wire_put_u24(w, base_msg_id);
}

int
pa_segment_contract_decode(struct bytes value, struct pa_segment_contract *ret,
    struct parse_error *ret_err)
{
	struct pa_segment_contract v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, &v.max_msg_size) || wire_get_u32(&r, &v.max_seg_size))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_segment_contract_encode(struct wire_writer *w, const struct pa_segment_contract *v)
{
	wire_put_u32(w, v->max_msg_size);
	wire_put_u32(w, v->max_seg_size);
}

int
pa_segment_envelope_decode(struct bytes value, struct pa_segment_envelope *ret,
    struct parse_error *ret_err)
{
	struct pa_segment_envelope v;
	struct wire_reader r;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.base_msg_id) ||
	    wire_get_bytes(&r, wire_remaining(&r), &v.segment))
		return pa_value_truncated(ret_err, &r);
	v.flags &= PA_SEGMENT_FLAG_MORE | PA_SEGMENT_FLAG_START;
	*ret = v;
	return 0;
}

void
pa_segment_envelope_encode(struct wire_writer *w, const struct pa_segment_envelope *v)
{
	put_flags_id(w, v->flags & (PA_SEGMENT_FLAG_MORE | PA_SEGMENT_FLAG_START), v->base_msg_id);
	wire_put_bytes(w, v->segment.ptr, v->segment.len);
}

int
pa_segment_next_decode(struct bytes value, struct pa_segment_next *ret,
    struct parse_error *ret_err)
{
	struct pa_segment_next v;
	struct wire_reader r;
	uint8_t flags;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &flags) || wire_get_u24(&r, &v.base_msg_id))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	v.cancel = (flags & (PA_SEGMENT_FLAG_CANCEL | FLAG_CANCEL_LSB)) != 0;
	*ret = v;
	return 0;
}

void
pa_segment_next_encode(struct wire_writer *w, const struct pa_segment_next *v)
{
	put_flags_id(w, v->cancel ? PA_SEGMENT_FLAG_CANCEL : 0, v->base_msg_id);
}

int
pa_segment_cancel_decode(struct bytes value, uint32_t *ret_base_msg_id,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	uint8_t reserved;
	uint32_t id;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &reserved) || wire_get_u24(&r, &id))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret_base_msg_id = id;
	return 0;
}

void
pa_segment_cancel_encode(struct wire_writer *w, uint32_t base_msg_id)
{
	put_flags_id(w, 0, base_msg_id);
}

/* The Length field of the attribute header at p. */
static uint32_t
header_length(const uint8_t *p)
{
	return (uint32_t)p[8] << 24 | (uint32_t)p[9] << 16 | (uint32_t)p[10] << 8 | p[11];
}

int
pa_segment_splitter_init(struct pa_segment_splitter *s, struct bytes attr, uint32_t base_msg_id,
    size_t max_seg_size)
{
	if (attr.len < PA_TNC_ATTR_HEADER_LEN || header_length(attr.ptr) != attr.len ||
	    max_seg_size < PA_TNC_ATTR_HEADER_LEN || base_msg_id > PA_SEGMENT_ID_MAX)
		return TNC_EINVALID;
	s->attr = attr;
	s->pos = 0;
	s->max_seg_size = max_seg_size;
	s->base_msg_id = base_msg_id;
	return 0;
}

bool
pa_segment_splitter_next(struct pa_segment_splitter *s, struct pa_segment_envelope *ret)
{
	size_t left = s->attr.len - s->pos;
	size_t n = left < s->max_seg_size ? left : s->max_seg_size;

	if (left == 0)
		return false;
	ret->flags = s->pos == 0 ? PA_SEGMENT_FLAG_START : 0;
	if (n < left)
		ret->flags |= PA_SEGMENT_FLAG_MORE;
	ret->base_msg_id = s->base_msg_id;
	ret->segment.ptr = s->attr.ptr + s->pos;
	ret->segment.len = n;
	s->pos += n;
	return true;
}

struct pa_segment_reasm {
	size_t cap;       /* hard cap on the declared Length */
	uint8_t *buf;
	size_t len;
	size_t alloc;
	size_t want;      /* declared Length; 0 while no exchange is open */
	uint32_t base_msg_id;
	bool done;
};

struct pa_segment_reasm *
pa_segment_reasm_new(size_t max_attr_len)
{
	struct pa_segment_reasm *r = calloc(1, sizeof(*r));

	if (!r)
		abort();
	r->cap = max_attr_len;
	return r;
}

static void
reset(struct pa_segment_reasm *r)
{
	free(r->buf);
	r->buf = NULL;
	r->len = r->alloc = r->want = 0;
	r->done = false;
}

void
pa_segment_reasm_free(struct pa_segment_reasm *r)
{
	if (!r)
		return;
	reset(r);
	free(r);
}

/* Appends seg; the caller has checked len + seg.len <= want. */
static void
append(struct pa_segment_reasm *r, struct bytes seg)
{
	size_t need = r->len + seg.len;

	if (need > r->alloc) {
		size_t n = r->alloc ? r->alloc * 2 : 4096;
		if (n < need)
			n = need;
		if (n > r->want)
			n = r->want;
		uint8_t *p = realloc(r->buf, n);
		if (!p)
			abort(); /* bounded by the caller's cap */
		r->buf = p;
		r->alloc = n;
	}
	if (seg.len)
		memcpy(r->buf + r->len, seg.ptr, seg.len);
	r->len = need;
}

/* Opens an exchange with a START envelope. */
static int
start(struct pa_segment_reasm *r, const struct pa_segment_envelope *env, struct parse_error *e)
{
	uint32_t length;

	if (r->want && !r->done)
		return pa_value_fail(e, TNC_ESTATE, 0, "START while a segment exchange is open");
	reset(r);
	if (env->segment.len < PA_TNC_ATTR_HEADER_LEN)
		return pa_value_fail(e, TNC_ETRUNCATED, 4, "first segment shorter than an attribute header");
	length = header_length(env->segment.ptr);
	if (length < PA_TNC_ATTR_HEADER_LEN)
		return pa_value_fail(e, TNC_EINVALID, 4 + 8, "base attribute length below 12");
	if (length > r->cap)
		return pa_value_fail(e, TNC_ETOOLONG, 4 + 8, "base attribute larger than the cap");
	r->want = length;
	r->base_msg_id = env->base_msg_id;
	return 0;
}

static int
feed(struct pa_segment_reasm *r, const struct pa_segment_envelope *env, struct parse_error *e)
{
	int err;

	if (env->flags & PA_SEGMENT_FLAG_START) {
		if ((err = start(r, env, e)))
			return err;
	} else if (!r->want || r->done) {
		return pa_value_fail(e, TNC_ESTATE, 0, "segment without START");
	} else if (env->base_msg_id != r->base_msg_id) {
		return pa_value_fail(e, TNC_EINVALID, 1, "segment of another base message");
	}
	if (env->segment.len > r->want - r->len)
		return pa_value_fail(e, TNC_ETRAILING, 4 + (r->want - r->len),
		    "segments longer than the base attribute");
	append(r, env->segment);
	if (env->flags & PA_SEGMENT_FLAG_MORE) {
		if (r->len == r->want)
			return pa_value_fail(e, TNC_EINVALID, 0, "MORE set but the attribute is complete");
	} else if (r->len < r->want) {
		return pa_value_fail(e, TNC_ETRUNCATED, 0, "last segment ends before the base attribute");
	} else {
		r->done = true;
	}
	return 0;
}

int
pa_segment_reasm_feed(struct pa_segment_reasm *r, const struct pa_segment_envelope *env,
    bool *ret_done, struct parse_error *ret_err)
{
	int err = feed(r, env, ret_err);

	if (err) {
		reset(r);
		return err;
	}
	*ret_done = r->done;
	return 0;
}

int
pa_segment_reasm_attr(const struct pa_segment_reasm *r, struct pa_tnc_attr *ret)
{
	struct parse_error e;

	if (!r->done)
		return TNC_ESTATE;
	/* The header was checked on START and the Length met exactly. */
	return pa_tnc_attr_parse(r->buf, r->len, ret, &e);
}
