/* ikev2_sa.c - SA payloads: proposals, transforms, transform attributes
 * (RFC 7296 3.3).
 *
 * A proposal: Last Substruc 0 (last) or 2, length at least 8 and within
 * the payload, Proposal Num 1, 2, 3, ... in a request and a single
 * proposal in a response (3.3.1: "the first proposal ... MUST be 1, and
 * subsequent proposals MUST be one more than the previous"; the accepted
 * one keeps its number), protocol IKE, AH or ESP, SPI size 0 or 8 for IKE
 * and 4 for AH and ESP (3.3.1), at least one transform, and as many as
 * "Num Transforms" says.  A transform: Last Substruc 0 or 3, length at
 * least 8 and within the proposal, attributes each complete, the Key Length
 * attribute (3.3.5) in TV format and at most once.
 */
#include "ikev2_int.h"

#define PROPOSAL_HEADER_LEN 8
#define TRANSFORM_HEADER_LEN 8
#define SUBSTRUC_LAST 0
#define SUBSTRUC_MORE_PROPOSALS 2
#define SUBSTRUC_MORE_TRANSFORMS 3
#define IKE_SPI_LEN 8
#define CHILD_SPI_LEN 4

/* Reads one attribute; *key_length set when it is the Key Length. */
static int
decode_attr(struct wire_reader *r, uint32_t offset, uint16_t *key_length, bool *seen,
    struct parse_error *e)
{
	uint32_t at = offset + (uint32_t)wire_offset(r);
	uint16_t type, value;
	struct bytes tlv;

	if (wire_get_u16(r, &type) || wire_get_u16(r, &value))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "transform attribute truncated");
	if (!(type & IKEV2_ATTR_TV)) {
		if (type == IKEV2_ATTR_KEY_LENGTH)
			return ikev2_syntax(e, TNC_EINVALID, at, "Key Length attribute not in TV format");
		if (wire_get_bytes(r, value, &tlv))
			return ikev2_syntax(e, TNC_ETRUNCATED, at + 2,
			    "transform attribute length past the end of the transform");
		return 0;
	}
	if ((type & ~IKEV2_ATTR_TV) == IKEV2_ATTR_KEY_LENGTH) {
		if (*seen)
			return ikev2_syntax(e, TNC_EINVALID, at, "Key Length attribute twice");
		*seen = true;
		*key_length = value;
	}
	return 0;
}

static int
decode_transform(struct wire_reader *r, uint32_t offset, uint8_t *last,
    struct ikev2_transform *t, struct parse_error *e)
{
	uint32_t at = offset + (uint32_t)wire_offset(r);
	uint8_t reserved;
	uint16_t length;
	struct wire_reader attrs;
	bool seen = false;
	int err;

	if (wire_get_u8(r, last) || wire_get_u8(r, &reserved) || wire_get_u16(r, &length))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "transform header truncated");
	if (*last != SUBSTRUC_LAST && *last != SUBSTRUC_MORE_TRANSFORMS)
		return ikev2_syntax(e, TNC_EINVALID, at, "transform Last Substruc not 0 or 3");
	if (length < TRANSFORM_HEADER_LEN)
		return ikev2_syntax(e, TNC_EINVALID, at + 2, "transform length below 8");
	if (wire_get_u8(r, &t->type) || wire_get_u8(r, &reserved) || wire_get_u16(r, &t->id) ||
	    wire_get_bytes(r, length - TRANSFORM_HEADER_LEN, &t->attrs))
		return ikev2_syntax(e, TNC_ETRUNCATED, at + 2,
		    "transform length past the end of the proposal");
	t->key_length = 0;
	wire_reader_init(&attrs, t->attrs.ptr, t->attrs.len);
	while (wire_remaining(&attrs))
		if ((err = decode_attr(&attrs, at + TRANSFORM_HEADER_LEN, &t->key_length, &seen, e)))
			return err;
	return 0;
}

static int
check_spi_size(const struct ikev2_proposal *p, uint32_t at, struct parse_error *e)
{
	switch (p->protocol) {
	case IKEV2_PROTO_IKE:
		if (p->spi.len != 0 && p->spi.len != IKE_SPI_LEN)
			return ikev2_syntax(e, TNC_EINVALID, at + 6, "IKE proposal SPI size not 0 or 8");
		return 0;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		if (p->spi.len != CHILD_SPI_LEN)
			return ikev2_syntax(e, TNC_EINVALID, at + 6, "AH/ESP proposal SPI size not 4");
		return 0;
	default:
		return ikev2_syntax(e, TNC_EINVALID, at + 5, "unknown proposal protocol");
	}
}

/* The proposal's fields after its 4-octet substructure header. */
static int
decode_proposal_body(struct wire_reader *r, uint32_t at, struct ikev2_proposal *p,
    struct parse_error *e)
{
	uint8_t spi_size;
	int err;

	if (wire_get_u8(r, &p->num) || wire_get_u8(r, &p->protocol) || wire_get_u8(r, &spi_size) ||
	    wire_get_u8(r, &p->transform_count))
		return ikev2_syntax(e, TNC_ETRUNCATED, at + 4, "proposal header truncated");
	if (wire_get_bytes(r, spi_size, &p->spi))
		return ikev2_syntax(e, TNC_ETRUNCATED, at + 6, "proposal SPI size past its end");
	if ((err = check_spi_size(p, at, e)))
		return err;
	p->transforms = (struct bytes){r->base + r->pos, wire_remaining(r)};
	return 0;
}

static int
decode_transforms(const struct ikev2_proposal *p, uint32_t at, struct parse_error *e)
{
	struct wire_reader r;
	struct ikev2_transform t;
	uint32_t offset = at + (uint32_t)(p->transforms.ptr - (p->spi.ptr - PROPOSAL_HEADER_LEN));
	uint8_t last = SUBSTRUC_MORE_TRANSFORMS;
	size_t count = 0;
	int err;

	if (p->transform_count == 0)
		return ikev2_syntax(e, TNC_EINVALID, at + 7, "proposal without transforms");
	wire_reader_init(&r, p->transforms.ptr, p->transforms.len);
	while (wire_remaining(&r)) {
		if (last == SUBSTRUC_LAST)
			return ikev2_syntax(e, TNC_EINVALID, offset + wire_offset(&r),
			    "transform after the last one");
		if ((err = decode_transform(&r, offset, &last, &t, e)))
			return err;
		count++;
	}
	if (last != SUBSTRUC_LAST)
		return ikev2_syntax(e, TNC_EINVALID, at, "last transform's Last Substruc not 0");
	if (count != p->transform_count)
		return ikev2_syntax(e, TNC_EINVALID, at + 7, "Num Transforms does not match the transforms");
	return 0;
}

static int
check_number(const struct ikev2_proposal *p, size_t index, bool response, uint32_t at,
    struct parse_error *e)
{
	if (response) {
		if (index > 0)
			return ikev2_syntax(e, TNC_EINVALID, at, "more than one proposal in a response");
		if (p->num == 0)
			return ikev2_syntax(e, TNC_EINVALID, at + 4, "proposal number 0");
		return 0;
	}
	if (p->num != index + 1)
		return ikev2_syntax(e, TNC_EINVALID, at + 4, "proposal numbers not 1, 2, 3, ...");
	return 0;
}

int
ikev2_sa_decode(struct bytes body, uint32_t offset, bool response, struct parse_error *e)
{
	struct wire_reader r, pr;
	struct ikev2_proposal p;
	uint8_t last = SUBSTRUC_MORE_PROPOSALS, reserved;
	uint16_t length;
	struct bytes whole;
	size_t index = 0;
	int err;

	wire_reader_init(&r, body.ptr, body.len);
	while (wire_remaining(&r)) {
		uint32_t at = offset + (uint32_t)wire_offset(&r);
		if (last == SUBSTRUC_LAST)
			return ikev2_syntax(e, TNC_EINVALID, at, "proposal after the last one");
		if (wire_get_u8(&r, &last) || wire_get_u8(&r, &reserved) || wire_get_u16(&r, &length))
			return ikev2_syntax(e, TNC_ETRUNCATED, at, "proposal header truncated");
		if (last != SUBSTRUC_LAST && last != SUBSTRUC_MORE_PROPOSALS)
			return ikev2_syntax(e, TNC_EINVALID, at, "proposal Last Substruc not 0 or 2");
		if (length < PROPOSAL_HEADER_LEN)
			return ikev2_syntax(e, TNC_EINVALID, at + 2, "proposal length below 8");
		if (wire_get_bytes(&r, length - 4, &whole))
			return ikev2_syntax(e, TNC_ETRUNCATED, at + 2,
			    "proposal length past the end of the SA payload");
		wire_reader_init(&pr, whole.ptr, whole.len);
		pr.base = whole.ptr - 4; /* offsets within the proposal count from its header */
		pr.len = whole.len + 4;
		pr.pos = 4;
		if ((err = decode_proposal_body(&pr, at, &p, e)) ||
		    (err = check_number(&p, index, response, at, e)) ||
		    (err = decode_transforms(&p, at, e)))
			return err;
		index++;
	}
	if (index == 0)
		return ikev2_syntax(e, TNC_EINVALID, offset, "SA payload without proposals");
	if (last != SUBSTRUC_LAST)
		return ikev2_syntax(e, TNC_EINVALID, offset, "last proposal's Last Substruc not 0");
	return 0;
}

bool
ikev2_proposal_next(struct bytes *list, struct ikev2_proposal *ret)
{
	struct wire_reader r;
	uint8_t last, reserved;
	uint16_t length;

	wire_reader_init(&r, list->ptr, list->len);
	if (wire_get_u8(&r, &last) || wire_get_u8(&r, &reserved) || wire_get_u16(&r, &length) ||
	    length < PROPOSAL_HEADER_LEN || length > list->len)
		return false;
	r.len = length;
	if (decode_proposal_body(&r, 0, ret, NULL))
		return false;
	list->ptr += length;
	list->len -= length;
	return true;
}

bool
ikev2_transform_next(struct bytes *list, struct ikev2_transform *ret)
{
	struct wire_reader r;
	uint8_t last;

	wire_reader_init(&r, list->ptr, list->len);
	if (decode_transform(&r, 0, &last, ret, NULL))
		return false;
	list->ptr += wire_offset(&r);
	list->len -= wire_offset(&r);
	return true;
}

static void
put_transform(struct wire_writer *w, bool last, uint8_t type, uint16_t id, uint16_t key_length)
{
	wire_put_u8(w, last ? SUBSTRUC_LAST : SUBSTRUC_MORE_TRANSFORMS);
	wire_put_u8(w, 0);
	wire_put_u16(w, TRANSFORM_HEADER_LEN + (key_length ? 4 : 0));
	wire_put_u8(w, type);
	wire_put_u8(w, 0);
	wire_put_u16(w, id);
	if (key_length) {
		wire_put_u16(w, IKEV2_ATTR_TV | IKEV2_ATTR_KEY_LENGTH);
		wire_put_u16(w, key_length);
	}
}

/* Writes a proposal header with length 0 and returns where to patch it. */
static size_t
put_proposal_header(struct wire_writer *w, bool last, uint8_t num, uint8_t protocol,
    struct bytes spi, size_t transform_count)
{
	size_t start = w->len;

	if (spi.len > UINT8_MAX || transform_count > UINT8_MAX) {
		wire_writer_fail(w, TNC_EINVALID);
		return start;
	}
	wire_put_u8(w, last ? SUBSTRUC_LAST : SUBSTRUC_MORE_PROPOSALS);
	wire_put_u8(w, 0);
	wire_put_u16(w, 0);
	wire_put_u8(w, num);
	wire_put_u8(w, protocol);
	wire_put_u8(w, (uint8_t)spi.len);
	wire_put_u8(w, (uint8_t)transform_count);
	wire_put_bytes(w, spi.ptr, spi.len);
	return start;
}

static void
patch_proposal_length(struct wire_writer *w, size_t start)
{
	if (w->len - start > UINT16_MAX)
		wire_writer_fail(w, TNC_ETOOLONG);
	else
		wire_patch_u16(w, start + 2, (uint16_t)(w->len - start));
}

void
ikev2_sa_put(struct wire_writer *w, const struct ikev2_proposal_spec *props, size_t count)
{
	for (size_t i = 0; i < count; i++) {
		const struct ikev2_proposal_spec *p = &props[i];
		size_t start = put_proposal_header(w, i + 1 == count, p->num, p->protocol, p->spi,
		    p->transform_count);
		for (size_t j = 0; j < p->transform_count; j++) {
			const struct ikev2_transform_spec *t = &p->transforms[j];
			put_transform(w, j + 1 == p->transform_count, t->type, t->id, t->key_length);
		}
		patch_proposal_length(w, start);
	}
}

void
ikev2_sa_put_decoded(struct wire_writer *w, struct bytes proposals)
{
	struct ikev2_proposal p;
	struct ikev2_transform t;

	while (ikev2_proposal_next(&proposals, &p)) {
		size_t start = put_proposal_header(w, proposals.len == 0, p.num, p.protocol, p.spi,
		    p.transform_count);
		while (ikev2_transform_next(&p.transforms, &t))
			put_transform(w, p.transforms.len == 0, t.type, t.id, t.key_length);
		patch_proposal_length(w, start);
	}
}
