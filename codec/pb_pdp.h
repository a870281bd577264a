/* pb_pdp.h - the PDP Identifier of a TCG PB-PDP-Referral message: where
 * the Policy Decision Point listens, for an endpoint that reached it
 * through a gateway's EAP to connect to it directly (PT-TLS) later.
 *
 * For identifier vendor TCG the value is Reserved (1 octet), Protocol (1:
 * the IANA number, 6 = TCP), Port (2), then for type 0 the PDP's FQDN
 * (without a terminating zero) or for type 1 its four IPv4 octets.  Pure:
 * no I/O, no logging, no globals.
 */
#ifndef TNC_PB_PDP_H
#define TNC_PB_PDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pb_tnc.h"

#define PB_PDP_ID_FQDN 0
#define PB_PDP_ID_IPV4 1
#define PB_PDP_PROTOCOL_TCP 6
#define PB_PDP_HEADER_LEN 4
#define PB_PDP_NAME_MAX 253 /* a DNS name's text */
#define PB_PDP_ID_MAX (PB_PDP_HEADER_LEN + PB_PDP_NAME_MAX)

/* A PDP Identifier read from a referral. */
struct pb_pdp {
	uint32_t id_type;  /* PB_PDP_ID_FQDN or PB_PDP_ID_IPV4 */
	uint8_t protocol;  /* PB_PDP_PROTOCOL_TCP for PT-TLS */
	uint16_t port;
	char host[PB_PDP_NAME_MAX + 1]; /* the FQDN, or the IPv4 address as text */
};

/* Whether host is a DNS name a referral can carry: labels of 1 to 63
 * letters, digits and hyphens (none first or last) joined by dots, at most
 * PB_PDP_NAME_MAX octets, not all digits and dots. */
bool pb_pdp_name_valid(const char *host);
/* The identifier of host (an IPv4 address in dotted form, else a DNS name
 * pb_pdp_name_valid() takes) and port, TCP, into buf (at least
 * PB_PDP_ID_MAX octets): its length, with its type in *ret_type; or
 * TNC_EINVALID for a host that is neither, or port 0. */
int pb_pdp_build(const char *host, uint16_t port, uint8_t *buf, size_t size,
    uint32_t *ret_type) TNC_MUST_CHECK;
/* Reads r (a referral of identifier vendor TCG) into *ret: 0, or
 * TNC_EINVALID with *why for another vendor or type, a value too short or
 * of the wrong length, or a name pb_pdp_name_valid() refuses. */
int pb_pdp_parse(const struct pb_pdp_referral *r, struct pb_pdp *ret, const char **why)
    TNC_MUST_CHECK;

#endif
