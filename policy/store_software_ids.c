/* store_software_ids.c - what the software database's calls share (see
 * store_software_int.h): devices by device ID, software identifiers by
 * name in multi-row statements, and listing cells. */
#include <stdlib.h>
#include <string.h>

#include "store_software_int.h"

#define REP10(x) x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x
#define REP100(x) REP10(REP10(x))
_Static_assert(SW_BATCH == 100, "the batch statements below hold 100 rows");

/* A known identifier learns its package, version and regid only when it
 * had none: an unchanged inventory rewrites no row. */
#define IDS_UPSERT(rows)                                                                     \
	"INSERT INTO sw_identifiers (name, package, version, regid) VALUES " rows               \
	" ON CONFLICT (name) DO UPDATE SET package = excluded.package,"                       \
	" version = excluded.version, regid = excluded.regid"                                  \
	" WHERE sw_identifiers.package IS NULL AND excluded.package IS NOT NULL"
static const char ids_upsert_sql[] = IDS_UPSERT(REP100("(?, ?, ?, ?)")),
                  id_upsert_sql[] = IDS_UPSERT("(?, ?, ?, ?)");
static const char ids_select_sql[] =
                      "SELECT id, name FROM sw_identifiers WHERE name IN (" REP100("?") ")",
                  id_select_sql[] = "SELECT id, name FROM sw_identifiers WHERE name IN (?)";

int
sw_device_ensure(struct policy_store *s, const char *device, int64_t now, int64_t *ret)
{
	int err = store_check_name(s, "device ID", device);
	if (err)
		return err;
	/* the no-op update makes RETURNING give an existing row's id too */
	return store_int(s, ret,
	    "INSERT INTO devices (value, first_seen, last_seen) VALUES (?1, ?2, ?2)"
	    " ON CONFLICT (value) DO UPDATE SET last_seen = devices.last_seen RETURNING id",
	    "tI", device, now);
}

int
sw_device_find(struct policy_store *s, const char *device, int64_t *ret)
{
	return store_id(s, STORE_DEVICE, device, ret);
}

static int
check_part(struct policy_store *s, const char *what, const char *name, const char *v)
{
	if (v && (!v[0] || strlen(v) > PS_VALUE_MAX))
		return store_fail(s, TNC_EINVALID, "%s of software identifier '%.64s' is empty or"
		    " longer than %d bytes", what, name, PS_VALUE_MAX);
	return 0;
}

int
sw_id_check(struct policy_store *s, const struct ps_sw_id *id)
{
	if (!id->name || !id->name[0])
		return store_fail(s, TNC_EINVALID, "a software identifier is empty");
	if (strlen(id->name) > PS_SW_ID_MAX)
		return store_fail(s, TNC_ETOOLONG, "software identifier '%.64s...' is longer than %d"
		    " bytes", id->name, PS_SW_ID_MAX);
	int err = check_part(s, "the package", id->name, id->package);
	if (!err)
		err = check_part(s, "the version", id->name, id->version);
	if (!err)
		err = check_part(s, "the regid", id->name, id->regid);
	return err;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp((*(const struct ps_sw_id *const *)a)->name,
	    (*(const struct ps_sw_id *const *)b)->name);
}

void
sw_ids_unique(const struct ps_sw_id **v, size_t *n)
{
	if (!*n)
		return;
	qsort(v, *n, sizeof(*v), by_name);
	size_t out = 1;
	for (size_t i = 1; i < *n; i++)
		if (strcmp(v[i]->name, v[out - 1]->name))
			v[out++] = v[i];
	*n = out;
}

ptrdiff_t
sw_ids_find(const struct ps_sw_id *const *v, size_t n, const char *name)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(v[mid]->name, name);
		if (!c)
			return (ptrdiff_t)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

int
sw_batch(struct policy_store *s, const char *batch_sql, const char *one_sql, size_t width,
    size_t n, sw_bind_fn *bind, sw_rows_fn *each, void *ctx, int64_t *ret_changes)
{
	struct store_param *p = malloc(SW_BATCH * width * sizeof(*p));
	int err = 0;
	if (!p)
		abort();
	for (size_t at = 0; at < n && !err;) {
		size_t k = n - at >= SW_BATCH ? SW_BATCH : 1;
		struct store_rows *r = NULL;
		for (size_t i = 0; i < k; i++)
			bind(ctx, at + i, p + i * width);
		err = s->driver->query(s, k == SW_BATCH ? batch_sql : one_sql, p, k * width, &r);
		if (!err && each) {
			err = each(ctx, s, r);
		} else if (!err) {
			int rc;
			while ((rc = store_next(s, r)) > 0)
				;
			err = rc;
		}
		store_done(s, r);
		if (!err && ret_changes)
			*ret_changes += store_changes(s);
		at += k;
	}
	free(p);
	return err;
}

struct resolve {
	const struct ps_sw_id *const *v;
	size_t n;
	int64_t *ids;
	size_t found;
};

static struct store_param
text_param(const char *t)
{
	return (struct store_param){'t', 0, t};
}

static void
bind_upsert(void *ctx, size_t row, struct store_param *p)
{
	const struct ps_sw_id *id = ((struct resolve *)ctx)->v[row];
	p[0] = text_param(id->name);
	p[1] = text_param(id->package);
	p[2] = text_param(id->version);
	p[3] = text_param(id->regid);
}

static void
bind_name(void *ctx, size_t row, struct store_param *p)
{
	p[0] = text_param(((struct resolve *)ctx)->v[row]->name);
}

static int
take_ids(void *ctx, struct policy_store *s, struct store_rows *r)
{
	struct resolve *c = ctx;
	int rc;
	while ((rc = store_next(s, r)) > 0) {
		ptrdiff_t i = sw_ids_find(c->v, c->n, store_col_text(s, r, 1));
		if (i >= 0) {
			c->ids[i] = store_col_int(s, r, 0);
			c->found++;
		}
	}
	return rc;
}

int
sw_ids_resolve(struct policy_store *s, const struct ps_sw_id *const *v, size_t n, int64_t *ids)
{
	struct resolve c = {v, n, ids, 0};
	int err = sw_batch(s, ids_upsert_sql, id_upsert_sql, 4, n, bind_upsert, NULL, &c, NULL);
	if (!err)
		err = sw_batch(s, ids_select_sql, id_select_sql, 1, n, bind_name, take_ids, &c, NULL);
	if (!err && c.found != n)
		err = store_fail(s, TNC_EINVALID, "%zu of %zu software identifiers not found after"
		    " their insert", n - c.found, n);
	return err;
}

struct ps_cell
sw_cell_text(const char *v)
{
	return (struct ps_cell){.null = !v, .s = v};
}

struct ps_cell
sw_cell_int(int64_t v)
{
	return (struct ps_cell){.i = v};
}
