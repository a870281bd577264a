/* tnccs.h - tnc-tnccs: the TNCCS-2.0 server (RFC 5793).  It owns the PB-TNC
 * state machine of every connection, routes PA messages between ike and the
 * IMV processes, and combines the IMVs' recommendations.  It never sees a
 * network byte: ike hands it whole PB-TNC batches.
 */
#ifndef TNC_TNCCS_H
#define TNC_TNCCS_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "child.h"
#include "ipc_msg.h"
#include "recommendation.h"

#define TNCCS_IMVS 3 /* imv-os, imv-swima, imv-attest: index role - ROLE_IMV_OS */

struct imv_peer {
	enum tnc_role role;
	bool expected;           /* enabled in tncd's config */
	struct ipc_channel *ch;  /* NULL while the process is gone */
	bool subscribed;         /* its IMV_SUBSCRIBE arrived */
	uint32_t epoch;          /* bumped at every (re)attach */
	uint16_t id;
	char name[32];
	unsigned nsubs;
	uint32_t vendor[IMV_SUBSCRIBE_MAX], subtype[IMV_SUBSCRIBE_MAX];
};

struct tnccs_config {
	enum rec_policy policy;
	uint32_t max_msg;
	unsigned max_rounds;
	unsigned imv_timeout_ms;
};

struct session;

struct tnccs {
	struct child *child;
	uv_loop_t *loop;
	struct tnccs_config cfg;
	struct imv_peer imvs[TNCCS_IMVS];
	struct session *sessions;
	unsigned nsessions;
};

extern struct tnccs tnccs;

/* imvs.c */
void imvs_init(void);
void imvs_attached(enum tnc_role role, struct ipc_channel *ch);
void imvs_subscribe(enum tnc_role role, const struct ipc_imv_subscribe *s);
void imvs_detached(enum tnc_role role);
/* Whether the IMV wants PA messages of (vendor, subtype). */
bool imvs_wants(const struct imv_peer *imv, uint32_t vendor, uint32_t subtype);
struct imv_peer *imvs_by_role(enum tnc_role role);
/* Sends to an IMV; failures are logged here and returned. */
int imvs_send(struct imv_peer *imv, uint32_t session, const struct ipc_msg *m);

/* session.c */
/* Sends to tnc-ike for a connection; failures are logged here. */
void tnccs_send_ike(uint32_t session, const struct ipc_msg *m);
void session_open(uint32_t id, const struct ipc_tnccs_open *o);
void session_batch(uint32_t id, struct bytes batch);
void session_peer_closed(uint32_t id, const struct ipc_tnccs_close *c);
void session_imv_msg(struct imv_peer *imv, uint32_t id, struct ipc_received *rx);
void session_imv_lost(struct imv_peer *imv);
void session_imv_back(struct imv_peer *imv);
void session_drop_all(const char *why);

#endif
