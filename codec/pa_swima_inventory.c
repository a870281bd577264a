/* pa_swima_inventory.c - Software [Identifier] Inventory and Software
 * [Identifier] Events (RFC 8412; see pa_swima.h).
 *
 * The four attributes share one record layout; events put an EID and a
 * timestamp before it and the action in its Reserved octet.  A decoder
 * checks the count against the smallest record the value could hold, then
 * every record once; the iterators re-read them with the same parser.
 */
#include "pa_swima.h"

#include "pa_tnc.h"
#include "pa_value.h"

/* Record Identifier, Data Model Type, Source ID Num, Reserved, identifier
 * length and one octet of identifier, locator length. */
#define RECORD_MIN_LEN 15
/* Record Length. */
#define RECORD_TAG_LEN 4
/* EID and Timestamp. */
#define EVENT_PREFIX_LEN (4 + PA_SWIMA_TIMESTAMP_LEN)

static size_t
record_min_len(bool with_records)
{
	return RECORD_MIN_LEN + (with_records ? RECORD_TAG_LEN : 0);
}

/* A 16-bit length and that much text at r. */
static int
get_text16(struct wire_reader *r, struct bytes *ret, const char *past_end,
    struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint16_t len;

	if (wire_get_u16(r, &len))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, len, ret))
		return pa_value_fail(e, TNC_ETRUNCATED, at, past_end);
	return pa_value_check_text(*ret, at + 2, e);
}

/* One record at r; *ret_reserved gets the octet after Source ID Num. */
static int
get_record(struct wire_reader *r, bool with_records, struct pa_swima_record *rec,
    uint8_t *ret_reserved, struct parse_error *e)
{
	size_t at;
	uint32_t len;
	int err;

	if (wire_get_u32(r, &rec->record_id) || wire_get_u24(r, &rec->dm_pen) ||
	    wire_get_u8(r, &rec->dm_type) || wire_get_u8(r, &rec->source_id) ||
	    wire_get_u8(r, ret_reserved))
		return pa_value_truncated(e, r);
	at = wire_offset(r);
	if ((err = get_text16(r, &rec->sw_id, "software identifier length past the end of the value",
	    e)))
		return err;
	if (rec->sw_id.len == 0)
		return pa_value_fail(e, TNC_EINVALID, at, "software identifier is empty");
	if ((err = get_text16(r, &rec->locator, "software locator length past the end of the value",
	    e)))
		return err;
	rec->record = (struct bytes){NULL, 0};
	if (!with_records)
		return 0;
	at = wire_offset(r);
	if (wire_get_u32(r, &len))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, len, &rec->record))
		return pa_value_fail(e, TNC_ETRUNCATED, at, "record length past the end of the value");
	return 0;
}

static void
put_record(struct wire_writer *w, bool with_records, const struct pa_swima_record *rec,
    uint8_t reserved)
{
	if (rec->dm_pen > PA_TNC_VENDOR_MAX || rec->sw_id.len == 0 ||
	    rec->sw_id.len > UINT16_MAX || !pa_value_is_text(rec->sw_id) ||
	    rec->locator.len > UINT16_MAX || !pa_value_is_text(rec->locator) ||
	    rec->record.len > UINT32_MAX || (!with_records && rec->record.len))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u32(w, rec->record_id);
	wire_put_u24(w, rec->dm_pen);
	wire_put_u8(w, rec->dm_type);
	wire_put_u8(w, rec->source_id);
	wire_put_u8(w, reserved);
	wire_put_u16(w, (uint16_t)rec->sw_id.len);
	wire_put_bytes(w, rec->sw_id.ptr, rec->sw_id.len);
	wire_put_u16(w, (uint16_t)rec->locator.len);
	wire_put_bytes(w, rec->locator.ptr, rec->locator.len);
	if (with_records) {
		wire_put_u32(w, (uint32_t)rec->record.len);
		wire_put_bytes(w, rec->record.ptr, rec->record.len);
	}
}

int
pa_swima_inventory_decode(struct bytes value, bool with_records, struct pa_swima_inventory *ret,
    struct parse_error *ret_err)
{
	struct pa_swima_inventory v;
	struct wire_reader r;
	int err;

	v.with_records = with_records;
	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.count) ||
	    wire_get_u32(&r, &v.request_id) || wire_get_u32(&r, &v.eid_epoch) ||
	    wire_get_u32(&r, &v.last_eid))
		return pa_value_truncated(ret_err, &r);
	if (v.count > wire_remaining(&r) / record_min_len(with_records))
		return pa_value_fail(ret_err, TNC_ETOOLONG, 1,
		    "record count exceeds what the value can hold");
	v.entries = (struct bytes){value.ptr + wire_offset(&r), wire_remaining(&r)};
	for (uint32_t i = 0; i < v.count; i++) {
		struct pa_swima_record rec;
		uint8_t reserved;

		if ((err = get_record(&r, with_records, &rec, &reserved, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_swima_inventory_iter_init(struct pa_swima_inventory_iter *it,
    const struct pa_swima_inventory *inv)
{
	wire_reader_init(&it->r, inv->entries.ptr, inv->entries.len);
	it->with_records = inv->with_records;
}

bool
pa_swima_inventory_next(struct pa_swima_inventory_iter *it, struct pa_swima_record *ret)
{
	struct parse_error ignored;
	uint8_t reserved;

	return wire_remaining(&it->r) > 0 &&
	    get_record(&it->r, it->with_records, ret, &reserved, &ignored) == 0;
}

void
pa_swima_inventory_encode(struct wire_writer *w, const struct pa_swima_inventory *v,
    const struct pa_swima_record *recs, size_t n)
{
	if (n > PA_SWIMA_COUNT_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->flags);
	wire_put_u24(w, (uint32_t)n);
	wire_put_u32(w, v->request_id);
	wire_put_u32(w, v->eid_epoch);
	wire_put_u32(w, v->last_eid);
	for (size_t i = 0; i < n; i++)
		put_record(w, v->with_records, &recs[i], 0);
}

/* RFC 3339 as RFC 8412 restricts it: "YYYY-MM-DDThh:mm:ssZ". */
static bool
is_timestamp(struct bytes t)
{
	static const char form[] = "dddd-dd-ddTdd:dd:ddZ";

	if (t.len != PA_SWIMA_TIMESTAMP_LEN)
		return false;
	for (size_t i = 0; i < PA_SWIMA_TIMESTAMP_LEN; i++) {
		if (form[i] == 'd' ? t.ptr[i] < '0' || t.ptr[i] > '9' : t.ptr[i] != form[i])
			return false;
	}
	return true;
}

static int
get_event(struct wire_reader *r, bool with_records, struct pa_swima_event *ev,
    struct parse_error *e)
{
	size_t at;
	int err;

	if (wire_get_u32(r, &ev->eid))
		return pa_value_truncated(e, r);
	at = wire_offset(r);
	if (wire_get_bytes(r, PA_SWIMA_TIMESTAMP_LEN, &ev->timestamp))
		return pa_value_truncated(e, r);
	if (!is_timestamp(ev->timestamp))
		return pa_value_fail(e, TNC_EINVALID, at,
		    "event timestamp is not YYYY-MM-DDThh:mm:ssZ");
	at = wire_offset(r) + 9; /* the Action octet */
	if ((err = get_record(r, with_records, &ev->rec, &ev->action, e)))
		return err;
	if (ev->action < PA_SWIMA_ACTION_CREATION || ev->action > PA_SWIMA_ACTION_ALTERATION)
		return pa_value_fail(e, TNC_EINVALID, at,
		    "event action is not creation, deletion or alteration");
	return 0;
}

int
pa_swima_events_decode(struct bytes value, bool with_records, struct pa_swima_events *ret,
    struct parse_error *ret_err)
{
	struct pa_swima_events v;
	struct wire_reader r;
	int err;

	v.with_records = with_records;
	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &v.flags) || wire_get_u24(&r, &v.count) ||
	    wire_get_u32(&r, &v.request_id) || wire_get_u32(&r, &v.eid_epoch) ||
	    wire_get_u32(&r, &v.last_eid) || wire_get_u32(&r, &v.last_consulted_eid))
		return pa_value_truncated(ret_err, &r);
	if (v.count > wire_remaining(&r) / (EVENT_PREFIX_LEN + record_min_len(with_records)))
		return pa_value_fail(ret_err, TNC_ETOOLONG, 1,
		    "event count exceeds what the value can hold");
	v.entries = (struct bytes){value.ptr + wire_offset(&r), wire_remaining(&r)};
	for (uint32_t i = 0; i < v.count; i++) {
		struct pa_swima_event ev;

		if ((err = get_event(&r, with_records, &ev, ret_err)))
			return err;
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

void
pa_swima_events_iter_init(struct pa_swima_events_iter *it, const struct pa_swima_events *ev)
{
	wire_reader_init(&it->r, ev->entries.ptr, ev->entries.len);
	it->with_records = ev->with_records;
}

bool
pa_swima_events_next(struct pa_swima_events_iter *it, struct pa_swima_event *ret)
{
	struct parse_error ignored;

	return wire_remaining(&it->r) > 0 &&
	    get_event(&it->r, it->with_records, ret, &ignored) == 0;
}

void
pa_swima_events_encode(struct wire_writer *w, const struct pa_swima_events *v,
    const struct pa_swima_event *events, size_t n)
{
	if (n > PA_SWIMA_COUNT_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->flags);
	wire_put_u24(w, (uint32_t)n);
	wire_put_u32(w, v->request_id);
	wire_put_u32(w, v->eid_epoch);
	wire_put_u32(w, v->last_eid);
	wire_put_u32(w, v->last_consulted_eid);
	for (size_t i = 0; i < n; i++) {
		const struct pa_swima_event *ev = &events[i];

		if (!is_timestamp(ev->timestamp) || ev->action < PA_SWIMA_ACTION_CREATION ||
		    ev->action > PA_SWIMA_ACTION_ALTERATION)
			wire_writer_fail(w, TNC_EINVALID);
		wire_put_u32(w, ev->eid);
		wire_put_bytes(w, ev->timestamp.ptr, PA_SWIMA_TIMESTAMP_LEN);
		put_record(w, v->with_records, &ev->rec, ev->action);
	}
}
