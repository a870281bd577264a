/* imc_attest_evidence.c - the attestation IMC's evidence attributes (see
 * imc_attest_evidence.h).  The logs are read by the verifier's own parsers
 * (attest/eventlog.h, attest/ima.h), so the IMC refuses what the IMV
 * would. */
#include "imc_attest_evidence.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "eventlog.h"
#include "ima.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_final.h"
#include "pa_tnc.h"
#include "quote.h"

/* One attribute value: the fixed part, a path of up to 4 KB, a digest. */
#define EVIDENCE_VALUE_MAX (PA_PTS_EVIDENCE_FIXED_LEN + 2 + 4096 + 256 + PA_PTS_HASH_MAX)

int
imc_evidence_read_file(const char *path, uint8_t **ret, size_t *ret_len, char *err,
    size_t err_size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0, cap = 64 * 1024;
	uint8_t *buf;

	if (fd < 0) {
		snprintf(err, err_size, "cannot open %s: %s", path, strerror(errno));
		return -errno;
	}
	if (!(buf = malloc(cap)))
		abort();
	for (;;) {
		if (len == cap) {
			if (cap >= IMC_EVIDENCE_FILE_MAX) {
				snprintf(err, err_size, "%s is larger than %u bytes", path,
				    IMC_EVIDENCE_FILE_MAX);
				free(buf);
				close(fd);
				return TNC_ETOOLONG;
			}
			cap *= 2;
			if (!(buf = realloc(buf, cap)))
				abort();
		}
		ssize_t n = read(fd, buf + len, cap - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = -errno;
			snprintf(err, err_size, "cannot read %s: %s", path, strerror(errno));
			free(buf);
			close(fd);
			return e;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	close(fd);
	*ret = buf;
	*ret_len = len;
	return 0;
}

static uint16_t
pts_algo(enum digest_alg a)
{
	switch (a) {
	case DIGEST_SHA1: return PA_PTS_ALGO_SHA1;
	case DIGEST_SHA256: return PA_PTS_ALGO_SHA256;
	case DIGEST_SHA384: return PA_PTS_ALGO_SHA384;
	default: return PA_PTS_ALGO_SHA512;
	}
}

/* Encodes one Simple Component Evidence and hands it to the sink. */
static void
emit_evidence(const struct imc_evidence_sink *sink, const struct pa_pts_comp_evidence *v)
{
	struct wire_writer w;

	wire_writer_init(&w, EVIDENCE_VALUE_MAX);
	pa_pts_comp_evidence_encode(&w, v);
	if (wire_writer_status(&w) == 0)
		sink->emit(sink->ctx, PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID,
		    (struct bytes){w.buf, w.len});
	wire_writer_clear(&w);
}

/* The fields every piece of evidence shares. */
static struct pa_pts_comp_evidence
evidence_of(uint8_t qualifier, enum digest_alg bank, uint32_t pcr, const char *time)
{
	return (struct pa_pts_comp_evidence){
	    .name = {PA_TNC_VENDOR_ITA, qualifier, PA_PTS_ITA_COMP_IMA},
	    .pcr = pcr,
	    .hash_algo = pts_algo(bank),
	    .transform = PA_PTS_TRANSFORM_MATCH,
	    .time = {(const uint8_t *)time, PA_PTS_TIME_LEN},
	};
}

struct bios_ctx {
	const struct imc_evidence_sink *sink;
	enum digest_alg bank;
	bool emit; /* false: the pass that only checks every record has bank */
	char time[PA_PTS_TIME_LEN + 1];
	uint32_t sent, pcrs;
	struct attest_error *err;
};

static int
on_bios_event(void *ctx, const struct eventlog_event *ev)
{
	struct bios_ctx *c = ctx;

	if (ev->type == EV_NO_ACTION)
		return 0;
	if (!(ev->algs & DIGEST_BIT(c->bank)))
		return attest_fail(c->err, TNC_ENOTFOUND, ev->offset,
		    "record %u at offset 0x%zx has no %s digest", ev->record, ev->offset,
		    digest_name(c->bank));
	if (!c->emit)
		return 0;
	struct pa_pts_comp_evidence v = evidence_of(PA_PTS_QUALIFIER_KERNEL |
	    PA_PTS_QUALIFIER_TRUSTED, c->bank, ev->pcr, c->time);
	v.measurement = (struct bytes){ev->digest[c->bank], digest_size(c->bank)};
	emit_evidence(c->sink, &v);
	c->sent++;
	c->pcrs |= 1u << ev->pcr;
	return 0;
}

/* Replays log with c as the callback's context. */
static int
replay_bios(const uint8_t *log, size_t len, struct bios_ctx *c, struct eventlog_summary *s)
{
	struct eventlog_limits lim;
	struct digest_ctx d;

	eventlog_limits_default(&lim);
	lim.banks = DIGEST_BIT(c->bank);
	digest_ctx_init(&d);
	int rc = eventlog_replay(log, len, &lim, &d, on_bios_event, c, s, c->err);
	digest_ctx_clear(&d);
	return rc;
}

int
imc_evidence_bios(const uint8_t *log, size_t len, enum digest_alg bank,
    const struct imc_evidence_sink *sink, struct imc_evidence_count *ret, char *err,
    size_t err_size)
{
	struct attest_error ae = {0};
	struct bios_ctx c = {.sink = sink, .bank = bank, .err = &ae};
	struct eventlog_summary *s = malloc(sizeof(*s));

	if (!s)
		abort();
	pa_pts_time_format(c.time, false, 0);
	/* a first pass without output: a log is sent whole or not at all */
	int rc = replay_bios(log, len, &c, s);
	if (rc == 0) {
		c.emit = true;
		rc = replay_bios(log, len, &c, s);
	}
	if (rc == 0)
		*ret = (struct imc_evidence_count){c.sent, c.pcrs, s->startup_locality};
	else
		snprintf(err, err_size, "BIOS event log: %s", ae.reason);
	free(s);
	return rc;
}

int
imc_evidence_startup_locality(const uint8_t *log, size_t len)
{
	struct eventlog_limits lim;
	struct eventlog_summary *s = malloc(sizeof(*s));
	struct attest_error ae;
	struct digest_ctx d;

	if (!s)
		abort();
	eventlog_limits_default(&lim);
	lim.banks = DIGEST_BIT(DIGEST_SHA1);
	digest_ctx_init(&d);
	int rc = eventlog_replay(log, len, &lim, &d, NULL, NULL, s, &ae);
	int locality = rc == 0 ? s->startup_locality : -1;
	digest_ctx_clear(&d);
	free(s);
	return locality;
}

struct ima_ctx {
	const struct imc_evidence_sink *sink;
	enum digest_alg bank;
	const struct ima_summary *summary; /* its template_hash_alg is set before the first entry */
	struct digest_ctx d;
	char time[PA_PTS_TIME_LEN + 1];
	uint32_t sent, pcrs;
};

static void
put_le32(struct wire_writer *w, size_t v)
{
	uint8_t le[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
	wire_put_bytes(w, le, sizeof(le));
}

/* An entry with a file signature as a TCG Integrity Measurement Log
 * attribute: the entry as binary_runtime_measurements holds it,
 * little-endian, with hash (the template hash in the bank) - the template
 * data carries the signature a verifier needs to rebuild that hash. */
static void
emit_signed(const struct imc_evidence_sink *sink, const struct ima_entry *e,
    const uint8_t *hash, size_t hash_len)
{
	struct wire_writer w;

	wire_writer_init(&w, 12 + hash_len + e->template_name.len + e->template_data.len);
	put_le32(&w, e->pcr);
	wire_put_bytes(&w, hash, hash_len);
	put_le32(&w, e->template_name.len);
	wire_put_bytes(&w, e->template_name.ptr, e->template_name.len);
	put_le32(&w, e->template_data.len);
	wire_put_bytes(&w, e->template_data.ptr, e->template_data.len);
	if (wire_writer_status(&w) == 0)
		sink->emit(sink->ctx, PA_TNC_VENDOR_TCG, PA_PTS_INTEG_MEAS_LOG,
		    (struct bytes){w.buf, w.len});
	wire_writer_clear(&w);
}

static int
on_ima_entry(void *ctx, const struct ima_entry *e)
{
	struct ima_ctx *c = ctx;
	uint8_t hash[DIGEST_MAX] = {0};
	char uri[4096 + 32];
	int n;

	if (e->violation)
		; /* all zero: the verifier extends all ones, as the kernel does */
	else if (c->summary->template_hash_alg == c->bank)
		memcpy(hash, e->template_hash, digest_size(c->bank));
	else
		digest_two(&c->d, c->bank, e->template_data.ptr, e->template_data.len, NULL, 0, hash);
	if (e->pcr < 32)
		c->pcrs |= 1u << e->pcr;
	c->sent++;
	if (e->sig.len && !e->violation) {
		emit_signed(c->sink, e, hash, digest_size(c->bank));
		return 0;
	}
	if (e->file_hash_digest >= 0 && e->file_hash_alg.len && !bytes_eq_str(e->template_name, "ima"))
		n = snprintf(uri, sizeof(uri), "%.*s:%.*s", (int)e->file_hash_alg.len,
		    (const char *)e->file_hash_alg.ptr, (int)e->path.len, (const char *)e->path.ptr);
	else
		n = snprintf(uri, sizeof(uri), "%.*s", (int)e->path.len, (const char *)e->path.ptr);
	if (n < 0 || (size_t)n >= sizeof(uri))
		n = 0; /* a path longer than PATH_MAX: sent without one */
	struct pa_pts_comp_evidence v = evidence_of(PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS,
	    c->bank, e->pcr, c->time);
	v.flags = PA_PTS_VALIDATION_PASSED;
	v.policy_uri = (struct bytes){(const uint8_t *)uri, (size_t)n};
	v.measurement = (struct bytes){hash, digest_size(c->bank)};
	emit_evidence(c->sink, &v);
	return 0;
}

int
imc_evidence_ima(const uint8_t *list, size_t len, enum digest_alg bank,
    const struct imc_evidence_sink *sink, struct imc_evidence_count *ret, char *err,
    size_t err_size)
{
	struct ima_options o;
	struct attest_error ae = {0};
	struct ima_summary *s = malloc(sizeof(*s));
	struct ima_ctx c = {.sink = sink, .bank = bank, .summary = s};

	if (!s)
		abort();
	ima_options_default(&o);
	digest_ctx_init(&c.d);
	pa_pts_time_format(c.time, false, 0);
	int rc = ima_replay(list, len, &o, &c.d, on_ima_entry, &c, s, &ae);
	if (rc == 0)
		*ret = (struct imc_evidence_count){c.sent, c.pcrs, -1};
	else
		snprintf(err, err_size, "IMA measurement list: %s", ae.reason);
	digest_ctx_clear(&c.d);
	free(s);
	return rc;
}

int
imc_evidence_final(const struct tpm_quote *q, uint16_t sig_hash,
    const struct imc_evidence_sink *sink, char *err, size_t err_size)
{
	struct tpm2_attest a;
	struct parse_error pe;
	enum digest_alg alg;
	struct wire_writer w;

	if (tpm2_attest_parse(q->attest, q->attest_len, &a, &pe) != 0) {
		snprintf(err, err_size, "the TPM's quote does not parse: %s at offset %u",
		    pe.reason ? pe.reason : "malformed", pe.offset);
		return TNC_EINVALID;
	}
	if (digest_from_tpm_alg(sig_hash, &alg) != 0) {
		snprintf(err, err_size, "the AIK signs with hash 0x%04x", sig_hash);
		return TNC_EINVALID;
	}
	/* TPMS_ATTEST: ... extraData, clockInfo (17), firmwareVersion (8),
	 * TPML_PCR_SELECTION, TPM2B_DIGEST pcrDigest */
	const uint8_t *clock = a.extra_data.ptr + a.extra_data.len;
	const uint8_t *select = clock + PA_PTS_CLOCK_INFO_LEN + PA_PTS_FIRMWARE_LEN;
	struct pa_pts_final v = {
	    .mode = PA_PTS_QUOTE_TPM2,
	    .composite_algo = pts_algo(alg),
	    .composite = a.pcr_digest,
	    .qualified_signer = a.qualified_signer,
	    .clock_info = {clock, PA_PTS_CLOCK_INFO_LEN},
	    .firmware_version = {clock + PA_PTS_CLOCK_INFO_LEN, PA_PTS_FIRMWARE_LEN},
	    .pcr_select = {select, (size_t)(a.pcr_digest.ptr - 2 - select)},
	    .quote_sig = {q->bare_signature, q->bare_signature_len},
	};
	wire_writer_init(&w, 4096);
	pa_pts_final_encode(&w, &v);
	int rc = wire_writer_status(&w);
	if (rc == 0)
		sink->emit(sink->ctx, PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL,
		    (struct bytes){w.buf, w.len});
	else
		snprintf(err, err_size, "cannot encode Simple Evidence Final: %s", tnc_strerror(rc));
	wire_writer_clear(&w);
	return rc;
}
