/* eap_ttls.c - EAP-TTLS packet and Diameter AVPs (RFC 5281 9.1, 10, 11.1). */
#include "eap_ttls.h"

static int
fail(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, 0, offset, reason);
}

int
eap_ttls_parse(const struct eap_packet *p, struct eap_frag *ret, struct parse_error *e)
{
	struct eap_frag f;
	int err;

	if ((p->code != EAP_REQUEST && p->code != EAP_RESPONSE) || p->type != EAP_TYPE_TTLS)
		return fail(e, TNC_ETYPE, 0, "not an EAP-TTLS packet");
	if ((err = eap_frag_parse(p, &f, e)))
		return err;
	if (f.version != EAP_TTLS_VERSION)
		return fail(e, TNC_EVERSION, f.flags_offset, "unsupported EAP-TTLS version");
	*ret = f;
	return 0;
}

void
ttls_avp_iter_init(struct ttls_avp_iter *it, struct bytes buf)
{
	wire_reader_init(&it->r, buf.ptr, buf.len);
	it->failed = false;
}

/* The zero octets that bring an AVP of length len to the 4-octet boundary. */
static size_t
padding(size_t len)
{
	return (TTLS_AVP_ALIGN - len % TTLS_AVP_ALIGN) % TTLS_AVP_ALIGN;
}

static int
check_padding(struct wire_reader *r, size_t len, struct parse_error *e)
{
	struct bytes pad;

	if (wire_get_bytes(r, padding(len), &pad))
		return fail(e, TNC_ETRUNCATED, wire_offset(r), "AVP padding missing");
	for (size_t i = 0; i < pad.len; i++)
		if (pad.ptr[i] != 0)
			return fail(e, TNC_EINVALID, wire_offset(r) - pad.len + i,
			    "AVP padding not zero");
	return 0;
}

static int
next_avp(struct wire_reader *r, struct ttls_avp *a, struct parse_error *e)
{
	uint32_t length;
	size_t header = TTLS_AVP_HEADER_LEN;

	a->offset = wire_offset(r);
	a->vendor = 0;
	if (wire_get_u32(r, &a->code) || wire_get_u8(r, &a->flags) || wire_get_u24(r, &length))
		return fail(e, TNC_ETRUNCATED, a->offset, "AVP header truncated");
	a->flags &= TTLS_AVP_FLAGS_MASK;
	if (a->flags & TTLS_AVP_FLAG_V) {
		header = TTLS_AVP_VENDOR_HEADER_LEN;
		if (wire_get_u32(r, &a->vendor))
			return fail(e, TNC_ETRUNCATED, a->offset + 8, "AVP Vendor-ID truncated");
	}
	if (length < header)
		return fail(e, TNC_EINVALID, a->offset + 5, "AVP length below its header");
	if (wire_get_bytes(r, length - header, &a->data))
		return fail(e, TNC_ETRUNCATED, a->offset + 5,
		    "AVP length past the end of the data");
	return check_padding(r, length, e);
}

int
ttls_avp_next(struct ttls_avp_iter *it, struct ttls_avp *ret, struct parse_error *e)
{
	struct ttls_avp a = {0};
	int err;

	if (it->failed || wire_remaining(&it->r) == 0)
		return 0;
	if ((err = next_avp(&it->r, &a, e))) {
		/* Stop here: nothing after a malformed AVP can be framed. */
		it->failed = true;
		return err;
	}
	*ret = a;
	return 1;
}

void
ttls_avp_put(struct wire_writer *w, const struct ttls_avp *a)
{
	static const uint8_t zeros[TTLS_AVP_ALIGN];
	uint8_t flags = a->flags & TTLS_AVP_FLAGS_MASK;
	size_t header = (flags & TTLS_AVP_FLAG_V) ? TTLS_AVP_VENDOR_HEADER_LEN
	                                          : TTLS_AVP_HEADER_LEN;

	if (a->data.len > TTLS_AVP_LENGTH_MAX - header) {
		wire_writer_fail(w, TNC_ETOOLONG);
		return;
	}
	wire_put_u32(w, a->code);
	wire_put_u8(w, flags);
	wire_put_u24(w, (uint32_t)(header + a->data.len));
	if (flags & TTLS_AVP_FLAG_V)
		wire_put_u32(w, a->vendor);
	wire_put_bytes(w, a->data.ptr, a->data.len);
	wire_put_bytes(w, zeros, padding(header + a->data.len));
}

void
ttls_avp_put_eap_message(struct wire_writer *w, struct bytes eap)
{
	ttls_avp_put(w, &(struct ttls_avp){.code = TTLS_AVP_EAP_MESSAGE,
	    .flags = TTLS_AVP_FLAG_M, .data = eap});
}

int
ttls_avp_find_eap_message(struct bytes buf, struct bytes *ret, struct parse_error *e)
{
	struct ttls_avp_iter it;
	struct ttls_avp a = {0};
	struct bytes found = {NULL, 0};
	bool have = false;
	int n;

	ttls_avp_iter_init(&it, buf);
	while ((n = ttls_avp_next(&it, &a, e)) == 1) {
		bool is_eap = !(a.flags & TTLS_AVP_FLAG_V) && a.code == TTLS_AVP_EAP_MESSAGE;
		if (is_eap && have)
			return fail(e, TNC_EINVALID, a.offset, "second EAP-Message AVP");
		if (is_eap) {
			found = a.data;
			have = true;
		} else if (a.flags & TTLS_AVP_FLAG_M) {
			return fail(e, TNC_ETYPE, a.offset, "unsupported mandatory AVP");
		}
	}
	if (n < 0)
		return n;
	if (!have)
		return fail(e, TNC_ENOTFOUND, 0, "no EAP-Message AVP");
	*ret = found;
	return 0;
}

const char *
ttls_avp_name(uint32_t vendor, uint32_t code)
{
	if (vendor != 0)
		return "unknown";
	switch (code) {
	case TTLS_AVP_USER_NAME:
		return "User-Name";
	case TTLS_AVP_EAP_MESSAGE:
		return "EAP-Message";
	default:
		return "unknown";
	}
}
