/* eap_tnc.c - EAP-TNC (TCG, type 38) and PT-EAP (RFC 7171, type 54). */
#include "eap_tnc.h"

static int
fail(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, 0, offset, reason);
}

static bool
is_request_or_response(const struct eap_packet *p)
{
	return p->code == EAP_REQUEST || p->code == EAP_RESPONSE;
}

int
eap_tnc_parse(const struct eap_packet *p, struct eap_frag *ret, struct parse_error *e)
{
	struct eap_frag f;
	int err;

	if (!is_request_or_response(p) || p->type != EAP_TYPE_TNC)
		return fail(e, TNC_ETYPE, 0, "not an EAP-TNC packet");
	if ((err = eap_frag_parse(p, &f, e)))
		return err;
	if (f.version != EAP_TNC_VERSION)
		return fail(e, TNC_EVERSION, f.flags_offset, "unsupported EAP-TNC version");
	*ret = f;
	return 0;
}

int
pt_eap_parse(const struct eap_packet *p, struct pt_eap *ret, struct parse_error *e)
{
	struct pt_eap m;

	if (!is_request_or_response(p) || p->type != EAP_TYPE_PT_EAP)
		return fail(e, TNC_ETYPE, 0, "not a PT-EAP packet");
	if (p->data.len < 1)
		return fail(e, TNC_ETRUNCATED, p->data_offset, "PT-EAP flags octet missing");
	m.flags = p->data.ptr[0] & PT_EAP_FLAG_S;
	m.version = p->data.ptr[0] & EAP_FRAG_VERSION_MASK;
	if (m.version != PT_EAP_VERSION)
		return fail(e, TNC_EVERSION, p->data_offset, "unsupported PT-EAP version");
	m.batch = (struct bytes){p->data.ptr + 1, p->data.len - 1};
	m.batch_offset = p->data_offset + 1;
	*ret = m;
	return 0;
}

void
pt_eap_put(struct wire_writer *w, uint8_t code, uint8_t id, uint8_t flags, struct bytes batch)
{
	size_t start;

	if (batch.len > PT_EAP_MAX_BATCH) {
		wire_writer_fail(w, TNC_ETOOLONG);
		return;
	}
	start = eap_put_begin(w, code, id, EAP_TYPE_PT_EAP);
	wire_put_u8(w, (uint8_t)((flags & PT_EAP_FLAG_S) | PT_EAP_VERSION));
	wire_put_bytes(w, batch.ptr, batch.len);
	eap_put_end(w, start);
}
