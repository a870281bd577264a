/* session_in.c - a client's PB-TNC batch: validation against RFC 5793
 * (batch syntax, batch type per state 3.2), then its messages: language
 * preference, PB-PA routed to the subscribed IMVs (exclusive delivery by
 * Posterior Validator ID), PB-Error from the client. */
#include "session.h"

#include <stdio.h>
#include <string.h>

#include "log.h"
#include "pa_tnc.h"

#define BATCH_MSGS_MAX 8192

/* RFC 5793 3.2: which client batch types each server state accepts. */
static bool
type_allowed(const struct session *s, uint8_t type)
{
	switch (type) {
	case PB_BATCH_CLOSE:
		return true;
	case PB_BATCH_CDATA:
		return s->state == PB_STATE_INIT || s->state == PB_STATE_CLIENT_WORKING;
	case PB_BATCH_CRETRY:
		return s->state == PB_STATE_CLIENT_WORKING || s->state == PB_STATE_DECIDED;
	default:
		return false; /* server batch types, or anything while the server works */
	}
}

/* "Accept-Language: en, de" -> "en" (RFC 5793 4.10 / RFC 2616 14.4). */
static void
set_language(struct session *s, struct bytes pref)
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
route_pa(struct session *s, const struct pb_pa *pa)
{
	unsigned delivered = 0;
	LOG(TNC, 1, "handling PB-PA message type '%s' 0x%06x/0x%08x",
	    pa_tnc_subtype_name(pa->vendor, pa->subtype), pa->vendor, pa->subtype);
	s->client_sent_pa = true;
	for (int i = 0; i < TNCCS_IMVS; i++) {
		struct imv_peer *imv = &tnccs.imvs[i];
		const struct session_imv *si = &s->imv[i];
		if (!si->active || si->lost || si->rejoined || !imvs_wants(imv, pa->vendor, pa->subtype)) {
			LOG(TNC, 3, "not for %s: %s", manifest_role(imv->role)->name, !si->active ?
			    "not in this connection" : si->lost ? "lost" : si->rejoined ?
			    "waiting for the retry" : "not subscribed to this type");
			continue;
		}
		/* RFC 5793 4.5: EXCL delivers only to the named validator. */
		if ((pa->flags & PB_PA_FLAG_EXCL) && pa->validator_id != imv->id)
			continue;
		struct ipc_msg m = {.type = IPC_IMV_RECEIVE};
		m.u.pa_msg = (struct ipc_pa_msg){
			.flags = (pa->flags & PB_PA_FLAG_EXCL) ? PA_FLAG_EXCL : 0,
			.vendor = pa->vendor, .subtype = pa->subtype,
			.imc_id = pa->collector_id, .imv_id = pa->validator_id, .msg = pa->body,
		};
		if (imvs_send(imv, s->id, &m) == 0)
			delivered++;
	}
	if (!delivered)
		LOG(TNC, 1, "no IMV takes PA message type 0x%06x/0x%08x: dropped", pa->vendor,
		    pa->subtype);
}

static bool
process_msg(struct session *s, const struct pb_msg *m)
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
		route_pa(s, &m->u.pa);
		return true;
	case PB_MSG_ERROR:
		LOG(TNC, 0, "Connection ID %u: the client reports %s PB-TNC error '%s' (offset %u)",
		    s->id, (m->u.error.flags & PB_ERROR_FLAG_FATAL) ? "a fatal" : "a",
		    pb_error_code_name(m->u.error.vendor, m->u.error.code), m->u.error.offset);
		return !(m->u.error.flags & PB_ERROR_FLAG_FATAL);
	default:
		LOG(TNC, 1, "ignoring %s message from the client", pb_msg_type_name(m->vendor, m->type));
		return true;
	}
}

void
session_process_batch(struct session *s, struct bytes batch)
{
	struct pb_limits lim = {s->max_batch, BATCH_MSGS_MAX, PB_DIR_TO_SERVER};
	struct pb_batch b;
	struct parse_error pe;

	LOG(TNC, 1, "received TNCCS batch (%zu bytes) for Connection ID %u", batch.len, s->id);
	if (s->phase != PHASE_IDLE) {
		LOG(TNC, 0, "Connection ID %u: a client batch while the server is working", s->id);
		session_fatal(s, PB_ERROR_UNEXPECTED_BATCH_TYPE, 0, 0);
		return;
	}
	int err = pb_batch_parse(batch.ptr, batch.len, &lim, &b, &pe);
	if (err) {
		LOG(TNC, 0, "Connection ID %u: malformed PB-TNC batch: %s at offset %u (%s)", s->id,
		    pb_error_code_name(PB_VENDOR_IETF, (uint16_t)pe.code), pe.offset,
		    pe.reason ? pe.reason : tnc_strerror(err));
		session_fatal(s, (uint16_t)pe.code, pe.offset, batch.len ? batch.ptr[0] : 0);
		return;
	}
	LOG(TNC, 1, "processing PB-TNC %s batch for Connection ID %u", pb_batch_type_name(b.type), s->id);
	if (!type_allowed(s, b.type)) {
		LOG(TNC, 0, "Connection ID %u: unexpected PB-TNC %s batch in state '%s'", s->id,
		    pb_batch_type_name(b.type), session_state_name(s->state));
		pb_batch_clear(&b);
		session_fatal(s, PB_ERROR_UNEXPECTED_BATCH_TYPE, 0, 0);
		return;
	}
	if (b.type == PB_BATCH_CLOSE) {
		pb_batch_clear(&b);
		if (s->decided)
			LOG(TNC, 1, "final recommendation is '%s' and evaluation is '%s'",
			    imv_recommendation_name(s->final.recommendation),
			    imv_evaluation_name(s->final.evaluation));
		session_end(s, 0, "closed by the client", true);
		return;
	}
	if (++s->rounds > tnccs.cfg.max_rounds) {
		LOG(TNC, 0, "Connection ID %u: more than %u client batches", s->id, tnccs.cfg.max_rounds);
		pb_batch_clear(&b);
		session_fatal(s, PB_ERROR_LOCAL_ERROR, 0, 0);
		return;
	}
	if (b.type == PB_BATCH_CRETRY && s->decided)
		session_restart_handshake(s);
	session_set_state(s, PB_STATE_SERVER_WORKING);
	s->client_sent_pa = false;
	bool ok = true;
	for (size_t i = 0; i < b.count && ok; i++)
		ok = process_msg(s, &b.msgs[i]);
	pb_batch_clear(&b);
	if (!ok) {
		session_end(s, TNC_EPEER, "fatal error reported by the client", true);
		return;
	}
	session_start_round(s);
}
