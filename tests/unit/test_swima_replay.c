/* test_swima_replay.c - the SWIMA messages of a real strongSwan 5.9.8
 * session (tests/data/strongswan-session-os-swima: strongSwan's OS and
 * SWIMA IMCs) replayed through the SWIMA IMV's state machine
 * (swima_state.h), whose requests go to tnc-policy's own code
 * (policyd_software.c, the workitems of policyd_workitems.c) on a fresh
 * database, SQLite and (the _pg run) PostgreSQL.
 *
 * The PB-PA messages are cut from the recorded PB-TNC batches with the
 * PB-TNC decoder.  Two things are set as strongSwan's server had them: the
 * device's stored state (epoch 0x107edf02, nothing since EID 0: its IMV
 * asked for the events from EID 1, and so does ours), and the Request ID
 * Copy of the IMC's answer, 3196 (strongSwan's request), rewritten to our
 * request's.  Then: the IMV's SWIMA Request is strongSwan's (flags R,
 * Earliest EID 1, no identifiers), the 965 SW ID events go to tnc-policy in
 * frame-sized chunks and are stored for the device, the inventory they
 * make is the one computed here from the same events, package and version
 * are cut from the identifiers, the policy's verdict is the store's, and
 * the result and recommendation are logged.  A SWIDT workitem goes on to
 * ask the IMC for the tags the database lacks. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "imv_budget.h"
#include "ipc_channel.h" /* struct ipc_received, which policyd_software.h takes */
#include "ipc_frame.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_swima.h"
#include "pb_tnc.h"
#include "policy_software.h"
#include "policyd_software.h"
#include "swima_state.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define SET "strongswan-session-os-swima/"
#define DEVICE "3d1219c7c4c5404aaa1f6d2a48adfda4"
#define EPOCH 0x107edf02u
#define STRONGSWAN_REQUEST 3196
#define EVENTS 965
#define CONN 1
#define NOW 1795435054 /* 2026-11-23T11:57:34Z */
#define IMV_SWIMA 2

static char db[256], pwfile[512];
static struct policy_store *s;
static struct pending_table pending;
static struct policyd_db dbh;

/* --- the log, kept for the assertions --- */

static char logged[1 << 16];
static size_t logged_len;

static void
keep_log(const struct log_event *e, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "00[%s] %s\n", log_subsys_name(e->sub), e->text);
	if (e->sub == LOG_IMV && !strncmp(e->text, "IMV 2 ", 6)) {
		int n = snprintf(logged + logged_len, sizeof(logged) - logged_len, "%s\n", e->text);
		if (n > 0 && (size_t)n < sizeof(logged) - logged_len)
			logged_len += (size_t)n;
	}
}

/* --- the port: tnc-policy's code, its answers kept for the test to hand on --- */

struct replay {
	bool have_reply;
	uint32_t seq;
	struct ipc_msg reply;
	uint8_t keep[IPC_SW_UNTAGGED_MAX * (2 + IPC_SW_ID_MAX)];
	unsigned frames, answered_frames;
	size_t list_bytes;
	uint32_t stored; /* of the last answered upload */
};

static struct bytes
B(const char *text)
{
	return (struct bytes){(const uint8_t *)text, strlen(text)};
}

/* m as IPC carries it (encoded within the frame bound, decoded), then to
 * policyd_sw_request() as the SWIMA IMV's frame for CONN. */
static void
to_policy(struct replay *r, const struct ipc_msg *m, uint32_t seq)
{
	struct wire_writer frame, w = {0};
	struct ipc_received rx = {.hdr = {.type = m->type, .session = CONN, .seq = seq}};
	wire_writer_init(&frame, IPC_FRAME_MAX_DEFAULT - IPC_HEADER_LEN);
	ck_assert_int_eq(ipc_msg_encode(m, &frame), 0);
	ck_assert_int_eq(ipc_msg_decode(m->type, frame.buf, frame.len, &rx.msg), 0);
	r->frames++;
	if (m->type == IPC_POLICY_SW_EVENTS || m->type == IPC_POLICY_SW_INVENTORY)
		r->list_bytes += m->u.policy_sw_list.list.len;
	struct ipc_msg reply = {0};
	bool answered = policyd_sw_request(&pending, &dbh, IMV_SWIMA, &rx, &reply, &w);
	ck_assert_int_eq(answered, seq != 0);
	if (answered) {
		ck_assert(!r->have_reply);
		r->answered_frames++;
		r->have_reply = true;
		r->seq = seq;
		r->reply = reply;
		if (reply.type == IPC_POLICY_SW_UNTAGGED) { /* its list views w */
			memcpy(r->keep, w.buf, w.len);
			r->reply.u.policy_sw_untagged.list.ptr = r->keep;
		}
		if (reply.type == IPC_POLICY_SW_STATE)
			r->stored = reply.u.policy_sw_state.stored;
	}
	wire_writer_clear(&w);
	wire_writer_clear(&frame);
}

static int
rp_workitems(void *ctx, uint32_t seq, const char *product, const char *device)
{
	struct replay *r = ctx;
	struct ipc_policy_device m = {B(product), B(device)};
	pending_device(&pending, CONN, &m);
	r->have_reply = true;
	r->seq = seq;
	r->reply = (struct ipc_msg){.type = IPC_POLICY_WORKITEMS};
	r->reply.u.policy_workitems.status = pending_plan(&pending, s, CONN, NOW, IMV_SWIMA,
	    &r->reply.u.policy_workitems);
	return 0;
}

static int
rp_state(void *ctx, uint32_t seq)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_STATE_GET};
	to_policy(ctx, &m, seq);
	return 0;
}

static int
rp_store(void *ctx, uint32_t seq, const struct ipc_msg *m)
{
	to_policy(ctx, m, seq);
	return 0;
}

static int
rp_untagged(void *ctx, uint32_t seq, uint16_t max)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_UNTAGGED_GET};
	m.u.policy_sw_untagged_get.max = max;
	to_policy(ctx, &m, seq);
	return 0;
}

static int
rp_verdict(void *ctx, uint32_t seq, uint32_t workitem)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_VERDICT_GET};
	m.u.policy_sw_verdict_get.workitem = workitem;
	to_policy(ctx, &m, seq);
	return 0;
}

static int
rp_result(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text)
{
	(void)ctx;
	struct ipc_policy_workitem_result m = {workitem, (uint8_t)rec, B(text)};
	return pending_result(&pending, CONN, IMV_SWIMA, &m);
}

static const struct swima_policy_port port = {rp_workitems, rp_state, rp_store, rp_untagged,
    rp_verdict, rp_result};
static const struct swima_config cfg = {SWIMA_SEGMENT_DEFAULT, SWIMA_RECORDS_DEFAULT,
    SWIMA_BYTES_DEFAULT};

/* What the IMV owed tnccs over one client batch and the answers of
 * tnc-policy it waited for: its last PA message, its recommendation. */
struct owed {
	bool sent, recommended, held, done;
	uint8_t msg[1 << 16];
	size_t len;
	struct imv_out last;
};

static void
take(struct owed *o, const struct imv_out *out)
{
	if (out->send) {
		ck_assert_uint_le(out->msg.len, sizeof(o->msg));
		memcpy(o->msg, out->msg.ptr, out->msg.len);
		o->len = out->msg.len;
		o->sent = true;
	}
	o->recommended |= out->recommend;
	o->held |= out->hold;
	o->done |= out->done;
	if (out->recommend)
		o->last = *out;
}

/* tnc-policy's answers handed to the state until none is left. */
static void
pump(struct swima_state *st, struct replay *r, struct owed *o)
{
	struct imv_out out;
	while (r->have_reply) {
		r->have_reply = false;
		switch (r->reply.type) {
		case IPC_POLICY_WORKITEMS:
			swima_state_workitems(st, r->seq, &r->reply.u.policy_workitems, &out);
			break;
		case IPC_POLICY_SW_STATE:
			swima_state_sw_state(st, r->seq, &r->reply.u.policy_sw_state, &out);
			break;
		case IPC_POLICY_SW_UNTAGGED:
			swima_state_untagged(st, r->seq, &r->reply.u.policy_sw_untagged, &out);
			break;
		case IPC_POLICY_SW_VERDICT:
			swima_state_verdict(st, r->seq, &r->reply.u.policy_sw_verdict, &out);
			break;
		default:
			ck_abort_msg("unexpected reply %u", r->reply.type);
		}
		take(o, &out);
	}
}

static void
batch_end(struct swima_state *st, struct replay *r, struct owed *o)
{
	struct imv_out out;
	memset(o, 0, sizeof(*o));
	swima_state_batch_ending(st, &out);
	take(o, &out);
	pump(st, r, o);
}

/* --- the recorded batches --- */

struct batch {
	uint8_t *buf;
	size_t len;
	struct pb_batch b;
};

static void
batch_read(struct batch *bt, const char *file, uint8_t dir)
{
	struct pb_limits lim = {1 << 20, 64, dir};
	struct parse_error pe;
	bt->buf = tl_read_testdata(file, &bt->len);
	ck_assert_ptr_nonnull(bt->buf);
	ck_assert_int_eq(pb_batch_parse(bt->buf, bt->len, &lim, &bt->b, &pe), 0);
}

static void
batch_free(struct batch *bt)
{
	pb_batch_clear(&bt->b);
	free(bt->buf);
}

/* The PB-PA message of subtype (vendor IETF) in the batch. */
static struct pb_pa *
pa_of(struct batch *bt, uint32_t subtype)
{
	for (size_t i = 0; i < bt->b.count; i++) {
		struct pb_msg *m = &bt->b.msgs[i];
		if (m->vendor == PB_VENDOR_IETF && m->type == PB_MSG_PA && m->u.pa.vendor == 0 &&
		    m->u.pa.subtype == subtype)
			return &m->u.pa;
	}
	ck_abort_msg("no PB-PA message of subtype %u", subtype);
	return NULL;
}

/* A client batch's PB-PA messages to the state, as tnc-tnccs routes them. */
static void
deliver(struct swima_state *st, struct batch *bt)
{
	const struct pb_pa *os = pa_of(bt, PA_TNC_SUBTYPE_IETF_OPERATING_SYSTEM);
	const struct pb_pa *sw = pa_of(bt, PA_TNC_SUBTYPE_IETF_SWIMA);
	swima_state_receive(st, false, os->collector_id, os->body.ptr, os->body.len);
	swima_state_receive(st, true, sw->collector_id, sw->body.ptr, sw->body.len);
}

/* The IETF attribute of type in a PA-TNC message: true and *ret, or false. */
static bool
find_attr(struct bytes msg, uint32_t type, struct pa_tnc_attr *ret)
{
	static const struct pa_tnc_limits lim = {1 << 20, 64, NULL, 0};
	struct pa_tnc_msg m;
	struct parse_error pe;
	bool found = false;
	ck_assert_int_eq(pa_tnc_msg_parse(msg.ptr, msg.len, &lim, &m, &pe), 0);
	for (size_t i = 0; !found && i < m.count; i++)
		if (m.attrs[i].vendor == PA_TNC_VENDOR_IETF && m.attrs[i].type == type) {
			*ret = m.attrs[i];
			found = true;
		}
	pa_tnc_msg_clear(&m);
	return found;
}

static struct pa_tnc_attr
attr_of(struct bytes msg, uint32_t type)
{
	struct pa_tnc_attr a;
	ck_assert_msg(find_attr(msg, type, &a), "no attribute of type %u", type);
	return a;
}

/* strongSwan's SWIMA Request: in one of the server batch's SWIMA messages. */
static struct bytes
request_msg_of(const struct batch *bt)
{
	struct pa_tnc_attr a;
	for (size_t i = 0; i < bt->b.count; i++) {
		const struct pb_msg *m = &bt->b.msgs[i];
		if (m->vendor == PB_VENDOR_IETF && m->type == PB_MSG_PA && m->u.pa.vendor == 0 &&
		    m->u.pa.subtype == PA_TNC_SUBTYPE_IETF_SWIMA &&
		    find_attr(m->u.pa.body, PA_IETF_SWIMA_REQUEST, &a))
			return m->u.pa.body;
	}
	ck_abort_msg("no SWIMA Request in the batch");
	return (struct bytes){0};
}

static struct pa_swima_request
request_in(struct bytes msg)
{
	struct pa_swima_request r;
	struct parse_error pe;
	struct pa_tnc_attr a = attr_of(msg, PA_IETF_SWIMA_REQUEST);
	ck_assert_int_eq(pa_swima_request_decode(a.value, &r, &pe), 0);
	return r;
}

/* The inventory the events make, computed here: creations add, deletions
 * remove, in order. */
static size_t
inventory_of(struct bytes events_value)
{
	struct pa_swima_events v;
	struct pa_swima_events_iter it;
	struct pa_swima_event e;
	struct parse_error pe;
	struct bytes *have = calloc(EVENTS, sizeof(*have));
	size_t n = 0;
	ck_assert_ptr_nonnull(have);
	ck_assert_int_eq(pa_swima_events_decode(events_value, false, &v, &pe), 0);
	pa_swima_events_iter_init(&it, &v);
	while (pa_swima_events_next(&it, &e)) {
		size_t i = 0;
		while (i < n && (have[i].len != e.rec.sw_id.len ||
		    memcmp(have[i].ptr, e.rec.sw_id.ptr, e.rec.sw_id.len)))
			i++;
		if (e.action == PA_SWIMA_ACTION_DELETION && i < n)
			have[i] = have[--n];
		else if (e.action != PA_SWIMA_ACTION_DELETION && i == n)
			have[n++] = e.rec.sw_id;
	}
	free(have);
	return n;
}

struct rows {
	size_t n;
	char version[64];
};

static int
count_rows(void *ctx, const struct ps_column *cols, const struct ps_cell *cells, size_t ncols)
{
	struct rows *r = ctx;
	for (size_t c = 0; c < ncols; c++)
		if (!strcmp(cols[c].name, "version") && !cells[c].null)
			snprintf(r->version, sizeof(r->version), "%s", cells[c].s);
	r->n++;
	return 0;
}

/* --- fixture --- */

static void
setup(void)
{
	static bool loop_ready;
	char err[256];
	imv_budget_reset();
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(tl_policy_open(db, pwfile, PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s",
	    err);
	if (!loop_ready) { /* its timer joins the loop once; the table lives as long */
		policyd_db_init(&dbh, uv_default_loop(), s);
		pending_init(&pending);
	}
	loop_ready = true;
	dbh.store = s;
	struct ipc_policy_session_start m = {B("C=CH, O=sw-tnc test, CN=client@sw-tnc.test"),
	    B("127.0.0.1"), {0}};
	pending_start(&pending, CONN, NOW, &m);
	/* what strongSwan's server had: the device known in this epoch, no events yet */
	ck_assert_msg(policy_store_sw_inventory_replace(s, DEVICE, NOW - 3600, EPOCH, 0, NULL, 0) == 0,
	    "%s", policy_store_error(s));
	logged_len = 0;
	logged[0] = 0;
	log_set_output(keep_log, NULL);
}

static void
teardown(void)
{
	log_set_output(NULL, NULL);
	policyd_sw_forget(0, true);
	pending_clear(&pending);
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
	tl_policy_db_drop(db);
}

static void
policy(enum ps_policy_type type, const char *argument)
{
	const struct ps_policy_spec spec = {"Software", type, argument, IMV_REC_ISOLATE,
	    IMV_REC_NO_ACCESS, NULL};
	ck_assert_msg(policy_admin_policy_add(s, &spec) == 0, "%s", policy_store_error(s));
	ck_assert_msg(policy_admin_enforcement_add(s, "Software", "Default", 0, -1, -1) == 0, "%s",
	    policy_store_error(s));
}

/* Batches 1 to 3 of the session through the IMV: its request compared
 * with strongSwan's, the events stored.  Returns the state. */
static struct swima_state *
replay_events(struct replay *r, struct owed *o, uint32_t *ret_item)
{
	struct batch b1, b2, b3;
	batch_read(&b1, SET "01-c2s-CDATA-310.bin", PB_DIR_TO_SERVER);
	batch_read(&b2, SET "02-s2c-SDATA-208.bin", PB_DIR_TO_CLIENT);
	batch_read(&b3, SET "03-c2s-CDATA-109512.bin", PB_DIR_TO_SERVER);

	struct swima_state *st = swima_state_new(&cfg, &port, r, CONN, 2097104);
	deliver(st, &b1);
	batch_end(st, r, o);
	ck_assert(o->held);
	ck_assert(o->done);
	ck_assert(o->sent);
	ck_assert_uint_eq(st->items.n, 1);
	*ret_item = st->items.item[0].id;

	/* our request is strongSwan's, but for its Request ID */
	struct pa_swima_request ours = request_in((struct bytes){o->msg, o->len});
	struct pa_swima_request theirs = request_in(request_msg_of(&b2));
	ck_assert_uint_eq(theirs.request_id, STRONGSWAN_REQUEST);
	ck_assert_uint_eq(ours.flags, theirs.flags);
	ck_assert_uint_eq(ours.earliest_eid, theirs.earliest_eid);
	ck_assert_uint_eq(ours.earliest_eid, 1);
	ck_assert_uint_eq(ours.count, theirs.count);
	ck_assert_uint_eq(ours.request_id, *ret_item);

	/* the IMC's answer, its Request ID Copy made ours */
	struct pb_pa *sw = pa_of(&b3, PA_TNC_SUBTYPE_IETF_SWIMA);
	struct pa_tnc_attr ev = attr_of(sw->body, PA_IETF_SW_IDENTIFIER_EVENTS);
	uint8_t *copy = (uint8_t *)ev.value.ptr + 4;
	ck_assert_uint_eq((uint32_t)copy[0] << 24 | copy[1] << 16 | copy[2] << 8 | copy[3],
	    STRONGSWAN_REQUEST);
	copy[0] = (uint8_t)(ours.request_id >> 24);
	copy[1] = (uint8_t)(ours.request_id >> 16);
	copy[2] = (uint8_t)(ours.request_id >> 8);
	copy[3] = (uint8_t)ours.request_id;
	size_t expect_inventory = inventory_of(ev.value);
	deliver(st, &b3);
	batch_end(st, r, o);
	ck_assert(o->held);

	/* 965 events stored for the device, in chunks that fit a frame */
	ck_assert_uint_eq(r->stored, EVENTS);
	ck_assert_uint_gt(r->list_bytes, SWIMA_CHUNK_BYTES); /* more than one chunk */
	struct rows rows = {0};
	ck_assert_int_eq(policy_store_sw_events_list(s, DEVICE, -1, count_rows, &rows), 0);
	ck_assert_uint_eq(rows.n, EVENTS);
	memset(&rows, 0, sizeof(rows));
	ck_assert_int_eq(policy_store_sw_inventory_list(s, DEVICE, count_rows, &rows), 0);
	ck_assert_uint_eq(rows.n, expect_inventory);
	struct ps_sw_state state;
	ck_assert_int_eq(policy_store_sw_state(s, DEVICE, &state), 0);
	ck_assert(state.known);
	ck_assert_uint_eq(state.epoch, EPOCH);
	ck_assert_uint_eq(state.last_eid, 16);
	/* package and version cut from the identifiers: the devices running libltdl7 */
	struct ps_sw_range any = {NULL, NULL, false};
	memset(&rows, 0, sizeof(rows));
	ck_assert_int_eq(policy_store_sw_devices(s, "libltdl7", &any, count_rows, &rows), 0);
	ck_assert_uint_eq(rows.n, 1);
	ck_assert_str_eq(rows.version, "2.4.7-7~deb12u1");

	batch_free(&b1);
	batch_free(&b2);
	batch_free(&b3);
	return st;
}

START_TEST(strongswan_events_stored_and_judged)
{
	struct replay r = {0};
	struct owed o;
	uint32_t item;
	char line[256];

	policy(PS_POLICY_SWIDI, "forbid:telnetd require:adduser");
	struct swima_state *st = replay_events(&r, &o, &item);
	ck_assert(o.done);
	ck_assert(o.recommended);
	ck_assert_int_eq(o.last.rec, IMV_REC_ALLOW);
	ck_assert_int_eq(o.last.eval, IMV_EVAL_COMPLIANT);
	ck_assert(o.sent); /* the Assessment Result */
	struct pa_tnc_attr a = attr_of((struct bytes){o.msg, o.len}, PA_IETF_ASSESSMENT_RESULT);
	uint32_t result;
	struct parse_error pe;
	ck_assert_int_eq(pa_ietf_assessment_result_decode(a.value, &result, &pe), 0);
	ck_assert_uint_eq(result, PA_IETF_ASSESSMENT_COMPLIANT);
	/* the result went to tnc-policy for the session's record */
	const struct pending_session *ps = pending_find(&pending, CONN);
	ck_assert_ptr_nonnull(ps);
	ck_assert(ps->answers[item - 1].answered);
	ck_assert_uint_eq(ps->answers[item - 1].rec, IMV_REC_ALLOW);
	/* and is logged as strongSwan's IMV logged it */
	snprintf(line, sizeof(line), "IMV 2 handled SWIDI workitem %u: allow - received 965 SW ID "
	    "events and 0 SWID tags\n", item);
	ck_assert_msg(strstr(logged, line), "not logged: %s", line);
	ck_assert_ptr_nonnull(strstr(logged, "IMV 2 recommends 'allow' with evaluation 'compliant' "
	    "for Connection ID 1: SWIDI: received 965 SW ID events and 0 SWID tags\n"));
	ck_assert_ptr_nonnull(strstr(logged, "IMV 2 issues sw request"));
	swima_state_free(st);
}
END_TEST

/* The same session with a policy the endpoint does not meet. */
START_TEST(strongswan_events_against_a_forbidding_policy)
{
	struct replay r = {0};
	struct owed o;
	uint32_t item;

	policy(PS_POLICY_SWIDI, "forbid:libltdl7 require:telnetd");
	struct swima_state *st = replay_events(&r, &o, &item);
	ck_assert(o.recommended);
	ck_assert_int_eq(o.last.rec, IMV_REC_ISOLATE);
	ck_assert_int_eq(o.last.eval, IMV_EVAL_NONCOMPLIANT_MAJOR);
	ck_assert_ptr_nonnull(strstr(o.last.reason, "1 forbidden, 1 missing"));
	ck_assert_ptr_nonnull(strstr(o.last.reason, "libltdl7"));
	ck_assert_ptr_nonnull(strstr(logged, "IMV 2 recommends 'isolate'"));
	swima_state_free(st);
}
END_TEST

/* SWIDT: after the events the IMV asks the IMC for the tags the database
 * lacks (strongSwan's session ends there: the recommendation says so). */
START_TEST(strongswan_events_then_tags_asked)
{
	struct replay r = {0};
	struct owed o;
	uint32_t item;

	policy(PS_POLICY_SWIDT, "");
	struct swima_state *st = replay_events(&r, &o, &item);
	ck_assert(o.done);
	ck_assert(!o.recommended);
	ck_assert(o.sent);
	struct pa_swima_request req = request_in((struct bytes){o.msg, o.len});
	ck_assert_uint_eq(req.flags, 0); /* records (tags) wanted */
	ck_assert_uint_eq(req.count, IPC_SW_UNTAGGED_MAX);
	ck_assert_uint_ne(req.request_id, item);
	struct pa_swima_ids_iter it;
	struct bytes id;
	pa_swima_ids_iter_init(&it, req.ids);
	ck_assert(pa_swima_ids_next(&it, &id));
	ck_assert_uint_gt(id.len, strlen("debian.org__Debian_12-x86_64-"));
	ck_assert(!memcmp(id.ptr, "debian.org__Debian_12-x86_64-", 29));

	struct imv_out out;
	swima_state_solicit(st, &out);
	ck_assert(out.recommend);
	ck_assert_int_eq(out.rec, IMV_REC_NO_ACCESS); /* the policy's rec_noresult */
	ck_assert_int_eq(out.eval, IMV_EVAL_DONT_KNOW);
	ck_assert_ptr_nonnull(strstr(logged, "the IMC did not answer the SWIMA request"));
	swima_state_free(st);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("swima_replay");
	TCase *tc = tcase_create("strongswan");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, strongswan_events_stored_and_judged);
	tcase_add_test(tc, strongswan_events_against_a_forbidding_policy);
	tcase_add_test(tc, strongswan_events_then_tags_asked);
	suite_add_tcase(suite, tc);
	return tl_run_suite(suite);
}
