/* store_verdicts.c - installed versions of one product's packages judged
 * against the database in one call (see policy_store.h). */
#include <string.h>

#include "pkg_verdict.h"
#include "store_int.h"

/* The verdicts straight from the product's cached releases, without the
 * copies a package set makes. */
static void
cached_verdicts(const struct pkg_cache *cache, const char *const *names,
    const char *const *versions, size_t n, uint8_t *ret)
{
	for (size_t i = 0; i < n; i++) {
		const struct ps_release *releases;
		size_t nreleases;
		bool blacklist;
		struct ps_package p = {.name = names[i]};
		if (!store_pkg_cache_find(cache, names[i], &releases, &nreleases, &blacklist))
			p = (struct ps_package){names[i], true, blacklist, nreleases,
			    (struct ps_release *)releases};
		ret[i] = (uint8_t)pkg_verdict(&p, versions[i]);
	}
}

int
policy_store_package_verdicts(struct policy_store *s, const char *product,
    const char *const *names, const char *const *versions, size_t n, uint8_t *ret)
{
	int64_t product_id;
	struct pkg_cache *cache = NULL;
	struct ps_package_set *set = NULL;
	if (n > PS_LOOKUP_MAX)
		return store_fail(s, TNC_ETOOLONG, "%zu packages in one lookup (at most %d)", n,
		    PS_LOOKUP_MAX);
	int err = store_check_name(s, "product", product);
	if (!err)
		err = store_begin(s, false); /* one snapshot: the product and its releases */
	if (!err)
		err = store_id(s, STORE_PRODUCT, product, &product_id);
	if (err == TNC_ENOTFOUND) { /* a product the database has no packages of */
		memset(ret, PKG_UNKNOWN, n);
		return store_end(s, 0);
	}
	if (!err)
		err = store_pkg_cache_get(s, product_id, &cache);
	if (!err && cache) {
		cached_verdicts(cache, names, versions, n, ret);
	} else if (!err) { /* a product too large to hold: looked up package by package */
		err = store_package_versions_in(s, product_id, NULL, names, n, &set);
		for (size_t i = 0; !err && i < n; i++)
			ret[i] = (uint8_t)pkg_verdict(&set->pkgs[i], versions[i]);
		policy_store_package_set_free(set);
	}
	return store_end(s, err);
}
