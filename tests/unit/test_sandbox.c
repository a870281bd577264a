/* test_sandbox.c - sandbox_enter() for every child role, checked from the
 * outside: ids, groups, capabilities, no_new_privs, seccomp, chroot and
 * rlimits as the parent reads them in /proc; forbidden syscalls die with
 * SIGSYS unless the role's capabilities grant them (tnc-policy with and
 * without the db-client a database server adds); abort() still reports
 * SIGABRT while tgkill at any other process kills; a qsort of 400 KB (libc
 * asks sysinfo once) works; a libuv IPC loop (timer,
 * signal, fd passing) still works under every role, ike's handed-over
 * sockets under its, a database client's TCP connection under
 * tnc-policy's with db-client, and tnc-xfrm's netlink requests under its
 * (CAP_NET_ADMIN kept, which the kernel wants of them: another role's
 * profile gets EPERM on the same socket); capabilities the manifest does
 * not allow a role are refused.
 *
 * Each sandbox is entered in a forked grandchild, which reports and then
 * waits for the parent's go; most tests need root and say so when skipped.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>
#include <uv.h>

#include "sandbox.h"
#include "testlib.h"
#include "xfrm_kernel.h"
#include "xfrm_msg.h"

#define TEST_UID 64790   /* target of the root tests; no passwd entry needed */
#define TEST_UID2 64791  /* what the not-root test runs as before entering */

/* Exit codes of the sandboxed child. */
enum {
	EXIT_PREPARE = 2,  /* setting up before the sandbox failed */
	EXIT_ENTER = 3,    /* sandbox_enter() failed (message on stderr) */
	EXIT_SYNC = 4,     /* talking to the parent failed */
	EXIT_SURVIVED = 5, /* a forbidden call returned */
	EXIT_LOOP = 16,    /* + bitmask of what the libuv loop missed */
};

/* Every child role with its manifest row's capabilities (tnc-xfrm's
 * net-admin is its row's, no condition's), and tnc-policy again with those
 * a postgresql:// database adds. */
static const struct profile {
	enum tnc_role role;
	unsigned extra; /* conditional capabilities turned on (manifest.h, cap_condition) */
} profiles[] = {
	{ROLE_IKE, 0}, {ROLE_TNCCS, 0}, {ROLE_IMV_OS, 0}, {ROLE_IMV_SWIMA, 0}, {ROLE_IMV_ATTEST, 0},
	{ROLE_POLICY, 0}, {ROLE_POLICY, RCAP_DB_CLIENT}, {ROLE_XFRM, 0},
};
#define NPROFILES ((int)(sizeof(profiles) / sizeof(profiles[0])))

struct jail {
	char dir[64];    /* the state directory */
	uid_t uid;       /* its owner and the target ids */
	enum tnc_role role;
	unsigned caps;   /* the row's, and any conditional ones the test turns on */
	pid_t pid;
	int to_child[2], from_child[2];
	struct sandbox_report rep;
	const void *arg; /* for the body */
};

/* Runs in the child; prepares, calls child_enter(), acts; returns the exit code. */
typedef int body_fn(struct jail *j);

#define REQUIRE_ROOT()                                                              \
	do {                                                                        \
		if (geteuid() != 0) {                                               \
			fprintf(stderr, "SKIP %s: needs root (chroot and id change)\n",  \
			    __func__);                                              \
			return;                                                     \
		}                                                                   \
	} while (0)

/* "tnc-policy (state-files,db-client)", for messages */
static const char *
jail_name(const struct jail *j)
{
	static char name[128];
	char caps[64];
	snprintf(name, sizeof(name), "%s (%s)", manifest_role(j->role)->name,
	    manifest_caps_text(j->caps, caps, sizeof(caps)));
	return name;
}

/* --- the child side --- */

/* Enters the sandbox, sends the report and waits for the parent's go. */
static void
child_enter(struct jail *j)
{
	struct sandbox_params sp = {.uid = j->uid, .gid = j->uid, .state_dir = j->dir,
	    .caps = j->caps};
	struct sandbox_report rep;
	char go;

	int err = sandbox_enter(j->role, &sp, &rep);
	if (err) {
		fprintf(stderr, "sandbox_enter(%s): %s\n", jail_name(j), tnc_strerror(err));
		_exit(EXIT_ENTER);
	}
	if (write(j->from_child[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep) ||
	    read(j->to_child[0], &go, 1) != 1)
		_exit(EXIT_SYNC);
}

static int
body_idle(struct jail *j)
{
	child_enter(j);
	return 0;
}

/* --- the parent side --- */

static void
jail_init(struct jail *j, enum tnc_role role, uid_t uid)
{
	memset(j, 0, sizeof(*j));
	j->role = role;
	j->caps = manifest_role(role)->caps;
	j->uid = uid;
	snprintf(j->dir, sizeof(j->dir), "/tmp/tnc-sbx-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(j->dir));
	if (geteuid() == 0)
		ck_assert_int_eq(chown(j->dir, uid, uid), 0);
}

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	return remove(path);
}

static void
jail_cleanup(struct jail *j)
{
	ck_assert_int_eq(nftw(j->dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS), 0);
}

/* Forks the child running body and waits until it is sandboxed. */
static void
jail_start(struct jail *j, body_fn *body)
{
	ck_assert_int_eq(pipe2(j->to_child, O_CLOEXEC), 0);
	ck_assert_int_eq(pipe2(j->from_child, O_CLOEXEC), 0);
	j->pid = fork();
	ck_assert_int_ge(j->pid, 0);
	if (j->pid == 0) {
		close(j->to_child[1]);
		close(j->from_child[0]);
		_exit(body(j));
	}
	close(j->to_child[0]);
	close(j->from_child[1]);
	if (read(j->from_child[0], &j->rep, sizeof(j->rep)) != (ssize_t)sizeof(j->rep)) {
		int status;
		waitpid(j->pid, &status, 0);
		ck_abort_msg("%s: child did not get sandboxed: %s %d",
		    jail_name(j), WIFEXITED(status) ? "exit" : "signal",
		    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	}
}

/* Gives the go, sends SIGUSR1 whenever the child asks ('S'), reaps it. */
static int
jail_finish(struct jail *j)
{
	char c = 'g';
	int status;

	ck_assert_int_eq(write(j->to_child[1], &c, 1), 1);
	while (read(j->from_child[0], &c, 1) == 1)
		if (c == 'S')
			kill(j->pid, SIGUSR1);
	ck_assert_int_eq(waitpid(j->pid, &status, 0), j->pid);
	close(j->to_child[1]);
	close(j->from_child[0]);
	return status;
}

static void
assert_exit_ok(const struct jail *j, int status)
{
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "%s: child %s %d", jail_name(j),
	    WIFEXITED(status) ? "exited" : "killed by signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
}

static void
assert_status(pid_t pid, const char *key, const char *want)
{
	char got[256];
	ck_assert_msg(tl_proc_status(pid, key, got, sizeof(got)) == 0, "no %s in status", key);
	ck_assert_msg(strcmp(got, want) == 0, "%s: '%s', want '%s'", key, got, want);
}

static void
assert_link(pid_t pid, const char *which, const char *want)
{
	char path[64], got[PATH_MAX];
	snprintf(path, sizeof(path), "/proc/%d/%s", (int)pid, which);
	ssize_t n = readlink(path, got, sizeof(got) - 1);
	ck_assert_int_gt(n, 0);
	got[n] = 0;
	ck_assert_msg(strcmp(got, want) == 0, "%s: '%s', want '%s'", path, got, want);
}

/* From /proc/PID/limits: prlimit() on another uid needs CAP_SYS_RESOURCE.
 * want is capped by our own hard limit, which the child could not raise. */
static void
assert_rlimit(pid_t pid, int resource, const char *name, rlim_t want)
{
	char path[64], soft[32], hard[32], expect[32];
	struct rlimit ours;
	size_t len;

	ck_assert_int_eq(getrlimit(resource, &ours), 0);
	if (want > ours.rlim_max)
		want = ours.rlim_max;
	snprintf(expect, sizeof(expect), "%llu", (unsigned long long)want);
	snprintf(path, sizeof(path), "/proc/%d/limits", (int)pid);
	char *text = (char *)tl_read_file(path, &len);
	ck_assert_ptr_nonnull(text);
	const char *line = strstr(text, name);
	ck_assert_msg(line != NULL, "no '%s' in %s", name, path);
	ck_assert_int_eq(sscanf(line + strlen(name), "%31s %31s", soft, hard), 2);
	ck_assert_msg(strcmp(soft, expect) == 0 && strcmp(hard, expect) == 0,
	    "%s: %s/%s, want %s", name, soft, hard, expect);
	free(text);
}

/* What every root-started sandbox shows from the outside: no capability
 * but CAP_NET_ADMIN (bit 12) for a role with net-admin. */
static void
assert_confined(const struct jail *j)
{
	const char *zero = "0000000000000000";
	const char *held = j->caps & RCAP_NET_ADMIN ? "0000000000001000" : zero;
	char ids[64];

	snprintf(ids, sizeof(ids), "%u\t%u\t%u\t%u", (unsigned)j->uid, (unsigned)j->uid,
	    (unsigned)j->uid, (unsigned)j->uid);
	assert_status(j->pid, "Uid", ids);
	assert_status(j->pid, "Gid", ids);
	assert_status(j->pid, "Groups", "");
	assert_status(j->pid, "CapInh", zero);
	assert_status(j->pid, "CapPrm", held);
	assert_status(j->pid, "CapEff", held);
	assert_status(j->pid, "CapAmb", zero);
	assert_status(j->pid, "NoNewPrivs", "1");
	assert_status(j->pid, "Seccomp", "2");
	ck_assert_uint_eq(j->rep.uid, j->uid);
	ck_assert_uint_eq(j->rep.gid, j->uid);
	ck_assert_uint_gt(j->rep.seccomp_syscalls, 0);
	ck_assert_uint_eq(j->rep.seccomp_syscalls, sandbox_role_syscalls(j->role, j->caps));
}

/* --- tests --- */

/* The syscalls of a role with its row's capabilities. */
static unsigned
row_syscalls(enum tnc_role role)
{
	return sandbox_role_syscalls(role, manifest_role(role)->caps);
}

START_TEST(test_role_counts)
{
	unsigned ike = row_syscalls(ROLE_IKE);
	unsigned tnccs = row_syscalls(ROLE_TNCCS);
	unsigned policy = row_syscalls(ROLE_POLICY);

	ck_assert_uint_eq(row_syscalls(ROLE_TNCD), 0);
	/* tnc-policy adds its state files and nothing network, unless its
	 * database is a server: then a few more (socket, connect, poll,
	 * ppoll, setsockopt, sendto, recvfrom; fcntl is base already) */
	ck_assert_uint_gt(policy, tnccs);
	ck_assert_uint_eq(sandbox_role_syscalls(ROLE_POLICY, RCAP_STATE_FILES | RCAP_DB_CLIENT),
	    policy + 7);
	/* tnccs is IPC only; ike adds accepting clients; xfrm's net-admin
	 * adds no syscall (its netlink socket is open before the sandbox). */
	ck_assert_uint_gt(tnccs, 20);
	ck_assert_uint_gt(ike, tnccs);
	ck_assert_uint_eq(row_syscalls(ROLE_XFRM), tnccs);
	/* An IMV needs no more than the base: IPC, memory, time (goal: <= 40). */
	for (int r = 0; r < NPROFILES; r++)
		if (manifest_role(profiles[r].role)->kind == KIND_IMV) {
			ck_assert_uint_eq(row_syscalls(profiles[r].role), tnccs);
			ck_assert_uint_le(row_syscalls(profiles[r].role), 40);
		}
}
END_TEST

START_TEST(test_root_confined)
{
	REQUIRE_ROOT();
	const struct role_manifest *m = manifest_role(profiles[_i].role);
	char real[PATH_MAX], path[64];
	struct jail j;
	struct stat st;

	jail_init(&j, m->role, TEST_UID);
	j.caps |= profiles[_i].extra;
	ck_assert_ptr_nonnull(realpath(j.dir, real));
	jail_start(&j, body_idle);
	assert_confined(&j);
	assert_status(j.pid, "CapBnd", "0000000000000000");
	ck_assert(j.rep.chrooted);
	assert_link(j.pid, "root", real);
	assert_link(j.pid, "cwd", real);
	/* Not dumpable: its /proc entries stay root's although it runs as TEST_UID. */
	snprintf(path, sizeof(path), "/proc/%d/status", (int)j.pid);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_uint_eq(st.st_uid, 0);
	assert_rlimit(j.pid, RLIMIT_CORE, "Max core file size", 0);
	assert_rlimit(j.pid, RLIMIT_NPROC, "Max processes", 0);
	assert_rlimit(j.pid, RLIMIT_NOFILE, "Max open files", m->rlimit_nofile);
	assert_rlimit(j.pid, RLIMIT_FSIZE, "Max file size", m->rlimit_fsize);
#ifndef TNC_SANITIZED
	assert_rlimit(j.pid, RLIMIT_AS, "Max address space", m->rlimit_as);
#endif
	assert_exit_ok(&j, jail_finish(&j));
	jail_cleanup(&j);
}
END_TEST

/* --- forbidden calls: each must kill the child with SIGSYS --- */

#define EVERY_ROLE 0 /* no capability grants it */

static void
call_socket(int s)
{
	(void)socket(AF_INET, SOCK_STREAM, 0);
}

/* Sockets a database client does not need. */
static void
call_socket_unix(int s)
{
	(void)socket(AF_UNIX, SOCK_STREAM, 0);
}

static void
call_socket_packet(int s)
{
	(void)socket(AF_PACKET, SOCK_RAW, 0);
}

static void
call_socket_udp(int s)
{
	(void)socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

static void
call_socket_raw6(int s)
{
	(void)socket(AF_INET6, SOCK_RAW, IPPROTO_TCP);
}

static void
call_socket_sctp(int s)
{
	(void)socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP);
}

static void
call_socket_netlink(int s)
{
	(void)socket(AF_NETLINK, SOCK_RAW, 0);
}

static void
call_socketpair(int s)
{
	int sv[2];
	(void)socketpair(AF_UNIX, SOCK_STREAM, 0, sv);
}

static struct sockaddr_in
loopback(void)
{
	return (struct sockaddr_in){
		.sin_family = AF_INET, .sin_port = htons(9), .sin_addr = {htonl(INADDR_LOOPBACK)},
	};
}

static void
call_connect(int s)
{
	struct sockaddr_in a = loopback();
	(void)connect(s, (const struct sockaddr *)&a, sizeof(a));
}

static void
call_bind(int s)
{
	struct sockaddr_in a = loopback();
	(void)bind(s, (const struct sockaddr *)&a, sizeof(a));
}

static void
call_listen(int s)
{
	(void)listen(s, 1);
}

static void
call_accept4(int s)
{
	(void)accept4(s, NULL, NULL, 0);
}

static void
call_execve(int s)
{
	char *argv[] = {"true", NULL}, *envp[] = {NULL};
	(void)execve("/bin/true", argv, envp);
}

static void
call_fork(int s)
{
	if (fork() == 0)
		_exit(0);
}

static void
call_ptrace(int s)
{
	(void)ptrace(PTRACE_TRACEME, 0, NULL, NULL);
}

static void
call_setuid(int s)
{
	(void)setuid(TEST_UID);
}

static void
call_chroot(int s)
{
	(void)chroot(".");
}

static void
call_open(int s)
{
	(void)open("state", O_RDONLY);
}

/* The state-file calls, each on the descriptor from before the sandbox. */
static void
call_pwrite(int s)
{
	(void)pwrite(s, "x", 1, 0);
}

static void
call_unlink(int s)
{
	(void)unlink("state");
}

static void
call_fsync(int s)
{
	(void)fsync(s);
}

static void
call_setlk(int s)
{
	struct flock lk = {.l_type = F_RDLCK, .l_whence = SEEK_SET};
	(void)fcntl(s, F_SETLK, &lk);
}

static void
call_kill(int s)
{
	(void)kill(getppid(), 0);
}

static void
call_sendto(int s)
{
	struct sockaddr_in a = loopback();
	(void)sendto(s, "x", 1, 0, (const struct sockaddr *)&a, sizeof(a));
}

static void
call_recvfrom_address(int s)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	char c;
	(void)recvfrom(s, &c, 1, MSG_DONTWAIT, (struct sockaddr *)&a, &len);
}

static void
call_poll(int s)
{
	struct pollfd p = {s, POLLIN, 0};
	(void)poll(&p, 1, 0);
}

static void
call_setfl(int s)
{
	(void)fcntl(s, F_SETFL, O_NONBLOCK);
}

/* An IP option, not one of the socket or TCP level that libpq sets. */
static void
call_setsockopt_ip(int s)
{
	int ttl = 1;
	(void)setsockopt(s, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
}

static void
call_tgkill_other(int s)
{
	(void)syscall(SYS_tgkill, getppid(), getppid(), SIGABRT);
}

static void
call_tgkill_self_other_signal(int s)
{
	(void)syscall(SYS_tgkill, getpid(), getpid(), SIGTERM);
}

static void
call_mmap_exec(int s)
{
	(void)mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
}

static void
call_mprotect_exec(int s)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p != MAP_FAILED)
		(void)mprotect(p, 4096, PROT_READ | PROT_EXEC);
}

static void
call_ioctl_tty(int s)
{
	struct winsize ws;
	(void)ioctl(s, TIOCGWINSZ, &ws);
}

static void
call_io_uring(int s)
{
	struct io_uring_params params = {0};
	(void)syscall(SYS_io_uring_setup, 1, &params);
}

static void
call_bpf(int s)
{
	(void)syscall(SYS_bpf, 0, NULL, 0);
}

static const struct forbidden {
	const char *what;
	unsigned needs; /* RCAP_* that grants it; roles without them must die */
	void (*call)(int inet_socket);
} forbidden[] = {
	{"socket", RCAP_DB_CLIENT, call_socket},
	{"socket(AF_UNIX)", EVERY_ROLE, call_socket_unix},
	{"socket(AF_PACKET)", EVERY_ROLE, call_socket_packet},
	{"socket(SOCK_DGRAM)", EVERY_ROLE, call_socket_udp},
	{"socket(AF_INET6, SOCK_RAW)", EVERY_ROLE, call_socket_raw6},
	{"socket(IPPROTO_SCTP)", EVERY_ROLE, call_socket_sctp},
	{"socket(AF_NETLINK)", EVERY_ROLE, call_socket_netlink},
	{"socketpair", EVERY_ROLE, call_socketpair},
	{"connect", RCAP_DB_CLIENT, call_connect},
	{"bind", EVERY_ROLE, call_bind},
	{"listen", EVERY_ROLE, call_listen},
	{"accept4", RCAP_NET_ACCEPT, call_accept4},
	{"execve", EVERY_ROLE, call_execve},
	{"fork", EVERY_ROLE, call_fork},
	{"ptrace", EVERY_ROLE, call_ptrace},
	{"setuid", EVERY_ROLE, call_setuid},
	{"chroot", EVERY_ROLE, call_chroot},
	{"open", RCAP_STATE_FILES, call_open},
	{"pwrite64", RCAP_STATE_FILES, call_pwrite},
	{"unlink", RCAP_STATE_FILES, call_unlink},
	{"fsync", RCAP_STATE_FILES, call_fsync},
	{"fcntl(F_SETLK)", RCAP_STATE_FILES, call_setlk},
	{"kill", EVERY_ROLE, call_kill},
	{"sendto with an address", EVERY_ROLE, call_sendto},
	{"recvfrom with an address", EVERY_ROLE, call_recvfrom_address},
	{"poll", RCAP_DB_CLIENT, call_poll},
	{"fcntl(F_SETFL)", RCAP_DB_CLIENT, call_setfl},
	{"setsockopt(IPPROTO_IP)", RCAP_NET_ACCEPT, call_setsockopt_ip},
	{"tgkill(parent, SIGABRT)", EVERY_ROLE, call_tgkill_other},
	{"tgkill(self, SIGTERM)", EVERY_ROLE, call_tgkill_self_other_signal},
	{"mmap(PROT_EXEC)", EVERY_ROLE, call_mmap_exec},
	{"mprotect(PROT_EXEC)", EVERY_ROLE, call_mprotect_exec},
	{"ioctl(TIOCGWINSZ)", EVERY_ROLE, call_ioctl_tty},
	{"io_uring_setup", EVERY_ROLE, call_io_uring},
	{"bpf", EVERY_ROLE, call_bpf},
};
#define NFORBIDDEN ((int)(sizeof(forbidden) / sizeof(forbidden[0])))

/* (role, forbidden call) pairs where the call must kill. */
static struct {
	const struct profile *p;
	const struct forbidden *f;
} kill_cases[NPROFILES * NFORBIDDEN];
static int nkill_cases;

static void
list_kill_cases(void)
{
	for (int r = 0; r < NPROFILES; r++) {
		unsigned caps = manifest_role(profiles[r].role)->caps | profiles[r].extra;
		for (int f = 0; f < NFORBIDDEN; f++)
			if (forbidden[f].needs == EVERY_ROLE || (forbidden[f].needs & caps) == 0) {
				kill_cases[nkill_cases].p = &profiles[r];
				kill_cases[nkill_cases++].f = &forbidden[f];
			}
	}
}

static int
body_forbidden(struct jail *j)
{
	const struct forbidden *f = j->arg;
	/* An AF_INET socket from before the sandbox, like those tncd hands over. */
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0)
		return EXIT_PREPARE;
	child_enter(j);
	f->call(s);
	return EXIT_SURVIVED;
}

START_TEST(test_forbidden_kills)
{
	REQUIRE_ROOT();
	struct jail j;

	jail_init(&j, kill_cases[_i].p->role, TEST_UID);
	j.caps |= kill_cases[_i].p->extra;
	j.arg = kill_cases[_i].f;
	jail_start(&j, body_forbidden);
	int status = jail_finish(&j);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGSYS,
	    "%s under %s: %s %d, want SIGSYS", kill_cases[_i].f->what,
	    jail_name(&j), WIFEXITED(status) ? "exit" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	jail_cleanup(&j);
}
END_TEST

/* --- abort() inside the sandbox is reported as SIGABRT, not SIGSYS --- */

static int
body_abort(struct jail *j)
{
	child_enter(j);
	abort();
}

/* --- libc's lazy steps were taken before the filter: a large qsort --- */

static int
compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int
body_large_qsort(struct jail *j)
{
	static uint32_t v[100000];
	child_enter(j);
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		v[i] = (uint32_t)(i * 2654435761u);
	qsort(v, sizeof(v) / sizeof(v[0]), sizeof(v[0]), compare_u32);
	for (size_t i = 1; i < sizeof(v) / sizeof(v[0]); i++)
		if (v[i - 1] > v[i])
			return 1;
	return 0;
}

START_TEST(test_large_qsort_works)
{
	REQUIRE_ROOT();
	struct jail j;

	jail_init(&j, profiles[_i].role, TEST_UID);
	j.caps |= profiles[_i].extra;
	jail_start(&j, body_large_qsort);
	assert_exit_ok(&j, jail_finish(&j));
	jail_cleanup(&j);
}
END_TEST

START_TEST(test_abort_is_sigabrt)
{
	REQUIRE_ROOT();
	struct jail j;

	jail_init(&j, profiles[_i].role, TEST_UID);
	j.caps |= profiles[_i].extra;
	jail_start(&j, body_abort);
	int status = jail_finish(&j);
	ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
	    "abort() under %s: %s %d, want SIGABRT", jail_name(&j),
	    WIFEXITED(status) ? "exit" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	jail_cleanup(&j);
}
END_TEST

/* --- a libuv loop under every profile --- */

/* What a probe has seen (bits) out of what it waits for; loop->data points
 * to a probe, whose first member this is. */
struct progress {
	unsigned seen, want;
};

struct rx_buf {
	char data[32];
	size_t len;
};

static void
on_walk_close(uv_handle_t *h, void *arg)
{
	if (!uv_is_closing(h))
		uv_close(h, NULL);
}

static void
got(uv_loop_t *loop, unsigned part)
{
	struct progress *pr = loop->data;
	pr->seen |= part;
	if (pr->seen == pr->want)
		uv_walk(loop, on_walk_close, NULL);
}

/* Runs the loop until everything was seen or 5 s passed; the exit code. */
static int
run_probe(uv_loop_t *loop)
{
	struct progress *pr = loop->data;

	uv_run(loop, UV_RUN_DEFAULT);
	if (pr->seen != pr->want)
		return EXIT_LOOP + (int)(pr->want & ~pr->seen);
	return uv_loop_close(loop) == 0 ? 0 : EXIT_LOOP;
}

static void
on_watchdog(uv_timer_t *t)
{
	uv_stop(t->loop);
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct rx_buf *rx = h->data;
	*buf = uv_buf_init(rx->data + rx->len, (unsigned)(sizeof(rx->data) - rx->len));
}

/* Appends what was read; true once the buffer holds exactly want. */
static bool
rx_is(uv_stream_t *s, ssize_t nread, const char *want)
{
	struct rx_buf *rx = s->data;
	if (nread > 0)
		rx->len += (size_t)nread;
	return rx->len == strlen(want) && memcmp(rx->data, want, rx->len) == 0;
}

static void
on_write_done(uv_write_t *req, int status)
{
	if (status != 0)
		uv_stop(req->handle->loop);
}

enum loop_part {
	GOT_FRAME = 1,    /* bytes over the IPC pipe */
	GOT_FD = 2,       /* a descriptor passed with uv_write2 */
	GOT_PING = 4,     /* bytes through the passed descriptor */
	GOT_TIMER = 8,
	GOT_SIGNAL = 16,
};

struct probe {
	struct progress pr;
	uv_loop_t loop;
	uv_pipe_t chan_a, chan_b; /* both ends of an IPC channel */
	uv_pipe_t far;            /* the end of the passed socketpair that stays */
	uv_pipe_t passed, received;
	uv_timer_t timer, watchdog;
	uv_signal_t sig;
	uv_write_t w_frame, w_fd, w_ping;
	struct rx_buf chan_rx, far_rx;
	int pass_fd, log_fd;
};

static void
on_fd_sent(uv_write_t *req, int status)
{
	struct probe *p = req->handle->loop->data;
	on_write_done(req, status);
	uv_close((uv_handle_t *)&p->passed, NULL);
}

static void
on_far_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	if (rx_is(s, nread, "ping"))
		got(s->loop, GOT_PING);
}

static void
on_chan_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	struct probe *p = s->loop->data;
	static const uv_buf_t ping = {.base = "ping", .len = 4};

	if (nread <= 0)
		return;
	if (rx_is(s, nread, "frameF"))
		got(s->loop, GOT_FRAME);
	if (uv_pipe_pending_count(&p->chan_b) > 0 &&
	    uv_pipe_pending_type(&p->chan_b) == UV_NAMED_PIPE &&
	    uv_pipe_init(&p->loop, &p->received, 0) == 0 &&
	    uv_accept(s, (uv_stream_t *)&p->received) == 0) {
		got(s->loop, GOT_FD);
		uv_write(&p->w_ping, (uv_stream_t *)&p->received, &ping, 1, on_write_done);
	}
}

static void
on_timer(uv_timer_t *t)
{
	got(t->loop, GOT_TIMER);
}

static void
on_signal(uv_signal_t *s, int signum)
{
	got(s->loop, GOT_SIGNAL);
}

/* Before the sandbox, as in a real child: loop, channel and handles set up. */
static int
probe_prepare(struct probe *p)
{
	int chan[2], pass[2], logp[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, chan) != 0 ||
	    socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pass) != 0 ||
	    pipe2(logp, O_CLOEXEC) != 0 || uv_loop_init(&p->loop) != 0)
		return -1;
	p->pr.want = GOT_FRAME | GOT_FD | GOT_PING | GOT_TIMER | GOT_SIGNAL;
	p->loop.data = p;
	p->pass_fd = pass[0];
	p->log_fd = logp[1];
	if (uv_pipe_init(&p->loop, &p->chan_a, 1) != 0 || uv_pipe_open(&p->chan_a, chan[0]) != 0 ||
	    uv_pipe_init(&p->loop, &p->chan_b, 1) != 0 || uv_pipe_open(&p->chan_b, chan[1]) != 0 ||
	    uv_pipe_init(&p->loop, &p->far, 0) != 0 || uv_pipe_open(&p->far, pass[1]) != 0 ||
	    uv_timer_init(&p->loop, &p->timer) != 0 || uv_timer_init(&p->loop, &p->watchdog) != 0 ||
	    uv_signal_init(&p->loop, &p->sig) != 0)
		return -1;
	p->chan_b.data = &p->chan_rx;
	p->far.data = &p->far_rx;
	return 0;
}

static int
body_loop(struct jail *j)
{
	static const char log_line[] = "DMN 1 sandboxed\n";
	uv_buf_t frame = uv_buf_init("frame", 5), flagged = uv_buf_init("F", 1);
	struct probe p = {0};

	if (probe_prepare(&p) != 0)
		return EXIT_PREPARE;
	child_enter(j);
	if (write(p.log_fd, log_line, sizeof(log_line) - 1) != sizeof(log_line) - 1)
		return EXIT_LOOP;
	/* Wrapping the descriptor to pass happens late, as ipc_channel_send() does. */
	if (uv_pipe_init(&p.loop, &p.passed, 0) != 0 || uv_pipe_open(&p.passed, p.pass_fd) != 0 ||
	    uv_read_start((uv_stream_t *)&p.chan_b, on_alloc, on_chan_read) != 0 ||
	    uv_read_start((uv_stream_t *)&p.far, on_alloc, on_far_read) != 0 ||
	    uv_write(&p.w_frame, (uv_stream_t *)&p.chan_a, &frame, 1, on_write_done) != 0 ||
	    uv_write2(&p.w_fd, (uv_stream_t *)&p.chan_a, &flagged, 1, (uv_stream_t *)&p.passed,
	    on_fd_sent) != 0 ||
	    uv_timer_start(&p.timer, on_timer, 10, 0) != 0 ||
	    uv_timer_start(&p.watchdog, on_watchdog, 5000, 0) != 0 ||
	    uv_signal_start(&p.sig, on_signal, SIGUSR1) != 0 ||
	    write(j->from_child[1], "S", 1) != 1)
		return EXIT_LOOP;
	return run_probe(&p.loop);
}

START_TEST(test_loop_works)
{
	REQUIRE_ROOT();
	struct jail j;

	jail_init(&j, profiles[_i].role, TEST_UID);
	j.caps |= profiles[_i].extra;
	jail_start(&j, body_loop);
	assert_confined(&j);
	assert_exit_ok(&j, jail_finish(&j));
	jail_cleanup(&j);
}
END_TEST

/* --- tnc-ike on the sockets tncd binds and hands over --- */

/* libuv 1.44 calls listen(2) in uv_listen(), even on a listening socket;
 * the sandbox does not grant it, so tnc-ike must do it before
 * sandbox_enter().  (UDP for IKE comes with IKEv2 and its own group.) */
enum ike_part {
	GOT_CLIENT = 1, /* a PT-TLS client accepted on the listener */
	GOT_BYTES = 2,  /* its first bytes */
};

struct ike_probe {
	struct progress pr;
	uv_loop_t loop;
	uv_tcp_t listener, conn;
	uv_timer_t watchdog;
	struct rx_buf conn_rx;
};

static void
on_conn_read(uv_stream_t *s, ssize_t nread, const uv_buf_t *buf)
{
	if (rx_is(s, nread, "hi"))
		got(s->loop, GOT_BYTES);
}

static void
on_client(uv_stream_t *listener, int status)
{
	struct ike_probe *p = listener->loop->data;
	struct sockaddr_storage peer;
	int len = sizeof(peer);

	if (status != 0 || uv_tcp_init(&p->loop, &p->conn) != 0 ||
	    uv_accept(listener, (uv_stream_t *)&p->conn) != 0)
		return;
	p->conn.data = &p->conn_rx;
	if (uv_tcp_nodelay(&p->conn, 1) == 0 &&
	    uv_tcp_getpeername(&p->conn, (struct sockaddr *)&peer, &len) == 0 &&
	    uv_read_start((uv_stream_t *)&p->conn, on_alloc, on_conn_read) == 0)
		got(&p->loop, GOT_CLIENT);
}

/* tncd's part (bind, listen) and the client's (connect, send), then the
 * libuv calls that must precede the sandbox. */
static int
ike_prepare(struct ike_probe *p)
{
	struct sockaddr_in any = loopback(), tcp_addr;
	socklen_t len = sizeof(tcp_addr);
	int l = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int c = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

	any.sin_port = 0;
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&any, sizeof(any)) != 0 ||
	    listen(l, 4) != 0)
		return -1;
	if (getsockname(l, (struct sockaddr *)&tcp_addr, &len) != 0 ||
	    connect(c, (struct sockaddr *)&tcp_addr, sizeof(tcp_addr)) != 0 ||
	    write(c, "hi", 2) != 2)
		return -1;
	if (uv_loop_init(&p->loop) != 0)
		return -1;
	p->pr.want = GOT_CLIENT | GOT_BYTES;
	p->loop.data = p;
	if (uv_tcp_init(&p->loop, &p->listener) != 0 || uv_tcp_open(&p->listener, l) != 0 ||
	    uv_listen((uv_stream_t *)&p->listener, 4, on_client) != 0 ||
	    uv_timer_init(&p->loop, &p->watchdog) != 0)
		return -1;
	return 0;
}

static int
body_ike(struct jail *j)
{
	struct ike_probe p = {0};

	if (ike_prepare(&p) != 0)
		return EXIT_PREPARE;
	child_enter(j);
	if (uv_timer_start(&p.watchdog, on_watchdog, 5000, 0) != 0)
		return EXIT_LOOP;
	return run_probe(&p.loop);
}

START_TEST(test_ike_sockets)
{
	REQUIRE_ROOT();
	struct jail j;

	jail_init(&j, ROLE_IKE, TEST_UID);
	jail_start(&j, body_ike);
	assert_exit_ok(&j, jail_finish(&j));
	jail_cleanup(&j);
}
END_TEST

/* tnc-policy: what SQLite does with a database in its chroot works, and
 * no path leads out of it. */
static int
body_state_files(struct jail *j)
{
	struct flock lk = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1};
	char outside[128];
	child_enter(j);
	int fd = open("/tnc.db", O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0 || pwrite(fd, "page", 4, 4096) != 4 || fcntl(fd, F_SETLK, &lk) != 0 ||
	    fdatasync(fd) != 0 || ftruncate(fd, 0) != 0 || close(fd) != 0)
		return 10;
	/* the real path of its own directory does not exist in there */
	snprintf(outside, sizeof(outside), "%s/tnc.db", j->dir);
	if (open(outside, O_RDONLY) >= 0 || errno != ENOENT)
		return 11;
	if (open("/../../etc/passwd", O_RDONLY) >= 0 || errno != ENOENT)
		return 12;
	return unlink("/tnc.db") == 0 ? 0 : 13;
}

START_TEST(test_policy_state_files)
{
	REQUIRE_ROOT();
	struct jail j;
	char path[128];
	struct stat st;

	jail_init(&j, ROLE_POLICY, TEST_UID);
	snprintf(path, sizeof(path), "%s/tnc.db", j.dir);
	jail_start(&j, body_state_files);
	assert_exit_ok(&j, jail_finish(&j));
	ck_assert_int_ne(stat(path, &st), 0); /* made and removed in its own directory */
	jail_cleanup(&j);
}
END_TEST

/* --- tnc-policy with a database server: libpq's connection --- */

/* How a client variant makes and waits for its socket: libpq 15 makes a
 * plain socket, sets O_NONBLOCK with fcntl and waits with poll; the
 * flags at socket() and ppoll are what other libc or libpq versions use. */
struct db_client_case {
	int family;
	bool flags_at_socket;
	bool use_ppoll;
};

static const struct db_client_case db_client_cases[] = {
	{AF_INET, false, false},
	{AF_INET6, true, true},
};

struct db_server {
	const struct db_client_case *c;
	struct sockaddr_storage addr;
	socklen_t len;
};

/* A server on loopback in a process of its own: answers its one client's
 * "ping" with "pong" and exits.  Its pid, or -1 when the family has no
 * loopback here. */
static pid_t
pong_server(struct db_server *srv)
{
	int l = socket(srv->c->family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	struct sockaddr_in *a4 = (struct sockaddr_in *)&srv->addr;
	struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)&srv->addr;

	memset(&srv->addr, 0, sizeof(srv->addr));
	if (srv->c->family == AF_INET) {
		*a4 = loopback();
		a4->sin_port = 0;
		srv->len = sizeof(*a4);
	} else {
		a6->sin6_family = AF_INET6;
		a6->sin6_addr = in6addr_loopback;
		srv->len = sizeof(*a6);
	}
	if (l < 0 || bind(l, (struct sockaddr *)&srv->addr, srv->len) != 0 ||
	    listen(l, 1) != 0 || getsockname(l, (struct sockaddr *)&srv->addr, &srv->len) != 0) {
		if (l >= 0)
			close(l);
		return -1;
	}
	pid_t pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		char buf[4];
		alarm(10);
		int c = accept(l, NULL, NULL);
		_exit(c >= 0 && read(c, buf, 4) == 4 && !memcmp(buf, "ping", 4) &&
		    write(c, "pong", 4) == 4 ? 0 : 1);
	}
	close(l);
	return pid;
}

/* Waits for events on s the way the case says. */
static int
wait_for(int s, short events, const struct db_client_case *c)
{
	struct pollfd p = {s, events, 0};
	struct timespec limit = {5, 0};
	return c->use_ppoll ? ppoll(&p, 1, &limit, NULL) : poll(&p, 1, 5000);
}

/* Sandboxed: what libpq does on a connection, step by step. */
static int
body_db_client(struct jail *j)
{
	const struct db_server *srv = j->arg;
	const struct db_client_case *c = srv->c;
	int one = 1, idle = 10, user_timeout = 10000, soerr = -1;
	socklen_t len = sizeof(soerr);
	struct sockaddr_storage local;
	socklen_t llen = sizeof(local);
	char buf[4];

	child_enter(j);
	int s = socket(c->family, SOCK_STREAM | (c->flags_at_socket ?
	    SOCK_NONBLOCK | SOCK_CLOEXEC : 0), 0);
	if (s < 0)
		return 10;
	if (!c->flags_at_socket &&
	    (fcntl(s, F_SETFL, fcntl(s, F_GETFL) | O_NONBLOCK) != 0 ||
	    fcntl(s, F_SETFD, FD_CLOEXEC) != 0))
		return 11;
	if (setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0 ||
	    setsockopt(s, SOL_SOCKET, SO_KEEPALIVE, &one, sizeof(one)) != 0 ||
	    setsockopt(s, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof(idle)) != 0 ||
	    setsockopt(s, IPPROTO_TCP, TCP_USER_TIMEOUT, &user_timeout, sizeof(user_timeout)) != 0)
		return 12;
	if ((connect(s, (const struct sockaddr *)&srv->addr, srv->len) != 0 &&
	    errno != EINPROGRESS) || wait_for(s, POLLOUT, c) != 1 ||
	    getsockopt(s, SOL_SOCKET, SO_ERROR, &soerr, &len) != 0 || soerr != 0 ||
	    getsockname(s, (struct sockaddr *)&local, &llen) != 0)
		return 13;
	if (sendto(s, "ping", 4, MSG_NOSIGNAL, NULL, 0) != 4 || wait_for(s, POLLIN, c) != 1 ||
	    recvfrom(s, buf, sizeof(buf), 0, NULL, NULL) != 4 || memcmp(buf, "pong", 4) != 0)
		return 14;
	return close(s) == 0 ? 0 : 15;
}

START_TEST(test_policy_db_client)
{
	REQUIRE_ROOT();
	struct db_server srv = {.c = &db_client_cases[_i]};
	struct jail j;
	int status;

	pid_t server = pong_server(&srv);
	if (server < 0) {
		fprintf(stderr, "SKIP %s: no loopback of family %d\n", __func__, srv.c->family);
		return;
	}
	jail_init(&j, ROLE_POLICY, TEST_UID);
	j.caps |= RCAP_DB_CLIENT;
	j.arg = &srv;
	jail_start(&j, body_db_client);
	assert_confined(&j);
	assert_exit_ok(&j, jail_finish(&j));
	ck_assert_int_eq(waitpid(server, &status, 0), server);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "the server got no ping");
	jail_cleanup(&j);
}
END_TEST

/* --- started without root --- */

/* Becomes TEST_UID2 first when root (a child tncd started unprivileged). */
static int
body_unprivileged(struct jail *j)
{
	if (geteuid() == 0 &&
	    (setgroups(0, NULL) != 0 || setresgid(TEST_UID2, TEST_UID2, TEST_UID2) != 0 ||
	    setresuid(TEST_UID2, TEST_UID2, TEST_UID2) != 0))
		return EXIT_PREPARE;
	child_enter(j);
	return 0;
}

START_TEST(test_not_root)
{
	uid_t uid = geteuid() == 0 ? TEST_UID2 : geteuid();
	char real[PATH_MAX];
	struct jail j;

	jail_init(&j, ROLE_IMV_OS, uid);
	ck_assert_ptr_nonnull(realpath(j.dir, real));
	jail_start(&j, body_unprivileged);
	ck_assert(!j.rep.chrooted);
	ck_assert_uint_eq(j.rep.uid, uid);
	assert_status(j.pid, "NoNewPrivs", "1");
	assert_status(j.pid, "Seccomp", "2");
	assert_status(j.pid, "CapEff", "0000000000000000");
	assert_status(j.pid, "CapPrm", "0000000000000000");
	/* It is not dumpable: only a root parent may look at its directories. */
	if (geteuid() == 0) {
		assert_link(j.pid, "root", "/");
		assert_link(j.pid, "cwd", real);
	}
	assert_exit_ok(&j, jail_finish(&j));
	jail_cleanup(&j);
}
END_TEST

/* --- tnc-xfrm: netlink requests on the socket opened before the sandbox --- */

/* Exit codes of body_xfrm_probe beyond 0 (the kernel took the request). */
enum { PROBE_NO_ANSWER = 20, PROBE_EPERM = 21, PROBE_OTHER = 22 };

static int
body_xfrm_probe(struct jail *j)
{
	uint8_t msg[64];
	size_t len;
	int kernel_err = 1;
	char text[128];
	int fd = xfrm_kernel_open();

	if (fd < 0 || xfrm_build_probe(1, msg, sizeof(msg), &len) != 0)
		return EXIT_PREPARE;
	child_enter(j);
	if (xfrm_kernel_request(fd, msg, len, 1, &kernel_err, text, sizeof(text)) != 0)
		return PROBE_NO_ANSWER;
	return kernel_err == 0 ? 0 : kernel_err == -EPERM ? PROBE_EPERM : PROBE_OTHER;
}

/* Under tnc-xfrm's profile the kernel takes an XFRM request (a read-only
 * XFRM_MSG_GETSPDINFO, acked) on its pre-opened socket; under tnc-tnccs's,
 * the same syscalls go through seccomp and the kernel refuses for want of
 * CAP_NET_ADMIN. */
START_TEST(test_xfrm_netlink)
{
	REQUIRE_ROOT();
	struct jail j;

	jail_init(&j, ROLE_XFRM, TEST_UID);
	jail_start(&j, body_xfrm_probe);
	assert_confined(&j);
	int status = jail_finish(&j);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "tnc-xfrm: %s %d",
	    WIFEXITED(status) ? "exit" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
	jail_cleanup(&j);

	jail_init(&j, ROLE_TNCCS, TEST_UID);
	jail_start(&j, body_xfrm_probe);
	status = jail_finish(&j);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == PROBE_EPERM,
	    "tnc-tnccs: %s %d, want exit %d (EPERM)", WIFEXITED(status) ? "exit" : "signal",
	    WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status), PROBE_EPERM);
	jail_cleanup(&j);
}
END_TEST

/* --- refusals: nothing is confined, an error comes back --- */

START_TEST(test_refuses_bad_role)
{
	struct sandbox_params sp = {.uid = TEST_UID, .gid = TEST_UID, .state_dir = "/"};
	struct sandbox_report rep;

	ck_assert_int_eq(sandbox_enter(ROLE_TNCD, &sp, &rep), TNC_EINVALID);
	ck_assert_int_eq(sandbox_enter(ROLE_COUNT, &sp, &rep), TNC_EINVALID);
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
}
END_TEST

/* Capabilities the manifest does not allow the role under any
 * configuration, or without one its row always has: refused before
 * anything changes. */
START_TEST(test_refuses_caps_not_in_manifest)
{
	static const struct {
		enum tnc_role role;
		unsigned caps;
	} bad[] = {
		{ROLE_IMV_OS, RCAP_DB_CLIENT},                  /* no condition of its row */
		{ROLE_TNCCS, RCAP_NET_ACCEPT},                  /* another role's */
		{ROLE_POLICY, RCAP_DB_CLIENT},                  /* without its state-files */
		{ROLE_POLICY, RCAP_STATE_FILES | RCAP_NET_ACCEPT},
		{ROLE_IKE, RCAP_NET_ACCEPT | RCAP_DB_CLIENT},
		{ROLE_IKE, RCAP_NET_ACCEPT | RCAP_NET_ADMIN},   /* tnc-xfrm's */
		{ROLE_XFRM, 0},                                 /* without its net-admin */
	};
	struct sandbox_params sp = {.uid = TEST_UID, .gid = TEST_UID, .state_dir = "/"};
	struct sandbox_report rep;

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sp.caps = bad[i].caps;
		ck_assert_int_eq(sandbox_enter(bad[i].role, &sp, &rep), TNC_ESANDBOX);
	}
	ck_assert_int_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
	ck_assert_uint_eq(geteuid(), getuid());
}
END_TEST

START_TEST(test_refuses_root_target)
{
	REQUIRE_ROOT();
	struct sandbox_params sp = {.uid = 0, .gid = TEST_UID, .state_dir = "/"};
	struct sandbox_report rep;

	ck_assert_int_eq(sandbox_enter(ROLE_IMV_OS, &sp, &rep), TNC_ESANDBOX);
	sp = (struct sandbox_params){.uid = TEST_UID, .gid = 0, .state_dir = "/"};
	ck_assert_int_eq(sandbox_enter(ROLE_IMV_OS, &sp, &rep), TNC_ESANDBOX);
	sp = (struct sandbox_params){.uid = (uid_t)-1, .gid = TEST_UID, .state_dir = "/"};
	ck_assert_int_eq(sandbox_enter(ROLE_IMV_OS, &sp, &rep), TNC_ESANDBOX);
	ck_assert_uint_eq(getuid(), 0);
	ck_assert_int_eq(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
}
END_TEST

START_TEST(test_refuses_missing_dir)
{
	REQUIRE_ROOT();
	struct sandbox_params sp = {.uid = TEST_UID, .gid = TEST_UID,
	    .state_dir = "/nonexistent/tnc-state"};
	struct sandbox_report rep;

	ck_assert_int_eq(sandbox_enter(ROLE_TNCCS, &sp, &rep), -ENOENT);
	ck_assert_uint_eq(getuid(), 0);
	ck_assert_int_eq(prctl(PR_GET_SECCOMP, 0, 0, 0, 0), 0);
}
END_TEST

/* Unprivileged but still holding capabilities (kept across setuid), or able
 * to return to root (real uid 0): refused. */
START_TEST(test_refuses_leftover_privilege)
{
	REQUIRE_ROOT();
	struct sandbox_params sp = {.uid = TEST_UID2, .gid = TEST_UID2, .state_dir = "/"};
	struct sandbox_report rep;
	pid_t pid = fork();
	int status;

	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) != 0 ||
		    setresuid(TEST_UID2, TEST_UID2, TEST_UID2) != 0)
			_exit(EXIT_PREPARE);
		_exit(sandbox_enter(ROLE_TNCCS, &sp, &rep) == TNC_ESANDBOX ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "kept capabilities accepted");

	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (pid == 0) {
		if (setresuid(0, TEST_UID2, 0) != 0)
			_exit(EXIT_PREPARE);
		_exit(sandbox_enter(ROLE_TNCCS, &sp, &rep) == TNC_ESANDBOX ? 0 : 1);
	}
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 0, "real uid 0 accepted");
}
END_TEST

int
main(void)
{
	Suite *s = suite_create("sandbox");
	TCase *tc = tcase_create("sandbox");

	list_kill_cases();
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_role_counts);
	tcase_add_loop_test(tc, test_root_confined, 0, NPROFILES);
	tcase_add_loop_test(tc, test_forbidden_kills, 0, nkill_cases);
	tcase_add_loop_test(tc, test_abort_is_sigabrt, 0, NPROFILES);
	tcase_add_loop_test(tc, test_large_qsort_works, 0, NPROFILES);
	tcase_add_loop_test(tc, test_loop_works, 0, NPROFILES);
	tcase_add_test(tc, test_ike_sockets);
	tcase_add_test(tc, test_xfrm_netlink);
	tcase_add_test(tc, test_policy_state_files);
	tcase_add_loop_test(tc, test_policy_db_client, 0,
	    (int)(sizeof(db_client_cases) / sizeof(db_client_cases[0])));
	tcase_add_test(tc, test_not_root);
	tcase_add_test(tc, test_refuses_bad_role);
	tcase_add_test(tc, test_refuses_caps_not_in_manifest);
	tcase_add_test(tc, test_refuses_root_target);
	tcase_add_test(tc, test_refuses_missing_dir);
	tcase_add_test(tc, test_refuses_leftover_privilege);
	suite_add_tcase(s, tc);
	return tl_run_suite(s);
}
