/* eap.h - EAP packets (RFC 3748 section 4, 5.1-5.3, 5.7) and their names.
 *
 * eap_parse() validates the header of one EAP packet and, for Request and
 * Response, the Type (and the Expanded Type header); the Type-Data is a view
 * for the method's own parser (eap_md5.h, eap_frag.h via eap_ttls.h and
 * eap_tnc.h).  eap_put() appends a packet to a struct wire_writer.  Offsets
 * in struct parse_error count from the first octet of the EAP packet.
 * Pure: no I/O, no logging, no globals.
 */
#ifndef TNC_EAP_H
#define TNC_EAP_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define EAP_HEADER_LEN 4
/* Code, Identifier, Length, Type. */
#define EAP_TYPE_HEADER_LEN 5
/* Type 254, Vendor-Id (3 octets), Vendor-Type (4 octets): RFC 3748 5.7. */
#define EAP_EXPANDED_HEADER_LEN 12
#define EAP_MAX_LEN 65535
#define EAP_VENDOR_IETF 0x000000
#define EAP_VENDOR_MAX 0xffffff

enum eap_code {
	EAP_REQUEST = 1,
	EAP_RESPONSE = 2,
	EAP_SUCCESS = 3,
	EAP_FAILURE = 4,
};

/* IANA "Method Types" used here (RFC 3748 5, RFC 5281, TCG IF-T for
 * Tunneled EAP, RFC 7171). */
enum eap_type {
	EAP_TYPE_IDENTITY = 1,
	EAP_TYPE_NOTIFICATION = 2,
	EAP_TYPE_NAK = 3,
	EAP_TYPE_MD5 = 4,
	EAP_TYPE_OTP = 5,
	EAP_TYPE_GTC = 6,
	EAP_TYPE_TLS = 13,
	EAP_TYPE_TTLS = 21,
	EAP_TYPE_PEAP = 25,
	EAP_TYPE_MSCHAPV2 = 26,
	EAP_TYPE_TNC = 38,    /* TCG EAP-TNC (IF-T for Tunneled EAP 1.1) */
	EAP_TYPE_PT_EAP = 54, /* RFC 7171 */
	EAP_TYPE_EXPANDED = 254,
	EAP_TYPE_EXPERIMENTAL = 255,
};

/* Every struct bytes is a view into the buffer given to eap_parse(). */
struct eap_packet {
	uint8_t code;
	uint8_t id;
	uint16_t length; /* the Length field; octets after it are ignored */
	/* Request and Response only: */
	uint8_t type;
	uint32_t vendor_id;   /* type EAP_TYPE_EXPANDED only */
	uint32_t vendor_type; /* type EAP_TYPE_EXPANDED only */
	struct bytes data;    /* Type-Data, after the expanded header if any */
	size_t data_offset;   /* of data, from the start of the packet */
};

/* Validates the packet at buf[0..len): Code known, Length at least the
 * header the Code needs and not past len (octets past Length are data link
 * padding, RFC 3748 4.1, and ignored), Success and Failure without data,
 * Request and Response with a Type, an Expanded Type header complete.  The
 * Type-Data itself is left to the method.  On failure *ret is untouched. */
int eap_parse(const uint8_t *buf, size_t len, struct eap_packet *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Appends p (code, id, type, vendor fields for EAP_TYPE_EXPANDED, data);
 * p->length and p->data_offset are ignored, the Length is computed.  A
 * packet over EAP_MAX_LEN or a Success/Failure with data fails the writer
 * with TNC_ETOOLONG / TNC_EINVALID. */
void eap_put(struct wire_writer *w, const struct eap_packet *p);

/* For the methods' encoders: eap_put_begin() appends Code, Identifier, a
 * Length to be patched and, for Request and Response, the Type, and returns
 * where the packet starts in w; the caller appends the Type-Data and
 * eap_put_end() patches the Length (over EAP_MAX_LEN: TNC_ETOOLONG). */
size_t eap_put_begin(struct wire_writer *w, uint8_t code, uint8_t id, uint8_t type);
void eap_put_end(struct wire_writer *w, size_t start);

/* Type-Data checks of the RFC 3748 5.1-5.3 types, on a parsed packet.
 * Identity: any octets (not NUL-terminated, not validated as UTF-8 here).
 * Notification: a non-empty Request, an empty Response.  Nak: a Response
 * with at least one desired type, each 0 or an authentication type (4 or
 * more). */
int eap_check_notification(const struct eap_packet *p, struct parse_error *ret_err) TNC_MUST_CHECK;
int eap_check_nak(const struct eap_packet *p, struct parse_error *ret_err) TNC_MUST_CHECK;

/* Names for logs; never NULL.  Short forms as in "EAP/REQ/TTLS":
 * eap_code_short() gives REQ RES SUCC FAIL, eap_type_short() ID NTF NAK MD5
 * ... TTLS TNC PT; long forms "Request", "EAP_TTLS", "EAP_PT_EAP". */
const char *eap_code_name(uint8_t code);
const char *eap_code_short(uint8_t code);
const char *eap_type_name(uint8_t type);
const char *eap_type_short(uint8_t type);

/* "EAP/REQ/TTLS", "EAP/SUCC" or, for an expanded type,
 * "EAP/RES/EXP(vendor/type)" into buf[0..size), always NUL-terminated
 * (truncated if size is short); returns buf. */
const char *eap_summary(const struct eap_packet *p, char *buf, size_t size);

#endif
