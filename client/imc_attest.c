/* imc_attest.c - the attestation IMC (see imc_attest.h): PA-TNC messages
 * of subtype TCG/PTS answered from the TPM (tpm_*.h) and the logs
 * (imc_attest_evidence.h).
 *
 * Each PA message from an IMV is answered by PA messages to that IMV
 * (EXCL): usually one; the evidence fills as many as it needs, each up to
 * the message size, queued and taken one per CDATA batch.  A message
 * pa_tnc_msg_parse() refuses, or an attribute value its decoder refuses,
 * is answered with an IETF PA-TNC Error and not processed further (RFC
 * 5792 4.2.8).  Diagnostics: the PTS subsystem for the protocol's values,
 * IMV (shown as IMC by tncclient) for the messages.
 */
#include "imc_attest.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "imc_attest_evidence.h"
#include "imc_attest_links.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_pts.h"
#include "pa_pts_comp.h"
#include "pa_pts_names.h"
#include "pa_pts_symlinks.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "pts_dh.h"
#include "quote.h"
#include "tpm_aik.h"
#include "tpm_conn.h"
#include "tpm_info.h"
#include "tpm_pcr.h"
#include "tpm_quote.h"

#define IMC_NAME "Attestation"
#define MAX_RECV_LEN (1u << 20) /* the IMV's requests are small */
#define MAX_ATTRS 64
#define OUR_CAPS (PA_PTS_CAP_D | PA_PTS_CAP_T)
#define OUR_DH_HASHES (PA_PTS_ALGO_SHA1 | PA_PTS_ALGO_SHA256 | PA_PTS_ALGO_SHA384)
#define NONCE_LEN 20 /* ours, unless the IMV asks for more (the seeds' length) */
#define ATTR_VALUE_MAX (64u * 1024)

struct imc_attest {
	const struct imc_attest_config *cfg;
	struct tpm *tpm;
	struct tpm_aik *aik;
	struct tpm_info info;
	unsigned banks; /* the TPM's PCR banks, DIGEST_BIT()s */
	uint16_t algo;  /* the selected measurement algorithm, 0 before */
	struct pts_dh *dh;
	uint8_t our_nonce[PTS_DH_MAX_NONCE];
	size_t our_nonce_len;
	uint8_t nonce[PTS_DH_MAX_HASH]; /* agreed for the quote */
	size_t nonce_len;
	bool want_bios, want_ima;
	size_t msg_max; /* our PA messages, bounded by a contract */
	struct imc_msg *queue, **tail;
};

/* The PA messages being built in answer to one from an IMV. */
struct reply {
	struct imc_attest *imc;
	uint16_t imv;
	struct pa_tnc_builder b;
	bool open;
};

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS},
	{PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ},
	{PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO},
	{PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK},
	{PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID},
	{PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID},
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
	imc->tail = &imc->queue;
	imc->msg_max = IMC_ATTEST_MSG_MAX;
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
	if (pa->vendor != IMC_ATTEST_VENDOR || pa->subtype != IMC_ATTEST_SUBTYPE)
		return false;
	return !(pa->flags & PB_PA_FLAG_EXCL) || pa->collector_id == IMC_ATTEST_ID;
}

struct imc_msg *
imc_attest_take(struct imc_attest *imc)
{
	struct imc_msg *m = imc->queue;

	if (m) {
		imc->queue = m->next;
		if (!imc->queue)
			imc->tail = &imc->queue;
		m->next = NULL;
	}
	return m;
}

void
imc_attest_drop(struct imc_attest *imc)
{
	for (struct imc_msg *m = imc_attest_take(imc); m; m = imc_attest_take(imc))
		free(m);
}

static uint32_t
random_msg_id(void)
{
	uint32_t id;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint32_t)rand();
	return id;
}

/* Queues the message being built, if it has anything. */
static void
reply_flush(struct reply *r)
{
	struct bytes msg;

	if (!r->open)
		return;
	int err = pa_tnc_builder_finish(&r->b, &msg);
	if (err) {
		LOG(IMV, 0, "cannot build a PA-TNC message: %s", tnc_strerror(err));
	} else {
		struct imc_msg *m = malloc(sizeof(*m) + msg.len);
		if (!m)
			abort();
		*m = (struct imc_msg){NULL, r->imv == PB_PA_ID_ANY ? 0 : PB_PA_FLAG_EXCL, r->imv,
		    msg.len};
		memcpy(m->data, msg.ptr, msg.len);
		*r->imc->tail = m;
		r->imc->tail = &m->next;
	}
	pa_tnc_builder_clear(&r->b);
	r->open = false;
}

/* Appends an attribute, in a new message when it would make the current
 * one larger than msg_max. */
static void
reply_add(struct reply *r, uint32_t vendor, uint32_t type, struct bytes value)
{
	size_t attr_len = PA_TNC_ATTR_HEADER_LEN + value.len;

	if (r->open && r->b.w.len + attr_len > r->imc->msg_max)
		reply_flush(r);
	if (!r->open) {
		uint32_t id = random_msg_id();
		LOG(IMV, 2, "creating PA-TNC message with ID 0x%08x", id);
		/* one attribute larger than msg_max still goes, alone */
		pa_tnc_builder_init(&r->b, id, PA_TNC_HEADER_LEN + (attr_len > r->imc->msg_max ?
		    attr_len : r->imc->msg_max));
		r->open = true;
	}
	LOG(IMV, 3, "creating PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(vendor, type), vendor, type);
	pa_tnc_builder_add(&r->b, 0, vendor, type, value);
}

/* Appends the attribute a typed encoder wrote to w, and clears w. */
static void
reply_put(struct reply *r, uint32_t vendor, uint32_t type, struct wire_writer *w)
{
	if (wire_writer_status(w) == 0)
		reply_add(r, vendor, type, (struct bytes){w->buf, w->len});
	else
		LOG(IMV, 0, "cannot encode attribute '%s': %s", pa_tnc_attr_name(vendor, type),
		    tnc_strerror(wire_writer_status(w)));
	wire_writer_clear(w);
}

static void
on_evidence(void *ctx, uint32_t vendor, uint32_t type, struct bytes value)
{
	reply_add(ctx, vendor, type, value);
}

static void
add_error(struct reply *r, const uint8_t *msg, size_t len, const struct parse_error *pe)
{
	struct pa_ietf_error e;
	struct wire_writer w;

	pa_ietf_error_from_parse(msg, len, pe, &e);
	LOG(IMV, 1, "sending PA-TNC error '%s' (offset %u)",
	    pa_tnc_error_code_name(PA_TNC_VENDOR_IETF, pe->code), pe->offset);
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_ietf_error_encode(&w, &e);
	reply_put(r, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, &w);
}

/* A value the IMC cannot work with: Invalid Parameter at offset. */
static int
refuse(struct parse_error *pe, uint32_t offset, const char *reason)
{
	return parse_fail(pe, TNC_EINVALID, PA_TNC_ERROR_INVALID_PARAMETER, offset, reason);
}

static int
on_caps(struct reply *r, struct bytes value, struct parse_error *pe)
{
	uint32_t caps;
	char text[PA_PTS_TEXT_MAX];
	struct wire_writer w;
	int err = pa_pts_caps_decode(value, &caps, pe);

	if (err)
		return err;
	LOG(PTS, 1, "requested PTS protocol capabilities: %s",
	    pa_pts_caps_text(text, sizeof(text), caps));
	LOG(PTS, 1, "supported PTS protocol capabilities: %s",
	    pa_pts_caps_text(text, sizeof(text), OUR_CAPS));
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_pts_caps_encode(&w, OUR_CAPS);
	reply_put(r, PA_TNC_VENDOR_TCG, PA_PTS_PROTO_CAPS, &w);
	return 0;
}

/* The digest_alg of one PA_PTS_ALGO_* bit (SHA-512 is never selected). */
static enum digest_alg
algo_digest(uint16_t algo)
{
	return algo == PA_PTS_ALGO_SHA1 ? DIGEST_SHA1 :
	    algo == PA_PTS_ALGO_SHA384 ? DIGEST_SHA384 : DIGEST_SHA256;
}

static int
on_algo_request(struct reply *r, struct bytes value, struct parse_error *pe)
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
		if ((offered & preference[i]) && (imc->banks & DIGEST_BIT(algo_digest(preference[i]))))
			imc->algo = preference[i];
	if (!imc->algo)
		return refuse(pe, 2, "no offered measurement algorithm is a PCR bank of the TPM");
	LOG(PTS, 1, "selected PTS measurement algorithm is %s", pa_pts_algo_name(imc->algo));
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_pts_algo_encode(&w, imc->algo);
	reply_put(r, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO, &w);
	return 0;
}

static int
on_dh_request(struct reply *r, struct bytes value, struct parse_error *pe)
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
		return refuse(pe, 2, "no offered D-H group is supported");
	pts_dh_free(imc->dh);
	imc->nonce_len = 0;
	imc->our_nonce_len = req.min_nonce_len > NONCE_LEN ? req.min_nonce_len : NONCE_LEN;
	if (!(imc->dh = pts_dh_new((enum pts_dh_group)group, (struct bytes){NULL, 0})) ||
	    pts_dh_random_nonce(imc->our_nonce, imc->our_nonce_len) != 0) {
		LOG(PTS, 0, "cannot make a D-H key pair in %s", pa_pts_dh_group_name(group));
		return refuse(pe, 2, "D-H key pair not made");
	}
	LOG(PTS, 1, "selected PTS DH group is %s", pa_pts_dh_group_name(group));
	LOG(PTS, 1, "nonce length is %zu", imc->our_nonce_len);
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_pts_dh_response_encode(&w, &(struct pa_pts_dh_response){group, OUR_DH_HASHES,
	    {imc->our_nonce, imc->our_nonce_len}, pts_dh_public(imc->dh)});
	reply_put(r, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_RESP, &w);
	return 0;
}

static int
on_dh_finish(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	struct pa_pts_dh_finish f;
	int err = pa_pts_dh_finish_decode(value, &f, pe);

	if (err)
		return err;
	if (!imc->dh)
		return refuse(pe, 0, "D-H Nonce Finish without Parameters Request");
	if (!(f.hash_algo & OUR_DH_HASHES))
		return refuse(pe, 0, "D-H hash algorithm not offered");
	if (pts_dh_set_peer(imc->dh, f.public_value) != 0)
		return refuse(pe, 4, "D-H public value refused");
	if (pts_dh_derive_nonce(imc->dh, (enum pts_dh_hash)f.hash_algo, f.nonce,
	    (struct bytes){imc->our_nonce, imc->our_nonce_len}, imc->nonce, &imc->nonce_len) != 0)
		return refuse(pe, 0, "D-H nonce not derived");
	LOG(PTS, 1, "selected DH hash algorithm is %s", pa_pts_algo_name(f.hash_algo));
	LOG(PTS, 2, "agreed on a nonce of %zu octets for the quote", imc->nonce_len);
	return 0;
}

/* TPM 2.0 in strongSwan's 16-octet layout, with the boot's startup
 * locality (the event log's; 0 without one). */
static int
on_get_version(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	struct wire_writer w;
	char text[PA_PTS_TEXT_MAX];
	int locality = -1;
	int err = pa_pts_reserved_decode(value, pe);

	if (err)
		return err;
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
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_pts_tpm_version_encode(&w, &v);
	reply_put(r, PA_TNC_VENDOR_TCG, PA_PTS_TPM_VERSION_INFO, &w);
	return 0;
}

static int
on_get_aik(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct imc_attest *imc = r->imc;
	struct wire_writer w;
	size_t len;
	int err = pa_pts_reserved_decode(value, pe);

	if (err)
		return err;
	const uint8_t *der = tpm_aik_public_der(imc->aik, &len);
	const uint8_t *id = tpm_aik_keyid(imc->aik);
	char hex[TPM_AIK_KEYID_SIZE * 3];
	for (size_t i = 0; i < TPM_AIK_KEYID_SIZE; i++)
		snprintf(hex + 3 * i, 4, "%02x%s", id[i], i + 1 < TPM_AIK_KEYID_SIZE ? ":" : "");
	LOG(PTS, 1, "AIK with keyid %s", hex);
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_pts_aik_encode(&w, &(struct pa_pts_aik){true, {der, len}});
	reply_put(r, PA_TNC_VENDOR_TCG, PA_PTS_AIK, &w);
	return 0;
}

static int
on_get_symlinks(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct bytes dir;
	char path[256];
	struct wire_writer w;
	int err = pa_pts_symlinks_request_decode(value, &dir, pe);

	if (err)
		return err;
	if (dir.len == 0 || dir.len >= sizeof(path) || dir.ptr[0] != '/')
		return refuse(pe, 0, "not an absolute directory path");
	memcpy(path, dir.ptr, dir.len);
	path[dir.len] = 0;
	struct imc_links *links = malloc(sizeof(*links));
	if (!links)
		abort();
	imc_links_collect(r->imc->cfg->symlinks_root ? r->imc->cfg->symlinks_root : path, links);
	LOG(PTS, 1, "%zu directory symlinks in '%s'", links->count, path);
	for (size_t i = 0; i < links->count; i++)
		LOG(PTS, 2, "  %.*s -> %.*s", (int)links->links[i].link.len,
		    (const char *)links->links[i].link.ptr, (int)links->links[i].dir.len,
		    (const char *)links->links[i].dir.ptr);
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_pts_symlinks_encode(&w, links->links, links->count);
	reply_put(r, PA_TNC_VENDOR_ITA, PA_ITA_SYMLINKS, &w);
	free(links);
	return 0;
}

/* strongSwan's components: ITA-HSR 'Linux IMA' with qualifier Trusted
 * Platform (the BIOS log) or Operating System (the IMA list). */
static int
on_comp_request(struct reply *r, struct bytes value, struct parse_error *pe)
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
add_log_evidence(struct reply *r, bool wanted, const char *path, const char *what,
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
	if (fn(log, len, algo_digest(r->imc->algo), &sink, &n, why, sizeof(why)) != 0) {
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
	int err = tpm_quote(imc->aik, algo_digest(imc->algo), pcrs, nonce, imc->nonce_len, ret);
	if (err) {
		LOG(PTS, 0, "TPM quote failed: %s", tpm_error(imc->tpm));
		return err;
	}
	if (replay)
		save_quote(cfg->replay_file, ret);
	return 0;
}

static int
on_generate(struct reply *r, struct bytes value, struct parse_error *pe)
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
	if (!imc->algo)
		return refuse(pe, 0, "no measurement algorithm was selected");
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
	LOG(PTS, 1, "quoting PCRs 0x%06x in the %s bank", pcrs, digest_name(algo_digest(imc->algo)));
	if (imc_evidence_final(&q, TPM2_ALG_SHA256, &sink, why, sizeof(why)) != 0)
		LOG(PTS, 0, "%s", why);
	tpm_quote_clear(&q);
	return 0;
}

/* Answered, and its sizes bound our messages (we never segment). */
static int
on_contract(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_segment_contract req, ours;
	struct wire_writer w;
	int err = pa_segment_contract_decode(value, &req, pe);

	if (err)
		return err;
	LOG(IMV, 1, "IMC %u received a segmentation contract request from IMV %u",
	    IMC_ATTEST_ID, r->imv);
	ours = (struct pa_segment_contract){req.max_msg_size,
	    req.max_seg_size < IMC_ATTEST_MSG_MAX ? req.max_seg_size : IMC_ATTEST_MSG_MAX};
	r->imc->msg_max = IMC_ATTEST_MSG_MAX;
	if (ours.max_seg_size < r->imc->msg_max)
		r->imc->msg_max = ours.max_seg_size;
	if (ours.max_msg_size < r->imc->msg_max)
		r->imc->msg_max = ours.max_msg_size;
	LOG(IMV, 1, "  maximum segment size of %u bytes", ours.max_seg_size);
	wire_writer_init(&w, ATTR_VALUE_MAX);
	pa_segment_contract_encode(&w, &ours);
	reply_put(r, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, &w);
	return 0;
}

static int
on_assessment(struct reply *r, struct bytes value, struct parse_error *pe)
{
	uint32_t result;
	int err = pa_ietf_assessment_result_decode(value, &result, pe);

	if (!err)
		LOG(IMV, 1, "IMV %u assessment result is '%s'", r->imv,
		    pa_ietf_assessment_result_name(result));
	return err;
}

static int
on_remediation(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_ietf_remediation rem;
	int err = pa_ietf_remediation_decode(value, &rem, pe);

	if (!err)
		LOG(IMV, 1, "IMV %u sends remediation instructions (%zu bytes)", r->imv,
		    rem.text.len);
	return err;
}

static int
on_error(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_ietf_error e;
	int err = pa_ietf_error_decode(value, &e, pe);

	if (!err)
		LOG(IMV, 0, "IMV %u reports PA-TNC error '%s' (vendor 0x%06x, code %u)", r->imv,
		    pa_tnc_error_code_name(e.vendor, e.code), e.vendor, e.code);
	return err;
}

typedef int attr_handler(struct reply *r, struct bytes value, struct parse_error *pe);

static attr_handler *
handler_for(const struct pa_tnc_attr *a)
{
	if (a->vendor == PA_TNC_VENDOR_TCG) {
		switch (a->type) {
		case PA_PTS_REQ_PROTO_CAPS: return on_caps;
		case PA_PTS_MEAS_ALGO_REQ: return on_algo_request;
		case PA_PTS_DH_NONCE_PARAMS_REQ: return on_dh_request;
		case PA_PTS_DH_NONCE_FINISH: return on_dh_finish;
		case PA_PTS_GET_TPM_VERSION_INFO: return on_get_version;
		case PA_PTS_GET_AIK: return on_get_aik;
		case PA_PTS_REQ_FUNC_COMP_EVID: return on_comp_request;
		case PA_PTS_GEN_ATTEST_EVID: return on_generate;
		case PA_SEGMENT_CONTRACT_REQUEST: return on_contract;
		}
	} else if (a->vendor == PA_TNC_VENDOR_ITA && a->type == PA_ITA_GET_SYMLINKS) {
		return on_get_symlinks;
	} else if (a->vendor == PA_TNC_VENDOR_IETF) {
		switch (a->type) {
		case PA_IETF_ASSESSMENT_RESULT: return on_assessment;
		case PA_IETF_REMEDIATION_INSTRUCTIONS: return on_remediation;
		case PA_IETF_PA_TNC_ERROR: return on_error;
		}
	}
	return NULL;
}

void
imc_attest_receive(struct imc_attest *imc, const struct pb_pa *pa)
{
	struct pa_tnc_limits lim = {MAX_RECV_LEN, MAX_ATTRS, supported,
	    sizeof(supported) / sizeof(supported[0])};
	struct reply r = {.imc = imc, .imv = pa->validator_id};
	struct pa_tnc_msg m;
	struct parse_error pe;

	LOG(IMV, 1, "IMC %u \"%s\" received a message from IMV %u", IMC_ATTEST_ID, IMC_NAME,
	    pa->validator_id);
	int err = pa_tnc_msg_parse(pa->body.ptr, pa->body.len, &lim, &m, &pe);
	if (err) {
		LOG(IMV, 0, "bad PA-TNC message from IMV %u: %s at offset %u", pa->validator_id,
		    pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
		add_error(&r, pa->body.ptr, pa->body.len, &pe);
		reply_flush(&r);
		return;
	}
	for (size_t i = 0; i < m.count; i++) {
		const struct pa_tnc_attr *a = &m.attrs[i];
		attr_handler *h = handler_for(a);
		LOG(IMV, 2, "processing PA-TNC attribute type '%s' 0x%06x/0x%08x",
		    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
		if (!h) {
			LOG(IMV, 1, "ignoring PA-TNC attribute type '%s' 0x%06x/0x%08x",
			    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
			continue;
		}
		err = h(&r, a->value, &pe);
		if (err) {
			pa_tnc_attr_rebase_error(a, &pe);
			LOG(IMV, 0, "bad attribute '%s' from IMV %u: %s at offset %u",
			    pa_tnc_attr_name(a->vendor, a->type), pa->validator_id,
			    pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
			add_error(&r, pa->body.ptr, pa->body.len, &pe);
			break;
		}
	}
	pa_tnc_msg_clear(&m);
	reply_flush(&r);
}
