/* engine.c - a session's life: open (fresh or resumed), the IMV slots, the
 * timer, and the one way it ends (see engine.h). */
#include "engine_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

const char *
imv_label(const struct engine_env *env, unsigned imv, char *buf, size_t size)
{
	const struct role_manifest *m = env->imvs[imv].m;
	snprintf(buf, size, "IMV %u \"%s\"", m->imv_id, m->imv_name);
	return buf;
}

void
slot_join(struct engine_session *s, struct engine_env *env, unsigned imv, enum slot_state state)
{
	struct engine_slot *sl = &s->slot[imv];
	memset(sl, 0, sizeof(*sl));
	sl->state = state;
	sl->gen = env->imvs[imv].gen;
	act_imv_connection(s, imv, IMV_CONN_CREATE);
	act_imv_connection(s, imv, IMV_CONN_HANDSHAKE);
}

void
slot_fail(struct engine_session *s, struct engine_env *env, unsigned imv, const char *why)
{
	struct engine_slot *sl = &s->slot[imv];
	char label[64];
	sl->state = SLOT_LOST;
	sl->wait_done = sl->wait_rec = false;
	sl->has_rec = true;
	sl->rec = IMV_REC_NO_ACCESS;
	sl->eval = IMV_EVAL_ERROR;
	snprintf(sl->reason, sizeof(sl->reason), "%s %s",
	    imv_label(env, imv, label, sizeof(label)), why);
	act_drop_imv(s, imv);
	LOG_WARN(TNC, "Connection ID %u: %s: counting it as 'no access' with evaluation 'error'",
	    s->id, sl->reason);
}

void
out_drop(struct engine_session *s, struct engine_env *env)
{
	while (s->out) {
		struct out_pa *o = s->out;
		s->out = o->next;
		free(o);
	}
	s->out_tail = &s->out;
	env->queued_bytes -= s->out_bytes;
	s->out_bytes = 0;
}

/* RESUMED: the connection outlived a tnc-tnccs; its assessment starts over. */
static void
resume(struct engine_session *s, struct engine_env *env, uint8_t flags)
{
	if (flags & TNCCS_OPEN_CLIENT_WAITS) {
		LOG(TNC, 1, "Connection ID %u resumed after a tnc-tnccs restart: the client "
		    "waits for an answer, sending SRETRY", s->id);
		s->state = PB_STATE_SERVER_WORKING; /* its unanswered batch is gone */
		send_sretry(s, env);
		return;
	}
	LOG(TNC, 1, "Connection ID %u resumed after a tnc-tnccs restart: its next batch "
	    "is answered with SRETRY", s->id);
	s->state = PB_STATE_CLIENT_WORKING; /* CDATA, CRETRY or CLOSE may come */
	s->resume_pending = true;
	act_timer(s, ENGINE_CLIENT_WAIT_MS);
}

int
engine_open(struct engine_session *s, struct engine_env *env, uint32_t id,
    const struct ipc_tnccs_open *o)
{
	memset(s, 0, sizeof(*s));
	s->id = id;
	s->state = PB_STATE_INIT;
	s->out_tail = &s->out;
	s->actions_tail = &s->actions;
	bytes_cstr(o->peer, s->peer, sizeof(s->peer));
	bytes_cstr(o->identity, s->identity, sizeof(s->identity));
	s->id_auth = o->id_auth;
	bytes_cstr(o->transport, s->transport, sizeof(s->transport));
	s->over_eap = o->flags & TNCCS_OPEN_EAP;
	if (o->max_batch < ENGINE_MIN_BATCH || o->max_msg == 0 ||
	    (o->flags & ~TNCCS_OPEN_FLAGS)) {
		LOG_WARN(TNC, "refusing TNCCS Connection ID %u: largest batch %u, largest message "
		    "%u, flags 0x%02x", id, o->max_batch, o->max_msg, o->flags);
		s->max_batch = ENGINE_MIN_BATCH;
		engine_end(s, env, TNC_EINVALID, "unusable connection parameters", true);
		return TNC_EINVALID;
	}
	s->max_batch = o->max_batch < ENGINE_MAX_BATCH ? o->max_batch : ENGINE_MAX_BATCH;
	s->max_msg = o->max_msg < env->cfg.max_msg ? o->max_msg : env->cfg.max_msg;
	LOG(TNC, 1, "assigned TNCCS Connection ID %u to %s over %s%s%s", id, s->peer,
	    s->transport, s->identity[0] ? ", identity " : "", s->identity);
	for (unsigned i = 0; i < env->nimvs; i++) {
		if (env->imvs[i].available) {
			slot_join(s, env, i, SLOT_ACTIVE);
		} else if (env->imvs[i].expected) {
			/* enabled but not (yet) there: fail closed, retried if it comes */
			s->slot[i].gen = env->imvs[i].gen;
			slot_fail(s, env, i, "is not available");
		}
	}
	if (env->record && env->policy_available)
		act_policy_start(s);
	else if (env->record) /* told when it is back; decided only once recorded */
		LOG(TNC, 1, "Connection ID %u: tnc-policy is not there yet", id);
	if (o->flags & TNCCS_OPEN_RESUMED)
		resume(s, env, o->flags);
	else
		act_timer(s, ENGINE_CLIENT_WAIT_MS);
	return 0;
}

void
engine_end(struct engine_session *s, struct engine_env *env, int status, const char *reason,
    bool tell_ike)
{
	if (s->state == PB_STATE_END)
		return; /* ended once already: events after END change nothing */
	LOG(TNC, 2, "PB-TNC state transition from '%s' to 'End'", pb_state_name(s->state));
	s->state = PB_STATE_END;
	s->phase = PHASE_IDLE;
	for (unsigned i = 0; i < env->nimvs; i++) {
		if (s->slot[i].state == SLOT_ACTIVE || s->slot[i].state == SLOT_REJOINED)
			act_imv_connection(s, i, IMV_CONN_DELETE);
		s->slot[i].state = SLOT_OUT;
	}
	act_timer_stop(s);
	if (s->policy == POLICY_STARTED) /* ended before a decision: recorded as none */
		act_policy_end(s, IMV_REC_NONE, IMV_EVAL_DONT_KNOW, false);
	if (tell_ike) {
		struct engine_action *a = act_push(s, ACT_IKE_CLOSE);
		a->status = status;
		snprintf(a->reason, sizeof(a->reason), "%s", reason);
	}
	out_drop(s, env);
	LOG(TNC, 1, "removed TNCCS Connection ID %u%s%s", s->id, reason[0] ? ": " : "", reason);
	act_push(s, ACT_END);
}

void
engine_client_left(struct engine_session *s, struct engine_env *env, const char *reason)
{
	if (s->state == PB_STATE_END)
		return;
	if (!s->decided)
		LOG(TNC, 1, "Connection ID %u: the client left before a decision (%s)", s->id, reason);
	engine_end(s, env, 0, reason, false);
}

void
engine_ike_unreachable(struct engine_session *s, struct engine_env *env)
{
	if (s->state == PB_STATE_END)
		return;
	engine_end(s, env, TNC_EAGAIN, "tnc-ike does not take its batches", true);
}

void
engine_ike_gone(struct engine_session *s, struct engine_env *env, const char *why)
{
	if (s->state == PB_STATE_END)
		return;
	engine_end(s, env, TNC_ECLOSED, why, false);
}

void
engine_policy_recorded(struct engine_session *s, struct engine_env *env, int status)
{
	if (s->state == PB_STATE_END || s->phase != PHASE_RECORD)
		return;
	s->phase = PHASE_IDLE;
	act_timer_stop(s);
	if (status == -ENOTCONN) /* the database is away: tnc-policy logged that once */
		LOG(TNC, 1, "Connection ID %u: the policy database is unreachable: closing without"
		    " a decision", s->id);
	else if (status)
		LOG_WARN(TNC, "Connection ID %u: tnc-policy could not record the decision (%s): "
		    "closing without it", s->id, tnc_strerror(status));
	if (status) {
		engine_end(s, env, status, "the decision could not be recorded", true);
		return;
	}
	deliver_result(s, env);
}

void
engine_policy_back(struct engine_session *s, struct engine_env *env)
{
	/* one whose IMVs already work may have reported its device to nobody:
	 * it is retried before its decision (send_result) */
	if (s->state != PB_STATE_END && env->record && s->policy == POLICY_UNTOLD &&
	    !s->handshake_started)
		act_policy_start(s);
}

void
engine_policy_lost(struct engine_session *s, struct engine_env *env, const char *why)
{
	if (s->state == PB_STATE_END || (s->policy != POLICY_STARTED && s->phase != PHASE_RECORD))
		return;
	s->policy = POLICY_UNTOLD; /* nothing more reaches that tnc-policy */
	LOG_WARN(TNC, "Connection ID %u: tnc-policy %s: the session cannot be recorded, closing "
	    "it without a decision", s->id, why);
	engine_end(s, env, TNC_ECLOSED, "the session cannot be recorded", true);
}

void
engine_session_clear(struct engine_session *s, struct engine_env *env)
{
	out_drop(s, env);
	while (s->actions) {
		struct engine_action *a = s->actions;
		s->actions = a->next;
		engine_action_free(a);
	}
	s->actions_tail = &s->actions;
}
