/* bench_sessions - complete OS-IMV assessments over PT-TLS against a real
 * tncd on loopback, for each server certificate kind (RSA-3072, P-256):
 * first one session at a time, then C at a time.  Prints sessions/s, the
 * server's CPU time per session (tncd and all its children, from /proc),
 * tnc-ike's share of it, and each server process's peak RSS.
 *
 *   bench_sessions [-n SESSIONS] [-c CONCURRENCY] [-p PACKAGES] [-k rsa3072|p256]
 *                  [-B BIN_DIR]
 *
 * -B runs the tncd and tncclient of another build (to compare before and
 * after a change).  Must run as root (tncd gives its children their uids). */
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

struct cert_kind {
	const char *name;
	const char *newkey; /* openssl req -newkey argument */
};

static const struct cert_kind cert_kinds[] = {
	{"rsa3072", "rsa:3072"},
	{"p256", "ec -pkeyopt ec_paramgen_curve:P-256"},
};

struct bench {
	const char *bin;
	char dir[64], conf[128], cert[128], key[128], facts[128], sock[128], port[32];
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

/* A self-signed server certificate for 127.0.0.1 of the given kind. */
static void
make_cert(struct bench *b, const struct cert_kind *k)
{
	char cmd[1024];
	snprintf(b->cert, sizeof(b->cert), "%s/%s.pem", b->dir, k->name);
	snprintf(b->key, sizeof(b->key), "%s/%s.key", b->dir, k->name);
	snprintf(cmd, sizeof(cmd), "openssl req -x509 -newkey %s -nodes -keyout %s -out %s "
	    "-subj /CN=localhost -addext subjectAltName=IP:127.0.0.1 -days 2 2>/dev/null && "
	    "chmod 644 %s %s", k->newkey, b->key, b->cert, b->key, b->cert);
	if (system(cmd) != 0) {
		fprintf(stderr, "bench_sessions: openssl could not make a %s certificate\n", k->name);
		exit(1);
	}
}

static void
start_server(struct bench *b)
{
	char text[2048];
	snprintf(b->conf, sizeof(b->conf), "%s/tncd.conf", b->dir);
	snprintf(b->sock, sizeof(b->sock), "%s/tncd.ctl", b->dir);
	snprintf(b->facts, sizeof(b->facts), "%s/client.facts", b->dir);
	snprintf(b->port, sizeof(b->port), "127.0.0.1:%d", 20000 + getpid() % 12000); /* below the ephemeral ports */
	snprintf(text, sizeof(text),
	    "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\n[log]\ndefault = 0\n"
	    "[ike]\npt_tls_listen = %s\ntls_cert = %s\ntls_key = %s\n"
	    "[imv-os]\nallowed_products = Debian GNU/Linux 12 x86_64\n"
	    "blacklisted_packages = telnetd\n", b->sock, b->dir, b->port, b->cert, b->key);
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
		char log[128], tncd[512];
		snprintf(log, sizeof(log), "%s/tncd.log", b->dir);
		snprintf(tncd, sizeof(tncd), "%s/tncd", b->bin);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(tncd, "tncd", "--foreground", "--config", b->conf, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 200; i++) { /* wait for all children */
		struct bench_proc p[BENCH_PROCS_MAX];
		if (bench_procs_read(b->tncd, p, BENCH_PROCS_MAX) == 6)
			break;
		usleep(50000);
	}
	usleep(500000);
}

static void
stop_server(struct bench *b)
{
	kill(b->tncd, SIGTERM);
	waitpid(b->tncd, NULL, 0);
}

static pid_t
run_client(struct bench *b)
{
	pid_t pid = fork();
	if (pid == 0) {
		char client[512];
		snprintf(client, sizeof(client), "%s/tncclient", b->bin);
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(client, "tncclient", "--server", b->port, "--ca", b->cert,
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

/* Both phases against a server with a certificate of kind k; returns failures. */
static int
bench_kind(struct bench *b, const struct cert_kind *k, int n, int c)
{
	struct bench_proc before[BENCH_PROCS_MAX], after[BENCH_PROCS_MAX];
	int failed_total = 0;

	make_cert(b, k);
	start_server(b);
	printf("server certificate %s, tncd %s, %d packages per endpoint\n", k->name, b->port,
	    b->packages);
	for (int phase = 0; phase < 2; phase++) {
		int conc = phase == 0 ? 1 : c;
		double secs;
		int np = bench_procs_read(b->tncd, before, BENCH_PROCS_MAX);
		int failed = run_phase(b, n, conc, &secs);
		int na = bench_procs_read(b->tncd, after, BENCH_PROCS_MAX);
		double all = bench_procs_cpu_ms(after, na) - bench_procs_cpu_ms(before, np);
		double ike = bench_procs_cpu_ms_of(after, na, "tnc-ike") -
		    bench_procs_cpu_ms_of(before, np, "tnc-ike");
		printf("  %-10s %s sessions %5d  concurrency %3d  %8.1f sessions/s  "
		    "server CPU %6.3f ms/session  tnc-ike %6.3f ms/session  failed %d\n",
		    phase == 0 ? "sequential" : "concurrent", k->name, n, conc, n / secs, all / n,
		    ike / n, failed);
		failed_total += failed;
	}
	int na = bench_procs_read(b->tncd, after, BENCH_PROCS_MAX);
	printf("  %-16s %8s %12s %10s\n", "process", "pid", "peak RSS kB", "CPU ms");
	for (int i = 0; i < na; i++)
		printf("  %-16s %8d %12ld %10.1f\n", after[i].name, (int)after[i].pid,
		    after[i].peak_kb, after[i].cpu_ms);
	stop_server(b);
	return failed_total;
}

int
main(int argc, char **argv)
{
	struct bench b = {.packages = 800, .bin = TNC_BIN_DIR};
	const char *only = NULL;
	int n = 200, c = 16, opt;
	while ((opt = getopt(argc, argv, "n:c:p:k:B:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'c')
			c = atoi(optarg);
		else if (opt == 'p')
			b.packages = atoi(optarg);
		else if (opt == 'k')
			only = optarg;
		else if (opt == 'B')
			b.bin = optarg;
		else {
			fprintf(stderr, "usage: bench_sessions [-n SESSIONS] [-c CONCURRENCY] "
			    "[-p PACKAGES] [-k rsa3072|p256] [-B BIN_DIR]\n");
			return 2;
		}
	}
	if (n < 1 || c < 1) {
		fprintf(stderr, "bench_sessions: -n and -c must be positive\n");
		return 2;
	}
	snprintf(b.dir, sizeof(b.dir), "/tmp/tnc-bench-XXXXXX");
	if (!mkdtemp(b.dir))
		die("mkdtemp");
	chmod(b.dir, 0755);
	int failed = 0, ran = 0;
	for (size_t i = 0; i < sizeof(cert_kinds) / sizeof(cert_kinds[0]); i++) {
		if (only && strcmp(only, cert_kinds[i].name) != 0)
			continue;
		failed += bench_kind(&b, &cert_kinds[i], n, c);
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "bench_sessions: unknown certificate kind '%s'\n", only);
		return 2;
	}
	return failed ? 1 : 0;
}
