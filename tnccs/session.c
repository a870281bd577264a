/* session.c - lifecycle of TNCCS connections and the rounds in which the
 * IMVs see a client batch and answer (see session.h).
 *
 * A round: deliver the client batch's PA messages, send every IMV
 * IMV_BATCH_END, wait for each IMV_BATCH_DONE (bounded by imv_timeout_ms),
 * then answer: SRETRY if an IMV asked for one, RESULT when every IMV has
 * recommended, SDATA with the IMVs' messages, an empty SDATA while the client
 * is still sending evidence, else solicit the missing recommendations.
 * An IMV that dies or times out counts as "no access, error" for the
 * connection (fail closed).  As tncd restarts it, the decision waits for it
 * (up to imv_timeout_ms); once it is back the connection is retried (SRETRY)
 * with the new instance, otherwise the fail-closed verdict stands.
 */
#include "session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define SESSIONS_MAX 20000
#define RETRIES_MAX 3

static const char *const state_names[] = {"Init", "Server Working", "Client Working",
    "Decided", "End"};

const char *
session_state_name(enum pb_state st)
{
	return st <= PB_STATE_END ? state_names[st] : "?";
}

struct session *
session_find(uint32_t id)
{
	for (struct session *s = tnccs.sessions; s; s = s->next)
		if (s->id == id)
			return s;
	return NULL;
}

void
session_set_state(struct session *s, enum pb_state next)
{
	if (s->state == next)
		return;
	LOG(TNC, 2, "PB-TNC state transition from '%s' to '%s'", state_names[s->state],
	    state_names[next]);
	s->state = next;
}

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

void
tnccs_send_ike(uint32_t session, const struct ipc_msg *m)
{
	struct ipc_channel *ike = child_peer(tnccs.child, ROLE_IKE);
	int err = ike ? ipc_channel_send(ike, m, session, 0, 0, -1) : TNC_ECLOSED;
	if (err)
		LOG(IPC, 1, "cannot send '%s' for Connection ID %u to tnc-ike: %s",
		    ipc_type_name(m->type), session, tnc_strerror(err));
}

static void
tell_imv(struct session *s, struct imv_peer *imv, uint8_t state)
{
	struct ipc_msg m = {.type = IPC_IMV_CONNECTION};
	m.u.imv_connection = (struct ipc_imv_connection){
		.state = state, .max_msg = s->max_msg, .identity = B(s->identity),
		.peer = B(s->peer), .language = B(s->language),
	};
	imvs_send(imv, s->id, &m);
}

static void
imv_join(struct session *s, int i)
{
	struct imv_peer *imv = &tnccs.imvs[i];
	memset(&s->imv[i], 0, sizeof(s->imv[i]));
	s->imv[i].active = true;
	tell_imv(s, imv, IMV_CONN_CREATE);
	tell_imv(s, imv, IMV_CONN_HANDSHAKE);
}

static void
imv_fail(struct session *s, int i, const char *why)
{
	struct session_imv *si = &s->imv[i];
	struct imv_peer *imv = &tnccs.imvs[i];
	si->lost = true;
	si->wait_done = si->wait_rec = false;
	si->has_rec = true;
	si->rec = IMV_REC_NO_ACCESS;
	si->eval = IMV_EVAL_ERROR;
	if (imv->name[0])
		snprintf(si->reason, sizeof(si->reason), "IMV %u \"%s\" %s", imv->id, imv->name, why);
	else /* never subscribed: known only by its process */
		snprintf(si->reason, sizeof(si->reason), "%s %s", manifest_role(imv->role)->name, why);
	LOG(TNC, 0, "Connection ID %u: %s: counting it as 'no access' with evaluation 'error'",
	    s->id, si->reason);
}

void
session_open(uint32_t id, const struct ipc_tnccs_open *o)
{
	if (session_find(id) || tnccs.nsessions >= SESSIONS_MAX) {
		LOG(TNC, 0, "refusing TNCCS Connection ID %u: %s", id,
		    session_find(id) ? "already exists" : "too many connections");
		struct ipc_msg m = {.type = IPC_TNCCS_CLOSE};
		m.u.tnccs_close = (struct ipc_tnccs_close){TNC_EAGAIN, B("server busy")};
		tnccs_send_ike(id, &m);
		return;
	}
	struct session *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->id = id;
	s->state = PB_STATE_INIT;
	s->out_tail = &s->out;
	s->max_batch = o->max_batch;
	s->max_msg = o->max_msg < tnccs.cfg.max_msg ? o->max_msg : tnccs.cfg.max_msg;
	bytes_cstr(o->peer, s->peer, sizeof(s->peer));
	bytes_cstr(o->identity, s->identity, sizeof(s->identity));
	bytes_cstr(o->transport, s->transport, sizeof(s->transport));
	uv_timer_init(tnccs.loop, &s->timer);
	s->timer.data = s;
	s->next = tnccs.sessions;
	tnccs.sessions = s;
	tnccs.nsessions++;
	LOG(TNC, 1, "assigned TNCCS Connection ID %u to %s over %s%s%s", id, s->peer, s->transport,
	    s->identity[0] ? ", identity " : "", s->identity);
	for (int i = 0; i < TNCCS_IMVS; i++) {
		if (tnccs.imvs[i].subscribed)
			imv_join(s, i);
		else if (tnccs.imvs[i].expected) {
			/* enabled but not (yet) back: fail closed, retry if it returns */
			s->imv[i].active = true;
			imv_fail(s, i, "is not available");
		}
	}
}

void
session_drop_queued(struct session *s)
{
	while (s->out) {
		struct out_pa *o = s->out;
		s->out = o->next;
		free(o);
	}
	s->out_tail = &s->out;
	s->out_bytes = 0;
}

static void
on_timer_closed(uv_handle_t *h)
{
	struct session *s = h->data;
	session_drop_queued(s);
	free(s);
}

void
session_end(struct session *s, int status, const char *reason, bool tell_ike)
{
	struct session **pp = &tnccs.sessions;
	while (*pp && *pp != s)
		pp = &(*pp)->next;
	if (!*pp)
		return;
	*pp = s->next;
	tnccs.nsessions--;
	session_set_state(s, PB_STATE_END);
	for (int i = 0; i < TNCCS_IMVS; i++)
		if (s->imv[i].active && !s->imv[i].lost)
			tell_imv(s, &tnccs.imvs[i], IMV_CONN_DELETE);
	if (tell_ike) {
		struct ipc_msg m = {.type = IPC_TNCCS_CLOSE};
		m.u.tnccs_close = (struct ipc_tnccs_close){status, B(reason)};
		tnccs_send_ike(s->id, &m);
	}
	LOG(TNC, 1, "removed TNCCS Connection ID %u%s%s", s->id, reason[0] ? ": " : "", reason);
	uv_close((uv_handle_t *)&s->timer, on_timer_closed);
}

static bool
all_recommended(const struct session *s)
{
	for (int i = 0; i < TNCCS_IMVS; i++)
		if (s->imv[i].active && !s->imv[i].has_rec)
			return false;
	return true;
}

static void
solicit(struct session *s)
{
	struct ipc_msg m = {.type = IPC_IMV_SOLICIT};
	s->phase = PHASE_SOLICIT;
	for (int i = 0; i < TNCCS_IMVS; i++) {
		struct session_imv *si = &s->imv[i];
		if (!si->active || si->has_rec)
			continue;
		if (imvs_send(&tnccs.imvs[i], s->id, &m) == 0)
			si->wait_rec = true;
		else
			imv_fail(s, i, "cannot be asked for a recommendation");
	}
}

static void on_imv_timeout(uv_timer_t *t);

/* A lost IMV that tncd brings back is worth waiting for (bounded). */
static bool
awaits_lost_imv(const struct session *s)
{
	if (s->revive_expired || s->retries >= RETRIES_MAX)
		return false;
	for (int i = 0; i < TNCCS_IMVS; i++)
		if (s->imv[i].active && s->imv[i].lost && tnccs.imvs[i].expected)
			return true;
	return false;
}

/* The IMVs answered the round: choose the server's batch. */
static void
round_complete(struct session *s)
{
	uv_timer_stop(&s->timer);
	s->phase = PHASE_IDLE;
	if (awaits_lost_imv(s)) {
		LOG(TNC, 1, "Connection ID %u: waiting up to %u ms for a lost IMV to come back",
		    s->id, tnccs.cfg.imv_timeout_ms);
		s->phase = PHASE_REVIVE;
		uv_timer_start(&s->timer, on_imv_timeout, tnccs.cfg.imv_timeout_ms, 0);
		return;
	}
	if (s->retry_requested && s->retries < RETRIES_MAX) {
		session_send_sretry(s);
		return;
	}
	if (all_recommended(s)) {
		session_send_result(s);
		return;
	}
	if (s->out) {
		session_send_sdata(s);
		return;
	}
	if (s->client_sent_pa) {
		LOG(TNC, 2, "no recommendation available yet, sending empty PB-TNC SDATA batch");
		session_send_sdata(s);
		return;
	}
	solicit(s);
	if (all_recommended(s))
		session_send_result(s);
	else
		uv_timer_start(&s->timer, on_imv_timeout, tnccs.cfg.imv_timeout_ms, 0);
}

static void
progress(struct session *s)
{
	bool waiting = false;
	for (int i = 0; i < TNCCS_IMVS; i++)
		waiting |= s->phase == PHASE_BATCH ? s->imv[i].wait_done : s->imv[i].wait_rec;
	if (waiting)
		return;
	if (s->phase == PHASE_BATCH) {
		round_complete(s);
	} else if (s->phase == PHASE_SOLICIT) {
		uv_timer_stop(&s->timer);
		s->phase = PHASE_IDLE;
		session_send_result(s);
	}
}

static void
on_imv_timeout(uv_timer_t *t)
{
	struct session *s = t->data;
	if (s->phase == PHASE_REVIVE) {
		LOG(TNC, 0, "Connection ID %u: the lost IMV did not come back in time", s->id);
		s->revive_expired = true;
		round_complete(s);
		return;
	}
	for (int i = 0; i < TNCCS_IMVS; i++)
		if (s->imv[i].wait_done || s->imv[i].wait_rec)
			imv_fail(s, i, "did not answer in time");
	progress(s);
}

void
session_start_round(struct session *s)
{
	struct ipc_msg m = {.type = IPC_IMV_BATCH_END};
	s->phase = PHASE_BATCH;
	for (int i = 0; i < TNCCS_IMVS; i++) {
		struct session_imv *si = &s->imv[i];
		if (!si->active || si->lost || si->rejoined)
			continue;
		if (imvs_send(&tnccs.imvs[i], s->id, &m) == 0)
			si->wait_done = true;
		else
			imv_fail(s, i, "cannot be reached");
	}
	uv_timer_start(&s->timer, on_imv_timeout, tnccs.cfg.imv_timeout_ms, 0);
	progress(s);
}

void
session_batch(uint32_t id, struct bytes batch)
{
	struct session *s = session_find(id);
	if (!s) {
		LOG(TNC, 1, "batch for unknown TNCCS Connection ID %u dropped", id);
		return;
	}
	session_process_batch(s, batch);
}

void
session_peer_closed(uint32_t id, const struct ipc_tnccs_close *c)
{
	struct session *s = session_find(id);
	char reason[128];
	if (!s)
		return;
	bytes_cstr(c->reason, reason, sizeof(reason));
	if (!s->decided)
		LOG(TNC, 1, "Connection ID %u: the client left before a decision (%s)", id, reason);
	session_end(s, 0, reason, false);
}

static void
queue_pa(struct session *s, int i, const struct ipc_pa_msg *pa)
{
	if (pa->msg.len > s->max_msg || s->out_bytes + pa->msg.len > 4ull * s->max_batch) {
		LOG(TNC, 0, "Connection ID %u: dropping a %zu-byte PA message of IMV %u: over the "
		    "limits of this connection", s->id, pa->msg.len, tnccs.imvs[i].id);
		return;
	}
	struct out_pa *o = malloc(sizeof(*o) + pa->msg.len);
	if (!o)
		abort();
	*o = (struct out_pa){NULL, pa->flags, pa->vendor, pa->subtype, pa->imc_id,
	    tnccs.imvs[i].id, pa->msg.len};
	memcpy(o->data, pa->msg.ptr, pa->msg.len);
	*s->out_tail = o;
	s->out_tail = &o->next;
	s->out_bytes += o->len;
}

void
session_imv_msg(struct imv_peer *imv, uint32_t id, struct ipc_received *rx)
{
	struct session *s = session_find(id);
	int i = (int)(imv - tnccs.imvs);
	if (!s || !s->imv[i].active || s->imv[i].lost)
		return; /* a connection that is over, or an answer from an old instance */
	struct session_imv *si = &s->imv[i];
	switch (rx->hdr.type) {
	case IPC_IMV_SEND:
		queue_pa(s, i, &rx->msg.u.pa_msg);
		return;
	case IPC_IMV_RECOMMEND: {
		const struct ipc_imv_recommend *r = &rx->msg.u.imv_recommend;
		si->has_rec = true;
		si->wait_rec = false;
		si->rec = r->recommendation;
		si->eval = r->evaluation;
		bytes_cstr(r->reason, si->reason, sizeof(si->reason));
		LOG(TNC, 1, "IMV %u provides recommendation '%s' and evaluation '%s'%s%s%s", imv->id,
		    imv_recommendation_name(si->rec), imv_evaluation_name(si->eval),
		    si->reason[0] ? " (" : "", si->reason, si->reason[0] ? ")" : "");
		progress(s);
		return;
	}
	case IPC_IMV_RETRY:
		LOG(TNC, 1, "IMV %u requests a handshake retry for Connection ID %u", imv->id, id);
		s->retry_requested = true;
		return;
	case IPC_IMV_BATCH_DONE:
		si->wait_done = false;
		progress(s);
		return;
	default:
		LOG(IPC, 1, "IMV %u sent '%s', which tnccs does not take", imv->id,
		    ipc_type_name(rx->hdr.type));
	}
}

void
session_imv_lost(struct imv_peer *imv)
{
	int i = (int)(imv - tnccs.imvs);
	for (struct session *s = tnccs.sessions, *next; s; s = next) {
		next = s->next; /* progress() may end s */
		if (!s->imv[i].active || s->imv[i].lost)
			continue;
		imv_fail(s, i, "terminated during the assessment");
		progress(s);
	}
}

void
session_imv_back(struct imv_peer *imv)
{
	int i = (int)(imv - tnccs.imvs);
	for (struct session *s = tnccs.sessions; s; s = s->next) {
		if (!s->imv[i].lost || s->state == PB_STATE_END || s->retries >= RETRIES_MAX)
			continue;
		LOG(TNC, 1, "IMV %u \"%s\" is back: Connection ID %u will be retried", imv->id,
		    imv->name, s->id);
		imv_join(s, i);
		s->imv[i].rejoined = true; /* sees nothing of the old handshake */
		s->retry_requested = true; /* the next server batch is SRETRY */
		if (s->phase == PHASE_REVIVE && !awaits_lost_imv(s))
			round_complete(s);
	}
}

void
session_drop_all(const char *why)
{
	while (tnccs.sessions)
		session_end(tnccs.sessions, TNC_ECLOSED, why, true);
}
