/* procs.c - spawning, readiness, death, backoff and restart of the children
 * (the lifecycle in tncd.h). */
#include "tncd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "metrics.h"
#include "metrics_collect.h"
#include "sandbox.h"

static void spawn(struct proc *p);
static void advance_shutdown(struct tncd *t);
static void on_proc_timer(uv_timer_t *timer);
static void on_process_closed(uv_handle_t *h);

const char *
proc_state_name(enum proc_state s)
{
	switch (s) {
	case PROC_DISABLED: return "disabled";
	case PROC_STARTING: return "starting";
	case PROC_CONFIGURING: return "configuring";
	case PROC_READY: return "ready";
	case PROC_STOPPING: return "stopping";
	case PROC_BACKOFF: return "backing-off";
	case PROC_EXITED: return "exited";
	}
	return "?";
}

struct proc *
procs_find(struct tncd *t, const char *name)
{
	const struct role_manifest *m = manifest_find(name);
	return m && m->role != ROLE_TNCD ? &t->procs[m->role] : NULL;
}

static void
kill_proc(struct proc *p, const char *why)
{
	if (!p->running)
		return;
	LOG(DMN, 1, "killing %s (pid %d, generation %u): %s", p->m->name, p->pid, p->gen, why);
	p->kill_reason = why;
	uv_process_kill(&p->process, SIGKILL);
}

static void
send_to(struct proc *p, const struct ipc_msg *m, uint32_t seq)
{
	if (!p->ch)
		return;
	int err = ipc_channel_send(p->ch, m, 0, seq, 0, -1);
	if (err)
		LOG(IPC, 1, "cannot send '%s' to %s: %s", ipc_type_name(m->type), p->m->name,
		    tnc_strerror(err));
}

int
proc_send_loglevel(struct proc *p, int sub, int level)
{
	if (!p->ch || p->state != PROC_READY)
		return TNC_ESTATE;
	struct ipc_msg m = {.type = IPC_LOGLEVEL};
	m.u.loglevel.subsys = (uint8_t)sub;
	m.u.loglevel.level = (int8_t)level;
	return ipc_channel_send(p->ch, &m, 0, 0, 0, -1);
}

void
procs_push_log_levels(struct tncd *t)
{
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
		for (int s = 0; s < LOG_SUBSYS_COUNT; s++)
			if (proc_send_loglevel(&t->procs[r], s, config_log_level(&t->cfg, r, s)) != 0)
				break; /* not running: it gets its levels in CONFIG */
}

static void
send_config(struct proc *p)
{
	const struct proc_config *pc = &p->tncd->cfg.procs[p->m->role];
	const struct tncd_config *cfg = &p->tncd->cfg;
	struct ipc_msg m = {.type = IPC_CONFIG};
	struct ipc_config *c = &m.u.config;
	static char values[4 + LOG_SUBSYS_COUNT][CONFIG_PATH_MAX + 32];
	static char keys[LOG_SUBSYS_COUNT][16];
	unsigned n = 0, nkeys;
	const struct role_key *rk = config_role_keys(&nkeys);

#define ADD(k, v) do {                                                          \
		c->key[n] = (struct bytes){(const uint8_t *)(k), strlen(k)};        \
		c->value[n] = (struct bytes){(const uint8_t *)(v), strlen(v)};      \
		n++;                                                                \
	} while (0)
	snprintf(values[0], sizeof(values[0]), "%u", (unsigned)pc->uid);
	snprintf(values[1], sizeof(values[1]), "%u", (unsigned)pc->gid);
	snprintf(values[2], sizeof(values[2]), "%s/%s", p->tncd->cfg.state_dir, p->m->section);
	ADD("uid", values[0]);
	ADD("gid", values[1]);
	ADD("state_dir", values[2]);
	/* the sandbox's capabilities: the manifest's, by this configuration */
	snprintf(values[3], sizeof(values[3]), "%u", config_role_caps(cfg, p->m->role));
	ADD("caps", values[3]);
	for (int s = 0; s < LOG_SUBSYS_COUNT; s++) {
		snprintf(keys[s], sizeof(keys[s]), "log.%s", log_subsys_name(s));
		snprintf(values[4 + s], sizeof(values[4 + s]), "%d",
		    config_log_level(&p->tncd->cfg, p->m->role, s));
		ADD(keys[s], values[4 + s]);
	}
	for (unsigned i = 0; i < nkeys && n < IPC_CONFIG_MAX; i++)
		if (rk[i].role == p->m->role ||
		    (config_role_key_also_to(&rk[i]) & ROLE_BIT(p->m->role)))
			ADD(rk[i].key, cfg->role_values[i]);
	static char peers[256];
	peers[0] = 0;
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
		if (cfg->procs[r].enabled && manifest_are_peers(p->m->role, r))
			snprintf(peers + strlen(peers), sizeof(peers) - strlen(peers), "%s%s",
			    peers[0] ? " " : "", manifest_role(r)->name);
	/* Which peers to expect: tnccs fails closed while an enabled IMV is missing. */
	ADD("peers", peers);
#undef ADD
	c->count = (uint16_t)n;
	send_to(p, &m, 0);
}

static bool
hello_matches(struct proc *p, const struct ipc_hello *h)
{
	char role[64];
	bytes_cstr(h->role, role, sizeof(role));
	if (h->proto_major != IPC_PROTO_MAJOR || strcmp(role, p->m->name) != 0 ||
	    h->slot != p->m->slot || h->gen != p->gen || (pid_t)h->pid != p->pid) {
		LOG_ERR(DMN, "%s (pid %d): HELLO does not match (role '%s' slot %u generation %u "
		    "pid %u protocol %u)", p->m->name, p->pid, role, h->slot, h->gen, h->pid,
		    h->proto_major);
		return false;
	}
	return true;
}

static bool
ready_matches(struct proc *p, const struct ipc_ready *r)
{
	const struct proc_config *pc = &p->tncd->cfg.procs[p->m->role];
	unsigned expect = sandbox_role_syscalls(p->m->role, config_role_caps(&p->tncd->cfg,
	    p->m->role));

	if (r->seccomp_syscalls != expect) {
		LOG_ERR(DMN, "%s reports %u allowed syscalls, the manifest grants %u",
		    p->m->name, r->seccomp_syscalls, expect);
		return false;
	}
	if (p->tncd->as_root && (r->uid != pc->uid || r->gid != pc->gid || !r->chrooted)) {
		LOG_ERR(DMN, "%s runs as uid %u gid %u%s, expected uid %u gid %u in a chroot",
		    p->m->name, r->uid, r->gid, r->chrooted ? "" : " without chroot",
		    (unsigned)pc->uid, (unsigned)pc->gid);
		return false;
	}
	return true;
}

static void
on_ready(struct proc *p, const struct ipc_ready *r)
{
	struct tncd *t = p->tncd;

	if (!ready_matches(p, r)) {
		kill_proc(p, "sandbox report does not match the manifest");
		return;
	}
	uv_timer_stop(&p->timer);
	p->ready = *r;
	p->state = PROC_READY;
	p->was_ready = true;
	p->ready_ms = p->last_pong_ms = tncd_now_ms(t);
	LOG(DMN, 1, "%s (pid %d, generation %u) ready: uid %u, gid %u, %s, %u syscalls allowed",
	    p->m->name, p->pid, p->gen, r->uid, r->gid, r->chrooted ? "chrooted" : "not chrooted",
	    r->seccomp_syscalls);
	wiring_connect_peers(t, p);
	if (p->m->caps & RCAP_NET_ACCEPT)
		listeners_hand_over(t, p);
	first_start_progress(t);
	notify_update(t);
}

static void
on_child_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct proc *p = ipc_channel_data(ch);

	switch (rx->hdr.type) {
	case IPC_HELLO:
		if (p->state != PROC_STARTING || !hello_matches(p, &rx->msg.u.hello)) {
			kill_proc(p, "unexpected HELLO");
			return;
		}
		p->state = PROC_CONFIGURING;
		send_config(p);
		return;
	case IPC_READY:
		if (p->state != PROC_CONFIGURING) {
			kill_proc(p, "READY out of order");
			return;
		}
		on_ready(p, &rx->msg.u.ready);
		return;
	case IPC_PONG:
		if (rx->msg.u.ping.token == p->ping_token)
			p->last_pong_ms = tncd_now_ms(p->tncd);
		return;
	case IPC_PEER_PING_DONE:
		control_peer_ping_done(p->tncd, rx->hdr.seq, &rx->msg.u.peer_ping);
		return;
	case IPC_METRICS:
		metrics_collect_reply(p, rx->hdr.seq, rx->msg.u.metrics.data);
		return;
	default:
		LOG(IPC, 1, "%s sent '%s', which tncd does not handle", p->m->name,
		    ipc_type_name(rx->hdr.type));
	}
}

/* The control channel usually closes because the child just died; its exit
 * is reaped a moment later.  Only a child still alive after a grace period
 * is killed: without the channel it can be neither checked nor stopped. */
#define CHANNEL_LOST_GRACE_MS 500

static void
on_child_close(struct ipc_channel *ch, int err)
{
	struct proc *p = ipc_channel_data(ch);
	if (p->ch != ch)
		return;
	p->ch = NULL;
	if (!p->running || p->state == PROC_STOPPING)
		return;
	p->channel_lost = true;
	uv_timer_start(&p->timer, on_proc_timer, CHANNEL_LOST_GRACE_MS, 0);
}

static const struct ipc_channel_ops child_ops = {on_child_msg, on_child_close, NULL};

METRIC_FAMILY(restarts_metric, "tnc_child_restarts_total", METRIC_COUNTER,
    "Times tncd started a child again after its first start.", "child");
METRIC_FAMILY(seccomp_kills_metric, "tnc_child_seccomp_kills_total", METRIC_COUNTER,
    "Children killed by SIGSYS: a syscall outside their allowlist.", "child");

static void
describe_exit(struct proc *p, int64_t status, int sig)
{
	if (sig == SIGSYS)
		metric_add(&seccomp_kills_metric, p->m->name, 1);
	if (sig == SIGSYS)
		snprintf(p->last_exit, sizeof(p->last_exit), "SIGSYS (seccomp violation)");
	else if (sig)
		snprintf(p->last_exit, sizeof(p->last_exit), "signal %d (%s)", sig, sigabbrev_np(sig) ? sigabbrev_np(sig) : "?");
	else
		snprintf(p->last_exit, sizeof(p->last_exit), "exit code %d", (int)status);
	if (sig == SIGSYS)
		LOG_ERR(DMN, "%s (pid %d, generation %u) killed by SIGSYS: seccomp violation, "
		    "a syscall outside its allowlist", p->m->name, p->pid, p->gen);
	else if (p->state == PROC_STOPPING && !sig && status == 0)
		LOG(DMN, 1, "%s (pid %d, generation %u) stopped", p->m->name, p->pid, p->gen);
	else if (sig == SIGKILL && p->kill_reason) /* kill_proc() logged why */
		LOG(DMN, p->state == PROC_STOPPING ? 1 : 0, "%s (pid %d, generation %u) killed",
		    p->m->name, p->pid, p->gen);
	else
		LOG_ERR(DMN, "%s (pid %d, generation %u) died: %s", p->m->name, p->pid, p->gen,
		    p->last_exit);
}

static void
schedule_restart(struct proc *p)
{
	struct tncd *t = p->tncd;
	uint64_t now = tncd_now_ms(t);

	if (p->ready_ms && now - p->ready_ms >= t->cfg.restart_reset_ms)
		p->failures = 0;
	p->failures++;
	uint64_t delay = t->cfg.restart_delay_ms;
	for (unsigned i = 1; i < p->failures && delay < t->cfg.restart_delay_max_ms; i++)
		delay *= 2;
	if (delay >= t->cfg.restart_delay_max_ms) {
		delay = t->cfg.restart_delay_max_ms;
		LOG_ERR(DMN, "%s is crash-looping (%u failures in a row): restarting at most "
		    "every %llu ms", p->m->name, p->failures, (unsigned long long)delay);
	} else {
		LOG(DMN, 1, "restarting %s in %llu ms (%u failure%s in a row)", p->m->name,
		    (unsigned long long)delay, p->failures, p->failures == 1 ? "" : "s");
	}
	p->backoff_ms = (unsigned)delay;
	p->state = PROC_BACKOFF;
	uv_timer_start(&p->timer, on_proc_timer, delay, 0);
}

/* p is down without being asked to stop. */
static void
after_failure(struct proc *p)
{
	if (!first_start_failed(p))
		schedule_restart(p);
}

static void
on_process_closed(uv_handle_t *h)
{
	struct proc *p = h->data;
	struct tncd *t = p->tncd;

	p->handle_open = false;
	if (t->stopping) {
		p->state = PROC_EXITED;
		advance_shutdown(t);
	} else if (!t->cfg.procs[p->m->role].enabled) {
		p->state = PROC_DISABLED; /* a reload turned it off */
		p->restart_now = false;
		first_start_progress(t);
	} else if (p->restart_now) {
		p->restart_now = false;
		spawn(p);
	} else {
		after_failure(p);
	}
	notify_update(t);
}

static void
on_exit_cb(uv_process_t *process, int64_t status, int sig)
{
	struct proc *p = process->data;

	describe_exit(p, status, sig);
	p->running = false;
	p->channel_lost = false;
	uv_timer_stop(&p->timer);
	if (p->ch)
		ipc_channel_close(p->ch, 0);
	uv_close((uv_handle_t *)&p->process, on_process_closed);
}

static int
prepare_state_dir(struct proc *p)
{
	struct tncd *t = p->tncd;
	const struct proc_config *pc = &t->cfg.procs[p->m->role];
	char dir[CONFIG_PATH_MAX + 32];

	if (mkdir(t->cfg.state_dir, 0755) != 0 && errno != EEXIST)
		return -errno;
	snprintf(dir, sizeof(dir), "%s/%s", t->cfg.state_dir, p->m->section);
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return -errno;
	/* The chroot of the child: only its own uid may enter it. */
	if (t->as_root && (chown(dir, pc->uid, pc->gid) != 0 || chmod(dir, 0700) != 0))
		return -errno;
	return 0;
}

static int
start_process(struct proc *p, int ctl_fd, int log_fd)
{
	struct tncd *t = p->tncd;
	const struct proc_config *pc = &t->cfg.procs[p->m->role];
	char path[CONFIG_PATH_MAX * 2], slot[8], gen[16];
	char *env[] = {NULL};

	if (pc->path[0])
		snprintf(path, sizeof(path), "%s", pc->path);
	else
		snprintf(path, sizeof(path), "%s/%s", t->bin_dir, p->m->name);
	snprintf(slot, sizeof(slot), "%02u", p->m->slot);
	snprintf(gen, sizeof(gen), "%u", p->gen);
	char *args[] = {(char *)p->m->name, "--role", (char *)p->m->name, "--slot", slot,
	    "--gen", gen, NULL};
	uv_stdio_container_t stdio[5] = {
		{.flags = UV_IGNORE}, {.flags = UV_IGNORE},
		{.flags = UV_INHERIT_FD, .data.fd = 2},
		{.flags = UV_INHERIT_FD, .data.fd = ctl_fd},
		{.flags = UV_INHERIT_FD, .data.fd = log_fd},
	};
	/* DETACHED: a session of its own, so a terminal's ^C or a signal to
	 * tncd's process group reaches tncd only, which stops children in order. */
	uv_process_options_t opt = {
		.exit_cb = on_exit_cb, .file = path, .args = args, .env = env,
		.flags = UV_PROCESS_DETACHED, .stdio_count = 5, .stdio = stdio,
	};
	p->process.data = p;
	int err = uv_spawn(t->loop, &p->process, &opt);
	if (err) {
		LOG_ERR(DMN, "cannot start %s from %s: %s", p->m->name, path, uv_strerror(err));
		snprintf(p->last_exit, sizeof(p->last_exit), "start failed: %s", uv_strerror(err));
		/* libuv wants the handle closed even when the spawn failed; its
		 * close callback then handles this like an exit. */
		p->handle_open = true;
		uv_close((uv_handle_t *)&p->process, on_process_closed);
		return err;
	}
	p->running = true;
	p->handle_open = true;
	p->pid = p->process.pid;
	return 0;
}

static void
spawn(struct proc *p)
{
	struct tncd *t = p->tncd;
	int sv[2] = {-1, -1}, log_fd = -1, err;

	if (p->gen > 0) {
		p->restarts++;
		metric_add(&restarts_metric, p->m->name, 1);
	}
	p->gen++;
	p->ready_ms = 0;
	p->channel_lost = false;
	p->kill_reason = NULL;
	p->first_error[0] = 0;
	p->state = PROC_STARTING;
	p->spawned_ms = tncd_now_ms(t);
	if ((err = prepare_state_dir(p))) {
		LOG_ERR(DMN, "cannot prepare the state directory of %s under %s: %s", p->m->name,
		    t->cfg.state_dir, tnc_strerror(err));
		goto fail;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
		err = -errno;
		goto fail;
	}
	if ((err = log_sink_open_pipe(p, &log_fd)))
		goto fail;
	err = start_process(p, sv[1], log_fd);
	close(sv[1]);
	close(log_fd);
	if (err) {
		close(sv[0]);
		return; /* the handle's close callback goes on */
	}
	if ((err = ipc_channel_open(t->loop, sv[0], IPC_END_TNCD, manifest_ipc_end(p->m->role), p->m->name, &child_ops, p,
	    &p->ch))) {
		kill_proc(p, "cannot open its control channel");
		return;
	}
	LOG(DMN, 1, "started %s (pid %d, generation %u)", p->m->name, p->pid, p->gen);
	uv_timer_start(&p->timer, on_proc_timer, t->cfg.ready_timeout_ms, 0);
	return;
fail:
	if (sv[0] >= 0)
		close(sv[0]);
	if (sv[1] >= 0)
		close(sv[1]);
	snprintf(p->last_exit, sizeof(p->last_exit), "start failed: %s", tnc_strerror(err));
	after_failure(p);
}

static void
on_proc_timer(uv_timer_t *timer)
{
	struct proc *p = timer->data;

	if (p->channel_lost) {
		p->channel_lost = false;
		kill_proc(p, "its control channel closed");
		return;
	}
	switch (p->state) {
	case PROC_STARTING:
	case PROC_CONFIGURING:
		kill_proc(p, "not ready in time");
		break;
	case PROC_STOPPING:
		kill_proc(p, "did not stop in time");
		break;
	case PROC_BACKOFF:
		spawn(p);
		break;
	default:
		break;
	}
}

static void
request_stop(struct proc *p)
{
	struct ipc_msg m = {.type = IPC_SHUTDOWN};
	m.u.shutdown.deadline_ms = p->tncd->cfg.stop_timeout_ms;
	p->state = PROC_STOPPING;
	send_to(p, &m, 0);
	uv_timer_start(&p->timer, on_proc_timer, p->tncd->cfg.stop_timeout_ms, 0);
}

int
procs_restart(struct proc *p)
{
	if (p->tncd->stopping || p->state == PROC_DISABLED || p->state == PROC_EXITED)
		return TNC_ESTATE;
	LOG(DMN, 1, "operator restart of %s (pid %d, generation %u)", p->m->name, p->pid, p->gen);
	p->failures = 0;
	if (p->state == PROC_BACKOFF) {
		uv_timer_stop(&p->timer);
		spawn(p);
		return 0;
	}
	p->restart_now = true;
	if (p->state == PROC_STOPPING)
		return 0;
	if (p->state == PROC_READY)
		request_stop(p);
	else
		kill_proc(p, "restart requested before it was ready");
	return 0;
}

int
procs_apply_enabled(struct proc *p)
{
	bool enabled = p->tncd->cfg.procs[p->m->role].enabled;
	if (enabled && p->state == PROC_DISABLED) {
		spawn(p);
		return 0;
	}
	if (enabled || p->state == PROC_DISABLED)
		return TNC_ESTATE;
	LOG(DMN, 1, "%s disabled", p->m->name);
	uv_timer_stop(&p->timer);
	/* A running child stops (with its deadline); the exit handler sees the
	 * config and leaves it disabled. */
	if (!p->running)
		p->state = PROC_DISABLED;
	else if (p->state == PROC_READY)
		request_stop(p);
	else if (p->state != PROC_STOPPING)
		kill_proc(p, "disabled");
	return 0;
}

void
procs_init(struct tncd *t)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		memset(p, 0, sizeof(*p));
		p->tncd = t;
		p->m = manifest_role(r);
		p->state = PROC_DISABLED;
		p->listen_fd = -1;
		for (int i = 0; i < 4; i++)
			p->udp_fd[i] = -1;
		if (r == ROLE_TNCD)
			continue;
		uv_timer_init(t->loop, &p->timer);
		p->timer.data = p;
	}
}

void
procs_start_all(struct tncd *t)
{
	/* A child that cannot even be spawned ends the first start at once. */
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT && !t->stopping; r++)
		if (t->cfg.procs[r].enabled)
			spawn(&t->procs[r]);
	first_start_progress(t); /* nothing enabled: started already */
}

static void
advance_shutdown(struct tncd *t)
{
	if (t->stopped)
		return;
	/* Front to back, as the manifest's stop stages say: no new sessions
	 * first, then the protocol engine, then the verifiers. */
	for (int stage = 0; stage < MANIFEST_STOP_STAGES; stage++) {
		bool waiting = false;
		for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
			struct proc *p = &t->procs[r];
			if (p->m->stop_stage != stage || !p->handle_open)
				continue;
			waiting = true; /* until its exit is reaped and its handle closed */
			if (!p->running || p->state == PROC_STOPPING)
				continue;
			if (p->state == PROC_READY) {
				request_stop(p);
				continue;
			}
			/* Not sandboxed yet, nothing to finish: no reason to wait. */
			kill_proc(p, "stopping before it was ready");
			p->state = PROC_STOPPING;
		}
		if (waiting)
			return;
	}
	t->stopped = true;
	LOG(DMN, 1, "all children stopped");
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
		uv_close((uv_handle_t *)&t->procs[r].timer, NULL);
	uv_close((uv_handle_t *)&t->health_timer, NULL);
	uv_close((uv_handle_t *)&t->watchdog_timer, NULL);
	uv_close((uv_handle_t *)&t->sig_term, NULL);
	uv_close((uv_handle_t *)&t->sig_int, NULL);
	uv_close((uv_handle_t *)&t->sig_hup, NULL);
	control_stop(t);
}

void
procs_stop_all(struct tncd *t)
{
	if (t->stopping)
		return;
	t->stopping = true;
	LOG(DMN, 1, "shutting down");
	notify_stopping(t);
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (!p->running) {
			uv_timer_stop(&p->timer);
			if (p->state != PROC_DISABLED)
				p->state = PROC_EXITED;
		}
	}
	advance_shutdown(t);
}

void
procs_health_check(struct tncd *t)
{
	uint64_t now = tncd_now_ms(t);

	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if (p->state != PROC_READY)
			continue;
		if (now - p->last_pong_ms > t->cfg.ping_timeout_ms) {
			kill_proc(p, "not answering health checks");
			continue;
		}
		struct ipc_msg m = {.type = IPC_PING};
		m.u.ping.token = ++p->ping_token;
		send_to(p, &m, 0);
	}
}
