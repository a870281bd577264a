/* xfrm_link.h - tnc-ike's side of its channel to tnc-xfrm: requests for
 * kernel SAs and policies (ipc_msg.h, xfrm-*), each answered by one
 * xfrm-result, which goes to the request's callback.
 *
 * At most XFRM_LINK_PENDING_MAX requests wait for their answer; when the
 * channel closes, every waiting request is answered TNC_ECLOSED (tnc-xfrm
 * then removes all it installed for this tnc-ike, and a new channel starts
 * from nothing).  tnc-ike's child glue calls xfrm_link_attached(),
 * xfrm_link_closed() and xfrm_link_answer() from its peer callbacks.
 */
#ifndef TNC_XFRM_LINK_H
#define TNC_XFRM_LINK_H

#include <stdint.h>

#include "ipc_channel.h"

#define XFRM_LINK_PENDING_MAX 256

/* status: 0, a TNC_E* code, or the kernel's -errno; reason one line (valid
 * during the call). */
typedef void (*xfrm_link_done)(void *ctx, int status, const char *reason);

struct xfrm_link_pending {
	uint32_t seq;
	xfrm_link_done done;
	void *ctx;
};

struct xfrm_link {
	struct ipc_channel *ch;   /* NULL while there is none */
	uint32_t last_seq;
	struct xfrm_link_pending pending[XFRM_LINK_PENDING_MAX];
	unsigned npending;
};

void xfrm_link_attached(struct xfrm_link *l, struct ipc_channel *ch);
/* Answers every waiting request with TNC_ECLOSED. */
void xfrm_link_closed(struct xfrm_link *l);
/* Sends req (an xfrm-* request) for the IKE SA session: 0 and done is
 * called once with the answer; else TNC_ECLOSED (no channel), TNC_EAGAIN
 * (too many waiting, or back-pressure), TNC_ETYPE (not a request) or the
 * encoder's error, and done is never called. */
int xfrm_link_request(struct xfrm_link *l, const struct ipc_msg *req, uint32_t session,
    xfrm_link_done done, void *ctx) TNC_MUST_CHECK;
/* A frame from tnc-xfrm: an xfrm-result goes to its request's callback;
 * anything else, or an answer to no waiting request, is logged and dropped. */
void xfrm_link_answer(struct xfrm_link *l, const struct ipc_received *rx);

#endif
