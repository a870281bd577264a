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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench_procs.h"
#include "bench_tncd.h"
#include "tpm_aik.h"
#include "tpm_conn.h"
#include "tpm_replay.h"

#define SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
#define EVIDENCE_HELPER "tnc-test-attest-evidence"
#define BIOS_LOG TNC_SOURCE_DIR "/tests/data/tpm-replay/binary_bios_measurements.bin"
#define IMA_LIST TNC_SOURCE_DIR "/tests/data/tpm-replay/sha1.log"
#define TARGET_MS 7.0 /* server CPU per complete attestation session (issue 11) */

struct bench {
	struct bench_tncd tncd;
	char dir[64], facts[128], tpm_dir[128], tcti[128];
	char aik_dir[128], ima[128], keyid[2 * TPM_AIK_KEYID_SIZE + 1];
	pid_t swtpm;
	int log_level;
	unsigned ima_entries;
};

struct result {
	double sessions_per_s, server_ms, imv_ms, policy_ms, tpm_ms; /* CPU ms per session */
	int failed;
};

static struct bench b = {.tncd.bin = TNC_BIN_DIR};

/* atexit, before bench_tmpdir()'s: the swtpm ends with the bench. */
static void
stop_swtpm(void)
{
	char cmd[512];
	if (b.tpm_dir[0]) {
		snprintf(cmd, sizeof(cmd), "'%s' stop '%s'", SWTPM_START, b.tpm_dir);
		if (system(cmd) != 0)
			fprintf(stderr, "bench_attest: could not stop the swtpm in %s\n", b.tpm_dir);
		b.tpm_dir[0] = 0;
	}
}

/* The first line cmd prints, into out; its exit code. */
static int
first_line(const char *cmd, char *out, size_t size)
{
	FILE *p = popen(cmd, "r");
	if (!p)
		bench_die("popen");
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
		bench_fail("%s failed", SWTPM_START);
	snprintf(cmd, sizeof(cmd), "%s/pid", b.tpm_dir);
	FILE *f = fopen(cmd, "r");
	if (!f || fscanf(f, "%d", &b.swtpm) != 1)
		bench_fail("no swtpm pid in %s", cmd);
	fclose(f);

	snprintf(cmd, sizeof(cmd), "'%s/" EVIDENCE_HELPER "' boot '" BIOS_LOG "' '" IMA_LIST "' 0 "
	    "'%s'", b.tncd.bin, b.dir);
	if (first_line(cmd, line, sizeof(line)) != 0)
		bench_fail("%s failed (built with the tests?)", EVIDENCE_HELPER);
	b.ima_entries = (unsigned)atoi(line);
	snprintf(b.ima, sizeof(b.ima), "%s/ima.bin", b.dir);
	snprintf(b.aik_dir, sizeof(b.aik_dir), "%s/aik", b.dir);
	if (mkdir(b.aik_dir, 0700))
		bench_die(b.aik_dir);

	if (tpm_open(b.tcti, &t, err, sizeof(err)))
		bench_fail("%s", err);
	FILE *in = fopen(BIOS_LOG, "rb");
	static uint8_t log[1 << 20];
	size_t len = in ? fread(log, 1, sizeof(log), in) : 0;
	if (!in || ferror(in) || !feof(in))
		bench_fail("cannot read %s", BIOS_LOG);
	fclose(in);
	if (tpm_replay_boot(t, log, len, &r))
		bench_fail("replaying the BIOS log: %s", tpm_error(t));
	in = fopen(b.ima, "rb");
	len = in ? fread(log, 1, sizeof(log), in) : 0;
	if (!in || ferror(in) || !feof(in))
		bench_fail("cannot read %s", b.ima);
	fclose(in);
	if (tpm_replay_ima(t, log, len, &r))
		bench_fail("replaying the IMA list: %s", tpm_error(t));
	if (tpm_aik_load(t, b.aik_dir, TPM_AIK_ECC_P256, &aik))
		bench_fail("making the AIK: %s", tpm_error(t));
	for (size_t i = 0; i < TPM_AIK_KEYID_SIZE; i++)
		snprintf(b.keyid + 2 * i, 3, "%02x", tpm_aik_keyid(aik)[i]);
	tpm_aik_free(aik);
	tpm_close(t);
}

static void
start_server(void)
{
	snprintf(b.facts, sizeof(b.facts), "%s/client.facts", b.dir);
	bench_facts_file(b.facts, b.keyid, 1);
	bench_tncd_start(&b.tncd, b.dir, bench_port_base(), b.log_level, NULL, NULL);
}

/* The product (its one package, tncclient's pkg00001 1.0-1), the device
 * with its trusted AIK, the reference hashes of every file of the IMA list
 * and a TPMRA enforcement. */
static void
seed_database(void)
{
	char args[512];
	bench_tncd_seed_packages(&b.tncd, 1);
	bench_tncd_adm_must(&b.tncd, "policy add 'TPM Remote Attestation' --type TPMRA "
	    "--fail isolate --noresult no_access");
	bench_tncd_adm_must(&b.tncd, "enforcement add 'TPM Remote Attestation' Default");
	snprintf(args, sizeof(args), "files import-ima '" BENCH_PRODUCT "' '%s' --algo sha256",
	    b.ima);
	bench_tncd_adm_must(&b.tncd, args);
	snprintf(args, sizeof(args), "device add %s --product '" BENCH_PRODUCT "' --aik %s",
	    b.keyid, b.keyid);
	bench_tncd_adm_must(&b.tncd, args);
	snprintf(args, sizeof(args), "device aik %s --file '%s/aik.pem' --trust", b.keyid,
	    b.aik_dir);
	bench_tncd_adm_must(&b.tncd, args);
}

static pid_t
run_client(void *unused)
{
	(void)unused;
	const char *const args[] = {"--facts", b.facts, "--timeout", "60", "--tpm", b.tcti,
	    "--aik-dir", b.aik_dir, "--bios-log", BIOS_LOG, "--ima-list", b.ima, NULL};
	return bench_tncd_client(&b.tncd, b.tncd.cert, "/dev/null", args);
}

/* Runs n sessions one after the other; returns failures (any exit but 0,
 * allow). */
static int
run_sessions(int n, double *ret_s)
{
	int failed = 0;
	double t0 = bench_now_s();
	for (int i = 0; i < n; i++)
		failed += bench_tncd_wait_client(&b.tncd, run_client(NULL)) != 0;
	*ret_s = bench_now_s() - t0;
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
	int np = bench_procs_read(b.tncd.pid, before, BENCH_PROCS_MAX);
	double tpm_before = tpm_cpu_ms();
	res->failed = run_sessions(n, &secs);
	int na = bench_procs_read(b.tncd.pid, after, BENCH_PROCS_MAX);
	res->tpm_ms = (tpm_cpu_ms() - tpm_before) / n;
	res->sessions_per_s = n / secs;
	res->server_ms = (bench_procs_cpu_ms(after, na) - bench_procs_cpu_ms(before, np)) / n;
	res->imv_ms = (bench_procs_find(after, na, "tnc-imv-attest")->cpu_ms -
	    bench_procs_find(before, np, "tnc-imv-attest")->cpu_ms) / n;
	res->policy_ms = (bench_procs_find(after, na, "tnc-policy")->cpu_ms -
	    bench_procs_find(before, np, "tnc-policy")->cpu_ms) / n;
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
			b.tncd.bin = optarg;
		else {
			fprintf(stderr, "usage: bench_attest [-n SESSIONS] [-l LOG_LEVEL] [-B BIN_DIR]\n");
			return 2;
		}
	}
	if (n < 1 || b.log_level < 0 || b.log_level > 4) {
		fprintf(stderr, "bench_attest: -n must be positive, -l 0..4\n");
		return 2;
	}
	bench_tmpdir(b.dir, sizeof(b.dir), "tnc-bench-attest", &b.tncd);
	atexit(stop_swtpm);
	setenv("TSS2_LOG", "all+none", 1); /* tncclient's libtss2 quiet */

	start_endpoint();
	start_server();
	seed_database();
	if (bench_tncd_wait_ready(&b.tncd, run_client, NULL))
		bench_fail("no session was allowed in 20 s, see %s", b.tncd.log);
	printf("tncd %s, log level %d; one swtpm (%s); evidence: %s (%u IMA entries, all known)\n",
	    b.tncd.port, b.log_level, b.tcti, BIOS_LOG, b.ima_entries);
	struct result r;
	measure(n, &r);
	struct bench_proc p[BENCH_PROCS_MAX];
	int np = bench_procs_read(b.tncd.pid, p, BENCH_PROCS_MAX);
	bench_procs_print(p, np);
	printf("target: server CPU <= %.0f ms per session: %s (%.3f ms)\n", TARGET_MS,
	    r.server_ms <= TARGET_MS ? "met" : "NOT met", r.server_ms);
	return r.failed ? 1 : 0;
}
