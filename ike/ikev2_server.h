/* ikev2_server.h - tnc-ike's IKEv2 responder: the SAs by SPI, their bounds
 * and timers, fed with the datagrams of ikev2_udp.h.
 *
 * Bounds (ikev2_config.h): max_sas in all and max_sas_per_address from one
 * source address (IPv6: /64); of those, at most max_half_open (and
 * max_half_open_per_address) not yet established; above cookie_threshold
 * half-open SAs a new initiator must echo a cookie first (RFC 7296 2.6),
 * which costs us no state.  An IKE_SA_INIT over a bound is dropped and
 * counted (a few log lines per second, then a count).  A datagram for no
 * known SA is dropped. */
#ifndef TNC_IKEV2_SERVER_H
#define TNC_IKEV2_SERVER_H

#include <stdbool.h>

#include "child.h"
#include "ikev2_config.h"

/* cfg outlives the server.  Datagrams come once tncd's sockets arrive. */
void ikev2_server_init(struct child *c, const struct ikev2_config *cfg);
/* An IKE_LISTENER frame: true when it was an IKEv2 socket (taken). */
bool ikev2_server_listen(struct ipc_received *rx);
unsigned ikev2_server_count(void);

#endif
