/* store_file_cache.c - the reference hashes of one product and algorithm
 * held in memory, so that a session's thousands of IMA file measurements
 * cost hash probes instead of as many queries; and the verdicts of
 * measured files against them (policy_store_file_verdicts()).
 *
 * A cache is valid while the database's 'files' generation (bumped by
 * every transaction of any store that changes reference hashes,
 * store_files_changed()) is unchanged.  Bounded: at most STORE_FILE_CACHES
 * (product, algorithm) pairs of at most STORE_FILE_CACHE_ROWS hashes each;
 * a bigger one is looked up file by file.
 */
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store_int.h"
#include "store_name_index.h"

struct file_entry {
	const char *path, *hash;
};

struct file_cache {
	int64_t product, generation;
	char algo[8];
	uint64_t last_use;
	size_t n;
	struct file_entry *entries;
	struct store_name_index index; /* of entries by path */
	char *strings;
};

/* ?3: one more than a cache holds, so that a server engine never sends more. */
static const char load_sql[] =
    "SELECT rtrim(d.path, '/') || '/' || f.name, h.hash FROM file_hashes AS h"
    " JOIN files AS f ON f.id = h.file JOIN directories AS d ON d.id = f.dir"
    " WHERE h.product = ?1 AND h.algo = ?2 LIMIT ?3";

/* One file's hash, for a product too big to hold: its directory as
 * stored with or without a trailing slash. */
static const char one_sql[] =
    "SELECT h.hash FROM file_hashes AS h JOIN files AS f ON f.id = h.file"
    " JOIN directories AS d ON d.id = f.dir WHERE h.product = ?1 AND h.algo = ?2"
    " AND f.name = ?3 AND (d.path = ?4 OR d.path = ?4 || '/')";

static void
cache_free(struct file_cache *c)
{
	if (!c)
		return;
	free(c->entries);
	store_name_index_free(&c->index);
	free(c->strings);
	free(c);
}

void
store_file_cache_drop(struct policy_store *s)
{
	for (size_t i = 0; i < STORE_FILE_CACHES; i++) {
		cache_free(s->file_cache[i]);
		s->file_cache[i] = NULL;
	}
}

int
store_files_changed(struct policy_store *s)
{
	return store_exec(s, "UPDATE generations SET value = value + 1 WHERE name = 'files'", "");
}

/* Appends t to the string buffer; its offset. */
static size_t
keep(char **buf, size_t *len, size_t *cap, const char *t)
{
	size_t n = strlen(t) + 1, at = *len;
	if (*len + n > *cap) {
		*cap = *cap ? 2 * *cap : 4096;
		while (*cap < *len + n)
			*cap *= 2;
		*buf = realloc(*buf, *cap);
		if (!*buf)
			abort();
	}
	memcpy(*buf + at, t, n);
	*len += n;
	return at;
}

/* Reads the hashes; *ret NULL (no error) when there are more than the bound. */
static int
load(struct policy_store *s, int64_t product, const char *algo, struct file_cache **ret)
{
	size_t bound = s->file_cache_rows ? s->file_cache_rows : STORE_FILE_CACHE_ROWS;
	struct store_rows *r;
	int rc = store_query(s, &r, load_sql, "ItI", product, algo, (int64_t)bound + 1);
	if (rc)
		return rc;
	struct file_cache *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	size_t cap = 0, len = 0, ecap = 0;
	/* offsets until the string buffer stops moving */
	while ((rc = store_next(s, r)) > 0 && c->n < bound) {
		if (c->n == ecap) {
			ecap = ecap ? 2 * ecap : 1024;
			c->entries = realloc(c->entries, ecap * sizeof(*c->entries));
			if (!c->entries)
				abort();
		}
		size_t path = keep(&c->strings, &len, &cap, store_col_text(s, r, 0));
		size_t value = keep(&c->strings, &len, &cap, store_col_text(s, r, 1));
		c->entries[c->n++] = (struct file_entry){(const char *)(uintptr_t)path,
		    (const char *)(uintptr_t)value};
	}
	bool over = rc > 0;
	store_done(s, r);
	if (rc < 0 || over) {
		cache_free(c);
		*ret = NULL;
		return rc < 0 ? rc : 0;
	}
	for (size_t i = 0; i < c->n; i++) {
		c->entries[i].path = c->strings + (uintptr_t)c->entries[i].path;
		c->entries[i].hash = c->strings + (uintptr_t)c->entries[i].hash;
	}
	store_name_index_build(&c->index, c->entries, sizeof(*c->entries),
	    offsetof(struct file_entry, path), c->n);
	c->product = product;
	snprintf(c->algo, sizeof(c->algo), "%s", algo);
	*ret = c;
	return 0;
}

/* The product's hashes of algo, loaded or reloaded as needed inside the
 * caller's read transaction; *ret NULL when there are too many to hold. */
static int
cache_get(struct policy_store *s, int64_t product, const char *algo, struct file_cache **ret)
{
	int64_t generation;
	int err = store_int(s, &generation, "SELECT value FROM generations WHERE name = 'files'", "");
	if (err)
		return err;
	size_t oldest = 0;
	for (size_t i = 0; i < STORE_FILE_CACHES; i++) {
		struct file_cache *c = s->file_cache[i];
		if (c && c->generation != generation) { /* reference hashes changed since */
			cache_free(c);
			s->file_cache[i] = c = NULL;
		}
		if (c && c->product == product && !strcmp(c->algo, algo)) {
			c->last_use = ++s->file_cache_clock;
			*ret = c;
			return 0;
		}
		if (!c || (s->file_cache[oldest] && c->last_use < s->file_cache[oldest]->last_use))
			oldest = i;
	}
	struct file_cache *c = NULL;
	if ((err = load(s, product, algo, &c)))
		return err;
	if (c) {
		cache_free(s->file_cache[oldest]);
		s->file_cache[oldest] = c;
		c->generation = generation;
		c->last_use = ++s->file_cache_clock;
	}
	*ret = c;
	return 0;
}

static const char *
cache_find(const struct file_cache *c, const char *path)
{
	size_t i = store_name_index_find(&c->index, c->entries, sizeof(*c->entries),
	    offsetof(struct file_entry, path), path);
	return i == SIZE_MAX ? NULL : c->entries[i].hash;
}

/* One file's reference hash by a query ("" when none), into out. */
static int
lookup_one(struct policy_store *s, int64_t product, const char *algo, const char *path,
    char *out, size_t size)
{
	const char *slash = strrchr(path, '/');
	char dir[PS_VALUE_MAX + 1];
	size_t dirlen = slash ? (size_t)(slash - path) : 0;
	if (!slash || dirlen > PS_VALUE_MAX) {
		out[0] = '\0';
		return 0;
	}
	memcpy(dir, path, dirlen);
	dir[dirlen] = '\0';
	if (!dirlen)
		strcpy(dir, "/");
	struct store_rows *r;
	int rc = store_query(s, &r, one_sql, "Ittt", product, algo, slash + 1, dir);
	if (rc)
		return rc;
	out[0] = '\0';
	if ((rc = store_next(s, r)) > 0)
		snprintf(out, size, "%s", store_col_text(s, r, 0));
	store_done(s, r);
	return rc < 0 ? rc : 0;
}

void
store_file_cache_bound(struct policy_store *s, size_t rows)
{
	store_file_cache_drop(s);
	s->file_cache_rows = rows;
}

static bool
algo_known(const char *algo)
{
	static const char *const known[] = {"sha1", "sha256", "sha384", "sha512"};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(algo, known[i]))
			return true;
	return false;
}

/* Checks a look-up's input and starts its read transaction with the
 * product's cache (*ret_cache NULL: too big, look up file by file);
 * *ret_product 0 when the database does not know the product. */
static int
lookup_begin(struct policy_store *s, const char *product, const char *algo, size_t n,
    int64_t *ret_product, struct file_cache **ret_cache)
{
	*ret_product = 0;
	*ret_cache = NULL;
	if (n > PS_LOOKUP_MAX)
		return store_fail(s, TNC_ETOOLONG, "more than %d files in one lookup", PS_LOOKUP_MAX);
	if (!algo_known(algo))
		return store_fail(s, TNC_EINVALID, "unknown hash algorithm '%s'", algo);
	int err = store_check_name(s, "product", product);
	if (err)
		return err;
	err = store_begin(s, false); /* one snapshot for all files */
	if (!err) {
		err = store_id(s, STORE_PRODUCT, product, ret_product);
		if (err == TNC_ENOTFOUND) /* a product the database does not know */
			return 0;
	}
	return err ? err : cache_get(s, *ret_product, algo, ret_cache);
}

/* The reference hash of file i ("" when none) into out. */
static int
reference(struct policy_store *s, const struct file_cache *c, int64_t product, const char *algo,
    size_t i, const char *path, char out[PS_HASH_HEX_MAX + 1])
{
	out[0] = '\0';
	if (!path || strlen(path) > PS_PATH_MAX)
		return store_fail(s, TNC_EINVALID, "file %zu: a path of 1..%d bytes", i, PS_PATH_MAX);
	if (!product)
		return 0;
	if (!c)
		return lookup_one(s, product, algo, path, out, PS_HASH_HEX_MAX + 1);
	const char *ref = cache_find(c, path);
	if (ref) { /* cut as snprintf would cut it, without its cost per file */
		size_t n = strnlen(ref, PS_HASH_HEX_MAX);
		memcpy(out, ref, n);
		out[n] = '\0';
	}
	return 0;
}

int
policy_store_file_verdicts(struct policy_store *s, const char *product, const char *algo,
    const struct ps_file_measurement *m, size_t n, uint8_t *ret)
{
	int64_t product_id;
	struct file_cache *c;
	int err = lookup_begin(s, product, algo, n, &product_id, &c);
	for (size_t i = 0; !err && i < n; i++) {
		char ref[PS_HASH_HEX_MAX + 1];
		err = m[i].hash ? reference(s, c, product_id, algo, i, m[i].path, ref)
		                : store_fail(s, TNC_EINVALID, "file %zu: no hash", i);
		if (!err)
			ret[i] = !ref[0] ? PS_FILE_UNKNOWN
			         : strcmp(ref, m[i].hash) ? PS_FILE_DIFFER : PS_FILE_OK;
	}
	return store_end(s, err);
}

int
policy_store_file_references(struct policy_store *s, const char *product, const char *algo,
    const char *const *paths, size_t n, char (*ret)[PS_HASH_HEX_MAX + 1])
{
	int64_t product_id;
	struct file_cache *c;
	int err = lookup_begin(s, product, algo, n, &product_id, &c);
	for (size_t i = 0; !err && i < n; i++)
		err = reference(s, c, product_id, algo, i, paths[i], ret[i]);
	return store_end(s, err);
}
