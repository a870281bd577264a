/* xfrm_admit.h - what tnc-xfrm lets tnc-ike install (pure: no I/O, no
 * globals): policies inside a configured connection, SAs under a policy it
 * installed.  xfrm_msg.h has already checked that a request means
 * something; this checks that the configuration allows it, so that a
 * compromised tnc-ike cannot steer traffic the configuration does not
 * give it.
 *
 * The connections are [ike]'s rw-allow and rw-isolate: the keys
 * rw_allow_ts, rw_allow_pool, rw_isolate_ts and rw_isolate_pool, read
 * from tnc-xfrm's CONFIG under those names, with tnc-ike's built-in
 * defaults (ike/settings.c) for a key CONFIG does not carry.
 *
 * A policy is admitted when, for one connection:
 *  - its local selector (src of an out policy, dst of in and fwd) lies
 *    inside the connection's traffic selector;
 *  - its remote selector is one IPv4 address (/32) and, when the
 *    connection has a pool, one tnc-ike hands out: inside the pool's
 *    prefix but neither its first (network) nor its last (broadcast)
 *    address (ike/ikev2_config.c); without a pool any one address (the
 *    peer's own, which NAT may hide from us).
 * The gateway's own tunnel endpoint is not bounded: tncd binds IKEv2 on
 * all IPv4 addresses, so no configured address names it.
 *
 * An SA is admitted when a policy installed before it tunnels between the
 * SA's source and destination with the SA's reqid, and no SA installed has
 * its (destination, SPI).  Policies first: a new CHILD_SA's policies then
 * its SAs, and a rekey's new SAs come under the policies already there.
 */
#ifndef TNC_XFRM_ADMIT_H
#define TNC_XFRM_ADMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "xfrm_table.h"

#define XFRM_CONN_MAX 2
#define XFRM_PREFIX_TEXT 24 /* "255.255.255.255/32" and its NUL */

struct xfrm_conn {
	const char *name;                   /* "rw-allow" */
	uint32_t ts_first, ts_last;         /* the traffic selector, host order */
	bool has_pool;
	uint32_t pool_first, pool_last;     /* the addresses handed out, host order */
	char ts_text[XFRM_PREFIX_TEXT];     /* as configured, for the reasons */
	char pool_text[XFRM_PREFIX_TEXT];
};

struct xfrm_admit {
	struct xfrm_conn conn[XFRM_CONN_MAX];
	unsigned nconn;
};

/* The connections from cfg: 0, or TNC_ECONFIG with reason naming the key
 * and its value (a traffic selector that is no IPv4 prefix a.b.c.d/len, a
 * pool that is neither empty nor one of at most /30). */
int xfrm_admit_configure(struct xfrm_admit *a, const struct ipc_config *cfg, char *reason,
    size_t size) TNC_MUST_CHECK;

/* 0, or TNC_EINVALID with one line in reason naming the field and the
 * configured bound it is outside of. */
int xfrm_admit_policy(const struct xfrm_admit *a, const struct ipc_xfrm_policy *p,
    char *reason, size_t size) TNC_MUST_CHECK;
/* 0, or TNC_ESTATE with one line in reason: no installed policy of t
 * tunnels between its addresses with its reqid, or t has an SA with its
 * (destination, SPI) already. */
int xfrm_admit_sa(const struct xfrm_table *t, const struct ipc_xfrm_sa *sa, char *reason,
    size_t size) TNC_MUST_CHECK;

#endif
