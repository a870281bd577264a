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
/* Appends "name=version" pairs separated by commas (blanks around each
 * part ignored); TNC_EINVALID for a pair without '=' or without a name. */
int package_list_parse_pairs(struct package_list *l, const char *text) TNC_MUST_CHECK;
/* Appends n synthetic packages "pkg00001"/"1.0-1" .. "pkgNNNNN"/"1.0-N". */
int package_list_add_synthetic(struct package_list *l, unsigned n) TNC_MUST_CHECK;

#endif
