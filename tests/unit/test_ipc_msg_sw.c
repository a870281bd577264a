/* test_ipc_msg_sw.c - the policy-sw-* messages between the SWIMA IMV and
 * tnc-policy (ipc/ipc_msg.h): an inventory of 20,000 identifiers sent in
 * chunks that each fit a frame and read back whole, events, tags, the
 * untagged list, state and verdict round trips, and what the decoder
 * refuses (reserved flags, an empty name, an unknown action, a tag with a
 * NUL or over its bound, counts over their bound, trailing bytes). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_msg.h"
#include "testlib.h"

#define PAYLOAD_MAX (IPC_FRAME_MAX_DEFAULT - IPC_HEADER_LEN)
#define LIST_HEAD 11 /* flags, epoch, last EID, count */
#define NIDS 20000

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
name_of(size_t i, char *buf, size_t size)
{
	snprintf(buf, size, "debian.org__Debian_12-x86_64-package-number-%zu-1.%zu-1+deb12u1", i, i);
}

/* Encodes m and decodes it again into ret; the encoded payload's length. */
static size_t
round_trip(const struct ipc_msg *m, struct ipc_msg *ret, uint8_t **payload)
{
	struct wire_writer w;
	wire_writer_init(&w, PAYLOAD_MAX);
	ck_assert_int_eq(ipc_msg_encode(m, &w), 0);
	*payload = w.buf; /* the decoded views point into it */
	ck_assert_int_eq(ipc_msg_decode(m->type, w.buf, w.len, ret), 0);
	return w.len;
}

START_TEST(big_inventory_spans_frames)
{
	char name[128], version[32];
	size_t next = 0, seen = 0, chunks = 0;
	while (next < NIDS) {
		struct wire_writer list;
		wire_writer_init(&list, PAYLOAD_MAX - LIST_HEAD);
		uint16_t count = 0;
		for (; next < NIDS && count < IPC_SW_LIST_MAX; next++, count++) {
			size_t before = list.len;
			name_of(next, name, sizeof(name));
			snprintf(version, sizeof(version), "1.%zu-1+deb12u1", next);
			struct ipc_sw_id id = {B(name), B("pkg"), B(version), B("debian.org")};
			if (ipc_sw_id_put(&list, &id) != 0) { /* full: this one starts the next chunk */
				ck_assert_uint_gt(count, 0);
				list.len = before;
				list.err = 0;
				break;
			}
		}
		struct ipc_msg m = {.type = IPC_POLICY_SW_INVENTORY}, back;
		m.u.policy_sw_list = (struct ipc_policy_sw_list){
		    (chunks ? 0 : IPC_SW_FIRST) | (next == NIDS ? IPC_SW_LAST : 0), 7, 4242, count,
		    {list.buf, list.len}};
		uint8_t *payload;
		size_t len = round_trip(&m, &back, &payload);
		ck_assert_uint_le(len, PAYLOAD_MAX);
		ck_assert_uint_eq(back.u.policy_sw_list.count, count);
		ck_assert_uint_eq(back.u.policy_sw_list.last_eid, 4242);
		size_t pos = 0;
		struct ipc_sw_id id;
		while (ipc_sw_id_next(&back.u.policy_sw_list, &pos, &id) == 0) {
			name_of(seen++, name, sizeof(name));
			ck_assert(bytes_eq_str(id.name, name));
			ck_assert(bytes_eq_str(id.regid, "debian.org"));
		}
		free(payload);
		wire_writer_clear(&list);
		chunks++;
	}
	ck_assert_uint_eq(seen, NIDS);
	ck_assert_uint_ge(chunks, 7); /* about 90 bytes each: 20,000 need 7 frames of 256 KiB */
	printf("%d identifiers in %zu frames\n", NIDS, chunks);
}
END_TEST

START_TEST(events_round_trip)
{
	struct wire_writer list;
	wire_writer_init(&list, 4096);
	const struct ipc_sw_event ev[] = {
	    {11, B("2026-12-07T06:00:00Z"), 1, {B("a__1"), B("a"), B("1"), B("")}},
	    {12, B("2026-12-07T06:00:01Z"), 2, {B("b__2"), B(""), B(""), B("")}},
	};
	for (size_t i = 0; i < 2; i++)
		ck_assert_int_eq(ipc_sw_event_put(&list, &ev[i]), 0);
	struct ipc_sw_event bad = ev[0];
	bad.action = 4;
	ck_assert_int_eq(ipc_sw_event_put(&list, &bad), TNC_EINVALID);
	struct ipc_msg m = {.type = IPC_POLICY_SW_EVENTS}, back;
	m.u.policy_sw_list = (struct ipc_policy_sw_list){IPC_SW_FIRST | IPC_SW_LAST, 1, 12, 2,
	    {list.buf, list.len}};
	uint8_t *payload;
	size_t len = round_trip(&m, &back, &payload);
	size_t pos = 0;
	struct ipc_sw_event e;
	ck_assert_int_eq(ipc_sw_event_next(&back.u.policy_sw_list, &pos, &e), 0);
	ck_assert_uint_eq(e.eid, 11);
	ck_assert(bytes_eq_str(e.time, "2026-12-07T06:00:00Z"));
	ck_assert(bytes_eq_str(e.id.package, "a"));
	ck_assert_int_eq(ipc_sw_event_next(&back.u.policy_sw_list, &pos, &e), 0);
	ck_assert_uint_eq(e.action, 2);
	ck_assert_uint_eq(e.id.package.len, 0);
	ck_assert_int_eq(ipc_sw_event_next(&back.u.policy_sw_list, &pos, &e), TNC_ENOTFOUND);

	/* the action byte of the first event: 4 is refused; flags 0x04 are reserved;
	 * one byte more is trailing */
	size_t action_at = LIST_HEAD + 4 + 2 + 20;
	ck_assert_uint_eq(payload[action_at], 1);
	payload[action_at] = 4;
	ck_assert_int_eq(ipc_msg_decode(m.type, payload, len, &back), TNC_EINVALID);
	payload[action_at] = 1;
	payload[0] = 0x04;
	ck_assert_int_eq(ipc_msg_decode(m.type, payload, len, &back), TNC_ERESERVED);
	payload[0] = IPC_SW_LAST;
	ck_assert_int_eq(ipc_msg_decode(m.type, payload, len, &back), 0);
	ck_assert_int_ne(ipc_msg_decode(m.type, payload, len - 1, &back), 0);
	free(payload);
	wire_writer_clear(&list);
}
END_TEST

START_TEST(tags_round_trip_and_bounds)
{
	struct wire_writer list;
	wire_writer_init(&list, PAYLOAD_MAX);
	const struct ipc_sw_id id = {B("regid.2004-03.org.strongswan__x"), B(""), B(""), B("")};
	const char *tag = "<SoftwareIdentity name=\"x\" tagId=\"x\"/>";
	ck_assert_int_eq(ipc_sw_tag_put(&list, &id, B(tag)), 0);
	char *big = malloc(IPC_SW_TAG_MAX + 1);
	ck_assert_ptr_nonnull(big);
	memset(big, 'x', IPC_SW_TAG_MAX + 1);
	ck_assert_int_eq(ipc_sw_tag_put(&list, &id, (struct bytes){(uint8_t *)big,
	    IPC_SW_TAG_MAX + 1}), TNC_ETOOLONG);
	struct ipc_msg m = {.type = IPC_POLICY_SW_TAGS}, back;
	m.u.policy_sw_tags = (struct ipc_policy_sw_tags){1, {list.buf, list.len}};
	uint8_t *payload;
	size_t len = round_trip(&m, &back, &payload);
	size_t pos = 0;
	struct ipc_sw_id got;
	struct bytes t;
	ck_assert_int_eq(ipc_sw_tag_next(&back.u.policy_sw_tags, &pos, &got, &t), 0);
	ck_assert(bytes_eq_str(t, tag));
	ck_assert(bytes_eq_str(got.name, "regid.2004-03.org.strongswan__x"));
	/* a NUL inside the tag */
	payload[len - 3] = 0;
	ck_assert_int_eq(ipc_msg_decode(m.type, payload, len, &back), TNC_EINVALID);
	free(payload);
	wire_writer_clear(&list);

	/* a tag one byte over its bound, encoded by hand */
	struct wire_writer w;
	wire_writer_init(&w, IPC_SW_TAG_MAX + 4096);
	wire_put_u16(&w, 1);
	ipc_put_text(&w, "n", 1);
	for (int i = 0; i < 3; i++)
		ipc_put_text(&w, "", 0);
	wire_put_u32(&w, IPC_SW_TAG_MAX + 1);
	wire_put_bytes(&w, big, IPC_SW_TAG_MAX + 1);
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_SW_TAGS, w.buf, w.len, &back), TNC_ETOOLONG);
	wire_writer_clear(&w);
	free(big);
}
END_TEST

START_TEST(untagged_state_and_verdict_round_trip)
{
	struct wire_writer list;
	wire_writer_init(&list, 4096);
	ck_assert_int_eq(ipc_sw_name_put(&list, B("a__1")), 0);
	ck_assert_int_eq(ipc_sw_name_put(&list, B("b__2")), 0);
	ck_assert_int_eq(ipc_sw_name_put(&list, B("")), TNC_ETOOLONG);
	struct ipc_msg m = {.type = IPC_POLICY_SW_UNTAGGED}, back;
	m.u.policy_sw_untagged = (struct ipc_policy_sw_untagged){0, 2, {list.buf, list.len}};
	uint8_t *payload;
	round_trip(&m, &back, &payload);
	size_t pos = 0;
	struct bytes name;
	ck_assert_int_eq(ipc_sw_name_next(&back.u.policy_sw_untagged, &pos, &name), 0);
	ck_assert_int_eq(ipc_sw_name_next(&back.u.policy_sw_untagged, &pos, &name), 0);
	ck_assert(bytes_eq_str(name, "b__2"));
	free(payload);
	wire_writer_clear(&list);

	m = (struct ipc_msg){.type = IPC_POLICY_SW_UNTAGGED_GET};
	m.u.policy_sw_untagged_get.max = IPC_SW_UNTAGGED_MAX;
	round_trip(&m, &back, &payload);
	ck_assert_uint_eq(back.u.policy_sw_untagged_get.max, IPC_SW_UNTAGGED_MAX);
	payload[1]++; /* 201 */
	ck_assert_int_eq(ipc_msg_decode(m.type, payload, 2, &back), TNC_EINVALID);
	free(payload);

	m = (struct ipc_msg){.type = IPC_POLICY_SW_STATE};
	m.u.policy_sw_state = (struct ipc_policy_sw_state){TNC_ESTATE, 5, 1, 0xfffffffe, 965};
	round_trip(&m, &back, &payload);
	ck_assert_int_eq(back.u.policy_sw_state.status, TNC_ESTATE);
	ck_assert_uint_eq(back.u.policy_sw_state.epoch, 0xfffffffe);
	ck_assert_uint_eq(back.u.policy_sw_state.last_eid, 965);
	payload[8] = 2; /* known is 0 or 1 */
	ck_assert_int_eq(ipc_msg_decode(m.type, payload, 17, &back), TNC_EINVALID);
	free(payload);

	m = (struct ipc_msg){.type = IPC_POLICY_SW_VERDICT};
	m.u.policy_sw_verdict = (struct ipc_policy_sw_verdict){0, 1, 1, 2, 3, 965,
	    B("forbidden telnetd; missing openssh-server")};
	round_trip(&m, &back, &payload);
	ck_assert_uint_eq(back.u.policy_sw_verdict.vulnerable, 3);
	ck_assert_uint_eq(back.u.policy_sw_verdict.identifiers, 965);
	ck_assert(bytes_eq_str(back.u.policy_sw_verdict.detail,
	    "forbidden telnetd; missing openssh-server"));
	free(payload);

	m = (struct ipc_msg){.type = IPC_POLICY_SW_STATE_GET};
	ck_assert_int_eq(ipc_msg_decode(m.type, (const uint8_t *)"x", 1, &back), TNC_ETRAILING);
}
END_TEST

START_TEST(counts_over_their_bound_are_refused)
{
	uint8_t head[LIST_HEAD] = {IPC_SW_FIRST, 0, 0, 0, 1, 0, 0, 0, 1};
	head[9] = (IPC_SW_LIST_MAX + 1) >> 8;
	head[10] = (IPC_SW_LIST_MAX + 1) & 0xff;
	struct ipc_msg back;
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_SW_INVENTORY, head, sizeof(head), &back),
	    TNC_ETOOLONG);
	/* an identifier with an empty name */
	uint8_t empty[LIST_HEAD + 8] = {IPC_SW_FIRST, 0, 0, 0, 1, 0, 0, 0, 1, 0, 1};
	ck_assert_int_eq(ipc_msg_decode(IPC_POLICY_SW_INVENTORY, empty, sizeof(empty), &back),
	    TNC_EINVALID);
	struct ipc_msg m = {.type = IPC_POLICY_SW_UNTAGGED};
	m.u.policy_sw_untagged.count = IPC_SW_UNTAGGED_MAX + 1;
	struct wire_writer w;
	wire_writer_init(&w, 64);
	ck_assert_int_eq(ipc_msg_encode(&m, &w), TNC_ETOOLONG);
	wire_writer_clear(&w);
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("ipc_msg_sw");
	TCase *tc = tcase_create("sw");
	tcase_add_test(tc, big_inventory_spans_frames);
	tcase_add_test(tc, events_round_trip);
	tcase_add_test(tc, tags_round_trip_and_bounds);
	tcase_add_test(tc, untagged_state_and_verdict_round_trip);
	tcase_add_test(tc, counts_over_their_bound_are_refused);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
