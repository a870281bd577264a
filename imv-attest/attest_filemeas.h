/* attest_filemeas.h - one connection's file and directory workitems
 * (FREFM FMEAS FMETA DREFM DMEAS DMETA; the argument is the endpoint's
 * path): the PTS requests they make, the answers matched to them, and
 * the measured digests on their way to tnc-policy and back.
 *
 * FREFM/DREFM and FMEAS/DMEAS send Request File Measurement (request
 * ID: the workitem's place, from 1; D set for a directory), FMETA/DMETA
 * Request File Metadata.  A File Measurement is matched by its request
 * ID, a Unix-Style File Metadata by order (it carries no ID: the IMC
 * answers requests in the order asked), a TCG PTS error by its
 * information, the refused request's value.  The digests of a measured
 * request go to tnc-policy as one policy-files request (the store judges
 * them against the reference hashes of the connection's product: ok,
 * unknown or differ per file), charged to the IMV's budget until its
 * verdicts are back.  attest_verdict.c turns the counts into results.
 * Logs with LOG(PTS, ...); sends nothing itself.
 */
#ifndef TNC_ATTEST_FILEMEAS_H
#define TNC_ATTEST_FILEMEAS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "pa_ietf_error.h"
#include "pa_pts_file.h"
#include "pa_tnc.h"

#define ATTEST_FREC_MAX 480 /* what a workitem's record keeps */

enum attest_fkind { ATTEST_FILE_REFM, ATTEST_FILE_MEAS, ATTEST_FILE_META };

enum attest_fstate {
	ATTEST_FILE_ASKED,    /* the request went (or goes) to the IMC */
	ATTEST_FILE_LOOKUP,   /* measured: the list awaits tnc-policy */
	ATTEST_FILE_SENT,     /* the list is with tnc-policy */
	ATTEST_FILE_DONE,     /* answered and judged */
	ATTEST_FILE_REFUSED,  /* the IMC answered with a PTS error */
};

struct attest_freq {
	uint32_t item; /* the workitem's ID */
	enum attest_fkind kind;
	bool directory;
	uint16_t request_id; /* measurement requests */
	char path[IPC_POLICY_ARGUMENT_MAX + 1];
	enum attest_fstate state;
	uint32_t seq;    /* of the policy-files request */
	uint16_t count;  /* files in the list */
	struct wire_writer list; /* ipc_policy_file_put() entries */
	size_t reserved; /* budget held by the list */
	uint32_t files, ok, unknown, differ;
	bool lookup_failed;
	char differ_path[128], unknown_path[128]; /* the first of each */
	char record[ATTEST_FREC_MAX]; /* measured digests or metadata, or the refusal */
};

struct attest_filemeas {
	struct attest_freq *req;
	unsigned n;
	char algo[IPC_POLICY_ALGO_MAX + 1]; /* of the measurements: "sha256" */
};

void attest_filemeas_init(struct attest_filemeas *fm);
/* Drops every request and returns the budget. */
void attest_filemeas_clear(struct attest_filemeas *fm);
/* Whether a workitem type is one of these. */
bool attest_filemeas_type(const char *type);
/* The requests of the file workitems of m (others skipped); how many. */
unsigned attest_filemeas_plan(struct attest_filemeas *fm, const struct ipc_policy_workitems *m);
/* The request attributes, appended to the message being built. */
void attest_filemeas_requests(const struct attest_filemeas *fm, struct pa_tnc_builder *b);
/* The request of workitem id, or NULL. */
const struct attest_freq *attest_filemeas_of(const struct attest_filemeas *fm, uint32_t item);

/* A File Measurement in algo (PA_PTS_ALGO_*): 0, or TNC_EINVALID with
 * why (not asked for, a second answer, a wrong measurement length, a
 * name that makes no path). */
int attest_filemeas_measurement(struct attest_filemeas *fm, const struct pa_pts_file_meas *m,
    uint16_t algo, char *why, size_t why_size) TNC_MUST_CHECK;
/* A Unix-Style File Metadata, for the oldest metadata request asked. */
int attest_filemeas_metadata(struct attest_filemeas *fm, const struct pa_pts_file_meta *m,
    char *why, size_t why_size) TNC_MUST_CHECK;
/* A PA-TNC Error from the IMC: true when it refuses one of our requests
 * (then that request failed). */
bool attest_filemeas_error(struct attest_filemeas *fm, const struct pa_ietf_error *e);

/* Whether a request still waits for the IMC. */
bool attest_filemeas_unanswered(const struct attest_filemeas *fm);
/* Whether a list waits to go to tnc-policy or for its answer. */
bool attest_filemeas_pending(const struct attest_filemeas *fm);
/* The next list to send, or NULL; send attest_filemeas_msg() of it with
 * seq, then attest_filemeas_sent(). */
struct attest_freq *attest_filemeas_next(struct attest_filemeas *fm);
struct ipc_policy_files attest_filemeas_msg(const struct attest_filemeas *fm,
    const struct attest_freq *rq);
void attest_filemeas_sent(struct attest_freq *rq, uint32_t seq);
/* The verdicts of the list sent with seq, counted (TNC_ENOTFOUND: not ours). */
int attest_filemeas_verdicts(struct attest_filemeas *fm, uint32_t seq,
    const struct ipc_policy_file_verdicts *v) TNC_MUST_CHECK;

#endif
