/* engine.h - the PB-TNC session engine of tnc-tnccs, one TNCCS connection
 * at a time, as a pure module: no libuv, no IPC.  Events go in (the
 * connection opened, a client batch, a message or the loss or return of an
 * IMV instance, the timer fired, tnc-ike gone); actions come out of the
 * session's queue in order (a batch or result or close for tnc-ike, a
 * message for IMV k, start or stop the timer, the session is over).  The
 * process glue (session.c) executes them and feeds failures back as events.
 *
 * Bookkeeping that cannot fail open:
 *  - every IMV slot of a connection is OUT (the IMV is not enabled),
 *    ACTIVE (instance `gen` takes part in the current handshake), LOST
 *    (counts as "no access", evaluation "error"), or REJOINED (a new
 *    instance waits for the handshake retry and has no say yet);
 *  - a message from an IMV counts only when it comes from the instance
 *    (generation) of an ACTIVE slot;
 *  - the decision is taken only when no REJOINED slot is left (one is
 *    retried with SRETRY, or counts as LOST once the retries are used up),
 *    and a slot without a recommendation goes in as "no recommendation",
 *    never as allow;
 *  - a session ends only in engine_end(), which logs why;
 *  - with tnc-policy enabled (env->record), the decision reaches the client only
 *    after tnc-policy has recorded the whole session (PHASE_RECORD); a
 *    session whose recording fails or whose tnc-policy goes away ends
 *    without a decision.
 */
#ifndef TNC_ENGINE_H
#define TNC_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "manifest.h"
#include "pb_pdp.h"
#include "pb_states.h"
#include "recommendation.h"

#define ENGINE_IMVS_MAX ROLE_COUNT
#define ENGINE_RETRIES_MAX 3          /* handshake retries an assessment may take */
#define ENGINE_MIN_BATCH 1024         /* smallest max_batch a connection may announce */
#define ENGINE_MAX_BATCH 1040000      /* largest batch, below the 1 MiB IPC frame cap */
/* PA messages of all connections waiting for a server batch (per
 * connection: 4 batches' worth). */
#define ENGINE_QUEUED_MAX (256u * 1024 * 1024)
/* Waiting for the client's next batch: longer than tnc-ike's largest
 * idle_timeout (3600 s), which ends a live connection first; this only
 * collects a connection whose end never reached tnccs. */
#define ENGINE_CLIENT_WAIT_MS (3660u * 1000)

struct engine_config {
	enum rec_policy policy;
	/* PB-PDP-Referral for connections over EAP ([tnccs] pdp_server): the
	 * PDP Identifier (pb_pdp.h) of type pdp_type; pdp_len 0: none sent */
	uint32_t pdp_type;
	size_t pdp_len;
	uint8_t pdp_id[PB_PDP_ID_MAX];
	uint32_t max_msg;        /* largest PA-TNC message an IMV may send */
	unsigned max_rounds;     /* client batches per assessment */
	unsigned imv_timeout_ms; /* for a batch, a recommendation, a lost IMV, the record */
};

/* One IMV role of the manifest as tnccs sees it now. */
struct engine_imv {
	const struct role_manifest *m; /* IMV ID, name, subscriptions */
	bool expected;  /* enabled in tncd's config: a connection waits for it */
	bool available; /* channel up and subscription matching the manifest */
	uint32_t gen;   /* instance: bumped at every (re)attach */
};

/* What every session shares: the config, the IMVs, the queued bytes. */
struct engine_env {
	struct engine_config cfg;
	unsigned nimvs;
	struct engine_imv imvs[ENGINE_IMVS_MAX];
	size_t queued_bytes;
	bool record;             /* tnc-policy is enabled: every session is recorded */
	bool policy_available;   /* the channel to tnc-policy is up */
};

enum slot_state { SLOT_OUT, SLOT_ACTIVE, SLOT_LOST, SLOT_REJOINED };

struct engine_slot {
	enum slot_state state;
	uint32_t gen;   /* the instance that joined */
	bool wait_done; /* IMV_BATCH_DONE outstanding */
	bool wait_rec;  /* IMV_RECOMMEND outstanding after IMV_SOLICIT */
	bool has_rec;
	uint8_t rec, eval;
	char reason[200];
};

/* What the session waits for while the server works. */
enum engine_phase {
	PHASE_IDLE,    /* the client (timer: ENGINE_CLIENT_WAIT_MS) */
	PHASE_BATCH,   /* IMV_BATCH_DONE from every ACTIVE slot */
	PHASE_SOLICIT, /* IMV_RECOMMEND from every solicited slot */
	PHASE_REVIVE,  /* a lost IMV tncd is restarting (bounded) */
	PHASE_RECORD,  /* tnc-policy recording the decision before the client learns it */
};

/* What tnc-policy was told of the current assessment. */
enum policy_step {
	POLICY_UNTOLD,  /* nothing yet (tnc-policy not there when it began) */
	POLICY_STARTED, /* its start */
	POLICY_ENDED,   /* its end */
};

enum action_kind {
	ACT_IKE_BATCH,      /* batch: a PB-TNC batch for the client (owned) */
	ACT_IKE_RESULT,     /* rec, eval: the final decision */
	ACT_IKE_CLOSE,      /* status, reason: close the connection */
	ACT_IMV_CONNECTION, /* imv, conn_state (CREATE: details from the session) */
	ACT_IMV_RECEIVE,    /* imv, pa (its msg is a view into the client batch) */
	ACT_IMV_BATCH_END,  /* imv */
	ACT_IMV_SOLICIT,    /* imv */
	ACT_POLICY_START,   /* tnc-policy: an assessment began (details from the session) */
	ACT_POLICY_END,     /* rec, eval, await: tnc-policy: it is over (await: answer wanted) */
	ACT_TIMER_START,    /* timeout_ms */
	ACT_TIMER_STOP,
	ACT_END,            /* the session is over: the glue frees it */
};

struct engine_action {
	struct engine_action *next;
	enum action_kind kind;
	unsigned imv;      /* index into engine_env.imvs */
	uint32_t gen;      /* the IMV instance it is meant for */
	uint8_t conn_state;
	struct ipc_pa_msg pa;
	uint8_t rec, eval;
	int32_t status;
	bool await;
	unsigned timeout_ms;
	struct bytes batch; /* owned by the action */
	char reason[128];
};

/* A PA message of an IMV waiting for the next server batch. */
struct out_pa {
	struct out_pa *next;
	uint8_t flags;
	uint32_t vendor, subtype;
	uint16_t collector, validator;
	size_t len;
	uint8_t data[];
};

struct engine_session {
	uint32_t id;
	enum pb_state state;
	enum engine_phase phase;
	char peer[64], identity[256], transport[40], language[32];
	uint8_t id_auth; /* enum ipc_id_auth of identity */
	uint32_t max_batch, max_msg;
	unsigned rounds, retries;
	bool retry_requested;   /* an IMV asked for a handshake retry */
	bool resume_pending;    /* resumed: the next client batch gets SRETRY */
	bool handshake_started; /* the IMVs saw a client batch of this handshake */
	bool over_eap;          /* TNCCS_OPEN_EAP */
	bool referred;          /* the PB-PDP-Referral went out */
	bool client_sent_pa;    /* the last client batch carried PA messages */
	bool decided;
	bool revive_expired;    /* waited for a lost IMV in vain */
	enum policy_step policy; /* what tnc-policy was told of this assessment */
	struct rec_input final;
	struct engine_slot slot[ENGINE_IMVS_MAX];
	struct out_pa *out, **out_tail;
	size_t out_bytes;
	struct engine_action *actions, **actions_tail;
};

/* --- events --- */

/* A new connection (its ID is id), with o's flags (TNCCS_OPEN_*).  Returns
 * TNC_EINVALID, queuing only a CLOSE for tnc-ike and END, when o's limits
 * are unusable. */
int engine_open(struct engine_session *s, struct engine_env *env, uint32_t id,
    const struct ipc_tnccs_open *o);
/* A whole PB-TNC batch from the client; IMV_RECEIVE actions view into it,
 * so it must outlive them. */
void engine_client_batch(struct engine_session *s, struct engine_env *env, struct bytes batch);
/* tnc-ike says the client is gone. */
void engine_client_left(struct engine_session *s, struct engine_env *env, const char *reason);
/* A message (IMV_SEND, IMV_BATCH_DONE, IMV_RECOMMEND, IMV_RETRY) from
 * instance gen of IMV imv. */
void engine_imv_msg(struct engine_session *s, struct engine_env *env, unsigned imv,
    uint32_t gen, const struct ipc_msg *m);
/* IMV imv failed this connection: its process is gone, or a message to it
 * could not be sent (its queued actions are dropped). */
void engine_imv_lost(struct engine_session *s, struct engine_env *env, unsigned imv,
    const char *why);
/* A new instance of IMV imv is available (env->imvs[imv] already says so). */
void engine_imv_back(struct engine_session *s, struct engine_env *env, unsigned imv);
void engine_timer(struct engine_session *s, struct engine_env *env);
/* A batch for the client could not even be queued for tnc-ike. */
void engine_ike_unreachable(struct engine_session *s, struct engine_env *env);
/* Ends the session without telling tnc-ike (it is gone, or restarted). */
void engine_ike_gone(struct engine_session *s, struct engine_env *env, const char *why);

/* tnc-policy answered the end of the assessment (status 0: recorded). */
void engine_policy_recorded(struct engine_session *s, struct engine_env *env, int status);
/* tnc-policy is there (again): an assessment it was not told of yet is. */
void engine_policy_back(struct engine_session *s, struct engine_env *env);
/* tnc-policy is gone, or a message to it could not be sent. */
void engine_policy_lost(struct engine_session *s, struct engine_env *env, const char *why);

/* --- actions --- */

/* The oldest queued action (the caller frees it), or NULL. */
struct engine_action *engine_next_action(struct engine_session *s);
void engine_action_free(struct engine_action *a);
/* Frees what a session holds (after ACT_END, or to discard it). */
void engine_session_clear(struct engine_session *s, struct engine_env *env);

#endif
