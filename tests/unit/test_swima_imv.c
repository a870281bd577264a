/* test_swima_imv.c - the SWIMA IMV's exchange (swima_state.h) against a
 * fake tnc-policy that records every request, and an IMC made here from the
 * codecs: a whole inventory for a device the database does not know, the
 * events since the stored EID, an epoch change that forces a whole
 * inventory, the targeted request for the tags the database lacks, a
 * subscription whose events arrive in a new exchange and which an error of
 * the IMC clears, malformed and unasked-for attributes, the bounds on
 * records, thousands of events in frame-sized chunks, back-pressure, and
 * tnc-policy refusing or going away.  Every frame the IMV hands the port is
 * encoded and decoded as IPC would carry it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_budget.h"
#include "ipc_frame.h"
#include "pa_ietf.h"
#include "pa_swima.h"
#include "swid_tag.h"
#include "swima_names.h"
#include "swima_state.h"
#include "testlib.h"

#define DEVICE "3d1219c7c4c5404aaa1f6d2a48adfda4"
#define IMC_ID 2
#define ITEM 5
#define ID_STDC "debian.org__Debian_12-x86_64-libstdc~~6-12.2.0-14~deb12u1"
#define ID_LTDL "debian.org__Debian_12-x86_64-libltdl7-2.4.7-7~deb12u1"
#define ID_GCC "debian.org__Debian_12-x86_64-gcc-12-base-12.2.0-14"

/* --- the fake tnc-policy --- */

struct stored_chunk {
	uint16_t type;
	uint32_t seq;
	uint8_t flags;
	uint32_t epoch, last_eid;
	uint16_t count;
};

struct fake_policy {
	int workitems_calls, state_calls, store_calls, untagged_calls, verdict_calls, results;
	uint32_t seq; /* of the last request with one */
	char product[256], device[256];
	int fail_with;    /* returned by every request when not 0 */
	int again;        /* store() refuses this many times with TNC_EAGAIN */
	struct stored_chunk chunk[64];
	unsigned nchunks;
	size_t entries;   /* over all chunks */
	char first[4][3][IPC_SW_ID_MAX + 1]; /* name, package, version of the first entries */
	char regid[64];
	uint32_t first_eid;
	uint16_t untagged_max;
	uint32_t verdict_item[4];
	uint32_t verdict_seq[4];
	uint32_t result_item;
	enum imv_recommendation result_rec;
	char result_text[SWIMA_RESULT_MAX];
};

static int
fp_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
{
	struct fake_policy *p = ctx;
	p->workitems_calls++;
	p->seq = seq;
	snprintf(p->product, sizeof(p->product), "%s", product);
	snprintf(p->device, sizeof(p->device), "%s", device);
	return p->fail_with;
}

static int
fp_state(void *ctx, uint32_t seq)
{
	struct fake_policy *p = ctx;
	p->state_calls++;
	p->seq = seq;
	return p->fail_with;
}

/* The frame as IPC carries it: encoded, within the frame bound, decoded. */
static void
ipc_roundtrip(const struct ipc_msg *m, struct ipc_msg *got, struct wire_writer *w)
{
	wire_writer_init(w, IPC_FRAME_MAX_DEFAULT);
	ck_assert_int_eq(ipc_msg_encode(m, w), 0);
	ck_assert_int_eq(ipc_msg_decode(m->type, w->buf, w->len, got), 0);
}

static void
keep_id(struct fake_policy *p, const struct ipc_sw_id *id)
{
	if (p->entries < 4) {
		bytes_cstr(id->name, p->first[p->entries][0], sizeof(p->first[0][0]));
		bytes_cstr(id->package, p->first[p->entries][1], sizeof(p->first[0][1]));
		bytes_cstr(id->version, p->first[p->entries][2], sizeof(p->first[0][2]));
		if (p->entries == 0)
			bytes_cstr(id->regid, p->regid, sizeof(p->regid));
	}
	p->entries++;
}

static int
fp_store(void *ctx, uint32_t seq, const struct ipc_msg *m)
{
	struct fake_policy *p = ctx;
	struct wire_writer w;
	struct ipc_msg got;
	size_t pos = 0;

	if (p->again) {
		p->again--;
		return TNC_EAGAIN;
	}
	p->store_calls++;
	if (seq)
		p->seq = seq;
	ipc_roundtrip(m, &got, &w);
	ck_assert_uint_lt(p->nchunks, 64);
	struct stored_chunk *c = &p->chunk[p->nchunks++];
	c->type = m->type;
	c->seq = seq;
	if (m->type == IPC_POLICY_SW_TAGS) {
		struct ipc_sw_id id;
		struct bytes tag;
		c->count = got.u.policy_sw_tags.count;
		for (unsigned i = 0; i < c->count; i++) {
			ck_assert_int_eq(ipc_sw_tag_next(&got.u.policy_sw_tags, &pos, &id, &tag), 0);
			keep_id(p, &id);
		}
	} else {
		const struct ipc_policy_sw_list *l = &got.u.policy_sw_list;
		*c = (struct stored_chunk){m->type, seq, l->flags, l->epoch, l->last_eid, l->count};
		ck_assert_uint_le(l->list.len, SWIMA_CHUNK_BYTES);
		for (unsigned i = 0; i < l->count; i++) {
			struct ipc_sw_event e;
			if (m->type == IPC_POLICY_SW_EVENTS) {
				ck_assert_int_eq(ipc_sw_event_next(l, &pos, &e), 0);
				if (p->entries == 0)
					p->first_eid = e.eid;
			} else {
				ck_assert_int_eq(ipc_sw_id_next(l, &pos, &e.id), 0);
			}
			keep_id(p, &e.id);
		}
	}
	ck_assert_uint_eq(pos, m->type == IPC_POLICY_SW_TAGS ? got.u.policy_sw_tags.list.len :
	    got.u.policy_sw_list.list.len);
	wire_writer_clear(&w);
	return p->fail_with;
}

static int
fp_untagged(void *ctx, uint32_t seq, uint16_t max)
{
	struct fake_policy *p = ctx;
	p->untagged_calls++;
	p->seq = seq;
	p->untagged_max = max;
	return p->fail_with;
}

static int
fp_verdict(void *ctx, uint32_t seq, uint32_t workitem)
{
	struct fake_policy *p = ctx;
	if (p->verdict_calls < 4) {
		p->verdict_item[p->verdict_calls] = workitem;
		p->verdict_seq[p->verdict_calls] = seq;
	}
	p->verdict_calls++;
	return p->fail_with;
}

static int
fp_result(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text)
{
	struct fake_policy *p = ctx;
	p->results++;
	p->result_item = workitem;
	p->result_rec = rec;
	snprintf(p->result_text, sizeof(p->result_text), "%s", text);
	return 0;
}

static const struct swima_policy_port port = {fp_workitems, fp_state, fp_store, fp_untagged,
    fp_verdict, fp_result};
static struct swima_config cfg;

static void
setup(void)
{
	imv_budget_reset();
	cfg = (struct swima_config){SWIMA_SEGMENT_DEFAULT, SWIMA_RECORDS_DEFAULT,
	    SWIMA_BYTES_DEFAULT};
}

/* --- the IMC side's messages --- */

static struct pa_tnc_builder b;

static void
msg_begin(void)
{
	pa_tnc_builder_init(&b, 0x1234, 4 << 20);
}

static void
attr(uint32_t vendor, uint32_t type)
{
	pa_tnc_builder_begin(&b, 0, vendor, type);
}

static void
receive(struct swima_state *st, bool swima)
{
	struct bytes m;
	if (b.open)
		pa_tnc_builder_end(&b);
	ck_assert_int_eq(pa_tnc_builder_finish(&b, &m), 0);
	swima_state_receive(st, swima, swima ? IMC_ID : 1, m.ptr, m.len);
	pa_tnc_builder_clear(&b);
}

/* The IMV's message, parsed. */
static struct pa_tnc_msg seen;

static const struct pa_tnc_attr *
find(uint32_t vendor, uint32_t type)
{
	for (size_t i = 0; i < seen.count; i++)
		if (seen.attrs[i].vendor == vendor && seen.attrs[i].type == type)
			return &seen.attrs[i];
	return NULL;
}

static void
parse_out(const struct imv_out *out)
{
	static const struct pa_tnc_limits lim = {1 << 22, 64, NULL, 0};
	struct parse_error pe;
	pa_tnc_msg_clear(&seen);
	ck_assert(out->send);
	ck_assert_uint_eq(out->imc_id, IMC_ID);
	ck_assert(out->excl);
	ck_assert_int_eq(pa_tnc_msg_parse(out->msg.ptr, out->msg.len, &lim, &seen, &pe), 0);
}

/* The SWIMA Request of the IMV's message. */
static struct pa_swima_request
request_of(const struct imv_out *out)
{
	struct pa_swima_request r;
	struct parse_error pe;
	parse_out(out);
	const struct pa_tnc_attr *a = find(PA_TNC_VENDOR_IETF, PA_IETF_SWIMA_REQUEST);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(pa_swima_request_decode(a->value, &r, &pe), 0);
	return r;
}

static uint32_t
assessment_of(const struct imv_out *out)
{
	uint32_t result;
	struct parse_error pe;
	parse_out(out);
	const struct pa_tnc_attr *a = find(PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT);
	ck_assert_ptr_nonnull(a);
	ck_assert_int_eq(pa_ietf_assessment_result_decode(a->value, &result, &pe), 0);
	return result;
}

static void
os_facts(struct swima_state *st)
{
	struct pa_ietf_product_info pi = {0x8c, 0, {(const uint8_t *)"Debian", 6}};
	struct pa_ietf_string_version sv = {{(const uint8_t *)"12 x86_64", 9}, {0}, {0}};
	msg_begin();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION);
	pa_ietf_product_info_encode(&b.w, &pi);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION);
	pa_ietf_string_version_encode(&b.w, &sv);
	pa_tnc_builder_end(&b);
	attr(PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID);
	pa_ietf_device_id_encode(&b.w, (struct bytes){(const uint8_t *)DEVICE, strlen(DEVICE)});
	receive(st, false);
	/* the SWIMA IMC's first message: its contract request */
	struct pa_segment_contract c = {0xffffffff, 2097080};
	msg_begin();
	attr(PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST);
	pa_segment_contract_encode(&b.w, &c);
	receive(st, true);
}

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static struct ipc_policy_workitems
items(const char *type, const char *argument)
{
	struct ipc_policy_workitems w = {0};
	w.count = 1;
	w.item[0] = (struct ipc_policy_workitem){ITEM, B(type), B(argument), IMV_REC_ISOLATE,
	    IMV_REC_NO_ACCESS};
	return w;
}

static struct pa_swima_record
record(uint32_t id, const char *sw_id)
{
	return (struct pa_swima_record){id, 0, PA_SWIMA_DM_ISO_2015, 0, B(sw_id), {0}, {0}};
}

static void
send_inventory(struct swima_state *st, uint32_t request_id, uint32_t epoch, uint32_t last_eid,
    const char *const *ids, size_t n)
{
	struct pa_swima_record recs[8];
	struct pa_swima_inventory v = {.request_id = request_id, .eid_epoch = epoch,
	    .last_eid = last_eid};
	for (size_t i = 0; i < n; i++)
		recs[i] = record((uint32_t)i + 1, ids[i]);
	msg_begin();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_INVENTORY);
	pa_swima_inventory_encode(&b.w, &v, recs, n);
	receive(st, true);
}

/* An attribute of n events from first_eid on, creations of
 * "debian.org__Debian_12-x86_64-pkgI-1.I", into the message being built. */
static void
events_attr(uint32_t request_id, uint32_t epoch, uint32_t first_eid, size_t n)
{
	struct pa_swima_event *ev = calloc(n, sizeof(*ev));
	char (*names)[96] = calloc(n, 96);
	ck_assert_ptr_nonnull(ev);
	ck_assert_ptr_nonnull(names);
	for (size_t i = 0; i < n; i++) {
		snprintf(names[i], 96, "debian.org__Debian_12-x86_64-pkg%zu-1.%zu", i, i);
		ev[i] = (struct pa_swima_event){first_eid + (uint32_t)i, B("2026-11-23T11:34:42Z"),
		    PA_SWIMA_ACTION_CREATION, record((uint32_t)i + 1, names[i])};
	}
	struct pa_swima_events v = {.request_id = request_id, .eid_epoch = epoch,
	    .last_eid = first_eid + (uint32_t)n - 1, .last_consulted_eid = first_eid + (uint32_t)n - 1};
	attr(PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS);
	pa_swima_events_encode(&b.w, &v, ev, n);
	pa_tnc_builder_end(&b);
	free(ev);
	free(names);
}

static void
send_events(struct swima_state *st, uint32_t request_id, uint32_t epoch, uint32_t first_eid,
    size_t n)
{
	msg_begin();
	events_attr(request_id, epoch, first_eid, n);
	receive(st, true);
}

/* Up to the SWIMA Request: identity, workitems (asked and given), the
 * device's stored state (asked and given); returns the request. */
static struct pa_swima_request
up_to_request(struct swima_state *st, struct fake_policy *p, const char *type,
    const char *argument, bool known, uint32_t epoch, uint32_t last_eid)
{
	struct imv_out out;
	os_facts(st);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert(!out.send);
	ck_assert_int_eq(p->workitems_calls, 1);
	ck_assert_str_eq(p->product, "Debian 12 x86_64");
	ck_assert_str_eq(p->device, DEVICE);
	struct ipc_policy_workitems w = items(type, argument);
	swima_state_workitems(st, p->seq, &w, &out);
	ck_assert(!out.done); /* the state is asked next, the batch still held */
	ck_assert_int_eq(p->state_calls, 1);
	struct ipc_policy_sw_state s = {0, 0, known, epoch, last_eid};
	swima_state_sw_state(st, p->seq, &s, &out);
	ck_assert(out.done);
	ck_assert(!out.recommend);
	struct pa_swima_request r = request_of(&out);
	/* the IMC's contract request answered, ours made */
	ck_assert_ptr_nonnull(find(PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE));
	ck_assert_ptr_nonnull(find(PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST));
	ck_assert_uint_eq(r.count, 0);
	return r;
}

/* The upload's answer, then the verdict (fail, detail): the decision. */
static void
stored_and_judged(struct swima_state *st, struct fake_policy *p, uint32_t stored, bool fail,
    const char *detail, struct imv_out *out)
{
	struct ipc_policy_sw_state s = {0, stored, 1, 7, 20};
	swima_state_sw_state(st, p->seq, &s, out);
	ck_assert(!out->done);
	ck_assert_int_eq(p->verdict_calls, 1);
	ck_assert_uint_eq(p->verdict_item[0], ITEM);
	struct ipc_policy_sw_verdict v = {0, fail, fail, 0, 0, stored, B(detail)};
	swima_state_verdict(st, p->verdict_seq[0], &v, out);
	ck_assert(out->done);
	ck_assert(out->recommend);
	ck_assert_int_eq(p->results, 1);
	ck_assert_uint_eq(p->result_item, ITEM);
}

START_TEST(whole_inventory_of_an_unknown_device)
{
	static const char *const ids[] = {ID_STDC, ID_LTDL, ID_GCC};
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);

	struct pa_swima_request r = up_to_request(st, &p, "SWIDI", "", false, 0, 0);
	ck_assert_uint_eq(r.request_id, ITEM); /* the workitem's ID, as strongSwan's */
	ck_assert_uint_eq(r.flags, PA_SWIMA_REQ_IDS_ONLY);
	ck_assert_uint_eq(r.earliest_eid, 0);
	send_inventory(st, ITEM, 7, 3, ids, 3);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_uint_eq(p.nchunks, 1);
	ck_assert_uint_eq(p.chunk[0].type, IPC_POLICY_SW_INVENTORY);
	ck_assert_uint_eq(p.chunk[0].flags, IPC_SW_FIRST | IPC_SW_LAST);
	ck_assert_uint_ne(p.chunk[0].seq, 0);
	ck_assert_uint_eq(p.chunk[0].count, 3);
	ck_assert_uint_eq(p.chunk[0].epoch, 7);
	ck_assert_uint_eq(p.chunk[0].last_eid, 3);
	/* package and version cut from the identifiers (swima_names.h) */
	ck_assert_str_eq(p.first[0][0], ID_STDC);
	ck_assert_str_eq(p.first[0][1], "libstdc++6");
	ck_assert_str_eq(p.first[0][2], "12.2.0-14~deb12u1");
	ck_assert_str_eq(p.regid, "debian.org");
	ck_assert_str_eq(p.first[1][1], "libltdl7");
	ck_assert_str_eq(p.first[1][2], "2.4.7-7~deb12u1");
	ck_assert_str_eq(p.first[2][1], "gcc-12-base");
	ck_assert_str_eq(p.first[2][2], "12.2.0-14");

	stored_and_judged(st, &p, 3, false, "", &out);
	ck_assert_int_eq(p.untagged_calls, 0); /* SWIDI: no tags */
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(out.eval, IMV_EVAL_COMPLIANT);
	ck_assert_str_eq(p.result_text, "received 3 SW IDs and 0 SWID tags");
	ck_assert_uint_eq(assessment_of(&out), PA_IETF_ASSESSMENT_COMPLIANT);
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(events_since_the_stored_eid)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);

	struct pa_swima_request r = up_to_request(st, &p, "SWIDI", "forbid:telnetd", true, 7, 10);
	ck_assert_uint_eq(r.earliest_eid, 11);
	send_events(st, ITEM, 7, 11, 2);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_uint_eq(p.nchunks, 1);
	ck_assert_uint_eq(p.chunk[0].type, IPC_POLICY_SW_EVENTS);
	ck_assert_uint_eq(p.chunk[0].count, 2);
	ck_assert_uint_eq(p.chunk[0].last_eid, 12);
	ck_assert_uint_eq(p.first_eid, 11);
	ck_assert_str_eq(p.first[1][1], "pkg1");
	ck_assert_str_eq(p.first[1][2], "1.1");

	stored_and_judged(st, &p, 2, true, "forbidden telnetd", &out);
	ck_assert_int_eq(out.rec, IMV_REC_ISOLATE); /* the workitem's rec_fail */
	ck_assert_int_eq(out.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_int_eq(p.result_rec, IMV_REC_ISOLATE);
	ck_assert_ptr_nonnull(strstr(p.result_text, "forbidden telnetd"));
	ck_assert_ptr_nonnull(strstr(p.result_text, "received 2 SW ID events and 0 SWID tags"));
	ck_assert_uint_eq(assessment_of(&out), PA_IETF_ASSESSMENT_SIGNIFICANT_NON_COMPLIANCE);
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(epoch_change_asks_for_the_whole_inventory)
{
	static const char *const ids[] = {ID_LTDL};
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);

	struct pa_swima_request r = up_to_request(st, &p, "SWIDI", "", true, 7, 10);
	ck_assert_uint_eq(r.earliest_eid, 11);
	send_events(st, ITEM, 9, 1, 3); /* the endpoint counts in a new epoch */
	swima_state_batch_ending(st, &out);
	ck_assert(!out.hold);
	ck_assert_int_eq(p.store_calls, 0); /* nothing of it is stored */
	r = request_of(&out);
	ck_assert_uint_eq(r.earliest_eid, 0);
	ck_assert_uint_eq(r.flags, PA_SWIMA_REQ_IDS_ONLY);
	ck_assert_uint_ne(r.request_id, ITEM);
	ck_assert_ptr_null(find(PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST)); /* once */
	send_inventory(st, r.request_id, 9, 3, ids, 1);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_uint_eq(p.chunk[0].type, IPC_POLICY_SW_INVENTORY);
	ck_assert_uint_eq(p.chunk[0].epoch, 9);
	stored_and_judged(st, &p, 1, false, "", &out);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_str_eq(p.result_text, "received 1 SW IDs and 0 SWID tags");
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

/* A SWID tag as the IMC would send it. */
static uint8_t *
make_tag(size_t *len)
{
	struct swid_tag_spec spec = {"Debian_12-x86_64-libltdl7-2.4.7-7~deb12u1", "libltdl7",
	    "2.4.7-7+deb12u1", "alphanumeric", "Debian Project", "debian.org"};
	uint8_t *tag;
	ck_assert_int_eq(swid_tag_generate(&spec, &tag, len), 0);
	return tag;
}

/* SWIDT: the identifiers stored, the untagged ones asked, their tags. */
static struct swima_state *
up_to_tags(struct fake_policy *p, struct pa_swima_request *ret)
{
	static const char *const ids[] = {ID_LTDL, ID_GCC};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, p, 1, 1 << 20);
	up_to_request(st, p, "SWIDT", "", false, 0, 0);
	send_inventory(st, ITEM, 7, 2, ids, 2);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	struct ipc_policy_sw_state s = {0, 2, 1, 7, 2};
	swima_state_sw_state(st, p->seq, &s, &out);
	ck_assert(!out.done);
	ck_assert_int_eq(p->untagged_calls, 1);
	ck_assert_uint_eq(p->untagged_max, IPC_SW_UNTAGGED_MAX);
	ck_assert_int_eq(p->verdict_calls, 0);

	/* tnc-policy has no tag for ID_LTDL */
	struct wire_writer names;
	wire_writer_init(&names, 4096);
	ck_assert_int_eq(ipc_sw_name_put(&names, B(ID_LTDL)), 0);
	struct ipc_policy_sw_untagged u = {0, 1, {names.buf, names.len}};
	swima_state_untagged(st, p->seq, &u, &out);
	wire_writer_clear(&names);
	ck_assert(out.done);
	*ret = request_of(&out);
	ck_assert_uint_eq(ret->flags, 0); /* records wanted, no subscription */
	ck_assert_uint_eq(ret->count, 1);
	struct pa_swima_ids_iter it;
	struct bytes id;
	pa_swima_ids_iter_init(&it, ret->ids);
	ck_assert(pa_swima_ids_next(&it, &id));
	ck_assert(bytes_eq_str(id, ID_LTDL));
	ck_assert_uint_ne(ret->request_id, ITEM);
	return st;
}

static void
send_tags(struct swima_state *st, uint32_t request_id, struct bytes tag)
{
	struct pa_swima_record rec = record(1, ID_LTDL);
	struct pa_swima_inventory v = {.with_records = true, .request_id = request_id,
	    .eid_epoch = 7, .last_eid = 2};
	rec.record = tag;
	msg_begin();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_SW_INVENTORY);
	pa_swima_inventory_encode(&b.w, &v, &rec, 1);
	receive(st, true);
}

START_TEST(targeted_request_for_the_tags_not_stored)
{
	struct fake_policy p = {0};
	struct pa_swima_request r;
	struct imv_out out;
	size_t len;
	uint8_t *tag = make_tag(&len);

	struct swima_state *st = up_to_tags(&p, &r);
	send_tags(st, r.request_id, (struct bytes){tag, len});
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_uint_eq(p.nchunks, 2);
	ck_assert_uint_eq(p.chunk[1].type, IPC_POLICY_SW_TAGS);
	ck_assert_uint_eq(p.chunk[1].count, 1);
	ck_assert_uint_ne(p.chunk[1].seq, 0);
	/* package and version from the tag: the real version, '+' and all */
	ck_assert_str_eq(p.first[2][0], ID_LTDL);
	ck_assert_str_eq(p.first[2][1], "libltdl7");
	ck_assert_str_eq(p.first[2][2], "2.4.7-7+deb12u1");
	struct ipc_policy_sw_state s = {0, 1, 1, 7, 2};
	swima_state_sw_state(st, p.seq, &s, &out);
	ck_assert(!out.done);
	ck_assert_int_eq(p.untagged_calls, 1); /* asked once */
	ck_assert_int_eq(p.verdict_calls, 1);
	struct ipc_policy_sw_verdict v = {0, 0, 0, 0, 0, 2, {0}};
	swima_state_verdict(st, p.verdict_seq[0], &v, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_str_eq(p.result_text, "received 2 SW IDs and 1 SWID tags");
	free(tag);
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(malformed_tag_fails_closed)
{
	static const char bomb[] = "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
	    "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;\">]><SoftwareIdentity name=\"&lol2;\"/>";
	struct fake_policy p = {0};
	struct pa_swima_request r;
	struct imv_out out;

	struct swima_state *st = up_to_tags(&p, &r);
	send_tags(st, r.request_id, B(bomb));
	swima_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_ptr_nonnull(strstr(out.reason, "SWID tag of record 1"));
	ck_assert_uint_eq(p.nchunks, 1); /* the tags never went to tnc-policy */
	ck_assert_uint_eq(assessment_of(&out), PA_IETF_ASSESSMENT_ERROR);
	ck_assert_ptr_nonnull(find(PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR));
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(subscription_events_in_a_new_exchange)
{
	static const char *const ids[] = {ID_LTDL};
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);

	struct pa_swima_request r = up_to_request(st, &p, "SWIDI", "subscribe", false, 0, 0);
	ck_assert_uint_eq(r.flags, PA_SWIMA_REQ_IDS_ONLY | PA_SWIMA_REQ_SUBSCRIBE);
	ck_assert(st->subscribed);
	send_inventory(st, ITEM, 7, 4, ids, 1);
	swima_state_batch_ending(st, &out);
	stored_and_judged(st, &p, 1, false, "", &out);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);

	/* a new handshake: the subscription's events come unasked */
	swima_state_restart(st);
	ck_assert(st->subscribed);
	os_facts(st);
	send_events(st, ITEM, 7, 5, 2);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_uint_eq(p.nchunks, 2);
	ck_assert_uint_eq(p.chunk[1].type, IPC_POLICY_SW_EVENTS);
	ck_assert_uint_eq(p.chunk[1].count, 2);
	ck_assert_uint_eq(p.chunk[1].last_eid, 6);
	ck_assert_int_eq(p.workitems_calls, 1); /* not before the events are stored */
	struct ipc_policy_sw_state s = {0, 2, 1, 7, 6};
	swima_state_sw_state(st, p.seq, &s, &out);
	ck_assert_int_eq(p.workitems_calls, 2); /* the batch goes on: workitems */
	ck_assert(!out.done);
	struct ipc_policy_workitems w = items("SWIDI", "subscribe");
	swima_state_workitems(st, p.seq, &w, &out);
	struct ipc_policy_sw_state s2 = {0, 0, 1, 7, 6};
	swima_state_sw_state(st, p.seq, &s2, &out);
	r = request_of(&out);
	ck_assert_uint_eq(r.earliest_eid, 7);
	ck_assert_uint_eq(r.flags, PA_SWIMA_REQ_IDS_ONLY); /* subscribed already */

	/* the IMC refuses: its error clears the subscription */
	struct pa_swima_error e = {.code = PA_TNC_ERROR_SWIMA, .request_id = r.request_id,
	    .description = B("no event log")};
	msg_begin();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	pa_swima_error_encode(&b.w, &e);
	receive(st, true);
	ck_assert(!st->subscribed);
	swima_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS); /* the workitem's rec_noresult */
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_ptr_nonnull(strstr(p.result_text, "the IMC refused SWIMA request"));
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

/* The subscription's events and the answer to a request in one message:
 * the answer is stored, the subscription's events are left for the next
 * request (which starts from the stored EID). */
START_TEST(answer_wins_over_subscription_events)
{
	static const char *const ids[] = {ID_LTDL};
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);

	up_to_request(st, &p, "SWIDI", "subscribe", false, 0, 0);
	send_inventory(st, ITEM, 7, 4, ids, 1);
	swima_state_batch_ending(st, &out);
	stored_and_judged(st, &p, 1, false, "", &out);
	swima_state_restart(st);
	memset(&p, 0, sizeof(p));
	struct pa_swima_request r = up_to_request(st, &p, "SWIDI", "subscribe", true, 7, 4);
	ck_assert_uint_eq(r.earliest_eid, 5);
	ck_assert_uint_ne(r.request_id, ITEM); /* ITEM is the subscription's */
	msg_begin();
	events_attr(ITEM, 7, 5, 3);         /* the subscription's */
	events_attr(r.request_id, 7, 5, 2); /* the answer */
	events_attr(ITEM, 7, 7, 1);         /* the subscription's again */
	receive(st, true);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_uint_eq(p.nchunks, 1);
	ck_assert_uint_eq(p.chunk[0].count, 2);
	ck_assert_uint_eq(p.chunk[0].last_eid, 6);
	stored_and_judged(st, &p, 2, false, "", &out);
	ck_assert_str_eq(p.result_text, "received 2 SW ID events and 0 SWID tags");
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(malformed_and_unasked_attributes)
{
	struct fake_policy p = {0};
	struct imv_out out;

	/* events with a count the value does not hold */
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	up_to_request(st, &p, "SWIDI", "", true, 7, 0);
	msg_begin();
	attr(PA_TNC_VENDOR_IETF, PA_IETF_SW_IDENTIFIER_EVENTS);
	uint8_t bad[20] = {0, 0, 0, 9, 0, 0, 0, ITEM};
	wire_put_bytes(&b.w, bad, sizeof(bad));
	receive(st, true);
	swima_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_ptr_nonnull(strstr(out.reason, "malformed IETF/SW Identifier Events"));
	ck_assert_uint_eq(assessment_of(&out), PA_IETF_ASSESSMENT_ERROR);
	ck_assert_ptr_nonnull(find(PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR));
	ck_assert_int_eq(p.store_calls, 0);
	swima_state_free(st);

	/* an answer to a request never made */
	memset(&p, 0, sizeof(p));
	st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	up_to_request(st, &p, "SWIDI", "", true, 7, 0);
	send_events(st, ITEM + 100, 7, 1, 1);
	swima_state_batch_ending(st, &out);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_ptr_nonnull(strstr(out.reason, "an answer to no request of the IMV"));
	swima_state_free(st);

	/* events when the whole inventory was asked for */
	memset(&p, 0, sizeof(p));
	st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	up_to_request(st, &p, "SWIDI", "", false, 0, 0);
	send_events(st, ITEM, 7, 1, 1);
	swima_state_batch_ending(st, &out);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_ptr_nonnull(strstr(out.reason, "events when a whole inventory was asked for"));
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(records_bound)
{
	static const char *const ids[] = {ID_STDC, ID_LTDL, ID_GCC};
	struct fake_policy p = {0};
	struct imv_out out;
	cfg.max_records = 2;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	up_to_request(st, &p, "SWIDI", "", false, 0, 0);
	send_inventory(st, ITEM, 7, 3, ids, 3);
	swima_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_ptr_nonnull(strstr(out.reason, "more records than the IMV takes"));
	ck_assert_int_eq(p.store_calls, 0);
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

/* 5,000 events go in frame-sized chunks, the first refused twice for
 * back-pressure: only the last is answered. */
START_TEST(thousands_of_events_in_chunks)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 4 << 20);
	up_to_request(st, &p, "SWIDI", "", true, 7, 0);
	send_events(st, ITEM, 7, 1, 5000);
	p.again = 2;
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	ck_assert_int_eq(p.store_calls, 0);
	swima_state_policy_drained(st, &out);
	ck_assert(!out.done);
	ck_assert_int_eq(p.store_calls, 0);
	swima_state_policy_drained(st, &out);
	ck_assert(!out.done);
	ck_assert_uint_gt(p.nchunks, 3);
	size_t total = 0;
	for (unsigned i = 0; i < p.nchunks; i++) {
		bool last = i + 1 == p.nchunks;
		ck_assert_uint_eq(p.chunk[i].type, IPC_POLICY_SW_EVENTS);
		ck_assert_uint_eq(p.chunk[i].flags, (i == 0 ? IPC_SW_FIRST : 0) |
		    (last ? IPC_SW_LAST : 0));
		ck_assert_uint_eq(p.chunk[i].seq != 0, last);
		ck_assert_uint_eq(p.chunk[i].last_eid, 5000);
		total += p.chunk[i].count;
	}
	ck_assert_uint_eq(total, 5000);
	stored_and_judged(st, &p, 5000, false, "", &out);
	ck_assert_str_eq(p.result_text, "received 5000 SW ID events and 0 SWID tags");
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(policy_refuses_or_goes_away)
{
	struct fake_policy p = {0};
	struct imv_out out;

	/* no state to be had */
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	os_facts(st);
	swima_state_batch_ending(st, &out);
	struct ipc_policy_workitems w = items("SWIDT", "");
	swima_state_workitems(st, p.seq, &w, &out);
	struct ipc_policy_sw_state s = {TNC_ESTATE, 0, 0, 0, 0};
	swima_state_sw_state(st, p.seq, &s, &out);
	ck_assert(out.done);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_int_eq(out.eval, IMV_EVAL_ERROR);
	ck_assert_ptr_nonnull(strstr(out.reason, "no software state from tnc-policy"));
	swima_state_free(st);

	/* gone while the events were being stored */
	memset(&p, 0, sizeof(p));
	st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	up_to_request(st, &p, "SWIDI", "", true, 7, 0);
	send_events(st, ITEM, 7, 1, 3);
	swima_state_batch_ending(st, &out);
	ck_assert(out.hold);
	swima_state_policy_lost(st, &out);
	ck_assert(out.done);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_str_eq(out.reason, "tnc-policy went away");
	swima_state_free(st);

	/* the store refused the events */
	memset(&p, 0, sizeof(p));
	st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	up_to_request(st, &p, "SWIDI", "", true, 7, 0);
	send_events(st, ITEM, 7, 1, 3);
	swima_state_batch_ending(st, &out);
	struct ipc_policy_sw_state refused = {TNC_ESTATE, 0, 1, 7, 0};
	swima_state_sw_state(st, p.seq, &refused, &out);
	ck_assert(out.done);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_ptr_nonnull(strstr(out.reason, "tnc-policy did not store the software events"));
	ck_assert_int_eq(p.verdict_calls, 0);
	swima_state_free(st);
	pa_tnc_msg_clear(&seen);
}
END_TEST

START_TEST(no_workitems_and_no_identity)
{
	struct fake_policy p = {0};
	struct imv_out out;
	struct swima_state *st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	os_facts(st);
	swima_state_batch_ending(st, &out);
	struct ipc_policy_workitems w = items("PCKGS", ""); /* not the IMV's */
	swima_state_workitems(st, p.seq, &w, &out);
	ck_assert(out.done);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_int_eq(p.state_calls, 0);
	swima_state_free(st);

	memset(&p, 0, sizeof(p));
	st = swima_state_new(&cfg, &port, &p, 1, 1 << 20);
	swima_state_batch_ending(st, &out);
	ck_assert(!out.recommend);
	swima_state_batch_ending(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS);
	ck_assert_str_eq(out.reason, "no product and device ID received");
	ck_assert_int_eq(p.workitems_calls, 0);
	swima_state_free(st);
}
END_TEST

START_TEST(identifier_names)
{
	char prefix[SWIMA_PREFIX_MAX], pkg[IPC_POLICY_VALUE_MAX + 1];
	swima_names_prefix(prefix, sizeof(prefix), "Debian", "12 x86_64");
	ck_assert_str_eq(prefix, "Debian_12-x86_64-");
	swima_names_prefix(prefix, sizeof(prefix), "Ubuntu Core", "22.04 aarch64");
	ck_assert_str_eq(prefix, "Ubuntu_Core_22.04-aarch64-");
	swima_names_prefix(prefix, sizeof(prefix), "", "12");
	ck_assert_str_eq(prefix, "");

	struct ipc_sw_id id = {.name = B("debian.org__Debian_12-x86_64-bsdutils-1~2.38.1-5~deb12u3")};
	swima_names_parts(&id, "Debian_12-x86_64-", pkg);
	ck_assert(bytes_eq_str(id.package, "bsdutils"));
	ck_assert(bytes_eq_str(id.version, "1~2.38.1-5~deb12u3"));
	ck_assert(bytes_eq_str(id.regid, "debian.org"));
	/* another product: only the regid is known */
	swima_names_parts(&id, "Ubuntu_22.04-x86_64-", pkg);
	ck_assert_uint_eq(id.package.len, 0);
	ck_assert_uint_eq(id.version.len, 0);
	ck_assert(bytes_eq_str(id.regid, "debian.org"));
	/* not "<regid>__<tagId>" */
	id.name = B("plain-name-1.0");
	swima_names_parts(&id, "Debian_12-x86_64-", pkg);
	ck_assert_uint_eq(id.regid.len + id.package.len + id.version.len, 0);
	/* no version */
	id.name = B("debian.org__Debian_12-x86_64-adduser");
	swima_names_parts(&id, "Debian_12-x86_64-", pkg);
	ck_assert_uint_eq(id.package.len, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("swima_imv");
	TCase *tc = tcase_create("exchange");
	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, whole_inventory_of_an_unknown_device);
	tcase_add_test(tc, events_since_the_stored_eid);
	tcase_add_test(tc, epoch_change_asks_for_the_whole_inventory);
	tcase_add_test(tc, targeted_request_for_the_tags_not_stored);
	tcase_add_test(tc, malformed_tag_fails_closed);
	tcase_add_test(tc, subscription_events_in_a_new_exchange);
	tcase_add_test(tc, answer_wins_over_subscription_events);
	tcase_add_test(tc, malformed_and_unasked_attributes);
	tcase_add_test(tc, records_bound);
	tcase_add_test(tc, thousands_of_events_in_chunks);
	tcase_add_test(tc, policy_refuses_or_goes_away);
	tcase_add_test(tc, no_workitems_and_no_identity);
	tcase_add_test(tc, identifier_names);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
