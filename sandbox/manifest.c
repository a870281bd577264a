/* manifest.c - the privilege manifest (see manifest.h): every privilege a
 * process has is listed here with the reason it needs it. */
#include "manifest.h"

#include <string.h>

#define MiB (1024ull * 1024ull)

static const struct role_manifest roles[ROLE_COUNT] = {
	[ROLE_TNCD] = {
		.role = ROLE_TNCD, .name = "tncd", .section = "daemon", .slot = 0,
		.default_uid = 0, .profile = PROFILE_NONE,
		.peer = ROLE_TNCD,
		.why = "supervisor: spawns, sandboxes, wires and restarts; never parses network bytes",
	},
	[ROLE_IKE] = {
		.role = ROLE_IKE, .name = "tnc-ike", .section = "ike", .slot = 1,
		.default_uid = 64701, .profile = PROFILE_IKE,
		.rlimit_nofile = 4096,          /* one socket per PT-TLS client */
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 0,              /* writes no files */
		.peer = ROLE_TNCCS,
		.why = "network-facing: IKEv2/EAP and PT-TLS parsing on sockets tncd binds",
	},
	[ROLE_TNCCS] = {
		.role = ROLE_TNCCS, .name = "tnc-tnccs", .section = "tnccs", .slot = 2,
		.default_uid = 64702, .profile = PROFILE_TNCCS,
		.rlimit_nofile = 64,            /* channels to tncd, ike and each IMV */
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 0,
		.peer = ROLE_TNCD,
		.why = "PB-TNC state machine; routes PA-TNC messages between ike and the IMVs",
	},
	[ROLE_IMV_OS] = {
		.role = ROLE_IMV_OS, .name = "tnc-imv-os", .section = "imv-os", .slot = 10,
		.default_uid = 64710, .profile = PROFILE_IMV,
		.rlimit_nofile = 32,
		.rlimit_as = 512 * MiB,
		.rlimit_fsize = 64 * MiB,       /* its own state files only */
		.peer = ROLE_TNCCS,
		.why = "judges operating system evidence; sees only PA-TNC messages",
	},
	[ROLE_IMV_SWIMA] = {
		.role = ROLE_IMV_SWIMA, .name = "tnc-imv-swima", .section = "imv-swima", .slot = 11,
		.default_uid = 64711, .profile = PROFILE_IMV,
		.rlimit_nofile = 32,
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 256 * MiB,
		.peer = ROLE_TNCCS,
		.why = "judges software inventories (RFC 8412); parses SWID tags",
	},
	[ROLE_IMV_ATTEST] = {
		.role = ROLE_IMV_ATTEST, .name = "tnc-imv-attest", .section = "imv-attest", .slot = 12,
		.default_uid = 64712, .profile = PROFILE_IMV,
		.rlimit_nofile = 32,
		.rlimit_as = 1024 * MiB,
		.rlimit_fsize = 256 * MiB,
		.peer = ROLE_TNCCS,
		.why = "verifies TPM quotes, event logs and IMA lists; the riskiest parser",
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

const char *
sandbox_profile_name(enum sandbox_profile p)
{
	switch (p) {
	case PROFILE_NONE: return "none";
	case PROFILE_IKE: return "ike";
	case PROFILE_TNCCS: return "tnccs";
	case PROFILE_IMV: return "imv";
	}
	return "?";
}

bool
manifest_are_peers(enum tnc_role a, enum tnc_role b)
{
	if (a == ROLE_TNCD || b == ROLE_TNCD || a == b)
		return false;
	return roles[a].peer == b || roles[b].peer == a;
}
