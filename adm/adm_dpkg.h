/* adm_dpkg.h - the package versions of a dpkg status file (installed
 * packages only) or a Debian Packages file (every stanza). */
#ifndef TNC_ADM_DPKG_H
#define TNC_ADM_DPKG_H

#include <stddef.h>

#include "policy_admin.h"

#define ADM_DPKG_MAX_PACKAGES 1000000
#define ADM_DPKG_MAX_LINE 65536

struct adm_dpkg {
	struct ps_package_version *v; /* name and version strings owned here */
	size_t n;
	size_t stanzas; /* read, including those not installed */
};

/* Reads path; 0, or -1 with the reason (file:line: what) in err. */
int adm_dpkg_read(const char *path, struct adm_dpkg *ret, char *err, size_t errlen);
void adm_dpkg_clear(struct adm_dpkg *d);

#endif
