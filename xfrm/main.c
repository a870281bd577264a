/* tnc-xfrm: the one process that holds CAP_NET_ADMIN.  It installs the
 * kernel IPsec SAs and policies tnc-ike negotiated (ESP tunnel mode, through
 * XFRM netlink) and removes them; nothing else.
 *
 * Its NETLINK_XFRM socket is opened before the sandbox; after it, it opens
 * nothing and its syscalls are the base allowlist (sendmsg and recvmsg on
 * that socket).  Requests come only from tnc-ike (messages.def: xfrm-*
 * flow from the ike end to the xfrm end, and tnc-ike is its only peer in
 * the manifest); each is checked field by field (xfrm_msg.h) and against
 * the configured connections (xfrm_admit.h), and answered with one
 * xfrm-result.  It deletes only what it installed, and removes all
 * of it when tnc-ike's channel closes (a new tnc-ike knows nothing of its
 * predecessor's SAs) and when it stops.  An instance killed outright leaves
 * its SAs to their hard lifetimes and its policies in place.
 */
#include <string.h>
#include <unistd.h>

#include "child.h"
#include "log.h"
#include "xfrm_kernel.h"
#include "xfrm_service.h"

static struct xfrm_service service = {.fd = -1};

static int
pre_sandbox(struct child *c, const struct ipc_config *cfg)
{
	char reason[IPC_XFRM_REASON_MAX];
	if (xfrm_admit_configure(&service.admit, cfg, reason, sizeof(reason)) != 0) {
		LOG_ERR(CFG, "%s", reason);
		return -1;
	}
	for (unsigned i = 0; i < service.admit.nconn; i++) {
		const struct xfrm_conn *conn = &service.admit.conn[i];
		LOG(CFG, 1, "%s: policies inside %s to %s%s", conn->name, conn->ts_text,
		    conn->has_pool ? "addresses of the pool " : "any one address",
		    conn->has_pool ? conn->pool_text : "");
	}
	int fd = xfrm_kernel_open();
	if (fd < 0) {
		LOG_ERR(NET, "cannot open the XFRM netlink socket: %s", tnc_strerror(fd));
		return -1;
	}
	service.fd = fd;
	return 0;
}

/* In the sandbox: the kernel must still take requests from us, else tncd
 * learns at start that IPsec cannot work. */
static int
post_sandbox(struct child *c)
{
	char reason[IPC_XFRM_REASON_MAX];
	int err = xfrm_service_probe(&service, reason, sizeof(reason));
	if (err) {
		LOG_ERR(NET, "the kernel refuses XFRM requests (%s): tnc-xfrm needs CAP_NET_ADMIN, "
		    "so tncd must run as root", reason);
		return -1;
	}
	return 0;
}

static void
answer(struct child *c, const struct ipc_received *rx, int status, const char *reason)
{
	struct ipc_msg m = {.type = IPC_XFRM_RESULT};
	m.u.xfrm_result.status = status;
	m.u.xfrm_result.reason = (struct bytes){(const uint8_t *)reason, strlen(reason)};
	struct ipc_channel *ike = child_peer(c, ROLE_IKE);
	int err = ike ? ipc_channel_send(ike, &m, rx->hdr.session, rx->hdr.seq, IPC_FLAG_REPLY, -1) :
	    TNC_ECLOSED;
	if (err)
		LOG(IPC, 1, "cannot answer tnc-ike: %s", tnc_strerror(err));
}

static void
on_msg(struct child *c, enum tnc_role peer, struct ipc_received *rx)
{
	char reason[IPC_XFRM_REASON_MAX];

	if (peer != ROLE_IKE) {
		LOG(IPC, 1, "'%s' is not for tnc-xfrm", ipc_type_name(rx->hdr.type));
		return;
	}
	int status = xfrm_service_handle(&service, &rx->msg, reason, sizeof(reason));
	if (status)
		LOG(NET, 1, "%s refused: %s", ipc_type_name(rx->hdr.type), reason);
	else
		LOG(NET, 2, "%s done", ipc_type_name(rx->hdr.type));
	answer(c, rx, status, reason);
}

static void
flush(const char *why)
{
	unsigned nsa = service.table.nsa, npolicy = service.table.npolicy;
	if (nsa + npolicy == 0)
		return;
	unsigned removed = xfrm_service_flush(&service);
	LOG(NET, 1, "%s: removing %u SAs and %u policies it installed: %u were still in the kernel",
	    why, nsa, npolicy, removed);
}

static void
peer_closed(struct child *c, enum tnc_role peer)
{
	if (peer == ROLE_IKE)
		flush("tnc-ike's channel closed");
}

static const struct child_ops ops = {
	.pre_sandbox = pre_sandbox,
	.post_sandbox = post_sandbox,
	.peer_closed = peer_closed,
	.on_msg = on_msg,
};

int
main(int argc, char **argv)
{
	int rc = child_main(argc, argv, ROLE_XFRM, &ops);
	flush("stopping"); /* still sandboxed: the socket and sendmsg are all it needs */
	if (service.fd >= 0)
		close(service.fd);
	return rc;
}
