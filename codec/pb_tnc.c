/* pb_tnc.c - PB-TNC batch validation (RFC 5793 4.1-4.3) and names.
 *
 * Checks, in order: Version (Version Not Supported), D against the
 * receiver, B-Type known and allowed from the sender D names, Batch Length
 * (cap, then equal to the buffer); then per message: header complete,
 * length >= 12 and within the batch, type not reserved, known or skippable,
 * NOSKIP as the type requires, sender and batch type allowed, value
 * (pb_msg.c); last, a RESULT batch holds its one PB-Assessment-Result.
 * Every failure carries the offset of the offending field, counted from
 * the start of the batch, as a PB-Error reports it (4.9.1).
 */
#include "pb_tnc.h"

#include <stdlib.h>
#include <string.h>

enum noskip_rule {
	NOSKIP_EITHER,
	NOSKIP_MUST,     /* "MUST be set", e.g. PB-PA (4.5) */
	NOSKIP_MUST_NOT, /* "MUST NOT be set", e.g. PB-Access-Recommendation (4.7) */
};

/* What RFC 5793 4.4-4.11 (and the TCG PDP referral spec) require of each
 * message type we understand. */
struct msg_rule {
	uint32_t vendor;
	uint32_t type;
	uint8_t noskip;      /* enum noskip_rule */
	bool server_only;    /* "The Posture Broker Client MUST NOT send" */
	bool result_only;    /* a client "MUST ignore" it outside RESULT */
};

static const struct msg_rule msg_rules[] = {
	{PB_VENDOR_IETF, PB_MSG_PA, NOSKIP_MUST, false, false},
	{PB_VENDOR_IETF, PB_MSG_ASSESSMENT_RESULT, NOSKIP_MUST, true, true},
	{PB_VENDOR_IETF, PB_MSG_ACCESS_RECOMMENDATION, NOSKIP_MUST_NOT, true, true},
	{PB_VENDOR_IETF, PB_MSG_REMEDIATION_PARAMETERS, NOSKIP_MUST_NOT, true, false},
	{PB_VENDOR_IETF, PB_MSG_ERROR, NOSKIP_MUST, false, false},
	{PB_VENDOR_IETF, PB_MSG_LANGUAGE_PREFERENCE, NOSKIP_MUST_NOT, false, false},
	{PB_VENDOR_IETF, PB_MSG_REASON_STRING, NOSKIP_MUST_NOT, true, false},
	{PB_VENDOR_TCG, PB_TCG_MSG_PDP_REFERRAL, NOSKIP_EITHER, false, false},
};

static int
invalid(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, PB_ERROR_INVALID_PARAMETER, offset, reason);
}

static const struct msg_rule *
find_rule(uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < sizeof(msg_rules) / sizeof(msg_rules[0]); i++)
		if (msg_rules[i].vendor == vendor && msg_rules[i].type == type)
			return &msg_rules[i];
	return NULL;
}

/* RFC 5793 4.1: CDATA and CRETRY come from the client, SDATA, RESULT and
 * SRETRY from the server, CLOSE from either. */
static bool
sender_may_send(uint8_t type, uint8_t dir)
{
	switch (type) {
	case PB_BATCH_CDATA:
	case PB_BATCH_CRETRY:
		return dir == PB_DIR_TO_SERVER;
	case PB_BATCH_SDATA:
	case PB_BATCH_RESULT:
	case PB_BATCH_SRETRY:
		return dir == PB_DIR_TO_CLIENT;
	default:
		return true;
	}
}

static int
parse_type_octets(struct wire_reader *r, const struct pb_limits *lim, struct pb_batch *b,
    struct parse_error *e)
{
	uint8_t d;
	uint16_t btype;

	if (wire_get_u8(r, &d) || wire_get_u16(r, &btype))
		return invalid(e, TNC_ETRUNCATED, wire_offset(r), "batch header truncated");
	/* The 23 reserved bits: "MUST be set to 0 on transmission and ignored
	 * upon reception" (4.1). */
	b->dir = (d & PB_BATCH_FLAG_D) ? PB_DIR_TO_CLIENT : PB_DIR_TO_SERVER;
	b->type = btype & PB_BATCH_TYPE_MASK;
	if (lim->expect_dir != PB_DIR_ANY && b->dir != lim->expect_dir)
		return invalid(e, TNC_EINVALID, 1, "batch has the wrong directionality");
	if (b->type < PB_BATCH_CDATA || b->type > PB_BATCH_CLOSE)
		return invalid(e, TNC_EINVALID, 3, "unknown batch type");
	if (!sender_may_send(b->type, b->dir))
		return parse_fail(e, TNC_ETYPE, PB_ERROR_UNEXPECTED_BATCH_TYPE, 3,
		    "batch type not sent in this direction");
	return 0;
}

static int
parse_header(struct wire_reader *r, size_t len, const struct pb_limits *lim,
    struct pb_batch *b, struct parse_error *e)
{
	int err;

	if (wire_get_u8(r, &b->version))
		return invalid(e, TNC_ETRUNCATED, 0, "batch header truncated");
	if (b->version != PB_TNC_VERSION)
		return parse_fail(e, TNC_EVERSION, PB_ERROR_VERSION_NOT_SUPPORTED, 0,
		    "unsupported PB-TNC version");
	if ((err = parse_type_octets(r, lim, b, e)))
		return err;
	if (wire_get_u32(r, &b->length))
		return invalid(e, TNC_ETRUNCATED, 4, "batch header truncated");
	if (b->length > lim->max_batch_len)
		return parse_fail(e, TNC_ETOOLONG, PB_ERROR_LOCAL_ERROR, 4, "batch too large");
	if (b->length > len)
		return invalid(e, TNC_ETRUNCATED, 4, "batch length past the end of the data");
	if (b->length != len)
		return invalid(e, TNC_ETRAILING, 4, "batch length shorter than the data");
	return 0;
}

static int
parse_msg_header(struct wire_reader *r, struct pb_msg *m, struct parse_error *e)
{
	uint32_t length;

	m->offset = (uint32_t)wire_offset(r);
	if (wire_get_u8(r, &m->flags) || wire_get_u24(r, &m->vendor) ||
	    wire_get_u32(r, &m->type) || wire_get_u32(r, &length))
		return invalid(e, TNC_ETRUNCATED, wire_offset(r), "message header truncated");
	if (length < PB_MSG_HEADER_LEN)
		return invalid(e, TNC_EINVALID, m->offset + 8, "message length below 12");
	if (wire_get_bytes(r, length - PB_MSG_HEADER_LEN, &m->value))
		return invalid(e, TNC_ETRUNCATED, m->offset + 8,
		    "message length past the end of the batch");
	if (m->type == PB_MSG_TYPE_RESERVED)
		return invalid(e, TNC_EINVALID, m->offset + 4, "reserved message type");
	return 0;
}

static int
check_noskip(const struct msg_rule *rule, const struct pb_msg *m, struct parse_error *e)
{
	bool noskip = m->flags & PB_MSG_FLAG_NOSKIP;

	if (rule->noskip == NOSKIP_MUST && !noskip)
		return invalid(e, TNC_EINVALID, m->offset, "NOSKIP flag must be set");
	if (rule->noskip == NOSKIP_MUST_NOT && noskip)
		return invalid(e, TNC_EINVALID, m->offset, "NOSKIP flag must not be set");
	return 0;
}

/* One message: 0 with *keep set when it is to be processed, 0 with *keep
 * clear when RFC 5793 says to ignore it, or an error. */
static int
parse_msg(struct wire_reader *r, const struct pb_batch *b, struct pb_msg *m, bool *keep,
    struct parse_error *e)
{
	const struct msg_rule *rule;
	int err;

	*keep = false;
	memset(m, 0, sizeof(*m));
	if ((err = parse_msg_header(r, m, e)))
		return err;
	/* PB-Experimental is never processed in production (4.4), and neither
	 * is a type we do not know (4.2). */
	if (!(rule = find_rule(m->vendor, m->type))) {
		if (m->flags & PB_MSG_FLAG_NOSKIP)
			return parse_fail(e, TNC_ETYPE, PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE,
			    m->offset, "unsupported message with NOSKIP");
		return 0;
	}
	if ((err = check_noskip(rule, m, e)))
		return err;
	if (rule->server_only && b->dir == PB_DIR_TO_SERVER)
		return invalid(e, TNC_EINVALID, m->offset + 4, "message type not allowed from a client");
	if (rule->result_only && b->type != PB_BATCH_RESULT)
		return 0;
	if ((err = pb_msg_decode(m, e)))
		return err;
	*keep = true;
	return 0;
}

static int
push_msg(struct pb_batch *b, const struct pb_msg *m, const struct pb_limits *lim,
    size_t *cap, struct parse_error *e)
{
	if (b->count >= lim->max_msgs)
		return parse_fail(e, TNC_ETOOLONG, PB_ERROR_LOCAL_ERROR, m->offset, "too many messages");
	if (b->count == *cap) {
		size_t n = *cap ? *cap * 2 : 8;
		struct pb_msg *p = realloc(b->msgs, n * sizeof(*p));
		if (!p)
			abort(); /* sizes are capped by max_msgs; OOM is not peer-driven */
		b->msgs = p;
		*cap = n;
	}
	b->msgs[b->count++] = *m;
	return 0;
}

/* RFC 5793 4.6/4.7: a RESULT batch carries one PB-Assessment-Result and
 * at most one PB-Access-Recommendation. */
static int
count_result_msg(const struct pb_msg *m, size_t seen[2], struct parse_error *e)
{
	size_t i;

	if (m->vendor != PB_VENDOR_IETF)
		return 0;
	if (m->type == PB_MSG_ASSESSMENT_RESULT)
		i = 0;
	else if (m->type == PB_MSG_ACCESS_RECOMMENDATION)
		i = 1;
	else
		return 0;
	if (seen[i]++)
		return invalid(e, TNC_EINVALID, m->offset + 4, "second result message in a batch");
	return 0;
}

static int
parse_msgs(struct wire_reader *r, const struct pb_limits *lim, struct pb_batch *b,
    struct parse_error *e)
{
	size_t cap = 0, seen[2] = {0, 0};
	int err;

	while (wire_remaining(r) > 0) {
		struct pb_msg m;
		bool keep;

		if ((err = parse_msg(r, b, &m, &keep, e)))
			return err;
		if (!keep)
			b->skipped++;
		else if ((err = count_result_msg(&m, seen, e)) ||
		    (err = push_msg(b, &m, lim, &cap, e)))
			return err;
	}
	/* The B-Type promises a result the batch does not hold. */
	if (b->type == PB_BATCH_RESULT && !seen[0])
		return invalid(e, TNC_EINVALID, 3, "RESULT batch without PB-Assessment-Result");
	return 0;
}

int
pb_batch_parse(const uint8_t *buf, size_t len, const struct pb_limits *lim,
    struct pb_batch *ret, struct parse_error *ret_err)
{
	struct wire_reader r;
	struct pb_batch b;
	int err;

	memset(&b, 0, sizeof(b));
	wire_reader_init(&r, buf, len);
	err = parse_header(&r, len, lim, &b, ret_err);
	if (err == 0)
		err = parse_msgs(&r, lim, &b, ret_err);
	if (err) {
		free(b.msgs);
		return err;
	}
	*ret = b;
	return 0;
}

void
pb_batch_clear(struct pb_batch *b)
{
	free(b->msgs);
	memset(b, 0, sizeof(*b));
}

static const char *
name_of(const char *const *names, size_t n, uint32_t value)
{
	return value < n && names[value] ? names[value] : "unknown";
}

#define NAME_OF(table, value) name_of(table, sizeof(table) / sizeof(table[0]), value)

const char *
pb_batch_type_name(uint8_t type)
{
	static const char *const names[] = {
		NULL, "CDATA", "SDATA", "RESULT", "CRETRY", "SRETRY", "CLOSE",
	};
	return NAME_OF(names, type);
}

const char *
pb_msg_type_name(uint32_t vendor, uint32_t type)
{
	static const char *const ietf[] = {
		"PB-Experimental", "PB-PA", "PB-Assessment-Result",
		"PB-Access-Recommendation", "PB-Remediation-Parameters", "PB-Error",
		"PB-Language-Preference", "PB-Reason-String",
	};
	static const char *const tcg[] = {NULL, "PB-PDP-Referral"};

	if (vendor == PB_VENDOR_IETF)
		return NAME_OF(ietf, type);
	if (vendor == PB_VENDOR_TCG)
		return NAME_OF(tcg, type);
	return "unknown";
}

const char *
pb_error_code_name(uint32_t vendor, uint16_t code)
{
	static const char *const ietf[] = {
		"Unexpected Batch Type", "Invalid Parameter", "Local Error",
		"Unsupported Mandatory Message", "Version Not Supported",
	};
	return vendor == PB_VENDOR_IETF ? NAME_OF(ietf, code) : "unknown";
}

const char *
pb_assessment_result_name(uint32_t result)
{
	static const char *const names[] = {
		"compliant", "minor non-compliance", "significant non-compliance",
		"error", "don't know",
	};
	return NAME_OF(names, result);
}

const char *
pb_access_recommendation_name(uint16_t recommendation)
{
	static const char *const names[] = {
		NULL, "Access Allowed", "Access Denied", "Quarantined",
	};
	return NAME_OF(names, recommendation);
}
