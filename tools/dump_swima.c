/* dump_swima.c - the SWIMA attributes (RFC 8412) for tncdump: the request,
 * inventories and events (one line per record or event, cut after
 * TREE_LIST_CUT unless --all), subscription status and source metadata.
 */
#include "dump_swima.h"

#include "pa_ietf.h"
#include "pa_swima.h"

static const char *
flag_text(uint8_t flags)
{
	static const char *const names[8] = {
		"", " [R]", " [S]", " [S R]", " [C]", " [C R]", " [C S]", " [C S R]",
	};

	return names[flags >> 5];
}

static int
request(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_swima_request req;
	struct pa_swima_ids_iter it;
	struct bytes id;
	char text[TREE_QUOTE_MAX];
	size_t n, i = 0;
	int err;

	if ((err = pa_swima_request_decode(value, &req, e)))
		return err;
	tree_line(t, "flags 0x%02x%s, request ID %u, earliest EID %u, %u software identifier%s",
	    req.flags, flag_text(req.flags), req.request_id, req.earliest_eid, req.count,
	    tree_plural(req.count));
	n = tree_list_limit(t, req.count);
	pa_swima_ids_iter_init(&it, req.ids);
	while (i < n && pa_swima_ids_next(&it, &id)) {
		tree_line(t, "%s", tree_quote(text, id));
		i++;
	}
	tree_more(t, i, req.count);
	return 0;
}

/* One record on one line, its tag (if any) a level deeper. */
static void
record_line(struct tree *t, const char *prefix, const struct pa_swima_record *r)
{
	char id[TREE_QUOTE_MAX], loc[TREE_QUOTE_MAX];

	tree_line(t, "%srecord %u, %s (0x%06x/%u), source %u, %s%s%s", prefix, r->record_id,
	    pa_swima_data_model_name(r->dm_pen, r->dm_type), r->dm_pen, r->dm_type, r->source_id,
	    tree_quote(id, r->sw_id), r->locator.len ? ", locator " : "",
	    r->locator.len ? tree_quote(loc, r->locator) : "");
	if (r->record.len) {
		tree_push(t);
		tree_hex(t, "tag", r->record);
		tree_pop(t);
	}
}

static int
inventory(struct tree *t, struct bytes value, bool with_records, struct parse_error *e)
{
	struct pa_swima_inventory inv;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record r;
	size_t n, i = 0;
	int err;

	if ((err = pa_swima_inventory_decode(value, with_records, &inv, e)))
		return err;
	tree_line(t, "flags 0x%02x, request ID %u, EID epoch 0x%08x, last EID %u, %u record%s",
	    inv.flags, inv.request_id, inv.eid_epoch, inv.last_eid, inv.count,
	    tree_plural(inv.count));
	n = tree_list_limit(t, inv.count);
	pa_swima_inventory_iter_init(&it, &inv);
	while (i < n && pa_swima_inventory_next(&it, &r)) {
		record_line(t, "", &r);
		i++;
	}
	tree_more(t, i, inv.count);
	return 0;
}

static int
id_inventory(struct tree *t, struct bytes value, struct parse_error *e)
{
	return inventory(t, value, false, e);
}

static int
sw_inventory(struct tree *t, struct bytes value, struct parse_error *e)
{
	return inventory(t, value, true, e);
}

static int
events(struct tree *t, struct bytes value, bool with_records, struct parse_error *e)
{
	struct pa_swima_events ev;
	struct pa_swima_events_iter it;
	struct pa_swima_event x;
	size_t n, i = 0, count[4] = {0};
	char prefix[128], ts[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_swima_events_decode(value, with_records, &ev, e)))
		return err;
	/* The decoder admits only the three defined actions. */
	pa_swima_events_iter_init(&it, &ev);
	while (pa_swima_events_next(&it, &x))
		count[x.action]++;
	tree_line(t, "flags 0x%02x, request ID %u, EID epoch 0x%08x, last EID %u, last consulted "
	    "EID %u, %u event%s (%zu creation%s, %zu deletion%s, %zu alteration%s)", ev.flags,
	    ev.request_id, ev.eid_epoch, ev.last_eid, ev.last_consulted_eid, ev.count,
	    tree_plural(ev.count), count[PA_SWIMA_ACTION_CREATION],
	    tree_plural(count[PA_SWIMA_ACTION_CREATION]), count[PA_SWIMA_ACTION_DELETION],
	    tree_plural(count[PA_SWIMA_ACTION_DELETION]), count[PA_SWIMA_ACTION_ALTERATION],
	    tree_plural(count[PA_SWIMA_ACTION_ALTERATION]));
	n = tree_list_limit(t, ev.count);
	pa_swima_events_iter_init(&it, &ev);
	while (i < n && pa_swima_events_next(&it, &x)) {
		snprintf(prefix, sizeof(prefix), "EID %u %s %s: ", x.eid, tree_quote(ts, x.timestamp),
		    pa_swima_action_name(x.action));
		record_line(t, prefix, &x.rec);
		i++;
	}
	tree_more(t, i, ev.count);
	return 0;
}

static int
id_events(struct tree *t, struct bytes value, struct parse_error *e)
{
	return events(t, value, false, e);
}

static int
sw_events(struct tree *t, struct bytes value, struct parse_error *e)
{
	return events(t, value, true, e);
}

static int
status_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	int err;

	if ((err = pa_swima_subscription_status_request_decode(value, e)))
		return err;
	tree_line(t, "(empty)");
	return 0;
}

static int
status(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_swima_subscription_status s;
	struct pa_swima_subscriptions_iter it;
	struct pa_swima_subscription sub;
	size_t n, i = 0;
	int err;

	if ((err = pa_swima_subscription_status_decode(value, &s, e)))
		return err;
	tree_line(t, "flags 0x%02x, %u subscription%s", s.flags, s.count, tree_plural(s.count));
	n = tree_list_limit(t, s.count);
	pa_swima_subscriptions_iter_init(&it, &s);
	while (i < n && pa_swima_subscriptions_next(&it, &sub)) {
		tree_line(t, "subscription %u: flags 0x%02x%s, earliest EID %u, %u software "
		    "identifier%s", sub.subscription_id, sub.req.flags, flag_text(sub.req.flags),
		    sub.req.earliest_eid, sub.req.count, tree_plural(sub.req.count));
		i++;
	}
	tree_more(t, i, s.count);
	return 0;
}

static int
source_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	uint32_t id;
	int err;

	if ((err = pa_swima_source_metadata_request_decode(value, &id, e)))
		return err;
	tree_line(t, "request ID %u", id);
	return 0;
}

static int
sources(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_swima_source_metadata m;
	struct pa_swima_sources_iter it;
	struct pa_swima_source s;
	char text[TREE_QUOTE_MAX];
	size_t n, i = 0;
	int err;

	if ((err = pa_swima_source_metadata_decode(value, &m, e)))
		return err;
	tree_line(t, "request ID %u, %u source%s", m.request_id, m.count, tree_plural(m.count));
	n = tree_list_limit(t, m.count);
	pa_swima_sources_iter_init(&it, &m);
	while (i < n && pa_swima_sources_next(&it, &s)) {
		tree_line(t, "source %u: %s", s.source_id, tree_quote(text, s.metadata));
		i++;
	}
	tree_more(t, i, m.count);
	return 0;
}

dump_attr_fn *
dump_swima_decoder(uint32_t vendor, uint32_t type)
{
	if (!pa_swima_is_attr(vendor, type))
		return NULL;
	switch (type) {
	case PA_IETF_SWIMA_REQUEST:
		return request;
	case PA_IETF_SW_IDENTIFIER_INVENTORY:
		return id_inventory;
	case PA_IETF_SW_IDENTIFIER_EVENTS:
		return id_events;
	case PA_IETF_SW_INVENTORY:
		return sw_inventory;
	case PA_IETF_SW_EVENTS:
		return sw_events;
	case PA_IETF_SUBSCRIPTION_STATUS_REQUEST:
		return status_request;
	case PA_IETF_SUBSCRIPTION_STATUS_RESPONSE:
		return status;
	case PA_IETF_SOURCE_METADATA_REQUEST:
		return source_request;
	default: /* PA_IETF_SOURCE_METADATA_RESPONSE */
		return sources;
	}
}
