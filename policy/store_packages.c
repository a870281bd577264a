/* store_packages.c - packages and their releases per product: the lookup a
 * session makes for all its installed packages at once, and the operator's
 * import and marks (see policy_store.h, policy_admin.h). */
#include <stdlib.h>
#include <string.h>

#include "policy_admin.h"
#include "store_int.h"

#define ARENA_CHUNK 65536

/* Strings of one package set live in chunks freed together. */
struct arena_chunk {
	struct arena_chunk *next;
	size_t used, size;
	char data[];
};

struct package_set {
	struct ps_package_set pub; /* first: the caller's pointer */
	struct arena_chunk *chunks;
};

/* size bytes (aligned for any member of a set) that live as long as set. */
static void *
arena_alloc(struct package_set *set, size_t size)
{
	size = (size + 15) & ~(size_t)15;
	struct arena_chunk *c = set->chunks;
	if (!c || c->size - c->used < size) {
		size_t chunk = size > ARENA_CHUNK ? size : ARENA_CHUNK;
		c = malloc(sizeof(*c) + chunk);
		if (!c)
			abort();
		c->next = set->chunks;
		c->used = 0;
		c->size = chunk;
		set->chunks = c;
	}
	void *p = c->data + c->used;
	c->used += size;
	return p;
}

static const char *
arena_strdup(struct package_set *set, const char *str)
{
	size_t len = strlen(str) + 1;
	return memcpy(arena_alloc(set, len), str, len);
}

/* A package's entry of the set from its releases (copied into the set). */
static void
fill(struct package_set *set, struct ps_package *p, const char *name,
    const struct ps_release *releases, size_t n, bool blacklist)
{
	*p = (struct ps_package){arena_strdup(set, name), true, blacklist, n, NULL};
	p->releases = arena_alloc(set, (n ? n : 1) * sizeof(*p->releases));
	for (size_t i = 0; i < n; i++)
		p->releases[i] = (struct ps_release){arena_strdup(set, releases[i].release),
		    releases[i].security, releases[i].blacklist};
}

void
policy_store_package_set_free(struct ps_package_set *pub)
{
	if (!pub)
		return;
	struct package_set *set = (struct package_set *)pub;
	free(pub->pkgs);
	while (set->chunks) {
		struct arena_chunk *next = set->chunks->next;
		free(set->chunks);
		set->chunks = next;
	}
	free(set);
}

/* The package's releases for the product, one row each; a row with a NULL
 * release for a package without any; none for an unknown package. */
static const char lookup_sql[] =
    "SELECT p.blacklist, v.release, v.security, v.blacklist FROM packages AS p"
    " LEFT JOIN versions AS v ON v.package = p.id AND v.product = ?2 WHERE p.name = ?1";

/* One package by queries, for a product too big for the cache. */
static int
lookup_one(struct policy_store *s, struct package_set *set, int64_t product, const char *name,
    struct ps_package *ret)
{
	struct store_rows *r;
	int rc = store_query(s, &r, lookup_sql, "tI", name, product);
	if (rc)
		return rc;
	struct ps_release releases[64];
	size_t n = 0;
	bool blacklist = false, row = false;
	while ((rc = store_next(s, r)) > 0) {
		row = true;
		blacklist = store_col_int(s, r, 0) != 0;
		const char *release = store_col_text(s, r, 1);
		if (release && n < sizeof(releases) / sizeof(releases[0]))
			releases[n++] = (struct ps_release){arena_strdup(set, release),
			    store_col_int(s, r, 2) != 0, store_col_int(s, r, 3) != 0};
		else if (release) {
			store_done(s, r);
			return store_fail(s, TNC_ETOOLONG, "%s: more than 64 releases", name);
		}
	}
	store_done(s, r);
	if (rc < 0)
		return rc;
	if (row && (n || blacklist))
		fill(set, ret, name, releases, n, blacklist);
	else
		*ret = (struct ps_package){.name = arena_strdup(set, name)};
	return 0;
}

int
store_package_versions_in(struct policy_store *s, int64_t product,
    const struct pkg_cache *cache, const char *const *names, size_t n,
    struct ps_package_set **ret)
{
	if (n > PS_LOOKUP_MAX)
		return store_fail(s, TNC_ETOOLONG, "%zu packages in one lookup (at most %d)", n,
		    PS_LOOKUP_MAX);
	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) > PS_VALUE_MAX)
			return store_fail(s, TNC_ETOOLONG, "package name longer than %d bytes",
			    PS_VALUE_MAX);
	struct package_set *set = calloc(1, sizeof(*set));
	if (!set)
		abort();
	set->pub.pkgs = calloc(n ? n : 1, sizeof(*set->pub.pkgs));
	if (!set->pub.pkgs)
		abort();
	int err = 0;
	for (size_t i = 0; !err && i < n; i++) {
		const struct ps_release *releases;
		size_t nreleases;
		bool blacklist;
		if (!cache)
			err = lookup_one(s, set, product, names[i], &set->pub.pkgs[i]);
		else if (!store_pkg_cache_find(cache, names[i], &releases, &nreleases, &blacklist))
			fill(set, &set->pub.pkgs[i], names[i], releases, nreleases, blacklist);
		else
			set->pub.pkgs[i] = (struct ps_package){.name = arena_strdup(set, names[i])};
		set->pub.n = i + 1;
	}
	if (err) {
		policy_store_package_set_free(&set->pub);
		return err;
	}
	*ret = &set->pub;
	return 0;
}

int
policy_store_package_versions(struct policy_store *s, int64_t product, const char *const *names,
    size_t n, struct ps_package_set **ret)
{
	struct pkg_cache *cache = NULL;
	int err = store_begin(s, false); /* one snapshot for all names */
	if (!err)
		err = store_pkg_cache_get(s, product, &cache);
	if (!err)
		err = store_package_versions_in(s, product, cache, names, n, ret);
	return store_end(s, err);
}

static int
package_ensure(struct policy_store *s, const char *name, int64_t *ret)
{
	int err = store_int(s, ret, "SELECT id FROM packages WHERE name = ?", "t", name);
	if (err != TNC_ENOTFOUND)
		return err;
	return store_int(s, ret, "INSERT INTO packages (name) VALUES (?) RETURNING id", "t", name);
}

int
policy_admin_packages_import(struct policy_store *s, const char *product,
    const struct ps_package_version *v, size_t n, bool security, int64_t now, size_t *ret_added)
{
	int64_t product_id, package_id;
	size_t added = 0;
	for (size_t i = 0; i < n; i++) {
		int err = store_check_name(s, "package name", v[i].name);
		if (!err)
			err = store_check_name(s, "package version", v[i].version);
		if (err)
			return err;
	}
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_PRODUCT, product, &product_id);
	for (size_t i = 0; !err && i < n; i++) {
		err = package_ensure(s, v[i].name, &package_id);
		if (!err)
			err = store_exec(s,
			    "INSERT INTO versions (package, product, release, security, time)"
			    " VALUES (?, ?, ?, ?, ?) ON CONFLICT (package, product, release) DO NOTHING",
			    "IItiI", package_id, product_id, v[i].version, security ? 1 : 0, now);
		if (!err && store_changes(s) == 1)
			added++;
		else if (!err && security)
			err = store_exec(s,
			    "UPDATE versions SET security = 1 WHERE package = ? AND product = ? AND release = ?",
			    "IIt", package_id, product_id, v[i].version);
	}
	if (!err)
		err = store_packages_changed(s);
	err = store_end(s, err);
	if (!err)
		*ret_added = added;
	return err;
}

int
policy_admin_package_mark(struct policy_store *s, const char *package, const char *product,
    const char *release, enum ps_package_flag flag, bool on)
{
	int64_t package_id, product_id = 0;
	if (!release && flag != PS_FLAG_BLACKLIST)
		return store_fail(s, TNC_EINVALID, "only a release can be marked as a security update");
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_PACKAGE, package, &package_id);
	if (!err && release) {
		err = store_id(s, STORE_PRODUCT, product, &product_id);
		if (!err)
			err = store_exec(s,
			    flag == PS_FLAG_BLACKLIST
			        ? "UPDATE versions SET blacklist = ? WHERE package = ? AND product = ? AND release = ?"
			        : "UPDATE versions SET security = ? WHERE package = ? AND product = ? AND release = ?",
			    "iIIt", on ? 1 : 0, package_id, product_id, release);
		if (!err && store_changes(s) != 1)
			err = store_fail(s, TNC_ENOTFOUND, "no release '%s' of '%s' for '%s'", release,
			    package, product);
	} else if (!err) {
		err = store_exec(s, "UPDATE packages SET blacklist = ? WHERE id = ?", "iI", on ? 1 : 0,
		    package_id);
	}
	if (!err)
		err = store_packages_changed(s);
	return store_end(s, err);
}
