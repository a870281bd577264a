/* pa_tnc.c - PA-TNC message validation and building (RFC 5792 4.1, 4.2)
 * and the names of attribute types, PA subtypes and error codes.
 *
 * Checks, in order: size cap, Version (Version Not Supported), header
 * complete; then per attribute: header complete, Length >= 12 and within
 * the message, NOSKIP only for supported types, attribute cap.  Offsets
 * are those a PA-TNC Error reports (4.2.8): of the offending field, counted
 * from the start of the message.  Reserved fields are ignored on reception
 * and sent as zero (4.1, 4.2).
 */
#include "pa_tnc.h"

#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_segment.h"

static int
invalid(struct parse_error *e, int err, size_t offset, const char *reason)
{
	return parse_fail(e, err, PA_TNC_ERROR_INVALID_PARAMETER, offset, reason);
}

bool
pa_tnc_is_supported(const struct pa_tnc_limits *lim, uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < lim->n_supported; i++)
		if (lim->supported[i].vendor == vendor && lim->supported[i].type == type)
			return true;
	return false;
}

/* Reads the header of the attribute at the cursor and views its value. */
static int
parse_attr_header(struct wire_reader *r, struct pa_tnc_attr *a, struct parse_error *e)
{
	size_t start = wire_offset(r);
	uint32_t length;

	a->offset = (uint32_t)start;
	if (wire_get_u8(r, &a->flags) || wire_get_u24(r, &a->vendor) ||
	    wire_get_u32(r, &a->type) || wire_get_u32(r, &length))
		return invalid(e, TNC_ETRUNCATED, start, "attribute header truncated");
	/* 4.2: the Length includes the 12-octet header. */
	if (length < PA_TNC_ATTR_HEADER_LEN)
		return invalid(e, TNC_EINVALID, start + 8, "attribute length below 12");
	if (wire_get_bytes(r, length - PA_TNC_ATTR_HEADER_LEN, &a->value))
		return invalid(e, TNC_ETRUNCATED, start + 8,
		    "attribute length past the end of the message");
	return 0;
}

static void
push_attr(struct pa_tnc_msg *m, const struct pa_tnc_attr *a, size_t *cap)
{
	if (m->count == *cap) {
		size_t n = *cap ? *cap * 2 : 8;
		struct pa_tnc_attr *p = realloc(m->attrs, n * sizeof(*p));
		if (!p)
			abort(); /* sizes are capped by max_attrs; OOM is not peer-driven */
		m->attrs = p;
		*cap = n;
	}
	m->attrs[m->count++] = *a;
}

static int
parse_attrs(struct wire_reader *r, const struct pa_tnc_limits *lim, struct pa_tnc_msg *m,
    struct parse_error *e)
{
	size_t cap = 0;
	int err;

	while (wire_remaining(r) > 0) {
		struct pa_tnc_attr a;

		if ((err = parse_attr_header(r, &a, e)))
			return err;
		/* 4.2: a receiver that does not support a NOSKIP attribute MUST
		 * NOT process any part of the message. */
		if ((a.flags & PA_TNC_ATTR_FLAG_NOSKIP) && !pa_tnc_is_supported(lim, a.vendor, a.type))
			return parse_fail(e, TNC_ETYPE, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED, a.offset,
			    "unsupported attribute with NOSKIP");
		if (m->count >= lim->max_attrs)
			return invalid(e, TNC_ETOOLONG, a.offset, "too many attributes");
		push_attr(m, &a, &cap);
	}
	return 0;
}

static int
parse_header(struct wire_reader *r, size_t len, const struct pa_tnc_limits *lim,
    struct pa_tnc_msg *m, struct parse_error *e)
{
	if (len > lim->max_msg_len)
		return invalid(e, TNC_ETOOLONG, 0, "message too large");
	if (wire_get_u8(r, &m->version))
		return invalid(e, TNC_ETRUNCATED, 0, "message header truncated");
	if (m->version != PA_TNC_VERSION)
		return parse_fail(e, TNC_EVERSION, PA_TNC_ERROR_VERSION_NOT_SUPPORTED, 0,
		    "unsupported PA-TNC version");
	if (wire_skip(r, 3) || wire_get_u32(r, &m->msg_id))
		return invalid(e, TNC_ETRUNCATED, 0, "message header truncated");
	return 0;
}

int
pa_tnc_msg_parse(const uint8_t *buf, size_t len, const struct pa_tnc_limits *lim,
    struct pa_tnc_msg *ret, struct parse_error *ret_err)
{
	struct wire_reader r;
	struct pa_tnc_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	wire_reader_init(&r, buf, len);
	err = parse_header(&r, len, lim, &m, ret_err);
	if (err == 0)
		err = parse_attrs(&r, lim, &m, ret_err);
	if (err) {
		free(m.attrs);
		return err;
	}
	*ret = m;
	return 0;
}

void
pa_tnc_msg_clear(struct pa_tnc_msg *m)
{
	free(m->attrs);
	memset(m, 0, sizeof(*m));
}

int
pa_tnc_attr_parse(const uint8_t *buf, size_t len, struct pa_tnc_attr *ret,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	struct pa_tnc_attr a;
	int err;

	wire_reader_init(&r, buf, len);
	if ((err = parse_attr_header(&r, &a, ret_err)))
		return err;
	if (wire_remaining(&r) > 0)
		return invalid(ret_err, TNC_ETRAILING, 8, "attribute length shorter than the data");
	*ret = a;
	return 0;
}

void
pa_tnc_attr_rebase_error(const struct pa_tnc_attr *a, struct parse_error *e)
{
	e->offset += a->offset + PA_TNC_ATTR_HEADER_LEN;
}

void
pa_tnc_builder_init(struct pa_tnc_builder *b, uint32_t msg_id, size_t max_len)
{
	memset(b, 0, sizeof(*b));
	wire_writer_init(&b->w, max_len);
	wire_put_u8(&b->w, PA_TNC_VERSION);
	wire_put_u24(&b->w, 0); /* Reserved */
	wire_put_u32(&b->w, msg_id);
}

void
pa_tnc_builder_begin(struct pa_tnc_builder *b, uint8_t flags, uint32_t vendor, uint32_t type)
{
	if (b->open || vendor > PA_TNC_VENDOR_MAX)
		wire_writer_fail(&b->w, b->open ? TNC_ESTATE : TNC_EINVALID);
	b->attr_start = b->w.len;
	b->open = true;
	wire_put_u8(&b->w, flags);
	wire_put_u24(&b->w, vendor);
	wire_put_u32(&b->w, type);
	wire_put_u32(&b->w, 0); /* Length, patched by pa_tnc_builder_end() */
}

void
pa_tnc_builder_end(struct pa_tnc_builder *b)
{
	size_t len = b->w.len - b->attr_start;

	if (!b->open) {
		wire_writer_fail(&b->w, TNC_ESTATE);
		return;
	}
	if (len > UINT32_MAX)
		wire_writer_fail(&b->w, TNC_ETOOLONG);
	else
		wire_patch_u32(&b->w, b->attr_start + 8, (uint32_t)len);
	b->open = false;
	b->count++;
}

void
pa_tnc_builder_add(struct pa_tnc_builder *b, uint8_t flags, uint32_t vendor, uint32_t type,
    struct bytes value)
{
	pa_tnc_builder_begin(b, flags, vendor, type);
	wire_put_bytes(&b->w, value.ptr, value.len);
	pa_tnc_builder_end(b);
}

int
pa_tnc_builder_finish(struct pa_tnc_builder *b, struct bytes *ret)
{
	int err;

	if (b->open)
		wire_writer_fail(&b->w, TNC_ESTATE);
	if ((err = wire_writer_status(&b->w)))
		return err;
	ret->ptr = b->w.buf;
	ret->len = b->w.len;
	return 0;
}

void
pa_tnc_builder_clear(struct pa_tnc_builder *b)
{
	wire_writer_clear(&b->w);
	memset(b, 0, sizeof(*b));
}

struct type_name {
	uint32_t vendor;
	uint32_t type;
	const char *name;
};

/* Attribute types: RFC 5792 4.2 and RFC 8412 (IETF), TCG IF-M Segmentation
 * and PTS Protocol (TCG), strongSwan's ITA-HSR namespace. */
static const struct type_name attr_names[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_TESTING, "IETF/Testing"},
	{PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST, "IETF/Attribute Request"},
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION, "IETF/Product Information"},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION, "IETF/Numeric Version"},
	{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION, "IETF/String Version"},
	{PA_TNC_VENDOR_IETF, PA_IETF_OPERATIONAL_STATUS, "IETF/Operational Status"},
	{PA_TNC_VENDOR_IETF, PA_IETF_PORT_FILTER, "IETF/Port Filter"},
	{PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES, "IETF/Installed Packages"},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, "IETF/PA-TNC Error"},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT, "IETF/Assessment Result"},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS, "IETF/Remediation Instructions"},
	{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED, "IETF/Forwarding Enabled"},
	{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED,
	    "IETF/Factory Default Password Enabled"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SWIMA_REQUEST, "IETF/SWIMA Request"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_INVENTORY, "IETF/SW Identifier Inventory"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS, "IETF/SW Identifier Events"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_INVENTORY, "IETF/SW Inventory"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_EVENTS, "IETF/SW Events"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SUBSCRIPTION_STATUS_REQUEST, "IETF/Subscription Status Request"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SUBSCRIPTION_STATUS_RESPONSE,
	    "IETF/Subscription Status Response"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SOURCE_METADATA_REQUEST, "IETF/Source Metadata Request"},
	{PA_TNC_VENDOR_IETF, PA_IETF_SOURCE_METADATA_RESPONSE, "IETF/Source Metadata Response"},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, "TCG/Segmentation Contract Request"},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, "TCG/Segmentation Contract Response"},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, "TCG/Segment Envelope"},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT, "TCG/Next Segment"},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL, "TCG/Cancel Segment Exchange"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS, "TCG/Request PTS Protocol Capabilities"},
	{PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, "TCG/PTS Protocol Capabilities"},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ, "TCG/DH Nonce Parameters Request"},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, "TCG/DH Nonce Parameters Response"},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH, "TCG/DH Nonce Finish"},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ, "TCG/PTS Measurement Algorithm Request"},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, "TCG/PTS Measurement Algorithm"},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO, "TCG/Get TPM Version Information"},
	{PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, "TCG/TPM Version Information"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_TEMPL_REF_MANI_SET_META,
	    "TCG/Request Template Reference Manifest Set Metadata"},
	{PA_TNC_VENDOR_TCG, PA_PTS_TEMPL_REF_MANI_SET_META,
	    "TCG/Template Reference Manifest Set Metadata"},
	{PA_TNC_VENDOR_TCG, PA_PTS_UPDATE_TEMPL_REF_MANI, "TCG/Update Template Reference Manifest"},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK, "TCG/Get Attestation Identity Key"},
	{PA_TNC_VENDOR_TCG, PA_PTS_AIK, "TCG/Attestation Identity Key"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID, "TCG/Request Functional Component Evidence"},
	{PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID, "TCG/Generate Attestation Evidence"},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID, "TCG/Simple Component Evidence"},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL, "TCG/Simple Evidence Final"},
	{PA_TNC_VENDOR_TCG, PA_PTS_VERIFICATION_RESULT, "TCG/Verification Result"},
	{PA_TNC_VENDOR_TCG, PA_PTS_INTEG_REPORT, "TCG/Integrity Report"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_META, "TCG/Request File Metadata"},
	{PA_TNC_VENDOR_TCG, PA_PTS_WIN_FILE_META, "TCG/Windows-Style File Metadata"},
	{PA_TNC_VENDOR_TCG, PA_PTS_UNIX_FILE_META, "TCG/Unix-Style File Metadata"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_REGISTRY_VALUE, "TCG/Request Registry Value"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REGISTRY_VALUE, "TCG/Registry Value"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_MEAS, "TCG/Request File Measurement"},
	{PA_TNC_VENDOR_TCG, PA_PTS_FILE_MEAS, "TCG/File Measurement"},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_INTEG_MEAS_LOG, "TCG/Request Integrity Measurement Log"},
	{PA_TNC_VENDOR_TCG, PA_PTS_INTEG_MEAS_LOG, "TCG/Integrity Measurement Log"},
	{PA_TNC_VENDOR_ITA, PA_ITA_COMMAND, "ITA-HSR/Command"},
	{PA_TNC_VENDOR_ITA, PA_ITA_DUMMY, "ITA-HSR/Dummy"},
	{PA_TNC_VENDOR_ITA, PA_ITA_GET_SETTINGS, "ITA-HSR/Get Settings"},
	{PA_TNC_VENDOR_ITA, PA_ITA_SETTINGS, "ITA-HSR/Settings"},
	{PA_TNC_VENDOR_ITA, PA_ITA_START_ANGEL, "ITA-HSR/Start Angel"},
	{PA_TNC_VENDOR_ITA, PA_ITA_STOP_ANGEL, "ITA-HSR/Stop Angel"},
	{PA_TNC_VENDOR_ITA, PA_ITA_ECHO, "ITA-HSR/Echo"},
	{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID, "ITA-HSR/Device ID"},
	{PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS, "ITA-HSR/Get Symlinks"},
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, "ITA-HSR/Symlinks"},
};

static const struct type_name subtype_names[] = {
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_TESTING, "IETF/Testing"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM, "IETF/Operating System"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_ANTI_VIRUS, "IETF/Anti-Virus"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_ANTI_SPYWARE, "IETF/Anti-Spyware"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_ANTI_MALWARE, "IETF/Anti-Malware"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_FIREWALL, "IETF/Firewall"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_IDPS, "IETF/IDPS"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_VPN, "IETF/VPN"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_NEA_CLIENT, "IETF/NEA Client"},
	{PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_SWIMA, "IETF/SWIMA"},
	{PA_TNC_VENDOR_TCG, PA_TNC_SUBTYPE_TCG_PTS, "TCG/PTS"},
	{PA_TNC_VENDOR_ITA, PA_TNC_SUBTYPE_ITA_TEST, "ITA-HSR/Test"},
	{PA_TNC_VENDOR_ITA, PA_TNC_SUBTYPE_ITA_SCANNER, "ITA-HSR/Scanner"},
};

static const struct type_name error_names[] = {
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_RESERVED, "Reserved"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_INVALID_PARAMETER, "Invalid Parameter"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_VERSION_NOT_SUPPORTED, "Version Not Supported"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED,
	    "Attribute Type Not Supported"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_SWIMA, "SWIMA Error"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED, "SWIMA Subscription Denied"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE, "SWIMA Response Too Large"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT,
	    "SWIMA Subscription Fulfillment Error"},
	{PA_TNC_VENDOR_IETF, PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE,
	    "SWIMA Subscription ID Reuse"},
	{PA_TNC_VENDOR_TCG, PA_PTS_ERROR_HASH_ALG_NOT_SUPPORTED, "Hash Algorithm Not Supported"},
	{PA_TNC_VENDOR_TCG, PA_PTS_ERROR_INVALID_PATH, "Invalid Path"},
	{PA_TNC_VENDOR_TCG, PA_PTS_ERROR_FILE_NOT_FOUND, "File Not Found"},
	{PA_TNC_VENDOR_TCG, PA_PTS_ERROR_INVALID_DELIMITER, "Invalid Delimiter"},
	{PA_TNC_VENDOR_TCG, PA_PTS_ERROR_OPERATION_NOT_SUPPORTED, "Operation Not Supported"},
};

static const char *
find_name(const struct type_name *t, size_t n, uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].vendor == vendor && t[i].type == type)
			return t[i].name;
	return "unknown";
}

#define NAMES(t) (t), sizeof(t) / sizeof((t)[0])

const char *
pa_tnc_vendor_name(uint32_t vendor)
{
	switch (vendor) {
	case PA_TNC_VENDOR_IETF:
		return "IETF";
	case PA_TNC_VENDOR_TCG:
		return "TCG";
	case PA_TNC_VENDOR_ITA:
		return "ITA-HSR";
	default:
		return "unknown";
	}
}

const char *
pa_tnc_attr_name(uint32_t vendor, uint32_t type)
{
	return find_name(NAMES(attr_names), vendor, type);
}

const char *
pa_tnc_subtype_name(uint32_t vendor, uint32_t subtype)
{
	return find_name(NAMES(subtype_names), vendor, subtype);
}

const char *
pa_tnc_error_code_name(uint32_t vendor, uint32_t code)
{
	return find_name(NAMES(error_names), vendor, code);
}
