/* test_tnccs_bookkeeping.c - tnccs's queue of frames for tnc-ike under
 * back-pressure: kept in order behind the first refused one, sent on
 * drain, bounded.  Its session table is base/id_table.c (test_id_table.c). */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ike_out.h"
#include "testlib.h"

static struct ike_out q;
static bool drained;

static void on_msg(struct ipc_channel *ch, struct ipc_received *rx) {}
static void on_close(struct ipc_channel *ch, int err) {}

static void
on_drain(struct ipc_channel *ch)
{
	drained = true;
	ike_out_flush(&q, ch);
}

#define BATCH_LEN (200u * 1024)

/* Reads whole frames from fd; checks the sessions come as 1, 2, 3, ... */
static void
read_frames(int fd, uint8_t *buf, size_t *have, uint32_t *next_session)
{
	ssize_t n = read(fd, buf + *have, 2 * BATCH_LEN - *have);
	if (n <= 0)
		return;
	*have += (size_t)n;
	for (;;) {
		struct ipc_header h;
		if (*have < IPC_HEADER_LEN)
			return;
		ck_assert_int_eq(ipc_frame_parse_header(buf, *have, IPC_FRAME_MAX_HARD, &h), 0);
		size_t whole = IPC_HEADER_LEN + h.length;
		if (*have < whole)
			return;
		ck_assert_uint_eq(h.session, *next_session);
		(*next_session)++;
		memmove(buf, buf + whole, *have - whole);
		*have -= whole;
	}
}

START_TEST(ike_frames_wait_in_order_and_are_bounded)
{
	uv_loop_t loop;
	int sv[2];
	struct ipc_channel *ch;
	static const struct ipc_channel_ops ops = {on_msg, on_close, on_drain};
	static uint8_t payload[BATCH_LEN], buf[2 * BATCH_LEN];

	ck_assert_int_eq(uv_loop_init(&loop), 0);
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ck_assert_int_eq(fcntl(sv[1], F_SETFL, O_NONBLOCK), 0);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], IPC_END_TNCCS, IPC_END_IKE, "tnc-ike", &ops,
	    NULL, &ch), 0);
	ipc_channel_set_max_frame(ch, IPC_FRAME_MAX_HARD);
	ike_out_init(&q);

	/* nobody reads: the channel pushes back, then ike_out keeps up to its bound */
	struct ipc_msg m = {.type = IPC_TNCCS_BATCH, .u.tnccs_batch.batch = {payload, BATCH_LEN}};
	uint32_t session = 1;
	int err;
	while ((err = ike_out_send(&q, ch, session, &m)) == 0) {
		session++;
		ck_assert_uint_lt(session, 2000);
	}
	ck_assert_int_eq(err, TNC_EAGAIN);
	ck_assert_uint_gt(q.frames, 0);
	ck_assert_uint_le(q.batch_bytes, IKE_OUT_MAX);
	ck_assert_uint_gt(q.batch_bytes + BATCH_LEN, IKE_OUT_MAX);
	/* a CLOSE still queues behind them: a session can always be ended */
	struct ipc_msg bye = {.type = IPC_TNCCS_CLOSE};
	bye.u.tnccs_close.reason = (struct bytes){(const uint8_t *)"bye", 3};
	ck_assert_int_eq(ike_out_send(&q, ch, session, &bye), 0);
	uint32_t last = session;

	/* tnc-ike reads again: everything arrives, in order, nothing lost */
	size_t have = 0;
	uint32_t next = 1;
	for (int rounds = 0; next <= last && rounds < 200000; rounds++) {
		uv_run(&loop, UV_RUN_NOWAIT);
		read_frames(sv[1], buf, &have, &next);
	}
	ck_assert_uint_eq(next, last + 1);
	ck_assert(drained);
	ck_assert_uint_eq(q.frames, 0);
	ck_assert_uint_eq(q.batch_bytes, 0);
	ipc_channel_close(ch, 0);
	uv_run(&loop, UV_RUN_DEFAULT);
	close(sv[1]);
	ck_assert_int_eq(uv_loop_close(&loop), 0);
}
END_TEST

START_TEST(ike_frames_without_a_channel_are_refused)
{
	ike_out_init(&q);
	struct ipc_msg m = {.type = IPC_TNCCS_RESULT};
	ck_assert_int_eq(ike_out_send(&q, NULL, 1, &m), TNC_ECLOSED);
	ck_assert_uint_eq(q.frames, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("tnccs_bookkeeping");
	TCase *tc = tcase_create("bookkeeping");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, ike_frames_wait_in_order_and_are_bounded);
	tcase_add_test(tc, ike_frames_without_a_channel_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
