/* imc_swima.c - the SWIMA IMC (see imc_swima.h): RFC 8412 PA-TNC
 * messages of subtype IETF/SWIMA, TCG IF-M Segmentation (imc_segments.h)
 * for its large answers.
 *
 * Each PA message from an IMV is answered by at most one PA message to
 * that IMV: the Segmentation Contract Response (a contract request is
 * taken before the other attributes of its message, so it bounds their
 * answers), the answers or errors, a segment.  The inventory and the
 * event history are read for each request (imc_swima_fulfill.c), so an
 * answer is as fresh as the package database.
 */
#include "imc_swima.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "imc_ietf.h"
#include "imc_receive.h"
#include "imc_swima_int.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_segment.h"
#include "pa_tnc.h"
#include "sw_rpm_events.h"

#define MAX_RECV_LEN (1u << 20) /* the IMV's requests: targeted IDs at most */
#define MAX_ATTRS 64

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_SWIMA_REQUEST},
	{PA_TNC_VENDOR_IETF, PA_IETF_SUBSCRIPTION_STATUS_REQUEST},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL},
};

void
imc_swima_config_init(struct imc_swima_config *cfg, const struct os_facts *facts,
    const struct sw_source *src)
{
	size_t i;

	memset(cfg, 0, sizeof(*cfg));
	/* the product's first word: "Debian GNU/Linux" -> "debian.org" */
	for (i = 0; isalnum((unsigned char)facts->product[i]) && i + 5 < sizeof(cfg->regid); i++)
		cfg->regid[i] = (char)tolower((unsigned char)facts->product[i]);
	memcpy(cfg->regid + i, i ? ".org" : "unknown.org", i ? 5 : 12);
	struct sw_source *s = &cfg->source;
	*s = *src;
	if (!s->dpkg_status)
		s->dpkg_status = IMC_SWIMA_DPKG_STATUS;
	s->kind = sw_source_choose(s);
	if (s->kind == SW_SOURCE_DPKG && !s->events.logs[0] && !s->events.logs[1])
		memcpy(s->events.logs, sw_events_system.logs, sizeof(s->events.logs));
	if (!s->events.state)
		s->events.state = s->kind == SW_SOURCE_RPM ? sw_rpm_events_state :
		    sw_events_system.state;
	cfg->naming = (struct sw_naming){cfg->regid, IMC_SWIMA_ENTITY, facts->product,
	    facts->version, s->kind == SW_SOURCE_RPM ? SW_SYNTAX_RPM : SW_SYNTAX_DEBIAN};
}

struct imc_swima *
imc_swima_new(const struct imc_swima_config *cfg)
{
	struct imc_swima *imc = calloc(1, sizeof(*imc));

	if (!imc)
		abort();
	imc->cfg = cfg;
	imc_segments_init(&imc->segs);
	imc_msgq_init(&imc->queue);
	const struct sw_source *s = &cfg->source;
	char dir[4096];
	if (s->kind == SW_SOURCE_RPM)
		LOG(IMV, 1, "IMC %u \"%s\" initialized: rpm packages of '%s', state in '%s'",
		    IMC_SWIMA_ID, SWIMA_IMC_NAME, sw_rpm_db_dir(&s->rpm, dir, sizeof(dir)) == 0 ?
		    dir : "(a long path)", s->events.state);
	else
		LOG(IMV, 1, "IMC %u \"%s\" initialized: dpkg packages of '%s', events of '%s' "
		    "and '%s', state in '%s'", IMC_SWIMA_ID, SWIMA_IMC_NAME, s->dpkg_status,
		    s->events.logs[0] ? s->events.logs[0] : "-",
		    s->events.logs[1] ? s->events.logs[1] : "-", s->events.state);
	return imc;
}

void
swima_reply_init(struct swima_reply *r, struct imc_swima *imc, uint16_t imv)
{
	r->imc = imc;
	imc_reply_init(&r->out, &imc->queue, imv, SWIMA_MSG_MAX);
}

void
swima_forget(struct imc_swima *imc)
{
	imc_segments_forget(&imc->segs);
	imc_swima_drop(imc);
}

void
imc_swima_free(struct imc_swima *imc)
{
	if (!imc)
		return;
	swima_forget(imc);
	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS; i++)
		swima_drop_subscription(&imc->subs[i]);
	free(imc);
}

struct imc_msg *
imc_swima_take(struct imc_swima *imc)
{
	return imc_msgq_take_all(&imc->queue);
}

void
imc_swima_drop(struct imc_swima *imc)
{
	imc_msgq_drop(&imc->queue);
}

bool
imc_swima_wants(const struct pb_pa *pa)
{
	return imc_receive_wants(pa, IMC_SWIMA_VENDOR, IMC_SWIMA_SUBTYPE, IMC_SWIMA_ID);
}

void
imc_swima_begin_handshake(struct imc_swima *imc)
{
	swima_forget(imc);
	(void)imc_swima_poll(imc);
}

static int
on_request(struct swima_reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_swima_request req;
	struct imc_swima_targets t;
	struct swima_subscription *s = NULL;
	uint16_t imv = r->out.imv;
	int err = pa_swima_request_decode(value, &req, pe);

	if (err)
		return err;
	bool ids_only = req.flags & PA_SWIMA_REQ_IDS_ONLY;
	LOG(IMV, 1, "IMV %u sends SWIMA request %u for software %s with earliest eid %u and %u "
	    "targets%s%s", imv, req.request_id, ids_only ? "IDs" : "tags", req.earliest_eid,
	    req.count, (req.flags & PA_SWIMA_REQ_SUBSCRIBE) ? ", subscribing" : "",
	    (req.flags & PA_SWIMA_REQ_CLEAR_SUBSCRIPTIONS) ? ", clearing its subscriptions" : "");
	if (req.flags & PA_SWIMA_REQ_CLEAR_SUBSCRIPTIONS)
		swima_clear_subscriptions(r->imc, imv);
	else if (req.flags & PA_SWIMA_REQ_SUBSCRIBE) {
		s = swima_subscribe(r, &req);
		if (!s && swima_find_subscription(r->imc, imv, req.request_id))
			return 0; /* ID reuse: the request is not fulfilled */
	}
	struct imc_swima_answer a = {.ids_only = ids_only, .request_id = req.request_id};
	imc_swima_targets_init(&t, &req);
	bool answered = swima_fulfill(r, req.earliest_eid, &t, &a);
	imc_swima_targets_clear(&t);
	if (s && !answered) {
		/* with no history to count from, it could never report right */
		LOG(IMV, 1, "SWIMA subscription %u of IMV %u dropped with its request", s->id, imv);
		swima_drop_subscription(s);
	} else if (s) {
		s->epoch = a.epoch;
		s->last_eid = a.last_eid;
	}
	return 0;
}

static int
handle(void *ctx, const struct pa_tnc_attr *a, struct parse_error *pe)
{
	struct swima_reply *r = ctx;
	struct imc_segments *segs = &r->imc->segs;

	if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_SWIMA_REQUEST)
		return on_request(r, a->value, pe);
	if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_SUBSCRIPTION_STATUS_REQUEST)
		return swima_on_subscription_status(r, a->value, pe);
	if (a->vendor == PA_TNC_VENDOR_TCG) {
		switch (a->type) {
		case PA_SEGMENT_CONTRACT_REQUEST:
			return imc_segments_on_contract(segs, IMC_SWIMA_ID, &r->out, a->value, pe);
		case PA_SEGMENT_NEXT: return imc_segments_on_next(segs, &r->out, a->value, pe);
		case PA_SEGMENT_CANCEL: return imc_segments_on_cancel(segs, &r->out, a->value, pe);
		}
	}
	return imc_ietf_handle(a, r->out.imv, NULL, pe);
}

static const struct imc_receiver receiver = {IMC_SWIMA_ID, SWIMA_IMC_NAME,
	{MAX_RECV_LEN, MAX_ATTRS, supported, sizeof(supported) / sizeof(supported[0])}, true,
	handle};

void
imc_swima_receive(struct imc_swima *imc, const struct pb_pa *pa)
{
	struct swima_reply r;

	swima_reply_init(&r, imc, pa->validator_id);
	imc_receive(&receiver, &r, &r.out, pa);
}
