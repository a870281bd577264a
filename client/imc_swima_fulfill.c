/* imc_swima_fulfill.c - the SWIMA IMC's answers (see imc_swima_int.h): the
 * inventory or events a request (or a subscription) asks for, read from
 * the package source (sw_source.h), sent whole, in segments, or refused with a SWIMA error.
 */
#include <stdio.h>
#include <string.h>

#include "imc_swima_int.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_segment.h"
#include "pa_tnc.h"

#define ERROR_VALUE_MAX 4096

void
swima_error(struct swima_reply *r, struct pa_swima_error *e, const char *why)
{
	struct wire_writer w;

	e->description = (struct bytes){(const uint8_t *)why, strlen(why)};
	LOG(IMV, 1, "sending PA-TNC error '%s' for request %u: %s",
	    pa_tnc_error_code_name(PA_TNC_VENDOR_IETF, e->code), e->request_id, why);
	wire_writer_init(&w, ERROR_VALUE_MAX);
	pa_swima_error_encode(&w, e);
	imc_reply_put(&r->out, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, &w);
}

/* The largest attribute (header and value) the IMV of r takes from us. */
static size_t
answer_limit(struct swima_reply *r)
{
	const struct pa_segment_contract *c = imc_segments_contract(&r->imc->segs, r->out.imv);
	size_t max = c ? c->max_msg_size : SWIMA_MSG_MAX - PA_TNC_HEADER_LEN;

	return max < IMC_SWIMA_ANSWER_MAX ? max : IMC_SWIMA_ANSWER_MAX;
}

/* The writer of an answer attribute of type: its header (Length patched
 * by put_answer()), then the value a builder appends; appends past
 * answer_limit() fail. */
static void
answer_writer(struct swima_reply *r, struct wire_writer *w, uint32_t type)
{
	wire_writer_init(w, answer_limit(r));
	wire_put_u8(w, 0); /* flags */
	wire_put_u24(w, PA_TNC_VENDOR_IETF);
	wire_put_u32(w, type);
	wire_put_u32(w, 0);
}

/* The attribute of answer_writer() in w: whole, in segments, or refused
 * as too large. */
static void
put_answer(struct swima_reply *r, uint32_t type, struct wire_writer *w, uint32_t request_id)
{
	struct imc_segments *segs = &r->imc->segs;
	const struct pa_segment_contract *c = imc_segments_contract(segs, r->out.imv);
	size_t limit = answer_limit(r);
	int err = wire_writer_status(w);
	char why[SWIMA_REASON_MAX];

	if (err == TNC_ETOOLONG) {
		snprintf(why, sizeof(why), "the %s is larger than the %zu bytes IMV %u takes",
		    pa_tnc_attr_name(PA_TNC_VENDOR_IETF, type), limit, r->out.imv);
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE,
		    .request_id = request_id, .max_size = (uint32_t)limit}, why);
		return;
	}
	if (err) {
		snprintf(why, sizeof(why), "the %s cannot be encoded: %s",
		    pa_tnc_attr_name(PA_TNC_VENDOR_IETF, type), tnc_strerror(err));
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA,
		    .request_id = request_id}, why);
		return;
	}
	if (!c || w->len <= c->max_seg_size) {
		imc_reply_add(&r->out, PA_TNC_VENDOR_IETF, type, (struct bytes){
		    w->buf + PA_TNC_ATTR_HEADER_LEN, w->len - PA_TNC_ATTR_HEADER_LEN});
		return;
	}
	/* the whole attribute, its header first, is what the segments carry */
	wire_patch_u32(w, 8, (uint32_t)w->len);
	uint32_t id = imc_segments_start(segs, r->out.imv, (struct bytes){w->buf, w->len},
	    c->max_seg_size);
	if (!id) {
		snprintf(why, sizeof(why), "the %s cannot be cut into segments of %u bytes",
		    pa_tnc_attr_name(PA_TNC_VENDOR_IETF, type), c->max_seg_size);
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA,
		    .request_id = request_id}, why);
		return;
	}
	LOG(IMV, 1, "the answer (%zu bytes) exceeds the maximum segment size of %u bytes: "
	    "segmenting it with base message ID %u", w->len, c->max_seg_size, id);
	imc_segments_send(segs, &r->out, id);
}

static const char *
answer_kind(uint32_t type)
{
	switch (type) {
	case PA_IETF_SW_IDENTIFIER_INVENTORY: return "SW ID inventory";
	case PA_IETF_SW_INVENTORY: return "SW inventory";
	case PA_IETF_SW_IDENTIFIER_EVENTS: return "SW ID events";
	default: return "SW events";
	}
}

/* The inventory answering a request (or a subscription, with its ID). */
static void
answer_inventory(struct swima_reply *r, const struct imc_swima_targets *t,
    struct imc_swima_answer *a)
{
	const struct imc_swima_config *cfg = r->imc->cfg;
	struct sw_inventory inv;
	struct wire_writer w;
	char why[SWIMA_REASON_MAX];
	uint32_t type = a->ids_only ? PA_IETF_SW_IDENTIFIER_INVENTORY : PA_IETF_SW_INVENTORY;

	sw_inventory_init(&inv);
	if (sw_source_inventory(&cfg->source, &inv, &cfg->naming, why, sizeof(why)) != 0) {
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA,
		    .request_id = a->request_id}, why);
		return;
	}
	answer_writer(r, &w, type);
	int err = imc_swima_answer_inventory(&w, &cfg->naming, &inv, t, a);
	if (err) {
		snprintf(why, sizeof(why), "no SWID tag: %s", tnc_strerror(err));
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA,
		    .request_id = a->request_id}, why);
	} else {
		LOG(IMV, 1, "collected %zu %s records of %zu packages at last eid %u of epoch 0x%08x "
		    "(%zu bytes)", a->count, answer_kind(type), inv.count, a->last_eid, a->epoch,
		    w.len);
		put_answer(r, type, &w, a->request_id);
	}
	wire_writer_clear(&w);
	sw_inventory_clear(&inv);
}

void
swima_answer_events(struct swima_reply *r, const struct sw_events *ev, size_t first,
    size_t count, const struct imc_swima_targets *t, struct imc_swima_answer *a)
{
	const struct imc_swima_config *cfg = r->imc->cfg;
	struct wire_writer w;
	char why[SWIMA_REASON_MAX];
	uint32_t type = a->ids_only ? PA_IETF_SW_IDENTIFIER_EVENTS : PA_IETF_SW_EVENTS;

	answer_writer(r, &w, type);
	int err = imc_swima_answer_events(&w, &cfg->naming, ev, first, count, t, a);
	if (err) {
		snprintf(why, sizeof(why), "no SWID tag: %s", tnc_strerror(err));
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA,
		    .request_id = a->request_id}, why);
	} else {
		LOG(IMV, 1, "collected %zu %s at last eid %u of epoch 0x%08x (%zu bytes)", a->count,
		    answer_kind(type), a->last_eid, a->epoch, w.len);
		put_answer(r, type, &w, a->request_id);
	}
	wire_writer_clear(&w);
}

bool
swima_load_events(struct swima_reply *r, struct sw_events *ev, uint32_t request_id)
{
	const struct imc_swima_config *cfg = r->imc->cfg;
	char why[SWIMA_REASON_MAX];

	sw_events_init(ev);
	swima_mark_logs(r->imc);
	if (sw_source_events(&cfg->source, ev, &cfg->naming, why, sizeof(why)) != 0) {
		swima_error(r, &(struct pa_swima_error){.code = PA_TNC_ERROR_SWIMA,
		    .request_id = request_id}, why);
		return false;
	}
	if (ev->new_epoch_reason)
		LOG(IMV, 1, "new EID epoch 0x%08x: %s", ev->epoch, ev->new_epoch_reason);
	return true;
}

bool
swima_fulfill(struct swima_reply *r, uint32_t earliest_eid, const struct imc_swima_targets *t,
    struct imc_swima_answer *a)
{
	struct sw_events ev;
	size_t first, count;

	if (!swima_load_events(r, &ev, a->request_id))
		return false;
	a->epoch = ev.epoch;
	a->last_eid = ev.last_eid;
	if (earliest_eid == 0) {
		answer_inventory(r, t, a);
	} else if (sw_events_since(&ev, ev.epoch, earliest_eid - 1, &first, &count) ==
	    SW_EVENTS_LISTED) {
		swima_answer_events(r, &ev, first, count, t, a);
	} else {
		LOG(IMV, 1, "events from eid %u are no longer kept: sending the whole inventory",
		    earliest_eid);
		answer_inventory(r, t, a);
	}
	sw_events_clear(&ev);
	return true;
}
