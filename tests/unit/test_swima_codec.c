/* test_swima_codec.c - the SWIMA attribute values (RFC 8412, codec/pa_swima.h):
 * the SWIMA attributes of the real strongSwan 5.9.8 session (found through
 * the PB-TNC and PA-TNC decoders) decode to the values of their .expected
 * files (SWIMA Request flags 0x20, request 3196, earliest EID 1; 965 SW ID
 * events, 903 creations and 62 deletions, epoch 0x107edf02, last EID 16)
 * and re-encode to the same octets; every attribute round-trips through
 * its encoder; malformed values (short, lengths past the end, counts the
 * value cannot hold, empty identifiers, bad text, timestamps and actions,
 * trailing octets) are refused with their reason and offset; encoders
 * refuse what the decoders would.  RFC 8412 gives no octet examples, so the
 * hand-written vectors follow its field diagrams. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_swima.h"
#include "pa_tnc.h"
#include "pb_tnc.h"
#include "testlib.h"

#define MAX_VALUE (1u << 20)

static uint8_t pool[1 << 16];
static size_t pool_used;

/* Octets from hex text; spaces are skipped, "'text'" adds text verbatim. */
static struct bytes
H(const char *s)
{
	uint8_t *start = pool + pool_used;

	while (*s) {
		unsigned v;

		if (*s == ' ') {
			s++;
		} else if (*s == '\'') {
			const char *end = strchr(s + 1, '\'');
			ck_assert_ptr_nonnull(end);
			memcpy(pool + pool_used, s + 1, (size_t)(end - s - 1));
			pool_used += (size_t)(end - s - 1);
			s = end + 1;
		} else {
			ck_assert_int_eq(sscanf(s, "%2x", &v), 1);
			pool[pool_used++] = (uint8_t)v;
			s += 2;
		}
		ck_assert_uint_lt(pool_used, sizeof(pool));
	}
	return (struct bytes){start, (size_t)(pool + pool_used - start)};
}

static struct bytes
S(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
assert_bytes(struct bytes got, struct bytes want)
{
	ck_assert_uint_eq(got.len, want.len);
	ck_assert(got.len == 0 || memcmp(got.ptr, want.ptr, got.len) == 0);
}

static void
assert_text(struct bytes got, const char *want)
{
	assert_bytes(got, S(want));
}

static void
assert_refused(int rc, const struct parse_error *e, int err, size_t offset, const char *reason)
{
	ck_assert_int_eq(rc, err);
	ck_assert_uint_eq(e->code, PA_TNC_ERROR_INVALID_PARAMETER);
	ck_assert_uint_eq(e->offset, offset);
	ck_assert_str_eq(e->reason, reason);
}

/* What w holds. */
static struct bytes
written(struct wire_writer *w)
{
	ck_assert_int_eq(wire_writer_status(w), 0);
	return (struct bytes){w->buf, w->len};
}

/* --- the strongSwan session --- */

/* The value of the first attribute of type in a SWIMA PB-PA message of the
 * batch in buf. */
static struct bytes
swima_attr(const uint8_t *buf, size_t len, uint32_t type, uint32_t *ret_offset)
{
	struct pb_limits pl = {.max_batch_len = len, .max_msgs = 64, .expect_dir = PB_DIR_ANY};
	struct pa_tnc_limits al = {.max_msg_len = len, .max_attrs = 64};
	struct pb_batch b;
	struct parse_error e;
	struct bytes found = {NULL, 0};

	ck_assert_int_eq(pb_batch_parse(buf, len, &pl, &b, &e), 0);
	for (size_t i = 0; i < b.count && found.ptr == NULL; i++) {
		const struct pb_msg *m = &b.msgs[i];
		struct pa_tnc_msg pa;

		if (m->vendor != PB_VENDOR_IETF || m->type != PB_MSG_PA ||
		    m->u.pa.vendor != PA_TNC_VENDOR_IETF ||
		    m->u.pa.subtype != PA_TNC_SUBTYPE_IETF_SWIMA)
			continue;
		ck_assert_int_eq(pa_tnc_msg_parse(m->u.pa.body.ptr, m->u.pa.body.len, &al, &pa, &e),
		    0);
		for (size_t k = 0; k < pa.count; k++) {
			if (pa.attrs[k].vendor == PA_TNC_VENDOR_IETF && pa.attrs[k].type == type) {
				found = pa.attrs[k].value;
				*ret_offset = (uint32_t)(m->u.pa.body.ptr - buf) + pa.attrs[k].offset;
				break;
			}
		}
		pa_tnc_msg_clear(&pa);
	}
	pb_batch_clear(&b);
	ck_assert_ptr_nonnull(found.ptr);
	return found;
}

START_TEST(strongswan_request)
{
	size_t len;
	uint8_t *buf = tl_read_testdata("strongswan-session-os-swima/02-s2c-SDATA-208.bin", &len);
	struct pa_swima_request req;
	struct parse_error e;
	struct wire_writer w;
	uint32_t at;
	struct bytes v = swima_attr(buf, len, PA_IETF_SWIMA_REQUEST, &at);

	/* .expected: attr @184 ... flags=0x20 [R] sw_id_count=0 request_id=3196 earliest_eid=1 */
	ck_assert_uint_eq(at, 184);
	ck_assert_int_eq(pa_swima_request_decode(v, &req, &e), 0);
	ck_assert_uint_eq(req.flags, PA_SWIMA_REQ_IDS_ONLY);
	ck_assert_uint_eq(req.count, 0);
	ck_assert_uint_eq(req.request_id, 3196);
	ck_assert_uint_eq(req.earliest_eid, 1);
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_request_encode(&w, &req, NULL, 0);
	assert_bytes(written(&w), v);
	wire_writer_clear(&w);
	free(buf);
}
END_TEST

START_TEST(strongswan_events)
{
	size_t len, n = 0, creations = 0, deletions = 0;
	uint8_t *buf = tl_read_testdata("strongswan-session-os-swima/03-c2s-CDATA-109512.bin", &len);
	struct pa_swima_events ev;
	struct pa_swima_events_iter it;
	struct pa_swima_event *all;
	struct parse_error e;
	struct wire_writer w;
	uint32_t at;
	struct bytes v = swima_attr(buf, len, PA_IETF_SW_IDENTIFIER_EVENTS, &at);

	/* .expected: attr @21203 ... length=88309 | flags=0x00 event_count=965
	 * request_id=3196 eid_epoch=0x107edf02 last_eid=16 last_consulted_eid=16
	 * data_models=0x000000/0:965 actions=CREATION:903,DELETION:62 */
	ck_assert_uint_eq(at, 21203);
	ck_assert_uint_eq(v.len, 88309 - PA_TNC_ATTR_HEADER_LEN);
	ck_assert_int_eq(pa_swima_events_decode(v, false, &ev, &e), 0);
	ck_assert_uint_eq(ev.flags, 0);
	ck_assert_uint_eq(ev.count, 965);
	ck_assert_uint_eq(ev.request_id, 3196);
	ck_assert_uint_eq(ev.eid_epoch, 0x107edf02);
	ck_assert_uint_eq(ev.last_eid, 16);
	ck_assert_uint_eq(ev.last_consulted_eid, 16);
	all = calloc(ev.count, sizeof(*all));
	ck_assert_ptr_nonnull(all);
	pa_swima_events_iter_init(&it, &ev);
	while (pa_swima_events_next(&it, &all[n])) {
		const struct pa_swima_event *x = &all[n++];

		ck_assert_uint_eq(x->rec.dm_pen, 0);
		ck_assert_uint_eq(x->rec.dm_type, PA_SWIMA_DM_ISO_2015);
		ck_assert_uint_eq(x->rec.record.len, 0);
		creations += x->action == PA_SWIMA_ACTION_CREATION;
		deletions += x->action == PA_SWIMA_ACTION_DELETION;
		ck_assert_uint_le(x->eid, ev.last_eid);
	}
	ck_assert_uint_eq(n, 965);
	ck_assert_uint_eq(creations, 903);
	ck_assert_uint_eq(deletions, 62);
	/* The first event, as the batch's octets at 21203 + 36 hold it. */
	ck_assert_uint_eq(all[0].eid, 1);
	assert_text(all[0].timestamp, "2025-05-20T00:00:00Z");
	ck_assert_uint_eq(all[0].rec.record_id, 0x336);
	ck_assert_uint_eq(all[0].rec.source_id, 1);
	assert_text(all[0].rec.sw_id, "debian.org__Debian_12-x86_64-adduser-3.134");
	ck_assert_uint_eq(all[0].rec.locator.len, 0);
	ck_assert_str_eq(pa_swima_action_name(all[0].action), "creation");
	ck_assert_str_eq(pa_swima_data_model_name(0, 0), "ISO/IEC 19770-2:2015");

	wire_writer_init(&w, MAX_VALUE);
	pa_swima_events_encode(&w, &ev, all, n);
	assert_bytes(written(&w), v);
	wire_writer_clear(&w);
	free(all);
	free(buf);
}
END_TEST

/* --- hand-written vectors --- */

START_TEST(request)
{
	struct bytes ids[2] = {S("a.org__x"), S("b.org__y-1.0")};
	struct pa_swima_request req = {
		.flags = PA_SWIMA_REQ_SUBSCRIBE | PA_SWIMA_REQ_CLEAR_SUBSCRIPTIONS,
		.request_id = 7, .earliest_eid = 0,
	};
	struct pa_swima_request got;
	struct pa_swima_ids_iter it;
	struct parse_error e;
	struct wire_writer w;
	struct bytes id, v = H("c0 000002 00000007 00000000 0008 'a.org__x' 000c 'b.org__y-1.0'");

	wire_writer_init(&w, MAX_VALUE);
	pa_swima_request_encode(&w, &req, ids, 2);
	assert_bytes(written(&w), v);
	wire_writer_clear(&w);
	ck_assert_int_eq(pa_swima_request_decode(v, &got, &e), 0);
	ck_assert_uint_eq(got.flags, 0xc0);
	ck_assert_uint_eq(got.count, 2);
	ck_assert_uint_eq(got.request_id, 7);
	pa_swima_ids_iter_init(&it, got.ids);
	ck_assert(pa_swima_ids_next(&it, &id));
	assert_text(id, "a.org__x");
	ck_assert(pa_swima_ids_next(&it, &id));
	assert_text(id, "b.org__y-1.0");
	ck_assert(!pa_swima_ids_next(&it, &id));

	assert_refused(pa_swima_request_decode(H("20 000000 00000c7c 000000"), &got, &e), &e,
	    TNC_ETRUNCATED, 8, "attribute value truncated");
	/* 0xffffff identifiers claimed in 3 octets: refused before any is read. */
	assert_refused(pa_swima_request_decode(H("00 ffffff 00000001 00000000 0001 'x'"), &got, &e),
	    &e, TNC_ETOOLONG, 1, "software identifier count exceeds what the value can hold");
	assert_refused(pa_swima_request_decode(H("00 000001 00000001 00000000 0000 0000"), &got,
	    &e), &e, TNC_EINVALID, 12, "software identifier is empty");
	assert_refused(pa_swima_request_decode(H("00 000001 00000001 00000000 0009 'abc'"), &got,
	    &e), &e, TNC_ETRUNCATED, 12, "software identifier length past the end of the value");
	assert_refused(pa_swima_request_decode(H("00 000001 00000001 00000000 0002 41 ff"), &got,
	    &e), &e, TNC_EINVALID, 15, "string is not UTF-8 text without NUL");
	assert_refused(pa_swima_request_decode(H("00 000000 00000001 00000000 00"), &got, &e), &e,
	    TNC_ETRAILING, 12, "bytes after the attribute value");

	/* Undefined flags and empty identifiers are not encoded. */
	wire_writer_init(&w, MAX_VALUE);
	req.flags = 0x01;
	pa_swima_request_encode(&w, &req, NULL, 0);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	wire_writer_init(&w, MAX_VALUE);
	req.flags = 0;
	ids[1] = S("");
	pa_swima_request_encode(&w, &req, ids, 2);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

static const struct pa_swima_record recs[] = {
	{.record_id = 1, .dm_pen = 0, .dm_type = 0, .source_id = 0,
	    .sw_id = {(const uint8_t *)"debian.org__Debian_12-x86_64-zlib1g-1:1.2.13", 44},
	    .locator = {NULL, 0}, .record = {(const uint8_t *)"<SoftwareIdentity/>", 19}},
	{.record_id = 0x10203040, .dm_pen = 0x902a, .dm_type = 0xc1, .source_id = 2,
	    .sw_id = {(const uint8_t *)"x__y", 4}, .locator = {(const uint8_t *)"file:///usr", 11},
	    .record = {NULL, 0}},
};

START_TEST(inventory)
{
	struct pa_swima_inventory hdr = {.with_records = false, .flags = 0, .request_id = 9,
	    .eid_epoch = 0xdeadbeef, .last_eid = 42};
	struct pa_swima_record ids_only[2] = {recs[0], recs[1]};
	struct pa_swima_inventory got;
	struct pa_swima_inventory_iter it;
	struct pa_swima_record r;
	struct parse_error e;
	struct wire_writer w;
	struct bytes v;

	ids_only[0].record = (struct bytes){NULL, 0};
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_inventory_encode(&w, &hdr, ids_only, 2);
	v = written(&w);
	/* Header, then record 2 at 16 + 4+4+1+1+2+44+2 = 74. */
	ck_assert_uint_eq(v.len, 74 + 4 + 4 + 1 + 1 + 2 + 4 + 2 + 11);
	ck_assert_mem_eq(v.ptr, "\x00\x00\x00\x02\x00\x00\x00\x09\xde\xad\xbe\xef\x00\x00\x00\x2a",
	    16);
	ck_assert_mem_eq(v.ptr + 74, "\x10\x20\x30\x40\x00\x90\x2a\xc1\x02\x00\x00\x04x__y\x00\x0b",
	    18);
	ck_assert_int_eq(pa_swima_inventory_decode(v, false, &got, &e), 0);
	ck_assert_uint_eq(got.count, 2);
	ck_assert_uint_eq(got.request_id, 9);
	ck_assert_uint_eq(got.eid_epoch, 0xdeadbeef);
	ck_assert_uint_eq(got.last_eid, 42);
	pa_swima_inventory_iter_init(&it, &got);
	ck_assert(pa_swima_inventory_next(&it, &r));
	assert_bytes(r.sw_id, recs[0].sw_id);
	ck_assert(pa_swima_inventory_next(&it, &r));
	ck_assert_uint_eq(r.record_id, 0x10203040);
	ck_assert_uint_eq(r.dm_pen, 0x902a);
	ck_assert_uint_eq(r.dm_type, 0xc1);
	ck_assert_uint_eq(r.source_id, 2);
	assert_text(r.locator, "file:///usr");
	ck_assert(!pa_swima_inventory_next(&it, &r));
	/* The identifier-only layout is not a Software Inventory. */
	ck_assert_int_ne(pa_swima_inventory_decode(v, true, &got, &e), 0);
	wire_writer_clear(&w);

	/* Software Inventory: each record carries its tag. */
	hdr.with_records = true;
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_inventory_encode(&w, &hdr, recs, 2);
	v = written(&w);
	ck_assert_int_eq(pa_swima_inventory_decode(v, true, &got, &e), 0);
	pa_swima_inventory_iter_init(&it, &got);
	ck_assert(pa_swima_inventory_next(&it, &r));
	assert_text(r.record, "<SoftwareIdentity/>");
	ck_assert(pa_swima_inventory_next(&it, &r));
	ck_assert_uint_eq(r.record.len, 0);
	ck_assert(!pa_swima_inventory_next(&it, &r));
	wire_writer_clear(&w);
	/* A tag in an identifier-only inventory is not encoded. */
	hdr.with_records = false;
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_inventory_encode(&w, &hdr, recs, 1);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(inventory_refused)
{
	struct pa_swima_inventory got;
	struct parse_error e;
	const char *hdr = "00 000001 00000001 00000002 00000003 ";
	char buf[256];

	assert_refused(pa_swima_inventory_decode(H("00 000001 00000001 00000002"), false, &got, &e),
	    &e, TNC_ETRUNCATED, 12, "attribute value truncated");
	/* 16777215 records claimed in 30 octets: one division, no walk. */
	assert_refused(pa_swima_inventory_decode(H("00 ffffff 00000001 00000002 00000003 "
	    "00000001 000000 00 01 00 0001 'x' 0000"), false, &got, &e), &e, TNC_ETOOLONG, 1,
	    "record count exceeds what the value can hold");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 0001 'x' 0000 00", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), false, &got, &e), &e, TNC_ETRAILING, 31,
	    "bytes after the attribute value");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 0000 0000 000000", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), false, &got, &e), &e, TNC_EINVALID, 26,
	    "software identifier is empty");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 00ff 'xyz'", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), false, &got, &e), &e, TNC_ETRUNCATED, 26,
	    "software identifier length past the end of the value");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 0001 'x' 0005 'abcd'", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), false, &got, &e), &e, TNC_ETRUNCATED, 29,
	    "software locator length past the end of the value");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 0001 'x' 0001 c0", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), false, &got, &e), &e, TNC_EINVALID, 31,
	    "string is not UTF-8 text without NUL");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 0001 'x' 0000 00000010 'abc'", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), true, &got, &e), &e, TNC_ETRUNCATED, 31,
	    "record length past the end of the value");
	snprintf(buf, sizeof(buf), "%s 00000001 000000 00 01 00 0003 'xyz' 0000 000000", hdr);
	assert_refused(pa_swima_inventory_decode(H(buf), true, &got, &e), &e, TNC_ETRUNCATED, 33,
	    "attribute value truncated");
}
END_TEST

START_TEST(events)
{
	struct pa_swima_event in[2] = {
		{.eid = 5, .timestamp = S("2026-12-07T06:00:00Z"), .action = PA_SWIMA_ACTION_ALTERATION,
		    .rec = recs[0]},
		{.eid = 6, .timestamp = S("2026-12-07T06:00:01Z"), .action = PA_SWIMA_ACTION_DELETION,
		    .rec = recs[1]},
	};
	struct pa_swima_events hdr = {.with_records = true, .flags = 0, .request_id = 11,
	    .eid_epoch = 3, .last_eid = 6, .last_consulted_eid = 6};
	struct pa_swima_events got;
	struct pa_swima_events_iter it;
	struct pa_swima_event x;
	struct parse_error e;
	struct wire_writer w;
	struct bytes v;

	wire_writer_init(&w, MAX_VALUE);
	pa_swima_events_encode(&w, &hdr, in, 2);
	v = written(&w);
	ck_assert_int_eq(pa_swima_events_decode(v, true, &got, &e), 0);
	ck_assert_uint_eq(got.count, 2);
	ck_assert_uint_eq(got.last_consulted_eid, 6);
	pa_swima_events_iter_init(&it, &got);
	ck_assert(pa_swima_events_next(&it, &x));
	ck_assert_uint_eq(x.eid, 5);
	ck_assert_uint_eq(x.action, PA_SWIMA_ACTION_ALTERATION);
	assert_text(x.timestamp, "2026-12-07T06:00:00Z");
	assert_text(x.rec.record, "<SoftwareIdentity/>");
	ck_assert(pa_swima_events_next(&it, &x));
	ck_assert_uint_eq(x.eid, 6);
	ck_assert_uint_eq(x.rec.source_id, 2);
	ck_assert(!pa_swima_events_next(&it, &x));
	wire_writer_clear(&w);

	/* Refusals: offsets count from the value; the event starts at 20. */
	assert_refused(pa_swima_events_decode(H("00 000001 00000001 00000002 00000003 00000004 "
	    "00000001 '2026-12-07 06:00:00Z' 00000001 000000 00 01 01 0001 'x' 0000"), false, &got,
	    &e), &e, TNC_EINVALID, 24, "event timestamp is not YYYY-MM-DDThh:mm:ssZ");
	assert_refused(pa_swima_events_decode(H("00 000001 00000001 00000002 00000003 00000004 "
	    "00000001 '2026-12-07T06:00:00Z' 00000001 000000 00 01 04 0001 'x' 0000"), false, &got,
	    &e), &e, TNC_EINVALID, 53, "event action is not creation, deletion or alteration");
	assert_refused(pa_swima_events_decode(H("00 000002 00000001 00000002 00000003 00000004 "
	    "00000001 '2026-12-07T06:00:00Z' 00000001 000000 00 01 01 0001 'x' 0000"), false, &got,
	    &e), &e, TNC_ETOOLONG, 1, "event count exceeds what the value can hold");
	assert_refused(pa_swima_events_decode(H("00 000001 00000001 00000002 00000003"), false, &got,
	    &e), &e, TNC_ETRUNCATED, 16, "attribute value truncated");

	/* A bad timestamp or action is not encoded. */
	in[1].action = 0;
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_events_encode(&w, &hdr, in, 2);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	in[1].action = PA_SWIMA_ACTION_CREATION;
	in[1].timestamp = S("2026-12-07T06:00:01");
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_events_encode(&w, &hdr, in, 2);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(subscriptions)
{
	struct pa_swima_subscription subs[2], s;
	struct pa_swima_subscription_status got;
	struct pa_swima_subscriptions_iter it;
	struct pa_swima_ids_iter ids;
	struct parse_error e;
	struct wire_writer w;
	struct bytes v, id;

	ck_assert_int_eq(pa_swima_subscription_status_request_decode(H(""), &e), 0);
	assert_refused(pa_swima_subscription_status_request_decode(H("00"), &e), &e, TNC_ETRAILING,
	    0, "subscription status request is not empty");

	memset(subs, 0, sizeof(subs));
	subs[0].subscription_id = 100;
	subs[0].req.flags = PA_SWIMA_REQ_SUBSCRIBE | PA_SWIMA_REQ_IDS_ONLY;
	subs[0].req.earliest_eid = 1;
	subs[1].subscription_id = 101;
	subs[1].req.flags = PA_SWIMA_REQ_SUBSCRIBE;
	subs[1].req.count = 1;
	subs[1].req.ids = H("0004 'a__b'");
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_subscription_status_encode(&w, 0, subs, 2);
	v = written(&w);
	assert_bytes(v, H("00 000002 00000064 60 000000 00000001 00000065 40 000001 00000000 "
	    "0004 'a__b'"));
	ck_assert_int_eq(pa_swima_subscription_status_decode(v, &got, &e), 0);
	ck_assert_uint_eq(got.count, 2);
	pa_swima_subscriptions_iter_init(&it, &got);
	ck_assert(pa_swima_subscriptions_next(&it, &s));
	ck_assert_uint_eq(s.subscription_id, 100);
	ck_assert_uint_eq(s.req.request_id, 100);
	ck_assert_uint_eq(s.req.flags, 0x60);
	ck_assert_uint_eq(s.req.earliest_eid, 1);
	ck_assert(pa_swima_subscriptions_next(&it, &s));
	ck_assert_uint_eq(s.subscription_id, 101);
	pa_swima_ids_iter_init(&ids, s.req.ids);
	ck_assert(pa_swima_ids_next(&ids, &id));
	assert_text(id, "a__b");
	ck_assert(!pa_swima_subscriptions_next(&it, &s));
	wire_writer_clear(&w);

	assert_refused(pa_swima_subscription_status_decode(H("00 000005 00000064 60 000000 "
	    "00000001"), &got, &e), &e, TNC_ETOOLONG, 1,
	    "subscription record count exceeds what the value can hold");
	assert_refused(pa_swima_subscription_status_decode(H("00 000001 00000064 60 000009 "
	    "00000001 0001 'x'"), &got, &e), &e, TNC_ETOOLONG, 9,
	    "software identifier count exceeds what the value can hold");
	/* Identifiers whose encoding does not match their count are refused. */
	subs[1].req.count = 2;
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_subscription_status_encode(&w, 0, subs, 2);
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
}
END_TEST

START_TEST(source_metadata)
{
	struct pa_swima_source in[2] = {{1, {(const uint8_t *)"dpkg", 4}},
	    {2, {(const uint8_t *)"rpm", 3}}};
	struct pa_swima_source_metadata got;
	struct pa_swima_sources_iter it;
	struct pa_swima_source s;
	struct parse_error e;
	struct wire_writer w;
	uint32_t id;

	ck_assert_int_eq(pa_swima_source_metadata_request_decode(H("00000033"), &id, &e), 0);
	ck_assert_uint_eq(id, 0x33);
	assert_refused(pa_swima_source_metadata_request_decode(H("000033"), &id, &e), &e,
	    TNC_ETRUNCATED, 0, "attribute value truncated");
	wire_writer_init(&w, MAX_VALUE);
	pa_swima_source_metadata_request_encode(&w, 0x33);
	assert_bytes(written(&w), H("00000033"));
	wire_writer_clear(&w);

	wire_writer_init(&w, MAX_VALUE);
	pa_swima_source_metadata_encode(&w, 0x33, in, 2);
	assert_bytes(written(&w), H("00000033 00 000002 01 00 0004 'dpkg' 02 00 0003 'rpm'"));
	ck_assert_int_eq(pa_swima_source_metadata_decode(written(&w), &got, &e), 0);
	ck_assert_uint_eq(got.request_id, 0x33);
	pa_swima_sources_iter_init(&it, &got);
	ck_assert(pa_swima_sources_next(&it, &s));
	ck_assert_uint_eq(s.source_id, 1);
	assert_text(s.metadata, "dpkg");
	ck_assert(pa_swima_sources_next(&it, &s));
	assert_text(s.metadata, "rpm");
	ck_assert(!pa_swima_sources_next(&it, &s));
	wire_writer_clear(&w);
	assert_refused(pa_swima_source_metadata_decode(H("00000033 00 000003 01 00 0004 'dpkg'"),
	    &got, &e), &e, TNC_ETOOLONG, 5, "source count exceeds what the value can hold");
	assert_refused(pa_swima_source_metadata_decode(H("00000033 00 000001 01 00 0009 'dpkg'"),
	    &got, &e), &e, TNC_ETRUNCATED, 10, "source metadata length past the end of the value");
}
END_TEST

/* A SWIMA error as a whole PA-TNC Error value: through pa_ietf_error_decode()
 * and back to v. */
static void
error_round_trip(const struct pa_swima_error *v, struct bytes want)
{
	struct pa_ietf_error outer;
	struct pa_swima_error got;
	struct parse_error e;
	struct wire_writer w;

	wire_writer_init(&w, MAX_VALUE);
	pa_swima_error_encode(&w, v);
	assert_bytes(written(&w), want);
	ck_assert_int_eq(pa_ietf_error_decode(written(&w), &outer, &e), 0);
	ck_assert(pa_swima_is_error_code(outer.vendor, outer.code));
	ck_assert_int_eq(pa_swima_error_decode(outer.code, outer.info, &got, &e), 0);
	ck_assert_uint_eq(got.code, v->code);
	ck_assert_uint_eq(got.request_id, v->request_id);
	ck_assert_uint_eq(got.max_size, v->max_size);
	ck_assert_uint_eq(got.sub_vendor, v->sub_vendor);
	ck_assert_uint_eq(got.sub_code, v->sub_code);
	assert_bytes(got.sub_info, v->sub_info);
	assert_bytes(got.description, v->description);
	wire_writer_clear(&w);
}

START_TEST(errors)
{
	struct pa_swima_error v;
	struct parse_error e;

	/* What strongSwan's SWIMA IMC sends when subscriptions are off. */
	memset(&v, 0, sizeof(v));
	v.code = PA_TNC_ERROR_SWIMA_SUBSCRIPTION_DENIED;
	v.request_id = 3196;
	v.description = S("subscriptions not enabled");
	error_round_trip(&v, H("00 000000 00000005 00000c7c 'subscriptions not enabled'"));
	v.code = PA_TNC_ERROR_SWIMA;
	error_round_trip(&v, H("00 000000 00000004 00000c7c 'subscriptions not enabled'"));
	v.code = PA_TNC_ERROR_SWIMA_SUBSCRIPTION_ID_REUSE;
	v.description = S("");
	error_round_trip(&v, H("00 000000 00000008 00000c7c"));
	v.code = PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE;
	v.max_size = 65536;
	v.description = S("too big");
	error_round_trip(&v, H("00 000000 00000006 00000c7c 00010000 'too big'"));
	memset(&v, 0, sizeof(v));
	v.code = PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT;
	v.request_id = 100;
	v.sub_vendor = PA_TNC_VENDOR_IETF;
	v.sub_code = PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE;
	v.sub_info = H("00000064 00010000");
	error_round_trip(&v, H("00 000000 00000007 00000064 00 000000 00000006 00000064 00010000"));

	assert_refused(pa_swima_error_decode(PA_TNC_ERROR_SWIMA, H("000001"), &v, &e), &e,
	    TNC_ETRUNCATED, 0, "attribute value truncated");
	assert_refused(pa_swima_error_decode(PA_TNC_ERROR_SWIMA_RESPONSE_TOO_LARGE,
	    H("00000001 0001"), &v, &e), &e, TNC_ETRUNCATED, 4, "attribute value truncated");
	assert_refused(pa_swima_error_decode(PA_TNC_ERROR_SWIMA_SUBSCRIPTION_FULFILLMENT,
	    H("00000001 00 000000"), &v, &e), &e, TNC_ETRUNCATED, 8, "attribute value truncated");
	assert_refused(pa_swima_error_decode(PA_TNC_ERROR_SWIMA, H("00000001 'ab' 00"), &v, &e),
	    &e, TNC_EINVALID, 6, "string is not UTF-8 text without NUL");
	assert_refused(pa_swima_error_decode(PA_TNC_ERROR_INVALID_PARAMETER, H("00000001"), &v,
	    &e), &e, TNC_EINVALID, 0, "not a SWIMA error code");
	ck_assert(!pa_swima_is_error_code(PA_TNC_VENDOR_TCG, PA_TNC_ERROR_SWIMA));
}
END_TEST

START_TEST(software_id)
{
	struct wire_writer w;

	wire_writer_init(&w, 256);
	pa_swima_software_id(&w, S("strongswan.org"), S("debian stretch/sid-x86_64-docker-1.5-1"));
	assert_text(written(&w), "strongswan.org__debian stretch/sid-x86_64-docker-1.5-1");
	wire_writer_clear(&w);
	wire_writer_init(&w, 256);
	pa_swima_software_id(&w, S(""), S("x"));
	ck_assert_int_eq(wire_writer_status(&w), TNC_EINVALID);
	wire_writer_clear(&w);
	ck_assert(pa_swima_is_attr(PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS));
	ck_assert(!pa_swima_is_attr(PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR));
	ck_assert(!pa_swima_is_attr(PA_TNC_VENDOR_TCG, PA_IETF_SWIMA_REQUEST));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("swima_codec");
	TCase *tc = tcase_create("strongswan");
	tcase_add_test(tc, strongswan_request);
	tcase_add_test(tc, strongswan_events);
	suite_add_tcase(s, tc);
	tc = tcase_create("vectors");
	tcase_add_test(tc, request);
	tcase_add_test(tc, inventory);
	tcase_add_test(tc, inventory_refused);
	tcase_add_test(tc, events);
	tcase_add_test(tc, subscriptions);
	tcase_add_test(tc, source_metadata);
	tcase_add_test(tc, errors);
	tcase_add_test(tc, software_id);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
