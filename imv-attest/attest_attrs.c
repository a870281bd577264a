/* attest_attrs.c - the attributes of a received PTS or Operating System
 * message (see attest_attrs.h).
 *
 * From Operating System messages: IETF Product Information and String
 * Version, ITA-HSR Device ID (what tnc-policy plans the workitems of).
 * From PTS messages: PTS Protocol Capabilities, PTS Measurement Algorithm,
 * D-H Nonce Parameters Response, TPM Version Information, Attestation
 * Identity Key, ITA-HSR Symlinks, Simple Component Evidence, Simple
 * Evidence Final, PA-TNC Error, and the TCG Segmentation attributes.
 * Evidence is verified as it arrives (attest_evidence.h).
 */
#include "attest_attrs.h"

#include <stdio.h>
#include <string.h>

#include "ipc_frame.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_pts_comp.h"
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
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS},
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

/* OS messages are the OS IMV's to judge: NOSKIP is its business. */
static const struct pa_tnc_limits os_limits = {
	.max_msg_len = IPC_FRAME_MAX_HARD,
	.max_attrs = 1024,
};

struct rx {
	struct attest_state *st;
	const uint8_t *msg;
	size_t len;
	const struct pa_tnc_attr *outer; /* the envelope of a reassembled attribute */
};

static int
bad_value(struct rx *rx, const struct pa_tnc_attr *a, struct parse_error *pe, const char *why)
{
	char what[160];
	if (rx->outer)
		pe->offset = rx->outer->offset;
	else
		pa_tnc_attr_rebase_error(a, pe);
	snprintf(what, sizeof(what), "%s %s attribute%s%s", why ? "refused" : "malformed",
	    pa_tnc_attr_name(a->vendor, a->type), why ? ": " : "", why ? why : "");
	attest_state_fail(rx->st, rx->msg, rx->len, pe, what,
	    a->vendor != PA_TNC_VENDOR_IETF || a->type != PA_IETF_PA_TNC_ERROR);
	return TNC_EINVALID;
}

/* A value that decodes but cannot be used: Invalid Parameter at its start. */
static int
refuse(struct rx *rx, const struct pa_tnc_attr *a, const char *why)
{
	struct parse_error pe = {0, PA_TNC_ERROR_INVALID_PARAMETER, why};
	return bad_value(rx, a, &pe, why);
}

static void
copy_text(char *dst, size_t size, struct bytes b)
{
	size_t n = b.len < size - 1 ? b.len : size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f ? (char)b.ptr[i] : '?';
	dst[n] = 0;
}

/* --- Operating System --- */

static void
os_attr(struct attest_state *st, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_PRODUCT_INFORMATION) {
		struct pa_ietf_product_info v;
		if (pa_ietf_product_info_decode(a->value, &v, &pe) == 0 &&
		    v.name.len < sizeof(st->product)) {
			copy_text(st->product, sizeof(st->product), v.name);
			st->have_product = true;
		}
	} else if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_STRING_VERSION) {
		struct pa_ietf_string_version v;
		if (pa_ietf_string_version_decode(a->value, &v, &pe) == 0) {
			copy_text(st->version, sizeof(st->version), v.version);
			st->have_version = true;
		}
	} else if (a->vendor == PA_TNC_VENDOR_ITA && a->type == PA_ITA_DEVICE_ID) {
		struct bytes id;
		if (pa_ietf_device_id_decode(a->value, &id, &pe) != 0)
			return;
		bool printable = id.len > 0 && id.len < sizeof(st->device);
		for (size_t i = 0; printable && i < id.len; i++)
			printable = id.ptr[i] >= 0x20 && id.ptr[i] < 0x7f;
		/* exactly as sent, or not at all: a cut ID would be another device */
		if (printable)
			memcpy(st->device, id.ptr, id.len);
		st->device[printable ? id.len : 0] = 0;
	}
}

/* --- PTS --- */

static int
on_caps(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	uint32_t caps;
	char text[16];
	if (pa_pts_caps_decode(a->value, &caps, &pe))
		return bad_value(rx, a, &pe, NULL);
	rx->st->got_caps = true;
	LOG(PTS, 1, "supported PTS protocol capabilities: %s",
	    pa_pts_caps_text(text, sizeof(text), caps));
	if (!(caps & PA_PTS_CAP_T) || !(caps & PA_PTS_CAP_D))
		return refuse(rx, a, "the IMC offers no Trusted Platform evidence or D-H nonce");
	return 0;
}

static int
on_algo(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	uint16_t algo;
	if (pa_pts_algo_decode(a->value, &algo, &pe))
		return bad_value(rx, a, &pe, NULL);
	rx->st->got_algo = true;
	rx->st->algo = algo;
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
on_dh_response(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_dh_response v;
	struct parse_error pe;

	if (pa_pts_dh_response_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	if (st->phase != ATTEST_PHASE_DH || st->dh)
		return refuse(rx, a, "not asked for");
	st->dh_hash = pick_hash(v.hash_algos);
	if (!st->dh_hash)
		return refuse(rx, a, "no D-H hash algorithm in common");
	if (!(v.group & DH_GROUPS))
		return refuse(rx, a, "a D-H group not offered");
	if (v.nonce.len < ATTEST_MIN_NONCE)
		return refuse(rx, a, "a nonce shorter than asked for");
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
		return refuse(rx, a, "the D-H public value is not usable");
	return 0;
}

static int
on_tpm_version(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_pts_tpm_version v;
	struct parse_error pe;
	char text[PA_PTS_TEXT_MAX];
	if (pa_pts_tpm_version_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	rx->st->got_version = true;
	pa_pts_tpm_version_text(text, sizeof(text), &v);
	if (v.tag == PA_PTS_TPM20_VERSION_TAG) {
		rx->st->ev.locality = v.locality;
		LOG(PTS, 1, "Version Information: %s - startup locality: %u", text, v.locality);
	} else {
		LOG(PTS, 1, "Version Information: %s", text);
	}
	return 0;
}

static int
on_aik(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_aik v;
	struct parse_error pe;
	char why[128], keyid[64];
	if (pa_pts_aik_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	if (st->have_aik)
		return refuse(rx, a, "a second AIK");
	if (attest_aik_parse(&v, &st->aik, why, sizeof(why)) != 0)
		return refuse(rx, a, why);
	st->have_aik = true;
	attest_aik_keyid_text(&st->aik, keyid, sizeof(keyid));
	LOG(IMV, 1, "verifying AIK with keyid %s", keyid);
	return 0;
}

static int
on_symlinks(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_pts_symlinks v;
	struct pa_pts_symlinks_iter it;
	struct pa_pts_symlink l;
	struct parse_error pe;
	if (pa_pts_symlinks_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	LOG(PTS, 1, "adding directory symlinks:");
	pa_pts_symlinks_iter_init(&it, &v);
	while (pa_pts_symlinks_next(&it, &l)) {
		LOG(PTS, 1, "  %.*s -> %.*s", (int)l.link.len, (const char *)l.link.ptr,
		    (int)l.dir.len, (const char *)l.dir.ptr);
		if (!attest_files_symlink(&rx->st->files, l.link, l.dir))
			return refuse(rx, a, "more symlinks than the IMV keeps, or one too long");
	}
	return 0;
}

static int
on_evidence(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_comp_evidence v;
	struct attest_ima_file file;
	struct parse_error pe;

	if (pa_pts_comp_evidence_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	if (st->phase != ATTEST_PHASE_EVIDENCE || st->got_final)
		return refuse(rx, a, "evidence not asked for");
	bool first = st->ev.bios + st->ev.ima == 0;
	if (first && st->ev.locality > 0)
		LOG(PTS, 1, "TPM 2.0 - locality indicator set to %d", st->ev.locality);
	bool failed = st->ev.failed;
	switch (attest_evidence_component(&st->ev, &v, &file)) {
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
		if (attest_files_add(&st->files, (uint8_t)file.form, file.algo, file.template_algo,
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
	return 0;
}

static int
on_final(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct pa_pts_final v;
	struct parse_error pe;

	if (pa_pts_final_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	if (st->phase != ATTEST_PHASE_EVIDENCE || st->got_final)
		return refuse(rx, a, "a quote not asked for");
	st->got_final = true;
	bool failed = st->ev.failed;
	attest_evidence_final(&st->ev, &v, st->aik.key, (struct bytes){st->nonce, st->nonce_len});
	if (st->ev.quote_ok)
		LOG(PTS, 1, "TPM Quote Info signature verification successful: TPM 2.0 quote over "
		    "the replayed PCRs with the D-H nonce");
	else if (!failed)
		LOG_WARN(PTS, "%s", st->ev.reason);
	return 0;
}

static int
on_error(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_error v;
	struct parse_error pe;
	if (pa_ietf_error_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe, NULL);
	LOG(IMV, 1, "received PA-TNC error '%s' from IMC %u",
	    pa_tnc_error_code_name(v.vendor, v.code), rx->st->imc_id);
	return 0;
}

static int
on_contract(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	if (imv_contract_received(&rx->st->contract, rx->st->imc_id, a, &pe))
		return bad_value(rx, a, &pe, NULL);
	return 0;
}

static int dispatch(struct rx *rx, const struct pa_tnc_attr *a);

static int
on_envelope(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct attest_state *st = rx->st;
	struct parse_error pe = {0, PA_TNC_ERROR_INVALID_PARAMETER, NULL};
	struct pa_tnc_attr whole;
	bool done = false;

	if (rx->outer) {
		pe.reason = "a segment envelope inside a segmented attribute";
		return bad_value(rx, a, &pe, NULL);
	}
	if (imv_reasm_envelope(&st->reasm, ATTEST_IMV_ID, st->imc_id, a, &whole, &done, &pe))
		return bad_value(rx, a, &pe, NULL);
	if (!done)
		return 0;
	struct rx inner = {st, rx->msg, rx->len, a};
	int err = 0;
	if (!(whole.flags & PA_TNC_ATTR_FLAG_NOSKIP) ||
	    pa_tnc_is_supported(&limits, whole.vendor, whole.type))
		err = dispatch(&inner, &whole);
	attest_state_drop_segments(st); /* whole's value lived in the reassembly */
	return err;
}

static int
on_cancel(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	if (imv_reasm_cancel(&rx->st->reasm, rx->st->imc_id, a, &pe))
		return bad_value(rx, a, &pe, NULL);
	return 0;
}

static const struct {
	uint32_t vendor, type;
	int (*fn)(struct rx *rx, const struct pa_tnc_attr *a);
} handlers[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, on_caps},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, on_algo},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, on_dh_response},
	{PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, on_tpm_version},
	{PA_TNC_VENDOR_TCG, PA_PTS_AIK, on_aik},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_COMP_EVID, on_evidence},
	{PA_TNC_VENDOR_TCG, PA_PTS_SIMPLE_EVID_FINAL, on_final},
	{PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, on_symlinks},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, on_error},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, on_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, on_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, on_envelope},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL, on_cancel},
};

static int
dispatch(struct rx *rx, const struct pa_tnc_attr *a)
{
	LOG(IMV, 3, "processing PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].vendor == a->vendor && handlers[i].type == a->type)
			return handlers[i].fn(rx, a);
	return 0; /* RFC 5792 4.2: without NOSKIP an unknown attribute is skipped */
}

void
attest_attrs_process(struct attest_state *st, bool pts, const uint8_t *msg, size_t len)
{
	struct pa_tnc_msg m;
	struct parse_error pe;

	if (!pts) {
		if (pa_tnc_msg_parse(msg, len, &os_limits, &m, &pe) != 0)
			return; /* the OS IMV answers it */
		for (size_t i = 0; i < m.count; i++)
			os_attr(st, &m.attrs[i]);
		pa_tnc_msg_clear(&m);
		return;
	}
	if (pa_tnc_msg_parse(msg, len, &limits, &m, &pe) != 0) {
		if (pe.code == PA_TNC_ERROR_INVALID_PARAMETER) {
			attest_state_fail(st, msg, len, &pe, "malformed PA-TNC message", true);
			return;
		}
		imv_errors_ignore(&st->errors, st->imc_id, msg, len, &pe);
		return;
	}
	LOG(IMV, 2, "processing PA-TNC message with ID 0x%08x (%zu attributes)", m.msg_id, m.count);
	struct rx rx = {st, msg, len, NULL};
	for (size_t i = 0; i < m.count; i++)
		if (dispatch(&rx, &m.attrs[i]) != 0)
			break;
	pa_tnc_msg_clear(&m);
}
