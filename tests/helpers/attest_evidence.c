/* attest_evidence.c - tnc-test-attest-evidence: evidence of one boot for the
 * attestation tests and bench_attest, made from real files.
 *
 *   tnc-test-attest-evidence boot|boot-signed BIOS_LOG IMA_LIST UNKNOWN DIR
 *   tnc-test-attest-evidence change IMA_LIST ENTRY OUT
 *
 * boot: the test data has no BIOS log and IMA list of the same boot, so
 * this makes the IMA list of BIOS_LOG's boot from IMA_LIST (a binary
 * ima-sig list with SHA-1 template hashes): its boot_aggregate entry's
 * digest replaced by the aggregate of the log's SHA-256 PCRs 0-9 (as
 * Linux >= 5.8 computes it) and that entry's template hash recomputed,
 * without the entries that carry a signature (strongSwan's evidence has the
 * template hash only, which a reference digest cannot rebuild without the
 * signature; boot-signed keeps them, for tncclient's signed-entry form)
 * and without measurements of a path measured before (a policy
 * database holds one reference per path).  Writes DIR/ima.bin and
 * DIR/ima-known.bin, the same without its last UNKNOWN entries (the files a
 * database is to know), and prints the number of entries of ima.bin.
 *
 * change: OUT is IMA_LIST with entry ENTRY's file digest changed (its first
 * octet flipped) and its template hash recomputed: a well-formed entry of a
 * file that differs from its reference. */
#include <stdbool.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_error.h"
#include "boot_aggregate.h"
#include "digest.h"
#include "eventlog.h"

#define NAME_MAX_LEN 256
#define ENTRIES_MAX 1024

struct list {
	uint8_t *p;
	size_t len;
};

/* One entry of a binary list with SHA-1 template hashes: PCR (4), template
 * hash (20), name length (4), name, data length (4), data. */
struct entry {
	size_t off, data, end; /* of the entry, its template data, the next entry */
	uint32_t data_len;
};

static void __attribute__((format(printf, 1, 2), noreturn))
fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("tnc-test-attest-evidence: ", stderr);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static struct list
read_file(const char *path)
{
	struct list l = {0};
	FILE *f = fopen(path, "rb");
	long size;
	if (!f || fseek(f, 0, SEEK_END) || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		fail("cannot read %s", path);
	l.len = (size_t)size;
	l.p = malloc(l.len ? l.len : 1);
	if (!l.p || fread(l.p, 1, l.len, f) != l.len)
		fail("cannot read %s", path);
	fclose(f);
	return l;
}

static void
write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f))
		fail("cannot write %s", path);
}

/* The entry at off; 0, or -1 when it runs past the end. */
static int
entry_at(const struct list *l, size_t off, struct entry *e)
{
	if (l->len - off < 28)
		return -1;
	uint32_t name_len = le32(l->p + off + 24);
	if (l->len - off - 28 < (size_t)name_len + 4)
		return -1;
	e->off = off;
	e->data = off + 28 + name_len + 4;
	e->data_len = le32(l->p + e->data - 4);
	if (l->len - e->data < e->data_len)
		return -1;
	e->end = e->data + e->data_len;
	return 0;
}

/* Entry i, or exit. */
static struct entry
entry_nth(const struct list *l, unsigned i, const char *what)
{
	struct entry e = {.end = 0};
	for (unsigned k = 0; k <= i; k++)
		if (e.end >= l->len || entry_at(l, e.end, &e))
			fail("%s: no such entry or an entry runs past the end", what);
	return e;
}

/* Rehashes e's template data into its SHA-1 template hash. */
static void
rehash(struct list *l, const struct entry *e, struct digest_ctx *d)
{
	digest_two(d, DIGEST_SHA1, l->p + e->data, e->data_len, NULL, 0, l->p + e->off + 4);
}

/* ima-sig template data: d-ng (u32 length, "alg:\0", digest), n-ng (u32
 * length, path), sig (u32 length, signature).  The path (NUL-terminated
 * in the list) and whether a signature follows; -1 when malformed. */
static int
ima_sig_fields(const struct list *l, const struct entry *e, const char **ret_name,
    bool *ret_signed)
{
	const uint8_t *p = l->p + e->data;
	size_t n = e->data_len;
	if (n < 4 || n - 4 < le32(p))
		return -1;
	size_t name = 4 + le32(p);
	if (n - name < 4 || n - name - 4 < le32(p + name))
		return -1;
	uint32_t name_len = le32(p + name);
	size_t sig = name + 4 + name_len;
	if (n - sig < 4 || n - sig - 4 != le32(p + sig) || !name_len || p[sig - 1] != 0)
		return -1;
	*ret_name = (const char *)p + name + 4;
	*ret_signed = le32(p + sig) != 0;
	return 0;
}

static int
make_boot(const char *bios_path, const char *ima_path, const char *unknown_arg, const char *dir,
    bool keep_signed)
{
	struct list bios = read_file(bios_path), ima = read_file(ima_path);
	struct eventlog_limits lim;
	struct eventlog_summary *s = malloc(sizeof(*s));
	struct attest_error ae;
	struct digest_ctx d;
	char path[4096];
	unsigned unknown = (unsigned)atoi(unknown_arg);

	if (!s)
		fail("out of memory");
	eventlog_limits_default(&lim);
	digest_ctx_init(&d);
	if (eventlog_replay(bios.p, bios.len, &lim, &d, NULL, NULL, s, &ae))
		fail("BIOS log: %s", ae.reason);
	/* entry 0 is boot_aggregate: d-ng = u32 length 40, "sha256:\0", digest */
	struct entry e = entry_nth(&ima, 0, ima_path);
	if (e.data_len < 44 || le32(ima.p + e.data) != 8 + 32 ||
	    memcmp(ima.p + e.data + 4, "sha256:", 8))
		fail("%s: entry 0 is not a SHA-256 boot_aggregate", ima_path);
	boot_aggregate_compute(&d, &s->pcrs, DIGEST_SHA256, 9, ima.p + e.data + 12);
	rehash(&ima, &e, &d);

	uint8_t *kept = malloc(ima.len ? ima.len : 1);
	char(*seen)[NAME_MAX_LEN] = calloc(ENTRIES_MAX, sizeof(*seen));
	size_t end = 0, known_end = 0, *ends = calloc(ENTRIES_MAX, sizeof(*ends));
	unsigned entries = 0;
	if (!kept || !seen || !ends)
		fail("out of memory");
	for (e.end = 0; e.end < ima.len;) {
		const char *name;
		bool is_signed, again = false;
		if (entry_at(&ima, e.end, &e) || ima_sig_fields(&ima, &e, &name, &is_signed))
			fail("%s: a malformed ima-sig entry", ima_path);
		for (unsigned k = 0; k < entries && !again; k++)
			again = !strcmp(seen[k], name);
		/* paths too long for seen are left out too */
		if ((is_signed && !keep_signed) || again || strlen(name) >= NAME_MAX_LEN)
			continue;
		if (entries == ENTRIES_MAX)
			fail("%s: too many entries", ima_path);
		snprintf(seen[entries], NAME_MAX_LEN, "%s", name);
		memcpy(kept + end, ima.p + e.off, e.end - e.off);
		end += e.end - e.off;
		ends[entries++] = end;
	}
	if (unknown >= entries)
		fail("UNKNOWN %s is not below the number of entries kept", unknown_arg);
	known_end = ends[entries - unknown - 1];
	snprintf(path, sizeof(path), "%s/ima.bin", dir);
	write_file(path, kept, end);
	snprintf(path, sizeof(path), "%s/ima-known.bin", dir);
	write_file(path, kept, known_end);
	printf("%u\n", entries);
	digest_ctx_clear(&d);
	free(bios.p);
	free(ima.p);
	free(kept);
	free(seen);
	free(ends);
	free(s);
	return 0;
}

static int
change_entry(const char *ima_path, const char *entry_arg, const char *out)
{
	struct list ima = read_file(ima_path);
	struct entry e = entry_nth(&ima, (unsigned)atoi(entry_arg), ima_path);
	struct digest_ctx d;
	const char *name;
	bool is_signed;

	if (ima_sig_fields(&ima, &e, &name, &is_signed) || le32(ima.p + e.data) < 2)
		fail("%s: the entry is not an ima-sig entry with a digest", ima_path);
	/* the file digest's first octet, after "alg:\0" */
	uint8_t *digest = memchr(ima.p + e.data + 4, 0, le32(ima.p + e.data));
	if (!digest || digest + 1 >= ima.p + e.data + 4 + le32(ima.p + e.data))
		fail("%s: the entry's digest has no algorithm prefix", ima_path);
	digest[1] ^= 0x01;
	digest_ctx_init(&d);
	rehash(&ima, &e, &d);
	digest_ctx_clear(&d);
	write_file(out, ima.p, ima.len);
	free(ima.p);
	return 0;
}

int
main(int argc, char **argv)
{
	if (argc == 6 && (!strcmp(argv[1], "boot") || !strcmp(argv[1], "boot-signed")))
		return make_boot(argv[2], argv[3], argv[4], argv[5], !strcmp(argv[1], "boot-signed"));
	if (argc == 5 && !strcmp(argv[1], "change"))
		return change_entry(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: tnc-test-attest-evidence boot|boot-signed BIOS_LOG IMA_LIST UNKNOWN "
	    "DIR\n"
	    "       tnc-test-attest-evidence change IMA_LIST ENTRY OUT\n");
	return 2;
}
