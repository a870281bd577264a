/* ipc_msg_sw.c - encode/decode of the policy-sw-* payloads between
 * tnc-imv-swima and tnc-policy (see ipc_msg.h); the other payloads are in
 * ipc_msg.c. */
#include "ipc_msg.h"
#include "ipc_msg_int.h"

#include <string.h>

/* --- the SWIMA IMV's software database --- */

/* An identifier: a name of 1..IPC_SW_ID_MAX bytes; package, version and
 * regid of at most IPC_POLICY_VALUE_MAX, empty when not known. */
static int
get_sw_id(struct wire_reader *r, void *ret)
{
	struct ipc_sw_id *id = ret;
	int err;
	if ((err = ipc_get_text_max(r, IPC_SW_ID_MAX, &id->name)) ||
	    (err = ipc_get_text_max(r, IPC_POLICY_VALUE_MAX, &id->package)) ||
	    (err = ipc_get_text_max(r, IPC_POLICY_VALUE_MAX, &id->version)) ||
	    (err = ipc_get_text_max(r, IPC_POLICY_VALUE_MAX, &id->regid)))
		return err;
	return id->name.len ? 0 : TNC_EINVALID;
}

static int
get_sw_event(struct wire_reader *r, void *ret)
{
	struct ipc_sw_event *e = ret;
	int err;
	if ((err = wire_get_u32(r, &e->eid)) || (err = ipc_get_text_max(r, IPC_SW_TIME_MAX, &e->time)) ||
	    (err = wire_get_u8(r, &e->action)))
		return err;
	if (e->action < 1 || e->action > 3)
		return TNC_EINVALID;
	return get_sw_id(r, &e->id);
}

struct sw_tag {
	struct ipc_sw_id id;
	struct bytes tag;
};

/* A tag: 1..IPC_SW_TAG_MAX bytes of text (no NUL). */
static int
get_sw_tag(struct wire_reader *r, void *ret)
{
	struct sw_tag *t = ret;
	int err;
	if ((err = get_sw_id(r, &t->id)) || (err = ipc_get_blob(r, &t->tag)))
		return err;
	if (t->tag.len > IPC_SW_TAG_MAX)
		return TNC_ETOOLONG;
	return t->tag.len && !memchr(t->tag.ptr, 0, t->tag.len) ? 0 : TNC_EINVALID;
}

static int
get_sw_name(struct wire_reader *r, void *ret)
{
	struct bytes *name = ret;
	int err = ipc_get_text_max(r, IPC_SW_ID_MAX, name);
	return err ? err : name->len ? 0 : TNC_EINVALID;
}

/* count entries read by get from r; *ret views them. */
static int
get_sw_entries(struct wire_reader *r, unsigned count, int (*get)(struct wire_reader *, void *),
    void *scratch, struct bytes *ret)
{
	size_t start = r->pos;
	for (unsigned i = 0; i < count; i++) {
		int err = get(r, scratch);
		if (err)
			return err;
	}
	*ret = (struct bytes){r->base + start, r->pos - start};
	return 0;
}

/* The next entry of a validated list at *pos. */
static int
sw_entry_next(struct bytes list, size_t *pos, int (*get)(struct wire_reader *, void *),
    void *ret)
{
	if (*pos >= list.len)
		return TNC_ENOTFOUND;
	struct wire_reader r;
	wire_reader_init(&r, list.ptr + *pos, list.len - *pos);
	int err = get(&r, ret);
	if (err)
		return err;
	*pos += r.pos;
	return 0;
}

static int
decode_sw_list(struct wire_reader *r, bool events, struct ipc_policy_sw_list *m)
{
	struct ipc_sw_event scratch;
	int err;
	if ((err = wire_get_u8(r, &m->flags)) || (err = wire_get_u32(r, &m->epoch)) ||
	    (err = wire_get_u32(r, &m->last_eid)) || (err = wire_get_u16(r, &m->count)))
		return err;
	if (m->flags & ~(IPC_SW_FIRST | IPC_SW_LAST))
		return TNC_ERESERVED;
	if (m->count > IPC_SW_LIST_MAX)
		return TNC_ETOOLONG;
	return events ? get_sw_entries(r, m->count, get_sw_event, &scratch, &m->list) :
	                get_sw_entries(r, m->count, get_sw_id, &scratch.id, &m->list);
}

int
ipc_sw_id_next(const struct ipc_policy_sw_list *m, size_t *pos, struct ipc_sw_id *ret)
{
	return sw_entry_next(m->list, pos, get_sw_id, ret);
}

int
ipc_sw_event_next(const struct ipc_policy_sw_list *m, size_t *pos, struct ipc_sw_event *ret)
{
	return sw_entry_next(m->list, pos, get_sw_event, ret);
}

int
ipc_sw_tag_next(const struct ipc_policy_sw_tags *m, size_t *pos, struct ipc_sw_id *id,
    struct bytes *tag)
{
	struct sw_tag t;
	int err = sw_entry_next(m->list, pos, get_sw_tag, &t);
	if (!err) {
		*id = t.id;
		*tag = t.tag;
	}
	return err;
}

int
ipc_sw_name_next(const struct ipc_policy_sw_untagged *m, size_t *pos, struct bytes *name)
{
	return sw_entry_next(m->list, pos, get_sw_name, name);
}

int
ipc_sw_id_put(struct wire_writer *w, const struct ipc_sw_id *id)
{
	if (!id->name.len || id->name.len > IPC_SW_ID_MAX || id->package.len > IPC_POLICY_VALUE_MAX ||
	    id->version.len > IPC_POLICY_VALUE_MAX || id->regid.len > IPC_POLICY_VALUE_MAX)
		return TNC_ETOOLONG;
	ipc_put_bytes_text(w, id->name);
	ipc_put_bytes_text(w, id->package);
	ipc_put_bytes_text(w, id->version);
	ipc_put_bytes_text(w, id->regid);
	return wire_writer_status(w);
}

int
ipc_sw_event_put(struct wire_writer *w, const struct ipc_sw_event *e)
{
	if (e->time.len > IPC_SW_TIME_MAX)
		return TNC_ETOOLONG;
	if (e->action < 1 || e->action > 3)
		return TNC_EINVALID;
	wire_put_u32(w, e->eid);
	ipc_put_bytes_text(w, e->time);
	wire_put_u8(w, e->action);
	return ipc_sw_id_put(w, &e->id);
}

int
ipc_sw_tag_put(struct wire_writer *w, const struct ipc_sw_id *id, struct bytes tag)
{
	if (!tag.len || tag.len > IPC_SW_TAG_MAX)
		return TNC_ETOOLONG;
	int err = ipc_sw_id_put(w, id);
	if (err)
		return err;
	ipc_put_blob(w, tag);
	return wire_writer_status(w);
}

int
ipc_sw_name_put(struct wire_writer *w, struct bytes name)
{
	if (!name.len || name.len > IPC_SW_ID_MAX)
		return TNC_ETOOLONG;
	ipc_put_bytes_text(w, name);
	return wire_writer_status(w);
}

int
ipc_msg_decode_sw(struct wire_reader *r, struct ipc_msg *m)
{
	int err;
	switch (m->type) {
	case IPC_POLICY_SW_STATE_GET:
		return 0;
	case IPC_POLICY_SW_STATE: {
		struct ipc_policy_sw_state *st = &m->u.policy_sw_state;
		if ((err = ipc_get_status(r, &st->status)) || (err = wire_get_u32(r, &st->stored)) ||
		    (err = wire_get_u8(r, &st->known)) || (err = wire_get_u32(r, &st->epoch)) ||
		    (err = wire_get_u32(r, &st->last_eid)))
			return err;
		return st->known > 1 ? TNC_EINVALID : 0;
	}
	case IPC_POLICY_SW_INVENTORY:
	case IPC_POLICY_SW_EVENTS:
		return decode_sw_list(r, m->type == IPC_POLICY_SW_EVENTS, &m->u.policy_sw_list);
	case IPC_POLICY_SW_TAGS: {
		struct sw_tag scratch;
		if ((err = wire_get_u16(r, &m->u.policy_sw_tags.count)))
			return err;
		if (m->u.policy_sw_tags.count > IPC_SW_LIST_MAX)
			return TNC_ETOOLONG;
		return get_sw_entries(r, m->u.policy_sw_tags.count, get_sw_tag, &scratch,
		    &m->u.policy_sw_tags.list);
	}
	case IPC_POLICY_SW_UNTAGGED_GET:
		if ((err = wire_get_u16(r, &m->u.policy_sw_untagged_get.max)))
			return err;
		return m->u.policy_sw_untagged_get.max < 1 ||
		    m->u.policy_sw_untagged_get.max > IPC_SW_UNTAGGED_MAX ? TNC_EINVALID : 0;
	case IPC_POLICY_SW_UNTAGGED: {
		struct ipc_policy_sw_untagged *u = &m->u.policy_sw_untagged;
		struct bytes scratch;
		if ((err = ipc_get_status(r, &u->status)) || (err = wire_get_u16(r, &u->count)))
			return err;
		if (u->count > IPC_SW_UNTAGGED_MAX)
			return TNC_ETOOLONG;
		return get_sw_entries(r, u->count, get_sw_name, &scratch, &u->list);
	}
	case IPC_POLICY_SW_VERDICT_GET:
		return wire_get_u32(r, &m->u.policy_sw_verdict_get.workitem);
	case IPC_POLICY_SW_VERDICT: {
		struct ipc_policy_sw_verdict *v = &m->u.policy_sw_verdict;
		if ((err = ipc_get_status(r, &v->status)) || (err = wire_get_u8(r, &v->fail)) ||
		    (err = wire_get_u32(r, &v->forbidden)) || (err = wire_get_u32(r, &v->missing)) ||
		    (err = wire_get_u32(r, &v->vulnerable)) ||
		    (err = wire_get_u32(r, &v->identifiers)) ||
		    (err = ipc_get_text_max(r, IPC_SW_DETAIL_MAX, &v->detail)))
			return err;
		return v->fail > 1 ? TNC_EINVALID : 0;
	}
	}
	return TNC_ETYPE;
}

int
ipc_msg_encode_sw(const struct ipc_msg *m, struct wire_writer *w)
{
	switch (m->type) {
	case IPC_POLICY_SW_STATE_GET:
		break;
	case IPC_POLICY_SW_STATE: {
		const struct ipc_policy_sw_state *st = &m->u.policy_sw_state;
		wire_put_u32(w, (uint32_t)st->status);
		wire_put_u32(w, st->stored);
		wire_put_u8(w, st->known);
		wire_put_u32(w, st->epoch);
		wire_put_u32(w, st->last_eid);
		break;
	}
	case IPC_POLICY_SW_INVENTORY:
	case IPC_POLICY_SW_EVENTS: {
		const struct ipc_policy_sw_list *l = &m->u.policy_sw_list;
		if (l->count > IPC_SW_LIST_MAX)
			return TNC_ETOOLONG;
		wire_put_u8(w, l->flags);
		wire_put_u32(w, l->epoch);
		wire_put_u32(w, l->last_eid);
		wire_put_u16(w, l->count);
		wire_put_bytes(w, l->list.ptr, l->list.len);
		break;
	}
	case IPC_POLICY_SW_TAGS:
		if (m->u.policy_sw_tags.count > IPC_SW_LIST_MAX)
			return TNC_ETOOLONG;
		wire_put_u16(w, m->u.policy_sw_tags.count);
		wire_put_bytes(w, m->u.policy_sw_tags.list.ptr, m->u.policy_sw_tags.list.len);
		break;
	case IPC_POLICY_SW_UNTAGGED_GET:
		wire_put_u16(w, m->u.policy_sw_untagged_get.max);
		break;
	case IPC_POLICY_SW_UNTAGGED:
		if (m->u.policy_sw_untagged.count > IPC_SW_UNTAGGED_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)m->u.policy_sw_untagged.status);
		wire_put_u16(w, m->u.policy_sw_untagged.count);
		wire_put_bytes(w, m->u.policy_sw_untagged.list.ptr, m->u.policy_sw_untagged.list.len);
		break;
	case IPC_POLICY_SW_VERDICT_GET:
		wire_put_u32(w, m->u.policy_sw_verdict_get.workitem);
		break;
	case IPC_POLICY_SW_VERDICT: {
		const struct ipc_policy_sw_verdict *v = &m->u.policy_sw_verdict;
		if (v->detail.len > IPC_SW_DETAIL_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)v->status);
		wire_put_u8(w, v->fail);
		wire_put_u32(w, v->forbidden);
		wire_put_u32(w, v->missing);
		wire_put_u32(w, v->vulnerable);
		wire_put_u32(w, v->identifiers);
		ipc_put_bytes_text(w, v->detail);
		break;
	}
	default:
		return TNC_ETYPE;
	}
	return wire_writer_status(w);
}
