/* test_verify_quote.c - `tncverify quote` on the real quotes of
 * tests/data/quotes: it prints the values of their expected.txt (decoded
 * fields, computed PCR digest, signature, event log match) and says
 * "result verified"; the `negative` cases exit 1 naming their reason; the
 * JSON output carries the same; bad command lines exit 2, unreadable
 * files 3. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define Q TNC_TESTDATA_DIR "/quotes/"

static const struct run {
	const char *dir, *prefix, *attest, *sig, *aik;
	const char *pcrs[2]; /* --pcrs files; the first names the bank */
	const char *eventlog;
} runs[] = {
    {"gce-cos85-no-nonce", "quote-sha1", "quote-sha1.attest", "quote-sha1.sig", "ak.pem",
	{"pcrs-sha1.txt"}, "eventlog.bin"},
    {"gce-cos85-no-nonce", "quote-sha256", "quote-sha256.attest", "quote-sha256.sig", "ak.pem",
	{"pcrs-sha256.txt"}, "eventlog.bin"},
    {"gce-cos85-no-nonce", "quote-sha384", "quote-sha384.attest", "quote-sha384.sig", "ak.pem",
	{"pcrs-sha384.txt"}, "eventlog.bin"},
    {"windows-gcp-shielded-vm", "quote", "quote.attest", "quote.sig", "ak.pem", {"pcrs-sha1.txt"},
	"eventlog.bin"},
    {"cmc-pcr1-4", "quote", "quote.attest", "quote.sig", "ak.pem", {"pcrs-sha256.txt"}, NULL},
    {"keylime-checkquote", "quote", "quote.attest", "quote.sig", "ak.pem", {"pcrs-sha256.txt"},
	NULL},
    {"trustee-swtpm", "quote", "quote.attest", "quote.sig", "ak.pem", {"pcrs-sha256.txt"}, NULL},
    {"azure-snp-vtpm", "quote", "quote.attest", "quote.sig.raw", "ak.pem", {"pcrs-sha256.txt"},
	NULL},
    {"tpm12-linux", "quote", "quote.tpm_quote_info", "quote.sig", "ak.pem", {"pcrs-sha1.txt"},
	"eventlog.bin"},
    {"swtpm-ecdsa-rsapss", "quote-ecdsa", "quote-ecdsa.attest", "quote-ecdsa.sig", "ak-ecdsa.pem",
	{"pcrs-sha1.txt", "pcrs-sha256.txt"}, NULL},
    {"swtpm-ecdsa-rsapss", "quote-rsapss", "quote-rsapss.attest", "quote-rsapss.sig",
	"ak-rsapss.pem", {"pcrs-sha1.txt", "pcrs-sha256.txt"}, NULL},
};
#define NRUNS (sizeof(runs) / sizeof(runs[0]))

/* The fields tncverify prints under the expected.txt names ("quote." for
 * the case's prefix). */
static const char *const checked[] = {"magic", "qualified_signer", "extra_data", "clock",
    "reset_count", "restart_count", "safe", "firmware_version", "pcr_select", "pcr_digest",
    "pcr_composite_len", "pcr_digest_computed", "pcr_digest_match", "signature_scheme",
    "signature_valid", "struct_version", "fixed", "composite_hash", "external_data",
    "pcr_composite_computed"};

static char *
expected_text(const char *dir)
{
	char rel[256];
	size_t len;

	snprintf(rel, sizeof(rel), "quotes/%s/expected.txt", dir);
	return (char *)tl_read_testdata(rel, &len);
}

/* The value of the first "key value   # comment" line of text, into out;
 * returns where that line ends, NULL if there is none. */
static const char *
value_of(const char *text, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
		size_t len = strcspn(p, "\n"), cut;
		const char *comment;

		if (len <= klen + 1 || strncmp(p, key, klen) || p[klen] != ' ')
			continue;
		p += klen + 1;
		len -= klen + 1;
		comment = strstr(p, " #");
		cut = comment && (size_t)(comment - p) < len ? (size_t)(comment - p) : len;
		while (cut && p[cut - 1] == ' ')
			cut--;
		snprintf(out, size, "%.*s", (int)cut, p);
		return p + len;
	}
	return NULL;
}

static int
tncverify(const struct run *r, const char *nonce, const char *extra, char *out, size_t size)
{
	char files[1024] = "";
	size_t n = 0;

	for (int i = 0; i < 2 && r->pcrs[i]; i++)
		n += (size_t)snprintf(files + n, sizeof(files) - n, " --pcrs " Q "%s/%s", r->dir,
		    r->pcrs[i]);
	if (r->eventlog)
		snprintf(files + n, sizeof(files) - n, " --eventlog " Q "%s/%s", r->dir, r->eventlog);
	return tl_sh(out, size,
	    "%s/tncverify quote --attest " Q "%s/%s --sig " Q "%s/%s --aik " Q "%s/%s --nonce %s%s %s 2>&1",
	    TNC_BIN_DIR, r->dir, r->attest, r->dir, r->sig, r->dir, r->aik, nonce, files, extra);
}

/* The nonce of a case: the extraData (externalData) its source used. */
static void
nonce_of(const struct run *r, const char *exp, char *out, size_t size)
{
	char key[64];

	snprintf(key, sizeof(key), "%s.%s", r->prefix,
	    strstr(r->attest, "tpm_quote_info") ? "external_data" : "extra_data");
	ck_assert(value_of(exp, key, out, size));
	if (strcmp(out, "(empty)") == 0)
		snprintf(out, size, "none");
}

START_TEST(prints_expected_values)
{
	const struct run *r = &runs[_i];
	bool tpm12 = strstr(r->attest, "tpm_quote_info") != NULL;
	char *exp = expected_text(r->dir), out[16384], nonce[160], key[96], want[1200], line[1300];
	int found = 0;

	nonce_of(r, exp, nonce, sizeof(nonce));
	ck_assert_int_eq(tncverify(r, nonce, "", out, sizeof(out)), 0);
	/* every "<prefix>.<checked field> value" line, as "quote.<field> value" */
	for (size_t i = 0; i < sizeof(checked) / sizeof(checked[0]); i++) {
		/* the TPM 1.2 file words its scheme differently */
		if (tpm12 && strcmp(checked[i], "signature_scheme") == 0)
			continue;
		snprintf(key, sizeof(key), "%s.%s", r->prefix, checked[i]);
		for (const char *p = exp; (p = value_of(p, key, want, sizeof(want))); found++) {
			snprintf(line, sizeof(line), "\nquote.%s %s\n", checked[i], want);
			ck_assert_msg(strstr(out, line), "%s: no line '%s' in:\n%s", r->dir, line + 1, out);
		}
	}
	ck_assert_int_ge(found, 7);
	/* the event log replays to the quoted PCRs of the case's bank: the
	 * expected.txt line of that bank, word for word */
	if (r->eventlog) {
		const char *bank = strchr(r->pcrs[0], '-') + 1;
		size_t blen = strcspn(bank, ".");
		int lines = 0;

		for (const char *p = exp; (p = strstr(p, "\neventlog_replay ")); p++) {
			const char *v = p + strlen("\neventlog_replay ");
			if (strncmp(v, bank, blen) || v[blen] != ' ')
				continue;
			snprintf(line, sizeof(line), "\neventlog_replay %.*s\n", (int)strcspn(v, "\n"), v);
			ck_assert_msg(strstr(out, line), "no line '%s' in:\n%s", line + 1, out);
			lines++;
		}
		ck_assert_int_eq(lines, 1);
	}
	ck_assert_ptr_nonnull(strstr(out, "\nresult verified\n"));
	free(exp);
}
END_TEST

START_TEST(negative_cases)
{
	char out[16384];

	/* cmc: "negative nonce 6db48f3e33c9792a -> nonce mismatch" */
	ck_assert_int_eq(tncverify(&runs[4], "6db48f3e33c9792a", "", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "\nresult not verified: nonce mismatch: extraData "
					  "db6c3c042fa12645 is not the nonce 6db48f3e33c9792a\n"));
	/* keylime: the flipped quote's signature fails */
	const struct run flipped = {"keylime-checkquote", "quote", "quote-byte5-flipped.attest",
	    "quote.sig", "ak.pem", {"pcrs-sha256.txt"}, NULL};
	ck_assert_int_eq(tncverify(&flipped, "4169354d35536a596a6e6b797634503769744831", "", out,
			     sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "\nquote.signature_valid false\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nresult not verified: signature: "));
	/* keylime: the nonce with its first letter in lower case */
	ck_assert_int_eq(tncverify(&runs[5], "6169354d35536a596a6e6b797634503769744831", "", out,
			     sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "\nresult not verified: nonce mismatch: "));
	/* keylime: SHA-1 expected of a SHA-256 signature */
	ck_assert_int_eq(tncverify(&runs[5], "4169354d35536a596a6e6b797634503769744831",
			     "--sig-hash sha1", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "\nresult not verified: signature hash algorithm: the "
					  "signature uses sha256, sha1 is required\n"));
}
END_TEST

/* An IMA list of another machine: its PCR 10 is not the quoted one. */
START_TEST(ima_of_another_machine)
{
	char out[16384];

	ck_assert_int_eq(tncverify(&runs[1], "none",
			     "--ima " TNC_TESTDATA_DIR "/ima-ibmtss/sha256.log", out, sizeof(out)), 1);
	ck_assert_ptr_nonnull(strstr(out, "\neventlog_replay sha256 pcrs=0,1,2,3,4,5,6,7,8,9,10 "
					  "match_quoted=false\n"));
	ck_assert_ptr_nonnull(strstr(out, "\nresult not verified: PCR digest: the replayed evidence "
					  "differs from the quoted PCRs\n"));
	/* without the file's values the quote is checked against the replay */
	ck_assert_int_eq(tl_sh(out, sizeof(out),
			     "%s/tncverify quote --attest " Q "cmc-pcr1-4/quote.attest --sig " Q
			     "cmc-pcr1-4/quote.sig --aik " Q "cmc-pcr1-4/ak.pem --nonce db6c3c042fa12645"
			     " --ima " TNC_TESTDATA_DIR "/ima-ibmtss/sha256.log 2>&1", TNC_BIN_DIR), 1);
	ck_assert_ptr_nonnull(strstr(out, "\nresult not verified: PCR selection: PCR 1 of the sha256 "
					  "bank is quoted, but the evidence gives no value for it\n"));
}
END_TEST

START_TEST(json_output)
{
	char out[16384];
	json_error_t e;
	json_t *o;

	ck_assert_int_eq(tncverify(&runs[4], "db6c3c042fa12645", "--json", out, sizeof(out)), 0);
	o = json_loads(out, 0, &e);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_string_value(json_object_get(o, "result")), "verified");
	ck_assert_str_eq(json_string_value(json_object_get(o, "quote.pcr_digest_computed")),
	    "83a306865290be1f8912c44dc520f1b9271b9ecd23b2bbf3a41c9586c69464b2");
	ck_assert(json_is_true(json_object_get(o, "quote.signature_valid")));
	ck_assert_int_eq(json_integer_value(json_object_get(o, "quote.pcr_composite_len")), 64);
	ck_assert_str_eq(json_string_value(json_array_get(json_object_get(o, "quote.pcr_select"), 0)),
	    "sha256 bitmap=120000 pcrs=1,4");
	json_decref(o);
	ck_assert_int_eq(tncverify(&runs[4], "6db48f3e33c9792a", "--json", out, sizeof(out)), 1);
	o = json_loads(out, 0, &e);
	ck_assert_ptr_nonnull(o);
	ck_assert_str_eq(json_string_value(json_object_get(o, "reason")), "nonce mismatch");
	json_decref(o);
}
END_TEST

START_TEST(usage_and_errors)
{
	char out[4096];

	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s/tncverify quote --attest x 2>&1", TNC_BIN_DIR), 2);
	ck_assert_ptr_nonnull(strstr(out, "usage: tncverify quote"));
	ck_assert_int_eq(tncverify(&runs[4], "0g", "", out, sizeof(out)), 2);
	ck_assert_int_eq(tl_sh(out, sizeof(out),
			     "%s/tncverify quote --attest /nonexistent --sig x --aik x --nonce none "
			     "--pcrs x 2>&1", TNC_BIN_DIR), 3);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("verify_quote");
	TCase *tc = tcase_create("tncverify");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, prints_expected_values, 0, NRUNS);
	tcase_add_test(tc, negative_cases);
	tcase_add_test(tc, ima_of_another_machine);
	tcase_add_test(tc, json_output);
	tcase_add_test(tc, usage_and_errors);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
