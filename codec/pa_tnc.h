/* pa_tnc.h - PA-TNC messages and attribute headers (RFC 5792 sections 4.1,
 * 4.2; error codes 4.2.8).
 *
 * pa_tnc_msg_parse() validates a whole PA-TNC message (header, every
 * attribute header, NOSKIP against the caller's supported types) and yields
 * the attributes as views into the caller's buffer; on failure it fills
 * struct parse_error with the RFC 5792 error code and the offset a PA-TNC
 * Error attribute reports.  struct pa_tnc_builder encodes a message.  Value
 * codecs: pa_ietf.h, pa_ietf_error.h, pa_segment.h, pa_pts*.h.  Pure: no I/O, no
 * globals.
 */
#ifndef TNC_PA_TNC_H
#define TNC_PA_TNC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define PA_TNC_VERSION 1
#define PA_TNC_HEADER_LEN 8
#define PA_TNC_ATTR_HEADER_LEN 12
#define PA_TNC_ATTR_FLAG_NOSKIP 0x80
#define PA_TNC_VENDOR_MAX 0xffffff

/* SMI Private Enterprise Numbers that name attribute and subtype spaces. */
enum pa_tnc_vendor {
	PA_TNC_VENDOR_IETF = 0x000000,
	PA_TNC_VENDOR_TCG = 0x005597,
	PA_TNC_VENDOR_ITA = 0x00902a, /* ITA-HSR, used by strongSwan */
};

/* PA Subtypes (RFC 5792 section 3.5 and the IANA registry; TCG and ITA-HSR
 * as strongSwan uses them), carried in the PB-PA message. */
enum pa_tnc_subtype {
	PA_TNC_SUBTYPE_IETF_TESTING = 0,
	PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM = 1,
	PA_TNC_SUBTYPE_IETF_ANTI_VIRUS = 2,
	PA_TNC_SUBTYPE_IETF_ANTI_SPYWARE = 3,
	PA_TNC_SUBTYPE_IETF_ANTI_MALWARE = 4,
	PA_TNC_SUBTYPE_IETF_FIREWALL = 5,
	PA_TNC_SUBTYPE_IETF_IDPS = 6,
	PA_TNC_SUBTYPE_IETF_VPN = 7,
	PA_TNC_SUBTYPE_IETF_NEA_CLIENT = 8,
	PA_TNC_SUBTYPE_IETF_SWIMA = 9, /* RFC 8412 */
	PA_TNC_SUBTYPE_TCG_PTS = 1,
	PA_TNC_SUBTYPE_ITA_TEST = 1,
	PA_TNC_SUBTYPE_ITA_SCANNER = 2,
};

/* PA-TNC Error Codes (vendor PA_TNC_VENDOR_IETF): RFC 5792 4.2.8, 4-8 from
 * RFC 8412 (SWIMA). */
enum pa_tnc_error_code {
	PA_TNC_ERROR_RESERVED = 0,
	PA_TNC_ERROR_INVALID_PARAMETER = 1,
	PA_TNC_ERROR_VERSION_NOT_SUPPORTED = 2,
	PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED = 3,
	PA_TNC_ERROR_SWIMA = 4,
	PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED = 5,
	PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE = 6,
	PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT = 7,
	PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE = 8,
};

/* An attribute type: vendor ID (24 bits) and type. */
struct pa_tnc_type {
	uint32_t vendor;
	uint32_t type;
};

/* One attribute; value is a view into the parsed buffer. */
struct pa_tnc_attr {
	uint32_t offset; /* of the attribute header, from the start of the message */
	uint8_t flags;   /* as received: PA_TNC_ATTR_FLAG_NOSKIP and reserved bits */
	uint32_t vendor;
	uint32_t type;
	struct bytes value; /* the Attribute Value (Length - 12 octets) */
};

struct pa_tnc_msg {
	uint8_t version;
	uint32_t msg_id;
	struct pa_tnc_attr *attrs; /* heap array owned by the message */
	size_t count;
};

/* Caps and the NOSKIP policy the caller sets per IMV. */
struct pa_tnc_limits {
	size_t max_msg_len;
	size_t max_attrs;
	/* Types this receiver understands: a NOSKIP attribute of any other type
	 * fails the whole message with Attribute Type Not Supported (4.2). */
	const struct pa_tnc_type *supported;
	size_t n_supported;
};

/* Validates the message buf[0..len) and fills *ret with every attribute in
 * order (skipping an unknown non-NOSKIP attribute is the caller's job: it is
 * yielded like the others).  The views point into buf, which must outlive
 * *ret; release *ret with pa_tnc_msg_clear().  On failure *ret is untouched,
 * *ret_err holds the RFC 5792 error code (enum pa_tnc_error_code) and the
 * offset from the start of the message of the offending field (a Length
 * below 12 or past the end: the Length field; Version: 0) or header (one
 * cut short: where it starts; Attribute Type Not Supported: the attribute),
 * and the return is a negative TNC_E* code.  Local caps fail as Invalid
 * Parameter (TNC_ETOOLONG): RFC 5792 has no resource error. */
int pa_tnc_msg_parse(const uint8_t *buf, size_t len, const struct pa_tnc_limits *lim,
    struct pa_tnc_msg *ret, struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_tnc_msg_clear(struct pa_tnc_msg *m);

/* Exactly one attribute (header and value) filling buf[0..len), e.g. one
 * reassembled from segments; offsets in *ret_err count from buf. */
int pa_tnc_attr_parse(const uint8_t *buf, size_t len, struct pa_tnc_attr *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Value decoders report offsets from the start of the value; this makes one
 * count from the start of the message that holds attribute a. */
void pa_tnc_attr_rebase_error(const struct pa_tnc_attr *a, struct parse_error *e);

/* True if (vendor, type) is in lim's supported set. */
bool pa_tnc_is_supported(const struct pa_tnc_limits *lim, uint32_t vendor, uint32_t type);

/* Message builder.  Appends never fail individually: the first error sticks
 * in w (bad argument, TNC_ETOOLONG past max_len, an encoder's refusal) and
 * pa_tnc_builder_finish() reports it. */
struct pa_tnc_builder {
	struct wire_writer w;
	size_t attr_start; /* header offset of the open attribute */
	bool open;
	size_t count;
};

/* Starts a message with identifier msg_id of at most max_len octets. */
void pa_tnc_builder_init(struct pa_tnc_builder *b, uint32_t msg_id, size_t max_len);
/* Appends an attribute whose value is given. */
void pa_tnc_builder_add(struct pa_tnc_builder *b, uint8_t flags, uint32_t vendor,
    uint32_t type, struct bytes value);
/* Opens an attribute whose value a typed encoder then appends to &b->w;
 * pa_tnc_builder_end() patches its Length. */
void pa_tnc_builder_begin(struct pa_tnc_builder *b, uint8_t flags, uint32_t vendor,
    uint32_t type);
void pa_tnc_builder_end(struct pa_tnc_builder *b);
/* *ret views the message, valid until pa_tnc_builder_clear(). */
int pa_tnc_builder_finish(struct pa_tnc_builder *b, struct bytes *ret) TNC_MUST_CHECK;
void pa_tnc_builder_clear(struct pa_tnc_builder *b);

/* Names for logs and dumps; never NULL ("unknown" for values not defined).
 * Attribute and subtype names carry the vendor: "IETF/Product Information",
 * "TCG/Segmentation Contract Request", "IETF/SWIMA". */
const char *pa_tnc_vendor_name(uint32_t vendor);
const char *pa_tnc_attr_name(uint32_t vendor, uint32_t type);
const char *pa_tnc_subtype_name(uint32_t vendor, uint32_t subtype);
const char *pa_tnc_error_code_name(uint32_t vendor, uint32_t code);

#endif
