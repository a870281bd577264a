/* pb_client.c - PB-TNC client state machine (see pb_client.h).
 *
 * RFC 5793 3.2: the client sends in Init and Client Working; it receives in
 * Server Working: SDATA (-> Client Working), RESULT (-> Decided), SRETRY
 * (-> Client Working, handshake restarts), CLOSE (-> End).  Anything else
 * earns a fatal Unexpected Batch Type; a batch pb_batch_parse() refuses
 * earns the error and offset it names (RFC 5793 4: fatal, in CLOSE).
 * Diagnostics: TNC subsystem, in the words of the seeds' logs.
 */
#include "pb_client.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "deadline.h"
#include "log.h"
#include "pa_tnc.h"
#include "pb_pdp.h"

#define MAX_RECV_MSGS 8192
#define LANGUAGE_PREFERENCE "Accept-Language: en"

static const char *const state_names[] = {"Init", "Server Working", "Client Working",
    "Decided", "End"};

void
pb_client_init(struct pb_client *pb, const struct pb_transport *t, struct imc_os *imc,
    struct outcome *out, unsigned delay_ms)
{
	memset(pb, 0, sizeof(*pb));
	pb->transport = *t;
	pb->imc = imc;
	pb->out = out;
	pb->delay_ms = delay_ms;
	pb->state = PB_CLIENT_INIT;
}

static void
set_state(struct pb_client *pb, enum pb_client_state next)
{
	if (pb->state == next)
		return;
	LOG(TNC, 1, "PB-TNC state transition from '%s' to '%s'", state_names[pb->state],
	    state_names[next]);
	pb->state = next;
}

static int
finish_and_send(struct pb_client *pb, struct pb_builder *b)
{
	struct bytes out;
	int err = pb_builder_finish(b, &out);

	if (err) {
		LOG(TNC, 0, "cannot build a PB-TNC batch: %s", tnc_strerror(err));
	} else {
		LOG(TNC, 1, "sending PB-TNC %s batch (%zu bytes)",
		    pb_batch_type_name(out.ptr[3] & PB_BATCH_TYPE_MASK), out.len);
		err = pb->transport.send_batch(pb->transport.arg, out);
	}
	pb_builder_clear(b);
	return err;
}

static int
send_close(struct pb_client *pb)
{
	struct pb_builder b;

	pb_builder_init(&b, PB_DIR_TO_SERVER, PB_BATCH_CLOSE, PB_CLIENT_MAX_BATCH);
	int err = finish_and_send(pb, &b);
	set_state(pb, PB_CLIENT_END);
	return err;
}

/* CLOSE with a fatal PB-Error: our answer to a batch we cannot accept. */
static void
send_fatal(struct pb_client *pb, uint32_t code, uint32_t offset, uint8_t bad_version)
{
	struct pb_builder b;
	struct parse_error pe = {.offset = offset, .code = code, .reason = NULL};

	LOG(TNC, 0, "sending fatal PB-TNC error '%s' (offset %u) and closing",
	    pb_error_code_name(PB_VENDOR_IETF, (uint16_t)code), offset);
	pb_builder_init(&b, PB_DIR_TO_SERVER, PB_BATCH_CLOSE, PB_CLIENT_MAX_BATCH);
	pb_builder_add_parse_error(&b, &pe, bad_version);
	(void)finish_and_send(pb, &b);
	set_state(pb, PB_CLIENT_END);
}

/* Adds the PA messages m of one IMC (a list, freed) to b. */
static void
add_pa_messages(struct pb_builder *b, struct imc_msg *m, uint32_t vendor, uint32_t subtype,
    uint16_t imc_id)
{
	for (struct imc_msg *next; m; m = next) {
		next = m->next;
		LOG(TNC, 2, "adding IETF/PB-PA message (PA-TNC message of %zu bytes)", m->len);
		pb_builder_add_pa(b, m->flags, vendor, subtype, imc_id, m->validator_id,
		    (struct bytes){m->data, m->len});
		free(m);
	}
}

/* CDATA (or CRETRY) with what the IMCs queued; the first of a handshake
 * also carries the language preference (RFC 5793 4.10). */
static int
send_cdata(struct pb_client *pb, uint8_t type, bool handshake_start)
{
	struct pb_builder b;

	if (pb->cdata_sent > 0 && pb->delay_ms > 0) {
		LOG(TNC, 2, "waiting %u ms before the next CDATA batch", pb->delay_ms);
		if (deadline_sleep_ms(pb->delay_ms) != 0) {
			LOG(TNC, 0, "the deadline passed while waiting to send CDATA");
			return TNC_ETIMEOUT;
		}
	}
	LOG(TNC, 2, "creating PB-TNC %s batch", pb_batch_type_name(type));
	pb_builder_init(&b, PB_DIR_TO_SERVER, type, PB_CLIENT_MAX_BATCH);
	if (handshake_start) {
		LOG(TNC, 2, "adding IETF/PB-Language-Preference message");
		pb_builder_add_language_preference(&b, (struct bytes){
		    (const uint8_t *)LANGUAGE_PREFERENCE, strlen(LANGUAGE_PREFERENCE)});
	}
	add_pa_messages(&b, imc_os_take(pb->imc), IMC_OS_VENDOR, IMC_OS_SUBTYPE, IMC_OS_ID);
	if (pb->swima)
		add_pa_messages(&b, imc_swima_take(pb->swima), IMC_SWIMA_VENDOR, IMC_SWIMA_SUBTYPE,
		    IMC_SWIMA_ID);
	/* one attestation message per batch: the server asks for the next */
	if (pb->attest)
		add_pa_messages(&b, imc_attest_take(pb->attest), IMC_ATTEST_VENDOR,
		    IMC_ATTEST_SUBTYPE, IMC_ATTEST_ID);
	int err = finish_and_send(pb, &b);
	if (!err) {
		pb->cdata_sent++;
		set_state(pb, PB_CLIENT_SERVER_WORKING);
	}
	return err;
}

static void
handle_pa(struct pb_client *pb, const struct pb_pa *pa)
{
	LOG(TNC, 2, "handling PB-PA message type '%s' 0x%06x/0x%08x from IMV %u to IMC %u%s",
	    pa_tnc_subtype_name(pa->vendor, pa->subtype), pa->vendor, pa->subtype,
	    pa->validator_id, pa->collector_id,
	    (pa->flags & PB_PA_FLAG_EXCL) ? " (exclusive)" : "");
	if (imc_os_wants(pa))
		imc_os_receive(pb->imc, pa);
	else if (pb->attest && imc_attest_wants(pa))
		imc_attest_receive(pb->attest, pa);
	else if (pb->swima && imc_swima_wants(pa))
		imc_swima_receive(pb->swima, pa);
	else
		LOG(TNC, 1, "no IMC takes PA message type 0x%06x/0x%08x for IMC %u: dropped",
		    pa->vendor, pa->subtype, pa->collector_id);
}

static void
handle_remediation(struct pb_client *pb, const struct pb_remediation *r)
{
	static const struct bytes none = {NULL, 0};

	if (r->vendor == PB_VENDOR_IETF && r->type == PB_REMEDIATION_URI) {
		outcome_add(pb->out, OUTCOME_REMEDIATION_URI, 0, 0, r->text, none);
	} else if (r->vendor == PB_VENDOR_IETF && r->type == PB_REMEDIATION_STRING) {
		outcome_add(pb->out, OUTCOME_REMEDIATION_TEXT, 0, 0, r->text, r->lang);
	} else {
		char what[96];
		snprintf(what, sizeof(what), "of vendor 0x%06x type %u (%zu bytes, not shown)",
		    r->vendor, r->type, r->params.len);
		outcome_add(pb->out, OUTCOME_REMEDIATION_OTHER, 0, 0,
		    (struct bytes){(const uint8_t *)what, strlen(what)}, none);
	}
}

/* A PB-PDP-Referral: logged; the client connects where it was told only
 * when its operator says so (--server). */
static void
handle_referral(const struct pb_pdp_referral *r)
{
	struct pb_pdp pdp;
	const char *why;

	if (pb_pdp_parse(r, &pdp, &why) != 0)
		LOG_WARN(TNC, "PB-PDP-Referral ignored: %s (identifier type 0x%06x/0x%08x, %zu "
		    "bytes)", why, r->id_vendor, r->id_type, r->id.len);
	else
		LOG(TNC, 1, "PDP server '%s' listens on %s port %u", pdp.host,
		    pdp.protocol == PB_PDP_PROTOCOL_TCP ? "TCP" : "another protocol's", pdp.port);
}

/* false when the message ends the exchange (a fatal PB-Error). */
static bool
handle_msg(struct pb_client *pb, const struct pb_msg *m)
{
	LOG(TNC, 2, "processing %s message (%zu bytes)", pb_msg_type_name(m->vendor, m->type),
	    m->value.len + PB_MSG_HEADER_LEN);
	if (m->vendor != PB_VENDOR_IETF) { /* the one other type pb_batch_parse() yields */
		handle_referral(&m->u.pdp_referral);
		return true;
	}
	switch (m->type) {
	case PB_MSG_PA:
		handle_pa(pb, &m->u.pa);
		return true;
	case PB_MSG_ASSESSMENT_RESULT:
		pb->out->have_assessment = true;
		pb->out->assessment = m->u.assessment_result;
		LOG(TNC, 1, "PB-TNC assessment result is '%s'",
		    pb_assessment_result_name(m->u.assessment_result));
		return true;
	case PB_MSG_ACCESS_RECOMMENDATION:
		pb->out->have_recommendation = true;
		pb->out->recommendation = m->u.access_recommendation;
		LOG(TNC, 1, "PB-TNC access recommendation is '%s'",
		    pb_access_recommendation_name(m->u.access_recommendation));
		return true;
	case PB_MSG_REMEDIATION_PARAMETERS:
		handle_remediation(pb, &m->u.remediation);
		return true;
	case PB_MSG_REASON_STRING:
		outcome_add(pb->out, OUTCOME_REASON, 0, 0, m->u.reason_string.reason,
		    m->u.reason_string.lang);
		return true;
	case PB_MSG_ERROR:
		pb->have_error = true;
		pb->error = m->u.error;
		pb->error.params = (struct bytes){NULL, 0}; /* a view into the batch */
		LOG(TNC, 0, "received %s PB-TNC error '%s' (vendor 0x%06x, code %u, offset %u)",
		    (m->u.error.flags & PB_ERROR_FLAG_FATAL) ? "fatal" : "non-fatal",
		    pb_error_code_name(m->u.error.vendor, m->u.error.code), m->u.error.vendor,
		    m->u.error.code, m->u.error.offset);
		return !(m->u.error.flags & PB_ERROR_FLAG_FATAL);
	default:
		return true; /* PB-Language-Preference from a server: nothing to do */
	}
}

/* RFC 5793 3.2: the server batches a client may receive in its state. */
static bool
type_allowed(enum pb_client_state st, uint8_t type)
{
	switch (type) {
	case PB_BATCH_CLOSE:
		return true;
	case PB_BATCH_SDATA:
	case PB_BATCH_RESULT:
		return st == PB_CLIENT_SERVER_WORKING;
	case PB_BATCH_SRETRY:
		return st == PB_CLIENT_SERVER_WORKING || st == PB_CLIENT_DECIDED;
	default:
		return false;
	}
}

/* The state a server batch of an allowed type leads to (RFC 5793 3.2). */
static void
enter(struct pb_client *pb, uint8_t type)
{
	switch (type) {
	case PB_BATCH_SDATA:
		set_state(pb, PB_CLIENT_CLIENT_WORKING);
		break;
	case PB_BATCH_SRETRY:
		LOG(TNC, 1, "the server requests a handshake retry");
		set_state(pb, PB_CLIENT_CLIENT_WORKING);
		imc_os_begin_handshake(pb->imc);
		if (pb->attest)
			imc_attest_begin_handshake(pb->attest);
		if (pb->swima)
			imc_swima_begin_handshake(pb->swima);
		break;
	case PB_BATCH_RESULT:
		set_state(pb, PB_CLIENT_DECIDED);
		break;
	default:
		break;
	}
}

/* After a result: true when the SWIMA IMC's subscriptions brought events
 * within watch_ms, queued with the other IMCs' first messages of the new
 * handshake the CRETRY batch starts (RFC 5793 3.2: Decided -> Server
 * Working); the verdict is then the new handshake's. */
static bool
watch_subscriptions(struct pb_client *pb)
{
	if (!pb->swima || !pb->watch_ms || !imc_swima_subscriptions(pb->swima))
		return false;
	if (!pb->watch_until)
		pb->watch_until = deadline_now_ms() + pb->watch_ms;
	if (!imc_swima_wait(pb->swima, pb->watch_until))
		return false;
	LOG(TNC, 1, "a SWIMA subscription has new events: requesting a handshake retry");
	outcome_reset(pb->out);
	imc_os_begin_handshake(pb->imc);
	if (pb->attest)
		imc_attest_begin_handshake(pb->attest);
	return true;
}

/* Our batch after a server batch of type whose messages were handled (ok:
 * without a fatal error); sets *ret_done when the exchange is over. */
static int
answer(struct pb_client *pb, uint8_t type, bool ok, bool *ret_done)
{
	if (type == PB_BATCH_CLOSE) {
		if (pb->have_error)
			LOG(TNC, 1, "the server closed the PB-TNC session");
		else
			LOG(TNC, 0, "the server closed the PB-TNC session without a result");
		set_state(pb, PB_CLIENT_END);
		return TNC_EPEER;
	}
	if (!ok) {
		/* RFC 5793 4.9: after a fatal error the session is over */
		(void)send_close(pb);
		return TNC_EPEER;
	}
	if (type == PB_BATCH_RESULT) {
		/* RESULT ends the assessment: what the IMC would still say is moot */
		imc_os_drop(pb->imc);
		if (pb->attest)
			imc_attest_drop(pb->attest);
		if (pb->swima)
			imc_swima_drop(pb->swima);
		if (watch_subscriptions(pb))
			return send_cdata(pb, PB_BATCH_CRETRY, true);
		int err = send_close(pb);
		*ret_done = err == 0;
		return err;
	}
	/* the verdict is the new handshake's: what came before (or in the
	 * SRETRY batch itself, about the abandoned one) is forgotten */
	if (type == PB_BATCH_SRETRY)
		outcome_reset(pb->out);
	return send_cdata(pb, PB_BATCH_CDATA, type == PB_BATCH_SRETRY);
}

static int
handle_batch(struct pb_client *pb, struct bytes raw, bool *ret_done)
{
	struct pb_limits lim = {pb->transport.max_batch, MAX_RECV_MSGS, PB_DIR_TO_CLIENT};
	struct pb_batch b;
	struct parse_error pe;
	bool ok = true;

	LOG(TNC, 1, "received TNCCS batch (%zu bytes)", raw.len);
	int err = pb_batch_parse(raw.ptr, raw.len, &lim, &b, &pe);
	if (err) {
		LOG(TNC, 0, "malformed PB-TNC batch from the server: %s at offset %u (%s)",
		    pb_error_code_name(PB_VENDOR_IETF, (uint16_t)pe.code), pe.offset,
		    pe.reason ? pe.reason : tnc_strerror(err));
		send_fatal(pb, pe.code, pe.offset, raw.len ? raw.ptr[0] : 0);
		return err;
	}
	LOG(TNC, 1, "processing PB-TNC %s batch", pb_batch_type_name(b.type));
	if (!type_allowed(pb->state, b.type)) {
		LOG(TNC, 0, "unexpected PB-TNC %s batch in state '%s'", pb_batch_type_name(b.type),
		    state_names[pb->state]);
		pb_batch_clear(&b);
		send_fatal(pb, PB_ERROR_UNEXPECTED_BATCH_TYPE, 0, 0);
		return TNC_ESTATE;
	}
	enter(pb, b.type);
	for (size_t i = 0; i < b.count && ok; i++)
		ok = handle_msg(pb, &b.msgs[i]);
	uint8_t type = b.type;
	pb_batch_clear(&b);
	return answer(pb, type, ok, ret_done);
}

int
pb_client_run(struct pb_client *pb)
{
	bool done = false;

	imc_os_begin_handshake(pb->imc);
	if (pb->attest)
		imc_attest_begin_handshake(pb->attest);
	if (pb->swima)
		imc_swima_begin_handshake(pb->swima);
	int err = send_cdata(pb, PB_BATCH_CDATA, true);
	while (!err && !done) {
		struct bytes raw;
		err = pb->transport.recv_batch(pb->transport.arg, &raw);
		if (!err)
			err = handle_batch(pb, raw, &done);
	}
	return err;
}
