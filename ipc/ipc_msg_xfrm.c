/* ipc_msg_xfrm.c - encode/decode of the xfrm-* payloads between tnc-ike and
 * tnc-xfrm (see ipc_msg.h); the other payloads are in ipc_msg.c and
 * ipc_msg_sw.c.  Only the syntax is checked here (lengths, known values);
 * tnc-xfrm checks what a request means (xfrm/xfrm_msg.h). */
#include "ipc_msg.h"
#include "ipc_msg_int.h"

#include <string.h>
#include <sys/socket.h>

static int
get_family(struct wire_reader *r, uint8_t *ret)
{
	int err = wire_get_u8(r, ret);
	return err ? err : *ret == AF_INET || *ret == AF_INET6 ? 0 : TNC_EINVALID;
}

static int
get_addr(struct wire_reader *r, uint8_t ret[IPC_XFRM_ADDR])
{
	struct bytes b;
	int err = wire_get_bytes(r, IPC_XFRM_ADDR, &b);
	if (!err)
		memcpy(ret, b.ptr, IPC_XFRM_ADDR);
	return err;
}

/* u8 length (≤IPC_XFRM_KEY_MAX) + the key. */
static int
get_key(struct wire_reader *r, struct bytes *ret)
{
	uint8_t len;
	int err = wire_get_u8(r, &len);
	if (err)
		return err;
	return len > IPC_XFRM_KEY_MAX ? TNC_ETOOLONG : wire_get_bytes(r, len, ret);
}

static void
put_key(struct wire_writer *w, struct bytes key)
{
	if (key.len > IPC_XFRM_KEY_MAX) {
		wire_writer_fail(w, TNC_ETOOLONG);
		return;
	}
	wire_put_u8(w, (uint8_t)key.len);
	wire_put_bytes(w, key.ptr, key.len);
}

static int
get_sa_id(struct wire_reader *r, struct ipc_xfrm_sa_id *id)
{
	int err;
	if ((err = get_family(r, &id->family)) || (err = get_addr(r, id->src)) ||
	    (err = get_addr(r, id->dst)))
		return err;
	return wire_get_u32(r, &id->spi);
}

static void
put_sa_id(struct wire_writer *w, const struct ipc_xfrm_sa_id *id)
{
	wire_put_u8(w, id->family);
	wire_put_bytes(w, id->src, IPC_XFRM_ADDR);
	wire_put_bytes(w, id->dst, IPC_XFRM_ADDR);
	wire_put_u32(w, id->spi);
}

static int
get_sa(struct wire_reader *r, struct ipc_xfrm_sa *sa)
{
	int err;
	if ((err = get_sa_id(r, &sa->id)) || (err = wire_get_u32(r, &sa->reqid)) ||
	    (err = wire_get_u8(r, &sa->alg)) || (err = get_key(r, &sa->enc_key)) ||
	    (err = get_key(r, &sa->integ_key)) || (err = wire_get_u16(r, &sa->encap_sport)) ||
	    (err = wire_get_u16(r, &sa->encap_dport)) ||
	    (err = wire_get_u32(r, &sa->soft_seconds)))
		return err;
	return wire_get_u32(r, &sa->hard_seconds);
}

static int
get_policy_id(struct wire_reader *r, struct ipc_xfrm_policy_id *id)
{
	int err;
	if ((err = get_family(r, &id->family)) || (err = wire_get_u8(r, &id->dir)) ||
	    (err = get_addr(r, id->src)) || (err = wire_get_u8(r, &id->src_prefix)) ||
	    (err = get_addr(r, id->dst)))
		return err;
	if ((err = wire_get_u8(r, &id->dst_prefix)))
		return err;
	return id->dir <= IPC_XFRM_FWD ? 0 : TNC_EINVALID;
}

static void
put_policy_id(struct wire_writer *w, const struct ipc_xfrm_policy_id *id)
{
	wire_put_u8(w, id->family);
	wire_put_u8(w, id->dir);
	wire_put_bytes(w, id->src, IPC_XFRM_ADDR);
	wire_put_u8(w, id->src_prefix);
	wire_put_bytes(w, id->dst, IPC_XFRM_ADDR);
	wire_put_u8(w, id->dst_prefix);
}

int
ipc_msg_decode_xfrm(struct wire_reader *r, struct ipc_msg *m)
{
	int err;

	switch (m->type) {
	case IPC_XFRM_SA_ADD:
		return get_sa(r, &m->u.xfrm_sa);
	case IPC_XFRM_SA_DELETE:
		return get_sa_id(r, &m->u.xfrm_sa_id);
	case IPC_XFRM_POLICY_ADD: {
		struct ipc_xfrm_policy *p = &m->u.xfrm_policy;
		if ((err = get_policy_id(r, &p->id)) || (err = get_addr(r, p->tun_src)) ||
		    (err = get_addr(r, p->tun_dst)) || (err = wire_get_u32(r, &p->reqid)))
			return err;
		return wire_get_u32(r, &p->priority);
	}
	case IPC_XFRM_POLICY_DELETE:
		return get_policy_id(r, &m->u.xfrm_policy_id);
	case IPC_XFRM_RESULT:
		if ((err = ipc_get_status(r, &m->u.xfrm_result.status)))
			return err;
		return ipc_get_text_max(r, IPC_XFRM_REASON_MAX, &m->u.xfrm_result.reason);
	}
	return TNC_ETYPE;
}

int
ipc_msg_encode_xfrm(const struct ipc_msg *m, struct wire_writer *w)
{
	switch (m->type) {
	case IPC_XFRM_SA_ADD: {
		const struct ipc_xfrm_sa *sa = &m->u.xfrm_sa;
		put_sa_id(w, &sa->id);
		wire_put_u32(w, sa->reqid);
		wire_put_u8(w, sa->alg);
		put_key(w, sa->enc_key);
		put_key(w, sa->integ_key);
		wire_put_u16(w, sa->encap_sport);
		wire_put_u16(w, sa->encap_dport);
		wire_put_u32(w, sa->soft_seconds);
		wire_put_u32(w, sa->hard_seconds);
		break;
	}
	case IPC_XFRM_SA_DELETE:
		put_sa_id(w, &m->u.xfrm_sa_id);
		break;
	case IPC_XFRM_POLICY_ADD: {
		const struct ipc_xfrm_policy *p = &m->u.xfrm_policy;
		put_policy_id(w, &p->id);
		wire_put_bytes(w, p->tun_src, IPC_XFRM_ADDR);
		wire_put_bytes(w, p->tun_dst, IPC_XFRM_ADDR);
		wire_put_u32(w, p->reqid);
		wire_put_u32(w, p->priority);
		break;
	}
	case IPC_XFRM_POLICY_DELETE:
		put_policy_id(w, &m->u.xfrm_policy_id);
		break;
	case IPC_XFRM_RESULT:
		if (m->u.xfrm_result.reason.len > IPC_XFRM_REASON_MAX)
			return TNC_ETOOLONG;
		wire_put_u32(w, (uint32_t)m->u.xfrm_result.status);
		ipc_put_bytes_text(w, m->u.xfrm_result.reason);
		break;
	default:
		return TNC_ETYPE;
	}
	return wire_writer_status(w);
}
