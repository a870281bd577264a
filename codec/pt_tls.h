/* pt_tls.h - PT-TLS message framing and values (RFC 6876 section 3.5-3.9).
 *
 * pt_tls_deframe() looks at the start of a receive buffer and says whether
 * one complete message is there, refusing a Message Length below 16 or above
 * the caller's cap as soon as the length field has arrived (before the
 * caller allocates for the rest).  pt_tls_parse() validates one complete
 * message and decodes its value; pt_tls_put_*() append messages to a
 * struct wire_writer.  Pure: no I/O, no logging, no globals.
 */
#ifndef TNC_PT_TLS_H
#define TNC_PT_TLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define PT_TLS_VERSION 1
#define PT_TLS_HEADER_LEN 16
#define PT_TLS_VENDOR_IETF 0x000000
#define PT_TLS_VENDOR_MAX 0xffffff
#define PT_TLS_TYPE_RESERVED 0xffffffffu
/* SASL Mechanisms / Mechanism Selection: the low 5 bits of the first octet
 * hold the name length; names follow RFC 4422 3.1 (1-20 of A-Z 0-9 - _). */
#define PT_TLS_SASL_MECH_LEN_MASK 0x1f
#define PT_TLS_SASL_MECH_NAME_MAX 20

/* IETF message types, RFC 6876 3.6 (IANA "PT-TLS Message Types"). */
enum pt_tls_msg_type {
	PT_TLS_EXPERIMENTAL = 0,
	PT_TLS_VERSION_REQUEST = 1,
	PT_TLS_VERSION_RESPONSE = 2,
	PT_TLS_SASL_MECHANISMS = 3,
	PT_TLS_SASL_MECHANISM_SELECTION = 4,
	PT_TLS_SASL_AUTHENTICATION_DATA = 5,
	PT_TLS_SASL_RESULT = 6,
	PT_TLS_PB_TNC_BATCH = 7,
	PT_TLS_ERROR = 8,
};

/* IETF error codes, RFC 6876 3.9.1 (IANA "PT-TLS Error Codes"). */
enum pt_tls_error_code {
	PT_TLS_ERROR_RESERVED = 0,
	PT_TLS_ERROR_MALFORMED_MESSAGE = 1,
	PT_TLS_ERROR_VERSION_NOT_SUPPORTED = 2,
	PT_TLS_ERROR_TYPE_NOT_SUPPORTED = 3,
	PT_TLS_ERROR_INVALID_MESSAGE = 4,
	PT_TLS_ERROR_SASL_MECHANISM_ERROR = 5,
	PT_TLS_ERROR_INVALID_PARAMETER = 6,
};

/* SASL Result codes, RFC 6876 3.8.6. */
enum pt_tls_sasl_result {
	PT_TLS_SASL_SUCCESS = 0,
	PT_TLS_SASL_FAILURE = 1,
	PT_TLS_SASL_ABORT = 2,
	PT_TLS_SASL_MECHANISM_FAILURE = 3,
};

struct pt_tls_header {
	uint32_t vendor; /* Message Type Vendor ID, 24 bits */
	uint32_t type;
	uint32_t length; /* of the whole message, header included */
	uint32_t id;     /* Message Identifier */
};

struct pt_tls_version_request {
	uint8_t min;
	uint8_t max;
	uint8_t preferred;
};

/* A validated list of (length, name) entries; walk it with
 * pt_tls_sasl_mechanisms_next(). */
struct pt_tls_sasl_mechanisms {
	struct bytes list;
	size_t count;
};

struct pt_tls_sasl_selection {
	struct bytes name;
	struct bytes initial; /* Optional Initial SASL Message (may be empty) */
};

struct pt_tls_sasl_result_value {
	uint16_t code;
	struct bytes data; /* Optional Result Data */
};

struct pt_tls_error {
	uint32_t vendor; /* Error Code Vendor ID */
	uint32_t code;
	struct bytes original; /* Copy of the original message (or its start) */
};

/* Every struct bytes is a view into the buffer given to pt_tls_parse(). */
struct pt_tls_msg {
	struct pt_tls_header hdr;
	struct bytes value; /* Message Value: all octets after the header */
	union {
		struct pt_tls_version_request version_request;
		uint8_t version; /* Version Response */
		struct pt_tls_sasl_mechanisms sasl_mechanisms;
		struct pt_tls_sasl_selection sasl_selection;
		struct bytes sasl_data; /* SASL Authentication Data */
		struct pt_tls_sasl_result_value sasl_result;
		struct bytes batch; /* PB-TNC Batch */
		struct pt_tls_error error;
	} u;
};

/* Stream deframer over buf[0..len), the unconsumed received bytes.
 * Returns 0 when a complete message is at buf (*ret_need = its length, the
 * octets to hand to pt_tls_parse() and then consume), TNC_EAGAIN when more
 * octets are needed (*ret_need = how many the buffer must hold in total), or
 * TNC_EINVALID / TNC_ETOOLONG when the Message Length is below 16 or above
 * max_len (*ret_err: PT-TLS Invalid Parameter at offset 8; the stream cannot
 * be resynchronised).  *ret_need is written for 0 and TNC_EAGAIN only. */
int pt_tls_deframe(const uint8_t *buf, size_t len, uint32_t max_len, size_t *ret_need,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Validates the one complete message buf[0..len) and decodes its value.
 * Failures fill *ret_err with the PT-TLS error code to send (enum
 * pt_tls_error_code) and the offset of the offending field in buf:
 * header length or reserved type -> Invalid Parameter (TNC_EINVALID,
 * TNC_ETRUNCATED, TNC_ETRAILING); unknown vendor or type, Experimental ->
 * Type Not Supported (TNC_ETYPE; RFC 6876: answer it and carry on); a bad
 * value -> Malformed Message.  *ret is written only on success. */
int pt_tls_parse(const uint8_t *buf, size_t len, struct pt_tls_msg *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Next mechanism name of a list pt_tls_parse() validated; false at its end. */
bool pt_tls_sasl_mechanisms_next(struct bytes *list, struct bytes *ret_name);

/* Encoders: each appends one whole message with identifier id to w and
 * returns 0, TNC_EINVALID for an argument the wire cannot carry (nothing is
 * appended then), or the writer's sticky error. */
int pt_tls_put_version_request(struct wire_writer *w, uint32_t id, uint8_t min, uint8_t max,
    uint8_t preferred) TNC_MUST_CHECK;
int pt_tls_put_version_response(struct wire_writer *w, uint32_t id, uint8_t version) TNC_MUST_CHECK;
/* names[0..n): mechanism names; n == 0 says "no SASL needed". */
int pt_tls_put_sasl_mechanisms(struct wire_writer *w, uint32_t id, const struct bytes *names,
    size_t n) TNC_MUST_CHECK;
int pt_tls_put_sasl_mechanism_selection(struct wire_writer *w, uint32_t id, struct bytes name,
    struct bytes initial) TNC_MUST_CHECK;
int pt_tls_put_sasl_authentication_data(struct wire_writer *w, uint32_t id,
    struct bytes data) TNC_MUST_CHECK;
int pt_tls_put_sasl_result(struct wire_writer *w, uint32_t id, uint16_t code,
    struct bytes data) TNC_MUST_CHECK;
int pt_tls_put_pb_batch(struct wire_writer *w, uint32_t id, struct bytes batch) TNC_MUST_CHECK;
/* original: the offending message (the caller decides how much of it). */
int pt_tls_put_error(struct wire_writer *w, uint32_t id, uint32_t vendor, uint32_t code,
    struct bytes original) TNC_MUST_CHECK;
/* Any message: the value from m->u for the IETF types, m->value otherwise. */
int pt_tls_put(struct wire_writer *w, const struct pt_tls_msg *m) TNC_MUST_CHECK;

/* Names for logs; never NULL ("unknown" for values not defined). */
const char *pt_tls_msg_type_name(uint32_t vendor, uint32_t type);
const char *pt_tls_error_code_name(uint32_t vendor, uint32_t code);
const char *pt_tls_sasl_result_name(uint16_t code);

#endif
