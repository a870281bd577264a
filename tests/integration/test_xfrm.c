/* test_xfrm.c - tnc-xfrm end to end, in two network namespaces the test
 * makes (A and B, joined by a veth pair: 192.0.2.1 and 192.0.2.2, inner
 * networks 10.1.0.0/24 behind A and 10.2.0.0/24 behind B).
 *
 * The real tnc-xfrm runs in A, started as tncd starts a child (fds 3 and
 * 4, HELLO, CONFIG, its real sandbox: chroot, uid 70704, CAP_NET_ADMIN
 * alone, its seccomp allowlist, then READY); the test plays tncd on its
 * control channel and tnc-ike on the direct channel, through tnc-ike's own
 * client (ike/xfrm_link.c), with the connection rw-allow 10.1.0.0/24 (no
 * pool: a peer's selector is any one address) in its CONFIG; the peer B is
 * 10.2.0.1.  B is configured with iproute2.  Checked:
 * the sandbox as /proc shows it; policies installed in A take effect
 * (UDP from 10.1.0.1 to 10.2.0.1 is blocked while an ESP policy has no
 * SA, and flows again once tnc-xfrm deleted it); ESP tunnel SAs with known
 * keys carry the traffic both ways and `ip xfrm state` shows them, and
 * after their deletion the traffic stops (on a kernel with ESP and GCM:
 * without them the kernel's refusal of iproute2's same SA must come back
 * as the request's status and reason); everything tnc-xfrm installed goes when
 * tnc-ike's channel closes and when it stops; a malformed request is
 * refused with a reason naming the field and the process lives on, and so
 * are a policy outside the configured connections and an SA before its
 * policies; a
 * frame that does not flow from ike to xfrm closes that channel only; a
 * channel to a role that is no peer of tnc-xfrm (tnc-tnccs) is refused;
 * and tncd starts tnc-xfrm only with [ike] ikev2 = yes.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../../ike/xfrm_link.h"
#include "ipc_channel.h"
#include "sandbox.h"
#include "testlib.h"

#define XFRM_UID 70704
#define CAP_NET_ADMIN_MASK "0000000000001000" /* bit 12 */
#define UDP_PORT 7777
#define WAIT_MS 5000

static char ns_a[32], ns_b[32];
static bool kernel_has_esp;
/* Without ESP: why the kernel refused iproute2's AES-GCM SA ("Requested
 * AEAD algorithm not found"), which tnc-xfrm's answer must carry too. */
static char no_esp_reason[256];

/* Runs a shell command; its exit code, its output in out. */
static int __attribute__((format(printf, 3, 4)))
run_sh(char *out, size_t size, const char *fmt, ...)
{
	char cmd[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	return tl_sh(out, size, "(%s) 2>&1", cmd);
}

#define sh(...) run_sh(sh_out, sizeof(sh_out), __VA_ARGS__)
#define sh_ok(...) ck_assert_msg(sh(__VA_ARGS__) == 0, "%s", sh_out)
static char sh_out[4096];

/* `ip -n NS xfrm WHAT` into out. */
static const char *
xfrm_show(const char *ns, const char *what, char *out, size_t size)
{
	tl_sh(out, size, "ip -n %s xfrm %s 2>&1", ns, what);
	return out;
}

static void
netns_setup(void)
{
	snprintf(ns_a, sizeof(ns_a), "tnc-xfrm-a-%d", (int)getpid());
	snprintf(ns_b, sizeof(ns_b), "tnc-xfrm-b-%d", (int)getpid());
	sh_ok("ip netns add %s && ip netns add %s", ns_a, ns_b);
	sh_ok("ip -n %s link add va type veth peer name vb netns %s", ns_a, ns_b);
	sh_ok("ip -n %s link set lo up && ip -n %s link set lo up", ns_a, ns_b);
	sh_ok("ip -n %s addr add 192.0.2.1/24 dev va && ip -n %s link set va up", ns_a, ns_a);
	sh_ok("ip -n %s addr add 192.0.2.2/24 dev vb && ip -n %s link set vb up", ns_b, ns_b);
	sh_ok("ip -n %s addr add 10.1.0.1/32 dev lo && "
	    "ip -n %s route add 10.2.0.0/24 via 192.0.2.2 src 10.1.0.1", ns_a, ns_a);
	sh_ok("ip -n %s addr add 10.2.0.1/32 dev lo && "
	    "ip -n %s route add 10.1.0.0/24 via 192.0.2.1 src 10.2.0.1", ns_b, ns_b);
	/* Whether this kernel has ESP at all (CONFIG_INET_ESP): an SA of its own. */
	kernel_has_esp = sh("ip -n %s xfrm state add src 192.0.2.9 dst 192.0.2.8 proto esp spi "
	    "0x999 mode tunnel aead 'rfc4106(gcm(aes))' 0x0001020304050607080910111213141516171819 "
	    "128 && ip -n %s xfrm state flush", ns_a, ns_a) == 0;
	if (!kernel_has_esp) {
		const char *e = strstr(sh_out, "Error: ");
		snprintf(no_esp_reason, sizeof(no_esp_reason), "%.200s", e ? e + 7 : sh_out);
		no_esp_reason[strcspn(no_esp_reason, ".\n")] = 0;
		fprintf(stderr, "test_xfrm: this kernel cannot install ESP SAs (%s): tnc-xfrm's SAs "
		    "are checked to be refused with that reason, traffic through them is not\n",
		    no_esp_reason);
	}
}

static void
netns_teardown(void)
{
	sh("ip netns del %s; ip netns del %s", ns_a, ns_b);
}

/* Runs fn in namespace ns in a child process; its exit status. */
static int
in_netns(const char *ns, int (*fn)(void *), void *arg)
{
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char path[128];
		snprintf(path, sizeof(path), "/run/netns/%s", ns);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || setns(fd, CLONE_NEWNET) != 0)
			_exit(100);
		_exit(fn(arg));
	}
	int st;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 101;
}

/* B: answers one datagram on 10.2.0.1:7777 within 1.5 s. */
static int
udp_echo_once(void *arg)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(UDP_PORT)};
	inet_pton(AF_INET, "10.2.0.1", &a.sin_addr);
	if (bind(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		return 2;
	write(*(int *)arg, "r", 1); /* bound */
	struct pollfd p = {s, POLLIN, 0};
	if (poll(&p, 1, 1500) != 1)
		return 1;
	char buf[64];
	struct sockaddr_in from;
	socklen_t fl = sizeof(from);
	ssize_t n = recvfrom(s, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fl);
	return n > 0 && sendto(s, buf, (size_t)n, 0, (struct sockaddr *)&from, fl) == n ? 0 : 3;
}

/* A: a datagram from 10.1.0.1 to 10.2.0.1 and its echo back within 1 s. */
static int
udp_ping(void *arg)
{
	int s = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in src = {.sin_family = AF_INET}, dst = {.sin_family = AF_INET,
	    .sin_port = htons(UDP_PORT)};
	inet_pton(AF_INET, "10.1.0.1", &src.sin_addr);
	inet_pton(AF_INET, "10.2.0.1", &dst.sin_addr);
	if (bind(s, (struct sockaddr *)&src, sizeof(src)) != 0)
		return 2;
	if (sendto(s, "tnc", 3, 0, (struct sockaddr *)&dst, sizeof(dst)) != 3)
		return 1; /* refused at once: no SA for the policy */
	struct pollfd p = {s, POLLIN, 0};
	char buf[8];
	return poll(&p, 1, 1000) == 1 && recv(s, buf, sizeof(buf), 0) == 3 ? 0 : 1;
}

struct echo_run {
	int ready[2];
};

static int
echo_in_b(void *arg)
{
	return udp_echo_once(&((struct echo_run *)arg)->ready[1]);
}

/* Whether a datagram crosses from A to B and back. */
static bool
traffic_crosses(void)
{
	struct echo_run e;
	ck_assert_int_eq(pipe(e.ready), 0);
	pid_t echo = fork();
	ck_assert_int_ge(echo, 0);
	if (echo == 0)
		_exit(in_netns(ns_b, echo_in_b, &e));
	char c;
	ck_assert_int_eq(read(e.ready[0], &c, 1), 1);
	int rc = in_netns(ns_a, udp_ping, NULL);
	int st;
	waitpid(echo, &st, 0);
	close(e.ready[0]);
	close(e.ready[1]);
	return rc == 0;
}

/* --- tnc-xfrm, with the test as tncd and as tnc-ike --- */

struct xchild {
	pid_t pid;
	uv_loop_t loop;
	struct ipc_channel *ctl, *ike;
	int log_fd;
	char log[1 << 16];
	size_t log_len;
	bool ready, ctl_closed, ike_closed, attach_ike;
	struct ipc_ready rep;
	char state_dir[64];
	struct xfrm_link link;
	/* the last answer */
	bool answered;
	int status;
	char reason[IPC_XFRM_REASON_MAX + 1];
};

static void
send_config(struct xchild *x)
{
	struct ipc_msg m = {.type = IPC_CONFIG};
	static char uid[16], caps[16];
	const char *kv[][2] = {{"uid", uid}, {"gid", uid}, {"state_dir", x->state_dir},
	    {"caps", caps}, {"log.NET", "2"}, {"log.IPC", "1"}, {"log.CFG", "1"},
	    {"peers", "tnc-ike"}, {"rw_allow_ts", "10.1.0.0/24"}, {"rw_allow_pool", ""},
	    {"rw_isolate_ts", "10.1.1.0/24"}, {"rw_isolate_pool", "10.3.0.0/24"}};
	snprintf(uid, sizeof(uid), "%d", XFRM_UID);
	snprintf(caps, sizeof(caps), "%u", RCAP_NET_ADMIN);
	for (size_t i = 0; i < sizeof(kv) / sizeof(kv[0]); i++) {
		m.u.config.key[i] = (struct bytes){(const uint8_t *)kv[i][0], strlen(kv[i][0])};
		m.u.config.value[i] = (struct bytes){(const uint8_t *)kv[i][1], strlen(kv[i][1])};
	}
	m.u.config.count = sizeof(kv) / sizeof(kv[0]);
	ck_assert_int_eq(ipc_channel_send(x->ctl, &m, 0, 0, 0, -1), 0);
}

static void on_ike_msg(struct ipc_channel *ch, struct ipc_received *rx);
static void on_ike_close(struct ipc_channel *ch, int err);
static const struct ipc_channel_ops ike_ops = {on_ike_msg, on_ike_close, NULL};

/* Hands the child one end of a new socketpair as its channel to peer;
 * returns the other end. */
static int
attach(struct xchild *x, const char *peer)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv), 0);
	struct ipc_msg m = {.type = IPC_PEER_ATTACH};
	m.u.peer_attach.peer = (struct bytes){(const uint8_t *)peer, strlen(peer)};
	m.u.peer_attach.gen = 1;
	ck_assert_int_eq(ipc_channel_send(x->ctl, &m, 0, 0, IPC_FLAG_FD, sv[1]), 0);
	return sv[0];
}

static void
attach_ike(struct xchild *x)
{
	int fd = attach(x, "tnc-ike");
	ck_assert_int_eq(ipc_channel_open(&x->loop, fd, IPC_END_IKE, IPC_END_XFRM, "tnc-xfrm",
	    &ike_ops, x, &x->ike), 0);
	x->ike_closed = false;
	xfrm_link_attached(&x->link, x->ike);
}

static void
on_ctl_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct xchild *x = ipc_channel_data(ch);
	if (rx->hdr.type == IPC_HELLO) {
		send_config(x);
	} else if (rx->hdr.type == IPC_READY) {
		x->rep = rx->msg.u.ready;
		x->ready = true;
		if (x->attach_ike)
			attach_ike(x);
	}
}

static void
on_ctl_close(struct ipc_channel *ch, int err)
{
	struct xchild *x = ipc_channel_data(ch);
	x->ctl_closed = true;
	x->ctl = NULL;
}

static const struct ipc_channel_ops ctl_ops = {on_ctl_msg, on_ctl_close, NULL};

static void
on_ike_msg(struct ipc_channel *ch, struct ipc_received *rx)
{
	struct xchild *x = ipc_channel_data(ch);
	xfrm_link_answer(&x->link, rx);
}

static void
on_ike_close(struct ipc_channel *ch, int err)
{
	struct xchild *x = ipc_channel_data(ch);
	if (x->ike == ch) {
		x->ike = NULL;
		x->ike_closed = true;
		xfrm_link_closed(&x->link);
	}
}

static void
drain_log(struct xchild *x)
{
	ssize_t n;
	while (x->log_len + 1 < sizeof(x->log) &&
	    (n = read(x->log_fd, x->log + x->log_len, sizeof(x->log) - 1 - x->log_len)) > 0)
		x->log_len += (size_t)n;
	x->log[x->log_len] = 0;
}

/* Runs the loop until *flag or WAIT_MS; whether it became true. */
static bool
run_until(struct xchild *x, const bool *flag)
{
	long end = tl_now_ms() + WAIT_MS;
	while (!*flag && tl_now_ms() < end) {
		uv_run(&x->loop, UV_RUN_NOWAIT);
		drain_log(x);
		usleep(1000);
	}
	drain_log(x);
	return *flag;
}

static bool
log_has(struct xchild *x, const char *needle)
{
	long end = tl_now_ms() + WAIT_MS;
	while (!strstr(x->log, needle) && tl_now_ms() < end) {
		uv_run(&x->loop, UV_RUN_NOWAIT);
		drain_log(x);
		usleep(1000);
	}
	return strstr(x->log, needle) != NULL;
}

/* Starts bin/tnc-xfrm in namespace A as tncd does, and waits for READY
 * (and, with ike, the channel from tnc-ike). */
static void
xchild_start(struct xchild *x, bool ike)
{
	int ctl[2], logp[2];

	memset(x, 0, sizeof(*x));
	/* What an earlier test that failed half-way may have left in A. */
	sh("ip -n %s xfrm policy flush; ip -n %s xfrm state flush", ns_a, ns_a);
	snprintf(x->state_dir, sizeof(x->state_dir), "/tmp/tnc-xfrm-XXXXXX");
	tl_mkdtemp(x->state_dir);
	x->attach_ike = ike;
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, ctl), 0);
	ck_assert_int_eq(pipe2(logp, O_CLOEXEC), 0);
	x->pid = fork();
	ck_assert_int_ge(x->pid, 0);
	if (x->pid == 0) {
		char path[128];
		snprintf(path, sizeof(path), "/run/netns/%s", ns_a);
		int ns = open(path, O_RDONLY | O_CLOEXEC);
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (ns < 0 || setns(ns, CLONE_NEWNET) != 0 || null < 0 || dup2(null, 0) < 0 ||
		    dup2(null, 1) < 0 || dup2(ctl[1], 3) != 3 || dup2(logp[1], 4) != 4)
			_exit(126);
		char *argv[] = {"tnc-xfrm", "--role", "tnc-xfrm", "--slot", "04", "--gen", "1", NULL};
		char *envp[] = {NULL};
		execve(TNC_BIN_DIR "/tnc-xfrm", argv, envp);
		_exit(127);
	}
	close(ctl[1]);
	close(logp[1]);
	x->log_fd = logp[0];
	fcntl(x->log_fd, F_SETFL, O_NONBLOCK);
	ck_assert_int_eq(uv_loop_init(&x->loop), 0);
	ck_assert_int_eq(ipc_channel_open(&x->loop, ctl[0], IPC_END_TNCD, IPC_END_XFRM, "tnc-xfrm",
	    &ctl_ops, x, &x->ctl), 0);
	ck_assert_msg(run_until(x, &x->ready), "tnc-xfrm not ready; its log:\n%s", x->log);
}

static void
on_answer(void *ctx, int status, const char *reason)
{
	struct xchild *x = ctx;
	x->answered = true;
	x->status = status;
	snprintf(x->reason, sizeof(x->reason), "%s", reason);
}

/* Sends one request as tnc-ike and waits for its answer; its status. */
static int
request(struct xchild *x, const struct ipc_msg *m)
{
	x->answered = false;
	ck_assert_int_eq(xfrm_link_request(&x->link, m, 1, on_answer, x), 0);
	ck_assert_msg(run_until(x, &x->answered), "no answer to %s; log:\n%s",
	    ipc_type_name(m->type), x->log);
	return x->status;
}

static bool
child_alive(struct xchild *x)
{
	return waitpid(x->pid, NULL, WNOHANG) == 0;
}

/* Stops it with SHUTDOWN; its exit status. */
static int
xchild_stop(struct xchild *x)
{
	int st = 0;
	if (x->ctl) {
		struct ipc_msg m = {.type = IPC_SHUTDOWN};
		m.u.shutdown.deadline_ms = 1000;
		ck_assert_int_eq(ipc_channel_send(x->ctl, &m, 0, 0, 0, -1), 0);
	}
	long end = tl_now_ms() + WAIT_MS;
	pid_t got;
	while ((got = waitpid(x->pid, &st, WNOHANG)) == 0 && tl_now_ms() < end) {
		uv_run(&x->loop, UV_RUN_NOWAIT);
		drain_log(x);
		usleep(1000);
	}
	if (got == 0) {
		kill(x->pid, SIGKILL);
		waitpid(x->pid, &st, 0);
	}
	drain_log(x);
	if (x->ike)
		ipc_channel_close(x->ike, 0);
	if (x->ctl)
		ipc_channel_close(x->ctl, 0);
	uv_run(&x->loop, UV_RUN_NOWAIT);
	uv_run(&x->loop, UV_RUN_DEFAULT);
	uv_loop_close(&x->loop);
	close(x->log_fd);
	return got == 0 ? -1 : WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* --- requests --- */

static uint8_t keys[64];

static void
v4(uint8_t a[IPC_XFRM_ADDR], const char *s)
{
	memset(a, 0, IPC_XFRM_ADDR);
	ck_assert_int_eq(inet_pton(AF_INET, s, a), 1);
}

/* A's policy for traffic between 10.1.0.0/24 and the peer 10.2.0.1 in dir. */
static struct ipc_msg
policy(uint8_t dir, uint16_t type)
{
	struct ipc_msg m = {.type = type};
	struct ipc_xfrm_policy *p = &m.u.xfrm_policy;
	bool out = dir == IPC_XFRM_OUT;
	p->id = (struct ipc_xfrm_policy_id){.family = AF_INET, .dir = dir,
	    .src_prefix = out ? 24 : 32, .dst_prefix = out ? 32 : 24};
	v4(p->id.src, out ? "10.1.0.0" : "10.2.0.1");
	v4(p->id.dst, out ? "10.2.0.1" : "10.1.0.0");
	v4(p->tun_src, out ? "192.0.2.1" : "192.0.2.2");
	v4(p->tun_dst, out ? "192.0.2.2" : "192.0.2.1");
	p->reqid = 7;
	p->priority = 1000;
	if (type == IPC_XFRM_POLICY_DELETE) {
		struct ipc_xfrm_policy_id id = p->id;
		m.u.xfrm_policy_id = id;
	}
	return m;
}

static void
add_policies(struct xchild *x)
{
	static const uint8_t dirs[] = {IPC_XFRM_OUT, IPC_XFRM_IN, IPC_XFRM_FWD};
	for (int i = 0; i < 3; i++) {
		struct ipc_msg m = policy(dirs[i], IPC_XFRM_POLICY_ADD);
		ck_assert_msg(request(x, &m) == 0, "policy dir %u: %d %s", dirs[i], x->status,
		    x->reason);
	}
}

/* A's SA of one direction: out 192.0.2.1 -> .2 spi 0x1001 (keys 0x00..),
 * in .2 -> .1 spi 0x1002 (keys 0x20..), AES-GCM-128. */
static struct ipc_msg
sa(bool out, uint16_t type)
{
	struct ipc_msg m = {.type = type};
	struct ipc_xfrm_sa *s = &m.u.xfrm_sa;
	for (int i = 0; i < 64; i++)
		keys[i] = (uint8_t)i;
	s->id = (struct ipc_xfrm_sa_id){.family = AF_INET, .spi = out ? 0x1001 : 0x1002};
	v4(s->id.src, out ? "192.0.2.1" : "192.0.2.2");
	v4(s->id.dst, out ? "192.0.2.2" : "192.0.2.1");
	s->reqid = 7;
	s->alg = IPC_XFRM_AES_GCM_16;
	s->enc_key = (struct bytes){keys + (out ? 0 : 32), 20};
	s->hard_seconds = 3600;
	s->soft_seconds = 3000;
	if (type == IPC_XFRM_SA_DELETE) {
		struct ipc_xfrm_sa_id id = s->id;
		m.u.xfrm_sa_id = id;
	}
	return m;
}

/* B's side of the same tunnel with iproute2. */
static void
b_side_with_iproute2(void)
{
	sh_ok("ip -n %s xfrm state add src 192.0.2.1 dst 192.0.2.2 proto esp spi 0x1001 reqid 7 "
	    "mode tunnel replay-window 32 aead 'rfc4106(gcm(aes))' "
	    "0x000102030405060708090a0b0c0d0e0f10111213 128 && ip -n %s xfrm state add "
	    "src 192.0.2.2 dst 192.0.2.1 proto esp spi 0x1002 reqid 7 mode tunnel replay-window 32 "
	    "aead 'rfc4106(gcm(aes))' 0x202122232425262728292a2b2c2d2e2f30313233 128", ns_b, ns_b);
	sh_ok("ip -n %s xfrm policy add src 10.2.0.0/24 dst 10.1.0.0/24 dir out tmpl src "
	    "192.0.2.2 dst 192.0.2.1 proto esp reqid 7 mode tunnel && ip -n %s xfrm policy add "
	    "src 10.1.0.0/24 dst 10.2.0.0/24 dir in tmpl src 192.0.2.1 dst 192.0.2.2 proto esp "
	    "reqid 7 mode tunnel", ns_b, ns_b);
}

static void
b_side_flush(void)
{
	sh("ip -n %s xfrm state flush; ip -n %s xfrm policy flush", ns_b, ns_b);
}

/* --- tests --- */

START_TEST(sandboxed_with_net_admin_alone)
{
	struct xchild x;
	char v[128];
	xchild_start(&x, false);
	ck_assert_uint_eq(x.rep.uid, XFRM_UID);
	ck_assert_uint_eq(x.rep.gid, XFRM_UID);
	ck_assert_uint_eq(x.rep.chrooted, 1);
	ck_assert_uint_eq(x.rep.seccomp_syscalls, sandbox_role_syscalls(ROLE_XFRM, RCAP_NET_ADMIN));
	ck_assert_int_eq(tl_proc_status(x.pid, "CapEff", v, sizeof(v)), 0);
	ck_assert_str_eq(v, CAP_NET_ADMIN_MASK);
	ck_assert_int_eq(tl_proc_status(x.pid, "CapPrm", v, sizeof(v)), 0);
	ck_assert_str_eq(v, CAP_NET_ADMIN_MASK);
	ck_assert_int_eq(tl_proc_status(x.pid, "CapBnd", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "0000000000000000");
	ck_assert_int_eq(tl_proc_status(x.pid, "CapAmb", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "0000000000000000");
	ck_assert_int_eq(tl_proc_status(x.pid, "Seccomp", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "2");
	ck_assert_int_eq(tl_proc_status(x.pid, "NoNewPrivs", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "1");
	ck_assert_int_eq(xchild_stop(&x), 0);
}
END_TEST

START_TEST(policies_take_effect_and_go)
{
	struct xchild x;
	char out[8192];

	ck_assert_msg(traffic_crosses(), "no traffic between the namespaces to begin with");
	xchild_start(&x, true);
	add_policies(&x);
	xfrm_show(ns_a, "policy", out, sizeof(out));
	ck_assert_msg(strstr(out, "src 10.1.0.0/24 dst 10.2.0.1/32 \n\tdir out priority 1000") &&
	    strstr(out, "src 10.2.0.1/32 dst 10.1.0.0/24 \n\tdir in priority 1000") &&
	    strstr(out, "src 10.2.0.1/32 dst 10.1.0.0/24 \n\tdir fwd priority 1000") &&
	    strstr(out, "tmpl src 192.0.2.1 dst 192.0.2.2\n\t\tproto esp reqid 7 mode tunnel"),
	    "policies in A:\n%s", out);
	/* An ESP policy without its SA: nothing goes out. */
	ck_assert_msg(!traffic_crosses(), "traffic crossed a policy without SA");
	/* The same policy again: the kernel's EEXIST comes back. */
	struct ipc_msg m = policy(IPC_XFRM_OUT, IPC_XFRM_POLICY_ADD);
	ck_assert_int_eq(request(&x, &m), -EEXIST);
	ck_assert_ptr_nonnull(strstr(x.reason, "kernel:"));

	m = policy(IPC_XFRM_OUT, IPC_XFRM_POLICY_DELETE);
	ck_assert_msg(request(&x, &m) == 0, "%d %s", x.status, x.reason);
	xfrm_show(ns_a, "policy", out, sizeof(out));
	ck_assert_ptr_null(strstr(out, "dir out"));
	ck_assert_ptr_nonnull(strstr(out, "dir in"));
	/* Deleting it again: not installed (any more), refused before the kernel. */
	ck_assert_int_eq(request(&x, &m), TNC_ENOTFOUND);

	/* tnc-ike's channel closes: all it had installed goes. */
	ipc_channel_close(x.ike, 0);
	ck_assert_msg(log_has(&x, "tnc-ike's channel closed: removing 0 SAs and 2 policies"),
	    "log:\n%s", x.log);
	xfrm_show(ns_a, "policy", out, sizeof(out));
	ck_assert_msg(!strstr(out, "dir in") && !strstr(out, "dir fwd"), "left:\n%s", out);
	ck_assert_msg(traffic_crosses(), "no traffic once the policies went");
	ck_assert(child_alive(&x));
	ck_assert_int_eq(xchild_stop(&x), 0);
}
END_TEST

START_TEST(esp_tunnel_carries_traffic)
{
	struct xchild x;
	char out[8192];

	xchild_start(&x, true);
	add_policies(&x);
	struct ipc_msg m = sa(true, IPC_XFRM_SA_ADD);
	int st = request(&x, &m);
	ck_assert_msg(kernel_has_esp || !getenv("TNC_REQUIRE_ESP"), "TNC_REQUIRE_ESP (the guest of "
	    "tests/kernel/kernel-test), but this kernel has no ESP: %s", no_esp_reason);
	if (!kernel_has_esp) {
		ck_assert_msg(st < 0 && st > -4096, "%d %s", st, x.reason); /* the kernel's -errno */
		ck_assert_msg(!strncmp(x.reason, "kernel: ", 8) && strstr(x.reason, no_esp_reason),
		    "%s, iproute2 got %s", x.reason, no_esp_reason);
		ck_assert_int_eq(xchild_stop(&x), 0);
		xfrm_show(ns_a, "policy", out, sizeof(out));
		ck_assert_msg(!strstr(out, "dir "), "left after stop:\n%s", out);
		return;
	}
	ck_assert_msg(st == 0, "out SA: %d %s", st, x.reason);
	m = sa(false, IPC_XFRM_SA_ADD);
	ck_assert_msg(request(&x, &m) == 0, "in SA: %d %s", x.status, x.reason);
	xfrm_show(ns_a, "state", out, sizeof(out));
	ck_assert_msg(strstr(out, "src 192.0.2.1 dst 192.0.2.2\n\tproto esp spi 0x00001001 reqid 7 "
	    "mode tunnel") && strstr(out, "spi 0x00001002") &&
	    strstr(out, "aead rfc4106(gcm(aes)) 0x000102030405060708090a0b0c0d0e0f10111213 128"),
	    "states in A:\n%s", out);
	b_side_with_iproute2();
	ck_assert_msg(traffic_crosses(), "no traffic through the ESP tunnel");
	xfrm_show(ns_b, "-s state", out, sizeof(out));
	ck_assert_msg(!strstr(out, "0(packets)"), "B's SAs counted nothing:\n%s", out);

	m = sa(true, IPC_XFRM_SA_DELETE);
	ck_assert_msg(request(&x, &m) == 0, "delete: %d %s", x.status, x.reason);
	ck_assert_msg(!traffic_crosses(), "traffic crossed without the out SA");
	ck_assert_int_eq(xchild_stop(&x), 0);
	xfrm_show(ns_a, "state", out, sizeof(out));
	ck_assert_msg(!strstr(out, "spi"), "left after stop:\n%s", out);
	b_side_flush();
}
END_TEST

START_TEST(malformed_requests_refused)
{
	struct xchild x;
	xchild_start(&x, true);

	struct ipc_msg m = sa(true, IPC_XFRM_SA_ADD);
	m.u.xfrm_sa.id.spi = 0;
	ck_assert_int_eq(request(&x, &m), TNC_EINVALID);
	ck_assert_str_eq(x.reason, "spi: 0 or reserved (below 256)");
	m = sa(true, IPC_XFRM_SA_ADD);
	m.u.xfrm_sa.enc_key.len = 17;
	ck_assert_int_eq(request(&x, &m), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(x.reason, "enc_key:"));
	m = policy(IPC_XFRM_OUT, IPC_XFRM_POLICY_ADD);
	m.u.xfrm_policy.id.src_prefix = 40;
	ck_assert_int_eq(request(&x, &m), TNC_EINVALID);
	ck_assert_ptr_nonnull(strstr(x.reason, "src: prefix"));
	m = sa(true, IPC_XFRM_SA_DELETE);
	ck_assert_int_eq(request(&x, &m), TNC_ENOTFOUND); /* never installed */
	ck_assert(log_has(&x, "xfrm-sa-add refused: spi: 0 or reserved"));

	/* Well-formed but not what the configuration allows. */
	ck_assert_msg(log_has(&x, "rw-allow: policies inside 10.1.0.0/24 to any one address"),
	    "log:\n%s", x.log);
	m = policy(IPC_XFRM_OUT, IPC_XFRM_POLICY_ADD);
	v4(m.u.xfrm_policy.id.src, "10.1.2.0");
	ck_assert_int_eq(request(&x, &m), TNC_EINVALID);
	ck_assert_str_eq(x.reason, "src: 10.1.2.0/24 lies in no connection's traffic selector "
	    "(rw-allow 10.1.0.0/24, rw-isolate 10.1.1.0/24)");
	m = policy(IPC_XFRM_IN, IPC_XFRM_POLICY_ADD);
	m.u.xfrm_policy.id.src_prefix = 24;
	v4(m.u.xfrm_policy.id.src, "10.2.0.0");
	ck_assert_int_eq(request(&x, &m), TNC_EINVALID);
	ck_assert_str_eq(x.reason, "src: 10.2.0.0/24 is not one address (/32): a peer's traffic "
	    "selector is its own or its virtual IP");
	m = policy(IPC_XFRM_OUT, IPC_XFRM_POLICY_ADD);
	v4(m.u.xfrm_policy.id.src, "10.1.1.0");
	ck_assert_int_eq(request(&x, &m), TNC_EINVALID);
	ck_assert_str_eq(x.reason, "dst: 10.2.0.1 is no address of rw-isolate's pool 10.3.0.0/24 "
	    "(10.3.0.1 to 10.3.0.254)");
	m = sa(true, IPC_XFRM_SA_ADD);
	ck_assert_int_eq(request(&x, &m), TNC_ESTATE);
	ck_assert_str_eq(x.reason, "src, dst: no installed policy tunnels 192.0.2.1 to 192.0.2.2 "
	    "(its policies go first)");
	char refused[4096];
	xfrm_show(ns_a, "policy", refused, sizeof(refused));
	ck_assert_msg(!strstr(refused, "dir "), "the kernel got a refused policy:\n%s", refused);

	/* Still serving: a valid policy goes in. */
	m = policy(IPC_XFRM_IN, IPC_XFRM_POLICY_ADD);
	ck_assert_msg(request(&x, &m) == 0, "%d %s", x.status, x.reason);

	/* A frame that does not flow from ike to xfrm (an xfrm-result),
	 * written past tnc-ike's own checks on a new channel from tnc-ike: it
	 * closes that channel only, and what tnc-ike had installed goes. */
	uint8_t frame[IPC_HEADER_LEN + 6] = {0};
	struct ipc_header h = {.version = IPC_FRAME_VERSION, .type = IPC_XFRM_RESULT, .length = 6,
	    .seq = 9};
	ipc_frame_write_header(&h, frame);
	int sv = attach(&x, "tnc-ike");
	ck_assert_int_eq(write(sv, frame, sizeof(frame)), (ssize_t)sizeof(frame));
	ck_assert_msg(log_has(&x, "message 'xfrm-result' may not flow from ike to xfrm; closing"),
	    "log:\n%s", x.log);
	char c;
	struct pollfd p = {sv, POLLIN, 0};
	ck_assert_int_eq(poll(&p, 1, WAIT_MS), 1);
	ck_assert_int_eq(read(sv, &c, 1), 0); /* closed by tnc-xfrm */
	close(sv);
	ck_assert_msg(log_has(&x, "tnc-ike's channel closed: removing 0 SAs and 1 policies"),
	    "log:\n%s", x.log);
	char out[4096];
	xfrm_show(ns_a, "policy", out, sizeof(out));
	ck_assert_msg(!strstr(out, "dir in"), "left:\n%s", out);

	/* A channel to tnc-tnccs, no peer of tnc-xfrm: refused and closed. */
	sv = attach(&x, "tnc-tnccs");
	ck_assert_msg(log_has(&x, "refusing a channel to 'tnc-tnccs': not a peer of tnc-xfrm"),
	    "log:\n%s", x.log);
	p.fd = sv;
	ck_assert_int_eq(poll(&p, 1, WAIT_MS), 1);
	ck_assert_int_eq(read(sv, &c, 1), 0);
	close(sv);
	ck_assert(!manifest_are_peers(ROLE_TNCCS, ROLE_XFRM));
	ck_assert(!manifest_are_peers(ROLE_POLICY, ROLE_XFRM));
	ck_assert(manifest_are_peers(ROLE_IKE, ROLE_XFRM));

	/* Alive and serving a new tnc-ike; stopping removes what it installed. */
	ck_assert(child_alive(&x));
	attach_ike(&x);
	m = policy(IPC_XFRM_FWD, IPC_XFRM_POLICY_ADD);
	ck_assert_msg(request(&x, &m) == 0, "%d %s", x.status, x.reason);
	ck_assert_int_eq(xchild_stop(&x), 0);
	const char *stopping = strstr(x.log, "tnc-xfrm shutting down");
	ck_assert_msg(stopping && strstr(stopping, ": removing 0 SAs and 1 policies it installed: 1 "
	    "were still in the kernel"), "log:\n%s", x.log);
	xfrm_show(ns_a, "policy", out, sizeof(out));
	ck_assert_msg(!strstr(out, "dir fwd"), "left:\n%s", out);
}
END_TEST

static void
enter_netns_a(void)
{
	char path[128];
	snprintf(path, sizeof(path), "/run/netns/%s", ns_a);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(setns(fd, CLONE_NEWNET), 0); /* this test's process only */
	close(fd);
}

/* tncd starts tnc-xfrm only with [ike] ikev2 = yes, sandboxed with
 * CAP_NET_ADMIN alone, hands it tnc-ike's connection keys and wires it to
 * tnc-ike (here a stand-in, as the real one needs its IKEv2 files): with
 * rw-allow moved to 10.9.0.0/24, the stand-in's policy request from there
 * reaches the kernel of namespace A, where this test runs tncd, and goes
 * when tncd stops; its request from the default rw-allow, now inside no
 * connection, is refused with the configured bounds. */
START_TEST(tncd_starts_it_with_ikev2_only)
{
	struct tl_tncd t;
	char out[16384], v[64];

	enter_netns_a();
	sh("ip xfrm policy flush");
	tl_tncd_start(&t, NULL, true);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_row_field(out, "tnc-xfrm", "state", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "disabled");
	tl_tncd_stop(&t);

	/* tncd checks the EAP-MD5 secrets tnc-ike would read with ikev2 = yes. */
	char dir[] = "/tmp/tnc-xfrm-eap-XXXXXX", secrets[64], extra[512];
	tl_mkdtemp(dir);
	snprintf(secrets, sizeof(secrets), "%s/eap-secrets", dir);
	int fd = open(secrets, O_WRONLY | O_CREAT | O_EXCL, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "alice : \"secret\"\n", 17), 17);
	close(fd);
	snprintf(extra, sizeof(extra), "path = %s/tnc-test-xfrm-ike\nikev2 = yes\neap_secrets = %s\n"
	    "rw_allow_ts = 10.9.0.0/24\n", TNC_BIN_DIR, secrets);
	tl_tncd_start(&t, extra, true);
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "status"), 0);
	ck_assert_int_eq(tl_row_field(out, "tnc-xfrm", "state", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "ready");
	ck_assert_int_eq(tl_ctl(&t, out, sizeof(out), "privileges"), 0);
	ck_assert_int_eq(tl_row_field(out, "tnc-xfrm", "cap_eff", v, sizeof(v)), 0);
	ck_assert_str_eq(v, CAP_NET_ADMIN_MASK);
	ck_assert_int_eq(tl_row_field(out, "tnc-ike", "cap_eff", v, sizeof(v)), 0);
	ck_assert_str_eq(v, "0000000000000000");
	ck_assert_msg(tl_log_contains(&t, "xfrm-ike: answer 0 ", WAIT_MS), "no answer in %s", t.log);
	/* tncd's tnc-xfrm bounds policies by the configured connections */
	char refusal[256];
	snprintf(refusal, sizeof(refusal), "xfrm-ike: answer %d src: 10.1.0.0/28 lies in no "
	    "connection's traffic selector (rw-allow 10.9.0.0/24, rw-isolate 10.1.0.16/28)",
	    TNC_EINVALID);
	ck_assert_msg(tl_log_contains(&t, refusal, WAIT_MS), "no refusal in %s", t.log);
	tl_sh(out, sizeof(out), "ip xfrm policy 2>&1");
	ck_assert_msg(strstr(out, "src 10.9.0.0/24 dst 10.2.0.1/32 \n\tdir out priority 1000"),
	    "policies:\n%s", out);
	tl_tncd_stop(&t);
	tl_sh(out, sizeof(out), "ip xfrm policy 2>&1");
	ck_assert_msg(!strstr(out, "dir out"), "left after tncd stopped:\n%s", out);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("xfrm");
	TCase *tc = tcase_create("netns");
	tcase_set_timeout(tc, 60);
	tcase_add_unchecked_fixture(tc, netns_setup, netns_teardown);
	tcase_add_test(tc, sandboxed_with_net_admin_alone);
	tcase_add_test(tc, policies_take_effect_and_go);
	tcase_add_test(tc, esp_tunnel_carries_traffic);
	tcase_add_test(tc, malformed_requests_refused);
	tcase_add_test(tc, tncd_starts_it_with_ikev2_only);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	if (geteuid() != 0) {
		fprintf(stderr, "test_xfrm: needs root (network namespaces, CAP_NET_ADMIN)\n");
		return 77;
	}
	return tl_run_suite(suite());
}
