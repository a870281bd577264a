/* ipc_msg.c - encode/decode of IPC payloads (see ipc_msg.h). */
#include "ipc_msg.h"

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

void
ipc_put_text(struct wire_writer *w, const char *s, size_t len)
{
	if (len > IPC_TEXT_MAX)
		len = IPC_TEXT_MAX;
	wire_put_u16(w, (uint16_t)len);
	wire_put_bytes(w, s, len);
}

static void
put_bytes_text(struct wire_writer *w, struct bytes b)
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
	size_t cells = (size_t)c->ncols * ((size_t)c->nrows + 1);
	for (size_t i = 0; i < cells; i++) {
		struct bytes cell;
		if ((err = get_text(r, &cell)))
			return err;
	}
	c->table.ptr = r->base + start;
	c->table.len = wire_offset(r) - start;
	return 0;
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
		if ((err = get_text(r, &m->u.peer_ping.peer)) || (err = wire_get_u32(r, &u32)))
			return err;
		m->u.peer_ping.status = (int32_t)u32;
		return wire_get_u64(r, &m->u.peer_ping.rtt_us);
	case IPC_SHUTDOWN:
		return wire_get_u32(r, &m->u.shutdown.deadline_ms);
	case IPC_CTL_REQUEST:
		return decode_ctl_request(r, &m->u.ctl_request);
	case IPC_CTL_REPLY:
		return decode_ctl_reply(r, &m->u.ctl_reply);
	}
	return TNC_ETYPE;
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
	if ((err = decode_fields(&r, &m)))
		return err;
	if (wire_remaining(&r) != 0)
		return TNC_ETRAILING;
	*ret = m;
	return 0;
}

int
ipc_msg_encode(const struct ipc_msg *m, struct wire_writer *w)
{
	switch (m->type) {
	case IPC_HELLO:
		wire_put_u16(w, m->u.hello.proto_major);
		wire_put_u16(w, m->u.hello.proto_minor);
		put_bytes_text(w, m->u.hello.role);
		wire_put_u8(w, m->u.hello.slot);
		wire_put_u32(w, m->u.hello.gen);
		wire_put_u32(w, m->u.hello.pid);
		put_bytes_text(w, m->u.hello.version);
		break;
	case IPC_CONFIG:
		if (m->u.config.count > IPC_CONFIG_MAX)
			return TNC_ETOOLONG;
		wire_put_u16(w, m->u.config.count);
		for (unsigned i = 0; i < m->u.config.count; i++) {
			put_bytes_text(w, m->u.config.key[i]);
			put_bytes_text(w, m->u.config.value[i]);
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
		put_bytes_text(w, m->u.peer_attach.peer);
		wire_put_u32(w, m->u.peer_attach.gen);
		break;
	case IPC_PEER_PING:
		put_bytes_text(w, m->u.peer_ping.peer);
		wire_put_u32(w, (uint32_t)m->u.peer_ping.status);
		wire_put_u64(w, m->u.peer_ping.rtt_us);
		break;
	case IPC_SHUTDOWN:
		wire_put_u32(w, m->u.shutdown.deadline_ms);
		break;
	case IPC_CTL_REQUEST:
		if (m->u.ctl_request.argc > IPC_CTL_ARGS_MAX)
			return TNC_ETOOLONG;
		wire_put_u8(w, m->u.ctl_request.argc);
		for (unsigned i = 0; i < m->u.ctl_request.argc; i++)
			put_bytes_text(w, m->u.ctl_request.argv[i]);
		break;
	case IPC_CTL_REPLY:
		wire_put_u32(w, (uint32_t)m->u.ctl_reply.status);
		put_bytes_text(w, m->u.ctl_reply.message);
		wire_put_u16(w, m->u.ctl_reply.ncols);
		wire_put_u16(w, m->u.ctl_reply.nrows);
		wire_put_bytes(w, m->u.ctl_reply.table.ptr, m->u.ctl_reply.table.len);
		break;
	default:
		return TNC_ETYPE;
	}
	return wire_writer_status(w);
}

int
ipc_table_cell(const struct ipc_ctl_reply *reply, size_t *pos, struct bytes *ret)
{
	struct wire_reader r;
	wire_reader_init(&r, reply->table.ptr, reply->table.len);
	if (*pos >= reply->table.len)
		return TNC_ENOTFOUND;
	int err;
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
