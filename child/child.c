/* child.c - the shared runtime of every child process (see child.h).
 *
 * Fixed order: check descriptors and argv, HELLO, wait for CONFIG, role
 * pre-init, sandbox_enter(), READY.  Only then are peer channels attached,
 * so no untrusted byte is read before the sandbox is in place.
 */
#include "child.h"

#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "child_args.h"
#include "child_log.h"
#include "ipc_metrics.h"
#include "log.h"
#include "sandbox.h"

#define PEER_PING_TIMEOUT_MS 2000
/* Freed heap a child keeps for its next sessions (M_TRIM_THRESHOLD). */
#define CHILD_HEAP_KEEP (8 * 1024 * 1024)

enum child_state { WAIT_CONFIG, RUNNING, STOPPING };

struct pending_peer_ping {
	uint32_t seq;      /* of tncd's request; 0 = none pending */
	uint64_t token;
	uint64_t sent_ns;
	uv_timer_t timer;
};

struct child {
	uv_loop_t loop;
	const struct role_manifest *role;
	struct child_args args;
	const struct child_ops *ops;
	void *data;
	enum child_state state;
	struct ipc_channel *control;
	struct ipc_channel *peers[ROLE_COUNT];
	struct pending_peer_ping pings[ROLE_COUNT];
	uint64_t next_token;
	int exit_code;
};

struct peer_link {
	struct child *child;
	enum tnc_role role;
};

#ifdef TNC_SANITIZED
/* LeakSanitizer's exit-time scan needs ptrace and threads, which no
 * sandbox grants; leaks are checked in the unsandboxed unit tests. */
const char *__asan_default_options(void);
const char *
__asan_default_options(void)
{
	return "detect_leaks=0";
}
#endif

static void
stop(struct child *c, int code)
{
	if (c->state == STOPPING)
		return;
	c->state = STOPPING;
	c->exit_code = code;
	uv_stop(&c->loop);
}

static void
send_control(struct child *c, const struct ipc_msg *m, uint32_t seq, uint8_t flags)
{
	int err = ipc_channel_send(c->control, m, 0, seq, flags, -1);
	if (err)
		LOG(IPC, 1, "cannot send '%s' to tncd: %s", ipc_type_name(m->type), tnc_strerror(err));
}

static void
reply_peer_ping(struct child *c, enum tnc_role peer, int status, uint64_t rtt_us)
{
	struct pending_peer_ping *p = &c->pings[peer];
	const char *name = manifest_role(peer)->name;
	struct ipc_msg m = {.type = IPC_PEER_PING_DONE};

	m.u.peer_ping.peer = (struct bytes){(const uint8_t *)name, strlen(name)};
	m.u.peer_ping.status = status;
	m.u.peer_ping.rtt_us = rtt_us;
	send_control(c, &m, p->seq, IPC_FLAG_REPLY);
	p->seq = 0;
	uv_timer_stop(&p->timer);
}

static void
on_peer_ping_timeout(uv_timer_t *t)
{
	struct peer_link *link = t->data;
	LOG(IPC, 1, "peer %s did not answer a ping", manifest_role(link->role)->name);
	reply_peer_ping(link->child, link->role, TNC_ETIMEOUT, 0);
}

static void
start_peer_ping(struct child *c, uint32_t seq, struct bytes peer_name)
{
	char name[64];
	const struct role_manifest *peer = manifest_find(bytes_cstr(peer_name, name, sizeof(name)));
	struct ipc_msg ping = {.type = IPC_PING};

	if (!peer || peer->role == ROLE_TNCD) {
		struct ipc_msg m = {.type = IPC_PEER_PING_DONE};
		m.u.peer_ping.peer = peer_name;
		m.u.peer_ping.status = TNC_ENOTFOUND;
		send_control(c, &m, seq, IPC_FLAG_REPLY);
		return;
	}
	struct pending_peer_ping *p = &c->pings[peer->role];
	if (p->seq)
		reply_peer_ping(c, peer->role, TNC_EAGAIN, 0); /* superseded */
	p->seq = seq;
	if (!c->peers[peer->role]) {
		reply_peer_ping(c, peer->role, TNC_ENOTFOUND, 0);
		return;
	}
	p->token = ping.u.ping.token = ++c->next_token;
	p->sent_ns = uv_hrtime();
	int err = ipc_channel_send(c->peers[peer->role], &ping, 0, 0, 0, -1);
	if (err) {
		reply_peer_ping(c, peer->role, err, 0);
		return;
	}
	uv_timer_start(&p->timer, on_peer_ping_timeout, PEER_PING_TIMEOUT_MS, 0);
}

static void on_peer_msg(struct ipc_channel *ch, struct ipc_received *rx);
static void on_peer_close(struct ipc_channel *ch, int err);
static void on_peer_drain(struct ipc_channel *ch);
static const struct ipc_channel_ops peer_ops = {on_peer_msg, on_peer_close, on_peer_drain};

static void
attach_peer(struct child *c, struct ipc_received *rx)
{
	char name[64];
	const struct role_manifest *peer =
	    manifest_find(bytes_cstr(rx->msg.u.peer_attach.peer, name, sizeof(name)));

	if (!peer || !manifest_are_peers(c->role->role, peer->role)) {
		LOG(IPC, 1, "refusing a channel to '%s': not a peer of %s", name, c->role->name);
		return;
	}
	if (c->peers[peer->role])
		ipc_channel_close(c->peers[peer->role], 0);
	struct peer_link *link = malloc(sizeof(*link));
	if (!link)
		abort();
	*link = (struct peer_link){c, peer->role};
	struct ipc_channel *ch;
	int err = ipc_channel_adopt(rx->handle, manifest_ipc_end(c->role->role),
	    manifest_ipc_end(peer->role), peer->name, &peer_ops, link, &ch);
	rx->handle = NULL;
	if (err) {
		LOG(IPC, 1, "cannot open the channel to %s: %s", peer->name, tnc_strerror(err));
		free(link);
		return;
	}
	/* Peer channels carry whole PB-TNC batches and PA-TNC messages, which
	 * may be as large as max_batch_size: the hard cap, not the default. */
	ipc_channel_set_max_frame(ch, IPC_FRAME_MAX_HARD);
	c->peers[peer->role] = ch;
	LOG(IPC, 1, "direct channel to %s (generation %u) attached", peer->name,
	    rx->msg.u.peer_attach.gen);
	if (c->ops->peer_attached)
		c->ops->peer_attached(c, peer->role, ch);
}

static void
on_peer_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct peer_link *link = ipc_channel_data(ch);
	struct child *c = link->child;

	if (rx->hdr.type == IPC_PING) {
		struct ipc_msg pong = {.type = IPC_PONG, .u.ping = rx->msg.u.ping};
		int err = ipc_channel_send(ch, &pong, 0, 0, 0, -1);
		if (err)
			LOG(IPC, 1, "cannot answer a ping from %s: %s", ipc_channel_name(ch),
			    tnc_strerror(err));
		return;
	}
	if (rx->hdr.type == IPC_PONG) {
		struct pending_peer_ping *p = &c->pings[link->role];
		if (p->seq && p->token == rx->msg.u.ping.token)
			reply_peer_ping(c, link->role, 0, (uv_hrtime() - p->sent_ns) / 1000);
		return;
	}
	if (c->ops->on_msg)
		c->ops->on_msg(c, link->role, rx);
}

static void
on_peer_close(struct ipc_channel *ch, int err)
{
	struct peer_link *link = ipc_channel_data(ch);
	struct child *c = link->child;

	if (c->peers[link->role] == ch) {
		c->peers[link->role] = NULL;
		if (c->state == RUNNING)
			LOG(IPC, 1, "direct channel to %s closed%s%s", manifest_role(link->role)->name,
			    err ? ": " : "", err ? tnc_strerror(err) : "");
		if (c->ops->peer_closed)
			c->ops->peer_closed(c, link->role);
	}
	free(link);
}

static void
on_peer_drain(struct ipc_channel *ch)
{
	struct peer_link *link = ipc_channel_data(ch);
	struct child *c = link->child;

	if (c->peers[link->role] == ch && c->ops->peer_drained)
		c->ops->peer_drained(c, link->role);
}

static void
apply_config(struct child *c, struct ipc_received *rx)
{
	const struct ipc_config *cfg = &rx->msg.u.config;
	struct sandbox_params sp = {.uid = 0, .gid = 0, .state_dir = "/"};
	char key[64], value[512], state_dir[512] = "/";

	for (unsigned i = 0; i < cfg->count; i++) {
		bytes_cstr(cfg->key[i], key, sizeof(key));
		bytes_cstr(cfg->value[i], value, sizeof(value));
		if (strcmp(key, "uid") == 0)
			sp.uid = (uid_t)strtoul(value, NULL, 10);
		else if (strcmp(key, "gid") == 0)
			sp.gid = (gid_t)strtoul(value, NULL, 10);
		else if (strcmp(key, "state_dir") == 0)
			snprintf(state_dir, sizeof(state_dir), "%s", value);
		else if (strcmp(key, "caps") == 0) /* tncd's decision; sandbox_enter() checks it */
			sp.caps = (unsigned)strtoul(value, NULL, 10);
		else if (strncmp(key, "log.", 4) == 0 && log_subsys_parse(key + 4) >= 0)
			log_set_level((enum log_subsys)log_subsys_parse(key + 4), atoi(value));
	}
	sp.state_dir = state_dir;
	if (c->ops->pre_sandbox && c->ops->pre_sandbox(c, cfg) != 0) {
		LOG_ERR(DMN, "%s: initialisation failed", c->role->name);
		stop(c, 3);
		return;
	}
	struct sandbox_report rep;
	int err = sandbox_enter(c->role->role, &sp, &rep);
	if (err) {
		LOG_ERR(DMN, "%s: cannot enter the sandbox: %s", c->role->name, tnc_strerror(err));
		stop(c, 4);
		return;
	}
	char caps[64];
	LOG(DMN, 1, "%s sandboxed: uid %u gid %u, %s %s, capabilities %s (%u syscalls allowed)",
	    c->role->name, (unsigned)rep.uid, (unsigned)rep.gid,
	    rep.chrooted ? "chroot" : "working directory", state_dir,
	    manifest_caps_text(sp.caps, caps, sizeof(caps)), rep.seccomp_syscalls);
	if (c->ops->post_sandbox && c->ops->post_sandbox(c) != 0) {
		LOG_ERR(DMN, "%s: initialisation in the sandbox failed", c->role->name);
		stop(c, 3);
		return;
	}
	struct ipc_msg ready = {.type = IPC_READY};
	ready.u.ready = (struct ipc_ready){rep.uid, rep.gid, rep.chrooted, rep.seccomp_syscalls};
	send_control(c, &ready, 0, 0);
	c->state = RUNNING;
	if (c->ops->ready)
		c->ops->ready(c);
}

static void
send_metrics(struct child *c, uint32_t seq)
{
	struct wire_writer w;
	wire_writer_init(&w, IPC_FRAME_MAX_DEFAULT - 64);
	if (ipc_metrics_encode(metrics_registry(), &w) == 0) {
		struct ipc_msg m = {.type = IPC_METRICS, .u.metrics.data = {w.buf, w.len}};
		send_control(c, &m, seq, IPC_FLAG_REPLY);
	} else {
		LOG(DMN, 1, "%s: its metrics do not fit a frame", c->role->name);
	}
	wire_writer_clear(&w);
}

static void
on_control_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct child *c = ipc_channel_data(ch);

	if (c->state == WAIT_CONFIG && rx->hdr.type != IPC_CONFIG && rx->hdr.type != IPC_PING) {
		LOG(IPC, 1, "'%s' from tncd before CONFIG", ipc_type_name(rx->hdr.type));
		ipc_channel_close(ch, TNC_ESTATE);
		return;
	}
	switch (rx->hdr.type) {
	case IPC_CONFIG:
		if (c->state != WAIT_CONFIG) {
			LOG(CFG, 1, "ignoring a second CONFIG: restart the process to change it");
			return;
		}
		apply_config(c, rx);
		return;
	case IPC_PING: {
		struct ipc_msg pong = {.type = IPC_PONG, .u.ping = rx->msg.u.ping};
		send_control(c, &pong, rx->hdr.seq, IPC_FLAG_REPLY);
		return;
	}
	case IPC_LOGLEVEL:
		if (rx->msg.u.loglevel.subsys == IPC_LOGLEVEL_ALL)
			log_set_all_levels(rx->msg.u.loglevel.level);
		else
			log_set_level((enum log_subsys)rx->msg.u.loglevel.subsys, rx->msg.u.loglevel.level);
		return;
	case IPC_PEER_ATTACH:
		attach_peer(c, rx);
		return;
	case IPC_PEER_PING:
		start_peer_ping(c, rx->hdr.seq, rx->msg.u.peer_ping.peer);
		return;
	case IPC_METRICS_GET:
		send_metrics(c, rx->hdr.seq);
		return;
	case IPC_SHUTDOWN:
		LOG(DMN, 1, "%s shutting down", c->role->name);
		stop(c, 0);
		return;
	default:
		if (c->ops->on_msg)
			c->ops->on_msg(c, ROLE_TNCD, rx);
	}
}

static void
on_control_close(struct ipc_channel *ch, int err)
{
	struct child *c = ipc_channel_data(ch);
	c->control = NULL;
	if (c->state != STOPPING)
		LOG(DMN, 1, "control channel to tncd closed, exiting");
	stop(c, err ? 5 : 0);
}

static const struct ipc_channel_ops control_ops = {on_control_msg, on_control_close, NULL};

static void
on_handle_walk_close(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
close_all(struct child *c)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (c->peers[i])
			ipc_channel_close(c->peers[i], 0);
	if (c->control)
		ipc_channel_close(c->control, 0);
	uv_run(&c->loop, UV_RUN_NOWAIT);
	uv_walk(&c->loop, on_handle_walk_close, NULL);
	uv_run(&c->loop, UV_RUN_DEFAULT);
}

int
child_main(int argc, char **argv, enum tnc_role role, const struct child_ops *ops)
{
	static struct child c;
	struct peer_link links[ROLE_COUNT];

	if (child_args_parse(argc, argv, role, &c.args) != 0 || child_fds_check() != 0) {
		fprintf(stderr, "%s: must be started by tncd "
		    "(argv --role NAME --slot NN --gen G, fds 3 and 4 open)\n", argv[0]);
		return 2;
	}
	c.role = manifest_role(c.args.role);
	c.ops = ops;
	/* Every session allocates and frees the same buffers again: keep the
	 * freed heap instead of giving it back and faulting it in anew. */
	mallopt(M_TRIM_THRESHOLD, CHILD_HEAP_KEEP);
	mallopt(M_MMAP_THRESHOLD, CHILD_HEAP_KEEP / 4);
	child_log_init(CHILD_FD_LOG_NUM);
	/* Whatever a library or a sanitizer prints on stderr becomes log lines of
	 * this slot, and never a write to a file (RLIMIT_FSIZE is 0 for most roles). */
	dup2(CHILD_FD_LOG_NUM, STDERR_FILENO);
	uv_loop_init(&c.loop);
	for (int i = 0; i < ROLE_COUNT; i++) {
		links[i] = (struct peer_link){&c, (enum tnc_role)i};
		uv_timer_init(&c.loop, &c.pings[i].timer);
		c.pings[i].timer.data = &links[i];
	}
	if (ipc_channel_open(&c.loop, CHILD_FD_CONTROL_NUM, manifest_ipc_end(c.role->role),
	    IPC_END_TNCD, "tncd", &control_ops,
	    &c, &c.control) != 0) {
		LOG_ERR(DMN, "%s: cannot open the control channel", c.role->name);
		return 2;
	}
	const char *version = TNC_VERSION;
	struct ipc_msg hello = {.type = IPC_HELLO};
	hello.u.hello = (struct ipc_hello){
		.proto_major = IPC_PROTO_MAJOR, .proto_minor = IPC_PROTO_MINOR,
		.role = {(const uint8_t *)c.role->name, strlen(c.role->name)},
		.slot = (uint8_t)c.args.slot, .gen = c.args.gen, .pid = (uint32_t)getpid(),
		.version = {(const uint8_t *)version, strlen(version)},
	};
	send_control(&c, &hello, 0, 0);
	uv_run(&c.loop, UV_RUN_DEFAULT);
	close_all(&c);
	uv_loop_close(&c.loop);
	return c.exit_code;
}

uv_loop_t *child_loop(struct child *c) { return &c->loop; }
const struct role_manifest *child_role(const struct child *c) { return c->role; }
struct ipc_channel *child_control(struct child *c) { return c->control; }
void *child_data(const struct child *c) { return c->data; }
void child_set_data(struct child *c, void *data) { c->data = data; }

struct ipc_channel *
child_peer(struct child *c, enum tnc_role peer)
{
	return (unsigned)peer < ROLE_COUNT ? c->peers[peer] : NULL;
}
