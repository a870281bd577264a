/* ipc_channel.h - framed IPC over a libuv pipe (AF_UNIX stream socket).
 *
 * A channel knows the ends it joins (IPC_END_*) and reads frames,
 * validating the header, the registry (may this type flow from the far end
 * to this one, and more than once?) and the payload before the handler sees
 * anything; a descriptor may only come with a type that carries one.  Any
 * violation closes that channel with a log line, never the process.  Sends
 * are queued; above the high-water mark ipc_channel_send() refuses with
 * TNC_EAGAIN (back-pressure) and on_drain fires once the queue has drained
 * below the low-water mark.  Descriptors travel with FD-flagged frames.
 */
#ifndef TNC_IPC_CHANNEL_H
#define TNC_IPC_CHANNEL_H

#include <uv.h>

#include "ipc_msg.h"

#define IPC_HIGH_WATER (4u * 1024u * 1024u)
#define IPC_LOW_WATER (1u * 1024u * 1024u)

struct ipc_channel;

struct ipc_received {
	struct ipc_header hdr;
	struct ipc_msg msg;
	/* The descriptor of an FD frame as a libuv handle (a uv_pipe_t in IPC
	 * mode, a uv_tcp_t, or a uv_udp_t, which is no stream: uv_fileno() it).  The handler takes it by setting this to NULL;
	 * otherwise the channel closes it after the handler returns. */
	uv_stream_t *handle;
};

struct ipc_channel_ops {
	void (*on_msg)(struct ipc_channel *ch, struct ipc_received *rx);
	/* Called once, after the channel is gone; err 0 = orderly EOF/close. */
	void (*on_close)(struct ipc_channel *ch, int err);
	void (*on_drain)(struct ipc_channel *ch); /* optional */
};

/* A channel on an open socket descriptor (ownership passes to the channel).
 * local and remote are the IPC_END_* of this end and of the far end; name is
 * used in log lines. */
int ipc_channel_open(uv_loop_t *loop, int fd, unsigned local, unsigned remote,
    const char *name, const struct ipc_channel_ops *ops, void *data,
    struct ipc_channel **ret) TNC_MUST_CHECK;
/* A channel on a pipe handle received in an FD frame (ownership passes). */
int ipc_channel_adopt(uv_stream_t *handle, unsigned local, unsigned remote, const char *name,
    const struct ipc_channel_ops *ops, void *data, struct ipc_channel **ret) TNC_MUST_CHECK;

/* Queues one frame.  fd, if not -1, is a socket descriptor to pass with it
 * (the msg type must be one that carries one); its ownership passes to the
 * channel, which closes it once sent or on failure. */
int ipc_channel_send(struct ipc_channel *ch, const struct ipc_msg *msg,
    uint32_t session, uint32_t seq, uint8_t flags, int fd) TNC_MUST_CHECK;
/* Starts closing; on_close follows from the loop. Idempotent. */
void ipc_channel_close(struct ipc_channel *ch, int err);

void ipc_channel_set_max_frame(struct ipc_channel *ch, uint32_t max);
size_t ipc_channel_queued(const struct ipc_channel *ch);
void *ipc_channel_data(const struct ipc_channel *ch);
const char *ipc_channel_name(const struct ipc_channel *ch);

#endif
