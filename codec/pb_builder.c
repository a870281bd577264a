/* pb_builder.c - PB-TNC batch encoder (RFC 5793 4.1-4.11).
 *
 * A batch is a struct wire_writer: the 8-octet header with a zero Batch
 * Length, then per message a 12-octet header whose length is patched once
 * the value is written.  Errors stick: the first one (bad argument,
 * TNC_ETOOLONG past max_len) is what pb_builder_finish() returns.
 */
#include "pb_tnc.h"

#include <string.h>

static void
set_err(struct pb_builder *b, int err)
{
	if (!b->err)
		b->err = err;
}

void
pb_builder_init(struct pb_builder *b, uint8_t dir, uint8_t batch_type, size_t max_len)
{
	memset(b, 0, sizeof(*b));
	wire_writer_init(&b->w, max_len > UINT32_MAX ? UINT32_MAX : max_len);
	if (dir > PB_DIR_TO_CLIENT || batch_type < PB_BATCH_CDATA || batch_type > PB_BATCH_CLOSE)
		set_err(b, TNC_EINVALID);
	wire_put_u8(&b->w, PB_TNC_VERSION);
	wire_put_u8(&b->w, dir == PB_DIR_TO_CLIENT ? PB_BATCH_FLAG_D : 0);
	wire_put_u16(&b->w, batch_type & PB_BATCH_TYPE_MASK);
	wire_put_u32(&b->w, 0); /* Batch Length, patched by pb_builder_finish() */
}

static void
put_flags_vendor(struct pb_builder *b, uint8_t flags, uint32_t vendor)
{
	if (vendor > PB_VENDOR_MAX)
		set_err(b, TNC_EINVALID);
	wire_put_u8(&b->w, flags);
	wire_put_u24(&b->w, vendor);
}

/* A 32-bit length and the text, an 8-bit length and the language code. */
static void
put_text_lang(struct pb_builder *b, struct bytes text, struct bytes lang)
{
	if (text.len > UINT32_MAX || lang.len > UINT8_MAX)
		set_err(b, TNC_EINVALID);
	wire_put_u32(&b->w, (uint32_t)text.len);
	wire_put_bytes(&b->w, text.ptr, text.len);
	wire_put_u8(&b->w, (uint8_t)lang.len);
	wire_put_bytes(&b->w, lang.ptr, lang.len);
}

static void
put_pa(struct pb_builder *b, const struct pb_pa *pa)
{
	put_flags_vendor(b, pa->flags, pa->vendor);
	wire_put_u32(&b->w, pa->subtype);
	wire_put_u16(&b->w, pa->collector_id);
	wire_put_u16(&b->w, pa->validator_id);
	wire_put_bytes(&b->w, pa->body.ptr, pa->body.len);
}

static void
put_remediation(struct pb_builder *b, const struct pb_remediation *rp)
{
	put_flags_vendor(b, 0, rp->vendor);
	wire_put_u32(&b->w, rp->type);
	if (rp->vendor == PB_VENDOR_IETF && rp->type == PB_REMEDIATION_URI)
		wire_put_bytes(&b->w, rp->text.ptr, rp->text.len);
	else if (rp->vendor == PB_VENDOR_IETF && rp->type == PB_REMEDIATION_STRING)
		put_text_lang(b, rp->text, rp->lang);
	else
		wire_put_bytes(&b->w, rp->params.ptr, rp->params.len);
}

static void
put_error(struct pb_builder *b, const struct pb_error *pe)
{
	bool ietf = pe->vendor == PB_VENDOR_IETF;

	put_flags_vendor(b, pe->flags, pe->vendor);
	wire_put_u16(&b->w, pe->code);
	wire_put_u16(&b->w, 0);
	if (ietf && (pe->code == PB_ERROR_INVALID_PARAMETER ||
	    pe->code == PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE)) {
		wire_put_u32(&b->w, pe->offset);
	} else if (ietf && pe->code == PB_ERROR_VERSION_NOT_SUPPORTED) {
		wire_put_u8(&b->w, pe->bad_version);
		wire_put_u8(&b->w, pe->max_version);
		wire_put_u8(&b->w, pe->min_version);
		wire_put_u8(&b->w, 0);
	} else {
		/* other vendors and codes as given; for Unexpected Batch Type and
		 * Local Error that is nothing, or the offset some peers add */
		wire_put_bytes(&b->w, pe->params.ptr, pe->params.len);
	}
}

static void
put_ietf_value(struct pb_builder *b, const struct pb_msg *m)
{
	switch (m->type) {
	case PB_MSG_PA:
		put_pa(b, &m->u.pa);
		break;
	case PB_MSG_ASSESSMENT_RESULT:
		wire_put_u32(&b->w, m->u.assessment_result);
		break;
	case PB_MSG_ACCESS_RECOMMENDATION:
		wire_put_u16(&b->w, 0);
		wire_put_u16(&b->w, m->u.access_recommendation);
		break;
	case PB_MSG_REMEDIATION_PARAMETERS:
		put_remediation(b, &m->u.remediation);
		break;
	case PB_MSG_ERROR:
		put_error(b, &m->u.error);
		break;
	case PB_MSG_LANGUAGE_PREFERENCE:
		wire_put_bytes(&b->w, m->u.language_preference.ptr, m->u.language_preference.len);
		break;
	case PB_MSG_REASON_STRING:
		put_text_lang(b, m->u.reason_string.reason, m->u.reason_string.lang);
		break;
	default:
		wire_put_bytes(&b->w, m->value.ptr, m->value.len);
		break;
	}
}

static void
put_value(struct pb_builder *b, const struct pb_msg *m)
{
	const struct pb_pdp_referral *p = &m->u.pdp_referral;

	if (m->vendor == PB_VENDOR_IETF) {
		put_ietf_value(b, m);
	} else if (m->vendor == PB_VENDOR_TCG && m->type == PB_TCG_MSG_PDP_REFERRAL) {
		put_flags_vendor(b, 0, p->id_vendor);
		wire_put_u32(&b->w, p->id_type);
		wire_put_bytes(&b->w, p->id.ptr, p->id.len);
	} else {
		wire_put_bytes(&b->w, m->value.ptr, m->value.len);
	}
}

void
pb_builder_add(struct pb_builder *b, const struct pb_msg *m)
{
	size_t at = b->w.len;

	put_flags_vendor(b, m->flags, m->vendor);
	wire_put_u32(&b->w, m->type);
	wire_put_u32(&b->w, 0); /* PB-TNC Message Length, patched below */
	put_value(b, m);
	wire_patch_u32(&b->w, at + 8, (uint32_t)(b->w.len - at));
	b->count++;
}

static struct pb_msg
ietf_msg(uint8_t flags, uint32_t type)
{
	struct pb_msg m;

	memset(&m, 0, sizeof(m));
	m.flags = flags;
	m.vendor = PB_VENDOR_IETF;
	m.type = type;
	return m;
}

void
pb_builder_add_pa(struct pb_builder *b, uint8_t pa_flags, uint32_t vendor,
    uint32_t subtype, uint16_t collector_id, uint16_t validator_id, struct bytes body)
{
	struct pb_msg m = ietf_msg(PB_MSG_FLAG_NOSKIP, PB_MSG_PA);

	m.u.pa = (struct pb_pa){pa_flags, vendor, subtype, collector_id, validator_id, body};
	pb_builder_add(b, &m);
}

void
pb_builder_add_assessment_result(struct pb_builder *b, uint32_t result)
{
	struct pb_msg m = ietf_msg(PB_MSG_FLAG_NOSKIP, PB_MSG_ASSESSMENT_RESULT);

	m.u.assessment_result = result;
	pb_builder_add(b, &m);
}

void
pb_builder_add_access_recommendation(struct pb_builder *b, uint16_t recommendation)
{
	struct pb_msg m = ietf_msg(0, PB_MSG_ACCESS_RECOMMENDATION);

	m.u.access_recommendation = recommendation;
	pb_builder_add(b, &m);
}

void
pb_builder_add_remediation_uri(struct pb_builder *b, struct bytes uri)
{
	struct pb_msg m = ietf_msg(0, PB_MSG_REMEDIATION_PARAMETERS);

	m.u.remediation.type = PB_REMEDIATION_URI;
	m.u.remediation.text = uri;
	pb_builder_add(b, &m);
}

void
pb_builder_add_remediation_string(struct pb_builder *b, struct bytes text, struct bytes lang)
{
	struct pb_msg m = ietf_msg(0, PB_MSG_REMEDIATION_PARAMETERS);

	m.u.remediation.type = PB_REMEDIATION_STRING;
	m.u.remediation.text = text;
	m.u.remediation.lang = lang;
	pb_builder_add(b, &m);
}

void
pb_builder_add_error(struct pb_builder *b, const struct pb_error *e)
{
	struct pb_msg m = ietf_msg(PB_MSG_FLAG_NOSKIP, PB_MSG_ERROR);

	m.u.error = *e;
	pb_builder_add(b, &m);
}

void
pb_builder_add_parse_error(struct pb_builder *b, const struct parse_error *pe,
    uint8_t bad_version)
{
	struct pb_error e;

	memset(&e, 0, sizeof(e));
	e.flags = PB_ERROR_FLAG_FATAL;
	e.vendor = PB_VENDOR_IETF;
	e.code = (uint16_t)pe->code;
	e.offset = pe->offset;
	e.bad_version = bad_version;
	e.max_version = PB_TNC_VERSION;
	e.min_version = PB_TNC_VERSION;
	pb_builder_add_error(b, &e);
}

void
pb_builder_add_language_preference(struct pb_builder *b, struct bytes pref)
{
	struct pb_msg m = ietf_msg(0, PB_MSG_LANGUAGE_PREFERENCE);

	m.u.language_preference = pref;
	pb_builder_add(b, &m);
}

void
pb_builder_add_reason_string(struct pb_builder *b, struct bytes reason, struct bytes lang)
{
	struct pb_msg m = ietf_msg(0, PB_MSG_REASON_STRING);

	m.u.reason_string = (struct pb_reason_string){reason, lang};
	pb_builder_add(b, &m);
}

void
pb_builder_add_pdp_referral(struct pb_builder *b, uint32_t id_vendor, uint32_t id_type,
    struct bytes id)
{
	struct pb_msg m;

	memset(&m, 0, sizeof(m));
	m.vendor = PB_VENDOR_TCG;
	m.type = PB_TCG_MSG_PDP_REFERRAL;
	m.u.pdp_referral = (struct pb_pdp_referral){id_vendor, id_type, id};
	pb_builder_add(b, &m);
}

int
pb_builder_finish(struct pb_builder *b, struct bytes *ret)
{
	int err = b->err ? b->err : wire_writer_status(&b->w);

	if (err)
		return err;
	wire_patch_u32(&b->w, 4, (uint32_t)b->w.len);
	ret->ptr = b->w.buf;
	ret->len = b->w.len;
	return 0;
}

void
pb_builder_clear(struct pb_builder *b)
{
	wire_writer_clear(&b->w);
	memset(b, 0, sizeof(*b));
}
