/* imc_attest_quote.c - the attestation IMC's evidence (see
 * imc_attest_int.h): the components an IMV asks for (Request Functional
 * Component Evidence), then on Generate Attestation Evidence one Simple
 * Component Evidence per measurement of their logs and the Simple
 * Evidence Final with a TPM2_Quote over the PCRs they extended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imc_attest_evidence.h"
#include "imc_attest_int.h"
#include "log.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_names.h"
#include "quote.h"
#include "tpm_conn.h"
#include "tpm_quote.h"

static void
on_evidence(void *ctx, uint32_t vendor, uint32_t type, struct bytes value)
{
	struct attest_reply *r = ctx;

	imc_reply_add(&r->out, vendor, type, value);
}

/* strongSwan's components: ITA-HSR 'Linux IMA' with qualifier Trusted
 * Platform (the BIOS log) or Operating System (the IMA list). */
int
attest_on_comp_request(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_pts_comp_request req;
	char text[PA_PTS_TEXT_MAX];
	int err = pa_pts_comp_request_decode(value, &req, pe);

	if (err)
		return err;
	for (size_t i = 0; i < req.count; i++) {
		struct pa_pts_comp_request_entry e = pa_pts_comp_request_get(&req, i);
		uint8_t type = e.name.qualifier & PA_PTS_QUALIFIER_TYPE_MASK;
		bool ima = e.name.vendor == PA_TNC_VENDOR_ITA && e.name.name == PA_PTS_ITA_COMP_IMA;
		pa_pts_comp_text(text, sizeof(text), &e.name);
		LOG(PTS, 1, "evidence request for %s", text);
		if (ima && type == PA_PTS_QUALIFIER_TRUSTED)
			r->imc->want_bios = true;
		else if (ima && type == PA_PTS_QUALIFIER_OS)
			r->imc->want_ima = true;
		else
			LOG(PTS, 0, "no evidence for %s", text);
	}
	return 0;
}

typedef int evidence_fn(const uint8_t *log, size_t len, enum digest_alg bank,
    const struct imc_evidence_sink *sink, struct imc_evidence_count *ret, char *err,
    size_t err_size);

/* The evidence of one log, if it is wanted and named; adds its PCRs. */
static void
add_log_evidence(struct attest_reply *r, bool wanted, const char *path, const char *what,
    evidence_fn *fn, uint32_t *pcrs)
{
	struct imc_evidence_sink sink = {on_evidence, r};
	struct imc_evidence_count n;
	uint8_t *log;
	size_t len;
	char why[512];

	if (!wanted)
		return;
	if (!path) {
		LOG(PTS, 0, "no %s to send as evidence", what);
		return;
	}
	if (imc_evidence_read_file(path, &log, &len, why, sizeof(why)) != 0) {
		LOG(PTS, 0, "%s", why);
		return;
	}
	if (fn(log, len, attest_algo_digest(r->imc->algo), &sink, &n, why, sizeof(why)) != 0) {
		LOG(PTS, 0, "%s", why);
	} else {
		LOG(PTS, 1, "sending %u %s measurements from '%s'", n.sent, what, path);
		*pcrs |= n.pcrs;
	}
	free(log);
}

/* IMC_ATTEST_TAMPER_REPLAY: the attest and bare signature kept in the
 * file, each after its 32-bit length. */
static bool
load_quote(const char *path, struct tpm_quote *ret)
{
	uint8_t *buf;
	size_t len;
	char why[256];
	struct wire_reader r;
	uint32_t n1, n2;
	struct bytes a, s;

	if (imc_evidence_read_file(path, &buf, &len, why, sizeof(why)) != 0)
		return false;
	wire_reader_init(&r, buf, len);
	bool ok = wire_get_u32(&r, &n1) == 0 && wire_get_bytes(&r, n1, &a) == 0 &&
	    wire_get_u32(&r, &n2) == 0 && wire_get_bytes(&r, n2, &s) == 0;
	if (ok) {
		*ret = (struct tpm_quote){0};
		if (!(ret->attest = malloc(a.len + 1)) || !(ret->bare_signature = malloc(s.len + 1)))
			abort();
		memcpy(ret->attest, a.ptr, ret->attest_len = a.len);
		memcpy(ret->bare_signature, s.ptr, ret->bare_signature_len = s.len);
	}
	free(buf);
	return ok;
}

static void
save_quote(const char *path, const struct tpm_quote *q)
{
	FILE *f = fopen(path, "wbe");
	uint8_t len[4];

	if (!f)
		return;
	len[0] = (uint8_t)(q->attest_len >> 24), len[1] = (uint8_t)(q->attest_len >> 16);
	len[2] = (uint8_t)(q->attest_len >> 8), len[3] = (uint8_t)q->attest_len;
	fwrite(len, 1, 4, f);
	fwrite(q->attest, 1, q->attest_len, f);
	len[0] = (uint8_t)(q->bare_signature_len >> 24), len[1] = (uint8_t)(q->bare_signature_len >> 16);
	len[2] = (uint8_t)(q->bare_signature_len >> 8), len[3] = (uint8_t)q->bare_signature_len;
	fwrite(len, 1, 4, f);
	fwrite(q->bare_signature, 1, q->bare_signature_len, f);
	fclose(f);
}

/* The quote over pcrs with the agreed nonce (or, under test, a wrong or
 * stale one); 0 with *ret filled. */
static int
make_quote(struct imc_attest *imc, uint32_t pcrs, struct tpm_quote *ret)
{
	const struct imc_attest_config *cfg = imc->cfg;
	uint8_t nonce[PTS_DH_MAX_HASH];
	bool replay = cfg->tamper == IMC_ATTEST_TAMPER_REPLAY && cfg->replay_file;

	if (replay && load_quote(cfg->replay_file, ret)) {
		LOG(PTS, 0, "test hook: sending the quote kept in %s again", cfg->replay_file);
		return 0;
	}
	memcpy(nonce, imc->nonce, imc->nonce_len);
	if (cfg->tamper == IMC_ATTEST_TAMPER_NONCE) {
		LOG(PTS, 0, "test hook: quoting with a wrong nonce");
		nonce[0] ^= 0x01;
	}
	int err = tpm_quote(imc->aik, attest_algo_digest(imc->algo), pcrs, nonce, imc->nonce_len, ret);
	if (err) {
		LOG(PTS, 0, "TPM quote failed: %s", tpm_error(imc->tpm));
		return err;
	}
	if (replay)
		save_quote(cfg->replay_file, ret);
	return 0;
}

int
attest_on_generate(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	const struct imc_attest_config *cfg = imc->cfg;
	struct imc_evidence_sink sink = {on_evidence, r};
	struct tpm_quote q;
	uint32_t pcrs = 0;
	char why[512];
	int err = pa_pts_reserved_decode(value, pe);

	if (err)
		return err;
	if (!imc->tpm)
		return attest_no_tpm(pe);
	if (!imc->algo)
		return attest_refuse(pe, 0, "no measurement algorithm was selected");
	add_log_evidence(r, imc->want_bios, cfg->bios_log, "BIOS", imc_evidence_bios, &pcrs);
	add_log_evidence(r, imc->want_ima, cfg->ima_list, "IMA", imc_evidence_ima, &pcrs);
	if (!imc->nonce_len) {
		LOG(PTS, 0, "no D-H nonce was agreed: no quote");
		return 0;
	}
	if (!pcrs)
		pcrs = TPM_QUOTE_PCRS_DEFAULT;
	if (make_quote(imc, pcrs, &q) != 0)
		return 0;
	LOG(PTS, 1, "quoting PCRs 0x%06x in the %s bank", pcrs, digest_name(attest_algo_digest(imc->algo)));
	if (imc_evidence_final(&q, TPM2_ALG_SHA256, &sink, why, sizeof(why)) != 0)
		LOG(PTS, 0, "%s", why);
	tpm_quote_clear(&q);
	return 0;
}
