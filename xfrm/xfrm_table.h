/* xfrm_table.h - what tnc-xfrm installed: the SAs and policies it may
 * delete (the policies whole: SAs are admitted under their tunnels,
 * xfrm_admit.h), at most XFRM_TABLE_MAX of each (pure, no I/O).
 *
 * tnc-xfrm deletes only what it installed (a request to delete anything
 * else is refused with TNC_ENOTFOUND before the kernel sees it) and
 * removes all of it when tnc-ike's channel closes and when it stops.
 */
#ifndef TNC_XFRM_TABLE_H
#define TNC_XFRM_TABLE_H

#include <stdbool.h>

#include "ipc_msg.h"

/* Two SAs (in, out) and three policies (in, out, fwd) per CHILD_SA: 2048
 * CHILD_SAs at once, far beyond one gateway's road warriors here. */
#define XFRM_TABLE_MAX 4096

struct xfrm_table {
	struct ipc_xfrm_sa_id sa[XFRM_TABLE_MAX];
	unsigned nsa;
	struct ipc_xfrm_policy policy[XFRM_TABLE_MAX];
	unsigned npolicy;
};

/* Whether the kernel would take both for the same object: an SA by
 * (family, destination, SPI), a policy by (direction, selector). */
bool xfrm_sa_id_eq(const struct ipc_xfrm_sa_id *a, const struct ipc_xfrm_sa_id *b);
bool xfrm_policy_id_eq(const struct ipc_xfrm_policy_id *a, const struct ipc_xfrm_policy_id *b);

/* The index of an entry, or -1. */
int xfrm_table_find_sa(const struct xfrm_table *t, const struct ipc_xfrm_sa_id *id);
int xfrm_table_find_policy(const struct xfrm_table *t, const struct ipc_xfrm_policy_id *id);
/* 0, or TNC_ETOOLONG when the table is full. */
int xfrm_table_add_sa(struct xfrm_table *t, const struct ipc_xfrm_sa_id *id) TNC_MUST_CHECK;
int xfrm_table_add_policy(struct xfrm_table *t, const struct ipc_xfrm_policy *p)
    TNC_MUST_CHECK;
/* Removes entry i (the last one takes its place). */
void xfrm_table_remove_sa(struct xfrm_table *t, unsigned i);
void xfrm_table_remove_policy(struct xfrm_table *t, unsigned i);

#endif
