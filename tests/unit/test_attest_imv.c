/* test_attest_imv.c - the Attestation IMV's whole exchange (attest_state.h)
 * against a fake tnc-policy and an IMC made here from the codecs: a real
 * D-H exchange (attest/pts_dh.h), BIOS and IMA evidence whose boot
 * aggregate is computed from the BIOS events, and a TPM 2.0 quote signed
 * by an EC AIK over the replayed PCRs and the agreed nonce, in strongSwan's
 * Simple Evidence Final form (flag 0x10, bare signature).  Each tampering
 * gives the policy's recommendation with its reason. */
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_state.h"
#include "boot_aggregate.h"
#include "imv_budget.h"
#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_final.h"
#include "pa_pts_symlinks.h"
#include "pts_dh.h"
#include "quote_rebuild.h"

#include "attest_imv_fake.h"

/* --- the IMC side --- */

struct imc {
	struct pts_dh *dh;
	uint8_t nonce[20];
	uint8_t agreed[PTS_DH_MAX_HASH];
	size_t agreed_len;
	EVP_PKEY *aik;
	struct pcr_banks pcrs;
	struct digest_ctx d;
	unsigned bios;
};

/* Up to the AIK: workitems, capabilities, D-H, TPM version and AIK. */
static struct attest_state *
up_to_aik(struct fake_policy *p, struct imc *imc, const char *argument)
{
	struct imv_out out;
	struct seen s;
	struct parse_error pe;

	struct attest_state *st = attest_state_new(&cfg, &port, p, 1, 65490);
	os_facts(st);
	attest_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_int_eq(p->workitems_calls, 1);
	ck_assert_str_eq(p->product, "Ubuntu 20.04 x86_64");
	ck_assert_str_eq(p->device, DEVICE);
	struct ipc_policy_workitems w = tpmra(argument);
	attest_state_workitems(st, p->seq, &w, &out);
	ck_assert(out.done);
	parse_out(&out, &s);
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ));
	pa_tnc_msg_clear(&s.m);

	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS);
	pa_pts_caps_encode(&b.w, PA_PTS_CAP_V | PA_PTS_CAP_D | PA_PTS_CAP_T);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO);
	pa_pts_algo_encode(&b.w, PA_PTS_ALGO_SHA256);
	receive(st, true);
	attest_state_batch_ending(st, &out);
	parse_out(&out, &s);
	const struct pa_tnc_attr *a = find(&s, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ);
	ck_assert_ptr_nonnull(a);
	struct pa_pts_dh_request req;
	ck_assert_int_eq(pa_pts_dh_request_decode(a->value, &req, &pe), 0);
	ck_assert_uint_eq(req.min_nonce_len, 20);
	ck_assert(req.groups & PA_PTS_DH_ECP256);
	pa_tnc_msg_clear(&s.m);

	/* the IMC's D-H response: ECP_256, SHA-256, a 20-byte nonce */
	imc->dh = pts_dh_new(PTS_DH_ECP_256, (struct bytes){0});
	ck_assert_ptr_nonnull(imc->dh);
	ck_assert_int_eq(pts_dh_random_nonce(imc->nonce, sizeof(imc->nonce)), 0);
	struct pa_pts_dh_response resp = {PA_PTS_DH_ECP256, PA_PTS_ALGO_SHA256 | PA_PTS_ALGO_SHA1,
	    {imc->nonce, sizeof(imc->nonce)}, pts_dh_public(imc->dh)};
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP);
	pa_pts_dh_response_encode(&b.w, &resp);
	receive(st, true);
	attest_state_batch_ending(st, &out);
	parse_out(&out, &s);
	a = find(&s, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH);
	ck_assert_ptr_nonnull(a);
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK));
	struct pa_pts_dh_finish fin;
	ck_assert_int_eq(pa_pts_dh_finish_decode(a->value, &fin, &pe), 0);
	ck_assert_uint_eq(fin.hash_algo, PA_PTS_ALGO_SHA256);
	ck_assert_int_eq(pts_dh_set_peer(imc->dh, fin.public_value), 0);
	ck_assert_int_eq(pts_dh_derive_nonce(imc->dh, PTS_DH_SHA256, fin.nonce,
	    (struct bytes){imc->nonce, sizeof(imc->nonce)}, imc->agreed, &imc->agreed_len), 0);
	ck_assert_uint_eq(imc->agreed_len, 32);
	ck_assert_mem_eq(imc->agreed, st->nonce, 32);
	pa_tnc_msg_clear(&s.m);

	/* TPM 2.0, locality 3, and an EC AIK */
	imc->aik = EVP_EC_gen("P-256");
	ck_assert_ptr_nonnull(imc->aik);
	unsigned char *der = NULL;
	int der_len = i2d_PUBKEY(imc->aik, &der);
	struct pa_pts_tpm_version v = {.tag = PA_PTS_TPM20_VERSION_TAG, .vendor = 0x53544d20,
	    .locality = 3, .revision = 138, .year = 2018};
	struct pa_pts_aik aik = {true, {der, (size_t)der_len}};
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO);
	pa_pts_tpm_version_encode(&b.w, &v);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_TCG, PA_PTS_AIK);
	pa_pts_aik_encode(&b.w, &aik);
	receive(st, true);
	OPENSSL_free(der);
	attest_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_int_eq(p->aik_calls, 1);
	ck_assert(!out.recommend);
	digest_ctx_init(&imc->d);
	pcr_banks_init(&imc->pcrs, DIGEST_BIT(DIGEST_SHA256));
	pcr_banks_set_locality(&imc->pcrs, 3);
	return st;
}

/* tnc-policy's answer with the device's AIK; the evidence request follows. */
static void
aik_answer(struct attest_state *st, struct fake_policy *p, bool trusted, struct imv_out *out)
{
	struct ipc_policy_aik a = {0, trusted,
	    {(const uint8_t *)st->aik.keyid_hex, strlen(st->aik.keyid_hex)}};
	attest_state_aik(st, p->seq, &a, out);
	ck_assert(out->done);
}

static void
evidence(struct imc *imc, unsigned pcr, uint8_t qualifier, const uint8_t *meas,
    const char *uri)
{
	struct pa_pts_comp_evidence e = {0};
	e.flags = uri ? PA_PTS_VALIDATION_PASSED : 0;
	e.name = (struct pa_pts_comp_name){PA_TNC_VENDOR_ITA, qualifier, PA_PTS_ITA_COMP_IMA};
	e.pcr = pcr;
	e.hash_algo = PA_PTS_ALGO_SHA256;
	e.transform = PA_PTS_TRANSFORM_NO;
	e.time = (struct bytes){(const uint8_t *)"0000-00-00T00:00:00Z", 20};
	e.policy_uri = uri ? (struct bytes){(const uint8_t *)uri, strlen(uri)} : (struct bytes){0};
	e.measurement = (struct bytes){meas, 32};
	attr(PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID);
	pa_pts_comp_evidence_encode(&b.w, &e);
	pa_tnc_builder_end(&b);
	pcr_banks_extend(&imc->pcrs, &imc->d, DIGEST_SHA256, pcr, meas);
}

/* An ima-ng template hash (SHA-256 template, sha256 file digest). */
static void
ng_hash(const uint8_t digest[32], const char *name, uint8_t out[32])
{
	uint8_t buf[512];
	size_t n = 0, nlen = strlen(name) + 1;
	uint32_t dlen = 7 + 1 + 32;
	memcpy(buf, &dlen, 4); /* little-endian on this machine, as the kernel writes it */
	n = 4;
	memcpy(buf + n, "sha256:", 8);
	n += 8;
	memcpy(buf + n, digest, 32);
	n += 32;
	uint32_t l = (uint32_t)nlen;
	memcpy(buf + n, &l, 4);
	n += 4;
	memcpy(buf + n, name, nlen);
	n += nlen;
	SHA256(buf, n, out);
}

/* 4 BIOS events, the boot aggregate, 2 IMA files (/bin/ls behind the
 * /bin -> /usr/bin link); bad_aggregate spoils the aggregate. */
static void
send_evidence(struct attest_state *st, struct imc *imc, bool bad_aggregate)
{
	static const unsigned bios_pcr[] = {0, 2, 4, 7};
	uint8_t meas[32], agg[32], tmpl[32];
	msg_begin();
	attr(PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS);
	struct pa_pts_symlink link = {{(const uint8_t *)"/bin", 4},
	    {(const uint8_t *)"/usr/bin", 8}};
	pa_pts_symlinks_encode(&b.w, &link, 1);
	pa_tnc_builder_end(&b);
	for (unsigned i = 0; i < 4; i++) {
		memset(meas, 0x10 + i, sizeof(meas));
		evidence(imc, bios_pcr[i], PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_TRUSTED, meas,
		    NULL);
	}
	boot_aggregate_compute(&imc->d, &imc->pcrs, DIGEST_SHA256, 9, agg);
	agg[0] ^= bad_aggregate;
	ng_hash(agg, "boot_aggregate", tmpl);
	evidence(imc, 10, PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS, tmpl,
	    "sha256:boot_aggregate");
	memset(meas, 0xaa, sizeof(meas));
	ng_hash(meas, "/bin/ls", tmpl);
	evidence(imc, 10, PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS, tmpl, "sha256:/bin/ls");
	memset(meas, 0xbb, sizeof(meas));
	ng_hash(meas, "/usr/sbin/unknown", tmpl);
	evidence(imc, 10, PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS, tmpl,
	    "sha256:/usr/sbin/unknown");
	receive(st, true);
}

/* The quote over PCRs 0-10 of the replay (or tampered), signed with the
 * AIK over nonce. */
static void
send_final(struct attest_state *st, struct imc *imc, const uint8_t *nonce, bool tamper_pcr)
{
	uint8_t sel[] = {0, 0, 0, 1, 0x00, 0x0b, 3, 0xff, 0x07, 0x00};
	uint8_t composite[11 * 32], digest[32], signer[34] = {0, 0x0b}, clock[17] = {0};
	uint8_t fw[8] = {0, 0, 0, 1, 0, 0, 0, 2};
	for (unsigned i = 0; i <= 10; i++)
		memcpy(composite + 32 * i, pcr_banks_get(&imc->pcrs, DIGEST_SHA256, i), 32);
	composite[0] ^= tamper_pcr;
	SHA256(composite, sizeof(composite), digest);
	struct quote_tpm2_fields q = {{signer, sizeof(signer)}, {clock, sizeof(clock)},
	    {fw, sizeof(fw)}, {sel, sizeof(sel)}, {digest, sizeof(digest)}};
	struct wire_writer w;
	struct parse_error pe;
	wire_writer_init(&w, 1024);
	ck_assert_int_eq(quote_rebuild_tpm2(&q, (struct bytes){nonce, 32}, &w, &pe), 0);
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	uint8_t der[128], rs[64] = {0};
	size_t der_len = sizeof(der);
	ck_assert_int_eq(EVP_DigestSignInit(md, NULL, EVP_sha256(), NULL, imc->aik), 1);
	ck_assert_int_eq(EVP_DigestSign(md, der, &der_len, w.buf, w.len), 1);
	EVP_MD_CTX_free(md);
	const unsigned char *p = der;
	ECDSA_SIG *sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	BN_bn2binpad(ECDSA_SIG_get0_r(sig), rs, 32);
	BN_bn2binpad(ECDSA_SIG_get0_s(sig), rs + 32, 32);
	ECDSA_SIG_free(sig);
	wire_writer_clear(&w);

	struct pa_pts_final f = {.mode = PA_PTS_QUOTE_TPM2, .composite_algo = PA_PTS_ALGO_SHA256,
	    .composite = {digest, 32}, .qualified_signer = {signer, sizeof(signer)},
	    .clock_info = {clock, sizeof(clock)}, .firmware_version = {fw, sizeof(fw)},
	    .pcr_select = {sel, sizeof(sel)}, .quote_sig = {rs, sizeof(rs)}};
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL);
	pa_pts_final_encode(&b.w, &f);
	receive(st, true);
}

static void
imc_free(struct imc *imc)
{
	pts_dh_free(imc->dh);
	EVP_PKEY_free(imc->aik);
	digest_ctx_clear(&imc->d);
}

/* A whole session: the files answered with verdicts; returns the out of
 * the last batch ending. */
static struct attest_state *
session(struct fake_policy *p, struct imc *imc, const char *argument, uint8_t v_ls,
    uint8_t v_unknown, bool tamper_nonce, bool tamper_pcr, struct imv_out *out)
{
	struct attest_state *st = up_to_aik(p, imc, argument);
	struct seen s;
	aik_answer(st, p, true, out);
	parse_out(out, &s);
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID));
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID));
	pa_tnc_msg_clear(&s.m);

	send_evidence(st, imc, false);
	attest_state_batch_ending(st, out);
	ck_assert(out->hold);
	ck_assert(!out->recommend);
	ck_assert_int_eq(p->files_calls, 1);
	ck_assert_int_eq(p->form, IPC_FILE_IMA_NG_TEMPLATE);
	ck_assert_str_eq(p->algo, "sha256");
	ck_assert_str_eq(p->template_algo, "sha256");
	ck_assert_uint_eq(p->nfiles, 2);
	ck_assert_str_eq(p->paths[0], "/usr/bin/ls");
	ck_assert_str_eq(p->paths[1], "/usr/sbin/unknown");
	uint8_t verdicts[2] = {v_ls, v_unknown};
	struct ipc_policy_file_verdicts v = {0, {verdicts, 2}};
	attest_state_file_verdicts(st, p->seq, &v, out);
	ck_assert(out->done);
	ck_assert(!out->recommend);

	uint8_t nonce[32];
	memcpy(nonce, imc->agreed, 32);
	nonce[5] ^= tamper_nonce;
	send_final(st, imc, nonce, tamper_pcr);
	attest_state_batch_ending(st, out);
	return st;
}

static void
setup(void)
{
	imv_budget_reset();
}

START_TEST(whole_exchange_allow)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = session(&p, &imc, "BI", 0, 1, false, false, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(out.eval, IMV_EVAL_COMPLIANT);
	ck_assert_int_eq(p.results, 1);
	ck_assert_uint_eq(p.result_item, TPMRA_ID);
	ck_assert_int_eq(p.result_rec, IMV_REC_ALLOW);
	ck_assert_str_eq(p.result_text, "processed 2 IMA file evidence measurements: 1 ok, "
	    "1 unknown, 0 differ, 0 failed; 4 BIOS evidence measurements are ok");
	ck_assert(st->ev.aggregate_ok);
	ck_assert_uint_eq(st->ev.aggregate_last_pcr, 9);
	ck_assert(st->ev.quote_ok);
	attest_state_free(st);
	imc_free(&imc);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(unknown_fails_with_u)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = session(&p, &imc, "BIU", 0, 1, false, false, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_ptr_nonnull(strstr(p.result_text, "1 files are unknown and the policy fails them"));
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(file_differs)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = session(&p, &imc, "", 2, 0, false, false, &out);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_ptr_nonnull(strstr(p.result_text, "1 differ"));
	ck_assert_ptr_nonnull(strstr(p.result_text, "'/usr/bin/ls' differs from its reference"));
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(wrong_nonce)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = session(&p, &imc, "", 0, 0, true, false, &out);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_msg(strstr(p.result_text, "quote: ") != NULL, "%s", p.result_text);
	ck_assert(!st->ev.quote_ok);
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(wrong_pcrs)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = session(&p, &imc, "", 0, 0, false, true, &out);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_msg(strstr(p.result_text, "quote: ") != NULL, "%s", p.result_text);
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(bad_boot_aggregate)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	aik_answer(st, &p, true, &out);
	send_evidence(st, &imc, true);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend); /* the evidence failed: judged at once */
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_msg(strstr(p.result_text, "boot aggregate: the IMA entry matches the aggregate of "
	    "neither PCR0..PCR9 nor PCR0..PCR7") != NULL, "%s", p.result_text);
	attest_state_free(st);
	imc_free(&imc);
	ck_assert_uint_eq(imv_budget_used(), 0);
}
END_TEST

START_TEST(untrusted_aik)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	aik_answer(st, &p, false, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_msg(strstr(p.result_text, "is not trusted") != NULL, "%s", p.result_text);
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(unregistered_aik)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	struct ipc_policy_aik a = {0, 1, {(const uint8_t *)"0a0b", 4}};
	attest_state_aik(st, p.seq, &a, &out);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_msg(strstr(p.result_text, "registered AIK 0a0b") != NULL, "%s", p.result_text);
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(imc_stops_answering)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	aik_answer(st, &p, true, &out);
	attest_state_solicit(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS); /* the workitem's rec_noresult */
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(p.result_text, "the IMC did not complete the attestation");
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(policy_away)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	attest_state_policy_lost(st, &out);
	ck_assert(out.recommend && out.done);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_str_eq(out.reason, "tnc-policy went away");
	attest_state_free(st);
	imc_free(&imc);

	struct fake_policy q = {.fail_with = TNC_ECLOSED};
	st = attest_state_new(&cfg, &port, &q, 2, 65490);
	os_facts(st);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	attest_state_free(st);
}
END_TEST

START_TEST(no_workitems)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct attest_state *st = attest_state_new(&cfg, &port, &p, 1, 65490);
	os_facts(st);
	attest_state_batch_ending(st, &out);
	struct ipc_policy_workitems w = {0};
	attest_state_workitems(st, p.seq, &w, &out);
	ck_assert(out.recommend && out.done);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "no workitems - no evaluation requested");
	attest_state_free(st);
}
END_TEST

/* A client that never says its product and device ID: the IMV waits one
 * batch (the OS IMV asks for them), then decides without them instead of
 * keeping the handshake going with empty batches. */
START_TEST(no_identity_decides_after_the_second_batch)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct attest_state *st = attest_state_new(&cfg, &port, &p, 1, 65490);
	attest_state_batch_ending(st, &out);
	ck_assert(!out.recommend);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_str_eq(out.reason, "no product and device ID received");
	ck_assert_int_eq(p.seq, 0); /* tnc-policy was never asked */
	attest_state_free(st);
}
END_TEST

START_TEST(malformed_pts)
{
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct seen s;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	aik_answer(st, &p, true, &out);
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID);
	wire_put_u32(&b.w, 0xdeadbeef); /* far too short */
	receive(st, true);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_msg(strstr(out.reason, "malformed TCG/Simple Component Evidence") != NULL, "%s",
	    out.reason);
	parse_out(&out, &s);
	ck_assert_ptr_nonnull(find(&s, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR));
	pa_tnc_msg_clear(&s.m);
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(event_bound)
{
	static const struct attest_config small = {ATTEST_SEGMENT_DEFAULT, 3};
	struct fake_policy p = {0};
	struct imc imc = {0};
	struct imv_out out;
	struct attest_state *st = up_to_aik(&p, &imc, "");
	st->cfg = &small;
	st->ev.max_events = 3;
	aik_answer(st, &p, true, &out);
	send_evidence(st, &imc, false);
	attest_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE);
	ck_assert_msg(strstr(p.result_text, "more than 3 evidence measurements") != NULL, "%s",
	    p.result_text);
	attest_state_free(st);
	imc_free(&imc);
}
END_TEST

START_TEST(ipc_roundtrip)
{
	struct wire_writer list, w;
	struct ipc_msg m = {.type = IPC_POLICY_FILES}, got;
	wire_writer_init(&list, 4096);
	ck_assert_int_eq(ipc_policy_file_put(&list, (struct bytes){(const uint8_t *)"/usr/bin/ls", 11},
	    (struct bytes){(const uint8_t *)"0a1b", 4}), 0);
	ck_assert_int_eq(ipc_policy_file_put(&list, (struct bytes){(const uint8_t *)"/x", 2},
	    (struct bytes){(const uint8_t *)"0A1B", 4}), TNC_ETOOLONG);
	m.u.policy_files = (struct ipc_policy_files){IPC_FILE_IMA_NG_TEMPLATE,
	    {(const uint8_t *)"sha256", 6}, {(const uint8_t *)"sha1", 4}, 1, {list.buf, list.len}};
	wire_writer_init(&w, 8192);
	ck_assert_int_eq(ipc_msg_encode(&m, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_FILES, w.buf, w.len, &got), 0);
	ck_assert_uint_eq(got.u.policy_files.count, 1);
	ck_assert_uint_eq(got.u.policy_files.form, IPC_FILE_IMA_NG_TEMPLATE);
	/* a count the list does not hold */
	w.buf[w.len - list.len - 1] = 2;
	ck_assert_int_ne(ipc_msg_decode(IPC_POLICY_FILES, w.buf, w.len, &got), 0);
	wire_writer_clear(&w);

	struct ipc_msg v = {.type = IPC_POLICY_FILE_VERDICTS};
	uint8_t bad[1] = {3};
	v.u.policy_file_verdicts = (struct ipc_policy_file_verdicts){0, {bad, 1}};
	wire_writer_init(&w, 64);
	ck_assert_int_eq(ipc_msg_encode(&v, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_FILE_VERDICTS, w.buf, w.len, &got), TNC_EINVALID);
	wire_writer_clear(&w);

	struct ipc_msg a = {.type = IPC_POLICY_AIK};
	a.u.policy_aik = (struct ipc_policy_aik){0, 1, {(const uint8_t *)"732c", 4}};
	wire_writer_init(&w, 64);
	ck_assert_int_eq(ipc_msg_encode(&a, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_AIK, w.buf, w.len, &got), 0);
	ck_assert_uint_eq(got.u.policy_aik.trusted, 1);
	ck_assert(bytes_eq_str(got.u.policy_aik.keyid, "732c"));
	wire_writer_clear(&w);
	wire_writer_clear(&list);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("attest_imv");
	TCase *tc = tcase_create("exchange");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, whole_exchange_allow);
	tcase_add_test(tc, unknown_fails_with_u);
	tcase_add_test(tc, file_differs);
	tcase_add_test(tc, wrong_nonce);
	tcase_add_test(tc, wrong_pcrs);
	tcase_add_test(tc, bad_boot_aggregate);
	tcase_add_test(tc, untrusted_aik);
	tcase_add_test(tc, unregistered_aik);
	tcase_add_test(tc, imc_stops_answering);
	tcase_add_test(tc, policy_away);
	tcase_add_test(tc, no_workitems);
	tcase_add_test(tc, no_identity_decides_after_the_second_batch);
	tcase_add_test(tc, malformed_pts);
	tcase_add_test(tc, event_bound);
	tcase_add_test(tc, ipc_roundtrip);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
