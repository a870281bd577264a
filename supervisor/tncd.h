/* tncd.h - the supervisor's state: one row per child process.
 *
 * tncd spawns, sandboxes (through the child runtime), wires and restarts;
 * it is never on the data path.  Each child's lifecycle:
 *   STARTING (spawned, waiting for HELLO) -> CONFIGURING (CONFIG sent,
 *   waiting for READY = sandboxed) -> READY -> STOPPING -> exit ->
 *   BACKOFF (delay doubles per consecutive failure, up to a cap) -> STARTING.
 * Except during tncd's first start: a child that fails before it was ever
 * READY ends tncd (first_start.c).
 */
#ifndef TNC_TNCD_H
#define TNC_TNCD_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "config.h"
#include "ipc_channel.h"
#include "manifest.h"

enum proc_state {
	PROC_DISABLED,
	PROC_STARTING,
	PROC_CONFIGURING,
	PROC_READY,
	PROC_STOPPING,
	PROC_BACKOFF,
	PROC_EXITED, /* stopped for good (shutdown) */
};

struct tncd;

struct proc {
	struct tncd *tncd;
	const struct role_manifest *m;
	enum proc_state state;
	uv_process_t process;
	bool running;        /* process alive (not yet reaped) */
	bool handle_open;    /* process handle not yet closed after the exit */
	bool channel_lost;   /* control channel gone while the process runs */
	pid_t pid;
	uint32_t gen;        /* generation: incremented at each spawn */
	unsigned restarts;   /* spawns after the first */
	unsigned failures;   /* consecutive crashes, for the backoff */
	unsigned backoff_ms; /* current delay while in BACKOFF */
	bool restart_now;    /* an operator asked for this restart */
	bool was_ready;      /* READY at least once since tncd started */
	const char *kill_reason; /* why tncd killed this generation; NULL = it did not */
	uint64_t spawned_ms, ready_ms;
	uv_timer_t timer;    /* READY deadline, stop deadline or backoff delay */
	struct ipc_channel *ch;
	struct ipc_ready ready;
	uint64_t ping_token, last_pong_ms;
	char last_exit[80];
	char first_error[LOG_LINE_MAX]; /* this generation's first level-0 log line */
	int listen_fd;       /* RCAP_NET_ACCEPT: the socket tncd bound for it, -1 = none */
	char listen_address[64];
	int udp_fd[4];       /* ikev2 = yes: IKE, NAT-T UDP sockets, IPv4 and IPv6; -1 = none */
};

struct tncd {
	uv_loop_t *loop;
	struct tncd_config cfg;
	const char *config_path; /* NULL = embedded defaults */
	bool foreground;
	bool as_root;
	bool stopping;
	bool stopped;        /* every child gone, tncd's handles closing */
	bool notified_ready;
	bool started;        /* every enabled child was READY once: the first start is over */
	struct proc *failed; /* the child that ended the first start */
	char bin_dir[CONFIG_PATH_MAX];
	struct proc procs[ROLE_COUNT]; /* ROLE_TNCD unused */
	uv_timer_t health_timer;
	uv_timer_t watchdog_timer;
	uint64_t watchdog_usec;
	uv_signal_t sig_term, sig_int, sig_hup;
	uv_pipe_t ctl_server;
	bool ctl_listening;
	uint32_t next_seq;
	uint64_t started_ms;
	int exit_code;
};

uint64_t tncd_now_ms(const struct tncd *t);

/* procs.c */
void procs_init(struct tncd *t);
void procs_start_all(struct tncd *t);
void procs_stop_all(struct tncd *t);
/* Operator restart: SHUTDOWN, then spawn again at once. */
int procs_restart(struct proc *p) TNC_MUST_CHECK;
/* Starts or stops p when its enabled setting changed; TNC_ESTATE if not. */
int procs_apply_enabled(struct proc *p) TNC_MUST_CHECK;
void procs_health_check(struct tncd *t);
const char *proc_state_name(enum proc_state s);
struct proc *procs_find(struct tncd *t, const char *name);
/* Pushes the effective log levels of cfg to every running child. */
void procs_push_log_levels(struct tncd *t);
int proc_send_loglevel(struct proc *p, int sub, int level) TNC_MUST_CHECK;

/* wiring.c: direct channels between peers that are both READY. */
void wiring_connect_peers(struct tncd *t, struct proc *p);

/* first_start.c */
/* After a READY or a reload: is every enabled child now READY once? */
void first_start_progress(struct tncd *t);
/* p is down and was never READY: during the first start this stops tncd
 * (exit code 1, listeners closed) and returns true; otherwise false. */
bool first_start_failed(struct proc *p);
/* The last line of a tncd whose first start failed. */
void first_start_report(struct tncd *t);

/* listeners.c: sockets tncd binds (privileged ports) for each enabled role
 * with RCAP_NET_ACCEPT, before any child runs. */
int listeners_open(struct tncd *t) TNC_MUST_CHECK;
/* Hands a READY child a duplicate of its listening socket. */
void listeners_hand_over(struct tncd *t, struct proc *p);
void listeners_close(struct tncd *t);

/* log_sink.c */
void log_sink_init(struct tncd *t);
/* A new log pipe for a child: tncd reads one end, *ret_child_fd is its fd 4. */
int log_sink_open_pipe(struct proc *p, int *ret_child_fd) TNC_MUST_CHECK;

/* control.c */
int control_start(struct tncd *t) TNC_MUST_CHECK;
void control_stop(struct tncd *t);
/* Remembers a tncctl request that waits for a child; *ret_seq is the seq
 * to use towards the child. */
int control_await_peer_ping(struct tncd *t, struct ipc_channel *client, uint32_t client_seq,
    uint32_t *ret_seq) TNC_MUST_CHECK;
/* A child answered a PEER_PING that an operator asked for. */
void control_peer_ping_done(struct tncd *t, uint32_t seq, const struct ipc_peer_ping *r);

/* notify.c: systemd readiness and watchdog. */
void notify_init(struct tncd *t);
void notify_update(struct tncd *t);
void notify_stopping(struct tncd *t);

#endif
