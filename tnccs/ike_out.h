/* ike_out.h - frames from tnccs to tnc-ike under back-pressure.  A frame
 * the channel refuses with TNC_EAGAIN is kept, and every later frame queues
 * behind it so the order holds; peer_drained sends them on.  Queued batch
 * bytes are bounded (IKE_OUT_MAX); RESULT and CLOSE frames are small and
 * come at most once per handshake or session, so they always queue. */
#ifndef TNC_IKE_OUT_H
#define TNC_IKE_OUT_H

#include <stddef.h>
#include <stdint.h>

#include "ipc_channel.h"

#define IKE_OUT_MAX (64u * 1024 * 1024)

struct ike_frame;

struct ike_out {
	struct ike_frame *head, **tail;
	size_t batch_bytes; /* of the queued TNCCS_BATCH frames */
	unsigned frames;
};

void ike_out_init(struct ike_out *q);
/* Sends m (TNCCS_BATCH, TNCCS_RESULT or TNCCS_CLOSE) for a session on ch, or
 * keeps a copy behind the frames waiting already.  0: sent or kept;
 * TNC_EAGAIN: a batch over IKE_OUT_MAX, not kept; TNC_ECLOSED: no channel;
 * another error: the channel refused it. */
int ike_out_send(struct ike_out *q, struct ipc_channel *ch, uint32_t session,
    const struct ipc_msg *m) TNC_MUST_CHECK;
/* The channel drained: sends what waits until it pushes back again. */
void ike_out_flush(struct ike_out *q, struct ipc_channel *ch);
/* tnc-ike is gone: what waits is for connections that no longer exist. */
void ike_out_clear(struct ike_out *q);

#endif
