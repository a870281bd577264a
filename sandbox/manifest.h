/* manifest.h - the privilege manifest: one row per process role.
 *
 * The single source of truth an auditor reads: which binary, which log slot,
 * which default ids, which seccomp profile, which rlimits, which peers it gets
 * a direct channel to.  Linked into tncd (which spawns and checks) and into
 * every child (which enforces its own row in sandbox_enter()).
 */
#ifndef TNC_MANIFEST_H
#define TNC_MANIFEST_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

enum tnc_role {
	ROLE_TNCD,
	ROLE_IKE,
	ROLE_TNCCS,
	ROLE_IMV_OS,
	ROLE_IMV_SWIMA,
	ROLE_IMV_ATTEST,
	ROLE_COUNT
};

/* Seccomp allowlists, one per kind of process (sandbox_seccomp.c). */
enum sandbox_profile {
	PROFILE_NONE,   /* tncd itself: confined by the systemd unit only */
	PROFILE_IKE,    /* network-facing: accepts on listeners handed over by tncd */
	PROFILE_TNCCS,  /* IPC only */
	PROFILE_IMV,    /* IPC only + files inside its own state directory */
};

struct role_manifest {
	enum tnc_role role;
	const char *name;       /* process and binary name, "tnc-imv-os" */
	const char *section;    /* config section and short name, "imv-os" */
	uint8_t slot;           /* NN of its log lines */
	uid_t default_uid;      /* used when the config names no user; gid equal */
	enum sandbox_profile profile;
	uint32_t rlimit_nofile; /* open descriptors */
	uint64_t rlimit_as;     /* address space, bytes (not applied under ASan) */
	uint64_t rlimit_fsize;  /* largest file it may write, bytes */
	enum tnc_role peer;     /* the role it talks to directly (ROLE_TNCD: none besides tncd) */
	const char *why;        /* one line for the auditor */
};

const struct role_manifest *manifest_role(enum tnc_role role);
/* By process name ("tnc-imv-os") or section ("imv-os"); NULL when unknown. */
const struct role_manifest *manifest_find(const char *name);
const char *sandbox_profile_name(enum sandbox_profile p);

/* True when a and b get a direct channel (ike<->tnccs, tnccs<->each IMV). */
bool manifest_are_peers(enum tnc_role a, enum tnc_role b);

#endif
