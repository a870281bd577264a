/* os_version.h - the order of package versions for min_package_versions.
 *
 * Deliberately simple and documented (etc/tncd.conf): full Debian version
 * comparison is out of scope.  Pure; no allocation.
 */
#ifndef TNC_OS_VERSION_H
#define TNC_OS_VERSION_H

#include "wire.h"

/* An optional numeric epoch "N:" first (missing = 0); then the rest in
 * alternating runs of non-digits, compared character by character with '~'
 * before the end of the string and the end before any other character
 * (others by byte value), and digits, compared as numbers of any length.
 * Close to dpkg for everyday versions ("1:2.38.1-5" > "2.40",
 * "3.0.11-1~deb12u2" < "3.0.11-1" < "3.0.11-1+b1" < "3.0.12"), but there is
 * no separate upstream/revision split and letters do not sort before other
 * symbols.  Returns <0, 0 or >0 as a is older, equal or newer than b. */
int os_version_cmp(struct bytes a, struct bytes b);

#endif
