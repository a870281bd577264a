/* swima_names.h - what a Software Identifier says of its software.
 *
 * strongSwan's SWIMA IMC (and tncclient's, client/sw_inventory.h) names a
 * dpkg package "<regid>__<product>_<OS version>-<package>-<version>", with
 * the blanks of the OS version as '-', those of the product as '_', and
 * every ':' and '+' of package and version as '~'.  The IMV knows product
 * and OS version from the Operating System messages, so it can cut the
 * package and version back out for the software database's verdicts
 * (forbidden and required packages, vulnerable versions):
 *
 *   debian.org__Debian_12-x86_64-libstdc~~6-12.2.0-14~deb12u1
 *   -> regid debian.org, package libstdc++6, version 12.2.0-14~deb12u1
 *
 * A package name has no '~' (Debian policy 5.6.1), so its '~' were '+';
 * a version's '~' stays as it is (':' '+' and '~' cannot be told apart).
 * Where package and version meet is the first "-<digit>" after which at
 * most one '-' follows (a version with a Debian revision has one): this is
 * wrong only for a native package whose name has "-<digit>" in it.
 * Pure: no I/O, no logging.
 */
#ifndef TNC_SWIMA_NAMES_H
#define TNC_SWIMA_NAMES_H

#include <stddef.h>

#include "ipc_msg.h"

#define SWIMA_PREFIX_MAX 512

/* The tag ID prefix "<product>_<OS version>-" of an endpoint ("" when
 * either is not known). */
void swima_names_prefix(char *prefix, size_t size, const char *product, const char *version);

/* The parts of id->name (a Software Identifier): regid, and with prefix
 * matching its tag ID, package and version.  Unknown parts are empty
 * views.  The package (its '~' back to '+') is written to pkg_buf of at
 * least IPC_POLICY_VALUE_MAX octets, which id->package then views. */
void swima_names_parts(struct ipc_sw_id *id, const char *prefix, char *pkg_buf);

#endif
