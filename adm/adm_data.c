/* adm_data.c - tncadm: reference data (package releases from dpkg status
 * and Packages files, file hashes from a directory tree) and taking over a
 * strongSwan database. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "adm.h"
#include "adm_dpkg.h"
#include "adm_hash.h"

int
cmd_package_list(struct adm *a)
{
	return adm_list(a, PS_LIST_PACKAGES, a->args[0], 0);
}

int
cmd_package_import(struct adm *a)
{
	char err[512];
	struct adm_dpkg d;
	size_t added = 0;
	if (adm_dpkg_read(a->args[1], &d, err, sizeof(err)) < 0) {
		fprintf(stderr, "tncadm: %s\n", err);
		return ADM_FAIL;
	}
	int e = policy_admin_packages_import(a->store, a->args[0], d.v, d.n,
	    a->opt[ADM_OPT_SECURITY] != NULL, time(NULL), &added);
	int code = e ? adm_store_fail(a, e, a->args[1]) : ADM_OK;
	if (!code && a->json) {
		const char *names[] = {"stanzas", "versions", "added"};
		int64_t values[] = {(int64_t)d.stanzas, (int64_t)d.n, (int64_t)added};
		code = adm_print_counts(a, names, values, 3);
	} else if (!code) {
		code = adm_done(a, 0, "%s: %zu stanzas, %zu package versions, %zu new for '%s'",
		    a->args[1], d.stanzas, d.n, added, a->args[0]);
	}
	adm_dpkg_clear(&d);
	return code;
}

/* blacklist / security marks: the whole package or one release. */
static int
mark(struct adm *a, enum ps_package_flag flag, bool on)
{
	/* main() saw to --product and --release: both or neither, both for security */
	const char *product = a->opt[ADM_OPT_PRODUCT], *release = a->opt[ADM_OPT_RELEASE];
	return adm_done(a, policy_admin_package_mark(a->store, a->args[0], product, release, flag, on),
	    "%s%s%s%s: %s%s", a->args[0], release ? " " : "",
	    release ? release : "", release ? " " : "", on ? "" : "not ",
	    flag == PS_FLAG_BLACKLIST ? "blacklisted" : "a security update");
}

int
cmd_package_blacklist(struct adm *a)
{
	return mark(a, PS_FLAG_BLACKLIST, true);
}

int
cmd_package_unblacklist(struct adm *a)
{
	return mark(a, PS_FLAG_BLACKLIST, false);
}

int
cmd_package_security(struct adm *a)
{
	return mark(a, PS_FLAG_SECURITY, true);
}

int
cmd_package_unsecurity(struct adm *a)
{
	return mark(a, PS_FLAG_SECURITY, false);
}

int
cmd_files_list(struct adm *a)
{
	return adm_list(a, PS_LIST_FILES, a->args[0], 0);
}

int
cmd_files_import(struct adm *a)
{
	char err[512], root[PATH_MAX];
	struct adm_hashes h;
	const char *prefix = a->opt[ADM_OPT_PREFIX];
	if (!prefix) { /* the tree is the endpoint's own: its absolute path */
		if (!realpath(a->args[1], root)) {
			fprintf(stderr, "tncadm: %s: %m\n", a->args[1]);
			return ADM_FAIL;
		}
		prefix = root;
	}
	const char *algo = a->opt[ADM_OPT_ALGO] ? a->opt[ADM_OPT_ALGO] : "sha256";
	if (adm_hash_tree(a->args[1], prefix, algo, &h, err, sizeof(err)) < 0) {
		fprintf(stderr, "tncadm: %s\n", err);
		return ADM_FAIL;
	}
	int code = adm_done(a, policy_admin_files_import(a->store, a->args[0], h.h, h.n),
	    "%zu %s hashes under %s for '%s'", h.n, algo, prefix, a->args[0]);
	adm_hashes_clear(&h);
	return code;
}

int
cmd_import_strongswan(struct adm *a)
{
	struct ps_import_counts c;
	int err = policy_admin_import_strongswan(a->store, a->args[0], &c);
	if (err)
		return adm_store_fail(a, err, NULL);
	const char *names[] = {"products", "packages", "versions", "directories", "files",
	    "file_hashes", "devices", "groups", "groups_devices", "groups_products", "policies",
	    "enforcements"};
	int64_t values[] = {(int64_t)c.products, (int64_t)c.packages, (int64_t)c.versions,
	    (int64_t)c.directories, (int64_t)c.files, (int64_t)c.file_hashes, (int64_t)c.devices,
	    (int64_t)c.groups, (int64_t)c.group_devices, (int64_t)c.group_products,
	    (int64_t)c.policies, (int64_t)c.enforcements};
	return adm_print_counts(a, names, values, 12);
}
