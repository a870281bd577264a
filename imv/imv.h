/* imv.h - an IMV process as a set of handlers.
 *
 * The semantics of TCG IF-IMV 1.4 (NotifyConnectionChange, ReceiveMessageLong,
 * BatchEnding, SolicitRecommendation, ProvideRecommendation, RequestHandshake
 * Retry, SendMessageLong with exclusive delivery) carried over IPC frames from
 * tnc-tnccs instead of shared-library calls.  The library keeps one struct
 * imv_conn per TNCCS connection (found by Connection ID in id_table.h) and
 * logs its lifecycle the way the seeds do ("IMV 1 "OS" created a state for
 * ... Connection ID 1"); when the channel to tnccs closes, every connection
 * state goes with it.  Every IMV takes the reassembly budget keys of
 * imv_budget.h from its section.  The IF-M layer an IMV builds its
 * connection state from: imv_link.h (the exchange with the IMC: what is
 * owed, the message built into imv_out.h, the recommendation, a malformed
 * message), imv_rx.h (a received message taken apart by the IMV's
 * handlers), imv_msg.h (PA-TNC message builder), imv_errors.h (PA-TNC
 * Error queue), imv_contract.h and imv_reasm.h (TCG IF-M Segmentation
 * within imv_budget.h).  What every IMV shares above it: imv_endpoint.h
 * (product, version and device ID from Operating System messages),
 * imv_workitems.h (tnc-policy's workitems, their results and the IMV's
 * own) and imv_policy.h (the requests to tnc-policy every IMV makes).
 */
#ifndef TNC_IMV_H
#define TNC_IMV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "child.h"
#include "imv_out.h"
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
	/* A handshake retry (SRETRY, CRETRY) of the connection: the IMC reports
	 * everything again, so the IMV starts its assessment over in the same
	 * state, keeping only what outlives a handshake (a SWIMA subscription
	 * the IMC holds).  Required with conn_new. */
	void (*conn_restart)(void *state);
	void (*receive)(struct imv_conn *c, const struct imv_pa *pa);
	/* The client's batch has been delivered: send what you have now, or
	 * call imv_batch_hold() and later imv_batch_done(). */
	void (*batch_ending)(struct imv_conn *c);
	/* tnccs needs a recommendation now: call imv_recommend(). */
	void (*solicit)(struct imv_conn *c);
	/* An answer of tnc-policy to imv_policy_request() (rx valid during the
	 * call; rx->hdr.seq is the request's). */
	void (*policy_reply)(struct imv_conn *c, const struct ipc_received *rx);
	/* The channel to tnc-policy drained after imv_policy_request() was
	 * refused with TNC_EAGAIN (back-pressure): requests may go again. */
	void (*policy_drained)(struct imv_conn *c);
	/* The channel to tnc-policy closed: no request of c will be answered. */
	void (*policy_lost)(struct imv_conn *c);
};

int imv_main(int argc, char **argv, enum tnc_role role, const struct imv_ops *ops);

/* SendMessageLong: a PA-TNC message for the next server batch. */
int imv_send(struct imv_conn *c, uint32_t vendor, uint32_t subtype, uint16_t imc_id,
    bool excl, const uint8_t *msg, size_t len) TNC_MUST_CHECK;
/* ProvideRecommendation. */
int imv_recommend(struct imv_conn *c, enum imv_recommendation rec, enum imv_evaluation eval,
    const char *reason) TNC_MUST_CHECK;
/* From batch_ending: the batch is not done when it returns; tnccs waits
 * (within its imv_timeout_ms) for imv_batch_done(), which sends what the
 * IMV owes it first. */
void imv_batch_hold(struct imv_conn *c);
int imv_batch_done(struct imv_conn *c) TNC_MUST_CHECK;
/* A request for connection c to tnc-policy, answered through
 * ops->policy_reply with the same seq (TNC_ECLOSED: tnc-policy is not
 * there). */
int imv_policy_request(struct imv_conn *c, const struct ipc_msg *m, uint32_t seq)
    TNC_MUST_CHECK;
/* A one-way message for connection c to tnc-policy (a workitem result). */
int imv_policy_send(struct imv_conn *c, const struct ipc_msg *m) TNC_MUST_CHECK;
/* Carries out what a connection state owes tnccs (imv_out.h): its PA
 * message of vendor/subtype, its recommendation, holding or ending the
 * batch; a failure is logged. */
void imv_deliver(struct imv_conn *c, uint32_t vendor, uint32_t subtype,
    const struct imv_out *out);
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
