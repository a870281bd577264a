/* test_tncadm_attest.c - tncadm for the attestation IMV, on either engine
 * (the _pg run is ctest's test_tncadm_attest_pg): reference hashes from the
 * test data's IMA lists (binary and ASCII; counts and hashes as counted
 * independently over the lists) and from .deb files built here with
 * dpkg-deb (every compression, an upgrade replacing the hashes, symlinks
 * skipped, hard links kept); a device's AIK from a PEM or DER key or a
 * certificate, its key id SHA-1 of the DER SubjectPublicKeyInfo as
 * OpenSSL computes it and as tncclient's AIK on a software TPM has it; IMA
 * signing keys in a directory, which verify the keylime list's ima-sig
 * signatures through tnc_attest as the IMV will load them; bad files and
 * unknown names refused with exit 1 and the reason. */
#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/sha.h>
#include <openssl/x509.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ima.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tpm_aik.h"
#include "tpm_conn.h"

#define OUT_MAX (1 << 20)
#define SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
#define DATA TNC_TESTDATA_DIR "/"
#define AK_ECDSA DATA "quotes/swtpm-ecdsa-rsapss/ak-ecdsa.pem"
#define AK_RSAPSS DATA "quotes/swtpm-ecdsa-rsapss/ak-rsapss.pem"
#define IMA_KEYS DATA "ima-keylime/keys/"

/* sha256 and sha1 of "abc", sha256 of nothing (FIPS 180-2 examples) */
#define SHA256_ABC "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
#define SHA1_ABC "a9993e364706816aba3e25717850c26c9cd0d89d"
#define SHA256_EMPTY "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define SHA256_ABCD "88d4266fd4e6338d13b845fcf289579d209c897823b9217da3e161936f031589"

static char dir[64], db[256], pwfile[512];
static char *out;

static void
setup(void)
{
	strcpy(dir, "/tmp/test_tncadm_attest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	out = malloc(OUT_MAX);
	ck_assert_ptr_nonnull(out);
}

static void
teardown(void)
{
	char cmd[256];
	tl_policy_db_drop(db);
	snprintf(cmd, sizeof(cmd), "d='%s'; [ ! -e \"$d/tpm\" ] || '%s' stop \"$d/tpm\"; rm -rf \"$d\"",
	    dir, SWTPM_START);
	ck_assert_int_eq(system(cmd), 0);
	free(out);
}

/* Runs tncadm ARGS on the test's database, in dir, stderr into out too. */
static int
adm(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int
adm(const char *fmt, ...)
{
	char args[2048];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	ck_assert_int_lt(n, (int)sizeof(args));
	return tl_sh(out, OUT_MAX, "cd %s && %s/tncadm --db '%s'%s%s%s %s 2>&1", dir, TNC_BIN_DIR, db,
	    pwfile[0] ? " --db-password-file '" : "", pwfile, pwfile[0] ? "'" : "", args);
}

/* tncadm --json ARGS: exit 0 and the parsed output. */
static json_t *
adm_json(const char *args)
{
	int rc = adm("--json %s", args);
	ck_assert_msg(rc == 0, "tncadm %s: exit %d: %s", args, rc, out);
	json_error_t e;
	json_t *j = json_loads(out, 0, &e);
	ck_assert_msg(j != NULL, "tncadm %s: not JSON (%s): %s", args, e.text, out);
	return j;
}

static void
ok(const char *args)
{
	json_decref(adm_json(args));
}

static void
fails(int code, const char *message, const char *args)
{
	int rc = adm("%s", args);
	ck_assert_msg(rc == code, "tncadm %s: exit %d, not %d: %s", args, rc, code, out);
	ck_assert_msg(strstr(out, message) != NULL, "tncadm %s: '%s' lacks '%s'", args, out, message);
}

static int64_t
count(json_t *j, const char *key)
{
	json_t *v = json_object_get(j, key);
	ck_assert_msg(json_is_integer(v), "no count %s", key);
	return json_integer_value(v);
}

/* The row of a files listing with path and algo; NULL when none. */
static json_t *
file_row(json_t *rows, const char *path, const char *algo)
{
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) {
		if (!strcmp(json_string_value(json_object_get(row, "path")), path) &&
		    !strcmp(json_string_value(json_object_get(row, "algo")), algo))
			return row;
	}
	return NULL;
}

static void
assert_file(json_t *rows, const char *path, const char *algo, const char *hash, int64_t size)
{
	json_t *row = file_row(rows, path, algo);
	ck_assert_msg(row != NULL, "no %s hash of %s", algo, path);
	ck_assert_str_eq(json_string_value(json_object_get(row, "hash")), hash);
	if (size < 0)
		ck_assert(json_is_null(json_object_get(row, "size")));
	else
		ck_assert_int_eq(json_integer_value(json_object_get(row, "size")), size);
}

START_TEST(import_ima_lists)
{
	ok("init");
	ok("product add 'Fedora 40'");
	/* ASCII ima-sig: both entries, named as measured; IMA gives no sizes */
	json_t *j = adm_json("files import-ima 'Fedora 40' " DATA "ima-keylime/keylime-signatures.txt");
	ck_assert_int_eq(count(j, "entries"), 2);
	ck_assert_int_eq(count(j, "imported"), 2);
	json_decref(j);
	/* binary ima-sig with SHA-256 template hashes (IBM TSS): 362 entries,
	 * boot_aggregate, and 22 files measured again (counted independently
	 * over the list: 339 distinct paths; the last measurement counts) */
	j = adm_json("files import-ima 'Fedora 40' " DATA "ima-ibmtss/sha256.log");
	ck_assert_int_eq(count(j, "entries"), 362);
	ck_assert_int_eq(count(j, "imported"), 339);
	ck_assert_int_eq(count(j, "repeated"), 22);
	ck_assert_int_eq(count(j, "boot_aggregate"), 1);
	ck_assert_int_eq(count(j, "violations"), 0);
	json_decref(j);
	j = adm_json("files list 'Fedora 40'");
	ck_assert_uint_eq(json_array_size(j), 341);
	assert_file(j, "/usr/bin/dd", "sha256",
	    "d33d5d13792292e202dbf69a6f1b07bc8a02f01424db8489ba7bb7d43c0290ef", -1);
	assert_file(j, "/usr/bin/zmore", "sha256",
	    "b8ae0b8dd04a5935cd8165aa2260cd11b658bd71629bdb52256a675a1f73907b", -1);
	assert_file(j, "/usr/lib/systemd/systemd", "sha256",
	    "8c48fe9ae3ff13c11bf6b06c5ac632b98f8872ef1d11665fee5cf224bef930d3", -1);
	ck_assert_ptr_null(file_row(j, "boot_aggregate", "sha256"));
	json_decref(j);
	/* --algo keeps one algorithm's digests: the list has only sha256 */
	j = adm_json("files import-ima 'Fedora 40' " DATA "ima-ibmtss/sha256.log --algo sha1");
	ck_assert_int_eq(count(j, "imported"), 0);
	ck_assert_int_eq(count(j, "other_algo"), 361);
	json_decref(j);

	/* ASCII ima-ng with SHA-1 digests (rust-keylime): 826 entries, 815
	 * distinct paths, 10 again (counted with awk) */
	ok("product add 'Ubuntu 16.04'");
	j = adm_json("files import-ima 'Ubuntu 16.04' " DATA
	             "ima-keylime/rust-keylime-ascii_runtime_measurements --algo sha1");
	ck_assert_int_eq(count(j, "entries"), 826);
	ck_assert_int_eq(count(j, "imported"), 815);
	ck_assert_int_eq(count(j, "repeated"), 10);
	json_decref(j);
	j = adm_json("files list 'Ubuntu 16.04'");
	ck_assert_uint_eq(json_array_size(j), 815);
	json_decref(j);

	/* IBM's template coverage list: the violation (entry 6), ima-buf and
	 * names that are no paths are skipped; the legacy ima template's SHA-1 */
	ok("product add Synthetic");
	j = adm_json("files import-ima Synthetic " DATA "ima-ibmtss/imatest.log");
	ck_assert_int_eq(count(j, "entries"), 17);
	ck_assert_int_eq(count(j, "violations"), 1);
	ck_assert_int_ge(count(j, "not_files"), 1);
	ck_assert_int_eq(count(j, "imported") + count(j, "repeated") + count(j, "boot_aggregate") +
	                     count(j, "violations") + count(j, "not_files") + count(j, "other_algo"),
	    17);
	json_decref(j);

	/* refused: a list whose entry 0 does not match its template hash, a
	 * file that is no list, a missing one, an unknown product or algorithm */
	fails(1, "entry 0: the template hash does not match",
	    "files import-ima 'Fedora 40' " DATA "ima-keylime/keylime-bad_signatures.txt");
	fails(1, "/etc/passwd: ", "files import-ima 'Fedora 40' /etc/passwd");
	fails(1, "missing: No such file", "files import-ima 'Fedora 40' missing");
	fails(1, "no product 'Nope'", "files import-ima Nope " DATA "ima-ibmtss/sha1.log");
	fails(1, "unknown hash algorithm 'md5'",
	    "files import-ima 'Fedora 40' " DATA "ima-ibmtss/sha1.log --algo md5");
	fails(2, "usage", "files import-ima 'Fedora 40'");
	j = adm_json("files list 'Fedora 40'");
	ck_assert_uint_eq(json_array_size(j), 341);
	json_decref(j);
}
END_TEST

/* Builds dir/NAME.deb of package hello at version from a tree holding
 * usr/bin/hello (content), a hard link to it, a symlink to it and an
 * empty file; compression as dpkg-deb -Z names it. */
static void
build_deb(const char *name, const char *version, const char *content, const char *compression)
{
	int rc = tl_sh(out, OUT_MAX,
	    "set -e; cd %s; rm -rf t; mkdir -p t/DEBIAN t/usr/bin t/usr/share/doc/hello;"
	    " printf 'Package: hello\\nVersion: %s\\nArchitecture: all\\nMaintainer: T <t@example.org>\\n"
	    "Description: test\\n' > t/DEBIAN/control;"
	    " printf %s > t/usr/bin/hello; ln t/usr/bin/hello t/usr/bin/hello-again;"
	    " ln -s hello t/usr/bin/hi; : > t/usr/share/doc/hello/empty;"
	    " dpkg-deb --root-owner-group -Z%s --build t %s.deb 2>&1; rm -rf t",
	    dir, version, content, compression, name);
	ck_assert_msg(rc == 0, "dpkg-deb: %s", out);
}

START_TEST(import_deb_packages)
{
	ok("init");
	ok("product add 'Debian 12'");
	build_deb("xz", "1.0", "abc", "xz");
	build_deb("gz", "1.0", "abc", "gzip");
	build_deb("none", "1.0", "abc", "none");
	build_deb("zst", "1.0", "abc", "zstd");
	json_t *j = adm_json("files import-deb 'Debian 12' xz.deb gz.deb none.deb zst.deb");
	ck_assert_int_eq(count(j, "packages"), 4);
	ck_assert_int_eq(count(j, "files"), 8);
	ck_assert_int_eq(count(j, "hardlinks"), 4);
	ck_assert_int_eq(count(j, "symlinks"), 4);
	json_decref(j);
	ok("files import-deb 'Debian 12' xz.deb --algo sha1");
	j = adm_json("files list 'Debian 12'");
	ck_assert_uint_eq(json_array_size(j), 6);
	assert_file(j, "/usr/bin/hello", "sha256", SHA256_ABC, 3);
	assert_file(j, "/usr/bin/hello-again", "sha256", SHA256_ABC, 3);
	assert_file(j, "/usr/share/doc/hello/empty", "sha256", SHA256_EMPTY, 0);
	assert_file(j, "/usr/bin/hello", "sha1", SHA1_ABC, 3);
	ck_assert_ptr_null(file_row(j, "/usr/bin/hi", "sha256"));
	json_decref(j);

	/* an upgrade: the new package's hashes replace the old ones */
	build_deb("new", "1.1", "abcd", "xz");
	ok("files import-deb 'Debian 12' new.deb");
	j = adm_json("files list 'Debian 12'");
	ck_assert_uint_eq(json_array_size(j), 6);
	assert_file(j, "/usr/bin/hello", "sha256", SHA256_ABCD, 4);
	assert_file(j, "/usr/bin/hello-again", "sha256", SHA256_ABCD, 4);
	json_decref(j);

	/* refused, and nothing of the good package before it is kept */
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "cd %s && head -c 300 xz.deb > cut.deb && printf '!<arch>\\n'"
	                                     " > empty.deb", dir), 0);
	fails(1, "/etc/passwd: not a Debian binary package", "files import-deb 'Debian 12' /etc/passwd");
	fails(1, "missing.deb: No such file", "files import-deb 'Debian 12' missing.deb");
	fails(1, "empty.deb: not a Debian binary package: empty", "files import-deb 'Debian 12' empty.deb");
	fails(1, "cut.deb: ", "files import-deb 'Debian 12' xz.deb cut.deb");
	fails(1, "no product 'Nope'", "files import-deb Nope xz.deb");
	fails(1, "unknown hash algorithm 'md5'", "files import-deb 'Debian 12' xz.deb --algo md5");
	j = adm_json("files list 'Debian 12'");
	assert_file(j, "/usr/bin/hello", "sha256", SHA256_ABCD, 4);
	json_decref(j);
}
END_TEST

/* SHA-1 of the DER SubjectPublicKeyInfo of a PEM key, in hex. */
static void
spki_sha1_hex(const char *pem, char hex[41])
{
	FILE *f = fopen(pem, "r");
	ck_assert_ptr_nonnull(f);
	EVP_PKEY *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	ck_assert_ptr_nonnull(k);
	uint8_t *der = NULL, id[20];
	int n = i2d_PUBKEY(k, &der);
	ck_assert_int_gt(n, 0);
	SHA1(der, (size_t)n, id);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", id[i]);
	OPENSSL_free(der);
	EVP_PKEY_free(k);
}

/* dir/name: a certificate for the public key in pem, signed by a fresh
 * EC key (PEM), or the bare key as DER. */
static void
write_cert(const char *pem, const char *name, bool der_key)
{
	char path[256];
	FILE *f = fopen(pem, "r");
	ck_assert_ptr_nonnull(f);
	EVP_PKEY *k = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	fclose(f);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	if (der_key) {
		ck_assert_int_eq(i2d_PUBKEY_fp(f, k), 1);
	} else {
		EVP_PKEY *ca = EVP_EC_gen("P-256");
		X509 *x = X509_new();
		ck_assert_ptr_nonnull(ca);
		ck_assert_int_eq(X509_set_version(x, 2), 1);
		ck_assert_int_eq(ASN1_INTEGER_set(X509_get_serialNumber(x), 1), 1);
		X509_NAME_add_entry_by_txt(X509_get_subject_name(x), "CN", MBSTRING_ASC,
		    (const unsigned char *)"aik", -1, -1, 0);
		ck_assert_int_eq(X509_set_issuer_name(x, X509_get_subject_name(x)), 1);
		X509_gmtime_adj(X509_getm_notBefore(x), 0);
		X509_gmtime_adj(X509_getm_notAfter(x), 3600);
		ck_assert_int_eq(X509_set_pubkey(x, k), 1);
		ck_assert_int_gt(X509_sign(x, ca, EVP_sha256()), 0);
		ck_assert_int_eq(PEM_write_X509(f, x), 1);
		X509_free(x);
		EVP_PKEY_free(ca);
	}
	ck_assert_int_eq(fclose(f), 0);
	EVP_PKEY_free(k);
}

static void
assert_device_aik(const char *device, const char *keyid, bool trusted)
{
	char args[128];
	snprintf(args, sizeof(args), "device show %s", device);
	json_t *j = adm_json(args);
	json_t *d = json_object_get(j, "device");
	ck_assert_str_eq(json_string_value(json_object_get(d, "aik_keyid")), keyid);
	ck_assert(json_boolean_value(json_object_get(d, "trusted")) == trusted);
	json_decref(j);
}

START_TEST(device_aik_from_key_or_certificate)
{
	char ecdsa[41], rsa[41];
	spki_sha1_hex(AK_ECDSA, ecdsa);
	spki_sha1_hex(AK_RSAPSS, rsa);
	ok("init");
	ok("device add host1");
	ok("device add host2");
	ok("device aik host1 --file " AK_ECDSA " --trust");
	assert_device_aik("host1", ecdsa, true);
	/* a new key is not trusted until said so */
	ok("device aik host1 --file " AK_RSAPSS);
	assert_device_aik("host1", rsa, false);
	write_cert(AK_ECDSA, "aik-cert.pem", false);
	write_cert(AK_RSAPSS, "aik.der", true);
	ok("device aik host2 --file aik-cert.pem --trust");
	assert_device_aik("host2", ecdsa, true);
	ck_assert_int_eq(adm("device aik host1 --trust --file aik.der"), 0);
	ck_assert_msg(strstr(out, rsa) && strstr(out, "RSA 2048"), "%s", out);
	assert_device_aik("host1", rsa, true);

	fails(1, "no device 'nope'", "device aik nope --file " AK_ECDSA);
	fails(1, "/etc/passwd: neither a public key nor an X.509 certificate",
	    "device aik host1 --file /etc/passwd");
	fails(1, "missing.pem: No such file", "device aik host1 --file missing.pem");
	fails(2, "needs --file", "device aik host1");
	assert_device_aik("host1", rsa, true);
}
END_TEST

/* tncclient's AIK on a software TPM: tncadm registers the key id the
 * client has (tpm_aik_keyid(), the ITA-HSR Device ID it sends). */
START_TEST(device_aik_is_the_tpm_aik_keyid)
{
	char tcti[256], err[256], state[128], hex[41];
	struct tpm *t;
	struct tpm_aik *aik;
	int rc = tl_sh(tcti, sizeof(tcti), "'%s' start '%s/tpm' 2>&1", SWTPM_START, dir);
	ck_assert_msg(rc == 0, "swtpm-start: %s", tcti);
	tcti[strcspn(tcti, "\n")] = 0;
	setenv("TSS2_LOG", "all+none", 1);
	ck_assert_msg(tpm_open(tcti, &t, err, sizeof(err)) == 0, "tpm_open: %s", err);
	snprintf(state, sizeof(state), "%s/state", dir);
	ck_assert_int_eq(mkdir(state, 0700), 0);
	ok("init");
	ok("device add endpoint");
	for (int type = TPM_AIK_ECC_P256; type <= TPM_AIK_RSA_2048; type++) {
		ck_assert_int_eq(tl_sh(out, OUT_MAX, "rm -f %s/aik.*", state), 0);
		ck_assert_msg(tpm_aik_load(t, state, type, &aik) == 0, "%s", tpm_error(t));
		for (int i = 0; i < TPM_AIK_KEYID_SIZE; i++)
			snprintf(hex + 2 * i, 3, "%02x", tpm_aik_keyid(aik)[i]);
		tpm_aik_free(aik);
		ck_assert_int_eq(adm("device aik endpoint --file %s/aik.pem --trust", state), 0);
		assert_device_aik("endpoint", hex, true);
	}
	tpm_close(t);
}
END_TEST

/* The keys of keydir as tnc-imv-attest loads them verify the signatures
 * of keylime's list. */
static void
assert_keys_verify(const char *keydir, uint32_t valid)
{
	char cmd[256];
	size_t len;
	struct ima_keyring *ring = ima_keyring_new();
	struct attest_error e;
	snprintf(cmd, sizeof(cmd), "ls %s/%s", dir, keydir);
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "%s", cmd), 0);
	for (char *name = strtok(out, "\n"); name; name = strtok(NULL, "\n")) {
		char path[256];
		snprintf(path, sizeof(path), "%s/%s/%s", dir, keydir, name);
		uint8_t *key = tl_read_file(path, &len);
		ck_assert_msg(ima_keyring_add(ring, name, key, len, NULL, &e) == 0, "%s", e.reason);
		free(key);
	}
	struct ima_options o;
	struct ima_summary s;
	struct digest_ctx d;
	ima_options_default(&o);
	o.keys = ring;
	digest_ctx_init(&d);
	uint8_t *list = tl_read_file(DATA "ima-keylime/keylime-signatures.txt", &len);
	ck_assert_int_eq(ima_replay(list, len, &o, &d, NULL, NULL, &s, &e), 0);
	ck_assert_uint_eq(s.sig_count[IMA_SIG_VALID], valid);
	free(list);
	digest_ctx_clear(&d);
	ima_keyring_free(ring);
}

START_TEST(ima_keys_in_a_directory)
{
	/* key ids as keylime states them (PROVENANCE.md) */
	json_t *j = adm_json("ima-key add " IMA_KEYS "rsa2048pub.pem --dir keys");
	ck_assert(strstr(json_string_value(json_object_get(j, "message")), "f3452d23"));
	json_decref(j);
	write_cert(IMA_KEYS "secp256k1-pub.pem", "ec-cert.pem", false);
	ok("ima-key add ec-cert.pem --dir keys");
	assert_keys_verify("keys", 2);
	fails(1, "key id 531f4025 is there already",
	    "ima-key add " IMA_KEYS "secp256k1-pub.pem --dir keys");
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "echo junk > %s/keys/junk", dir), 0);
	j = adm_json("ima-key list --dir keys");
	ck_assert_uint_eq(json_array_size(j), 3);
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "keyid")), "531f4025");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 0), "key")), "EC secp256k1");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 1), "keyid")), "f3452d23");
	ck_assert_str_eq(json_string_value(json_object_get(json_array_get(j, 1), "key")), "RSA 2048");
	ck_assert(json_is_null(json_object_get(json_array_get(j, 2), "keyid")));
	json_decref(j);
	ck_assert_int_eq(tl_sh(out, OUT_MAX, "rm %s/keys/junk", dir), 0);
	ok("ima-key remove F3452D23 --dir keys");
	assert_keys_verify("keys", 1);

	fails(1, "no IMA key 'f3452d23' in keys", "ima-key remove f3452d23 --dir keys");
	fails(2, "8 hex digits", "ima-key remove f345 --dir keys");
	fails(1, "/etc/passwd: neither a public key", "ima-key add /etc/passwd --dir keys");
	fails(1, "nowhere: No such file", "ima-key list --dir nowhere");
	fails(2, "does not apply", "ima-key list --trust --dir keys");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("tncadm_attest");
	TCase *both = tcase_create(tl_policy_db_is_pg() ? "postgresql" : "sqlite");
	tcase_add_checked_fixture(both, setup, teardown);
	tcase_set_timeout(both, 120);
	tcase_add_test(both, import_ima_lists);
	tcase_add_test(both, import_deb_packages);
	tcase_add_test(both, device_aik_from_key_or_certificate);
	tcase_add_test(both, device_aik_is_the_tpm_aik_keyid);
	tcase_add_test(both, ima_keys_in_a_directory);
	suite_add_tcase(s, both);
	return tl_run_suite(s);
}
