/* policy_admin.h - the operator's side of the policy store (tncadm).
 *
 * Objects are named as an operator names them: products, groups and
 * policies by name, devices by device ID; an unknown name is TNC_ENOTFOUND
 * and an existing one -EEXIST, with the name in policy_store_error().  Each
 * call is one transaction: it changes everything it says or nothing.
 */
#ifndef TNC_POLICY_ADMIN_H
#define TNC_POLICY_ADMIN_H

#include "policy_store.h"

int policy_admin_product_add(struct policy_store *s, const char *name) TNC_MUST_CHECK;
int policy_admin_product_remove(struct policy_store *s, const char *name) TNC_MUST_CHECK;

/* parent may be NULL.  The default group applies to every device. */
int policy_admin_group_add(struct policy_store *s, const char *name, const char *parent)
    TNC_MUST_CHECK;
int policy_admin_group_remove(struct policy_store *s, const char *name) TNC_MUST_CHECK;
int policy_admin_group_set_default(struct policy_store *s, const char *name) TNC_MUST_CHECK;

enum ps_member_kind { PS_MEMBER_DEVICE, PS_MEMBER_PRODUCT };
int policy_admin_group_member(struct policy_store *s, const char *group, enum ps_member_kind kind,
    const char *member, bool add) TNC_MUST_CHECK;

struct ps_policy_spec {
	const char *name;
	enum ps_policy_type type;
	const char *argument;             /* "" when none */
	enum imv_recommendation rec_fail, rec_noresult;
	const char *path;                 /* file (FREFM FMEAS FMETA) or directory (D*); else NULL */
};
int policy_admin_policy_add(struct policy_store *s, const struct ps_policy_spec *p) TNC_MUST_CHECK;
int policy_admin_policy_remove(struct policy_store *s, const char *name) TNC_MUST_CHECK;
/* Changes what is given of a policy: rec_fail / rec_noresult < 0 and
 * argument NULL stay as they are. */
int policy_admin_policy_set(struct policy_store *s, const char *name, const char *argument,
    int rec_fail, int rec_noresult) TNC_MUST_CHECK;

/* rec_fail / rec_noresult < 0: the policy's own. */
int policy_admin_enforcement_add(struct policy_store *s, const char *policy, const char *group,
    int64_t max_age, int rec_fail, int rec_noresult) TNC_MUST_CHECK;
int policy_admin_enforcement_remove(struct policy_store *s, const char *policy,
    const char *group) TNC_MUST_CHECK;
/* Changes what is given of an enforcement: max_age, rec_fail and
 * rec_noresult < 0 stay as they are. */
int policy_admin_enforcement_set(struct policy_store *s, const char *policy, const char *group,
    int64_t max_age, int rec_fail, int rec_noresult) TNC_MUST_CHECK;

/* product and aik_keyid may be NULL. */
int policy_admin_device_add(struct policy_store *s, const char *value, const char *product,
    const char *description, const char *aik_keyid, int64_t now) TNC_MUST_CHECK;
int policy_admin_device_remove(struct policy_store *s, const char *value) TNC_MUST_CHECK;
int policy_admin_device_trust(struct policy_store *s, const char *value, bool trusted)
    TNC_MUST_CHECK;

/* --- attestation (store_aik.c) --- */

/* Sets device value's AIK key id (lower-case hex) and its trust: trusted
 * when trust is set, else not trusted (the trust given to an earlier key
 * does not pass to a new one). */
int policy_admin_device_aik(struct policy_store *s, const char *value, const char *aik_keyid,
    bool trust) TNC_MUST_CHECK;

struct ps_package_version {
	const char *name, *version;
};
/* The versions of a product's packages (created if new; existing releases
 * kept), all marked security when security is set. */
int policy_admin_packages_import(struct policy_store *s, const char *product,
    const struct ps_package_version *v, size_t n, bool security, int64_t now,
    size_t *ret_added) TNC_MUST_CHECK;

enum ps_package_flag { PS_FLAG_BLACKLIST, PS_FLAG_SECURITY };
/* release NULL: the whole package (blacklist only); else that release of
 * product. */
int policy_admin_package_mark(struct policy_store *s, const char *package, const char *product,
    const char *release, enum ps_package_flag flag, bool on) TNC_MUST_CHECK;

struct ps_file_hash {
	const char *path; /* absolute, as on the endpoint */
	const char *algo; /* sha1 sha256 sha384 sha512 */
	const char *hash; /* lower-case hex */
	int64_t size;     /* -1 when unknown (an IMA list has none) */
};
/* Reference hashes of product's files (replacing a file's earlier ones). */
int policy_admin_files_import(struct policy_store *s, const char *product,
    const struct ps_file_hash *h, size_t n) TNC_MUST_CHECK;

struct ps_import_counts {
	size_t products, groups, group_products, group_devices, policies, enforcements, devices,
	    packages, versions, directories, files, file_hashes;
};
/* Takes over a strongSwan / strongTNC IMV database (SQLite, opened
 * read-only): products, packages and versions, directories, files and
 * hashes, devices, groups with their members and product defaults,
 * policies and enforcements, keeping their ids.  The target must hold no
 * such rows but the default policy, which the import replaces. */
int policy_admin_import_strongswan(struct policy_store *s, const char *path,
    struct ps_import_counts *ret) TNC_MUST_CHECK;

#define PS_COPY_TABLES 22

struct ps_copy_table {
	const char *name;
	size_t rows;
	uint8_t checksum[32]; /* BLAKE2b over every cell, in id order */
};
struct ps_copy_report {
	struct ps_copy_table tables[PS_COPY_TABLES];
};
/* Copies every row of a site's database from one store to another (e.g.
 * SQLite to PostgreSQL; both at this build's schema), keeping the ids, in
 * one snapshot of from and one transaction of to.  to must hold nothing
 * but the default policy, which the copy replaces.  Before to commits,
 * each table is read back and must have from's row count and checksum;
 * else nothing is kept.  Errors are in policy_store_error(from). */
int policy_admin_copy(struct policy_store *from, struct policy_store *to,
    struct ps_copy_report *ret) TNC_MUST_CHECK;

/* --- listings: rows of typed cells, the column types fixed per listing --- */

enum ps_col_type { PS_COL_INT, PS_COL_TEXT, PS_COL_BOOL };

struct ps_column {
	const char *name;
	enum ps_col_type type;
};

struct ps_cell {
	bool null;
	int64_t i;     /* PS_COL_INT, PS_COL_BOOL */
	const char *s; /* PS_COL_TEXT; valid during the callback */
};

#define PS_LIST_MAP(X)                                                              \
	X(PRODUCTS, "products with their device and version counts")                    \
	X(GROUPS, "groups")                                                              \
	X(GROUP_MEMBERS, "devices and products of the group ARG")                        \
	X(POLICIES, "policies")                                                          \
	X(ENFORCEMENTS, "enforcements")                                                  \
	X(DEVICES, "devices")                                                            \
	X(DEVICE, "the device ARG")                                                      \
	X(DEVICE_GROUPS, "the groups of device ARG, and why")                            \
	X(DEVICE_IDENTITIES, "the identities device ARG was seen with")                 \
	X(PACKAGES, "the releases of product ARG's packages")                           \
	X(FILES, "the reference hashes of product ARG")                                  \
	X(SESSIONS, "the most recent sessions")                                          \
	X(SESSION, "session ARG")                                                        \
	X(SESSION_WORKITEMS, "the workitems of session ARG")                             \
	X(TABLES, "row count per table")

enum ps_list {
#define PS_LIST_ENUM(name, text) PS_LIST_##name,
	PS_LIST_MAP(PS_LIST_ENUM)
#undef PS_LIST_ENUM
	PS_LIST_COUNT
};

/* Called per row; a non-zero return stops the listing and is returned. */
typedef int ps_row_fn(void *ctx, const struct ps_column *cols, const struct ps_cell *cells,
    size_t ncols);

/* The columns of a listing (for headers of an empty table). */
const struct ps_column *policy_admin_list_columns(enum ps_list what, size_t *ret_n);

/* Runs a listing; arg is the name the listing needs (NULL for none),
 * limit caps the rows (0: no cap).  An unknown ARG is TNC_ENOTFOUND. */
int policy_admin_list(struct policy_store *s, enum ps_list what, const char *arg, int64_t limit,
    ps_row_fn *fn, void *ctx) TNC_MUST_CHECK;

#endif
