/* session.h - one TNCCS connection: its PB-TNC state (RFC 5793 3.2), the
 * IMVs taking part, their recommendations, the PA messages waiting for the
 * next server batch.  Internal to tnc-tnccs (session*.c). */
#ifndef TNC_SESSION_H
#define TNC_SESSION_H

#include "pb_tnc.h"
#include "tnccs.h"

enum pb_state {
	PB_STATE_INIT,
	PB_STATE_SERVER_WORKING,
	PB_STATE_CLIENT_WORKING,
	PB_STATE_DECIDED,
	PB_STATE_END,
};

/* What the session waits for from its IMVs.  PHASE_REVIVE: an IMV that
 * tncd is restarting was lost; the decision waits for it (bounded). */
enum session_phase { PHASE_IDLE, PHASE_BATCH, PHASE_SOLICIT, PHASE_REVIVE };

struct out_pa {
	struct out_pa *next;
	uint8_t flags;
	uint32_t vendor, subtype;
	uint16_t collector, validator;
	size_t len;
	uint8_t data[];
};

struct session_imv {
	bool active;    /* takes part in this connection */
	bool wait_done; /* IMV_BATCH_DONE outstanding */
	bool wait_rec;  /* IMV_RECOMMEND outstanding after IMV_SOLICIT */
	bool has_rec;
	bool lost;      /* died or timed out during this assessment */
	bool rejoined;  /* a new instance, waiting for the retry to start */
	uint8_t rec, eval;
	char reason[200];
};

struct session {
	struct session *next;
	uint32_t id;
	enum pb_state state;
	enum session_phase phase;
	char peer[64], identity[256], transport[40], language[32];
	uint32_t max_batch, max_msg;
	unsigned rounds, retries;
	bool retry_requested;
	bool client_sent_pa; /* the last client batch carried PA messages */
	bool decided;
	bool revive_expired; /* waited for a lost IMV in vain: decide without it */
	struct rec_input final;
	struct session_imv imv[TNCCS_IMVS];
	struct out_pa *out, **out_tail;
	size_t out_bytes;
	uv_timer_t timer;
};

/* session.c */
struct session *session_find(uint32_t id);
void session_set_state(struct session *s, enum pb_state next);
const char *session_state_name(enum pb_state st);
void session_end(struct session *s, int status, const char *reason, bool tell_ike);
void session_start_round(struct session *s);
/* Frees the PA messages waiting for the next server batch. */
void session_drop_queued(struct session *s);

/* session_out.c: server batches */
void session_send_sdata(struct session *s);
void session_send_result(struct session *s);
void session_send_sretry(struct session *s);
/* CRETRY or SRETRY: every IMV starts the handshake over. */
void session_restart_handshake(struct session *s);
/* A fatal PB-Error in a CLOSE batch, then the end of the session. */
void session_fatal(struct session *s, uint16_t code, uint32_t offset, uint8_t bad_version);

/* session_in.c: client batches */
void session_process_batch(struct session *s, struct bytes batch);

#endif
