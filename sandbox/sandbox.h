/* sandbox.h - a child confines itself, in a fixed order, before it reads
 * any untrusted byte.
 *
 * Order (each step fatal on failure): no core dumps / not dumpable; when
 * root: chroot into the state directory, drop supplementary groups, set
 * gid/uid, clear every capability set including the bounding set; when not
 * root: chdir into the state directory and verify no capability is held;
 * rlimits; no_new_privs; the seccomp allowlist of the role (its capabilities), whose
 * default action kills the process.  The capabilities are the ones tncd
 * decided for this configuration (manifest.h, struct cap_condition).
 */
#ifndef TNC_SANDBOX_H
#define TNC_SANDBOX_H

#include <stdbool.h>
#include <sys/types.h>

#include "err.h"
#include "manifest.h"

struct sandbox_params {
	uid_t uid;             /* target ids; ignored when not started as root */
	gid_t gid;
	const char *state_dir; /* chroot target (root) or working directory */
	unsigned caps;         /* RCAP_*: the row's, and those of its conditions the
	                        * configuration meets; anything else is refused */
};

struct sandbox_report {
	uid_t uid, gid;
	bool chrooted;
	unsigned seccomp_syscalls; /* syscalls on the allowlist */
};

int sandbox_enter(enum tnc_role role, const struct sandbox_params *p,
    struct sandbox_report *ret) TNC_MUST_CHECK;

/* How many syscalls the allowlist of a role with these capabilities
 * grants (0 for tncd). */
unsigned sandbox_role_syscalls(enum tnc_role role, unsigned caps);

#endif
