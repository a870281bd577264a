/* verify_eventlog.c - tncverify eventlog FILE [--bank ALG]...: replays a TCG
 * PC Client event log and prints what it finds: format, Spec ID header,
 * record counts, startup locality, event types, the final PCRs of each
 * bank, the IMA boot aggregates they give, and problems.  The text lines
 * use the keys of the test data's .expected files. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "boot_aggregate.h"
#include "eventlog.h"
#include "verify.h"

struct report {
	const char *path;
	const struct eventlog_summary *s;
	struct digest_ctx *d;
};

static const char *
format_name(enum eventlog_format f)
{
	return f == EVENTLOG_FORMAT_AGILE ? "crypto-agile" : "sha1-legacy";
}

static void
alg_label(const struct eventlog_spec_alg *sa, char *out, size_t len)
{
	enum digest_alg a;

	if (digest_from_tpm_alg(sa->tpm_alg, &a) == 0)
		snprintf(out, len, "%s", digest_name(a));
	else
		snprintf(out, len, "0x%04x", sa->tpm_alg);
}

static void
type_label(uint32_t type, char *out, size_t len)
{
	const char *name = eventlog_type_name(type);

	if (name)
		snprintf(out, len, "%s", name);
	else
		snprintf(out, len, "0x%x", type);
}

/* The summary's event types sorted by their label, as the .expected files list them. */
static size_t
sorted_types(const struct eventlog_summary *s, char labels[][40], uint32_t *counts)
{
	size_t n = s->ntypes;

	for (size_t i = 0; i < n; i++) {
		type_label(s->types[i].type, labels[i], 40);
		counts[i] = s->types[i].count;
		for (size_t k = i; k > 0 && strcmp(labels[k - 1], labels[k]) > 0; k--) {
			char t[40];
			uint32_t c = counts[k];
			memcpy(t, labels[k], 40);
			memcpy(labels[k], labels[k - 1], 40);
			memcpy(labels[k - 1], t, 40);
			counts[k] = counts[k - 1];
			counts[k - 1] = c;
		}
	}
	return n;
}

/* The boot aggregates of bank: PCR0-7, and PCR0-9 for banks other than
 * SHA-1 (see boot_aggregate.h).  Returns how many were written. */
static size_t
aggregates(const struct report *r, enum digest_alg a, unsigned last[2], char hex[2][2 * DIGEST_MAX + 1])
{
	uint8_t out[DIGEST_MAX];
	size_t n = 0;

	if (!pcr_banks_has(&r->s->pcrs, a) || r->s->pcrs.used[a] == 0)
		return 0;
	for (unsigned l = 7; l <= 9; l += 2) {
		if (l == 9 && a == DIGEST_SHA1)
			break;
		boot_aggregate_compute(r->d, &r->s->pcrs, a, l, out);
		verify_hex(out, digest_size(a), hex[n]);
		last[n++] = l;
	}
	return n;
}

static void
print_text(const struct report *r)
{
	const struct eventlog_summary *s = r->s;
	char labels[EVENTLOG_TYPES_MAX][40], hex[2][2 * DIGEST_MAX + 1];
	uint32_t counts[EVENTLOG_TYPES_MAX];
	unsigned last[2];

	printf("file %s\nformat %s\n", r->path, format_name(s->format));
	if (s->format == EVENTLOG_FORMAT_AGILE) {
		printf("spec_id_algorithms");
		for (uint32_t i = 0; i < s->spec_id.nalgs; i++) {
			alg_label(&s->spec_id.algs[i], labels[0], sizeof(labels[0]));
			printf(" %s:%u", labels[0], s->spec_id.algs[i].size);
		}
		printf("\nspec_version %u.%u errata %u uintnSize %u vendorInfoSize %u\n",
		    s->spec_id.version_major, s->spec_id.version_minor, s->spec_id.errata,
		    s->spec_id.uintn_size, s->spec_id.vendor_info_size);
	}
	printf("records %u\nextended_events %u\nno_action_events %u\nsp800_155_events %u\n",
	    s->records, s->extended, s->no_action, s->sp800_155);
	if (s->startup_locality >= 0)
		printf("startup_locality %d\n", s->startup_locality);
	else
		printf("startup_locality none\n");
	printf("event_types");
	for (size_t i = 0, n = sorted_types(s, labels, counts); i < n; i++)
		printf(" %s=%u", labels[i], counts[i]);
	if (s->other_types)
		printf(" other=%u", s->other_types);
	printf("\n");
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		for (unsigned p = 0; p < PCR_COUNT; p++)
			if (pcr_banks_has(&s->pcrs, (enum digest_alg)a) && (s->pcrs.used[a] >> p & 1)) {
				verify_hex(pcr_banks_get(&s->pcrs, (enum digest_alg)a, p),
				    digest_size((enum digest_alg)a), hex[0]);
				printf("pcr %s %u %s\n", digest_name((enum digest_alg)a), p, hex[0]);
			}
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		for (size_t i = 0, n = aggregates(r, (enum digest_alg)a, last, hex); i < n; i++)
			printf("boot_aggregate %s:pcr0-%u %s\n", digest_name((enum digest_alg)a), last[i],
			    hex[i]);
	for (uint32_t i = 0; i < s->problems && i < EVENTLOG_PROBLEMS_MAX; i++)
		printf("problem %s\n", s->problem[i]);
	if (s->problems > EVENTLOG_PROBLEMS_MAX)
		printf("problem ... and %u more\n", s->problems - EVENTLOG_PROBLEMS_MAX);
	printf("result ok\n");
}

static json_t *
json_summary(const struct report *r)
{
	const struct eventlog_summary *s = r->s;
	json_t *o = json_object(), *types = json_object(), *pcrs = json_object();
	json_t *aggs = json_object(), *problems = json_array(), *algs = json_array();
	char labels[EVENTLOG_TYPES_MAX][40], hex[2][2 * DIGEST_MAX + 1], key[32];
	uint32_t counts[EVENTLOG_TYPES_MAX];
	unsigned last[2];

	json_object_set_new(o, "file", json_string(r->path));
	json_object_set_new(o, "format", json_string(format_name(s->format)));
	for (uint32_t i = 0; i < s->spec_id.nalgs; i++) {
		alg_label(&s->spec_id.algs[i], key, sizeof(key));
		json_array_append_new(algs, json_pack("{s:s,s:i}", "algorithm", key, "size",
		                                (json_int_t)s->spec_id.algs[i].size));
	}
	json_object_set_new(o, "spec_id_algorithms", algs);
	json_object_set_new(o, "records", json_integer(s->records));
	json_object_set_new(o, "extended_events", json_integer(s->extended));
	json_object_set_new(o, "no_action_events", json_integer(s->no_action));
	json_object_set_new(o, "sp800_155_events", json_integer(s->sp800_155));
	json_object_set_new(o, "startup_locality",
	    s->startup_locality >= 0 ? json_integer(s->startup_locality) : json_null());
	for (size_t i = 0, n = sorted_types(s, labels, counts); i < n; i++)
		json_object_set_new(types, labels[i], json_integer(counts[i]));
	json_object_set_new(o, "event_types", types);
	for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
		json_t *bank;
		if (!pcr_banks_has(&s->pcrs, (enum digest_alg)a))
			continue;
		bank = json_object();
		for (unsigned p = 0; p < PCR_COUNT; p++)
			if (s->pcrs.used[a] >> p & 1) {
				verify_hex(pcr_banks_get(&s->pcrs, (enum digest_alg)a, p),
				    digest_size((enum digest_alg)a), hex[0]);
				snprintf(key, sizeof(key), "%u", p);
				json_object_set_new(bank, key, json_string(hex[0]));
			}
		json_object_set_new(pcrs, digest_name((enum digest_alg)a), bank);
		for (size_t i = 0, n = aggregates(r, (enum digest_alg)a, last, hex); i < n; i++) {
			snprintf(key, sizeof(key), "%s:pcr0-%u", digest_name((enum digest_alg)a), last[i]);
			json_object_set_new(aggs, key, json_string(hex[i]));
		}
	}
	json_object_set_new(o, "pcrs", pcrs);
	json_object_set_new(o, "boot_aggregates", aggs);
	for (uint32_t i = 0; i < s->problems && i < EVENTLOG_PROBLEMS_MAX; i++)
		json_array_append_new(problems, json_string(s->problem[i]));
	json_object_set_new(o, "problems", problems);
	json_object_set_new(o, "problem_count", json_integer(s->problems));
	json_object_set_new(o, "result", json_string("ok"));
	return o;
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

int
verify_eventlog_main(int argc, char **argv, bool json)
{
	struct eventlog_limits lim;
	struct eventlog_summary *s = NULL;
	struct attest_error e;
	struct digest_ctx d;
	const char *path = NULL;
	uint8_t *log = NULL;
	size_t len;
	enum digest_alg a;
	int rc;

	eventlog_limits_default(&lim);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--bank") == 0 && i + 1 < argc &&
		    digest_from_name(argv[i + 1], strlen(argv[i + 1]), &a) == 0) {
			lim.banks |= DIGEST_BIT(a);
			i++;
		} else if (argv[i][0] != '-' && !path) {
			path = argv[i];
		} else {
			fprintf(stderr, "usage: tncverify eventlog FILE [--bank sha1|sha256|sha384|sha512]...\n");
			return VERIFY_EXIT_USAGE;
		}
	}
	if (!path) {
		fprintf(stderr, "usage: tncverify eventlog FILE [--bank sha1|sha256|sha384|sha512]...\n");
		return VERIFY_EXIT_USAGE;
	}
	if (verify_read_file(path, VERIFY_FILE_MAX, &log, &len))
		return VERIFY_EXIT_ERROR;
	if (!(s = malloc(sizeof(*s))))
		abort();
	digest_ctx_init(&d);
	rc = eventlog_replay(log, len, &lim, &d, NULL, NULL, s, &e);
	if (rc) {
		print_refusal(path, &e, json);
	} else if (json) {
		struct report r = {path, s, &d};
		json_t *o = json_summary(&r);
		json_dumpf(o, stdout, JSON_INDENT(2));
		printf("\n");
		json_decref(o);
	} else {
		print_text(&(struct report){path, s, &d});
	}
	digest_ctx_clear(&d);
	free(s);
	free(log);
	return rc ? VERIFY_EXIT_FAIL : VERIFY_EXIT_OK;
}
