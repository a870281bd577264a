/* test_ike_limits.c - what a client can make tnc-ike hold is bounded:
 * output queued for a client that does not read, connection slots (the
 * handshake, idle and message deadlines, the per-address limit), and
 * sessions in tnc-tnccs and the IMVs when bursts of clients close while
 * tnc-ike is under back-pressure from tnc-tnccs.  Each case ends with a
 * normal client being served. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pb_tnc.h"
#include "testlib.h"
#include "tl_ptls.h"

#define SHORT_DEADLINES "[ike]\nhandshake_timeout = 2\nidle_timeout = 3\nmessage_timeout = 2\n"

static long
now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long
vm_rss_kb(int pid)
{
	char v[64];
	ck_assert_int_eq(tl_proc_status(pid, "VmRSS", v, sizeof(v)), 0);
	return atol(v);
}

/* A client from `from` negotiates, sends a CDATA batch and gets a server
 * batch within timeout_ms. */
static void
expect_service_from(struct tl_tncd *t, const char *from, int timeout_ms)
{
	static const uint8_t cdata[] = {
		0x02, 0x00, 0x00, 0x01, 0, 0, 0, 39,
		0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 31,
		'A', 'c', 'c', 'e', 'p', 't', '-', 'L', 'a', 'n', 'g', 'u', 'a', 'g', 'e', ':',
		' ', 'e', 'n',
	};
	struct tl_ptls c;
	uint8_t *m;
	size_t len;
	long t0 = now_ms();
	ck_assert_msg(tl_ptls_connect_from(&c, from, t->port, 1) == 0, "no PT-TLS session from %s",
	    from);
	ck_assert_int_eq(tl_ptls_send_batch(&c, cdata, sizeof(cdata)), 0);
	ck_assert_msg(tl_ptls_recv(&c, &m, &len, timeout_ms) == 0, "no answer from the server");
	ck_assert_uint_eq(m[7], 7); /* PB-TNC Batch */
	free(m);
	tl_ptls_close(&c);
	ck_assert_msg(now_ms() - t0 < timeout_ms, "served after %ld ms", now_ms() - t0);
}

/* A connection that sends unsupported PT-TLS messages (each answered with
 * a PT-TLS Error) and never reads: tnc-ike stops reading from it and its
 * memory stays bounded. */
START_TEST(non_reading_flood)
{
	struct tl_tncd t;
	tl_tncd_start(&t, "[ike]\noutput_pause = 65536\nmax_output_queue = 2097152\n"
	    "[log]\ntnc = 0\n", true);
	int pid = tl_child_pid(&t, "tnc-ike");
	long rss0 = vm_rss_kb(pid);
	struct tl_ptls c;
	ck_assert_int_eq(tl_ptls_connect(&c, t.port, 1), 0);
	struct timeval tv = {2, 0}; /* a write the server does not take for 2 s ends the flood */
	setsockopt(c.fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	enum { MSG = 16, PER_WRITE = 4096, MAX_BYTES = 32 << 20 };
	static uint8_t buf[MSG * PER_WRITE];
	for (int i = 0; i < PER_WRITE; i++) {
		uint8_t *m = buf + i * MSG;
		memset(m, 0, MSG);
		m[7] = 99;   /* IETF type 99: not supported, answered, the session goes on */
		m[11] = MSG; /* Message Length */
	}
	size_t sent = 0;
	while (sent < MAX_BYTES && tl_ptls_send_raw(&c, buf, sizeof(buf)) == 0)
		sent += sizeof(buf);
	long rss = vm_rss_kb(pid);
	ck_assert_msg(sent < MAX_BYTES, "tnc-ike took all %zu bytes without being read", sent);
	/* 96 MB: room for ASan's quarantine of freed blocks; without the
	 * bounds the 32 MB of messages queue ~130 MB of answers */
	ck_assert_msg(rss < rss0 + 96 * 1024, "tnc-ike VmRSS %ld kB (at start %ld kB) after %zu bytes",
	    rss, rss0, sent);
	ck_assert_int_eq(tl_child_pid(&t, "tnc-ike"), pid);
	expect_service_from(&t, "127.0.0.1", 5000);
	tl_ptls_close(&c);
	tl_tncd_stop(&t);
}
END_TEST

static int
tcp_connect_nb(int port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	ck_assert_int_ge(fd, 0);
	int rc = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	ck_assert_msg(rc == 0 || errno == EINPROGRESS, "connect: %s", strerror(errno));
	return fd;
}

/* 1 when the server ended the connection (EOF or reset). */
static int
server_closed(int fd)
{
	char b[256];
	ssize_t n = recv(fd, b, sizeof(b), MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != ENOTCONN);
}

/* 1000 silent connections and 1000 that send a byte every 500 ms (a TLS
 * record header, one byte at a time), all from 127.0.0.1: a client from
 * 127.0.0.2 is served at once, and every one of the 2000 is closed by the
 * per-address limit or the handshake deadline. */
START_TEST(idle_and_slowloris_connections)
{
	enum { N = 2000 };
	struct rlimit rl = {N + 256, N + 256};
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	struct tl_tncd t;
	tl_tncd_start(&t, SHORT_DEADLINES "max_connections_per_address = 400\n", true);
	static int fds[N];
	static char open_[N];
	for (int i = 0; i < N; i++) {
		/* each connection established before the next (a full accept queue
		 * would drop SYNs, and a retried SYN arrives seconds later) */
		fds[i] = tcp_connect_nb(t.port);
		struct pollfd p = {fds[i], POLLOUT, 0};
		ck_assert_msg(poll(&p, 1, 3000) == 1, "connection %d not established", i);
		open_[i] = 1;
	}
	long t0 = now_ms();
	usleep(300000);
	expect_service_from(&t, "127.0.0.2", 2000);
	int left = N, tick = 0;
	static const uint8_t record[] = {0x16, 0x03, 0x01, 0x02, 0x00};
	while (left > 0 && now_ms() - t0 < 7000) {
		for (int i = 0; i < N; i++) {
			if (!open_[i])
				continue;
			if (server_closed(fds[i])) {
				open_[i] = 0;
				close(fds[i]);
				left--;
			} else if (i % 2 && tick % 5 == 0) { /* every 500 ms */
				(void)send(fds[i], &record[(tick / 5) % sizeof(record)], 1,
				    MSG_DONTWAIT | MSG_NOSIGNAL);
			}
		}
		tick++;
		usleep(100000);
	}
	ck_assert_msg(left == 0, "%d of %d connections still open after %ld ms", left, N,
	    now_ms() - t0);
	ck_assert(tl_log_contains(&t, "refusing a PT-TLS connection from 127.0.0.1", 0));
	ck_assert(tl_log_contains(&t, "no PT-TLS data phase within 2000 ms", 0));
	expect_service_from(&t, "127.0.0.1", 2000);
	tl_tncd_stop(&t);
}
END_TEST

/* A TCP connection that never sends a ClientHello is closed after
 * handshake_timeout, well before idle_timeout. */
START_TEST(handshake_deadline)
{
	struct tl_tncd t;
	tl_tncd_start(&t, "[ike]\nhandshake_timeout = 2\nidle_timeout = 30\n", true);
	int fd = tcp_connect_nb(t.port);
	usleep(1000000);
	ck_assert_msg(!server_closed(fd), "closed before the deadline");
	struct pollfd p = {fd, POLLIN, 0};
	ck_assert_msg(poll(&p, 1, 3000) == 1 && server_closed(fd), "still open 4 s after connect");
	close(fd);
	tl_tncd_stop(&t);
}
END_TEST

/* In the data phase a trickle does not keep a connection: a started
 * message must arrive whole within message_timeout, and a silent
 * connection goes after idle_timeout. */
START_TEST(message_and_idle_deadlines)
{
	enum { N = 20 };
	struct tl_tncd t;
	tl_tncd_start(&t, SHORT_DEADLINES, true);
	struct tl_ptls trickle[N], silent;
	for (int i = 0; i < N; i++)
		ck_assert_int_eq(tl_ptls_connect(&trickle[i], t.port, 1), 0);
	ck_assert_int_eq(tl_ptls_connect(&silent, t.port, 1), 0);
	long t0 = now_ms();
	/* a PB-TNC Batch message header, one byte every 300 ms */
	static const uint8_t header[16] = {0, 0, 0, 0, 0, 0, 0, 7, 0, 0, 0, 64, 0, 0, 0, 9};
	int closed = 0;
	for (int step = 0; step < 16 && closed < N; step++) {
		closed = 0;
		for (int i = 0; i < N; i++) {
			if (tl_ptls_closed(&trickle[i], 0))
				closed++;
			else
				(void)tl_ptls_send_raw(&trickle[i], &header[step], 1);
		}
		usleep(300000);
	}
	long took = now_ms() - t0;
	ck_assert_msg(closed == N, "%d of %d trickling connections open after %ld ms", N - closed, N,
	    took);
	ck_assert_msg(took < 4500, "trickles closed only after %ld ms", took);
	ck_assert(tl_log_contains(&t, "a PT-TLS message did not arrive whole within 2000 ms", 0));
	/* the silent one: open at 2 s, closed by 3 s + slack */
	ck_assert(tl_ptls_closed(&silent, (int)(3500 - (now_ms() - t0))));
	ck_assert(tl_log_contains(&t, "no PT-TLS message for 3000 ms", 1000));
	for (int i = 0; i < N; i++)
		tl_ptls_close(&trickle[i]);
	tl_ptls_close(&silent);
	tl_tncd_stop(&t);
}
END_TEST

/* Clients that each send most of a 1 MB PT-TLS message and hold: their
 * buffers together stay within max_receive_buffers (those beyond are
 * dropped), tnc-ike's memory stays bounded, other clients are served. */
START_TEST(partial_messages_share_one_budget)
{
	enum { N = 12, ANNOUNCED = 1000016, SENT = 600000 };
	struct tl_tncd t;
	tl_tncd_start(&t, "[ike]\nmax_receive_buffers = 4194304\n", true);
	int pid = tl_child_pid(&t, "tnc-ike");
	long rss0 = vm_rss_kb(pid);
	struct tl_ptls c[N];
	static uint8_t part[SENT];
	/* PT-TLS header: IETF PB-TNC Batch (type 1) of ANNOUNCED bytes */
	memset(part, 0, sizeof(part));
	part[7] = 1;
	part[8] = (uint8_t)(ANNOUNCED >> 24);
	part[9] = (uint8_t)(ANNOUNCED >> 16);
	part[10] = (uint8_t)(ANNOUNCED >> 8);
	part[11] = (uint8_t)ANNOUNCED;
	for (int i = 0; i < N; i++) {
		ck_assert_int_eq(tl_ptls_connect(&c[i], t.port, 1), 0);
		(void)tl_ptls_send_raw(&c[i], part, sizeof(part));
	}
	int dropped = 0;
	for (int i = 0; i < N; i++)
		dropped += tl_ptls_closed(&c[i], i == 0 ? 2000 : 100);
	ck_assert_msg(dropped >= N - 4 && dropped < N, "%d of %d holders dropped", dropped, N);
	ck_assert(tl_log_contains(&t, "fill max_receive_buffers (4194304 bytes)", 1000));
	ck_assert_int_eq(tl_child_pid(&t, "tnc-ike"), pid);
	long rss = vm_rss_kb(pid);
	ck_assert_msg(rss < rss0 + 48 * 1024, "tnc-ike VmRSS %ld kB (at start %ld kB)", rss, rss0);
	expect_service_from(&t, "127.0.0.2", 5000);
	for (int i = 0; i < N; i++)
		tl_ptls_close(&c[i]);
	tl_tncd_stop(&t);
}
END_TEST

/* One client: a 1 MB CDATA batch (language, then PB-Experimental padding
 * that tnccs skips), then it closes without waiting for an answer. */
static void
send_big_batch_and_close(int port)
{
	enum { PAD = 1000000, LEN = 8 + 31 + 12 + PAD };
	static uint8_t b[LEN];
	static const uint8_t head[] = {0x02, 0x00, 0x00, 0x01, LEN >> 24, (LEN >> 16) & 0xff,
		(LEN >> 8) & 0xff, LEN & 0xff,
		0x00, 0, 0, 0, 0, 0, 0, 6, 0, 0, 0, 31,
		'A', 'c', 'c', 'e', 'p', 't', '-', 'L', 'a', 'n', 'g', 'u', 'a', 'g', 'e', ':',
		' ', 'e', 'n',
		0x00, 0, 0, 0, 0, 0, 0, 0, (PAD + 12) >> 24, ((PAD + 12) >> 16) & 0xff,
		((PAD + 12) >> 8) & 0xff, (PAD + 12) & 0xff};
	memcpy(b, head, sizeof(head));
	struct tl_ptls c;
	if (tl_ptls_connect(&c, port, 1) != 0 || tl_ptls_send_batch(&c, b, LEN) != 0)
		_exit(1);
	tl_ptls_close(&c);
	_exit(0);
}

/* Rounds of 300 clients that each send a 1 MB batch and close: the
 * channel to tnc-tnccs goes above its high-water mark, yet every session
 * tnc-tnccs and the IMVs created is removed again, and a normal client
 * still gets its verdict. */
START_TEST(bursts_closing_under_back_pressure)
{
	enum { ROUNDS = 2, N = 300 };
	struct rlimit rl = {4096, 4096};
	ck_assert_int_eq(setrlimit(RLIMIT_NOFILE, &rl), 0);
	struct tl_tncd t;
	tl_tncd_start(&t, "[ike]\nmax_connections_per_address = 1000\n"
	    /* the lines counted below must all reach the log: the IMVs'
	     * create/delete lines are level 2, and a burst of 600 sessions is
	     * more than tncd's default rate limit lets through */
	    "[log]\nlines_per_second = 1000000\n"
	    "[imv-os]\nlog.imv = 2\n[imv-swima]\nlog.imv = 2\n[imv-attest]\nlog.imv = 2\n", true);
	tl_policy_seed(&t); /* for the normal client at the end */
	for (int r = 0; r < ROUNDS; r++) {
		static pid_t pids[N];
		for (int i = 0; i < N; i++) {
			pids[i] = fork();
			ck_assert_int_ge(pids[i], 0);
			if (pids[i] == 0)
				send_big_batch_and_close(t.port);
		}
		int failed = 0;
		for (int i = 0; i < N; i++) {
			int st;
			ck_assert_int_eq(waitpid(pids[i], &st, 0), pids[i]);
			failed += !(WIFEXITED(st) && WEXITSTATUS(st) == 0);
		}
		ck_assert_msg(failed == 0, "round %d: %d clients could not send their batch", r, failed);
	}
	/* every session opened is removed again, in tnccs and in each IMV */
	int assigned = 0, removed = -1, created = 0, deleted = -1;
	long t0 = now_ms();
	while (now_ms() - t0 < 20000) {
		assigned = tl_log_count(&t, "assigned TNCCS Connection ID");
		removed = tl_log_count(&t, "removed TNCCS Connection ID");
		created = tl_log_count(&t, "created a state for Connection ID");
		deleted = tl_log_count(&t, "deleted the state of Connection ID");
		if (assigned == ROUNDS * N && removed == assigned && deleted == created)
			break;
		usleep(200000);
	}
	char dropped[1024];
	(void)tl_sh(dropped, sizeof(dropped), "grep 'log lines of' %s", t.log);
	ck_assert_msg(!dropped[0], "tncd dropped log lines, cannot count: %s", dropped);
	ck_assert_msg(tl_log_contains(&t, "back-pressure", 0) ||
	    tl_log_count(&t, "wait for tnc-tnccs") > 0, "the burst never met back-pressure");
	ck_assert_msg(assigned == ROUNDS * N, "%d sessions assigned, %d clients", assigned,
	    ROUNDS * N);
	ck_assert_msg(removed == assigned, "%d sessions assigned, %d removed", assigned, removed);
	ck_assert_msg(created > 0 && deleted == created, "IMV states: %d created, %d deleted",
	    created, deleted);
	/* and service goes on */
	char facts[256];
	tl_facts_file(&t, "ok", "", facts, sizeof(facts));
	long t1 = now_ms();
	char out[4096];
	int rc = tl_sh(out, sizeof(out), "%s/tncclient --server 127.0.0.1:%d --ca %s --facts %s "
	    "--timeout 10 2>&1", TNC_BIN_DIR, t.port, t.ca, facts);
	ck_assert_msg(rc == 0, "tncclient exit %d: %s", rc, out);
	ck_assert_msg(now_ms() - t1 < 3000, "verdict after %ld ms", now_ms() - t1);
	tl_tncd_stop(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ike_limits");
	TCase *tc = tcase_create("limits");
	tcase_set_timeout(tc, 50);
	tcase_add_test(tc, non_reading_flood);
	tcase_add_test(tc, idle_and_slowloris_connections);
	tcase_add_test(tc, handshake_deadline);
	tcase_add_test(tc, message_and_idle_deadlines);
	tcase_add_test(tc, bursts_closing_under_back_pressure);
	tcase_add_test(tc, partial_messages_share_one_budget);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	signal(SIGPIPE, SIG_IGN);
	return tl_run_suite(suite());
}
