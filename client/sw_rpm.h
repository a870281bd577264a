/* sw_rpm.h - the SWIMA IMC's inventory from an rpm database (librpm), the
 * counterpart of sw_inventory_load_dpkg().
 *
 * Each header of RPMDBI_PACKAGES is a package: NAME, VERSION and RELEASE
 * (required), EPOCH (when the header has one), ARCH ("" for none) and
 * INSTALLTIME.  Its version for the Software Identifier and the SWID tag is
 * "[epoch:]version-release" (rpm -q's %{EPOCH}:%{VERSION}-%{RELEASE}), so
 * the tag ID is named as a dpkg package's (sw_inventory.h), e.g.
 * "fedora.org__Fedora_39-x86_64-bash-5.2.26-1.fc39" and, with an epoch,
 * "...-openssl-1~3.1.1-4.fc39": the IMV cuts package and version out of it
 * the same way.  The tag creator is the OS's regid as for dpkg, not the
 * header's VENDOR: that is free text ("Fedora Project"), no regid.  The
 * "gpg-pubkey" headers are the keys rpm imported, not software: skipped.
 *
 * Bounds: SW_INVENTORY_MAX packages, SW_FIELD_MAX octets a field and for
 * the assembled version.  A field out of rpm's syntax, a header librpm
 * cannot read or verify, or a database it cannot open refuses the whole
 * inventory with "rpmdb <dir>: <reason>" (librpm's own message when it
 * has one).  The directory must hold the file of one of rpm's backends
 * (librpm would make an empty database there otherwise); an rpmdb.sqlite
 * must begin as an SQLite database: librpm leaks its handle on a file that
 * does not (and on a malformed one that does: a leak per request, in
 * librpm).  librpm's configuration is read once per process; its log goes
 * to the reason, not to stderr.
 */
#ifndef TNC_SW_RPM_H
#define TNC_SW_RPM_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "sw_inventory.h"

#define SW_RPM_ROOT "/"
/* The database files of rpm's backends: sqlite, bdb, ndb. */
#define SW_RPM_DB_FILES 3

/* Where the database is: dbpath under root, as rpm --root --dbpath. */
struct sw_rpm_db {
	const char *root;   /* NULL: SW_RPM_ROOT */
	const char *dbpath; /* NULL: rpm's %_dbpath ("/var/lib/rpm" on rpm systems) */
};

/* The database directory as a path of this process ("<root><dbpath>"),
 * into path; TNC_ETOOLONG when it does not fit. */
int sw_rpm_db_dir(const struct sw_rpm_db *db, char *path, size_t size) TNC_MUST_CHECK;
/* The path of backend i's file (< SW_RPM_DB_FILES) in that directory;
 * false when it does not fit. */
bool sw_rpm_db_file(const struct sw_rpm_db *db, size_t i, char *path, size_t size);
/* true when that directory holds one of those files. */
bool sw_rpm_db_exists(const struct sw_rpm_db *db);

/* Replaces inv by the packages of the database, install_time set.
 * Failures leave inv empty and the reason in reason: -errno (no database
 * directory; -ENOENT also for no database file in it), TNC_EINVALID
 * (librpm refused the database or a header, a field out of rpm's syntax,
 * an rpmdb.sqlite that is no SQLite database), TNC_ETOOLONG (a field, or
 * over SW_INVENTORY_MAX packages).  n->syntax must be SW_SYNTAX_RPM. */
int sw_inventory_load_rpm(struct sw_inventory *inv, const struct sw_rpm_db *db,
    const struct sw_naming *n, char *reason, size_t reason_size) TNC_MUST_CHECK;

#endif
