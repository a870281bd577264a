/* os_lookup.h - one connection's installed packages on their way to
 * tnc-policy and back: they are collected, as the Installed Packages
 * attributes are processed, into policy-packages requests of up to
 * IPC_POLICY_PACKAGES_MAX; each request is kept until its verdicts come
 * back, then its packages are counted into struct os_packages with their
 * verdicts.  The lists are charged to the IMV's reassembly budget
 * (imv_budget.h), so an endpoint cannot make the process hold more than
 * that.  Pure: no I/O; os_state.c sends.
 */
#ifndef TNC_OS_LOOKUP_H
#define TNC_OS_LOOKUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "os_verdict.h"
#include "wire.h"

struct os_lookup {
	struct os_lookup *next;
	uint32_t seq; /* 0 until sent */
	uint16_t count;
	struct wire_writer list; /* ipc_policy_package_put() entries */
};

struct os_lookups {
	struct os_lookup *filling; /* not full yet */
	struct os_lookup *ready;   /* to be sent, in order */
	struct os_lookup *sent;    /* their verdicts awaited */
	size_t reserved;           /* budget held by the lists */
};

void os_lookups_init(struct os_lookups *l);
/* Drops every list and returns the budget. */
void os_lookups_clear(struct os_lookups *l);
/* Adds one package (TNC_ETOOLONG: a name or version tnc-policy cannot take,
 * or the budget is spent; the package is not added). */
int os_lookups_add(struct os_lookups *l, struct bytes name, struct bytes version)
    TNC_MUST_CHECK;
/* The list being filled is ready to go. */
void os_lookups_flush(struct os_lookups *l);
/* The next list to send, or NULL; the caller sends it with seq and then
 * calls os_lookups_sent(). */
struct os_lookup *os_lookups_next(struct os_lookups *l);
void os_lookups_sent(struct os_lookups *l, struct os_lookup *lk, uint32_t seq);
/* Whether verdicts are awaited or lists wait to be sent. */
bool os_lookups_pending(const struct os_lookups *l);
/* The answer to the request with seq: its packages counted into sum with
 * their verdicts, or (status not 0, wrong count, bad verdict) the lookup
 * marked failed in sum.  TNC_ENOTFOUND: no request has that seq. */
int os_lookups_answer(struct os_lookups *l, uint32_t seq,
    const struct ipc_policy_package_verdicts *v, struct os_packages *sum) TNC_MUST_CHECK;

#endif
