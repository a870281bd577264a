/* attest_verdict.c - the Attestation IMV's workitems and their results
 * (see attest_verdict.h). */
#include "attest_verdict.h"

#include <stdio.h>
#include <string.h>

static const char *const item_names[] = {"TPMRA"};
const struct imv_workitem_types attest_item_types = {item_names, ATTEST_ITEM_OTHER, false};

void
attest_items_arguments(const struct ipc_policy_workitems *m, struct attest_items *items)
{
	for (unsigned i = 0; i < items->n; i++)
		bytes_cstr(m->item[i].argument, items->argument[i], sizeof(items->argument[i]));
}

const struct imv_workitem *
attest_items_tpmra(const struct attest_items *items)
{
	for (unsigned i = 0; i < items->n; i++)
		if (items->item[i].type == ATTEST_ITEM_TPMRA)
			return &items->item[i];
	return NULL;
}

const char *
attest_items_argument(const struct attest_items *items, const struct imv_workitem *it)
{
	return items->argument[it - items->item];
}

bool
attest_item_wants(const char *argument, char c)
{
	if (!strpbrk(argument, "BIT"))
		return c == 'B' || c == 'I' || (c == 'U' && strchr(argument, 'U'));
	return strchr(argument, c) != NULL;
}

/* A measurement workitem whose answer is in and judged. */
static void
measured(const struct attest_freq *rq, struct attest_result *r)
{
	const char *what = rq->directory ? "directory" : "file";
	if (rq->kind == ATTEST_FILE_MEAS) { /* recorded, not judged */
		snprintf(r->text, sizeof(r->text), "measured %u files of %s '%.100s' (%u match a "
		    "reference, %u unknown, %u differ%s): %.300s", rq->files, what, rq->path, rq->ok,
		    rq->unknown, rq->differ, rq->lookup_failed ? ", not compared" : "", rq->record);
	} else if (rq->lookup_failed) {
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "tnc-policy could not judge the %u files of %s "
		    "'%.200s'", rq->files, what, rq->path);
	} else if (rq->differ) {
		r->failed = true;
		snprintf(r->text, sizeof(r->text), "'%s'%s differs from its reference", rq->differ_path,
		    rq->differ > 1 ? " and others" : "");
	} else if (rq->unknown) {
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "no reference hash for '%s'%s", rq->unknown_path,
		    rq->unknown > 1 ? " and others" : "");
	} else {
		snprintf(r->text, sizeof(r->text), "%u files of %s '%.200s' match their reference",
		    rq->ok, what, rq->path);
	}
}

/* The result of a file workitem from its request's state. */
static void
file_item(const struct imv_workitem *it, const struct attest_findings *f, struct attest_result *r)
{
	const struct attest_freq *rq = f->filemeas ? attest_filemeas_of(f->filemeas, it->id) : NULL;

	if (!rq) {
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "the workitem was not requested of the IMC");
		return;
	}
	switch (rq->state) {
	case ATTEST_FILE_ASKED:
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "no answer of the IMC for '%.200s'%s%.200s", rq->path,
		    f->noresult ? ": " : "", f->noresult ? f->noresult : "");
		return;
	case ATTEST_FILE_LOOKUP:
	case ATTEST_FILE_SENT:
		r->noresult = true;
		snprintf(r->text, sizeof(r->text), "the files of '%.200s' were not judged by "
		    "tnc-policy", rq->path);
		return;
	case ATTEST_FILE_REFUSED:
		r->failed = true;
		snprintf(r->text, sizeof(r->text), "%s", rq->record);
		return;
	case ATTEST_FILE_DONE:
		if (rq->kind == ATTEST_FILE_META)
			snprintf(r->text, sizeof(r->text), "metadata of %s '%.100s': %.380s",
			    rq->directory ? "directory" : "file", rq->path, rq->record);
		else
			measured(rq, r);
		return;
	}
}

void
attest_verdict_item(const struct imv_workitem *it, const char *argument,
    const struct attest_findings *f, struct attest_result *r)
{
	const struct attest_evidence *ev = f->ev;
	const struct attest_files *fl = f->files;
	size_t n = 0;

	memset(r, 0, sizeof(*r));
	if (attest_filemeas_type(it->type_name)) {
		file_item(it, f, r);
	} else if (it->type != ATTEST_ITEM_TPMRA) {
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
		} else if (fl->unknown && attest_item_wants(argument, 'U')) {
			r->failed = true;
			snprintf(r->text + n, sizeof(r->text) - n, "; %u files are unknown and the "
			    "policy fails them", fl->unknown);
		}
	}
	r->rec = r->failed ? it->rec_fail : r->noresult ? it->rec_noresult : IMV_REC_ALLOW;
}
