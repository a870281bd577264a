/* bench_evidence - what verifying one endpoint's attestation evidence
 * costs the IMV in CPU: seed-sized evidence (a crypto-agile BIOS event log
 * of 136 measurements with SHA-1 and SHA-256 banks and StartupLocality 3,
 * and an IMA list of 1732 ima-ng entries with SHA-256 template hashes, as
 * binary_runtime_measurements_sha256 gives them) replayed in process N
 * times: the event log into the SHA-256 bank, the boot aggregate checked
 * against it, every IMA template hash recomputed and PCR 10 replayed.  That
 * is about two SHA-256 per IMA entry, the floor for checking the list.
 * Prints evidence sets per second of CPU (this thread's CPU time: one
 * core, whatever else the machine runs; wall time beside it) and
 * microseconds per IMA entry; the target is at least 2000 sets per
 * second on one core.  Beside it the floor: the same list's two hashes per
 * entry and nothing else.  The quote (one signature check) and the file
 * look-ups in the policy database are not part of this figure.
 * argv[1]: N (default 2000).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "boot_aggregate.h"
#include "eventlog.h"
#include "ima.h"

#define BIOS_EVENTS 136
#define IMA_ENTRIES 1732
#define TARGET_SETS_PER_S 2000

struct buf {
	uint8_t *p;
	size_t len, cap;
};

/* Where each IMA entry's template hash and template data are in the list. */
static struct {
	size_t hash_at, data_at, data_len;
} entry_at[IMA_ENTRIES];
static unsigned nentries;

static void
put(struct buf *b, const void *p, size_t n)
{
	if (b->len + n > b->cap) {
		b->cap = 2 * (b->len + n);
		if (!(b->p = realloc(b->p, b->cap)))
			abort();
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
}

static void
put32(struct buf *b, uint32_t v)
{
	uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	put(b, le, 4);
}

static void
put16(struct buf *b, uint16_t v)
{
	uint8_t le[2] = {(uint8_t)v, (uint8_t)(v >> 8)};
	put(b, le, 2);
}

/* The figures are CPU time of this (single) thread: what one core spends,
 * whatever else the machine runs; wall time is printed beside it. */
static double
clock_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* A crypto-agile log: Spec ID header (SHA-1, SHA-256), StartupLocality 3,
 * then BIOS_EVENTS records over PCRs 0-9 and 14 whose event data sizes
 * vary like a firmware's (strings, device paths, variables). */
static void
make_eventlog(struct digest_ctx *d, struct buf *b)
{
	static const uint8_t zero[20];
	static const unsigned pcrs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 14};
	uint8_t data[1024], h1[20], h256[32];

	put32(b, 0), put32(b, EV_NO_ACTION), put(b, zero, 20), put32(b, 37);
	put(b, "Spec ID Event03", 16), put32(b, 0), put(b, "\x00\x02\x00\x02", 4), put32(b, 2);
	put16(b, 0x0004), put16(b, 20), put16(b, 0x000b), put16(b, 32), put(b, "", 1);
	put32(b, 0), put32(b, EV_NO_ACTION), put32(b, 2);
	put16(b, 0x0004), put(b, zero, 20), put16(b, 0x000b), put(b, zero, 20), put(b, zero, 12);
	put32(b, 17), put(b, "StartupLocality\0\3", 17);
	for (unsigned i = 0; i < BIOS_EVENTS; i++) {
		size_t n = 16 + (i * 37) % 700;
		memset(data, (int)i, n);
		digest_two(d, DIGEST_SHA1, data, n, NULL, 0, h1);
		digest_two(d, DIGEST_SHA256, data, n, NULL, 0, h256);
		put32(b, pcrs[i % (sizeof(pcrs) / sizeof(pcrs[0]))]), put32(b, 0x80000001 + i % 7);
		put32(b, 2), put16(b, 0x0004), put(b, h1, 20), put16(b, 0x000b), put(b, h256, 32);
		put32(b, (uint32_t)n), put(b, data, n);
	}
}

/* One ima-ng entry of binary_runtime_measurements_sha256. */
static void
ima_entry(struct digest_ctx *d, struct buf *b, const uint8_t file_hash[32], const char *path)
{
	uint8_t data[512], th[32];
	size_t n = 0, plen = strlen(path) + 1;
	uint32_t f1 = 7 + 1 + 32, f2 = (uint32_t)plen;

	memcpy(data + n, &f1, 4), n += 4; /* little-endian hosts only, like the lists */
	memcpy(data + n, "sha256:", 8), n += 8;
	memcpy(data + n, file_hash, 32), n += 32;
	memcpy(data + n, &f2, 4), n += 4;
	memcpy(data + n, path, plen), n += plen;
	digest_two(d, DIGEST_SHA256, data, n, NULL, 0, th);
	entry_at[nentries].hash_at = b->len + 4;
	put32(b, 10), put(b, th, 32), put32(b, 6), put(b, "ima-ng", 6), put32(b, (uint32_t)n);
	entry_at[nentries].data_at = b->len;
	entry_at[nentries++].data_len = n;
	put(b, data, n);
}

/* The floor of the IMA list's check: per entry its template data hashed
 * and PCR 10 extended with the logged hash into *pcrs, nothing parsed; CPU
 * us per set. */
static double
floor_us(struct digest_ctx *d, const struct buf *list, int sets, struct pcr_banks *pcrs)
{
	uint8_t h[32];
	double t0 = clock_us(CLOCK_THREAD_CPUTIME_ID);

	for (int n = 0; n < sets; n++) {
		pcr_banks_init(pcrs, DIGEST_BIT(DIGEST_SHA256));
		for (unsigned i = 0; i < nentries; i++) {
			digest_two(d, DIGEST_SHA256, list->p + entry_at[i].data_at, entry_at[i].data_len,
			    NULL, 0, h);
			pcr_banks_extend(pcrs, d, DIGEST_SHA256, 10, list->p + entry_at[i].hash_at);
		}
	}
	return (clock_us(CLOCK_THREAD_CPUTIME_ID) - t0) / sets;
}

/* boot_aggregate over the log's SHA-256 PCRs 0-9, then IMA_ENTRIES - 1 files. */
static void
make_ima(struct digest_ctx *d, const struct eventlog_summary *el, struct buf *b)
{
	static const char *const dirs[] = {"/usr/lib/x86_64-linux-gnu", "/usr/bin", "/usr/sbin",
	    "/usr/lib/systemd/system-generators", "/etc/console-setup", "/usr/share/initramfs-tools/scripts"};
	uint8_t h[32];
	char path[256];

	boot_aggregate_compute(d, &el->pcrs, DIGEST_SHA256, 9, h);
	ima_entry(d, b, h, "boot_aggregate");
	for (unsigned i = 1; i < IMA_ENTRIES; i++) {
		snprintf(path, sizeof(path), "%s/file-%04u%s", dirs[i % 6], i, i % 3 ? ".so.1" : "");
		digest_two(d, DIGEST_SHA256, path, strlen(path), NULL, 0, h);
		ima_entry(d, b, h, path);
	}
}

static int
count_entry(void *ctx, const struct ima_entry *e)
{
	*(uint32_t *)ctx += e->template_hash_ok;
	return 0;
}

static void
must(int rc, const struct attest_error *e, const char *what)
{
	if (rc) {
		fprintf(stderr, "bench_evidence: %s: %s\n", what, e->reason);
		exit(1);
	}
}

int
main(int argc, char **argv)
{
	int sets = argc > 1 ? atoi(argv[1]) : 2000;
	struct eventlog_summary *el = malloc(sizeof(*el));
	struct ima_summary *im = malloc(sizeof(*im));
	struct pcr_banks *floor_pcrs = malloc(sizeof(*floor_pcrs));
	struct buf log = {0}, list = {0};
	struct eventlog_limits lim;
	struct ima_options o;
	struct attest_error e;
	struct digest_ctx d;
	double w0, c0, t_el = 0, t_ima = 0, wall, cpu, t_floor;
	unsigned last;

	if (!el || !im || !floor_pcrs || sets <= 0)
		return 1;
	digest_ctx_init(&d);
	eventlog_limits_default(&lim);
	lim.banks = DIGEST_BIT(DIGEST_SHA256);
	ima_options_default(&o);
	make_eventlog(&d, &log);
	must(eventlog_replay(log.p, log.len, &lim, &d, NULL, NULL, el, &e), &e, "event log");
	make_ima(&d, el, &list);
	w0 = clock_us(CLOCK_MONOTONIC);
	c0 = clock_us(CLOCK_THREAD_CPUTIME_ID);
	for (int n = 0; n < sets; n++) {
		uint32_t ok = 0;
		double t1 = clock_us(CLOCK_THREAD_CPUTIME_ID), t2;

		must(eventlog_replay(log.p, log.len, &lim, &d, NULL, NULL, el, &e), &e, "event log");
		t2 = clock_us(CLOCK_THREAD_CPUTIME_ID);
		t_el += t2 - t1;
		must(ima_replay(list.p, list.len, &o, &d, count_entry, &ok, im, &e), &e, "IMA list");
		if (!im->has_boot_aggregate ||
		    boot_aggregate_match(&d, &el->pcrs, DIGEST_SHA256, im->boot_aggregate, &last) ||
		    ok != IMA_ENTRIES || el->extended != BIOS_EVENTS || el->startup_locality != 3) {
			fprintf(stderr, "bench_evidence: the evidence does not verify\n");
			return 1;
		}
		t_ima += clock_us(CLOCK_THREAD_CPUTIME_ID) - t2;
	}
	wall = clock_us(CLOCK_MONOTONIC) - w0;
	cpu = clock_us(CLOCK_THREAD_CPUTIME_ID) - c0;
	t_floor = floor_us(&d, &list, sets, floor_pcrs);
	if (memcmp(pcr_banks_get(floor_pcrs, DIGEST_SHA256, 10),
	    pcr_banks_get(&im->pcrs, DIGEST_SHA256, 10), 32)) {
		fprintf(stderr, "bench_evidence: the floor's PCR 10 is not the replay's\n");
		return 1;
	}
	printf("evidence: %u BIOS events (%zu bytes), %u IMA entries (%zu bytes), SHA-256 bank\n",
	    BIOS_EVENTS, log.len, IMA_ENTRIES, list.len);
	printf("%d evidence sets: %.0f ms of CPU on one core (%.0f ms wall)\n", sets, cpu / 1e3,
	    wall / 1e3);
	printf("evidence sets per second of CPU: %.0f (%.0f us per set)\n", sets * 1e6 / cpu,
	    cpu / sets);
	printf("BIOS event log replay: %.1f us per set, %.3f us per event\n", t_el / sets,
	    t_el / sets / BIOS_EVENTS);
	printf("IMA list (template hash + PCR 10 + boot aggregate): %.1f us per set, %.3f us per entry\n",
	    t_ima / sets, t_ima / sets / IMA_ENTRIES);
	printf("floor (the two hashes per IMA entry alone): %.1f us per set, %.3f us per entry; "
	    "the IMA list takes %.2f times that\n", t_floor, t_floor / IMA_ENTRIES,
	    t_ima / sets / t_floor);
	printf("target >= %d sets/s on one core: %s\n", TARGET_SETS_PER_S,
	    sets * 1e6 / cpu >= TARGET_SETS_PER_S ? "met" : "NOT met");
	digest_ctx_clear(&d);
	free(log.p);
	free(list.p);
	free(el);
	free(im);
	free(floor_pcrs);
	return 0;
}
