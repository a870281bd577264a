/* pb_tnc.h - PB-TNC 2.0 batches and messages (RFC 5793 section 4).
 *
 * pb_batch_parse() validates a whole batch (header, every message header,
 * every message value) and yields the messages to process as views into the
 * caller's buffer; on failure it fills struct parse_error with the RFC 5793
 * error code and the offset a PB-Error message carries.  struct pb_builder
 * encodes a batch.  Pure: no I/O, no logging, no globals.
 */
#ifndef TNC_PB_TNC_H
#define TNC_PB_TNC_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define PB_TNC_VERSION 2
#define PB_BATCH_HEADER_LEN 8
#define PB_MSG_HEADER_LEN 12
/* PB-PA fields before the PA message: flags, vendor, subtype, ids (4.5). */
#define PB_PA_HEADER_LEN 12
#define PB_PDP_REFERRAL_HEADER_LEN 8 /* identifier vendor and type */

/* RFC 5793 4.1: the D bit in the second octet; B-Type is the low 4 bits. */
#define PB_BATCH_FLAG_D 0x80
#define PB_BATCH_TYPE_MASK 0x0f

/* Flags of the message header (4.2), of PB-PA (4.5) and of PB-Error (4.9). */
#define PB_MSG_FLAG_NOSKIP 0x80
#define PB_PA_FLAG_EXCL 0x80
#define PB_ERROR_FLAG_FATAL 0x80

#define PB_VENDOR_IETF 0x000000
#define PB_VENDOR_TCG 0x005597
#define PB_VENDOR_MAX 0xffffff
#define PB_MSG_TYPE_RESERVED 0xffffffffu
#define PB_PA_SUBTYPE_RESERVED 0xffffffffu
/* Posterior Collector/Validator Identifier meaning "not known" (4.5). */
#define PB_PA_ID_ANY 0xffff

/* Directionality: the D bit of a batch, and what a receiver expects. */
enum pb_dir {
	PB_DIR_TO_SERVER = 0, /* D = 0: sent by the Posture Broker Client */
	PB_DIR_TO_CLIENT = 1, /* D = 1: sent by the Posture Broker Server */
	PB_DIR_ANY = 2,       /* pb_limits only: accept both (dump tools) */
};

enum pb_batch_type {
	PB_BATCH_CDATA = 1,
	PB_BATCH_SDATA = 2,
	PB_BATCH_RESULT = 3,
	PB_BATCH_CRETRY = 4,
	PB_BATCH_SRETRY = 5,
	PB_BATCH_CLOSE = 6,
};

/* IETF message types (vendor PB_VENDOR_IETF), RFC 5793 4.3. */
enum pb_msg_type {
	PB_MSG_EXPERIMENTAL = 0,
	PB_MSG_PA = 1,
	PB_MSG_ASSESSMENT_RESULT = 2,
	PB_MSG_ACCESS_RECOMMENDATION = 3,
	PB_MSG_REMEDIATION_PARAMETERS = 4,
	PB_MSG_ERROR = 5,
	PB_MSG_LANGUAGE_PREFERENCE = 6,
	PB_MSG_REASON_STRING = 7,
};

/* TCG message types (vendor PB_VENDOR_TCG), TCG PDP Discovery and
 * Validation 1.0 section 3.1.1.1. */
enum pb_tcg_msg_type {
	PB_TCG_MSG_PDP_REFERRAL = 1,
};

/* PB-Error codes (vendor PB_VENDOR_IETF), RFC 5793 4.9.1. */
enum pb_error_code {
	PB_ERROR_UNEXPECTED_BATCH_TYPE = 0,
	PB_ERROR_INVALID_PARAMETER = 1,
	PB_ERROR_LOCAL_ERROR = 2,
	PB_ERROR_UNSUPPORTED_MANDATORY_MESSAGE = 3,
	PB_ERROR_VERSION_NOT_SUPPORTED = 4,
};

/* PB-Assessment-Result values, RFC 5793 4.6. */
enum pb_assessment_result {
	PB_ASSESSMENT_COMPLIANT = 0,
	PB_ASSESSMENT_MINOR_NON_COMPLIANCE = 1,
	PB_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE = 2,
	PB_ASSESSMENT_ERROR = 3,
	PB_ASSESSMENT_DONT_KNOW = 4,
};

/* PB-Access-Recommendation values, RFC 5793 4.7. */
enum pb_access_recommendation {
	PB_ACCESS_ALLOWED = 1,
	PB_ACCESS_DENIED = 2,
	PB_ACCESS_QUARANTINED = 3,
};

/* Remediation Parameters Types (vendor PB_VENDOR_IETF), RFC 5793 4.8. */
enum pb_remediation_type {
	PB_REMEDIATION_URI = 1,
	PB_REMEDIATION_STRING = 2,
};

/* Every struct bytes below is a view into the parsed buffer. */
struct pb_pa {
	uint8_t flags; /* PB_PA_FLAG_EXCL; reserved bits cleared */
	uint32_t vendor;
	uint32_t subtype;
	uint16_t collector_id;
	uint16_t validator_id;
	struct bytes body; /* the PA message (a PA-TNC message for IETF) */
};

struct pb_remediation {
	uint32_t vendor;
	uint32_t type;
	struct bytes params; /* the whole Remediation Parameters field */
	struct bytes text;   /* IETF URI: the URI; IETF String: the string */
	struct bytes lang;   /* IETF String: its language code */
};

struct pb_error {
	uint8_t flags; /* PB_ERROR_FLAG_FATAL; reserved bits cleared */
	uint32_t vendor;
	uint16_t code;
	/* IETF Invalid Parameter and Unsupported Mandatory Message: */
	uint32_t offset;
	/* IETF Version Not Supported: */
	uint8_t bad_version;
	uint8_t max_version;
	uint8_t min_version;
	/* The Error Parameters field as received; for other vendors or codes
	 * also what pb_builder_add() encodes. */
	struct bytes params;
};

struct pb_reason_string {
	struct bytes reason;
	struct bytes lang;
};

struct pb_pdp_referral {
	uint32_t id_vendor;
	uint32_t id_type;
	struct bytes id;
};

struct pb_msg {
	uint32_t offset; /* of the message header, from the start of the batch */
	uint8_t flags;   /* as received: PB_MSG_FLAG_NOSKIP and reserved bits */
	uint32_t vendor;
	uint32_t type;
	struct bytes value; /* the PB-TNC Message Value */
	union {
		struct pb_pa pa;
		uint32_t assessment_result;
		uint16_t access_recommendation;
		struct pb_remediation remediation;
		struct pb_error error;
		struct bytes language_preference;
		struct pb_reason_string reason_string;
		struct pb_pdp_referral pdp_referral;
	} u;
};

struct pb_batch {
	uint8_t version;
	uint8_t dir; /* PB_DIR_TO_SERVER or PB_DIR_TO_CLIENT */
	uint8_t type;
	uint32_t length;
	struct pb_msg *msgs; /* heap array owned by the batch */
	size_t count;
	size_t skipped; /* messages RFC 5793 says to ignore (not in msgs) */
};

/* Caps the caller sets per channel. */
struct pb_limits {
	size_t max_batch_len;
	size_t max_msgs;    /* messages kept in pb_batch.msgs */
	uint8_t expect_dir; /* PB_DIR_TO_SERVER on a server, _TO_CLIENT on a client */
};

/* Validates the batch buf[0..len) (len must equal the Batch Length) and
 * fills *ret with the messages to process, in order.  Unknown message types
 * (and IETF PB-Experimental) are skipped without NOSKIP and refused with
 * Unsupported Mandatory Message with it; PB-Assessment-Result and
 * PB-Access-Recommendation outside a RESULT batch from the server are
 * skipped, and a RESULT batch must hold exactly one PB-Assessment-Result
 * and at most one PB-Access-Recommendation (RFC 5793 4.6, 4.7).  The views point into buf, which must outlive
 * *ret; release *ret with pb_batch_clear().  On failure *ret is untouched,
 * *ret_err holds the RFC 5793 error code (enum pb_error_code) and the offset
 * from the start of the batch, and the return is a negative TNC_E* code. */
int pb_batch_parse(const uint8_t *buf, size_t len, const struct pb_limits *lim,
    struct pb_batch *ret, struct parse_error *ret_err) TNC_MUST_CHECK;
void pb_batch_clear(struct pb_batch *b);

/* Decodes m->value into m->u according to m->vendor/m->type (header fields
 * and m->offset already set); offsets in *ret_err count from the start of
 * the batch.  Used by pb_batch_parse(); exposed for tests and tools. */
int pb_msg_decode(struct pb_msg *m, struct parse_error *ret_err) TNC_MUST_CHECK;

/* Batch builder.  Appends never fail individually: the first error sticks
 * and pb_builder_finish() reports it. */
struct pb_builder {
	struct wire_writer w;
	int err;
	size_t count;
};

/* Starts a batch of batch_type in direction dir (PB_DIR_TO_*) of at most
 * max_len bytes. */
void pb_builder_init(struct pb_builder *b, uint8_t dir, uint8_t batch_type, size_t max_len);
/* Appends m with m->flags as the header flags and the fields of m->u for the
 * IETF types and PB-PDP-Referral; other types get m->value verbatim.  Gives
 * full control over flags, for tests of peers' error handling. */
void pb_builder_add(struct pb_builder *b, const struct pb_msg *m);
/* Typed helpers; they set the NOSKIP flag as RFC 5793 requires per type. */
void pb_builder_add_pa(struct pb_builder *b, uint8_t pa_flags, uint32_t vendor,
    uint32_t subtype, uint16_t collector_id, uint16_t validator_id, struct bytes body);
void pb_builder_add_assessment_result(struct pb_builder *b, uint32_t result);
void pb_builder_add_access_recommendation(struct pb_builder *b, uint16_t recommendation);
void pb_builder_add_remediation_uri(struct pb_builder *b, struct bytes uri);
void pb_builder_add_remediation_string(struct pb_builder *b, struct bytes text, struct bytes lang);
void pb_builder_add_error(struct pb_builder *b, const struct pb_error *e);
/* A fatal IETF PB-Error for a pb_batch_parse() failure; bad_version is the
 * first octet of the refused batch (used for Version Not Supported). */
void pb_builder_add_parse_error(struct pb_builder *b, const struct parse_error *pe,
    uint8_t bad_version);
void pb_builder_add_language_preference(struct pb_builder *b, struct bytes pref);
void pb_builder_add_reason_string(struct pb_builder *b, struct bytes reason, struct bytes lang);
void pb_builder_add_pdp_referral(struct pb_builder *b, uint32_t id_vendor,
    uint32_t id_type, struct bytes id);
/* Patches the Batch Length; *ret views the batch, valid until
 * pb_builder_clear(). */
int pb_builder_finish(struct pb_builder *b, struct bytes *ret) TNC_MUST_CHECK;
void pb_builder_clear(struct pb_builder *b);

/* Names for logs; never NULL ("unknown" for values not defined). */
const char *pb_batch_type_name(uint8_t type);
const char *pb_msg_type_name(uint32_t vendor, uint32_t type);
const char *pb_error_code_name(uint32_t vendor, uint16_t code);
const char *pb_assessment_result_name(uint32_t result);
const char *pb_access_recommendation_name(uint16_t recommendation);

#endif
