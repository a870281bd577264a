/* eap_frag.c - TLS-style EAP fragmentation shared by EAP-TTLS and EAP-TNC
 * (see eap_frag.h). */
#include "eap_frag.h"

static int
fail(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, 0, offset, reason);
}

int
eap_frag_parse(const struct eap_packet *p, struct eap_frag *ret, struct parse_error *e)
{
	struct wire_reader r;
	struct eap_frag f = {.flags_offset = p->data_offset};
	uint8_t octet;

	wire_reader_init(&r, p->data.ptr, p->data.len);
	if (wire_get_u8(&r, &octet))
		return fail(e, TNC_ETRUNCATED, p->data_offset, "EAP flags octet missing");
	f.flags = octet & EAP_FRAG_FLAGS_MASK;
	f.version = octet & EAP_FRAG_VERSION_MASK;
	if ((f.flags & EAP_FRAG_FLAG_L) && wire_get_u32(&r, &f.msg_len))
		return fail(e, TNC_ETRUNCATED, p->data_offset,
		    "EAP L flag without the Message Length");
	f.data_offset = p->data_offset + wire_offset(&r);
	if (wire_get_bytes(&r, wire_remaining(&r), &f.data))
		return fail(e, TNC_ETRUNCATED, f.data_offset, "EAP fragment data truncated");
	*ret = f;
	return 0;
}

bool
eap_frag_is_ack(const struct eap_frag *f)
{
	return f->flags == 0 && f->data.len == 0;
}

void
eap_frag_put(struct wire_writer *w, uint8_t code, uint8_t id, uint8_t type,
    const struct eap_frag *f)
{
	uint8_t flags = f->flags & EAP_FRAG_FLAGS_MASK;
	size_t start = eap_put_begin(w, code, id, type);

	wire_put_u8(w, flags | (f->version & EAP_FRAG_VERSION_MASK));
	if (flags & EAP_FRAG_FLAG_L)
		wire_put_u32(w, f->msg_len);
	wire_put_bytes(w, f->data.ptr, f->data.len);
	eap_put_end(w, start);
}

void
eap_reasm_init(struct eap_reasm *r, size_t max_len)
{
	r->max_len = max_len;
	r->length_optional = false;
	r->unannounced = false;
	r->total = 0;
	wire_writer_init(&r->msg, 0); /* sized by each message's first fragment */
	r->state = EAP_REASM_IDLE;
}

void
eap_reasm_clear(struct eap_reasm *r)
{
	wire_writer_clear(&r->msg);
	r->total = 0;
	r->state = EAP_REASM_IDLE;
}

static int
refuse(struct eap_reasm *r, struct parse_error *e, int err, size_t offset, const char *reason)
{
	r->state = EAP_REASM_FAILED;
	wire_writer_clear(&r->msg);
	return fail(e, err, offset, reason);
}

/* Appends the data and checks the running total against the announced one. */
static int
append(struct eap_reasm *r, const struct eap_frag *f, bool *complete, struct parse_error *e)
{
	size_t have = r->msg.len;

	if (f->data.len > r->total - have)
		return refuse(r, e, TNC_ETOOLONG, f->data_offset, r->unannounced ?
		    "EAP fragments run past the bound on a message" :
		    "EAP fragments run past the Message Length");
	/* Within the writer's cap (the total), so the append cannot fail. */
	wire_put_bytes(&r->msg, f->data.ptr, f->data.len);
	*complete = r->unannounced ? !(f->flags & EAP_FRAG_FLAG_M) : r->msg.len == r->total;
	if ((f->flags & EAP_FRAG_FLAG_M) && *complete)
		return refuse(r, e, TNC_EINVALID, f->flags_offset,
		    "EAP M flag on the fragment that completes the message");
	if (!(f->flags & EAP_FRAG_FLAG_M) && !*complete)
		return refuse(r, e, TNC_ETRUNCATED, f->flags_offset,
		    "EAP last fragment ends before the Message Length");
	r->state = *complete ? EAP_REASM_COMPLETE : EAP_REASM_PARTIAL;
	return 0;
}

static int
add_first(struct eap_reasm *r, const struct eap_frag *f, bool *complete, struct parse_error *e)
{
	bool has_len = f->flags & EAP_FRAG_FLAG_L;

	r->unannounced = (f->flags & EAP_FRAG_FLAG_M) && !has_len;
	if (r->unannounced && !r->length_optional)
		return refuse(r, e, TNC_EINVALID, f->flags_offset,
		    "EAP first fragment without the L flag");
	r->total = has_len ? f->msg_len : r->unannounced ? r->max_len : f->data.len;
	if (r->total > r->max_len)
		return refuse(r, e, TNC_ETOOLONG, has_len ? f->flags_offset + 1 : f->data_offset,
		    "EAP Message Length over the bound");
	if (has_len && !(f->flags & EAP_FRAG_FLAG_M) && f->msg_len != f->data.len)
		return refuse(r, e, TNC_EINVALID, f->flags_offset + 1,
		    "EAP Message Length does not match the unfragmented data");
	wire_writer_init(&r->msg, r->total);
	return append(r, f, complete, e);
}

static int
add_next(struct eap_reasm *r, const struct eap_frag *f, bool *complete, struct parse_error *e)
{
	if (f->flags & EAP_FRAG_FLAG_S)
		return refuse(r, e, TNC_EINVALID, f->flags_offset,
		    "EAP S flag inside a fragmented message");
	/* RFC 5281 9.2.2 asks for L on the first fragment; a repeat on a later
	 * one is harmless only when it announces the same total. */
	if ((f->flags & EAP_FRAG_FLAG_L) && r->unannounced)
		return refuse(r, e, TNC_EINVALID, f->flags_offset + 1,
		    "EAP Message Length on a later fragment of a message without one");
	if ((f->flags & EAP_FRAG_FLAG_L) && f->msg_len != r->total)
		return refuse(r, e, TNC_EINVALID, f->flags_offset + 1,
		    "EAP Message Length changed between fragments");
	if (f->data.len == 0)
		return refuse(r, e, TNC_EINVALID, f->data_offset,
		    "EAP empty fragment inside a message");
	return append(r, f, complete, e);
}

int
eap_reasm_add(struct eap_reasm *r, const struct eap_frag *f, bool *ret_complete,
    struct parse_error *e)
{
	*ret_complete = false;
	switch (r->state) {
	case EAP_REASM_IDLE:
		return add_first(r, f, ret_complete, e);
	case EAP_REASM_PARTIAL:
		return add_next(r, f, ret_complete, e);
	case EAP_REASM_COMPLETE:
		return refuse(r, e, TNC_ESTATE, f->flags_offset, "EAP fragment after the last one");
	default:
		return fail(e, TNC_ESTATE, f->flags_offset, "EAP reassembly failed earlier");
	}
}

struct bytes
eap_reasm_message(const struct eap_reasm *r)
{
	if (r->state != EAP_REASM_COMPLETE)
		return (struct bytes){NULL, 0};
	return (struct bytes){r->msg.buf, r->msg.len};
}

void
eap_reasm_next(struct eap_reasm *r)
{
	if (r->state == EAP_REASM_COMPLETE)
		eap_reasm_clear(r);
}

void
eap_fragmenter_init(struct eap_fragmenter *f, struct bytes msg, size_t max_data)
{
	f->msg = msg;
	f->max_data = max_data;
	f->sent = 0;
	f->started = false;
}

bool
eap_fragmenter_done(const struct eap_fragmenter *f)
{
	return f->started && f->sent == f->msg.len;
}

void
eap_fragmenter_put(struct eap_fragmenter *f, struct wire_writer *w, uint8_t code,
    uint8_t id, uint8_t type, uint8_t version, uint8_t extra_flags)
{
	struct eap_frag frag = {.version = version};
	size_t left = f->msg.len - f->sent;

	if (f->max_data == 0 || eap_fragmenter_done(f)) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	if (f->msg.len > UINT32_MAX) {
		wire_writer_fail(w, TNC_ETOOLONG);
		return;
	}
	/* An empty message may come with a NULL pointer: no arithmetic on it. */
	frag.data = (struct bytes){left ? f->msg.ptr + f->sent : f->msg.ptr,
	    left < f->max_data ? left : f->max_data};
	if (!f->started) {
		frag.flags = extra_flags;
		if (left > f->max_data) {
			frag.flags |= EAP_FRAG_FLAG_L;
			frag.msg_len = (uint32_t)f->msg.len;
		}
	}
	if (frag.data.len < left)
		frag.flags |= EAP_FRAG_FLAG_M;
	eap_frag_put(w, code, id, type, &frag);
	if (wire_writer_status(w))
		return;
	f->sent += frag.data.len;
	f->started = true;
}
