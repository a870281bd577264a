/* xfrm_link.c - tnc-ike's requests to tnc-xfrm (see xfrm_link.h). */
#include "xfrm_link.h"

#include "log.h"

void
xfrm_link_attached(struct xfrm_link *l, struct ipc_channel *ch)
{
	xfrm_link_closed(l); /* the old channel's requests are not answered on a new one */
	l->ch = ch;
}

void
xfrm_link_closed(struct xfrm_link *l)
{
	l->ch = NULL;
	while (l->npending) {
		struct xfrm_link_pending p = l->pending[--l->npending];
		p.done(p.ctx, TNC_ECLOSED, "the channel to tnc-xfrm closed");
	}
}

static bool
is_request(uint16_t type)
{
	return type == IPC_XFRM_SA_ADD || type == IPC_XFRM_SA_DELETE ||
	    type == IPC_XFRM_POLICY_ADD || type == IPC_XFRM_POLICY_DELETE;
}

int
xfrm_link_request(struct xfrm_link *l, const struct ipc_msg *req, uint32_t session,
    xfrm_link_done done, void *ctx)
{
	if (!is_request(req->type))
		return TNC_ETYPE;
	if (!l->ch)
		return TNC_ECLOSED;
	if (l->npending >= XFRM_LINK_PENDING_MAX)
		return TNC_EAGAIN;
	if (++l->last_seq == 0) /* 0 means one-way */
		l->last_seq = 1;
	int err = ipc_channel_send(l->ch, req, session, l->last_seq, 0, -1);
	if (err)
		return err;
	l->pending[l->npending++] = (struct xfrm_link_pending){l->last_seq, done, ctx};
	return 0;
}

void
xfrm_link_answer(struct xfrm_link *l, const struct ipc_received *rx)
{
	char reason[IPC_XFRM_REASON_MAX + 1];

	if (rx->hdr.type != IPC_XFRM_RESULT || !(rx->hdr.flags & IPC_FLAG_REPLY)) {
		LOG(IPC, 1, "'%s' from tnc-xfrm is no answer", ipc_type_name(rx->hdr.type));
		return;
	}
	for (unsigned i = 0; i < l->npending; i++) {
		if (l->pending[i].seq != rx->hdr.seq)
			continue;
		struct xfrm_link_pending p = l->pending[i];
		l->pending[i] = l->pending[--l->npending];
		bytes_cstr(rx->msg.u.xfrm_result.reason, reason, sizeof(reason));
		p.done(p.ctx, rx->msg.u.xfrm_result.status, reason);
		return;
	}
	LOG(IPC, 1, "an answer from tnc-xfrm to no waiting request (seq %u)", rx->hdr.seq);
}
