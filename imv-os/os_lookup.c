/* os_lookup.c - installed packages to tnc-policy and their verdicts back
 * (see os_lookup.h). */
#include "os_lookup.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_budget.h"

/* The most one list holds: a full policy-packages message, within the
 * frame bound (names and versions of up to 255 bytes would not fit 1000
 * times; a list that would pass it is sent earlier). */
#define LIST_BYTES_MAX (IPC_FRAME_MAX_DEFAULT - 1024)

void
os_lookups_init(struct os_lookups *l)
{
	memset(l, 0, sizeof(*l));
}

static void
free_chain(struct os_lookup *lk)
{
	while (lk) {
		struct os_lookup *next = lk->next;
		wire_writer_clear(&lk->list);
		free(lk);
		lk = next;
	}
}

void
os_lookups_clear(struct os_lookups *l)
{
	free_chain(l->filling);
	free_chain(l->ready);
	free_chain(l->sent);
	imv_budget_release(&l->reserved);
	os_lookups_init(l);
}

static void
append(struct os_lookup **chain, struct os_lookup *lk)
{
	while (*chain)
		chain = &(*chain)->next;
	lk->next = NULL;
	*chain = lk;
}

void
os_lookups_flush(struct os_lookups *l)
{
	if (l->filling)
		append(&l->ready, l->filling);
	l->filling = NULL;
}

int
os_lookups_add(struct os_lookups *l, struct bytes name, struct bytes version)
{
	size_t need = 2 + name.len + version.len;
	if (name.len == 0 || name.len > 255 || version.len > 255)
		return TNC_ETOOLONG;
	if (l->filling && (l->filling->count == IPC_POLICY_PACKAGES_MAX ||
	    l->filling->list.len + need > LIST_BYTES_MAX))
		os_lookups_flush(l);
	if (imv_budget_reserve(&l->reserved, need) != 0)
		return TNC_ETOOLONG;
	if (!l->filling) {
		l->filling = calloc(1, sizeof(*l->filling));
		if (!l->filling)
			abort();
		wire_writer_init(&l->filling->list, LIST_BYTES_MAX);
	}
	if (ipc_policy_package_put(&l->filling->list, name, version) != 0)
		return TNC_ETOOLONG;
	l->filling->count++;
	return 0;
}

struct os_lookup *
os_lookups_next(struct os_lookups *l)
{
	return l->ready;
}

void
os_lookups_sent(struct os_lookups *l, struct os_lookup *lk, uint32_t seq)
{
	l->ready = lk->next;
	lk->seq = seq;
	append(&l->sent, lk);
}

bool
os_lookups_pending(const struct os_lookups *l)
{
	return l->ready || l->sent;
}

static void
lookup_failed(struct os_packages *sum, const char *why)
{
	if (!sum->lookup_failed)
		snprintf(sum->failure, sizeof(sum->failure), "%s", why);
	sum->lookup_failed = true;
}

int
os_lookups_answer(struct os_lookups *l, uint32_t seq,
    const struct ipc_policy_package_verdicts *v, struct os_packages *sum)
{
	struct os_lookup **pp = &l->sent;
	while (*pp && (*pp)->seq != seq)
		pp = &(*pp)->next;
	struct os_lookup *lk = *pp;
	if (!lk)
		return TNC_ENOTFOUND;
	*pp = lk->next;
	lk->next = NULL;
	if (v->status) {
		lookup_failed(sum, tnc_strerror(v->status));
	} else if (v->verdicts.len != lk->count) {
		lookup_failed(sum, "tnc-policy answered for another number of packages");
	} else {
		struct ipc_policy_packages asked = {lk->count, {lk->list.buf, lk->list.len}};
		struct bytes name, version;
		size_t pos = 0;
		for (size_t i = 0; i < v->verdicts.len; i++) {
			if (ipc_policy_package_next(&asked, &pos, &name, &version) != 0)
				break;
			os_packages_add(sum, (enum os_pkg_verdict)v->verdicts.ptr[i], name, version);
		}
	}
	/* the budget goes back with the last list; until then it stays held */
	free_chain(lk);
	if (!l->filling && !l->ready && !l->sent)
		imv_budget_release(&l->reserved);
	return 0;
}
