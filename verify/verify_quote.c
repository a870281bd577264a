/* verify_quote.c - tncverify quote: verifies a TPM 2.0 quote (TPMS_ATTEST
 * with a TPMT_SIGNATURE or a bare RSA signature) or a TPM 1.2 one
 * (TPM_QUOTE_INFO / TPM_QUOTE_INFO2) against an AIK, a nonce and PCR
 * values: given in files (--pcrs, the test data's "<index> <hex>" lines),
 * or replayed from an event log and an IMA list.  With both, the file's
 * values are checked against the quote and the replays against them.
 * Prints the decoded quote with the keys of the test data's expected.txt,
 * then "result verified" or why not.
 */
#include <ctype.h>
#include <jansson.h>
#include <openssl/pem.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"
#include "ima.h"
#include "quote_rebuild.h"
#include "quote_verify.h"
#include "verify.h"

#define USAGE                                                                                  \
	"usage: tncverify quote --attest F --sig F --aik PEM --nonce HEX|none\n"               \
	"           [--pcrs F]... [--eventlog F] [--ima F] [--sig-hash ALG]\n"
#define MAX_PCR_FILES 4

struct args {
	const char *attest, *sig, *aik, *nonce, *eventlog, *ima;
	const char *pcrs[MAX_PCR_FILES];
	size_t npcrs;
	uint16_t sig_hash; /* the signature must use it (a bare one does); 0: any */
};

/* Findings as "key value" lines, or members of one JSON object. */
struct out {
	json_t *o; /* NULL: text */
};

static void __attribute__((format(printf, 3, 4)))
put(struct out *out, const char *key, const char *fmt, ...)
{
	char v[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (out->o)
		json_object_set_new(out->o, key, json_string(v));
	else
		printf("%s %s\n", key, v);
}

/* A key that may come more than once: a JSON array. */
static void __attribute__((format(printf, 3, 4)))
put_item(struct out *out, const char *key, const char *fmt, ...)
{
	char v[1024];
	json_t *list;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	if (!out->o) {
		printf("%s %s\n", key, v);
		return;
	}
	if (!(list = json_object_get(out->o, key)))
		json_object_set_new(out->o, key, list = json_array());
	json_array_append_new(list, json_string(v));
}

static void
put_int(struct out *out, const char *key, unsigned long long v)
{
	if (out->o)
		json_object_set_new(out->o, key, json_integer((json_int_t)v));
	else
		printf("%s %llu\n", key, v);
}

static void
put_bool(struct out *out, const char *key, bool v)
{
	if (out->o)
		json_object_set_new(out->o, key, json_boolean(v));
	else
		printf("%s %s\n", key, v ? "true" : "false");
}

/* "result verified", or "result not verified: REASON: DETAIL" (JSON: result,
 * reason, detail). */
static void
put_result(struct out *out, const char *reason, const char *detail)
{
	if (!out->o) {
		if (reason)
			printf("result not verified: %s: %s\n", reason, detail);
		else
			printf("result verified\n");
		return;
	}
	json_object_set_new(out->o, "result", json_string(reason ? "not verified" : "verified"));
	if (reason) {
		json_object_set_new(out->o, "reason", json_string(reason));
		json_object_set_new(out->o, "detail", json_string(detail));
	}
}

static const char *
hex(struct bytes b)
{
	static char buf[4][2 * 512 + 1];
	static int turn;
	char *out = buf[turn++ % 4];

	if (b.len == 0)
		return "(empty)";
	verify_hex(b.ptr, b.len < 512 ? b.len : 512, out);
	return out;
}

/* Octets of an even-length hex string; (size_t)-1 if it is not one. */
static size_t
from_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;

	for (; s[0] && n < max; s += 2) {
		if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]))
			return (size_t)-1;
		out[n++] = (uint8_t)strtoul((char[]){s[0], s[1], 0}, NULL, 16);
	}
	return s[0] ? (size_t)-1 : n;
}

static int
parse_args(int argc, char **argv, struct args *a)
{
	enum digest_alg alg;

	for (int i = 1; i + 1 < argc; i += 2) {
		const char *o = argv[i], *v = argv[i + 1];

		if (strcmp(o, "--attest") == 0)
			a->attest = v;
		else if (strcmp(o, "--sig") == 0)
			a->sig = v;
		else if (strcmp(o, "--aik") == 0)
			a->aik = v;
		else if (strcmp(o, "--nonce") == 0)
			a->nonce = v;
		else if (strcmp(o, "--eventlog") == 0)
			a->eventlog = v;
		else if (strcmp(o, "--ima") == 0)
			a->ima = v;
		else if (strcmp(o, "--pcrs") == 0 && a->npcrs < MAX_PCR_FILES)
			a->pcrs[a->npcrs++] = v;
		else if (strcmp(o, "--sig-hash") == 0 && digest_from_name(v, strlen(v), &alg) == 0)
			a->sig_hash = digest_tpm_alg(alg);
		else
			return -1;
	}
	if (argc % 2 == 0 || !a->attest || !a->sig || !a->aik || !a->nonce)
		return -1;
	return a->npcrs || a->eventlog || a->ima ? 0 : -1;
}

static EVP_PKEY *
load_aik(const char *path)
{
	FILE *f = fopen(path, "r");
	EVP_PKEY *key = f ? PEM_read_PUBKEY(f, NULL, NULL, NULL) : NULL;

	if (f)
		fclose(f);
	if (!key)
		fprintf(stderr, "tncverify: %s: not a PEM public key\n", path);
	return key;
}

/* The PCR values of the --pcrs files into b. */
static int
load_pcr_files(const struct args *a, struct pcr_banks *b)
{
	struct parse_error e;
	uint8_t *text;
	size_t len;

	pcr_banks_init(b, 0);
	for (size_t i = 0; i < a->npcrs; i++) {
		if (verify_read_file(a->pcrs[i], VERIFY_FILE_MAX, &text, &len))
			return VERIFY_EXIT_ERROR;
		if (quote_pcrs_load(b, (char *)text, len, &e)) {
			fprintf(stderr, "tncverify: %s: line %u: %s\n", a->pcrs[i], e.offset, e.reason);
			free(text);
			return VERIFY_EXIT_ERROR;
		}
		free(text);
	}
	return VERIFY_EXIT_OK;
}

/* PCR 10 of every bank the IMA replay gives, into b. */
static void
merge_pcr10(struct pcr_banks *b, const struct pcr_banks *ima)
{
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (pcr_banks_has(ima, (enum digest_alg)a) && (ima->used[a] >> 10 & 1)) {
			b->active |= DIGEST_BIT(a);
			memcpy(b->value[a][10], ima->value[a][10], DIGEST_MAX);
			b->used[a] |= 1u << 10;
		}
}

/* The PCRs the evidence gives: the event log's, then PCR 10 of the IMA list. */
static int
replay(const struct args *a, unsigned banks, struct pcr_banks *b, struct out *out)
{
	struct eventlog_summary *el = calloc(1, sizeof(*el));
	struct ima_summary *im = calloc(1, sizeof(*im));
	struct eventlog_limits lim;
	struct ima_options o;
	struct attest_error e;
	struct digest_ctx d;
	uint8_t *buf = NULL;
	size_t len;
	int rc = VERIFY_EXIT_OK;

	if (!el || !im)
		abort();
	digest_ctx_init(&d);
	pcr_banks_init(b, 0);
	if (a->eventlog) {
		eventlog_limits_default(&lim);
		if (verify_read_file(a->eventlog, VERIFY_FILE_MAX, &buf, &len))
			rc = VERIFY_EXIT_ERROR;
		else if (eventlog_replay(buf, len, &lim, &d, NULL, NULL, el, &e)) {
			put(out, "eventlog", "refused: %s", e.reason);
			rc = VERIFY_EXIT_FAIL;
		} else {
			*b = el->pcrs;
		}
		free(buf);
		buf = NULL;
	}
	if (a->ima && rc == VERIFY_EXIT_OK) {
		ima_options_default(&o);
		o.banks = banks;
		if (verify_read_file(a->ima, VERIFY_FILE_MAX, &buf, &len))
			rc = VERIFY_EXIT_ERROR;
		else if (ima_replay(buf, len, &o, &d, NULL, NULL, im, &e)) {
			put(out, "ima", "refused: %s", e.reason);
			rc = VERIFY_EXIT_FAIL;
		} else {
			merge_pcr10(b, &im->pcrs);
		}
		free(buf);
	}
	digest_ctx_clear(&d);
	free(el);
	free(im);
	return rc;
}

/* "sha256 bitmap=120000 pcrs=1,4" */
static void
selection_text(uint16_t bank, const uint8_t *select, size_t size, char *out, size_t cap)
{
	enum digest_alg a;
	size_t n = (size_t)snprintf(out, cap, "%s bitmap=%s pcrs=",
	    digest_from_tpm_alg(bank, &a) ? "?" : digest_name(a), hex((struct bytes){select, size}));
	const char *sep = "";

	for (unsigned pcr = 0; pcr < 8 * size && n < cap; pcr++)
		if (select[pcr / 8] >> (pcr % 8) & 1) {
			n += (size_t)snprintf(out + n, cap - n, "%s%u", sep, pcr);
			sep = ",";
		}
}

static void
print_attest(struct out *out, const struct tpm2_attest *q)
{
	char sel[256];

	put(out, "quote.format", "TPMS_ATTEST");
	put(out, "quote.magic", "%08x", q->magic);
	put(out, "quote.type", "%04x", q->type);
	put(out, "quote.qualified_signer", "%s", hex(q->qualified_signer));
	put(out, "quote.extra_data", "%s", hex(q->extra_data));
	put_int(out, "quote.clock", q->clock);
	put_int(out, "quote.reset_count", q->reset_count);
	put_int(out, "quote.restart_count", q->restart_count);
	put_int(out, "quote.safe", q->safe);
	put(out, "quote.firmware_version", "%016llx", (unsigned long long)q->firmware_version);
	for (uint32_t i = 0; i < q->selection_count; i++) {
		selection_text(q->selections[i].hash, q->selections[i].select,
		    q->selections[i].size_of_select, sel, sizeof(sel));
		put_item(out, "quote.pcr_select", "%s", sel);
	}
	if (q->type == TPM2_ST_ATTEST_QUOTE)
		put(out, "quote.pcr_digest", "%s", hex(q->pcr_digest));
}

static void
print_quote_info(struct out *out, const struct tpm12_quote_info *q,
    const struct tpm12_pcr_selection *sel)
{
	char text[256];

	put(out, "quote.format", q->version == 1 ? "TPM_QUOTE_INFO" : "TPM_QUOTE_INFO2");
	if (q->version == 1)
		put(out, "quote.struct_version", "%s", hex((struct bytes){q->struct_version, 4}));
	put(out, "quote.fixed", "%.4s", (const char *)q->fixed);
	put(out, "quote.composite_hash", "%s", hex(q->composite_hash));
	put(out, "quote.external_data", "%s", hex(q->external_data));
	selection_text(TPM2_ALG_SHA1, sel->select, sel->size_of_select, text, sizeof(text));
	put(out, "quote.pcr_selection", "sizeOfSelect=%u %s", sel->size_of_select,
	    strchr(text, ' ') + 1);
}

static const char *
scheme_name(uint16_t sig_alg)
{
	return sig_alg == TPM2_ALG_ECDSA ? "ecdsa" : sig_alg == TPM2_ALG_RSAPSS ? "rsapss" : "rsassa";
}

static void
print_result(struct out *out, const struct quote_result *r, bool tpm12)
{
	enum digest_alg a;

	if (r->pcr_digest_len) {
		if (!tpm12)
			put_int(out, "quote.pcr_composite_len", r->composite_len);
		put(out, tpm12 ? "quote.pcr_composite_computed" : "quote.pcr_digest_computed", "%s",
		    hex((struct bytes){r->pcr_digest, r->pcr_digest_len}));
		put_bool(out, "quote.pcr_digest_match", r->pcr_digest_match);
	}
	if (r->sig_alg)
		put(out, "quote.signature_scheme", "%s hash=%s", scheme_name(r->sig_alg),
		    digest_from_tpm_alg(r->sig_hash, &a) ? "?" : digest_name(a));
	put_bool(out, "quote.signature_valid", r->signature_valid);
}

/* Whether every PCR the replay gives, of the quoted ones, has the value
 * the quote proved; one "eventlog_replay" line per bank. */
static bool
compare_replay(struct out *out, const struct pcr_banks *quoted, const struct pcr_banks *replay)
{
	bool all = true;

	for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
		char list[128] = "";
		size_t n = 0;
		bool match = true;

		if (!pcr_banks_has(replay, (enum digest_alg)a) || !replay->used[a] ||
		    !pcr_banks_has(quoted, (enum digest_alg)a))
			continue;
		for (unsigned p = 0; p < PCR_COUNT; p++) {
			if (!(replay->used[a] >> p & 1) || !(quoted->used[a] >> p & 1))
				continue;
			n += (size_t)snprintf(list + n, sizeof(list) - n, "%s%u", n ? "," : "", p);
			match &= memcmp(pcr_banks_get(replay, (enum digest_alg)a, p),
				     pcr_banks_get(quoted, (enum digest_alg)a, p),
				     digest_size((enum digest_alg)a)) == 0;
		}
		if (n)
			put_item(out, "eventlog_replay", "%s pcrs=%s match_quoted=%s",
			    digest_name((enum digest_alg)a), list, match ? "true" : "false");
		all &= match;
	}
	return all;
}

/* The signature file as a TPMT_SIGNATURE, else as a bare RSASSA signature
 * with --sig-hash or the hash the PCR digest's size names. */
static int
read_signature(struct out *out, struct bytes sig, size_t digest_len, uint16_t sig_hash,
    struct tpm2_signature *ret)
{
	struct parse_error e;
	enum digest_alg a;
	uint16_t hash = sig_hash;

	if (tpm2_signature_parse(sig.ptr, sig.len, ret, &e) == 0) {
		put(out, "quote.signature_format", "TPMT_SIGNATURE");
		return 0;
	}
	if (!hash) /* TPM2_Quote digests the PCRs with the signing scheme's hash */
		for (a = 0; a < DIGEST_ALG_COUNT; a++)
			if (digest_size(a) == digest_len)
				hash = digest_tpm_alg(a);
	put(out, "quote.signature_format", "raw RSASSA-PKCS1-v1_5 signature (%zu bytes)", sig.len);
	return tpm2_signature_from_bare(TPM2_ALG_RSASSA, hash, sig, ret, &e);
}

static bool
is_tpm12(struct bytes q)
{
	return (q.len == 48 && memcmp(q.ptr + 4, "QUOT", 4) == 0) ||
	    (q.len >= 6 && q.ptr[0] == 0 && q.ptr[1] == 0x36 && memcmp(q.ptr + 2, "QUT2", 4) == 0);
}

/* TPM_QUOTE_INFO names no PCRs: it covers every SHA-1 PCR given, in the
 * three select octets of a PC Client TPM 1.2. */
static struct tpm12_pcr_selection
tpm12_selection(const struct tpm12_quote_info *q, const struct pcr_banks *b)
{
	struct tpm12_pcr_selection sel = {3, {0}};

	if (q->version == 2)
		return q->selection;
	for (unsigned p = 0; p < PCR_COUNT; p++)
		if (pcr_banks_has(b, DIGEST_SHA1) && (b->used[DIGEST_SHA1] >> p & 1))
			sel.select[p / 8] |= (uint8_t)(1u << (p % 8));
	return sel;
}

static enum quote_reason
run(const struct args *a, struct out *out, struct bytes quote, struct bytes sigb, EVP_PKEY *aik,
    struct quote_expect *x, struct quote_result *r)
{
	struct tpm2_signature sig;
	struct tpm12_pcr_selection sel;
	struct tpm12_quote_info q12;
	struct tpm2_attest q;
	struct parse_error e;

	if (is_tpm12(quote)) {
		bool parsed = tpm12_quote_info_parse(quote.ptr, quote.len, &q12, &e) == 0;

		if (parsed) {
			sel = tpm12_selection(&q12, x->pcr_ctx);
			print_quote_info(out, &q12, &sel);
			put(out, "quote.signature_format", "raw RSASSA-PKCS1-v1_5 signature (%zu bytes)",
			    sigb.len);
		}
		quote_verify_tpm12(quote, sigb, parsed ? &sel : NULL, aik, x, r);
		print_result(out, r, true);
		return r->reason;
	}
	if (tpm2_attest_parse(quote.ptr, quote.len, &q, &e) == 0)
		print_attest(out, &q);
	else
		q.pcr_digest.len = 0;
	if (read_signature(out, sigb, q.pcr_digest.len, a->sig_hash, &sig)) {
		r->reason = QUOTE_SIGNATURE;
		snprintf(r->detail, sizeof(r->detail), "neither a TPMT_SIGNATURE nor a bare signature");
		return r->reason;
	}
	quote_verify_tpm2(quote, &sig, aik, x, r);
	print_result(out, r, false);
	return r->reason;
}

static unsigned
banks_of(struct bytes quote)
{
	struct tpm2_attest q;
	struct parse_error e;
	enum digest_alg a;
	unsigned banks = DIGEST_BIT(DIGEST_SHA1);

	if (!is_tpm12(quote) && tpm2_attest_parse(quote.ptr, quote.len, &q, &e) == 0)
		for (uint32_t i = 0; i < q.selection_count; i++)
			if (digest_from_tpm_alg(q.selections[i].hash, &a) == 0)
				banks |= DIGEST_BIT(a);
	return banks;
}

int
verify_quote_main(int argc, char **argv, bool json)
{
	struct args a = {0};
	struct out out = {json ? json_object() : NULL};
	struct pcr_banks *files = calloc(1, sizeof(*files)), *evidence = calloc(1, sizeof(*evidence));
	struct quote_expect x = {0};
	struct quote_result r = {0};
	uint8_t nonce[256];
	struct bytes quote = {0}, sig = {0};
	EVP_PKEY *aik = NULL;
	size_t n;
	int rc = VERIFY_EXIT_ERROR;
	bool replayed;

	if (!files || !evidence)
		abort();
	if (parse_args(argc, argv, &a) ||
	    (n = strcmp(a.nonce, "none") ? from_hex(a.nonce, nonce, sizeof(nonce)) : 0) == (size_t)-1) {
		fprintf(stderr, USAGE);
		rc = VERIFY_EXIT_USAGE;
		goto out;
	}
	if (verify_read_file(a.attest, VERIFY_FILE_MAX, (uint8_t **)&quote.ptr, &quote.len) ||
	    verify_read_file(a.sig, VERIFY_FILE_MAX, (uint8_t **)&sig.ptr, &sig.len) ||
	    !(aik = load_aik(a.aik)) || load_pcr_files(&a, files))
		goto out;
	put(&out, "file", "%s", a.attest);
	replayed = a.eventlog || a.ima;
	if (replayed && (rc = replay(&a, banks_of(quote), evidence, &out)) != VERIFY_EXIT_OK) {
		if (rc == VERIFY_EXIT_FAIL)
			put_result(&out, "evidence", "the event log or IMA list was refused");
		goto print;
	}
	x.nonce = (struct bytes){nonce, n};
	x.sig_hash = a.sig_hash;
	x.pcr = quote_pcr_from_banks;
	x.pcr_ctx = a.npcrs ? files : evidence;
	rc = run(&a, &out, quote, sig, aik, &x, &r) == QUOTE_OK ? VERIFY_EXIT_OK : VERIFY_EXIT_FAIL;
	if (rc == VERIFY_EXIT_OK && replayed && a.npcrs && !compare_replay(&out, files, evidence)) {
		r.reason = QUOTE_PCR_DIGEST;
		snprintf(r.detail, sizeof(r.detail),
		    "the replayed evidence differs from the quoted PCRs");
		rc = VERIFY_EXIT_FAIL;
	}
	put_result(&out, rc == VERIFY_EXIT_OK ? NULL : quote_reason_name(r.reason), r.detail);
print:
	if (out.o) {
		json_dumpf(out.o, stdout, JSON_INDENT(2));
		printf("\n");
	}
out:
	json_decref(out.o);
	EVP_PKEY_free(aik);
	free((void *)quote.ptr);
	free((void *)sig.ptr);
	free(files);
	free(evidence);
	return rc;
}
