/* ikev2.c - the IKE header and the payload chain (RFC 7296 2.5, 3.1, 3.2).
 *
 * Header checks, in order: complete, major version (INVALID_MAJOR_VERSION
 * above 2, refused below), length (at least the header, under the cap,
 * equal to the datagram).  Chain checks per payload: the generic header
 * complete, the payload length at least 4 and within the chain, the count
 * under the cap, an unknown type skipped unless critical, a known type's
 * body decoded (ikev2_payloads.c, ikev2_sa.c); SK and SKF end the chain and
 * must reach the end of the message (and are refused inside a decrypted
 * chain); after the last payload nothing may follow.  The minor version and the unknown flag bits are ignored, as 3.1
 * says.
 */
#include "ikev2_int.h"

#include <string.h>

bool
ikev2_payload_known(uint8_t type)
{
	return (type >= IKEV2_PL_SA && type <= IKEV2_PL_EAP) || type == IKEV2_PL_SKF;
}

static bool
is_encrypted(uint8_t type)
{
	return type == IKEV2_PL_SK || type == IKEV2_PL_SKF;
}

static int
parse_header(struct wire_reader *r, size_t len, const struct ikev2_limits *lim,
    struct ikev2_header *h, struct parse_error *e)
{
	uint8_t version;

	if (wire_get_u64(r, &h->spi_i) || wire_get_u64(r, &h->spi_r) ||
	    wire_get_u8(r, &h->next_payload) || wire_get_u8(r, &version) ||
	    wire_get_u8(r, &h->exchange) || wire_get_u8(r, &h->flags) ||
	    wire_get_u32(r, &h->message_id) || wire_get_u32(r, &h->length))
		return ikev2_syntax(e, TNC_ETRUNCATED, wire_offset(r), "IKE header truncated");
	h->major = version >> 4;
	h->minor = version & 0x0f;
	if (h->major > IKEV2_MAJOR_VERSION)
		return parse_fail(e, TNC_EVERSION, IKEV2_N_INVALID_MAJOR_VERSION, 17,
		    "IKE major version above 2");
	if (h->major < IKEV2_MAJOR_VERSION)
		return parse_fail(e, TNC_EVERSION, IKEV2_N_INVALID_MAJOR_VERSION, 17,
		    "IKE major version below 2 (IKEv1)");
	if (h->length < IKEV2_HEADER_LEN)
		return ikev2_syntax(e, TNC_EINVALID, 24, "IKE length below the header");
	if (h->length > lim->max_msg_len)
		return ikev2_syntax(e, TNC_ETOOLONG, 24, "IKE length above the limit");
	if (h->length > len)
		return ikev2_syntax(e, TNC_ETRUNCATED, 24, "IKE length past the end of the datagram");
	if (h->length != len)
		return ikev2_syntax(e, TNC_ETRAILING, 24, "IKE length shorter than the datagram");
	return 0;
}

/* One generic payload header and its body; *ret gets type (named by the
 * previous Next Payload field, at next_at), next, critical, offset, body. */
static int
take_payload(struct wire_reader *r, uint8_t type, uint32_t base, struct ikev2_payload *ret,
    struct parse_error *e)
{
	uint8_t flags;
	uint16_t length;

	memset(ret, 0, sizeof(*ret));
	ret->type = type;
	ret->offset = base + (uint32_t)wire_offset(r);
	if (wire_get_u8(r, &ret->next) || wire_get_u8(r, &flags) || wire_get_u16(r, &length))
		return ikev2_syntax(e, TNC_ETRUNCATED, ret->offset, "payload header truncated");
	ret->critical = flags & IKEV2_PAYLOAD_CRITICAL;
	if (length < IKEV2_PAYLOAD_HEADER_LEN)
		return ikev2_syntax(e, TNC_EINVALID, ret->offset + 2, "payload length below 4");
	if (wire_get_bytes(r, length - IKEV2_PAYLOAD_HEADER_LEN, &ret->body))
		return ikev2_syntax(e, TNC_ETRUNCATED, ret->offset + 2, "payload length past the end of the message");
	return 0;
}

/* The chain of a message (inner false) or of an SK payload's plaintext
 * (inner true: no SK or SKF may be nested in it). */
static int
walk_chain(uint8_t first, uint32_t first_named_at, const uint8_t *buf, size_t len,
    uint32_t base, bool response, bool inner, const struct ikev2_limits *lim,
    struct ikev2_chain *ret, struct parse_error *e)
{
	struct wire_reader r;
	struct ikev2_payload p;
	uint8_t type = first;
	/* The Next Payload field naming the current payload. */
	size_t named_at = first_named_at;
	size_t count = 0;
	int err;

	wire_reader_init(&r, buf, len);
	while (type != IKEV2_PL_NONE) {
		if (count >= lim->max_payloads)
			return ikev2_syntax(e, TNC_ETOOLONG, base + wire_offset(&r), "too many payloads");
		bool known = ikev2_payload_known(type);
		if ((err = take_payload(&r, type, base, &p, e)))
			return err;
		count++;
		if (!known && p.critical)
			return parse_fail(e, TNC_ETYPE, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD,
			    named_at, "unsupported payload with the critical bit");
		if (known && (err = ikev2_payload_decode(&p, response, e)))
			return err;
		if (is_encrypted(type)) {
			if (inner)
				return ikev2_syntax(e, TNC_EINVALID, p.offset,
				    "encrypted payload inside an encrypted payload");
			if (wire_remaining(&r))
				return ikev2_syntax(e, TNC_EINVALID, p.offset, "encrypted payload not the last");
			break;
		}
		named_at = p.offset;
		type = p.next;
	}
	if (wire_remaining(&r))
		return ikev2_syntax(e, TNC_ETRAILING, base + wire_offset(&r), "bytes after the last payload");
	ret->first = first;
	ret->buf = (struct bytes){buf, len};
	ret->base = base;
	ret->response = response;
	ret->count = count;
	return 0;
}

int
ikev2_chain_parse(uint8_t first, uint32_t first_named_at, const uint8_t *buf, size_t len,
    uint32_t base, bool response, const struct ikev2_limits *lim, struct ikev2_chain *ret,
    struct parse_error *e)
{
	return walk_chain(first, first_named_at, buf, len, base, response, true, lim, ret, e);
}

int
ikev2_msg_parse(const uint8_t *buf, size_t len, const struct ikev2_limits *lim,
    struct ikev2_msg *ret, struct parse_error *e)
{
	struct wire_reader r;
	struct ikev2_msg m;
	int err;

	wire_reader_init(&r, buf, len);
	if ((err = parse_header(&r, len, lim, &m.hdr, e)))
		return err;
	if ((err = walk_chain(m.hdr.next_payload, IKEV2_HEADER_NEXT_AT, buf + IKEV2_HEADER_LEN,
	    len - IKEV2_HEADER_LEN, IKEV2_HEADER_LEN, m.hdr.flags & IKEV2_FLAG_RESPONSE, false,
	    lim, &m.chain, e)))
		return err;
	*ret = m;
	return 0;
}

void
ikev2_iter_init(struct ikev2_iter *it, const struct ikev2_chain *c)
{
	wire_reader_init(&it->r, c->buf.ptr, c->buf.len);
	it->next = c->first;
	it->base = c->base;
	it->response = c->response;
}

bool
ikev2_iter_next(struct ikev2_iter *it, struct ikev2_payload *ret)
{
	/* The chain was validated: the checks below only keep a misuse (an
	 * unvalidated chain) from reading out of bounds. */
	while (it->next != IKEV2_PL_NONE && wire_remaining(&it->r)) {
		uint8_t type = it->next;
		if (take_payload(&it->r, type, it->base, ret, NULL))
			break;
		it->next = is_encrypted(type) ? IKEV2_PL_NONE : ret->next;
		if (!ikev2_payload_known(type))
			continue;
		if (ikev2_payload_decode(ret, it->response, NULL))
			break;
		return true;
	}
	it->next = IKEV2_PL_NONE;
	return false;
}
