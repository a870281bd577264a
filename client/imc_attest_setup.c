/* imc_attest_setup.c - the attestation IMC's answers before the evidence
 * (see imc_attest_int.h): the D-H nonce exchange (as responder), TPM
 * Version Information and the Attestation Identity Key.
 */
#include <stdio.h>
#include <stdlib.h>

#include "imc_attest_evidence.h"
#include "imc_attest_int.h"
#include "log.h"
#include "pa_pts.h"
#include "pa_pts_names.h"
#include "tpm_aik.h"

#define OUR_DH_HASHES (PA_PTS_ALGO_SHA1 | PA_PTS_ALGO_SHA256 | PA_PTS_ALGO_SHA384)
#define NONCE_LEN 20 /* ours, unless the IMV asks for more (the seeds' length) */

int
attest_on_dh_request(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	static const uint16_t preference[] = {PA_PTS_DH_ECP256, PA_PTS_DH_ECP384,
	    PA_PTS_DH_MODP2048, PA_PTS_DH_MODP1536, PA_PTS_DH_MODP1024};
	struct imc_attest *imc = r->imc;
	struct pa_pts_dh_request req;
	struct wire_writer w;
	uint16_t group = 0;
	int err = pa_pts_dh_request_decode(value, &req, pe);

	if (err)
		return err;
	for (size_t i = 0; i < sizeof(preference) / sizeof(preference[0]) && !group; i++)
		if (req.groups & preference[i])
			group = preference[i];
	if (!group)
		return attest_refuse(pe, 2, "no offered D-H group is supported");
	pts_dh_free(imc->dh);
	imc->nonce_len = 0;
	imc->our_nonce_len = req.min_nonce_len > NONCE_LEN ? req.min_nonce_len : NONCE_LEN;
	if (!(imc->dh = pts_dh_new((enum pts_dh_group)group, (struct bytes){NULL, 0})) ||
	    pts_dh_random_nonce(imc->our_nonce, imc->our_nonce_len) != 0) {
		LOG(PTS, 0, "cannot make a D-H key pair in %s", pa_pts_dh_group_name(group));
		return attest_refuse(pe, 2, "D-H key pair not made");
	}
	LOG(PTS, 1, "selected PTS DH group is %s", pa_pts_dh_group_name(group));
	LOG(PTS, 1, "nonce length is %zu", imc->our_nonce_len);
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_pts_dh_response_encode(&w, &(struct pa_pts_dh_response){group, OUR_DH_HASHES,
	    {imc->our_nonce, imc->our_nonce_len}, pts_dh_public(imc->dh)});
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, &w);
	return 0;
}

int
attest_on_dh_finish(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	struct pa_pts_dh_finish f;
	int err = pa_pts_dh_finish_decode(value, &f, pe);

	if (err)
		return err;
	if (!imc->dh)
		return attest_refuse(pe, 0, "D-H Nonce Finish without Parameters Request");
	if (!(f.hash_algo & OUR_DH_HASHES))
		return attest_refuse(pe, 0, "D-H hash algorithm not offered");
	if (pts_dh_set_peer(imc->dh, f.public_value) != 0)
		return attest_refuse(pe, 4, "D-H public value refused");
	if (pts_dh_derive_nonce(imc->dh, (enum pts_dh_hash)f.hash_algo, f.nonce,
	    (struct bytes){imc->our_nonce, imc->our_nonce_len}, imc->nonce, &imc->nonce_len) != 0)
		return attest_refuse(pe, 0, "D-H nonce not derived");
	LOG(PTS, 1, "selected DH hash algorithm is %s", pa_pts_algo_name(f.hash_algo));
	LOG(PTS, 2, "agreed on a nonce of %zu octets for the quote", imc->nonce_len);
	return 0;
}

/* TPM 2.0 in strongSwan's 16-octet layout, with the boot's startup
 * locality (the event log's; 0 without one). */
int
attest_on_get_version(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	struct wire_writer w;
	char text[PA_PTS_TEXT_MAX];
	int locality = -1;
	int err = pa_pts_reserved_decode(value, pe);

	if (err)
		return err;
	if (!imc->tpm)
		return attest_no_tpm(pe);
	if (imc->cfg->bios_log) {
		uint8_t *log;
		size_t len;
		char why[256];
		if (imc_evidence_read_file(imc->cfg->bios_log, &log, &len, why, sizeof(why)) == 0) {
			locality = imc_evidence_startup_locality(log, len);
			free(log);
		} else {
			LOG(PTS, 0, "%s", why);
		}
	}
	struct pa_pts_tpm_version v = {.tag = PA_PTS_TPM20_VERSION_TAG,
	    .vendor = imc->info.manufacturer, .locality = (uint8_t)(locality < 0 ? 0 : locality),
	    .revision = imc->info.revision, .year = imc->info.year};
	LOG(PTS, 1, "Version Information: %s - startup locality: %u",
	    pa_pts_tpm_version_text(text, sizeof(text), &v), v.locality);
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_pts_tpm_version_encode(&w, &v);
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, &w);
	return 0;
}

int
attest_on_get_aik(struct attest_reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	struct wire_writer w;
	size_t len;
	int err = pa_pts_reserved_decode(value, pe);

	if (err)
		return err;
	if (!imc->tpm)
		return attest_no_tpm(pe);
	const uint8_t *der = tpm_aik_public_der(imc->aik, &len);
	const uint8_t *id = tpm_aik_keyid(imc->aik);
	char hex[TPM_AIK_KEYID_SIZE * 3];
	for (size_t i = 0; i < TPM_AIK_KEYID_SIZE; i++)
		snprintf(hex + 3 * i, 4, "%02x%s", id[i], i + 1 < TPM_AIK_KEYID_SIZE ? ":" : "");
	LOG(PTS, 1, "AIK with keyid %s", hex);
	wire_writer_init(&w, ATTEST_VALUE_MAX);
	pa_pts_aik_encode(&w, &(struct pa_pts_aik){true, {der, len}});
	imc_reply_put(&r->out, PA_TNC_VENDOR_TCG, PA_PTS_AIK, &w);
	return 0;
}
