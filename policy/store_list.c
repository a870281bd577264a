/* store_list.c - the operator's listings: one SQL text and one column list
 * each, the column types fixed here and checked against every row (see
 * policy_admin.h). */
#include <stdlib.h>
#include <string.h>

#include "os_version.h"
#include "policy_admin.h"
#include "store_int.h"

#define COLS_MAX 10

enum list_arg { ARG_NONE, ARG_GROUP, ARG_DEVICE, ARG_PRODUCT, ARG_SESSION };

struct listing {
	enum list_arg arg;
	const char *sql; /* ?1 the argument's id, ?2 the row limit */
	struct ps_column cols[COLS_MAX];
	/* The last column is not the SQL's: whether another release of the
	 * row's package (column 0; its rows come one after the other) is newer
	 * in dpkg's order (release: column 1), which SQL cannot say. */
	bool outdated;
};

#define T(n) {n, PS_COL_TEXT}
#define I(n) {n, PS_COL_INT}
#define B(n) {n, PS_COL_BOOL}

#define DEVICE_SELECT                                                                        \
	"SELECT d.id, d.value, d.description, p.name, d.trusted, d.aik_keyid, d.first_seen,"   \
	" d.last_seen, (SELECT count(*) FROM sessions WHERE device = d.id)"                    \
	" FROM devices AS d LEFT JOIN products AS p ON p.id = d.product"
#define DEVICE_COLS                                                                          \
	I("id"), T("device"), T("description"), T("product"), B("trusted"), T("aik_keyid"),   \
	    I("first_seen"), I("last_seen"), I("sessions")
#define SESSION_SELECT                                                                       \
	"SELECT s.id, s.time, s.connection, i.type || ':' || i.value, d.value, p.name, s.rec,"  \
	" s.eval FROM sessions AS s LEFT JOIN identities AS i ON i.id = s.identity"            \
	" LEFT JOIN devices AS d ON d.id = s.device LEFT JOIN products AS p ON p.id = s.product"
#define SESSION_COLS                                                                         \
	I("id"), I("time"), I("connection"), T("identity"), T("device"), T("product"),        \
	    T("rec"), T("eval")

static const struct listing listings[PS_LIST_COUNT] = {
    [PS_LIST_PRODUCTS] = {ARG_NONE,
        "SELECT p.id, p.name, (SELECT count(*) FROM devices WHERE product = p.id),"
        " (SELECT count(*) FROM versions WHERE product = p.id) FROM products AS p"
        " ORDER BY p.id LIMIT ?2",
        {I("id"), T("name"), I("devices"), I("versions")}, false},
    [PS_LIST_GROUPS] = {ARG_NONE,
        "SELECT g.id, g.name, pg.name, g.is_default,"
        " (SELECT count(*) FROM groups_devices WHERE group_id = g.id),"
        " (SELECT count(*) FROM groups_products WHERE group_id = g.id),"
        " (SELECT count(*) FROM enforcements WHERE group_id = g.id)"
        " FROM groups AS g LEFT JOIN groups AS pg ON pg.id = g.parent ORDER BY g.id LIMIT ?2",
        {I("id"), T("name"), T("parent"), B("default"), I("devices"), I("products"),
            I("enforcements")}, false},
    [PS_LIST_GROUP_MEMBERS] = {ARG_GROUP,
        "SELECT 'device', d.value FROM groups_devices AS gd JOIN devices AS d ON d.id = gd.device"
        " WHERE gd.group_id = ?1 UNION ALL SELECT 'product', p.name FROM groups_products AS gp"
        " JOIN products AS p ON p.id = gp.product WHERE gp.group_id = ?1 ORDER BY 1, 2 LIMIT ?2",
        {T("kind"), T("name")}, false},
    [PS_LIST_POLICIES] = {ARG_NONE,
        "SELECT p.id, p.name, p.type, p.argument, p.rec_fail, p.rec_noresult,"
        " coalesce((SELECT rtrim(d.path, '/') || '/' || f.name FROM files AS f"
        "   JOIN directories AS d ON d.id = f.dir WHERE f.id = p.file),"
        "  (SELECT path FROM directories WHERE id = p.dir))"
        " FROM policies AS p ORDER BY p.id LIMIT ?2",
        {I("id"), T("name"), T("type"), T("argument"), T("rec_fail"), T("rec_noresult"),
            T("path")}, false},
    [PS_LIST_ENFORCEMENTS] = {ARG_NONE,
        "SELECT e.id, p.name, g.name, e.max_age, e.rec_fail, e.rec_noresult"
        " FROM enforcements AS e JOIN policies AS p ON p.id = e.policy"
        " JOIN groups AS g ON g.id = e.group_id ORDER BY e.id LIMIT ?2",
        {I("id"), T("policy"), T("group"), I("max_age"), T("rec_fail"), T("rec_noresult")},
        false},
    [PS_LIST_DEVICES] = {ARG_NONE, DEVICE_SELECT " ORDER BY d.id LIMIT ?2", {DEVICE_COLS}, false},
    [PS_LIST_DEVICE] = {ARG_DEVICE, DEVICE_SELECT " WHERE d.id = ?1 LIMIT ?2", {DEVICE_COLS},
        false},
    [PS_LIST_DEVICE_GROUPS] = {ARG_DEVICE,
        "SELECT g.name, 'member' FROM groups_devices AS gd JOIN groups AS g ON g.id = gd.group_id"
        " WHERE gd.device = ?1"
        " UNION ALL SELECT g.name, 'product' FROM groups_products AS gp"
        " JOIN groups AS g ON g.id = gp.group_id"
        " WHERE gp.product = (SELECT product FROM devices WHERE id = ?1)"
        " UNION ALL SELECT name, 'default' FROM groups WHERE is_default = 1 LIMIT ?2",
        {T("group"), T("via")}, false},
    [PS_LIST_DEVICE_IDENTITIES] = {ARG_DEVICE,
        "SELECT i.type, i.value, di.first_seen, di.last_seen FROM devices_identities AS di"
        " JOIN identities AS i ON i.id = di.identity WHERE di.device = ?1"
        " ORDER BY di.last_seen DESC LIMIT ?2",
        {T("type"), T("value"), I("first_seen"), I("last_seen")}, false},
    [PS_LIST_PACKAGES] = {ARG_PRODUCT,
        "SELECT p.name, v.release, v.security,"
        " CASE WHEN v.blacklist = 1 OR p.blacklist = 1 THEN 1 ELSE 0 END"
        " FROM versions AS v JOIN packages AS p ON p.id = v.package WHERE v.product = ?1"
        " ORDER BY p.name, v.id LIMIT ?2",
        {T("package"), T("release"), B("security"), B("blacklist"), B("outdated")}, true},
    [PS_LIST_FILES] = {ARG_PRODUCT,
        "SELECT rtrim(d.path, '/') || '/' || f.name, h.algo, h.hash, h.size"
        " FROM file_hashes AS h JOIN files AS f ON f.id = h.file"
        " JOIN directories AS d ON d.id = f.dir WHERE h.product = ?1"
        " ORDER BY d.path, f.name, h.algo LIMIT ?2",
        {T("path"), T("algo"), T("hash"), I("size")}, false},
    [PS_LIST_SESSIONS] = {ARG_NONE, SESSION_SELECT " ORDER BY s.id DESC LIMIT ?2",
        {SESSION_COLS}, false},
    [PS_LIST_SESSION] = {ARG_SESSION, SESSION_SELECT " WHERE s.id = ?1 LIMIT ?2", {SESSION_COLS},
        false},
    [PS_LIST_SESSION_WORKITEMS] = {ARG_SESSION,
        "SELECT id, type, argument, imv, rec_fail, rec_noresult, rec, result FROM workitems"
        " WHERE session = ?1 ORDER BY id LIMIT ?2",
        {I("id"), T("type"), T("argument"), I("imv"), T("rec_fail"), T("rec_noresult"),
            T("rec"), T("result")}, false},
    [PS_LIST_TABLES] = {ARG_NONE,
        "SELECT * FROM (SELECT 'products', count(*) FROM products"
        " UNION ALL SELECT 'devices', count(*) FROM devices"
        " UNION ALL SELECT 'identities', count(*) FROM identities"
        " UNION ALL SELECT 'devices_identities', count(*) FROM devices_identities"
        " UNION ALL SELECT 'sessions', count(*) FROM sessions"
        " UNION ALL SELECT 'groups', count(*) FROM groups"
        " UNION ALL SELECT 'groups_devices', count(*) FROM groups_devices"
        " UNION ALL SELECT 'groups_products', count(*) FROM groups_products"
        " UNION ALL SELECT 'directories', count(*) FROM directories"
        " UNION ALL SELECT 'files', count(*) FROM files"
        " UNION ALL SELECT 'file_hashes', count(*) FROM file_hashes"
        " UNION ALL SELECT 'policies', count(*) FROM policies"
        " UNION ALL SELECT 'enforcements', count(*) FROM enforcements"
        " UNION ALL SELECT 'workitems', count(*) FROM workitems"
        " UNION ALL SELECT 'packages', count(*) FROM packages"
        " UNION ALL SELECT 'versions', count(*) FROM versions"
        " UNION ALL SELECT 'sw_identifiers', count(*) FROM sw_identifiers"
        " UNION ALL SELECT 'sw_tags', count(*) FROM sw_tags"
        " UNION ALL SELECT 'sw_inventory', count(*) FROM sw_inventory"
        " UNION ALL SELECT 'sw_events', count(*) FROM sw_events"
        " UNION ALL SELECT 'sw_state', count(*) FROM sw_state"
        " UNION ALL SELECT 'sw_vulnerable', count(*) FROM sw_vulnerable) AS counts LIMIT ?2",
        {T("table"), I("rows")}, false},
};

const struct ps_column *
policy_admin_list_columns(enum ps_list what, size_t *ret_n)
{
	const struct listing *l = &listings[what];
	size_t n = 0;
	while (n < COLS_MAX && l->cols[n].name)
		n++;
	*ret_n = n;
	return l->cols;
}

static int
resolve(struct policy_store *s, enum list_arg kind, const char *arg, int64_t *ret)
{
	if (kind == ARG_NONE)
		return 0;
	if (!arg)
		return store_fail(s, TNC_EINVALID, "this listing needs a name");
	switch (kind) {
	case ARG_GROUP:
		return store_id(s, STORE_GROUP, arg, ret);
	case ARG_DEVICE:
		return store_id(s, STORE_DEVICE, arg, ret);
	case ARG_PRODUCT:
		return store_id(s, STORE_PRODUCT, arg, ret);
	default: {
		char *end;
		long long id = strtoll(arg, &end, 10);
		int err = (!arg[0] || *end || id <= 0) ? TNC_ENOTFOUND
		                                       : store_int(s, ret,
		                                             "SELECT id FROM sessions WHERE id = ?",
		                                             "I", (int64_t)id);
		return err == TNC_ENOTFOUND ? store_fail(s, err, "no session '%s'", arg) : err;
	}
	}
}

/* One row into cells, refusing a value whose type is not the column's. */
static int
row_cells(struct policy_store *s, struct store_rows *r, const struct ps_column *cols, size_t n,
    struct ps_cell *cells)
{
	for (size_t i = 0; i < n; i++) {
		enum store_type t = store_col_type(s, r, (int)i);
		bool want_int = cols[i].type != PS_COL_TEXT;
		cells[i] = (struct ps_cell){.null = t == STORE_NULL};
		if (t == STORE_NULL)
			continue;
		if (want_int != (t == STORE_INT))
			return store_fail(s, TNC_EINVALID, "column %s holds a value of the wrong type",
			    cols[i].name);
		if (want_int)
			cells[i].i = store_col_int(s, r, (int)i);
		else
			cells[i].s = store_col_text(s, r, (int)i);
	}
	return 0;
}

/* The rows of one package, held until the next package's first row. */
struct package_rows {
	size_t n, cap;
	struct ps_cell (*rows)[COLS_MAX];
};

static void
package_rows_clear(struct package_rows *p, size_t ncols)
{
	for (size_t i = 0; i < p->n; i++)
		for (size_t c = 0; c < ncols; c++)
			if (!p->rows[i][c].null && p->rows[i][c].s)
				free((char *)p->rows[i][c].s);
	p->n = 0;
}

static struct bytes
text_bytes(const char *t)
{
	return (struct bytes){(const uint8_t *)t, strlen(t)};
}

/* Gives the held rows with their outdated column to fn. */
static int
package_rows_flush(struct package_rows *p, const struct ps_column *cols, size_t n, ps_row_fn *fn,
    void *ctx)
{
	int err = 0;
	for (size_t i = 0; !err && i < p->n; i++) {
		const char *mine = p->rows[i][1].s;
		bool newer = false;
		for (size_t j = 0; !newer && j < p->n; j++)
			newer = os_version_cmp(text_bytes(p->rows[j][1].s), text_bytes(mine)) > 0;
		p->rows[i][n - 1] = (struct ps_cell){.i = newer};
		err = fn(ctx, cols, p->rows[i], n);
	}
	package_rows_clear(p, n - 1);
	return err;
}

/* Holds a copy of a row of the packages listing. */
static void
package_rows_add(struct package_rows *p, const struct ps_column *cols, const struct ps_cell *cells,
    size_t ncols)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? 2 * p->cap : 16;
		p->rows = realloc(p->rows, p->cap * sizeof(*p->rows));
		if (!p->rows)
			abort();
	}
	for (size_t c = 0; c < ncols; c++) {
		p->rows[p->n][c] = cells[c];
		if (!cells[c].null && cols[c].type == PS_COL_TEXT &&
		    !(p->rows[p->n][c].s = strdup(cells[c].s)))
			abort();
	}
	p->n++;
}

int
policy_admin_list(struct policy_store *s, enum ps_list what, const char *arg, int64_t limit,
    ps_row_fn *fn, void *ctx)
{
	if ((unsigned)what >= PS_LIST_COUNT)
		return store_fail(s, TNC_EINVALID, "unknown listing");
	const struct listing *l = &listings[what];
	size_t n;
	const struct ps_column *cols = policy_admin_list_columns(what, &n);
	size_t from_sql = l->outdated ? n - 1 : n;
	struct ps_cell cells[COLS_MAX];
	struct package_rows held = {0};
	struct store_rows *r = NULL;
	int64_t id = 0;
	int err = store_begin(s, false);
	if (!err)
		err = resolve(s, l->arg, arg, &id);
	if (!err)
		err = store_query(s, &r, l->sql, "II", id, limit > 0 ? limit : INT64_MAX);
	int rc = 0;
	while (!err && (rc = store_next(s, r)) > 0) {
		err = row_cells(s, r, cols, from_sql, cells);
		if (err)
			break;
		if (!l->outdated) {
			err = fn(ctx, cols, cells, n);
			continue;
		}
		if (held.n && strcmp(held.rows[0][0].s, cells[0].s))
			err = package_rows_flush(&held, cols, n, fn, ctx);
		package_rows_add(&held, cols, cells, from_sql);
	}
	if (!err && rc < 0)
		err = rc;
	store_done(s, r);
	if (!err && held.n)
		err = package_rows_flush(&held, cols, n, fn, ctx);
	package_rows_clear(&held, from_sql);
	free(held.rows);
	return store_end(s, err);
}
