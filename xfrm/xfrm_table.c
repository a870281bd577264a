/* xfrm_table.c - the SAs and policies tnc-xfrm installed (see xfrm_table.h). */
#include "xfrm_table.h"

#include <string.h>

bool
xfrm_sa_id_eq(const struct ipc_xfrm_sa_id *a, const struct ipc_xfrm_sa_id *b)
{
	return a->family == b->family && a->spi == b->spi &&
	    memcmp(a->dst, b->dst, IPC_XFRM_ADDR) == 0;
}

bool
xfrm_policy_id_eq(const struct ipc_xfrm_policy_id *a, const struct ipc_xfrm_policy_id *b)
{
	return a->family == b->family && a->dir == b->dir && a->src_prefix == b->src_prefix &&
	    a->dst_prefix == b->dst_prefix && memcmp(a->src, b->src, IPC_XFRM_ADDR) == 0 &&
	    memcmp(a->dst, b->dst, IPC_XFRM_ADDR) == 0;
}

int
xfrm_table_find_sa(const struct xfrm_table *t, const struct ipc_xfrm_sa_id *id)
{
	for (unsigned i = 0; i < t->nsa; i++)
		if (xfrm_sa_id_eq(&t->sa[i], id))
			return (int)i;
	return -1;
}

int
xfrm_table_find_policy(const struct xfrm_table *t, const struct ipc_xfrm_policy_id *id)
{
	for (unsigned i = 0; i < t->npolicy; i++)
		if (xfrm_policy_id_eq(&t->policy[i].id, id))
			return (int)i;
	return -1;
}

int
xfrm_table_add_sa(struct xfrm_table *t, const struct ipc_xfrm_sa_id *id)
{
	if (t->nsa >= XFRM_TABLE_MAX)
		return TNC_ETOOLONG;
	t->sa[t->nsa++] = *id;
	return 0;
}

int
xfrm_table_add_policy(struct xfrm_table *t, const struct ipc_xfrm_policy *p)
{
	if (t->npolicy >= XFRM_TABLE_MAX)
		return TNC_ETOOLONG;
	t->policy[t->npolicy++] = *p;
	return 0;
}

void
xfrm_table_remove_sa(struct xfrm_table *t, unsigned i)
{
	if (i < t->nsa)
		t->sa[i] = t->sa[--t->nsa];
}

void
xfrm_table_remove_policy(struct xfrm_table *t, unsigned i)
{
	if (i < t->npolicy)
		t->policy[i] = t->policy[--t->npolicy];
}
