/* tnccs.h - tnc-tnccs: the TNCCS-2.0 server (RFC 5793).  It owns the PB-TNC
 * state machine of every connection (engine.h, executed by session.c),
 * routes PA messages between ike and the IMV processes, and combines the
 * IMVs' recommendations.  It never sees a network byte: ike hands it whole
 * PB-TNC batches. */
#ifndef TNC_TNCCS_H
#define TNC_TNCCS_H

#include <uv.h>

#include "child.h"
#include "engine.h"
#include "id_table.h"
#include "ike_out.h"

struct tnccs {
	struct child *child;
	uv_loop_t *loop;
	struct engine_env env;                       /* the IMVs: manifest rows of KIND_IMV */
	struct ipc_channel *imv_ch[ENGINE_IMVS_MAX]; /* NULL while an IMV is gone */
	struct id_table sessions;                    /* by Connection ID: struct session */
	struct ike_out ike;
	uint32_t policy_seq;                         /* the last POLICY_SESSION_END awaited */
};

extern struct tnccs tnccs;

/* imvs.c */
/* Whether tncd's space-separated "peers" list names a process. */
bool peers_name(const char *peers, const char *name);
/* The IMV roles of the manifest; expected: those named in tncd's "peers". */
void imvs_init(const char *peers);
/* The index of an IMV role in tnccs.env.imvs, or -1. */
int imvs_index(enum tnc_role role);
void imvs_attached(unsigned imv, struct ipc_channel *ch);
void imvs_detached(unsigned imv);
/* Any message from an IMV process. */
void imvs_msg(unsigned imv, struct ipc_received *rx);
/* Sends to the instance gen of an IMV; TNC_ECLOSED when that is gone. */
int imvs_send(unsigned imv, uint32_t gen, uint32_t session, const struct ipc_msg *m);

#endif
