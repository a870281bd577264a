/* ctl_commands.c - status, restart, loglevel, privileges, ping and stop.
 * Every answer is a table; tncctl prints it as text or JSON with the same
 * field names. */
#include "ctl_commands.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_reply.h"
#include "log.h"
#include "metrics_collect.h"
#include "privileges.h"
#include "sandbox.h"

#define ARG_MAX 64

struct ctl_args {
	unsigned argc;
	char argv[IPC_CTL_ARGS_MAX][ARG_MAX];
};

typedef void ctl_handler(struct tncd *t, struct ipc_channel *ch, uint32_t seq,
    const struct ctl_args *a);

static uint64_t
uptime_s(struct tncd *t, struct proc *p)
{
	uint64_t since = p->m->role == ROLE_TNCD ? t->started_ms : p->spawned_ms;
	return p->running || p->m->role == ROLE_TNCD ? (tncd_now_ms(t) - since) / 1000 : 0;
}

static void
cmd_status(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	static const struct ctl_col cols[] = {{"name", IPC_COL_TEXT}, {"pid", IPC_COL_INT},
	    {"uid", IPC_COL_INT}, {"generation", IPC_COL_INT}, {"state", IPC_COL_TEXT},
	    {"restarts", IPC_COL_INT}, {"uptime", IPC_COL_INT}, {"backoff_ms", IPC_COL_INT},
	    {"last_exit", IPC_COL_TEXT}};
	struct ctl_table tab;

	ctl_table_init(&tab, cols, 9);
	ctl_table_cell(&tab, "tncd");
	ctl_table_cell(&tab, "%d", (int)getpid());
	ctl_table_cell(&tab, "%u", (unsigned)geteuid());
	ctl_table_cell(&tab, "1");
	ctl_table_cell(&tab, t->stopping ? "stopping" : "running");
	ctl_table_cell(&tab, "0");
	ctl_table_cell(&tab, "%llu", (unsigned long long)uptime_s(t, &t->procs[ROLE_TNCD]));
	ctl_table_cell(&tab, "0");
	ctl_table_cell(&tab, "%s", "");
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		ctl_table_cell(&tab, "%s", p->m->name);
		ctl_table_cell(&tab, "%d", p->running ? (int)p->pid : 0);
		ctl_table_cell(&tab, "%u", p->state == PROC_READY ? p->ready.uid :
		    (unsigned)t->cfg.procs[r].uid);
		ctl_table_cell(&tab, "%u", p->gen);
		ctl_table_cell(&tab, "%s", proc_state_name(p->state));
		ctl_table_cell(&tab, "%u", p->restarts);
		ctl_table_cell(&tab, "%llu", (unsigned long long)uptime_s(t, p));
		ctl_table_cell(&tab, "%u", p->state == PROC_BACKOFF ? p->backoff_ms : 0);
		ctl_table_cell(&tab, "%s", p->last_exit);
	}
	ctl_reply(ch, seq, 0, "", &tab);
	ctl_table_clear(&tab);
}

static void
privileges_row(struct ctl_table *tab, const char *name, pid_t pid, unsigned syscalls)
{
	struct proc_privileges pv;
	if (pid <= 0 || privileges_read(pid, &pv) != 0)
		memset(&pv, 0, sizeof(pv));
	ctl_table_cell(tab, "%s", name);
	ctl_table_cell(tab, "%d", (int)pid);
	ctl_table_cell(tab, "%s", pv.uid);
	ctl_table_cell(tab, "%s", pv.gid);
	ctl_table_cell(tab, "%s", pv.groups);
	ctl_table_cell(tab, "%s", pv.cap_eff);
	ctl_table_cell(tab, "%s", pv.cap_bnd);
	ctl_table_cell(tab, "%s", pv.no_new_privs);
	ctl_table_cell(tab, "%s", pv.seccomp);
	ctl_table_cell(tab, "%u", syscalls);
	if (pv.fds < 0)
		ctl_table_cell(tab, "?");
	else
		ctl_table_cell(tab, "%d", pv.fds);
	ctl_table_cell(tab, "%s", pv.root);
	ctl_table_cell(tab, "%s", pv.cwd);
}

static void
cmd_privileges(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	/* ids and modes as /proc says them; a field it does not show is "?", null in JSON */
	static const struct ctl_col cols[] = {{"name", IPC_COL_TEXT}, {"pid", IPC_COL_INT},
	    {"uid", IPC_COL_INT}, {"gid", IPC_COL_INT}, {"groups", IPC_COL_TEXT},
	    {"cap_eff", IPC_COL_TEXT}, {"cap_bnd", IPC_COL_TEXT}, {"no_new_privs", IPC_COL_INT},
	    {"seccomp", IPC_COL_INT}, {"syscalls", IPC_COL_INT}, {"fds", IPC_COL_INT},
	    {"root", IPC_COL_TEXT}, {"cwd", IPC_COL_TEXT}};
	struct ctl_table tab;

	ctl_table_init(&tab, cols, 13);
	privileges_row(&tab, "tncd", getpid(), 0);
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		privileges_row(&tab, p->m->name, p->running ? p->pid : 0,
		    p->state == PROC_READY ? p->ready.seccomp_syscalls : 0);
	}
	ctl_reply(ch, seq, 0, "", &tab);
	ctl_table_clear(&tab);
}

static void
cmd_restart(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	char msg[128];
	struct proc *p = procs_find(t, a->argv[1]);
	if (!p) {
		snprintf(msg, sizeof(msg), "no process named '%s'", a->argv[1]);
		ctl_reply(ch, seq, TNC_ENOTFOUND, msg, NULL);
		return;
	}
	int err = procs_restart(p);
	snprintf(msg, sizeof(msg), err ? "cannot restart %s: %s" : "restarting %s%s", p->m->name,
	    err ? proc_state_name(p->state) : "");
	ctl_reply(ch, seq, err, msg, NULL);
}

/* loglevel [NAME] SUBSYS LEVEL; SUBSYS "all" sets every subsystem. */
static void
cmd_loglevel(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	const char *name = a->argc == 4 ? a->argv[1] : NULL;
	const char *sub_name = a->argv[a->argc - 2], *level_s = a->argv[a->argc - 1];
	char msg[160], *end;
	int sub = strcmp(sub_name, "all") == 0 ? IPC_LOGLEVEL_ALL : log_subsys_parse(sub_name);
	long level = strtol(level_s, &end, 10);

	if (sub < 0 || *end || level < LOG_LEVEL_MIN || level > LOG_LEVEL_MAX) {
		snprintf(msg, sizeof(msg), "usage: loglevel [NAME] SUBSYS|all LEVEL(%d..%d)",
		    LOG_LEVEL_MIN, LOG_LEVEL_MAX);
		ctl_reply(ch, seq, TNC_EINVALID, msg, NULL);
		return;
	}
	struct proc *target = name ? procs_find(t, name) : NULL;
	bool self = !name || strcmp(name, "tncd") == 0;
	if (name && !target && !self) {
		snprintf(msg, sizeof(msg), "no process named '%s'", name);
		ctl_reply(ch, seq, TNC_ENOTFOUND, msg, NULL);
		return;
	}
	for (int s = 0; s < LOG_SUBSYS_COUNT; s++) {
		if (sub != IPC_LOGLEVEL_ALL && s != sub)
			continue;
		if (self)
			log_set_level(s, (int)level);
		for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++)
			if (!name || target == &t->procs[r])
				t->cfg.procs[r].log_levels[s] = (int)level; /* survives restarts */
	}
	int err = 0;
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		struct proc *p = &t->procs[r];
		if ((name && target != p) || p->state != PROC_READY)
			continue;
		if (proc_send_loglevel(p, sub, (int)level) != 0)
			err = TNC_EAGAIN;
	}
	snprintf(msg, sizeof(msg), "%s of %s set to %ld", sub_name, name ? name : "all processes",
	    level);
	LOG(DMN, 1, "log level %s", msg);
	ctl_reply(ch, seq, err, msg, NULL);
}

/* ping NAME PEER: NAME pings PEER over their direct channel. */
static void
cmd_ping(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	struct proc *p = procs_find(t, a->argv[1]);
	uint32_t child_seq;
	char msg[128];

	if (!p || p->state != PROC_READY || !p->ch) {
		snprintf(msg, sizeof(msg), "'%s' is not a ready process", a->argv[1]);
		ctl_reply(ch, seq, TNC_ESTATE, msg, NULL);
		return;
	}
	if (control_await_peer_ping(t, ch, seq, &child_seq) != 0) {
		ctl_reply(ch, seq, TNC_EAGAIN, "too many pings in flight", NULL);
		return;
	}
	struct ipc_msg m = {.type = IPC_PEER_PING};
	m.u.peer_ping.peer = (struct bytes){(const uint8_t *)a->argv[2], strlen(a->argv[2])};
	int err = ipc_channel_send(p->ch, &m, 0, child_seq, 0, -1);
	if (err) {
		struct ipc_peer_ping failed = {.peer = m.u.peer_ping.peer, .status = err};
		control_peer_ping_done(t, child_seq, &failed);
	}
}

static void
cmd_metrics(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	if (metrics_collect_start(t, ch, seq) != 0)
		ctl_reply(ch, seq, TNC_EAGAIN, "too many metrics requests in flight", NULL);
}

static void
cmd_stop(struct tncd *t, struct ipc_channel *ch, uint32_t seq, const struct ctl_args *a)
{
	ctl_reply(ch, seq, 0, "stopping", NULL);
	procs_stop_all(t);
}

static const struct command {
	const char *name;
	unsigned min_args, max_args; /* words after the command */
	ctl_handler *handler;
	const char *usage;
} commands[] = {
	{"status", 0, 0, cmd_status, "status"},
	{"privileges", 0, 0, cmd_privileges, "privileges"},
	{"restart", 1, 1, cmd_restart, "restart NAME"},
	{"loglevel", 2, 3, cmd_loglevel, "loglevel [NAME] SUBSYS LEVEL"},
	{"ping", 2, 2, cmd_ping, "ping NAME PEER"},
	{"metrics", 0, 0, cmd_metrics, "metrics"},
	{"stop", 0, 0, cmd_stop, "stop"},
};

void
ctl_commands_dispatch(struct tncd *t, struct ipc_channel *ch, uint32_t seq,
    const struct ipc_ctl_request *req)
{
	struct ctl_args a = {.argc = req->argc};
	char msg[256];

	for (unsigned i = 0; i < req->argc; i++)
		bytes_cstr(req->argv[i], a.argv[i], ARG_MAX);
	for (size_t i = 0; a.argc > 0 && i < sizeof(commands) / sizeof(commands[0]); i++) {
		const struct command *c = &commands[i];
		if (strcmp(a.argv[0], c->name) != 0)
			continue;
		if (a.argc - 1 < c->min_args || a.argc - 1 > c->max_args) {
			snprintf(msg, sizeof(msg), "usage: %s", c->usage);
			ctl_reply(ch, seq, TNC_EINVALID, msg, NULL);
			return;
		}
		LOG(DMN, 2, "tncctl: %s", a.argv[0]);
		c->handler(t, ch, seq, &a);
		return;
	}
	snprintf(msg, sizeof(msg), "unknown command '%s' (status, privileges, restart, loglevel, "
	    "ping, metrics, stop)", a.argc ? a.argv[0] : "");
	ctl_reply(ch, seq, TNC_EINVALID, msg, NULL);
}
