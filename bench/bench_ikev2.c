/* bench_ikev2 - complete IKEv2 sessions against a real tncd on loopback:
 * IKE_SA_INIT, IKE_AUTH with EAP-TTLS (EAP-Identity, EAP-MD5, EAP-TNC with
 * the OS IMC's PB-TNC batches judged by the OS IMV from the policy
 * database), the MSK-keyed AUTH and the CHILD_SA of rw-allow, then the
 * INFORMATIONAL DELETE.  First one session at a time, then C at a time.
 * Prints sessions/s, the server's CPU time per session (tncd and all its
 * children, from /proc), tnc-ike's share of it, and the IKE_AUTH round
 * trips per session (targets: 5 ms of server CPU, 20 round trips).
 *
 * The client side runs in-process: C worker processes forked from the
 * bench, each running its sessions one after the other with tncclient's
 * own code (ike_mode_run(): ike_initiator, eap_peer, the PB-TNC client
 * and the OS IMC), without exec'ing tncclient; their CPU is not the
 * server's.  The kernel gets no SAs (ikev2_kernel = none).
 *
 *   bench_ikev2 [-n SESSIONS] [-c CONCURRENCY] [-p PACKAGES] [-l LOG_LEVEL]
 *               [-f IKEV2_FRAGMENT_SIZE] [-e EAP_FRAGMENT_SIZE] [-s | -S]
 *
 * -s adds the SWIMA IMC (its inventory: the PACKAGES of the endpoint)
 * under a SWIDT policy on the default group, each session a new device
 * (its device_id), so that each sends its full inventory: the OS + SWIMA
 * evidence strongSwan needs 118 IKE_AUTH round trips for.  -S is -s with
 * returning devices: each worker is one device, whose first session sends
 * the inventory and the others only the events since the last one (none).
 * -f and -e set both sides' (tnc-ike's ikev2_fragment_size and
 * eap_fragment_size, the client's); by default each side's default.  Must
 * run as root (tncd gives its children their uids). */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_procs.h"
#include "bench_tncd.h"
#include "deadline.h"
#include "facts_file.h"
#include "ike_mode.h"
#include "imc_swima.h"
#include "log.h"
#include "os_facts.h"

#define IDENTITY "carol@strongswan.org"
#define SECRET "carol-secret"
#define SESSION_TIMEOUT_MS 60000

struct bench {
	struct bench_tncd tncd;
	char dir[64], facts[128], secret[128], secrets[128];
	int packages, log_level, ike_port;
	unsigned ike_fragment, eap_fragment; /* 0: the defaults */
	int swima;
	bool returning; /* -S: one device per worker, not one per session */
	char status[128], swima_state[128]; /* the SWIMA IMC's dpkg status and state */
	struct os_facts f;
};

/* What a worker reports through its pipe. */
struct worker_result {
	int ok, failed;
	unsigned long round_trips; /* summed over the sessions that passed */
};

static void
discard_log(const struct log_event *e, void *ctx)
{
	(void)e;
	(void)ctx;
}

/* One in-process session: 0 when it was allowed; its round trips. */
static int
session(struct bench *b, unsigned *round_trips)
{
	static unsigned serial;
	struct imc_swima_config scfg;
	struct imc_swima *swima = NULL;
	if (b->swima) {
		/* a new device (a full inventory), or the worker's own again */
		snprintf(b->f.device_id, sizeof(b->f.device_id), "bench-%d-%u", (int)getpid(),
		    b->returning ? 0 : serial++);
		const struct sw_source src = {SW_SOURCE_DPKG, b->status, {{NULL, NULL},
		    b->swima_state}, {NULL, NULL}};
		imc_swima_config_init(&scfg, &b->f, &src);
		swima = imc_swima_new(&scfg);
	}
	struct ike_mode_options o = {
		.host = "127.0.0.1", .port = (uint16_t)b->ike_port,
		.natt_port = (uint16_t)(b->ike_port + 1), .ca = b->tncd.cert,
		.identity = IDENTITY, .secret_file = b->secret,
		.ike_fragment_size = b->ike_fragment ? b->ike_fragment : IKE_MODE_FRAGMENT_SIZE,
		.eap_fragment_size = b->eap_fragment ? b->eap_fragment : IKE_MODE_EAP_FRAGMENT_SIZE,
		.request_vip = true, .quiet = true,
	};
	deadline_set(SESSION_TIMEOUT_MS);
	int rc = ike_mode_run(&o, &b->f, NULL, swima, round_trips);
	imc_swima_free(swima);
	return rc;
}

/* A worker: n sessions one after the other, its result into fd. */
static void __attribute__((noreturn))
worker(struct bench *b, int n, int fd)
{
	struct worker_result r = {0};
	snprintf(b->swima_state, sizeof(b->swima_state), "%s/swima-state-%d", b->dir,
	    (int)getpid());
	for (int i = 0; i < n; i++) {
		unsigned rt = 0;
		if (session(b, &rt) == 0) {
			r.ok++;
			r.round_trips += rt;
		} else {
			r.failed++;
		}
	}
	_exit(write(fd, &r, sizeof(r)) == (ssize_t)sizeof(r) ? 0 : 1);
}

/* n sessions over c workers; the sum of their results, the wall time. */
static struct worker_result
run_phase(struct bench *b, int n, int c, double *ret_s)
{
	struct worker_result sum = {0};
	int fds[2];
	if (pipe(fds) != 0)
		bench_die("pipe");
	double t0 = bench_now_s();
	for (int w = 0; w < c; w++) {
		int share = n / c + (w < n % c);
		pid_t pid = fork();
		if (pid < 0)
			bench_die("fork");
		if (pid == 0) {
			close(fds[0]);
			worker(b, share, fds[1]);
		}
	}
	close(fds[1]);
	for (int w = 0; w < c; w++) {
		int st;
		pid_t pid = wait(&st);
		if (pid < 0)
			bench_die("wait");
		if (pid == b->tncd.pid)
			bench_tncd_died(&b->tncd);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			bench_fail("a worker failed (status %d)", st);
	}
	*ret_s = bench_now_s() - t0;
	struct worker_result r;
	while (read(fds[0], &r, sizeof(r)) == (ssize_t)sizeof(r)) {
		sum.ok += r.ok;
		sum.failed += r.failed;
		sum.round_trips += r.round_trips;
	}
	close(fds[0]);
	return sum;
}

static void
start_server(struct bench *b)
{
	char more[1024];

	snprintf(b->secrets, sizeof(b->secrets), "%s/eap-secrets", b->dir);
	bench_write_file(b->secrets, IDENTITY " : \"" SECRET "\"\n");
	snprintf(b->secret, sizeof(b->secret), "%s/client-secret", b->dir);
	bench_write_file(b->secret, SECRET "\n");
	if (chmod(b->secrets, 0600) || chmod(b->secret, 0600))
		bench_die("chmod");
	b->ike_port = bench_port_base() + 10;
	int len = snprintf(more, sizeof(more), "ikev2 = yes\nikev2_port = %d\n"
	    "ikev2_natt_port = %d\neap_secrets = %s\nrw_allow_pool = 10.3.0.0/16\n"
	    "ikev2_kernel = none\n", b->ike_port, b->ike_port + 1, b->secrets);
	if (b->ike_fragment)
		len += snprintf(more + len, sizeof(more) - (size_t)len, "ikev2_fragment_size = %u\n",
		    b->ike_fragment);
	if (b->eap_fragment)
		len += snprintf(more + len, sizeof(more) - (size_t)len, "eap_fragment_size = %u\n",
		    b->eap_fragment);
	snprintf(more + len, sizeof(more) - (size_t)len, "[xfrm]\nenabled = no\n");
	bench_tncd_start(&b->tncd, b->dir, bench_port_base(), b->log_level, more, NULL);
	bench_tncd_seed_packages(&b->tncd, b->packages);
	snprintf(b->status, sizeof(b->status), "%s/packages.status", b->dir);
	snprintf(b->swima_state, sizeof(b->swima_state), "%s/swima-state", b->dir);
	if (b->swima) {
		bench_tncd_adm_must(&b->tncd, "policy add Software --type SWIDT --argument "
		    "require:pkg00001 --fail isolate");
		bench_tncd_adm_must(&b->tncd, "enforcement add Software Default");
	}
	/* tnc-ike makes its certificate (the EAP-TTLS server's) when it starts */
	for (int i = 0; i < 200; i++) {
		unsigned rt;
		if (access(b->tncd.cert, R_OK) == 0 && session(b, &rt) == 0)
			return;
		usleep(100000);
	}
	bench_fail("no IKEv2 session passed in 20 s, see %s", b->tncd.log);
}

static void
print_phase(const char *label, int n, int c, const struct worker_result *r, double secs,
    double server_ms, double ike_ms)
{
	printf("  %-10s sessions %5d  concurrency %3d  %8.1f sessions/s  server CPU %6.3f "
	    "ms/session  tnc-ike %6.3f ms/session  IKE_AUTH round trips %5.1f/session  "
	    "failed %d\n", label, n, c, n / secs, server_ms, ike_ms,
	    r->ok ? (double)r->round_trips / r->ok : 0.0, r->failed);
}

int
main(int argc, char **argv)
{
	/* static: bench_tmpdir()'s cleanup uses it after main returns */
	static struct bench b = {.packages = 800, .tncd.bin = TNC_BIN_DIR};
	int n = 200, c = 8, opt;
	while ((opt = getopt(argc, argv, "n:c:p:l:f:e:sS")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'c')
			c = atoi(optarg);
		else if (opt == 'p')
			b.packages = atoi(optarg);
		else if (opt == 'l')
			b.log_level = atoi(optarg);
		else if (opt == 'f')
			b.ike_fragment = (unsigned)atoi(optarg);
		else if (opt == 'e')
			b.eap_fragment = (unsigned)atoi(optarg);
		else if (opt == 's' || opt == 'S') {
			b.swima = 1;
			b.returning = opt == 'S';
		}
		else {
			fprintf(stderr, "usage: bench_ikev2 [-n SESSIONS] [-c CONCURRENCY] "
			    "[-p PACKAGES] [-l LOG_LEVEL] [-f IKEV2_FRAGMENT_SIZE] "
			    "[-e EAP_FRAGMENT_SIZE] [-s | -S]\n");
			return 2;
		}
	}
	if (n < 1 || c < 1 || c > n || b.packages < 1 || b.log_level < 0 || b.log_level > 4 ||
	    (b.ike_fragment && (b.ike_fragment < 576 || b.ike_fragment > 65000)) ||
	    (b.eap_fragment && (b.eap_fragment < 64 || b.eap_fragment > 60000))) {
		fprintf(stderr, "bench_ikev2: -n, -c (at most -n) and -p positive, -l 0..4, "
		    "-f 576..65000, -e 64..60000\n");
		return 2;
	}
	log_set_output(discard_log, NULL);
	log_set_all_levels(0);
	bench_tmpdir(b.dir, sizeof(b.dir), "tnc-bench-ikev2", &b.tncd);
	snprintf(b.facts, sizeof(b.facts), "%s/client.facts", b.dir);
	bench_facts_file(b.facts, "0123456789abcdef", b.packages);
	char err[512];
	os_facts_init(&b.f);
	os_facts_collect(&b.f, &os_facts_system);
	if (facts_file_load(b.facts, &b.f, err, sizeof(err)) != 0 ||
	    os_facts_load_packages(&b.f) != 0)
		bench_fail("the facts: %s", err);
	start_server(&b);
	printf("tncd %s, IKEv2 on port %d, %d packages per endpoint%s, log level %d, "
	    "ikev2_fragment_size %u, eap_fragment_size %u; clients in-process (forked workers)\n",
	    b.tncd.port, b.ike_port, b.packages, b.swima ? b.returning ?
	    " (OS and SWIMA IMCs, one returning device per worker)" : " (OS and SWIMA IMCs, a new "
	    "device each session)" : "",
	    b.log_level,
	    b.ike_fragment ? b.ike_fragment : IKE_MODE_FRAGMENT_SIZE,
	    b.eap_fragment ? b.eap_fragment : IKE_MODE_EAP_FRAGMENT_SIZE);
	int failed = 0;
	for (int phase = 0; phase < 2; phase++) {
		struct bench_proc before[BENCH_PROCS_MAX], after[BENCH_PROCS_MAX];
		int conc = phase == 0 ? 1 : c;
		double secs;
		int np = bench_procs_read(b.tncd.pid, before, BENCH_PROCS_MAX);
		struct worker_result r = run_phase(&b, n, conc, &secs);
		int na = bench_procs_read(b.tncd.pid, after, BENCH_PROCS_MAX);
		double server = (bench_procs_cpu_ms(after, na) - bench_procs_cpu_ms(before, np)) / n;
		double ike = (bench_procs_find(after, na, "tnc-ike")->cpu_ms -
		    bench_procs_find(before, np, "tnc-ike")->cpu_ms) / n;
		print_phase(phase == 0 ? "sequential" : "concurrent", n, conc, &r, secs, server, ike);
		failed += r.failed;
	}
	struct bench_proc procs[BENCH_PROCS_MAX];
	int np = bench_procs_read(b.tncd.pid, procs, BENCH_PROCS_MAX);
	bench_procs_print(procs, np);
	bench_tncd_stop(&b.tncd);
	os_facts_clear(&b.f);
	return failed ? 1 : 0;
}
