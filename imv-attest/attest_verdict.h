/* attest_verdict.h - the Attestation IMV's workitems and its judgement of
 * them: TPMRA (argument letters B BIOS, I IMA, T Trusted Boot, U: an IMA
 * file unknown to the database fails) over the verified evidence; the
 * file and directory types (FREFM DREFM: any file that differs from its
 * reference fails, one without a reference gives no result; FMEAS DMEAS
 * and FMETA DMETA: the measurements or metadata recorded in the result,
 * which fails only when the IMC refused the request) over their answers
 * (attest_filemeas.h); the port types get no result yet.  Pure: no I/O,
 * no logging.
 */
#ifndef TNC_ATTEST_VERDICT_H
#define TNC_ATTEST_VERDICT_H

#include <stdbool.h>

#include "attest_evidence.h"
#include "attest_filemeas.h"
#include "attest_files.h"
#include "imv_workitems.h"
#include "ipc_msg.h"

#define ATTEST_RESULT_MAX 512

/* The workitem type the IMV judges by its evidence (struct imv_workitem's
 * type), as attest_item_types names it; the file types are
 * attest_filemeas.h's, the rest are not judged. */
enum attest_item_type { ATTEST_ITEM_TPMRA, ATTEST_ITEM_OTHER };
extern const struct imv_workitem_types attest_item_types;

#define ATTEST_ARGUMENT_MAX 63 /* letters; longer arguments are cut */

struct attest_items {
	struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX];
	char argument[IPC_POLICY_WORKITEMS_MAX][ATTEST_ARGUMENT_MAX + 1]; /* item[i]'s */
	unsigned n;
};

/* The arguments of m's workitems, read into items with the workitems
 * (imv_workitems_read() with attest_item_types keeps them all, in order). */
void attest_items_arguments(const struct ipc_policy_workitems *m, struct attest_items *items);
/* The first TPMRA workitem, or NULL. */
const struct imv_workitem *attest_items_tpmra(const struct attest_items *items);
/* The argument of workitem it of items. */
const char *attest_items_argument(const struct attest_items *items, const struct imv_workitem *it);
/* Whether a TPMRA argument asks for letter c (no argument: B and I). */
bool attest_item_wants(const char *argument, char c);

/* What the TPMRA workitem found, from the state of the exchange. */
struct attest_findings {
	bool complete;       /* Simple Evidence Final was verified (or refused) */
	const char *refusal; /* the AIK is not trusted: why; else NULL */
	const char *noresult; /* why nothing could be judged; else NULL */
	const struct attest_evidence *ev;
	const struct attest_files *files;
	const struct attest_filemeas *filemeas; /* the file workitems' answers */
};

struct attest_result {
	enum imv_recommendation rec;
	bool failed, noresult;
	char text[ATTEST_RESULT_MAX];
};

/* The result of one workitem with its argument. */
void attest_verdict_item(const struct imv_workitem *it, const char *argument,
    const struct attest_findings *f, struct attest_result *r);

#endif
