/* imc_attest.c - the attestation IMC (see imc_attest.h): PA-TNC messages
 * of subtype TCG/PTS answered from the TPM (tpm_*.h) and the logs
 * (imc_attest_evidence.h).
 *
 * The requests' handlers are in the files imc_attest_int.h names.
 *
 * Each PA message from an IMV is answered by PA messages to that IMV
 * (EXCL): usually one; the evidence fills as many as it needs, each up to
 * the message size, queued and taken one per CDATA batch (imc_receive.h
 * says how errors are answered).  Diagnostics: the PTS subsystem for the
 * protocol's values, IMV (shown as IMC by tncclient) for the messages.
 */
#include "imc_attest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imc_attest_int.h"
#include "imc_errors.h"
#include "imc_ietf.h"
#include "imc_receive.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_pts.h"
#include "pa_pts_names.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "tpm_aik.h"
#include "tpm_conn.h"
#include "tpm_pcr.h"

#define IMC_NAME "Attestation"
#define MAX_RECV_LEN (1u << 20) /* the IMV's requests are small */
#define MAX_ATTRS 64
#define OUR_CAPS (PA_PTS_CAP_D | PA_PTS_CAP_T)

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID},
	{PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_MEAS},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FILE_META},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS},
};

struct imc_attest *
imc_attest_new(const struct imc_attest_config *cfg, char *err, size_t err_size)
{
	struct imc_attest *imc = calloc(1, sizeof(*imc));
	char version[64];

	if (!imc)
		abort();
	imc->cfg = cfg;
	imc_msgq_init(&imc->queue);
	imc->msg_max = IMC_ATTEST_MSG_MAX;
	if (cfg->tcti && strcmp(cfg->tcti, IMC_ATTEST_NO_TPM) == 0) {
		LOG(IMV, 1, "IMC %u \"%s\" initialized without a TPM: file measurements only",
		    IMC_ATTEST_ID, IMC_NAME);
		return imc;
	}
	if (tpm_open(cfg->tcti, &imc->tpm, err, err_size) != 0)
		goto fail;
	if (tpm_info_get(imc->tpm, &imc->info) != 0 || tpm_pcr_banks(imc->tpm, &imc->banks) != 0 ||
	    tpm_aik_load(imc->tpm, cfg->aik_dir, TPM_AIK_ECC_P256, &imc->aik) != 0) {
		snprintf(err, err_size, "%s", tpm_error(imc->tpm));
		goto fail;
	}
	tpm_info_format(&imc->info, version, sizeof(version));
	LOG(IMV, 1, "IMC %u \"%s\" initialized: %s", IMC_ATTEST_ID, IMC_NAME, version);
	return imc;
fail:
	imc_attest_free(imc);
	return NULL;
}

static void
forget(struct imc_attest *imc)
{
	pts_dh_free(imc->dh);
	imc->dh = NULL;
	explicit_bzero(imc->nonce, sizeof(imc->nonce));
	imc->nonce_len = 0;
	imc->algo = 0;
	imc->want_bios = imc->want_ima = false;
	imc->msg_max = IMC_ATTEST_MSG_MAX;
	imc_attest_drop(imc);
}

void
imc_attest_free(struct imc_attest *imc)
{
	if (!imc)
		return;
	forget(imc);
	tpm_aik_free(imc->aik);
	tpm_close(imc->tpm);
	free(imc);
}

void
imc_attest_begin_handshake(struct imc_attest *imc)
{
	forget(imc);
}

bool
imc_attest_wants(const struct pb_pa *pa)
{
	return imc_receive_wants(pa, IMC_ATTEST_VENDOR, IMC_ATTEST_SUBTYPE, IMC_ATTEST_ID);
}

struct imc_msg *
imc_attest_take(struct imc_attest *imc)
{
	return imc_msgq_take_one(&imc->queue);
}

void
imc_attest_drop(struct imc_attest *imc)
{
	imc_msgq_drop(&imc->queue);
}

int
attest_refuse(struct parse_error *pe, uint32_t offset, const char *reason)
{
	return parse_fail(pe, TNC_EINVALID, PA_TNC_ERROR_INVALID_PARAMETER, offset, reason);
}

int
attest_no_tpm(struct parse_error *pe)
{
	return attest_refuse(pe, 0, "this IMC has no TPM");
}

void
attest_pts_error(struct attest_reply *r, uint32_t code, struct bytes request, const char *why)
{
	struct pa_ietf_error e = {.vendor = PA_TNC_VENDOR_TCG, .code = code, .info = request};

	LOG(PTS, 1, "sending PTS error '%s': %s", pa_tnc_error_code_name(PA_TNC_VENDOR_TCG, code),
	    why);
	imc_errors_add(&r->out, &e);
}

static int
on_caps(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	uint32_t caps;
	char text[PA_PTS_TEXT_MAX];
	struct wire_writer w;
	int err = pa_pts_caps_decode(value, &caps, pe);

	if (err)
		return err;
	LOG(PTS, 1, "requested PTS protocol capabilities: %s",
	    pa_pts_caps_text(text, sizeof(text), caps));
	uint32_t ours = r->imc->tpm ? OUR_CAPS : 0;
	LOG(PTS, 1, "supported PTS protocol capabilities: %s",
	    pa_pts_caps_text(text, sizeof(text), ours));
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_pts_caps_encode(&w, ours);
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, &w);
	return 0;
}

enum digest_alg
attest_algo_digest(uint16_t algo)
{
	return algo == PA_PTS_ALGO_SHA1 ? DIGEST_SHA1 :
	    algo == PA_PTS_ALGO_SHA384 ? DIGEST_SHA384 : DIGEST_SHA256;
}

static int
on_algo_request(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	static const uint16_t preference[] = {PA_PTS_ALGO_SHA256, PA_PTS_ALGO_SHA384,
	    PA_PTS_ALGO_SHA1};
	struct imc_attest *imc = r->imc;
	struct wire_writer w;
	uint16_t offered;
	int err = pa_pts_algo_request_decode(value, &offered, pe);

	if (err)
		return err;
	imc->algo = 0;
	for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]) && !imc->algo; i++)
		if ((offered & preference[i]) &&
		    (!imc->tpm || (imc->banks & DIGEST_BIT(attest_algo_digest(preference[i])))))
			imc->algo = preference[i];
	if (!imc->algo)
		return attest_refuse(pe, 2, "no offered measurement algorithm is a PCR bank of the TPM");
	LOG(PTS, 1, "selected PTS measurement algorithm is %s", pa_pts_algo_name(imc->algo));
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_pts_algo_encode(&w, imc->algo);
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, &w);
	return 0;
}

/* Answered, and its sizes bound our messages (we never segment). */
static int
on_contract(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_segment_contract req, ours;
	struct wire_writer w;
	int err = pa_segment_contract_decode(value, &req, pe);

	if (err)
		return err;
	LOG(IMV, 1, "IMC %u received a segmentation contract request from IMV %u",
	    IMC_ATTEST_ID, r->out.imv);
	ours = (struct pa_segment_contract){req.max_msg_size,
	    req.max_seg_size < IMC_ATTEST_MSG_MAX ? req.max_seg_size : IMC_ATTEST_MSG_MAX};
	r->imc->msg_max = IMC_ATTEST_MSG_MAX;
	if (ours.max_seg_size < r->imc->msg_max)
		r->imc->msg_max = ours.max_seg_size;
	if (ours.max_msg_size < r->imc->msg_max)
		r->imc->msg_max = ours.max_msg_size;
	r->out.msg_max = r->imc->msg_max;
	LOG(IMV, 1, "  maximum segment size of %u bytes", ours.max_seg_size);
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_segment_contract_encode(&w, &ours);
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, &w);
	return 0;
}

static int
handle(void *ctx, const struct pa_tnc_attr *a, struct parse_error *pe)
{
	struct attest_reply *r = ctx;

	if (a->vendor == PA_TNC_VENDOR_TCG) {
		switch (a->type) {
		case PA_PTS_REQ_PROTO_CAPS: return on_caps(r, a->value, pe);
		case PA_PTS_MEAS_ALGO_REQ: return on_algo_request(r, a->value, pe);
		case PA_PTS_DH_NONCE_PARAMS_REQ: return attest_on_dh_request(r, a->value, pe);
		case PA_PTS_DH_NONCE_FINISH: return attest_on_dh_finish(r, a->value, pe);
		case PA_PTS_GET_TPM_VERSION_INFO: return attest_on_get_version(r, a->value, pe);
		case PA_PTS_GET_AIK: return attest_on_get_aik(r, a->value, pe);
		case PA_PTS_REQ_FUNC_COMP_EVID: return attest_on_comp_request(r, a->value, pe);
		case PA_PTS_GEN_ATTEST_EVID: return attest_on_generate(r, a->value, pe);
		case PA_PTS_REQ_FILE_MEAS: return attest_on_file_meas(r, a->value, pe);
		case PA_PTS_REQ_FILE_META: return attest_on_file_meta(r, a->value, pe);
		case PA_SEGMENT_CONTRACT_REQUEST: return on_contract(r, a->value, pe);
		}
	} else if (a->vendor == PA_TNC_VENDOR_ITA && a->type == PA_ITA_GET_SYMLINKS) {
		return attest_on_get_symlinks(r, a->value, pe);
	}
	return imc_ietf_handle(a, r->out.imv, NULL, pe);
}

static const struct imc_receiver receiver = {IMC_ATTEST_ID, IMC_NAME,
	{MAX_RECV_LEN, MAX_ATTRS, supported, sizeof(supported) / sizeof(supported[0])}, false,
	handle};

void
imc_attest_receive(struct imc_attest *imc, const struct pb_pa *pa)
{
	struct attest_reply r = {.imc = imc};

	imc_reply_init(&r.out, &imc->queue, pa->validator_id, imc->msg_max);
	/* the evidence fills as many messages as it needs */
	r.out.spill = true;
	r.out.attr_level = 3;
	imc_receive(&receiver, &r, &r.out, pa);
}
