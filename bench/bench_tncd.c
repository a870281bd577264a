/* bench_tncd.c - the benchmarks' tncd and its clients (see bench_tncd.h). */
#include "bench_tncd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CLIENT_ARGS_MAX 32

/* What bench_tmpdir() cleans up when the bench exits. */
static struct {
	struct bench_tncd *tncd;
	const char *dir;
} at_exit;

double
bench_now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void
bench_die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name, what, strerror(errno));
	exit(1);
}

void
bench_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s: ", program_invocation_short_name);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

void
bench_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		bench_die(path);
}

static void
cleanup(void)
{
	char cmd[160];
	if (at_exit.tncd)
		bench_tncd_stop(at_exit.tncd);
	if (at_exit.dir) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", at_exit.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "%s: could not remove %s\n", program_invocation_short_name,
			    at_exit.dir);
		at_exit.dir = NULL;
	}
}

static void
on_signal(int sig)
{
	(void)sig;
	exit(1); /* runs cleanup() */
}

void
bench_tmpdir(char *dir, size_t size, const char *prefix, struct bench_tncd *t)
{
	snprintf(dir, size, "/tmp/%s-XXXXXX", prefix);
	if (!mkdtemp(dir))
		bench_die("mkdtemp");
	if (chmod(dir, 0755))
		bench_die(dir);
	at_exit.tncd = t;
	at_exit.dir = dir;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
}

int
bench_port_base(void)
{
	return 20000 + getpid() % 12000;
}

void
bench_tncd_start(struct bench_tncd *t, const char *dir, int port, int log_level,
    const char *more_conf, const char *adm_db)
{
	char text[2048];
	snprintf(t->dir, sizeof(t->dir), "%s", dir);
	snprintf(t->conf, sizeof(t->conf), "%s/tncd.conf", dir);
	snprintf(t->log, sizeof(t->log), "%s/tncd.log", dir);
	snprintf(t->cert, sizeof(t->cert), "%s/state/ike/pt-tls-cert.pem", dir);
	snprintf(t->port, sizeof(t->port), "127.0.0.1:%d", port);
	if (adm_db)
		snprintf(t->db, sizeof(t->db), "%s", adm_db);
	else
		snprintf(t->db, sizeof(t->db), "%s/state/policy/tnc.db", dir);
	snprintf(text, sizeof(text), "[daemon]\ncontrol_socket = %s/tncd.ctl\nstate_dir = %s/state\n"
	    "[log]\ndefault = %d\n[ike]\npt_tls_listen = %s\n%s", dir, dir, log_level, t->port,
	    more_conf ? more_conf : "");
	bench_write_file(t->conf, text);
	pid_t parent = getpid();
	t->pid = fork();
	if (t->pid < 0)
		bench_die("fork");
	if (t->pid == 0) {
		char tncd[512];
		/* a killed bench leaves no tncd behind */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(127);
		snprintf(tncd, sizeof(tncd), "%s/tncd", t->bin);
		int fd = open(t->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(tncd, "tncd", "--foreground", "--config", t->conf, (char *)NULL);
		_exit(127);
	}
}

int
bench_tncd_stop(struct bench_tncd *t)
{
	int st = 0;
	if (t->pid > 0) {
		kill(t->pid, SIGTERM);
		waitpid(t->pid, &st, 0);
		t->pid = 0;
	}
	return st;
}

void
bench_tncd_died(struct bench_tncd *t)
{
	t->pid = 0;
	bench_fail("tncd exited, see %s", t->log);
}

int
bench_tncd_adm(const struct bench_tncd *t, const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s/tncadm --db %s %s >%s/tncadm.out 2>&1", t->bin, t->db, args,
	    t->dir);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

void
bench_tncd_adm_must(const struct bench_tncd *t, const char *args)
{
	if (bench_tncd_adm(t, args) != 0)
		bench_fail("tncadm %s failed, see %s/tncadm.out and %s", args, t->dir, t->log);
}

void
bench_facts_file(const char *path, const char *device_id, int packages)
{
	char text[512];
	snprintf(text, sizeof(text), "product = Debian GNU/Linux\nversion = 12 x86_64\n"
	    "numeric_version = 12.0\nforwarding = 0\ndefault_password = 0\ndevice_id = %s\n"
	    "packages = /dev/null\npackages_count = %d\n", device_id, packages);
	bench_write_file(path, text);
}

void
bench_tncd_seed_packages(struct bench_tncd *t, int packages)
{
	char status[160], args[512];
	snprintf(status, sizeof(status), "%s/packages.status", t->dir);
	FILE *f = fopen(status, "w");
	if (!f)
		bench_die(status);
	for (int i = 1; i <= packages; i++)
		fprintf(f, "Package: pkg%05d\nStatus: install ok installed\nVersion: 1.0-%d\n\n", i,
		    i);
	if (fclose(f))
		bench_die(status);
	for (int i = 0; bench_tncd_adm(t, "product add '" BENCH_PRODUCT "'") != 0; i++) {
		if (i == 100)
			bench_fail("tncadm product add failed, see %s/tncadm.out", t->dir);
		if (waitpid(t->pid, NULL, WNOHANG) == t->pid)
			bench_tncd_died(t);
		usleep(200000);
	}
	snprintf(args, sizeof(args), "package import '" BENCH_PRODUCT "' %s", status);
	bench_tncd_adm_must(t, args);
}

pid_t
bench_tncd_client(const struct bench_tncd *t, const char *ca, const char *out,
    const char *const *args)
{
	pid_t pid = fork();
	if (pid < 0)
		bench_die("fork");
	if (pid == 0) {
		char client[512];
		const char *argv[CLIENT_ARGS_MAX] = {"tncclient", "--server", t->port, "--ca", ca};
		size_t n = 5;
		for (; *args; args++) {
			if (n == CLIENT_ARGS_MAX - 1)
				_exit(127);
			argv[n++] = *args;
		}
		argv[n] = NULL;
		snprintf(client, sizeof(client), "%s/tncclient", t->bin);
		int fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 1);
		dup2(fd, 2);
		execv(client, (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int
bench_tncd_wait_client(struct bench_tncd *t, pid_t client)
{
	int st;
	pid_t pid;
	while ((pid = wait(&st)) != client) {
		if (pid < 0)
			bench_die("wait");
		if (pid == t->pid)
			bench_tncd_died(t);
	}
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int
bench_tncd_wait_ready(struct bench_tncd *t, pid_t (*client)(void *), void *ctx)
{
	for (int i = 0; i < 100; i++) {
		if (bench_tncd_wait_client(t, client(ctx)) == 0)
			return 0;
		usleep(200000);
	}
	return -1;
}
