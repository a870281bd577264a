/* manifest.h - the manifest: one row per process role, the one source of
 * truth for the process graph and every privilege.
 *
 * An auditor reads sandbox/manifest.c: which binary, which log slot, which
 * default ids, what kind of process, which capabilities (they choose its
 * seccomp groups; some only under a configuration that needs them), which
 * rlimits, which peers it gets a direct channel to, in which stage it
 * stops, and for an IMV its IMV ID and the PA message types it may
 * receive.  tncd spawns, wires and stops from it; tnccs assigns IMV IDs and
 * subscriptions from it; every child enforces its own row in
 * sandbox_enter().  Adding a role is one enum value, one row and its folder.
 */
#ifndef TNC_MANIFEST_H
#define TNC_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

enum tnc_role {
	ROLE_TNCD,
	ROLE_IKE,
	ROLE_TNCCS,
	ROLE_IMV_OS,
	ROLE_IMV_SWIMA,
	ROLE_IMV_ATTEST,
	ROLE_POLICY,
	ROLE_XFRM,
	ROLE_COUNT
};

#define ROLE_BIT(r) (1u << (r))

/* What a process is; also which end of an IPC channel it is (child.c maps
 * a kind to its IPC_END_*). */
enum role_kind {
	KIND_SUPERVISOR, /* tncd: spawns, wires, restarts; confined by the unit */
	KIND_NETWORK,    /* parses network bytes (TLS, PT-TLS, later IKE) */
	KIND_TNCCS,      /* the PB-TNC state machine */
	KIND_IMV,        /* judges evidence; sees PA-TNC messages only */
	KIND_POLICY,     /* the one writer of the policy database on the session path */
	KIND_XFRM,       /* installs the kernel IPsec SAs and policies tnc-ike asks for */
};

/* Capabilities beyond the base every child has (one libuv loop, its IPC
 * channels, its log pipe, memory, time).  Each grants seccomp groups
 * (sandbox_seccomp.c); a role without a capability has none of its
 * syscalls. */
#define RCAP_NET_ACCEPT 0x01  /* accept TCP connections on listeners tncd hands over */
#define RCAP_STATE_FILES 0x02 /* open, read, write, lock, sync and remove files in its
                               * state directory (its chroot): a SQLite database in WAL mode */
#define RCAP_DB_CLIENT 0x04   /* make TCP connections of its own: a database server's client */
#define RCAP_NET_ADMIN 0x08   /* keeps the kernel capability CAP_NET_ADMIN (effective and
                               * permitted, never in the bounding set) for XFRM requests on
                               * the netlink socket it opened before the sandbox; no syscall
                               * beyond the base (sendmsg, recvmsg) */

/* A capability a role holds only when its configuration asks for it: the
 * value of key in the role's section begins with one of the
 * space-separated prefixes.  tncd decides it from its configuration and
 * tells the child in CONFIG (config_role_caps()); a child can hold no
 * capability that neither its row nor one of its conditions names. */
struct cap_condition {
	unsigned cap;         /* one RCAP_* */
	const char *key;      /* "database" */
	const char *prefixes; /* "postgresql:// postgres://" */
	const char *why;      /* one line for the auditor */
};

/* A PA message type an IMV receives (RFC 5793 PB-PA vendor and subtype). */
struct pa_subscription {
	uint32_t vendor;  /* 0xffffff = any vendor */
	uint32_t subtype; /* 0xff = any subtype */
};

struct role_manifest {
	enum tnc_role role;
	const char *name;       /* process and binary name, "tnc-imv-os" */
	const char *section;    /* config section and short name, "imv-os" */
	uint8_t slot;           /* NN of its log lines */
	/* The config naming no user, a child runs as the system user named like
	 * the process ("tnc-ike", made by sysusers.d/tnc.conf) when it exists,
	 * else as default_uid (gid equal): a fallback above 65535, outside
	 * every range Debian (0-99, 60000-64999, 65000-65535) or systemd
	 * (dynamic users 61184-65519, containers from 524288) reserves. */
	uid_t default_uid;
	enum role_kind kind;
	unsigned caps;          /* RCAP_* it always holds */
	const struct cap_condition *cond_caps; /* RCAP_* it holds when its configuration asks */
	unsigned ncond_caps;
	uint32_t peers;         /* ROLE_BIT()s of the roles it gets a direct channel to */
	uint8_t stop_stage;     /* shutdown stops stage 0 first, then 1, ... */
	uint32_t rlimit_nofile; /* open descriptors */
	uint64_t rlimit_as;     /* address space, bytes (not applied under ASan) */
	uint64_t rlimit_fsize;  /* largest file it may write, bytes */
	/* KIND_IMV only: assigned by tnccs, never chosen by the IMV. */
	uint16_t imv_id;        /* IF-IMV IMV ID */
	const char *imv_name;   /* "OS" */
	const struct pa_subscription *subs;
	unsigned nsubs;
	const char *why;        /* one line for the auditor */
	/* A role that runs only when another role's key is "yes" ("ike",
	 * "ikev2"): tncd does not start it otherwise, whatever its "enabled". */
	const char *needs_section, *needs_key;
};

#define MANIFEST_STOP_STAGES 4

const struct role_manifest *manifest_role(enum tnc_role role);
/* By process name ("tnc-imv-os") or section ("imv-os"); NULL when unknown. */
const struct role_manifest *manifest_find(const char *name);
/* The IMV role with this IMV ID; NULL when none. */
const struct role_manifest *manifest_find_imv(uint16_t imv_id);
const char *manifest_kind_name(enum role_kind kind);
/* The capability names joined by "," ("accept"), or "none", into buf. */
const char *manifest_caps_text(unsigned caps, char *buf, size_t size);
/* Whether value (of the condition's key) meets the condition. */
bool manifest_cap_condition_met(const struct cap_condition *c, const char *value);
/* The condition of m that grants cap, or NULL when none does. */
const struct cap_condition *manifest_cap_condition(const struct role_manifest *m, unsigned cap);
/* Whether caps is what m may hold under some configuration: every
 * capability of its row, and others only where a condition names them. */
bool manifest_caps_allowed(const struct role_manifest *m, unsigned caps);

/* True when a and b get a direct channel: either row lists the other. */
bool manifest_are_peers(enum tnc_role a, enum tnc_role b);
/* The IPC_END_* a role is at on its channels (from its kind). */
unsigned manifest_ipc_end(enum tnc_role role);
/* Whether an IMV role may receive PA messages of (vendor, subtype). */
bool manifest_imv_wants(const struct role_manifest *m, uint32_t vendor, uint32_t subtype);

#endif
