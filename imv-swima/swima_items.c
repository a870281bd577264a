/* swima_items.c - the SWIMA IMV's workitems and their results (see
 * swima_items.h). */
#include "swima_items.h"

#include <stdio.h>
#include <string.h>

static const char *const item_names[] = {"SWIDT", "SWIDI"};
const struct imv_workitem_types swima_item_types = {item_names,
    sizeof(item_names) / sizeof(item_names[0]), true};

/* Whether the word occurs in argument, delimited by blanks. */
static bool
has_word(struct bytes argument, const char *word)
{
	size_t wl = strlen(word);
	for (size_t i = 0; i + wl <= argument.len; i++)
		if ((i == 0 || argument.ptr[i - 1] == ' ') && !memcmp(argument.ptr + i, word, wl) &&
		    (i + wl == argument.len || argument.ptr[i + wl] == ' '))
			return true;
	return false;
}

bool
swima_items_subscription_asked(const struct ipc_policy_workitems *m)
{
	unsigned n = m->count < IPC_POLICY_WORKITEMS_MAX ? m->count : IPC_POLICY_WORKITEMS_MAX;
	for (unsigned i = 0; i < n; i++) {
		char type[IPC_POLICY_TYPE_MAX + 1];
		bytes_cstr(m->item[i].type, type, sizeof(type));
		for (unsigned t = 0; t < swima_item_types.n; t++)
			if (!strcmp(type, item_names[t]) &&
			    has_word(m->item[i].argument, SWIMA_SUBSCRIBE_WORD))
				return true;
	}
	return false;
}

bool
swima_items_want_tags(const struct swima_items *items)
{
	for (unsigned i = 0; i < items->n; i++)
		if (items->item[i].type == SWIMA_ITEM_SWIDT)
			return true;
	return false;
}

void
swima_item_result(const struct imv_workitem *it, const struct swima_answer *a,
    const struct swima_counts *c, const char *noresult, struct swima_result *r)
{
	char got[96];
	const struct ipc_policy_sw_verdict *v = &a->verdict;

	memset(r, 0, sizeof(*r));
	snprintf(got, sizeof(got), "received %u SW ID%s and %u SWID tags", c->records,
	    c->inventory ? "s" : " events", c->tags);
	if (noresult || !a->answered || v->status) {
		r->noresult = true;
		r->rec = it->rec_noresult;
		snprintf(r->text, sizeof(r->text), "no result - %s", noresult ? noresult :
		    !a->answered ? "tnc-policy gave no verdict" : tnc_strerror(v->status));
	} else if (v->fail) {
		r->failed = true;
		r->rec = it->rec_fail;
		snprintf(r->text, sizeof(r->text), "%u forbidden, %u missing, %u vulnerable of %u "
		    "identifiers: %.300s - %s", v->forbidden, v->missing, v->vulnerable,
		    v->identifiers, a->detail, got);
	} else {
		r->rec = IMV_REC_ALLOW;
		snprintf(r->text, sizeof(r->text), "%s", got);
	}
}
