/* verify_refdb.c - a product's reference hashes, sorted by path (see
 * verify_refdb.h).  Read through the operator's listing of the store
 * (PS_LIST_FILES), the one read call the store has for them. */
#include "verify_refdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy_admin.h"

struct ref {
	char *path, *alg, *hash;
};

struct refdb {
	size_t n, cap;
	struct ref *refs;
};

static int
add_row(void *ctx, const struct ps_column *cols, const struct ps_cell *cells, size_t ncols)
{
	struct refdb *r = ctx;
	struct ref *f;

	/* path, algo, hash, size */
	if (ncols < 3 || cells[0].null || cells[1].null || cells[2].null)
		return 0;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		if (!(r->refs = realloc(r->refs, r->cap * sizeof(*r->refs))))
			abort();
	}
	f = &r->refs[r->n++];
	if (!(f->path = strdup(cells[0].s)) || !(f->alg = strdup(cells[1].s)) ||
	    !(f->hash = strdup(cells[2].s)))
		abort();
	for (char *p = f->hash; *p; p++)
		if (*p >= 'A' && *p <= 'F')
			*p = (char)(*p - 'A' + 'a');
	return 0;
}

static int
by_path(const void *a, const void *b)
{
	return strcmp(((const struct ref *)a)->path, ((const struct ref *)b)->path);
}

int
refdb_load(const char *db, const char *password_file, const char *product, struct refdb **ret)
{
	struct refdb *r = calloc(1, sizeof(*r));
	struct policy_store *s = NULL;
	struct ps_target *t = NULL;
	char err[PS_ERROR_MAX];
	int rc;

	if (!r)
		abort();
	if ((rc = ps_target_make(db, password_file, &t, err, sizeof(err))) ||
	    (rc = policy_store_open_target(t, 0, &s, err, sizeof(err)))) {
		fprintf(stderr, "tncverify: %s: %s\n", db, err);
		goto out;
	}
	if ((rc = policy_admin_list(s, PS_LIST_FILES, product, 0, add_row, r))) {
		fprintf(stderr, "tncverify: %s: %s\n", db, policy_store_error(s));
		goto out;
	}
	if (r->n)
		qsort(r->refs, r->n, sizeof(*r->refs), by_path);
	*ret = r;
	r = NULL;
out:
	policy_store_close(s);
	ps_target_free(t);
	refdb_free(r);
	return rc;
}

void
refdb_free(struct refdb *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		free(r->refs[i].path);
		free(r->refs[i].alg);
		free(r->refs[i].hash);
	}
	free(r->refs);
	free(r);
}

size_t
refdb_size(const struct refdb *r)
{
	return r->n;
}

static int
cmp_path(struct bytes path, const char *p)
{
	size_t n = strlen(p), common = path.len < n ? path.len : n;
	int c = common ? memcmp(path.ptr, p, common) : 0;
	return c ? c : (path.len > n) - (path.len < n);
}

enum refdb_result
refdb_lookup(const struct refdb *r, struct bytes path, struct bytes alg, const char *hex)
{
	size_t lo = 0, hi = r->n;
	bool same_alg = false;

	while (lo < hi) { /* the first row of path */
		size_t mid = lo + (hi - lo) / 2;
		if (cmp_path(path, r->refs[mid].path) > 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t i = lo; i < r->n && cmp_path(path, r->refs[i].path) == 0; i++) {
		if (!bytes_eq_str(alg, r->refs[i].alg))
			continue;
		if (strcmp(hex, r->refs[i].hash) == 0)
			return REFDB_OK;
		same_alg = true;
	}
	return same_alg ? REFDB_DIFFER : REFDB_UNKNOWN;
}
