/* fuzz_ima.c - libFuzzer harness for Linux IMA measurement lists
 * (attest/ima.h), binary and ASCII, with signatures checked against a
 * P-256 key made at start.
 *
 * Each input is replayed as it is (format and template hash algorithm
 * recognised) and as a binary list of SHA-256 template hashes, with small
 * limits.  A refusal must say why and point inside the input.  An accepted
 * list must add up: one callback per entry, in order; every entry is a
 * violation, a matching or a mismatching template hash; views into the
 * input stay inside it; signature results are counted once each.  Any
 * mismatch aborts.
 */
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ima.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

struct walk {
	const uint8_t *data;
	size_t size;
	uint32_t entries, ok, sigs[IMA_SIG_STATUS_COUNT];
};

static bool
inside(const struct walk *w, struct bytes b)
{
	return b.len == 0 || (b.ptr >= w->data && b.ptr + b.len <= w->data + w->size);
}

static int
on_entry(void *ctx, const struct ima_entry *e)
{
	struct walk *w = ctx;

	check(e->index == w->entries++ && e->offset < w->size && e->pcr < PCR_COUNT);
	check(!(e->violation && e->template_hash_ok));
	check(e->template_name.len > 0 && e->template_name.len <= IMA_TEMPLATE_NAME_MAX);
	check(e->file_hash_digest < 0 ||
	      e->file_hash.len == digest_size((enum digest_alg)e->file_hash_digest));
	check(e->sig_result.status < IMA_SIG_STATUS_COUNT);
	check(e->sig.len > 0 || e->sig_result.status == IMA_SIG_NONE);
	/* the name is a view into the input in both forms (the data of ASCII
	 * entries is rebuilt elsewhere) */
	check(inside(w, e->template_name));
	w->ok += e->template_hash_ok;
	w->sigs[e->sig_result.status]++;
	return 0;
}

static struct ima_keyring *
make_keys(void)
{
	struct ima_keyring *k = ima_keyring_new();
	EVP_PKEY *pkey = EVP_EC_gen("P-256");
	BIO *bio = BIO_new(BIO_s_mem());
	struct attest_error e;
	char *pem;
	long len;

	if (!pkey || !bio || !PEM_write_bio_PUBKEY(bio, pkey) || (len = BIO_get_mem_data(bio, &pem)) <= 0 ||
	    ima_keyring_add(k, "fuzz", (const uint8_t *)pem, (size_t)len, NULL, &e))
		abort();
	BIO_free(bio);
	EVP_PKEY_free(pkey);
	return k;
}

static void
replay(const uint8_t *data, size_t size, const struct ima_options *o, struct digest_ctx *d)
{
	static struct ima_summary s;
	struct walk w = {data, size, 0, 0, {0}};
	struct attest_error e;
	int rc;

	e.reason[0] = '\0';
	rc = ima_replay(data, size, o, d, on_entry, &w, &s, &e);
	if (rc) {
		check(rc < 0 && e.reason[0] && e.offset <= size);
		return;
	}
	check(w.entries == s.entries && s.entries <= o->max_entries && w.ok == s.template_hash_ok);
	check(s.template_hash_ok + s.template_hash_mismatch + s.violations == s.entries);
	check(memcmp(w.sigs, s.sig_count, sizeof(w.sigs)) == 0);
	check(pcr_banks_has(&s.pcrs, s.template_hash_alg));
	check((s.pcr_mask == 0) == (s.entries == 0));
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct digest_ctx d;
	static struct ima_keyring *keys;
	struct ima_options o;

	if (!keys) {
		digest_ctx_init(&d);
		keys = make_keys();
	}
	ima_options_default(&o);
	o.max_entries = 64;
	o.max_entry_data = 8192;
	o.banks = DIGEST_BIT(DIGEST_SHA1) | DIGEST_BIT(DIGEST_SHA256);
	o.padded_banks = DIGEST_BIT(DIGEST_SHA256);
	o.keys = keys;
	replay(data, size, &o, &d);
	o.template_hash_alg = DIGEST_SHA256;
	replay(data, size, &o, &d);
	return 0;
}
