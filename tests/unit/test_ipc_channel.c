/* test_ipc_channel.c - IPC channels over real socketpairs and libuv:
 * frames round-trip, bad frames close only that channel, a message that may
 * not flow between the channel's ends or comes twice when it may come once
 * closes it before decoding, descriptors pass only with the messages that
 * carry one, back-pressure refuses and then drains, and a frame the
 * socket takes only in part still arrives whole and in order. */
#include <dirent.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "ipc_channel.h"
#include "testlib.h"

/* The usual pairs of ends: tncd and a child's control channel, tnccs and an
 * IMV's direct channel. */
#define TNCD IPC_END_TNCD
#define CHILD IPC_END_IMV

struct rx_log {
	int msgs;
	uint16_t last_type;
	uint64_t last_token;
	uint32_t last_seq;
	int closed;
	int close_err;
	int drained;
	bool in_order;  /* seq must count up from 1 */
	int disordered; /* frames that did not */
	const struct bytes *expect; /* what every IMV_SEND must carry */
	int mangled;                /* IMV_SENDs that did not */
	struct ipc_channel *adopted; /* from a PEER_ATTACH */
	struct rx_log *adopted_log;
};

static void on_msg(struct ipc_channel *ch, struct ipc_received *rx);
static void on_close(struct ipc_channel *ch, int err);
static void on_drain(struct ipc_channel *ch);
static const struct ipc_channel_ops ops = {on_msg, on_close, on_drain};

static void
on_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct rx_log *l = ipc_channel_data(ch);
	l->msgs++;
	l->disordered += l->in_order && rx->hdr.seq != l->last_seq + 1;
	if (l->expect && rx->hdr.type == IPC_IMV_SEND) {
		const struct bytes *got = &rx->msg.u.pa_msg.msg;
		l->mangled += got->len != l->expect->len || memcmp(got->ptr, l->expect->ptr, got->len);
	}
	l->last_type = rx->hdr.type;
	l->last_seq = rx->hdr.seq;
	if (rx->hdr.type == IPC_PING || rx->hdr.type == IPC_PONG)
		l->last_token = rx->msg.u.ping.token;
	if (rx->hdr.type == IPC_PEER_ATTACH && l->adopted_log) {
		ck_assert_ptr_nonnull(rx->handle);
		ck_assert_int_eq(ipc_channel_adopt(rx->handle, IPC_END_IMV, IPC_END_TNCCS, "adopted",
		    &ops, l->adopted_log, &l->adopted), 0);
		rx->handle = NULL;
	}
}

static void
on_close(struct ipc_channel *ch, int err)
{
	struct rx_log *l = ipc_channel_data(ch);
	l->closed = 1;
	l->close_err = err;
}

static void
on_drain(struct ipc_channel *ch)
{
	struct rx_log *l = ipc_channel_data(ch);
	l->drained++;
}

static void
pair(int sv[2])
{
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
}

static void
run_until(uv_loop_t *loop, int *flag)
{
	for (int i = 0; i < 2000 && !*flag; i++)
		uv_run(loop, UV_RUN_NOWAIT), usleep(500);
	ck_assert_msg(*flag, "condition not reached");
}

static void
close_loop(uv_loop_t *loop)
{
	uv_run(loop, UV_RUN_DEFAULT);
	ck_assert_int_eq(uv_loop_close(loop), 0);
}

START_TEST(ping_round_trip_and_close)
{
	uv_loop_t loop;
	int sv[2];
	struct rx_log la = {0}, lb = {0};
	struct ipc_channel *a, *b;

	uv_loop_init(&loop);
	pair(sv);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], TNCD, CHILD, "a", &ops, &la, &a), 0);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[1], CHILD, TNCD, "b", &ops, &lb, &b), 0);
	struct ipc_msg m = {.type = IPC_PING, .u.ping.token = 99};
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(ipc_channel_send(a, &m, 0, (uint32_t)i + 1, 0, -1), 0);
	while (lb.msgs < 100)
		uv_run(&loop, UV_RUN_ONCE);
	ck_assert_uint_eq(lb.last_type, IPC_PING);
	ck_assert_uint_eq(lb.last_token, 99);
	ck_assert_uint_eq(lb.last_seq, 100);
	ipc_channel_close(a, 0);
	run_until(&loop, &lb.closed);
	ck_assert_int_eq(lb.close_err, 0); /* orderly EOF */
	close_loop(&loop);
}
END_TEST

/* Raw bytes into a channel from `remote` to `local`: it must close with err
 * and the test process (the "process") keeps running. */
static int
feed_raw_delivering(const void *bytes, size_t len, unsigned local, unsigned remote,
    int keep_open, int delivered)
{
	uv_loop_t loop;
	int sv[2];
	struct rx_log l = {0};
	struct ipc_channel *ch;

	uv_loop_init(&loop);
	pair(sv);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], local, remote, "victim", &ops, &l, &ch), 0);
	ck_assert_int_eq(write(sv[1], bytes, len), (ssize_t)len);
	if (!keep_open)
		close(sv[1]);
	run_until(&loop, &l.closed);
	ck_assert_int_eq(l.msgs, delivered);
	if (keep_open)
		close(sv[1]);
	close_loop(&loop);
	return l.close_err;
}

static int
feed_raw_ends(const void *bytes, size_t len, unsigned local, unsigned remote, int keep_open)
{
	return feed_raw_delivering(bytes, len, local, remote, keep_open, 0);
}

/* Into a child's end of its control channel, from tncd. */
static int
feed_raw(const void *bytes, size_t len, int keep_open)
{
	return feed_raw_ends(bytes, len, CHILD, TNCD, keep_open);
}

static size_t
frame(uint8_t *out, uint8_t version, uint8_t flags, uint16_t type, const void *payload, uint32_t len)
{
	struct ipc_header h = {version, flags, type, len, 0, 0};
	ipc_frame_write_header(&h, out);
	memcpy(out + IPC_HEADER_LEN, payload, len);
	return IPC_HEADER_LEN + len;
}

START_TEST(bad_frames_close_the_channel)
{
	uint8_t buf[64];
	static const uint8_t token[8] = {0};

	ck_assert_int_eq(feed_raw("garbage garbage garbage!", 24, 1), TNC_EVERSION);
	ck_assert_int_eq(feed_raw(buf, frame(buf, 7, 0, IPC_PING, token, 8), 1), TNC_EVERSION);
	ck_assert_int_eq(feed_raw(buf, frame(buf, 1, 0x40, IPC_PING, token, 8), 1), TNC_ERESERVED);
	ck_assert_int_eq(feed_raw(buf, frame(buf, 1, 0, 0x0ddd, token, 8), 1), TNC_ETYPE);
	/* a payload that does not parse: PING with 7 bytes */
	ck_assert_int_eq(feed_raw(buf, frame(buf, 1, 0, IPC_PING, token, 7), 1), TNC_ETRUNCATED);
	/* truncated: the peer closes in the middle of a frame */
	size_t n = frame(buf, 1, 0, IPC_PING, token, 8);
	ck_assert_int_eq(feed_raw(buf, n - 3, 0), TNC_ETRUNCATED);
	/* not from that end: CONFIG arriving at the supervisor's end from a child */
	static const uint8_t cfg[2] = {0, 0};
	ck_assert_int_eq(feed_raw_ends(buf, frame(buf, 1, 0, IPC_CONFIG, cfg, 2), TNCD, CHILD, 1),
	    TNC_ETYPE);
	/* FD flag without a descriptor */
	static const uint8_t attach[] = {0, 1, 'x', 0, 0, 0, 1};
	ck_assert_int_eq(feed_raw(buf, frame(buf, 1, IPC_FLAG_FD, IPC_PEER_ATTACH, attach, 7), 1), TNC_ENOFD);
}
END_TEST

START_TEST(oversized_frame_refused_before_allocation)
{
	uint8_t hdr[IPC_HEADER_LEN];
	struct ipc_header h = {1, 0, IPC_PING, IPC_FRAME_MAX_DEFAULT + 1, 0, 0};
	ipc_frame_write_header(&h, hdr);
	ck_assert_int_eq(feed_raw(hdr, sizeof(hdr), 1), TNC_ETOOLONG);
	h.length = 0xffffffffu;
	ipc_frame_write_header(&h, hdr);
	ck_assert_int_eq(feed_raw(hdr, sizeof(hdr), 1), TNC_ETOOLONG);
}
END_TEST

START_TEST(fd_passing)
{
	uv_loop_t loop;
	int sv[2], inner[2];
	struct rx_log la = {0}, lb = {0}, ladopted = {0}, linner = {0};
	struct ipc_channel *a, *b, *in;

	uv_loop_init(&loop);
	pair(sv);
	pair(inner);
	lb.adopted_log = &ladopted;
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], TNCD, CHILD, "a", &ops, &la, &a), 0);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[1], CHILD, TNCD, "b", &ops, &lb, &b), 0);
	struct ipc_msg m = {.type = IPC_PEER_ATTACH};
	m.u.peer_attach.peer = (struct bytes){(const uint8_t *)"x", 1};
	/* sending without a descriptor is refused locally */
	ck_assert_int_eq(ipc_channel_send(a, &m, 0, 0, 0, -1), TNC_EINVALID);
	ck_assert_int_eq(ipc_channel_send(a, &m, 0, 0, 0, inner[1]), 0);
	while (!lb.adopted)
		uv_run(&loop, UV_RUN_ONCE);
	/* The passed end works: ping through it from the other end. */
	ck_assert_int_eq(ipc_channel_open(&loop, inner[0], IPC_END_TNCCS, IPC_END_IMV, "inner", &ops,
	    &linner, &in), 0);
	struct ipc_msg ping = {.type = IPC_PING, .u.ping.token = 4242};
	ck_assert_int_eq(ipc_channel_send(in, &ping, 0, 1, 0, -1), 0);
	while (ladopted.msgs == 0)
		uv_run(&loop, UV_RUN_ONCE);
	ck_assert_uint_eq(ladopted.last_token, 4242);
	ipc_channel_close(in, 0);
	ipc_channel_close(a, 0);
	run_until(&loop, &ladopted.closed);
	run_until(&loop, &lb.closed);
	close_loop(&loop);
}
END_TEST

START_TEST(back_pressure_and_drain)
{
	uv_loop_t loop;
	int sv[2];
	struct rx_log la = {0}, lb = {0};
	struct ipc_channel *a, *b;

	uv_loop_init(&loop);
	pair(sv);
	/* a send buffer smaller than a frame: the first frame is written in part */
	int sndbuf = 16384;
	ck_assert_int_eq(setsockopt(sv[0], SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf)), 0);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], IPC_END_IMV, IPC_END_TNCCS, "a", &ops, &la,
	    &a), 0);
	/* The other end does not read yet: what the socket takes of the first
	 * frame goes at once, the rest queues until refused. */
	static uint8_t big[60000];
	for (size_t i = 0; i < sizeof(big); i++)
		big[i] = (uint8_t)(i * 7 + i / 251);
	struct ipc_msg m = {.type = IPC_IMV_SEND};
	m.u.pa_msg.msg = (struct bytes){big, sizeof(big)};
	int sent = 0, err = 0;
	while ((err = ipc_channel_send(a, &m, 0, (uint32_t)sent + 1, 0, -1)) == 0 && sent < 100000)
		sent++;
	ck_assert_int_eq(err, TNC_EAGAIN);
	ck_assert_uint_ge(ipc_channel_queued(a), IPC_HIGH_WATER);
	/* Now the peer reads: everything arrives whole and in order, and the
	 * sender drains. */
	lb.in_order = true;
	lb.expect = &m.u.pa_msg.msg;
	ck_assert_int_eq(ipc_channel_open(&loop, sv[1], IPC_END_TNCCS, IPC_END_IMV, "b", &ops, &lb,
	    &b), 0);
	while (lb.msgs < sent)
		uv_run(&loop, UV_RUN_ONCE);
	ck_assert_int_eq(lb.disordered, 0);
	ck_assert_int_eq(lb.mangled, 0);
	ck_assert_uint_eq(lb.last_seq, (uint32_t)sent);
	ck_assert_int_eq(lb.closed, 0);
	run_until(&loop, &la.drained);
	ck_assert_int_eq(la.drained, 1);
	ck_assert_int_eq(ipc_channel_send(a, &m, 0, 0, 0, -1), 0);
	ipc_channel_close(a, 0);
	run_until(&loop, &lb.closed);
	close_loop(&loop);
}
END_TEST

/* A message another end sends: refused by the sender, and by the receiver
 * before its payload is even looked at. */
START_TEST(wrong_direction_refused_before_decoding)
{
	uv_loop_t loop;
	int sv[2];
	struct rx_log l = {0};
	struct ipc_channel *imv;
	uint8_t buf[64];

	uv_loop_init(&loop);
	pair(sv);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], IPC_END_IMV, IPC_END_TNCCS, "imv", &ops, &l,
	    &imv), 0);
	struct ipc_msg batch = {.type = IPC_TNCCS_BATCH};
	ck_assert_int_eq(ipc_channel_send(imv, &batch, 1, 0, 0, -1), TNC_ETYPE);
	ipc_channel_close(imv, 0);
	close(sv[1]);
	close_loop(&loop);
	/* garbage payload: an allowed type would fail decoding with ETRUNCATED */
	static const uint8_t junk[3] = {1, 2, 3};
	ck_assert_int_eq(feed_raw_ends(buf, frame(buf, 1, 0, IPC_TNCCS_BATCH, junk, 3),
	    IPC_END_TNCCS, IPC_END_IMV, 1), TNC_ETYPE);
	ck_assert_int_eq(feed_raw_ends(buf, frame(buf, 1, 0, IPC_IMV_RECOMMEND, junk, 3),
	    IPC_END_IMV, IPC_END_TNCCS, 1), TNC_ETYPE);
	ck_assert_int_eq(feed_raw_ends(buf, frame(buf, 1, 0, IPC_CTL_REQUEST, junk, 3),
	    IPC_END_TNCD, IPC_END_IMV, 1), TNC_ETYPE);
	/* and the same frame from the right end gets as far as decoding */
	ck_assert_int_eq(feed_raw_ends(buf, frame(buf, 1, 0, IPC_TNCCS_BATCH, junk, 3),
	    IPC_END_TNCCS, IPC_END_IKE, 1), TNC_ETRUNCATED);
}
END_TEST

START_TEST(once_types_come_once)
{
	uint8_t buf[128];
	uint8_t two[64];
	/* IMV_SUBSCRIBE: id 1, name "OS", no subscription */
	static const uint8_t sub[] = {0, 1, 0, 2, 'O', 'S', 0};
	size_t n = frame(buf, 1, 0, IPC_IMV_SUBSCRIBE, sub, sizeof(sub));
	memcpy(two, buf, n);
	memcpy(two + n, buf, n);
	ck_assert_int_eq(feed_raw_delivering(two, 2 * n, IPC_END_TNCCS, IPC_END_IMV, 1, 1),
	    TNC_ESTATE);
}
END_TEST

static unsigned
open_fds(void)
{
	unsigned n = 0;
	DIR *d = opendir("/proc/self/fd");
	ck_assert_ptr_nonnull(d);
	while (readdir(d))
		n++;
	closedir(d);
	return n;
}

/* Sends bytes with one descriptor attached (SCM_RIGHTS), as a hostile peer. */
static void
send_with_fd(int sock, const void *bytes, size_t len, int fd)
{
	union { char buf[CMSG_SPACE(sizeof(int))]; struct cmsghdr align; } u;
	struct iovec iov = {(void *)bytes, len};
	struct msghdr mh = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
	    .msg_controllen = sizeof(u.buf)};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	ck_assert_int_eq(sendmsg(sock, &mh, 0), (ssize_t)len);
}

/* Descriptors attached to frames that carry none: the channel closes at the
 * first, and none of them stays open in the process. */
START_TEST(stray_descriptors_close_the_channel)
{
	uv_loop_t loop;
	int sv[2];
	struct rx_log l = {0};
	struct ipc_channel *ch;
	uint8_t buf[64];
	static const uint8_t token[8] = {0};

	/* libuv opens a few process-wide descriptors on first use: not ours */
	uv_loop_init(&loop);
	close_loop(&loop);
	unsigned before = open_fds();
	uv_loop_init(&loop);
	pair(sv);
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], CHILD, TNCD, "victim", &ops, &l, &ch), 0);
	size_t n = frame(buf, 1, 0, IPC_PING, token, 8);
	for (int i = 0; i < 50; i++) {
		int extra[2];
		pair(extra);
		send_with_fd(sv[1], buf, n, extra[0]);
		close(extra[0]);
		close(extra[1]);
	}
	run_until(&loop, &l.closed);
	ck_assert_int_eq(l.close_err, TNC_EINVALID);
	ck_assert_int_le(l.msgs, 1); /* the first ping may be dispatched, no more */
	close(sv[1]);
	close_loop(&loop);
	ck_assert_uint_eq(open_fds(), before);
}
END_TEST

/* A descriptor with the frame that carries one still passes when it is cut
 * into pieces: header first, then the rest. */
START_TEST(descriptor_with_partial_fd_frame_waits)
{
	uv_loop_t loop;
	int sv[2], inner[2];
	struct rx_log l = {0}, ladopted = {0};
	struct ipc_channel *ch;
	uint8_t buf[64];
	static const uint8_t attach[] = {0, 1, 'x', 0, 0, 0, 1};

	uv_loop_init(&loop);
	pair(sv);
	pair(inner);
	l.adopted_log = &ladopted;
	ck_assert_int_eq(ipc_channel_open(&loop, sv[0], IPC_END_IMV, TNCD, "b", &ops, &l, &ch), 0);
	size_t n = frame(buf, 1, IPC_FLAG_FD, IPC_PEER_ATTACH, attach, sizeof(attach));
	send_with_fd(sv[1], buf, 10, inner[0]);
	close(inner[0]);
	for (int i = 0; i < 20; i++)
		uv_run(&loop, UV_RUN_NOWAIT), usleep(500);
	ck_assert_int_eq(l.closed, 0);
	ck_assert_int_eq((int)write(sv[1], buf + 10, n - 10), (int)(n - 10));
	while (!l.adopted)
		uv_run(&loop, UV_RUN_ONCE);
	ck_assert_int_eq(l.closed, 0);
	ipc_channel_close(l.adopted, 0);
	ipc_channel_close(ch, 0);
	close(sv[1]);
	close(inner[1]);
	close_loop(&loop);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ipc_channel");
	TCase *tc = tcase_create("channel");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, ping_round_trip_and_close);
	tcase_add_test(tc, bad_frames_close_the_channel);
	tcase_add_test(tc, oversized_frame_refused_before_allocation);
	tcase_add_test(tc, fd_passing);
	tcase_add_test(tc, back_pressure_and_drain);
	tcase_add_test(tc, wrong_direction_refused_before_decoding);
	tcase_add_test(tc, once_types_come_once);
	tcase_add_test(tc, stray_descriptors_close_the_channel);
	tcase_add_test(tc, descriptor_with_partial_fd_frame_waits);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
