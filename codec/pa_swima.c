/* pa_swima.c - SWIMA Request, Subscription Status and Source Metadata
 * attributes (RFC 8412), the Software Identifier string and the names
 * (see pa_swima.h).  Inventories and events: pa_swima_inventory.c; error
 * information: pa_swima_error.c.
 */
#include "pa_swima.h"

#include "pa_ietf.h"
#include "pa_tnc.h"
#include "pa_value.h"

/* A Software Identifier with its 16-bit length. */
#define ID_MIN_LEN 3
/* Subscription ID, flags/count, Earliest EID. */
#define SUBSCRIPTION_MIN_LEN 12
/* Source ID Num, Reserved, metadata length. */
#define SOURCE_MIN_LEN 4

/* count identifiers, each a 16-bit length and non-empty text, from r;
 * *ret views them.  count_at: where the count field is, for the error. */
static int
get_ids(struct wire_reader *r, uint32_t count, size_t count_at, struct bytes *ret,
    struct parse_error *e)
{
	size_t from = wire_offset(r);

	if (count > wire_remaining(r) / ID_MIN_LEN)
		return pa_value_fail(e, TNC_ETOOLONG, count_at,
		    "software identifier count exceeds what the value can hold");
	for (uint32_t i = 0; i < count; i++) {
		size_t at = wire_offset(r);
		struct bytes id;
		uint16_t len;
		int err;

		if (wire_get_u16(r, &len))
			return pa_value_truncated(e, r);
		if (len == 0)
			return pa_value_fail(e, TNC_EINVALID, at, "software identifier is empty");
		if (wire_get_bytes(r, len, &id))
			return pa_value_fail(e, TNC_ETRUNCATED, at,
			    "software identifier length past the end of the value");
		if ((err = pa_value_check_text(id, at + 2, e)))
			return err;
	}
	/* No arithmetic on the NULL base of an empty reader. */
	*ret = (struct bytes){r->base ? r->base + from : NULL, wire_offset(r) - from};
	return 0;
}

int
pa_swima_request_decode(struct bytes value, struct pa_swima_request *ret,
    struct parse_error *ret_err)
{
	struct pa_swima_request v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.count) ||
	    wire_get_u32(&r, &v.request_id) || wire_get_u32(&r, &v.earliest_eid))
		return pa_value_truncated(ret_err, &r);
	if ((err = get_ids(&r, v.count, 1, &v.ids, ret_err)) ||
	    (err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_swima_ids_iter_init(struct pa_swima_ids_iter *it, struct bytes ids)
{
	wire_reader_init(&it->r, ids.ptr, ids.len);
}

bool
pa_swima_ids_next(struct pa_swima_ids_iter *it, struct bytes *ret)
{
	uint16_t len;

	return wire_remaining(&it->r) > 0 && wire_get_u16(&it->r, &len) == 0 &&
	    wire_get_bytes(&it->r, len, ret) == 0;
}

static void
put_ids(struct wire_writer *w, const struct bytes *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (ids[i].len == 0 || ids[i].len > UINT16_MAX || !pa_value_is_text(ids[i]))
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u16(w, (uint16_t)ids[i].len);
		wire_put_bytes(w, ids[i].ptr, ids[i].len);
	}
}

void
pa_swima_request_encode(struct wire_writer *w, const struct pa_swima_request *v,
    const struct bytes *ids, size_t n)
{
	if (n > PA_SWIMA_COUNT_MAX || (v->flags & 0x1f))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->flags);
	wire_put_u24(w, (uint32_t)n);
	wire_put_u32(w, v->request_id);
	wire_put_u32(w, v->earliest_eid);
	put_ids(w, ids, n);
}

int
pa_swima_subscription_status_request_decode(struct bytes value, struct parse_error *ret_err)
{
	if (value.len)
		return pa_value_fail(ret_err, TNC_ETRAILING, 0,
		    "subscription status request is not empty");
	return 0;
}

/* One subscription record at r. */
static int
get_subscription(struct wire_reader *r, struct pa_swima_subscription *s, struct parse_error *e)
{
	size_t at = wire_offset(r);

	if (wire_get_u32(r, &s->subscription_id) || wire_get_u8(r, &s->req.flags) ||
	    wire_get_u24(r, &s->req.count) || wire_get_u32(r, &s->req.earliest_eid))
		return pa_value_truncated(e, r);
	s->req.request_id = s->subscription_id;
	return get_ids(r, s->req.count, at + 5, &s->req.ids, e);
}

int
pa_swima_subscription_status_decode(struct bytes value, struct pa_swima_subscription_status *ret,
    struct parse_error *ret_err)
{
	struct pa_swima_subscription_status v;
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.count))
		return pa_value_truncated(ret_err, &r);
	if (v.count > wire_remaining(&r) / SUBSCRIPTION_MIN_LEN)
		return pa_value_fail(ret_err, TNC_ETOOLONG, 1,
		    "subscription record count exceeds what the value can hold");
	v.entries = (struct bytes){value.ptr + wire_offset(&r), wire_remaining(&r)};
	for (uint32_t i = 0; i < v.count; i++) {
		struct pa_swima_subscription s;

		if ((err = get_subscription(&r, &s, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_swima_subscriptions_iter_init(struct pa_swima_subscriptions_iter *it,
    const struct pa_swima_subscription_status *s)
{
	wire_reader_init(&it->r, s->entries.ptr, s->entries.len);
}

bool
pa_swima_subscriptions_next(struct pa_swima_subscriptions_iter *it,
    struct pa_swima_subscription *ret)
{
	struct parse_error ignored;

	return wire_remaining(&it->r) > 0 &&
	    get_subscription(&it->r, ret, &ignored) == 0;
}

void
pa_swima_subscription_status_encode(struct wire_writer *w, uint8_t flags,
    const struct pa_swima_subscription *subs, size_t n)
{
	if (n > PA_SWIMA_COUNT_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, flags);
	wire_put_u24(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct pa_swima_request *q = &subs[i].req;
		struct wire_reader r;
		struct bytes ids;
		struct parse_error ignored;

		/* The identifiers must be the encoding of q->count identifiers. */
		wire_reader_init(&r, q->ids.ptr, q->ids.len);
		if (q->count > PA_SWIMA_COUNT_MAX ||
		    get_ids(&r, q->count, 0, &ids, &ignored) || wire_remaining(&r))
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u32(w, subs[i].subscription_id);
		wire_put_u8(w, q->flags);
		wire_put_u24(w, q->count);
		wire_put_u32(w, q->earliest_eid);
		wire_put_bytes(w, q->ids.ptr, q->ids.len);
	}
}

int
pa_swima_source_metadata_request_decode(struct bytes value, uint32_t *ret_request_id,
    struct parse_error *ret_err)
{
	struct wire_reader r;
	uint32_t id;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, &id))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret_request_id = id;
	return 0;
}

void
pa_swima_source_metadata_request_encode(struct wire_writer *w, uint32_t request_id)
{
	wire_put_u32(w, request_id);
}

static int
get_source(struct wire_reader *r, struct pa_swima_source *s, struct parse_error *e)
{
	uint8_t reserved;
	uint16_t len;
	size_t at;

	if (wire_get_u8(r, &s->source_id) || wire_get_u8(r, &reserved))
		return pa_value_truncated(e, r);
	at = wire_offset(r);
	if (wire_get_u16(r, &len))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, len, &s->metadata))
		return pa_value_fail(e, TNC_ETRUNCATED, at,
		    "source metadata length past the end of the value");
	return pa_value_check_text(s->metadata, at + 2, e);
}

int
pa_swima_source_metadata_decode(struct bytes value, struct pa_swima_source_metadata *ret,
    struct parse_error *ret_err)
{
	struct pa_swima_source_metadata v;
	struct wire_reader r;
	uint8_t reserved;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, &v.request_id) || wire_get_u8(&r, &reserved) ||
	    wire_get_u24(&r, &v.count))
		return pa_value_truncated(ret_err, &r);
	if (v.count > wire_remaining(&r) / SOURCE_MIN_LEN)
		return pa_value_fail(ret_err, TNC_ETOOLONG, 5,
		    "source count exceeds what the value can hold");
	v.entries = (struct bytes){value.ptr + wire_offset(&r), wire_remaining(&r)};
	for (uint32_t i = 0; i < v.count; i++) {
		struct pa_swima_source s;

		if ((err = get_source(&r, &s, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_swima_sources_iter_init(struct pa_swima_sources_iter *it, const struct pa_swima_source_metadata *m)
{
	wire_reader_init(&it->r, m->entries.ptr, m->entries.len);
}

bool
pa_swima_sources_next(struct pa_swima_sources_iter *it, struct pa_swima_source *ret)
{
	struct parse_error ignored;

	return wire_remaining(&it->r) > 0 && get_source(&it->r, ret, &ignored) == 0;
}

void
pa_swima_source_metadata_encode(struct wire_writer *w, uint32_t request_id,
    const struct pa_swima_source *sources, size_t n)
{
	if (n > PA_SWIMA_COUNT_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u32(w, request_id);
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u24(w, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		if (sources[i].metadata.len > UINT16_MAX || !pa_value_is_text(sources[i].metadata))
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u8(w, sources[i].source_id);
		wire_put_u8(w, 0); /* Reserved */
		wire_put_u16(w, (uint16_t)sources[i].metadata.len);
		wire_put_bytes(w, sources[i].metadata.ptr, sources[i].metadata.len);
	}
}

bool
pa_swima_is_attr(uint32_t vendor, uint32_t type)
{
	return vendor == PA_TNC_VENDOR_IETF && type >= PA_IETF_SWIMA_REQUEST &&
	    type <= PA_IETF_SOURCE_METADATA_RESPONSE;
}

const char *
pa_swima_action_name(uint8_t action)
{
	switch (action) {
	case PA_SWIMA_ACTION_CREATION:
		return "creation";
	case PA_SWIMA_ACTION_DELETION:
		return "deletion";
	case PA_SWIMA_ACTION_ALTERATION:
		return "alteration";
	default:
		return "unknown";
	}
}

const char *
pa_swima_data_model_name(uint32_t pen, uint8_t type)
{
	if (pen != PA_TNC_VENDOR_IETF)
		return "vendor-specific";
	switch (type) {
	case PA_SWIMA_DM_ISO_2015:
		return "ISO/IEC 19770-2:2015";
	case PA_SWIMA_DM_ISO_2009:
		return "ISO/IEC 19770-2:2009";
	default:
		return "unknown";
	}
}

void
pa_swima_software_id(struct wire_writer *w, struct bytes regid, struct bytes tag_id)
{
	if (regid.len == 0 || tag_id.len == 0 || !pa_value_is_text(regid) ||
	    !pa_value_is_text(tag_id)) {
		wire_writer_fail(w, TNC_EINVALID);
		return;
	}
	wire_put_bytes(w, regid.ptr, regid.len);
	wire_put_bytes(w, "__", 2);
	wire_put_bytes(w, tag_id.ptr, tag_id.len);
}
