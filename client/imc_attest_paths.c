/* imc_attest_paths.c - the attestation IMC's answers about this
 * machine's paths (see imc_attest_int.h): ITA-HSR Get Symlinks
 * (imc_attest_links.h), Request File Measurement and Request File
 * Metadata (imc_attest_files.h).
 */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imc_attest_files.h"
#include "imc_attest_int.h"
#include "imc_attest_links.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_pts_file.h"
#include "pa_pts_symlinks.h"

/* A File Measurement or Unix-Style File Metadata: 1000 files with their
 * names fit; the message goes alone when it exceeds msg_max. */
#define IMC_ATTEST_FILE_ATTR_MAX (1u << 20)

int
attest_on_get_symlinks(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct bytes dir;
	char path[256];
	struct wire_writer w;
	int err = pa_pts_symlinks_request_decode(value, &dir, pe);

	if (err)
		return err;
	if (dir.len == 0 || dir.len >= sizeof(path) || dir.ptr[0] != '/')
		return attest_refuse(pe, 0, "not an absolute directory path");
	memcpy(path, dir.ptr, dir.len);
	path[dir.len] = 0;
	struct imc_links *links = malloc(sizeof(*links));
	if (!links)
		abort();
	imc_links_collect(r->imc->cfg->symlinks_root ? r->imc->cfg->symlinks_root : path, links);
	LOG(PTS, 1, "%zu directory symlinks in '%s'", links->count, path);
	for (size_t i = 0; i < links->count; i++)
		LOG(PTS, 2, "  %.*s -> %.*s", (int)links->links[i].link.len,
		    (const char *)links->links[i].link.ptr, (int)links->links[i].dir.len,
		    (const char *)links->links[i].dir.ptr);
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_pts_symlinks_encode(&w, links->links, links->count);
	imc_reply_put(&r->out, PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, &w);
	free(links);
	return 0;
}

/* A file answer the IMC built in w (or refused with code, for why): sent,
 * or a PTS error (also when it is larger than the IMC sends). */
static void
put_file_answer(struct attest_reply *r, uint32_t type, struct wire_writer *w, uint32_t code,
    char *why, size_t why_size, struct bytes request)
{
	if (!code && wire_writer_status(w)) {
		code = PA_PTS_ERROR_OPERATION_NOT_SUPPORTED;
		snprintf(why, why_size, "the answer is larger than the IMC sends");
	}
	if (code) {
		wire_writer_clear(w);
		attest_pts_error(r, code, request, why);
		return;
	}
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, type, w);
}

/* Hashes of the files named, in the selected algorithm. */
int
attest_on_file_meas(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_pts_file_meas_request req;
	struct wire_writer w;
	char why[PATH_MAX + 128];
	int err = pa_pts_file_meas_request_decode(value, &req, pe);

	if (err)
		return err;
	LOG(PTS, 1, "measurement request %u for %s '%.*s'", req.request_id,
	    req.directory ? "directory" : "file", (int)req.path.len, (const char *)req.path.ptr);
	if (!r->imc->algo) {
		attest_pts_error(r, PA_PTS_ERROR_HASH_ALG_NOT_SUPPORTED, value,
		    "no measurement algorithm was selected");
		return 0;
	}
	wire_writer_init(&w, IMC_ATTEST_FILE_ATTR_MAX);
	uint32_t code = imc_files_measure(&req, attest_algo_digest(r->imc->algo), &imc_files_default_limits,
	    &w, why, sizeof(why));
	put_file_answer(r, PA_PTS_FILE_MEAS, &w, code, why, sizeof(why), value);
	return 0;
}

int
attest_on_file_meta(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_pts_file_meta_request req;
	struct wire_writer w;
	char why[PATH_MAX + 128];
	int err = pa_pts_file_meta_request_decode(value, &req, pe);

	if (err)
		return err;
	LOG(PTS, 1, "metadata request for %s '%.*s'", req.directory ? "directory" : "file",
	    (int)req.path.len, (const char *)req.path.ptr);
	wire_writer_init(&w, IMC_ATTEST_FILE_ATTR_MAX);
	uint32_t code = imc_files_metadata(&req, &imc_files_default_limits, &w, why, sizeof(why));
	put_file_answer(r, PA_PTS_UNIX_FILE_META, &w, code, why, sizeof(why), value);
	return 0;
}
