/* test_tpm.c - the attestation IMC's TPM 2.0 code (client/tpm_*.c) on a
 * software TPM (tests/tpm/swtpm-start): startup at locality 3; the test
 * data's event logs and IMA lists replayed into the PCRs, which must read
 * back as the .expected files say; the AIK (ECC and RSA: created, kept,
 * reloaded, refused when it is not this TPM's); quotes checked with OpenSSL
 * (signature over the TPMS_ATTEST with the exported key, extraData = the
 * nonce, PCR digest = hash of the PCRs read back), by the Attestation IMV's
 * verifier (attest/quote_verify.h, against its own replay of the logs) and
 * by tpm2_checkquote; the TPM's version information; the reasons given for
 * bad logs, nonces, key files and TCTIs.
 *
 * Each test starts its own swtpm; the TCase's unchecked teardown stops
 * every one of them, also after a test crashed. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "eventlog.h"
#include "ima.h"
#include "quote.h"
#include "quote_verify.h"
#include "testlib.h"
#include "tpm_aik.h"
#include "tpm_conn.h"
#include "tpm_info.h"
#include "tpm_pcr.h"
#include "tpm_quote.h"
#include "tpm_replay.h"
#include "wire.h"

#define SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
#define SET "tpm-replay/"
#define BIOS_LOG SET "binary_bios_measurements.bin"
#define IMA_SHA1 SET "sha1.log"
#define IMA_SHA256 SET "sha256.log"

static char base[64]; /* one directory per test below it */

static void
base_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/test_tpm.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	/* libtss2 logs the TPM errors the tests provoke; the reasons are
	 * checked through tpm_error(). */
	setenv("TSS2_LOG", "all+none", 1);
}

static void
base_teardown(void)
{
	char out[256];
	ck_assert_int_eq(tl_sh(out, sizeof(out),
	                     "for d in '%s'/*/tpm; do [ ! -e \"$d\" ] || '%s' stop \"$d\"; done; rm -rf '%s'",
	                     base, SWTPM_START, base),
	    0);
}

/* A fresh directory for this test. */
static void
test_dir(char *out, size_t size)
{
	snprintf(out, size, "%s/XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(out));
}

/* Starts a swtpm in dir/tpm (started at locality 0 by swtpm itself unless
 * no_startup) and opens it. */
static struct tpm *
start_tpm(const char *dir, bool no_startup)
{
	char tcti[256], err[256];
	struct tpm *t;

	int rc = tl_sh(tcti, sizeof(tcti), "'%s' start '%s/tpm'%s 2>&1", SWTPM_START, dir,
	    no_startup ? " --no-startup" : "");
	ck_assert_msg(rc == 0, "swtpm-start: %s", tcti);
	tcti[strcspn(tcti, "\n")] = 0;
	ck_assert_msg(strncmp(tcti, "swtpm:host=127.0.0.1,port=", 26) == 0, "%s", tcti);
	ck_assert_msg(tpm_open(tcti, &t, err, sizeof(err)) == 0, "tpm_open: %s", err);
	return t;
}

/* The TCTI string of the swtpm of dir (swtpm-start keeps it). */
static void
read_tcti(const char *dir, char *out, size_t size)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/tpm/tcti", dir);
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(fgets(out, (int)size, f));
	fclose(f);
	out[strcspn(out, "\n")] = 0;
}

static void
hex_decode(const char *hex, uint8_t *out, size_t *ret_len)
{
	size_t n = 0;
	while (isxdigit((unsigned char)hex[0]) && isxdigit((unsigned char)hex[1])) {
		unsigned v;
		ck_assert_int_eq(sscanf(hex, "%2x", &v), 1);
		out[n++] = (uint8_t)v;
		hex += 2;
	}
	*ret_len = n;
}

/* The value of the first line of an .expected file that starts with
 * "key " (the rest of the line up to a blank); fails the test when none. */
static void
expected(const char *rel, const char *key, char *out, size_t size)
{
	size_t len, klen = strlen(key);
	char *text = (char *)tl_read_testdata(rel, &len);

	for (char *line = text; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
		if (strncmp(line, key, klen) == 0 && line[klen] == ' ') {
			size_t n = strcspn(line + klen + 1, " \n#");
			ck_assert_uint_lt(n, size);
			memcpy(out, line + klen + 1, n);
			out[n] = 0;
			free(text);
			return;
		}
	}
	ck_abort_msg("%s has no '%s' line", rel, key);
}

static unsigned
expected_uint(const char *rel, const char *key)
{
	char v[32];
	expected(rel, key, v, sizeof(v));
	return (unsigned)strtoul(v, NULL, 10);
}

/* A PCR value read back equals the .expected file's line key: "pcr BANK N"
 * of an event log, "pcr10 BANK" of an IMA list. */
static void
assert_pcr(const uint8_t value[DIGEST_MAX], enum digest_alg bank, const char *rel, const char *key)
{
	char hex[160];
	uint8_t want[DIGEST_MAX];
	size_t n;

	expected(rel, key, hex, sizeof(hex));
	hex_decode(hex, want, &n);
	ck_assert_uint_eq(n, digest_size(bank));
	ck_assert_msg(memcmp(value, want, n) == 0, "%s: %s differs", rel, key);
}

static void
assert_pcrs_of_log(struct tpm *t, const char *rel, enum digest_alg bank, uint32_t mask)
{
	uint8_t values[PCR_COUNT][DIGEST_MAX];
	char key[32];

	ck_assert_msg(tpm_pcr_read(t, bank, mask, values) == 0, "%s", tpm_error(t));
	for (unsigned i = 0; i < PCR_COUNT; i++) {
		if (!((mask >> i) & 1))
			continue;
		snprintf(key, sizeof(key), "pcr %s %u", digest_name(bank), i);
		assert_pcr(values[i], bank, rel, key);
	}
}

START_TEST(startup_at_locality_3)
{
	char dir[128];
	uint8_t values[PCR_COUNT][DIGEST_MAX];
	uint8_t want[DIGEST_MAX] = {0};

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, true);
	ck_assert_int_eq(tpm_startup(t, 5), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(tpm_error(t), "localities are 0 to 4"));
	ck_assert_msg(tpm_startup(t, 3) == 0, "%s", tpm_error(t));
	/* TPM 2.0 Part 1, Startup Locality: PCR 0 starts at 00..03 in every
	 * bank; the other PCRs at zero. */
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA256, 0x3, values), 0);
	want[31] = 3;
	ck_assert_mem_eq(values[0], want, 32);
	want[31] = 0;
	ck_assert_mem_eq(values[1], want, 32);
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA1, 0x1, values), 0);
	want[19] = 3;
	ck_assert_mem_eq(values[0], want, 20);
	ck_assert_int_eq(tpm_startup(t, 0), TNC_ESTATE);
	ck_assert_str_eq(tpm_error(t), "TPM2_Startup: the TPM was started already");

	unsigned banks;
	ck_assert_int_eq(tpm_pcr_banks(t, &banks), 0);
	ck_assert_uint_eq(banks, DIGEST_BIT(DIGEST_SHA1) | DIGEST_BIT(DIGEST_SHA256));
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA384, 0x1, values), TNC_ENOTFOUND);
	ck_assert_str_eq(tpm_error(t), "bank sha384 is not allocated");
	tpm_close(t);
}
END_TEST

/* The ThinkPad's crypto-agile log (StartupLocality 3) and the vTPM's IMA
 * list: every PCR the quote covers ends as the .expected files say. */
START_TEST(replay_boot_and_ima)
{
	char dir[128];
	size_t len;
	struct tpm_replay r;
	uint8_t values[PCR_COUNT][DIGEST_MAX];

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, true);
	uint8_t *log = tl_read_testdata(BIOS_LOG, &len);
	ck_assert_msg(tpm_replay_boot(t, log, len, &r) == 0, "%s", tpm_error(t));
	free(log);
	ck_assert_uint_eq(r.records, expected_uint(BIOS_LOG ".expected", "records"));
	ck_assert_uint_eq(r.extended, expected_uint(BIOS_LOG ".expected", "extended_events"));
	ck_assert_int_eq(r.startup_locality, (int)expected_uint(BIOS_LOG ".expected", "startup_locality"));
	ck_assert_uint_eq(r.pcrs, 0x43ff); /* 0-9 and 14 */
	ck_assert_uint_eq(r.banks, DIGEST_BIT(DIGEST_SHA1) | DIGEST_BIT(DIGEST_SHA256));
	assert_pcrs_of_log(t, BIOS_LOG ".expected", DIGEST_SHA1, r.pcrs);
	assert_pcrs_of_log(t, BIOS_LOG ".expected", DIGEST_SHA256, r.pcrs);

	uint8_t *ima = tl_read_testdata(IMA_SHA1, &len);
	ck_assert_msg(tpm_replay_ima(t, ima, len, &r) == 0, "%s", tpm_error(t));
	free(ima);
	ck_assert_uint_eq(r.records, expected_uint(IMA_SHA1 ".expected", "entries"));
	ck_assert_uint_eq(r.extended, r.records);
	ck_assert_uint_eq(r.pcrs, 1u << 10);
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA1, 1u << 10, values), 0);
	assert_pcr(values[10], DIGEST_SHA1, IMA_SHA1 ".expected", "pcr10 sha1");
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA256, 1u << 10, values), 0);
	assert_pcr(values[10], DIGEST_SHA256, IMA_SHA1 ".expected", "pcr10 sha256");
	/* The boot's PCRs are untouched by IMA. */
	assert_pcrs_of_log(t, BIOS_LOG ".expected", DIGEST_SHA256, 0x43ff);
	tpm_close(t);
}
END_TEST

/* The same boot's list with SHA-256 template hashes: the SHA-1 bank now
 * gets the template data's SHA-1, and both banks end as with sha1.log. */
START_TEST(replay_ima_sha256_list)
{
	char dir[128];
	size_t len;
	struct tpm_replay r;
	uint8_t values[PCR_COUNT][DIGEST_MAX];

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, false);
	uint8_t *ima = tl_read_testdata(IMA_SHA256, &len);
	ck_assert_msg(tpm_replay_ima(t, ima, len, &r) == 0, "%s", tpm_error(t));
	free(ima);
	ck_assert_uint_eq(r.records, 362);
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA1, 1u << 10, values), 0);
	assert_pcr(values[10], DIGEST_SHA1, IMA_SHA256 ".expected", "pcr10 sha1");
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA256, 1u << 10, values), 0);
	assert_pcr(values[10], DIGEST_SHA256, IMA_SHA256 ".expected", "pcr10 sha256");
	tpm_close(t);
}
END_TEST

static void
put(uint8_t *buf, size_t *off, const void *p, size_t n)
{
	memcpy(buf + *off, p, n);
	*off += n;
}

/* IBM's template-coverage list (14 templates, the legacy "ima" one without
 * a data length, a violation extended as ones), then a legacy entry made
 * here by PROVENANCE.md's rule: the file digest and the file name
 * NUL-padded to 256 bytes, hashed with each bank's algorithm. */
START_TEST(replay_ima_templates)
{
	const char *rel = SET "imatest.log";
	char dir[128];
	size_t len;
	struct tpm_replay r;
	uint8_t values[PCR_COUNT][DIGEST_MAX];

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, false);
	uint8_t *ima = tl_read_testdata(rel, &len);
	ck_assert_msg(tpm_replay_ima(t, ima, len, &r) == 0, "%s", tpm_error(t));
	free(ima);
	ck_assert_uint_eq(r.records, expected_uint(SET "imatest.log.expected", "entries"));
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA1, 1u << 10, values), 0);
	assert_pcr(values[10], DIGEST_SHA1, SET "imatest.log.expected", "pcr10 sha1");
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA256, 1u << 10, values), 0);
	assert_pcr(values[10], DIGEST_SHA256, SET "imatest.log.expected", "pcr10 sha256");

	/* One legacy entry into PCR 11: u32 PCR, SHA-1 template hash, u32 3,
	 * "ima", SHA-1 file digest, u32 name length, name. */
	static const char name[] = "/usr/bin/tnc";
	uint8_t digest[20], field[20 + 256] = {0}, list[4 + 20 + 4 + 3 + 20 + 4 + sizeof(name) - 1];
	uint8_t sha1[20], sha256[32], start[32 + 32] = {0}, want[32];
	for (int i = 0; i < 20; i++)
		digest[i] = (uint8_t)i;
	memcpy(field, digest, 20);
	memcpy(field + 20, name, sizeof(name) - 1);
	SHA1(field, sizeof(field), sha1);
	SHA256(field, sizeof(field), sha256);
	static const uint8_t pcr11[4] = {11}, name_len[4] = {sizeof(name) - 1};
	size_t off = 0;
	put(list, &off, pcr11, 4);
	put(list, &off, sha1, 20);
	put(list, &off, "\x03\0\0\0ima", 7);
	put(list, &off, digest, 20);
	put(list, &off, name_len, 4);
	put(list, &off, name, sizeof(name) - 1);
	ck_assert_uint_eq(off, sizeof(list));
	ck_assert_msg(tpm_replay_ima(t, list, sizeof(list), &r) == 0, "%s", tpm_error(t));
	ck_assert_uint_eq(r.pcrs, 1u << 11);
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA256, 1u << 11, values), 0);
	memcpy(start + 32, sha256, 32);
	SHA256(start, sizeof(start), want);
	ck_assert_mem_eq(values[11], want, 32);
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA1, 1u << 11, values), 0);
	memset(start, 0, 20);
	memcpy(start + 20, sha1, 20);
	SHA1(start, 40, want);
	ck_assert_mem_eq(values[11], want, 20);
	tpm_close(t);
}
END_TEST

/* A log in the SHA-1 format extends the SHA-1 bank only. */
START_TEST(replay_sha1_format_log)
{
	const char *rel = SET "event-uefi-sha1-log.bin";
	char dir[128];
	size_t len;
	struct tpm_replay r;
	uint8_t values[PCR_COUNT][DIGEST_MAX], zero[32] = {0};

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, true);
	uint8_t *log = tl_read_testdata(rel, &len);
	ck_assert_msg(tpm_replay_boot(t, log, len, &r) == 0, "%s", tpm_error(t));
	free(log);
	ck_assert_uint_eq(r.records, 17);
	ck_assert_uint_eq(r.extended, 17);
	ck_assert_int_eq(r.startup_locality, -1);
	ck_assert_uint_eq(r.banks, DIGEST_BIT(DIGEST_SHA1));
	assert_pcrs_of_log(t, SET "event-uefi-sha1-log.bin.expected", DIGEST_SHA1, 0xff);
	ck_assert_int_eq(tpm_pcr_read(t, DIGEST_SHA256, 0x1, values), 0);
	ck_assert_mem_eq(values[0], zero, 32);
	tpm_close(t);
}
END_TEST

START_TEST(replay_refuses_bad_logs)
{
	char dir[128];
	size_t len, bogus_len;
	struct tpm_replay r;

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, true);
	/* keylime's "bogus" file: its eventSize runs past the end. */
	uint8_t *bogus = tl_read_testdata(SET "binary_bios_measurements-bogus.bin", &bogus_len);
	ck_assert_int_eq(tpm_replay_boot(t, bogus, bogus_len, &r), TNC_ETRUNCATED);
	ck_assert_str_eq(tpm_error(t),
	    "record 0 at offset 0: eventSize 1919248394 runs past the end of the log (2 bytes left)");
	free(bogus);
	/* Cut inside record 16: named, and the TPM not touched (not even
	 * started, so the full log still replays at locality 3). */
	uint8_t *log = tl_read_testdata(BIOS_LOG, &len);
	ck_assert_int_eq(tpm_replay_boot(t, log, 20000, &r), TNC_ETRUNCATED);
	ck_assert_str_eq(tpm_error(t),
	    "record 16 at offset 10098: eventSize 23994 runs past the end of the log (9830 bytes left)");
	ck_assert_int_eq(tpm_replay_boot(t, log, 0, &r), TNC_ETRUNCATED);
	ck_assert_str_eq(tpm_error(t), "the log is empty");
	ck_assert_msg(tpm_replay_boot(t, log, len, &r) == 0, "%s", tpm_error(t));
	ck_assert_int_eq(r.startup_locality, 3);
	/* A started TPM is not started again. */
	ck_assert_int_eq(tpm_replay_boot(t, log, len, &r), TNC_ESTATE);
	/* An agile record announcing more digests than the Spec ID event has
	 * algorithms (sha1, sha256): record 1's count is at offset 8 of it. */
	uint32_t spec_size = log[28] | log[29] << 8 | log[30] << 16 | (uint32_t)log[31] << 24;
	size_t rec1 = 32 + spec_size; /* the header record: 32 bytes and its event */
	log[rec1 + 8] = 3;
	ck_assert_int_eq(tpm_replay_boot(t, log, len, &r), TNC_EINVALID);
	char want[128];
	snprintf(want, sizeof(want),
	    "record 1 at offset %zu: 3 digests, but the Spec ID event declares 2 algorithms", rec1);
	ck_assert_str_eq(tpm_error(t), want);
	free(log);

	/* IMA: a list cut inside entry 105, and a PCR index no TPM has. */
	uint8_t *ima = tl_read_testdata(IMA_SHA1, &len);
	ck_assert_int_eq(tpm_replay_ima(t, ima, 13600, &r), TNC_ETRUNCATED);
	ck_assert_str_eq(tpm_error(t), "entry 105 at offset 13484: the list ends inside its template data");
	ima[0] = 30;
	ck_assert_int_eq(tpm_replay_ima(t, ima, len, &r), TNC_EINVALID);
	ck_assert_str_eq(tpm_error(t), "entry 0 at offset 0: PCR index 30 out of range (0-23)");
	free(ima);
	tpm_close(t);
}
END_TEST

static void
write_file(const char *path, const void *p, size_t len)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(p, 1, len, f), len);
	fclose(f);
}

struct attest {
	uint32_t magic;
	uint16_t type;
	struct bytes signer, extra, select, pcr_digest;
	uint64_t firmware;
};

/* TPMS_ATTEST of a quote (TPM 2.0 Part 2, 10.12.12), read here with the
 * project's bounded cursor rather than libtss2. */
static void
parse_attest(const uint8_t *p, size_t len, struct attest *a)
{
	struct wire_reader r;
	uint16_t n;
	uint32_t count;
	uint8_t select_size;
	struct bytes clock;

	wire_reader_init(&r, p, len);
	ck_assert_int_eq(wire_get_u32(&r, &a->magic), 0);
	ck_assert_int_eq(wire_get_u16(&r, &a->type), 0);
	ck_assert_int_eq(wire_get_u16(&r, &n), 0);
	ck_assert_int_eq(wire_get_bytes(&r, n, &a->signer), 0);
	ck_assert_int_eq(wire_get_u16(&r, &n), 0);
	ck_assert_int_eq(wire_get_bytes(&r, n, &a->extra), 0);
	ck_assert_int_eq(wire_get_bytes(&r, 17, &clock), 0); /* TPMS_CLOCK_INFO */
	ck_assert_int_eq(wire_get_u64(&r, &a->firmware), 0);
	ck_assert_int_eq(wire_get_u32(&r, &count), 0);
	ck_assert_uint_eq(count, 1);
	size_t sel_start = wire_offset(&r);
	struct bytes skip;
	ck_assert_int_eq(wire_get_bytes(&r, 2, &skip), 0); /* hash */
	ck_assert_int_eq(wire_get_u8(&r, &select_size), 0);
	ck_assert_int_eq(wire_get_bytes(&r, select_size, &skip), 0);
	a->select.ptr = p + sel_start;
	a->select.len = wire_offset(&r) - sel_start;
	ck_assert_int_eq(wire_get_u16(&r, &n), 0);
	ck_assert_int_eq(wire_get_bytes(&r, n, &a->pcr_digest), 0);
	ck_assert_uint_eq(wire_remaining(&r), 0);
}

static EVP_PKEY *
read_pem(const char *path)
{
	FILE *f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	EVP_PKEY *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(k);
	return k;
}

/* The quote's signature over the TPMS_ATTEST, checked with the key from
 * aik.pem: RSASSA-PKCS1-v1_5 or ECDSA (r || s turned into DER), SHA-256. */
static bool
signature_ok(EVP_PKEY *key, const struct tpm_quote *q)
{
	uint8_t *der = NULL;
	int der_len;
	const uint8_t *sig = q->bare_signature;
	size_t sig_len = q->bare_signature_len;

	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_EC) {
		ECDSA_SIG *s = ECDSA_SIG_new();
		ck_assert_uint_eq(sig_len, 64);
		ck_assert_int_eq(ECDSA_SIG_set0(s, BN_bin2bn(sig, 32, NULL), BN_bin2bn(sig + 32, 32, NULL)), 1);
		der_len = i2d_ECDSA_SIG(s, &der);
		ECDSA_SIG_free(s);
		ck_assert_int_gt(der_len, 0);
		sig = der;
		sig_len = (size_t)der_len;
	}
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ok = EVP_DigestVerifyInit(ctx, NULL, EVP_sha256(), NULL, key) == 1 &&
	    EVP_DigestVerify(ctx, sig, sig_len, q->attest, q->attest_len) == 1;
	EVP_MD_CTX_free(ctx);
	OPENSSL_free(der);
	return ok;
}

static void
to_hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
}

/* What the Attestation IMV computes from the same evidence: its own replay
 * of the boot log and the IMA list (attest/eventlog.h, attest/ima.h). */
static void
imv_replay(struct pcr_banks *ret)
{
	struct digest_ctx d;
	struct eventlog_limits lim;
	struct eventlog_summary boot;
	struct ima_options o;
	struct ima_summary ima;
	struct attest_error e;
	size_t len;

	digest_ctx_init(&d);
	eventlog_limits_default(&lim);
	uint8_t *log = tl_read_testdata(BIOS_LOG, &len);
	ck_assert_msg(eventlog_replay(log, len, &lim, &d, NULL, NULL, &boot, &e) == 0, "%s", e.reason);
	free(log);
	ima_options_default(&o);
	o.banks = DIGEST_BIT(DIGEST_SHA256);
	uint8_t *list = tl_read_testdata(IMA_SHA1, &len);
	ck_assert_msg(ima_replay(list, len, &o, &d, NULL, NULL, &ima, &e) == 0, "%s", e.reason);
	free(list);
	digest_ctx_clear(&d);
	*ret = boot.pcrs;
	memcpy(ret->value[DIGEST_SHA256][10], pcr_banks_get(&ima.pcrs, DIGEST_SHA256, 10), 32);
	ret->used[DIGEST_SHA256] |= 1u << 10;
}

/* The quote as the Attestation IMV verifies it (attest/quote_verify.h):
 * against its own replay of the evidence and the agreed nonce. */
static enum quote_reason
imv_verify(const struct tpm_quote *q, EVP_PKEY *key, const uint8_t *nonce, size_t nonce_len)
{
	struct pcr_banks banks;
	struct tpm2_signature sig;
	struct parse_error pe;
	struct quote_result res;

	imv_replay(&banks);
	ck_assert_int_eq(tpm2_signature_parse(q->signature, q->signature_len, &sig, &pe), 0);
	struct quote_expect x = {
		.nonce = {nonce, nonce_len},
		.pcr = quote_pcr_from_banks,
		.pcr_ctx = &banks,
		.required_bank = TPM2_ALG_SHA256,
		.required_pcrs = TPM_QUOTE_PCRS_DEFAULT,
	};
	return quote_verify_tpm2((struct bytes){q->attest, q->attest_len}, &sig, key, &x, &res);
}

/* AIK of type: created in a state directory, exported, reloaded by a
 * second connection; a quote over the seeds' selection after the boot and
 * IMA replay, checked here and by tpm2_checkquote. */
static void
aik_and_quote(enum tpm_aik_type type, size_t nonce_len)
{
	char dir[128], state[192], path[256], out[4096];
	size_t len;
	struct tpm_replay r;
	struct tpm_aik *aik;

	test_dir(dir, sizeof(dir));
	snprintf(state, sizeof(state), "%s/state", dir);
	ck_assert_int_eq(mkdir(state, 0700), 0);
	struct tpm *t = start_tpm(dir, true);
	uint8_t *log = tl_read_testdata(BIOS_LOG, &len);
	ck_assert_msg(tpm_replay_boot(t, log, len, &r) == 0, "%s", tpm_error(t));
	free(log);
	uint8_t *ima = tl_read_testdata(IMA_SHA1, &len);
	ck_assert_msg(tpm_replay_ima(t, ima, len, &r) == 0, "%s", tpm_error(t));
	free(ima);

	ck_assert_msg(tpm_aik_load(t, state, type, &aik) == 0, "%s", tpm_error(t));
	ck_assert_int_eq(tpm_aik_type(aik), type);
	size_t der_len;
	const uint8_t *der = tpm_aik_public_der(aik, &der_len);
	uint8_t keyid[20];
	SHA1(der, der_len, keyid);
	ck_assert_mem_eq(tpm_aik_keyid(aik), keyid, 20);
	/* aik.pem is the same key; the private part only as the TPM wrapped it. */
	snprintf(path, sizeof(path), "%s/aik.pem", state);
	EVP_PKEY *key = read_pem(path);
	uint8_t *pem_der = NULL;
	ck_assert_int_eq(i2d_PUBKEY(key, &pem_der), (int)der_len);
	ck_assert_mem_eq(pem_der, der, der_len);
	OPENSSL_free(pem_der);
	ck_assert_int_eq(EVP_PKEY_get_base_id(key), type == TPM_AIK_RSA_2048 ? EVP_PKEY_RSA : EVP_PKEY_EC);
	ck_assert_int_eq(EVP_PKEY_get_bits(key), type == TPM_AIK_RSA_2048 ? 2048 : 256);
	struct stat st;
	snprintf(path, sizeof(path), "%s/aik.priv", state);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);

	/* A second connection loads the kept key (the other type asked for
	 * is ignored: an existing AIK wins). */
	char tcti[128], err[256];
	struct tpm *t2;
	struct tpm_aik *aik2;
	read_tcti(dir, tcti, sizeof(tcti));
	ck_assert_int_eq(tpm_open(tcti, &t2, err, sizeof(err)), 0);
	ck_assert_msg(tpm_aik_load(t2, state, type == TPM_AIK_RSA_2048 ? TPM_AIK_ECC_P256 : TPM_AIK_RSA_2048,
	                  &aik2) == 0,
	    "%s", tpm_error(t2));
	ck_assert_int_eq(tpm_aik_type(aik2), type);
	ck_assert_mem_eq(tpm_aik_keyid(aik2), keyid, 20);

	uint8_t nonce[64];
	for (size_t i = 0; i < nonce_len; i++)
		nonce[i] = (uint8_t)(0xa0 + i);
	struct tpm_quote q;
	ck_assert_msg(tpm_quote(aik2, DIGEST_SHA256, TPM_QUOTE_PCRS_DEFAULT, nonce, nonce_len, &q) == 0,
	    "%s", tpm_error(t2));

	struct attest a;
	parse_attest(q.attest, q.attest_len, &a);
	ck_assert_uint_eq(a.magic, 0xff544347); /* TPM_GENERATED_VALUE */
	ck_assert_uint_eq(a.type, 0x8018);      /* TPM_ST_ATTEST_QUOTE */
	ck_assert_uint_eq(a.extra.len, nonce_len);
	ck_assert_mem_eq(a.extra.ptr, nonce, nonce_len);
	static const uint8_t select[] = {0x00, 0x0b, 3, 0xff, 0x47, 0x00}; /* as the seeds' quote */
	ck_assert_uint_eq(a.select.len, sizeof(select));
	ck_assert_mem_eq(a.select.ptr, select, sizeof(select));
	/* The PCR digest is SHA-256 over the selected PCRs read back, in
	 * selection order. */
	uint8_t values[PCR_COUNT][DIGEST_MAX], composite[12 * 32], digest[32];
	ck_assert_int_eq(tpm_pcr_read(t2, DIGEST_SHA256, TPM_QUOTE_PCRS_DEFAULT, values), 0);
	size_t clen = 0;
	for (unsigned i = 0; i < PCR_COUNT; i++)
		if ((TPM_QUOTE_PCRS_DEFAULT >> i) & 1) {
			memcpy(composite + clen, values[i], 32);
			clen += 32;
		}
	ck_assert_uint_eq(clen, sizeof(composite));
	SHA256(composite, clen, digest);
	ck_assert_uint_eq(a.pcr_digest.len, 32);
	ck_assert_mem_eq(a.pcr_digest.ptr, digest, 32);
	/* ... and those PCRs are the replayed boot's and IMA's. */
	assert_pcr(values[0], DIGEST_SHA256, BIOS_LOG ".expected", "pcr sha256 0");
	assert_pcr(values[10], DIGEST_SHA256, IMA_SHA1 ".expected", "pcr10 sha256");
	/* The firmware version is the one the TPM reports. */
	struct tpm_info info;
	ck_assert_int_eq(tpm_info_get(t2, &info), 0);
	ck_assert_uint_eq(a.firmware, info.firmware_version);

	ck_assert(signature_ok(key, &q));
	q.attest[q.attest_len - 1] ^= 1; /* one bit of the PCR digest */
	ck_assert(!signature_ok(key, &q));
	q.attest[q.attest_len - 1] ^= 1;

	/* TPMT_SIGNATURE: sigAlg, hash, then the signature as bare_signature
	 * has it. */
	const uint8_t *s = q.signature;
	ck_assert_uint_eq((unsigned)(s[0] << 8 | s[1]), type == TPM_AIK_RSA_2048 ? 0x0014 : 0x0018);
	ck_assert_uint_eq((unsigned)(s[2] << 8 | s[3]), 0x000b);
	if (type == TPM_AIK_RSA_2048) {
		ck_assert_uint_eq(q.signature_len, 6 + 256);
		ck_assert_mem_eq(s + 6, q.bare_signature, 256);
	} else {
		ck_assert_uint_eq(q.signature_len, 4 + 2 + 32 + 2 + 32);
		ck_assert_mem_eq(s + 6, q.bare_signature, 32);
		ck_assert_mem_eq(s + 40, q.bare_signature + 32, 32);
	}

	/* The IMV's verifier accepts it, and names a wrong nonce. */
	ck_assert_int_eq(imv_verify(&q, key, nonce, nonce_len), QUOTE_OK);
	nonce[0] ^= 1;
	ck_assert_int_eq(imv_verify(&q, key, nonce, nonce_len), QUOTE_NONCE);
	nonce[0] ^= 1;

	/* tpm2-tools' own verifier: signature and nonce.  (Not the PCR values:
	 * tpm2_checkquote 5.4 fails on a values file of 8 PCRs or more,
	 * tpm2-tools issue 3542; the digest is checked above.) */
	char attest_path[256], sig_path[256], nonce_hex[129];
	snprintf(attest_path, sizeof(attest_path), "%s/quote.attest", dir);
	snprintf(sig_path, sizeof(sig_path), "%s/quote.sig", dir);
	write_file(attest_path, q.attest, q.attest_len);
	write_file(sig_path, q.signature, q.signature_len);
	to_hex(nonce, nonce_len, nonce_hex);
	snprintf(path, sizeof(path), "%s/aik.pem", state);
	int rc = tl_sh(out, sizeof(out), "tpm2_checkquote -u '%s' -m '%s' -s '%s' -g sha256 -q %s 2>&1",
	    path, attest_path, sig_path, nonce_hex);
	ck_assert_msg(rc == 0, "tpm2_checkquote: %s", out);
	nonce_hex[0] = nonce_hex[0] == '0' ? '1' : '0';
	rc = tl_sh(out, sizeof(out), "tpm2_checkquote -u '%s' -m '%s' -s '%s' -g sha256 -q %s 2>&1",
	    path, attest_path, sig_path, nonce_hex);
	ck_assert_msg(rc != 0, "tpm2_checkquote accepted a wrong nonce: %s", out);

	tpm_quote_clear(&q);
	EVP_PKEY_free(key);
	tpm_aik_free(aik2);
	tpm_close(t2);
	tpm_aik_free(aik);
	tpm_close(t);
}

START_TEST(aik_ecc_quote)
{
	aik_and_quote(TPM_AIK_ECC_P256, 32);
}
END_TEST

START_TEST(aik_rsa_quote)
{
	aik_and_quote(TPM_AIK_RSA_2048, 20);
}
END_TEST

START_TEST(aik_and_quote_refusals)
{
	char dir[128], other[128], state[192], cmd[512], out[256];
	struct tpm_aik *aik;
	struct tpm_quote q;
	uint8_t nonce[65] = {1};

	test_dir(dir, sizeof(dir));
	snprintf(state, sizeof(state), "%s/state", dir);
	ck_assert_int_eq(mkdir(state, 0700), 0);
	struct tpm *t = start_tpm(dir, false);
	ck_assert_int_eq(tpm_aik_load(t, state, TPM_AIK_ECC_P256, &aik), 0);
	ck_assert_int_eq(tpm_quote(aik, DIGEST_SHA256, 0x1, nonce, 65, &q), TNC_EINVALID);
	ck_assert_str_eq(tpm_error(t), "quote: nonce of 65 bytes (1 to 64)");
	ck_assert_int_eq(tpm_quote(aik, DIGEST_SHA256, 0x1, nonce, 0, &q), TNC_EINVALID);
	ck_assert_int_eq(tpm_quote(aik, DIGEST_SHA256, 0, nonce, 20, &q), TNC_EINVALID);
	ck_assert_int_eq(tpm_quote(aik, DIGEST_SHA256, 1u << 24, nonce, 20, &q), TNC_EINVALID);
	ck_assert_int_eq(tpm_quote(aik, DIGEST_SHA384, 0x1, nonce, 20, &q), TNC_ENOTFOUND);
	ck_assert_str_eq(tpm_error(t), "quote: bank sha384 is not allocated");
	/* The largest nonce TPM2B_DATA holds. */
	ck_assert_msg(tpm_quote(aik, DIGEST_SHA1, 0x1, nonce, 64, &q) == 0, "%s", tpm_error(t));
	tpm_quote_clear(&q);
	tpm_aik_free(aik);

	/* The AIK files of this TPM do not load into another one. */
	test_dir(other, sizeof(other));
	struct tpm *t2 = start_tpm(other, false);
	ck_assert_int_eq(tpm_aik_load(t2, state, TPM_AIK_ECC_P256, &aik), -EIO);
	ck_assert_msg(strstr(tpm_error(t2), "the TPM was cleared or is not the one that made it"), "%s",
	    tpm_error(t2));
	tpm_close(t2);

	/* Half a key pair, and a damaged public part. */
	snprintf(cmd, sizeof(cmd), "rm '%s/aik.priv'", state);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s", cmd), 0);
	ck_assert_int_eq(tpm_aik_load(t, state, TPM_AIK_ECC_P256, &aik), TNC_ENOTFOUND);
	ck_assert_msg(strstr(tpm_error(t), "aik.priv: missing, but aik.pub is there"), "%s", tpm_error(t));
	snprintf(cmd, sizeof(cmd), "echo garbage > '%s/aik.priv'", state);
	ck_assert_int_eq(tl_sh(out, sizeof(out), "%s", cmd), 0);
	ck_assert_int_eq(tpm_aik_load(t, state, TPM_AIK_ECC_P256, &aik), TNC_EINVALID);
	ck_assert_msg(strstr(tpm_error(t), "not a TPM2B_PRIVATE"), "%s", tpm_error(t));
	/* No state directory. */
	snprintf(cmd, sizeof(cmd), "%s/missing", dir);
	ck_assert_int_eq(tpm_aik_load(t, cmd, TPM_AIK_ECC_P256, &aik), -ENOENT);
	ck_assert_msg(strstr(tpm_error(t), "/missing: No such file or directory"), "%s", tpm_error(t));
	tpm_close(t);

	/* A TCTI with nothing behind it. */
	char err[256];
	ck_assert_int_eq(tpm_open("swtpm:host=127.0.0.1,port=1", &t, err, sizeof(err)), -EIO);
	ck_assert_msg(strncmp(err, "TCTI \"swtpm:host=127.0.0.1,port=1\": ", 36) == 0, "%s", err);
}
END_TEST

START_TEST(version_information)
{
	char dir[128], text[128], want[128];
	struct tpm_info info;

	test_dir(dir, sizeof(dir));
	struct tpm *t = start_tpm(dir, false);
	ck_assert_msg(tpm_info_get(t, &info) == 0, "%s", tpm_error(t));
	/* libtpms: manufacturer "IBM", TPM 2.0 of specification revision 1.16
	 * or later. */
	ck_assert_str_eq(info.family, "2.0");
	ck_assert_str_eq(info.manufacturer_id, "IBM");
	ck_assert_uint_eq(info.manufacturer, 0x49424d00);
	ck_assert_uint_ge(info.revision, 116);
	ck_assert_uint_ge(info.year, 2014);
	ck_assert_uint_ne(info.firmware_version, 0);
	tpm_info_format(&info, text, sizeof(text));
	snprintf(want, sizeof(want), "TPM 2.0 rev. %u.%02u %u IBM", info.revision / 100,
	    info.revision % 100, info.year);
	ck_assert_str_eq(text, want);
	/* Without a TCTI string, $TNC_TPM_TCTI names the TPM. */
	char tcti[128], err[256];
	struct tpm *t2;
	read_tcti(dir, tcti, sizeof(tcti));
	setenv(TPM_TCTI_ENV, tcti, 1);
	ck_assert_int_eq(tpm_open(NULL, &t2, err, sizeof(err)), 0);
	struct tpm_info info2;
	ck_assert_int_eq(tpm_info_get(t2, &info2), 0);
	ck_assert_uint_eq(info2.firmware_version, info.firmware_version);
	tpm_close(t2);
	setenv(TPM_TCTI_ENV, "swtpm:host=127.0.0.1,port=1", 1);
	ck_assert_int_eq(tpm_open(NULL, &t2, err, sizeof(err)), -EIO);
	ck_assert_msg(strncmp(err, "TCTI \"swtpm:host=127.0.0.1,port=1\": ", 36) == 0, "%s", err);
	unsetenv(TPM_TCTI_ENV);
	/* The seeds' line, from the seeds' values. */
	struct tpm_info stm = {.family = "2.0", .revision = 138, .year = 2018, .manufacturer_id = "STM"};
	tpm_info_format(&stm, text, sizeof(text));
	ck_assert_str_eq(text, "TPM 2.0 rev. 1.38 2018 STM");
	tpm_close(t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tpm");
	TCase *tc = tcase_create("swtpm");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	/* A boot's and an IMA list's worth of TPM commands on swtpm. */
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, startup_at_locality_3);
	tcase_add_test(tc, replay_boot_and_ima);
	tcase_add_test(tc, replay_ima_sha256_list);
	tcase_add_test(tc, replay_ima_templates);
	tcase_add_test(tc, replay_sha1_format_log);
	tcase_add_test(tc, replay_refuses_bad_logs);
	tcase_add_test(tc, aik_ecc_quote);
	tcase_add_test(tc, aik_rsa_quote);
	tcase_add_test(tc, aik_and_quote_refusals);
	tcase_add_test(tc, version_information);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
