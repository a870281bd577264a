/* attest_verdict.c - the Attestation IMV's workitems and their results
 * (see attest_verdict.h). */
#include "attest_verdict.h"

#include <stdio.h>
#include <string.h>

static enum imv_recommendation
rec_of(uint8_t r)
{
	return r <= IMV_REC_NONE ? (enum imv_recommendation)r : IMV_REC_NO_ACCESS;
}

void
attest_items_from_msg(const struct ipc_policy_workitems *m, struct attest_items *items)
{
	items->n = m->count < IPC_POLICY_WORKITEMS_MAX ? m->count : IPC_POLICY_WORKITEMS_MAX;
	for (unsigned i = 0; i < items->n; i++) {
		struct attest_item *it = &items->item[i];
		it->id = m->item[i].id;
		bytes_cstr(m->item[i].type, it->type_name, sizeof(it->type_name));
		bytes_cstr(m->item[i].argument, it->argument, sizeof(it->argument));
		it->type = strcmp(it->type_name, "TPMRA") ? ATTEST_ITEM_OTHER : ATTEST_ITEM_TPMRA;
		it->rec_fail = rec_of(m->item[i].rec_fail);
		it->rec_noresult = rec_of(m->item[i].rec_noresult);
	}
}

const struct attest_item *
attest_items_tpmra(const struct attest_items *items)
{
	for (unsigned i = 0; i < items->n; i++)
		if (items->item[i].type == ATTEST_ITEM_TPMRA)
			return &items->item[i];
	return NULL;
}

bool
attest_item_wants(const struct attest_item *it, char c)
{
	if (!strpbrk(it->argument, "BIT"))
		return c == 'B' || c == 'I' || (c == 'U' && strchr(it->argument, 'U'));
	return strchr(it->argument, c) != NULL;
}

void
attest_verdict_item(const struct attest_item *it, const struct attest_findings *f,
    struct attest_result *r)
{
	const struct attest_evidence *ev = f->ev;
	const struct attest_files *fl = f->files;
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	if (it->type != ATTEST_ITEM_TPMRA) {
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "%s workitems are not judged by this IMV yet",
		    it->type_name);
	} else if (f->refusal) {
		r->failed = true;
		snprintf(r->text, sizeof(r->text), "%s", f->refusal);
	} else if (f->noresult) {
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "%s", f->noresult);
	} else {
		n = (size_t)snprintf(r->text, sizeof(r->text), "processed %u IMA file evidence "
		    "measurements: %u ok, %u unknown, %u differ, %u failed; %u BIOS evidence "
		    "measurements are %s", attest_evidence_files(ev), fl->ok, fl->unknown, fl->differ, fl->failed,
		    ev->bios, ev->failed ? "replayed" : "ok");
		if (ev->failed) {
			r->failed = true;
			snprintf(r->text + n, sizeof(r->text) - n, "; %s", ev->reason);
		} else if (!f->complete) {
			r->noresult = true;
			snprintf(r->text + n, sizeof(r->text) - n, "; no quote received");
		} else if (fl->lookup_failed) {
			r->noresult = true;
			snprintf(r->text + n, sizeof(r->text) - n, "; %s", fl->failure);
		} else if (fl->differ) {
			r->failed = true;
			snprintf(r->text + n, sizeof(r->text) - n, "; '%s'%s differs from its reference",
			    fl->differ_path, fl->differ > 1 ? " and others" : "");
		} else if (fl->unknown && attest_item_wants(it, 'U')) {
			r->failed = true;
			snprintf(r->text + n, sizeof(r->text) - n, "; %u files are unknown and the "
			    "policy fails them", fl->unknown);
		}
	}
	r->rec = r->failed ? it->rec_fail : r->noresult ? it->rec_noresult : IMV_REC_ALLOW;
}
