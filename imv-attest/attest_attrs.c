/* attest_attrs.c - the attributes of a received PTS or Operating System
 * message (see attest_attrs.h).
 *
 * From Operating System messages: IETF Product Information and String
 * Version, ITA-HSR Device ID (what tnc-policy plans the workitems of;
 * imv_endpoint.h).  From PTS messages, through imv_rx.h: PTS Protocol
 * Capabilities, PTS Measurement Algorithm, D-H Nonce Parameters Response,
 * TPM Version Information, Attestation Identity Key, ITA-HSR Symlinks,
 * Simple Component Evidence, Simple Evidence Final, File Measurement,
 * Unix-Style File Metadata and PA-TNC Error here, the TCG Segmentation
 * attributes there.  Evidence is verified as it arrives
 * (attest_evidence.h).
 */
#include "attest_attrs.h"

#include <stdio.h>
#include <string.h>

#include "ipc_frame.h"
#include "imv_rx.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_pts_comp.h"
#include "pa_pts_file.h"
#include "pa_pts_final.h"
#include "pa_pts_names.h"
#include "pa_pts_symlinks.h"

#define ATTRS_MAX 8192 /* attributes in one message: 32 KB of evidence is ~200 */
/* The D-H groups and hashes the IMV offers and takes. */
#define DH_GROUPS (PA_PTS_DH_MODP1024 | PA_PTS_DH_MODP1536 | PA_PTS_DH_MODP2048 | \
    PA_PTS_DH_ECP256 | PA_PTS_DH_ECP384)

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP},
	{PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO},
	{PA_TNC_VENDOR_TCG, PA_PTS_AIK},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL},
	{PA_TNC_VENDOR_TCG, PA_PTS_INTEG_MEAS_LOG},
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS},
	{PA_TNC_VENDOR_TCG, PA_PTS_FILE_MEAS},
	{PA_TNC_VENDOR_TCG, PA_PTS_UNIX_FILE_META},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL},
};

static const struct pa_tnc_limits limits = {
	.max_msg_len = IPC_FRAME_MAX_HARD,
	.max_attrs = ATTRS_MAX,
	.supported = supported,
	.n_supported = sizeof(supported) / sizeof(supported[0]),
};

/* --- PTS --- */

static int
on_caps(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct parse_error pe;
	uint32_t caps;
	char text[16];
	if (pa_pts_caps_decode(a->value, &caps, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->got_caps = true;
	LOG(PTS, 1, "supported PTS protocol capabilities: %s",
	    pa_pts_caps_text(text, sizeof(text), caps));
	/* file workitems alone need neither */
	if (attest_items_tpmra(&st->items) && (!(caps & PA_PTS_CAP_T) || !(caps & PA_PTS_CAP_D)))
		return imv_rx_refuse(rx, a, "the IMC offers no Trusted Platform evidence or D-H nonce");
	return 0;
}

static int
on_algo(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct parse_error pe;
	uint16_t algo;
	if (pa_pts_algo_decode(a->value, &algo, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->got_algo = true;
	st->algo = algo;
	LOG(PTS, 1, "selected PTS measurement algorithm is %s", pa_pts_algo_name(algo));
	return 0;
}

static uint16_t
pick_hash(uint16_t offered)
{
	static const uint16_t order[] = {PA_PTS_ALGO_SHA256, PA_PTS_ALGO_SHA384, PA_PTS_ALGO_SHA1};
	for (size_t i = 0; i < sizeof(order) / sizeof(order[0]); i++)
		if (offered & order[i])
			return order[i];
	return 0;
}

static int
on_dh_response(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_dh_response v;
	struct parse_error pe;

	if (pa_pts_dh_response_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (st->phase != ATTEST_PHASE_DH || st->dh)
		return imv_rx_refuse(rx, a, "not asked for");
	/* SHA-1 PCRs (a TPM 1.2) quote a 20-octet nonce: SHA-1's */
	st->dh_hash = st->algo == PA_PTS_ALGO_SHA1 && (v.hash_algos & PA_PTS_ALGO_SHA1) ?
	    PA_PTS_ALGO_SHA1 : pick_hash(v.hash_algos);
	if (!st->dh_hash)
		return imv_rx_refuse(rx, a, "no D-H hash algorithm in common");
	if (!(v.group & DH_GROUPS))
		return imv_rx_refuse(rx, a, "a D-H group not offered");
	if (v.nonce.len < ATTEST_MIN_NONCE)
		return imv_rx_refuse(rx, a, "a nonce shorter than asked for");
	LOG(PTS, 1, "selected DH hash algorithm is %s", pa_pts_algo_name(st->dh_hash));
	LOG(PTS, 1, "selected PTS DH group is %s", pa_pts_dh_group_name(v.group));
	LOG(PTS, 1, "nonce length is %zu", v.nonce.len);
	st->group = (enum pts_dh_group)v.group;
	st->dh = pts_dh_new(st->group, (struct bytes){0});
	st->my_nonce_len = v.nonce.len;
	if (!st->dh || pts_dh_set_peer(st->dh, v.public_value) != 0 ||
	    pts_dh_random_nonce(st->my_nonce, st->my_nonce_len) != 0 ||
	    pts_dh_derive_nonce(st->dh, (enum pts_dh_hash)st->dh_hash,
	    (struct bytes){st->my_nonce, st->my_nonce_len}, v.nonce, st->nonce,
	    &st->nonce_len) != 0)
		return imv_rx_refuse(rx, a, "the D-H public value is not usable");
	return 0;
}

static int
on_tpm_version(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_tpm_version v;
	struct parse_error pe;
	char text[PA_PTS_TEXT_MAX];
	if (pa_pts_tpm_version_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->got_version = true;
	pa_pts_tpm_version_text(text, sizeof(text), &v);
	if (v.tag == PA_PTS_TPM20_VERSION_TAG) {
		st->ev.locality = v.locality;
		LOG(PTS, 1, "Version Information: %s - startup locality: %u", text, v.locality);
	} else {
		if (attest_tpm12_version(&st->tpm12, a->value) != 0)
			return imv_rx_refuse(rx, a, "TPM 1.2 version information longer than the IMV keeps");
		LOG(PTS, 1, "Version Information: %s", text);
	}
	return 0;
}

static int
on_aik(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_aik v;
	struct parse_error pe;
	char why[128], keyid[64];
	if (pa_pts_aik_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (st->have_aik)
		return imv_rx_refuse(rx, a, "a second AIK");
	if (attest_aik_parse(&v, &st->aik, why, sizeof(why)) != 0)
		return imv_rx_refuse(rx, a, why);
	st->have_aik = true;
	attest_aik_keyid_text(&st->aik, keyid, sizeof(keyid));
	LOG(IMV, 1, "verifying AIK with keyid %s", keyid);
	return 0;
}

static int
on_symlinks(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_symlinks v;
	struct pa_pts_symlinks_iter it;
	struct pa_pts_symlink l;
	struct parse_error pe;
	if (pa_pts_symlinks_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	LOG(PTS, 1, "adding directory symlinks:");
	pa_pts_symlinks_iter_init(&it, &v);
	while (pa_pts_symlinks_next(&it, &l)) {
		LOG(PTS, 1, "  %.*s -> %.*s", (int)l.link.len, (const char *)l.link.ptr,
		    (int)l.dir.len, (const char *)l.dir.ptr);
		if (!attest_files_symlink(&st->files, l.link, l.dir))
			return imv_rx_refuse(rx, a, "more symlinks than the IMV keeps, or one too long");
	}
	return 0;
}

/* A signed IMA entry's file: its signature checked, its digest looked up. */
static void
take_signed(struct attest_state *st, const struct attest_imasig_entry *e)
{
	char why[200];
	if (!attest_imasig_judge(&st->imasig, e, st->ev.ima, why, sizeof(why))) {
		st->files.failed++;
		LOG_WARN(PTS, "%s", why);
		return;
	}
	if (e->sig.status == IMA_SIG_UNCHECKED)
		LOG(PTS, 2, "IMA evidence %u for '%s': signature not checked (no ima_keys_dir)",
		    st->ev.ima, e->path);
	if (attest_files_add(&st->files, IPC_FILE_DIGEST, e->file_algo, "",
	    (struct bytes){(const uint8_t *)e->path, e->path_len}, e->file_hash,
	    e->file_hash_len) != 0) {
		st->files.failed++;
		LOG(PTS, 1, "IMA evidence %u for '%s' cannot be looked up: budget spent", st->ev.ima,
		    e->path);
	}
}

/* One piece of evidence, verified; a signed IMA entry (signed_entry) is
 * judged by its signature and file digest rather than its template hash. */
static void
take(struct attest_state *st, const struct pa_pts_comp_evidence *v,
    const struct attest_imasig_entry *signed_entry)
{
	struct attest_ima_file file;
	bool first = st->ev.bios + st->ev.ima == 0;
	if (first && st->ev.locality > 0)
		LOG(PTS, 1, "TPM 2.0 - locality indicator set to %d", st->ev.locality);
	else if (first && st->tpm12.present)
		LOG(PTS, 1, "TPM 1.2 - PCRs start at their reset values, evidence in the SHA-1 bank");
	bool failed = st->ev.failed;
	switch (attest_evidence_component(&st->ev, v, &file)) {
	case ATTEST_TOOK_BIOS:
		break;
	case ATTEST_TOOK_AGGREGATE:
		LOG(PTS, 1, "checking %u BIOS evidence measurements", st->ev.bios);
		LOG(PTS, 1, "boot aggregate computed over PCR0..PCR%u is correct",
		    st->ev.aggregate_last_pcr);
		/* the seeds' order: the entry carrying the aggregate, matched above */
		LOG(PTS, 1, "checking boot aggregate evidence measurement");
		break;
	case ATTEST_TOOK_FILE:
		if (signed_entry)
			take_signed(st, signed_entry);
		else if (attest_files_add(&st->files, (uint8_t)file.form, file.algo, file.template_algo,
		    file.path, file.hash, file.hash_len) != 0) {
			st->files.failed++;
			LOG(PTS, 1, "IMA evidence %u for '%.*s' cannot be looked up: path too long or "
			    "budget spent", st->ev.ima, (int)file.path.len, (const char *)file.path.ptr);
		}
		break;
	case ATTEST_TOOK_FAILED:
		if (!failed)
			LOG_WARN(PTS, "%s", st->ev.reason);
		break;
	}
}

static int
on_evidence(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_comp_evidence v;
	struct parse_error pe;

	if (pa_pts_comp_evidence_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (st->phase != ATTEST_PHASE_EVIDENCE || st->got_final)
		return imv_rx_refuse(rx, a, "evidence not asked for");
	take(st, &v, NULL);
	return 0;
}

/* Integrity Measurement Log: one signed IMA entry (attest_imasig.h), taken
 * as the Simple Component Evidence of its template hash. */
static int
on_iml(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	static struct attest_imasig_entry e; /* 4 KB of path */
	static char uri[IPC_POLICY_ALGO_MAX + 2 + IPC_POLICY_PATH_MAX];
	struct attest_state *st = rx->st;
	char why[ATTEST_REASON_LEN];

	if (st->phase != ATTEST_PHASE_EVIDENCE || st->got_final)
		return imv_rx_refuse(rx, a, "evidence not asked for");
	if (!st->ev.bank_set)
		return imv_rx_refuse(rx, a, "a signed IMA entry before any evidence fixed the PCR bank");
	if (attest_imasig_read(a->value, st->ev.bank, &e, why, sizeof(why)) != 0)
		return imv_rx_refuse(rx, a, why);
	int n = snprintf(uri, sizeof(uri), "%s:%s", e.file_algo, e.path);
	struct pa_pts_comp_evidence v = {
	    .flags = PA_PTS_VALIDATION_PASSED,
	    .name = {PA_TNC_VENDOR_ITA, PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS,
		PA_PTS_ITA_COMP_IMA},
	    .pcr = e.pcr,
	    /* PA_PTS_ALGO_SHA1 >> n is SHA-256, -384, -512 as enum digest_alg counts */
	    .hash_algo = (uint16_t)(PA_PTS_ALGO_SHA1 >> st->ev.bank),
	    .transform = PA_PTS_TRANSFORM_MATCH,
	    .policy_uri = {(const uint8_t *)uri, (size_t)n},
	    .measurement = {e.template_hash, digest_size(st->ev.bank)},
	};
	take(st, &v, &e);
	return 0;
}

static int
on_final(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_final v;
	struct parse_error pe;

	if (pa_pts_final_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (st->phase != ATTEST_PHASE_EVIDENCE || st->got_final)
		return imv_rx_refuse(rx, a, "a quote not asked for");
	st->got_final = true;
	bool failed = st->ev.failed, tpm12 = v.mode & (PA_PTS_QUOTE_INFO | PA_PTS_QUOTE_INFO2);
	struct bytes nonce = {st->nonce, st->nonce_len};
	if (tpm12)
		attest_tpm12_final(&st->ev, &st->tpm12, &v, st->aik.key, nonce);
	else
		attest_evidence_final(&st->ev, &v, st->aik.key, nonce);
	if (st->ev.quote_ok)
		LOG(PTS, 1, "TPM Quote Info signature verification successful: %s%s over the "
		    "replayed PCRs with the D-H nonce", tpm12 ? "TPM 1.2 " : "TPM 2.0 quote",
		    tpm12 ? attest_tpm12_quote_name(v.mode) : "");
	else if (!failed)
		LOG_WARN(PTS, "%s", st->ev.reason);
	return 0;
}

/* The answers to the file workitems' requests (attest_filemeas.h). */
static int
on_file_meas(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_file_meas v;
	struct parse_error pe;
	char why[200];
	if (pa_pts_file_meas_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (!st->got_algo)
		return imv_rx_refuse(rx, a, "file measurements before the measurement algorithm");
	if (attest_filemeas_measurement(&st->fm, &v, st->algo, why, sizeof(why)) != 0)
		return imv_rx_refuse(rx, a, why);
	return 0;
}

static int
on_file_meta(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_file_meta v;
	struct parse_error pe;
	char why[200];
	if (pa_pts_file_meta_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (attest_filemeas_metadata(&st->fm, &v, why, sizeof(why)) != 0)
		return imv_rx_refuse(rx, a, why);
	return 0;
}

static int
on_error(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_ietf_error v;
	struct parse_error pe;
	if (pa_ietf_error_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	LOG(IMV, 1, "received PA-TNC error '%s' from IMC %u",
	    pa_tnc_error_code_name(v.vendor, v.code), st->link.imc_id);
	attest_filemeas_error(&st->fm, &v);
	return 0;
}

static const struct imv_rx_handler handlers[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, on_caps},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, on_algo},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, on_dh_response},
	{PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, on_tpm_version},
	{PA_TNC_VENDOR_TCG, PA_PTS_AIK, on_aik},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID, on_evidence},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL, on_final},
	{PA_TNC_VENDOR_TCG, PA_PTS_INTEG_MEAS_LOG, on_iml},
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, on_symlinks},
	{PA_TNC_VENDOR_TCG, PA_PTS_FILE_MEAS, on_file_meas},
	{PA_TNC_VENDOR_TCG, PA_PTS_UNIX_FILE_META, on_file_meta},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, on_error},
};

static const struct imv_rx_ops rx_ops = {
	.imv_id = ATTEST_IMV_ID,
	.limits = &limits,
	.handlers = handlers,
	.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
	.fail = attest_state_fail,
	.os_style = false,
};

void
attest_attrs_process(struct attest_state *st, bool pts, const uint8_t *msg, size_t len)
{
	if (!pts) {
		imv_endpoint_read(&st->endpoint, msg, len);
		return;
	}
	imv_rx_process(&rx_ops, st, &st->link, &st->reasm, msg, len);
}
