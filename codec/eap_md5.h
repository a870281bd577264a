/* eap_md5.h - EAP MD5-Challenge (RFC 3748 5.4): the Type-Data codec and the
 * CHAP-style response MD5(Identifier || secret || challenge) (RFC 1994 4.1).
 *
 * Pure apart from the digest, which comes from OpenSSL's libcrypto. */
#ifndef TNC_EAP_MD5_H
#define TNC_EAP_MD5_H

#include <stdbool.h>
#include <stdint.h>

#include "eap.h"
#include "err.h"
#include "wire.h"

#define EAP_MD5_RESPONSE_LEN 16

/* Views into the parsed packet. */
struct eap_md5 {
	struct bytes value; /* challenge (Request) or response (Response) */
	struct bytes name;  /* the sender's name, may be empty */
};

/* Decodes the Type-Data of a parsed MD5-Challenge Request or Response:
 * Value-Size at least 1 and within the packet; a Response value exactly
 * EAP_MD5_RESPONSE_LEN octets. */
int eap_md5_parse(const struct eap_packet *p, struct eap_md5 *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Appends a whole MD5-Challenge packet of code EAP_REQUEST or EAP_RESPONSE.
 * A value of 0 or over 255 octets fails the writer with TNC_EINVALID. */
void eap_md5_put(struct wire_writer *w, uint8_t code, uint8_t id, struct bytes value,
    struct bytes name);

/* out = MD5(id || secret || challenge).  0, or TNC_EINVALID when libcrypto
 * has no MD5 (a FIPS-only provider). */
int eap_md5_response(uint8_t id, struct bytes secret, struct bytes challenge,
    uint8_t out[EAP_MD5_RESPONSE_LEN]) TNC_MUST_CHECK;

/* Whether response is the right answer to challenge; compares in constant
 * time.  False also when the digest is unavailable. */
bool eap_md5_verify(uint8_t id, struct bytes secret, struct bytes challenge,
    struct bytes response);

#endif
