/* quote_verify.c - checks a TPM 2.0 or TPM 1.2 quote against the nonce,
 * the expected PCR values and the AIK (see quote_verify.h).  Every check
 * runs so the result tells all; the first failure, in a fixed order, is
 * the reason.
 */
#include "quote_verify.h"

#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/err.h>
#include <openssl/rsa.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* Records a failure unless an earlier one is already the reason. */
static void __attribute__((format(printf, 3, 4)))
fail(struct quote_result *res, enum quote_reason reason, const char *fmt, ...)
{
	va_list ap;

	if (res->reason != QUOTE_OK)
		return;
	res->reason = reason;
	va_start(ap, fmt);
	vsnprintf(res->detail, sizeof(res->detail), fmt, ap);
	va_end(ap);
}

static void
hex(char *out, size_t size, struct bytes b)
{
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i < b.len && n + 3 <= size; i++)
		n += (size_t)snprintf(out + n, size - n, "%02x", b.ptr[i]);
	if (b.len == 0)
		snprintf(out, size, "(empty)");
}

/* "sha256" for TPM2_ALG_SHA256; "?" for what digest.h does not know. */
static const char *
hash_name(uint16_t alg)
{
	enum digest_alg a;
	return digest_from_tpm_alg(alg, &a) ? "?" : digest_name(a);
}

static size_t
hash_size(uint16_t alg)
{
	enum digest_alg a;
	return digest_from_tpm_alg(alg, &a) ? 0 : digest_size(a);
}

static const EVP_MD *
digest_of(uint16_t alg)
{
	return hash_size(alg) ? EVP_get_digestbyname(hash_name(alg)) : NULL;
}

/* ECDSA r and s as the DER ECDSA-Sig-Value OpenSSL verifies. */
static int
ecdsa_der(const struct tpm2_signature *s, unsigned char **ret, int *ret_len)
{
	ECDSA_SIG *sig = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(s->ecc_r.ptr, (int)s->ecc_r.len, NULL);
	BIGNUM *ss = BN_bin2bn(s->ecc_s.ptr, (int)s->ecc_s.len, NULL);
	int len = -1;

	if (sig && r && ss && ECDSA_SIG_set0(sig, r, ss) == 1) {
		r = ss = NULL; /* owned by sig now */
		*ret = NULL;
		len = i2d_ECDSA_SIG(sig, ret);
	}
	BN_free(r);
	BN_free(ss);
	ECDSA_SIG_free(sig);
	*ret_len = len;
	return len > 0 ? 0 : TNC_EINVALID;
}

static bool
key_fits(EVP_PKEY *aik, uint16_t sig_alg)
{
	int id = EVP_PKEY_get_base_id(aik);
	return sig_alg == TPM2_ALG_ECDSA ? id == EVP_PKEY_EC : id == EVP_PKEY_RSA;
}

static const char *
scheme_name(uint16_t sig_alg)
{
	return sig_alg == TPM2_ALG_ECDSA ? "ECDSA"
	    : sig_alg == TPM2_ALG_RSAPSS ? "RSA-PSS"
					 : "RSASSA-PKCS1-v1_5";
}

/* 1 if sig verifies over msg, 0 if not, -1 if OpenSSL could not try. */
static int
evp_verify(EVP_PKEY *aik, const struct tpm2_signature *s, const unsigned char *sig,
    size_t sig_len, struct bytes msg)
{
	const EVP_MD *md = digest_of(s->hash);
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	EVP_PKEY_CTX *pctx = NULL;
	int rc = -1;

	/* TPM 2.0 Part 1, B.7: PSS uses the scheme's hash for the MGF too; the
	 * salt length differs between TPM revisions, so OpenSSL takes it from
	 * the signature. */
	if (ctx && md && EVP_DigestVerifyInit(ctx, &pctx, md, NULL, aik) == 1 &&
	    (s->sig_alg != TPM2_ALG_RSAPSS ||
		(EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
		    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1)))
		rc = EVP_DigestVerify(ctx, sig, sig_len, msg.ptr, msg.len) == 1;
	EVP_MD_CTX_free(ctx);
	ERR_clear_error(); /* a bad signature is an answer, not an error to keep */
	return rc;
}

/* Whether s verifies over msg with aik; why says what failed if not. */
static bool
signature_ok(EVP_PKEY *aik, const struct tpm2_signature *s, struct bytes msg, char *why,
    size_t why_size)
{
	unsigned char *der = NULL;
	int der_len = 0, rc = -1;

	if (!aik || !key_fits(aik, s->sig_alg))
		snprintf(why, why_size, "the AIK is not a key for %s signatures",
		    scheme_name(s->sig_alg));
	else if (s->sig_alg == TPM2_ALG_ECDSA && ecdsa_der(s, &der, &der_len))
		snprintf(why, why_size, "ECDSA r and s are unusable");
	else if ((rc = s->sig_alg == TPM2_ALG_ECDSA
			   ? evp_verify(aik, s, der, (size_t)der_len, msg)
			   : evp_verify(aik, s, s->rsa.ptr, s->rsa.len, msg)) < 0)
		snprintf(why, why_size, "OpenSSL cannot verify a %s signature with %s",
		    scheme_name(s->sig_alg), hash_name(s->hash));
	else if (rc == 0)
		snprintf(why, why_size, "the %s signature with %s does not verify with the AIK",
		    scheme_name(s->sig_alg), hash_name(s->hash));
	OPENSSL_free(der);
	return rc == 1;
}

static void
check_signature(const struct tpm2_signature *sig, EVP_PKEY *aik, struct bytes msg,
    const struct quote_expect *x, struct quote_result *res)
{
	char why[160];

	res->sig_alg = sig->sig_alg;
	res->sig_hash = sig->hash;
	if (x->sig_hash && sig->hash != x->sig_hash)
		fail(res, QUOTE_SIGNATURE_HASH, "the signature uses %s, %s is required",
		    hash_name(sig->hash), hash_name(x->sig_hash));
	res->signature_valid = signature_ok(aik, sig, msg, why, sizeof(why));
	if (!res->signature_valid)
		fail(res, QUOTE_SIGNATURE, "%s", why);
}

static void
check_nonce(const char *field, struct bytes got, const struct quote_expect *x,
    struct quote_result *res)
{
	char a[2 * QUOTE_MAX_NAME + 1], b[2 * QUOTE_MAX_NAME + 1];

	if (got.len == x->nonce.len && (got.len == 0 || !memcmp(got.ptr, x->nonce.ptr, got.len)))
		return;
	hex(a, sizeof(a), got);
	hex(b, sizeof(b), x->nonce);
	fail(res, QUOTE_NONCE, "%s %s is not the nonce %s", field, a, b);
}

static void
check_digest(const char *field, struct bytes got, struct quote_result *res)
{
	char a[2 * DIGEST_MAX + 1], b[2 * DIGEST_MAX + 1];

	res->pcr_digest_match = got.len == res->pcr_digest_len &&
	    !memcmp(got.ptr, res->pcr_digest, got.len);
	if (res->pcr_digest_match)
		return;
	hex(a, sizeof(a), got);
	hex(b, sizeof(b), (struct bytes){res->pcr_digest, res->pcr_digest_len});
	fail(res, QUOTE_PCR_DIGEST, "%s %s differs from the digest of the expected PCRs %s", field,
	    a, b);
}

/* Hashes the expected value of every selected PCR of one bank into ctx. */
static bool
hash_bank(EVP_MD_CTX *ctx, uint16_t bank, const uint8_t *select, size_t size_of_select,
    const struct quote_expect *x, struct quote_result *res)
{
	size_t size = hash_size(bank);

	if (!size) {
		fail(res, QUOTE_PCR_SELECTION, "a selection of bank 0x%04x, which is not "
		    "SHA-1, SHA-256, SHA-384 or SHA-512", bank);
		return false;
	}
	for (unsigned pcr = 0; pcr < 8 * size_of_select; pcr++) {
		const uint8_t *v;

		if (!(select[pcr / 8] >> (pcr % 8) & 1))
			continue;
		v = x->pcr ? x->pcr(x->pcr_ctx, bank, pcr) : NULL;
		if (!v) {
			fail(res, QUOTE_PCR_SELECTION, "PCR %u of the %s bank is quoted, but the "
			    "evidence gives no value for it", pcr, hash_name(bank));
			return false;
		}
		EVP_DigestUpdate(ctx, v, size);
		res->composite_len += size;
	}
	return true;
}

static uint32_t
select_mask(const uint8_t *select, size_t size_of_select)
{
	uint32_t mask = 0;

	for (size_t i = 0; i < size_of_select && i < QUOTE_MAX_SELECT_BYTES; i++)
		mask |= (uint32_t)select[i] << (8 * i);
	return mask;
}

/* The PCRs the verifier saw evidence for must be in the quote. */
static void
check_required(uint32_t covered, const struct quote_expect *x, struct quote_result *res)
{
	for (unsigned pcr = 0; pcr < QUOTE_MAX_PCRS; pcr++)
		if ((x->required_pcrs & ~covered) >> pcr & 1) {
			fail(res, QUOTE_PCR_SELECTION, "PCR %u of the %s bank holds evidence "
			    "but is not quoted", pcr, hash_name(x->required_bank));
			return;
		}
}

static void
check_pcrs_tpm2(const struct tpm2_attest *a, uint16_t hash, const struct quote_expect *x,
    struct quote_result *res)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	const EVP_MD *md = digest_of(hash);
	unsigned int len = 0;
	bool ok = ctx && md && EVP_DigestInit_ex(ctx, md, NULL) == 1;
	uint32_t covered = 0;

	for (uint32_t i = 0; i < a->selection_count; i++) {
		const struct tpm2_pcr_selection *s = &a->selections[i];
		if (s->hash == x->required_bank)
			covered |= select_mask(s->select, s->size_of_select);
	}
	check_required(covered, x, res);
	for (uint32_t i = 0; ok && i < a->selection_count; i++)
		ok = hash_bank(ctx, a->selections[i].hash, a->selections[i].select,
		    a->selections[i].size_of_select, x, res);
	if (ok && EVP_DigestFinal_ex(ctx, res->pcr_digest, &len) == 1) {
		res->pcr_digest_len = len;
		check_digest("pcrDigest", a->pcr_digest, res);
	} else { /* after a PCR selection failure, which stays the reason */
		fail(res, QUOTE_PCR_DIGEST, "no %s digest of the expected PCRs", hash_name(hash));
	}
	EVP_MD_CTX_free(ctx);
}

enum quote_reason
quote_verify_tpm2(struct bytes attest, const struct tpm2_signature *sig, EVP_PKEY *aik,
    const struct quote_expect *x, struct quote_result *res)
{
	struct tpm2_attest a;
	struct parse_error pe;

	memset(res, 0, sizeof(*res));
	if (tpm2_attest_parse(attest.ptr, attest.len, &a, &pe)) {
		fail(res, (enum quote_reason)pe.code, "%s (offset %u)", pe.reason, pe.offset);
		return res->reason;
	}
	check_signature(sig, aik, attest, x, res);
	if (a.magic != TPM2_GENERATED_VALUE)
		fail(res, QUOTE_MAGIC, "magic is 0x%08x, not TPM2_GENERATED_VALUE", a.magic);
	if (a.type != TPM2_ST_ATTEST_QUOTE) {
		fail(res, QUOTE_TYPE, "type is 0x%04x, not TPM2_ST_ATTEST_QUOTE", a.type);
		return res->reason;
	}
	check_nonce("extraData", a.extra_data, x, res);
	check_pcrs_tpm2(&a, sig->hash, x, res);
	return res->reason;
}

/* SHA-1 of the TPM_PCR_COMPOSITE (TPM 1.2 Main Part 2, 8.2): the
 * selection, the size of the values, the values. */
static void
check_pcrs_tpm12(const struct tpm12_quote_info *q, const struct tpm12_pcr_selection *sel,
    const struct quote_expect *x, struct quote_result *res)
{
	uint8_t head[2 + QUOTE_MAX_SELECT_BYTES + 4];
	uint32_t count = 0, value_size;
	EVP_MD_CTX *ctx;
	unsigned int len = 0;
	size_t n = 0;
	bool ok;

	if (!sel || sel->size_of_select > QUOTE_MAX_SELECT_BYTES) {
		fail(res, QUOTE_PCR_SELECTION, "no PCR selection for the TPM_QUOTE_INFO");
		return;
	}
	check_required(x->required_bank == TPM2_ALG_SHA1 ?
		select_mask(sel->select, sel->size_of_select) : 0, x, res);
	for (unsigned pcr = 0; pcr < 8u * sel->size_of_select; pcr++)
		count += tpm12_pcr_selected(sel, pcr);
	value_size = count * TPM12_DIGEST_LEN;
	head[n++] = (uint8_t)(sel->size_of_select >> 8);
	head[n++] = (uint8_t)sel->size_of_select;
	memcpy(head + n, sel->select, sel->size_of_select);
	n += sel->size_of_select;
	for (int shift = 24; shift >= 0; shift -= 8)
		head[n++] = (uint8_t)(value_size >> shift);
	ctx = EVP_MD_CTX_new();
	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL) == 1 &&
	    EVP_DigestUpdate(ctx, head, n) == 1;
	ok = ok && hash_bank(ctx, TPM2_ALG_SHA1, sel->select, sel->size_of_select, x, res);
	if (ok && EVP_DigestFinal_ex(ctx, res->pcr_digest, &len) == 1) {
		res->pcr_digest_len = len;
		res->composite_len += n;
		check_digest("digestValue", q->composite_hash, res);
	} else {
		fail(res, QUOTE_PCR_DIGEST, "no SHA-1 digest of the expected PCR composite");
	}
	EVP_MD_CTX_free(ctx);
}

enum quote_reason
quote_verify_tpm12(struct bytes quote_info, struct bytes sig,
    const struct tpm12_pcr_selection *sel, EVP_PKEY *aik, const struct quote_expect *x,
    struct quote_result *res)
{
	/* TPM_SS_RSASSAPKCS1v15_SHA1, the scheme of TPM 1.2 AIKs */
	const struct tpm2_signature s = {
	    .sig_alg = TPM2_ALG_RSASSA, .hash = TPM2_ALG_SHA1, .rsa = sig};
	struct tpm12_quote_info q;
	struct parse_error pe;
	bool magic_ok;

	memset(res, 0, sizeof(*res));
	if (tpm12_quote_info_parse(quote_info.ptr, quote_info.len, &q, &pe)) {
		fail(res, (enum quote_reason)pe.code, "%s (offset %u)", pe.reason, pe.offset);
		return res->reason;
	}
	check_signature(&s, aik, quote_info, x, res);
	if (q.version == 1)
		magic_ok = !memcmp(q.struct_version, "\x01\x01\x00\x00", 4) &&
		    !memcmp(q.fixed, "QUOT", 4);
	else
		magic_ok = !memcmp(q.fixed, "QUT2", 4);
	if (!magic_ok)
		fail(res, QUOTE_MAGIC, "%s",
		    q.version == 1 ? "TPM_QUOTE_INFO is not version 1.1.0.0 \"QUOT\""
				   : "TPM_QUOTE_INFO2 fixed is not \"QUT2\"");
	check_nonce("externalData", q.external_data, x, res);
	check_pcrs_tpm12(&q, q.version == 2 ? &q.selection : sel, x, res);
	return res->reason;
}

const uint8_t *
quote_pcr_from_banks(void *banks, uint16_t alg, unsigned pcr)
{
	const struct pcr_banks *b = banks;
	enum digest_alg a;

	if (digest_from_tpm_alg(alg, &a) || pcr >= PCR_COUNT || !pcr_banks_has(b, a) ||
	    !(b->used[a] >> pcr & 1))
		return NULL;
	return pcr_banks_get(b, a, pcr);
}

static int
hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static int
by_size(size_t len, enum digest_alg *ret)
{
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (digest_size((enum digest_alg)a) == len) {
			*ret = (enum digest_alg)a;
			return 0;
		}
	return TNC_ENOTFOUND;
}

/* One line "<index> <hex>"; blank and comment lines are skipped. */
static int
load_line(struct pcr_banks *b, const char *p, const char *end, struct parse_error *e,
    size_t lineno)
{
	uint8_t value[DIGEST_MAX];
	enum digest_alg a;
	unsigned pcr = 0;
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if (p == end || *p == '#')
		return 0;
	for (; p < end && *p >= '0' && *p <= '9' && pcr < 1000; p++)
		pcr = pcr * 10 + (unsigned)(*p - '0');
	if (p == end || (*p != ' ' && *p != '\t') || pcr >= PCR_COUNT)
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, lineno,
		    "a line is not \"<PCR index 0..23> <hex value>\"");
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p + 1 < end && hex_value(p[0]) >= 0 && hex_value(p[1]) >= 0 && n < sizeof(value);
	     p += 2)
		value[n++] = (uint8_t)(hex_value(p[0]) << 4 | hex_value(p[1]));
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\r'))
		p++;
	if ((p != end && *p != '#') || by_size(n, &a))
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, lineno,
		    "a PCR value is not hex of 20, 32, 48 or 64 octets");
	b->active |= DIGEST_BIT(a);
	memcpy(b->value[a][pcr], value, n);
	b->used[a] |= 1u << pcr;
	return 0;
}

int
quote_pcrs_load(struct pcr_banks *b, const char *text, size_t len, struct parse_error *e)
{
	const char *p = text, *end = text + len;
	size_t lineno = 0;
	int rc;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *eol = nl ? nl : end;

		if ((rc = load_line(b, p, eol, e, ++lineno)))
			return rc;
		p = nl ? nl + 1 : end;
	}
	return 0;
}
