/* sw_inventory.h - the SWIMA IMC's software inventory (RFC 8412 3.4):
 * the installed packages of a dpkg status file (the reader of
 * package_list.h), each named by the ISO/IEC 19770-2:2015 tag ID and
 * Software Identifier strongSwan's SWIMA IMC gives a dpkg package, so one
 * IMV database serves both clients.  As in strongSwan's session of
 * tests/data/strongswan-session-os-swima (e.g. "debian.org__Debian_12-
 * x86_64-libstdc~~6-12.2.0-14~deb12u1" for libstdc++6 12.2.0-14+deb12u1):
 *
 *   tag ID      <product>_<OS version>-<package>-<version>
 *   Software ID <regid>__<tag ID>
 *
 * with the blanks of the OS version ("12 x86_64", os_facts.h) as '-', those
 * of the product as '_', and every ':' and '+' of package and version as
 * '~'.  The package's architecture is not part of either (strongSwan's is
 * the OS's), so an M-A: same package installed for two architectures is
 * one inventory entry (the first architecture in file order).
 *
 * Fields are bounded (SW_FIELD_MAX, SW_ID_MAX) and checked against the
 * package manager's syntax for names, versions and architectures (Debian's,
 * or rpm's for the rpm database of sw_rpm.h); anything else refuses the
 * whole inventory with "path:line: field: reason", so a package cannot hide
 * from the IMV by a malformed entry.  The SWID tag of an entry is generated
 * on demand (swid_tag_generate()).
 */
#ifndef TNC_SW_INVENTORY_H
#define TNC_SW_INVENTORY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SW_FIELD_MAX 255     /* octets of a package name, version, architecture */
#define SW_ID_MAX 1024       /* octets of a Software Identifier (PS_SW_ID_MAX) */
#define SW_INVENTORY_MAX 100000
#define SW_REASON_MAX 256    /* a useful size for the reason buffers */

/* Whose syntax a package's name, version and architecture must follow. */
enum sw_syntax {
	SW_SYNTAX_DEBIAN = 0, /* deb-control(5), deb-version(7) */
	SW_SYNTAX_RPM,        /* rpm's: version "[epoch:]version-release" */
};

/* How this endpoint's tags are named; the four strings are required text. */
struct sw_naming {
	const char *regid;       /* the tagCreator's regid: "debian.org" */
	const char *entity_name; /* the tagCreator's name in generated tags */
	const char *product;     /* os_facts product: "Debian" */
	const char *os_version;  /* os_facts version: "12 x86_64" */
	enum sw_syntax syntax;
};

/* One package with its names; tag_id points into sw_id. */
struct sw_package {
	char *name, *version, *arch;
	char *sw_id;
	const char *tag_id;
	uint32_t record_id; /* sw_inventory_record_id(sw_id) */
	int64_t install_time; /* seconds since 1970 (rpm's INSTALLTIME); 0: not known */
};

/* Fills p (heap copies) for a package; TNC_EINVALID or TNC_ETOOLONG with
 * the offending field named in *ret_reason (static text). */
int sw_inventory_package_init(struct sw_package *p, const struct sw_naming *n, const char *name,
    const char *version, const char *arch, const char **ret_reason) TNC_MUST_CHECK;
void sw_inventory_package_clear(struct sw_package *p);

/* The Record Identifier of a Software Identifier: its 32-bit FNV-1a hash,
 * the same in inventories and events and across runs.  Two identifiers
 * may share one (odds about n^2 / 2^33 for n packages); the IMV keys its
 * records on the identifier, not on this. */
uint32_t sw_inventory_record_id(const char *sw_id);

/* The minimal SWID tag of p (swid_tag.h), versionScheme "alphanumeric" as
 * strongSwan's; *ret is heap, NUL-terminated, *ret_len octets. */
int sw_inventory_package_tag(const struct sw_naming *n, const struct sw_package *p, uint8_t **ret,
    size_t *ret_len) TNC_MUST_CHECK;

struct sw_inventory {
	struct sw_package *v; /* sorted by sw_id (strcmp), each once */
	size_t count, cap;
};

void sw_inventory_init(struct sw_inventory *inv);
void sw_inventory_clear(struct sw_inventory *inv);
/* Appends a package (heap copies) for a loader; why as
 * sw_inventory_package_init(), or "over SW_INVENTORY_MAX installed
 * packages" (TNC_ETOOLONG). */
int sw_inventory_add(struct sw_inventory *inv, const struct sw_naming *n, const char *name,
    const char *version, const char *arch, const char **ret_reason) TNC_MUST_CHECK;
/* After the last sw_inventory_add(): sorts by Software Identifier and keeps
 * the first added of each (a package installed for two architectures). */
void sw_inventory_sort(struct sw_inventory *inv);
/* Replaces inv by the installed packages of the dpkg status file at path.
 * Failures: -errno (unreadable), TNC_ETOOLONG (file, line, field or over
 * SW_INVENTORY_MAX packages), TNC_EINVALID (a field not of Debian's
 * syntax); reason gets "path[:line]: what" and inv is left empty. */
int sw_inventory_load_dpkg(struct sw_inventory *inv, const char *path, const struct sw_naming *n,
    char *reason, size_t reason_size) TNC_MUST_CHECK;
/* The entry with Software Identifier id[0..len), or NULL. */
const struct sw_package *sw_inventory_find(const struct sw_inventory *inv, const char *id,
    size_t len);

#endif
