/* ike_pool.h - a pool of IPv4 virtual addresses for IKE peers (the CP
 * payload's INTERNAL_IP4_ADDRESS, RFC 7296 3.15), shared by the SAs of one
 * owner: a range of at most IKE_POOL_MAX addresses, leased one per IKE SA
 * and released when it ends.  Pure; addresses in host order.
 */
#ifndef TNC_IKE_POOL_H
#define TNC_IKE_POOL_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IKE_POOL_MAX 65536u

struct ike_pool;

/* count addresses from first; NULL for an empty or too large range, one
 * that wraps past 255.255.255.255, or no memory. */
struct ike_pool *ike_pool_new(uint32_t first, uint32_t count);
void ike_pool_free(struct ike_pool *p);

/* The lowest free address into *ret; TNC_EAGAIN when all are leased. */
int ike_pool_lease(struct ike_pool *p, uint32_t *ret) TNC_MUST_CHECK;
/* TNC_ENOTFOUND for an address that is not leased from this pool. */
int ike_pool_release(struct ike_pool *p, uint32_t addr);
size_t ike_pool_leased(const struct ike_pool *p);

#endif
