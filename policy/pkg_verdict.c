/* pkg_verdict.c - an installed version against the known releases (see
 * pkg_verdict.h). */
#include "pkg_verdict.h"

#include <string.h>

#include "os_version.h"

/* policy-package-verdicts carries these values (ipc_msg.h) */
_Static_assert(PKG_BLACKLISTED == IPC_PKG_VERDICT_LAST, "verdicts on the wire");

static struct bytes
as_bytes(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

enum pkg_verdict
pkg_verdict(const struct ps_package *p, const char *installed)
{
	if (!p->known)
		return PKG_UNKNOWN;
	if (p->blacklist)
		return PKG_BLACKLISTED;
	struct bytes have = as_bytes(installed);
	bool any = false, newer = false, newer_security = false;
	for (size_t i = 0; i < p->nreleases; i++) {
		const struct ps_release *r = &p->releases[i];
		if (!r->release[0])
			continue; /* "any release": says the package is known, nothing more */
		any = true;
		/* the same text is the same version: most installed packages are
		 * at a known release, and dpkg's order needs no parsing for them */
		int cmp = strcmp(r->release, installed) == 0 ? 0 :
		    os_version_cmp(as_bytes(r->release), have);
		if (cmp == 0 && r->blacklist)
			return PKG_BLACKLISTED;
		if (cmp > 0) {
			newer = true;
			newer_security |= r->security;
		}
	}
	if (!any)
		return PKG_UNKNOWN;
	return newer_security ? PKG_VULNERABLE : newer ? PKG_OUTDATED : PKG_OK;
}

const char *
pkg_verdict_name(enum pkg_verdict v)
{
	static const char *const names[] = {"unknown", "ok", "outdated", "vulnerable",
	    "blacklisted"};
	return v <= PKG_BLACKLISTED ? names[v] : "?";
}
