/* session_out.c - the server's PB-TNC batches (RFC 5793 3.2, 4): SDATA with
 * the IMVs' PA messages, RESULT with the final recommendation, SRETRY, and a
 * CLOSE carrying a fatal PB-Error. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static int
finish_and_send(struct session *s, struct pb_builder *b)
{
	struct bytes out;
	int err = pb_builder_finish(b, &out);
	if (err) {
		LOG(TNC, 0, "cannot build a batch of Connection ID %u: %s", s->id, tnc_strerror(err));
	} else {
		LOG(TNC, 1, "sending PB-TNC %s batch (%zu bytes) for Connection ID %u",
		    pb_batch_type_name(out.ptr[3] & PB_BATCH_TYPE_MASK), out.len, s->id);
		struct ipc_msg m = {.type = IPC_TNCCS_BATCH, .u.tnccs_batch.batch = out};
		tnccs_send_ike(s->id, &m);
	}
	pb_builder_clear(b);
	return err;
}

/* Moves queued PA messages into the batch while they fit. */
static void
add_queued(struct session *s, struct pb_builder *b, size_t room)
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
		free(o);
	}
	if (!s->out)
		s->out_tail = &s->out;
}

void
session_send_sdata(struct session *s)
{
	struct pb_builder b;
	session_set_state(s, PB_STATE_CLIENT_WORKING);
	LOG(TNC, 2, "creating PB-TNC SDATA batch");
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_SDATA, s->max_batch);
	add_queued(s, &b, s->max_batch - PB_BATCH_HEADER_LEN);
	if (finish_and_send(s, &b))
		session_end(s, TNC_EINVALID, "cannot build a batch", true);
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

static void
tell_imvs_decision(struct session *s)
{
	uint8_t state = s->final.recommendation == IMV_REC_ALLOW ? IMV_CONN_ALLOWED :
	    s->final.recommendation == IMV_REC_ISOLATE ? IMV_CONN_ISOLATED : IMV_CONN_NONE;
	struct ipc_msg m = {.type = IPC_IMV_CONNECTION};
	m.u.imv_connection.state = state;
	for (int i = 0; i < TNCCS_IMVS; i++)
		if (s->imv[i].active && !s->imv[i].lost)
			imvs_send(&tnccs.imvs[i], s->id, &m);
}

void
session_send_result(struct session *s)
{
	struct rec_input in[TNCCS_IMVS];
	size_t n = 0;
	struct pb_builder b;

	if (s->out_bytes + 64 > s->max_batch - 256) {
		session_send_sdata(s); /* the IMVs' last messages first */
		return;
	}
	for (int i = 0; i < TNCCS_IMVS; i++)
		if (s->imv[i].active)
			in[n++] = (struct rec_input){s->imv[i].rec, s->imv[i].eval};
	rec_combine(tnccs.cfg.policy, in, n, &s->final);
	s->decided = true;
	LOG(TNC, 1, "Connection ID %u: final recommendation is '%s' and evaluation is '%s' "
	    "(policy '%s', %zu IMV%s)", s->id, imv_recommendation_name(s->final.recommendation),
	    imv_evaluation_name(s->final.evaluation), rec_policy_name(tnccs.cfg.policy), n,
	    n == 1 ? "" : "s");
	tell_imvs_decision(s);
	session_set_state(s, PB_STATE_DECIDED);
	LOG(TNC, 2, "creating PB-TNC RESULT batch");
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_RESULT, s->max_batch);
	add_queued(s, &b, s->max_batch - 256);
	LOG(TNC, 2, "adding IETF/PB-Assessment-Result message");
	pb_builder_add_assessment_result(&b, s->final.evaluation); /* same numbering */
	LOG(TNC, 2, "adding IETF/PB-Access-Recommendation message");
	pb_builder_add_access_recommendation(&b, access_recommendation(s->final.recommendation));
	if (s->final.recommendation != IMV_REC_ALLOW) {
		for (int i = 0; i < TNCCS_IMVS; i++) {
			const struct session_imv *si = &s->imv[i];
			/* only the IMVs whose recommendation counted against allow */
			if (!si->active || si->rec == IMV_REC_ALLOW || si->rec == IMV_REC_NONE ||
			    !si->reason[0])
				continue;
			LOG(TNC, 2, "adding IETF/PB-Reason-String message");
			pb_builder_add_reason_string(&b, (struct bytes){(const uint8_t *)si->reason,
			    strlen(si->reason)}, (struct bytes){(const uint8_t *)"en", 2});
		}
	}
	if (finish_and_send(s, &b)) {
		session_end(s, TNC_EINVALID, "cannot build a batch", true);
		return;
	}
	struct ipc_msg m = {.type = IPC_TNCCS_RESULT};
	m.u.imv_recommend = (struct ipc_imv_recommend){
		.recommendation = s->final.recommendation, .evaluation = s->final.evaluation,
	};
	tnccs_send_ike(s->id, &m);
}

void
session_restart_handshake(struct session *s)
{
	struct ipc_msg m = {.type = IPC_IMV_CONNECTION};
	m.u.imv_connection.state = IMV_CONN_HANDSHAKE;
	s->decided = false;
	s->revive_expired = false;
	for (int i = 0; i < TNCCS_IMVS; i++) {
		struct session_imv *si = &s->imv[i];
		if (!si->active || si->lost)
			continue;
		si->has_rec = false;
		si->reason[0] = 0;
		if (si->rejoined) /* its HANDSHAKE came with the join */
			si->rejoined = false;
		else
			imvs_send(&tnccs.imvs[i], s->id, &m);
	}
}

void
session_send_sretry(struct session *s)
{
	struct pb_builder b;
	s->retries++;
	s->retry_requested = false;
	LOG(TNC, 1, "Connection ID %u: requesting a handshake retry (%u)", s->id, s->retries);
	session_restart_handshake(s);
	session_set_state(s, PB_STATE_CLIENT_WORKING);
	/* what the IMVs said about the old handshake no longer applies */
	session_drop_queued(s);
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_SRETRY, s->max_batch);
	if (finish_and_send(s, &b))
		session_end(s, TNC_EINVALID, "cannot build a batch", true);
}

void
session_fatal(struct session *s, uint16_t code, uint32_t offset, uint8_t bad_version)
{
	struct pb_builder b;
	struct parse_error pe = {.offset = offset, .code = code, .reason = NULL};
	LOG(TNC, 0, "Connection ID %u: sending fatal PB-Error '%s' (offset %u) and closing",
	    s->id, pb_error_code_name(PB_VENDOR_IETF, code), offset);
	pb_builder_init(&b, PB_DIR_TO_CLIENT, PB_BATCH_CLOSE, s->max_batch);
	pb_builder_add_parse_error(&b, &pe, bad_version);
	(void)finish_and_send(s, &b);
	session_end(s, TNC_EPEER, pb_error_code_name(PB_VENDOR_IETF, code), true);
}
