/* ikev2_udp.h - the IKEv2 UDP sockets tncd binds (port 500 and the NAT-T
 * port 4500, RFC 3948) and hands over in IKE_LISTENER frames, as it does the
 * PT-TLS listener (IPv4 and, where the host has it, IPv6): tnc-ike never
 * binds.
 *
 * Each datagram goes to one callback with the local address it was sent
 * to (IP_PKTINFO, which tncd enabled) so that the answer leaves from that
 * address.  On the NAT-T port the non-ESP marker (four zero octets) is
 * removed, NAT-keepalives (one 0xff octet) are ignored and ESP packets
 * (the kernel's, should no XFRM policy take them) are dropped; sends there
 * get the marker.  A datagram longer than max_len is dropped.  At most
 * IKEV2_UDP_BATCH datagrams are read per socket per loop turn. */
#ifndef TNC_IKEV2_UDP_H
#define TNC_IKEV2_UDP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "child.h"
#include "ike_sa.h"

#define IKEV2_UDP_BATCH 64
#define IKEV2_NON_ESP_MARKER_LEN 4

struct ikev2_dgram {
	struct ike_endpoint local, peer;
	bool natt; /* came on the NAT-T port (marker removed) */
	const uint8_t *data;
	size_t len;
};

typedef void ikev2_udp_receive_fn(const struct ikev2_dgram *d);

void ikev2_udp_init(struct child *c, size_t max_len, ikev2_udp_receive_fn *fn);
/* Takes the socket of an IKE_LISTENER frame whose transport is "ikev2" or
 * "ikev2-natt"; false when the transport is neither (not taken). */
bool ikev2_udp_listen(struct ipc_received *rx);
/* Sends msg from local (its port picks the socket; that of NAT-T adds the
 * marker) to peer.  0, or a negative error (logged by the caller). */
int ikev2_udp_send(const struct ike_endpoint *local, const struct ike_endpoint *peer,
    const uint8_t *msg, size_t len) TNC_MUST_CHECK;
/* "192.0.2.1[500]" as strongSwan writes an endpoint; returns out. */
const char *ikev2_endpoint_str(const struct ike_endpoint *e, char *out, size_t size);
/* The endpoint's address without the port. */
const char *ikev2_address_str(const struct ike_endpoint *e, char *out, size_t size);
/* Whether a validated message's chain ends in an SK payload (a whole
 * protected message, not a fragment): its log line, with the inner chain,
 * comes from its SA (ike_sa_ops.message). */
bool ikev2_ends_in_sk(const struct ikev2_chain *c);

#endif
