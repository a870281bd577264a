/* os_policy.h - the [imv-os] policy: parsing its keys and checking
 * installed packages against blacklisted_packages and min_package_versions.
 *
 * Callers: main.c applies the keys before the sandbox (tncd checks them
 * first with os_policy_check(), supervisor/config_roles.c); os_state.c feeds
 * each installed package to os_policy_package() as it arrives (the PA
 * message views die with the message).  The judgement over all facts is in
 * os_verdict.h.  Pure: no I/O, no logging, no globals.
 */
#ifndef TNC_OS_POLICY_H
#define TNC_OS_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"
#include "wire.h"

#define OS_NAME_MAX 128     /* a package name or version as shown (cut to fit) */
#define OS_FINDINGS_MAX 32  /* findings kept with details; the rest are counted */
#define OS_SEGMENT_DEFAULT 65466

/* What an unknown operating system gets (unknown_product). */
enum os_unknown_action {
	OS_UNKNOWN_ALLOW,
	OS_UNKNOWN_ISOLATE,
	OS_UNKNOWN_BLOCK, /* IMV_REC_NO_ACCESS */
};

struct os_min_version {
	char *name;    /* owns the entry; version points into it */
	char *version;
};

/* The [imv-os] settings; every string is owned by the policy. */
struct os_policy {
	char **products;   /* "name version", or a prefix ending in '*' */
	size_t nproducts;
	enum os_unknown_action unknown_product;
	char **blacklist;  /* sorted */
	size_t nblacklist;
	struct os_min_version *min; /* sorted by name */
	size_t nmin;
	char *remediation_uri; /* "" = none */
	uint32_t max_segment_size;
};

/* The built-in defaults: every product known, unknown_product isolate, no
 * package rules, no URI, segments of OS_SEGMENT_DEFAULT bytes. */
void os_policy_init(struct os_policy *p);
void os_policy_clear(struct os_policy *p);
/* Applies one [imv-os] key.  Returns NULL when applied, "" when the key is
 * not a policy key (ignored), else a static text saying what is wrong. */
const char *os_policy_set(struct os_policy *p, const char *key, const char *value);
/* What os_policy_set() would say of one key on the defaults, without
 * keeping it: tncd checks [imv-os] values with the parser tnc-imv-os uses. */
const char *os_policy_check(const char *key, const char *value);

/* Whether product ("name version") is in allowed_products: an entry equal
 * to it, or an entry "prefix*" it starts with; true when the list is empty. */
bool os_policy_product_allowed(const struct os_policy *p, const char *product);

enum os_finding_kind {
	OS_FINDING_PRODUCT,          /* not in allowed_products (or not reported) */
	OS_FINDING_FORWARDING,       /* IPv4 forwarding enabled */
	OS_FINDING_DEFAULT_PASSWORD, /* factory default password enabled */
	OS_FINDING_BLACKLISTED,      /* a blacklisted package is installed */
	OS_FINDING_OUTDATED,         /* a package below its minimum version */
};

struct os_finding {
	enum os_finding_kind kind;
	char name[OS_NAME_MAX];    /* package */
	char version[OS_NAME_MAX]; /* installed version */
	char wanted[OS_NAME_MAX];  /* minimum version */
};

struct os_findings {
	struct os_finding item[OS_FINDINGS_MAX];
	unsigned n;       /* kept in item[] */
	unsigned dropped; /* more of them, not kept */
};

/* Installed packages, summed over every IETF Installed Packages attribute. */
struct os_packages {
	uint32_t total, blacklisted, outdated, ok, unknown;
	struct os_findings findings; /* blacklisted and outdated ones */
};

/* Checks one installed package (name, version as received) and counts it:
 * blacklisted, outdated (below its min_package_versions entry), ok (at or
 * above it) or unknown (no rule names it). */
void os_policy_package(const struct os_policy *p, struct bytes name, struct bytes version,
    struct os_packages *sum);

/* The minimum version min_package_versions sets for a package, or NULL. */
const char *os_policy_min_version(const struct os_policy *p, struct bytes name);

/* A view as a C string of printable ASCII (anything else becomes '?'), cut
 * to fit size (> 0); true when all of it fit. */
bool os_policy_copy_text(char *dst, size_t size, struct bytes b);

#endif
