/* session.c - executes the engine's actions for each session (see
 * session.h).  A send to an IMV that fails makes that IMV lost for the
 * session (fail closed); a batch tnc-ike cannot take is kept (ike_out.c)
 * and, past its bound, ends the session; a batch for a Connection ID tnccs
 * does not know is answered with TNCCS_CLOSE so tnc-ike ends it too.  A
 * message tnc-policy cannot take ends the session without a decision. */
#include "session.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tnccs_metrics.h"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static struct session *
find(uint32_t id)
{
	return (struct session *)id_table_find(&tnccs.sessions, id);
}

/* The session after s in the table, the first for NULL. */
static struct session *
next_session(const struct session *s)
{
	return (struct session *)id_table_next(&tnccs.sessions, s ? &s->entry : NULL);
}

static int
to_ike(uint32_t id, const struct ipc_msg *m)
{
	int err = ike_out_send(&tnccs.ike, child_peer(tnccs.child, ROLE_IKE), id, m);
	if (err)
		LOG(IPC, 1, "cannot send '%s' for Connection ID %u to tnc-ike: %s%s",
		    ipc_type_name(m->type), id, tnc_strerror(err), err == TNC_EAGAIN ?
		    ", too much waits for it already" : "");
	return err;
}

static void
close_for_ike(uint32_t id, int status, const char *reason)
{
	struct ipc_msg m = {.type = IPC_TNCCS_CLOSE};
	m.u.tnccs_close = (struct ipc_tnccs_close){status, B(reason)};
	(void)to_ike(id, &m);
}

static void on_timer(uv_timer_t *t);

static void
on_timer_closed(uv_handle_t *h)
{
	free(h->data);
}

static void
to_imv(struct session *s, const struct engine_action *a)
{
	const struct engine_session *e = &s->e;
	struct ipc_msg m;
	switch (a->kind) {
	case ACT_IMV_CONNECTION:
		m = (struct ipc_msg){.type = IPC_IMV_CONNECTION};
		m.u.imv_connection = (struct ipc_imv_connection){
			.state = a->conn_state, .max_msg = e->max_msg, .identity = B(e->identity),
			.id_auth = e->id_auth, .transport = B(e->transport), .peer = B(e->peer),
			.language = B(e->language),
		};
		break;
	case ACT_IMV_RECEIVE:
		m = (struct ipc_msg){.type = IPC_IMV_RECEIVE, .u.pa_msg = a->pa};
		break;
	case ACT_IMV_BATCH_END:
		m = (struct ipc_msg){.type = IPC_IMV_BATCH_END};
		break;
	default:
		m = (struct ipc_msg){.type = IPC_IMV_SOLICIT};
		break;
	}
	if (imvs_send(a->imv, a->gen, e->id, &m) != 0)
		engine_imv_lost(&s->e, &tnccs.env, a->imv, "cannot be reached");
}

static void
to_policy(struct session *s, const struct engine_action *a)
{
	const struct engine_session *e = &s->e;
	struct ipc_channel *ch = child_peer(tnccs.child, ROLE_POLICY);
	struct ipc_msg m;
	uint32_t seq = 0;
	if (a->kind == ACT_POLICY_START) {
		m = (struct ipc_msg){.type = IPC_POLICY_SESSION_START};
		m.u.policy_session_start = (struct ipc_policy_session_start){
			.identity = B(e->identity), .peer = B(e->peer), .transport = B(e->transport),
		};
	} else {
		m = (struct ipc_msg){.type = IPC_POLICY_SESSION_END};
		m.u.policy_session_end = (struct ipc_policy_session_end){a->rec, a->eval};
		if (a->await) {
			if (++tnccs.policy_seq == 0) /* 0 means "no answer wanted" */
				tnccs.policy_seq = 1;
			s->policy_seq = seq = tnccs.policy_seq;
		}
	}
	int err = ch ? ipc_channel_send(ch, &m, e->id, seq, 0, -1) : TNC_ECLOSED;
	if (err) {
		LOG(IPC, 1, "cannot send '%s' for Connection ID %u to tnc-policy: %s",
		    ipc_type_name(m.type), e->id, tnc_strerror(err));
		engine_policy_lost(&s->e, &tnccs.env, "cannot be reached");
	}
}

/* Executes one action; false once the session is gone. */
static bool
execute(struct session *s, const struct engine_action *a)
{
	struct ipc_msg m;
	switch (a->kind) {
	case ACT_IKE_BATCH:
		tnccs_metrics_batch(true, a->batch.len);
		m = (struct ipc_msg){.type = IPC_TNCCS_BATCH, .u.tnccs_batch.batch = a->batch};
		if (to_ike(s->e.id, &m) == TNC_EAGAIN)
			engine_ike_unreachable(&s->e, &tnccs.env);
		return true;
	case ACT_IKE_RESULT:
		tnccs_metrics_decided(a->rec);
		m = (struct ipc_msg){.type = IPC_TNCCS_RESULT};
		m.u.imv_recommend = (struct ipc_imv_recommend){.recommendation = a->rec,
		    .evaluation = a->eval};
		(void)to_ike(s->e.id, &m);
		return true;
	case ACT_IKE_CLOSE:
		close_for_ike(s->e.id, a->status, a->reason);
		return true;
	case ACT_POLICY_START:
	case ACT_POLICY_END:
		to_policy(s, a);
		return true;
	case ACT_TIMER_START:
		uv_timer_start(&s->timer, on_timer, a->timeout_ms, 0);
		return true;
	case ACT_TIMER_STOP:
		uv_timer_stop(&s->timer);
		return true;
	case ACT_END:
		id_table_remove(&tnccs.sessions, &s->entry);
		tnccs_metrics_in_flight(tnccs.sessions.count);
		tnccs_metrics_ended((double)(uv_now(tnccs.loop) - s->opened_ms) / 1000.0);
		engine_session_clear(&s->e, &tnccs.env);
		uv_close((uv_handle_t *)&s->timer, on_timer_closed);
		return false;
	default:
		to_imv(s, a);
		return true;
	}
}

/* Executes what the last event queued, including what failures add. */
static void
run(struct session *s)
{
	struct engine_action *a;
	while ((a = engine_next_action(&s->e))) {
		bool alive = execute(s, a);
		engine_action_free(a);
		if (!alive)
			return;
	}
}

static void
on_timer(uv_timer_t *t)
{
	struct session *s = t->data;
	engine_timer(&s->e, &tnccs.env);
	run(s);
}

void
session_open(uint32_t id, const struct ipc_tnccs_open *o)
{
	struct session *old = find(id);
	if (old) {
		/* tnc-ike lost track of it: neither side may go on with it */
		LOG_WARN(TNC, "TNCCS Connection ID %u opened again: ending both", id);
		engine_ike_gone(&old->e, &tnccs.env, "Connection ID opened twice");
		run(old);
		close_for_ike(id, TNC_ESTATE, "Connection ID opened twice");
		return;
	}
	if (tnccs.sessions.count >= TNCCS_SESSIONS_MAX) {
		LOG_WARN(TNC, "refusing TNCCS Connection ID %u: too many connections", id);
		close_for_ike(id, TNC_EAGAIN, "server busy");
		return;
	}
	struct session *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->entry.id = id;
	s->opened_ms = uv_now(tnccs.loop);
	uv_timer_init(tnccs.loop, &s->timer);
	s->timer.data = s;
	id_table_add(&tnccs.sessions, &s->entry);
	tnccs_metrics_in_flight(tnccs.sessions.count);
	(void)engine_open(&s->e, &tnccs.env, id, o);
	run(s);
}

void
session_batch(uint32_t id, struct bytes batch)
{
	struct session *s = find(id);
	if (!s) {
		LOG(TNC, 1, "batch for unknown TNCCS Connection ID %u: closing it", id);
		close_for_ike(id, TNC_ENOTFOUND, "unknown Connection ID");
		return;
	}
	tnccs_metrics_batch(false, batch.len);
	engine_client_batch(&s->e, &tnccs.env, batch);
	run(s);
}

void
session_client_left(uint32_t id, const struct ipc_tnccs_close *c)
{
	struct session *s = find(id);
	char reason[128];
	if (!s)
		return;
	engine_client_left(&s->e, &tnccs.env, bytes_cstr(c->reason, reason, sizeof(reason)));
	run(s);
}

void
session_imv_msg(unsigned imv, uint32_t gen, struct ipc_received *rx)
{
	struct session *s = find(rx->hdr.session);
	if (!s) {
		LOG(TNC, 2, "'%s' of %s for Connection ID %u, which is over", ipc_type_name(rx->hdr.type),
		    tnccs.env.imvs[imv].m->name, rx->hdr.session);
		return;
	}
	engine_imv_msg(&s->e, &tnccs.env, imv, gen, &rx->msg);
	run(s);
}

/* The IMV and tnc-ike events touch every session; the one being handled
 * may end, so the next is taken first. */
void
sessions_imv_lost(unsigned imv, const char *why)
{
	for (struct session *s = next_session(NULL), *next; s; s = next) {
		next = next_session(s);
		engine_imv_lost(&s->e, &tnccs.env, imv, why);
		run(s);
	}
}

void
sessions_imv_back(unsigned imv)
{
	for (struct session *s = next_session(NULL), *next; s; s = next) {
		next = next_session(s);
		engine_imv_back(&s->e, &tnccs.env, imv);
		run(s);
	}
}

void
session_policy_recorded(struct ipc_received *rx)
{
	struct session *s = find(rx->hdr.session);
	if (!s || !rx->hdr.seq || s->policy_seq != rx->hdr.seq) {
		LOG(TNC, 2, "tnc-policy's answer for Connection ID %u is for no decision waiting",
		    rx->hdr.session);
		return;
	}
	engine_policy_recorded(&s->e, &tnccs.env, rx->msg.u.policy_recorded.status);
	run(s);
}

void
sessions_policy_back(void)
{
	for (struct session *s = next_session(NULL), *next; s; s = next) {
		next = next_session(s);
		engine_policy_back(&s->e, &tnccs.env);
		run(s);
	}
}

void
sessions_policy_lost(const char *why)
{
	for (struct session *s = next_session(NULL), *next; s; s = next) {
		next = next_session(s);
		engine_policy_lost(&s->e, &tnccs.env, why);
		run(s);
	}
}

void
sessions_drop_all(const char *why)
{
	for (struct session *s = next_session(NULL), *next; s; s = next) {
		next = next_session(s);
		engine_ike_gone(&s->e, &tnccs.env, why);
		run(s);
	}
	ike_out_clear(&tnccs.ike);
}
