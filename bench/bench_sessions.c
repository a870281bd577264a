/* bench_sessions - complete OS-IMV assessments over PT-TLS against a real
 * tncd on loopback, for each server certificate kind (RSA-3072, P-256):
 * first one session at a time, then C at a time, R rounds of both.  Prints
 * sessions/s, the server's CPU time per session (tncd and all its
 * children, from /proc), tnc-ike's share of it, and that share less the
 * handshake's signature timed alone with the same key in this process
 * (bench_sign): what tnc-ike spends besides the private-key operation;
 * then tnc-policy's share (workitems, package verdicts, the record) and,
 * with -d, the PostgreSQL server's (every "postgres" process of the
 * machine: run it on a server of its own).
 * With R > 1 the median of each figure follows, then each server
 * process's peak RSS.
 *
 * The OS IMV judges with the policy database: before measuring, the
 * database tnc-policy created is given (tncadm) the PACKAGES versions the
 * clients report for their product, so that every session is allowed.
 *
 *   bench_sessions [-n SESSIONS] [-c CONCURRENCY] [-r ROUNDS] [-p PACKAGES]
 *                  [-k rsa3072|p256] [-l LOG_LEVEL] [-B BIN_DIR]
 *                  [-d POSTGRESQL_URI -P PASSWORD_FILE]
 *
 * -B runs the tncd and tncclient of another build (to compare before and
 * after a change).  -l sets the server's log level (default 0, as the
 * earlier figures were taken; 1 is tncd's own default).  -p is at least 1:
 * without installed packages the OS IMV has no result for them and the
 * endpoint is isolated.  Must run as root (tncd gives its children their
 * uids). */
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
#include "bench_sign.h"

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
	const char *db, *db_password_file; /* a PostgreSQL database; NULL: SQLite in state_dir */
	char dir[64], conf[128], cert[128], key[128], facts[128], sock[128], port[32];
	pid_t tncd;
	int packages, log_level;
	int seeded; /* the database (kept in dir/state across servers) knows the packages */
};

/* One phase of one round. */
struct phase_result {
	double sessions_per_s, server_ms, ike_ms, policy_ms; /* CPU ms per session */
	double database_ms; /* the PostgreSQL server's, per session; 0 on SQLite */
	int failed;
};

#define ROUNDS_MAX 32
/* What the clients' facts report, as tnc-policy names the product. */
#define PRODUCT "Debian GNU/Linux 12 x86_64"

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
	    "[daemon]\ncontrol_socket = %s\nstate_dir = %s/state\n[log]\ndefault = %d\n"
	    "[ike]\npt_tls_listen = %s\ntls_cert = %s\ntls_key = %s\n", b->sock, b->dir,
	    b->log_level, b->port, b->cert, b->key);
	if (b->db) {
		size_t len = strlen(text);
		snprintf(text + len, sizeof(text) - len, "[policy]\ndatabase = %s\npassword_file = %s\n",
		    b->db, b->db_password_file);
	}
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

static void
tncd_died(const struct bench *b)
{
	fprintf(stderr, "bench_sessions: tncd exited, see %s/tncd.log\n", b->dir);
	exit(1);
}

/* tncadm on the server's database; its exit code (output in dir/tncadm.out). */
static int
adm(const struct bench *b, const char *args)
{
	char cmd[1024], db[256];
	if (b->db)
		snprintf(db, sizeof(db), "'%s' --db-password-file '%s'", b->db, b->db_password_file);
	else
		snprintf(db, sizeof(db), "%s/state/policy/tnc.db", b->dir);
	snprintf(cmd, sizeof(cmd), "%s/tncadm --db %s %s >%s/tncadm.out 2>&1", b->bin, db, args,
	    b->dir);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
adm_failed(const struct bench *b, const char *what)
{
	fprintf(stderr, "bench_sessions: tncadm %s failed, see %s/tncadm.out and %s/tncd.log\n",
	    what, b->dir, b->dir);
	exit(1);
}

/* Once per run (the database outlives the server): the PACKAGES versions
 * of packages_count (tncclient's pkgNNNNN 1.0-N) as PRODUCT's, from a dpkg
 * status file.  tnc-policy creates the database before its READY, which the
 * bench does not wait for, so the first change is tried until the database
 * takes it (about 20 s at most). */
static void
seed_database(struct bench *b)
{
	char status[128], args[512];
	if (b->seeded)
		return;
	snprintf(status, sizeof(status), "%s/status", b->dir);
	FILE *f = fopen(status, "w");
	if (!f)
		die(status);
	for (int i = 1; i <= b->packages; i++)
		fprintf(f, "Package: pkg%05d\nStatus: install ok installed\nVersion: 1.0-%d\n\n", i,
		    i);
	if (fclose(f))
		die(status);
	int i = 0;
	while (adm(b, "product add '" PRODUCT "'") != 0) {
		if (++i == 100)
			adm_failed(b, "product add");
		if (waitpid(b->tncd, NULL, WNOHANG) == b->tncd)
			tncd_died(b);
		usleep(200000);
	}
	snprintf(args, sizeof(args), "package import '" PRODUCT "' %s", status);
	if (adm(b, args) != 0)
		adm_failed(b, "package import");
	b->seeded = 1;
}

/* The server is ready when a session passes (every child it needs is up);
 * gives up after about 20 s or when tncd exits. */
static void
wait_ready(struct bench *b)
{
	for (int i = 0; i < 100; i++) {
		int st;
		pid_t client = run_client(b);
		if (client < 0)
			die("fork");
		pid_t pid = wait(&st);
		if (pid == b->tncd)
			tncd_died(b);
		if (pid == client && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			return;
		usleep(200000);
	}
	fprintf(stderr, "bench_sessions: no session passed in 20 s, see %s/tncd.log\n", b->dir);
	exit(1);
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
		pid_t pid = wait(&st);
		if (pid < 0)
			die("wait");
		if (pid == b->tncd)
			tncd_died(b);
		running--;
		done++;
		failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	*ret_s = now_s() - t0;
	return failed;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double
median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
print_phase(const char *label, const char *kind, int n, int conc, const struct phase_result *r,
    double sign_ms)
{
	printf("  %-10s %s sessions %5d  concurrency %3d  %8.1f sessions/s  "
	    "server CPU %6.3f ms/session  tnc-ike %6.3f ms/session  besides the signature "
	    "%6.3f ms  tnc-policy %6.3f ms/session  PostgreSQL %6.3f ms/session  failed %d\n", label,
	    kind, n, conc, r->sessions_per_s, r->server_ms, r->ike_ms, r->ike_ms - sign_ms,
	    r->policy_ms, r->database_ms, r->failed);
}

/* The median of each figure over the rounds of one phase. */
static void
print_median(const char *label, const char *kind, int n, int conc,
    const struct phase_result *rounds, int nrounds, double sign_ms)
{
	double sps[ROUNDS_MAX], server[ROUNDS_MAX], ike[ROUNDS_MAX], policy[ROUNDS_MAX],
	    database[ROUNDS_MAX];
	struct phase_result m = {0};
	for (int i = 0; i < nrounds; i++) {
		sps[i] = rounds[i].sessions_per_s;
		server[i] = rounds[i].server_ms;
		ike[i] = rounds[i].ike_ms;
		policy[i] = rounds[i].policy_ms;
		database[i] = rounds[i].database_ms;
		m.failed += rounds[i].failed;
	}
	m.sessions_per_s = median(sps, nrounds);
	m.server_ms = median(server, nrounds);
	m.ike_ms = median(ike, nrounds);
	m.policy_ms = median(policy, nrounds);
	m.database_ms = median(database, nrounds);
	print_phase(label, kind, n, conc, &m, sign_ms);
}

/* Both phases, rounds times, against a server with a certificate of kind
 * k; returns failures. */
static int
bench_kind(struct bench *b, const struct cert_kind *k, int n, int c, int rounds)
{
	static const char *const label[2] = {"sequential", "concurrent"};
	struct bench_proc before[BENCH_PROCS_MAX], after[BENCH_PROCS_MAX];
	struct phase_result results[2][ROUNDS_MAX];
	int failed_total = 0;

	make_cert(b, k);
	double sign_us = bench_sign_us_file(b->key, 200);
	if (sign_us < 0) {
		fprintf(stderr, "bench_sessions: cannot sign with %s\n", b->key);
		exit(1);
	}
	start_server(b);
	seed_database(b);
	wait_ready(b);
	printf("server certificate %s, tncd %s, %d packages per endpoint, log level %d; "
	    "the signature alone: %.1f us\n", k->name, b->port, b->packages, b->log_level, sign_us);
	for (int r = 0; r < rounds; r++) {
		for (int phase = 0; phase < 2; phase++) {
			struct phase_result *res = &results[phase][r];
			int conc = phase == 0 ? 1 : c;
			double secs;
			int np = bench_procs_read(b->tncd, before, BENCH_PROCS_MAX);
			double db_before = b->db ? bench_procs_cpu_ms_named("postgres") : 0;
			res->failed = run_phase(b, n, conc, &secs);
			int na = bench_procs_read(b->tncd, after, BENCH_PROCS_MAX);
			if (b->db)
				res->database_ms = (bench_procs_cpu_ms_named("postgres") - db_before) / n;
			res->sessions_per_s = n / secs;
			res->server_ms = (bench_procs_cpu_ms(after, na) -
			    bench_procs_cpu_ms(before, np)) / n;
			res->ike_ms = (bench_procs_cpu_ms_of(after, na, "tnc-ike") -
			    bench_procs_cpu_ms_of(before, np, "tnc-ike")) / n;
			res->policy_ms = (bench_procs_cpu_ms_of(after, na, "tnc-policy") -
			    bench_procs_cpu_ms_of(before, np, "tnc-policy")) / n;
			print_phase(label[phase], k->name, n, conc, res, sign_us / 1e3);
			failed_total += res->failed;
		}
	}
	for (int phase = 0; rounds > 1 && phase < 2; phase++)
		print_median("median", k->name, n, phase == 0 ? 1 : c, results[phase], rounds,
		    sign_us / 1e3);
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
	int n = 200, c = 16, rounds = 1, opt;
	while ((opt = getopt(argc, argv, "n:c:r:p:k:l:B:d:P:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'c')
			c = atoi(optarg);
		else if (opt == 'r')
			rounds = atoi(optarg);
		else if (opt == 'l')
			b.log_level = atoi(optarg);
		else if (opt == 'p')
			b.packages = atoi(optarg);
		else if (opt == 'k')
			only = optarg;
		else if (opt == 'B')
			b.bin = optarg;
		else if (opt == 'd')
			b.db = optarg;
		else if (opt == 'P')
			b.db_password_file = optarg;
		else {
			fprintf(stderr, "usage: bench_sessions [-n SESSIONS] [-c CONCURRENCY] "
			    "[-r ROUNDS] [-p PACKAGES] [-k rsa3072|p256] [-l LOG_LEVEL] [-B BIN_DIR] "
			    "[-d POSTGRESQL_URI -P PASSWORD_FILE]\n");
			return 2;
		}
	}
	if (!b.db != !b.db_password_file) {
		fprintf(stderr, "bench_sessions: -d and -P go together\n");
		return 2;
	}
	if (n < 1 || c < 1 || rounds < 1 || rounds > ROUNDS_MAX || b.log_level < 0 ||
	    b.log_level > 4 || b.packages < 1) {
		fprintf(stderr, "bench_sessions: -n, -c and -p must be positive, -r 1..%d, -l 0..4\n",
		    ROUNDS_MAX);
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
		failed += bench_kind(&b, &cert_kinds[i], n, c, rounds);
		ran++;
	}
	if (!ran) {
		fprintf(stderr, "bench_sessions: unknown certificate kind '%s'\n", only);
		return 2;
	}
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", b.dir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_sessions: could not remove %s\n", b.dir);
	return failed ? 1 : 0;
}
