/* test_imc_attest.c - the attestation IMC (client/imc_attest*.c) on a
 * software TPM: this test plays the Attestation IMV with the PTS codecs
 * (codec/pa_pts*.h), the IMV's side of the D-H exchange (attest/pts_dh.h)
 * and the verifier (attest/quote_rebuild.h, quote_verify.h).
 *
 * The swtpm is started at locality 3 and holds the test data's BIOS event
 * log and IMA list (tpm-replay/, tpm_replay.h), as firmware and kernel
 * would have extended it.  Checked: the negotiation answers (capabilities,
 * SHA-256, ECP_256 with a 20-octet nonce, TPM 2.0 version with startup
 * locality 3, the AIK as a bare key), the evidence (one attribute per
 * extended BIOS event and per IMA entry, in messages of at most 32698
 * octets), PCRs folded from the evidence equal to the .expected values,
 * and the quote in Simple Evidence Final verifying against them with the
 * agreed nonce; the test hook's wrong nonce fails the signature; a bad
 * attribute earns a PA-TNC error.
 *
 * Each test starts its own swtpm; the unchecked teardown stops them all. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/sha.h>
#include <openssl/x509.h>

#include "imc_attest.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_final.h"
#include "pa_pts_symlinks.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "pcr_bank.h"
#include "pts_dh.h"
#include "quote.h"
#include "quote_rebuild.h"
#include "quote_verify.h"
#include "testlib.h"
#include "tpm_conn.h"
#include "tpm_replay.h"

#define SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
#define BIOS_LOG "tpm-replay/binary_bios_measurements.bin"
#define IMA_LIST "tpm-replay/sha1.log"
#define IMV_ID 2
#define BIOS_EVENTS 119 /* extended_events of the .expected file */
#define IMA_ENTRIES 362
#define SIGNED_ENTRIES 21 /* signatures_present of the list's .expected */

static char base[64];

static void
base_setup(void)
{
	snprintf(base, sizeof(base), "/tmp/test_imc_attest.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(base));
	setenv("TSS2_LOG", "all+none", 1);
}

static void
base_teardown(void)
{
	char out[256];
	ck_assert_int_eq(tl_sh(out, sizeof(out),
	    "for d in '%s'/*/tpm; do [ ! -e \"$d\" ] || '%s' stop \"$d\"; done; rm -rf '%s'",
	    base, SWTPM_START, base), 0);
}

/* A test's directory, swtpm and IMC. */
struct fixture {
	char dir[128], tcti[128];
	struct imc_attest_config cfg;
	struct imc_attest *imc;
};

static char *
hex_of(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	return out;
}

/* The value of "key" on a line "key <value>" of an .expected file. */
static void
expected(const char *rel, const char *key, char *out, size_t size)
{
	size_t len, klen = strlen(key);
	char *text = (char *)tl_read_testdata(rel, &len);

	for (char *line = text; line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
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

/* swtpm at locality 3 with the logs replayed, then the IMC on it. */
static void
fixture_start(struct fixture *f, enum imc_attest_tamper tamper)
{
	char err[256], path[300];
	struct tpm *t;
	struct tpm_replay rb, ri;
	size_t blen, ilen;

	memset(f, 0, sizeof(*f));
	snprintf(f->dir, sizeof(f->dir), "%s/XXXXXX", base);
	ck_assert_ptr_nonnull(mkdtemp(f->dir));
	int rc = tl_sh(f->tcti, sizeof(f->tcti), "'%s' start '%s/tpm' --no-startup 2>&1",
	    SWTPM_START, f->dir);
	ck_assert_msg(rc == 0, "swtpm-start: %s", f->tcti);
	f->tcti[strcspn(f->tcti, "\n")] = 0;
	ck_assert_msg(tpm_open(f->tcti, &t, err, sizeof(err)) == 0, "%s", err);
	uint8_t *bios = tl_read_testdata(BIOS_LOG, &blen);
	uint8_t *ima = tl_read_testdata(IMA_LIST, &ilen);
	ck_assert_msg(tpm_replay_boot(t, bios, blen, &rb) == 0, "%s", tpm_error(t));
	ck_assert_msg(tpm_replay_ima(t, ima, ilen, &ri) == 0, "%s", tpm_error(t));
	ck_assert_int_eq(rb.startup_locality, 3);
	tpm_close(t);
	free(bios);
	free(ima);
	static char bios_path[256], ima_path[256], aik_dir[256];
	snprintf(bios_path, sizeof(bios_path), "%s/%s", TNC_TESTDATA_DIR, BIOS_LOG);
	snprintf(ima_path, sizeof(ima_path), "%s/%s", TNC_TESTDATA_DIR, IMA_LIST);
	snprintf(aik_dir, sizeof(aik_dir), "%s/aik", f->dir);
	snprintf(path, sizeof(path), "mkdir -p '%s'", aik_dir);
	ck_assert_int_eq(tl_sh(err, sizeof(err), "%s", path), 0);
	f->cfg = (struct imc_attest_config){f->tcti, aik_dir, bios_path, ima_path, NULL, tamper,
	    NULL};
	f->imc = imc_attest_new(&f->cfg, err, sizeof(err));
	ck_assert_msg(f->imc != NULL, "imc_attest_new: %s", err);
	imc_attest_begin_handshake(f->imc);
}

static void
fixture_stop(struct fixture *f)
{
	imc_attest_free(f->imc);
}

/* The IMV's message: attributes added to b, sent to the IMC. */
static void
imv_send(struct fixture *f, struct pa_tnc_builder *b)
{
	struct bytes msg;

	ck_assert_int_eq(pa_tnc_builder_finish(b, &msg), 0);
	struct pb_pa pa = {PB_PA_FLAG_EXCL, PB_VENDOR_TCG, 1, IMC_ATTEST_ID, IMV_ID, msg};
	ck_assert(imc_attest_wants(&pa));
	imc_attest_receive(f->imc, &pa);
	pa_tnc_builder_clear(b);
}

static void
add_attr(struct pa_tnc_builder *b, uint32_t vendor, uint32_t type, struct wire_writer *w)
{
	ck_assert_int_eq(wire_writer_status(w), 0);
	pa_tnc_builder_add(b, 0, vendor, type, (struct bytes){w->buf, w->len});
	wire_writer_clear(w);
}

/* The IMC's next message, parsed into *m (whose views point into *raw). */
static bool
imc_next(struct fixture *f, struct imc_msg **raw, struct pa_tnc_msg *m)
{
	struct pa_tnc_limits lim = {1u << 20, 4096, NULL, 0};
	struct parse_error pe;

	if (!(*raw = imc_attest_take(f->imc)))
		return false;
	ck_assert_uint_eq((*raw)->validator_id, IMV_ID);
	ck_assert_uint_eq((*raw)->flags, PB_PA_FLAG_EXCL);
	ck_assert_uint_le((*raw)->len, IMC_ATTEST_MSG_MAX);
	ck_assert_int_eq(pa_tnc_msg_parse((*raw)->data, (*raw)->len, &lim, m, &pe), 0);
	return true;
}

/* What the IMV learns from the negotiation. */
struct imv {
	uint8_t nonce[PTS_DH_MAX_HASH];
	size_t nonce_len;
	EVP_PKEY *aik;
};

/* Contract, capabilities, algorithm, D-H, version and AIK, as the seeds'
 * IMV asks for them, each answer checked. */
static void
negotiate(struct fixture *f, struct imv *v)
{
	struct pa_tnc_builder b;
	struct wire_writer w;
	struct imc_msg *raw;
	struct pa_tnc_msg m;
	struct parse_error pe;

	pa_tnc_builder_init(&b, 1, 1u << 16);
	wire_writer_init(&w, 4096);
	pa_segment_contract_encode(&w, &(struct pa_segment_contract){PA_SEGMENT_NO_LIMIT, 65466});
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, &w);
	wire_writer_init(&w, 4096);
	pa_pts_caps_encode(&w, PA_PTS_CAP_V | PA_PTS_CAP_D | PA_PTS_CAP_T);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS, &w);
	wire_writer_init(&w, 4096);
	pa_pts_algo_encode(&w, PA_PTS_ALGOS_ALL);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ, &w);
	imv_send(f, &b);
	ck_assert(imc_next(f, &raw, &m));
	ck_assert_uint_eq(m.count, 3);
	struct pa_segment_contract c;
	ck_assert_uint_eq(m.attrs[0].type, PA_SEGMENT_CONTRACT_RESPONSE);
	ck_assert_int_eq(pa_segment_contract_decode(m.attrs[0].value, &c, &pe), 0);
	ck_assert_uint_eq(c.max_seg_size, IMC_ATTEST_MSG_MAX);
	uint32_t caps;
	ck_assert_uint_eq(m.attrs[1].type, PA_PTS_PROTO_CAPS);
	ck_assert_int_eq(pa_pts_caps_decode(m.attrs[1].value, &caps, &pe), 0);
	ck_assert_uint_eq(caps, PA_PTS_CAP_D | PA_PTS_CAP_T);
	uint16_t algo;
	ck_assert_uint_eq(m.attrs[2].type, PA_PTS_MEAS_ALGO);
	ck_assert_int_eq(pa_pts_algo_decode(m.attrs[2].value, &algo, &pe), 0);
	ck_assert_uint_eq(algo, PA_PTS_ALGO_SHA256);
	pa_tnc_msg_clear(&m);
	free(raw);
	ck_assert_ptr_null(imc_attest_take(f->imc));

	/* D-H: the IMV offers every group, the IMC picks ECP_256 as in the seeds */
	pa_tnc_builder_init(&b, 2, 1u << 16);
	wire_writer_init(&w, 4096);
	pa_pts_dh_request_encode(&w, &(struct pa_pts_dh_request){PTS_DH_MIN_NONCE,
	    PA_PTS_DH_ALL});
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ, &w);
	imv_send(f, &b);
	ck_assert(imc_next(f, &raw, &m));
	ck_assert_uint_eq(m.count, 1);
	struct pa_pts_dh_response resp;
	ck_assert_int_eq(pa_pts_dh_response_decode(m.attrs[0].value, &resp, &pe), 0);
	ck_assert_uint_eq(resp.group, PA_PTS_DH_ECP256);
	ck_assert_uint_eq(resp.nonce.len, 20);
	ck_assert(resp.hash_algos & PA_PTS_ALGO_SHA256);
	struct pts_dh *dh = pts_dh_new(PTS_DH_ECP_256, (struct bytes){NULL, 0});
	uint8_t ours[20];
	ck_assert_ptr_nonnull(dh);
	ck_assert_int_eq(pts_dh_set_peer(dh, resp.public_value), 0);
	ck_assert_int_eq(pts_dh_random_nonce(ours, sizeof(ours)), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(dh, PTS_DH_SHA256, (struct bytes){ours, sizeof(ours)},
	    resp.nonce, v->nonce, &v->nonce_len), 0);
	ck_assert_uint_eq(v->nonce_len, 32);

	pa_tnc_builder_init(&b, 3, 1u << 16);
	wire_writer_init(&w, 4096);
	pa_pts_dh_finish_encode(&w, &(struct pa_pts_dh_finish){PA_PTS_ALGO_SHA256,
	    pts_dh_public(dh), {ours, sizeof(ours)}});
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH, &w);
	wire_writer_init(&w, 4096);
	pa_pts_reserved_encode(&w);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO, &w);
	wire_writer_init(&w, 4096);
	pa_pts_reserved_encode(&w);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK, &w);
	pa_tnc_msg_clear(&m);
	free(raw);
	pts_dh_free(dh);
	imv_send(f, &b);
	ck_assert(imc_next(f, &raw, &m));
	ck_assert_uint_eq(m.count, 2);
	struct pa_pts_tpm_version ver;
	ck_assert_uint_eq(m.attrs[0].type, PA_PTS_TPM_VERSION_INFO);
	ck_assert_int_eq(pa_pts_tpm_version_decode(m.attrs[0].value, &ver, &pe), 0);
	ck_assert_uint_eq(ver.tag, PA_PTS_TPM20_VERSION_TAG);
	ck_assert_uint_eq(ver.locality, 3); /* the log's StartupLocality */
	ck_assert_uint_gt(ver.revision, 100);
	struct pa_pts_aik aik;
	ck_assert_uint_eq(m.attrs[1].type, PA_PTS_AIK);
	ck_assert_int_eq(pa_pts_aik_decode(m.attrs[1].value, &aik, &pe), 0);
	ck_assert(aik.naked);
	const uint8_t *p = aik.blob.ptr;
	v->aik = d2i_PUBKEY(NULL, &p, (long)aik.blob.len);
	ck_assert_ptr_nonnull(v->aik);
	ck_assert_int_eq(EVP_PKEY_get_base_id(v->aik), EVP_PKEY_EC);
	pa_tnc_msg_clear(&m);
	free(raw);
}

/* The evidence request of the seeds: Get Symlinks, both components of
 * 'Linux IMA', Generate Attestation Evidence. */
static void
request_evidence(struct fixture *f)
{
	struct pa_tnc_builder b;
	struct wire_writer w;
	struct pa_pts_comp_request_entry e[2] = {
	    {PA_PTS_REQ_FLAG_PCR, 0, {PA_TNC_VENDOR_ITA, PA_PTS_QUALIFIER_KERNEL |
	        PA_PTS_QUALIFIER_TRUSTED, PA_PTS_ITA_COMP_IMA}},
	    {PA_PTS_REQ_FLAG_PCR, 0, {PA_TNC_VENDOR_ITA, PA_PTS_QUALIFIER_KERNEL |
	        PA_PTS_QUALIFIER_OS, PA_PTS_ITA_COMP_IMA}},
	};

	pa_tnc_builder_init(&b, 4, 1u << 16);
	wire_writer_init(&w, 4096);
	pa_pts_symlinks_request_encode(&w, (struct bytes){(const uint8_t *)"/", 1});
	add_attr(&b, PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS, &w);
	wire_writer_init(&w, 4096);
	pa_pts_comp_request_encode(&w, e, 2);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID, &w);
	wire_writer_init(&w, 4096);
	pa_pts_reserved_encode(&w);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID, &w);
	imv_send(f, &b);
}

/* What the evidence told the IMV. */
struct evidence {
	unsigned messages, symlinks, bios, ima, signed_ima, finals;
	bool boot_aggregate_seen;
	struct pcr_banks pcrs; /* folded from the evidence, SHA-256 bank */
	struct quote_result result;
};

static void
fold_evidence(struct evidence *ev, struct bytes value)
{
	struct pa_pts_comp_evidence v;
	struct parse_error pe;
	struct digest_ctx d;

	ck_assert_int_eq(pa_pts_comp_evidence_decode(value, &v, &pe), 0);
	ck_assert_uint_eq(v.name.vendor, PA_TNC_VENDOR_ITA);
	ck_assert_uint_eq(v.name.name, PA_PTS_ITA_COMP_IMA);
	ck_assert_uint_eq(v.hash_algo, PA_PTS_ALGO_SHA256);
	ck_assert_uint_eq(v.transform, PA_PTS_TRANSFORM_MATCH);
	ck_assert_uint_eq(v.measurement.len, 32);
	ck_assert_uint_lt(v.pcr, PCR_COUNT);
	if ((v.name.qualifier & PA_PTS_QUALIFIER_TYPE_MASK) == PA_PTS_QUALIFIER_TRUSTED) {
		ck_assert_uint_eq(v.flags, 0);
		ck_assert_uint_eq(ev->ima, 0); /* BIOS first */
		ev->bios++;
	} else {
		struct pa_pts_ima_uri uri;
		ck_assert_uint_eq(v.flags, PA_PTS_VALIDATION_PASSED);
		ck_assert_uint_eq(v.pcr, 10);
		pa_pts_ima_uri_split(v.policy_uri, &uri);
		ck_assert(uri.has_algo);
		ck_assert(bytes_eq_str(uri.algo, "sha256"));
		if (ev->ima == 0)
			ev->boot_aggregate_seen = bytes_eq_str(uri.path, "boot_aggregate");
		ev->ima++;
	}
	digest_ctx_init(&d);
	pcr_banks_extend(&ev->pcrs, &d, DIGEST_SHA256, v.pcr, v.measurement.ptr);
	digest_ctx_clear(&d);
}

/* An entry with a signature, as an Integrity Measurement Log attribute:
 * u32 PCR, the SHA-256 template hash, u32 and the template name, u32 and
 * the template data, little-endian; the hash is the data's. */
static void
fold_signed(struct evidence *ev, struct bytes value)
{
	const uint8_t *p = value.ptr;
	uint8_t want[32];
	struct digest_ctx d;

	ck_assert_uint_ge(value.len, 4 + 32 + 4 + 7 + 4);
	ck_assert_uint_eq(p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24, 10);
	ck_assert_uint_eq(p[36], 7);
	ck_assert_mem_eq(p + 40, "ima-sig", 7);
	size_t data_len = p[47] | p[48] << 8 | p[49] << 16 | (size_t)p[50] << 24;
	ck_assert_uint_eq(value.len, 51 + data_len);
	digest_ctx_init(&d);
	digest_two(&d, DIGEST_SHA256, p + 51, data_len, NULL, 0, want);
	ck_assert_mem_eq(p + 4, want, 32);
	pcr_banks_extend(&ev->pcrs, &d, DIGEST_SHA256, 10, p + 4);
	digest_ctx_clear(&d);
	ev->ima++;
	ev->signed_ima++;
}

/* Rebuilds the TPMS_ATTEST of the Simple Evidence Final with the IMV's
 * nonce and verifies it against the PCRs folded from the evidence. */
static void
verify_final(struct evidence *ev, const struct imv *v, struct bytes value)
{
	struct pa_pts_final fin;
	struct parse_error pe;
	struct wire_writer w;
	struct tpm2_signature sig;

	ck_assert_int_eq(pa_pts_final_decode(value, &fin, &pe), 0);
	ck_assert_uint_eq(fin.mode, PA_PTS_QUOTE_TPM2);
	ck_assert_uint_eq(fin.composite_algo, PA_PTS_ALGO_SHA256);
	struct quote_tpm2_fields qf = {fin.qualified_signer, fin.clock_info, fin.firmware_version,
	    fin.pcr_select, fin.composite};
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(quote_rebuild_tpm2(&qf, (struct bytes){v->nonce, v->nonce_len}, &w, &pe), 0);
	ck_assert_int_eq(tpm2_signature_from_bare(TPM2_ALG_ECDSA, TPM2_ALG_SHA256, fin.quote_sig,
	    &sig, &pe), 0);
	struct quote_expect x = {{v->nonce, v->nonce_len}, quote_pcr_from_banks, &ev->pcrs,
	    TPM2_ALG_SHA256, TPM2_ALG_SHA256, 0x000047ffu};
	quote_verify_tpm2((struct bytes){w.buf, w.len}, &sig, v->aik, &x, &ev->result);
	wire_writer_clear(&w);
	ev->finals++;
}

/* Takes every queued message (the server's empty SDATA asks for each). */
static void
collect(struct fixture *f, const struct imv *v, struct evidence *ev)
{
	struct imc_msg *raw;
	struct pa_tnc_msg m;

	memset(ev, 0, sizeof(*ev));
	pcr_banks_init(&ev->pcrs, DIGEST_BIT(DIGEST_SHA256));
	pcr_banks_set_locality(&ev->pcrs, 3); /* the TPM Version Information's */
	while (imc_next(f, &raw, &m)) {
		ev->messages++;
		ck_assert_uint_eq(ev->finals, 0); /* the final attribute is the last */
		for (size_t i = 0; i < m.count; i++) {
			const struct pa_tnc_attr *a = &m.attrs[i];
			if (a->vendor == PA_TNC_VENDOR_ITA && a->type == PA_ITA_SYMLINKS) {
				struct pa_pts_symlinks s;
				struct parse_error pe;
				ck_assert_uint_eq(ev->messages, 1);
				ck_assert_int_eq(pa_pts_symlinks_decode(a->value, &s, &pe), 0);
				ev->symlinks++;
			} else if (a->type == PA_PTS_SIMPLE_COMP_EVID) {
				fold_evidence(ev, a->value);
			} else if (a->type == PA_PTS_INTEG_MEAS_LOG) {
				fold_signed(ev, a->value);
			} else {
				ck_assert_uint_eq(a->type, PA_PTS_SIMPLE_EVID_FINAL);
				verify_final(ev, v, a->value);
			}
		}
		pa_tnc_msg_clear(&m);
		free(raw);
	}
}

static void
assert_pcr(const struct evidence *ev, unsigned pcr, const char *rel, const char *key)
{
	char want[80], got[80];

	expected(rel, key, want, sizeof(want));
	ck_assert_str_eq(hex_of(pcr_banks_get(&ev->pcrs, DIGEST_SHA256, pcr), 32, got), want);
}

/* A whole exchange: the evidence is the logs', the quote verifies. */
START_TEST(session)
{
	struct fixture f;
	struct imv v;
	struct evidence ev;

	fixture_start(&f, IMC_ATTEST_TAMPER_NONE);
	negotiate(&f, &v);
	request_evidence(&f);
	collect(&f, &v, &ev);
	ck_assert_uint_eq(ev.symlinks, 1);
	ck_assert_uint_eq(ev.bios, BIOS_EVENTS);
	ck_assert_uint_eq(ev.ima, IMA_ENTRIES);
	ck_assert_uint_eq(ev.signed_ima, SIGNED_ENTRIES);
	ck_assert(ev.boot_aggregate_seen);
	ck_assert_uint_eq(ev.finals, 1);
	/* 481 pieces of evidence of 90-190 octets: several messages */
	ck_assert_uint_ge(ev.messages, 2);
	assert_pcr(&ev, 0, BIOS_LOG ".expected", "pcr sha256 0");
	assert_pcr(&ev, 7, BIOS_LOG ".expected", "pcr sha256 7");
	assert_pcr(&ev, 9, BIOS_LOG ".expected", "pcr sha256 9");
	assert_pcr(&ev, 14, BIOS_LOG ".expected", "pcr sha256 14");
	assert_pcr(&ev, 10, IMA_LIST ".expected", "pcr10 sha256");
	ck_assert_msg(ev.result.reason == QUOTE_OK, "quote: %s: %s",
	    quote_reason_name(ev.result.reason), ev.result.detail);
	ck_assert(ev.result.signature_valid);
	ck_assert(ev.result.pcr_digest_match);
	EVP_PKEY_free(v.aik);
	fixture_stop(&f);
}
END_TEST

/* The test hook: a quote over another nonce does not verify once the
 * verifier rebuilds it with its own. */
START_TEST(wrong_nonce)
{
	struct fixture f;
	struct imv v;
	struct evidence ev;

	fixture_start(&f, IMC_ATTEST_TAMPER_NONCE);
	negotiate(&f, &v);
	request_evidence(&f);
	collect(&f, &v, &ev);
	ck_assert_uint_eq(ev.finals, 1);
	ck_assert_int_eq(ev.result.reason, QUOTE_SIGNATURE);
	ck_assert(!ev.result.signature_valid);
	EVP_PKEY_free(v.aik);
	fixture_stop(&f);
}
END_TEST

/* Evidence before any algorithm was agreed, and a truncated D-H request:
 * PA-TNC errors (Invalid Parameter), nothing else. */
START_TEST(refused)
{
	struct fixture f;
	struct pa_tnc_builder b;
	struct wire_writer w;
	struct imc_msg *raw;
	struct pa_tnc_msg m;
	struct pa_ietf_error e;
	struct parse_error pe;

	fixture_start(&f, IMC_ATTEST_TAMPER_NONE);
	pa_tnc_builder_init(&b, 5, 1u << 16);
	wire_writer_init(&w, 4096);
	pa_pts_reserved_encode(&w);
	add_attr(&b, PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID, &w);
	imv_send(&f, &b);
	ck_assert(imc_next(&f, &raw, &m));
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(m.attrs[0].type, PA_IETF_PA_TNC_ERROR);
	ck_assert_int_eq(pa_ietf_error_decode(m.attrs[0].value, &e, &pe), 0);
	ck_assert_uint_eq(e.code, PA_TNC_ERROR_INVALID_PARAMETER);
	pa_tnc_msg_clear(&m);
	free(raw);

	pa_tnc_builder_init(&b, 6, 1u << 16);
	pa_tnc_builder_add(&b, 0, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ,
	    (struct bytes){(const uint8_t *)"\0\x11", 2});
	imv_send(&f, &b);
	ck_assert(imc_next(&f, &raw, &m));
	ck_assert_uint_eq(m.count, 1);
	ck_assert_uint_eq(m.attrs[0].type, PA_IETF_PA_TNC_ERROR);
	pa_tnc_msg_clear(&m);
	free(raw);
	ck_assert_ptr_null(imc_attest_take(f.imc));
	fixture_stop(&f);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imc_attest");
	TCase *tc = tcase_create("swtpm");

	tcase_add_unchecked_fixture(tc, base_setup, base_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, session);
	tcase_add_test(tc, wrong_nonce);
	tcase_add_test(tc, refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
