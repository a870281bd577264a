/* xfrm_ike.c - tnc-test-xfrm-ike: stands in for tnc-ike ([ike] path) so a
 * test sees tncd wire tnc-xfrm to it: once its channel to tnc-xfrm is
 * attached it asks for two out policies through the ESP tunnel 192.0.2.1
 * -> 192.0.2.2 (reqid 7) to the peer 10.2.0.1, the first from 10.1.0.0/28
 * (the default rw-allow traffic selector), the second from 10.9.0.0/24
 * (inside no default connection: the test configures one there), and
 * logs each answer as "xfrm-ike:
 * answer STATUS REASON". */
#include <string.h>
#include <sys/socket.h>

#include "child.h"
#include "log.h"

static void
ask(struct ipc_channel *ch, uint8_t net, uint8_t prefix, uint32_t seq)
{
	struct ipc_msg m = {.type = IPC_XFRM_POLICY_ADD};
	struct ipc_xfrm_policy *p = &m.u.xfrm_policy;
	const uint8_t src[4] = {10, net, 0, 0}, dst[4] = {10, 2, 0, 1};
	static const uint8_t tsrc[4] = {192, 0, 2, 1}, tdst[4] = {192, 0, 2, 2};
	p->id.family = AF_INET;
	p->id.dir = IPC_XFRM_OUT;
	memcpy(p->id.src, src, 4);
	memcpy(p->id.dst, dst, 4);
	p->id.src_prefix = prefix;
	p->id.dst_prefix = 32;
	memcpy(p->tun_src, tsrc, 4);
	memcpy(p->tun_dst, tdst, 4);
	p->reqid = 7;
	p->priority = 1000;
	int err = ipc_channel_send(ch, &m, 1, seq, 0, -1);
	LOG(DMN, 1, "xfrm-ike: asked for a policy: %s", err ? tnc_strerror(err) : "sent");
}

static void
peer_attached(struct child *c, enum tnc_role peer, struct ipc_channel *ch)
{
	if (peer != ROLE_XFRM)
		return;
	ask(ch, 1, 28, 1);
	ask(ch, 9, 24, 2);
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	char reason[IPC_XFRM_REASON_MAX + 1];
	if (peer == ROLE_XFRM && rx->hdr.type == IPC_XFRM_RESULT)
		LOG(DMN, 1, "xfrm-ike: answer %d %s", rx->msg.u.xfrm_result.status,
		    bytes_cstr(rx->msg.u.xfrm_result.reason, reason, sizeof(reason)));
}

static const struct child_ops ops = {.peer_attached = peer_attached, .on_msg = on_msg};

int
main(int argc, char **argv)
{
	return child_main(argc, argv, ROLE_COUNT, &ops);
}
