/* engine_int.h - what the engine's files share (engine*.c only). */
#ifndef TNC_ENGINE_INT_H
#define TNC_ENGINE_INT_H

#include "engine.h"
#include "pb_tnc.h"

/* engine_actions.c: the session's out-queue */
struct engine_action *act_push(struct engine_session *s, enum action_kind kind);
/* An action for the instance of IMV imv that holds the slot. */
struct engine_action *act_imv(struct engine_session *s, unsigned imv, enum action_kind kind);
void act_imv_connection(struct engine_session *s, unsigned imv, uint8_t conn_state);
void act_timer(struct engine_session *s, unsigned timeout_ms);
void act_timer_stop(struct engine_session *s);
/* tnc-policy: the start of an assessment; its end (await: the answer is waited for). */
void act_policy_start(struct engine_session *s);
void act_policy_end(struct engine_session *s, uint8_t rec, uint8_t eval, bool await);
/* Drops the queued actions meant for IMV imv. */
void act_drop_imv(struct engine_session *s, unsigned imv);

/* engine.c */
/* The one way a session ends: DELETE to its IMVs, CLOSE to tnc-ike when
 * tell_ike, the log line, ACT_END. */
void engine_end(struct engine_session *s, struct engine_env *env, int status,
    const char *reason, bool tell_ike);
/* "IMV 1 \"OS\"" */
const char *imv_label(const struct engine_env *env, unsigned imv, char *buf, size_t size);
/* CREATE and HANDSHAKE to the available instance; the slot takes its gen. */
void slot_join(struct engine_session *s, struct engine_env *env, unsigned imv,
    enum slot_state state);
/* Fail closed: the slot counts as "no access", evaluation "error". */
void slot_fail(struct engine_session *s, struct engine_env *env, unsigned imv, const char *why);
/* Frees the PA messages waiting for the next server batch. */
void out_drop(struct engine_session *s, struct engine_env *env);

/* engine_round.c */
/* Every ACTIVE IMV gets IMV_BATCH_END; the answer follows when all are done. */
void round_start(struct engine_session *s, struct engine_env *env);

/* engine_server.c: the server's batches */
void send_sdata(struct engine_session *s, struct engine_env *env);
/* Decides; with env->cfg.record the decision waits in PHASE_RECORD. */
void send_result(struct engine_session *s, struct engine_env *env);
/* The RESULT batch of the decision taken. */
void deliver_result(struct engine_session *s, struct engine_env *env);
void send_sretry(struct engine_session *s, struct engine_env *env);
/* A CLOSE batch with a fatal PB-Error, then the end of the session. */
void send_fatal(struct engine_session *s, struct engine_env *env, uint16_t code,
    uint32_t offset, uint8_t bad_version);
/* CRETRY or SRETRY: every ACTIVE IMV starts the handshake over. */
void restart_handshake(struct engine_session *s, struct engine_env *env);
/* The session's state after a client batch of type (RFC 5793 3.2). */
bool client_transition(struct engine_session *s, uint8_t type);

#endif
