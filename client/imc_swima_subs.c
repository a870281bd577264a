/* imc_swima_subs.c - the SWIMA IMC's subscriptions (see imc_swima.h,
 * imc_swima_int.h): established by a request's S flag, reported on when
 * a handshake starts or the logs grow, listed on Subscription Status
 * Request.
 */
#include <stdlib.h>
#include <string.h>

#include "imc_swima_int.h"
#include "log.h"
#include "pa_ietf.h"

size_t
imc_swima_subscriptions(const struct imc_swima *imc)
{
	size_t n = 0;

	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS; i++)
		n += imc->subs[i].used;
	return n;
}

void
swima_drop_subscription(struct swima_subscription *s)
{
	free(s->ids);
	memset(s, 0, sizeof(*s));
}

struct swima_subscription *
swima_find_subscription(struct imc_swima *imc, uint16_t imv, uint32_t id)
{
	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS; i++)
		if (imc->subs[i].used && imc->subs[i].imv == imv && imc->subs[i].id == id)
			return &imc->subs[i];
	return NULL;
}

void
swima_clear_subscriptions(struct imc_swima *imc, uint16_t imv)
{
	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS; i++) {
		if (imc->subs[i].used && imc->subs[i].imv == imv) {
			LOG(IMV, 1, "SWIMA subscription %u of IMV %u cleared", imc->subs[i].id, imv);
			swima_drop_subscription(&imc->subs[i]);
		}
	}
}

struct swima_subscription *
swima_subscribe(struct swima_reply *r, const struct pa_swima_request *req)
{
	struct imc_swima *imc = r->imc;
	struct swima_subscription *s = NULL;

	if (swima_find_subscription(imc, r->out.imv, req->request_id)) {
		swima_error(r, &(struct pa_swima_error){.code =
		    PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE, .request_id = req->request_id},
		    "a subscription of this IMV has this ID");
		return NULL;
	}
	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS && !s; i++)
		if (!imc->subs[i].used)
			s = &imc->subs[i];
	if (!s) {
		swima_error(r, &(struct pa_swima_error){.code =
		    PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED, .request_id = req->request_id},
		    "no more subscriptions are kept");
		return NULL;
	}
	*s = (struct swima_subscription){.used = true, .imv = r->out.imv, .id = req->request_id,
	    .flags = req->flags & PA_SWIMA_REQ_IDS_ONLY, .earliest_eid = req->earliest_eid,
	    .count = req->count, .ids_len = req->ids.len};
	if (!(s->ids = malloc(req->ids.len ? req->ids.len : 1)))
		abort();
	if (req->ids.len)
		memcpy(s->ids, req->ids.ptr, req->ids.len);
	LOG(IMV, 1, "SWIMA subscription %u of IMV %u established", s->id, r->out.imv);
	return s;
}

int
swima_on_subscription_status(struct swima_reply *r, struct bytes value,
    struct parse_error *pe)
{
	struct pa_swima_subscription subs[IMC_SWIMA_SUBSCRIPTIONS];
	struct wire_writer w;
	size_t n = 0;
	int err = pa_swima_subscription_status_request_decode(value, pe);

	if (err)
		return err;
	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS; i++) {
		const struct swima_subscription *s = &r->imc->subs[i];
		if (!s->used || s->imv != r->out.imv)
			continue;
		subs[n++] = (struct pa_swima_subscription){s->id, {.flags = s->flags,
		    .request_id = s->id, .earliest_eid = s->earliest_eid, .count = s->count,
		    .ids = {s->ids, s->ids_len}}};
	}
	LOG(IMV, 1, "IMV %u asks for its subscriptions: %zu", r->out.imv, n);
	wire_writer_init(&w, SWIMA_MSG_MAX);
	pa_swima_subscription_status_encode(&w, 0, subs, n);
	if (wire_writer_status(&w) == 0)
		imc_reply_add(&r->out, PA_TNC_VENDOR_IETF, PA_IETF_SUBSCRIPTION_STATUS_RESPONSE,
		    (struct bytes){w.buf, w.len});
	wire_writer_clear(&w);
	return 0;
}

/* The events s is owed, queued to its IMV; false when there are none. */
static bool
fire(struct imc_swima *imc, struct swima_subscription *s)
{
	struct swima_reply r;
	struct pa_swima_request req = {.count = s->count, .ids = {s->ids, s->ids_len}};
	struct imc_swima_targets t;
	struct sw_events ev;
	size_t first, count, named = 0;

	swima_reply_init(&r, imc, s->imv);
	if (!swima_load_events(&r, &ev, s->id)) {
		(void)imc_reply_send(&r.out);
		return true;
	}
	/* a new epoch: everything in it is new to the IMV */
	uint32_t after = ev.epoch == s->epoch ? s->last_eid : 0;
	imc_swima_targets_init(&t, &req);
	if (sw_events_since(&ev, ev.epoch, after, &first, &count) != SW_EVENTS_LISTED) {
		swima_error(&r, &(struct pa_swima_error){.code =
		    PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT, .request_id = s->id,
		    .sub_vendor = PA_TNC_VENDOR_IETF, .sub_code = PA_TNC_ERROR_SWIMA},
		    "the events since the last report are no longer kept");
		swima_drop_subscription(s);
	} else {
		for (size_t i = first; i < first + count; i++)
			named += imc_swima_targets_has(&t, ev.v[i].pkg.sw_id);
		LOG(IMV, 1, "SWIMA subscription %u of IMV %u: %zu of %zu events since eid %u of "
		    "epoch 0x%08x are its", s->id, s->imv, named, count, after, ev.epoch);
		struct imc_swima_answer a = {.ids_only = s->flags & PA_SWIMA_REQ_IDS_ONLY,
		    .request_id = s->id, .epoch = ev.epoch, .last_eid = ev.last_eid};
		if (named > 0)
			swima_answer_events(&r, &ev, first, count, &t, &a);
		s->epoch = ev.epoch;
		s->last_eid = ev.last_eid;
	}
	imc_swima_targets_clear(&t);
	sw_events_clear(&ev);
	return imc_reply_send(&r.out);
}

bool
imc_swima_poll(struct imc_swima *imc)
{
	bool sent = false;

	for (size_t i = 0; i < IMC_SWIMA_SUBSCRIPTIONS; i++)
		if (imc->subs[i].used)
			sent |= fire(imc, &imc->subs[i]);
	return sent;
}
