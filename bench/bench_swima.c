/* bench_swima - SWIMA assessments against a real tncd on loopback, for
 * endpoints of growing inventories: for each size N (installed packages of
 * a made-up dpkg status file) a new server with an empty SQLite database,
 * a SWIDT policy (require:bash) enforced on the default group, and two
 * sessions of one tncclient --swima:
 *   inventory  the first: the whole inventory of N Software Identifiers,
 *              then the SWID tags of IPC_SW_UNTAGGED_MAX (200) of those
 *              without one (bash has the warm-up's: 199 of them);
 *   events     after three new dpkg.log lines: only their events (four:
 *              an upgrade is two), then the next 200 untagged.
 * For each: wall ms, the server's CPU ms (tncd and all its children, from
 * /proc), tnc-imv-swima's and tnc-policy's shares, the octets of the
 * client's PB-TNC batches (tnc-tnccs logs them at level 1), the items the
 * IMV received (identifiers, events, tags: its log lines), and the database's
 * size before and after: page_count x page_size on a read-only connection,
 * i.e. the file after a checkpoint, whatever the WAL holds meanwhile.
 * After each size the server stops (its last connection checkpoints into
 * the file) and the file's size on disk is printed as a cross-check.
 *
 * A session of a tiny endpoint (another device) first tells that the
 * server is ready and warms it; it is not measured.
 *
 *   bench_swima [-s SIZES] [-l LOG_LEVEL] [-B BIN_DIR]
 *
 * SIZES is a comma-separated list (default 1000,5000,20000).  The log
 * level is 1 by default: the batch sizes and item counts come from the
 * log.  Must run as root (tncd gives its children their uids).  tncd ends
 * with the bench (exit, SIGINT/SIGTERM/SIGHUP, or killed: PR_SET_PDEATHSIG)
 * and the temporary directory goes. */
#include <errno.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bench_procs.h"
#include "bench_tncd.h"

#define SIZES_MAX 8
#define PACKAGES_MAX 100000 /* the client's SW_INVENTORY_MAX, the store's PS_SW_INVENTORY_MAX */
#define WARMUP_DEVICE "00000000000000aa"
#define CLIENT_TIMEOUT "300" /* tncclient --timeout, seconds */

struct bench {
	struct bench_tncd tncd; /* this size's server; its dir: sdir */
	char dir[64];  /* the bench's temporary directory */
	char sdir[96]; /* this size's: server state, logs, the endpoint's files */
	int log_level, port_base;
};

/* One measured session. */
struct session {
	double wall_ms, server_ms, imv_ms, policy_ms;
	long long db_before, db_after;   /* page_count x page_size */
	long long file_after;            /* the file and its -wal on disk */
	unsigned long batch_bytes;       /* the client's PB-TNC batches */
	unsigned long ids, events, tags; /* items the IMV received */
	int exit_code;                   /* tncclient's: 0 allow */
};

static struct bench b = {.tncd.bin = TNC_BIN_DIR, .log_level = 1};

/* The dpkg status file: bash, synth00001..synth<n-1>; after the dpkg run
 * of append_run() synth00001 is gone, synth00002 upgraded and vim there. */
static void
write_status(unsigned n, int after_run)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/endpoint.status", b.sdir);
	FILE *f = fopen(path, "w");
	if (!f)
		bench_die(path);
	fputs("Package: bash\nStatus: install ok installed\nArchitecture: amd64\n"
	    "Version: 5.2.15-2\n\n", f);
	if (after_run)
		fputs("Package: vim\nStatus: install ok installed\nArchitecture: amd64\n"
		    "Version: 2:9.0.1378-2\n\n", f);
	for (unsigned i = after_run ? 2 : 1; i < n; i++)
		fprintf(f, "Package: synth%05u\nStatus: install ok installed\nArchitecture: amd64\n"
		    "Version: 1.%u-%d\n\n", i, i, after_run && i == 2 ? 2 : 1);
	if (fclose(f))
		bench_die(path);
}

/* The endpoint's history before the first session: bash's installation. */
static void
write_log(void)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/dpkg.log", b.sdir);
	bench_write_file(path, "2026-11-02 08:01:14 startup archives unpack\n"
	    "2026-11-02 08:01:15 install bash:amd64 <none> 5.2.15-2\n"
	    "2026-11-02 08:01:15 status half-installed bash:amd64 5.2.15-2\n"
	    "2026-11-02 08:01:16 status installed bash:amd64 5.2.15-2\n");
}

/* dpkg installs vim, removes synth00001, upgrades synth00002. */
static void
append_run(unsigned n)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/dpkg.log", b.sdir);
	FILE *f = fopen(path, "a");
	if (!f || fputs("2026-12-01 10:00:00 install vim:amd64 <none> 2:9.0.1378-2\n"
	    "2026-12-01 10:00:01 remove synth00001:amd64 1.1-1 <none>\n"
	    "2026-12-01 10:00:02 upgrade synth00002:amd64 1.2-1 1.2-2\n", f) < 0 || fclose(f))
		bench_die(path);
	write_status(n, 1);
}

/* sdir/NAME.facts of device, with the OS IMC's one package (the fresh
 * database enforces PCKGS FWDEN PWDEN on the default group too). */
static void
write_facts(const char *name, const char *device)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/%s.facts", b.sdir, name);
	bench_facts_file(path, device, 1);
}

/* The product with the OS IMC's one package and the SWIDT policy. */
static void
seed_database(void)
{
	bench_tncd_seed_packages(&b.tncd, 1);
	bench_tncd_adm_must(&b.tncd, "policy add 'Software' --type SWIDT --argument 'require:bash' "
	    "--fail isolate");
	bench_tncd_adm_must(&b.tncd, "enforcement add 'Software' Default");
}

/* tncclient --swima for the endpoint whose facts, dpkg status and SWIMA
 * state are sdir/ENDPOINT.facts, .status and .swima-state (the dpkg log is
 * sdir/dpkg.log); output in sdir/ENDPOINT.out. */
static pid_t
run_client(void *endpoint)
{
	const char *name = endpoint;
	char facts[160], out[160], status[160], log[160], state[160];
	snprintf(facts, sizeof(facts), "%s/%s.facts", b.sdir, name);
	snprintf(out, sizeof(out), "%s/%s.out", b.sdir, name);
	snprintf(status, sizeof(status), "%s/%s.status", b.sdir, name);
	snprintf(log, sizeof(log), "%s/dpkg.log", b.sdir);
	snprintf(state, sizeof(state), "%s/%s.swima-state", b.sdir, name);
	const char *const args[] = {"--facts", facts, "--timeout", CLIENT_TIMEOUT, "--swima",
	    "--dpkg-status", status, "--dpkg-log", log, "--swima-state", state, NULL};
	return bench_tncd_client(&b.tncd, b.tncd.cert, out, args);
}

/* The server is ready when the warm-up endpoint (its own device, bash
 * alone) is allowed; gives up after about 20 s. */
static void
wait_ready(void)
{
	char path[160];
	snprintf(path, sizeof(path), "%s/warmup.status", b.sdir);
	bench_write_file(path, "Package: bash\nStatus: install ok installed\nArchitecture: amd64\n"
	    "Version: 5.2.15-2\n\n");
	write_facts("warmup", WARMUP_DEVICE);
	if (bench_tncd_wait_ready(&b.tncd, run_client, "warmup"))
		bench_fail("no session was allowed in 20 s, see %s and %s/warmup.out", b.tncd.log,
		    b.sdir);
}

/* The database's size as a checkpoint would leave the file. */
static long long
db_size(void)
{
	sqlite3 *db;
	sqlite3_stmt *q;
	long long size = -1;
	if (sqlite3_open_v2(b.tncd.db, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT page_count * page_size FROM pragma_page_count(), "
	    "pragma_page_size()", -1, &q, NULL) == SQLITE_OK) {
		if (sqlite3_step(q) == SQLITE_ROW)
			size = sqlite3_column_int64(q, 0);
		sqlite3_finalize(q);
	}
	if (size < 0)
		bench_fail("cannot read the size of %s: %s", b.tncd.db, sqlite3_errmsg(db));
	sqlite3_close(db);
	return size;
}

static long long
file_size(const char *path)
{
	struct stat s;
	return stat(path, &s) ? 0 : (long long)s.st_size;
}

/* The database file and its WAL on disk. */
static long long
db_files_size(void)
{
	char wal[sizeof(b.tncd.db) + 4];
	snprintf(wal, sizeof(wal), "%s-wal", b.tncd.db);
	return file_size(b.tncd.db) + file_size(wal);
}

/* The figure after `what` in a log line, 0 without. */
static unsigned long
after(const char *line, const char *what)
{
	const char *p = strstr(line, what);
	return p ? strtoul(p + strlen(what), NULL, 10) : 0;
}

/* This session's figures from what the server logged from offset on: its
 * Connection ID is the newest of the batches there (the last session's
 * closing batch may come after offset).  tnc-tnccs may log the closing
 * batch after the client exits: read again until the connection is
 * removed, for a second at most.  Returns -1 when it never was. */
static int
read_log(long offset, struct session *s)
{
	char line[2048];
	const char *batch = "received TNCCS batch (", *conn_id = " for Connection ID ";
	for (int tries = 0; tries < 20; tries++, usleep(50000)) {
		struct session got = *s;
		unsigned long conn = 0;
		int removed = 0;
		FILE *f = fopen(b.tncd.log, "r");
		if (!f || fseek(f, offset, SEEK_SET))
			bench_die(b.tncd.log);
		while (fgets(line, sizeof(line), f))
			if (strstr(line, batch) && after(line, conn_id) > conn)
				conn = after(line, conn_id);
		if (fseek(f, offset, SEEK_SET))
			bench_die(b.tncd.log);
		while (fgets(line, sizeof(line), f)) {
			if (strstr(line, batch) && after(line, conn_id) == conn)
				got.batch_bytes += after(line, batch);
			got.ids += after(line, "received software ID inventory with ");
			got.tags += after(line, "received software tag inventory with ");
			got.events += after(line, "received software ID events with ");
			removed |= conn && strstr(line, "removed TNCCS Connection ID ") &&
			    after(line, "removed TNCCS Connection ID ") == conn;
		}
		fclose(f);
		if (removed) {
			*s = got;
			return 0;
		}
	}
	return -1;
}

static void
measure(struct session *s)
{
	struct bench_proc before[BENCH_PROCS_MAX], after_[BENCH_PROCS_MAX];
	memset(s, 0, sizeof(*s));
	s->db_before = db_size();
	long offset = (long)file_size(b.tncd.log);
	int nb = bench_procs_read(b.tncd.pid, before, BENCH_PROCS_MAX);
	double t0 = bench_now_s();
	s->exit_code = bench_tncd_wait_client(&b.tncd, run_client("endpoint"));
	s->wall_ms = (bench_now_s() - t0) * 1e3;
	int na = bench_procs_read(b.tncd.pid, after_, BENCH_PROCS_MAX);
	s->server_ms = bench_procs_cpu_ms(after_, na) - bench_procs_cpu_ms(before, nb);
	s->imv_ms = bench_procs_find(after_, na, "tnc-imv-swima")->cpu_ms -
	    bench_procs_find(before, nb, "tnc-imv-swima")->cpu_ms;
	s->policy_ms = bench_procs_find(after_, na, "tnc-policy")->cpu_ms -
	    bench_procs_find(before, nb, "tnc-policy")->cpu_ms;
	s->db_after = db_size();
	s->file_after = db_files_size();
	if (read_log(offset, s))
		bench_fail("the server did not log the end of the session, see %s", b.tncd.log);
}

static void
print_header(void)
{
	printf("%6s %-9s %4s %9s %9s %9s %9s %10s %6s %6s %4s %10s %10s %9s %7s %10s\n",
	    "size", "session", "exit", "wall ms", "srv CPU", "imv-swima", "policy", "client B",
	    "ids", "events", "tags", "db before", "db after", "growth", "B/id",
	    "files after");
}

/* B/id: the growth per identifier of an inventory session (with its
 * tags); blank for the events session, whose growth is mostly tags. */
static void
print_session(unsigned n, const char *name, const struct session *s)
{
	char per_id[16] = "-";
	long long growth = s->db_after - s->db_before;
	if (s->ids)
		snprintf(per_id, sizeof(per_id), "%.1f", (double)growth / (double)s->ids);
	printf("%6u %-9s %4d %9.1f %9.1f %9.1f %9.1f %10lu %6lu %6lu %4lu %10lld %10lld %9lld "
	    "%7s %10lld\n", n, name, s->exit_code, s->wall_ms, s->server_ms, s->imv_ms,
	    s->policy_ms, s->batch_bytes, s->ids, s->events, s->tags, s->db_before, s->db_after,
	    growth, per_id, s->file_after);
	fflush(stdout);
}

/* Measures and prints one session of the endpoint; one that was not
 * allowed also gets the client's last words.  Returns 1 when it failed. */
static int
session(unsigned n, const char *name, struct session *s)
{
	char cmd[256];
	measure(s);
	print_session(n, name, s);
	if (s->exit_code == 0)
		return 0;
	fprintf(stderr, "bench_swima: the %s session of size %u ended with exit %d; tncclient "
	    "said:\n", name, n, s->exit_code);
	snprintf(cmd, sizeof(cmd), "tail -n 5 '%s/endpoint.out' >&2", b.sdir);
	if (system(cmd) != 0)
		fprintf(stderr, "bench_swima: cannot show %s/endpoint.out\n", b.sdir);
	return 1;
}

/* One size: a new server, the two sessions; returns the failed sessions. */
static int
run_size(int index, unsigned n)
{
	struct session s[2];
	struct bench_proc p[BENCH_PROCS_MAX];

	snprintf(b.sdir, sizeof(b.sdir), "%s/%u", b.dir, n);
	if (mkdir(b.sdir, 0755))
		bench_die(b.sdir);
	bench_tncd_start(&b.tncd, b.sdir, b.port_base + index, b.log_level, NULL, NULL);
	seed_database();
	write_log();
	wait_ready();
	write_status(n, 0);
	write_facts("endpoint", "0000000000000001");
	int failed = session(n, "inventory", &s[0]);
	append_run(n);
	failed += session(n, "events", &s[1]);

	int np = bench_procs_read(b.tncd.pid, p, BENCH_PROCS_MAX);
	printf("%6u peak RSS kB:", n);
	for (int i = 0; i < np; i++)
		printf(" %s %ld", p[i].name, p[i].peak_kb);
	int st = bench_tncd_stop(&b.tncd);
	/* the last connection gone, SQLite checkpointed the WAL into the file */
	printf("; tncd exit 0x%x; db file after stop %lld (WAL %s)", st, file_size(b.tncd.db),
	    db_files_size() == file_size(b.tncd.db) ? "gone" : "left");
	/* both sessions stored as many tags: the difference is the identifiers' */
	if (s[0].ids && s[0].tags == s[1].tags)
		printf("; identifiers net of the events session's growth: %.1f B each",
		    (double)((s[0].db_after - s[0].db_before) - (s[1].db_after - s[1].db_before)) /
		    (double)s[0].ids);
	printf("\n");
	fflush(stdout);
	return failed;
}

static void
print_loadavg(const char *when)
{
	char line[128] = "?";
	FILE *f = fopen("/proc/loadavg", "r");
	if (f) {
		if (!fgets(line, sizeof(line), f))
			snprintf(line, sizeof(line), "?\n");
		fclose(f);
	}
	printf("load average %s: %s", when, line);
}

/* "1000,5000,20000" into sizes; their count, 0 when malformed. */
static int
parse_sizes(const char *text, unsigned *sizes)
{
	int n = 0;
	for (const char *p = text; *p;) {
		char *end;
		errno = 0;
		unsigned long v = strtoul(p, &end, 10);
		if (end == p || errno || v < 2 || v > PACKAGES_MAX || n == SIZES_MAX ||
		    (*end && *end != ','))
			return 0;
		sizes[n++] = (unsigned)v;
		p = *end ? end + 1 : end;
	}
	return n;
}

int
main(int argc, char **argv)
{
	unsigned sizes[SIZES_MAX];
	int nsizes = parse_sizes("1000,5000,20000", sizes), opt;
	while ((opt = getopt(argc, argv, "s:l:B:")) != -1) {
		if (opt == 's')
			nsizes = parse_sizes(optarg, sizes);
		else if (opt == 'l')
			b.log_level = atoi(optarg);
		else if (opt == 'B')
			b.tncd.bin = optarg;
		else {
			fprintf(stderr, "usage: bench_swima [-s SIZES] [-l LOG_LEVEL] [-B BIN_DIR]\n");
			return 2;
		}
	}
	if (nsizes == 0 || b.log_level < 1 || b.log_level > 4) {
		fprintf(stderr, "bench_swima: -s takes up to %d sizes 2..%d separated by commas; "
		    "-l 1..4 (the figures come from level 1's lines)\n", SIZES_MAX,
		    PACKAGES_MAX);
		return 2;
	}
	bench_tmpdir(b.dir, sizeof(b.dir), "tnc-bench-swima", &b.tncd);
	/* a port of its own for each size's server: no wait for the last one's */
	b.port_base = bench_port_base();

	print_loadavg("before");
	printf("tncd log level %d; SQLite; a new server and database for each size; SWIDT "
	    "require:bash on the default group\n", b.log_level);
	print_header();
	int failed = 0;
	for (int i = 0; i < nsizes; i++)
		failed += run_size(i, sizes[i]);
	print_loadavg("after");
	return failed ? 1 : 0;
}
