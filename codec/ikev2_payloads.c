/* ikev2_payloads.c - the bodies of the payloads RFC 7296 3.4-3.16 and
 * RFC 7383 2.5 define (SA in ikev2_sa.c).
 *
 * Each decoder checks the fixed fields are there and every length inside
 * the body: ID addresses of 4 / 16 octets, X.509 CERTREQ a list of 20-octet
 * hashes, Nonce 16 to 256 octets, Notify SPI within the body and the data
 * of the status types this project reads (NAT detection hashes, cookies,
 * addresses, lifetimes), Delete SPIs as many as announced of the size the
 * protocol has, traffic selectors as many as announced of the size their
 * type has, CP attributes complete and of the size their type has, the
 * SKF fragment number within the total, the EAP length equal to the
 * payload's.
 */
#include "ikev2_int.h"

#include <string.h>

#define IPV4_LEN 4
#define IPV6_LEN 16
#define TS_HEADER_LEN 8
#define CP_ATTR_HEADER_LEN 4

int
ikev2_syntax(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, IKEV2_N_INVALID_SYNTAX, offset, reason);
}

/* The body after a one-octet type and three reserved octets (ID, AUTH,
 * CP, TS share this layout; KE has two + two). */
static int
take_type_and_rest(struct wire_reader *r, uint32_t at, uint8_t *type, struct bytes *rest,
    const char *reason, struct parse_error *e)
{
	if (wire_get_u8(r, type) || wire_skip(r, 3))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, reason);
	*rest = (struct bytes){r->base + r->pos, wire_remaining(r)};
	return 0;
}

static int
decode_id(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_id *id = &p->u.id;
	int err;

	if ((err = take_type_and_rest(r, at, &id->type, &id->data, "ID payload truncated", e)))
		return err;
	if (id->type == IKEV2_ID_IPV4_ADDR && id->data.len != IPV4_LEN)
		return ikev2_syntax(e, TNC_EINVALID, at + 4, "ID_IPV4_ADDR not 4 octets");
	if (id->type == IKEV2_ID_IPV6_ADDR && id->data.len != IPV6_LEN)
		return ikev2_syntax(e, TNC_EINVALID, at + 4, "ID_IPV6_ADDR not 16 octets");
	if (id->data.len == 0)
		return ikev2_syntax(e, TNC_EINVALID, at + 4, "empty identification data");
	return 0;
}

static int
decode_cert(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_cert *c = &p->u.cert;

	if (wire_get_u8(r, &c->encoding))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "certificate encoding missing");
	c->data = (struct bytes){r->base + r->pos, wire_remaining(r)};
	if (p->type == IKEV2_PL_CERTREQ && c->encoding == IKEV2_CERT_X509_SIGNATURE &&
	    c->data.len % IKEV2_CERTREQ_HASH_LEN)
		return ikev2_syntax(e, TNC_EINVALID, at + 1,
		    "X.509 CERTREQ not a list of 20-octet hashes");
	if (p->type == IKEV2_PL_CERT && c->data.len == 0)
		return ikev2_syntax(e, TNC_EINVALID, at + 1, "empty certificate data");
	return 0;
}

/* Lengths of the notification data this project reads; a refusal names
 * the notification and the length it must have. */
static int
check_notify_data(const struct ikev2_notify *n, uint32_t at, struct parse_error *e)
{
	size_t len = n->data.len;
	const char *want = NULL;

	switch (n->type) {
	case IKEV2_N_NAT_DETECTION_SOURCE_IP:
		if (len != IKEV2_NATD_LEN)
			want = "NAT_DETECTION_SOURCE_IP data not 20 octets (a SHA-1 hash)";
		break;
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
		if (len != IKEV2_NATD_LEN)
			want = "NAT_DETECTION_DESTINATION_IP data not 20 octets (a SHA-1 hash)";
		break;
	case IKEV2_N_COOKIE:
		if (len < 1 || len > IKEV2_COOKIE_MAX)
			want = "COOKIE data not 1 to 64 octets";
		break;
	case IKEV2_N_INVALID_KE_PAYLOAD:
		if (len != 2)
			want = "INVALID_KE_PAYLOAD data not 2 octets (a D-H group)";
		break;
	case IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD:
		if (len != 1)
			want = "UNSUPPORTED_CRITICAL_PAYLOAD data not 1 octet (a payload type)";
		break;
	case IKEV2_N_ADDITIONAL_IP4_ADDRESS:
		if (len != IPV4_LEN)
			want = "ADDITIONAL_IP4_ADDRESS data not 4 octets";
		break;
	case IKEV2_N_ADDITIONAL_IP6_ADDRESS:
		if (len != IPV6_LEN)
			want = "ADDITIONAL_IP6_ADDRESS data not 16 octets";
		break;
	case IKEV2_N_AUTH_LIFETIME:
		if (len != 4)
			want = "AUTH_LIFETIME data not 4 octets";
		break;
	case IKEV2_N_SIGNATURE_HASH_ALGORITHMS:
		if (len % 2)
			want = "SIGNATURE_HASH_ALGORITHMS data not a list of 2-octet hashes";
		break;
	case IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED:
	case IKEV2_N_MOBIKE_SUPPORTED:
	case IKEV2_N_EAP_ONLY_AUTHENTICATION:
	case IKEV2_N_INITIAL_CONTACT:
		if (len)
			want = "notification data where the notification has none";
		break;
	}
	return want ? ikev2_syntax(e, TNC_EINVALID, at, want) : 0;
}

static int
decode_notify(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_notify *n = &p->u.notify;
	uint8_t spi_size;

	if (wire_get_u8(r, &n->protocol) || wire_get_u8(r, &spi_size) || wire_get_u16(r, &n->type))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "Notify payload truncated");
	if (wire_get_bytes(r, spi_size, &n->spi))
		return ikev2_syntax(e, TNC_ETRUNCATED, at + 1, "Notify SPI size past the payload");
	n->data = (struct bytes){r->base + r->pos, wire_remaining(r)};
	return check_notify_data(n, at + 4 + spi_size, e);
}

static int
decode_delete(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_delete *d = &p->u.del;

	if (wire_get_u8(r, &d->protocol) || wire_get_u8(r, &d->spi_size) ||
	    wire_get_u16(r, &d->spi_count))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "Delete payload truncated");
	d->spis = (struct bytes){r->base + r->pos, wire_remaining(r)};
	switch (d->protocol) {
	case IKEV2_PROTO_IKE:
		/* 3.11: the IKE SA is the one the message travels in. */
		if (d->spi_size != 0 || d->spi_count != 0)
			return ikev2_syntax(e, TNC_EINVALID, at + 1, "IKE Delete with SPIs");
		break;
	case IKEV2_PROTO_AH:
	case IKEV2_PROTO_ESP:
		if (d->spi_size != 4)
			return ikev2_syntax(e, TNC_EINVALID, at + 1, "AH/ESP Delete SPI size not 4");
		break;
	default:
		return ikev2_syntax(e, TNC_EINVALID, at, "unknown Delete protocol");
	}
	if (d->spis.len != (size_t)d->spi_size * d->spi_count)
		return ikev2_syntax(e, TNC_EINVALID, at + 2, "Delete SPIs do not match their number");
	return 0;
}

/* One traffic selector; *ret views r's buffer. */
static int
decode_ts(struct wire_reader *r, uint32_t offset, struct ikev2_ts *ret, struct parse_error *e)
{
	uint32_t at = offset + (uint32_t)wire_offset(r);
	uint16_t length;
	size_t addr_len;

	if (wire_get_u8(r, &ret->type) || wire_get_u8(r, &ret->ip_proto) ||
	    wire_get_u16(r, &length) || wire_get_u16(r, &ret->start_port) ||
	    wire_get_u16(r, &ret->end_port))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "traffic selector truncated");
	if (ret->type == IKEV2_TS_IPV4_ADDR_RANGE)
		addr_len = IPV4_LEN;
	else if (ret->type == IKEV2_TS_IPV6_ADDR_RANGE)
		addr_len = IPV6_LEN;
	else
		return ikev2_syntax(e, TNC_EINVALID, at, "unknown traffic selector type");
	if (length != TS_HEADER_LEN + 2 * addr_len)
		return ikev2_syntax(e, TNC_EINVALID, at + 2, "traffic selector length not that of its type");
	if (wire_get_bytes(r, addr_len, &ret->start) || wire_get_bytes(r, addr_len, &ret->end))
		return ikev2_syntax(e, TNC_ETRUNCATED, at + 2, "traffic selector past the payload");
	return 0;
}

static int
decode_ts_list(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_ts_list *l = &p->u.ts;
	struct ikev2_ts ts;
	int err;

	if ((err = take_type_and_rest(r, at, &l->count, &l->selectors, "TS payload truncated", e)))
		return err;
	if (l->count == 0)
		return ikev2_syntax(e, TNC_EINVALID, at, "TS payload without selectors");
	for (size_t i = 0; i < l->count; i++)
		if ((err = decode_ts(r, at, &ts, e)))
			return err;
	if (wire_remaining(r))
		return ikev2_syntax(e, TNC_ETRAILING, at + wire_offset(r),
		    "bytes after the last traffic selector");
	return 0;
}

bool
ikev2_ts_next(struct bytes *list, struct ikev2_ts *ret)
{
	struct wire_reader r;

	wire_reader_init(&r, list->ptr, list->len);
	if (decode_ts(&r, 0, ret, NULL))
		return false;
	list->ptr += wire_offset(&r);
	list->len -= wire_offset(&r);
	return true;
}

/* Value lengths of the attributes RFC 7296 3.15.1 defines: a request may
 * send them empty. */
static bool
cp_attr_length_ok(uint16_t type, size_t len)
{
	switch (type) {
	case IKEV2_CFG_INTERNAL_IP4_ADDRESS:
	case IKEV2_CFG_INTERNAL_IP4_NETMASK:
	case IKEV2_CFG_INTERNAL_IP4_DNS:
	case IKEV2_CFG_INTERNAL_IP4_NBNS:
	case IKEV2_CFG_INTERNAL_IP4_DHCP:
		return len == 0 || len == IPV4_LEN;
	case IKEV2_CFG_INTERNAL_IP6_DNS:
	case IKEV2_CFG_INTERNAL_IP6_DHCP:
		return len == 0 || len == IPV6_LEN;
	case IKEV2_CFG_INTERNAL_IP6_ADDRESS:
	case IKEV2_CFG_INTERNAL_IP6_SUBNET:
		return len == 0 || len == IPV6_LEN + 1; /* address, prefix length */
	case IKEV2_CFG_INTERNAL_IP4_SUBNET:
		return len == 0 || len == 2 * IPV4_LEN; /* address, netmask */
	case IKEV2_CFG_SUPPORTED_ATTRIBUTES:
		return len % 2 == 0;
	default:
		return true;
	}
}

static int
decode_cp_attr(struct wire_reader *r, uint32_t offset, struct ikev2_cp_attr *ret,
    struct parse_error *e)
{
	uint32_t at = offset + (uint32_t)wire_offset(r);
	uint16_t type, length;

	if (wire_get_u16(r, &type) || wire_get_u16(r, &length))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "configuration attribute truncated");
	ret->type = type & IKEV2_CFG_ATTR_TYPE_MASK;
	if (wire_get_bytes(r, length, &ret->value))
		return ikev2_syntax(e, TNC_ETRUNCATED, at + 2,
		    "configuration attribute length past the payload");
	if (!cp_attr_length_ok(ret->type, length))
		return ikev2_syntax(e, TNC_EINVALID, at + 2,
		    "configuration attribute length not that of its type");
	return 0;
}

static int
decode_cp(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_cp *cp = &p->u.cp;
	struct ikev2_cp_attr a;
	int err;

	if ((err = take_type_and_rest(r, at, &cp->cfg_type, &cp->attrs, "CP payload truncated", e)))
		return err;
	if (cp->cfg_type < IKEV2_CFG_REQUEST || cp->cfg_type > IKEV2_CFG_ACK)
		return ikev2_syntax(e, TNC_EINVALID, at, "unknown CFG type");
	while (wire_remaining(r))
		if ((err = decode_cp_attr(r, at, &a, e)))
			return err;
	return 0;
}

bool
ikev2_cp_next(struct bytes *list, struct ikev2_cp_attr *ret)
{
	struct wire_reader r;

	wire_reader_init(&r, list->ptr, list->len);
	if (decode_cp_attr(&r, 0, ret, NULL))
		return false;
	list->ptr += wire_offset(&r);
	list->len -= wire_offset(&r);
	return true;
}

static int
decode_sk(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_sk *sk = &p->u.sk;

	sk->fragment = sk->fragments = 0;
	if (p->type == IKEV2_PL_SKF) {
		if (wire_get_u16(r, &sk->fragment) || wire_get_u16(r, &sk->fragments))
			return ikev2_syntax(e, TNC_ETRUNCATED, at, "SKF payload truncated");
		if (sk->fragment == 0 || sk->fragment > sk->fragments)
			return ikev2_syntax(e, TNC_EINVALID, at, "fragment number not within the total");
		/* RFC 7383 2.5: only the first fragment names the inner payload. */
		if (sk->fragment != 1 && p->next != IKEV2_PL_NONE)
			return ikev2_syntax(e, TNC_EINVALID, at - 4,
			    "Next Payload set in a fragment other than the first");
	}
	sk->encrypted = (struct bytes){r->base + r->pos, wire_remaining(r)};
	if (sk->encrypted.len == 0)
		return ikev2_syntax(e, TNC_EINVALID, at, "empty encrypted payload");
	return 0;
}

static int
decode_eap(struct ikev2_payload *p, struct wire_reader *r, uint32_t at, struct parse_error *e)
{
	struct ikev2_eap *eap = &p->u.eap;
	uint16_t length;

	eap->msg = p->body;
	eap->type = 0;
	if (wire_get_u8(r, &eap->code) || wire_get_u8(r, &eap->id) || wire_get_u16(r, &length))
		return ikev2_syntax(e, TNC_ETRUNCATED, at, "EAP header truncated");
	if (length != p->body.len)
		return ikev2_syntax(e, TNC_EINVALID, at + 2, "EAP length not the payload's");
	switch (eap->code) {
	case IKEV2_EAP_REQUEST:
	case IKEV2_EAP_RESPONSE:
		if (wire_get_u8(r, &eap->type))
			return ikev2_syntax(e, TNC_ETRUNCATED, at + 4, "EAP type missing");
		return 0;
	case IKEV2_EAP_SUCCESS:
	case IKEV2_EAP_FAILURE:
		if (length != IKEV2_EAP_HEADER_LEN)
			return ikev2_syntax(e, TNC_EINVALID, at + 2, "EAP Success/Failure with data");
		return 0;
	default:
		return ikev2_syntax(e, TNC_EINVALID, at, "unknown EAP code");
	}
}

int
ikev2_payload_decode(struct ikev2_payload *p, bool response, struct parse_error *e)
{
	struct wire_reader r;
	uint32_t at = p->offset + IKEV2_PAYLOAD_HEADER_LEN;
	int err;

	wire_reader_init(&r, p->body.ptr, p->body.len);
	switch (p->type) {
	case IKEV2_PL_SA:
		p->u.sa = p->body;
		return ikev2_sa_decode(p->body, at, response, e);
	case IKEV2_PL_KE:
		if (wire_get_u16(&r, &p->u.ke.group) || wire_skip(&r, 2))
			return ikev2_syntax(e, TNC_ETRUNCATED, at, "KE payload truncated");
		p->u.ke.data = (struct bytes){r.base + r.pos, wire_remaining(&r)};
		if (p->u.ke.data.len == 0)
			return ikev2_syntax(e, TNC_EINVALID, at + 4, "empty key exchange data");
		return 0;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		return decode_id(p, &r, at, e);
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		return decode_cert(p, &r, at, e);
	case IKEV2_PL_AUTH:
		if ((err = take_type_and_rest(&r, at, &p->u.auth.method, &p->u.auth.data,
		    "AUTH payload truncated", e)))
			return err;
		if (p->u.auth.data.len == 0)
			return ikev2_syntax(e, TNC_EINVALID, at + 4, "empty authentication data");
		return 0;
	case IKEV2_PL_NONCE:
		p->u.nonce = p->body;
		if (p->body.len < IKEV2_NONCE_MIN || p->body.len > IKEV2_NONCE_MAX)
			return ikev2_syntax(e, TNC_EINVALID, p->offset + 2, "nonce not 16 to 256 octets");
		return 0;
	case IKEV2_PL_NOTIFY:
		return decode_notify(p, &r, at, e);
	case IKEV2_PL_DELETE:
		return decode_delete(p, &r, at, e);
	case IKEV2_PL_VENDOR:
		p->u.vendor = p->body;
		if (p->body.len == 0)
			return ikev2_syntax(e, TNC_EINVALID, p->offset + 2, "empty Vendor ID");
		return 0;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		return decode_ts_list(p, &r, at, e);
	case IKEV2_PL_SK:
	case IKEV2_PL_SKF:
		return decode_sk(p, &r, at, e);
	case IKEV2_PL_CP:
		return decode_cp(p, &r, at, e);
	case IKEV2_PL_EAP:
		return decode_eap(p, &r, at, e);
	default:
		return parse_fail(e, TNC_ETYPE, IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, p->offset,
		    "unknown payload type");
	}
}

int
ikev2_sk_split(struct bytes encrypted, size_t iv_len, size_t icv_len, size_t block,
    struct bytes *iv, struct bytes *ciphertext, struct bytes *icv)
{
	if (block == 0)
		return TNC_EINVALID;
	if (iv_len > encrypted.len || icv_len > encrypted.len - iv_len)
		return TNC_ETRUNCATED;
	size_t ct_len = encrypted.len - iv_len - icv_len;
	if (ct_len == 0 || ct_len % block)
		return TNC_EINVALID;
	*iv = (struct bytes){encrypted.ptr, iv_len};
	*ciphertext = (struct bytes){encrypted.ptr + iv_len, ct_len};
	*icv = (struct bytes){encrypted.ptr + iv_len + ct_len, icv_len};
	return 0;
}
