/* swima_upload.c - entries for tnc-policy in frame-sized chunks (see
 * swima_upload.h). */
#include "swima_upload.h"

#include <stdlib.h>
#include <string.h>

#define ENTRY_MAX (16u + IPC_SW_TIME_MAX + IPC_SW_ID_MAX + 3 * IPC_POLICY_VALUE_MAX + \
    IPC_SW_TAG_MAX + 16)

static struct swima_chunk *
new_chunk(struct swima_upload *u)
{
	if (u->n == u->cap) {
		size_t cap = u->cap ? 2 * u->cap : 4;
		struct swima_chunk *p = realloc(u->chunk, cap * sizeof(*p));
		if (!p)
			abort();
		u->chunk = p;
		u->cap = cap;
	}
	struct swima_chunk *c = &u->chunk[u->n++];
	*c = (struct swima_chunk){0};
	/* one entry is at most ENTRY_MAX: a tag alone may pass the chunk size */
	wire_writer_init(&c->list, SWIMA_CHUNK_BYTES > ENTRY_MAX ? SWIMA_CHUNK_BYTES : ENTRY_MAX);
	return c;
}

void
swima_upload_begin(struct swima_upload *u, enum swima_upload_kind kind, uint32_t epoch,
    uint32_t last_eid, size_t max_records, size_t max_bytes)
{
	swima_upload_clear(u);
	u->kind = kind;
	u->epoch = epoch;
	u->last_eid = last_eid;
	u->max_records = max_records;
	u->max_bytes = max_bytes;
	if (kind != SWIMA_UP_TAGS) /* an empty inventory or no new events are news too */
		new_chunk(u);
}

void
swima_upload_clear(struct swima_upload *u)
{
	for (size_t i = 0; i < u->n; i++)
		wire_writer_clear(&u->chunk[i].list);
	free(u->chunk);
	*u = (struct swima_upload){0};
}

/* The encoded entry in one goes to the last chunk, or a new one when it
 * would not fit. */
static int
append(struct swima_upload *u, const struct wire_writer *one)
{
	if (u->records + 1 > u->max_records || u->bytes + one->len > u->max_bytes)
		return TNC_ETOOLONG;
	struct swima_chunk *c = u->n ? &u->chunk[u->n - 1] : NULL;
	if (!c || c->count == IPC_SW_LIST_MAX ||
	    (c->count && c->list.len + one->len > SWIMA_CHUNK_BYTES))
		c = new_chunk(u);
	wire_put_bytes(&c->list, one->buf, one->len);
	int err = wire_writer_status(&c->list);
	if (err)
		return err;
	c->count++;
	u->records++;
	u->bytes += one->len;
	return 0;
}

static int
finish_entry(struct swima_upload *u, struct wire_writer *one, int err)
{
	if (!err)
		err = append(u, one);
	wire_writer_clear(one);
	return err;
}

int
swima_upload_id(struct swima_upload *u, const struct ipc_sw_id *id)
{
	struct wire_writer one;
	wire_writer_init(&one, ENTRY_MAX);
	return finish_entry(u, &one, ipc_sw_id_put(&one, id));
}

int
swima_upload_event(struct swima_upload *u, const struct ipc_sw_event *e)
{
	struct wire_writer one;
	wire_writer_init(&one, ENTRY_MAX);
	return finish_entry(u, &one, ipc_sw_event_put(&one, e));
}

int
swima_upload_tag(struct swima_upload *u, const struct ipc_sw_id *id, struct bytes tag)
{
	struct wire_writer one;
	wire_writer_init(&one, ENTRY_MAX);
	return finish_entry(u, &one, ipc_sw_tag_put(&one, id, tag));
}

bool
swima_upload_pending(const struct swima_upload *u)
{
	return u->sent < u->n;
}

void
swima_upload_next(const struct swima_upload *u, struct ipc_msg *m, bool *ret_ask)
{
	const struct swima_chunk *c = &u->chunk[u->sent];
	struct bytes list = {c->list.buf, c->list.len};
	bool last = u->sent + 1 == u->n;

	memset(m, 0, sizeof(*m));
	*ret_ask = last || u->kind == SWIMA_UP_TAGS;
	if (u->kind == SWIMA_UP_TAGS) {
		m->type = IPC_POLICY_SW_TAGS;
		m->u.policy_sw_tags = (struct ipc_policy_sw_tags){c->count, list};
		return;
	}
	m->type = u->kind == SWIMA_UP_EVENTS ? IPC_POLICY_SW_EVENTS : IPC_POLICY_SW_INVENTORY;
	m->u.policy_sw_list = (struct ipc_policy_sw_list){
	    (uint8_t)((u->sent == 0 ? IPC_SW_FIRST : 0) | (last ? IPC_SW_LAST : 0)), u->epoch,
	    u->last_eid, c->count, list};
}

void
swima_upload_sent(struct swima_upload *u)
{
	u->sent++;
}
