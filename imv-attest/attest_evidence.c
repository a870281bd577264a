/* attest_evidence.c - PTS evidence verified as it arrives (see
 * attest_evidence.h). */
#include "attest_evidence.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "boot_aggregate.h"
#include "ima.h"
#include "pa_pts.h"
#include "pa_pts_names.h"
#include "quote_rebuild.h"
#include "quote_verify.h"

#define BOOT_AGGREGATE "boot_aggregate"

static bool __attribute__((format(printf, 2, 3)))
fail(struct attest_evidence *ev, const char *fmt, ...)
{
	va_list ap;
	if (ev->failed)
		return false;
	ev->failed = true;
	va_start(ap, fmt);
	vsnprintf(ev->reason, sizeof(ev->reason), fmt, ap);
	va_end(ap);
	return false;
}

void
attest_evidence_init(struct attest_evidence *ev, uint32_t max_events)
{
	memset(ev, 0, sizeof(*ev));
	ev->max_events = max_events;
	ev->locality = -1;
	digest_ctx_init(&ev->d);
}

void
attest_evidence_clear(struct attest_evidence *ev)
{
	digest_ctx_clear(&ev->d);
}

static bool
digest_of_pts(uint16_t algo, enum digest_alg *ret)
{
	switch (algo) {
	case PA_PTS_ALGO_SHA1: *ret = DIGEST_SHA1; return true;
	case PA_PTS_ALGO_SHA256: *ret = DIGEST_SHA256; return true;
	case PA_PTS_ALGO_SHA384: *ret = DIGEST_SHA384; return true;
	case PA_PTS_ALGO_SHA512: *ret = DIGEST_SHA512; return true;
	default: return false;
	}
}

/* The measurement as a value of the bank's size (PCR Transform "short":
 * zero-padded, as a SHA-1 IMA template hash in a SHA-256 bank). */
static bool
fit(struct attest_evidence *ev, const struct pa_pts_comp_evidence *e, uint32_t n,
    uint8_t out[DIGEST_MAX])
{
	size_t size = digest_size(ev->bank), len = e->measurement.len;
	if (len == size || (len < size && e->transform == PA_PTS_TRANSFORM_SHORT)) {
		memset(out, 0, DIGEST_MAX);
		memcpy(out, e->measurement.ptr, len);
		return true;
	}
	return fail(ev, "evidence %u: a %zu-byte measurement for the %zu-byte %s PCR bank", n, len,
	    size, digest_name(ev->bank));
}

/* The template hash algorithm of a measurement: the bank's, or SHA-1 for
 * a SHA-1 template hash zero-padded into a larger bank. */
static enum digest_alg
template_alg(const struct attest_evidence *ev, size_t measurement_len)
{
	return measurement_len == digest_size(DIGEST_SHA1) && ev->bank != DIGEST_SHA1 ? DIGEST_SHA1 :
	    ev->bank;
}

/* The boot aggregate entry: its template hash must be that of the
 * aggregate of the emulated PCRs 0-9 or 0-7, in an ima-ng, ima-sig (no
 * signature) or ima entry. */
static enum attest_taken
check_aggregate(struct attest_evidence *ev, const struct pa_pts_ima_uri *uri,
    const struct pa_pts_comp_evidence *e)
{
	static const enum ima_rebuild ng[] = {IMA_REBUILD_NG, IMA_REBUILD_SIG};
	static const enum ima_rebuild legacy[] = {IMA_REBUILD_LEGACY};
	const struct bytes name = {(const uint8_t *)BOOT_AGGREGATE, strlen(BOOT_AGGREGATE)};
	enum digest_alg algo = DIGEST_SHA1, talg = template_alg(ev, e->measurement.len);
	uint8_t aggregate[DIGEST_MAX], want[DIGEST_MAX];
	const enum ima_rebuild *forms = uri->has_algo ? ng : legacy;
	size_t nforms = uri->has_algo ? 2 : 1;

	if (uri->has_algo && uri->algo.len &&
	    digest_from_name((const char *)uri->algo.ptr, uri->algo.len, &algo) != 0) {
		fail(ev, "boot aggregate: unknown hash algorithm '%.*s'", (int)uri->algo.len,
		    (const char *)uri->algo.ptr);
		return ATTEST_TOOK_FAILED;
	}
	if (algo != ev->bank) {
		fail(ev, "boot aggregate over the %s PCRs, but the evidence replays the %s bank",
		    digest_name(algo), digest_name(ev->bank));
		return ATTEST_TOOK_FAILED;
	}
	for (unsigned last = 9;; last = 7) {
		boot_aggregate_compute(&ev->d, &ev->pcrs, ev->bank, last, aggregate);
		for (size_t i = 0; i < nforms; i++) {
			struct bytes digest = {aggregate, digest_size(algo)};
			if (ima_rebuild_hash(&ev->d, talg, forms[i], digest_name(algo), digest, name,
			    want) == 0 && !memcmp(want, e->measurement.ptr, digest_size(talg))) {
				ev->aggregate_ok = true;
				ev->aggregate_last_pcr = last;
				return ATTEST_TOOK_AGGREGATE;
			}
		}
		if (last == 7)
			break;
	}
	fail(ev, "boot aggregate: the IMA entry matches the aggregate of neither PCR0..PCR9 nor "
	    "PCR0..PCR7 of the replayed BIOS evidence");
	return ATTEST_TOOK_FAILED;
}

static enum attest_taken
take_ima(struct attest_evidence *ev, const struct pa_pts_comp_evidence *e,
    const uint8_t *value, struct attest_ima_file *ret)
{
	struct pa_pts_ima_uri uri;
	enum digest_alg algo = DIGEST_SHA1;

	if ((e->flags & PA_PTS_EVID_VALIDATION_MASK) != PA_PTS_VALIDATION_PASSED ||
	    !e->policy_uri.len) {
		fail(ev, "IMA evidence %u: no file name (validation '%s')", ev->ima,
		    pa_pts_validation_name(e->flags & PA_PTS_EVID_VALIDATION_MASK));
		return ATTEST_TOOK_FAILED;
	}
	pa_pts_ima_uri_split(e->policy_uri, &uri);
	if (!uri.path.len) {
		fail(ev, "IMA evidence %u: an empty file name", ev->ima);
		return ATTEST_TOOK_FAILED;
	}
	pcr_banks_extend(&ev->pcrs, &ev->d, ev->bank, e->pcr, value);
	if (ev->ima == 1 && bytes_eq_str(uri.path, BOOT_AGGREGATE))
		return check_aggregate(ev, &uri, e);
	if (!ev->aggregate_ok) {
		fail(ev, "IMA evidence %u for '%.*s': the first IMA entry is not a correct boot "
		    "aggregate", ev->ima, (int)uri.path.len, (const char *)uri.path.ptr);
		return ATTEST_TOOK_FAILED;
	}
	if (uri.has_algo && uri.algo.len &&
	    digest_from_name((const char *)uri.algo.ptr, uri.algo.len, &algo) != 0) {
		fail(ev, "IMA evidence %u for '%.*s': unknown hash algorithm '%.*s'", ev->ima,
		    (int)uri.path.len, (const char *)uri.path.ptr, (int)uri.algo.len,
		    (const char *)uri.algo.ptr);
		return ATTEST_TOOK_FAILED;
	}
	ret->path = uri.path;
	ret->form = uri.has_algo ? IPC_FILE_IMA_NG_TEMPLATE : IPC_FILE_IMA_TEMPLATE;
	ret->algo = digest_name(algo);
	ret->template_algo = digest_name(template_alg(ev, e->measurement.len));
	ret->hash_len = e->measurement.len;
	memcpy(ret->hash, e->measurement.ptr, e->measurement.len);
	return ATTEST_TOOK_FILE;
}

enum attest_taken
attest_evidence_component(struct attest_evidence *ev, const struct pa_pts_comp_evidence *e,
    struct attest_ima_file *ret_file)
{
	enum digest_alg alg;
	uint8_t value[DIGEST_MAX];
	uint32_t n = ev->bios + ev->ima + 1;
	uint8_t qtype = e->name.qualifier & PA_PTS_QUALIFIER_TYPE_MASK;

	if (ev->failed)
		return ATTEST_TOOK_FAILED;
	if (n > ev->max_events) {
		fail(ev, "more than %u evidence measurements", ev->max_events);
		return ATTEST_TOOK_FAILED;
	}
	if (!digest_of_pts(e->hash_algo, &alg)) {
		fail(ev, "evidence %u: hash algorithm 0x%04x not supported", n, e->hash_algo);
		return ATTEST_TOOK_FAILED;
	}
	if (!ev->bank_set) {
		ev->bank_set = true;
		ev->bank = alg;
		pcr_banks_init(&ev->pcrs, DIGEST_BIT(alg));
		if (ev->locality > 0)
			pcr_banks_set_locality(&ev->pcrs, (uint8_t)ev->locality);
	}
	if (alg != ev->bank) {
		fail(ev, "evidence %u: a %s measurement after %s ones", n, digest_name(alg),
		    digest_name(ev->bank));
		return ATTEST_TOOK_FAILED;
	}
	if (e->pcr >= PCR_COUNT) {
		fail(ev, "evidence %u: PCR %u does not exist", n, e->pcr);
		return ATTEST_TOOK_FAILED;
	}
	if (!fit(ev, e, n, value))
		return ATTEST_TOOK_FAILED;
	bool bios = (e->name.vendor == 0x005597 && e->name.name == PA_PTS_TCG_COMP_BIOS) ||
	    qtype == PA_PTS_QUALIFIER_TRUSTED;
	if (bios) {
		ev->bios++;
		pcr_banks_extend(&ev->pcrs, &ev->d, ev->bank, e->pcr, value);
		return ATTEST_TOOK_BIOS;
	}
	if (qtype != PA_PTS_QUALIFIER_OS) {
		fail(ev, "evidence %u: a component that is neither BIOS nor IMA evidence", n);
		return ATTEST_TOOK_FAILED;
	}
	ev->ima++;
	return take_ima(ev, e, value, ret_file);
}

uint32_t
attest_evidence_files(const struct attest_evidence *ev)
{
	return ev->ima - (ev->aggregate_ok ? 1 : 0);
}

static uint16_t
tpm_hash_of(const struct attest_evidence *ev, uint16_t pts_algo)
{
	enum digest_alg a;
	return digest_tpm_alg(digest_of_pts(pts_algo, &a) ? a : ev->bank);
}

/* The emulated bank's PCRs, those no evidence extended at their reset
 * value (zero): the evidence is every event since reset, as the TPM has
 * them. */
static const uint8_t *
emulated_pcr(void *ctx, uint16_t alg, unsigned pcr)
{
	const struct attest_evidence *ev = ctx;
	if (alg != digest_tpm_alg(ev->bank) || pcr >= PCR_COUNT)
		return NULL;
	return pcr_banks_get(&ev->pcrs, ev->bank, pcr);
}

void
attest_evidence_final(struct attest_evidence *ev, const struct pa_pts_final *f, EVP_PKEY *aik,
    struct bytes nonce)
{
	struct parse_error pe = {0};
	struct wire_writer w;
	struct tpm2_signature sig;
	struct quote_result res;

	ev->quote_done = true;
	if (ev->failed)
		return;
	if (f->mode != PA_PTS_QUOTE_TPM2) {
		fail(ev, "quote: a %s is not verified (only TPM 2.0 quotes are)",
		    pa_pts_quote_mode_name(f->mode));
		return;
	}
	if (!ev->bank_set) {
		fail(ev, "quote: no evidence was replayed");
		return;
	}
	struct quote_tpm2_fields q = {f->qualified_signer, f->clock_info, f->firmware_version,
	    f->pcr_select, f->composite};
	wire_writer_init(&w, 1024);
	if (quote_rebuild_tpm2(&q, nonce, &w, &pe) != 0) {
		fail(ev, "quote: %s", pe.reason ? pe.reason : "its fields do not make a TPMS_ATTEST");
		goto out;
	}
	uint16_t hash = tpm_hash_of(ev, f->composite_algo);
	uint16_t sig_alg = EVP_PKEY_get_base_id(aik) == EVP_PKEY_RSA ? TPM2_ALG_RSASSA :
	    TPM2_ALG_ECDSA;
	/* a TPMT_SIGNATURE as the TPM returned it, or strongSwan's bare one */
	if (tpm2_signature_parse(f->quote_sig.ptr, f->quote_sig.len, &sig, &pe) != 0 &&
	    tpm2_signature_from_bare(sig_alg, hash, f->quote_sig, &sig, &pe) != 0) {
		fail(ev, "quote signature: %s", pe.reason ? pe.reason : "malformed");
		goto out;
	}
	struct quote_expect x = {.nonce = nonce, .pcr = emulated_pcr, .pcr_ctx = ev,
	    .required_bank = digest_tpm_alg(ev->bank), .required_pcrs = ev->pcrs.used[ev->bank]};
	enum quote_reason r = quote_verify_tpm2((struct bytes){w.buf, w.len}, &sig, aik, &x, &res);
	ev->quote_ok = r == QUOTE_OK;
	if (!ev->quote_ok)
		fail(ev, "quote: %s%s%s", quote_reason_name(r), res.detail[0] ? ": " : "", res.detail);
out:
	wire_writer_clear(&w);
}
