/* control.c - tncd's control socket for tncctl: a unix socket, mode 0660,
 * owned by root and the configured control group; peers are checked again
 * with the kernel's record of their credentials (peer_cred.h).  Each
 * connection is an IPC channel carrying CTL_REQUEST and CTL_REPLY frames.
 *
 * Idle connections cannot lock tncctl out: one without a request in flight
 * is closed after CLIENT_IDLE_MS, and when all CLIENTS_MAX are open the
 * idlest one makes room for the newcomer. */
#include "tncd.h"

#include <errno.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl_commands.h"
#include "ctl_reply.h"
#include "log.h"
#include "metrics_collect.h"
#include "peer_cred.h"

#define PENDING_MAX 32
#define CLIENTS_MAX 64       /* more than PENDING_MAX: one is always idle */
#define CLIENT_IDLE_MS 3000  /* tncctl sends its request at once and closes after the reply */
#define SWEEP_MS 500
#define LISTEN_BACKLOG 128

static struct client {
	struct ipc_channel *ch; /* NULL = free */
	uint64_t active_ms;     /* accepted, or its last request */
} clients[CLIENTS_MAX];

static uv_timer_t sweep_timer;

/* Operator requests waiting for a child's answer (peer pings). */
static struct pending {
	uint32_t seq;          /* tncd's seq towards the child; 0 = free */
	uint32_t client_seq;   /* the tncctl request's seq */
	struct ipc_channel *client;
} pending[PENDING_MAX];

static bool
busy(const struct ipc_channel *ch)
{
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending[i].seq && pending[i].client == ch)
			return true;
	return metrics_collect_busy(ch);
}

static void
drop_client(struct client *c, const char *why)
{
	LOG(DMN, 2, "closing a control connection: %s", why);
	struct ipc_channel *ch = c->ch;
	c->ch = NULL; /* free now; on_ctl_close finds no slot */
	ipc_channel_close(ch, 0);
}

static void
on_ctl_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct tncd *t = ipc_channel_data(ch);
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (clients[i].ch == ch)
			clients[i].active_ms = tncd_now_ms(t);
	ctl_commands_dispatch(t, ch, rx->hdr.seq, &rx->msg.u.ctl_request);
}

static void
on_ctl_close(struct ipc_channel *ch, int err)
{
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (clients[i].ch == ch)
			clients[i].ch = NULL;
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending[i].seq && pending[i].client == ch)
			pending[i].seq = 0;
	metrics_collect_client_gone(ch);
}

static const struct ipc_channel_ops ctl_ops = {on_ctl_msg, on_ctl_close, NULL};

static void
on_sweep(uv_timer_t *timer)
{
	struct tncd *t = timer->data;
	uint64_t now = tncd_now_ms(t);
	bool any = false;

	for (int i = 0; i < CLIENTS_MAX; i++) {
		struct client *c = &clients[i];
		if (c->ch && !busy(c->ch) && now - c->active_ms >= CLIENT_IDLE_MS)
			drop_client(c, "idle");
		any |= c->ch != NULL;
	}
	if (!any)
		uv_timer_stop(timer);
}

/* A free slot, or the one of the connection idle the longest (closed). */
static struct client *
make_room(void)
{
	struct client *idlest = NULL;
	for (int i = 0; i < CLIENTS_MAX; i++) {
		struct client *c = &clients[i];
		if (!c->ch)
			return c;
		if (!busy(c->ch) && (!idlest || c->active_ms < idlest->active_ms))
			idlest = c;
	}
	if (idlest)
		drop_client(idlest, "the idlest one makes room for a new one");
	return idlest;
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct tncd *t = server->data;
	struct ipc_channel *ch;
	uv_os_fd_t fd;
	char who[96];

	if (status < 0)
		return;
	uv_pipe_t *pipe = malloc(sizeof(*pipe));
	if (!pipe)
		abort();
	uv_pipe_init(t->loop, pipe, 1);
	if (uv_accept(server, (uv_stream_t *)pipe) != 0 || uv_fileno((uv_handle_t *)pipe, &fd) != 0) {
		uv_close((uv_handle_t *)pipe, (uv_close_cb)free);
		return;
	}
	if (!peer_cred_allowed(fd, t->cfg.control_gid, who, sizeof(who))) {
		LOG_WARN(DMN, "refusing control connection from %s: not root and not in control_group",
		    who);
		uv_close((uv_handle_t *)pipe, (uv_close_cb)free);
		return;
	}
	struct client *c = make_room();
	if (!c) { /* cannot happen while CLIENTS_MAX > PENDING_MAX; fail closed anyway */
		LOG_WARN(DMN, "refusing control connection from %s: every connection is busy", who);
		uv_close((uv_handle_t *)pipe, (uv_close_cb)free);
		return;
	}
	if (ipc_channel_adopt((uv_stream_t *)pipe, IPC_END_TNCD, IPC_END_CTL, "tncctl", &ctl_ops, t,
	    &ch)) {
		LOG(DMN, 1, "cannot open a control connection");
		return;
	}
	*c = (struct client){ch, tncd_now_ms(t)};
	if (!uv_is_active((uv_handle_t *)&sweep_timer))
		uv_timer_start(&sweep_timer, on_sweep, SWEEP_MS, SWEEP_MS);
}

static int
make_parent_dir(const char *sock_path)
{
	char copy[sizeof(((struct tncd *)0)->cfg.control_socket)];
	snprintf(copy, sizeof(copy), "%s", sock_path);
	const char *dir = dirname(copy);
	if (mkdir(dir, 0750) != 0 && errno != EEXIST)
		return -errno;
	return 0;
}

int
control_start(struct tncd *t)
{
	const char *path = t->cfg.control_socket;
	int err;

	if ((err = make_parent_dir(path)))
		return err;
	unlink(path); /* a stale socket of a previous run */
	uv_pipe_init(t->loop, &t->ctl_server, 0);
	t->ctl_server.data = t;
	uv_timer_init(t->loop, &sweep_timer);
	sweep_timer.data = t;
	metrics_collect_init(t);
	mode_t old = umask(0117);
	err = uv_pipe_bind(&t->ctl_server, path);
	umask(old);
	if (!err && t->as_root && t->cfg.control_gid && chown(path, 0, t->cfg.control_gid) != 0)
		err = -errno;
	if (!err)
		err = uv_listen((uv_stream_t *)&t->ctl_server, LISTEN_BACKLOG, on_connection);
	if (err) {
		uv_close((uv_handle_t *)&t->ctl_server, NULL);
		uv_close((uv_handle_t *)&sweep_timer, NULL);
		metrics_collect_close();
		return err;
	}
	t->ctl_listening = true;
	LOG(DMN, 1, "control socket listening on %s", path);
	return 0;
}

void
control_stop(struct tncd *t)
{
	if (!t->ctl_listening)
		return;
	t->ctl_listening = false;
	uv_close((uv_handle_t *)&t->ctl_server, NULL);
	uv_close((uv_handle_t *)&sweep_timer, NULL);
	metrics_collect_close();
	unlink(t->cfg.control_socket);
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (clients[i].ch)
			drop_client(&clients[i], "tncd is stopping");
}

int
control_await_peer_ping(struct tncd *t, struct ipc_channel *client, uint32_t client_seq,
    uint32_t *ret_seq)
{
	for (int i = 0; i < PENDING_MAX; i++) {
		if (pending[i].seq)
			continue;
		pending[i] = (struct pending){++t->next_seq ? t->next_seq : ++t->next_seq, client_seq,
		    client};
		*ret_seq = pending[i].seq;
		return 0;
	}
	return TNC_EAGAIN;
}

void
control_peer_ping_done(struct tncd *t, uint32_t seq, const struct ipc_peer_ping *r)
{
	char peer[64], msg[128];

	for (int i = 0; i < PENDING_MAX; i++) {
		if (!seq || pending[i].seq != seq)
			continue;
		pending[i].seq = 0;
		bytes_cstr(r->peer, peer, sizeof(peer));
		if (r->status == 0)
			snprintf(msg, sizeof(msg), "%s answered in %llu us", peer,
			    (unsigned long long)r->rtt_us);
		else
			snprintf(msg, sizeof(msg), "ping to %s failed: %s", peer, tnc_strerror(r->status));
		ctl_reply(pending[i].client, pending[i].client_seq, r->status, msg, NULL);
		return;
	}
}
