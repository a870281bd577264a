/* imv_policy.h - the requests every IMV makes of tnc-policy for one
 * connection (imv_policy_request()/imv_policy_send() of imv.h carry them):
 * the workitems of the endpoint's device, a workitem's result, and the seq
 * that tells the answers apart.  The IMV-specific requests (package
 * verdicts, file verdicts, AIK, software state) stay in each IMV's main.c.
 * ctx is the connection (struct imv_conn), as the IMVs' policy ports pass
 * it.
 */
#ifndef TNC_IMV_POLICY_H
#define TNC_IMV_POLICY_H

#include <stdint.h>

#include "ipc_msg.h"

/* A seq for the next request: unique across all connections of the
 * process (never 0), so an answer meant for an earlier assessment of a
 * connection is told apart and ignored. */
uint32_t imv_policy_seq(void);

/* policy-device as a request: the workitems for the endpoint's product
 * ("name version") and device ID; TNC_ETOOLONG when either is longer than
 * IPC_POLICY_VALUE_MAX. */
int imv_policy_ask_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
    TNC_MUST_CHECK;
/* policy-workitem-result: how the IMV judged a workitem. */
int imv_policy_tell_result(void *ctx, uint32_t workitem, enum imv_recommendation rec,
    const char *text) TNC_MUST_CHECK;

#endif
