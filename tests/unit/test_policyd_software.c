/* test_policyd_software.c - tnc-policy's side of the SWIMA IMV's software
 * database (policy/policyd_software.c), on SQLite and (the _pg run)
 * PostgreSQL: nothing before the OS IMV reported the device; an inventory
 * of 20,000 identifiers in chunks that each fit a frame, stored at the last
 * chunk; events applied once; a chunk whose first never came spoils its
 * upload; tags and the identifiers without one; the verdict of the
 * session's SWIDT workitem from its policy's rules; requests of another
 * IMV refused. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_channel.h"
#include "log.h"
#include "policy_software.h"
#include "policyd_software.h"
#include "testlib.h"
#include "tl_policy_db.h"
#include "tl_policy_open.h"

#define NOW 1800000000
#define CONN 7
#define DEVICE "machine-1"
#define IMV_SWIMA 2
#define NIDS 20000
#define PAYLOAD_MAX (IPC_FRAME_MAX_DEFAULT - IPC_HEADER_LEN)

static char db[256], pwfile[512];
static struct policy_store *s;
static struct pending_table pending;
static struct policyd_db dbh;

static void
setup(void)
{
	static bool loop_ready;
	char err[256];
	tl_policy_db(db, sizeof(db), pwfile, sizeof(pwfile));
	ck_assert_msg(tl_policy_open(db, pwfile, PS_OPEN_CREATE, &s, err, sizeof(err)) == 0, "%s",
	    err);
	if (!loop_ready) { /* its timer joins the loop once; the table lives as long */
		policyd_db_init(&dbh, uv_default_loop(), s);
		pending_init(&pending);
	}
	loop_ready = true;
	dbh.store = s;
	struct ipc_policy_session_start m = {{(const uint8_t *)"CN=c", 4}, {0}, {0}};
	pending_start(&pending, CONN, NOW, &m);
}

static void
teardown(void)
{
	policyd_sw_forget(0, true);
	pending_clear(&pending);
	ck_assert_int_eq(policy_store_check(s), 0);
	policy_store_close(s);
	tl_policy_db_drop(db);
}

static struct bytes
b(const char *text)
{
	return (struct bytes){(const uint8_t *)text, strlen(text)};
}

static void
report_device(void)
{
	struct ipc_policy_device m = {b(TL_PRODUCT), b(DEVICE)};
	pending_device(&pending, CONN, &m);
}

/* Sends m (seq 1, or 0 for a chunk that is not the last) as the IMV imv;
 * whether it was answered, the answer in *reply. */
static bool
request(uint16_t imv, const struct ipc_msg *m, uint32_t seq, struct ipc_msg *reply)
{
	struct ipc_received rx = {.hdr = {.type = m->type, .session = CONN, .seq = seq}, .msg = *m};
	struct wire_writer w = {0};
	ck_assert(policyd_sw_request_type(m->type));
	*reply = (struct ipc_msg){0};
	bool answered = policyd_sw_request(&pending, &dbh, imv, &rx, reply, &w);
	if (answered && reply->type == IPC_POLICY_SW_UNTAGGED) { /* keep what it views */
		static uint8_t keep[IPC_SW_UNTAGGED_MAX * (2 + IPC_SW_ID_MAX)];
		memcpy(keep, w.buf, w.len);
		reply->u.policy_sw_untagged.list.ptr = keep;
	}
	wire_writer_clear(&w);
	return answered;
}

static struct ipc_policy_sw_state
state(void)
{
	struct ipc_msg m = {.type = IPC_POLICY_SW_STATE_GET}, reply;
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_uint_eq(reply.type, IPC_POLICY_SW_STATE);
	return reply.u.policy_sw_state;
}

START_TEST(nothing_before_the_device_is_reported)
{
	ck_assert_int_eq(state().status, TNC_ESTATE);
	struct ipc_msg m = {.type = IPC_POLICY_SW_INVENTORY}, reply;
	m.u.policy_sw_list = (struct ipc_policy_sw_list){IPC_SW_FIRST, 1, 1, 0, {NULL, 0}};
	ck_assert(!request(IMV_SWIMA, &m, 0, &reply)); /* not the last: no answer */
	m.u.policy_sw_list.flags = IPC_SW_FIRST | IPC_SW_LAST;
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_state.status, TNC_ESTATE);
	report_device();
	struct ipc_policy_sw_state st = state();
	ck_assert_int_eq(st.status, 0);
	ck_assert_uint_eq(st.known, 0);
	/* the OS IMV's request is not the SWIMA IMV's */
	m = (struct ipc_msg){.type = IPC_POLICY_SW_STATE_GET};
	ck_assert(!request(1, &m, 1, &reply));
}
END_TEST

static void
name_of(size_t i, char *buf, size_t size)
{
	snprintf(buf, size, "debian.org__Debian_12-x86_64-package-number-%zu-1.%zu", i, i);
}

START_TEST(big_inventory_in_chunks)
{
	char name[128], pkg[32];
	size_t next = 0, chunks = 0;
	struct ipc_msg reply;
	report_device();
	while (next < NIDS) {
		struct wire_writer list;
		wire_writer_init(&list, PAYLOAD_MAX - 11);
		uint16_t count = 0;
		for (; next < NIDS; next++, count++) {
			size_t before = list.len;
			name_of(next, name, sizeof(name));
			snprintf(pkg, sizeof(pkg), "package%zu", next);
			struct ipc_sw_id id = {b(name), b(pkg), b("1.0"), b("debian.org")};
			if (ipc_sw_id_put(&list, &id) != 0) {
				list.len = before;
				list.err = 0;
				break;
			}
		}
		bool last = next == NIDS;
		struct ipc_msg m = {.type = IPC_POLICY_SW_INVENTORY};
		m.u.policy_sw_list = (struct ipc_policy_sw_list){
		    (chunks ? 0 : IPC_SW_FIRST) | (last ? IPC_SW_LAST : 0), 3, 77, count,
		    {list.buf, list.len}};
		/* the IMV's frame: encoded within the bound, decoded as tnc-policy gets it */
		struct wire_writer frame;
		wire_writer_init(&frame, PAYLOAD_MAX);
		ck_assert_int_eq(ipc_msg_encode(&m, &frame), 0);
		ck_assert_int_eq(ipc_msg_decode(m.type, frame.buf, frame.len, &m), 0);
		ck_assert(request(IMV_SWIMA, &m, last ? 1 : 0, &reply) == last);
		wire_writer_clear(&frame);
		wire_writer_clear(&list);
		chunks++;
	}
	ck_assert_uint_ge(chunks, 7);
	const struct ipc_policy_sw_state *st = &reply.u.policy_sw_state;
	ck_assert_int_eq(st->status, 0);
	ck_assert_uint_eq(st->stored, NIDS);
	ck_assert_uint_eq(st->known, 1);
	ck_assert_uint_eq(st->epoch, 3);
	ck_assert_uint_eq(st->last_eid, 77);
	struct ps_sw_verdict v;
	ck_assert_int_eq(policy_store_sw_verdict(s, DEVICE, "", &v), 0);
	ck_assert_uint_eq(v.identifiers, NIDS);
}
END_TEST

/* One chunk of n events from EID first on: create package<i>. */
static struct ipc_msg
events_chunk(uint8_t flags, uint32_t first, unsigned n, struct wire_writer *list)
{
	char name[64];
	wire_writer_init(list, 65536);
	for (unsigned i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "x__new-%u", first + i);
		struct ipc_sw_event e = {first + i, b("2026-12-07T06:00:00Z"), 1,
		    {b(name), b("new"), b("1.0"), b("")}};
		ck_assert_int_eq(ipc_sw_event_put(list, &e), 0);
	}
	struct ipc_msg m = {.type = IPC_POLICY_SW_EVENTS};
	m.u.policy_sw_list = (struct ipc_policy_sw_list){flags, 3, first + n - 1, (uint16_t)n,
	    {list->buf, list->len}};
	return m;
}

START_TEST(events_once_and_a_chunk_out_of_order)
{
	struct ipc_msg reply;
	struct wire_writer list;
	report_device();
	const struct ps_sw_id start = {"x__base", "base", "1", NULL};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEVICE, NOW, 3, 10, &start, 1), 0);

	struct ipc_msg m = events_chunk(IPC_SW_FIRST | IPC_SW_LAST, 11, 5, &list);
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_state.status, 0);
	ck_assert_uint_eq(reply.u.policy_sw_state.stored, 5);
	ck_assert_uint_eq(reply.u.policy_sw_state.last_eid, 15);
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_uint_eq(reply.u.policy_sw_state.stored, 0); /* the same again: nothing new */
	wire_writer_clear(&list);

	/* a last chunk whose first never came: refused, nothing stored */
	m = events_chunk(IPC_SW_LAST, 16, 2, &list);
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_state.status, TNC_ESTATE);
	ck_assert_uint_eq(state().last_eid, 15);
	wire_writer_clear(&list);

	/* a first chunk, then a last one of another epoch: refused */
	m = events_chunk(IPC_SW_FIRST, 16, 2, &list);
	ck_assert(!request(IMV_SWIMA, &m, 0, &reply));
	wire_writer_clear(&list);
	m = events_chunk(IPC_SW_LAST, 18, 1, &list);
	m.u.policy_sw_list.epoch = 4;
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_state.status, TNC_EINVALID);
	wire_writer_clear(&list);
	struct ps_sw_verdict v;
	ck_assert_int_eq(policy_store_sw_verdict(s, DEVICE, "", &v), 0);
	ck_assert_uint_eq(v.identifiers, 6);
}
END_TEST

START_TEST(tags_untagged_and_verdict)
{
	struct ipc_msg reply;
	report_device();
	const struct ps_sw_id ids[] = {{"x__telnetd-0.17", "telnetd", "0.17", NULL},
	    {"x__bash-5.2", "bash", "5.2", NULL}};
	ck_assert_int_eq(policy_store_sw_inventory_replace(s, DEVICE, NOW, 1, 1, ids, 2), 0);

	struct wire_writer list;
	wire_writer_init(&list, 4096);
	struct ipc_sw_id id = {b("x__bash-5.2"), b("bash"), b("5.2"), b("")};
	ck_assert_int_eq(ipc_sw_tag_put(&list, &id, b("<SoftwareIdentity name=\"bash\"/>")), 0);
	struct ipc_msg m = {.type = IPC_POLICY_SW_TAGS};
	m.u.policy_sw_tags = (struct ipc_policy_sw_tags){1, {list.buf, list.len}};
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_state.status, 0);
	ck_assert_uint_eq(reply.u.policy_sw_state.stored, 1);
	wire_writer_clear(&list);

	m = (struct ipc_msg){.type = IPC_POLICY_SW_UNTAGGED_GET};
	m.u.policy_sw_untagged_get.max = 10;
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_untagged.status, 0);
	ck_assert_uint_eq(reply.u.policy_sw_untagged.count, 1);
	size_t pos = 0;
	struct bytes name;
	ck_assert_int_eq(ipc_sw_name_next(&reply.u.policy_sw_untagged, &pos, &name), 0);
	ck_assert(bytes_eq_str(name, "x__telnetd-0.17"));

	/* a SWIDT policy forbidding telnetd, enforced for every device */
	const struct ps_policy_spec spec = {"No telnetd", PS_POLICY_SWIDT,
	    "forbid:telnetd require:bash", IMV_REC_ISOLATE, IMV_REC_NO_ACCESS, NULL};
	ck_assert_int_eq(policy_admin_policy_add(s, &spec), 0);
	ck_assert_int_eq(policy_admin_enforcement_add(s, "No telnetd", "Default", 0, -1, -1), 0);
	struct ipc_policy_workitems w;
	ck_assert_msg(pending_plan(&pending, s, CONN, NOW, IMV_SWIMA, &w) == 0, "%s",
	    policy_store_error(s));
	ck_assert_uint_eq(w.count, 1);
	m = (struct ipc_msg){.type = IPC_POLICY_SW_VERDICT_GET};
	m.u.policy_sw_verdict_get.workitem = w.item[0].id;
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	const struct ipc_policy_sw_verdict *v = &reply.u.policy_sw_verdict;
	ck_assert_int_eq(v->status, 0);
	ck_assert_uint_eq(v->fail, 1);
	ck_assert_uint_eq(v->forbidden, 1);
	ck_assert_uint_eq(v->missing, 0);
	ck_assert_uint_eq(v->identifiers, 2);
	ck_assert(bytes_eq_str(v->detail, "forbidden telnetd"));
	/* a workitem of the OS IMV's (the default policy's) is not the SWIMA IMV's */
	m.u.policy_sw_verdict_get.workitem = w.item[0].id == 1 ? 2 : 1;
	ck_assert(request(IMV_SWIMA, &m, 1, &reply));
	ck_assert_int_eq(reply.u.policy_sw_verdict.status, TNC_ENOTFOUND);
}
END_TEST

int
main(void)
{
	Suite *suite = suite_create("policyd_software");
	TCase *tc = tcase_create("software");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, nothing_before_the_device_is_reported);
	tcase_add_test(tc, big_inventory_in_chunks);
	tcase_add_test(tc, events_once_and_a_chunk_out_of_order);
	tcase_add_test(tc, tags_untagged_and_verdict);
	suite_add_tcase(suite, tc);
	return tl_run_suite(suite);
}
