/* ipc_channel.c - framed IPC channel over a libuv pipe (see ipc_channel.h). */
#include "ipc_channel.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"

#define RX_CHUNK (64u * 1024u)

struct ipc_channel {
	uv_pipe_t *pipe;
	unsigned local, remote; /* IPC_END_* of this end and of the far end */
	uint64_t seen_once;     /* registry rows of "once" types already received */
	char name[48];
	const struct ipc_channel_ops *ops;
	void *data;
	uint32_t max_frame;
	uint8_t *rx;
	size_t rx_len, rx_cap;
	size_t queued;
	int throttled;
	int closing;
	int close_err;
};

struct write_req {
	uv_write_t req;
	struct ipc_channel *ch;
	uv_pipe_t *fd_handle; /* the descriptor being passed, closed when written */
	size_t len;
	uint8_t data[];
};

static void on_pipe_closed(uv_handle_t *h);

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct ipc_channel *ch = h->data;
	size_t limit = IPC_HEADER_LEN + (size_t)ch->max_frame + RX_CHUNK;

	if (ch->rx_cap - ch->rx_len < RX_CHUNK && ch->rx_cap < limit) {
		size_t cap = ch->rx_cap ? ch->rx_cap * 2 : RX_CHUNK;
		if (cap > limit)
			cap = limit;
		uint8_t *p = realloc(ch->rx, cap);
		if (!p)
			abort();
		ch->rx = p;
		ch->rx_cap = cap;
	}
	*buf = uv_buf_init((char *)ch->rx + ch->rx_len, (unsigned)(ch->rx_cap - ch->rx_len));
}

static uv_stream_t *
accept_handle(struct ipc_channel *ch)
{
	uv_loop_t *loop = ch->pipe->loop;
	uv_handle_type type = uv_pipe_pending_type(ch->pipe);
	uv_stream_t *s;

	if (type == UV_NAMED_PIPE) {
		uv_pipe_t *p = malloc(sizeof(*p));
		if (!p)
			abort();
		uv_pipe_init(loop, p, 1);
		s = (uv_stream_t *)p;
	} else if (type == UV_TCP) {
		uv_tcp_t *t = malloc(sizeof(*t));
		if (!t)
			abort();
		uv_tcp_init(loop, t);
		s = (uv_stream_t *)t;
	} else if (type == UV_UDP) { /* tnc-ike's IKEv2 sockets; uv_accept() opens it */
		uv_udp_t *u = malloc(sizeof(*u));
		if (!u)
			abort();
		uv_udp_init(loop, u);
		s = (uv_stream_t *)u;
	} else {
		return NULL;
	}
	if (uv_accept((uv_stream_t *)ch->pipe, s) != 0) {
		uv_close((uv_handle_t *)s, (uv_close_cb)free);
		return NULL;
	}
	return s;
}

/* Validates and dispatches one complete frame; returns 0 or the error that
 * must close the channel. */
static int
dispatch(struct ipc_channel *ch, const struct ipc_header *h, const uint8_t *payload)
{
	struct ipc_received rx = {.hdr = *h, .handle = NULL};
	char from[32], to[32];
	int err;

	if (!ipc_type_allowed(h->type, ch->remote, ch->local)) {
		LOG(IPC, 1, "channel '%s': message '%s' may not flow from %s to %s; closing channel",
		    ch->name, ipc_type_name(h->type), ipc_end_names(ch->remote, from, sizeof(from)),
		    ipc_end_names(ch->local, to, sizeof(to)));
		return TNC_ETYPE;
	}
	if (ipc_type_once(h->type)) {
		uint64_t bit = 1ull << ipc_type_index(h->type);
		if (ch->seen_once & bit) {
			LOG(IPC, 1, "channel '%s': a second '%s', which may come once; closing channel",
			    ch->name, ipc_type_name(h->type));
			return TNC_ESTATE;
		}
		ch->seen_once |= bit;
	}
	if ((err = ipc_msg_decode(h->type, payload, h->length, &rx.msg))) {
		LOG(IPC, 1, "channel '%s': '%s' payload of %u bytes does not parse (%s); closing channel",
		    ch->name, ipc_type_name(h->type), h->length, tnc_strerror(err));
		return err;
	}
	if (h->flags & IPC_FLAG_FD) {
		if (uv_pipe_pending_count(ch->pipe) == 0 || !(rx.handle = accept_handle(ch))) {
			LOG(IPC, 1, "channel '%s': '%s' announces a descriptor that did not arrive; closing channel",
			    ch->name, ipc_type_name(h->type));
			return TNC_ENOFD;
		}
	}
	LOG(IPC, 3, "channel '%s': received '%s' (%u bytes, session %u, seq %u)",
	    ch->name, ipc_type_name(h->type), h->length, h->session, h->seq);
	ch->ops->on_msg(ch, &rx);
	if (rx.handle)
		uv_close((uv_handle_t *)rx.handle, (uv_close_cb)free);
	return 0;
}

/* The kernel hands a descriptor over with the first bytes of the write that
 * carried it, and ends the read there.  So once the complete frames are
 * dispatched, a descriptor still pending must belong to the frame begun at
 * the start of the buffer, and only an FD frame may have one. */
static bool
stray_descriptor(struct ipc_channel *ch)
{
	struct ipc_header h;

	if (uv_pipe_pending_count(ch->pipe) == 0)
		return false;
	if (ch->rx_len == 0)
		return true;
	if (ch->rx_len < IPC_HEADER_LEN)
		return false; /* the header will tell */
	return ipc_frame_parse_header(ch->rx, IPC_HEADER_LEN, ch->max_frame, &h) != 0 ||
	    !(h.flags & IPC_FLAG_FD) || uv_pipe_pending_count(ch->pipe) > 1;
}

static void
process_rx(struct ipc_channel *ch)
{
	size_t off = 0;

	while (!ch->closing && ch->rx_len - off >= IPC_HEADER_LEN) {
		struct ipc_header h;
		int err = ipc_frame_parse_header(ch->rx + off, IPC_HEADER_LEN, ch->max_frame, &h);
		if (err) {
			LOG(IPC, 1, "channel '%s': bad frame header (%s): version %u flags 0x%02x "
			    "type 0x%04x; closing channel", ch->name, tnc_strerror(err),
			    ch->rx[off], ch->rx[off + 1], (unsigned)(ch->rx[off + 2] << 8 | ch->rx[off + 3]));
			ipc_channel_close(ch, err);
			return;
		}
		if (ch->rx_len - off - IPC_HEADER_LEN < h.length)
			break; /* wait for the rest of the payload */
		err = dispatch(ch, &h, ch->rx + off + IPC_HEADER_LEN);
		if (err) {
			ipc_channel_close(ch, err);
			return;
		}
		off += IPC_HEADER_LEN + h.length;
	}
	if (ch->closing)
		return;
	if (off > 0) {
		memmove(ch->rx, ch->rx + off, ch->rx_len - off);
		ch->rx_len -= off;
	}
	if (stray_descriptor(ch)) {
		LOG(IPC, 1, "channel '%s': a descriptor came with a message that carries none; "
		    "closing channel", ch->name);
		ipc_channel_close(ch, TNC_EINVALID);
	}
}

static void
on_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct ipc_channel *ch = s->data;

	if (nread < 0) {
		/* A reset is how a peer that died looks; its death is logged where
		 * it is noticed (tncd's exit handler), not as a channel error. */
		if (nread == UV_ECONNRESET)
			LOG(IPC, 2, "channel '%s': connection reset by the peer", ch->name);
		else if (nread != UV_EOF)
			LOG(IPC, 1, "channel '%s': read failed: %s", ch->name, uv_strerror((int)nread));
		else if (ch->rx_len > 0)
			LOG(IPC, 1, "channel '%s': peer closed inside a frame (%zu bytes pending); closing channel",
			    ch->name, ch->rx_len);
		ipc_channel_close(ch, nread == UV_EOF || nread == UV_ECONNRESET ?
		    (ch->rx_len ? TNC_ETRUNCATED : 0) : (int)nread);
		return;
	}
	ch->rx_len += (size_t)nread;
	process_rx(ch);
}

static int
start(uv_pipe_t *pipe, unsigned local, unsigned remote, const char *name,
    const struct ipc_channel_ops *ops, void *data, struct ipc_channel **ret)
{
	struct ipc_channel *ch = calloc(1, sizeof(*ch));
	if (!ch)
		abort();
	ch->pipe = pipe;
	ch->local = local;
	ch->remote = remote;
	snprintf(ch->name, sizeof(ch->name), "%s", name);
	ch->ops = ops;
	ch->data = data;
	ch->max_frame = IPC_FRAME_MAX_DEFAULT;
	pipe->data = ch;
	int err = uv_read_start((uv_stream_t *)pipe, on_alloc, on_read);
	if (err) {
		ch->closing = 1;
		ch->close_err = err;
		ch->ops = NULL; /* the caller never saw it: no on_close */
		uv_close((uv_handle_t *)pipe, on_pipe_closed);
		return err;
	}
	*ret = ch;
	return 0;
}

int
ipc_channel_open(uv_loop_t *loop, int fd, unsigned local, unsigned remote, const char *name,
    const struct ipc_channel_ops *ops, void *data, struct ipc_channel **ret)
{
	uv_pipe_t *pipe = malloc(sizeof(*pipe));
	if (!pipe)
		abort();
	uv_pipe_init(loop, pipe, 1);
	int err = uv_pipe_open(pipe, fd);
	if (err) {
		uv_close((uv_handle_t *)pipe, (uv_close_cb)free);
		return err;
	}
	return start(pipe, local, remote, name, ops, data, ret);
}

int
ipc_channel_adopt(uv_stream_t *handle, unsigned local, unsigned remote, const char *name,
    const struct ipc_channel_ops *ops, void *data, struct ipc_channel **ret)
{
	if (handle->type != UV_NAMED_PIPE) {
		uv_close((uv_handle_t *)handle, (uv_close_cb)free);
		return TNC_ETYPE;
	}
	return start((uv_pipe_t *)handle, local, remote, name, ops, data, ret);
}

static void
on_written(uv_write_t *req, int status)
{
	struct write_req *w = (struct write_req *)req;
	struct ipc_channel *ch = w->ch;

	ch->queued -= w->len;
	if (w->fd_handle)
		uv_close((uv_handle_t *)w->fd_handle, (uv_close_cb)free);
	free(w);
	if (status < 0) {
		if (status != UV_ECANCELED) {
			LOG(IPC, 1, "channel '%s': write failed: %s", ch->name, uv_strerror(status));
			ipc_channel_close(ch, status);
		}
		return;
	}
	if (ch->throttled && ch->queued <= IPC_LOW_WATER && !ch->closing) {
		ch->throttled = 0;
		if (ch->ops->on_drain)
			ch->ops->on_drain(ch);
	}
}

/* Wraps a descriptor to pass in a handle libuv can send; NULL on failure
 * (the descriptor is closed either way when it fails). */
static uv_pipe_t *
wrap_fd(uv_loop_t *loop, int fd)
{
	uv_pipe_t *p = malloc(sizeof(*p));
	if (!p)
		abort();
	uv_pipe_init(loop, p, 0);
	if (uv_pipe_open(p, fd) != 0) {
		close(fd);
		uv_close((uv_handle_t *)p, (uv_close_cb)free);
		return NULL;
	}
	return p;
}

/* Queues what is left of req after its first sent bytes, with the
 * descriptor fd when there is one (>= 0; closed either way on failure). */
static int
queue_write(struct ipc_channel *ch, struct write_req *req, size_t sent, int fd)
{
	int err;
	req->len -= sent;
	uv_buf_t buf = uv_buf_init((char *)req->data + sent, (unsigned)req->len);
	if (fd >= 0) {
		if (!(req->fd_handle = wrap_fd(ch->pipe->loop, fd))) {
			free(req);
			return TNC_EINVALID;
		}
		err = uv_write2(&req->req, (uv_stream_t *)ch->pipe, &buf, 1,
		    (uv_stream_t *)req->fd_handle, on_written);
	} else {
		err = uv_write(&req->req, (uv_stream_t *)ch->pipe, &buf, 1, on_written);
	}
	if (err) {
		if (req->fd_handle)
			uv_close((uv_handle_t *)req->fd_handle, (uv_close_cb)free);
		free(req);
		return err;
	}
	ch->queued += req->len;
	return 0;
}

int
ipc_channel_send(struct ipc_channel *ch, const struct ipc_msg *msg,
    uint32_t session, uint32_t seq, uint8_t flags, int fd)
{
	struct wire_writer w;
	int err = 0;

	if (ch->closing)
		err = TNC_ECLOSED;
	else if (!ipc_type_allowed(msg->type, ch->local, ch->remote))
		err = TNC_ETYPE; /* the far end would refuse it and close the channel */
	else if (ch->queued >= IPC_HIGH_WATER)
		err = TNC_EAGAIN;
	else if ((fd >= 0) != ipc_type_has_fd(msg->type))
		err = TNC_EINVALID;
	if (err) {
		ch->throttled |= err == TNC_EAGAIN;
		if (fd >= 0)
			close(fd);
		return err;
	}
	wire_writer_init(&w, ch->max_frame);
	if ((err = ipc_msg_encode(msg, &w))) {
		wire_writer_clear(&w);
		if (fd >= 0)
			close(fd);
		return err;
	}
	struct ipc_header h = {
		.version = IPC_FRAME_VERSION,
		.flags = (uint8_t)((flags & IPC_FLAG_REPLY) | (fd >= 0 ? IPC_FLAG_FD : 0)),
		.type = msg->type,
		.length = (uint32_t)w.len,
		.session = session,
		.seq = seq,
	};
	struct write_req *req = malloc(sizeof(*req) + IPC_HEADER_LEN + w.len);
	if (!req)
		abort();
	req->ch = ch;
	req->len = IPC_HEADER_LEN + w.len;
	req->fd_handle = NULL;
	ipc_frame_write_header(&h, req->data);
	if (w.len)
		memcpy(req->data + IPC_HEADER_LEN, w.buf, w.len);
	wire_writer_clear(&w);

	/* With nothing queued before it, a frame without a descriptor is
	 * written at once; only what the pipe does not take is queued (a
	 * queued write costs libuv a poll-set change and a callback). */
	size_t sent = 0;
	if (fd < 0 && ch->queued == 0) {
		uv_buf_t all = uv_buf_init((char *)req->data, (unsigned)req->len);
		int n = uv_try_write((uv_stream_t *)ch->pipe, &all, 1);
		sent = n > 0 ? (size_t)n : 0;
	}
	if (sent < req->len) {
		if ((err = queue_write(ch, req, sent, fd)))
			return err;
	} else {
		free(req);
	}
	LOG(IPC, 3, "channel '%s': sent '%s' (%u bytes, session %u, seq %u)",
	    ch->name, ipc_type_name(h.type), h.length, session, seq);
	return 0;
}

static void
on_pipe_closed(uv_handle_t *h)
{
	struct ipc_channel *ch = h->data;
	free(h);
	if (ch->ops)
		ch->ops->on_close(ch, ch->close_err);
	free(ch->rx);
	free(ch);
}

void
ipc_channel_close(struct ipc_channel *ch, int err)
{
	if (ch->closing)
		return;
	ch->closing = 1;
	ch->close_err = err;
	uv_read_stop((uv_stream_t *)ch->pipe);
	uv_close((uv_handle_t *)ch->pipe, on_pipe_closed);
}

void
ipc_channel_set_max_frame(struct ipc_channel *ch, uint32_t max)
{
	ch->max_frame = max > IPC_FRAME_MAX_HARD ? IPC_FRAME_MAX_HARD : max;
}

size_t
ipc_channel_queued(const struct ipc_channel *ch)
{
	return ch->queued;
}

void *
ipc_channel_data(const struct ipc_channel *ch)
{
	return ch->data;
}

const char *
ipc_channel_name(const struct ipc_channel *ch)
{
	return ch->name;
}
