/* engine_client.c - a client's PB-TNC batch: validation against RFC 5793
 * (batch syntax, the batch type the state allows, 3.2), then its messages:
 * language preference, PB-PA routed to the ACTIVE IMVs whose manifest row
 * subscribes to its type (exclusive delivery by Posterior Validator ID),
 * PB-Error from the client. */
#include "engine_int.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "pa_tnc.h"
#include "tnccs_metrics.h"

#define BATCH_MSGS_MAX 8192

/* "Accept-Language: en, de" -> "en" (RFC 5793 4.10 / RFC 2616 14.4). */
static void
set_language(struct engine_session *s, struct bytes pref)
{
	char v[128];
	bytes_cstr(pref, v, sizeof(v));
	const char *p = strchr(v, ':');
	p = p ? p + 1 : v;
	p += strspn(p, " ");
	size_t n = strcspn(p, " ,;");
	if (n == 0 || n >= sizeof(s->language))
		return;
	snprintf(s->language, sizeof(s->language), "%.*s", (int)n, p);
	LOG(TNC, 2, "setting language preference to '%s'", s->language);
}

static void
route_pa(struct engine_session *s, struct engine_env *env, const struct pb_pa *pa)
{
	unsigned delivered = 0;
	LOG(TNC, 1, "handling PB-PA message type '%s' 0x%06x/0x%08x",
	    pa_tnc_subtype_name(pa->vendor, pa->subtype), pa->vendor, pa->subtype);
	s->client_sent_pa = true;
	for (unsigned i = 0; i < env->nimvs; i++) {
		const struct role_manifest *m = env->imvs[i].m;
		if (s->slot[i].state != SLOT_ACTIVE || !manifest_imv_wants(m, pa->vendor, pa->subtype))
			continue;
		/* RFC 5793 4.5: EXCL delivers only to the named validator. */
		if ((pa->flags & PB_PA_FLAG_EXCL) && pa->validator_id != m->imv_id)
			continue;
		act_imv(s, i, ACT_IMV_RECEIVE)->pa = (struct ipc_pa_msg){
			.flags = (pa->flags & PB_PA_FLAG_EXCL) ? PA_FLAG_EXCL : 0,
			.vendor = pa->vendor, .subtype = pa->subtype,
			.imc_id = pa->collector_id, .imv_id = pa->validator_id, .msg = pa->body,
		};
		delivered++;
	}
	if (!delivered)
		LOG(TNC, 1, "no IMV takes PA message type 0x%06x/0x%08x: dropped", pa->vendor,
		    pa->subtype);
}

/* false when the message ends the session (a fatal PB-Error). */
static bool
process_msg(struct engine_session *s, struct engine_env *env, const struct pb_msg *m)
{
	LOG(TNC, 2, "processing %s message (%zu bytes)", pb_msg_type_name(m->vendor, m->type),
	    m->value.len + PB_MSG_HEADER_LEN);
	if (m->vendor != PB_VENDOR_IETF)
		return true;
	switch (m->type) {
	case PB_MSG_LANGUAGE_PREFERENCE:
		set_language(s, m->u.language_preference);
		return true;
	case PB_MSG_PA:
		route_pa(s, env, &m->u.pa);
		return true;
	case PB_MSG_ERROR:
		LOG_WARN(TNC, "Connection ID %u: the client reports %s PB-TNC error '%s' (offset %u)",
		    s->id, (m->u.error.flags & PB_ERROR_FLAG_FATAL) ? "a fatal" : "a",
		    pb_error_code_name(m->u.error.vendor, m->u.error.code), m->u.error.offset);
		tnccs_metrics_pb_error(true, pb_error_code_name(m->u.error.vendor, m->u.error.code));
		return !(m->u.error.flags & PB_ERROR_FLAG_FATAL);
	default:
		LOG(TNC, 1, "ignoring %s message from the client", pb_msg_type_name(m->vendor, m->type));
		return true;
	}
}

/* The first batch after a resume: the assessment starts over. */
static void
answer_resumed(struct engine_session *s, struct engine_env *env, uint8_t type)
{
	LOG(TNC, 1, "Connection ID %u: the first %s batch since the resume is discarded and "
	    "answered with SRETRY", s->id, pb_batch_type_name(type));
	s->resume_pending = false;
	send_sretry(s, env);
}

void
engine_client_batch(struct engine_session *s, struct engine_env *env, struct bytes batch)
{
	struct pb_limits lim = {s->max_batch, BATCH_MSGS_MAX, PB_DIR_TO_SERVER};
	struct pb_batch b;
	struct parse_error pe;

	if (s->state == PB_STATE_END)
		return;
	LOG(TNC, 1, "received TNCCS batch (%zu bytes) for Connection ID %u", batch.len, s->id);
	LOG_HEX(TNC, 4, batch.ptr, batch.len);
	int err = pb_batch_parse(batch.ptr, batch.len, &lim, &b, &pe);
	if (err) {
		LOG_WARN(TNC, "Connection ID %u: malformed PB-TNC batch: %s at offset %u (%s)", s->id,
		    pb_error_code_name(PB_VENDOR_IETF, (uint16_t)pe.code), pe.offset,
		    pe.reason ? pe.reason : tnc_strerror(err));
		send_fatal(s, env, (uint16_t)pe.code, pe.offset, batch.len ? batch.ptr[0] : 0);
		return;
	}
	LOG(TNC, 1, "processing PB-TNC %s batch for Connection ID %u", pb_batch_type_name(b.type), s->id);
	uint8_t type = b.type;
	if (pb_state_after(s->state, type, true) == PB_STATE_INVALID) {
		LOG_WARN(TNC, "Connection ID %u: unexpected PB-TNC %s batch in state '%s'", s->id,
		    pb_batch_type_name(type), pb_state_name(s->state));
		pb_batch_clear(&b);
		send_fatal(s, env, PB_ERROR_UNEXPECTED_BATCH_TYPE, 0, 0);
		return;
	}
	if (type == PB_BATCH_CLOSE) {
		pb_batch_clear(&b);
		if (s->decided)
			LOG(TNC, 1, "final recommendation is '%s' and evaluation is '%s'",
			    imv_recommendation_name(s->final.recommendation),
			    imv_evaluation_name(s->final.evaluation));
		engine_end(s, env, 0, "closed by the client", true);
		return;
	}
	act_timer_stop(s);
	if (++s->rounds > env->cfg.max_rounds) {
		LOG_WARN(TNC, "Connection ID %u: more than %u client batches", s->id, env->cfg.max_rounds);
		pb_batch_clear(&b);
		send_fatal(s, env, PB_ERROR_LOCAL_ERROR, 0, 0);
		return;
	}
	(void)client_transition(s, type);
	if (s->resume_pending) {
		pb_batch_clear(&b);
		answer_resumed(s, env, type);
		return;
	}
	if (type == PB_BATCH_CRETRY)
		restart_handshake(s, env);
	s->client_sent_pa = false;
	bool ok = true;
	for (size_t i = 0; i < b.count && ok; i++)
		ok = process_msg(s, env, &b.msgs[i]);
	pb_batch_clear(&b);
	if (!ok) {
		engine_end(s, env, TNC_EPEER, "fatal error reported by the client", true);
		return;
	}
	round_start(s, env);
}
