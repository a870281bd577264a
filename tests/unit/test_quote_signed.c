/* test_quote_signed.c - what the real quotes of test_quote.c do not cover,
 * with AIKs made here: RSA-PSS and ECDSA signatures (as a TPMT_SIGNATURE
 * and bare, as strongSwan sends them), a signed quote with the wrong magic,
 * the TPMS_ATTEST and TPM_QUOTE_INFO(2) rebuilt from the fields a PTS
 * Simple Evidence Final carries, and the parsers' bounds on crafted input. */
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <string.h>

#include "quote_rebuild.h"
#include "quote_verify.h"
#include "testlib.h"

static const unsigned seed_pcrs[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14};

struct seed {
	uint8_t *quote, *composite;
	size_t qlen, clen;
	struct tpm2_attest a;
	struct pcr_banks pcrs;
	struct quote_expect x;
};

/* The seed's TPMS_ATTEST and the PCR values its digest covers. */
static void
seed_load(struct seed *s)
{
	struct parse_error e;

	s->quote = tl_read_testdata("seed/tpms-attest-quote.bin", &s->qlen);
	s->composite = tl_read_testdata("seed/pcr-composite.bin", &s->clen);
	ck_assert_int_eq(tpm2_attest_parse(s->quote, s->qlen, &s->a, &e), 0);
	pcr_banks_init(&s->pcrs, DIGEST_BIT(DIGEST_SHA256));
	for (size_t i = 0; i < 12; i++) {
		memcpy(s->pcrs.value[DIGEST_SHA256][seed_pcrs[i]], s->composite + 32 * i, 32);
		s->pcrs.used[DIGEST_SHA256] |= 1u << seed_pcrs[i];
	}
	memset(&s->x, 0, sizeof(s->x));
	s->x.nonce = s->a.extra_data;
	s->x.pcr = quote_pcr_from_banks;
	s->x.pcr_ctx = &s->pcrs;
}

static void
seed_free(struct seed *s)
{
	free(s->quote);
	free(s->composite);
}

/* Signs msg with key: RSA with padding (and PSS salt length), or ECDSA
 * giving r and s padded to 32 octets each into out. */
static size_t
sign(EVP_PKEY *key, const EVP_MD *md, int padding, int saltlen, const uint8_t *msg, size_t len,
    uint8_t *out)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx;
	uint8_t der[600];
	size_t n = sizeof(der);

	ck_assert_int_eq(EVP_DigestSignInit(ctx, &pctx, md, NULL, key), 1);
	if (padding) {
		ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_padding(pctx, padding), 1);
		if (padding == RSA_PKCS1_PSS_PADDING)
			ck_assert_int_eq(EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, saltlen), 1);
	}
	ck_assert_int_eq(EVP_DigestSign(ctx, der, &n, msg, len), 1);
	EVP_MD_CTX_free(ctx);
	if (EVP_PKEY_get_base_id(key) == EVP_PKEY_RSA) {
		memcpy(out, der, n);
		return n;
	}
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)n);
	ck_assert_ptr_nonnull(sig);
	BN_bn2binpad(ECDSA_SIG_get0_r(sig), out, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(sig), out + 32, 32);
	ECDSA_SIG_free(sig);
	return 64;
}

/* A TPMT_SIGNATURE as a TPM marshals it. */
static struct bytes
tpmt_signature(struct wire_writer *w, uint16_t alg, const uint8_t *sig, size_t n)
{
	wire_writer_init(w, 1024);
	wire_put_u16(w, alg);
	wire_put_u16(w, TPM2_ALG_SHA256);
	if (alg == TPM2_ALG_ECDSA) {
		wire_put_u16(w, 32);
		wire_put_bytes(w, sig, 32);
		wire_put_u16(w, 32);
		wire_put_bytes(w, sig + 32, 32);
	} else {
		wire_put_u16(w, (uint16_t)n);
		wire_put_bytes(w, sig, n);
	}
	ck_assert_int_eq(wire_writer_status(w), 0);
	return (struct bytes){w->buf, w->len};
}

static enum quote_reason
verify_tpmt(struct bytes attest, struct bytes tpmt, EVP_PKEY *aik, const struct quote_expect *x,
    struct quote_result *r)
{
	struct tpm2_signature sig;
	struct parse_error e;

	ck_assert_int_eq(tpm2_signature_parse(tpmt.ptr, tpmt.len, &sig, &e), 0);
	return quote_verify_tpm2(attest, &sig, aik, x, r);
}

START_TEST(rsa_pss_quote)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	struct quote_result r;
	struct wire_writer w;
	struct seed s;
	uint8_t sig[256];
	struct bytes attest;

	seed_load(&s);
	attest = (struct bytes){s.quote, s.qlen};
	/* salt as long as the hash (TPM 2.0 since 1.16) or as long as fits */
	sign(key, EVP_sha256(), RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_DIGEST, s.quote, s.qlen, sig);
	ck_assert_int_eq(verify_tpmt(attest, tpmt_signature(&w, TPM2_ALG_RSAPSS, sig, 256), key, &s.x, &r),
	    QUOTE_OK);
	ck_assert(r.signature_valid && r.pcr_digest_match);
	ck_assert_uint_eq(r.sig_alg, TPM2_ALG_RSAPSS);
	wire_writer_clear(&w);
	sign(key, EVP_sha256(), RSA_PKCS1_PSS_PADDING, RSA_PSS_SALTLEN_MAX, s.quote, s.qlen, sig);
	ck_assert_int_eq(verify_tpmt(attest, tpmt_signature(&w, TPM2_ALG_RSAPSS, sig, 256), key, &s.x, &r),
	    QUOTE_OK);
	wire_writer_clear(&w);
	/* a PSS signature is not a PKCS#1 v1.5 one */
	ck_assert_int_eq(verify_tpmt(attest, tpmt_signature(&w, TPM2_ALG_RSASSA, sig, 256), key, &s.x, &r),
	    QUOTE_SIGNATURE);
	ck_assert_str_eq(r.detail, "the RSASSA-PKCS1-v1_5 signature with sha256 does not verify "
				   "with the AIK");
	wire_writer_clear(&w);
	EVP_PKEY_free(key);
	seed_free(&s);
}
END_TEST

START_TEST(ecdsa_quote)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	EVP_PKEY *rsa = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	struct tpm2_signature bare;
	struct quote_result r;
	struct parse_error e;
	struct wire_writer w;
	struct seed s;
	uint8_t sig[64];
	struct bytes attest;

	seed_load(&s);
	attest = (struct bytes){s.quote, s.qlen};
	sign(key, EVP_sha256(), 0, 0, s.quote, s.qlen, sig);
	ck_assert_int_eq(verify_tpmt(attest, tpmt_signature(&w, TPM2_ALG_ECDSA, sig, 64), key, &s.x, &r),
	    QUOTE_OK);
	ck_assert_uint_eq(r.sig_alg, TPM2_ALG_ECDSA);
	wire_writer_clear(&w);
	/* the AIK must be a key of the signature's kind */
	ck_assert_int_eq(verify_tpmt(attest, tpmt_signature(&w, TPM2_ALG_ECDSA, sig, 64), rsa, &s.x, &r),
	    QUOTE_SIGNATURE);
	ck_assert_str_eq(r.detail, "the AIK is not a key for ECDSA signatures");
	wire_writer_clear(&w);

	/* strongSwan's bare r || s */
	ck_assert_int_eq(tpm2_signature_from_bare(TPM2_ALG_ECDSA, TPM2_ALG_SHA256,
			     (struct bytes){sig, 64}, &bare, &e), 0);
	ck_assert_int_eq(quote_verify_tpm2(attest, &bare, key, &s.x, &r), QUOTE_OK);
	sig[10] ^= 1;
	ck_assert_int_eq(quote_verify_tpm2(attest, &bare, key, &s.x, &r), QUOTE_SIGNATURE);
	ck_assert_int_eq(tpm2_signature_from_bare(TPM2_ALG_ECDSA, TPM2_ALG_SHA256,
			     (struct bytes){sig, 63}, &bare, &e), TNC_EINVALID);
	ck_assert_uint_eq(e.code, QUOTE_SIGNATURE);
	EVP_PKEY_free(key);
	EVP_PKEY_free(rsa);
	seed_free(&s);
}
END_TEST

START_TEST(signed_wrong_magic)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct quote_result r;
	struct wire_writer w;
	struct seed s;
	uint8_t sig[64];

	seed_load(&s);
	s.quote[3] = 0x48; /* "\xffTCH" */
	sign(key, EVP_sha256(), 0, 0, s.quote, s.qlen, sig);
	ck_assert_int_eq(verify_tpmt((struct bytes){s.quote, s.qlen},
			     tpmt_signature(&w, TPM2_ALG_ECDSA, sig, 64), key, &s.x, &r),
	    QUOTE_MAGIC);
	ck_assert(r.signature_valid);
	ck_assert_str_eq(r.detail, "magic is 0xff544348, not TPM2_GENERATED_VALUE");
	wire_writer_clear(&w);
	EVP_PKEY_free(key);
	seed_free(&s);
}
END_TEST

/* The seed's quote cut into the fields strongSwan's Simple Evidence Final
 * (flag 0x10) carries: rebuilt with the nonce, it is the same octets. */
static struct quote_tpm2_fields
seed_fields(const struct seed *s)
{
	const uint8_t *q = s->quote;
	struct quote_tpm2_fields f;

	f.qualified_signer = (struct bytes){q + 8, 34};
	f.clock_info = (struct bytes){q + 8 + 34 + 2 + 32, 17};
	f.firmware_version = (struct bytes){f.clock_info.ptr + 17, 8};
	f.pcr_select = (struct bytes){f.firmware_version.ptr + 8, 10};
	f.pcr_digest = (struct bytes){f.pcr_select.ptr + 10 + 2, 32};
	return f;
}

START_TEST(rebuild_seed_quote)
{
	struct quote_tpm2_fields f;
	struct parse_error e;
	struct wire_writer w;
	struct seed s;

	seed_load(&s);
	f = seed_fields(&s);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), 0);
	ck_assert_uint_eq(w.len, s.qlen);
	ck_assert_mem_eq(w.buf, s.quote, s.qlen);
	wire_writer_clear(&w);
	seed_free(&s);
}
END_TEST

START_TEST(rebuild_refuses_bad_fields)
{
	static const uint8_t safe2[17] = {[16] = 2};
	static const uint8_t select_trailing[11] = {0, 0, 0, 1, 0, 0x0b, 3, 0xff, 0, 0, 0};
	static const uint8_t select_17[4] = {0, 0, 0, 17};
	struct quote_tpm2_fields f;
	struct parse_error e;
	struct wire_writer w;
	struct seed s;

	seed_load(&s);
	wire_writer_init(&w, 4096);
	f = seed_fields(&s);
	f.clock_info.len = 16;
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "clock info is not a 17-octet TPMS_CLOCK_INFO");
	f = seed_fields(&s);
	f.firmware_version.len = 9;
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), TNC_EINVALID);
	f = seed_fields(&s);
	f.clock_info = (struct bytes){safe2, 17};
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), TNC_EINVALID);
	ck_assert_str_eq(e.reason, "TPMS_CLOCK_INFO safe is neither YES nor NO");
	f = seed_fields(&s);
	f.pcr_select = (struct bytes){select_trailing, sizeof(select_trailing)};
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), TNC_ETRAILING);
	f.pcr_select = (struct bytes){select_17, sizeof(select_17)};
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), TNC_ETOOLONG);
	ck_assert_uint_eq(e.code, QUOTE_PCR_SELECTION);
	f = seed_fields(&s);
	f.qualified_signer.len = 67;
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.a.extra_data, &w, &e), TNC_ETOOLONG);
	ck_assert_uint_eq(w.len, 0); /* nothing written on refusal */
	wire_writer_clear(&w);
	seed_free(&s);
}
END_TEST

/* The whole strongSwan path: fields + bare signature + our nonce. */
START_TEST(strongswan_fields_verify)
{
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "EC", "P-256");
	struct quote_tpm2_fields f;
	struct tpm2_signature sig;
	struct quote_result r;
	struct parse_error e;
	struct wire_writer w;
	struct seed s;
	uint8_t raw[64], other[32];

	seed_load(&s);
	f = seed_fields(&s);
	sign(key, EVP_sha256(), 0, 0, s.quote, s.qlen, raw); /* what the TPM signed */
	ck_assert_int_eq(tpm2_signature_from_bare(TPM2_ALG_ECDSA, TPM2_ALG_SHA256,
			     (struct bytes){raw, 64}, &sig, &e), 0);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.x.nonce, &w, &e), 0);
	ck_assert_int_eq(quote_verify_tpm2((struct bytes){w.buf, w.len}, &sig, key, &s.x, &r), QUOTE_OK);
	/* another nonce rebuilds another TPMS_ATTEST: the signature fails */
	memcpy(other, s.a.extra_data.ptr, 32);
	other[0] ^= 1;
	s.x.nonce = (struct bytes){other, 32};
	wire_writer_clear(&w);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(quote_rebuild_tpm2(&f, s.x.nonce, &w, &e), 0);
	ck_assert_int_eq(quote_verify_tpm2((struct bytes){w.buf, w.len}, &sig, key, &s.x, &r),
	    QUOTE_SIGNATURE);
	wire_writer_clear(&w);
	EVP_PKEY_free(key);
	seed_free(&s);
}
END_TEST

START_TEST(rebuild_tpm12_quote_info)
{
	struct tpm12_quote_info q;
	struct parse_error e;
	struct wire_writer w;
	size_t len;
	uint8_t *info = tl_read_testdata("quotes/tpm12-linux/quote.tpm_quote_info", &len);

	ck_assert_int_eq(tpm12_quote_info_parse(info, len, &q, &e), 0);
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(quote_rebuild_tpm12(1, q.composite_hash, q.external_data, NULL, 0,
			     (struct bytes){NULL, 0}, &w, &e), 0);
	ck_assert_uint_eq(w.len, 48);
	ck_assert_mem_eq(w.buf, info, 48);
	wire_writer_clear(&w);
	free(info);
}
END_TEST

/* TPM_Quote2 with TPM_CAP_VERSION_INFO appended, signed here with SHA-1 */
START_TEST(tpm12_quote_info2)
{
	static const uint8_t version_info[] = {0x00, 0x30, 1, 2, 0x45, 0, 0, 2, 3, 'I', 'F',
	    'X', 0, 0, 2, 0xab, 0xcd};
	const struct tpm12_pcr_selection sel = {3, {0x03, 0x00, 0x00}}; /* PCRs 0, 1 */
	EVP_PKEY *key = EVP_PKEY_Q_keygen(NULL, NULL, "RSA", (size_t)2048);
	uint8_t nonce[20], composite[2 + 3 + 4 + 40], hash[20], sig[256];
	struct quote_expect x = {0};
	struct tpm12_quote_info q;
	struct quote_result r;
	struct parse_error e;
	struct wire_writer w;
	struct pcr_banks b;

	memset(nonce, 0x5a, sizeof(nonce));
	pcr_banks_init(&b, DIGEST_BIT(DIGEST_SHA1));
	memset(b.value[DIGEST_SHA1][0], 0x11, 20);
	memset(b.value[DIGEST_SHA1][1], 0x22, 20);
	b.used[DIGEST_SHA1] = 3;
	/* TPM_PCR_COMPOSITE: sizeOfSelect 3, 03 00 00, valueSize 40, the values */
	memcpy(composite, "\x00\x03\x03\x00\x00\x00\x00\x00\x28", 9);
	memset(composite + 9, 0x11, 20);
	memset(composite + 29, 0x22, 20);
	EVP_Digest(composite, sizeof(composite), hash, NULL, EVP_sha1(), NULL);

	wire_writer_init(&w, 4096);
	ck_assert_int_eq(quote_rebuild_tpm12(2, (struct bytes){hash, 20}, (struct bytes){nonce, 20},
			     &sel, 1, (struct bytes){version_info, sizeof(version_info)}, &w, &e), 0);
	ck_assert_int_eq(tpm12_quote_info_parse(w.buf, w.len, &q, &e), 0);
	ck_assert_int_eq(q.version, 2);
	ck_assert_mem_eq(q.fixed, "QUT2", 4);
	ck_assert_uint_eq(q.locality_at_release, 1);
	ck_assert_uint_eq(q.version_info.len, sizeof(version_info));
	sign(key, EVP_sha1(), RSA_PKCS1_PADDING, 0, w.buf, w.len, sig);
	x.nonce = (struct bytes){nonce, 20};
	x.pcr = quote_pcr_from_banks;
	x.pcr_ctx = &b;
	x.required_bank = TPM2_ALG_SHA1;
	x.required_pcrs = 3;
	ck_assert_int_eq(quote_verify_tpm12((struct bytes){w.buf, w.len}, (struct bytes){sig, 256},
			     NULL, key, &x, &r), QUOTE_OK);
	ck_assert_uint_eq(r.composite_len, sizeof(composite));
	b.value[DIGEST_SHA1][1][0] = 0;
	ck_assert_int_eq(quote_verify_tpm12((struct bytes){w.buf, w.len}, (struct bytes){sig, 256},
			     NULL, key, &x, &r), QUOTE_PCR_DIGEST);
	ck_assert_int_eq(strncmp(r.detail, "digestValue ", 12), 0);
	wire_writer_clear(&w);
	EVP_PKEY_free(key);
}
END_TEST

/* Every proper prefix of a quote is refused as malformed, with an offset
 * inside it; a byte more is refused too. */
START_TEST(truncated_and_trailing)
{
	struct tpm2_attest a;
	struct parse_error e;
	struct seed s;
	uint8_t longer[200];

	seed_load(&s);
	for (size_t n = 0; n < s.qlen; n++) {
		e.reason = NULL;
		ck_assert_int_lt(tpm2_attest_parse(s.quote, n, &a, &e), 0);
		ck_assert_uint_eq(e.code, QUOTE_MALFORMED);
		ck_assert(e.reason != NULL && e.offset <= n);
	}
	memcpy(longer, s.quote, s.qlen);
	longer[s.qlen] = 0;
	ck_assert_int_eq(tpm2_attest_parse(longer, s.qlen + 1, &a, &e), TNC_ETRAILING);
	ck_assert_str_eq(e.reason, "bytes after the TPMS_QUOTE_INFO");
	ck_assert_uint_eq(e.offset, s.qlen);
	seed_free(&s);
}
END_TEST

/* A count of a million selections is refused at the count, before any is
 * read; a select of 5 octets (PCRs past 31) too. */
START_TEST(selection_bounds)
{
	struct quote_result r;
	struct tpm2_attest a;
	struct parse_error e;
	struct seed s;
	const size_t count_at = 8 + 34 + 2 + 32 + 17 + 8;

	seed_load(&s);
	memcpy(s.quote + count_at, "\x00\x0f\x42\x40", 4);
	ck_assert_int_eq(tpm2_attest_parse(s.quote, s.qlen, &a, &e), TNC_ETOOLONG);
	ck_assert_uint_eq(e.code, QUOTE_PCR_SELECTION);
	ck_assert_uint_eq(e.offset, count_at);
	ck_assert_int_eq(quote_verify_tpm2((struct bytes){s.quote, s.qlen},
			     &(struct tpm2_signature){.sig_alg = TPM2_ALG_RSASSA, .hash = TPM2_ALG_SHA256},
			     NULL, &s.x, &r), QUOTE_PCR_SELECTION);
	ck_assert_str_eq(r.detail, "TPML_PCR_SELECTION: more than 16 PCR selections (offset 101)");
	memcpy(s.quote + count_at, "\x00\x00\x00\x01", 4);
	s.quote[count_at + 6] = 5;
	ck_assert_int_eq(tpm2_attest_parse(s.quote, s.qlen, &a, &e), TNC_ETOOLONG);
	ck_assert_uint_eq(e.code, QUOTE_PCR_SELECTION);
	seed_free(&s);
}
END_TEST

START_TEST(signature_parse)
{
	static const uint8_t hmac[] = {0x00, 0x05, 0x00, 0x0b, 0x00, 0x00};
	static const uint8_t sm3[] = {0x00, 0x14, 0x00, 0x12, 0x00, 0x01, 0xaa};
	static const uint8_t trailing[] = {0x00, 0x14, 0x00, 0x0b, 0x00, 0x01, 0xaa, 0x00};
	static const uint8_t too_long[] = {0x00, 0x18, 0x00, 0x0b, 0x00, 0x43};
	struct tpm2_signature s;
	struct parse_error e;

	ck_assert_int_eq(tpm2_signature_parse(hmac, sizeof(hmac), &s, &e), TNC_ETYPE);
	ck_assert_uint_eq(e.code, QUOTE_SIGNATURE);
	ck_assert_int_eq(tpm2_signature_parse(sm3, sizeof(sm3), &s, &e), TNC_ETYPE);
	ck_assert_uint_eq(e.code, QUOTE_SIGNATURE);
	ck_assert_int_eq(tpm2_signature_parse(trailing, sizeof(trailing), &s, &e), TNC_ETRAILING);
	ck_assert_int_eq(tpm2_signature_parse(trailing, 5, &s, &e), TNC_ETRUNCATED);
	ck_assert_int_eq(tpm2_signature_parse(too_long, sizeof(too_long), &s, &e), TNC_ETRUNCATED);
	ck_assert_int_eq(tpm2_signature_parse(trailing, sizeof(trailing) - 1, &s, &e), 0);
	ck_assert_uint_eq(s.rsa.len, 1);
}
END_TEST

START_TEST(pcr_file)
{
	static const char good[] =
	    "# comment\n\n0 0000000000000000000000000000000000000001\n"
	    "23 00000000000000000000000000000000000000000000000000000000000000ff\r\n";
	struct pcr_banks b;
	struct parse_error e;

	pcr_banks_init(&b, 0);
	ck_assert_int_eq(quote_pcrs_load(&b, good, strlen(good), &e), 0);
	ck_assert_uint_eq(b.active, DIGEST_BIT(DIGEST_SHA1) | DIGEST_BIT(DIGEST_SHA256));
	ck_assert_ptr_nonnull(quote_pcr_from_banks(&b, TPM2_ALG_SHA1, 0));
	ck_assert_uint_eq(quote_pcr_from_banks(&b, TPM2_ALG_SHA1, 0)[19], 1);
	ck_assert_uint_eq(quote_pcr_from_banks(&b, TPM2_ALG_SHA256, 23)[31], 0xff);
	ck_assert_ptr_null(quote_pcr_from_banks(&b, TPM2_ALG_SHA1, 1));
	ck_assert_ptr_null(quote_pcr_from_banks(&b, TPM2_ALG_SHA384, 0));
	ck_assert_int_eq(quote_pcrs_load(&b, "24 00", 5, &e), TNC_EINVALID);
	ck_assert_uint_eq(e.offset, 1);
	ck_assert_int_eq(quote_pcrs_load(&b, "\n\n1 0011", 8, &e), TNC_EINVALID);
	ck_assert_uint_eq(e.offset, 3);
	ck_assert_str_eq(e.reason, "a PCR value is not hex of 20, 32, 48 or 64 octets");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("quote_signed");
	TCase *tc = tcase_create("signed");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, rsa_pss_quote);
	tcase_add_test(tc, ecdsa_quote);
	tcase_add_test(tc, signed_wrong_magic);
	tcase_add_test(tc, strongswan_fields_verify);
	tcase_add_test(tc, tpm12_quote_info2);
	suite_add_tcase(s, tc);
	tc = tcase_create("rebuild");
	tcase_add_test(tc, rebuild_seed_quote);
	tcase_add_test(tc, rebuild_refuses_bad_fields);
	tcase_add_test(tc, rebuild_tpm12_quote_info);
	suite_add_tcase(s, tc);
	tc = tcase_create("parse");
	tcase_add_test(tc, truncated_and_trailing);
	tcase_add_test(tc, selection_bounds);
	tcase_add_test(tc, signature_parse);
	tcase_add_test(tc, pcr_file);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
