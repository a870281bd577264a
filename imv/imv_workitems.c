/* imv_workitems.c - an IMV's workitems, their results and its own (see
 * imv_workitems.h). */
#include "imv_workitems.h"

#include <stdio.h>
#include <string.h>

#include "log.h"

static enum imv_recommendation
rec_of(uint8_t r)
{
	return r <= IMV_REC_NONE ? (enum imv_recommendation)r : IMV_REC_NO_ACCESS;
}

unsigned
imv_workitems_read(const struct ipc_policy_workitems *m, const struct imv_workitem_types *types,
    struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX])
{
	unsigned count = m->count < IPC_POLICY_WORKITEMS_MAX ? m->count : IPC_POLICY_WORKITEMS_MAX;
	unsigned n = 0;

	for (unsigned i = 0; i < count; i++) {
		struct imv_workitem *it = &item[n];
		bytes_cstr(m->item[i].type, it->type_name, sizeof(it->type_name));
		it->type = types->n;
		for (unsigned t = 0; t < types->n; t++)
			if (!strcmp(it->type_name, types->names[t]))
				it->type = t;
		if (it->type == types->n && types->skip_others)
			continue;
		it->id = m->item[i].id;
		it->rec_fail = rec_of(m->item[i].rec_fail);
		it->rec_noresult = rec_of(m->item[i].rec_noresult);
		n++;
	}
	return n;
}

bool
imv_workitems_answer(uint16_t imv_id, uint32_t conn_id, const struct ipc_policy_workitems *w,
    const struct imv_workitem_types *types, struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX],
    unsigned *n, char *why, size_t size)
{
	if (w->status) {
		snprintf(why, size, "no workitems from tnc-policy: %s", tnc_strerror(w->status));
		LOG_WARN(IMV, "IMV %u: %s for Connection ID %u", imv_id, why, conn_id);
		return false;
	}
	*n = imv_workitems_read(w, types, item);
	for (unsigned i = 0; i < *n; i++)
		LOG(IMV, 1, "IMV %u handles %s workitem %u", imv_id, item[i].type_name, item[i].id);
	return true;
}

void
imv_workitem_report(uint16_t imv_id, uint32_t conn_id, const struct imv_workitem *it,
    bool failed, enum imv_recommendation rec, const char *text, imv_result_fn *result, void *ctx)
{
	LOG(IMV, failed ? 0 : 1, "IMV %u handled %s workitem %u: %s - %s", imv_id, it->type_name,
	    it->id, imv_recommendation_name(rec), text);
	int err = result(ctx, it->id, rec, text);
	if (err)
		LOG(IMV, 1, "IMV %u cannot report the result of workitem %u of Connection ID %u to "
		    "tnc-policy: %s", imv_id, it->id, conn_id, tnc_strerror(err));
}

void
imv_tally_init(struct imv_tally *t, unsigned n_items)
{
	*t = (struct imv_tally){IMV_REC_ALLOW, false, n_items == 0};
}

void
imv_tally_add(struct imv_tally *t, enum imv_recommendation rec, bool failed, bool noresult)
{
	static const int rank[] = {[IMV_REC_ALLOW] = 1, [IMV_REC_NO_ACCESS] = 3,
	    [IMV_REC_ISOLATE] = 2, [IMV_REC_NONE] = 0};
	if (rank[rec] > rank[t->rec])
		t->rec = rec;
	t->failed |= failed;
	t->missing |= noresult;
}

enum imv_evaluation
imv_tally_eval(const struct imv_tally *t)
{
	return t->failed ? IMV_EVAL_NONCOMPLIANT_MAJOR :
	    t->missing ? IMV_EVAL_DONT_KNOW : IMV_EVAL_COMPLIANT;
}
