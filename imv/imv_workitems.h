/* imv_workitems.h - the workitems tnc-policy plans for a connection
 * (policy-workitems, ipc/messages.def) as every IMV keeps, reports and
 * sums them up: each workitem's ID, type and the recommendations the
 * policy gives its failure and its missing result; a judged workitem's
 * result logged in the seeds' words ("IMV 1 handled PCKGS workitem 1:
 * isolate - ...") and told to tnc-policy; and the IMV's own result over
 * all of them.  What a type means, and any argument, is the IMV's.
 */
#ifndef TNC_IMV_WORKITEMS_H
#define TNC_IMV_WORKITEMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"

struct imv_workitem {
	uint32_t id;   /* names it in policy-workitem-result; 1.. within the session */
	unsigned type; /* index of type_name among the IMV's types, their count if none */
	char type_name[IPC_POLICY_TYPE_MAX + 1];
	enum imv_recommendation rec_fail, rec_noresult;
};

/* The workitem types an IMV judges.  Others are kept as type n (the OS and
 * Attestation IMVs report them as not judged: tnc-policy waits for a
 * result of each workitem it gave) or, skip_others, left out (the SWIMA
 * IMV: tnc-policy gives it only its own). */
struct imv_workitem_types {
	const char *const *names;
	unsigned n;
	bool skip_others;
};

/* The workitems of m into item[]; their number.  A recommendation that is
 * none of enum imv_recommendation becomes no access (fail closed). */
unsigned imv_workitems_read(const struct ipc_policy_workitems *m,
    const struct imv_workitem_types *types, struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX]);
/* tnc-policy's answer w to the workitems request of connection conn_id of
 * IMV imv_id: with status 0 true, its workitems read into item[] and *n
 * and each logged; else false and why[size], logged as a warning. */
bool imv_workitems_answer(uint16_t imv_id, uint32_t conn_id, const struct ipc_policy_workitems *w,
    const struct imv_workitem_types *types, struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX],
    unsigned *n, char *why, size_t size);

/* How an IMV's policy port tells tnc-policy a workitem's result. */
typedef int imv_result_fn(void *ctx, uint32_t workitem, enum imv_recommendation rec,
    const char *text);
/* A judged workitem's result, logged (at level 0 when it failed) and told
 * to tnc-policy through result(ctx, ...); a failure to tell is logged. */
void imv_workitem_report(uint16_t imv_id, uint32_t conn_id, const struct imv_workitem *it,
    bool failed, enum imv_recommendation rec, const char *text, imv_result_fn *result,
    void *ctx);

/* The IMV's own result over its workitems' results: the worst
 * recommendation (no access > isolate > allow; none adds nothing, allow
 * without workitems), evaluation non-compliant major with a failure, else
 * don't know with a missing result (or no workitems), else compliant. */
struct imv_tally {
	enum imv_recommendation rec;
	bool failed, missing;
};

void imv_tally_init(struct imv_tally *t, unsigned n_items);
void imv_tally_add(struct imv_tally *t, enum imv_recommendation rec, bool failed, bool noresult);
enum imv_evaluation imv_tally_eval(const struct imv_tally *t);

#endif
