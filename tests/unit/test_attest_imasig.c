/* test_attest_imasig.c - signed IMA entries from tncclient to the
 * Attestation IMV (attest_imasig.h): the keylime ima-sig samples of
 * tests/data/ima-keylime, turned into Integrity Measurement Log attributes
 * by the IMC's own code (imc_evidence_ima), read back by the IMV and their
 * signatures judged with the set's keys, to the results of the samples'
 * .expected files; each negative case fails with its reason. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attest_imasig.h"
#include "imc_attest_evidence.h"
#include "pa_pts.h"
#include "pa_tnc.h"
#include "testlib.h"

#define KEYS TNC_TESTDATA_DIR "/ima-keylime/keys"
#define SIGNED "ima-keylime/keylime-signatures.txt"
#define BAD "ima-keylime/keylime-bad_signatures.txt"
#define MAX_ATTRS 4

static char base[64]; /* key directories of the tests, removed after them */

/* The attributes the IMC emitted. */
struct emitted {
	unsigned n, other;
	uint8_t *value[MAX_ATTRS];
	size_t len[MAX_ATTRS];
};

static void
emit(void *ctx, uint32_t vendor, uint32_t type, struct bytes value)
{
	struct emitted *e = ctx;
	if (vendor != PA_TNC_VENDOR_TCG || type != PA_PTS_INTEG_MEAS_LOG) {
		e->other++;
		return;
	}
	ck_assert_uint_lt(e->n, MAX_ATTRS);
	e->value[e->n] = malloc(value.len);
	memcpy(e->value[e->n], value.ptr, value.len);
	e->len[e->n++] = value.len;
}

/* The list (a test data file, or text) through tncclient's IMA evidence. */
static void
imc_emit(const char *rel, const char *text, enum digest_alg bank, struct emitted *e)
{
	struct imc_evidence_sink sink = {emit, e};
	struct imc_evidence_count count;
	char err[256];
	size_t len = text ? strlen(text) : 0;
	uint8_t *list = text ? (uint8_t *)strdup(text) : tl_read_testdata(rel, &len);

	memset(e, 0, sizeof(*e));
	ck_assert_msg(imc_evidence_ima(list, len, bank, &sink, &count, err, sizeof(err)) == 0,
	    "%s", err);
	ck_assert_uint_eq(count.sent, e->n + e->other);
	free(list);
}

static void
emitted_free(struct emitted *e)
{
	for (unsigned i = 0; i < e->n; i++)
		free(e->value[i]);
}

static struct bytes
value(const struct emitted *e, unsigned i)
{
	return (struct bytes){e->value[i], e->len[i]};
}

static void
load_keys(const char *dir, int want)
{
	char why[256];
	attest_imasig_free_keys();
	int n = attest_imasig_load_keys(dir, why, sizeof(why));
	ck_assert_msg(n == want, "%d keys: %s", n, why);
}

static void
teardown(void)
{
	attest_imasig_free_keys();
}

static void
base_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/test_attest_imasig.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
}

static void
base_teardown(void)
{
	char o[128];
	ck_assert_int_eq(tl_sh(o, sizeof(o), "rm -rf '%s'", base), 0);
}

/* A new directory below base. */
static const char *
new_dir(char *dir, size_t size)
{
	snprintf(dir, size, "%s/XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	return dir;
}

/* keylime-signatures.txt: dd (RSA-2048, key id f3452d23) and zmore
 * (ECDSA secp256k1, 531f4025), both valid with the set's keys. */
START_TEST(signed_entries_verify)
{
	static struct attest_imasig_entry entry;
	struct attest_imasig s = {0};
	struct emitted e;
	char why[256];

	load_keys(KEYS, 2);
	ck_assert(attest_imasig_have_keys());
	imc_emit(SIGNED, NULL, DIGEST_SHA256, &e);
	ck_assert_uint_eq(e.n, 2); /* both entries carry a signature */
	ck_assert_uint_eq(e.other, 0);
	static const char *const path[] = {"/usr/bin/dd", "/usr/bin/zmore"};
	static const uint32_t keyid[] = {0xf3452d23, 0x531f4025};
	for (unsigned i = 0; i < 2; i++) {
		ck_assert_msg(attest_imasig_read(value(&e, i), DIGEST_SHA256, &entry, why,
		    sizeof(why)) == 0, "%s", why);
		ck_assert_str_eq(entry.path, path[i]);
		ck_assert_uint_eq(entry.pcr, 10);
		ck_assert_str_eq(entry.file_algo, "sha256");
		ck_assert_uint_eq(entry.file_hash_len, 32);
		ck_assert_int_eq(entry.sig.status, IMA_SIG_VALID);
		ck_assert_uint_eq(entry.sig.keyid, keyid[i]);
		ck_assert(attest_imasig_judge(&s, &entry, i + 1, why, sizeof(why)));
	}
	/* dd's file digest as the list logs it */
	ck_assert_msg(attest_imasig_read(value(&e, 0), DIGEST_SHA256, &entry, why, sizeof(why)) == 0,
	    "%s", why);
	ck_assert_uint_eq(entry.file_hash[0], 0xd3);
	ck_assert_uint_eq(entry.file_hash[31], 0xef);
	ck_assert_uint_eq(s.entries, 2);
	ck_assert_uint_eq(s.failed, 0);
	emitted_free(&e);
}
END_TEST

/* Without keys the signature is not checked: the file is judged by its
 * digest. */
START_TEST(no_keys_unchecked)
{
	static struct attest_imasig_entry entry;
	struct attest_imasig s = {0};
	struct emitted e;
	char why[256];

	attest_imasig_free_keys();
	ck_assert(!attest_imasig_have_keys());
	imc_emit(SIGNED, NULL, DIGEST_SHA1, &e);
	ck_assert_uint_eq(e.n, 2);
	ck_assert_msg(attest_imasig_read(value(&e, 1), DIGEST_SHA1, &entry, why, sizeof(why)) == 0,
	    "%s", why);
	ck_assert_int_eq(entry.sig.status, IMA_SIG_UNCHECKED);
	ck_assert(attest_imasig_judge(&s, &entry, 2, why, sizeof(why)));
	emitted_free(&e);
}
END_TEST

/* Only the RSA key trusted: zmore's key id names no trusted key. */
START_TEST(untrusted_key_fails)
{
	static struct attest_imasig_entry entry;
	struct attest_imasig s = {0};
	struct emitted e;
	char why[256], dir[96], o[512];

	new_dir(dir, sizeof(dir));
	ck_assert_int_eq(tl_sh(o, sizeof(o), "cp '%s/rsa2048pub.pem' '%s'", KEYS, dir), 0);
	load_keys(dir, 1);
	imc_emit(SIGNED, NULL, DIGEST_SHA256, &e);
	ck_assert_int_eq(attest_imasig_read(value(&e, 0), DIGEST_SHA256, &entry, why,
	    sizeof(why)), 0);
	ck_assert(attest_imasig_judge(&s, &entry, 1, why, sizeof(why)));
	ck_assert_int_eq(attest_imasig_read(value(&e, 1), DIGEST_SHA256, &entry, why,
	    sizeof(why)), 0);
	ck_assert_int_eq(entry.sig.status, IMA_SIG_NO_KEY);
	ck_assert(!attest_imasig_judge(&s, &entry, 2, why, sizeof(why)));
	ck_assert_str_eq(why, "IMA evidence 2 for '/usr/bin/zmore': signed with key id 531f4025, "
	    "which no trusted IMA key has");
	ck_assert_str_eq(s.failure, why);
	ck_assert_uint_eq(s.failed, 1);
	emitted_free(&e);
}
END_TEST

/* keylime-bad_signatures.txt: the header's size octets swapped.  As
 * logged its template hash does not match its data (.expected:
 * template_hash_mismatch 0), so in the list's own SHA-1 bank the entry is
 * refused; in a SHA-256 bank (its hash recomputed, as Linux extends
 * other banks) it reads and its signature is malformed. */
START_TEST(bad_signature_sample)
{
	static struct attest_imasig_entry entry;
	struct attest_imasig s = {0};
	struct emitted e;
	char why[256];

	load_keys(KEYS, 2);
	imc_emit(BAD, NULL, DIGEST_SHA1, &e);
	ck_assert_uint_eq(e.n, 1);
	ck_assert_int_eq(attest_imasig_read(value(&e, 0), DIGEST_SHA1, &entry, why, sizeof(why)),
	    TNC_EINVALID);
	ck_assert_str_eq(why, "its template hash is not the sha1 hash of its data");
	emitted_free(&e);

	imc_emit(BAD, NULL, DIGEST_SHA256, &e);
	ck_assert_msg(attest_imasig_read(value(&e, 0), DIGEST_SHA256, &entry, why, sizeof(why)) == 0,
	    "%s", why);
	ck_assert_int_eq(entry.sig.status, IMA_SIG_MALFORMED);
	ck_assert(!attest_imasig_judge(&s, &entry, 7, why, sizeof(why)));
	ck_assert_str_eq(why, "IMA evidence 7 for '/usr/bin/zmore': signature MALFORMED: sig_size "
	    "field 18432 but 72 bytes follow");
	emitted_free(&e);
}
END_TEST

/* dd's signature with its last octet changed (the entry otherwise as the
 * kernel would log it): INVALID with the RSA key. */
START_TEST(changed_signature_invalid)
{
	static struct attest_imasig_entry entry;
	struct attest_imasig s = {0};
	struct emitted e;
	char why[256];
	size_t len;
	char *text = (char *)tl_read_testdata(SIGNED, &len);

	load_keys(KEYS, 2);
	char *eol = strchr(text, '\n');
	ck_assert_ptr_nonnull(eol);
	*eol = 0;
	eol[-1] = eol[-1] == '0' ? '1' : '0'; /* the last hex digit of the signature */
	imc_emit(NULL, text, DIGEST_SHA256, &e);
	free(text);
	ck_assert_uint_eq(e.n, 1);
	ck_assert_msg(attest_imasig_read(value(&e, 0), DIGEST_SHA256, &entry, why, sizeof(why)) == 0,
	    "%s", why);
	ck_assert_int_eq(entry.sig.status, IMA_SIG_INVALID);
	ck_assert(!attest_imasig_judge(&s, &entry, 3, why, sizeof(why)));
	ck_assert_str_eq(why, "IMA evidence 3 for '/usr/bin/dd': signature INVALID: the signature "
	    "does not verify with rsa2048pub.pem");
	emitted_free(&e);
}
END_TEST

/* What an attribute may not be: two entries, a cut one, ASCII, an entry
 * without a signature; a key directory with something else in it. */
START_TEST(refused_values)
{
	static struct attest_imasig_entry entry;
	struct emitted e;
	char why[256], dir[96], o[512];

	imc_emit(SIGNED, NULL, DIGEST_SHA256, &e);
	uint8_t *two = malloc(e.len[0] + e.len[1]);
	memcpy(two, e.value[0], e.len[0]);
	memcpy(two + e.len[0], e.value[1], e.len[1]);
	ck_assert_int_eq(attest_imasig_read((struct bytes){two, e.len[0] + e.len[1]}, DIGEST_SHA256,
	    &entry, why, sizeof(why)), TNC_EINVALID);
	ck_assert_msg(strstr(why, "more than 1 entries") != NULL, "%s", why);
	ck_assert_int_eq(attest_imasig_read((struct bytes){two, e.len[0] - 1}, DIGEST_SHA256,
	    &entry, why, sizeof(why)), TNC_EINVALID);
	ck_assert_msg(strstr(why, "entry 0") != NULL, "%s", why);
	free(two);
	/* the right framing, the wrong bank: a SHA-256 hash read as SHA-1 */
	ck_assert_int_eq(attest_imasig_read(value(&e, 0), DIGEST_SHA1, &entry, why, sizeof(why)),
	    TNC_EINVALID);
	emitted_free(&e);
	const char *ascii = "10 1e70a3e1af66f42826ad63b761b4cb9c4df195e1 ima-sig sha256:00 /x";
	ck_assert_int_eq(attest_imasig_read((struct bytes){(const uint8_t *)ascii, strlen(ascii)},
	    DIGEST_SHA1, &entry, why, sizeof(why)), TNC_EINVALID);
	ck_assert_str_eq(why, "not a binary IMA measurement list entry");

	new_dir(dir, sizeof(dir));
	ck_assert_int_eq(tl_sh(o, sizeof(o), "cp '%s'/* '%s' && echo hello > '%s/README'", KEYS,
	    dir, dir), 0);
	attest_imasig_free_keys();
	ck_assert_int_eq(attest_imasig_load_keys(dir, why, sizeof(why)), TNC_ECONFIG);
	ck_assert_msg(strstr(why, "/README': ") != NULL, "%s", why);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_imasig");
	TCase *tc = tcase_create("core");
	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_add_checked_fixture(tc, NULL, teardown);
	tcase_add_test(tc, signed_entries_verify);
	tcase_add_test(tc, no_keys_unchecked);
	tcase_add_test(tc, untrusted_key_fails);
	tcase_add_test(tc, bad_signature_sample);
	tcase_add_test(tc, changed_signature_invalid);
	tcase_add_test(tc, refused_values);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
