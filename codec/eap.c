/* eap.c - EAP packet header, Expanded Type, Notification and Nak (RFC 3748)
 * and the names of codes and types. */
#include "eap.h"

#include <stdio.h>

static int
fail(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, 0, offset, reason);
}

static int
parse_header(struct wire_reader *r, size_t len, struct eap_packet *p, struct parse_error *e)
{
	if (wire_get_u8(r, &p->code) || wire_get_u8(r, &p->id) || wire_get_u16(r, &p->length))
		return fail(e, TNC_ETRUNCATED, wire_offset(r), "EAP header truncated");
	if (p->code < EAP_REQUEST || p->code > EAP_FAILURE)
		return fail(e, TNC_ETYPE, 0, "unknown EAP code");
	if (p->length > len)
		return fail(e, TNC_ETRUNCATED, 2, "EAP length past the end of the data");
	if (p->length < EAP_HEADER_LEN)
		return fail(e, TNC_EINVALID, 2, "EAP length below 4");
	return 0;
}

static int
parse_expanded(struct wire_reader *r, struct eap_packet *p, struct parse_error *e)
{
	if (wire_get_u24(r, &p->vendor_id) || wire_get_u32(r, &p->vendor_type))
		return fail(e, TNC_ETRUNCATED, 2,
		    "EAP length shorter than the expanded type header");
	return 0;
}

int
eap_parse(const uint8_t *buf, size_t len, struct eap_packet *ret, struct parse_error *e)
{
	struct eap_packet p = {0};
	struct wire_reader r;
	int err;

	wire_reader_init(&r, buf, len);
	if ((err = parse_header(&r, len, &p, e)))
		return err;
	/* Everything after Length belongs to this packet only up to Length. */
	wire_reader_init(&r, buf, p.length);
	if (wire_skip(&r, EAP_HEADER_LEN))
		return fail(e, TNC_ETRUNCATED, 2, "EAP header truncated");
	if (p.code == EAP_SUCCESS || p.code == EAP_FAILURE) {
		if (p.length != EAP_HEADER_LEN)
			return fail(e, TNC_EINVALID, 2, "EAP Success or Failure with data");
		*ret = p;
		return 0;
	}
	if (wire_get_u8(&r, &p.type))
		return fail(e, TNC_ETRUNCATED, 2, "EAP Request or Response without a type");
	if (p.type == EAP_TYPE_EXPANDED && (err = parse_expanded(&r, &p, e)))
		return err;
	p.data_offset = wire_offset(&r);
	if (wire_get_bytes(&r, wire_remaining(&r), &p.data))
		return fail(e, TNC_ETRUNCATED, 2, "EAP type data truncated");
	*ret = p;
	return 0;
}

size_t
eap_put_begin(struct wire_writer *w, uint8_t code, uint8_t id, uint8_t type)
{
	size_t start = w->len;

	wire_put_u8(w, code);
	wire_put_u8(w, id);
	wire_put_u16(w, 0); /* eap_put_end() patches it */
	if (code == EAP_REQUEST || code == EAP_RESPONSE)
		wire_put_u8(w, type);
	return start;
}

void
eap_put_end(struct wire_writer *w, size_t start)
{
	if (wire_writer_status(w))
		return;
	if (w->len - start > EAP_MAX_LEN) {
		wire_writer_fail(w, TNC_ETOOLONG);
		return;
	}
	wire_patch_u16(w, start + 2, (uint16_t)(w->len - start));
}

void
eap_put(struct wire_writer *w, const struct eap_packet *p)
{
	bool has_type = p->code == EAP_REQUEST || p->code == EAP_RESPONSE;
	size_t start;

	if (!has_type && p->data.len) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	start = eap_put_begin(w, p->code, p->id, p->type);
	if (has_type && p->type == EAP_TYPE_EXPANDED) {
		if (p->vendor_id > EAP_VENDOR_MAX)
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u24(w, p->vendor_id);
		wire_put_u32(w, p->vendor_type);
	}
	wire_put_bytes(w, p->data.ptr, p->data.len);
	eap_put_end(w, start);
}

int
eap_check_notification(const struct eap_packet *p, struct parse_error *e)
{
	/* RFC 3748 5.2: the Request carries a displayable message, the Response
	 * only acknowledges it. */
	if (p->code == EAP_REQUEST && p->data.len == 0)
		return fail(e, TNC_EINVALID, p->data_offset,
		    "EAP Notification request without a message");
	if (p->code == EAP_RESPONSE && p->data.len != 0)
		return fail(e, TNC_ETRAILING, p->data_offset,
		    "EAP Notification response with data");
	return 0;
}

int
eap_check_nak(const struct eap_packet *p, struct parse_error *e)
{
	if (p->code != EAP_RESPONSE)
		return fail(e, TNC_EINVALID, 0, "EAP Nak in a request");
	if (p->data.len == 0)
		return fail(e, TNC_ETRUNCATED, p->data_offset, "EAP Nak without a desired type");
	/* RFC 3748 5.3.1: 0 means no alternative; 1-3 are not authentication
	 * types. */
	for (size_t i = 0; i < p->data.len; i++)
		if (p->data.ptr[i] != 0 && p->data.ptr[i] < EAP_TYPE_MD5)
			return fail(e, TNC_EINVALID, p->data_offset + i,
			    "EAP Nak desires a non-authentication type");
	return 0;
}

struct type_names {
	uint8_t type;
	const char *name;
	const char *short_name;
};

static const struct type_names type_names[] = {
	{EAP_TYPE_IDENTITY, "EAP_IDENTITY", "ID"},
	{EAP_TYPE_NOTIFICATION, "EAP_NOTIFICATION", "NTF"},
	{EAP_TYPE_NAK, "EAP_NAK", "NAK"},
	{EAP_TYPE_MD5, "EAP_MD5", "MD5"},
	{EAP_TYPE_OTP, "EAP_OTP", "OTP"},
	{EAP_TYPE_GTC, "EAP_GTC", "GTC"},
	{EAP_TYPE_TLS, "EAP_TLS", "TLS"},
	{EAP_TYPE_TTLS, "EAP_TTLS", "TTLS"},
	{EAP_TYPE_PEAP, "EAP_PEAP", "PEAP"},
	{EAP_TYPE_MSCHAPV2, "EAP_MSCHAPV2", "MSCHAPV2"},
	{EAP_TYPE_TNC, "EAP_TNC", "TNC"},
	{EAP_TYPE_PT_EAP, "EAP_PT_EAP", "PT"},
	{EAP_TYPE_EXPANDED, "EAP_EXPANDED", "EXP"},
	{EAP_TYPE_EXPERIMENTAL, "EAP_EXPERIMENTAL", "XP"},
};

static const struct type_names *
find_type(uint8_t type)
{
	for (size_t i = 0; i < sizeof(type_names) / sizeof(type_names[0]); i++)
		if (type_names[i].type == type)
			return &type_names[i];
	return NULL;
}

const char *
eap_type_name(uint8_t type)
{
	const struct type_names *t = find_type(type);
	return t ? t->name : "unknown";
}

const char *
eap_type_short(uint8_t type)
{
	const struct type_names *t = find_type(type);
	return t ? t->short_name : "unknown";
}

const char *
eap_code_name(uint8_t code)
{
	switch (code) {
	case EAP_REQUEST:
		return "Request";
	case EAP_RESPONSE:
		return "Response";
	case EAP_SUCCESS:
		return "Success";
	case EAP_FAILURE:
		return "Failure";
	default:
		return "unknown";
	}
}

const char *
eap_code_short(uint8_t code)
{
	switch (code) {
	case EAP_REQUEST:
		return "REQ";
	case EAP_RESPONSE:
		return "RES";
	case EAP_SUCCESS:
		return "SUCC";
	case EAP_FAILURE:
		return "FAIL";
	default:
		return "unknown";
	}
}

const char *
eap_summary(const struct eap_packet *p, char *buf, size_t size)
{
	if (size == 0)
		return buf;
	if (p->code != EAP_REQUEST && p->code != EAP_RESPONSE)
		snprintf(buf, size, "EAP/%s", eap_code_short(p->code));
	else if (p->type == EAP_TYPE_EXPANDED)
		snprintf(buf, size, "EAP/%s/EXP(%u/%u)", eap_code_short(p->code),
		    (unsigned)p->vendor_id, (unsigned)p->vendor_type);
	else
		snprintf(buf, size, "EAP/%s/%s", eap_code_short(p->code), eap_type_short(p->type));
	return buf;
}
