/* fuzz_xfrm_msg.c - libFuzzer harness for what tnc-xfrm takes from tnc-ike
 * and from the kernel.
 *
 * The first byte picks an xfrm-* type (byte % 5: sa-add, sa-delete,
 * policy-add, policy-delete, result), the rest is its IPC payload.  A
 * payload that decodes must encode back to the same bytes; a request that
 * passes xfrm_check_*() must build one netlink message whose length field
 * is its size, within XFRM_REQUEST_MAX, and one that does not must come
 * with a reason and build nothing.  A policy that builds is admitted or
 * refused with a reason by the default connections (xfrm_admit.h), and
 * admitted only with a remote selector of one IPv4 address; an SA that
 * builds is refused with a reason while no policy is installed.  The
 * whole input is also read as the
 * kernel's answer (xfrm_parse_ack) for sequence 1: an error must be 0 or
 * negative.  Any mismatch aborts. */
#include <linux/netlink.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipc_msg.h"
#include "xfrm_admit.h"
#include "xfrm_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static int
build(const struct ipc_msg *m, uint8_t *buf, size_t *len, const char **why)
{
	switch (m->type) {
	case IPC_XFRM_SA_ADD:
		return xfrm_build_newsa(&m->u.xfrm_sa, 1, buf, XFRM_REQUEST_MAX, len, why);
	case IPC_XFRM_SA_DELETE:
		return xfrm_build_delsa(&m->u.xfrm_sa_id, 1, buf, XFRM_REQUEST_MAX, len, why);
	case IPC_XFRM_POLICY_ADD:
		return xfrm_build_newpolicy(&m->u.xfrm_policy, 1, buf, XFRM_REQUEST_MAX, len, why);
	case IPC_XFRM_POLICY_DELETE:
		return xfrm_build_delpolicy(&m->u.xfrm_policy_id, 1, buf, XFRM_REQUEST_MAX, len, why);
	}
	return TNC_ETYPE;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint16_t types[] = {IPC_XFRM_SA_ADD, IPC_XFRM_SA_DELETE, IPC_XFRM_POLICY_ADD,
	    IPC_XFRM_POLICY_DELETE, IPC_XFRM_RESULT};
	int kerr = 1;
	char text[64];

	if (xfrm_parse_ack(data, size, 1, &kerr, text, sizeof(text)) == 0)
		check(kerr <= 0 && strlen(text) < sizeof(text));
	if (size < 1)
		return 0;

	struct ipc_msg m;
	uint16_t type = types[data[0] % 5];
	if (ipc_msg_decode(type, data + 1, size - 1, &m) != 0)
		return 0;
	struct wire_writer w;
	wire_writer_init(&w, size + 64);
	check(ipc_msg_encode(&m, &w) == 0);
	check(w.len == size - 1 && memcmp(w.buf, data + 1, w.len) == 0);
	wire_writer_clear(&w);
	if (type == IPC_XFRM_RESULT)
		return 0;

	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len = 0;
	const char *why = NULL;
	int err = build(&m, buf, &len, &why);
	if (err) {
		check(err == TNC_EINVALID && why != NULL && len == 0);
		return 0;
	}
	struct nlmsghdr h;
	check(len >= sizeof(h) && len <= XFRM_REQUEST_MAX);
	memcpy(&h, buf, sizeof(h));
	check(h.nlmsg_len == len && h.nlmsg_seq == 1);

	static struct xfrm_admit conns;
	static struct xfrm_table none;
	static const struct ipc_config defaults;
	char reason[IPC_XFRM_REASON_MAX] = "";
	if (type == IPC_XFRM_POLICY_ADD) {
		const struct ipc_xfrm_policy_id *id = &m.u.xfrm_policy.id;
		check(xfrm_admit_configure(&conns, &defaults, reason, sizeof(reason)) == 0);
		err = xfrm_admit_policy(&conns, &m.u.xfrm_policy, reason, sizeof(reason));
		check(err == 0 ? id->family == AF_INET && (id->dir == IPC_XFRM_OUT ?
		    id->dst_prefix : id->src_prefix) == 32 : err == TNC_EINVALID && reason[0]);
	} else if (type == IPC_XFRM_SA_ADD) {
		err = xfrm_admit_sa(&none, &m.u.xfrm_sa, reason, sizeof(reason));
		check(err == TNC_ESTATE && reason[0]);
	}
	return 0;
}
