/* ipc_msg.c - encode/decode of IPC payloads (see ipc_msg.h). */
#include "ipc_msg.h"
#include "ipc_msg_int.h"

#include <string.h>

static int
get_text(struct wire_reader *r, struct bytes *ret)
{
	uint16_t len;
	struct bytes b;
	int err;

	if ((err = wire_get_u16(r, &len)) || (err = wire_get_bytes(r, len, &b)))
		return err;
	if (len > IPC_TEXT_MAX)
		return TNC_ETOOLONG;
	if (memchr(b.ptr, 0, b.len))
		return TNC_EINVALID;
	*ret = b;
	return 0;
}

int
ipc_get_blob(struct wire_reader *r, struct bytes *ret)
{
	uint32_t len;
	int err;
	if ((err = wire_get_u32(r, &len)))
		return err;
	return wire_get_bytes(r, len, ret);
}

void
ipc_put_blob(struct wire_writer *w, struct bytes b)
{
	wire_put_u32(w, (uint32_t)b.len);
	wire_put_bytes(w, b.ptr, b.len);
}

void
ipc_put_text(struct wire_writer *w, const char *s, size_t len)
{
	if (len > IPC_TEXT_MAX)
		len = IPC_TEXT_MAX;
	wire_put_u16(w, (uint16_t)len);
	wire_put_bytes(w, s, len);
}

void
ipc_put_bytes_text(struct wire_writer *w, struct bytes b)
{
	ipc_put_text(w, (const char *)b.ptr, b.len);
}

static int
decode_config(struct wire_reader *r, struct ipc_config *c)
{
	int err = wire_get_u16(r, &c->count);
	if (err)
		return err;
	if (c->count > IPC_CONFIG_MAX)
		return TNC_ETOOLONG;
	for (unsigned i = 0; i < c->count; i++)
		if ((err = get_text(r, &c->key[i])) || (err = get_text(r, &c->value[i])))
			return err;
	return 0;
}

static int
decode_ctl_request(struct wire_reader *r, struct ipc_ctl_request *c)
{
	int err = wire_get_u8(r, &c->argc);
	if (err)
		return err;
	if (c->argc > IPC_CTL_ARGS_MAX)
		return TNC_ETOOLONG;
	for (unsigned i = 0; i < c->argc; i++)
		if ((err = get_text(r, &c->argv[i])))
			return err;
	return 0;
}

static int
decode_ctl_reply(struct wire_reader *r, struct ipc_ctl_reply *c)
{
	uint32_t status;
	int err;

	if ((err = wire_get_u32(r, &status)) || (err = get_text(r, &c->message)) ||
	    (err = wire_get_u16(r, &c->ncols)) || (err = wire_get_u16(r, &c->nrows)))
		return err;
	c->status = (int32_t)status;
	size_t start = wire_offset(r);
	for (unsigned i = 0; i < c->ncols; i++) {
		struct bytes name;
		uint8_t type;
		if ((err = get_text(r, &name)) || (err = wire_get_u8(r, &type)))
			return err;
		if (type > IPC_COL_NUMBER)
			return TNC_EINVALID;
	}
	c->columns = (struct bytes){r->base + start, wire_offset(r) - start};
	start = wire_offset(r);
	size_t cells = (size_t)c->ncols * c->nrows;
	for (size_t i = 0; i < cells; i++) {
		struct bytes cell;
		if ((err = get_text(r, &cell)))
			return err;
	}
	c->table = (struct bytes){r->base + start, wire_offset(r) - start};
	return 0;
}

static int
decode_subscribe(struct wire_reader *r, struct ipc_imv_subscribe *s)
{
	int err;
	if ((err = wire_get_u16(r, &s->imv_id)) || (err = get_text(r, &s->name)) ||
	    (err = wire_get_u8(r, &s->count)))
		return err;
	if (s->count > IMV_SUBSCRIBE_MAX)
		return TNC_ETOOLONG;
	for (unsigned i = 0; i < s->count; i++)
		if ((err = wire_get_u32(r, &s->vendor[i])) || (err = wire_get_u32(r, &s->subtype[i])))
			return err;
	return 0;
}

static int
decode_pa_msg(struct wire_reader *r, struct ipc_pa_msg *p)
{
	int err;
	if ((err = wire_get_u8(r, &p->flags)) || (err = wire_get_u32(r, &p->vendor)) ||
	    (err = wire_get_u32(r, &p->subtype)) || (err = wire_get_u16(r, &p->imc_id)) ||
	    (err = wire_get_u16(r, &p->imv_id)) || (err = ipc_get_blob(r, &p->msg)))
		return err;
	if (p->flags & ~PA_FLAG_EXCL)
		return TNC_ERESERVED;
	return 0;
}

/* A product or device ID: 1..IPC_POLICY_VALUE_MAX bytes. */
static int
get_policy_value(struct wire_reader *r, struct bytes *ret)
{
	int err = get_text(r, ret);
	if (err)
		return err;
	if (ret->len == 0)
		return TNC_EINVALID;
	return ret->len > IPC_POLICY_VALUE_MAX ? TNC_ETOOLONG : 0;
}

/* A text of at most max bytes. */
int
ipc_get_text_max(struct wire_reader *r, size_t max, struct bytes *ret)
{
	int err = get_text(r, ret);
	if (err)
		return err;
	return ret->len > max ? TNC_ETOOLONG : 0;
}

static int
get_rec(struct wire_reader *r, uint8_t *ret)
{
	int err = wire_get_u8(r, ret);
	if (err)
		return err;
	return *ret > IMV_REC_NONE ? TNC_EINVALID : 0;
}

/* A signed status: 0 or TNC_E*. */
int
ipc_get_status(struct wire_reader *r, int32_t *ret)
{
	uint32_t u32;
	int err = wire_get_u32(r, &u32);
	if (!err)
		*ret = (int32_t)u32;
	return err;
}

static int
decode_workitems(struct wire_reader *r, struct ipc_policy_workitems *m)
{
	int err;
	if ((err = ipc_get_status(r, &m->status)) || (err = wire_get_u16(r, &m->count)))
		return err;
	if (m->count > IPC_POLICY_WORKITEMS_MAX)
		return TNC_ETOOLONG;
	for (unsigned i = 0; i < m->count; i++) {
		struct ipc_policy_workitem *w = &m->item[i];
		if ((err = wire_get_u32(r, &w->id)) ||
		    (err = ipc_get_text_max(r, IPC_POLICY_TYPE_MAX, &w->type)) ||
		    (err = ipc_get_text_max(r, IPC_POLICY_ARGUMENT_MAX, &w->argument)) ||
		    (err = get_rec(r, &w->rec_fail)) || (err = get_rec(r, &w->rec_noresult)))
			return err;
		if (!w->type.len)
			return TNC_EINVALID;
	}
	return 0;
}

/* One package of a list: a name of 1..IPC_POLICY_VALUE_MAX bytes and a
 * version of at most that. */
static int
get_package(struct wire_reader *r, struct bytes *name, struct bytes *version)
{
	int err = get_policy_value(r, name);
	if (err)
		return err;
	return ipc_get_text_max(r, IPC_POLICY_VALUE_MAX, version);
}

static int
decode_packages(struct wire_reader *r, struct ipc_policy_packages *m)
{
	int err = wire_get_u16(r, &m->count);
	if (err)
		return err;
	if (!m->count)
		return TNC_EINVALID;
	if (m->count > IPC_POLICY_PACKAGES_MAX)
		return TNC_ETOOLONG;
	size_t start = r->pos;
	struct bytes name, version;
	for (unsigned i = 0; i < m->count; i++)
		if ((err = get_package(r, &name, &version)))
			return err;
	m->list = (struct bytes){r->base + start, r->pos - start};
	return 0;
}

int
ipc_policy_package_next(const struct ipc_policy_packages *m, size_t *pos, struct bytes *name,
    struct bytes *version)
{
	if (*pos >= m->list.len)
		return TNC_ENOTFOUND;
	struct wire_reader r;
	wire_reader_init(&r, m->list.ptr + *pos, m->list.len - *pos);
	int err = get_package(&r, name, version);
	if (err)
		return err;
	*pos += r.pos;
	return 0;
}

int
ipc_policy_package_put(struct wire_writer *w, struct bytes name, struct bytes version)
{
	if (!name.len || name.len > IPC_POLICY_VALUE_MAX || version.len > IPC_POLICY_VALUE_MAX)
		return TNC_ETOOLONG;
	ipc_put_bytes_text(w, name);
	ipc_put_bytes_text(w, version);
	return wire_writer_status(w);
}

static int
decode_verdicts(struct wire_reader *r, struct ipc_policy_package_verdicts *m)
{
	int err;
	if ((err = ipc_get_status(r, &m->status)) || (err = ipc_get_blob(r, &m->verdicts)))
		return err;
	if (m->verdicts.len > IPC_POLICY_PACKAGES_MAX)
		return TNC_ETOOLONG;
	for (size_t i = 0; i < m->verdicts.len; i++)
		if (m->verdicts.ptr[i] > IPC_PKG_VERDICT_LAST)
			return TNC_EINVALID;
	return 0;
}

/* Lower-case hex of 2..IPC_POLICY_HASH_HEX_MAX digits, an even number. */
static bool
hex_hash(struct bytes b)
{
	if (b.len < 2 || b.len > IPC_POLICY_HASH_HEX_MAX || b.len % 2)
		return false;
	for (size_t i = 0; i < b.len; i++)
		if (!((b.ptr[i] >= '0' && b.ptr[i] <= '9') || (b.ptr[i] >= 'a' && b.ptr[i] <= 'f')))
			return false;
	return true;
}

/* One file of a list: a path of 1..IPC_POLICY_PATH_MAX bytes, a hex hash. */
static int
get_file(struct wire_reader *r, struct bytes *path, struct bytes *hash)
{
	int err;
	if ((err = ipc_get_text_max(r, IPC_POLICY_PATH_MAX, path)) || (err = get_text(r, hash)))
		return err;
	return path->len && hex_hash(*hash) ? 0 : TNC_EINVALID;
}

static int
decode_files(struct wire_reader *r, struct ipc_policy_files *m)
{
	int err;
	if ((err = wire_get_u8(r, &m->form)) ||
	    (err = ipc_get_text_max(r, IPC_POLICY_ALGO_MAX, &m->algo)) ||
	    (err = ipc_get_text_max(r, IPC_POLICY_ALGO_MAX, &m->template_algo)) ||
	    (err = wire_get_u16(r, &m->count)))
		return err;
	if (m->form > IPC_FILE_IMA_TEMPLATE || !m->algo.len || !m->count ||
	    (m->form == IPC_FILE_DIGEST) != (m->template_algo.len == 0))
		return TNC_EINVALID;
	if (m->count > IPC_POLICY_FILES_MAX)
		return TNC_ETOOLONG;
	size_t start = r->pos;
	struct bytes path, hash;
	for (unsigned i = 0; i < m->count; i++)
		if ((err = get_file(r, &path, &hash)))
			return err;
	m->list = (struct bytes){r->base + start, r->pos - start};
	return 0;
}

int
ipc_policy_file_next(const struct ipc_policy_files *m, size_t *pos, struct bytes *path,
    struct bytes *hash)
{
	if (*pos >= m->list.len)
		return TNC_ENOTFOUND;
	struct wire_reader r;
	wire_reader_init(&r, m->list.ptr + *pos, m->list.len - *pos);
	int err = get_file(&r, path, hash);
	if (err)
		return err;
	*pos += r.pos;
	return 0;
}

int
ipc_policy_file_put(struct wire_writer *w, struct bytes path, struct bytes hash)
{
	if (!path.len || path.len > IPC_POLICY_PATH_MAX || !hex_hash(hash))
		return TNC_ETOOLONG;
	ipc_put_bytes_text(w, path);
	ipc_put_bytes_text(w, hash);
	return wire_writer_status(w);
}

static int
decode_file_verdicts(struct wire_reader *r, struct ipc_policy_file_verdicts *m)
{
	int err;
	if ((err = ipc_get_status(r, &m->status)) || (err = ipc_get_blob(r, &m->verdicts)))
		return err;
	if (m->verdicts.len > IPC_POLICY_FILES_MAX)
		return TNC_ETOOLONG;
	for (size_t i = 0; i < m->verdicts.len; i++)
		if (m->verdicts.ptr[i] > IPC_FILE_VERDICT_LAST)
			return TNC_EINVALID;
	return 0;
}

static int
get_reference(struct wire_reader *r, struct bytes *digest)
{
	uint8_t len;
	int err;
	if ((err = wire_get_u8(r, &len)))
		return err;
	if (len > IPC_FILE_REFERENCE_MAX)
		return TNC_EINVALID;
	return wire_get_bytes(r, len, digest);
}

static int
decode_file_references(struct wire_reader *r, struct ipc_policy_file_references *m)
{
	struct bytes digest;
	int err;
	if ((err = ipc_get_status(r, &m->status)) || (err = wire_get_u16(r, &m->count)))
		return err;
	if (m->count > IPC_POLICY_FILES_MAX)
		return TNC_ETOOLONG;
	size_t start = r->pos;
	for (unsigned i = 0; i < m->count; i++)
		if ((err = get_reference(r, &digest)))
			return err;
	m->list = (struct bytes){r->base + start, r->pos - start};
	return 0;
}

int
ipc_policy_file_reference_next(const struct ipc_policy_file_references *m, size_t *pos,
    struct bytes *digest)
{
	if (*pos >= m->list.len)
		return TNC_ENOTFOUND;
	struct wire_reader r;
	wire_reader_init(&r, m->list.ptr + *pos, m->list.len - *pos);
	int err = get_reference(&r, digest);
	if (err)
		return err;
	*pos += r.pos;
	return 0;
}

static int
decode_aik(struct wire_reader *r, struct ipc_policy_aik *m)
{
	int err;
	if ((err = ipc_get_status(r, &m->status)) || (err = wire_get_u8(r, &m->trusted)) ||
	    (err = ipc_get_text_max(r, IPC_POLICY_HASH_HEX_MAX, &m->keyid)))
		return err;
	return m->trusted > 1 || (m->keyid.len && !hex_hash(m->keyid)) ? TNC_EINVALID : 0;
}

static int
decode_policy_msgs(struct wire_reader *r, struct ipc_msg *m)
{
	uint32_t u32;
	int err;

	switch (m->type) {
	case IPC_POLICY_SESSION_START: {
		struct ipc_policy_session_start *st = &m->u.policy_session_start;
		if ((err = get_text(r, &st->identity)) || (err = get_text(r, &st->peer)))
			return err;
		return get_text(r, &st->transport);
	}
	case IPC_POLICY_DEVICE:
		if ((err = get_policy_value(r, &m->u.policy_device.product)))
			return err;
		return get_policy_value(r, &m->u.policy_device.device);
	case IPC_POLICY_SESSION_END: {
		struct ipc_policy_session_end *e = &m->u.policy_session_end;
		if ((err = wire_get_u8(r, &e->recommendation)) || (err = wire_get_u8(r, &e->evaluation)))
			return err;
		return e->recommendation > IMV_REC_NONE || e->evaluation > IMV_EVAL_DONT_KNOW ?
		    TNC_EINVALID : 0;
	}
	case IPC_POLICY_RECORDED:
		if ((err = wire_get_u32(r, &u32)))
			return err;
		m->u.policy_recorded.status = (int32_t)u32;
		return wire_get_u64(r, &m->u.policy_recorded.session);
	case IPC_POLICY_WORKITEMS:
		return decode_workitems(r, &m->u.policy_workitems);
	case IPC_POLICY_PACKAGES:
		return decode_packages(r, &m->u.policy_packages);
	case IPC_POLICY_PACKAGE_VERDICTS:
		return decode_verdicts(r, &m->u.policy_package_verdicts);
	case IPC_POLICY_WORKITEM_RESULT: {
		struct ipc_policy_workitem_result *w = &m->u.policy_workitem_result;
		if ((err = wire_get_u32(r, &w->workitem)) || (err = get_rec(r, &w->recommendation)))
			return err;
		return ipc_get_text_max(r, IPC_POLICY_RESULT_MAX, &w->result);
	}
	case IPC_POLICY_FILES:
		return decode_files(r, &m->u.policy_files);
	case IPC_POLICY_FILE_VERDICTS:
		return decode_file_verdicts(r, &m->u.policy_file_verdicts);
	case IPC_POLICY_AIK_GET:
		return 0;
	case IPC_POLICY_AIK:
		return decode_aik(r, &m->u.policy_aik);
	case IPC_POLICY_FILE_REFERENCES:
		return decode_file_references(r, &m->u.policy_file_references);
	}
	return ipc_msg_decode_sw(r, m);
}

static int
decode_session_msgs(struct wire_reader *r, struct ipc_msg *m)
{
	uint32_t u32;
	int err;

	switch (m->type) {
	case IPC_TNCCS_OPEN: {
		struct ipc_tnccs_open *o = &m->u.tnccs_open;
		if ((err = wire_get_u8(r, &o->flags)))
			return err;
		if (o->flags & ~TNCCS_OPEN_FLAGS)
			return TNC_ERESERVED;
		if ((err = get_text(r, &o->transport)) || (err = get_text(r, &o->peer)) ||
		    (err = get_text(r, &o->identity)) || (err = wire_get_u8(r, &o->id_auth)) ||
		    (err = wire_get_u32(r, &o->max_batch)))
			return err;
		if (o->id_auth > IPC_ID_AUTH_MAX)
			return TNC_EINVALID;
		return wire_get_u32(r, &o->max_msg);
	}
	case IPC_TNCCS_BATCH:
		return ipc_get_blob(r, &m->u.tnccs_batch.batch);
	case IPC_TNCCS_CLOSE:
		if ((err = wire_get_u32(r, &u32)))
			return err;
		m->u.tnccs_close.status = (int32_t)u32;
		return get_text(r, &m->u.tnccs_close.reason);
	case IPC_TNCCS_RESULT:
	case IPC_IMV_RECOMMEND: {
		struct ipc_imv_recommend *rc = &m->u.imv_recommend;
		if ((err = wire_get_u8(r, &rc->recommendation)) || (err = wire_get_u8(r, &rc->evaluation)) ||
		    (err = get_text(r, &rc->reason)))
			return err;
		if (rc->recommendation > IMV_REC_NONE || rc->evaluation > IMV_EVAL_DONT_KNOW)
			return TNC_EINVALID;
		return get_text(r, &rc->language);
	}
	case IPC_IKE_LISTENER:
		if ((err = get_text(r, &m->u.ike_listener.transport)))
			return err;
		return get_text(r, &m->u.ike_listener.address);
	case IPC_IMV_SUBSCRIBE:
		return decode_subscribe(r, &m->u.imv_subscribe);
	case IPC_IMV_CONNECTION: {
		struct ipc_imv_connection *c = &m->u.imv_connection;
		if ((err = wire_get_u8(r, &c->state)) || (err = wire_get_u32(r, &c->max_msg)) ||
		    (err = get_text(r, &c->identity)) || (err = wire_get_u8(r, &c->id_auth)) ||
		    (err = get_text(r, &c->transport)) || (err = get_text(r, &c->peer)) ||
		    (err = get_text(r, &c->language)))
			return err;
		return c->state > IMV_CONN_DELETE || c->id_auth > IPC_ID_AUTH_MAX ? TNC_EINVALID : 0;
	}
	case IPC_IMV_RECEIVE:
	case IPC_IMV_SEND:
		return decode_pa_msg(r, &m->u.pa_msg);
	case IPC_IMV_BATCH_END:
	case IPC_IMV_BATCH_DONE:
	case IPC_IMV_SOLICIT:
	case IPC_IMV_RETRY:
		return 0; /* no payload: the session field says which connection */
	}
	return decode_policy_msgs(r, m);
}

static int
decode_fields(struct wire_reader *r, struct ipc_msg *m)
{
	uint32_t u32;
	uint8_t u8;
	int err;

	switch (m->type) {
	case IPC_HELLO: {
		struct ipc_hello *h = &m->u.hello;
		if ((err = wire_get_u16(r, &h->proto_major)) ||
		    (err = wire_get_u16(r, &h->proto_minor)) ||
		    (err = get_text(r, &h->role)) || (err = wire_get_u8(r, &h->slot)) ||
		    (err = wire_get_u32(r, &h->gen)) || (err = wire_get_u32(r, &h->pid)) ||
		    (err = get_text(r, &h->version)))
			return err;
		return 0;
	}
	case IPC_CONFIG:
		return decode_config(r, &m->u.config);
	case IPC_READY: {
		struct ipc_ready *rd = &m->u.ready;
		if ((err = wire_get_u32(r, &rd->uid)) || (err = wire_get_u32(r, &rd->gid)) ||
		    (err = wire_get_u8(r, &rd->chrooted)) ||
		    (err = wire_get_u32(r, &rd->seccomp_syscalls)))
			return err;
		return rd->chrooted > 1 ? TNC_EINVALID : 0;
	}
	case IPC_PING:
	case IPC_PONG:
		return wire_get_u64(r, &m->u.ping.token);
	case IPC_LOGLEVEL:
		if ((err = wire_get_u8(r, &m->u.loglevel.subsys)) || (err = wire_get_u8(r, &u8)))
			return err;
		m->u.loglevel.level = (int8_t)u8;
		return 0;
	case IPC_PEER_ATTACH:
		if ((err = get_text(r, &m->u.peer_attach.peer)))
			return err;
		return wire_get_u32(r, &m->u.peer_attach.gen);
	case IPC_PEER_PING:
	case IPC_PEER_PING_DONE:
		if ((err = get_text(r, &m->u.peer_ping.peer)) || (err = wire_get_u32(r, &u32)))
			return err;
		m->u.peer_ping.status = (int32_t)u32;
		return wire_get_u64(r, &m->u.peer_ping.rtt_us);
	case IPC_SHUTDOWN:
		return wire_get_u32(r, &m->u.shutdown.deadline_ms);
	case IPC_METRICS_GET:
		return 0;
	case IPC_METRICS:
		return ipc_get_blob(r, &m->u.metrics.data);
	case IPC_CTL_REQUEST:
		return decode_ctl_request(r, &m->u.ctl_request);
	case IPC_CTL_REPLY:
		return decode_ctl_reply(r, &m->u.ctl_reply);
	}
	return decode_session_msgs(r, m);
}

int
ipc_msg_decode(uint16_t type, const uint8_t *payload, size_t len, struct ipc_msg *ret)
{
	struct wire_reader r;
	struct ipc_msg m;
	int err;

	memset(&m, 0, sizeof(m));
	m.type = type;
	wire_reader_init(&r, payload, len);
	err = (type & 0xff00) == IPC_XFRM_RANGE ? ipc_msg_decode_xfrm(&r, &m) :
	    decode_fields(&r, &m);
	if (err)
		return err;
	if (wire_remaining(&r) != 0)
		return TNC_ETRAILING;
	*ret = m;
	return 0;
}

static int
encode_workitems(const struct ipc_policy_workitems *m, struct wire_writer *w)
{
	if (m->count > IPC_POLICY_WORKITEMS_MAX)
		return TNC_ETOOLONG;
	wire_put_u32(w, (uint32_t)m->status);
	wire_put_u16(w, m->count);
	for (unsigned i = 0; i < m->count; i++) {
		const struct ipc_policy_workitem *it = &m->item[i];
		if (!it->type.len || it->type.len > IPC_POLICY_TYPE_MAX ||
		    it->argument.len > IPC_POLICY_ARGUMENT_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, it->id);
		ipc_put_bytes_text(w, it->type);
		ipc_put_bytes_text(w, it->argument);
		wire_put_u8(w, it->rec_fail);
		wire_put_u8(w, it->rec_noresult);
	}
	return wire_writer_status(w);
}

static int
encode_policy_msgs(const struct ipc_msg *m, struct wire_writer *w)
{
	switch (m->type) {
	case IPC_POLICY_SESSION_START:
		ipc_put_bytes_text(w, m->u.policy_session_start.identity);
		ipc_put_bytes_text(w, m->u.policy_session_start.peer);
		ipc_put_bytes_text(w, m->u.policy_session_start.transport);
		break;
	case IPC_POLICY_DEVICE:
		ipc_put_bytes_text(w, m->u.policy_device.product);
		ipc_put_bytes_text(w, m->u.policy_device.device);
		break;
	case IPC_POLICY_SESSION_END:
		wire_put_u8(w, m->u.policy_session_end.recommendation);
		wire_put_u8(w, m->u.policy_session_end.evaluation);
		break;
	case IPC_POLICY_RECORDED:
		wire_put_u32(w, (uint32_t)m->u.policy_recorded.status);
		wire_put_u64(w, m->u.policy_recorded.session);
		break;
	case IPC_POLICY_WORKITEMS:
		return encode_workitems(&m->u.policy_workitems, w);
	case IPC_POLICY_PACKAGES:
		if (!m->u.policy_packages.count || m->u.policy_packages.count > IPC_POLICY_PACKAGES_MAX)
			return TNC_ETOOLONG;
		wire_put_u16(w, m->u.policy_packages.count);
		wire_put_bytes(w, m->u.policy_packages.list.ptr, m->u.policy_packages.list.len);
		break;
	case IPC_POLICY_PACKAGE_VERDICTS:
		if (m->u.policy_package_verdicts.verdicts.len > IPC_POLICY_PACKAGES_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)m->u.policy_package_verdicts.status);
		ipc_put_blob(w, m->u.policy_package_verdicts.verdicts);
		break;
	case IPC_POLICY_WORKITEM_RESULT:
		if (m->u.policy_workitem_result.result.len > IPC_POLICY_RESULT_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, m->u.policy_workitem_result.workitem);
		wire_put_u8(w, m->u.policy_workitem_result.recommendation);
		ipc_put_bytes_text(w, m->u.policy_workitem_result.result);
		break;
	case IPC_POLICY_FILES: {
		const struct ipc_policy_files *f = &m->u.policy_files;
		if (!f->count || f->count > IPC_POLICY_FILES_MAX || f->algo.len > IPC_POLICY_ALGO_MAX ||
		    f->template_algo.len > IPC_POLICY_ALGO_MAX)
			return TNC_ETOOLONG;
		wire_put_u8(w, f->form);
		ipc_put_bytes_text(w, f->algo);
		ipc_put_bytes_text(w, f->template_algo);
		wire_put_u16(w, f->count);
		wire_put_bytes(w, f->list.ptr, f->list.len);
		break;
	}
	case IPC_POLICY_FILE_VERDICTS:
		if (m->u.policy_file_verdicts.verdicts.len > IPC_POLICY_FILES_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)m->u.policy_file_verdicts.status);
		ipc_put_blob(w, m->u.policy_file_verdicts.verdicts);
		break;
	case IPC_POLICY_AIK_GET:
		break;
	case IPC_POLICY_AIK:
		if (m->u.policy_aik.keyid.len > IPC_POLICY_HASH_HEX_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)m->u.policy_aik.status);
		wire_put_u8(w, m->u.policy_aik.trusted);
		ipc_put_bytes_text(w, m->u.policy_aik.keyid);
		break;
	case IPC_POLICY_FILE_REFERENCES:
		if (m->u.policy_file_references.count > IPC_POLICY_FILES_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)m->u.policy_file_references.status);
		wire_put_u16(w, m->u.policy_file_references.count);
		wire_put_bytes(w, m->u.policy_file_references.list.ptr,
		    m->u.policy_file_references.list.len);
		break;
	default:
		return ipc_msg_encode_sw(m, w);
	}
	return wire_writer_status(w);
}

static int
encode_session_msgs(const struct ipc_msg *m, struct wire_writer *w)
{
	switch (m->type) {
	case IPC_TNCCS_OPEN:
		wire_put_u8(w, m->u.tnccs_open.flags);
		ipc_put_bytes_text(w, m->u.tnccs_open.transport);
		ipc_put_bytes_text(w, m->u.tnccs_open.peer);
		ipc_put_bytes_text(w, m->u.tnccs_open.identity);
		wire_put_u8(w, m->u.tnccs_open.id_auth);
		wire_put_u32(w, m->u.tnccs_open.max_batch);
		wire_put_u32(w, m->u.tnccs_open.max_msg);
		break;
	case IPC_TNCCS_BATCH:
		ipc_put_blob(w, m->u.tnccs_batch.batch);
		break;
	case IPC_TNCCS_CLOSE:
		wire_put_u32(w, (uint32_t)m->u.tnccs_close.status);
		ipc_put_bytes_text(w, m->u.tnccs_close.reason);
		break;
	case IPC_TNCCS_RESULT:
	case IPC_IMV_RECOMMEND:
		wire_put_u8(w, m->u.imv_recommend.recommendation);
		wire_put_u8(w, m->u.imv_recommend.evaluation);
		ipc_put_bytes_text(w, m->u.imv_recommend.reason);
		ipc_put_bytes_text(w, m->u.imv_recommend.language);
		break;
	case IPC_IKE_LISTENER:
		ipc_put_bytes_text(w, m->u.ike_listener.transport);
		ipc_put_bytes_text(w, m->u.ike_listener.address);
		break;
	case IPC_IMV_SUBSCRIBE:
		if (m->u.imv_subscribe.count > IMV_SUBSCRIBE_MAX)
			return TNC_ETOOLONG;
		wire_put_u16(w, m->u.imv_subscribe.imv_id);
		ipc_put_bytes_text(w, m->u.imv_subscribe.name);
		wire_put_u8(w, m->u.imv_subscribe.count);
		for (unsigned i = 0; i < m->u.imv_subscribe.count; i++) {
			wire_put_u32(w, m->u.imv_subscribe.vendor[i]);
			wire_put_u32(w, m->u.imv_subscribe.subtype[i]);
		}
		break;
	case IPC_IMV_CONNECTION:
		wire_put_u8(w, m->u.imv_connection.state);
		wire_put_u32(w, m->u.imv_connection.max_msg);
		ipc_put_bytes_text(w, m->u.imv_connection.identity);
		wire_put_u8(w, m->u.imv_connection.id_auth);
		ipc_put_bytes_text(w, m->u.imv_connection.transport);
		ipc_put_bytes_text(w, m->u.imv_connection.peer);
		ipc_put_bytes_text(w, m->u.imv_connection.language);
		break;
	case IPC_IMV_RECEIVE:
	case IPC_IMV_SEND:
		wire_put_u8(w, m->u.pa_msg.flags);
		wire_put_u32(w, m->u.pa_msg.vendor);
		wire_put_u32(w, m->u.pa_msg.subtype);
		wire_put_u16(w, m->u.pa_msg.imc_id);
		wire_put_u16(w, m->u.pa_msg.imv_id);
		ipc_put_blob(w, m->u.pa_msg.msg);
		break;
	case IPC_IMV_BATCH_END:
	case IPC_IMV_BATCH_DONE:
	case IPC_IMV_SOLICIT:
	case IPC_IMV_RETRY:
		break;
	default:
		return encode_policy_msgs(m, w);
	}
	return wire_writer_status(w);
}

int
ipc_msg_encode(const struct ipc_msg *m, struct wire_writer *w)
{
	if ((m->type & 0xff00) == IPC_XFRM_RANGE)
		return ipc_msg_encode_xfrm(m, w);
	switch (m->type) {
	case IPC_HELLO:
		wire_put_u16(w, m->u.hello.proto_major);
		wire_put_u16(w, m->u.hello.proto_minor);
		ipc_put_bytes_text(w, m->u.hello.role);
		wire_put_u8(w, m->u.hello.slot);
		wire_put_u32(w, m->u.hello.gen);
		wire_put_u32(w, m->u.hello.pid);
		ipc_put_bytes_text(w, m->u.hello.version);
		break;
	case IPC_CONFIG:
		if (m->u.config.count > IPC_CONFIG_MAX)
			return TNC_ETOOLONG;
		wire_put_u16(w, m->u.config.count);
		for (unsigned i = 0; i < m->u.config.count; i++) {
			ipc_put_bytes_text(w, m->u.config.key[i]);
			ipc_put_bytes_text(w, m->u.config.value[i]);
		}
		break;
	case IPC_READY:
		wire_put_u32(w, m->u.ready.uid);
		wire_put_u32(w, m->u.ready.gid);
		wire_put_u8(w, m->u.ready.chrooted);
		wire_put_u32(w, m->u.ready.seccomp_syscalls);
		break;
	case IPC_PING:
	case IPC_PONG:
		wire_put_u64(w, m->u.ping.token);
		break;
	case IPC_LOGLEVEL:
		wire_put_u8(w, m->u.loglevel.subsys);
		wire_put_u8(w, (uint8_t)m->u.loglevel.level);
		break;
	case IPC_PEER_ATTACH:
		ipc_put_bytes_text(w, m->u.peer_attach.peer);
		wire_put_u32(w, m->u.peer_attach.gen);
		break;
	case IPC_PEER_PING:
	case IPC_PEER_PING_DONE:
		ipc_put_bytes_text(w, m->u.peer_ping.peer);
		wire_put_u32(w, (uint32_t)m->u.peer_ping.status);
		wire_put_u64(w, m->u.peer_ping.rtt_us);
		break;
	case IPC_SHUTDOWN:
		wire_put_u32(w, m->u.shutdown.deadline_ms);
		break;
	case IPC_METRICS_GET:
		break;
	case IPC_METRICS:
		ipc_put_blob(w, m->u.metrics.data);
		break;
	case IPC_CTL_REQUEST:
		if (m->u.ctl_request.argc > IPC_CTL_ARGS_MAX)
			return TNC_ETOOLONG;
		wire_put_u8(w, m->u.ctl_request.argc);
		for (unsigned i = 0; i < m->u.ctl_request.argc; i++)
			ipc_put_bytes_text(w, m->u.ctl_request.argv[i]);
		break;
	case IPC_CTL_REPLY:
		wire_put_u32(w, (uint32_t)m->u.ctl_reply.status);
		ipc_put_bytes_text(w, m->u.ctl_reply.message);
		wire_put_u16(w, m->u.ctl_reply.ncols);
		wire_put_u16(w, m->u.ctl_reply.nrows);
		wire_put_bytes(w, m->u.ctl_reply.columns.ptr, m->u.ctl_reply.columns.len);
		wire_put_bytes(w, m->u.ctl_reply.table.ptr, m->u.ctl_reply.table.len);
		break;
	default:
		return encode_session_msgs(m, w);
	}
	return wire_writer_status(w);
}

int
ipc_table_column(const struct ipc_ctl_reply *reply, size_t *pos, struct bytes *name,
    uint8_t *type)
{
	struct wire_reader r;
	int err;
	if (*pos >= reply->columns.len)
		return TNC_ENOTFOUND;
	wire_reader_init(&r, reply->columns.ptr, reply->columns.len);
	if ((err = wire_skip(&r, *pos)) || (err = get_text(&r, name)) || (err = wire_get_u8(&r, type)))
		return err;
	*pos = wire_offset(&r);
	return 0;
}

int
ipc_table_cell(const struct ipc_ctl_reply *reply, size_t *pos, struct bytes *ret)
{
	struct wire_reader r;
	int err;
	if (*pos >= reply->table.len)
		return TNC_ENOTFOUND;
	wire_reader_init(&r, reply->table.ptr, reply->table.len);
	if ((err = wire_skip(&r, *pos)) || (err = get_text(&r, ret)))
		return err;
	*pos = wire_offset(&r);
	return 0;
}

const char *
bytes_cstr(struct bytes b, char *buf, size_t size)
{
	size_t n = b.len < size - 1 ? b.len : size - 1;
	if (n)
		memcpy(buf, b.ptr, n);
	buf[n] = 0;
	return buf;
}

const char *
imv_recommendation_name(unsigned rec)
{
	static const char *const names[] = {"allow", "no access", "isolate", "no recommendation"};
	return rec <= IMV_REC_NONE ? names[rec] : "?";
}

const char *
imv_evaluation_name(unsigned eval)
{
	static const char *const names[] = {"compliant", "non-compliant minor",
	    "non-compliant major", "error", "don't know"};
	return eval <= IMV_EVAL_DONT_KNOW ? names[eval] : "?";
}

const char *
imv_conn_state_name(unsigned state)
{
	static const char *const names[] = {"Create", "Handshake", "Allowed", "Isolated",
	    "None", "Delete"};
	return state <= IMV_CONN_DELETE ? names[state] : "?";
}
