/* verify_ima.c - tncverify ima FILE [options]: replays an IMA measurement
 * list and prints what it finds: template hashes checked, violations, the
 * boot aggregate (checked against an event log with --eventlog), PCR 10
 * (every PCR the list extends) per bank, ima-sig signatures (with --key),
 * ima-buf digests, and with --db every file looked up in the reference
 * hashes of a product, counted as the seeds count them: "processed N IMA
 * file evidence measurements: a ok, b unknown, c differ, d failed".
 *
 * Summary lines come first and use the keys of the test data's .expected
 * files; per-entry lines (signatures, buffers, mismatches, files that are
 * not ok, or every file with --all) follow.  The entry named
 * boot_aggregate is not a file and is not looked up.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_aggregate.h"
#include "eventlog.h"
#include "ima.h"
#include "verify.h"
#include "verify_refdb.h"

#define USAGE                                                                                    \
	"usage: tncverify ima FILE [--eventlog FILE] [--key PEM]... [--bank ALG]...\n"               \
	"           [--template-hash ALG] [--all] [--db DB [--db-password-file F] --product P]\n"

enum file_result { FILE_OK, FILE_UNKNOWN, FILE_DIFFER, FILE_FAILED, FILE_RESULTS };
static const char *const file_result_names[FILE_RESULTS] = {"ok", "unknown", "differ", "failed"};

struct args {
	const char *path, *eventlog, *db, *password_file, *product;
	const char *keys[IMA_KEYS_MAX];
	size_t nkeys;
	unsigned banks;
	int template_hash_alg;
	bool all, json;
};

struct run {
	const struct args *a;
	struct refdb *refs;
	FILE *details;   /* text: per-entry lines, printed after the summary */
	json_t *entries; /* json: per-entry objects */
	uint32_t files[FILE_RESULTS];
	bool seen_boot_aggregate;
};

/* An option with a value: 0 and a->... set, or -1. */
static int
option(struct args *a, const char *o, const char *v)
{
	enum digest_alg alg;

	if (strcmp(o, "--eventlog") == 0)
		a->eventlog = v;
	else if (strcmp(o, "--db") == 0)
		a->db = v;
	else if (strcmp(o, "--db-password-file") == 0)
		a->password_file = v;
	else if (strcmp(o, "--product") == 0)
		a->product = v;
	else if (strcmp(o, "--key") == 0 && a->nkeys < IMA_KEYS_MAX)
		a->keys[a->nkeys++] = v;
	else if (strcmp(o, "--bank") == 0 && digest_from_name(v, strlen(v), &alg) == 0)
		a->banks |= DIGEST_BIT(alg);
	else if (strcmp(o, "--template-hash") == 0 && digest_from_name(v, strlen(v), &alg) == 0)
		a->template_hash_alg = (int)alg;
	else
		return -1;
	return 0;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--all") == 0)
			a->all = true;
		else if (argv[i][0] != '-' && !a->path)
			a->path = argv[i];
		else if (i + 1 == argc || option(a, argv[i], argv[i + 1]))
			return -1;
		else
			i++;
	}
	return a->path && (!a->db) == (!a->product) ? 0 : -1;
}

static void
hex_of(struct bytes b, char *out, size_t cap)
{
	if (2 * b.len + 1 > cap)
		b.len = (cap - 1) / 2;
	verify_hex(b.ptr, b.len, out);
}

/* "label:valid", "no-key-with-this-keyid", "MALFORMED(why)". */
static void
sig_text(const struct ima_sig_result *r, char *out, size_t len)
{
	const char *name = ima_sig_status_name(r->status);

	if (r->status == IMA_SIG_VALID || (r->status == IMA_SIG_INVALID && r->key_label))
		snprintf(out, len, "%s:%s", r->key_label, name);
	else if (r->reason[0])
		snprintf(out, len, "%s(%s)", name, r->reason);
	else
		snprintf(out, len, "%s", name);
}

static void
detail_sig(struct run *r, const struct ima_entry *e)
{
	const struct ima_sig_result *s = &e->sig_result;
	char text[256];

	sig_text(s, text, sizeof(text));
	if (r->entries) {
		json_array_append_new(r->entries,
		    json_pack("{s:s,s:I,s:s%,s:o,s:I,s:s}", "kind", "signature", "entry",
		        (json_int_t)e->index, "path", (const char *)e->path.ptr, e->path.len, "keyid",
		        json_sprintf("%08x", s->keyid), "siglen", (json_int_t)s->sig_len, "result", text));
		return;
	}
	fprintf(r->details, "sig entry=%u path=%.*s keyid=%08x hash=%s siglen=%u -> %s\n", e->index,
	    (int)e->path.len, (const char *)e->path.ptr, s->keyid,
	    s->hash >= 0 ? digest_name((enum digest_alg)s->hash) : "?", s->sig_len, text);
}

static void
detail_buf(struct run *r, const struct ima_entry *e)
{
	if (r->entries)
		json_array_append_new(r->entries,
		    json_pack("{s:s,s:I,s:s%,s:I,s:b}", "kind", "buffer", "entry", (json_int_t)e->index,
		        "name", (const char *)e->path.ptr, e->path.len, "buf_len", (json_int_t)e->buf.len,
		        "digest_of_buf_ok", e->buf_digest_ok));
	else
		fprintf(r->details, "ima_buf entry=%u name=%.*s buf_len=%zu digest_of_buf_ok=%s\n",
		    e->index, (int)e->path.len, (const char *)e->path.ptr, e->buf.len,
		    e->buf_digest_ok ? "true" : "false");
}

/* Why an entry fails whatever the database says, or NULL. */
static const char *
entry_failure(const struct ima_entry *e)
{
	if (e->violation)
		return "violation: measured while open for writing, or time of measure/time of use";
	if (!e->template_hash_ok)
		return "template hash does not match the entry";
	if (e->sig_result.status == IMA_SIG_INVALID || e->sig_result.status == IMA_SIG_MALFORMED)
		return "invalid signature";
	if (e->buf.len && !e->buf_digest_ok)
		return "digest is not the buffer's hash";
	if (e->file_hash_digest < 0)
		return "no file hash of a known algorithm";
	return NULL;
}

static void
detail_file(struct run *r, const struct ima_entry *e)
{
	const char *why = entry_failure(e);
	enum file_result res = FILE_FAILED;
	char hex[2 * DIGEST_MAX + 1] = "";

	hex_of(e->file_hash, hex, sizeof(hex));
	if (!why) {
		enum refdb_result l = refdb_lookup(r->refs, e->path, e->file_hash_alg, hex);
		res = l == REFDB_OK ? FILE_OK : l == REFDB_DIFFER ? FILE_DIFFER : FILE_UNKNOWN;
		why = l == REFDB_OK      ? ""
		      : l == REFDB_DIFFER ? "differs from the reference hashes"
		                          : "not found in the reference hashes";
	}
	r->files[res]++;
	if (res == FILE_OK && !r->a->all)
		return;
	if (r->entries)
		json_array_append_new(r->entries,
		    json_pack("{s:s,s:I,s:s%,s:s%,s:s,s:s,s:s}", "kind", "file", "entry",
		        (json_int_t)e->index, "path", (const char *)e->path.ptr, e->path.len, "algorithm",
		        (const char *)e->file_hash_alg.ptr, e->file_hash_alg.len, "hash", hex, "result",
		        file_result_names[res], "reason", why));
	else
		fprintf(r->details, "file %s entry=%u %.*s:%s %.*s%s%s\n", file_result_names[res],
		    e->index, (int)e->file_hash_alg.len, (const char *)e->file_hash_alg.ptr, hex,
		    (int)e->path.len, (const char *)e->path.ptr, why[0] ? ": " : "", why);
}

static int
on_entry(void *ctx, const struct ima_entry *e)
{
	struct run *r = ctx;

	if (e->sig.len)
		detail_sig(r, e);
	if (e->buf.len)
		detail_buf(r, e);
	if (!e->violation && !e->template_hash_ok && !r->entries)
		fprintf(r->details, "mismatch entry=%u path=%.*s\n", e->index, (int)e->path.len,
		    (const char *)e->path.ptr);
	if (!r->seen_boot_aggregate && bytes_eq_str(e->path, "boot_aggregate")) {
		r->seen_boot_aggregate = true; /* not a file */
		return 0;
	}
	if (r->refs)
		detail_file(r, e);
	return 0;
}

static void
index_list(const uint32_t *idx, uint32_t n, char *out, size_t len)
{
	size_t at = 0;

	if (n == 0) {
		snprintf(out, len, "none");
		return;
	}
	out[0] = '\0';
	for (uint32_t i = 0; i < n && i < IMA_INDEXES_MAX && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%u", i ? " " : "", idx[i]);
	if (n > IMA_INDEXES_MAX && at < len)
		snprintf(out + at, len - at, " (and %u more)", n - IMA_INDEXES_MAX);
}


/* The boot aggregate entry against the PCRs of the event log's replay. */
static bool
check_boot_aggregate(const struct ima_summary *s, const struct eventlog_summary *el,
    struct digest_ctx *d, char *text, size_t len)
{
	enum digest_alg a = (enum digest_alg)s->boot_aggregate_digest;
	unsigned last;
	int rc;

	if (!s->has_boot_aggregate || s->boot_aggregate_digest < 0) {
		snprintf(text, len, "failed: the list has no boot_aggregate entry of a known algorithm");
		return false;
	}
	rc = boot_aggregate_match(d, &el->pcrs, a, s->boot_aggregate, &last);
	if (rc == 0) {
		snprintf(text, len, "correct %s:pcr0-%u (boot aggregate computed over PCR0..PCR%u)",
		    digest_name(a), last, last);
		return true;
	}
	snprintf(text, len, "failed: %s", rc == TNC_ESTATE
	                                      ? "the event log has no bank of the boot aggregate's algorithm"
	                                      : "matches neither PCR0..PCR7 nor PCR0..PCR9 of the event log");
	return false;
}

static void
template_list(const struct ima_summary *s, char *out, size_t len)
{
	size_t at = 0;

	out[0] = '\0';
	for (size_t i = 0; i < s->ntemplates && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s:%u", i ? " " : "", s->templates[i].name,
		    s->templates[i].count);
	if (s->other_templates && at < len)
		snprintf(out + at, len - at, " other:%u", s->other_templates);
}

/* Why the list does not verify ("" when it does). */
static void
failures(const struct ima_summary *s, const struct run *r, int ba_ok, char *out, size_t len)
{
	size_t at = 0;
#define WHY(cond, ...)                                                              \
	if ((cond) && at < len)                                                        \
		at += (size_t)snprintf(out + at, len - at, "%s", at ? "; " : ""),        \
		    at += at < len ? (size_t)snprintf(out + at, len - at, __VA_ARGS__) : 0

	out[0] = '\0';
	WHY(s->template_hash_mismatch, "%u template hashes do not match", s->template_hash_mismatch);
	WHY(s->sig_count[IMA_SIG_INVALID] + s->sig_count[IMA_SIG_MALFORMED], "%u signatures invalid",
	    s->sig_count[IMA_SIG_INVALID] + s->sig_count[IMA_SIG_MALFORMED]);
	WHY(s->buf_digest_mismatch, "%u ima-buf digests are not their buffer's hash",
	    s->buf_digest_mismatch);
	WHY(ba_ok == 0, "the boot aggregate does not match the event log");
	WHY(r->files[FILE_DIFFER], "%u files differ", r->files[FILE_DIFFER]);
	WHY(r->files[FILE_FAILED], "%u files failed", r->files[FILE_FAILED]);
#undef WHY
}

static void
print_text(const struct ima_summary *s, const struct run *r, const char *ba_check, int ba_ok)
{
	const struct args *a = r->a;
	char buf[2048], hex[2 * DIGEST_MAX + 1];
	uint32_t sigs = 0;

	printf("file %s\nformat %s\ntemplate_hash_alg %s\nentries %u\n", a->path,
	    s->format == IMA_FORMAT_ASCII ? "ascii" : "binary", digest_name(s->template_hash_alg),
	    s->entries);
	template_list(s, buf, sizeof(buf));
	printf("templates %s\npcr_indexes", buf);
	for (unsigned p = 0; p < PCR_COUNT; p++)
		if (s->pcr_mask >> p & 1)
			printf(" %u", p);
	printf("\ntemplate_hash_ok %u\n", s->template_hash_ok);
	index_list(s->mismatch, s->template_hash_mismatch, buf, sizeof(buf));
	printf("template_hash_mismatch %s\n", buf);
	index_list(s->violation, s->violations, buf, sizeof(buf));
	printf("violations %s\n", buf);
	if (s->has_boot_aggregate) {
		hex_of((struct bytes){s->boot_aggregate, s->boot_aggregate_len}, hex, sizeof(hex));
		printf("boot_aggregate %s:%s\n", s->boot_aggregate_alg, hex);
	} else {
		printf("boot_aggregate none\n");
	}
	for (unsigned p = 0; p < PCR_COUNT; p++)
		for (int b = 0; b < DIGEST_ALG_COUNT && (s->pcr_mask >> p & 1); b++) {
			enum digest_alg alg = (enum digest_alg)b;
			if (pcr_banks_has(&s->pcrs, alg)) {
				verify_hex(pcr_banks_get(&s->pcrs, alg, p), digest_size(alg), hex);
				printf("pcr%u %s %s\n", p, digest_name(alg), hex);
			}
			if (pcr_banks_has(&s->padded, alg)) {
				verify_hex(pcr_banks_get(&s->padded, alg, p), digest_size(alg), hex);
				printf("pcr%u %s-legacy %s\n", p, digest_name(alg), hex);
			}
		}
	for (int i = IMA_SIG_UNCHECKED; i < IMA_SIG_STATUS_COUNT; i++)
		sigs += s->sig_count[i];
	printf("signatures_present %u\n", sigs);
	for (int i = IMA_SIG_UNCHECKED; i < IMA_SIG_STATUS_COUNT; i++)
		if (s->sig_count[i])
			printf("signatures %s %u\n", ima_sig_status_name((enum ima_sig_status)i),
			    s->sig_count[i]);
	if (s->buf_entries)
		printf("ima_buf_entries %u digest_mismatch %u\n", s->buf_entries, s->buf_digest_mismatch);
	if (ba_check)
		printf("boot_aggregate_check %s\n", ba_check);
	if (r->refs)
		printf("processed %u IMA file evidence measurements: %u ok, %u unknown, %u differ,"
		       " %u failed\n",
		    r->files[FILE_OK] + r->files[FILE_UNKNOWN] + r->files[FILE_DIFFER] +
		        r->files[FILE_FAILED],
		    r->files[FILE_OK], r->files[FILE_UNKNOWN], r->files[FILE_DIFFER], r->files[FILE_FAILED]);
	failures(s, r, ba_ok, buf, sizeof(buf));
	printf("result %s%s\n", buf[0] ? "failed: " : "ok", buf);
}

static json_t *
json_report(const struct ima_summary *s, struct run *r, const char *ba_check, int ba_ok)
{
	json_t *o = json_object(), *t = json_object(), *pcrs = json_object(), *idx;
	char buf[2048], hex[2 * DIGEST_MAX + 1], key[48];

	json_object_set_new(o, "file", json_string(r->a->path));
	json_object_set_new(o, "format", json_string(s->format == IMA_FORMAT_ASCII ? "ascii" : "binary"));
	json_object_set_new(o, "template_hash_alg", json_string(digest_name(s->template_hash_alg)));
	json_object_set_new(o, "entries", json_integer(s->entries));
	for (size_t i = 0; i < s->ntemplates; i++)
		json_object_set_new(t, s->templates[i].name, json_integer(s->templates[i].count));
	json_object_set_new(o, "templates", t);
	json_object_set_new(o, "template_hash_ok", json_integer(s->template_hash_ok));
	json_object_set_new(o, "template_hash_mismatch", json_integer(s->template_hash_mismatch));
	idx = json_array();
	for (uint32_t i = 0; i < s->template_hash_mismatch && i < IMA_INDEXES_MAX; i++)
		json_array_append_new(idx, json_integer(s->mismatch[i]));
	json_object_set_new(o, "mismatch_entries", idx);
	json_object_set_new(o, "violations", json_integer(s->violations));
	idx = json_array();
	for (uint32_t i = 0; i < s->violations && i < IMA_INDEXES_MAX; i++)
		json_array_append_new(idx, json_integer(s->violation[i]));
	json_object_set_new(o, "violation_entries", idx);
	if (s->has_boot_aggregate) {
		hex_of((struct bytes){s->boot_aggregate, s->boot_aggregate_len}, hex, sizeof(hex));
		json_object_set_new(o, "boot_aggregate", json_sprintf("%s:%s", s->boot_aggregate_alg, hex));
	}
	/* {"10": {"sha1": ..., "sha256": ..., "sha256-legacy": ...}} */
	for (unsigned p = 0; p < PCR_COUNT; p++) {
		json_t *banks;
		if (!(s->pcr_mask >> p & 1))
			continue;
		banks = json_object();
		for (int b = 0; b < DIGEST_ALG_COUNT; b++) {
			enum digest_alg alg = (enum digest_alg)b;
			if (pcr_banks_has(&s->pcrs, alg)) {
				verify_hex(pcr_banks_get(&s->pcrs, alg, p), digest_size(alg), hex);
				json_object_set_new(banks, digest_name(alg), json_string(hex));
			}
			if (pcr_banks_has(&s->padded, alg)) {
				verify_hex(pcr_banks_get(&s->padded, alg, p), digest_size(alg), hex);
				snprintf(key, sizeof(key), "%s-legacy", digest_name(alg));
				json_object_set_new(banks, key, json_string(hex));
			}
		}
		snprintf(key, sizeof(key), "%u", p);
		json_object_set_new(pcrs, key, banks);
	}
	json_object_set_new(o, "pcrs", pcrs);
	t = json_object();
	for (int i = IMA_SIG_UNCHECKED; i < IMA_SIG_STATUS_COUNT; i++)
		json_object_set_new(t, ima_sig_status_name((enum ima_sig_status)i),
		    json_integer(s->sig_count[i]));
	json_object_set_new(o, "signatures", t);
	if (ba_check)
		json_object_set_new(o, "boot_aggregate_check", json_string(ba_check));
	if (r->refs) {
		t = json_object();
		for (int i = 0; i < FILE_RESULTS; i++)
			json_object_set_new(t, file_result_names[i], json_integer(r->files[i]));
		json_object_set_new(o, "files", t);
	}
	json_object_set_new(o, "details", r->entries);
	r->entries = NULL;
	failures(s, r, ba_ok, buf, sizeof(buf));
	json_object_set_new(o, "result", json_string(buf[0] ? "failed" : "ok"));
	if (buf[0])
		json_object_set_new(o, "reason", json_string(buf));
	return o;
}

static int
load_keys(const struct args *a, struct ima_keyring *k)
{
	struct attest_error e;
	uint8_t *buf;
	size_t len;
	int rc;

	for (size_t i = 0; i < a->nkeys; i++) {
		if (verify_read_file(a->keys[i], 1 << 20, &buf, &len))
			return -1;
		rc = ima_keyring_add(k, a->keys[i], buf, len, NULL, &e);
		free(buf);
		if (rc) {
			fprintf(stderr, "tncverify: %s\n", e.reason);
			return -1;
		}
	}
	return 0;
}

/* Replays the event log of --eventlog into *ret; prints why not. */
static int
replay_eventlog(const char *path, struct digest_ctx *d, struct eventlog_summary *ret)
{
	struct eventlog_limits lim;
	struct attest_error e;
	uint8_t *log;
	size_t len;
	int rc;

	if (verify_read_file(path, VERIFY_FILE_MAX, &log, &len))
		return VERIFY_EXIT_ERROR;
	eventlog_limits_default(&lim);
	rc = eventlog_replay(log, len, &lim, d, NULL, NULL, ret, &e);
	free(log);
	if (rc) {
		printf("file %s\nresult refused: event log: %s\n", path, e.reason);
		return VERIFY_EXIT_FAIL;
	}
	return VERIFY_EXIT_OK;
}

static void
print_refusal(const char *path, const struct attest_error *e, bool json)
{
	if (json) {
		json_t *o = json_pack("{s:s,s:s,s:s,s:I}", "file", path, "result", "refused", "reason",
		    e->reason, "offset", (json_int_t)e->offset);
		json_dumpf(o, stdout, JSON_INDENT(2));
		printf("\n");
		json_decref(o);
	} else {
		printf("file %s\nresult refused: %s\n", path, e->reason);
	}
}

/* Replays the list and reports; the exit code. */
static int
run_list(struct run *r, const uint8_t *list, size_t len, const struct eventlog_summary *el,
    struct digest_ctx *d, struct ima_keyring *keys)
{
	struct ima_summary *s = malloc(sizeof(*s));
	char ba[200], buf[1024] = "", *details = NULL;
	size_t details_len = 0;
	struct ima_options o;
	struct attest_error e;
	int ba_ok = -1, rc;

	if (!s)
		abort();
	ima_options_default(&o);
	o.banks = r->a->banks ? r->a->banks : DIGEST_ALL;
	o.padded_banks = DIGEST_ALL;
	o.template_hash_alg = r->a->template_hash_alg;
	o.keys = keys;
	if (r->a->json)
		r->entries = json_array();
	else if (!(r->details = open_memstream(&details, &details_len)))
		abort();
	rc = ima_replay(list, len, &o, d, on_entry, r, s, &e);
	if (r->details)
		fclose(r->details);
	if (rc) {
		print_refusal(r->a->path, &e, r->a->json);
	} else {
		if (el)
			ba_ok = check_boot_aggregate(s, el, d, ba, sizeof(ba));
		if (r->a->json) {
			json_t *out = json_report(s, r, el ? ba : NULL, ba_ok);
			json_dumpf(out, stdout, JSON_INDENT(2));
			printf("\n");
			json_decref(out);
		} else {
			print_text(s, r, el ? ba : NULL, ba_ok);
			fwrite(details, 1, details_len, stdout);
		}
		failures(s, r, ba_ok, buf, sizeof(buf));
	}
	json_decref(r->entries);
	free(details);
	free(s);
	return rc ? VERIFY_EXIT_FAIL : buf[0] ? VERIFY_EXIT_FAIL : VERIFY_EXIT_OK;
}

int
verify_ima_main(int argc, char **argv, bool json)
{
	struct args a = {.template_hash_alg = -1, .json = json};
	struct eventlog_summary *el = NULL;
	struct ima_keyring *keys = ima_keyring_new();
	struct run r = {.a = &a};
	struct digest_ctx d;
	uint8_t *list = NULL;
	size_t len;
	int rc = VERIFY_EXIT_ERROR;

	if (parse_args(argc, argv, &a)) {
		fprintf(stderr, USAGE);
		ima_keyring_free(keys);
		return VERIFY_EXIT_USAGE;
	}
	digest_ctx_init(&d);
	if (load_keys(&a, keys) || verify_read_file(a.path, VERIFY_FILE_MAX, &list, &len))
		goto out;
	if (a.db && refdb_load(a.db, a.password_file, a.product, &r.refs))
		goto out;
	if (a.eventlog) {
		if (!(el = malloc(sizeof(*el))))
			abort();
		if ((rc = replay_eventlog(a.eventlog, &d, el)))
			goto out;
	}
	rc = run_list(&r, list, len, el, &d, keys);
out:
	refdb_free(r.refs);
	free(el);
	free(list);
	ima_keyring_free(keys);
	digest_ctx_clear(&d);
	return rc;
}
