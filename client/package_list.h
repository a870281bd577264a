/* package_list.h - the installed-package list the OS IMC reports in IETF
 * Installed Packages (RFC 5792 4.2.7): names and versions of at most 255
 * octets each, at most 65535 entries (the attribute's 16-bit count).
 * Sources: a dpkg status file, "name=version" lists, synthetic entries.
 */
#ifndef TNC_PACKAGE_LIST_H
#define TNC_PACKAGE_LIST_H

#include <stddef.h>

#include "err.h"

#define PACKAGE_LIST_MAX 65535
#define PACKAGE_FIELD_MAX 255

struct package_list_entry {
	char *name;
	char *version;
};

struct package_list {
	struct package_list_entry *v;
	size_t count, cap;
};

void package_list_init(struct package_list *l);
void package_list_clear(struct package_list *l);
/* Copies name and version; TNC_ETOOLONG when either exceeds 255 octets or
 * the list is full, TNC_EINVALID for an empty name. */
int package_list_add(struct package_list *l, const char *name, size_t name_len,
    const char *version, size_t version_len) TNC_MUST_CHECK;
/* Appends every package of src. */
int package_list_append(struct package_list *l, const struct package_list *src) TNC_MUST_CHECK;
/* Appends the "install ok installed" entries of a dpkg status file, in file
 * order; entries with over-long fields are skipped (and logged). */
int package_list_load_dpkg(struct package_list *l, const char *path) TNC_MUST_CHECK;

/* The dpkg status reader both the OS IMC (above) and the SWIMA IMC
 * (sw_inventory.h) use.  A file over DPKG_STATUS_FILE_MAX octets or with a
 * line over DPKG_STATUS_LINE_MAX is refused (TNC_ETOOLONG). */
#define DPKG_STATUS_FILE_MAX (64u << 20)
#define DPKG_STATUS_LINE_MAX (64u << 10)

/* One installed package of a status file; the strings live until the
 * callback returns, version and arch are "" when the stanza has none. */
struct dpkg_package {
	const char *name, *version, *arch;
	unsigned line; /* the first line of its stanza, for messages */
};
typedef int (*dpkg_package_fn)(void *ctx, const struct dpkg_package *p);
/* Calls fn for every stanza with a Package field and the Status "install
 * ok installed", in file order, and stops at the first nonzero return of
 * fn, which it returns; -errno when the file cannot be read, TNC_EINVALID
 * for a stanza that gives Package, Version, Architecture or Status twice. */
int package_list_read_dpkg(const char *path, dpkg_package_fn fn, void *ctx) TNC_MUST_CHECK;

/* Appends "name=version" pairs separated by commas (blanks around each
 * part ignored); TNC_EINVALID for a pair without '=' or without a name. */
int package_list_parse_pairs(struct package_list *l, const char *text) TNC_MUST_CHECK;
/* Appends n synthetic packages "pkg00001"/"1.0-1" .. "pkgNNNNN"/"1.0-N". */
int package_list_add_synthetic(struct package_list *l, unsigned n) TNC_MUST_CHECK;

#endif
