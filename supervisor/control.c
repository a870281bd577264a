/* control.c - tncd's control socket for tncctl: a unix socket, mode 0660,
 * owned by root and the configured control group; peers are checked again
 * with SO_PEERCRED.  Each connection is an IPC channel carrying CTL_REQUEST
 * and CTL_REPLY frames. */
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

#define PENDING_MAX 32
#define CLIENTS_MAX 32

static struct ipc_channel *clients[CLIENTS_MAX];

/* Operator requests waiting for a child's answer (peer pings). */
static struct pending {
	uint32_t seq;          /* tncd's seq towards the child; 0 = free */
	uint32_t client_seq;   /* the tncctl request's seq */
	struct ipc_channel *client;
} pending[PENDING_MAX];

static void
on_ctl_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct tncd *t = ipc_channel_data(ch);
	ctl_commands_dispatch(t, ch, rx->hdr.seq, &rx->msg.u.ctl_request);
}

static void
on_ctl_close(struct ipc_channel *ch, int err)
{
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (clients[i] == ch)
			clients[i] = NULL;
	for (int i = 0; i < PENDING_MAX; i++)
		if (pending[i].seq && pending[i].client == ch)
			pending[i].seq = 0;
}

static const struct ipc_channel_ops ctl_ops = {on_ctl_msg, on_ctl_close, NULL};

static bool
peer_allowed(struct tncd *t, uv_pipe_t *client)
{
	uv_os_fd_t fd;
	struct ucred cred;
	socklen_t len = sizeof(cred);

	if (uv_fileno((uv_handle_t *)client, &fd) != 0 ||
	    getsockopt(fd, SOL_SOCKET, SO_PEERCRED, &cred, &len) != 0)
		return false;
	if (cred.uid == 0 || cred.uid == geteuid() ||
	    (t->cfg.control_gid != 0 && cred.gid == t->cfg.control_gid))
		return true;
	LOG(DMN, 0, "refusing control connection from pid %d uid %u gid %u", (int)cred.pid,
	    (unsigned)cred.uid, (unsigned)cred.gid);
	return false;
}

static void
on_connection(uv_stream_t *server, int status)
{
	struct tncd *t = server->data;
	struct ipc_channel *ch;

	if (status < 0)
		return;
	uv_pipe_t *client = malloc(sizeof(*client));
	if (!client)
		abort();
	uv_pipe_init(t->loop, client, 1);
	if (uv_accept(server, (uv_stream_t *)client) != 0 || !peer_allowed(t, client)) {
		uv_close((uv_handle_t *)client, (uv_close_cb)free);
		return;
	}
	int slot = 0;
	while (slot < CLIENTS_MAX && clients[slot])
		slot++;
	if (slot == CLIENTS_MAX) {
		LOG(DMN, 0, "refusing control connection: %d already open", CLIENTS_MAX);
		uv_close((uv_handle_t *)client, (uv_close_cb)free);
		return;
	}
	if (ipc_channel_adopt((uv_stream_t *)client, IPC_END_TNCD, IPC_END_CTL, "tncctl", &ctl_ops, t, &ch))
		LOG(DMN, 1, "cannot open a control connection");
	else
		clients[slot] = ch;
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
	mode_t old = umask(0117);
	err = uv_pipe_bind(&t->ctl_server, path);
	umask(old);
	if (!err && t->as_root && t->cfg.control_gid && chown(path, 0, t->cfg.control_gid) != 0)
		err = -errno;
	if (!err)
		err = uv_listen((uv_stream_t *)&t->ctl_server, 16, on_connection);
	if (err) {
		uv_close((uv_handle_t *)&t->ctl_server, NULL);
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
	unlink(t->cfg.control_socket);
	for (int i = 0; i < CLIENTS_MAX; i++)
		if (clients[i])
			ipc_channel_close(clients[i], 0);
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
