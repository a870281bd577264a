/* policyd_software.c - the SWIMA IMV's requests of the software database
 * (see policyd_software.h and policy_software.h).
 *
 * Every request is for the connection's device as its OS IMV reported it
 * (TNC_ESTATE before that).  An inventory or a batch of events may span
 * many frames: its chunks are kept here, bounded per connection and in
 * all, until the last one, and then stored in one call, so the database
 * has the whole inventory or none of it.  A chunk out of order, past a
 * bound or malformed spoils the upload: its last chunk is answered with
 * the error and nothing is stored.
 */
#include <stdlib.h>
#include <string.h>

#include "ipc_channel.h"
#include "log.h"
#include "policy_software.h"
#include "policyd_software.h"

struct upload {
	bool used, events;
	int failed; /* 0 or the error the last chunk gets */
	uint32_t conn, epoch, last_eid;
	size_t count; /* entries so far */
	struct wire_writer buf; /* the chunks' lists, back to back */
};

static struct upload uploads[POLICYD_SW_UPLOADS];
static size_t uploads_bytes;

bool
policyd_sw_request_type(uint16_t type)
{
	switch (type) {
	case IPC_POLICY_SW_STATE_GET:
	case IPC_POLICY_SW_INVENTORY:
	case IPC_POLICY_SW_EVENTS:
	case IPC_POLICY_SW_TAGS:
	case IPC_POLICY_SW_UNTAGGED_GET:
	case IPC_POLICY_SW_VERDICT_GET:
		return true;
	}
	return false;
}

static void
upload_drop(struct upload *u)
{
	uploads_bytes -= u->buf.len;
	wire_writer_clear(&u->buf);
	*u = (struct upload){0};
}

void
policyd_sw_forget(uint32_t conn, bool all)
{
	for (size_t i = 0; i < POLICYD_SW_UPLOADS; i++)
		if (uploads[i].used && (all || uploads[i].conn == conn))
			upload_drop(&uploads[i]);
}

static struct upload *
upload_find(uint32_t conn)
{
	for (size_t i = 0; i < POLICYD_SW_UPLOADS; i++)
		if (uploads[i].used && uploads[i].conn == conn)
			return &uploads[i];
	return NULL;
}

/* The connection's upload after this chunk, NULL when no slot is free. */
static struct upload *
upload_chunk(uint32_t conn, bool events, const struct ipc_policy_sw_list *m)
{
	struct upload *u = upload_find(conn);
	if (u && (m->flags & IPC_SW_FIRST))
		upload_drop(u);
	if (!u || !u->used) {
		u = NULL;
		for (size_t i = 0; !u && i < POLICYD_SW_UPLOADS; i++)
			u = uploads[i].used ? NULL : &uploads[i];
		if (!u)
			return NULL;
		*u = (struct upload){.used = true, .events = events, .conn = conn, .epoch = m->epoch,
		    .last_eid = m->last_eid};
		wire_writer_init(&u->buf, POLICYD_SW_UPLOAD_BYTES);
		if (!(m->flags & IPC_SW_FIRST))
			u->failed = TNC_ESTATE; /* its first chunk never came */
	}
	if (u->failed)
		return u;
	if (u->events != events || u->epoch != m->epoch || u->last_eid != m->last_eid)
		u->failed = TNC_EINVALID;
	else if (u->count + m->count > PS_SW_INVENTORY_MAX ||
	    uploads_bytes + m->list.len > POLICYD_SW_UPLOADS_BYTES)
		u->failed = TNC_ETOOLONG;
	if (u->failed)
		return u;
	size_t before = u->buf.len;
	wire_put_bytes(&u->buf, m->list.ptr, m->list.len);
	if ((u->failed = wire_writer_status(&u->buf)))
		return u;
	uploads_bytes += u->buf.len - before;
	u->count += m->count;
	return u;
}

/* A view as a C string in strings at *at (NULL for an empty optional field). */
static const char *
cstr(struct bytes b, char *strings, size_t *at, bool optional)
{
	if (optional && !b.len)
		return NULL;
	const char *s = bytes_cstr(b, strings + *at, b.len + 1);
	*at += b.len + 1;
	return s;
}

static struct ps_sw_id
sw_id(const struct ipc_sw_id *id, char *strings, size_t *at)
{
	return (struct ps_sw_id){cstr(id->name, strings, at, false),
	    cstr(id->package, strings, at, true), cstr(id->version, strings, at, true),
	    cstr(id->regid, strings, at, true)};
}

/* The whole upload stored for device (validated chunk by chunk when they
 * were decoded); *ret_stored the entries stored. */
static int
upload_store(struct policy_store *store, struct upload *u, const char *device, int64_t since,
    size_t *ret_stored)
{
	struct ipc_policy_sw_list all = {.list = {u->buf.buf, u->buf.len}};
	char *strings = malloc(u->buf.len + 1); /* length prefixes leave room for the NULs */
	struct ps_sw_id *ids = u->events ? NULL : malloc((u->count + 1) * sizeof(*ids));
	struct ps_sw_event *ev = u->events ? malloc((u->count + 1) * sizeof(*ev)) : NULL;
	size_t pos = 0, at = 0;
	int err = 0;
	if (!strings || (!ids && !ev))
		abort();
	for (size_t i = 0; !err && i < u->count; i++) {
		struct ipc_sw_event e;
		if (u->events && !(err = ipc_sw_event_next(&all, &pos, &e)))
			ev[i] = (struct ps_sw_event){e.eid, cstr(e.time, strings, &at, false), e.action,
			    sw_id(&e.id, strings, &at)};
		else if (!u->events && !(err = ipc_sw_id_next(&all, &pos, &e.id)))
			ids[i] = sw_id(&e.id, strings, &at);
	}
	if (!err && u->events)
		err = policy_store_sw_events_apply(store, device, since, u->epoch, u->last_eid, ev,
		    u->count, ret_stored);
	else if (!err) {
		err = policy_store_sw_inventory_replace(store, device, since, u->epoch, u->last_eid,
		    ids, u->count);
		*ret_stored = u->count;
	}
	free(strings);
	free(ids);
	free(ev);
	return err;
}

static int
tags_store(struct policy_store *store, const struct ipc_policy_sw_tags *m, int64_t now)
{
	/* each field's length prefix leaves room for its NUL */
	char *strings = malloc(m->list.len + 1);
	struct ps_sw_tag *t = malloc((m->count + 1u) * sizeof(*t));
	size_t pos = 0, at = 0;
	int err = 0;
	if (!strings || !t)
		abort();
	for (unsigned i = 0; !err && i < m->count; i++) {
		struct ipc_sw_id id;
		struct bytes tag;
		if (!(err = ipc_sw_tag_next(m, &pos, &id, &tag)))
			t[i] = (struct ps_sw_tag){sw_id(&id, strings, &at), cstr(tag, strings, &at, false)};
	}
	if (!err)
		err = policy_store_sw_tags_store(store, t, m->count, now);
	free(strings);
	free(t);
	return err;
}

static int
name_put(void *ctx, const char *name)
{
	return ipc_sw_name_put(ctx, (struct bytes){(const uint8_t *)name, strlen(name)});
}

/* The verdict of workitem n of the session, a SWIDT or SWIDI one. */
static int
verdict(struct policy_store *store, const struct pending_session *s, uint32_t n,
    struct ipc_policy_sw_verdict *ret, struct ps_sw_verdict *v)
{
	if (!n || n > s->nplan || (s->plan[n - 1].type != PS_POLICY_SWIDT &&
	    s->plan[n - 1].type != PS_POLICY_SWIDI))
		return TNC_ENOTFOUND;
	int err = policy_store_sw_verdict(store, s->device, s->plan[n - 1].argument, v);
	if (!err)
		*ret = (struct ipc_policy_sw_verdict){0, v->fail, v->forbidden, v->missing,
		    v->vulnerable, v->identifiers,
		    {(const uint8_t *)v->detail, strlen(v->detail)}};
	return err;
}

static void
state_reply(struct policy_store *store, const char *device, int err, size_t stored,
    struct ipc_msg *reply)
{
	struct ps_sw_state st = {0};
	if (!err)
		err = policy_store_sw_state(store, device, &st);
	reply->type = IPC_POLICY_SW_STATE;
	reply->u.policy_sw_state = (struct ipc_policy_sw_state){err, err ? 0 : (uint32_t)stored,
	    st.known, st.epoch, st.last_eid};
}

/* A chunk: true with the answer when it was the last one. */
static bool
chunk(struct policy_store *store, const struct pending_session *s, uint32_t conn,
    const struct ipc_received *rx, int *err, size_t *stored)
{
	const struct ipc_policy_sw_list *m = &rx->msg.u.policy_sw_list;
	bool events = rx->hdr.type == IPC_POLICY_SW_EVENTS;
	struct upload *u = upload_chunk(conn, events, m);
	if (!(m->flags & IPC_SW_LAST))
		return false;
	*err = !u ? -ENOMEM : u->failed ? u->failed : !store ? -ENOTCONN : 0;
	if (!*err)
		*err = upload_store(store, u, s->device, s->time, stored);
	if (!*err && events)
		LOG(IMV, 1, "policy: applied %zu of %zu events for device '%s' (Connection ID %u)",
		    *stored, u->count, s->device, conn);
	else if (!*err)
		LOG(IMV, 1, "policy: stored an inventory of %zu identifiers for device '%s'"
		    " (Connection ID %u)", u->count, s->device, conn);
	else if (!u || u->failed)
		LOG_WARN(IMV, "policy: refused the %s of Connection ID %u: %s",
		    events ? "events" : "inventory", conn, tnc_strerror(*err));
	else
		POLICYD_STORE_FAILED(*err, "policy: cannot store the %s of Connection ID %u: %s",
		    events ? "events" : "inventory", conn, store ? policy_store_error(store) :
		    tnc_strerror(*err));
	if (u)
		upload_drop(u);
	return true;
}

static bool
answer(struct pending_table *p, struct policyd_db *db, const struct ipc_received *rx,
    struct ipc_msg *reply, struct wire_writer *w)
{
	uint32_t conn = rx->hdr.session;
	const struct pending_session *s = pending_find(p, conn);
	struct policy_store *store = policyd_db_store(db);
	bool device = s && s->device[0];
	int err = !device ? TNC_ESTATE : !store ? -ENOTCONN : 0;
	size_t stored = 0;
	struct ps_sw_verdict v;
	switch (rx->hdr.type) {
	case IPC_POLICY_SW_STATE_GET:
		state_reply(store, device ? s->device : "", err, 0, reply);
		break;
	case IPC_POLICY_SW_INVENTORY:
	case IPC_POLICY_SW_EVENTS:
		if (!device) { /* nothing to keep the chunks for */
			if (!(rx->msg.u.policy_sw_list.flags & IPC_SW_LAST))
				return false;
		} else if (!chunk(store, s, conn, rx, &err, &stored)) {
			return false;
		}
		state_reply(store, device ? s->device : "", err, stored, reply);
		break;
	case IPC_POLICY_SW_TAGS:
		if (!err)
			err = tags_store(store, &rx->msg.u.policy_sw_tags, s->time);
		if (err && err != TNC_ESTATE)
			POLICYD_STORE_FAILED(err, "policy: cannot store the tags of Connection ID %u: %s",
			    conn, store ? policy_store_error(store) : tnc_strerror(err));
		state_reply(store, device ? s->device : "", err, rx->msg.u.policy_sw_tags.count, reply);
		break;
	case IPC_POLICY_SW_UNTAGGED_GET: {
		uint16_t max = rx->msg.u.policy_sw_untagged_get.max;
		wire_writer_init(w, (size_t)max * (2 + IPC_SW_ID_MAX));
		if (!err)
			err = policy_store_sw_untagged(store, s->device, max, name_put, w);
		reply->type = IPC_POLICY_SW_UNTAGGED;
		reply->u.policy_sw_untagged = (struct ipc_policy_sw_untagged){err, 0, {w->buf, 0}};
		if (!err) { /* count the names written */
			size_t pos = 0;
			struct bytes name;
			reply->u.policy_sw_untagged.list.len = w->len;
			while (ipc_sw_name_next(&reply->u.policy_sw_untagged, &pos, &name) == 0)
				reply->u.policy_sw_untagged.count++;
		}
		break;
	}
	case IPC_POLICY_SW_VERDICT_GET:
		reply->type = IPC_POLICY_SW_VERDICT;
		reply->u.policy_sw_verdict = (struct ipc_policy_sw_verdict){0};
		if (!err)
			err = verdict(store, s, rx->msg.u.policy_sw_verdict_get.workitem,
			    &reply->u.policy_sw_verdict, &v);
		reply->u.policy_sw_verdict.status = err;
		break;
	default:
		return false;
	}
	policyd_db_result(db, err);
	return true;
}

bool
policyd_sw_request(struct pending_table *p, struct policyd_db *db, uint16_t imv_id,
    const struct ipc_received *rx, struct ipc_msg *reply, struct wire_writer *w)
{
	if (imv_id != ps_policy_type_imv(PS_POLICY_SWIDT)) {
		LOG_WARN(IPC, "policy: '%s' from IMV %u, which does not judge software",
		    ipc_type_name(rx->hdr.type), imv_id);
		return false;
	}
	bool answered = answer(p, db, rx, reply, w);
	if (answered && !rx->hdr.seq) {
		LOG_WARN(IPC, "policy: '%s' of Connection ID %u without a seq is not answered",
		    ipc_type_name(rx->hdr.type), rx->hdr.session);
		return false;
	}
	return answered;
}
