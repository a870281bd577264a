/* pkg_verdict.h - what an installed package version means against the
 * releases the policy database holds for its product, in dpkg's version
 * order (imv-os/os_version.h).  Pure; no SQL, no allocation. */
#ifndef TNC_PKG_VERDICT_H
#define TNC_PKG_VERDICT_H

#include "policy_store.h"

enum pkg_verdict {
	PKG_UNKNOWN,     /* no row for the package (or only empty releases) */
	PKG_OK,          /* the installed release is known, or newer than all known */
	PKG_OUTDATED,    /* a newer release exists, none of them a security update */
	PKG_VULNERABLE,  /* a newer release is a security update */
	PKG_BLACKLISTED, /* the package, or this very release, is blacklisted */
};

enum pkg_verdict pkg_verdict(const struct ps_package *p, const char *installed);
const char *pkg_verdict_name(enum pkg_verdict v); /* "ok", "outdated", ... */

#endif
