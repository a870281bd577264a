/* sandbox_seccomp.c - the seccomp allowlists of the sandbox profiles.
 *
 * One table for the auditor: each group names the profiles it is granted to,
 * its syscalls (a few only with a fixed argument) and why.  Anything not
 * listed kills the whole process with SIGSYS.  Written for x86_64 syscall
 * names; on an architecture that lacks one, loading fails rather than run
 * with an unreviewed list.  Never granted to any profile: socket, socketpair,
 * connect, bind, listen, execve(at), ptrace, fork/vfork/clone(3),
 * process_vm_*, mount, set*id, chroot, kexec_*, bpf, perf_event_open,
 * keyctl, add_key, personality, io_uring_* (test_sandbox kills a sample).
 */
#include "sandbox_seccomp.h"

#include <fcntl.h>
#include <signal.h>
#include <seccomp.h>
#include <stdbool.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "sandbox.h"

#define IKE (1u << PROFILE_IKE)
#define TNCCS (1u << PROFILE_TNCCS)
#define IMV (1u << PROFILE_IMV)
#define ALL (IKE | TNCCS | IMV)

#define GROUP_MAX 8   /* rules per group */
#define NR_LIMIT 1024 /* above every native x86_64 syscall number */

struct sc_rule {
	const char *name;  /* NULL ends a group */
	int nr;
	unsigned nargs;    /* 0: any arguments; 1: only when cmp matches */
	struct scmp_arg_cmp cmp;
};

struct sc_group {
	unsigned profiles;
	const char *why;
	struct sc_rule rules[GROUP_MAX];
};

#define SC(x) {#x, SCMP_SYS(x), 0, {0, 0, 0, 0}}
/* Only when argument n equals v. */
#define SC_ARG(x, n, v) {#x, SCMP_SYS(x), 1, {(n), SCMP_CMP_EQ, (v), 0}}
/* Only when argument n has none of the bits in mask. */
#define SC_NOBITS(x, n, mask) {#x, SCMP_SYS(x), 1, {(n), SCMP_CMP_MASKED_EQ, (mask), 0}}

static const struct sc_group groups[] = {
	/* Every child: one libuv loop, IPC channels to tncd and peers, a log pipe. */
	{ALL, "libuv's event loop: epoll is its Linux backend",
	    {SC(epoll_wait), SC(epoll_pwait), SC(epoll_ctl)}},
	{ALL, "bytes on descriptors it holds: IPC channels, log pipe (fd 4), libuv's signal pipe",
	    {SC(read), SC(readv), SC(write), SC(writev)}},
	{ALL, "IPC frames, some carrying a descriptor (SCM_RIGHTS), on the AF_UNIX channels",
	    {SC(recvmsg), SC(sendmsg)}},
	{ALL, "uv_pipe_pending_type() asks a received descriptor what it is (uv_guess_handle)",
	    {SC_ARG(ioctl, 1, TCGETS), SC(newfstatat), SC(getsockname), SC(getsockopt)}},
	{ALL, "closing channels and handles",
	    {SC(close)}},
	{ALL, "libuv: O_NONBLOCK by ioctl, FD_CLOEXEC by fcntl, the access mode in uv_pipe_open()",
	    {SC_ARG(ioctl, 1, FIONBIO), SC_ARG(fcntl, 1, F_SETFD), SC_ARG(fcntl, 1, F_GETFL)}},
	{ALL, "time for timers; usually the vDSO answers without entering the kernel",
	    {SC(clock_gettime), SC(clock_getres), SC(clock_nanosleep), SC(nanosleep)}},
	{ALL, "memory for malloc, never executable (W^X: no PROT_EXEC)",
	    {SC(brk), SC_NOBITS(mmap, 2, PROT_EXEC), SC_NOBITS(mprotect, 2, PROT_EXEC),
	    SC(munmap), SC(mremap), SC(madvise)}},
	{ALL, "locks inside glibc, OpenSSL and libsodium",
	    {SC(futex)}},
	{ALL, "libuv's signal watchers; returning from handlers, restarting interrupted calls",
	    {SC(rt_sigaction), SC(rt_sigprocmask), SC(rt_sigreturn), SC(restart_syscall)}},
	{ALL, "its own process id for log lines and libuv",
	    {SC(getpid), SC(gettid)}},
	{ALL, "seeding the generators of OpenSSL and libsodium",
	    {SC(getrandom)}},
	{ALL, "leaving",
	    {SC(exit), SC(exit_group)}},
	{ALL, "abort() and failed checks raise SIGABRT, so tncd reports an abort and not a "
	    "seccomp kill; the child's own uid limits the target to itself",
	    {SC_ARG(tgkill, 2, SIGABRT)}},

	/* tnc-ike: network-facing, only on sockets tncd bound and handed over. */
	{IKE, "accepting PT-TLS clients on the TCP listener from tncd",
	    {SC(accept4)}},
	{IKE, "IKE datagrams on the UDP 500/4500 sockets from tncd (libuv batches with *mmsg)",
	    {SC(sendto), SC(recvfrom), SC(sendmmsg), SC(recvmmsg)}},
	{IKE, "per-connection options, peer address for logs and policy, orderly TLS close",
	    {SC(setsockopt), SC(getpeername), SC(shutdown)}},

	/* IMVs: their state files; the chroot (= state directory) bounds every path. */
	{IMV, "opening, creating and replacing its state files",
	    {SC(openat), SC(rename), SC(unlink), SC(mkdir)}},
	{IMV, "reading and writing them durably",
	    {SC(pread64), SC(pwrite64), SC(lseek), SC(ftruncate), SC(fsync), SC(fdatasync)}},
	{IMV, "listing its directories",
	    {SC(getdents64)}},

#ifdef TNC_SANITIZED
	/* ASan+UBSan builds only: what the sanitizer runtime does in normal
	 * operation (LeakSanitizer is off in sandboxed children; an error report
	 * prints its first lines, then dies opening /proc/self/maps). */
	{ALL, "ASan checks the alternate signal stack before exit() and other no-return calls",
	    {SC(sigaltstack)}},
#endif
};

#define NGROUPS (sizeof(groups) / sizeof(groups[0]))

static bool
granted(const struct sc_group *g, enum sandbox_profile p)
{
	return p != PROFILE_NONE && (g->profiles & (1u << p));
}

unsigned
sandbox_profile_syscalls(enum sandbox_profile p)
{
	bool seen[NR_LIMIT] = {false};
	unsigned n = 0;

	for (size_t i = 0; i < NGROUPS; i++) {
		if (!granted(&groups[i], p))
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

int
sandbox_seccomp_load(enum sandbox_profile p)
{
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_KILL_PROCESS);
	int err = 0;

	if (!ctx)
		return TNC_ESANDBOX;
	/* All threads, should a library have started one. */
	err = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_TSYNC, 1);
	for (size_t i = 0; i < NGROUPS && err == 0; i++) {
		if (!granted(&groups[i], p))
			continue;
		for (const struct sc_rule *r = groups[i].rules; r->name && err == 0; r++) {
			if (r->nr < 0 || r->nr >= NR_LIMIT)
				err = TNC_ESANDBOX; /* not a syscall of this architecture */
			else
				err = seccomp_rule_add_array(ctx, SCMP_ACT_ALLOW, r->nr, r->nargs,
				    &r->cmp);
		}
	}
	if (err == 0 && sandbox_profile_syscalls(p) == 0)
		err = TNC_EINVALID;
	if (err == 0)
		err = seccomp_load(ctx);
	seccomp_release(ctx);
	return err;
}
