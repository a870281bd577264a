/* policyd_pending.c - what tnc-policy holds of each connection until its
 * end (see policyd.h). */
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "policyd.h"

void
pending_init(struct pending_table *p)
{
	id_table_init(&p->t, TNCCS_SESSIONS_MAX);
}

struct pending_session *
pending_find(struct pending_table *p, uint32_t conn)
{
	return (struct pending_session *)id_table_find(&p->t, conn);
}

struct pending_session *
pending_get(struct pending_table *p, uint32_t conn)
{
	struct pending_session *s = pending_find(p, conn);
	if (s)
		return s;
	if (p->t.count >= TNCCS_SESSIONS_MAX) {
		LOG_WARN(IMV, "policy: %zu connections wait to be recorded already: Connection ID %u "
		    "will not be", p->t.count, conn);
		return NULL;
	}
	s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->entry.id = conn;
	id_table_add(&p->t, &s->entry);
	return s;
}

void
pending_remove(struct pending_table *p, struct pending_session *s)
{
	id_table_remove(&p->t, &s->entry);
	pending_plan_clear(s);
	free(s);
}

void
pending_clear(struct pending_table *p)
{
	for (struct id_table_entry *e = id_table_next(&p->t, NULL), *next; e; e = next) {
		next = id_table_next(&p->t, e);
		pending_remove(p, (struct pending_session *)e);
	}
}

void
pending_start(struct pending_table *p, uint32_t conn, int64_t now,
    const struct ipc_policy_session_start *m)
{
	struct pending_session *s = pending_get(p, conn);
	if (!s)
		return;
	if (s->started) { /* a new assessment: what the IMV said of the old one is void */
		s->product[0] = s->device[0] = 0;
		s->device_conflict = false;
		pending_plan_clear(s);
	}
	s->started = true;
	s->time = now;
	s->identity_too_long = m->identity.len > POLICYD_IDENTITY_MAX;
	bytes_cstr(m->identity, s->identity, sizeof(s->identity));
	bytes_cstr(m->peer, s->peer, sizeof(s->peer));
	LOG(IMV, 2, "policy: Connection ID %u from %s started%s%s", conn, s->peer,
	    s->identity[0] ? ", identity " : "", s->identity);
}

void
pending_device(struct pending_table *p, uint32_t conn, const struct ipc_policy_device *m)
{
	struct pending_session *s = pending_get(p, conn);
	if (!s)
		return;
	char product[sizeof(s->product)], device[sizeof(s->device)];
	bytes_cstr(m->product, product, sizeof(product));
	bytes_cstr(m->device, device, sizeof(device));
	/* the OS and the attestation IMV both report it: one plan serves both */
	if (!strcmp(product, s->product) && !strcmp(device, s->device))
		return;
	if (s->product[0] || s->device[0]) {
		/* IMCs of one endpoint that disagree on what it is: the first
		 * report and the results given on it stand, and no IMV gets
		 * workitems any more, so the assessment ends fail-closed */
		if (!s->device_conflict)
			LOG_WARN(IMV, "policy: Connection ID %u reported as device '%s', product '%s' "
			    "after device '%s', product '%s': no more workitems for it", conn, device,
			    product, s->device, s->product);
		s->device_conflict = true;
		return;
	}
	memcpy(s->product, product, sizeof(product));
	memcpy(s->device, device, sizeof(device));
	LOG(IMV, 2, "policy: Connection ID %u is device '%s', product '%s'", conn, s->device,
	    s->product);
}
