/* session.h - the process glue of the session engine: one struct session
 * per TNCCS connection (the engine's state, a timer, its place in the
 * table); every event goes to engine.h and the actions it queues are
 * executed here, failures fed back as events. */
#ifndef TNC_SESSION_H
#define TNC_SESSION_H

#include "tnccs.h"

struct session {
	struct id_table_entry entry; /* first: the table hands back entries; id = Connection ID */
	struct engine_session e;
	uv_timer_t timer;
	uint64_t opened_ms; /* loop time of TNCCS_OPEN, for the duration metric */
	uint32_t policy_seq; /* of the POLICY_SESSION_END whose answer it waits for */
};

/* From tnc-ike */
void session_open(uint32_t id, const struct ipc_tnccs_open *o);
void session_batch(uint32_t id, struct bytes batch);
void session_client_left(uint32_t id, const struct ipc_tnccs_close *c);
/* tnc-ike is gone or restarted: every session ends without a word to it. */
void sessions_drop_all(const char *why);

/* From the IMVs (imvs.c) */
void session_imv_msg(unsigned imv, uint32_t gen, struct ipc_received *rx);
void sessions_imv_lost(unsigned imv, const char *why);
void sessions_imv_back(unsigned imv);

/* From tnc-policy */
void session_policy_recorded(struct ipc_received *rx);
void sessions_policy_back(void);
void sessions_policy_lost(const char *why);

#endif
