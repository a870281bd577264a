/* manifest.c - the manifest (see manifest.h): every process, its place in
 * the process graph and every privilege it has, with the reason. */
#include "manifest.h"

#include <stdio.h>
#include <string.h>

#include "bit_names.h"
#include "ipc_frame.h"

#define MiB (1024ull * 1024ull)

/* PA message vendors and subtypes (RFC 5792 3.1, TCG PTS binding). */
#define VENDOR_IETF 0x000000
#define VENDOR_TCG 0x005597
#define SUBTYPE_IETF_OS 1
#define SUBTYPE_IETF_SWIMA 9
#define SUBTYPE_TCG_PTS 1

static const struct pa_subscription os_subs[] = {
	{VENDOR_IETF, SUBTYPE_IETF_OS},
};
/* SWIMA and Attestation also read the OS attributes (product, device ID),
 * as in strongSwan: these IMVs receive those messages too. */
static const struct pa_subscription swima_subs[] = {
	{VENDOR_IETF, SUBTYPE_IETF_SWIMA},
	{VENDOR_IETF, SUBTYPE_IETF_OS},
};
static const struct pa_subscription attest_subs[] = {
	{VENDOR_TCG, SUBTYPE_TCG_PTS},
	{VENDOR_IETF, SUBTYPE_IETF_OS},
};

#define NELEMS(a) (sizeof(a) / sizeof((a)[0]))

/* tnc-policy on a PostgreSQL database (a URI; a SQLite file needs only
 * state-files).  The host is resolved and the password read before the
 * sandbox; the socket cannot be made then and handed in, as libpq makes a
 * new one each time it reconnects after the server went away. */
static const struct cap_condition policy_cond_caps[] = {
	{RCAP_DB_CLIENT, "database", "postgresql:// postgres://",
	    "libpq's TCP connection to the database server, made again after the server went away"},
};

#define IMVS (ROLE_BIT(ROLE_IMV_OS) | ROLE_BIT(ROLE_IMV_SWIMA) | ROLE_BIT(ROLE_IMV_ATTEST))

static const struct role_manifest roles[ROLE_COUNT] = {
	[ROLE_TNCD] = {
		.role = ROLE_TNCD, .name = "tncd", .section = "daemon", .slot = 0,
		.default_uid = 0, .kind = KIND_SUPERVISOR,
		.why = "supervisor: spawns, sandboxes, wires and restarts; never parses network bytes",
	},
	[ROLE_IKE] = {
		.role = ROLE_IKE, .name = "tnc-ike", .section = "ike", .slot = 1,
		.default_uid = 70701, .kind = KIND_NETWORK,
		.caps = RCAP_NET_ACCEPT,        /* PT-TLS clients on the listener tncd bound */
		.peers = ROLE_BIT(ROLE_TNCCS),
		.stop_stage = 0,                /* no new sessions first */
		.rlimit_nofile = 4096,          /* one socket per PT-TLS client */
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 0,              /* writes no files */
		.why = "network-facing: IKEv2/EAP and PT-TLS parsing on sockets tncd binds",
	},
	[ROLE_TNCCS] = {
		.role = ROLE_TNCCS, .name = "tnc-tnccs", .section = "tnccs", .slot = 2,
		.default_uid = 70702, .kind = KIND_TNCCS,
		.peers = ROLE_BIT(ROLE_IKE) | IMVS,
		.stop_stage = 1,
		.rlimit_nofile = 64,            /* channels to tncd, ike and each IMV */
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 0,
		.why = "PB-TNC state machine; routes PA-TNC messages between ike and the IMVs",
	},
	[ROLE_IMV_OS] = {
		.role = ROLE_IMV_OS, .name = "tnc-imv-os", .section = "imv-os", .slot = 10,
		.default_uid = 70710, .kind = KIND_IMV,
		.peers = ROLE_BIT(ROLE_TNCCS),
		.stop_stage = 2,
		.rlimit_nofile = 32,
		.rlimit_as = 512 * MiB,
		.rlimit_fsize = 0,              /* opens no file */
		.imv_id = 1, .imv_name = "OS", .subs = os_subs, .nsubs = NELEMS(os_subs),
		.why = "judges operating system evidence; sees only PA-TNC messages",
	},
	[ROLE_IMV_SWIMA] = {
		.role = ROLE_IMV_SWIMA, .name = "tnc-imv-swima", .section = "imv-swima", .slot = 11,
		.default_uid = 70711, .kind = KIND_IMV,
		.peers = ROLE_BIT(ROLE_TNCCS),
		.stop_stage = 2,
		.rlimit_nofile = 32,
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 0,
		.imv_id = 2, .imv_name = "SWIMA", .subs = swima_subs, .nsubs = NELEMS(swima_subs),
		.why = "judges software inventories (RFC 8412); parses SWID tags",
	},
	[ROLE_IMV_ATTEST] = {
		.role = ROLE_IMV_ATTEST, .name = "tnc-imv-attest", .section = "imv-attest", .slot = 12,
		.default_uid = 70712, .kind = KIND_IMV,
		.peers = ROLE_BIT(ROLE_TNCCS),
		.stop_stage = 2,
		.rlimit_nofile = 32,
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 0,
		.imv_id = 3, .imv_name = "Attestation", .subs = attest_subs,
		.nsubs = NELEMS(attest_subs),
		.why = "verifies TPM quotes, event logs and IMA lists; the riskiest parser",
	},
	[ROLE_POLICY] = {
		.role = ROLE_POLICY, .name = "tnc-policy", .section = "policy", .slot = 3,
		.default_uid = 70703, .kind = KIND_POLICY,
		.caps = RCAP_STATE_FILES,       /* the database in its state directory */
		.cond_caps = policy_cond_caps, .ncond_caps = NELEMS(policy_cond_caps),
		.peers = ROLE_BIT(ROLE_TNCCS) | IMVS,
		.stop_stage = 3,                /* after the IMVs: the last sessions are recorded */
		.rlimit_nofile = 32,            /* channels, the database, its WAL and shm files */
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 16384 * MiB,    /* the database and its write-ahead log */
		.why = "the only process that opens the policy database: records sessions and devices",
	},
	[ROLE_XFRM] = {
		.role = ROLE_XFRM, .name = "tnc-xfrm", .section = "xfrm", .slot = 4,
		.default_uid = 70704, .kind = KIND_XFRM,
		.caps = RCAP_NET_ADMIN,         /* XFRM netlink requests need it at each send */
		.peers = ROLE_BIT(ROLE_IKE),    /* requests from tnc-ike only */
		.stop_stage = 1,                /* after ike: then it removes what it installed */
		.rlimit_nofile = 16,            /* channels to tncd and ike, the netlink socket */
		.rlimit_as = 256 * MiB,
		.rlimit_fsize = 0,              /* opens no file */
		.why = "the only process with CAP_NET_ADMIN: installs and removes the kernel IPsec "
		    "SAs and policies tnc-ike negotiated, each request checked",
		.needs_section = "ike", .needs_key = "ikev2",
	},
};

const struct role_manifest *
manifest_role(enum tnc_role role)
{
	return (unsigned)role < ROLE_COUNT ? &roles[role] : NULL;
}

const struct role_manifest *
manifest_find(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (strcmp(roles[i].name, name) == 0 || strcmp(roles[i].section, name) == 0)
			return &roles[i];
	return NULL;
}

const struct role_manifest *
manifest_find_imv(uint16_t imv_id)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (roles[i].kind == KIND_IMV && roles[i].imv_id == imv_id)
			return &roles[i];
	return NULL;
}

const char *
manifest_kind_name(enum role_kind kind)
{
	switch (kind) {
	case KIND_SUPERVISOR: return "supervisor";
	case KIND_NETWORK: return "network";
	case KIND_TNCCS: return "tnccs";
	case KIND_IMV: return "imv";
	case KIND_POLICY: return "policy";
	case KIND_XFRM: return "xfrm";
	}
	return "?";
}

const char *
manifest_caps_text(unsigned caps, char *buf, size_t size)
{
	static const struct bit_name names[] = {
		{RCAP_NET_ACCEPT, "accept"},
		{RCAP_STATE_FILES, "state-files"},
		{RCAP_DB_CLIENT, "db-client"},
		{RCAP_NET_ADMIN, "net-admin"},
	};
	bit_names_join(names, sizeof(names) / sizeof(names[0]), caps, ",", buf, size);
	if (!buf[0])
		snprintf(buf, size, "none");
	return buf;
}

bool
manifest_cap_condition_met(const struct cap_condition *c, const char *value)
{
	const char *p = c->prefixes;
	while (*(p += strspn(p, " "))) {
		size_t len = strcspn(p, " ");
		if (strncmp(value, p, len) == 0)
			return true;
		p += len;
	}
	return false;
}

const struct cap_condition *
manifest_cap_condition(const struct role_manifest *m, unsigned cap)
{
	for (unsigned i = 0; i < m->ncond_caps; i++)
		if (m->cond_caps[i].cap == cap)
			return &m->cond_caps[i];
	return NULL;
}

bool
manifest_caps_allowed(const struct role_manifest *m, unsigned caps)
{
	unsigned may = m->caps;
	for (unsigned i = 0; i < m->ncond_caps; i++)
		may |= m->cond_caps[i].cap;
	return (caps & m->caps) == m->caps && (caps & ~may) == 0;
}

bool
manifest_are_peers(enum tnc_role a, enum tnc_role b)
{
	if ((unsigned)a >= ROLE_COUNT || (unsigned)b >= ROLE_COUNT || a == b ||
	    a == ROLE_TNCD || b == ROLE_TNCD)
		return false;
	return (roles[a].peers & ROLE_BIT(b)) || (roles[b].peers & ROLE_BIT(a));
}

bool
manifest_imv_wants(const struct role_manifest *m, uint32_t vendor, uint32_t subtype)
{
	for (unsigned i = 0; i < m->nsubs; i++)
		if ((m->subs[i].vendor == 0xffffff || m->subs[i].vendor == vendor) &&
		    (m->subs[i].subtype == 0xff || m->subs[i].subtype == subtype))
			return true;
	return false;
}

unsigned
manifest_ipc_end(enum tnc_role role)
{
	switch (manifest_role(role) ? manifest_role(role)->kind : KIND_SUPERVISOR) {
	case KIND_NETWORK: return IPC_END_IKE;
	case KIND_TNCCS: return IPC_END_TNCCS;
	case KIND_IMV: return IPC_END_IMV;
	case KIND_POLICY: return IPC_END_POLICY;
	case KIND_XFRM: return IPC_END_XFRM;
	case KIND_SUPERVISOR: break;
	}
	return IPC_END_TNCD;
}
