/* swima_state.c - one connection's software inventory assessment (see
 * swima_state.h).
 *
 * The flow of the seeds: with product and device from the Operating System
 * messages the IMV asks tnc-policy for its workitems, then for the
 * device's stored SWIMA state (the batch held).  Unknown: a SWIMA Request
 * for the whole inventory of identifiers (Earliest EID 0); known (epoch
 * e, last EID n): for the events from n + 1, and an answer of another
 * epoch is followed by a request for the whole inventory.  The first
 * request carries our Segmentation Contract Request and, when a workitem's
 * argument asks for it, the subscription flag.  The answer goes to
 * tnc-policy in chunks (the batch held until it is stored); for a SWIDT
 * workitem the IMV then asks which identifiers have no tag yet and asks
 * the IMC for their tags in a targeted request (at most
 * IPC_SW_UNTAGGED_MAX a session: the next session asks for more), stored
 * the same way.
 * Then each workitem's verdict is tnc-policy's (forbidden, required and
 * vulnerable software), its result reported, and the worst is the IMV's
 * recommendation with the Assessment Result.  A subscription's events,
 * arriving later on their own, are stored the same way.  Without
 * tnc-policy the recommendation is "no access"; a malformed message ends
 * the assessment with "no access" and evaluation "error".
 */
#include "swima_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_policy.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_swima.h"
#include "swima_attrs.h"

static void
reset(struct swima_state *st)
{
	imv_reasm_drop(&st->reasm);
	swima_upload_clear(&st->upload);
	imv_link_reset(&st->link);
	st->phase = SWIMA_PHASE_START;
	st->wait = SWIMA_WAIT_NONE;
	st->seq = 0;
	st->held = st->have_items = false;
	st->batches_unknown = st->verdicts_due = 0;
	st->items.n = 0;
	st->items.subscribe = false;
	imv_endpoint_clear(&st->endpoint);
	st->known = false;
	st->epoch = st->last_eid = 0;
	st->request = SWIMA_REQ_NONE;
	st->request_id = st->next_request_id = 0;
	st->answered = st->epoch_changed = false;
	st->refused[0] = 0;
	st->counts = (struct swima_counts){0};
	st->sub_upload = st->upload_blocked = false;
	st->failed = false;
	st->failure[0] = 0;
	st->contract_sent = false;
}

struct swima_state *
swima_state_new(const struct swima_config *cfg, const struct swima_policy_port *port,
    void *port_ctx, uint32_t conn_id, uint32_t max_msg)
{
	struct swima_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->cfg = cfg;
	st->port = port;
	st->port_ctx = port_ctx;
	imv_link_init(&st->link, SWIMA_IMV_ID, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_SWIMA, conn_id,
	    max_msg, cfg->max_segment_size);
	reset(st);
	return st;
}

void
swima_state_free(struct swima_state *st)
{
	if (!st)
		return;
	imv_reasm_drop(&st->reasm);
	swima_upload_clear(&st->upload);
	imv_link_clear(&st->link);
	free(st);
}

void
swima_state_restart(struct swima_state *st)
{
	LOG(IMV, 2, "IMV %u starts a new assessment of Connection ID %u", SWIMA_IMV_ID,
	    st->link.conn_id);
	reset(st); /* a subscription the IMC holds stays */
}

void
swima_state_fail(void *state, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc)
{
	struct swima_state *st = state;
	imv_reasm_drop(&st->reasm);
	swima_upload_clear(&st->upload);
	imv_link_malformed(&st->link, msg, len, pe, what, tell_imc, st->failure,
	    sizeof(st->failure));
	st->failed = true;
}

void
swima_state_receive(struct swima_state *st, bool swima, uint16_t imc_id, const uint8_t *msg,
    size_t len)
{
	if (swima)
		st->link.imc_id = imc_id;
	/* after the decision only a subscription's events are taken */
	if (st->failed || (st->phase == SWIMA_PHASE_DECIDED && !st->subscribed)) {
		if (swima)
			LOG(IMV, 1, "IMV %u ignores a message of IMC %u after %s", SWIMA_IMV_ID, imc_id,
			    st->failed ? "a malformed one" : "its decision");
		return;
	}
	swima_attrs_process(st, swima, msg, len);
}

/* --- outgoing messages --- */

static void
recommend(struct swima_state *st, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	st->phase = SWIMA_PHASE_DECIDED;
	st->wait = SWIMA_WAIT_NONE;
	st->upload_blocked = false;
	swima_upload_clear(&st->upload);
	imv_link_recommend(&st->link, out, rec, eval, reason);
}

static void
conclude(struct swima_state *st, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	imv_link_assessment(&st->link, out, eval);
	recommend(st, out, rec, eval, reason);
}

/* Each workitem judged, logged and told to tnc-policy, then the IMV's own
 * recommendation: the worst result. */
static void
decide(struct swima_state *st, struct imv_out *out, const char *noresult)
{
	struct swima_result r;
	struct imv_tally tally;
	char reason[SWIMA_RESULT_MAX + 16] = "no workitems - no evaluation requested";

	if (!noresult && st->refused[0])
		noresult = st->refused;
	imv_tally_init(&tally, st->items.n);
	if (st->items.n == 0)
		LOG(IMV, 1, "IMV %u has no workitems - no evaluation requested", SWIMA_IMV_ID);
	for (unsigned i = 0; i < st->items.n; i++) {
		const struct imv_workitem *it = &st->items.item[i];
		swima_item_result(it, &st->items.answer[i], &st->counts, noresult, &r);
		imv_workitem_report(SWIMA_IMV_ID, st->link.conn_id, it, r.failed, r.rec, r.text,
		    st->port->result, st->port_ctx);
		imv_tally_add(&tally, r.rec, r.failed, r.noresult);
		if (i == 0 || r.failed)
			snprintf(reason, sizeof(reason), "%s: %s", it->type_name, r.text);
	}
	conclude(st, out, tally.rec, imv_tally_eval(&tally), reason);
}

static void
refuse(struct swima_state *st, struct imv_out *out, enum imv_evaluation eval, const char *why)
{
	imv_reasm_drop(&st->reasm);
	conclude(st, out, IMV_REC_NO_ACCESS, eval, why);
}

/* A reply of tnc-policy was taken: a held batch is done unless another
 * answer is awaited. */
static void
settle(struct swima_state *st, struct imv_out *out)
{
	if (st->wait != SWIMA_WAIT_NONE || st->upload_blocked)
		return;
	st->held = false;
	out->done = true;
}

/* A request of tnc-policy could not go: the assessment ends. */
static void
policy_failed(struct swima_state *st, struct imv_out *out, const char *what, int err)
{
	char why[200];
	snprintf(why, sizeof(why), "%s: %s", what, tnc_strerror(err));
	LOG_WARN(IMV, "IMV %u: %s for Connection ID %u", SWIMA_IMV_ID, why, st->link.conn_id);
	refuse(st, out, IMV_EVAL_ERROR, why);
}

static void
ask_workitems(struct swima_state *st, struct imv_out *out)
{
	const struct imv_endpoint *e = &st->endpoint;
	char product[2 * IMV_ENDPOINT_TEXT_MAX];
	imv_endpoint_product(product, sizeof(product), e->product, e->have_version, e->version);
	st->seq = imv_policy_seq();
	int err = st->port->workitems(st->port_ctx, st->seq, product, e->device);
	if (err) {
		policy_failed(st, out, "no workitems from tnc-policy", err);
		return;
	}
	st->phase = SWIMA_PHASE_WORKING;
	st->wait = SWIMA_WAIT_WORKITEMS;
}

static void
ask_state(struct swima_state *st, struct imv_out *out)
{
	st->seq = imv_policy_seq();
	int err = st->port->state(st->port_ctx, st->seq);
	if (err)
		policy_failed(st, out, "cannot ask tnc-policy for the device's software state", err);
	else
		st->wait = SWIMA_WAIT_STATE;
}

static uint32_t
new_request_id(struct swima_state *st)
{
	uint32_t id = st->next_request_id++;
	if (id == 0 || (st->subscribed && id == st->sub_id))
		id = st->next_request_id++;
	return id;
}

/* A SWIMA Request: identifiers from earliest_eid (0: the whole inventory),
 * or (kind SWIMA_REQ_TAGS) the tags of ids[0..n). */
static void
send_request(struct swima_state *st, struct imv_out *out, enum swima_request kind,
    uint32_t earliest_eid, const struct bytes *ids, size_t n)
{
	struct pa_swima_request r = {0};
	bool subscribe = kind == SWIMA_REQ_IDS && !st->subscribed && st->items.subscribe;

	r.flags = (uint8_t)((kind == SWIMA_REQ_IDS ? PA_SWIMA_REQ_IDS_ONLY : 0) |
	    (subscribe ? PA_SWIMA_REQ_SUBSCRIBE : 0));
	r.request_id = new_request_id(st);
	r.earliest_eid = earliest_eid;
	imv_link_begin(&st->link);
	if (!st->contract_sent) {
		imv_contract_ask(&st->link.contract, &st->link.out);
		st->contract_sent = true;
	}
	imv_msg_attr_begin(&st->link.out, PA_TNC_VENDOR_IETF, PA_IETF_SWIMA_REQUEST);
	pa_swima_request_encode(&st->link.out.b.w, &r, ids, n);
	imv_msg_attr_end(&st->link.out);
	imv_link_send(&st->link, out);
	st->request = kind;
	st->request_id = r.request_id;
	st->answered = st->epoch_changed = false;
	st->refused[0] = 0;
	if (kind == SWIMA_REQ_TAGS)
		LOG(IMV, 1, "IMV %u issues sw request %u for the SWID tags of %zu identifiers",
		    SWIMA_IMV_ID, r.request_id, n);
	else
		LOG(IMV, 1, "IMV %u issues sw request %u with earliest eid %u", SWIMA_IMV_ID,
		    r.request_id, earliest_eid);
	if (subscribe) {
		st->subscribed = true;
		st->sub_id = r.request_id;
		LOG(IMV, 1, "IMV %u subscribes to the events of IMC %u with subscription %u",
		    SWIMA_IMV_ID, st->link.imc_id, st->sub_id);
	}
}

/* The events since the stored last EID, or the whole inventory. */
static void
request_ids(struct swima_state *st, struct imv_out *out)
{
	bool events = st->known && st->last_eid != UINT32_MAX;
	send_request(st, out, SWIMA_REQ_IDS, events ? st->last_eid + 1 : 0, NULL, 0);
}

static void
ask_untagged(struct swima_state *st, struct imv_out *out)
{
	st->seq = imv_policy_seq();
	int err = st->port->untagged(st->port_ctx, st->seq, IPC_SW_UNTAGGED_MAX);
	if (err)
		policy_failed(st, out, "cannot ask tnc-policy for the identifiers without a tag", err);
	else
		st->wait = SWIMA_WAIT_UNTAGGED;
}

static void
ask_verdicts(struct swima_state *st, struct imv_out *out)
{
	st->verdicts_due = 0;
	for (unsigned i = 0; i < st->items.n; i++) {
		struct swima_answer *a = &st->items.answer[i];
		a->seq = imv_policy_seq();
		a->answered = false;
		int err = st->port->verdict(st->port_ctx, a->seq, st->items.item[i].id);
		if (err) {
			policy_failed(st, out, "cannot ask tnc-policy for a verdict", err);
			return;
		}
		st->verdicts_due++;
	}
	st->wait = SWIMA_WAIT_VERDICTS;
}

/* Chunks of the upload to tnc-policy until one is answered or the channel
 * is full (then swima_state_policy_drained() goes on). */
static int
upload_go(struct swima_state *st)
{
	st->upload_blocked = false;
	while (swima_upload_pending(&st->upload)) {
		struct ipc_msg m;
		bool ask;
		swima_upload_next(&st->upload, &m, &ask);
		uint32_t seq = ask ? imv_policy_seq() : 0;
		int err = st->port->store(st->port_ctx, seq, &m);
		if (err == TNC_EAGAIN) {
			st->upload_blocked = true;
			return 0;
		}
		if (err)
			return err;
		swima_upload_sent(&st->upload);
		if (ask) {
			st->seq = seq;
			st->wait = SWIMA_WAIT_UPLOAD;
			return 0;
		}
	}
	return 0;
}

static const char *
upload_name(const struct swima_upload *u)
{
	return u->kind == SWIMA_UP_INVENTORY ? "software inventory" :
	    u->kind == SWIMA_UP_EVENTS ? "software events" : "SWID tags";
}

static void
upload_failed(struct swima_state *st, struct imv_out *out, int err)
{
	char what[96];
	snprintf(what, sizeof(what), "cannot hand the %s to tnc-policy", upload_name(&st->upload));
	if (st->sub_upload) { /* the assessment does not depend on it */
		LOG_WARN(IMV, "IMV %u %s of subscription %u: %s", SWIMA_IMV_ID, what, st->sub_id,
		    tnc_strerror(err));
		swima_upload_clear(&st->upload);
		st->wait = SWIMA_WAIT_NONE;
		st->upload_blocked = false;
		return;
	}
	policy_failed(st, out, what, err);
}

/* What comes next after a batch of the client (or a subscription's events
 * stored at its end). */
static void
go_on(struct swima_state *st, struct imv_out *out)
{
	switch (st->phase) {
	case SWIMA_PHASE_START:
		/* as the Attestation IMV: a client that twice said nothing of its
		 * product and device cannot be planned for */
		if (imv_endpoint_known(&st->endpoint))
			ask_workitems(st, out);
		else if (++st->batches_unknown >= 2)
			recommend(st, out, IMV_REC_NO_ACCESS, IMV_EVAL_DONT_KNOW,
			    "no product and device ID received");
		else
			imv_link_flush(&st->link, out);
		return;
	case SWIMA_PHASE_WORKING:
		if (st->wait != SWIMA_WAIT_NONE || st->request == SWIMA_REQ_NONE || !st->answered)
			imv_link_flush(&st->link, out);
		else if (st->epoch_changed) {
			LOG(IMV, 1, "IMV %u: epoch changed - the stored events of device '%s' are history",
			    SWIMA_IMV_ID, st->endpoint.device);
			st->known = false;
			request_ids(st, out);
		} else /* answered by an error: no answer to judge */
			decide(st, out, NULL);
		return;
	case SWIMA_PHASE_DECIDED:
		imv_link_flush(&st->link, out);
		return;
	}
}

static void
fail(struct swima_state *st, struct imv_out *out)
{
	imv_link_assessment(&st->link, out, PA_IETF_ASSESSMENT_ERROR);
	recommend(st, out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR, st->failure);
}

void
swima_state_batch_ending(struct swima_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->failed && st->phase != SWIMA_PHASE_DECIDED)
		fail(st, out);
	else if (st->reasm)
		imv_link_next_segment(&st->link, st->reasm, out);
	else if (swima_upload_pending(&st->upload)) {
		int err = upload_go(st);
		if (err)
			upload_failed(st, out, err);
		if (st->sub_upload && st->wait == SWIMA_WAIT_NONE && !st->upload_blocked)
			go_on(st, out);
	} else
		go_on(st, out);
	if (st->wait != SWIMA_WAIT_NONE || st->upload_blocked)
		st->held = out->hold = true;
}

void
swima_state_solicit(struct swima_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == SWIMA_PHASE_DECIDED)
		return;
	if (st->failed)
		fail(st, out);
	else if (!st->have_items)
		refuse(st, out, IMV_EVAL_DONT_KNOW, imv_endpoint_known(&st->endpoint) ?
		    "no workitems from tnc-policy" : "no product and device ID received");
	else
		decide(st, out, st->wait == SWIMA_WAIT_NONE && st->request != SWIMA_REQ_NONE &&
		    !st->answered ? "the IMC did not answer the SWIMA request" :
		    "the software inventory was not judged in time");
}

void
swima_state_workitems(struct swima_state *st, uint32_t seq,
    const struct ipc_policy_workitems *w, struct imv_out *out)
{
	char why[200];

	memset(out, 0, sizeof(*out));
	if (st->wait != SWIMA_WAIT_WORKITEMS || seq != st->seq) {
		LOG(IMV, 2, "IMV %u ignores workitems for Connection ID %u it did not wait for",
		    SWIMA_IMV_ID, st->link.conn_id);
		return;
	}
	st->wait = SWIMA_WAIT_NONE;
	if (!imv_workitems_answer(SWIMA_IMV_ID, st->link.conn_id, w, &swima_item_types,
	    st->items.item, &st->items.n, why, sizeof(why)))
		refuse(st, out, IMV_EVAL_ERROR, why);
	else {
		/* no verdict of an earlier assessment counts */
		memset(st->items.answer, 0, sizeof(st->items.answer));
		st->items.subscribe = swima_items_subscription_asked(w);
		st->have_items = true;
		if (st->items.n == 0)
			decide(st, out, NULL);
		else {
			st->next_request_id = st->items.item[0].id;
			ask_state(st, out);
		}
	}
	settle(st, out);
}

static void
stored(struct swima_state *st, const struct ipc_policy_sw_state *s, struct imv_out *out)
{
	bool sub = st->sub_upload;
	enum swima_upload_kind kind = st->upload.kind;
	char what[96];

	st->wait = SWIMA_WAIT_NONE;
	if (s->status) {
		snprintf(what, sizeof(what), "tnc-policy did not store the %s", upload_name(&st->upload));
		if (sub)
			upload_failed(st, out, s->status);
		else
			policy_failed(st, out, what, s->status);
		return;
	}
	st->upload.stored += s->stored; /* tags are stored chunk by chunk */
	if (swima_upload_pending(&st->upload)) { /* the next chunk of tags */
		int err = upload_go(st);
		if (err)
			upload_failed(st, out, err);
		return;
	}
	LOG(IMV, 1, "IMV %u: tnc-policy stored %zu of the %zu entries of the %s of device '%s'%s",
	    SWIMA_IMV_ID, st->upload.stored, st->upload.records, upload_name(&st->upload), st->endpoint.device,
	    sub ? " from the subscription" : "");
	swima_upload_clear(&st->upload);
	if (kind != SWIMA_UP_TAGS) {
		st->known = s->known;
		st->epoch = s->epoch;
		st->last_eid = s->last_eid;
	}
	if (sub) { /* the batch it held goes on */
		st->sub_upload = false;
		go_on(st, out);
	} else if (kind == SWIMA_UP_TAGS || !swima_items_want_tags(&st->items))
		ask_verdicts(st, out);
	else
		ask_untagged(st, out);
}

void
swima_state_sw_state(struct swima_state *st, uint32_t seq, const struct ipc_policy_sw_state *s,
    struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if ((st->wait != SWIMA_WAIT_STATE && st->wait != SWIMA_WAIT_UPLOAD) || seq != st->seq)
		return;
	if (st->wait == SWIMA_WAIT_UPLOAD)
		stored(st, s, out);
	else if (s->status) {
		st->wait = SWIMA_WAIT_NONE;
		policy_failed(st, out, "no software state from tnc-policy", s->status);
	} else {
		st->wait = SWIMA_WAIT_NONE;
		st->known = s->known;
		st->epoch = s->epoch;
		st->last_eid = s->last_eid;
		if (st->known)
			LOG(IMV, 1, "IMV %u: device '%s' has events up to EID %u of epoch 0x%08x stored",
			    SWIMA_IMV_ID, st->endpoint.device, st->last_eid, st->epoch);
		else
			LOG(IMV, 1, "IMV %u: device '%s' has no software inventory stored", SWIMA_IMV_ID,
			    st->endpoint.device);
		request_ids(st, out);
	}
	settle(st, out);
}

void
swima_state_untagged(struct swima_state *st, uint32_t seq, const struct ipc_policy_sw_untagged *u,
    struct imv_out *out)
{
	struct bytes ids[IPC_SW_UNTAGGED_MAX];
	size_t pos = 0, n = 0;

	memset(out, 0, sizeof(*out));
	if (st->wait != SWIMA_WAIT_UNTAGGED || seq != st->seq)
		return;
	st->wait = SWIMA_WAIT_NONE;
	if (u->status)
		policy_failed(st, out, "no identifiers without a tag from tnc-policy", u->status);
	else {
		while (n < IPC_SW_UNTAGGED_MAX && ipc_sw_name_next(u, &pos, &ids[n]) == 0)
			n++;
		if (n)
			send_request(st, out, SWIMA_REQ_TAGS, 0, ids, n);
		else
			ask_verdicts(st, out);
	}
	settle(st, out);
}

void
swima_state_verdict(struct swima_state *st, uint32_t seq, const struct ipc_policy_sw_verdict *v,
    struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->wait != SWIMA_WAIT_VERDICTS)
		return;
	for (unsigned i = 0; i < st->items.n; i++) {
		struct swima_answer *a = &st->items.answer[i];
		if (a->seq != seq || a->answered)
			continue;
		a->answered = true;
		a->verdict = *v;
		bytes_cstr(v->detail, a->detail, sizeof(a->detail));
		a->verdict.detail = (struct bytes){(const uint8_t *)a->detail, strlen(a->detail)};
		if (--st->verdicts_due == 0) {
			st->wait = SWIMA_WAIT_NONE;
			decide(st, out, NULL);
		}
		break;
	}
	settle(st, out);
}

void
swima_state_policy_drained(struct swima_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (!st->upload_blocked)
		return;
	int err = upload_go(st);
	if (err)
		upload_failed(st, out, err);
	if (st->sub_upload && st->wait == SWIMA_WAIT_NONE && !st->upload_blocked)
		go_on(st, out);
	settle(st, out);
}

void
swima_state_policy_lost(struct swima_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (!st->held)
		return;
	LOG_WARN(IMV, "IMV %u: tnc-policy went away while Connection ID %u waited for it",
	    SWIMA_IMV_ID, st->link.conn_id);
	refuse(st, out, IMV_EVAL_ERROR, "tnc-policy went away");
	st->held = false;
	out->done = true;
}
