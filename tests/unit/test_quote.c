/* test_quote.c - the real TPM quotes of tests/data/quotes decode and verify
 * to their expected.txt (fields, PCR digest, signature, event log match),
 * every `negative` line there fails with its reason, and the seeds' quote
 * vectors decode as tests/data/seed/PROVENANCE.md says.  Quotes signed here
 * with RSA-PSS and ECDSA keys, and the rebuilt encodings, are in
 * test_quote_signed.c. */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "eventlog.h"
#include "quote_rebuild.h"
#include "quote_verify.h"
#include "testlib.h"

/* --- expected.txt: "key value   # comment" lines --- */

/* The value of the n-th line (0-based) whose first word is key, less its
 * "   # comment"; NULL if there is none. */
static const char *
expected_nth(const char *text, const char *key, int n, char *out, size_t size)
{
	size_t klen = strlen(key);

	for (const char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
		size_t len = strcspn(p, "\n");
		const char *v = p + klen + 1;

		if (len <= klen || strncmp(p, key, klen) || p[klen] != ' ' || n-- > 0)
			continue;
		len -= klen + 1;
		for (size_t i = 0; i + 1 < len; i++)
			if (v[i] == ' ' && v[i + 1] == '#')
				len = i;
		while (len && v[len - 1] == ' ')
			len--;
		snprintf(out, size, "%.*s", (int)len, v);
		return out;
	}
	return NULL;
}

static const char *
expected(const char *text, const char *key, char *out, size_t size)
{
	const char *v = expected_nth(text, key, 0, out, size);
	ck_assert_msg(v != NULL, "expected.txt has no line %s", key);
	return v;
}

static char *
hex_of(const uint8_t *p, size_t n)
{
	static char buf[4][1024];
	static int turn;
	char *out = buf[turn++ % 4];

	for (size_t i = 0; i < n && 2 * i + 2 < sizeof(buf[0]); i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
	return n ? out : "(empty)";
}

static size_t
from_hex(const char *s, uint8_t *out, size_t max)
{
	size_t n = 0;
	unsigned v;

	while (n < max && sscanf(s + 2 * n, "%2x", &v) == 1)
		out[n++] = (uint8_t)v;
	return n;
}

static char *
read_text(const char *dir, const char *file)
{
	char rel[256];
	size_t len;

	snprintf(rel, sizeof(rel), "quotes/%s/%s", dir, file);
	return (char *)tl_read_testdata(rel, &len);
}

static struct bytes
read_bytes(const char *dir, const char *file)
{
	struct bytes b;
	char rel[256];

	snprintf(rel, sizeof(rel), "quotes/%s/%s", dir, file);
	b.ptr = tl_read_testdata(rel, &b.len);
	return b;
}

static EVP_PKEY *
load_aik(const char *dir, const char *file)
{
	char *pem = read_text(dir, file);
	BIO *bio = BIO_new_mem_buf(pem, -1);
	EVP_PKEY *key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);

	ck_assert_ptr_nonnull(key);
	BIO_free(bio);
	free(pem);
	return key;
}

/* Every pcrs-<bank>.txt of the folder into b. */
static void
load_pcrs(const char *dir, struct pcr_banks *b)
{
	static const char *const files[] = {"pcrs-sha1.txt", "pcrs-sha256.txt", "pcrs-sha384.txt"};
	struct parse_error e;
	char path[512];
	size_t len;

	pcr_banks_init(b, 0);
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof(path), "%s/quotes/%s/%s", TNC_TESTDATA_DIR, dir, files[i]);
		uint8_t *text = tl_read_file(path, &len);
		if (!text)
			continue;
		ck_assert_int_eq(quote_pcrs_load(b, (char *)text, len, &e), 0);
		free(text);
	}
	ck_assert_uint_ne(b->active, 0);
}

/* --- the real quotes --- */

static const struct quote_case {
	const char *dir, *prefix, *attest, *sig, *aik;
	bool bare; /* a bare RSASSA signature, SHA-256 (Azure) */
} cases[] = {
    {"gce-cos85-no-nonce", "quote-sha1", "quote-sha1.attest", "quote-sha1.sig", "ak.pem", false},
    {"gce-cos85-no-nonce", "quote-sha256", "quote-sha256.attest", "quote-sha256.sig", "ak.pem", false},
    {"gce-cos85-no-nonce", "quote-sha384", "quote-sha384.attest", "quote-sha384.sig", "ak.pem", false},
    {"windows-gcp-shielded-vm", "quote", "quote.attest", "quote.sig", "ak.pem", false},
    {"cmc-pcr1-4", "quote", "quote.attest", "quote.sig", "ak.pem", false},
    {"keylime-checkquote", "quote", "quote.attest", "quote.sig", "ak.pem", false},
    {"trustee-swtpm", "quote", "quote.attest", "quote.sig", "ak.pem", false},
    {"azure-snp-vtpm", "quote", "quote.attest", "quote.sig.raw", "ak.pem", true},
    {"swtpm-ecdsa-rsapss", "quote-ecdsa", "quote-ecdsa.attest", "quote-ecdsa.sig", "ak-ecdsa.pem",
	false},
    {"swtpm-ecdsa-rsapss", "quote-rsapss", "quote-rsapss.attest", "quote-rsapss.sig",
	"ak-rsapss.pem", false},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

struct loaded {
	char *exp;
	struct bytes attest, sig_bytes;
	struct tpm2_signature sig;
	EVP_PKEY *aik;
	struct pcr_banks pcrs;
	uint8_t nonce[128];
	struct quote_expect x;
};

static const char *
field(const struct quote_case *c, const char *exp, const char *name)
{
	static char key[4][128], val[4][1024];
	static int turn;
	int t = turn++ % 4;

	snprintf(key[t], sizeof(key[t]), "%s.%s", c->prefix, name);
	return expected(exp, key[t], val[t], sizeof(val[t]));
}

static void
load_case(const struct quote_case *c, struct loaded *l)
{
	struct parse_error e;
	const char *extra;

	memset(l, 0, sizeof(*l));
	l->exp = read_text(c->dir, "expected.txt");
	l->attest = read_bytes(c->dir, c->attest);
	l->sig_bytes = read_bytes(c->dir, c->sig);
	if (c->bare)
		ck_assert_int_eq(tpm2_signature_from_bare(TPM2_ALG_RSASSA, TPM2_ALG_SHA256, l->sig_bytes,
				     &l->sig, &e), 0);
	else
		ck_assert_int_eq(tpm2_signature_parse(l->sig_bytes.ptr, l->sig_bytes.len, &l->sig, &e), 0);
	l->aik = load_aik(c->dir, c->aik);
	load_pcrs(c->dir, &l->pcrs);
	/* The nonce the verifier expects is what the source says extraData is. */
	extra = field(c, l->exp, "extra_data");
	l->x.nonce.ptr = l->nonce;
	l->x.nonce.len = strcmp(extra, "(empty)") ? from_hex(extra, l->nonce, sizeof(l->nonce)) : 0;
	l->x.pcr = quote_pcr_from_banks;
	l->x.pcr_ctx = &l->pcrs;
}

static void
unload(struct loaded *l)
{
	free(l->exp);
	free((void *)l->attest.ptr);
	free((void *)l->sig_bytes.ptr);
	EVP_PKEY_free(l->aik);
}

/* "sha256 bitmap=120000 pcrs=1,4" as the expected files write a selection. */
static void
selection_text(const struct tpm2_pcr_selection *s, char *out, size_t size)
{
	enum digest_alg a;
	size_t n;

	ck_assert_int_eq(digest_from_tpm_alg(s->hash, &a), 0);
	n = (size_t)snprintf(out, size, "%s bitmap=%s pcrs=", digest_name(a),
	    hex_of(s->select, s->size_of_select));
	for (unsigned pcr = 0; pcr < QUOTE_MAX_PCRS; pcr++)
		if (tpm2_pcr_selected(s, pcr))
			n += (size_t)snprintf(out + n, size - n, "%s%u", out[n - 1] == '=' ? "" : ",", pcr);
}

START_TEST(real_quote_decodes)
{
	const struct quote_case *c = &cases[_i];
	struct tpm2_attest a;
	struct parse_error e;
	struct loaded l;
	char buf[256], type[8], key[128], want[256];

	load_case(c, &l);
	ck_assert_int_eq(tpm2_attest_parse(l.attest.ptr, l.attest.len, &a, &e), 0);
	snprintf(buf, sizeof(buf), "%08x", a.magic);
	ck_assert_str_eq(buf, field(c, l.exp, "magic"));
	snprintf(type, sizeof(type), "%04x", a.type);
	ck_assert_int_eq(strncmp(type, field(c, l.exp, "type"), 4), 0);
	ck_assert_str_eq(hex_of(a.qualified_signer.ptr, a.qualified_signer.len),
	    field(c, l.exp, "qualified_signer"));
	ck_assert_str_eq(hex_of(a.extra_data.ptr, a.extra_data.len), field(c, l.exp, "extra_data"));
	ck_assert_uint_eq(a.clock, strtoull(field(c, l.exp, "clock"), NULL, 10));
	ck_assert_uint_eq(a.reset_count, strtoul(field(c, l.exp, "reset_count"), NULL, 10));
	ck_assert_uint_eq(a.restart_count, strtoul(field(c, l.exp, "restart_count"), NULL, 10));
	ck_assert_uint_eq(a.safe, strtoul(field(c, l.exp, "safe"), NULL, 10));
	snprintf(buf, sizeof(buf), "%016llx", (unsigned long long)a.firmware_version);
	ck_assert_str_eq(buf, field(c, l.exp, "firmware_version"));
	/* one "pcr_select" line per selection, in order */
	snprintf(key, sizeof(key), "%s.pcr_select", c->prefix);
	for (uint32_t i = 0; i < a.selection_count; i++) {
		ck_assert_ptr_nonnull(expected_nth(l.exp, key, (int)i, want, sizeof(want)));
		selection_text(&a.selections[i], buf, sizeof(buf));
		ck_assert_str_eq(buf, want);
	}
	ck_assert_ptr_null(expected_nth(l.exp, key, (int)a.selection_count, want, sizeof(want)));
	ck_assert_str_eq(hex_of(a.pcr_digest.ptr, a.pcr_digest.len), field(c, l.exp, "pcr_digest"));
	unload(&l);
}
END_TEST

START_TEST(real_quote_verifies)
{
	const struct quote_case *c = &cases[_i];
	struct quote_result r;
	struct loaded l;
	char scheme[64];
	enum digest_alg a;

	load_case(c, &l);
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_OK);
	ck_assert_str_eq(r.detail, "");
	ck_assert_uint_eq(r.composite_len, strtoul(field(c, l.exp, "pcr_composite_len"), NULL, 10));
	ck_assert_str_eq(hex_of(r.pcr_digest, r.pcr_digest_len),
	    field(c, l.exp, "pcr_digest_computed"));
	ck_assert_str_eq(r.pcr_digest_match ? "true" : "false", field(c, l.exp, "pcr_digest_match"));
	ck_assert_str_eq(r.signature_valid ? "true" : "false", field(c, l.exp, "signature_valid"));
	ck_assert_int_eq(digest_from_tpm_alg(r.sig_hash, &a), 0);
	snprintf(scheme, sizeof(scheme), "%s hash=%s",
	    r.sig_alg == TPM2_ALG_ECDSA    ? "ecdsa"
	    : r.sig_alg == TPM2_ALG_RSAPSS ? "rsapss"
					   : "rsassa",
	    digest_name(a));
	ck_assert_str_eq(scheme, field(c, l.exp, "signature_scheme"));
	unload(&l);
}
END_TEST

/* Every "eventlog_replay <bank> pcrs=<list> match_quoted=true" line: the
 * replayed PCRs equal the quoted ones, and the quote verifies with them. */
START_TEST(event_log_matches_quote)
{
	const struct quote_case *c = &cases[_i];
	struct eventlog_limits lim;
	struct eventlog_summary *sum = calloc(1, sizeof(*sum));
	struct attest_error err;
	struct digest_ctx d;
	struct quote_result r;
	struct bytes log;
	struct loaded l;
	char line[512], bank[16], list[256];
	int checked = 0;

	load_case(c, &l);
	if (!expected_nth(l.exp, "eventlog_replay", 0, line, sizeof(line))) {
		unload(&l);
		free(sum);
		return; /* this source has no event log */
	}
	log = read_bytes(c->dir, "eventlog.bin");
	digest_ctx_init(&d);
	eventlog_limits_default(&lim);
	ck_assert_int_eq(eventlog_replay(log.ptr, log.len, &lim, &d, NULL, NULL, sum, &err), 0);
	for (int n = 0; expected_nth(l.exp, "eventlog_replay", n, line, sizeof(line)); n++) {
		enum digest_alg a;

		ck_assert_int_eq(sscanf(line, "%15s pcrs=%255s", bank, list), 2);
		ck_assert_ptr_nonnull(strstr(line, "match_quoted=true"));
		ck_assert_int_eq(digest_from_name(bank, strlen(bank), &a), 0);
		for (char *p = list; *p; p += strcspn(p, ",") + (p[strcspn(p, ",")] == ',')) {
			unsigned pcr = (unsigned)atoi(p);
			ck_assert_mem_eq(pcr_banks_get(&sum->pcrs, a, pcr),
			    pcr_banks_get(&l.pcrs, a, pcr), digest_size(a));
			/* the quote is checked against the replay's value */
			memcpy(l.pcrs.value[a][pcr], pcr_banks_get(&sum->pcrs, a, pcr), digest_size(a));
			checked++;
		}
	}
	ck_assert_int_gt(checked, 0);
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_OK);
	digest_ctx_clear(&d);
	free((void *)log.ptr);
	free(sum);
	unload(&l);
}
END_TEST

/* --- negative lines --- */

/* The n-th `negative nonce <hex or "ascii"> ... -> nonce mismatch` line of
 * a case: with that nonce the quote fails for its nonce alone. */
static void
check_negative_nonce(const struct quote_case *c, int n)
{
	struct quote_result r;
	struct loaded l;
	char line[256];

	load_case(c, &l);
	ck_assert_ptr_nonnull(expected_nth(l.exp, "negative", n, line, sizeof(line)));
	ck_assert_int_eq(strncmp(line, "nonce ", 6), 0);
	ck_assert_ptr_nonnull(strstr(line, "-> nonce mismatch"));
	if (line[6] == '"') {
		l.x.nonce.len = strcspn(line + 7, "\"");
		memcpy(l.nonce, line + 7, l.x.nonce.len);
	} else {
		l.x.nonce.len = from_hex(line + 6, l.nonce, sizeof(l.nonce));
	}
	ck_assert_uint_gt(l.x.nonce.len, 0);
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_NONCE);
	ck_assert(r.signature_valid && r.pcr_digest_match);
	ck_assert_int_eq(strncmp(r.detail, "extraData ", 10), 0);
	unload(&l);
}

START_TEST(cmc_wrong_nonce)
{
	check_negative_nonce(&cases[4], 0);
}
END_TEST

START_TEST(keylime_wrong_nonce)
{
	check_negative_nonce(&cases[5], 1);
}
END_TEST

START_TEST(keylime_flipped_quote)
{
	struct quote_result r;
	struct bytes flipped;
	struct loaded l;
	char line[256];

	load_case(&cases[5], &l);
	ck_assert_ptr_nonnull(expected_nth(l.exp, "negative", 0, line, sizeof(line)));
	ck_assert_ptr_nonnull(strstr(line, "quote-byte5-flipped.attest"));
	ck_assert_ptr_nonnull(strstr(line, "signature_valid false"));
	flipped = read_bytes("keylime-checkquote", "quote-byte5-flipped.attest");
	ck_assert_int_eq(quote_verify_tpm2(flipped, &l.sig, l.aik, &l.x, &r), QUOTE_SIGNATURE);
	ck_assert(!r.signature_valid);
	free((void *)flipped.ptr);
	unload(&l);
}
END_TEST

START_TEST(keylime_sha1_required)
{
	struct quote_result r;
	struct loaded l;
	char line[256];

	load_case(&cases[5], &l);
	ck_assert_ptr_nonnull(expected_nth(l.exp, "negative", 2, line, sizeof(line)));
	ck_assert_ptr_nonnull(strstr(line, "expecting a SHA-1 signature hash -> reject"));
	l.x.sig_hash = TPM2_ALG_SHA1;
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_SIGNATURE_HASH);
	ck_assert_str_eq(r.detail, "the signature uses sha256, sha1 is required");
	unload(&l);
}
END_TEST

/* keylime's test also changes the PCR blob: the digest must then differ. */
START_TEST(changed_pcr_value)
{
	struct quote_result r;
	struct loaded l;
	enum digest_alg a;

	load_case(&cases[5], &l);
	ck_assert_int_eq(digest_from_tpm_alg(TPM2_ALG_SHA256, &a), 0);
	l.pcrs.value[a][16][0] ^= 1;
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_PCR_DIGEST);
	ck_assert(r.signature_valid && !r.pcr_digest_match);
	ck_assert_ptr_nonnull(strstr(r.detail, "pcrDigest 6d4d3749"));
	unload(&l);
}
END_TEST

START_TEST(windows_creation_is_not_a_quote)
{
	struct tpm2_signature sig;
	struct quote_result r;
	struct parse_error e;
	struct bytes attest, sigb;
	struct loaded l;
	char line[512];

	load_case(&cases[3], &l);
	ck_assert_ptr_nonnull(expected(l.exp, "ak_creation.type", line, sizeof(line)));
	ck_assert_int_eq(strncmp(line, "801a ATTEST_CREATION", 20), 0);
	ck_assert_ptr_nonnull(strstr(line, "ak_creation.signature_valid true"));
	attest = read_bytes(cases[3].dir, "ak-creation.attest");
	sigb = read_bytes(cases[3].dir, "ak-creation.sig");
	ck_assert_int_eq(tpm2_signature_parse(sigb.ptr, sigb.len, &sig, &e), 0);
	ck_assert_int_eq(quote_verify_tpm2(attest, &sig, l.aik, &l.x, &r), QUOTE_TYPE);
	ck_assert(r.signature_valid);
	ck_assert_str_eq(r.detail, "type is 0x801a, not TPM2_ST_ATTEST_QUOTE");
	free((void *)attest.ptr);
	free((void *)sigb.ptr);
	unload(&l);
}
END_TEST

START_TEST(pcr_without_value_or_not_quoted)
{
	struct quote_result r;
	struct loaded l;
	enum digest_alg a;

	load_case(&cases[4], &l); /* cmc: SHA-256 PCRs 1 and 4 */
	ck_assert_int_eq(digest_from_tpm_alg(TPM2_ALG_SHA256, &a), 0);
	l.pcrs.used[a] &= ~(1u << 4);
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_PCR_SELECTION);
	ck_assert_str_eq(r.detail, "PCR 4 of the sha256 bank is quoted, but the evidence gives no "
				   "value for it");
	l.pcrs.used[a] |= 1u << 4;
	l.x.required_bank = TPM2_ALG_SHA256;
	l.x.required_pcrs = 1u << 1 | 1u << 4 | 1u << 7;
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_PCR_SELECTION);
	ck_assert_str_eq(r.detail, "PCR 7 of the sha256 bank holds evidence but is not quoted");
	l.x.required_pcrs = 1u << 1 | 1u << 4;
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, l.aik, &l.x, &r), QUOTE_OK);
	unload(&l);
}
END_TEST

START_TEST(wrong_aik)
{
	struct quote_result r;
	struct loaded l;
	EVP_PKEY *other;

	load_case(&cases[4], &l);
	other = load_aik("keylime-checkquote", "ak.pem");
	ck_assert_int_eq(quote_verify_tpm2(l.attest, &l.sig, other, &l.x, &r), QUOTE_SIGNATURE);
	ck_assert_str_eq(r.detail, "the RSASSA-PKCS1-v1_5 signature with sha256 does not verify "
				   "with the AIK");
	EVP_PKEY_free(other);
	unload(&l);
}
END_TEST

/* cmc's event digest lists replay (SHA-256 extends from zero) to the
 * quoted PCRs 1 and 4. */
START_TEST(cmc_event_digests)
{
	static const char *const files[] = {"pcr1-event-digests.txt", "pcr4-event-digests.txt"};
	static const unsigned pcrs[] = {1, 4};
	struct loaded l;
	enum digest_alg a;

	load_case(&cases[4], &l);
	ck_assert_int_eq(digest_from_tpm_alg(TPM2_ALG_SHA256, &a), 0);
	for (int i = 0; i < 2; i++) {
		char line[512], want[128], *text = read_text("cmc-pcr1-4", files[i]);
		uint8_t pcr[32] = {0}, d[32];
		unsigned count = 0, want_count;

		for (char *p = text; *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] == '\n')) {
			ck_assert_uint_eq(from_hex(p, d, 32), 32);
			EVP_MD_CTX *ctx = EVP_MD_CTX_new();
			EVP_DigestInit_ex(ctx, EVP_sha256(), NULL);
			EVP_DigestUpdate(ctx, pcr, 32);
			EVP_DigestUpdate(ctx, d, 32);
			EVP_DigestFinal_ex(ctx, pcr, NULL);
			EVP_MD_CTX_free(ctx);
			count++;
		}
		ck_assert_ptr_nonnull(expected_nth(l.exp, "event_digests", i, line, sizeof(line)));
		ck_assert_int_eq(sscanf(strchr(line, ' '), " count=%u replay=%64s", &want_count, want), 2);
		ck_assert_uint_eq(count, want_count);
		ck_assert_str_eq(hex_of(pcr, 32), want);
		ck_assert_mem_eq(pcr, pcr_banks_get(&l.pcrs, a, pcrs[i]), 32);
		free(text);
	}
	unload(&l);
}
END_TEST

/* --- TPM 1.2 --- */

START_TEST(tpm12_quote_verifies)
{
	struct tpm12_pcr_selection sel = {3, {0xff, 0xff, 0xff}};
	struct tpm12_quote_info q;
	struct quote_result r;
	struct quote_expect x = {0};
	struct pcr_banks pcrs;
	struct parse_error e;
	struct bytes info, sig;
	char *exp = read_text("tpm12-linux", "expected.txt"), v[256];
	uint8_t nonce[20];
	EVP_PKEY *aik = load_aik("tpm12-linux", "ak.pem");

	info = read_bytes("tpm12-linux", "quote.tpm_quote_info");
	sig = read_bytes("tpm12-linux", "quote.sig");
	ck_assert_int_eq(tpm12_quote_info_parse(info.ptr, info.len, &q, &e), 0);
	ck_assert_int_eq(q.version, 1);
	ck_assert_str_eq(hex_of(q.struct_version, 4), expected(exp, "quote.struct_version", v, sizeof(v)));
	ck_assert_mem_eq(q.fixed, expected(exp, "quote.fixed", v, sizeof(v)), 4);
	ck_assert_str_eq(hex_of(q.composite_hash.ptr, 20),
	    expected(exp, "quote.composite_hash", v, sizeof(v)));
	ck_assert_str_eq(hex_of(q.external_data.ptr, 20),
	    expected(exp, "quote.external_data", v, sizeof(v)));
	ck_assert_str_eq(expected(exp, "quote.pcr_selection", v, sizeof(v)),
	    "sizeOfSelect=3 bitmap=ffffff pcrs=0-23");

	load_pcrs("tpm12-linux", &pcrs);
	x.nonce.ptr = nonce;
	x.nonce.len = from_hex(expected(exp, "quote.external_data", v, sizeof(v)), nonce, 20);
	x.pcr = quote_pcr_from_banks;
	x.pcr_ctx = &pcrs;
	ck_assert_int_eq(quote_verify_tpm12(info, sig, &sel, aik, &x, &r), QUOTE_OK);
	ck_assert(r.signature_valid && r.pcr_digest_match);
	ck_assert_str_eq(hex_of(r.pcr_digest, r.pcr_digest_len),
	    expected(exp, "quote.pcr_composite_computed", v, sizeof(v)));
	ck_assert_str_eq(expected(exp, "quote.signature_valid", v, sizeof(v)), "true");

	/* TPM_QUOTE_INFO names no PCRs: without a selection nothing is proven */
	ck_assert_int_eq(quote_verify_tpm12(info, sig, NULL, aik, &x, &r), QUOTE_PCR_SELECTION);
	nonce[0] ^= 1;
	ck_assert_int_eq(quote_verify_tpm12(info, sig, &sel, aik, &x, &r), QUOTE_NONCE);
	nonce[0] ^= 1;
	sel.select[2] = 0x7f; /* PCR 23 left out: another composite */
	ck_assert_int_eq(quote_verify_tpm12(info, sig, &sel, aik, &x, &r), QUOTE_PCR_DIGEST);
	free((void *)info.ptr);
	free((void *)sig.ptr);
	free(exp);
	EVP_PKEY_free(aik);
}
END_TEST

START_TEST(tpm12_event_log_matches_quote)
{
	struct eventlog_limits lim;
	struct eventlog_summary *sum = calloc(1, sizeof(*sum));
	struct attest_error err;
	struct digest_ctx d;
	struct pcr_banks pcrs;
	struct bytes log = read_bytes("tpm12-linux", "eventlog.bin");
	char *exp = read_text("tpm12-linux", "expected.txt"), v[256];

	ck_assert_str_eq(expected(exp, "eventlog_replay", v, sizeof(v)),
	    "sha1 pcrs=0,1,2,3,4,5,6,7 match_quoted=true");
	load_pcrs("tpm12-linux", &pcrs);
	digest_ctx_init(&d);
	eventlog_limits_default(&lim);
	ck_assert_int_eq(eventlog_replay(log.ptr, log.len, &lim, &d, NULL, NULL, sum, &err), 0);
	for (unsigned pcr = 0; pcr < 8; pcr++)
		ck_assert_mem_eq(pcr_banks_get(&sum->pcrs, DIGEST_SHA1, pcr),
		    pcr_banks_get(&pcrs, DIGEST_SHA1, pcr), 20);
	digest_ctx_clear(&d);
	free((void *)log.ptr);
	free(exp);
	free(sum);
}
END_TEST

/* --- the seeds' vectors --- */

START_TEST(seed_quote_vectors)
{
	size_t qlen, clen, dlen;
	uint8_t *quote = tl_read_testdata("seed/tpms-attest-quote.bin", &qlen);
	uint8_t *composite = tl_read_testdata("seed/pcr-composite.bin", &clen);
	uint8_t *digest = tl_read_testdata("seed/pcr-composite-digest.bin", &dlen);
	static const unsigned pcrs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14};
	struct tpm2_signature none = {.sig_alg = TPM2_ALG_RSASSA, .hash = TPM2_ALG_SHA256};
	struct quote_expect x = {0};
	struct quote_result r;
	struct tpm2_attest a;
	struct pcr_banks b;
	struct parse_error e;
	uint8_t sha[32];

	ck_assert_uint_eq(qlen, 145);
	ck_assert_int_eq(tpm2_attest_parse(quote, qlen, &a, &e), 0);
	ck_assert_uint_eq(a.magic, 0xff544347);
	ck_assert_uint_eq(a.type, 0x8018);
	ck_assert_uint_eq(a.qualified_signer.len, 34);
	ck_assert_uint_eq(a.qualified_signer.ptr[0] << 8 | a.qualified_signer.ptr[1], TPM2_ALG_SHA256);
	ck_assert_uint_eq(a.extra_data.len, 32);
	ck_assert_uint_eq(a.clock, 0x5fae07c5);
	ck_assert_uint_eq(a.reset_count, 0x113);
	ck_assert_uint_eq(a.restart_count, 0);
	ck_assert_uint_eq(a.safe, 1);
	ck_assert_uint_eq(a.firmware_version, 0x0001010200000000ull);
	ck_assert_uint_eq(a.selection_count, 1);
	ck_assert_uint_eq(a.selections[0].hash, TPM2_ALG_SHA256);
	ck_assert_uint_eq(a.selections[0].size_of_select, 3);
	ck_assert_mem_eq(a.selections[0].select, "\xff\x47\x00", 3);
	for (unsigned pcr = 0, i = 0; pcr < QUOTE_MAX_PCRS; pcr++) {
		ck_assert_int_eq(tpm2_pcr_selected(&a.selections[0], pcr), i < 12 && pcrs[i] == pcr);
		i += i < 12 && pcrs[i] == pcr;
	}
	ck_assert_uint_eq(a.pcr_digest.len, 32);
	/* as the seed's log prints it: 86 88 05 ... 95 70 86 */
	ck_assert_str_eq(hex_of(a.pcr_digest.ptr, 3), "868805");
	ck_assert_str_eq(hex_of(a.pcr_digest.ptr + 29, 3), "957086");

	/* the composite digest: SHA-256 of the composite, the quote's digest */
	ck_assert_uint_eq(clen, 384);
	ck_assert_uint_eq(dlen, 32);
	EVP_Digest(composite, clen, sha, NULL, EVP_sha256(), NULL);
	ck_assert_mem_eq(sha, digest, 32);
	ck_assert_mem_eq(a.pcr_digest.ptr, digest, 32);

	/* and the verifier computes it from the 12 values (no AIK: unsigned) */
	pcr_banks_init(&b, DIGEST_BIT(DIGEST_SHA256));
	for (size_t i = 0; i < 12; i++) {
		memcpy(b.value[DIGEST_SHA256][pcrs[i]], composite + 32 * i, 32);
		b.used[DIGEST_SHA256] |= 1u << pcrs[i];
	}
	x.nonce = a.extra_data;
	x.pcr = quote_pcr_from_banks;
	x.pcr_ctx = &b;
	ck_assert_int_eq(quote_verify_tpm2((struct bytes){quote, qlen}, &none, NULL, &x, &r),
	    QUOTE_SIGNATURE);
	ck_assert(r.pcr_digest_match);
	ck_assert_uint_eq(r.composite_len, 384);
	ck_assert_mem_eq(r.pcr_digest, digest, 32);
	free(quote);
	free(composite);
	free(digest);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("quote");
	TCase *tc = tcase_create("real");
	tcase_add_loop_test(tc, real_quote_decodes, 0, NCASES);
	tcase_add_loop_test(tc, real_quote_verifies, 0, NCASES);
	tcase_add_loop_test(tc, event_log_matches_quote, 0, NCASES);
	tcase_add_test(tc, cmc_event_digests);
	tcase_add_test(tc, tpm12_quote_verifies);
	tcase_add_test(tc, tpm12_event_log_matches_quote);
	tcase_add_test(tc, seed_quote_vectors);
	suite_add_tcase(s, tc);
	tc = tcase_create("negative");
	tcase_add_test(tc, cmc_wrong_nonce);
	tcase_add_test(tc, keylime_wrong_nonce);
	tcase_add_test(tc, keylime_flipped_quote);
	tcase_add_test(tc, keylime_sha1_required);
	tcase_add_test(tc, changed_pcr_value);
	tcase_add_test(tc, windows_creation_is_not_a_quote);
	tcase_add_test(tc, pcr_without_value_or_not_quoted);
	tcase_add_test(tc, wrong_aik);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
