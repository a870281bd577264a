/* swima_items.h - the SWIMA IMV's workitems and their results.
 *
 * SWIDI: the endpoint's Software Identifiers; SWIDT: also the SWID tags of
 * those the database has no tag for.  The argument is tnc-policy's rules
 * (policy_software.h: "forbid:PACKAGE require:PACKAGE"), judged there; the
 * word "subscribe" in it asks the IMC for a subscription (RFC 8412 3.7):
 * the endpoint's later events arrive without a request.  Pure: no I/O, no
 * logging.
 */
#ifndef TNC_SWIMA_ITEMS_H
#define TNC_SWIMA_ITEMS_H

#include <stdbool.h>

#include "imv_workitems.h"
#include "ipc_msg.h"

#define SWIMA_RESULT_MAX 512
#define SWIMA_SUBSCRIBE_WORD "subscribe"

/* The IMV's workitem types (struct imv_workitem's type), as
 * swima_item_types names them; others are not the IMV's and skipped. */
enum swima_item_type { SWIMA_ITEM_SWIDT, SWIMA_ITEM_SWIDI };
extern const struct imv_workitem_types swima_item_types;

/* tnc-policy's verdict on a workitem. */
struct swima_answer {
	uint32_t seq; /* of its request */
	bool answered;
	struct ipc_policy_sw_verdict verdict; /* detail views detail below */
	char detail[IPC_SW_DETAIL_MAX + 1];
};

struct swima_items {
	struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX];
	struct swima_answer answer[IPC_POLICY_WORKITEMS_MAX]; /* item[i]'s */
	unsigned n;
	bool subscribe; /* a workitem's argument asks for a subscription */
};

/* Whether the argument of a SWIDT or SWIDI workitem of m asks for a
 * subscription. */
bool swima_items_subscription_asked(const struct ipc_policy_workitems *m);
bool swima_items_want_tags(const struct swima_items *items);

/* What the exchange brought, for the results' text. */
struct swima_counts {
	bool inventory; /* a whole inventory (else events) */
	unsigned records, tags;
};

struct swima_result {
	enum imv_recommendation rec;
	bool failed, noresult;
	char text[SWIMA_RESULT_MAX];
};

/* The result of workitem it from tnc-policy's verdict a (noresult: why
 * none came). */
void swima_item_result(const struct imv_workitem *it, const struct swima_answer *a,
    const struct swima_counts *c, const char *noresult, struct swima_result *r);

#endif
