/* pb_msg.c - PB-TNC message values (RFC 5793 4.5-4.11, TCG PB-PDP-Referral).
 *
 * pb_msg_decode() turns the value of one message whose header
 * pb_batch_parse() has validated into the fields of struct pb_msg.  A value
 * shorter than its fixed fields, or of the wrong fixed size, is reported at
 * the PB-TNC Message Length field (message offset + 8); a bad value at the
 * field that holds it.  Reserved fields are ignored on reception, as the RFC
 * says for each of them.
 */
#include "pb_tnc.h"

#include <string.h>

/* Where a value starts: its message header, then 12 octets. */
static size_t
value_at(const struct pb_msg *m)
{
	return (size_t)m->offset + PB_MSG_HEADER_LEN;
}

static int
invalid(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, PB_ERROR_INVALID_PARAMETER, offset, reason);
}

static int
bad_length(const struct pb_msg *m, struct parse_error *e, const char *reason)
{
	return invalid(e, TNC_ETRUNCATED, (size_t)m->offset + 8, reason);
}

/* A 32-bit length, that many octets, an 8-bit length, that many octets, and
 * nothing after: the tail of PB-Reason-String (4.11) and of the
 * Remediation-String parameters (4.8). */
static int
get_text_lang(struct wire_reader *r, size_t base, struct bytes *text, struct bytes *lang,
    struct parse_error *e)
{
	uint32_t text_len;
	uint8_t lang_len;
	size_t at = base + wire_offset(r);

	if (wire_get_u32(r, &text_len) || wire_get_bytes(r, text_len, text))
		return invalid(e, TNC_ETRUNCATED, at, "string length past the end");
	at = base + wire_offset(r);
	if (wire_get_u8(r, &lang_len) || wire_get_bytes(r, lang_len, lang))
		return invalid(e, TNC_ETRUNCATED, at, "language code length past the end");
	if (wire_remaining(r) > 0)
		return invalid(e, TNC_ETRAILING, base + wire_offset(r), "octets after the language code");
	return 0;
}

static int
decode_pa(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pb_pa *pa = &m->u.pa;

	if (wire_get_u8(r, &pa->flags) || wire_get_u24(r, &pa->vendor) ||
	    wire_get_u32(r, &pa->subtype) || wire_get_u16(r, &pa->collector_id) ||
	    wire_get_u16(r, &pa->validator_id))
		return bad_length(m, e, "PB-PA shorter than 24 octets");
	pa->flags &= PB_PA_FLAG_EXCL;
	if (pa->subtype == PB_PA_SUBTYPE_RESERVED)
		return invalid(e, TNC_EINVALID, value_at(m) + 4, "reserved PA subtype");
	return wire_get_bytes(r, wire_remaining(r), &pa->body);
}

static int
decode_assessment_result(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	if (m->value.len != 4 || wire_get_u32(r, &m->u.assessment_result))
		return bad_length(m, e, "PB-Assessment-Result length is not 16");
	if (m->u.assessment_result > PB_ASSESSMENT_DONT_KNOW)
		return invalid(e, TNC_EINVALID, value_at(m), "unknown assessment result");
	return 0;
}

static int
decode_access_recommendation(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	uint16_t reserved;
	uint16_t *rec = &m->u.access_recommendation;

	if (m->value.len != 4 || wire_get_u16(r, &reserved) || wire_get_u16(r, rec))
		return bad_length(m, e, "PB-Access-Recommendation length is not 16");
	if (*rec < PB_ACCESS_ALLOWED || *rec > PB_ACCESS_QUARANTINED)
		return invalid(e, TNC_EINVALID, value_at(m) + 2, "unknown access recommendation");
	return 0;
}

static int
decode_remediation(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pb_remediation *rp = &m->u.remediation;
	uint8_t reserved;
	struct wire_reader pr;
	int err;

	if (wire_get_u8(r, &reserved) || wire_get_u24(r, &rp->vendor) ||
	    wire_get_u32(r, &rp->type))
		return bad_length(m, e, "PB-Remediation-Parameters shorter than 20 octets");
	if ((err = wire_get_bytes(r, wire_remaining(r), &rp->params)) ||
	    rp->vendor != PB_VENDOR_IETF)
		return err;
	if (rp->type == PB_REMEDIATION_URI)
		rp->text = rp->params;
	if (rp->type != PB_REMEDIATION_STRING)
		return 0;
	wire_reader_init(&pr, rp->params.ptr, rp->params.len);
	return get_text_lang(&pr, value_at(m) + 8, &rp->text, &rp->lang, e);
}

/* RFC 5793 4.9.1/4.9.2: the IETF codes define what Error Parameters hold. */
static int
decode_error_params(struct pb_msg *m, struct parse_error *e)
{
	struct pb_error *pe = &m->u.error;
	struct wire_reader r;
	uint8_t reserved;
	size_t want = 0;

	if (pe->vendor != PB_VENDOR_IETF || pe->code > PB_ERROR_VERSION_NOT_SUPPORTED)
		return 0;
	if (pe->code == PB_ERROR_INVALID_PARAMETER || pe->code == PB_ERROR_VERSION_NOT_SUPPORTED ||
	    pe->code == PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE)
		want = 4;
	/* Deployed peers (strongSwan) send an offset with every IETF code but
	 * Version Not Supported: accept it, ignored, for the codes without one. */
	else if (pe->params.len == 4)
		return 0;
	if (pe->params.len != want)
		return invalid(e, TNC_EINVALID, value_at(m) + 8, "error parameters of the wrong size");
	wire_reader_init(&r, pe->params.ptr, pe->params.len);
	if (pe->code != PB_ERROR_VERSION_NOT_SUPPORTED)
		return want ? wire_get_u32(&r, &pe->offset) : 0;
	if (wire_get_u8(&r, &pe->bad_version) || wire_get_u8(&r, &pe->max_version) ||
	    wire_get_u8(&r, &pe->min_version) || wire_get_u8(&r, &reserved))
		return invalid(e, TNC_ETRUNCATED, value_at(m) + 8, "error parameters truncated");
	return 0;
}

static int
decode_error(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pb_error *pe = &m->u.error;
	uint16_t reserved;
	int err;

	if (wire_get_u8(r, &pe->flags) || wire_get_u24(r, &pe->vendor) ||
	    wire_get_u16(r, &pe->code) || wire_get_u16(r, &reserved))
		return bad_length(m, e, "PB-Error shorter than 20 octets");
	pe->flags &= PB_ERROR_FLAG_FATAL;
	if ((err = wire_get_bytes(r, wire_remaining(r), &pe->params)))
		return err;
	return decode_error_params(m, e);
}

static int
decode_reason_string(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	if (m->value.len < 5)
		return bad_length(m, e, "PB-Reason-String shorter than 17 octets");
	return get_text_lang(r, value_at(m), &m->u.reason_string.reason,
	    &m->u.reason_string.lang, e);
}

static int
decode_pdp_referral(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	struct pb_pdp_referral *p = &m->u.pdp_referral;
	uint8_t reserved;

	if (wire_get_u8(r, &reserved) || wire_get_u24(r, &p->id_vendor) ||
	    wire_get_u32(r, &p->id_type))
		return bad_length(m, e, "PB-PDP-Referral shorter than 20 octets");
	return wire_get_bytes(r, wire_remaining(r), &p->id);
}

static int
decode_ietf(struct pb_msg *m, struct wire_reader *r, struct parse_error *e)
{
	switch (m->type) {
	case PB_MSG_PA:
		return decode_pa(m, r, e);
	case PB_MSG_ASSESSMENT_RESULT:
		return decode_assessment_result(m, r, e);
	case PB_MSG_ACCESS_RECOMMENDATION:
		return decode_access_recommendation(m, r, e);
	case PB_MSG_REMEDIATION_PARAMETERS:
		return decode_remediation(m, r, e);
	case PB_MSG_ERROR:
		return decode_error(m, r, e);
	case PB_MSG_LANGUAGE_PREFERENCE:
		m->u.language_preference = m->value;
		return 0;
	case PB_MSG_REASON_STRING:
		return decode_reason_string(m, r, e);
	default:
		return 0;
	}
}

int
pb_msg_decode(struct pb_msg *m, struct parse_error *ret_err)
{
	struct wire_reader r;

	memset(&m->u, 0, sizeof(m->u));
	wire_reader_init(&r, m->value.ptr, m->value.len);
	if (m->vendor == PB_VENDOR_IETF)
		return decode_ietf(m, &r, ret_err);
	if (m->vendor == PB_VENDOR_TCG && m->type == PB_TCG_MSG_PDP_REFERRAL)
		return decode_pdp_referral(m, &r, ret_err);
	return 0;
}
