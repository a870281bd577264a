/* fuzz_imv_filemeas.c - libFuzzer harness for the Attestation IMV's file
 * workitems (attest_filemeas.h): the answers an endpoint sends to them,
 * File Measurement and Unix-Style File Metadata values, and the
 * information of a PA-TNC Error taken as the refused request.
 *
 * The first octet chooses the workitem (bit 0: a directory; bits 1-2:
 * FREFM, FMEAS, FMETA) and the measurement algorithm (bits 3-4); the rest
 * is the value.  A value the codec decodes is taken or refused with a
 * reason; taken, the list for tnc-policy holds one entry per file, each a
 * path within the asked one, and all-unknown verdicts count every file;
 * the budget is all returned.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "attest_filemeas.h"
#include "imv_budget.h"
#include "pa_pts.h"

#define PATH "/etc/app.d"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
plan(struct attest_filemeas *fm, uint8_t choice)
{
	static const char *const types[2][3] = {{"FREFM", "FMEAS", "FMETA"},
	    {"DREFM", "DMEAS", "DMETA"}};
	const char *type = types[choice & 1][(choice >> 1) % 3];
	struct ipc_policy_workitems w = {0};
	w.count = 1;
	w.item[0] = (struct ipc_policy_workitem){1, {(const uint8_t *)type, 5},
	    {(const uint8_t *)PATH, strlen(PATH)}, IMV_REC_ISOLATE, IMV_REC_NO_ACCESS};
	attest_filemeas_init(fm);
	check(attest_filemeas_plan(fm, &w) == 1);
}

static void
measured(struct attest_filemeas *fm, struct bytes value, uint16_t algo)
{
	struct pa_pts_file_meas m;
	struct parse_error pe;
	char why[200] = "";
	if (pa_pts_file_meas_decode(value, &m, &pe) != 0)
		return;
	if (attest_filemeas_measurement(fm, &m, algo, why, sizeof(why)) != 0) {
		check(why[0] != 0);
		return;
	}
	struct attest_freq *rq = attest_filemeas_next(fm);
	if (!rq) {
		check(m.count == 0 && !attest_filemeas_pending(fm));
		return;
	}
	check(rq->count == m.count);
	struct ipc_policy_files msg = attest_filemeas_msg(fm, rq);
	struct bytes path, hash;
	size_t pos = 0;
	for (unsigned i = 0; i < rq->count; i++) {
		check(ipc_policy_file_next(&msg, &pos, &path, &hash) == 0);
		/* a file request names its file, a directory's files are in it */
		check(path.len >= strlen(PATH) && !memcmp(path.ptr, PATH, strlen(PATH)));
		check(rq->directory ? path.len > strlen(PATH) + 1 && path.ptr[strlen(PATH)] == '/' &&
		    !memchr(path.ptr + strlen(PATH) + 1, '/', path.len - strlen(PATH) - 1) :
		    path.len == strlen(PATH));
		check(hash.len == 2 * pa_pts_algo_size(algo));
	}
	check(ipc_policy_file_next(&msg, &pos, &path, &hash) == TNC_ENOTFOUND);
	uint8_t *unknown = malloc(rq->count);
	if (!unknown)
		abort();
	memset(unknown, 1, rq->count);
	attest_filemeas_sent(rq, 42);
	struct ipc_policy_file_verdicts v = {0, {unknown, rq->count}};
	check(attest_filemeas_verdicts(fm, 42, &v) == 0);
	check(rq->unknown == rq->count && rq->state == ATTEST_FILE_DONE);
	free(unknown);
}

static void
metadata(struct attest_filemeas *fm, struct bytes value)
{
	struct pa_pts_file_meta m;
	struct parse_error pe;
	char why[200] = "";
	if (pa_pts_file_meta_decode(value, &m, &pe) != 0)
		return;
	if (attest_filemeas_metadata(fm, &m, why, sizeof(why)) != 0)
		check(why[0] != 0);
	else
		check(fm->req[0].state == ATTEST_FILE_DONE &&
		    strlen(fm->req[0].record) < sizeof(fm->req[0].record));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t algos[] = {PA_PTS_ALGO_SHA1, PA_PTS_ALGO_SHA256, PA_PTS_ALGO_SHA384,
	    PA_PTS_ALGO_SHA512};
	struct attest_filemeas fm;

	if (size < 1)
		return 0;
	struct bytes value = {data + 1, size - 1};
	plan(&fm, data[0]);
	if (fm.req[0].kind == ATTEST_FILE_META)
		metadata(&fm, value);
	else
		measured(&fm, value, algos[(data[0] >> 3) & 3]);
	attest_filemeas_clear(&fm);

	/* the value as a PTS error's information: only the request itself matches */
	plan(&fm, data[0]);
	struct pa_ietf_error e = {.vendor = PA_TNC_VENDOR_TCG, .code = PA_PTS_ERROR_FILE_NOT_FOUND,
	    .info = value};
	bool refused = attest_filemeas_error(&fm, &e);
	check(refused == (fm.req[0].state == ATTEST_FILE_REFUSED));
	check(!refused || value.len == 8 + strlen(PATH) ||
	    (fm.req[0].kind == ATTEST_FILE_META && value.len == 4 + strlen(PATH)));
	attest_filemeas_clear(&fm);
	check(imv_budget_used() == 0);
	return 0;
}
