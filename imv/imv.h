/* imv.h - an IMV process as a set of handlers.
 *
 * The semantics of TCG IF-IMV 1.4 (NotifyConnectionChange, ReceiveMessageLong,
 * BatchEnding, SolicitRecommendation, ProvideRecommendation, RequestHandshake
 * Retry, SendMessageLong with exclusive delivery) carried over IPC frames from
 * tnc-tnccs instead of shared-library calls.  The library keeps one struct
 * imv_conn per TNCCS connection (found by Connection ID in imv_table.h) and
 * logs its lifecycle the way the seeds do ("IMV 1 "OS" created a state for
 * ... Connection ID 1"); when the channel to tnccs closes, every connection
 * state goes with it.  Every IMV takes the reassembly budget keys of
 * imv_budget.h from its section.  The IF-M layer an IMV builds its
 * connection state from: imv_msg.h (PA-TNC message builder), imv_errors.h
 * (PA-TNC Error queue), imv_contract.h and imv_reasm.h (TCG IF-M
 * Segmentation within imv_budget.h).
 */
#ifndef TNC_IMV_H
#define TNC_IMV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "child.h"
#include "ipc_msg.h"

struct imv_conn;

/* One PA-TNC message delivered to the IMV (views valid during the call). */
struct imv_pa {
	uint32_t vendor, subtype;
	uint16_t imc_id; /* the collector that sent it */
	bool excl;
	const uint8_t *msg;
	size_t len;
};

/* The IMV's ID, name and the PA message types it receives are its
 * manifest row's (imv_id, imv_name, subs), never its own choice. */
struct imv_ops {
	/* Role configuration, before the sandbox (cfg valid during the call). */
	int (*pre_sandbox)(const struct ipc_config *cfg);
	/* Per-connection state: created at CREATE, freed at DELETE or when
	 * the channel to tnccs goes away. */
	void *(*conn_new)(struct imv_conn *c);
	void (*conn_free)(void *state);
	void (*receive)(struct imv_conn *c, const struct imv_pa *pa);
	/* The client's batch has been delivered: send what you have now. */
	void (*batch_ending)(struct imv_conn *c);
	/* tnccs needs a recommendation now: call imv_recommend(). */
	void (*solicit)(struct imv_conn *c);
};

int imv_main(int argc, char **argv, enum tnc_role role, const struct imv_ops *ops);

/* SendMessageLong: a PA-TNC message for the next server batch. */
int imv_send(struct imv_conn *c, uint32_t vendor, uint32_t subtype, uint16_t imc_id,
    bool excl, const uint8_t *msg, size_t len) TNC_MUST_CHECK;
/* ProvideRecommendation. */
int imv_recommend(struct imv_conn *c, enum imv_recommendation rec, enum imv_evaluation eval,
    const char *reason) TNC_MUST_CHECK;
/* Tells tnc-policy (when it runs) the connection's product and device ID,
 * each 1..IPC_POLICY_VALUE_MAX bytes; before the recommendation, so that it
 * has them when tnccs ends the assessment. */
int imv_report_device(struct imv_conn *c, const char *product, const char *device)
    TNC_MUST_CHECK;
/* RequestHandshakeRetry. */
int imv_request_retry(struct imv_conn *c) TNC_MUST_CHECK;

uint32_t imv_conn_id(const struct imv_conn *c);
void *imv_conn_state(const struct imv_conn *c);
bool imv_conn_recommended(const struct imv_conn *c);
uint32_t imv_conn_max_msg(const struct imv_conn *c);
const char *imv_conn_identity(const struct imv_conn *c);
const char *imv_conn_peer(const struct imv_conn *c);
const char *imv_conn_language(const struct imv_conn *c);
/* The IMV's manifest row (imv_id, imv_name). */
const struct role_manifest *imv_manifest(void);

#endif
