/* attest_verdict.h - the Attestation IMV's workitems and its judgement of
 * them: TPMRA (argument letters B BIOS, I IMA, T Trusted Boot, U: an IMA
 * file unknown to the database fails) over the verified evidence; the
 * file, directory and metadata types of IMV 3 (FREFM FMEAS FMETA DREFM
 * DMEAS DMETA) and the port types get no result yet.  Pure: no I/O, no
 * logging.
 */
#ifndef TNC_ATTEST_VERDICT_H
#define TNC_ATTEST_VERDICT_H

#include <stdbool.h>

#include "attest_evidence.h"
#include "attest_files.h"
#include "ipc_msg.h"

#define ATTEST_RESULT_MAX 512

enum attest_item_type { ATTEST_ITEM_TPMRA, ATTEST_ITEM_OTHER };

struct attest_item {
	uint32_t id;
	enum attest_item_type type;
	char type_name[IPC_POLICY_TYPE_MAX + 1];
	char argument[64]; /* letters; longer arguments are cut */
	enum imv_recommendation rec_fail, rec_noresult;
};

struct attest_items {
	struct attest_item item[IPC_POLICY_WORKITEMS_MAX];
	unsigned n;
};

void attest_items_from_msg(const struct ipc_policy_workitems *m, struct attest_items *items);
/* The first TPMRA workitem, or NULL. */
const struct attest_item *attest_items_tpmra(const struct attest_items *items);
/* Whether the TPMRA argument asks for letter c (no argument: B and I). */
bool attest_item_wants(const struct attest_item *it, char c);

/* What the TPMRA workitem found, from the state of the exchange. */
struct attest_findings {
	bool complete;       /* Simple Evidence Final was verified (or refused) */
	const char *refusal; /* the AIK is not trusted: why; else NULL */
	const char *noresult; /* why nothing could be judged; else NULL */
	const struct attest_evidence *ev;
	const struct attest_files *files;
};

struct attest_result {
	enum imv_recommendation rec;
	bool failed, noresult;
	char text[ATTEST_RESULT_MAX];
};

/* The result of one workitem. */
void attest_verdict_item(const struct attest_item *it, const struct attest_findings *f,
    struct attest_result *r);

#endif
