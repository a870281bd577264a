/* os_state.c - one connection's assessment (see os_state.h).
 *
 * A handshake: the IMC pushes its facts.  At the end of that batch the IMV
 * asks for product, version and Device ID if they are missing (once), then
 * asks tnc-policy for the workitems of that device and holds the batch
 * until they come.  With them it asks the IMC once more for what they need
 * (Segmentation Contract Request and an IETF Attribute Request, e.g. the
 * Installed Packages for PCKGS); while a segmented attribute is incomplete
 * it sends Next Segment; installed packages go to tnc-policy for their
 * verdicts, the batch held until all are back.  Then it judges each
 * workitem (os_verdict.h), reports the results to tnc-policy and sends the
 * Assessment Result, Remediation Instructions when the endpoint is not
 * allowed, and its recommendation.  Without tnc-policy, or with an error
 * of it, the recommendation is "no access" (fail closed).  A malformed
 * message ends the assessment with "no access" and evaluation "error".
 * Segment reassembly is bounded per connection and over all connections
 * (imv_budget.h), so no peer can exhaust the process or starve the others.
 */
#include "os_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_policy.h"
#include "log.h"
#include "os_attrs.h"

#define LANG "en"

/* The attributes the IMV may ask for. */
static const struct {
	enum os_have bit;
	struct pa_tnc_type type;
} wanted[] = {
	{OS_HAVE_PACKAGES, {PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES}},
	{OS_HAVE_PRODUCT, {PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION}},
	{OS_HAVE_STRING_VERSION, {PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION}},
	{OS_HAVE_FORWARDING, {PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED}},
	{OS_HAVE_DEFAULT_PASSWORD, {PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED}},
	{OS_HAVE_DEVICE_ID, {PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID}},
};
/* What tnc-policy needs to plan the workitems of a device. */
#define IDENTITY (1u << OS_HAVE_PRODUCT | 1u << OS_HAVE_STRING_VERSION | 1u << OS_HAVE_DEVICE_ID)

static void
reset(struct os_state *st)
{
	os_state_drop_segments(st);
	imv_link_reset(&st->link);
	st->phase = OS_PHASE_START;
	st->have_items = st->asked_items = false;
	st->seq = 0;
	st->items.n = 0;
	os_lookups_clear(&st->lookups);
	st->got_reply = st->failed = false;
	st->failure[0] = 0;
	st->have = 0;
	st->facts = (struct os_facts)OS_FACTS_INIT;
}

struct os_state *
os_state_new(const struct os_config *cfg, const struct os_policy_port *port, void *port_ctx,
    uint32_t conn_id, uint32_t max_msg)
{
	struct os_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->cfg = cfg;
	st->port = port;
	st->port_ctx = port_ctx;
	imv_link_init(&st->link, OS_IMV_ID, PA_TNC_VENDOR_IETF, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM,
	    conn_id, max_msg, cfg->max_segment_size);
	os_lookups_init(&st->lookups);
	reset(st);
	return st;
}

void
os_state_free(struct os_state *st)
{
	if (!st)
		return;
	os_state_drop_segments(st);
	os_lookups_clear(&st->lookups);
	imv_link_clear(&st->link);
	free(st);
}

void
os_state_restart(struct os_state *st)
{
	LOG(IMV, 2, "IMV %u starts a new assessment of Connection ID %u", OS_IMV_ID, st->link.conn_id);
	reset(st);
}

int
os_state_reserve(struct os_state *st, size_t n)
{
	return imv_budget_reserve(&st->reserved, n);
}

void
os_state_drop_segments(struct os_state *st)
{
	imv_reasm_drop(&st->reasm);
	imv_budget_release(&st->reserved);
}

size_t
os_state_reasm_bytes(void)
{
	return imv_budget_used();
}

void
os_state_fail(void *state, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc)
{
	struct os_state *st = state;
	os_state_drop_segments(st);
	imv_link_malformed(&st->link, msg, len, pe, what, tell_imc, st->failure,
	    sizeof(st->failure));
	st->failed = true;
}

void
os_state_receive(struct os_state *st, uint16_t imc_id, const uint8_t *msg, size_t len)
{
	st->link.imc_id = imc_id;
	if (st->phase == OS_PHASE_ASKED)
		st->got_reply = true;
	if (st->failed) {
		LOG(IMV, 1, "IMV %u ignores a message of IMC %u after a malformed one", OS_IMV_ID,
		    imc_id);
		return;
	}
	os_attrs_process(st, msg, len);
}

static void
recommend(struct os_state *st, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	st->phase = OS_PHASE_DECIDED;
	imv_link_recommend(&st->link, out, rec, eval, reason);
}

/* An Attribute Request for the attributes of bits not had yet. */
static void
ask(struct os_state *st, struct imv_out *out, unsigned bits)
{
	struct pa_tnc_type types[sizeof(wanted) / sizeof(wanted[0])];
	char names[256] = "";
	size_t n = 0;

	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		if (!(bits & (1u << wanted[i].bit)) || (st->have & (1u << wanted[i].bit)))
			continue;
		types[n++] = wanted[i].type;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s'%s'",
		    n > 1 ? ", " : "", pa_tnc_attr_name(wanted[i].type.vendor, wanted[i].type.type));
	}
	imv_link_begin(&st->link);
	imv_contract_ask(&st->link.contract, &st->link.out);
	if (st->link.imc_id == IMV_ID_ANY)
		LOG(IMV, 1, "IMV %u requests %s from any IMC", OS_IMV_ID, names);
	else
		LOG(IMV, 1, "IMV %u requests %s from IMC %u", OS_IMV_ID, names, st->link.imc_id);
	imv_msg_attr_request(&st->link.out, types, n);
	imv_link_send(&st->link, out);
	st->phase = OS_PHASE_ASKED;
	st->got_reply = false;
}

/* An Assessment Result with Remediation Instructions if there are any
 * (alone when they do not fit), and the recommendation. */
static void
conclude(struct os_state *st, struct imv_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason, const char *remedy)
{
	imv_link_begin(&st->link);
	imv_msg_assessment(&st->link.out, eval); /* IF-IMV and RFC 5792 4.2.9 agree */
	if (remedy[0]) {
		imv_msg_remediation(&st->link.out, PA_IETF_REMEDIATION_STRING, remedy, LANG);
		if (st->cfg->remediation_uri[0])
			imv_msg_remediation(&st->link.out, PA_IETF_REMEDIATION_URI,
			    st->cfg->remediation_uri, "");
	}
	if (imv_link_finish(&st->link, out) != 0) {
		LOG(IMV, 1, "IMV %u: the remediation instructions exceed the %u-byte PA-TNC messages "
		    "of Connection ID %u, sending the assessment result alone", OS_IMV_ID,
		    st->link.max_msg, st->link.conn_id);
		imv_link_assessment(&st->link, out, eval);
	}
	recommend(st, out, rec, eval, reason);
}

/* No judgement is possible: no access, and why. */
static void
refuse(struct os_state *st, struct imv_out *out, enum imv_evaluation eval, const char *why)
{
	os_state_drop_segments(st);
	os_lookups_clear(&st->lookups);
	conclude(st, out, IMV_REC_NO_ACCESS, eval, why, "");
}

/* Each workitem judged, its result logged and told to tnc-policy, then the
 * IMV's own result. */
static void
decide(struct os_state *st, struct imv_out *out)
{
	struct os_verdict v;
	char reason[OS_REASON_MAX], remedy[4096];
	size_t room = st->link.max_msg / 2 < sizeof(remedy) ? st->link.max_msg / 2 : sizeof(remedy);

	if (st->reasm) {
		LOG(IMV, 1, "IMV %u drops the incomplete '%s' after %u segments", OS_IMV_ID,
		    imv_reasm_attr_name(st->reasm), imv_reasm_segments(st->reasm));
		os_state_drop_segments(st);
	}
	os_verdict_judge(&st->items, &st->facts, &v);
	if (st->items.n == 0)
		LOG(IMV, 1, "IMV %u has no workitems - no evaluation requested", OS_IMV_ID);
	for (unsigned i = 0; i < st->items.n; i++) {
		const struct os_result *r = &v.result[i];
		imv_workitem_report(OS_IMV_ID, st->link.conn_id, &st->items.item[i],
		    r->outcome == OS_FAIL, r->rec, r->text, st->port->result, st->port_ctx);
	}
	os_verdict_reason(&st->items, &v, &st->facts, reason, sizeof(reason));
	remedy[0] = 0; /* stays empty when room is 0 */
	os_verdict_remediation(&st->items, &v, &st->facts, st->cfg->remediation_uri, remedy, room);
	conclude(st, out, v.rec, v.eval, reason, remedy);
}

static void
fail(struct os_state *st, struct imv_out *out)
{
	imv_link_assessment(&st->link, out, PA_IETF_ASSESSMENT_ERROR);
	os_lookups_clear(&st->lookups);
	recommend(st, out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR, st->failure);
}

/* The product and device go to tnc-policy; its workitems are awaited. */
static void
ask_workitems(struct os_state *st, struct imv_out *out)
{
	char product[2 * OS_TEXT_MAX], why[128];
	imv_endpoint_product(product, sizeof(product), st->facts.product, st->facts.have_version,
	    st->facts.version);
	st->seq = imv_policy_seq();
	int err = st->port->workitems(st->port_ctx, st->seq, product, st->facts.device_id);
	if (err) {
		snprintf(why, sizeof(why), "no workitems from tnc-policy: %s", tnc_strerror(err));
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	LOG(IMV, 2, "IMV %u asks tnc-policy for the workitems of Connection ID %u", OS_IMV_ID,
	    st->link.conn_id);
	st->phase = OS_PHASE_POLICY;
	out->hold = true;
}

/* The lists of installed packages ready go to tnc-policy; under
 * back-pressure (TNC_EAGAIN) the rest wait for os_state_policy_drained(). */
static int
send_lookups(struct os_state *st)
{
	struct os_lookup *lk;
	while ((lk = os_lookups_next(&st->lookups))) {
		uint32_t seq = imv_policy_seq();
		int err = st->port->packages(st->port_ctx, seq, lk->count,
		    (struct bytes){lk->list.buf, lk->list.len});
		if (err == TNC_EAGAIN)
			return 0;
		if (err)
			return err;
		os_lookups_sent(&st->lookups, lk, seq);
	}
	return 0;
}

/* With the workitems known and no segment or verdict outstanding: the
 * verdicts of the packages received, the facts still missing, or the
 * judgement.  Sets out->hold while tnc-policy is to answer. */
static void
go_on(struct os_state *st, struct imv_out *out)
{
	unsigned needs = os_items_needs(&st->items);
	char why[128];

	if (needs & (1u << OS_HAVE_PACKAGES)) {
		os_lookups_flush(&st->lookups);
		if (os_lookups_next(&st->lookups)) {
			int err = send_lookups(st);
			if (err) {
				snprintf(why, sizeof(why), "cannot ask tnc-policy for package verdicts: %s",
				    tnc_strerror(err));
				refuse(st, out, IMV_EVAL_ERROR, why);
				return;
			}
		}
		if (os_lookups_pending(&st->lookups)) {
			st->phase = OS_PHASE_LOOKUP;
			out->hold = true;
			return;
		}
	} else {
		os_lookups_clear(&st->lookups);
	}
	if ((st->have & needs) != needs && !st->asked_items) {
		st->asked_items = true;
		ask(st, out, needs);
		return;
	}
	decide(st, out);
}

static bool
identity_known(const struct os_state *st)
{
	return st->facts.have_product && !st->facts.product_cut && st->facts.device_id[0];
}

void
os_state_batch_ending(struct os_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == OS_PHASE_DECIDED)
		imv_link_flush(&st->link, out);
	else if (st->failed)
		fail(st, out);
	else if (st->reasm)
		imv_link_next_segment(&st->link, st->reasm, out);
	else if (st->phase == OS_PHASE_ASKED && !st->got_reply)
		imv_link_flush(&st->link, out); /* asked; the IMC has not answered yet */
	else if (st->have_items)
		go_on(st, out);
	else if (identity_known(st) && ((st->have & IDENTITY) == IDENTITY ||
	    st->phase != OS_PHASE_START))
		ask_workitems(st, out); /* without a version when the IMC has none */
	else if (st->phase == OS_PHASE_START && (st->have & IDENTITY) != IDENTITY)
		ask(st, out, IDENTITY | 1u << OS_HAVE_FORWARDING | 1u << OS_HAVE_DEFAULT_PASSWORD);
	else /* asked, or reported but unusable (a cut product, a binary Device ID) */
		refuse(st, out, IMV_EVAL_DONT_KNOW, "the endpoint reported no usable product, "
		    "version and device ID");
}

void
os_state_solicit(struct os_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == OS_PHASE_DECIDED)
		return;
	if (st->failed) {
		fail(st, out);
	} else if (!st->have_items) {
		refuse(st, out, IMV_EVAL_DONT_KNOW, st->have ? "no workitems from tnc-policy" :
		    "no operating system information received");
	} else if (st->phase == OS_PHASE_LOOKUP) {
		refuse(st, out, IMV_EVAL_ERROR, "package verdicts still outstanding");
	} else {
		decide(st, out);
	}
}

void
os_state_workitems(struct os_state *st, uint32_t seq, const struct ipc_policy_workitems *w,
    struct imv_out *out)
{
	char why[128];

	memset(out, 0, sizeof(*out));
	if (st->phase != OS_PHASE_POLICY || seq != st->seq) {
		LOG(IMV, 2, "IMV %u ignores workitems for Connection ID %u it did not wait for",
		    OS_IMV_ID, st->link.conn_id);
		return;
	}
	out->done = true;
	if (!imv_workitems_answer(OS_IMV_ID, st->link.conn_id, w, &os_item_types, st->items.item,
	    &st->items.n, why, sizeof(why))) {
		refuse(st, out, IMV_EVAL_ERROR, why);
		return;
	}
	st->have_items = true;
	go_on(st, out);
	out->done = !out->hold;
}

void
os_state_verdicts(struct os_state *st, uint32_t seq,
    const struct ipc_policy_package_verdicts *v, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (os_lookups_answer(&st->lookups, seq, v, &st->facts.packages) != 0) {
		LOG(IMV, 2, "IMV %u ignores package verdicts for Connection ID %u it did not ask for",
		    OS_IMV_ID, st->link.conn_id);
		return;
	}
	if (st->phase != OS_PHASE_LOOKUP || os_lookups_pending(&st->lookups))
		return;
	go_on(st, out);
	out->done = !out->hold;
}

void
os_state_policy_drained(struct os_state *st, struct imv_out *out)
{
	char why[128];
	memset(out, 0, sizeof(*out));
	if (st->phase != OS_PHASE_LOOKUP || !os_lookups_next(&st->lookups))
		return;
	int err = send_lookups(st);
	if (!err)
		return;
	snprintf(why, sizeof(why), "cannot ask tnc-policy for package verdicts: %s",
	    tnc_strerror(err));
	refuse(st, out, IMV_EVAL_ERROR, why);
	out->done = true;
}

void
os_state_policy_lost(struct os_state *st, struct imv_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase != OS_PHASE_POLICY && st->phase != OS_PHASE_LOOKUP)
		return;
	LOG_WARN(IMV, "IMV %u: tnc-policy went away while Connection ID %u waited for it",
	    OS_IMV_ID, st->link.conn_id);
	refuse(st, out, IMV_EVAL_ERROR, "tnc-policy went away");
	out->done = true;
}

void
os_state_package(struct os_state *st, struct bytes name, struct bytes version)
{
	/* kept only while they can still be judged, and only when they count */
	if (st->facts.packages.lookup_failed || st->phase == OS_PHASE_DECIDED ||
	    (st->have_items && !(os_items_needs(&st->items) & (1u << OS_HAVE_PACKAGES))))
		return;
	if (os_lookups_add(&st->lookups, name, version) == 0)
		return;
	snprintf(st->facts.packages.failure, sizeof(st->facts.packages.failure),
	    "a package name or version too long, or more packages than the IMV's budget holds");
	st->facts.packages.lookup_failed = true;
	os_lookups_clear(&st->lookups);
}
