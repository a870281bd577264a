/* store_pkg_cache.c - the releases of a product's packages, held in memory
 * so that a session's lookup of hundreds of installed packages costs hash
 * probes instead of as many index searches.
 *
 * A cache is valid while the database's packages generation (bumped in
 * every transaction of any store that changes packages or releases,
 * store_packages_changed(); another gateway's too) is unchanged.  Bounded: at most
 * STORE_PKG_CACHES products, each of at most STORE_PKG_CACHE_ROWS rows;
 * a bigger product is looked up row by row instead.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store_name_index.h"

struct pkg_entry {
	const char *name;
	bool blacklist;
	size_t first, count; /* in releases[] */
};

struct pkg_cache {
	int64_t product;
	int64_t generation;
	uint64_t last_use;
	size_t n, nreleases;
	struct pkg_entry *entries;
	struct ps_release *releases;
	struct store_name_index index; /* of entries by name */
	char *strings;
};

/* Rows of the product's releases, and the blacklisted packages it has no
 * release of, grouped by package; ?2: one more than the cache holds, so
 * that a server engine never sends more. */
static const char load_sql[] =
    "SELECT p.name, p.blacklist, v.release, v.security, v.blacklist FROM versions AS v"
    " JOIN packages AS p ON p.id = v.package WHERE v.product = ?1"
    " UNION ALL SELECT name, 1, NULL, 0, 0 FROM packages WHERE blacklist = 1"
    "  AND id NOT IN (SELECT package FROM versions WHERE product = ?1)"
    " ORDER BY 1 LIMIT ?2";

static void
cache_free(struct pkg_cache *c)
{
	if (!c)
		return;
	free(c->entries);
	free(c->releases);
	store_name_index_free(&c->index);
	free(c->strings);
	free(c);
}

void
store_pkg_cache_drop(struct policy_store *s)
{
	for (size_t i = 0; i < STORE_PKG_CACHES; i++) {
		cache_free(s->pkg_cache[i]);
		s->pkg_cache[i] = NULL;
	}
}

static void *
grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	*cap = *cap ? 2 * *cap : 256;
	while (*cap < need)
		*cap *= 2;
	p = realloc(p, *cap * size);
	if (!p)
		abort();
	return p;
}

/* Reads the rows; NULL (no error) when there are more than the bound. */
static int
load(struct policy_store *s, int64_t product, struct pkg_cache **ret)
{
	size_t bound = s->pkg_cache_rows ? s->pkg_cache_rows : STORE_PKG_CACHE_ROWS;
	struct store_rows *st;
	int rc = store_query(s, &st, load_sql, "II", product, (int64_t)bound + 1);
	if (rc)
		return rc;
	struct pkg_cache *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	size_t ecap = 0, rcap = 0, scap = 0, slen = 0, rows = 0;
	size_t *name_at = NULL, ncap = 0; /* string offsets until the buffer stops moving */
	while ((rc = store_next(s, st)) > 0 && ++rows <= bound) {
		const char *name = store_col_text(s, st, 0);
		const char *release = store_col_text(s, st, 2);
		if (!c->n || strcmp(c->strings + name_at[c->n - 1], name)) {
			size_t len = strlen(name) + 1;
			c->strings = grow(c->strings, &scap, slen + len, 1);
			memcpy(c->strings + slen, name, len);
			c->entries = grow(c->entries, &ecap, c->n + 1, sizeof(*c->entries));
			name_at = grow(name_at, &ncap, c->n + 1, sizeof(*name_at));
			name_at[c->n] = slen;
			c->entries[c->n++] = (struct pkg_entry){NULL, store_col_int(s, st, 1) != 0,
			    c->nreleases, 0};
			slen += len;
		}
		if (!release)
			continue;
		size_t len = strlen(release) + 1;
		c->strings = grow(c->strings, &scap, slen + len, 1);
		memcpy(c->strings + slen, release, len);
		c->releases = grow(c->releases, &rcap, c->nreleases + 1, sizeof(*c->releases));
		/* the release text's offset for now; a pointer once the buffer is final */
		c->releases[c->nreleases++] = (struct ps_release){(const char *)(uintptr_t)slen,
		    store_col_int(s, st, 3) != 0, store_col_int(s, st, 4) != 0};
		c->entries[c->n - 1].count++;
		slen += len;
	}
	store_done(s, st);
	if (rc < 0) {
		free(name_at);
		cache_free(c);
		return rc;
	}
	if (rows > bound) {
		free(name_at);
		cache_free(c);
		*ret = NULL;
		return 0;
	}
	for (size_t i = 0; i < c->n; i++)
		c->entries[i].name = c->strings + name_at[i];
	for (size_t i = 0; i < c->nreleases; i++)
		c->releases[i].release = c->strings + (uintptr_t)c->releases[i].release;
	free(name_at);
	store_name_index_build(&c->index, c->entries, sizeof(*c->entries),
	    offsetof(struct pkg_entry, name), c->n);
	c->product = product;
	*ret = c;
	return 0;
}

void
store_pkg_cache_bound(struct policy_store *s, size_t rows)
{
	store_pkg_cache_drop(s);
	s->pkg_cache_rows = rows;
}

int
store_pkg_cache_get(struct policy_store *s, int64_t product, struct pkg_cache **ret)
{
	int64_t version;
	int err = store_int(s, &version, "SELECT value FROM generations WHERE name = 'packages'", "");
	if (err)
		return err;
	size_t oldest = 0;
	for (size_t i = 0; i < STORE_PKG_CACHES; i++) {
		struct pkg_cache *c = s->pkg_cache[i];
		if (c && c->generation != version) { /* packages changed since */
			cache_free(c);
			s->pkg_cache[i] = c = NULL;
		}
		if (c && c->product == product) {
			c->last_use = ++s->pkg_cache_clock;
			*ret = c;
			return 0;
		}
		if (!c || (s->pkg_cache[oldest] && c->last_use < s->pkg_cache[oldest]->last_use))
			oldest = i;
	}
	struct pkg_cache *c = NULL;
	if ((err = load(s, product, &c)))
		return err;
	if (c) {
		cache_free(s->pkg_cache[oldest]);
		s->pkg_cache[oldest] = c;
		c->generation = version;
		c->last_use = ++s->pkg_cache_clock;
	}
	*ret = c;
	return 0;
}

int
store_pkg_cache_find(const struct pkg_cache *c, const char *name, const struct ps_release **ret,
    size_t *ret_n, bool *ret_blacklist)
{
	size_t i = store_name_index_find(&c->index, c->entries, sizeof(*c->entries),
	    offsetof(struct pkg_entry, name), name);
	if (i != SIZE_MAX) {
		const struct pkg_entry *e = &c->entries[i];
		*ret = c->releases + e->first;
		*ret_n = e->count;
		*ret_blacklist = e->blacklist;
		return 0;
	}
	return TNC_ENOTFOUND;
}

int
store_packages_changed(struct policy_store *s)
{
	return store_exec(s, "UPDATE generations SET value = value + 1 WHERE name = 'packages'", "");
}
