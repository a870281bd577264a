/* sandbox_seccomp.c - the seccomp allowlists of the roles.
 *
 * One table for the auditor: each group names the manifest capability a
 * role needs for it (BASE: every child), its syscalls (a few only with fixed
 * arguments) and why.  A role's allowlist is the base groups plus the groups
 * of its capabilities.  Anything not listed kills the whole process with
 * SIGSYS.  Written for x86_64 syscall
 * names; on an architecture that lacks one, loading fails rather than run
 * with an unreviewed list.  Never granted to any role: socketpair, bind,
 * listen, execve(at), ptrace, fork/vfork/clone(3), process_vm_*, mount,
 * set*id, chroot, kexec_*, bpf, perf_event_open, keyctl, add_key,
 * personality, io_uring_*; socket and connect only to a database client,
 * for TCP (test_sandbox kills a sample).
 */
#include "sandbox_seccomp.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <seccomp.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "sandbox.h"

#define BASE 0 /* every child */

#define GROUP_MAX 8   /* rules per group */
#define NR_LIMIT 1024 /* above every native x86_64 syscall number */

struct sc_rule {
	const char *name;  /* NULL ends a group */
	int nr;
	unsigned nargs;    /* 0: any arguments; n: only when cmp[0..n) all match */
	struct scmp_arg_cmp cmp[3];
	bool self_arg0;    /* cmp[0] is "argument 0 == this process's pid", filled at load */
};

struct sc_group {
	unsigned caps;     /* RCAP_* a role needs for this group; BASE: every child */
	const char *why;
	struct sc_rule rules[GROUP_MAX];
};

#define NO_CMP {0, 0, 0, 0}
#define SC(x) {#x, SCMP_SYS(x), 0, {NO_CMP, NO_CMP, NO_CMP}, false}
/* Only when argument n equals v. */
#define SC_ARG(x, n, v) {#x, SCMP_SYS(x), 1, {{(n), SCMP_CMP_EQ, (v), 0}, NO_CMP, NO_CMP}, false}
/* Only when argument n has none of the bits in mask. */
#define SC_NOBITS(x, n, mask) \
	{#x, SCMP_SYS(x), 1, {{(n), SCMP_CMP_MASKED_EQ, (mask), 0}, NO_CMP, NO_CMP}, false}
/* Only aimed at this process (argument 0 = its pid) and argument n equal to v. */
#define SC_SELF_ARG(x, n, v) \
	{#x, SCMP_SYS(x), 2, {{0, SCMP_CMP_EQ, 0, 0}, {(n), SCMP_CMP_EQ, (v), 0}, NO_CMP}, true}
/* socket(family, SOCK_STREAM with at most SOCK_NONBLOCK and SOCK_CLOEXEC,
 * protocol 0): the type is an int, so only its low 32 bits are compared. */
#define TYPE_MASK (0xffffffffull & ~(unsigned long long)(SOCK_NONBLOCK | SOCK_CLOEXEC))
#define SC_STREAM_SOCKET(family) \
	{"socket", SCMP_SYS(socket), 3, {{0, SCMP_CMP_EQ, (family), 0}, \
	    {1, SCMP_CMP_MASKED_EQ, TYPE_MASK, SOCK_STREAM}, {2, SCMP_CMP_EQ, 0, 0}}, false}

static const struct sc_group groups[] = {
	/* Every child: one libuv loop, IPC channels to tncd and peers, a log pipe. */
	{BASE, "libuv's event loop: epoll is its Linux backend",
	    {SC(epoll_wait), SC(epoll_pwait), SC(epoll_ctl)}},
	{BASE, "bytes on descriptors it holds: IPC channels, log pipe (fd 4), libuv's signal pipe",
	    {SC(read), SC(readv), SC(write), SC(writev)}},
	{BASE, "IPC frames, some carrying a descriptor (SCM_RIGHTS), on the AF_UNIX channels",
	    {SC(recvmsg), SC(sendmsg)}},
	{BASE, "uv_pipe_pending_type() asks a received descriptor what it is (uv_guess_handle)",
	    {SC_ARG(ioctl, 1, TCGETS), SC(newfstatat), SC(getsockname), SC(getsockopt)}},
	{BASE, "closing channels and handles",
	    {SC(close)}},
	{BASE, "libuv: O_NONBLOCK by ioctl, FD_CLOEXEC by fcntl, the access mode in uv_pipe_open()",
	    {SC_ARG(ioctl, 1, FIONBIO), SC_ARG(fcntl, 1, F_SETFD), SC_ARG(fcntl, 1, F_GETFL)}},
	{BASE, "time for timers; usually the vDSO answers without entering the kernel",
	    {SC(clock_gettime), SC(clock_getres), SC(clock_nanosleep), SC(nanosleep)}},
	{BASE, "memory for malloc, never executable (W^X: no PROT_EXEC)",
	    {SC(brk), SC_NOBITS(mmap, 2, PROT_EXEC), SC_NOBITS(mprotect, 2, PROT_EXEC),
	    SC(munmap), SC(mremap), SC(madvise)}},
	{BASE, "locks inside glibc, OpenSSL and libsodium",
	    {SC(futex)}},
	{BASE, "libuv's signal watchers; returning from handlers, restarting interrupted calls",
	    {SC(rt_sigaction), SC(rt_sigprocmask), SC(rt_sigreturn), SC(restart_syscall)}},
	{BASE, "its own process id for log lines and libuv",
	    {SC(getpid), SC(gettid)}},
	{BASE, "seeding the generators of OpenSSL and libsodium",
	    {SC(getrandom)}},
	{BASE, "leaving",
	    {SC(exit), SC(exit_group)}},
	{BASE, "abort() and failed checks raise SIGABRT at the process itself, so tncd "
	    "reports an abort and not a seccomp kill; any other target or signal is a violation",
	    {SC_SELF_ARG(tgkill, 2, SIGABRT)}},

	/* RCAP_NET_ACCEPT: only on sockets tncd bound and handed over. */
	{RCAP_NET_ACCEPT, "accepting TCP clients on the listener from tncd",
	    {SC(accept4)}},
	{RCAP_NET_ACCEPT, "per-connection options, peer address for logs and policy, orderly "
	    "TLS close", {SC(setsockopt), SC(getpeername), SC(shutdown)}},

	/* RCAP_STATE_FILES: SQLite in WAL mode on the database in its state
	 * directory, which is its chroot, so no path leads outside it. */
	{RCAP_STATE_FILES, "opening and creating the database, its -wal and -shm files and the "
	    "directory to sync it; checking whether they exist (stat is base)",
	    {SC(openat), SC(access), SC(fstat), SC(readlink)}},
	{RCAP_STATE_FILES, "pages read and written at offsets; the WAL index mapped shared "
	    "(mmap without PROT_EXEC is base)",
	    {SC(pread64), SC(pwrite64), SC(lseek)}},
	{RCAP_STATE_FILES, "POSIX advisory locks between the connections of tnc-policy and tncadm",
	    {SC_ARG(fcntl, 1, F_SETLK), SC_ARG(fcntl, 1, F_GETLK), SC_ARG(fcntl, 1, F_GETFD)}},
	{RCAP_STATE_FILES, "durability (fsync, fdatasync), truncating the WAL after a checkpoint, "
	    "removing the WAL when the last connection closes",
	    {SC(fsync), SC(fdatasync), SC(ftruncate), SC(unlink)}},
	{RCAP_STATE_FILES, "new files get the database's mode; SQLite asks who it runs as before "
	    "it would give a new file the database's owner (only root does)",
	    {SC(fchmod), SC(geteuid)}},

	/* RCAP_DB_CLIENT: libpq's connection to the database server (checked
	 * with strace of a connect, TLS and reconnect): one TCP socket, made
	 * anew whenever the server went away, to the address resolved before
	 * the sandbox.  No bind, listen, accept, datagram or raw socket, and no
	 * address on a send. */
	{RCAP_DB_CLIENT, "a TCP socket to the database server, IPv4 or IPv6",
	    {SC_STREAM_SOCKET(AF_INET), SC_STREAM_SOCKET(AF_INET6)}},
	{RCAP_DB_CLIENT, "libpq connects without blocking (O_NONBLOCK by fcntl) and waits for the "
	    "socket with poll (its error and local address are base)",
	    {SC(connect), SC_ARG(fcntl, 1, F_SETFL), SC(poll), SC(ppoll)}},
	{RCAP_DB_CLIENT, "socket options: TCP_NODELAY, keepalives and TCP_USER_TIMEOUT, so a "
	    "server that is gone is noticed in seconds",
	    {SC_ARG(setsockopt, 1, SOL_SOCKET), SC_ARG(setsockopt, 1, IPPROTO_TCP)}},
	{RCAP_DB_CLIENT, "the protocol's bytes, on the connected socket only (no address)",
	    {SC_ARG(sendto, 4, 0), SC_ARG(recvfrom, 4, 0)}},

#ifdef TNC_SANITIZED
	/* ASan+UBSan builds only: what the sanitizer runtime does in normal
	 * operation (LeakSanitizer is off in sandboxed children; an error report
	 * prints its first lines, then dies opening /proc/self/maps). */
	{BASE, "ASan checks the alternate signal stack before exit() and other no-return calls",
	    {SC(sigaltstack)}},
#endif
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

static bool
granted(const struct sc_group *g, const struct role_manifest *m, unsigned caps)
{
	return m->kind != KIND_SUPERVISOR && (g->caps & caps) == g->caps;
}

unsigned
sandbox_role_syscalls(enum tnc_role role, unsigned caps)
{
	const struct role_manifest *p = manifest_role(role);
	bool seen[NR_LIMIT] = {false};
	unsigned n = 0;

	for (size_t i = 0; i < NGROUPS; i++) {
		if (!granted(&groups[i], p, caps))
			continue;
		for (const struct sc_rule *r = groups[i].rules; r->name; r++) {
			if (r->nr < 0 || r->nr >= NR_LIMIT || seen[r->nr])
				continue;
			seen[r->nr] = true;
			n++;
		}
	}
	return n;
}

static int
add_rule(scmp_filter_ctx ctx, const struct sc_rule *r)
{
	struct scmp_arg_cmp cmp[3] = {r->cmp[0], r->cmp[1], r->cmp[2]};
	if (r->self_arg0)
		cmp[0].datum_a = (scmp_datum_t)getpid();
	return seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr, r->nargs, cmp);
}

int
sandbox_seccomp_load(enum tnc_role role, unsigned caps)
{
	const struct role_manifest *p = manifest_role(role);
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int err = 0;

	if (!ctx)
		return TNC_ESANDBOX;
	/* All threads, should a library have started one. */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; i < NGROUPS && err == 0; i++) {
		if (!granted(&groups[i], p, caps))
			continue;
		for (const struct sc_rule *r = groups[i].rules; r->name && err == 0; r++) {
			if (r->nr < 0 || r->nr >= NR_LIMIT)
				err = TNC_ESANDBOX; /* not a syscall of this architecture */
			else
				err = add_rule(ctx, r);
		}
	}
	if (err == 0 && sandbox_role_syscalls(role, caps) == 0)
		err = TNC_EINVALID;
	if (err == 0)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	return err;
}
