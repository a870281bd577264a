/* sandbox.c - sandbox_enter(): a child confines itself in the fixed order of
 * sandbox.h, with the limits of its manifest row.
 *
 * Each step is checked and a failure returns at once (never exits): the
 * caller must not go on half confined.  Ids and capabilities are verified
 * after they change, not trusted.
 */
#include "sandbox.h"

#include <cap-ng.h>
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "sandbox_seccomp.h"

static int
compare_ints(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

/* What libc does lazily, once, with a system call no allowlist has: its
 * qsort() asks sysconf(_SC_PHYS_PAGES) (sysinfo) the first time it sorts
 * more than 1 KiB, which killed tnc-policy at its first large inventory. */
static void
prewarm_libc(void)
{
	int v[512];
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		v[i] = (int)(sizeof(v) / sizeof(v[0]) - i);
	qsort(v, sizeof(v) / sizeof(v[0]), sizeof(v[0]), compare_ints);
}

/* Sets soft and hard limit to value, or to the current hard limit when that
 * is lower: without CAP_SYS_RESOURCE a limit can only go down. */
static int
limit(int resource, rlim_t value)
{
	struct rlimit cur;

	if (getrlimit(resource, &cur) != 0)
		return -errno;
	if (value > cur.rlim_max)
		value = cur.rlim_max;
	cur.rlim_cur = cur.rlim_max = value;
	return setrlimit(resource, &cur) == 0 ? 0 : -errno;
}

/* No capability in the effective, permitted (hence ambient) and, when
 * bounding, the bounding set; except CAP_NET_ADMIN in the effective and
 * permitted sets, which a role with RCAP_NET_ADMIN must hold (and no other
 * may).  libcap-ng's copy of the sets is read from the kernel, then the
 * one expected capability taken out of the copy before it must be empty. */
static int
check_capabilities(bool bounding, bool net_admin)
{
	if (capng_get_caps_process() != 0)
		return TNC_ESANDBOX;
	if (net_admin) {
		if (capng_have_capability(CAPNG_EFFECTIVE, CAP_NET_ADMIN) != 1 ||
		    capng_have_capability(CAPNG_PERMITTED, CAP_NET_ADMIN) != 1)
			return TNC_ESANDBOX;
		capng_update(CAPNG_DROP, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN);
	}
	if (capng_have_capabilities(CAPNG_SELECT_CAPS) != CAPNG_NONE ||
	    capng_have_permitted_capabilities() != CAPNG_NONE)
		return TNC_ESANDBOX;
	if (bounding && capng_have_capabilities(CAPNG_SELECT_BOUNDS) != CAPNG_NONE)
		return TNC_ESANDBOX;
	return 0;
}

/* Started as root: chroot into the state directory, then become uid/gid
 * with no supplementary group and no capability left in any set, but
 * CAP_NET_ADMIN for a role with RCAP_NET_ADMIN (kept across the change of
 * ids; the bounding set is cleared all the same). */
static int
drop_root(const struct sandbox_params *p)
{
	uid_t ruid, euid, suid;
	gid_t rgid, egid, sgid;

	/* libcap-ng reads /proc/sys/kernel/cap_last_cap on first use: before
	 * the chroot hides /proc. */
	capng_clear(CAPNG_SELECT_ALL);
	if (p->caps & RCAP_NET_ADMIN)
		capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED, CAP_NET_ADMIN);
	if (chdir(p->state_dir) != 0 || chroot(".") != 0 || chdir("/") != 0)
		return -errno;
	if (capng_change_id((int)p->uid, (int)p->gid,
	    CAPNG_DROP_SUPP_GRP | CAPNG_CLEAR_BOUNDING | CAPNG_CLEAR_AMBIENT) != 0)
		return TNC_ESANDBOX;
	/* A change of ids resets dumpable to fs.suid_dumpable. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -errno;
	if (getresuid(&ruid, &euid, &suid) != 0 || getresgid(&rgid, &egid, &sgid) != 0)
		return -errno;
	if (ruid != p->uid || euid != p->uid || suid != p->uid ||
	    rgid != p->gid || egid != p->gid || sgid != p->gid || getgroups(0, NULL) != 0)
		return TNC_ESANDBOX;
	return check_capabilities(true, p->caps & RCAP_NET_ADMIN);
}

/* Started unprivileged: stay who we are, in the state directory.  A real or
 * saved uid 0 could become root again, so it is refused.  No capability
 * can be held, CAP_NET_ADMIN neither: the kernel refuses the requests of a
 * role with RCAP_NET_ADMIN (EPERM), and tnc-xfrm's start fails on it. */
static int
stay_unprivileged(const struct sandbox_params *p)
{
	uid_t ruid, euid, suid;

	if (getresuid(&ruid, &euid, &suid) != 0)
		return -errno;
	if (ruid == 0 || suid == 0)
		return TNC_ESANDBOX;
	if (chdir(p->state_dir) != 0)
		return -errno;
	return check_capabilities(false, false);
}

static int
apply_rlimits(const struct role_manifest *m)
{
	int err = limit(RLIMIT_NOFILE, m->rlimit_nofile);
	if (err == 0)
		err = limit(RLIMIT_FSIZE, m->rlimit_fsize);
	/* No new processes; only now, as root ignores it. */
	if (err == 0)
		err = limit(RLIMIT_NPROC, 0);
#ifndef TNC_SANITIZED
	/* ASan reserves terabytes of shadow address space up front. */
	if (err == 0)
		err = limit(RLIMIT_AS, m->rlimit_as);
#endif
	return err;
}

int
sandbox_enter(enum tnc_role role, const struct sandbox_params *p,
    struct sandbox_report *ret)
{
	const struct role_manifest *m = manifest_role(role);
	bool root = geteuid() == 0;
	struct sandbox_report rep;
	int err;

	if (!m || m->kind == KIND_SUPERVISOR || !p || !p->state_dir)
		return TNC_EINVALID;
	if (!manifest_caps_allowed(m, p->caps))
		return TNC_ESANDBOX;
	/* A sandbox that stays root is none; -1 means "unchanged" to setresuid. */
	if (root && (p->uid == 0 || p->gid == 0 || p->uid == (uid_t)-1 || p->gid == (gid_t)-1))
		return TNC_ESANDBOX;

	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return -errno;
	if ((err = limit(RLIMIT_CORE, 0)) != 0)
		return err;
	if ((err = root ? drop_root(p) : stay_unprivileged(p)) != 0)
		return err;
	if ((err = apply_rlimits(m)) != 0)
		return err;
	/* getuid() is not on any allowlist: ask now. */
	rep = (struct sandbox_report){
		.uid = getuid(),
		.gid = getgid(),
		.chrooted = root,
		.seccomp_syscalls = sandbox_role_syscalls(role, p->caps),
	};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	prewarm_libc();
	if ((err = sandbox_seccomp_load(role, p->caps)) != 0)
		return err;
	*ret = rep;
	return 0;
}
