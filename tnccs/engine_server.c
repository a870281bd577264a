/* engine_server.c - the server's PB-TNC batches (RFC 5793 3.2, 4): SDATA
 * with the IMVs' PA messages, RESULT with the final recommendation, SRETRY,
 * and a CLOSE carrying a fatal PB-Error.  Every batch moves the state
 * through the table of pb_states.c. */
#include "engine_int.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tnccs_metrics.h"

static void
set_state(struct engine_session *s, enum pb_state next)
{
	if (s->state != next)
		LOG(TNC, 2, "PB-TNC state transition from '%s' to '%s'", pb_state_name(s->state),
		    pb_state_name(next));
	s->state = next;
}

bool
client_transition(struct engine_session *s, uint8_t type)
{
	enum pb_state next = pb_state_after(s->state, type, true);
	if (next == PB_STATE_INVALID)
		return false;
	set_state(s, next);
	return true;
}

/* Finishes b and queues it for tnc-ike; false (and the session ended) when
 * it cannot be built or the state does not allow it. */
static bool
finish_and_queue(struct engine_session *s, struct engine_env *env, struct pb_builder *b,
    uint8_t type)
{
	struct bytes out;
	enum pb_state next = pb_state_after(s->state, type, false);
	int err = next == PB_STATE_INVALID ? TNC_ESTATE : pb_builder_finish(b, &out);
	if (err) {
		LOG_ERR(TNC, "cannot send a PB-TNC %s batch for Connection ID %u in state '%s': %s",
		    pb_batch_type_name(type), s->id, pb_state_name(s->state), tnc_strerror(err));
		pb_builder_clear(b);
		if (type != PB_BATCH_CLOSE)
			engine_end(s, env, TNC_EINVALID, "cannot build a batch", true);
		return false;
	}
	LOG(TNC, 1, "sending PB-TNC %s batch (%zu bytes) for Connection ID %u",
	    pb_batch_type_name(type), out.len, s->id);
	LOG_HEX(TNC, 4, out.ptr, out.len);
	struct engine_action *a = act_push(s, ACT_IKE_BATCH);
	uint8_t *copy = malloc(out.len);
	if (!copy)
		abort();
	memcpy(copy, out.ptr, out.len);
	a->batch = (struct bytes){copy, out.len};
	pb_builder_clear(b);
	if (type != PB_BATCH_CLOSE) /* engine_end() takes it to End */
		set_state(s, next);
	return true;
}

/* Moves queued PA messages into the batch while they fit. */
static void
add_queued(struct engine_session *s, struct engine_env *env, struct pb_builder *b, size_t room)
{
	while (s->out) {
		struct out_pa *o = s->out;
		size_t need = PB_MSG_HEADER_LEN + PB_PA_HEADER_LEN + o->len;
		if (need > room)
			break;
		room -= need;
		LOG(TNC, 2, "adding IETF/PB-PA message");
		/* to the client: Posterior Collector = the IMC addressed, Validator = the sender */
		pb_builder_add_pa(b, o->flags & PA_FLAG_EXCL ? PB_PA_FLAG_EXCL : 0, o->vendor,
		    o->subtype, o->collector, o->validator, (struct bytes){o->data, o->len});
		s->out = o->next;
		s->out_bytes -= o->len;
		env->queued_bytes -= o->len;
		free(o);
	}
	if (!s->out)
		s->out_tail = &s->out;
}

void
send_sdata(struct engine_session *s, struct engine_env *env)
{
	struct pb_builder b;
	size_t room = s->max_batch - PB_BATCH_HEADER_LEN;
	LOG(TNC, 2, "creating PB-TNC SDATA batch");
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_SDATA, s->max_batch);
	/* the first SDATA over EAP tells the client where the PDP listens */
	if (s->over_eap && !s->referred && env->cfg.pdp_len) {
		LOG(TNC, 2, "adding TCG/PB-PDP-Referral message");
		pb_builder_add_pdp_referral(&b, PB_VENDOR_TCG, env->cfg.pdp_type,
		    (struct bytes){env->cfg.pdp_id, env->cfg.pdp_len});
		room -= PB_MSG_HEADER_LEN + PB_PDP_REFERRAL_HEADER_LEN + env->cfg.pdp_len;
		s->referred = true;
	}
	add_queued(s, env, &b, room);
	if (finish_and_queue(s, env, &b, PB_BATCH_SDATA))
		act_timer(s, ENGINE_CLIENT_WAIT_MS);
}

static uint16_t
access_recommendation(uint8_t rec)
{
	switch (rec) {
	case IMV_REC_ALLOW: return PB_ACCESS_ALLOWED;
	case IMV_REC_ISOLATE: return PB_ACCESS_QUARANTINED;
	default: return PB_ACCESS_DENIED;
	}
}

/* What a slot contributes: its recommendation when it has one, "no
 * access, error" when lost, and "no recommendation" otherwise - never a
 * zeroed slot read as allow. */
static struct rec_input
slot_input(const struct engine_slot *sl)
{
	if (sl->state == SLOT_ACTIVE && sl->has_rec)
		return (struct rec_input){sl->rec, sl->eval};
	if (sl->state == SLOT_ACTIVE)
		return (struct rec_input){IMV_REC_NONE, IMV_EVAL_DONT_KNOW};
	return (struct rec_input){IMV_REC_NO_ACCESS, IMV_EVAL_ERROR};
}

static void
tell_imvs_decision(struct engine_session *s, struct engine_env *env)
{
	uint8_t state = s->final.recommendation == IMV_REC_ALLOW ? IMV_CONN_ALLOWED :
	    s->final.recommendation == IMV_REC_ISOLATE ? IMV_CONN_ISOLATED : IMV_CONN_NONE;
	for (unsigned i = 0; i < env->nimvs; i++)
		if (s->slot[i].state == SLOT_ACTIVE)
			act_imv_connection(s, i, state);
}

static void
add_reasons(struct engine_session *s, struct engine_env *env, struct pb_builder *b)
{
	for (unsigned i = 0; i < env->nimvs; i++) {
		const struct engine_slot *sl = &s->slot[i];
		struct rec_input in = slot_input(sl);
		/* only the IMVs whose say counted against allow */
		if (sl->state == SLOT_OUT || in.recommendation == IMV_REC_ALLOW ||
		    in.recommendation == IMV_REC_NONE || !sl->reason[0])
			continue;
		LOG(TNC, 2, "adding IETF/PB-Reason-String message");
		pb_builder_add_reason_string(b, (struct bytes){(const uint8_t *)sl->reason,
		    strlen(sl->reason)}, (struct bytes){(const uint8_t *)"en", 2});
	}
}

void
send_result(struct engine_session *s, struct engine_env *env)
{
	struct rec_input in[ENGINE_IMVS_MAX] = {{0}};
	size_t n = 0;

	if (s->out_bytes + 64 > s->max_batch - 256) {
		send_sdata(s, env); /* the IMVs' last messages first */
		return;
	}
	if (env->record && s->policy == POLICY_UNTOLD) {
		/* tnc-policy came (back) during the handshake: it must see one whole */
		if (env->policy_available && s->retries < ENGINE_RETRIES_MAX) {
			send_sretry(s, env);
			return;
		}
		LOG_WARN(TNC, "Connection ID %u: tnc-policy saw no assessment of it: closing it "
		    "without a decision", s->id);
		engine_end(s, env, TNC_ECLOSED, "the session cannot be recorded", true);
		return;
	}
	for (unsigned i = 0; i < env->nimvs; i++)
		if (s->slot[i].state != SLOT_OUT)
			in[n++] = slot_input(&s->slot[i]);
	rec_combine(env->cfg.policy, in, n, &s->final);
	s->decided = true;
	LOG(TNC, 1, "Connection ID %u: final recommendation is '%s' and evaluation is '%s' "
	    "(policy '%s', %zu IMV%s)", s->id, imv_recommendation_name(s->final.recommendation),
	    imv_evaluation_name(s->final.evaluation), rec_policy_name(env->cfg.policy), n,
	    n == 1 ? "" : "s");
	if (env->record) {
		act_policy_end(s, s->final.recommendation, s->final.evaluation, true);
		s->phase = PHASE_RECORD;
		act_timer(s, env->cfg.imv_timeout_ms);
		return;
	}
	deliver_result(s, env);
}

void
deliver_result(struct engine_session *s, struct engine_env *env)
{
	struct pb_builder b;

	tell_imvs_decision(s, env);
	LOG(TNC, 2, "creating PB-TNC RESULT batch");
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, s->max_batch);
	add_queued(s, env, &b, s->max_batch - 256);
	LOG(TNC, 2, "adding IETF/PB-Assessment-Result message");
	pb_builder_add_assessment_result(&b, s->final.evaluation); /* same numbering */
	LOG(TNC, 2, "adding IETF/PB-Access-Recommendation message");
	pb_builder_add_access_recommendation(&b, access_recommendation(s->final.recommendation));
	if (s->final.recommendation != IMV_REC_ALLOW)
		add_reasons(s, env, &b);
	if (!finish_and_queue(s, env, &b, PB_BATCH_RESULT))
		return;
	struct engine_action *a = act_push(s, ACT_IKE_RESULT);
	a->rec = s->final.recommendation;
	a->eval = s->final.evaluation;
	act_timer(s, ENGINE_CLIENT_WAIT_MS);
}

void
restart_handshake(struct engine_session *s, struct engine_env *env)
{
	s->decided = false;
	s->revive_expired = false;
	if (s->policy == POLICY_ENDED) /* the last one was recorded: this is a new one */
		s->policy = POLICY_UNTOLD;
	if (env->record && env->policy_available && s->policy == POLICY_UNTOLD)
		act_policy_start(s);
	s->retry_requested = false;
	s->handshake_started = false;
	/* what the IMVs said about the old handshake no longer applies */
	out_drop(s, env);
	for (unsigned i = 0; i < env->nimvs; i++) {
		struct engine_slot *sl = &s->slot[i];
		if (sl->state == SLOT_LOST && env->imvs[i].available) {
			/* an IMV that failed the old handshake gets the new one afresh */
			if (sl->gen == env->imvs[i].gen)
				act_imv_connection(s, i, IMV_CONN_DELETE);
			slot_join(s, env, i, SLOT_ACTIVE);
			continue;
		}
		if (sl->state != SLOT_ACTIVE && sl->state != SLOT_REJOINED)
			continue;
		sl->has_rec = false;
		sl->reason[0] = 0;
		if (sl->state == SLOT_ACTIVE)
			act_imv_connection(s, i, IMV_CONN_HANDSHAKE);
		sl->state = SLOT_ACTIVE; /* a rejoined one got its HANDSHAKE with the join */
	}
}

void
send_sretry(struct engine_session *s, struct engine_env *env)
{
	struct pb_builder b;
	if (s->handshake_started) /* a resumed connection's first SRETRY is free */
		s->retries++;
	LOG(TNC, 1, "Connection ID %u: requesting a handshake retry (%u)", s->id, s->retries);
	restart_handshake(s, env);
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_SRETRY, s->max_batch);
	if (finish_and_queue(s, env, &b, PB_BATCH_SRETRY))
		act_timer(s, ENGINE_CLIENT_WAIT_MS);
}

void
send_fatal(struct engine_session *s, struct engine_env *env, uint16_t code, uint32_t offset,
    uint8_t bad_version)
{
	struct pb_builder b;
	struct parse_error pe = {.offset = offset, .code = code, .reason = NULL};
	LOG_WARN(TNC, "Connection ID %u: sending fatal PB-Error '%s' (offset %u) and closing",
	    s->id, pb_error_code_name(PB_VENDOR_IETF, code), offset);
	tnccs_metrics_pb_error(false, pb_error_code_name(PB_VENDOR_IETF, code));
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, s->max_batch);
	pb_builder_add_parse_error(&b, &pe, bad_version);
	(void)finish_and_queue(s, env, &b, PB_BATCH_CLOSE);
	engine_end(s, env, TNC_EPEER, pb_error_code_name(PB_VENDOR_IETF, code), true);
}
