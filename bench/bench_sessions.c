/* bench_sessions - complete OS-IMV assessments over PT-TLS against a real
 * tncd on loopback, first one at a time, then C at a time.  Prints
 * sessions/s, the server's CPU time per session (tncd and all its children,
 * from /proc) and each server process's peak RSS.
 *
 *   bench_sessions [-n SESSIONS] [-c CONCURRENCY] [-p PACKAGES]
 *
 * Must run as root (per-child uids, port below 1024 not needed). */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "bench_procs.h"

struct bench {
	char dir[64], conf[128], ca[128], facts[128], sock[128], port[32];
	pid_t tncd;
	int packages;
};

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
die(const char *what)
{
	fprintf(stderr, "bench_sessions: %s: %s\n", what, strerror(errno));
	exit(1);
}

static int
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return -1;
	fputs(text, f);
	return fclose(f);
}

static void
start_server(struct bench *b)
{
	char text[1024];
	snprintf(b->dir, sizeof(b->dir), "/tmp/tnc-bench-XXXXXX");
	if (!mkdtemp(b->dir))
		die("mkdtemp");
	chmod(b->dir, 0755);
	snprintf(b->conf, sizeof(b->conf), "%s/tncd.conf", b->dir);
	snprintf(b->sock, sizeof(b->sock), "%s/tncd.ctl", b->dir);
	snprintf(b->ca, sizeof(b->ca), "%s/state/ike/pt-tls-cert.pem", b->dir);
	snprintf(b->facts, sizeof(b->facts), "%s/client.facts", b->dir);
	snprintf(b->port, sizeof(b->port), "127.0.0.1:%d", 40000 + getpid() % 20000);
	snprintf(text, sizeof(text),
	    "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\n[log]\ndefault = 0\n"
	    "[ike]\npt_tls_listen = %s\n[imv-os]\nallowed_products = Debian GNU/Linux 12 x86_64\n"
	    "blacklisted_packages = telnetd\n", b->sock, b->dir, b->port);
	if (write_file(b->conf, text))
		die(b->conf);
	snprintf(text, sizeof(text), "product = Debian GNU/Linux\nversion = 12 x86_64\n"
	    "numeric_version = 12.0\nforwarding = 0\ndefault_password = 0\n"
	    "device_id = 0123456789abcdef\npackages = /dev/null\npackages_count = %d\n", b->packages);
	if (write_file(b->facts, text))
		die(b->facts);
	b->tncd = fork();
	if (b->tncd < 0)
		die("fork");
	if (b->tncd == 0) {
		char log[128];
		snprintf(log, sizeof(log), "%s/tncd.log", b->dir);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(TNC_BIN_DIR "/tncd", "tncd", "--foreground", "--config", b->conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) { /* wait for the certificate and all children */
		struct bench_proc p[BENCH_PROCS_MAX];
		if (access(b->ca, R_OK) == 0 && bench_procs_read(b->tncd, p, BENCH_PROCS_MAX) == 6)
			break;
		usleep(50000);
	}
	usleep(300000);
}

static pid_t
run_client(struct bench *b)
{
	pid_t pid = fork();
	if (pid == 0) {
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(TNC_BIN_DIR "/tncclient", "tncclient", "--server", b->port, "--ca", b->ca,
		    "--facts", b->facts, "--timeout", "60", (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* Runs n sessions with at most c in flight; returns failures. */
static int
run_phase(struct bench *b, int n, int c, double *ret_s)
{
	int started = 0, done = 0, failed = 0, running = 0;
	double t0 = now_s();
	while (done < n) {
		while (running < c && started < n) {
			if (run_client(b) < 0)
				die("fork");
			started++;
			running++;
		}
		int st;
		if (wait(&st) < 0)
			die("wait");
		running--;
		done++;
		failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	*ret_s = now_s() - t0;
	return failed;
}

static void
report(const char *label, int n, int c, double secs, double cpu_ms, int failed)
{
	printf("%-12s sessions %5d  concurrency %3d  %8.1f sessions/s  server CPU %6.2f ms/session"
	    "  failed %d\n", label, n, c, n / secs, cpu_ms / n, failed);
}

int
main(int argc, char **argv)
{
	struct bench b = {.packages = 800};
	int n = 200, c = 16, opt;
	while ((opt = getopt(argc, argv, "n:c:p:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'c')
			c = atoi(optarg);
		else if (opt == 'p')
			b.packages = atoi(optarg);
		else {
			fprintf(stderr, "usage: bench_sessions [-n SESSIONS] [-c CONCURRENCY] [-p PACKAGES]\n");
			return 2;
		}
	}
	if (n < 1 || c < 1) {
		fprintf(stderr, "bench_sessions: -n and -c must be positive\n");
		return 2;
	}
	start_server(&b);
	struct bench_proc before[BENCH_PROCS_MAX], after[BENCH_PROCS_MAX];
	int failed_total = 0;
	printf("tncd %s, %d packages per endpoint\n", b.port, b.packages);
	for (int phase = 0; phase < 2; phase++) {
		int conc = phase == 0 ? 1 : c;
		double secs;
		int np = bench_procs_read(b.tncd, before, BENCH_PROCS_MAX);
		int failed = run_phase(&b, n, conc, &secs);
		int na = bench_procs_read(b.tncd, after, BENCH_PROCS_MAX);
		report(phase == 0 ? "sequential" : "concurrent", n, conc, secs,
		    bench_procs_cpu_ms(after, na) - bench_procs_cpu_ms(before, np), failed);
		failed_total += failed;
	}
	int na = bench_procs_read(b.tncd, after, BENCH_PROCS_MAX);
	printf("%-16s %8s %12s %10s\n", "process", "pid", "peak RSS kB", "CPU ms");
	for (int i = 0; i < na; i++)
		printf("%-16s %8d %12ld %10.1f\n", after[i].name, (int)after[i].pid, after[i].peak_kb,
		    after[i].cpu_ms);
	kill(b.tncd, SIGTERM);
	waitpid(b.tncd, NULL, 0);
	return failed_total ? 1 : 0;
}
