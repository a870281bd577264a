/* os_version.h - Debian's order of package versions (deb-version(7)), as
 * `dpkg --compare-versions` applies it.  Pure; no allocation.
 */
#ifndef TNC_OS_VERSION_H
#define TNC_OS_VERSION_H

#include "wire.h"

/* [epoch:]upstream[-revision]: the epoch (digits before the first ':',
 * missing = 0) compares as a number; then upstream (up to the last '-'),
 * then the revision (after it; missing = empty), each in alternating runs
 * of non-digits and digits.  In a non-digit run '~' sorts before everything,
 * even the end of the run, then the end, then letters, then the other
 * characters; digit runs compare as numbers of any length.  So
 * "1.0~rc1" < "1.0" < "1.0+dfsg-1" and "1.0-1" < "1.0a-1".
 * Returns <0, 0 or >0 as a is older, equal or newer than b. */
int os_version_cmp(struct bytes a, struct bytes b);

/* NULL when dpkg accepts v as a version, else why it does not (static
 * text): empty, a space, an epoch that is empty or not a number, nothing
 * after the colon, an empty revision. */
const char *os_version_check(struct bytes v);

#endif
