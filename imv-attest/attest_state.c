/* attest_state.c - one connection's attestation (see attest_state.h).
 *
 * The flow of the seeds: with product and device from the Operating System
 * messages the IMV asks tnc-policy for its workitems (the batch held).
 * With a TPMRA workitem it asks the PTS IMC for its capabilities and
 * measurement algorithm (with a Segmentation Contract Request), then the
 * D-H nonce parameters, then finishes the D-H exchange and asks for the
 * TPM version and the AIK.  An AIK certificate that chains to a CA of
 * aik_ca_dir is trusted; otherwise tnc-policy is asked for the device's
 * registered key id (the batch held).  Trusted, the IMV asks for the
 * symlinks, the functional component evidence and the quote, and verifies
 * the evidence batch by batch as it arrives; the IMA files of each batch
 * go to tnc-policy, the batch held until their verdicts are back.  With
 * the quote and every verdict in, it judges its workitems, reports them
 * to tnc-policy and sends the Assessment Result and its recommendation.
 * File workitems (attest_filemeas.h) ask with the capabilities; without a
 * TPMRA workitem the IMV asks nothing more (no TPM is needed) and decides
 * once their answers are in and tnc-policy judged the measured files.
 * Without tnc-policy the recommendation is "no access"; a malformed
 * message ends the assessment with "no access" and evaluation "error".
 */
#include "attest_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attest_attrs.h"
#include "imv_policy.h"
#include "log.h"
#include "pa_pts_comp.h"
#include "pa_pts_symlinks.h"

static void
reset(struct attest_state *st)
{
	imv_reasm_drop(&st->reasm);
	attest_files_clear(&st->files);
	attest_files_init(&st->files);
	attest_filemeas_clear(&st->fm);
	attest_evidence_clear(&st->ev);
	attest_evidence_init(&st->ev, st->cfg->max_events);
	attest_aik_clear(&st->aik);
	pts_dh_free(st->dh);
	st->dh = NULL;
	imv_link_reset(&st->link);
	st->phase = ATTEST_PHASE_START;
	st->seq = 0;
	st->held = st->have_items = false;
	st->items.n = 0;
	imv_endpoint_clear(&st->endpoint);
	st->got_caps = st->got_algo = st->got_version = st->got_final = false;
	memset(&st->tpm12, 0, sizeof(st->tpm12));
	memset(&st->imasig, 0, sizeof(st->imasig));
	st->have_aik = st->aik_trusted = false;
	st->aik_problem[0] = 0;
	st->nonce_len = st->my_nonce_len = 0;
	st->failed = false;
	st->failure[0] = 0;
}

struct attest_state *
attest_state_new(const struct attest_config *cfg, const struct attest_policy_port *port,
    void *port_ctx, uint32_t conn_id, uint32_t max_msg)
{
	struct attest_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->cfg = cfg;
	st->port = port;
	st->port_ctx = port_ctx;
	imv_link_init(&st->link, ATTEST_IMV_ID, PA_TNC_VENDOR_TCG, PA_TNC_SUBTYPE_TCG_PTS, conn_id,
	    max_msg, cfg->max_segment_size);
	attest_evidence_init(&st->ev, cfg->max_events);
	attest_files_init(&st->files);
	reset(st);
	return st;
}

void
attest_state_free(struct attest_state *st)
{
	if (!st)
		return;
	imv_reasm_drop(&st->reasm);
	attest_files_clear(&st->files);
	attest_filemeas_clear(&st->fm);
	attest_evidence_clear(&st->ev);
	attest_aik_clear(&st->aik);
	pts_dh_free(st->dh);
	imv_link_clear(&st->link);
	free(st);
}

void
attest_state_restart(struct attest_state *st)
{
	LOG(IMV, 2, "IMV %u starts a new assessment of Connection ID %u", ATTEST_IMV_ID,
	    st->link.conn_id);
	reset(st);
}

void
attest_state_fail(void *state, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc)
{
	struct attest_state *st = state;
	imv_reasm_drop(&st->reasm);
	imv_link_malformed(&st->link, msg, len, pe, what, tell_imc, st->failure,
	    sizeof(st->failure));
	st->failed = true;
}

void
attest_state_receive(struct attest_state *st, bool pts, uint16_t imc_id, const uint8_t *msg,
    size_t len)
{
	if (pts)
		st->link.imc_id = imc_id;
	if (st->failed || st->phase == ATTEST_PHASE_DECIDED) {
		if (pts)
			LOG(IMV, 1, "IMV %u ignores a message of IMC %u after %s", ATTEST_IMV_ID, imc_id,
			    st->failed ? "a malformed one" : "its decision");
		return;
	}
	attest_attrs_process(st, pts, msg, len);
}

/* --- outgoing messages --- */

static void
recommend(struct attest_state *st, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	st->phase = ATTEST_PHASE_DECIDED;
	attest_files_clear(&st->files);
	imv_link_recommend(&st->link, out, rec, eval, reason);
}

static void
conclude(struct attest_state *st, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	imv_link_assessment(&st->link, out, eval);
	recommend(st, out, rec, eval, reason);
}

/* Each workitem judged, logged and told to tnc-policy, then the IMV's own
 * recommendation: the worst result. */
static void
decide(struct attest_state *st, struct imv_out *out, const char *noresult)
{
	struct attest_findings f = {st->got_final, NULL, noresult, &st->ev, &st->files, &st->fm};
	struct attest_result r;
	struct imv_tally tally;
	char reason[ATTEST_RESULT_MAX] = "no workitems - no evaluation requested";

	if (st->have_aik && !st->aik_trusted && st->aik_problem[0])
		f.refusal = st->aik_problem;
	/* a file whose signature fails fails the evidence, named, once all is counted */
	if (st->imasig.failed && !st->ev.failed) {
		st->ev.failed = true;
		snprintf(st->ev.reason, sizeof(st->ev.reason), "%s", st->imasig.failure);
	}
	imv_tally_init(&tally, st->items.n);
	if (st->items.n == 0)
		LOG(IMV, 1, "IMV %u has no workitems - no evaluation requested", ATTEST_IMV_ID);
	for (unsigned i = 0; i < st->items.n; i++) {
		const struct imv_workitem *it = &st->items.item[i];
		attest_verdict_item(it, st->items.argument[i], &f, &r);
		imv_workitem_report(ATTEST_IMV_ID, st->link.conn_id, it, r.failed, r.rec, r.text,
		    st->port->result, st->port_ctx);
		imv_tally_add(&tally, r.rec, r.failed, r.noresult);
		if (i == 0 || r.failed)
			snprintf(reason, sizeof(reason), "%s: %.480s", it->type_name, r.text);
	}
	conclude(st, out, tally.rec, imv_tally_eval(&tally), reason);
}

static void
refuse(struct attest_state *st, struct imv_out *out, enum imv_evaluation eval,
    const char *why)
{
	imv_reasm_drop(&st->reasm);
	conclude(st, out, IMV_REC_NO_ACCESS, eval, why);
}

static void
ask_workitems(struct attest_state *st, struct imv_out *out)
{
	const struct imv_endpoint *e = &st->endpoint;
	char product[2 * IMV_ENDPOINT_TEXT_MAX], why[160];
	imv_endpoint_product(product, sizeof(product), e->product, e->have_version, e->version);
	st->seq = imv_policy_seq();
	int err = st->port->workitems(st->port_ctx, st->seq, product, e->device);
	if (err) {
		snprintf(why, sizeof(why), "no workitems from tnc-policy: %s", tnc_strerror(err));
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	st->phase = ATTEST_PHASE_POLICY;
	st->held = out->hold = true;
}

/* Capabilities and the measurement algorithm, with our contract request. */
static void
ask_caps(struct attest_state *st, struct imv_out *out)
{
	imv_link_begin(&st->link);
	imv_contract_ask(&st->link.contract, &st->link.out);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_REQ_PROTO_CAPS);
	pa_pts_caps_encode(&st->link.out.b.w, PA_PTS_CAP_V | PA_PTS_CAP_D | PA_PTS_CAP_T);
	imv_msg_attr_end(&st->link.out);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_MEAS_ALGO_REQ);
	pa_pts_algo_encode(&st->link.out.b.w, PA_PTS_ALGO_SHA1 | PA_PTS_ALGO_SHA256 |
	    PA_PTS_ALGO_SHA384);
	imv_msg_attr_end(&st->link.out);
	/* the IMC takes them after the algorithm: their digests are in it */
	attest_filemeas_requests(&st->fm, &st->link.out.b);
	imv_link_send(&st->link, out);
	st->phase = ATTEST_PHASE_CAPS;
}

static void
ask_dh(struct attest_state *st, struct imv_out *out)
{
	struct pa_pts_dh_request r = {ATTEST_MIN_NONCE, PA_PTS_DH_MODP1024 | PA_PTS_DH_MODP1536 |
	    PA_PTS_DH_MODP2048 | PA_PTS_DH_ECP256 | PA_PTS_DH_ECP384};
	imv_link_begin(&st->link);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_PARAMS_REQ);
	pa_pts_dh_request_encode(&st->link.out.b.w, &r);
	imv_msg_attr_end(&st->link.out);
	imv_link_send(&st->link, out);
	st->phase = ATTEST_PHASE_DH;
}

static void
ask_tpm(struct attest_state *st, struct imv_out *out)
{
	struct pa_pts_dh_finish f = {st->dh_hash, pts_dh_public(st->dh),
	    {st->my_nonce, st->my_nonce_len}};
	imv_link_begin(&st->link);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_DH_NONCE_FINISH);
	pa_pts_dh_finish_encode(&st->link.out.b.w, &f);
	imv_msg_attr_end(&st->link.out);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_GET_TPM_VERSION_INFO);
	pa_pts_reserved_encode(&st->link.out.b.w);
	imv_msg_attr_end(&st->link.out);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_GET_AIK);
	pa_pts_reserved_encode(&st->link.out.b.w);
	imv_msg_attr_end(&st->link.out);
	imv_link_send(&st->link, out);
	st->phase = ATTEST_PHASE_TPM;
}

/* Symlinks, the components of the TPMRA argument and the quote. */
static void
ask_evidence(struct attest_state *st, struct imv_out *out)
{
	const char *argument = attest_items_argument(&st->items, attest_items_tpmra(&st->items));
	struct pa_pts_comp_request_entry e[3];
	size_t n = 0;
	uint8_t flags = PA_PTS_REQ_FLAG_PCR;

	if (attest_item_wants(argument, 'B'))
		e[n++] = (struct pa_pts_comp_request_entry){flags, 0, {PA_TNC_VENDOR_ITA,
		    PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_TRUSTED, PA_PTS_ITA_COMP_IMA}};
	if (attest_item_wants(argument, 'T'))
		e[n++] = (struct pa_pts_comp_request_entry){flags, 0, {PA_TNC_VENDOR_ITA,
		    PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_TRUSTED, PA_PTS_ITA_COMP_TBOOT}};
	if (attest_item_wants(argument, 'I'))
		e[n++] = (struct pa_pts_comp_request_entry){flags, 0, {PA_TNC_VENDOR_ITA,
		    PA_PTS_QUALIFIER_KERNEL | PA_PTS_QUALIFIER_OS, PA_PTS_ITA_COMP_IMA}};
	LOG(IMV, 1, "IMV %u requests evidence of %zu functional components and a quote",
	    ATTEST_IMV_ID, n);
	imv_link_begin(&st->link);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_ITA, PA_ITA_GET_SYMLINKS);
	pa_pts_symlinks_request_encode(&st->link.out.b.w, (struct bytes){(const uint8_t *)"/", 1});
	imv_msg_attr_end(&st->link.out);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_REQ_FUNC_COMP_EVID);
	pa_pts_comp_request_encode(&st->link.out.b.w, e, n);
	imv_msg_attr_end(&st->link.out);
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_TCG, PA_PTS_GEN_ATTEST_EVID);
	pa_pts_reserved_encode(&st->link.out.b.w);
	imv_msg_attr_end(&st->link.out);
	imv_link_send(&st->link, out);
	st->phase = ATTEST_PHASE_EVIDENCE;
}

/* The AIK: trusted by its certificate, or asked of tnc-policy. */
static void
check_aik(struct attest_state *st, struct imv_out *out)
{
	char why[160];
	if (attest_aik_have_cas() && st->aik.cert) {
		if (attest_aik_cert_trusted(&st->aik, why, sizeof(why))) {
			st->aik_trusted = true;
			LOG(IMV, 1, "AIK certificate is trusted");
			ask_evidence(st, out);
			return;
		}
		LOG(IMV, 1, "%s; asking for the device's registered AIK", why);
	}
	st->seq = imv_policy_seq();
	int err = st->port->aik(st->port_ctx, st->seq);
	if (err) {
		snprintf(why, sizeof(why), "cannot ask tnc-policy for the device's AIK: %s",
		    tnc_strerror(err));
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	st->phase = ATTEST_PHASE_AIK;
	st->held = out->hold = true;
}

/* File lists ready go to tnc-policy; under back-pressure (TNC_EAGAIN) the
 * rest wait for attest_state_policy_drained(). */
static int
send_lookups(struct attest_state *st)
{
	struct attest_lookup *lk;
	while ((lk = attest_files_next(&st->files))) {
		uint32_t seq = imv_policy_seq();
		struct ipc_policy_files m = attest_lookup_msg(lk);
		int err = st->port->files(st->port_ctx, seq, &m);
		if (err == TNC_EAGAIN)
			return 0;
		if (err)
			return err;
		attest_files_sent(&st->files, lk, seq);
	}
	return 0;
}

/* The lists of the file workitems to tnc-policy, as send_lookups(). */
static int
send_file_lookups(struct attest_state *st)
{
	struct attest_freq *rq;
	while ((rq = attest_filemeas_next(&st->fm))) {
		uint32_t seq = imv_policy_seq();
		struct ipc_policy_files m = attest_filemeas_msg(&st->fm, rq);
		int err = st->port->files(st->port_ctx, seq, &m);
		if (err == TNC_EAGAIN)
			return 0;
		if (err)
			return err;
		attest_filemeas_sent(rq, seq);
	}
	return 0;
}

/* Only file workitems (no TPMRA, no TPM needed): their measurements to
 * tnc-policy, then, with every request answered and judged, the decision. */
static void
files_step(struct attest_state *st, struct imv_out *out)
{
	char why[160];
	int err = send_file_lookups(st);
	if (err) {
		snprintf(why, sizeof(why), "cannot ask tnc-policy for file verdicts: %s",
		    tnc_strerror(err));
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	if (attest_filemeas_pending(&st->fm)) {
		st->held = out->hold = true;
		return;
	}
	if (attest_filemeas_unanswered(&st->fm)) {
		imv_link_flush(&st->link, out);
		return;
	}
	decide(st, out, NULL);
}

/* Evidence phase: verdicts of the files received so far, then, with the
 * quote in and nothing outstanding, the decision. */
static void
evidence_step(struct attest_state *st, struct imv_out *out)
{
	char why[160];
	attest_files_flush(&st->files);
	int err = send_lookups(st);
	if (!err)
		err = send_file_lookups(st);
	if (err) {
		snprintf(why, sizeof(why), "cannot ask tnc-policy for file verdicts: %s",
		    tnc_strerror(err));
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	if (attest_files_pending(&st->files) || attest_filemeas_pending(&st->fm)) {
		st->held = out->hold = true;
		return;
	}
	if (st->got_final || st->ev.failed) {
		if (!st->ev.failed && st->ev.bios)
			LOG(PTS, 1, "%u BIOS evidence measurements are ok", st->ev.bios);
		LOG(PTS, 0, "processed %u IMA file evidence measurements: %u ok, %u unknown, "
		    "%u differ, %u failed", attest_evidence_files(&st->ev), st->files.ok, st->files.unknown,
		    st->files.differ, st->files.failed);
		decide(st, out, NULL);
		return;
	}
	imv_link_flush(&st->link, out);
}

/* What comes next, after a batch or an answer of tnc-policy. */
static void
go_on(struct attest_state *st, struct imv_out *out)
{
	switch (st->phase) {
	case ATTEST_PHASE_START:
		/* The OS IMV asks for what the first batch lacked; a client that
		 * still has not said it will not: the IMV cannot plan, and a
		 * silent IMV would keep the handshake going (empty batches). */
		if (imv_endpoint_known(&st->endpoint))
			ask_workitems(st, out);
		else if (++st->batches_unknown >= 2) /* decided without a word to the IMC */
			recommend(st, out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW,
			    "no product and device ID received");
		else
			imv_link_flush(&st->link, out);
		return;
	case ATTEST_PHASE_CAPS:
		if (st->got_caps && st->got_algo && attest_items_tpmra(&st->items))
			ask_dh(st, out);
		else if (st->got_caps && st->got_algo)
			files_step(st, out);
		else
			imv_link_flush(&st->link, out);
		return;
	case ATTEST_PHASE_DH:
		if (st->nonce_len)
			ask_tpm(st, out);
		else
			imv_link_flush(&st->link, out);
		return;
	case ATTEST_PHASE_TPM:
		if (st->have_aik && st->got_version)
			check_aik(st, out);
		else
			imv_link_flush(&st->link, out);
		return;
	case ATTEST_PHASE_EVIDENCE:
		evidence_step(st, out);
		return;
	case ATTEST_PHASE_POLICY:
	case ATTEST_PHASE_AIK:
	case ATTEST_PHASE_DECIDED:
		imv_link_flush(&st->link, out);
		return;
	}
}

static void
fail(struct attest_state *st, struct imv_out *out)
{
	imv_link_assessment(&st->link, out, PA_IETF_ASSESSMENT_ERROR);
	recommend(st, out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR, st->failure);
}

void
attest_state_batch_ending(struct attest_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == ATTEST_PHASE_DECIDED)
		imv_link_flush(&st->link, out);
	else if (st->failed)
		fail(st, out);
	else if (st->reasm)
		imv_link_next_segment(&st->link, st->reasm, out);
	else
		go_on(st, out);
}

void
attest_state_solicit(struct attest_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == ATTEST_PHASE_DECIDED)
		return;
	if (st->failed)
		fail(st, out);
	else if (!st->have_items)
		refuse(st, out, IMV_EVAL_DONT_KNOW, imv_endpoint_known(&st->endpoint) ?
		    "no workitems from tnc-policy" : "no product and device ID received");
	else if (st->phase == ATTEST_PHASE_EVIDENCE && st->got_final &&
	    !attest_files_pending(&st->files))
		decide(st, out, NULL);
	else
		decide(st, out, "the IMC did not complete the attestation");
}

void
attest_state_workitems(struct attest_state *st, uint32_t seq,
    const struct ipc_policy_workitems *w, struct imv_out *out)
{
	char why[160];
	memset(out, 0, sizeof(*out));
	if (st->phase != ATTEST_PHASE_POLICY || seq != st->seq) {
		LOG(IMV, 2, "IMV %u ignores workitems for Connection ID %u it did not wait for",
		    ATTEST_IMV_ID, st->link.conn_id);
		return;
	}
	st->held = false;
	out->done = true;
	if (!imv_workitems_answer(ATTEST_IMV_ID, st->link.conn_id, w, &attest_item_types,
	    st->items.item, &st->items.n, why, sizeof(why))) {
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	attest_items_arguments(w, &st->items);
	st->have_items = true;
	if (!attest_filemeas_plan(&st->fm, w) && !attest_items_tpmra(&st->items)) {
		decide(st, out, "no TPMRA workitem");
		return;
	}
	ask_caps(st, out);
}

void
attest_state_aik(struct attest_state *st, uint32_t seq, const struct ipc_policy_aik *a,
    struct imv_out *out)
{
	char keyid[IPC_POLICY_HASH_HEX_MAX + 1];
	memset(out, 0, sizeof(*out));
	if (st->phase != ATTEST_PHASE_AIK || seq != st->seq)
		return;
	st->held = false;
	out->done = true;
	if (a->status) {
		snprintf(st->aik_problem, sizeof(st->aik_problem),
		    "the device's AIK could not be looked up: %s", tnc_strerror(a->status));
		refuse(st, out, IMV_EVAL_ERROR, st->aik_problem);
		return;
	}
	bytes_cstr(a->keyid, keyid, sizeof(keyid));
	if (!keyid[0])
		snprintf(st->aik_problem, sizeof(st->aik_problem), "AIK %s is not registered for "
		    "device '%.64s'", st->aik.keyid_hex, st->endpoint.device);
	else if (strcmp(keyid, st->aik.keyid_hex))
		snprintf(st->aik_problem, sizeof(st->aik_problem), "AIK %s is not device '%.64s''s "
		    "registered AIK %s", st->aik.keyid_hex, st->endpoint.device, keyid);
	else if (!a->trusted)
		snprintf(st->aik_problem, sizeof(st->aik_problem), "device '%.64s' with AIK %s is not "
		    "trusted", st->endpoint.device, keyid);
	else
		st->aik_trusted = true;
	if (!st->aik_trusted) {
		LOG_WARN(IMV, "AIK public key is not trusted: %s", st->aik_problem);
		decide(st, out, NULL);
		return;
	}
	LOG(IMV, 1, "AIK public key is trusted");
	ask_evidence(st, out);
}

static void files_answered(struct attest_state *st, struct imv_out *out);

void
attest_state_file_verdicts(struct attest_state *st, uint32_t seq,
    const struct ipc_policy_file_verdicts *v, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (attest_files_answer(&st->files, seq, v) != 0 &&
	    attest_filemeas_verdicts(&st->fm, seq, v) != 0)
		return;
	files_answered(st, out);
}

void
attest_state_file_references(struct attest_state *st, uint32_t seq,
    const struct ipc_policy_file_references *r, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (attest_files_references(&st->files, seq, r) != 0)
		return;
	files_answered(st, out);
}

/* An answer of tnc-policy on files was counted: the batch goes on once
 * none is outstanding (the evidence, or only file workitems). */
static void
files_answered(struct attest_state *st, struct imv_out *out)
{
	bool evidence = st->phase == ATTEST_PHASE_EVIDENCE;
	if ((!evidence && st->phase != ATTEST_PHASE_CAPS) || attest_files_pending(&st->files) ||
	    attest_filemeas_pending(&st->fm))
		return;
	st->held = false;
	if (evidence)
		evidence_step(st, out);
	else
		files_step(st, out);
	out->done = !out->hold;
}

void
attest_state_policy_drained(struct attest_state *st, struct imv_out *out)
{
	char why[160];
	memset(out, 0, sizeof(*out));
	if ((st->phase != ATTEST_PHASE_EVIDENCE && st->phase != ATTEST_PHASE_CAPS) ||
	    (!attest_files_next(&st->files) && !attest_filemeas_next(&st->fm)))
		return;
	int err = send_lookups(st);
	if (!err)
		err = send_file_lookups(st);
	if (!err)
		return;
	snprintf(why, sizeof(why), "cannot ask tnc-policy for file verdicts: %s", tnc_strerror(err));
	refuse(st, out, IMV_EVAL_ERROR, why);
	out->done = true;
}

void
attest_state_policy_lost(struct attest_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (!st->held)
		return;
	st->held = false;
	LOG_WARN(IMV, "IMV %u: tnc-policy went away while Connection ID %u waited for it",
	    ATTEST_IMV_ID, st->link.conn_id);
	refuse(st, out, IMV_EVAL_ERROR, "tnc-policy went away");
	out->done = true;
}
