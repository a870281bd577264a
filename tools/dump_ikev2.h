/* dump_ikev2.h - prints an IKEv2 message (RFC 7296 3, RFC 7383) for
 * tncdump, validated by codec/ikev2.h; the EAP payload by dump_eap.h. */
#ifndef TNC_DUMP_IKEV2_H
#define TNC_DUMP_IKEV2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tree.h"

/* The layout of an SK / SKF Encrypted field under the negotiated
 * transforms (--ike-encr, --ike-integ); unset, only its size is shown. */
struct dump_sk {
	bool set;
	size_t iv, icv, block;
};

/* From the transform names ikev2_transform_name() gives ("AES_CBC",
 * "AES_GCM_16", "HMAC_SHA2_256_128"); integ is NULL for an AEAD cipher and
 * required for the others.  TNC_EINVALID with *ret_why set otherwise. */
int dump_sk_parse(const char *encr, const char *integ, struct dump_sk *ret,
    const char **ret_why) TNC_MUST_CHECK;

/* Whether buf[0..len) is an IKEv2 header whose Length is exactly the rest
 * of the datagram, after a non-ESP marker or not. */
bool dump_ikev2_looks(const uint8_t *buf, size_t len);

/* The datagram (a view into the input) at t's depth: a UDP payload, or one
 * of port 4500 led by the 4-octet non-ESP marker.  The header line, the
 * summary, then each payload and its fields.  A message the codec refuses
 * gets its error line; SK / SKF contents are never decrypted. */
void dump_ikev2_msg(struct tree *t, struct bytes datagram, const struct dump_sk *sk);

#endif
