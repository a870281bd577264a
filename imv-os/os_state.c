/* os_state.c - one connection's assessment (see os_state.h).
 *
 * A handshake: the IMC pushes its facts; at the end of that batch the IMV
 * asks once (Segmentation Contract Request and an IETF Attribute Request
 * for the Installed Packages and whatever else is missing); while a
 * segmented attribute is incomplete it sends Next Segment; then it decides
 * (os_verdict.h) and sends the Assessment Result, Remediation Instructions
 * when the endpoint is not allowed, and its recommendation.  A malformed
 * message ends the assessment with "no access" and evaluation "error".
 * Segment reassembly is bounded per connection and over all connections
 * (imv_budget.h), so no peer can exhaust the process or starve the others.
 */
#include "os_state.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "os_attrs.h"

#define LANG "en"

/* What the IMV wants to have; Device ID only rides along in a request. */
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
#define NEEDED (1u << OS_HAVE_PACKAGES | 1u << OS_HAVE_PRODUCT | \
	1u << OS_HAVE_STRING_VERSION | 1u << OS_HAVE_FORWARDING | 1u << OS_HAVE_DEFAULT_PASSWORD)

static void
reset(struct os_state *st)
{
	os_state_drop_segments(st);
	st->imc_id = IMV_ID_ANY;
	st->phase = OS_PHASE_START;
	imv_contract_reset(&st->contract);
	st->got_reply = st->failed = false;
	st->failure[0] = 0;
	st->have = 0;
	st->facts = (struct os_facts)OS_FACTS_INIT;
	imv_errors_clear(&st->errors);
}

struct os_state *
os_state_new(const struct os_policy *policy, uint32_t conn_id, uint32_t max_msg)
{
	struct os_state *st = calloc(1, sizeof(*st));
	if (!st)
		abort();
	st->policy = policy;
	st->conn_id = conn_id;
	st->max_msg = max_msg;
	imv_contract_init(&st->contract, OS_IMV_ID, PA_TNC_VENDOR_IETF,
	    PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM, max_msg, policy->max_segment_size);
	reset(st);
	return st;
}

void
os_state_free(struct os_state *st)
{
	if (!st)
		return;
	os_state_drop_segments(st);
	imv_msg_clear(&st->out);
	free(st);
}

void
os_state_restart(struct os_state *st)
{
	LOG(IMV, 2, "IMV %u starts a new assessment of Connection ID %u", OS_IMV_ID, st->conn_id);
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
	imv_reasm_free(st->reasm);
	st->reasm = NULL;
	imv_budget_release(&st->reserved);
}

size_t
os_state_reasm_bytes(void)
{
	return imv_budget_used();
}

void
os_state_fail(struct os_state *st, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc)
{
	struct pa_ietf_error e;
	struct parse_error invalid = *pe;

	invalid.code = PA_TNC_ERROR_INVALID_PARAMETER;
	pa_ietf_error_from_parse(msg, len, &invalid, &e);
	if (tell_imc)
		imv_errors_add(&st->errors, &e);
	os_state_drop_segments(st);
	LOG_WARN(IMV, "IMV %u: %s from IMC %u at offset %u%s%s", OS_IMV_ID, what, st->imc_id,
	    pe->offset, pe->reason ? ": " : "", pe->reason ? pe->reason : "");
	if (!st->failed)
		snprintf(st->failure, sizeof(st->failure), "%s from IMC %u at offset %u", what,
		    st->imc_id, pe->offset);
	st->failed = true;
}

void
os_state_receive(struct os_state *st, uint16_t imc_id, const uint8_t *msg, size_t len)
{
	st->imc_id = imc_id;
	if (st->phase == OS_PHASE_ASKED)
		st->got_reply = true;
	if (st->failed) {
		LOG(IMV, 1, "IMV %u ignores a message of IMC %u after a malformed one", OS_IMV_ID,
		    imc_id);
		return;
	}
	os_attrs_process(st, msg, len);
}

/* Starts the next message with what is owed to the IMC (until a message
 * carrying it is finished): its PA-TNC Errors and the answer to its
 * Segmentation Contract Request. */
static void
begin(struct os_state *st)
{
	imv_msg_begin(&st->out, st->max_msg);
	imv_errors_put(&st->errors, &st->out);
	imv_contract_answer(&st->contract, &st->out, st->imc_id);
}

/* Hands the message to out if it has any attribute. */
static int
finish(struct os_state *st, struct os_out *out)
{
	struct bytes msg;
	int err;

	if (imv_msg_count(&st->out) == 0)
		return 0;
	if ((err = imv_msg_finish(&st->out, &msg)) != 0)
		return err;
	out->send = true;
	out->imc_id = st->imc_id;
	out->excl = st->imc_id != IMV_ID_ANY; /* RFC 5793 4.5: only to a known IMC */
	out->msg = msg;
	imv_errors_clear(&st->errors); /* delivered */
	imv_contract_answered(&st->contract);
	return 0;
}

static void
finish_or_log(struct os_state *st, struct os_out *out)
{
	int err = finish(st, out);
	if (err)
		LOG_ERR(IMV, "IMV %u cannot build a PA-TNC message for Connection ID %u: %s",
		    OS_IMV_ID, st->conn_id, tnc_strerror(err));
}

static void
recommend(struct os_state *st, struct os_out *out, enum imv_recommendation rec,
    enum imv_evaluation eval, const char *reason)
{
	out->recommend = true;
	out->rec = rec;
	out->eval = eval;
	snprintf(out->reason, sizeof(out->reason), "%s", reason);
	st->phase = OS_PHASE_DECIDED;
	LOG(IMV, 0, "IMV %u recommends '%s' with evaluation '%s' for Connection ID %u: %s",
	    OS_IMV_ID, imv_recommendation_name(rec), imv_evaluation_name(eval), st->conn_id, reason);
}

/* The one request of a handshake. */
static void
ask(struct os_state *st, struct os_out *out)
{
	struct pa_tnc_type types[sizeof(wanted) / sizeof(wanted[0])];
	char names[256] = "";
	size_t n = 0;

	for (size_t i = 0; i < sizeof(wanted) / sizeof(wanted[0]); i++) {
		if (st->have & (1u << wanted[i].bit))
			continue;
		types[n++] = wanted[i].type;
		snprintf(names + strlen(names), sizeof(names) - strlen(names), "%s'%s'",
		    n > 1 ? ", " : "", pa_tnc_attr_name(wanted[i].type.vendor, wanted[i].type.type));
	}
	begin(st);
	imv_contract_ask(&st->contract, &st->out);
	if (st->imc_id == IMV_ID_ANY)
		LOG(IMV, 1, "IMV %u requests %s from any IMC", OS_IMV_ID, names);
	else
		LOG(IMV, 1, "IMV %u requests %s from IMC %u", OS_IMV_ID, names, st->imc_id);
	imv_msg_attr_request(&st->out, types, n);
	finish_or_log(st, out);
	st->phase = OS_PHASE_ASKED;
	st->got_reply = false;
}

static void
next_segment(struct os_state *st, struct os_out *out)
{
	begin(st);
	imv_reasm_next(st->reasm, &st->out, st->imc_id);
	finish_or_log(st, out);
}

/* Assessment Result, Remediation Instructions when there is something to
 * remediate, and the recommendation. */
static void
decide(struct os_state *st, struct os_out *out)
{
	struct os_verdict v;
	char reason[OS_REASON_MAX], line[256], remedy[4096];
	size_t room = st->max_msg / 2 < sizeof(remedy) ? st->max_msg / 2 : sizeof(remedy);

	if (st->reasm) {
		LOG(IMV, 1, "IMV %u drops the incomplete '%s' after %u segments", OS_IMV_ID,
		    imv_reasm_attr_name(st->reasm), imv_reasm_segments(st->reasm));
		os_state_drop_segments(st);
	}
	os_verdict_judge(st->policy, &st->facts, &v);
	for (int c = 0; c < OS_CHECK_COUNT; c++) {
		bool bad = v.check[c] == IMV_REC_ISOLATE || v.check[c] == IMV_REC_NO_ACCESS;
		os_verdict_check_text(&v, &st->facts, (enum os_check)c, line, sizeof(line));
		LOG(IMV, bad ? 0 : 1, "IMV %u handled %s: %s - %s", OS_IMV_ID,
		    os_verdict_check_name((enum os_check)c), imv_recommendation_name(v.check[c]), line);
	}
	os_verdict_reason(&v, &st->facts, reason, sizeof(reason));
	remedy[0] = 0; /* stays empty when room is 0 */
	os_verdict_remediation(&v, &st->facts, st->policy, remedy, room);
	begin(st);
	imv_msg_assessment(&st->out, v.eval); /* IF-IMV and RFC 5792 4.2.9 agree */
	if (remedy[0]) {
		imv_msg_remediation(&st->out, PA_IETF_REMEDIATION_STRING, remedy, LANG);
		if (st->policy->remediation_uri[0])
			imv_msg_remediation(&st->out, PA_IETF_REMEDIATION_URI,
			    st->policy->remediation_uri, "");
	}
	if (finish(st, out) != 0) {
		LOG(IMV, 1, "IMV %u: the remediation instructions exceed the %u-byte PA-TNC messages "
		    "of Connection ID %u, sending the assessment result alone", OS_IMV_ID,
		    st->max_msg, st->conn_id);
		begin(st);
		imv_msg_assessment(&st->out, v.eval);
		finish_or_log(st, out);
	}
	recommend(st, out, v.rec, v.eval, reason);
}

static void
fail(struct os_state *st, struct os_out *out)
{
	begin(st);
	imv_msg_assessment(&st->out, PA_IETF_ASSESSMENT_ERROR);
	finish_or_log(st, out);
	recommend(st, out, IMV_REC_NO_ACCESS, IMV_EVAL_ERROR, st->failure);
}

/* Only what is owed, if anything. */
static void
flush(struct os_state *st, struct os_out *out)
{
	if (st->errors.n == 0 && !st->contract.asked)
		return;
	begin(st);
	finish_or_log(st, out);
}

void
os_state_batch_ending(struct os_state *st, struct os_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == OS_PHASE_DECIDED)
		flush(st, out);
	else if (st->failed)
		fail(st, out);
	else if (st->reasm)
		next_segment(st, out);
	else if (st->phase == OS_PHASE_START && (st->have & NEEDED) != NEEDED)
		ask(st, out);
	else if (st->phase == OS_PHASE_START || st->got_reply)
		decide(st, out);
	else
		flush(st, out); /* asked; the IMC has not answered yet */
}

void
os_state_solicit(struct os_state *st, struct os_out *out)
{
	memset(out, 0, sizeof(*out));
	if (st->phase == OS_PHASE_DECIDED)
		return;
	if (st->failed) {
		fail(st, out);
	} else if (st->have == 0) {
		os_state_drop_segments(st);
		flush(st, out);
		recommend(st, out, IMV_REC_NONE, IMV_EVAL_DONT_KNOW,
		    "no operating system information received");
	} else {
		decide(st, out);
	}
}
