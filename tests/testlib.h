/* testlib.h - small helpers shared by the Check suites. */
#ifndef TNC_TESTLIB_H
#define TNC_TESTLIB_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ipc_msg.h"

/* Whole file into a malloc'd buffer (NUL-terminated beyond len); NULL on error. */
uint8_t *tl_read_file(const char *path, size_t *ret_len);
/* A file of tests/data/ (path relative to it); fails the test when missing. */
uint8_t *tl_read_testdata(const char *relpath, size_t *ret_len);
/* Copies tests/data/<rel> to dir/<name>; returns that path (static buffer). */
const char *tl_copy_testdata(const char *rel, const char *dir, const char *name);
/* SHA-256 of a whole file: to show a refused file was left untouched. */
void tl_sha256_file(const char *path, unsigned char out[32]);
/* Runs one suite with forked tests; returns the process exit code. */
int tl_run_suite(Suite *s);
/* Makes a directory from template ("/tmp/NAME-XXXXXX", rewritten in
 * place), mode 0755 so tncd's children can read it, removed with all it
 * holds when the test's process exits; fails the test when it cannot. */
void tl_mkdtemp(char *template);

/* --- running the real tncd (integration tests) --- */

struct tl_tncd {
	pid_t pid;
	char dir[128];   /* temp dir holding config, state, socket, log */
	char conf[192], sock[192], log[192];
	int port;        /* PT-TLS listener on 127.0.0.1 */
	char ca[192];    /* the ephemeral server certificate tnc-ike publishes */
	/* tnc-policy's database as tncadm names it (a path or a PostgreSQL
	 * URI) and its password file ("" for none) */
	char db[256], db_password_file[256];
};

/* Writes a config (test defaults + extra, which may add sections), starts
 * build/bin/tncd --foreground on it and, with wait_ready, waits until
 * `tncctl status` shows every child ready (or disabled by the config).
 * In a _pg run (tl_policy_db_is_pg()) tnc-policy gets a new PostgreSQL
 * database of its own unless extra has a [policy] section. */
void tl_tncd_start(struct tl_tncd *t, const char *extra, bool wait_ready);
/* tl_tncd_start() with tnc-policy on the PostgreSQL database db (password
 * in password_file), e.g. another instance's: gateways sharing it. */
void tl_tncd_start_on(struct tl_tncd *t, const char *extra, bool wait_ready, const char *db,
    const char *password_file);
/* SIGTERM, then waits; fails the test unless tncd exits 0 in time. */
void tl_tncd_stop(struct tl_tncd *t);
/* Runs `tncctl -s SOCK --json ARGS` into out; returns its exit code. */
int tl_ctl(struct tl_tncd *t, char *out, size_t size, const char *args);
/* Field `key` of the row whose "name" is `name` in tncctl JSON output. */
int tl_row_field(const char *json, const char *name, const char *key, char *out, size_t size);
/* Polls `tncctl status` until `name` is in `state` and its pid differs
 * from not_pid (0: any); returns the pid or -1 after timeout_ms. */
int tl_wait_state(struct tl_tncd *t, const char *name, const char *state, int not_pid,
    int timeout_ms);
/* A field ("NoNewPrivs") of /proc/PID/status, as the test reads it itself. */
int tl_proc_status(int pid, const char *key, char *out, size_t size);
/* 1 if tncd's log contains needle (waits up to timeout_ms for it). */
int tl_log_contains(struct tl_tncd *t, const char *needle, int timeout_ms);
/* Runs a shell command, stdout into out; returns the exit code. */
int tl_sh(char *out, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The pid `tncctl status` shows for a child; -1 when it has none. */
int tl_child_pid(struct tl_tncd *t, const char *name);
/* Starts tncclient in the background against t with the facts file and extra
 * options, its output into out_path; returns its pid. */
pid_t tl_client_spawn(struct tl_tncd *t, const char *facts_path, const char *extra,
    const char *out_path);
/* Waits for a tncclient of tl_client_spawn(); its exit code, or -1 if it
 * did not exit normally. */
int tl_client_wait(pid_t pid);
/* Waits up to timeout_ms for a tncd of tl_tncd_start() to exit by itself:
 * its exit code (128 + signal if killed); -1, after SIGKILL, if it did not. */
int tl_tncd_wait_exit(struct tl_tncd *t, int timeout_ms);
/* 1 if a TCP socket can be bound to 127.0.0.1:port right now (nobody listens). */
int tl_port_free(int port);
/* A free TCP port on 127.0.0.1 for a test's tncd, outside the ephemeral range. */
int tl_pick_port(void);
/* A self-signed P-256 certificate DIR/NAME.crt and its key DIR/NAME.key
 * (openssl CLI); fails the test if they cannot be made. */
void tl_make_cert(const char *dir, const char *name);
/* How many times tncd's log contains needle now. */
int tl_log_count(struct tl_tncd *t, const char *needle);
/* The same once it is at least want, or after timeout_ms (lines reach the
 * log through tncd, after what they tell has happened). */
int tl_log_count_reaching(struct tl_tncd *t, const char *needle, int want, int timeout_ms);
/* The end of a command's output, short enough for a Check message. */
const char *tl_out_tail(const char *out);
/* Fails the test unless tncd logs needle within 5 s. */
void tl_assert_logged(struct tl_tncd *t, const char *needle);
/* CLOCK_MONOTONIC in milliseconds. */
long tl_now_ms(void);
/* A tncclient --facts file NAME.facts in t's directory: a compliant Debian 12
 * with two packages, then text (later keys override, packages_extra adds);
 * its path, in path. */
const char *tl_facts_file(struct tl_tncd *t, const char *name, const char *text, char *path,
    size_t size);
/* The product of tl_facts_file()'s endpoint as tnc-policy names it. */
#define TL_PRODUCT "Debian GNU/Linux 12 x86_64"
/* Runs `tncadm --db <t's policy database> ARGS` (printf-style, shell words;
 * with its password file on PostgreSQL);
 * fails the test with tncadm's output unless it exits 0.  Returns that
 * output (a static buffer, until the next call). */
const char *tl_adm(struct tl_tncd *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Waits (10 s at most) until tnc-policy has its database, then makes it know
 * TL_PRODUCT's packages of tests/data/dpkg-seed/status (openssl 3.0.11-1,
 * bash 5.2.15-2, telnetd 0.17-44, rsh-server 0.17-22) with telnetd and
 * rsh-server blacklisted: tl_facts_file()'s endpoint then passes the
 * installed-packages workitem (PCKGS), one with telnetd or rsh-server fails
 * it, and a product the database has no packages of gets no result. */
void tl_policy_seed(struct tl_tncd *t);
/* tnc-policy's answer to an IMV's workitems request: one workitem per word
 * of types ("PCKGS FWDEN"), numbered from 1, isolate when it fails, allow
 * without a result; the views point into types. */
struct ipc_policy_workitems tl_policy_workitems(const char *types);

#endif
