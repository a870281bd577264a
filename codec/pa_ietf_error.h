/* pa_ietf_error.h - the IETF PA-TNC Error attribute (RFC 5792 4.2.8).
 *
 * Decodes and encodes the value, and builds the error a receiver owes the
 * sender of a message pa_tnc_msg_parse() refused: Invalid Parameter with
 * the offset, Version Not Supported with the versions we take, or Attribute
 * Type Not Supported with the refused attribute's header.  Conventions as
 * in pa_ietf.h.
 */
#ifndef TNC_PA_IETF_ERROR_H
#define TNC_PA_IETF_ERROR_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pa_tnc.h"
#include "wire.h"

/* Error Information of the IETF codes 1-3 starts with a copy of the first 8
 * octets of the offending message (4.2.8). */
#define PA_IETF_ERROR_MSG_INFO_LEN 8
/* Attribute Type Not Supported copies Flags, Vendor ID and Type. */
#define PA_IETF_ERROR_ATTR_INFO_LEN 8

struct pa_ietf_error {
	uint32_t vendor; /* PA-TNC Error Code Vendor ID */
	uint32_t code;   /* enum pa_tnc_error_code for vendor IETF */
	/* IETF Invalid Parameter, Version Not Supported and Attribute Type
	 * Not Supported: */
	uint8_t msg_info[PA_IETF_ERROR_MSG_INFO_LEN];
	/* IETF Invalid Parameter: */
	uint32_t offset;
	/* IETF Version Not Supported: */
	uint8_t max_version;
	uint8_t min_version;
	/* IETF Attribute Type Not Supported, the refused attribute's header: */
	uint8_t attr_flags;
	uint32_t attr_vendor;
	uint32_t attr_type;
	/* The Error Information of any other vendor or code, as received and
	 * as encoded (a view). */
	struct bytes info;
};

int pa_ietf_error_decode(struct bytes value, struct pa_ietf_error *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_ietf_error_encode(struct wire_writer *w, const struct pa_ietf_error *v);

/* The PA-TNC Error answering pa_tnc_msg_parse(msg, len, ...) == pe: its
 * code, the first 8 octets of msg (zero-padded if shorter), the offset,
 * version 1 as both max and min, or the refused attribute's header. */
void pa_ietf_error_from_parse(const uint8_t *msg, size_t len, const struct parse_error *pe,
    struct pa_ietf_error *ret);

#endif
