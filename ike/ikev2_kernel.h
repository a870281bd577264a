/* ikev2_kernel.h - a CHILD_SA's kernel IPsec state, asked of tnc-xfrm
 * (xfrm_link.h) when [ike] ikev2_kernel = xfrm.
 *
 * ikev2_kernel_install() sends, at once, the policies out, in and fwd
 * between the CHILD_SA's traffic selectors through the ESP tunnel between
 * the IKE endpoints, then its SAs in and out (UDP-encapsulated when a NAT
 * is in front of either side); tnc-xfrm takes them in that order and
 * admits an SA only under its policies.  The first refusal or failure goes
 * to failed(), once: the owner ends the IKE SA, so that the peer does not
 * believe in a tunnel that is not there (fail closed).  So does the loss
 * of the channel to tnc-xfrm while a CHILD_SA is installed (tnc-xfrm
 * removes what it installed for us when the channel closes).
 * A rekey's new SAs come under the same policies (ikev2_kernel_rekey());
 * ikev2_kernel_child_down() deletes one CHILD_SA's SAs, and the policies
 * with the last; ikev2_kernel_remove() deletes all; the record lives until
 * every answer came.
 *
 * Built: IPv4 traffic selectors that are prefixes without protocol or
 * ports (tnc-xfrm's policies select addresses only), IPv4 tunnel
 * endpoints, ESP with AES-GCM-16 or AES-CBC with HMAC-SHA2; anything else
 * is refused before tnc-xfrm is asked.
 */
#ifndef TNC_IKEV2_KERNEL_H
#define TNC_IKEV2_KERNEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ike_sa.h"
#include "ipc_channel.h"

struct ikev2_kernel_child;

/* reason: one line, valid during the call. */
typedef void (*ikev2_kernel_failed)(void *arg, const char *reason);

/* tnc-ike's channel to tnc-xfrm (main.c's peer callbacks). */
void ikev2_kernel_attached(struct ipc_channel *ch);
void ikev2_kernel_closed(void);
void ikev2_kernel_answer(const struct ipc_received *rx);

/* Asks for c's policies and SAs; encap: UDP encapsulation (NAT-T);
 * session: the IKE SA's number, in tnc-xfrm's frames.  0 and *ret; else
 * an error and one line in reason, and nothing stays asked for. */
int ikev2_kernel_install(const struct ike_child_sa *c, bool encap, uint32_t session,
    ikev2_kernel_failed failed, void *arg, struct ikev2_kernel_child **ret, char *reason,
    size_t size) TNC_MUST_CHECK;
/* A rekey (RFC 7296 2.8): the SAs of c, which replaces a CHILD_SA k
 * installed, under k's policies (same selectors, same reqid); the old
 * SAs stay until ikev2_kernel_child_down() of the old CHILD_SA.  At most
 * two CHILD_SAs' SAs at once.  0, else an error and one line in reason
 * (the owner ends the IKE SA); a later refusal goes to k's failed(). */
int ikev2_kernel_rekey(struct ikev2_kernel_child *k, const struct ike_child_sa *c, char *reason,
    size_t size) TNC_MUST_CHECK;
/* The CHILD_SA with inbound SPI spi_in ended: its SAs are deleted, and
 * when no CHILD_SA is left under k's policies, they go too and k is
 * released (true: the owner forgets k). */
bool ikev2_kernel_child_down(struct ikev2_kernel_child *k, uint32_t spi_in);
/* Deletes all k asked for; failed() is not called after this. */
void ikev2_kernel_remove(struct ikev2_kernel_child *k);

#endif
