/* eap_ttls.h - EAP-TTLS version 0 (RFC 5281): the EAP-TTLS packet (section
 * 9.1, fragmentation in eap_frag.h) and the Diameter AVPs of the tunneled
 * data (section 10), with the EAP-Message AVP (79) carrying tunneled EAP
 * (section 11.1).  Offsets in struct parse_error count from the start of
 * the EAP packet (eap_ttls_parse) or of the tunneled data (the AVPs).
 * Pure: no I/O, no logging, no globals.
 */
#ifndef TNC_EAP_TTLS_H
#define TNC_EAP_TTLS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eap.h"
#include "eap_frag.h"
#include "err.h"
#include "wire.h"

#define EAP_TTLS_VERSION 0

#define TTLS_AVP_HEADER_LEN 8
#define TTLS_AVP_VENDOR_HEADER_LEN 12
#define TTLS_AVP_FLAG_V 0x80 /* Vendor-ID present */
#define TTLS_AVP_FLAG_M 0x40 /* mandatory: fail if not understood */
#define TTLS_AVP_FLAGS_MASK 0xc0
#define TTLS_AVP_LENGTH_MAX 0xffffff
#define TTLS_AVP_ALIGN 4

/* AVP codes 1-255 are the RADIUS attributes (RFC 5281 10.1). */
enum ttls_avp_code {
	TTLS_AVP_USER_NAME = 1,
	TTLS_AVP_EAP_MESSAGE = 79,
};

/* data is a view into the buffer being iterated. */
struct ttls_avp {
	uint32_t code;
	uint8_t flags;   /* TTLS_AVP_FLAG_V and _M; the reserved bits cleared */
	uint32_t vendor; /* 0 without V */
	struct bytes data;
	size_t offset; /* of the AVP Code, from the start of the buffer */
};

/* Decodes the Type-Data of an EAP-TTLS packet: type EAP_TYPE_TTLS,
 * version 0 (TNC_EVERSION otherwise), then as eap_frag_parse(). */
int eap_ttls_parse(const struct eap_packet *p, struct eap_frag *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

struct ttls_avp_iter {
	struct wire_reader r;
	bool failed;
};

void ttls_avp_iter_init(struct ttls_avp_iter *it, struct bytes buf);
/* 1 with the next AVP in *ret, 0 at the end of the buffer, or a negative
 * TNC_E* when the AVP there is malformed (then 0 ever after): header truncated, AVP Length below
 * its header (8, or 12 with V), AVP past the end, padding to the 4-octet
 * boundary missing or not zero.  The iterator stops at an error. */
int ttls_avp_next(struct ttls_avp_iter *it, struct ttls_avp *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Appends a (code, flags & (V|M), vendor when V, data) and its zero
 * padding; data over the 24-bit AVP Length fails the writer with
 * TNC_ETOOLONG. */
void ttls_avp_put(struct wire_writer *w, const struct ttls_avp *a);
/* The EAP-Message AVP (M set, no vendor) holding one EAP packet. */
void ttls_avp_put_eap_message(struct wire_writer *w, struct bytes eap);

/* Finds the one EAP-Message AVP in the tunneled data buf: every AVP well
 * formed, unknown AVPs skipped unless M is set (TNC_ETYPE), a second
 * EAP-Message refused (TNC_EINVALID), none at all TNC_ENOTFOUND.  *ret views
 * the EAP packet inside buf (not yet parsed: eap_parse()). */
int ttls_avp_find_eap_message(struct bytes buf, struct bytes *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* "EAP-Message", "User-Name", or "unknown"; never NULL. */
const char *ttls_avp_name(uint32_t vendor, uint32_t code);

#endif
