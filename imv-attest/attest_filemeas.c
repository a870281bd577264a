/* attest_filemeas.c - the file and directory workitems' requests, answers
 * and lookups (see attest_filemeas.h). */
#include "attest_filemeas.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_frame.h"
#include "imv_budget.h"
#include "log.h"
#include "pa_pts.h"
#include "pa_pts_names.h"

/* A full policy-files message stays within the default frame bound. */
#define LIST_BYTES_MAX (IPC_FRAME_MAX_DEFAULT - 1024)
#define REQUEST_VALUE_MAX (8 + IPC_POLICY_ARGUMENT_MAX)

static const struct {
	const char *type;
	enum attest_fkind kind;
	bool directory;
} types[] = {
	{"FREFM", ATTEST_FILE_REFM, false}, {"FMEAS", ATTEST_FILE_MEAS, false},
	{"FMETA", ATTEST_FILE_META, false}, {"DREFM", ATTEST_FILE_REFM, true},
	{"DMEAS", ATTEST_FILE_MEAS, true}, {"DMETA", ATTEST_FILE_META, true},
};

void
attest_filemeas_init(struct attest_filemeas *fm)
{
	memset(fm, 0, sizeof(*fm));
}

static void
drop_list(struct attest_freq *rq)
{
	wire_writer_clear(&rq->list);
	imv_budget_release(&rq->reserved);
}

void
attest_filemeas_clear(struct attest_filemeas *fm)
{
	for (unsigned i = 0; i < fm->n; i++)
		drop_list(&fm->req[i]);
	free(fm->req);
	attest_filemeas_init(fm);
}

static int
type_index(const char *type)
{
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(types[i].type, type))
			return (int)i;
	return -1;
}

bool
attest_filemeas_type(const char *type)
{
	return type_index(type) >= 0;
}

unsigned
attest_filemeas_plan(struct attest_filemeas *fm, const struct ipc_policy_workitems *m)
{
	char type[IPC_POLICY_TYPE_MAX + 1];
	unsigned count = m->count < IPC_POLICY_WORKITEMS_MAX ? m->count : IPC_POLICY_WORKITEMS_MAX;

	attest_filemeas_clear(fm);
	if (!(fm->req = calloc(count ? count : 1, sizeof(*fm->req))))
		abort();
	for (unsigned i = 0; i < count; i++) {
		int t = type_index(bytes_cstr(m->item[i].type, type, sizeof(type)));
		if (t < 0)
			continue;
		struct attest_freq *rq = &fm->req[fm->n++];
		rq->item = m->item[i].id;
		rq->kind = types[t].kind;
		rq->directory = types[t].directory;
		rq->request_id = (uint16_t)fm->n;
		bytes_cstr(m->item[i].argument, rq->path, sizeof(rq->path));
		if (!rq->path[0]) { /* tnc-policy gives every such workitem its path */
			rq->state = ATTEST_FILE_REFUSED;
			snprintf(rq->record, sizeof(rq->record), "the workitem names no path");
		}
	}
	return fm->n;
}

/* The value of rq's request into w. */
static void
encode_request(const struct attest_freq *rq, struct wire_writer *w)
{
	struct bytes path = {(const uint8_t *)rq->path, strlen(rq->path)};
	if (rq->kind == ATTEST_FILE_META)
		pa_pts_file_meta_request_encode(w, &(struct pa_pts_file_meta_request){rq->directory,
		    '/', path});
	else
		pa_pts_file_meas_request_encode(w, &(struct pa_pts_file_meas_request){rq->directory,
		    rq->request_id, '/', path});
}

void
attest_filemeas_requests(const struct attest_filemeas *fm, struct pa_tnc_builder *b)
{
	for (unsigned i = 0; i < fm->n; i++) {
		const struct attest_freq *rq = &fm->req[i];
		uint32_t type = rq->kind == ATTEST_FILE_META ? PA_PTS_REQ_FILE_META :
		    PA_PTS_REQ_FILE_MEAS;
		if (rq->state != ATTEST_FILE_ASKED)
			continue;
		LOG(PTS, 1, "requesting %s of %s '%s'", rq->kind == ATTEST_FILE_META ? "metadata" :
		    "measurements", rq->directory ? "directory" : "file", rq->path);
		pa_tnc_builder_begin(b, 0, PA_TNC_VENDOR_TCG, type);
		encode_request(rq, &b->w);
		pa_tnc_builder_end(b);
	}
}

const struct attest_freq *
attest_filemeas_of(const struct attest_filemeas *fm, uint32_t item)
{
	for (unsigned i = 0; i < fm->n; i++)
		if (fm->req[i].item == item)
			return &fm->req[i];
	return NULL;
}

static int __attribute__((format(printf, 3, 4)))
refuse(char *why, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, size, fmt, ap);
	va_end(ap);
	return TNC_EINVALID;
}

/* The endpoint's path of a measured file: a file request names its
 * file; a directory's files are named within it (strongSwan's relative
 * names).  0 when the name makes no path there. */
static size_t
file_path(const struct attest_freq *rq, struct bytes name, char *out, size_t size)
{
	int n;
	if (!rq->directory)
		n = snprintf(out, size, "%s", rq->path);
	else if (!name.len || memchr(name.ptr, '/', name.len) ||
	    (name.ptr[0] == '.' && (name.len == 1 || (name.len == 2 && name.ptr[1] == '.'))))
		return 0;
	else
		n = snprintf(out, size, "%s%s%.*s", rq->path,
		    rq->path[strlen(rq->path) - 1] == '/' ? "" : "/", (int)name.len,
		    (const char *)name.ptr);
	return n > 0 && (size_t)n < size ? (size_t)n : 0;
}

/* Appends "text" to rq's record while it fits; "..." once it does not. */
static void
record(struct attest_freq *rq, const char *text)
{
	size_t len = strlen(rq->record), n = strlen(text);
	if (len + n < sizeof(rq->record))
		memcpy(rq->record + len, text, n + 1);
	else if (len + 4 < sizeof(rq->record) && strcmp(rq->record + len - 3, "..."))
		memcpy(rq->record + len, "...", 4);
}

static const char *
algo_text(uint16_t algo)
{
	return algo == PA_PTS_ALGO_SHA1 ? "sha1" : algo == PA_PTS_ALGO_SHA256 ? "sha256" :
	    algo == PA_PTS_ALGO_SHA384 ? "sha384" : "sha512";
}

int
attest_filemeas_measurement(struct attest_filemeas *fm, const struct pa_pts_file_meas *m,
    uint16_t algo, char *why, size_t why_size)
{
	static char path[IPC_POLICY_PATH_MAX + 1];
	struct attest_freq *rq = NULL;
	struct pa_pts_file_meas_iter it;
	struct pa_pts_file_meas_entry e;
	char hex[2 * PA_PTS_HASH_MAX + 1], line[IPC_POLICY_PATH_MAX + 2 * PA_PTS_HASH_MAX + 4];

	for (unsigned i = 0; i < fm->n && !rq; i++)
		if (fm->req[i].kind != ATTEST_FILE_META && fm->req[i].request_id == m->request_id)
			rq = &fm->req[i];
	if (!rq || rq->state != ATTEST_FILE_ASKED)
		return refuse(why, why_size, "request ID %u %s", m->request_id,
		    rq ? "was answered before" : "was not asked for");
	if (!pa_pts_algo_size(algo) || m->meas_len != pa_pts_algo_size(algo))
		return refuse(why, why_size, "measurement length %u is not that of %s", m->meas_len,
		    pa_pts_algo_name(algo));
	if (m->count > IPC_POLICY_FILES_MAX || (!rq->directory && m->count != 1))
		return refuse(why, why_size, "%llu files for %s '%.128s'",
		    (unsigned long long)m->count, rq->directory ? "directory" : "file", rq->path);
	snprintf(fm->algo, sizeof(fm->algo), "%s", algo_text(algo));
	wire_writer_init(&rq->list, LIST_BYTES_MAX);
	snprintf(rq->record, sizeof(rq->record), "%s:", fm->algo);
	pa_pts_file_meas_iter_init(&it, m);
	while (pa_pts_file_meas_next(&it, &e)) {
		size_t len = file_path(rq, e.filename, path, sizeof(path));
		if (!len)
			return refuse(why, why_size, "file name '%.*s' makes no path in '%.128s'",
			    (int)(e.filename.len > 128 ? 128 : e.filename.len),
			    (const char *)e.filename.ptr, rq->path);
		for (size_t k = 0; k < e.measurement.len; k++)
			snprintf(hex + 2 * k, 3, "%02x", e.measurement.ptr[k]);
		if (imv_budget_reserve(&rq->reserved, 4 + len + 2 * e.measurement.len) != 0 ||
		    ipc_policy_file_put(&rq->list, (struct bytes){(const uint8_t *)path, len},
		    (struct bytes){(const uint8_t *)hex, 2 * e.measurement.len}) != 0)
			return refuse(why, why_size, "the IMV cannot keep the measurements of '%.128s'",
			    rq->path);
		rq->count++;
		snprintf(line, sizeof(line), " %s %s", path, hex);
		record(rq, line);
		LOG(PTS, 2, "  %s for '%s'", hex, path);
	}
	rq->files = rq->count;
	rq->state = rq->count ? ATTEST_FILE_LOOKUP : ATTEST_FILE_DONE;
	LOG(PTS, 1, "received %u %s file measurements for %s '%s'", rq->count, fm->algo,
	    rq->directory ? "directory" : "file", rq->path);
	if (!rq->count)
		drop_list(rq);
	return 0;
}

static const char *
type_text(uint8_t type)
{
	switch (type) {
	case PA_PTS_FILE_REGULAR: return "regular";
	case PA_PTS_FILE_DIRECTORY: return "directory";
	case PA_PTS_FILE_SYMLINK: return "symlink";
	case PA_PTS_FILE_FIFO: return "fifo";
	case PA_PTS_FILE_CHAR_SPEC: return "char";
	case PA_PTS_FILE_BLOCK_SPEC: return "block";
	case PA_PTS_FILE_SOCKET: return "socket";
	default: return "other";
	}
}

int
attest_filemeas_metadata(struct attest_filemeas *fm, const struct pa_pts_file_meta *m,
    char *why, size_t why_size)
{
	struct attest_freq *rq = NULL;
	struct pa_pts_file_meta_iter it;
	struct pa_pts_file_meta_entry e;
	char line[384];

	for (unsigned i = 0; i < fm->n && !rq; i++)
		if (fm->req[i].kind == ATTEST_FILE_META && fm->req[i].state == ATTEST_FILE_ASKED)
			rq = &fm->req[i];
	if (!rq)
		return refuse(why, why_size, "no metadata was asked for");
	if (!rq->directory && m->count != 1)
		return refuse(why, why_size, "%llu files for file '%.128s'",
		    (unsigned long long)m->count, rq->path);
	rq->state = ATTEST_FILE_DONE;
	rq->files = (uint32_t)(m->count > UINT32_MAX ? UINT32_MAX : m->count);
	snprintf(rq->record, sizeof(rq->record), "%u files:", rq->files);
	pa_pts_file_meta_iter_init(&it, m);
	while (pa_pts_file_meta_next(&it, &e)) {
		snprintf(line, sizeof(line), " %.*s %s size %llu owner %llu group %llu created %llu "
		    "modified %llu accessed %llu;", (int)(e.filename.len > 128 ? 128 : e.filename.len),
		    (const char *)e.filename.ptr, type_text(e.type), (unsigned long long)e.size,
		    (unsigned long long)e.owner, (unsigned long long)e.group,
		    (unsigned long long)e.created, (unsigned long long)e.modified,
		    (unsigned long long)e.accessed);
		record(rq, line);
	}
	LOG(PTS, 1, "received the metadata of %u files for %s '%s':%s", rq->files,
	    rq->directory ? "directory" : "file", rq->path, strchr(rq->record, ':') + 1);
	return 0;
}

bool
attest_filemeas_error(struct attest_filemeas *fm, const struct pa_ietf_error *e)
{
	struct wire_writer w;

	if (e->vendor != PA_TNC_VENDOR_TCG)
		return false;
	for (unsigned i = 0; i < fm->n; i++) {
		struct attest_freq *rq = &fm->req[i];
		if (rq->state != ATTEST_FILE_ASKED)
			continue;
		wire_writer_init(&w, REQUEST_VALUE_MAX);
		encode_request(rq, &w);
		bool same = !wire_writer_status(&w) && w.len == e->info.len &&
		    !memcmp(w.buf, e->info.ptr, w.len);
		wire_writer_clear(&w);
		if (!same)
			continue;
		rq->state = ATTEST_FILE_REFUSED;
		snprintf(rq->record, sizeof(rq->record), "'%.400s': %s", rq->path,
		    pa_tnc_error_code_name(e->vendor, e->code));
		LOG(PTS, 1, "the IMC refused the request for %s", rq->record);
		return true;
	}
	return false;
}

bool
attest_filemeas_unanswered(const struct attest_filemeas *fm)
{
	for (unsigned i = 0; i < fm->n; i++)
		if (fm->req[i].state == ATTEST_FILE_ASKED)
			return true;
	return false;
}

bool
attest_filemeas_pending(const struct attest_filemeas *fm)
{
	for (unsigned i = 0; i < fm->n; i++)
		if (fm->req[i].state == ATTEST_FILE_LOOKUP || fm->req[i].state == ATTEST_FILE_SENT)
			return true;
	return false;
}

struct attest_freq *
attest_filemeas_next(struct attest_filemeas *fm)
{
	for (unsigned i = 0; i < fm->n; i++)
		if (fm->req[i].state == ATTEST_FILE_LOOKUP)
			return &fm->req[i];
	return NULL;
}

struct ipc_policy_files
attest_filemeas_msg(const struct attest_filemeas *fm, const struct attest_freq *rq)
{
	return (struct ipc_policy_files){IPC_FILE_DIGEST, {(const uint8_t *)fm->algo,
	    strlen(fm->algo)}, {NULL, 0}, rq->count, {rq->list.buf, rq->list.len}};
}

void
attest_filemeas_sent(struct attest_freq *rq, uint32_t seq)
{
	rq->seq = seq;
	rq->state = ATTEST_FILE_SENT;
}

/* One file's verdict (0 ok, 1 unknown, 2 differ), counted and logged. */
static void
count_one(struct attest_freq *rq, uint8_t verdict, struct bytes path, struct bytes hash)
{
	switch (verdict) {
	case 0:
		rq->ok++;
		LOG(PTS, 2, "%.*s for '%.*s' is ok", (int)hash.len, (const char *)hash.ptr,
		    (int)path.len, (const char *)path.ptr);
		return;
	case 1:
		if (!rq->unknown++)
			snprintf(rq->unknown_path, sizeof(rq->unknown_path), "%.*s", (int)path.len,
			    (const char *)path.ptr);
		LOG(PTS, 1, "%.*s for '%.*s' not found", (int)hash.len, (const char *)hash.ptr,
		    (int)path.len, (const char *)path.ptr);
		return;
	default:
		if (!rq->differ++)
			snprintf(rq->differ_path, sizeof(rq->differ_path), "%.*s", (int)path.len,
			    (const char *)path.ptr);
		LOG_WARN(PTS, "%.*s for '%.*s' differs from the reference", (int)hash.len,
		    (const char *)hash.ptr, (int)path.len, (const char *)path.ptr);
	}
}

int
attest_filemeas_verdicts(struct attest_filemeas *fm, uint32_t seq,
    const struct ipc_policy_file_verdicts *v)
{
	struct attest_freq *rq = NULL;
	for (unsigned i = 0; i < fm->n && !rq; i++)
		if (fm->req[i].state == ATTEST_FILE_SENT && fm->req[i].seq == seq)
			rq = &fm->req[i];
	if (!rq)
		return TNC_ENOTFOUND;
	if (v->status || v->verdicts.len != rq->count) {
		rq->lookup_failed = true;
		LOG(PTS, 0, "tnc-policy could not judge the %u files of '%s': %s", rq->count, rq->path,
		    v->status ? tnc_strerror(v->status) : "it answered for another number of files");
	} else {
		struct ipc_policy_files m = attest_filemeas_msg(fm, rq);
		struct bytes path, hash;
		size_t pos = 0;
		for (size_t i = 0; i < v->verdicts.len; i++) {
			if (ipc_policy_file_next(&m, &pos, &path, &hash) != 0)
				abort(); /* the list holds count entries */
			count_one(rq, v->verdicts.ptr[i], path, hash);
		}
	}
	rq->state = ATTEST_FILE_DONE;
	drop_list(rq);
	return 0;
}
