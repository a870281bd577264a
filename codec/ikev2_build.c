/* ikev2_build.c - writes IKEv2 messages and payload chains.
 *
 * Each payload is written with Next Payload 0 and its length patched when
 * it is complete; the previous Next Payload field (the header's, the
 * previous payload's, or the chain's first) is then set to its type.  An
 * SK / SKF payload closes the message: adding after it fails.
 */
#include "ikev2_int.h"

#include <string.h>

/* b->next_at for a bare chain before its first payload. */
#define NEXT_AT_CHAIN_FIRST SIZE_MAX
/* b->next_at once an SK / SKF payload was added. */
#define NEXT_AT_CLOSED (SIZE_MAX - 1)

static void
init(struct ikev2_builder *b, size_t max_len)
{
	memset(b, 0, sizeof(*b));
	wire_writer_init(&b->w, max_len);
}

void
ikev2_builder_init(struct ikev2_builder *b, const struct ikev2_header *h, size_t max_len)
{
	init(b, max_len);
	b->has_header = true;
	b->next_at = IKEV2_HEADER_NEXT_AT;
	wire_put_u64(&b->w, h->spi_i);
	wire_put_u64(&b->w, h->spi_r);
	wire_put_u8(&b->w, IKEV2_PL_NONE);
	wire_put_u8(&b->w, (uint8_t)(h->major << 4 | (h->minor & 0x0f)));
	wire_put_u8(&b->w, h->exchange);
	wire_put_u8(&b->w, h->flags);
	wire_put_u32(&b->w, h->message_id);
	wire_put_u32(&b->w, 0);
}

void
ikev2_builder_init_chain(struct ikev2_builder *b, size_t max_len)
{
	init(b, max_len);
	b->next_at = NEXT_AT_CHAIN_FIRST;
}

/* Links a payload of type into the chain and writes its generic header
 * with Next Payload next; returns its offset. */
static size_t
begin(struct ikev2_builder *b, uint8_t type, uint8_t next)
{
	size_t start = b->w.len;

	if (b->next_at == NEXT_AT_CLOSED) {
		wire_writer_fail(&b->w, TNC_ESTATE);
		return start;
	}
	if (b->next_at == NEXT_AT_CHAIN_FIRST)
		b->first = type;
	else if (!wire_writer_status(&b->w))
		b->w.buf[b->next_at] = type;
	wire_put_u8(&b->w, next);
	wire_put_u8(&b->w, 0);
	wire_put_u16(&b->w, 0);
	return start;
}

static void
end(struct ikev2_builder *b, size_t start)
{
	if (wire_writer_status(&b->w))
		return;
	if (b->w.len - start > UINT16_MAX) {
		wire_writer_fail(&b->w, TNC_ETOOLONG);
		return;
	}
	wire_patch_u16(&b->w, start + 2, (uint16_t)(b->w.len - start));
	b->next_at = start;
}

/* A payload of a type octet, three reserved octets and data. */
static void
add_typed(struct ikev2_builder *b, uint8_t payload_type, uint8_t type, struct bytes data)
{
	size_t start = begin(b, payload_type, IKEV2_PL_NONE);
	wire_put_u8(&b->w, type);
	wire_put_u24(&b->w, 0);
	wire_put_bytes(&b->w, data.ptr, data.len);
	end(b, start);
}

static void
add_raw(struct ikev2_builder *b, uint8_t payload_type, struct bytes data)
{
	size_t start = begin(b, payload_type, IKEV2_PL_NONE);
	wire_put_bytes(&b->w, data.ptr, data.len);
	end(b, start);
}

void
ikev2_builder_add_sa(struct ikev2_builder *b, const struct ikev2_proposal_spec *props,
    size_t count)
{
	size_t start = begin(b, IKEV2_PL_SA, IKEV2_PL_NONE);
	ikev2_sa_put(&b->w, props, count);
	end(b, start);
}

void
ikev2_builder_add_ke(struct ikev2_builder *b, uint16_t group, struct bytes data)
{
	size_t start = begin(b, IKEV2_PL_KE, IKEV2_PL_NONE);
	wire_put_u16(&b->w, group);
	wire_put_u16(&b->w, 0);
	wire_put_bytes(&b->w, data.ptr, data.len);
	end(b, start);
}

void
ikev2_builder_add_id(struct ikev2_builder *b, uint8_t payload_type, uint8_t id_type,
    struct bytes data)
{
	add_typed(b, payload_type, id_type, data);
}

void
ikev2_builder_add_cert(struct ikev2_builder *b, uint8_t payload_type, uint8_t encoding,
    struct bytes data)
{
	size_t start = begin(b, payload_type, IKEV2_PL_NONE);
	wire_put_u8(&b->w, encoding);
	wire_put_bytes(&b->w, data.ptr, data.len);
	end(b, start);
}

void
ikev2_builder_add_auth(struct ikev2_builder *b, uint8_t method, struct bytes data)
{
	add_typed(b, IKEV2_PL_AUTH, method, data);
}

void
ikev2_builder_add_nonce(struct ikev2_builder *b, struct bytes nonce)
{
	add_raw(b, IKEV2_PL_NONCE, nonce);
}

void
ikev2_builder_add_notify(struct ikev2_builder *b, uint8_t protocol, struct bytes spi,
    uint16_t type, struct bytes data)
{
	size_t start = begin(b, IKEV2_PL_NOTIFY, IKEV2_PL_NONE);
	if (spi.len > UINT8_MAX)
		wire_writer_fail(&b->w, TNC_EINVALID);
	wire_put_u8(&b->w, protocol);
	wire_put_u8(&b->w, (uint8_t)spi.len);
	wire_put_u16(&b->w, type);
	wire_put_bytes(&b->w, spi.ptr, spi.len);
	wire_put_bytes(&b->w, data.ptr, data.len);
	end(b, start);
}

void
ikev2_builder_add_delete(struct ikev2_builder *b, uint8_t protocol, uint8_t spi_size,
    uint16_t spi_count, struct bytes spis)
{
	size_t start = begin(b, IKEV2_PL_DELETE, IKEV2_PL_NONE);
	wire_put_u8(&b->w, protocol);
	wire_put_u8(&b->w, spi_size);
	wire_put_u16(&b->w, spi_count);
	wire_put_bytes(&b->w, spis.ptr, spis.len);
	end(b, start);
}

void
ikev2_builder_add_vendor(struct ikev2_builder *b, struct bytes vid)
{
	add_raw(b, IKEV2_PL_VENDOR, vid);
}

void
ikev2_builder_add_ts(struct ikev2_builder *b, uint8_t payload_type, const struct ikev2_ts *ts,
    size_t count)
{
	size_t start = begin(b, payload_type, IKEV2_PL_NONE);
	if (count > UINT8_MAX)
		wire_writer_fail(&b->w, TNC_EINVALID);
	wire_put_u8(&b->w, (uint8_t)count);
	wire_put_u24(&b->w, 0);
	for (size_t i = 0; i < count; i++) {
		const struct ikev2_ts *t = &ts[i];
		if (t->start.len != t->end.len || t->start.len > (UINT16_MAX - 8) / 2)
			wire_writer_fail(&b->w, TNC_EINVALID);
		wire_put_u8(&b->w, t->type);
		wire_put_u8(&b->w, t->ip_proto);
		wire_put_u16(&b->w, (uint16_t)(8 + t->start.len + t->end.len));
		wire_put_u16(&b->w, t->start_port);
		wire_put_u16(&b->w, t->end_port);
		wire_put_bytes(&b->w, t->start.ptr, t->start.len);
		wire_put_bytes(&b->w, t->end.ptr, t->end.len);
	}
	end(b, start);
}

void
ikev2_builder_add_cp(struct ikev2_builder *b, uint8_t cfg_type, const struct ikev2_cp_attr *attrs,
    size_t count)
{
	size_t start = begin(b, IKEV2_PL_CP, IKEV2_PL_NONE);
	wire_put_u8(&b->w, cfg_type);
	wire_put_u24(&b->w, 0);
	for (size_t i = 0; i < count; i++) {
		if (attrs[i].value.len > UINT16_MAX)
			wire_writer_fail(&b->w, TNC_EINVALID);
		wire_put_u16(&b->w, attrs[i].type & IKEV2_CFG_ATTR_TYPE_MASK);
		wire_put_u16(&b->w, (uint16_t)attrs[i].value.len);
		wire_put_bytes(&b->w, attrs[i].value.ptr, attrs[i].value.len);
	}
	end(b, start);
}

void
ikev2_builder_add_eap(struct ikev2_builder *b, struct bytes eap_msg)
{
	add_raw(b, IKEV2_PL_EAP, eap_msg);
}

/* data, or len zero octets when data.ptr is NULL. */
static void
put_or_zero(struct wire_writer *w, struct bytes data)
{
	for (size_t i = 0; !data.ptr && i < data.len; i++)
		wire_put_u8(w, 0);
	if (data.ptr)
		wire_put_bytes(w, data.ptr, data.len);
}

void
ikev2_builder_add_sk(struct ikev2_builder *b, uint8_t payload_type, uint8_t first_inner,
    uint16_t fragment, uint16_t fragments, struct bytes iv, struct bytes ciphertext,
    struct bytes icv)
{
	size_t start = begin(b, payload_type, first_inner);
	if (payload_type == IKEV2_PL_SKF) {
		wire_put_u16(&b->w, fragment);
		wire_put_u16(&b->w, fragments);
	}
	put_or_zero(&b->w, iv);
	put_or_zero(&b->w, ciphertext);
	put_or_zero(&b->w, icv);
	end(b, start);
	b->next_at = NEXT_AT_CLOSED;
}

void
ikev2_builder_add(struct ikev2_builder *b, const struct ikev2_payload *p)
{
	const struct ikev2_notify *n = &p->u.notify;
	const struct ikev2_delete *d = &p->u.del;
	struct ikev2_ts ts[UINT8_MAX];
	struct ikev2_cp_attr a;
	struct bytes list;
	size_t count = 0, start;

	switch (p->type) {
	case IKEV2_PL_SA:
		start = begin(b, IKEV2_PL_SA, IKEV2_PL_NONE);
		ikev2_sa_put_decoded(&b->w, p->u.sa);
		end(b, start);
		return;
	case IKEV2_PL_KE:
		ikev2_builder_add_ke(b, p->u.ke.group, p->u.ke.data);
		return;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		ikev2_builder_add_id(b, p->type, p->u.id.type, p->u.id.data);
		return;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		ikev2_builder_add_cert(b, p->type, p->u.cert.encoding, p->u.cert.data);
		return;
	case IKEV2_PL_AUTH:
		ikev2_builder_add_auth(b, p->u.auth.method, p->u.auth.data);
		return;
	case IKEV2_PL_NOTIFY:
		ikev2_builder_add_notify(b, n->protocol, n->spi, n->type, n->data);
		return;
	case IKEV2_PL_DELETE:
		ikev2_builder_add_delete(b, d->protocol, d->spi_size, d->spi_count, d->spis);
		return;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		list = p->u.ts.selectors;
		while (count < UINT8_MAX && ikev2_ts_next(&list, &ts[count]))
			count++;
		ikev2_builder_add_ts(b, p->type, ts, count);
		return;
	case IKEV2_PL_CP:
		start = begin(b, IKEV2_PL_CP, IKEV2_PL_NONE);
		wire_put_u8(&b->w, p->u.cp.cfg_type);
		wire_put_u24(&b->w, 0);
		list = p->u.cp.attrs;
		while (ikev2_cp_next(&list, &a)) {
			wire_put_u16(&b->w, a.type);
			wire_put_u16(&b->w, (uint16_t)a.value.len);
			wire_put_bytes(&b->w, a.value.ptr, a.value.len);
		}
		end(b, start);
		return;
	case IKEV2_PL_SK:
	case IKEV2_PL_SKF:
		ikev2_builder_add_sk(b, p->type, p->next, p->u.sk.fragment, p->u.sk.fragments,
		    (struct bytes){NULL, 0}, p->u.sk.encrypted, (struct bytes){NULL, 0});
		return;
	case IKEV2_PL_NONCE:
	case IKEV2_PL_VENDOR:
	case IKEV2_PL_EAP:
		add_raw(b, p->type, p->body);
		return;
	default:
		wire_writer_fail(&b->w, TNC_ETYPE);
	}
}

int
ikev2_builder_finish(struct ikev2_builder *b, struct bytes *ret)
{
	int err;

	if (b->has_header) {
		if (b->w.len > UINT32_MAX)
			wire_writer_fail(&b->w, TNC_ETOOLONG);
		else
			wire_patch_u32(&b->w, 24, (uint32_t)b->w.len);
	}
	if ((err = wire_writer_status(&b->w)))
		return err;
	*ret = (struct bytes){b->w.buf, b->w.len};
	return 0;
}

void
ikev2_builder_clear(struct ikev2_builder *b)
{
	wire_writer_clear(&b->w);
	memset(b, 0, sizeof(*b));
}
