/* bench_attest - complete remote attestation sessions over PT-TLS against
 * a real tncd on loopback: tncclient with the attestation IMC (--tpm) on
 * one software TPM, the policy database enforcing TPM Remote Attestation.
 * Prints sessions/s (wall), the server's CPU time per session (tncd and all
 * its children, from /proc), tnc-imv-attest's and tnc-policy's shares of
 * it, the swtpm's CPU per session (the endpoint's, for scale), and whether
 * the server stays within the target of TARGET_MS per session.
 *
 * The endpoint is set up as tests/integration/test_attest_session.c sets
 * up its own: a swtpm (tests/tpm/swtpm-start --no-startup), the evidence
 * of one boot made by tnc-test-attest-evidence (tests/helpers/, built with
 * the tests) from tests/data/tpm-replay, replayed into the TPM's PCRs, and
 * an AIK; the database knows the product's files (every IMA entry's: each
 * session ends in allow), the device's AIK (trusted) and a TPMRA
 * enforcement for the default group.
 *
 *   bench_attest [-n SESSIONS] [-l LOG_LEVEL] [-B BIN_DIR]
 *
 * The N sessions run one at a time: one swtpm serves one endpoint.  It has
 * three slots for loaded objects and each session holds two (the AIK's
 * primary key and the AIK), so a second session at the same time fails its
 * TPM2_CreatePrimary or TPM2_Load (TPM_RC_OBJECT_MEMORY); and it executes
 * one command at a time, so quotes would queue anyway.  Sessions in
 * parallel need an swtpm (and a device) per client.
 *
 * Must run as root (tncd gives its children their uids).  The swtpm is
 * stopped and tncd ended when the bench exits, is interrupted or
 * terminated; tncd also when the bench is killed (PR_SET_PDEATHSIG), the
 * swtpm then not. */
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

#include "bench_procs.h"
#include "tpm_aik.h"
#include "tpm_conn.h"
#include "tpm_replay.h"

#define SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
#define EVIDENCE_HELPER "tnc-test-attest-evidence"
#define BIOS_LOG TNC_SOURCE_DIR "/tests/data/tpm-replay/binary_bios_measurements.bin"
#define IMA_LIST TNC_SOURCE_DIR "/tests/data/tpm-replay/sha1.log"
/* What the client's facts report, as tnc-policy names the product. */
#define PRODUCT "Debian GNU/Linux 12 x86_64"
#define TARGET_MS 7.0 /* server CPU per complete attestation session (issue 11) */

struct bench {
	const char *bin;
	char dir[64], conf[128], cert[160], facts[128], port[32], tpm_dir[128], tcti[128];
	char aik_dir[128], ima[128], keyid[2 * TPM_AIK_KEYID_SIZE + 1];
	pid_t tncd, swtpm;
	int log_level;
	unsigned ima_entries;
};

struct result {
	double sessions_per_s, server_ms, imv_ms, policy_ms, tpm_ms; /* CPU ms per session */
	int failed;
};

static struct bench b = {.bin = TNC_BIN_DIR};

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
	fprintf(stderr, "bench_attest: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void __attribute__((format(printf, 1, 2), noreturn))
fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("bench_attest: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

/* atexit: tncd and the swtpm end with the bench, the directory goes. */
static void
cleanup(void)
{
	char cmd[512];
	if (b.tncd > 0) {
		kill(b.tncd, SIGTERM);
		waitpid(b.tncd, NULL, 0);
		b.tncd = 0;
	}
	if (b.tpm_dir[0]) {
		snprintf(cmd, sizeof(cmd), "'%s' stop '%s'", SWTPM_START, b.tpm_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_attest: could not stop the swtpm in %s\n", b.tpm_dir);
		b.tpm_dir[0] = 0;
	}
	if (b.dir[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", b.dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_attest: could not remove %s\n", b.dir);
		b.dir[0] = 0;
	}
}

static void
on_signal(int sig)
{
	(void)sig;
	exit(1); /* runs cleanup() */
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

/* The first line cmd prints, into out; its exit code. */
static int
first_line(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		die("popen");
	out[0] = 0;
	if (!fgets(out, (int)size, p))
		out[0] = 0;
	out[strcspn(out, "\n")] = 0;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The swtpm with the boot and its IMA list replayed into its PCRs, and the
 * AIK (made in aik_dir) whose key id names the device. */
static void
start_endpoint(void)
{
	char cmd[1024], line[128], err[256];
	struct tpm *t;
	struct tpm_aik *aik;
	struct tpm_replay r;

	snprintf(b.tpm_dir, sizeof(b.tpm_dir), "%s/tpm", b.dir);
	snprintf(cmd, sizeof(cmd), "'%s' start '%s' --no-startup", SWTPM_START, b.tpm_dir);
	if (first_line(cmd, b.tcti, sizeof(b.tcti)) != 0)
		fail("%s failed", SWTPM_START);
	snprintf(cmd, sizeof(cmd), "%s/pid", b.tpm_dir);
	FILE *f = fopen(cmd, "r");
	if (!f || fscanf(f, "%d", &b.swtpm) != 1)
		fail("no swtpm pid in %s", cmd);
	fclose(f);

	snprintf(cmd, sizeof(cmd), "'%s/" EVIDENCE_HELPER "' boot '" BIOS_LOG "' '" IMA_LIST "' 0 "
	    "'%s'", b.bin, b.dir);
	if (first_line(cmd, line, sizeof(line)) != 0)
		fail("%s failed (built with the tests?)", EVIDENCE_HELPER);
	b.ima_entries = (unsigned)atoi(line);
	snprintf(b.ima, sizeof(b.ima), "%s/ima.bin", b.dir);
	snprintf(b.aik_dir, sizeof(b.aik_dir), "%s/aik", b.dir);
	if (mkdir(b.aik_dir, 0700))
		die(b.aik_dir);

	if (tpm_open(b.tcti, &t, err, sizeof(err)))
		fail("%s", err);
	FILE *in = fopen(BIOS_LOG, "rb");
	static uint8_t log[1 << 20];
	size_t len = in ? fread(log, 1, sizeof(log), in) : 0;
	if (!in || ferror(in) || !feof(in))
		fail("cannot read %s", BIOS_LOG);
	fclose(in);
	if (tpm_replay_boot(t, log, len, &r))
		fail("replaying the BIOS log: %s", tpm_error(t));
	in = fopen(b.ima, "rb");
	len = in ? fread(log, 1, sizeof(log), in) : 0;
	if (!in || ferror(in) || !feof(in))
		fail("cannot read %s", b.ima);
	fclose(in);
	if (tpm_replay_ima(t, log, len, &r))
		fail("replaying the IMA list: %s", tpm_error(t));
	if (tpm_aik_load(t, b.aik_dir, TPM_AIK_ECC_P256, &aik))
		fail("making the AIK: %s", tpm_error(t));
	for (size_t i = 0; i < TPM_AIK_KEYID_SIZE; i++)
		snprintf(b.keyid + 2 * i, 3, "%02x", tpm_aik_keyid(aik)[i]);
	tpm_aik_free(aik);
	tpm_close(t);
}

static void
start_server(void)
{
	char text[1024];
	snprintf(b.conf, sizeof(b.conf), "%s/tncd.conf", b.dir);
	snprintf(b.cert, sizeof(b.cert), "%s/state/ike/pt-tls-cert.pem", b.dir);
	snprintf(b.facts, sizeof(b.facts), "%s/client.facts", b.dir);
	/* below the ephemeral ports */
	snprintf(b.port, sizeof(b.port), "127.0.0.1:%d", 20000 + getpid() % 12000);
	snprintf(text, sizeof(text), "[daemon]\ncontrol_socket = %s/tncd.ctl\nstate_dir = %s/state\n"
	    "[log]\ndefault = %d\n[ike]\npt_tls_listen = %s\n", b.dir, b.dir, b.log_level, b.port);
	if (write_file(b.conf, text))
		die(b.conf);
	snprintf(text, sizeof(text), "product = Debian GNU/Linux\nversion = 12 x86_64\n"
	    "numeric_version = 12.0\nforwarding = 0\ndefault_password = 0\ndevice_id = %s\n"
	    "packages = /dev/null\npackages_count = 1\n", b.keyid);
	if (write_file(b.facts, text))
		die(b.facts);
	pid_t parent = getpid();
	b.tncd = fork();
	if (b.tncd < 0)
		die("fork");
	if (b.tncd == 0) {
		char log[128], tncd[512];
		/* a killed bench leaves no tncd behind */
		if (prctl(PR_SET_PDEATHSIG, SIGTERM) || getppid() != parent)
			_exit(127);
		snprintf(log, sizeof(log), "%s/tncd.log", b.dir);
		snprintf(tncd, sizeof(tncd), "%s/tncd", b.bin);
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		dup2(fd, 2);
		execl(tncd, "tncd", "--foreground", "--config", b.conf, (char *)NULL);
		_exit(127);
	}
}

/* tncadm on the server's database; its exit code (output in dir/tncadm.out). */
static int
adm(const char *args)
{
	char cmd[1024];
	snprintf(cmd, sizeof(cmd), "%s/tncadm --db %s/state/policy/tnc.db %s >%s/tncadm.out 2>&1",
	    b.bin, b.dir, args, b.dir);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static void
adm_must(const char *args)
{
	if (adm(args) != 0)
		fail("tncadm %s failed, see tncadm.out and tncd.log", args);
}

static void
tncd_died(void)
{
	b.tncd = 0;
	fail("tncd exited, see %s/tncd.log", b.dir);
}

/* The product (its one package, tncclient's pkg00001 1.0-1), the device
 * with its trusted AIK, the reference hashes of every file of the IMA list
 * and a TPMRA enforcement.  tnc-policy creates the database before its
 * READY, which the bench does not wait for, so the first change is tried
 * until the database takes it (about 20 s at most). */
static void
seed_database(void)
{
	char path[128], args[512];
	snprintf(path, sizeof(path), "%s/status", b.dir);
	if (write_file(path, "Package: pkg00001\nStatus: install ok installed\n"
	    "Version: 1.0-1\n\n"))
		die(path);
	for (int i = 0; adm("product add '" PRODUCT "'") != 0; i++) {
		if (i == 100)
			fail("tncadm product add failed, see %s/tncadm.out", b.dir);
		if (waitpid(b.tncd, NULL, WNOHANG) == b.tncd)
			tncd_died();
		usleep(200000);
	}
	snprintf(args, sizeof(args), "package import '" PRODUCT "' %s", path);
	adm_must(args);
	adm_must("policy add 'TPM Remote Attestation' --type TPMRA --fail isolate "
	    "--noresult no_access");
	adm_must("enforcement add 'TPM Remote Attestation' Default");
	snprintf(args, sizeof(args), "files import-ima '" PRODUCT "' '%s' --algo sha256", b.ima);
	adm_must(args);
	snprintf(args, sizeof(args), "device add %s --product '" PRODUCT "' --aik %s", b.keyid,
	    b.keyid);
	adm_must(args);
	snprintf(args, sizeof(args), "device aik %s --file '%s/aik.pem' --trust", b.keyid,
	    b.aik_dir);
	adm_must(args);
}

static pid_t
run_client(void)
{
	pid_t pid = fork();
	if (pid == 0) {
		char client[512];
		snprintf(client, sizeof(client), "%s/tncclient", b.bin);
		int fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		execl(client, "tncclient", "--server", b.port, "--ca", b.cert, "--facts", b.facts,
		    "--timeout", "60", "--tpm", b.tcti, "--aik-dir", b.aik_dir, "--bios-log",
		    BIOS_LOG, "--ima-list", b.ima, (char *)NULL);
		_exit(127);
	}
	return pid;
}

/* The server is ready when a session is allowed (every child it needs is
 * up, tnc-ike's certificate made); gives up after about 20 s. */
static void
wait_ready(void)
{
	for (int i = 0; i < 100; i++) {
		int st;
		pid_t client = run_client();
		if (client < 0)
			die("fork");
		pid_t pid = wait(&st);
		if (pid == b.tncd)
			tncd_died();
		if (pid == client && WIFEXITED(st) && WEXITSTATUS(st) == 0)
			return;
		usleep(200000);
	}
	fail("no session was allowed in 20 s, see %s/tncd.log", b.dir);
}

/* Runs n sessions one after the other; returns failures (any exit but 0,
 * allow). */
static int
run_sessions(int n, double *ret_s)
{
	int failed = 0;
	double t0 = now_s();
	for (int i = 0; i < n; i++) {
		int st;
		pid_t client = run_client(), pid;
		if (client < 0)
			die("fork");
		while ((pid = wait(&st)) != client) {
			if (pid < 0)
				die("wait");
			if (pid == b.tncd)
				tncd_died();
		}
		failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
	}
	*ret_s = now_s() - t0;
	return failed;
}

/* The swtpm's CPU time so far (ms). */
static double
tpm_cpu_ms(void)
{
	struct bench_proc p[BENCH_PROCS_MAX];
	return bench_procs_read(b.swtpm, p, 1) == 1 ? p[0].cpu_ms : 0;
}

static void
measure(int n, struct result *res)
{
	struct bench_proc before[BENCH_PROCS_MAX], after[BENCH_PROCS_MAX];
	double secs;
	int np = bench_procs_read(b.tncd, before, BENCH_PROCS_MAX);
	double tpm_before = tpm_cpu_ms();
	res->failed = run_sessions(n, &secs);
	int na = bench_procs_read(b.tncd, after, BENCH_PROCS_MAX);
	res->tpm_ms = (tpm_cpu_ms() - tpm_before) / n;
	res->sessions_per_s = n / secs;
	res->server_ms = (bench_procs_cpu_ms(after, na) - bench_procs_cpu_ms(before, np)) / n;
	res->imv_ms = (bench_procs_cpu_ms_of(after, na, "tnc-imv-attest") -
	    bench_procs_cpu_ms_of(before, np, "tnc-imv-attest")) / n;
	res->policy_ms = (bench_procs_cpu_ms_of(after, na, "tnc-policy") -
	    bench_procs_cpu_ms_of(before, np, "tnc-policy")) / n;
	printf("  sessions %4d  %7.2f sessions/s  %6.2f ms/session wall  server CPU %7.3f "
	    "ms/session  tnc-imv-attest %7.3f  tnc-policy %7.3f  swtpm %7.3f ms/session  "
	    "failed %d\n", n, res->sessions_per_s, 1e3 / res->sessions_per_s, res->server_ms,
	    res->imv_ms, res->policy_ms, res->tpm_ms, res->failed);
}

int
main(int argc, char **argv)
{
	int n = 50, opt;
	while ((opt = getopt(argc, argv, "n:l:B:")) != -1) {
		if (opt == 'n')
			n = atoi(optarg);
		else if (opt == 'l')
			b.log_level = atoi(optarg);
		else if (opt == 'B')
			b.bin = optarg;
		else {
			fprintf(stderr, "usage: bench_attest [-n SESSIONS] [-l LOG_LEVEL] [-B BIN_DIR]\n");
			return 2;
		}
	}
	if (n < 1 || b.log_level < 0 || b.log_level > 4) {
		fprintf(stderr, "bench_attest: -n must be positive, -l 0..4\n");
		return 2;
	}
	snprintf(b.dir, sizeof(b.dir), "/tmp/tnc-bench-attest-XXXXXX");
	if (!mkdtemp(b.dir))
		die("mkdtemp");
	chmod(b.dir, 0755); /* children's uids must reach their chroot below it */
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);
	setenv("TSS2_LOG", "all+none", 1); /* tncclient's libtss2 quiet */

	start_endpoint();
	start_server();
	seed_database();
	wait_ready();
	printf("tncd %s, log level %d; one swtpm (%s); evidence: %s (%u IMA entries, all known)\n",
	    b.port, b.log_level, b.tcti, BIOS_LOG, b.ima_entries);
	struct result r;
	measure(n, &r);
	struct bench_proc p[BENCH_PROCS_MAX];
	int np = bench_procs_read(b.tncd, p, BENCH_PROCS_MAX);
	printf("  %-16s %8s %12s %10s\n", "process", "pid", "peak RSS kB", "CPU ms");
	for (int i = 0; i < np; i++)
		printf("  %-16s %8d %12ld %10.1f\n", p[i].name, (int)p[i].pid, p[i].peak_kb,
		    p[i].cpu_ms);
	printf("target: server CPU <= %.0f ms per session: %s (%.3f ms)\n", TARGET_MS,
	    r.server_ms <= TARGET_MS ? "met" : "NOT met", r.server_ms);
	return r.failed ? 1 : 0;
}
