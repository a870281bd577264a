/* engine_round.c - the rounds in which the IMVs see a client batch and
 * answer, and the events of IMV instances (see engine.h).
 *
 * A round: every ACTIVE IMV gets IMV_BATCH_END; once each has answered
 * IMV_BATCH_DONE (or failed: imv_timeout_ms), the server answers: it waits
 * (bounded) for a lost IMV tncd is restarting; SRETRY when an IMV asked for
 * a retry or a new instance joined (REJOINED) and retries are left; RESULT
 * when every slot has a say; SDATA with the IMVs' messages, or an empty one
 * while the client still sends evidence; else it solicits the missing
 * recommendations, and the answers close the round the same way.
 */
#include "engine_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tnccs_metrics.h"

static void round_complete(struct engine_session *s, struct engine_env *env);

static bool
waiting(const struct engine_session *s, const struct engine_env *env)
{
	for (unsigned i = 0; i < env->nimvs; i++)
		if (s->phase == PHASE_BATCH ? s->slot[i].wait_done : s->slot[i].wait_rec)
			return true;
	return false;
}

/* After an IMV answered or failed: close the round once nobody is awaited. */
static void
progress(struct engine_session *s, struct engine_env *env)
{
	if ((s->phase == PHASE_BATCH || s->phase == PHASE_SOLICIT) && !waiting(s, env))
		round_complete(s, env);
}

void
round_start(struct engine_session *s, struct engine_env *env)
{
	s->phase = PHASE_BATCH;
	s->handshake_started = true;
	for (unsigned i = 0; i < env->nimvs; i++) {
		if (s->slot[i].state != SLOT_ACTIVE)
			continue;
		act_imv(s, i, ACT_IMV_BATCH_END);
		s->slot[i].wait_done = true;
	}
	act_timer(s, env->cfg.imv_timeout_ms);
	progress(s, env);
}

/* A lost IMV that tncd is bringing back is worth waiting for (bounded). */
static bool
awaits_lost_imv(const struct engine_session *s, const struct engine_env *env)
{
	if (s->revive_expired || s->retries >= ENGINE_RETRIES_MAX)
		return false;
	for (unsigned i = 0; i < env->nimvs; i++)
		if (s->slot[i].state == SLOT_LOST && env->imvs[i].expected && !env->imvs[i].available)
			return true;
	return false;
}

static bool
has_rejoined(const struct engine_session *s, const struct engine_env *env)
{
	for (unsigned i = 0; i < env->nimvs; i++)
		if (s->slot[i].state == SLOT_REJOINED)
			return true;
	return false;
}

/* Every slot has its say: ACTIVE with a recommendation, or LOST. */
static bool
all_recommended(const struct engine_session *s, const struct engine_env *env)
{
	for (unsigned i = 0; i < env->nimvs; i++) {
		const struct engine_slot *sl = &s->slot[i];
		if (sl->state == SLOT_REJOINED || (sl->state == SLOT_ACTIVE && !sl->has_rec))
			return false;
	}
	return true;
}

/* No retry is left for a new instance: it had no part in this handshake. */
static void
settle_rejoined(struct engine_session *s, struct engine_env *env)
{
	for (unsigned i = 0; i < env->nimvs; i++)
		if (s->slot[i].state == SLOT_REJOINED)
			slot_fail(s, env, i, "came back too late to be retried");
}

static void
solicit(struct engine_session *s, struct engine_env *env)
{
	s->phase = PHASE_SOLICIT;
	for (unsigned i = 0; i < env->nimvs; i++) {
		struct engine_slot *sl = &s->slot[i];
		if (sl->state != SLOT_ACTIVE || sl->has_rec)
			continue;
		act_imv(s, i, ACT_IMV_SOLICIT);
		sl->wait_rec = true;
	}
	act_timer(s, env->cfg.imv_timeout_ms);
}

/* The IMVs answered the round (or the solicitation): the server's batch. */
static void
round_complete(struct engine_session *s, struct engine_env *env)
{
	act_timer_stop(s);
	bool solicited = s->phase == PHASE_SOLICIT;
	s->phase = PHASE_IDLE;
	if (awaits_lost_imv(s, env)) {
		LOG(TNC, 1, "Connection ID %u: waiting up to %u ms for a lost IMV to come back",
		    s->id, env->cfg.imv_timeout_ms);
		s->phase = PHASE_REVIVE;
		act_timer(s, env->cfg.imv_timeout_ms);
		return;
	}
	if ((s->retry_requested || has_rejoined(s, env)) && s->retries < ENGINE_RETRIES_MAX) {
		send_sretry(s, env);
		return;
	}
	settle_rejoined(s, env);
	if (all_recommended(s, env)) {
		send_result(s, env);
	} else if (s->out) {
		send_sdata(s, env);
	} else if (s->client_sent_pa && !solicited) {
		LOG(TNC, 2, "no recommendation available yet, sending empty PB-TNC SDATA batch");
		send_sdata(s, env);
	} else {
		solicit(s, env);
	}
}

static bool
takes(const struct engine_session *s, unsigned imv, uint32_t gen, const char **why)
{
	const struct engine_slot *sl = &s->slot[imv];
	*why = s->state == PB_STATE_END ? "the connection is over" :
	    sl->state == SLOT_OUT ? "it takes no part in this connection" :
	    sl->state == SLOT_LOST ? "it failed this connection" :
	    sl->gen != gen ? "it comes from an earlier instance" :
	    sl->state == SLOT_REJOINED ? "it waits for the handshake retry" : NULL;
	return *why == NULL;
}

static void
take_pa(struct engine_session *s, struct engine_env *env, unsigned imv, const struct ipc_pa_msg *pa)
{
	size_t len = pa->msg.len;
	if (len > s->max_msg || s->out_bytes + len > 4ull * s->max_batch ||
	    env->queued_bytes + len > ENGINE_QUEUED_MAX) {
		slot_fail(s, env, imv, "sent more than this connection can carry");
		progress(s, env);
		return;
	}
	struct out_pa *o = malloc(sizeof(*o) + len);
	if (!o)
		abort();
	/* the sender is the manifest's IMV ID, whatever the IMV wrote */
	*o = (struct out_pa){NULL, pa->flags & PA_FLAG_EXCL, pa->vendor, pa->subtype, pa->imc_id,
	    env->imvs[imv].m->imv_id, len};
	memcpy(o->data, pa->msg.ptr, len);
	*s->out_tail = o;
	s->out_tail = &o->next;
	s->out_bytes += len;
	env->queued_bytes += len;
}

static void
take_recommendation(struct engine_session *s, struct engine_env *env, unsigned imv,
    const struct ipc_imv_recommend *r)
{
	struct engine_slot *sl = &s->slot[imv];
	if (s->decided) {
		LOG(TNC, 2, "Connection ID %u: a recommendation after the decision is ignored", s->id);
		return;
	}
	sl->has_rec = true;
	sl->wait_rec = false;
	sl->rec = r->recommendation;
	sl->eval = r->evaluation;
	bytes_cstr(r->reason, sl->reason, sizeof(sl->reason));
	LOG(TNC, 1, "IMV %u provides recommendation '%s' and evaluation '%s'%s%s%s",
	    env->imvs[imv].m->imv_id, imv_recommendation_name(sl->rec),
	    imv_evaluation_name(sl->eval), sl->reason[0] ? " (" : "", sl->reason,
	    sl->reason[0] ? ")" : "");
	tnccs_metrics_imv_recommendation(env->imvs[imv].m->imv_name, sl->rec);
	progress(s, env);
}

void
engine_imv_msg(struct engine_session *s, struct engine_env *env, unsigned imv, uint32_t gen,
    const struct ipc_msg *m)
{
	const char *why;
	char label[64];
	if (!takes(s, imv, gen, &why)) {
		LOG(TNC, 2, "Connection ID %u: ignoring '%s' of %s: %s", s->id, ipc_type_name(m->type),
		    imv_label(env, imv, label, sizeof(label)), why);
		return;
	}
	switch (m->type) {
	case IPC_IMV_SEND:
		take_pa(s, env, imv, &m->u.pa_msg);
		return;
	case IPC_IMV_RECOMMEND:
		take_recommendation(s, env, imv, &m->u.imv_recommend);
		return;
	case IPC_IMV_RETRY:
		LOG(TNC, 1, "IMV %u requests a handshake retry for Connection ID %u",
		    env->imvs[imv].m->imv_id, s->id);
		s->retry_requested = true;
		return;
	case IPC_IMV_BATCH_DONE:
		s->slot[imv].wait_done = false;
		progress(s, env);
		return;
	default:
		LOG(TNC, 1, "Connection ID %u: %s sent '%s', which tnccs does not take", s->id,
		    imv_label(env, imv, label, sizeof(label)), ipc_type_name(m->type));
	}
}

void
engine_imv_lost(struct engine_session *s, struct engine_env *env, unsigned imv, const char *why)
{
	enum slot_state st = s->slot[imv].state;
	if (s->state == PB_STATE_END || (st != SLOT_ACTIVE && st != SLOT_REJOINED))
		return;
	slot_fail(s, env, imv, why);
	progress(s, env);
}

void
engine_imv_back(struct engine_session *s, struct engine_env *env, unsigned imv)
{
	char label[64];
	if (s->state == PB_STATE_END || s->slot[imv].state != SLOT_LOST || s->decided ||
	    !env->imvs[imv].available)
		return;
	imv_label(env, imv, label, sizeof(label));
	if (!s->handshake_started) {
		/* nothing of this handshake reached the IMVs yet: it joins in time */
		LOG(TNC, 1, "%s is back: it joins Connection ID %u", label, s->id);
		slot_join(s, env, imv, SLOT_ACTIVE);
		return;
	}
	if (s->retries >= ENGINE_RETRIES_MAX)
		return;
	LOG(TNC, 1, "%s is back: Connection ID %u will be retried", label, s->id);
	slot_join(s, env, imv, SLOT_REJOINED);
	if (s->phase == PHASE_REVIVE && !awaits_lost_imv(s, env))
		round_complete(s, env);
}

void
engine_timer(struct engine_session *s, struct engine_env *env)
{
	char label[64];
	switch (s->phase) {
	case PHASE_IDLE:
		if (s->state == PB_STATE_END)
			return;
		LOG_WARN(TNC, "Connection ID %u: no batch from the client for %u s", s->id,
		    ENGINE_CLIENT_WAIT_MS / 1000);
		engine_end(s, env, TNC_ETIMEOUT, "the client went silent", true);
		return;
	case PHASE_REVIVE:
		LOG_WARN(TNC, "Connection ID %u: the lost IMV did not come back in time", s->id);
		s->revive_expired = true;
		round_complete(s, env);
		return;
	case PHASE_RECORD:
		LOG_WARN(TNC, "Connection ID %u: tnc-policy did not record the decision within %u ms",
		    s->id, env->cfg.imv_timeout_ms);
		engine_policy_recorded(s, env, TNC_ETIMEOUT);
		return;
	case PHASE_BATCH:
	case PHASE_SOLICIT:
		for (unsigned i = 0; i < env->nimvs; i++)
			if (s->slot[i].wait_done || s->slot[i].wait_rec) {
				LOG(TNC, 2, "Connection ID %u: %s did not answer within %u ms", s->id,
				    imv_label(env, i, label, sizeof(label)), env->cfg.imv_timeout_ms);
				slot_fail(s, env, i, "did not answer in time");
			}
		progress(s, env);
		return;
	}
}
