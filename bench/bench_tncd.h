/* bench_tncd.h - a real tncd for the benchmarks that run tncclient
 * sessions against it (bench_sessions, bench_attest, bench_swima): its
 * config, started as a child that ends with the bench, tncadm on its
 * database, tncclient runs and waits that watch tncd.  Every error ends the
 * bench (exit 1) with a message that names it. */
#ifndef TNC_BENCH_TNCD_H
#define TNC_BENCH_TNCD_H

#include <stddef.h>
#include <sys/types.h>

struct bench_tncd {
	const char *bin; /* the build's bin/: tncd, tncadm, tncclient */
	char dir[96];    /* the server's: config, state/, logs, tncadm.out, packages.status */
	char conf[160], log[160];
	char cert[192];  /* tnc-ike's own PT-TLS certificate, once it made it */
	char port[32];   /* 127.0.0.1:PORT */
	char db[320];    /* tncadm's --db argument (shell words) */
	pid_t pid;       /* tncd's; 0 when it is not running */
};

/* CLOCK_MONOTONIC in seconds. */
double bench_now_s(void);
/* "BENCH: what: strerror(errno)" and exit 1. */
void bench_die(const char *what) __attribute__((noreturn));
/* "BENCH: message" and exit 1. */
void bench_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
/* text as the whole file path. */
void bench_write_file(const char *path, const char *text);

/* A new directory /tmp/PREFIX-XXXXXX into dir, mode 0755 (tncd's children
 * must reach their chroots below it).  When the bench exits, also on
 * SIGINT, SIGTERM and SIGHUP, t's tncd is stopped and the directory
 * removed; atexit handlers registered after this run before. */
void bench_tmpdir(char *dir, size_t size, const char *prefix, struct bench_tncd *t);

/* A port for this run's servers, below the ephemeral ports (+ an index for
 * several). */
int bench_port_base(void);

/* Writes dir/tncd.conf (control socket and state below dir, the log level,
 * PT-TLS on 127.0.0.1:port, then more_conf: NULL or further lines of [ike]
 * and other sections) and starts t->bin's tncd on it, its log in
 * dir/tncd.log; tncd gets SIGTERM when the bench dies.  adm_db is
 * tncadm's --db argument; NULL: the SQLite database in state/. */
void bench_tncd_start(struct bench_tncd *t, const char *dir, int port, int log_level,
    const char *more_conf, const char *adm_db);
/* SIGTERM to tncd, waits for it: its wait status (0 when none ran). */
int bench_tncd_stop(struct bench_tncd *t);
/* Ends the bench: tncd exited. */
void bench_tncd_died(struct bench_tncd *t) __attribute__((noreturn));

/* tncadm --db DB ARGS (shell words), its output in dir/tncadm.out: its exit
 * code. */
int bench_tncd_adm(const struct bench_tncd *t, const char *args);
/* bench_tncd_adm(), the bench ends unless it succeeds. */
void bench_tncd_adm_must(const struct bench_tncd *t, const char *args);
/* What bench_facts_file()'s endpoint reports, as tnc-policy names the product. */
#define BENCH_PRODUCT "Debian GNU/Linux 12 x86_64"
/* A tncclient --facts file: a Debian 12 endpoint (forwarding and the
 * default password off) of device_id with tncclient's made-up packages
 * pkg00001 1.0-1 .. pkgNNNNN 1.0-N (N: packages). */
void bench_facts_file(const char *path, const char *device_id, int packages);
/* BENCH_PRODUCT with those packages (a dpkg status file in dir) as its
 * own.  tnc-policy creates the database before its READY, which the
 * benches do not wait for, so the first change is tried until the database
 * takes it (about 20 s at most). */
void bench_tncd_seed_packages(struct bench_tncd *t, int packages);

/* Starts `tncclient --server PORT --ca ca ARGS...` (args NULL-terminated),
 * stdout and stderr into out (a file, or /dev/null). */
pid_t bench_tncd_client(const struct bench_tncd *t, const char *ca, const char *out,
    const char *const *args);
/* Waits for the client: its exit code (-1: killed by a signal).  Ends the
 * bench if tncd exits meanwhile. */
int bench_tncd_wait_client(struct bench_tncd *t, pid_t client);
/* The server is ready when a session of client(ctx) exits 0 (every child
 * it needs is up, tnc-ike's certificate made): tried for about 20 s.
 * 0 when one did, -1 when none. */
int bench_tncd_wait_ready(struct bench_tncd *t, pid_t (*client)(void *), void *ctx);

#endif
