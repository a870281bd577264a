/* test_attest_signed.c - signed IMA entries (ima-sig under appraisal) end
 * to end: tncd with tnc-imv-attest and [imv-attest] ima_keys_dir, and
 * tncclient's attestation IMC on a software TPM, which sends each entry
 * that carries a signature as an Integrity Measurement Log attribute
 * (imv-attest/attest_imasig.h).  The setup is test_attest_session.c's
 * (tests/tl_attest.h): the IMA list of the boot's event log, made by
 * tnc-test-attest-evidence from the real list tpm-replay/sha1.log, here
 * keeping its signed entries (boot-signed: 21
 * files signed by a Fedora key, id a3204a9e, that the test data does not
 * have), or without them and with the two keylime samples of
 * ima-keylime/keylime-signatures.txt appended (/usr/bin/dd, RSA key
 * f3452d23, and /usr/bin/zmore, EC key 531f4025, both in
 * ima-keylime/keys).  The swtpm gets the boot and the list replayed.
 *
 * - no ima_keys_dir: the signed files are judged by their digests: allow;
 * - the keylime keys, the Fedora-signed list: isolate, the file's key id
 *   named;
 * - the keylime keys, the keylime entries: allow, both signatures valid;
 * - the RSA key only: isolate, zmore's key id named.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ima.h"
#include "testlib.h"
#include "tl_attest.h"

#define KEYLIME "ima-keylime/keylime-signatures.txt"
#define KEYS TNC_TESTDATA_DIR "/ima-keylime/keys"
#define UNKNOWN TL_ATTEST_UNKNOWN

static char out[1 << 20];

static void
append_le32(FILE *f, uint32_t v)
{
	uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	ck_assert_uint_eq(fwrite(le, 1, 4, f), 4);
}

/* An entry of an ASCII list appended to a binary one, as the kernel's
 * binary_runtime_measurements has it. */
static int
append_entry(void *ctx, const struct ima_entry *e)
{
	FILE *f = ctx;
	append_le32(f, e->pcr);
	ck_assert_uint_eq(fwrite(e->template_hash, 1, 20, f), 20);
	append_le32(f, (uint32_t)e->template_name.len);
	ck_assert_uint_eq(fwrite(e->template_name.ptr, 1, e->template_name.len, f),
	    e->template_name.len);
	append_le32(f, (uint32_t)e->template_data.len);
	ck_assert_uint_eq(fwrite(e->template_data.ptr, 1, e->template_data.len, f),
	    e->template_data.len);
	return 0;
}

/* The two keylime entries appended to the endpoint's ima.bin. */
static void
append_keylime_entries(struct tl_endpoint *e)
{
	struct ima_options opt;
	struct ima_summary *s = malloc(sizeof(*s));
	struct attest_error ae;
	struct digest_ctx d;
	size_t len;
	uint8_t *list = tl_read_testdata(KEYLIME, &len);
	FILE *f = fopen(e->ima, "ab");
	ck_assert_ptr_nonnull(f);
	ima_options_default(&opt);
	digest_ctx_init(&d);
	ck_assert_int_eq(ima_replay(list, len, &opt, &d, append_entry, f, s, &ae), 0);
	ck_assert_uint_eq(s->entries, 2);
	ck_assert_uint_eq(s->template_hash_ok, 2);
	ck_assert_int_eq(fclose(f), 0);
	digest_ctx_clear(&d);
	free(list);
	free(s);
	e->ima_entries += 2;
}

/* swtpm at locality 3 with the boot and the list replayed, its AIK made:
 * the list of the log's boot (and ima-known.bin without its last UNKNOWN
 * entries) with sha1.log's signed entries, or without them and with the
 * keylime entries appended to ima.bin. */
static void
endpoint_start(struct tl_endpoint *e, bool fedora_signed)
{
	tl_endpoint_make(e, fedora_signed ? "boot-signed" : "boot");
	if (!fedora_signed)
		append_keylime_entries(e);
	tl_endpoint_replay(e);
}

/* A directory of IMA keys readable by the IMV: the keylime keys named. */
static const char *
keys_dir(const struct tl_endpoint *e, const char *names)
{
	static char path[160];
	char o[512];
	snprintf(path, sizeof(path), "%s/ima-keys", e->dir);
	ck_assert_int_eq(tl_sh(o, sizeof(o), "mkdir -m 755 '%s' && cd '%s' && for k in %s; do "
	    "install -m 644 \"$k\" '%s'; done", path, KEYS, names, path), 0);
	return path;
}

/* tncd with a TPMRA enforcement, the known files and the trusted AIK;
 * keys: ima_keys_dir, or NULL. */
static void
server_start(struct tl_tncd *t, const struct tl_endpoint *e, const char *keys)
{
	char conf[256];
	snprintf(conf, sizeof(conf), "%s%s%s", keys ? "ima_keys_dir = " : "", keys ? keys : "",
	    keys ? "\n" : "");
	tl_attest_server_start(t, e, conf, true);
}

/* tncclient with the attestation IMC: its exit code, the output in out. */
static int
client(struct tl_tncd *t, const struct tl_endpoint *e)
{
	return tl_attest_client(t, e, NULL, NULL, NULL, out, sizeof(out));
}

static void
assert_allowed(int rc, struct tl_tncd *t, const struct tl_endpoint *e, unsigned unknown)
{
	char line[160];
	ck_assert_msg(rc == 0 && strstr(out, "access recommendation: allow"),
	    "tncclient exit %d:\n%s", rc, tl_out_tail(out));
	snprintf(line, sizeof(line), "processed %u IMA file evidence measurements: %u ok, %u "
	    "unknown, 0 differ, 0 failed", e->ima_entries - 1, e->ima_entries - 1 - unknown, unknown);
	tl_assert_logged(t, line);
	tl_assert_logged(t, "TPM Quote Info signature verification successful");
	tl_assert_stored(t, "TPMRA", "allow");
}

static void
assert_isolated(int rc, struct tl_tncd *t, const char *reason)
{
	ck_assert_msg(rc == 2, "tncclient exit %d, wanted isolate:\n%s", rc, tl_out_tail(out));
	tl_assert_logged(t, reason);
	tl_assert_stored(t, "TPMRA", reason);
}

/* Fedora's signed files, no keys: each judged by its digest. */
START_TEST(unchecked_signatures_judged_by_digest)
{
	struct tl_tncd t;
	struct tl_endpoint e;

	endpoint_start(&e, true);
	server_start(&t, &e, NULL);
	assert_allowed(client(&t, &e), &t, &e, UNKNOWN);
	tl_assert_logged(&t, "signature not checked (no ima_keys_dir)");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(untrusted_signer_isolates)
{
	struct tl_tncd t;
	struct tl_endpoint e;

	endpoint_start(&e, true);
	server_start(&t, &e, keys_dir(&e, "rsa2048pub.pem secp256k1-pub.pem"));
	tl_assert_logged(&t, "loaded 2 IMA keys from");
	assert_isolated(client(&t, &e), &t, "signed with key id a3204a9e, which no trusted IMA "
	    "key has");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(valid_signatures_allow)
{
	struct tl_tncd t;
	struct tl_endpoint e;

	endpoint_start(&e, false);
	server_start(&t, &e, keys_dir(&e, "rsa2048pub.pem secp256k1-pub.pem"));
	/* dd and zmore are not in the database */
	assert_allowed(client(&t, &e), &t, &e, UNKNOWN + 2);
	tl_assert_logged(&t, "for '/usr/bin/zmore' not found");
	tl_tncd_stop(&t);
}
END_TEST

START_TEST(one_key_missing_isolates)
{
	struct tl_tncd t;
	struct tl_endpoint e;

	endpoint_start(&e, false);
	server_start(&t, &e, keys_dir(&e, "rsa2048pub.pem"));
	assert_isolated(client(&t, &e), &t, "for '/usr/bin/zmore': signed with key id 531f4025, "
	    "which no trusted IMA key has");
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_signed");
	TCase *tc = tcase_create("swtpm");

	tcase_add_unchecked_fixture(tc, tl_attest_base_setup, tl_attest_base_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, unchecked_signatures_judged_by_digest);
	tcase_add_test(tc, untrusted_signer_isolates);
	tcase_add_test(tc, valid_signatures_allow);
	tcase_add_test(tc, one_key_missing_isolates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
