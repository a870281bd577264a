/* swima_attrs.c - the attributes of a received SWIMA or Operating System
 * message (see swima_attrs.h).
 *
 * An inventory or events attribute answers the request out (its Request
 * ID Copy) or is the subscription's (its Subscription ID); its records go
 * into the connection's upload for tnc-policy (swima_upload.h) right away,
 * as views of the message are gone after the call.  SWID tags are parsed
 * (swid_tag.h) before they are kept: their name and version are the
 * package's.  Anything else of SWIMA that is not asked for is refused.
 * The message is taken apart by imv_rx.h (with the TCG Segmentation
 * attributes); an Operating System message by imv_endpoint.h.
 */
#include "swima_attrs.h"

#include <stdio.h>
#include <string.h>

#include "ipc_frame.h"
#include "imv_rx.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_swima.h"
#include "swid_tag.h"
#include "swima_names.h"

#define ATTRS_MAX 64 /* attributes in one SWIMA message; each holds thousands of records */

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_INVENTORY},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_INVENTORY},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_EVENTS},
	{PA_TNC_VENDOR_IETF, PA_IETF_SUBSCRIPTION_STATUS_RESPONSE},
	{PA_TNC_VENDOR_IETF, PA_IETF_SOURCE_METADATA_RESPONSE},
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

/* --- SWIMA --- */

/* Whom an inventory or events attribute with this Request ID Copy
 * answers: NULL for the request out (*ret_sub false) or the
 * subscription (*ret_sub true), else why it is refused. */
static const char *
answers(const struct swima_state *st, uint32_t request_id, bool records, bool *ret_sub)
{
	*ret_sub = false;
	if (st->subscribed && request_id == st->sub_id &&
	    (st->request == SWIMA_REQ_NONE || st->answered || request_id != st->request_id)) {
		*ret_sub = true;
		return records ? "a subscription's SWID tags, which the IMV never asks for" : NULL;
	}
	if (st->request == SWIMA_REQ_NONE || request_id != st->request_id)
		return "an answer to no request of the IMV";
	if (st->answered)
		return "a second answer to a request";
	if (records != (st->request == SWIMA_REQ_TAGS))
		return records ? "SWID tags when identifiers were asked for" :
		    "identifiers when SWID tags were asked for";
	return NULL;
}

static const char *
upload_refusal(int err)
{
	return err == TNC_ETOOLONG ? "more records than the IMV takes, or a field longer than "
	    "tnc-policy stores" : "a record tnc-policy cannot store";
}

/* Package and version of an identifier from its name and the endpoint's
 * product (swima_names.h). */
static void
id_parts(const struct swima_state *st, struct ipc_sw_id *id, char *pkg_buf)
{
	char prefix[SWIMA_PREFIX_MAX];
	swima_names_prefix(prefix, sizeof(prefix), st->endpoint.product, st->endpoint.version);
	swima_names_parts(id, prefix, pkg_buf);
}

/* The upload for an answer (or, sub, the subscription's events).  One
 * message may carry both: the answer wins, and the subscription's events
 * are dropped (the next request asks for them again, from the stored EID). */
static bool
begin_upload(struct swima_state *st, enum swima_upload_kind kind, uint32_t epoch,
    uint32_t last_eid, bool sub)
{
	bool busy = st->upload.n > 0; /* an answer is taken once: busy with the subscription's */
	if (busy && sub) {
		LOG(IMV, 1, "IMV %u drops the events of subscription %u that came with an answer",
		    SWIMA_IMV_ID, st->sub_id);
		return false;
	}
	if (busy)
		LOG(IMV, 1, "IMV %u drops the events of subscription %u for the answer that came with "
		    "them", SWIMA_IMV_ID, st->sub_id);
	swima_upload_begin(&st->upload, kind, epoch, last_eid, st->cfg->max_records,
	    st->cfg->max_bytes);
	st->sub_upload = sub;
	if (!sub)
		st->answered = true;
	return true;
}

/* The identifiers of an inventory, for tnc-policy. */
static int
take_ids(struct imv_rx *rx, const struct pa_tnc_attr *a, const struct pa_swima_inventory *v)
{
	struct swima_state *st = rx->st;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record r;
	char pkg[IPC_POLICY_VALUE_MAX + 1];

	begin_upload(st, SWIMA_UP_INVENTORY, v->eid_epoch, v->last_eid, false);
	st->counts.inventory = true;
	st->counts.records = v->count;
	pa_swima_inventory_iter_init(&it, v);
	while (pa_swima_inventory_next(&it, &r)) {
		struct ipc_sw_id id = {.name = r.sw_id};
		id_parts(st, &id, pkg);
		int err = swima_upload_id(&st->upload, &id);
		if (err)
			return imv_rx_refuse(rx, a, upload_refusal(err));
	}
	return 0;
}

/* The SWID tags of a targeted request, each parsed: its name and version
 * are the package's. */
static int
take_tags(struct imv_rx *rx, const struct pa_tnc_attr *a, const struct pa_swima_inventory *v)
{
	struct swima_state *st = rx->st;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record r;
	char why[200];

	begin_upload(st, SWIMA_UP_TAGS, 0, 0, false);
	pa_swima_inventory_iter_init(&it, v);
	while (pa_swima_inventory_next(&it, &r)) {
		struct swid_tag t;
		const char *reason;
		if (r.dm_pen != 0 || r.dm_type != PA_SWIMA_DM_ISO_2015) {
			snprintf(why, sizeof(why), "record %u is a %s, not an ISO/IEC 19770-2:2015 tag",
			    r.record_id, pa_swima_data_model_name(r.dm_pen, r.dm_type));
			return imv_rx_refuse(rx, a, why);
		}
		if (r.record.len > IPC_SW_TAG_MAX) {
			snprintf(why, sizeof(why), "the SWID tag of record %u is longer than %u octets",
			    r.record_id, IPC_SW_TAG_MAX);
			return imv_rx_refuse(rx, a, why);
		}
		if (swid_tag_parse(r.record.ptr, r.record.len, &t, &reason) != 0) {
			snprintf(why, sizeof(why), "the SWID tag of record %u: %s", r.record_id, reason);
			return imv_rx_refuse(rx, a, why);
		}
		struct ipc_sw_id id = {.name = r.sw_id};
		if (t.name && strlen(t.name) <= IPC_POLICY_VALUE_MAX)
			id.package = (struct bytes){(const uint8_t *)t.name, strlen(t.name)};
		if (t.version && strlen(t.version) <= IPC_POLICY_VALUE_MAX)
			id.version = (struct bytes){(const uint8_t *)t.version, strlen(t.version)};
		if (t.tag_creator_regid && strlen(t.tag_creator_regid) <= IPC_POLICY_VALUE_MAX)
			id.regid = (struct bytes){(const uint8_t *)t.tag_creator_regid,
			    strlen(t.tag_creator_regid)};
		int err = swima_upload_tag(&st->upload, &id, r.record);
		swid_tag_clear(&t);
		if (err)
			return imv_rx_refuse(rx, a, upload_refusal(err));
		st->counts.tags++;
	}
	return 0;
}

/* Software (Identifier) Inventory: the identifiers asked for, or the tags
 * of a targeted request. */
static int
on_inventory(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct swima_state *st = rx->st;
	bool records = a->type == PA_IETF_SW_INVENTORY, sub;
	struct pa_swima_inventory v;
	struct parse_error pe;
	const char *why;

	if (pa_swima_inventory_decode(a->value, records, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if ((why = answers(st, v.request_id, records, &sub)) != NULL)
		return imv_rx_refuse(rx, a, why);
	if (sub)
		return imv_rx_refuse(rx, a, "an inventory for a subscription, which asks for events");
	LOG(IMV, 1, "received software %s inventory with %u items for request %u at last eid %u "
	    "of epoch 0x%08x", records ? "tag" : "ID", v.count, v.request_id, v.last_eid,
	    v.eid_epoch);
	return records ? take_tags(rx, a, &v) : take_ids(rx, a, &v);
}

static int
on_events(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct swima_state *st = rx->st;
	bool records = a->type == PA_IETF_SW_EVENTS, sub;
	struct pa_swima_events v;
	struct pa_swima_events_iter it;
	struct pa_swima_event e;
	struct parse_error pe;
	char pkg[IPC_POLICY_VALUE_MAX + 1];
	const char *why;

	if (pa_swima_events_decode(a->value, records, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if ((why = answers(st, v.request_id, records, &sub)) != NULL)
		return imv_rx_refuse(rx, a, why);
	LOG(IMV, 1, "received software ID events with %u items for %s %u at last eid %u of epoch "
	    "0x%08x", v.count, sub ? "subscription" : "request", v.request_id, v.last_eid,
	    v.eid_epoch);
	if (!sub && !st->known)
		return imv_rx_refuse(rx, a, "events when a whole inventory was asked for");
	if (!sub && v.eid_epoch != st->epoch) {
		/* the endpoint's EIDs restarted: what it counts from is not ours */
		LOG(IMV, 1, "IMV %u: the EID epoch changed from 0x%08x to 0x%08x - asking for the "
		    "whole inventory", SWIMA_IMV_ID, st->epoch, v.eid_epoch);
		st->epoch_changed = st->answered = true;
		return 0;
	}
	if (!begin_upload(st, SWIMA_UP_EVENTS, v.eid_epoch, v.last_eid, sub))
		return 0;
	if (!sub) {
		st->counts.inventory = false;
		st->counts.records = v.count;
	}
	pa_swima_events_iter_init(&it, &v);
	while (pa_swima_events_next(&it, &e)) {
		struct ipc_sw_event ev = {e.eid, e.timestamp, e.action, {.name = e.rec.sw_id}};
		id_parts(st, &ev.id, pkg);
		LOG(IMV, 3, "  %u %.*s %u: %.*s", e.eid, (int)e.timestamp.len,
		    (const char *)e.timestamp.ptr, e.action, (int)e.rec.sw_id.len,
		    (const char *)e.rec.sw_id.ptr);
		int err = swima_upload_event(&st->upload, &ev);
		if (err)
			return imv_rx_refuse(rx, a, err == TNC_EINVALID ? "an event action that is not "
			    "creation, deletion or alteration" : upload_refusal(err));
	}
	return 0;
}

/* Answers the IMV never asks for: logged. */
static int
on_status(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct swima_state *st = rx->st;
	LOG(IMV, 1, "IMV %u ignores an unrequested %s attribute of IMC %u", SWIMA_IMV_ID,
	    pa_tnc_attr_name(a->vendor, a->type), st->link.imc_id);
	return 0;
}

static int
on_error(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct swima_state *st = rx->st;
	struct pa_ietf_error v;
	struct pa_swima_error se;
	struct parse_error pe;
	bool swima;

	if (pa_ietf_error_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	swima = pa_swima_is_error_code(v.vendor, v.code);
	if (swima && pa_swima_error_decode(v.code, v.info, &se, &pe)) {
		pe.offset += 8; /* Reserved, Error Code Vendor ID and Error Code come first */
		return imv_rx_bad(rx, a, &pe, NULL);
	}
	LOG(IMV, 1, "received PA-TNC error '%s' from IMC %u%s%.*s", pa_tnc_error_code_name(v.vendor,
	    v.code), st->link.imc_id, swima && se.description.len ? ": " : "",
	    swima ? (int)se.description.len : 0, swima ? (const char *)se.description.ptr : "");
	/* the IMC cannot keep what it was asked: it holds no subscription of ours */
	if (st->subscribed) {
		LOG(IMV, 1, "IMV %u clears subscription %u of IMC %u", SWIMA_IMV_ID, st->sub_id,
		    st->link.imc_id);
		st->subscribed = false;
	}
	if (st->request != SWIMA_REQ_NONE && !st->answered &&
	    (!swima || se.request_id == st->request_id)) {
		snprintf(st->refused, sizeof(st->refused), "the IMC refused SWIMA request %u: %s",
		    st->request_id, pa_tnc_error_code_name(v.vendor, v.code));
		st->answered = true;
	}
	return 0;
}

static const struct imv_rx_handler handlers[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_INVENTORY, on_inventory},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_INVENTORY, on_inventory},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS, on_events},
	{PA_TNC_VENDOR_IETF, PA_IETF_SW_EVENTS, on_events},
	{PA_TNC_VENDOR_IETF, PA_IETF_SUBSCRIPTION_STATUS_RESPONSE, on_status},
	{PA_TNC_VENDOR_IETF, PA_IETF_SOURCE_METADATA_RESPONSE, on_status},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, on_error},
};

static const struct imv_rx_ops rx_ops = {
	.imv_id = SWIMA_IMV_ID,
	.limits = &limits,
	.handlers = handlers,
	.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
	.fail = swima_state_fail,
	.os_style = false,
};

void
swima_attrs_process(struct swima_state *st, bool swima, const uint8_t *msg, size_t len)
{
	if (!swima) {
		imv_endpoint_read(&st->endpoint, msg, len);
		return;
	}
	imv_rx_process(&rx_ops, st, &st->link, &st->reasm, msg, len);
}
