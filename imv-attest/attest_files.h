/* attest_files.h - one connection's IMA file measurements on their way to
 * tnc-policy and back: collected, with the endpoint's directory symlinks
 * applied to their paths, into policy-files requests of up to
 * IPC_POLICY_FILES_MAX files of one form and algorithm; each request is
 * kept until its answer comes back, then its files are counted ok,
 * unknown or differ ("<hash> for '<path>' not found" logged per unknown,
 * "... differs" per differ).  File digests get tnc-policy's verdicts;
 * template hashes (strongSwan's IMA evidence) get the reference digests,
 * from which the template hash is rebuilt with the name as the kernel
 * measured it (kept here: the request carries the symlink-resolved path).  Lists are charged to the IMV's reassembly
 * budget (imv_budget.h).  Logs with LOG(PTS, ...); sends nothing itself.
 */
#ifndef TNC_ATTEST_FILES_H
#define TNC_ATTEST_FILES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "wire.h"

#define ATTEST_SYMLINKS_MAX 64
#define ATTEST_LINK_MAX 256

struct attest_symlink {
	char link[ATTEST_LINK_MAX], dir[ATTEST_LINK_MAX];
};

struct attest_lookup {
	struct attest_lookup *next;
	uint32_t seq; /* 0 until sent */
	uint8_t form;
	char algo[IPC_POLICY_ALGO_MAX + 1], template_algo[IPC_POLICY_ALGO_MAX + 1];
	uint16_t count;
	struct wire_writer list; /* ipc_policy_file_put() entries */
	struct wire_writer names; /* template forms: u16 length, the name as measured */
};

struct attest_files {
	struct attest_symlink link[ATTEST_SYMLINKS_MAX];
	unsigned nlinks;
	struct attest_lookup *filling, *ready, *sent;
	size_t reserved; /* budget held by the lists */
	uint32_t ok, unknown, differ, failed;
	char differ_path[128];  /* the first file that differs */
	bool lookup_failed;     /* tnc-policy could not judge some files */
	char failure[160];
};

void attest_files_init(struct attest_files *f);
/* Drops every list and returns the budget (counts and links stay). */
void attest_files_clear(struct attest_files *f);
/* A directory symlink of the endpoint (link and dir absolute, no trailing
 * slash); false when the table is full or a path too long. */
bool attest_files_symlink(struct attest_files *f, struct bytes link, struct bytes dir);
/* Adds one measured file (hash: raw octets); TNC_ETOOLONG when its path is
 * too long or the budget is spent: then it counts as failed. */
int attest_files_add(struct attest_files *f, uint8_t form, const char *algo,
    const char *template_algo, struct bytes path, const uint8_t *hash, size_t hash_len)
    TNC_MUST_CHECK;
/* The list being filled is ready to go. */
void attest_files_flush(struct attest_files *f);
/* The next list to send, or NULL; send it with seq, then attest_files_sent(). */
struct attest_lookup *attest_files_next(struct attest_files *f);
void attest_files_sent(struct attest_files *f, struct attest_lookup *lk, uint32_t seq);
bool attest_files_pending(const struct attest_files *f);
/* The answer to the request with seq, counted (TNC_ENOTFOUND: not ours). */
int attest_files_answer(struct attest_files *f, uint32_t seq,
    const struct ipc_policy_file_verdicts *v) TNC_MUST_CHECK;

/* The answer with reference digests to the request with seq, compared
 * and counted (TNC_ENOTFOUND: not ours). */
int attest_files_references(struct attest_files *f, uint32_t seq,
    const struct ipc_policy_file_references *r) TNC_MUST_CHECK;

/* The message of a list, for the port. */
struct ipc_policy_files attest_lookup_msg(const struct attest_lookup *lk);

#endif
