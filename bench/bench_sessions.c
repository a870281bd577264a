/* bench_sessions - complete OS-IMV assessments over PT-TLS against a real
 * tncd on loopback, for each server certificate kind (RSA-3072, P-256):
 * first one session at a time, then C at a time, R rounds of both.  Prints
 * sessions/s, the server's CPU time per session (tncd and all its
 * children, from /proc), tnc-ike's share of it, and that share less the
 * handshake's signature timed alone with the same key in this process
 * (bench_sign) right after each phase, so that it moves with the
 * machine's speed as the phase did: what tnc-ike spends besides the
 * private-key operation;
 * then tnc-policy's share (workitems, package verdicts, the record) and,
 * with -d, the PostgreSQL server's (every "postgres" process of the
 * machine: run it on a server of its own); then how many times per
 * session tnc-ike and tnc-policy were put on a CPU (woken for a message,
 * or preempted): on a machine where a wake-up is dear (bench_wakeup),
 * fewer of them is what makes a session cheaper one at a time.
 * With R > 1 the median of each figure follows, then its best (the least
 * CPU, the most sessions/s), then each server process's peak RSS.  The
 * best is the closest to what the code costs: what else the machine runs
 * (other virtual machines on its host, here) only adds CPU time to a
 * phase, and this machine has run the same binaries up to twice as slow
 * minutes apart; the median is what a session costs on the day's machine.
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
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "bench_procs.h"
#include "bench_sign.h"
#include "bench_tncd.h"

struct cert_kind {
	const char *name;
	const char *newkey; /* openssl req -newkey argument */
};

static const struct cert_kind cert_kinds[] = {
	{"rsa3072", "rsa:3072"},
	{"p256", "ec -pkeyopt ec_paramgen_curve:P-256"},
};

struct bench {
	struct bench_tncd tncd;
	const char *db, *db_password_file; /* a PostgreSQL database; NULL: SQLite in state_dir */
	char dir[64], cert[128], key[128], facts[128];
	int packages, log_level;
	int seeded; /* the database (kept in dir/state across servers) knows the packages */
};

/* One phase of one round. */
struct phase_result {
	double sessions_per_s, server_ms, ike_ms, policy_ms; /* CPU ms per session */
	double sign_ms;     /* the signature alone, timed right after the phase */
	double database_ms; /* the PostgreSQL server's, per session; 0 on SQLite */
	double ike_runs, policy_runs; /* times put on a CPU per session */
	int failed;
};

#define ROUNDS_MAX 32

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
	if (system(cmd) != 0)
		bench_fail("openssl could not make a %s certificate", k->name);
}

/* tncd with the bench's certificate (and the PostgreSQL database). */
static void
start_server(struct bench *b)
{
	char more[1024], db[320];
	snprintf(b->facts, sizeof(b->facts), "%s/client.facts", b->dir);
	snprintf(more, sizeof(more), "tls_cert = %s\ntls_key = %s\n", b->cert, b->key);
	if (b->db) {
		size_t len = strlen(more);
		snprintf(more + len, sizeof(more) - len, "[policy]\ndatabase = %s\npassword_file = %s\n",
		    b->db, b->db_password_file);
		snprintf(db, sizeof(db), "'%s' --db-password-file '%s'", b->db, b->db_password_file);
	}
	bench_facts_file(b->facts, "0123456789abcdef", b->packages);
	bench_tncd_start(&b->tncd, b->dir, bench_port_base(), b->log_level, more,
	    b->db ? db : NULL);
}

static pid_t
run_client(void *bench)
{
	struct bench *b = bench;
	const char *const args[] = {"--facts", b->facts, "--timeout", "60", NULL};
	return bench_tncd_client(&b->tncd, b->cert, "/dev/null", args);
}

/* Once per run (the database outlives the server): the PACKAGES versions
 * of packages_count (tncclient's pkgNNNNN 1.0-N) as BENCH_PRODUCT's. */
static void
seed_database(struct bench *b)
{
	if (b->seeded)
		return;
	bench_tncd_seed_packages(&b->tncd, b->packages);
	b->seeded = 1;
}

/* Runs n sessions with at most c in flight; returns failures. */
static int
run_phase(struct bench *b, int n, int c, double *ret_s)
{
	int started = 0, done = 0, failed = 0, running = 0;
	double t0 = bench_now_s();
	while (done < n) {
		while (running < c && started < n) {
			run_client(b);
			started++;
			running++;
		}
		int st;
		pid_t pid = wait(&st);
		if (pid < 0)
			bench_die("wait");
		if (pid == b->tncd.pid)
			bench_tncd_died(&b->tncd);
		running--;
		done++;
		failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	*ret_s = bench_now_s() - t0;
	return failed;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The median of the rounds, or (least) the best of them: the least, or
 * for a rate the greatest. */
static double
sum_up(double *v, int n, bool least, bool rate)
{
	qsort(v, (size_t)n, sizeof(v[0]), cmp_double);
	if (least)
		return rate ? v[n - 1] : v[0];
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
print_phase(const char *label, const char *kind, int n, int conc, const struct phase_result *r,
    double besides_ms)
{
	printf("  %-10s %s sessions %5d  concurrency %3d  %8.1f sessions/s  "
	    "server CPU %6.3f ms/session  tnc-ike %6.3f ms/session  besides the signature "
	    "%6.3f ms (signature %.3f ms)  tnc-policy %6.3f ms/session  PostgreSQL %6.3f ms/session"
	    "  runs/session tnc-ike %4.1f tnc-policy %4.1f  failed %d\n", label, kind, n, conc,
	    r->sessions_per_s, r->server_ms, r->ike_ms, besides_ms, r->sign_ms, r->policy_ms,
	    r->database_ms, r->ike_runs, r->policy_runs, r->failed);
}

/* Each figure summed up over the rounds of one phase: its median, or
 * (least) its best, each figure on its own; tnc-ike's besides the
 * signature is that of the two summed up (the least of a difference of
 * two noisy figures would be too low). */
static void
print_summary(const char *label, const char *kind, int n, int conc,
    const struct phase_result *rounds, int nrounds, bool least)
{
	double sps[ROUNDS_MAX], server[ROUNDS_MAX], ike[ROUNDS_MAX], policy[ROUNDS_MAX],
	    database[ROUNDS_MAX], sign[ROUNDS_MAX], ike_runs[ROUNDS_MAX], policy_runs[ROUNDS_MAX];
	struct phase_result m = {0};
	for (int i = 0; i < nrounds; i++) {
		sps[i] = rounds[i].sessions_per_s;
		server[i] = rounds[i].server_ms;
		ike[i] = rounds[i].ike_ms;
		policy[i] = rounds[i].policy_ms;
		database[i] = rounds[i].database_ms;
		sign[i] = rounds[i].sign_ms;
		ike_runs[i] = rounds[i].ike_runs;
		policy_runs[i] = rounds[i].policy_runs;
		m.failed += rounds[i].failed;
	}
	m.sessions_per_s = sum_up(sps, nrounds, least, true);
	m.server_ms = sum_up(server, nrounds, least, false);
	m.ike_ms = sum_up(ike, nrounds, least, false);
	m.policy_ms = sum_up(policy, nrounds, least, false);
	m.database_ms = sum_up(database, nrounds, least, false);
	m.sign_ms = sum_up(sign, nrounds, least, false);
	m.ike_runs = sum_up(ike_runs, nrounds, least, false);
	m.policy_runs = sum_up(policy_runs, nrounds, least, false);
	print_phase(label, kind, n, conc, &m, m.ike_ms - m.sign_ms);
}

/* Both phases, rounds times, against a server with a certificate of kind
 * k; returns failures. */
static int
bench_kind(struct bench *b, const struct cert_kind *k, int n, int c, int rounds)
{
	static const char *const label[2] = {"sequential", "concurrent"};
	struct bench_proc before[BENCH_PROCS_MAX], after[BENCH_PROCS_MAX];
	struct phase_result results[2][ROUNDS_MAX] = {0}; /* database_ms stays 0 without -d */
	int failed_total = 0;

	make_cert(b, k);
	start_server(b);
	seed_database(b);
	if (bench_tncd_wait_ready(&b->tncd, run_client, b))
		bench_fail("no session passed in 20 s, see %s", b->tncd.log);
	printf("server certificate %s, tncd %s, %d packages per endpoint, log level %d\n", k->name,
	    b->tncd.port, b->packages, b->log_level);
	for (int r = 0; r < rounds; r++) {
		for (int phase = 0; phase < 2; phase++) {
			struct phase_result *res = &results[phase][r];
			int conc = phase == 0 ? 1 : c;
			double secs;
			int np = bench_procs_read(b->tncd.pid, before, BENCH_PROCS_MAX);
			double db_before = b->db ? bench_procs_cpu_ms_named("postgres") : 0;
			res->failed = run_phase(b, n, conc, &secs);
			int na = bench_procs_read(b->tncd.pid, after, BENCH_PROCS_MAX);
			if (b->db)
				res->database_ms = (bench_procs_cpu_ms_named("postgres") - db_before) / n;
			res->sessions_per_s = n / secs;
			res->server_ms = (bench_procs_cpu_ms(after, na) -
			    bench_procs_cpu_ms(before, np)) / n;
			res->ike_ms = (bench_procs_find(after, na, "tnc-ike")->cpu_ms -
			    bench_procs_find(before, np, "tnc-ike")->cpu_ms) / n;
			res->policy_ms = (bench_procs_find(after, na, "tnc-policy")->cpu_ms -
			    bench_procs_find(before, np, "tnc-policy")->cpu_ms) / n;
			res->ike_runs = (double)(bench_procs_find(after, na, "tnc-ike")->runs -
			    bench_procs_find(before, np, "tnc-ike")->runs) / n;
			res->policy_runs = (double)(bench_procs_find(after, na, "tnc-policy")->runs -
			    bench_procs_find(before, np, "tnc-policy")->runs) / n;
			/* timed now, not once at the start: it moves with the
			 * machine's speed as the phase's figures do */
			double sign_us = bench_sign_us_file(b->key, 200);
			if (sign_us < 0)
				bench_fail("cannot sign with %s", b->key);
			res->sign_ms = sign_us / 1e3;
			print_phase(label[phase], k->name, n, conc, res, res->ike_ms - res->sign_ms);
			failed_total += res->failed;
		}
	}
	for (int least = 0; rounds > 1 && least < 2; least++)
		for (int phase = 0; phase < 2; phase++)
			print_summary(least ? "best" : "median", k->name, n, phase == 0 ? 1 : c,
			    results[phase], rounds, least);
	int na = bench_procs_read(b->tncd.pid, after, BENCH_PROCS_MAX);
	bench_procs_print(after, na);
	bench_tncd_stop(&b->tncd);
	return failed_total;
}

int
main(int argc, char **argv)
{
	/* static: bench_tmpdir()'s cleanup uses it after main returns */
	static struct bench b = {.packages = 800, .tncd.bin = TNC_BIN_DIR};
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
			b.tncd.bin = optarg;
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
	bench_tmpdir(b.dir, sizeof(b.dir), "tnc-bench", &b.tncd);
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
	return failed ? 1 : 0;
}
