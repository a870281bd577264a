/* store_copy.c - moving a site's whole database to another store (e.g.
 * from SQLite to PostgreSQL; see policy_admin.h).
 *
 * Table by table in the order of their references, every row with its id,
 * read in one snapshot of the source and written in one transaction of the
 * target.  Before the target commits, each of its tables is read back and
 * must give the row count and checksum (BLAKE2b over every cell in id
 * order) of the source's, so a copy is whole and equal or not there.
 */
#include <errno.h>
#include <inttypes.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "policy_admin.h"
#include "store_int.h"

struct table {
	const char *name;
	const char *kinds; /* per column: 'I' integer, 't' text */
	const char *select_sql, *insert_sql;
};

#define TABLE(name, cols, order, kinds, marks)                                                \
	{name, kinds, "SELECT " cols " FROM " name " ORDER BY " order,                          \
	    "INSERT INTO " name " (" cols ") VALUES (" marks ")"}

/* Parents before children; groups.parent is set once every group is in. */
static const struct table tables[PS_COPY_TABLES] = {
    TABLE("products", "id, name", "id", "It", "?, ?"),
    TABLE("identities", "id, type, value", "id", "Itt", "?, ?, ?"),
    TABLE("devices", "id, value, description, product, trusted, aik_keyid, first_seen, last_seen",
        "id", "IttIItII", "?, ?, ?, ?, ?, ?, ?, ?"),
    TABLE("devices_identities", "device, identity, first_seen, last_seen", "device, identity",
        "IIII", "?, ?, ?, ?"),
    TABLE("sessions", "id, time, connection, identity, device, product, rec, eval", "id",
        "IIIIIItt", "?, ?, ?, ?, ?, ?, ?, ?"),
    TABLE("groups", "id, name, is_default", "id", "ItI", "?, ?, ?"),
    TABLE("groups_devices", "group_id, device", "group_id, device", "II", "?, ?"),
    TABLE("groups_products", "group_id, product", "group_id, product", "II", "?, ?"),
    TABLE("directories", "id, path", "id", "It", "?, ?"),
    TABLE("files", "id, dir, name", "id", "IIt", "?, ?, ?"),
    TABLE("file_hashes", "file, product, algo, hash, size", "file, product, algo", "IIttI",
        "?, ?, ?, ?, ?"),
    TABLE("policies", "id, type, name, argument, rec_fail, rec_noresult, file, dir", "id",
        "ItttttII", "?, ?, ?, ?, ?, ?, ?, ?"),
    TABLE("enforcements", "id, policy, group_id, max_age, rec_fail, rec_noresult", "id", "IIIItt",
        "?, ?, ?, ?, ?, ?"),
    TABLE("workitems",
        "id, session, policy, enforcement, type, argument, rec_fail, rec_noresult, imv, result, rec",
        "id", "IIIIttttItt", "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?"),
    TABLE("packages", "id, name, blacklist", "id", "ItI", "?, ?, ?"),
    TABLE("versions", "id, package, product, release, security, blacklist, time", "id",
        "IIItIII", "?, ?, ?, ?, ?, ?, ?"),
    TABLE("sw_identifiers", "id, name, package, version, regid", "id", "Itttt",
        "?, ?, ?, ?, ?"),
    TABLE("sw_tags", "identifier, tag, stored", "identifier", "ItI", "?, ?, ?"),
    TABLE("sw_inventory", "device, identifier, since", "device, identifier", "III", "?, ?, ?"),
    TABLE("sw_events", "id, device, epoch, eid, time, action, identifier", "id", "IIIIttI",
        "?, ?, ?, ?, ?, ?, ?"),
    TABLE("sw_state", "device, epoch, last_eid, updated", "device", "IIII", "?, ?, ?, ?"),
    TABLE("sw_vulnerable", "id, package, kind, version, advisory, source", "id", "Ittttt",
        "?, ?, ?, ?, ?, ?"),
};

static const char group_parents_sql[] = "SELECT id, parent FROM groups WHERE parent IS NOT NULL"
                                        " ORDER BY id",
                  group_parent_set_sql[] = "UPDATE groups SET parent = ? WHERE id = ?";

/* Folds one cell into the checksum: a type byte, then the value. */
static void
fold(crypto_generichash_state *h, struct policy_store *s, struct store_rows *r, int col)
{
	enum store_type t = store_col_type(s, r, col);
	uint8_t tag = (uint8_t)t;
	crypto_generichash_update(h, &tag, 1);
	if (t == STORE_INT) {
		char v[24];
		int n = snprintf(v, sizeof(v), "%" PRId64, store_col_int(s, r, col));
		crypto_generichash_update(h, (const uint8_t *)v, (size_t)n + 1);
	} else if (t == STORE_TEXT) {
		const char *v = store_col_text(s, r, col);
		crypto_generichash_update(h, (const uint8_t *)v, strlen(v) + 1);
	}
}

/* Reads a table in id order, giving its count and checksum; with to,
 * also writes each row there. */
static int
read_table(struct policy_store *from, const struct table *t, struct policy_store *to,
    struct ps_copy_table *ret)
{
	struct store_rows *r;
	crypto_generichash_state h;
	crypto_generichash_init(&h, NULL, 0, sizeof(ret->checksum));
	size_t ncols = strlen(t->kinds);
	int err = store_query(from, &r, t->select_sql, "");
	int rc = 0;
	ret->rows = 0;
	while (!err && (rc = store_next(from, r)) > 0) {
		struct store_param p[16];
		for (size_t c = 0; c < ncols; c++) {
			fold(&h, from, r, (int)c);
			bool null = store_col_type(from, r, (int)c) == STORE_NULL;
			if (t->kinds[c] == 'I')
				p[c] = null ? (struct store_param){'n', 0, NULL}
				            : (struct store_param){'I', store_col_int(from, r, (int)c), NULL};
			else
				p[c] = (struct store_param){'t', 0, null ? NULL : store_col_text(from, r, (int)c)};
		}
		ret->rows++;
		struct store_rows *w;
		if (to && !(err = to->driver->query(to, t->insert_sql, p, ncols, &w))) {
			while ((rc = store_next(to, w)) > 0)
				;
			store_done(to, w);
			if (rc < 0)
				err = store_fail(from, rc, "%s: %s", t->name, policy_store_error(to));
		}
	}
	if (!err && rc < 0)
		err = rc;
	store_done(from, r);
	crypto_generichash_final(&h, ret->checksum, sizeof(ret->checksum));
	return err;
}

/* Every group's parent, set once all groups are there. */
static int
copy_group_parents(struct policy_store *from, struct policy_store *to)
{
	struct store_rows *r;
	int rc = 0, err = store_query(from, &r, group_parents_sql, "");
	while (!err && (rc = store_next(from, r)) > 0)
		if ((err = store_exec(to, group_parent_set_sql, "II", store_col_int(from, r, 1),
		         store_col_int(from, r, 0))))
			store_fail(from, err, "groups: %s", policy_store_error(to));
	if (!err && rc < 0)
		err = rc;
	store_done(from, r);
	return err;
}

/* Rows beyond the default policy, or the default policy changed: with
 * default-policy.sql's three policies enforced by the default group, no
 * argument, max_age or override. */
static const char own_rows_sql[] =
    "SELECT (SELECT count(*) FROM products) + (SELECT count(*) FROM devices)"
    " + (SELECT count(*) FROM packages) + (SELECT count(*) FROM directories)"
    " + (SELECT count(*) FROM sessions) + (SELECT count(*) FROM identities)"
    " + (SELECT count(*) FROM sw_identifiers) + (SELECT count(*) FROM sw_vulnerable)"
    " + (SELECT count(*) FROM groups WHERE is_default = 0 OR name != 'Default'"
    "    OR parent IS NOT NULL)"
    " + (SELECT count(*) FROM policies WHERE argument != '' OR file IS NOT NULL"
    "    OR dir IS NOT NULL OR NOT ((name = 'Installed Packages' AND type = 'PCKGS')"
    "    OR (name = 'IP Forwarding Enabled' AND type = 'FWDEN')"
    "    OR (name = 'Default Password Enabled' AND type = 'PWDEN'))"
    "    OR rec_fail != 'isolate' OR rec_noresult != 'isolate')"
    " + (SELECT count(*) FROM enforcements WHERE max_age != 0 OR rec_fail IS NOT NULL"
    "    OR rec_noresult IS NOT NULL"
    "    OR group_id NOT IN (SELECT id FROM groups WHERE is_default = 1))"
    " + (SELECT CASE WHEN count(*) = 3 THEN 0 ELSE 1 END FROM enforcements)";

int
store_clear_fresh(struct policy_store *s)
{
	int64_t n = 0;
	int err = store_int(s, &n, own_rows_sql, "");
	if (!err && n)
		err = store_fail(s, -EEXIST, "the database holds products, devices, packages, files,"
		    " software, sessions, groups or policies of its own, or a changed default policy:"
		    " import into a new one");
	if (!err)
		err = store_exec(s, "DELETE FROM groups", "");
	if (!err)
		err = store_exec(s, "DELETE FROM policies", "");
	return err;
}

static int
copy_all(struct policy_store *from, struct policy_store *to, struct ps_copy_report *ret)
{
	int err = store_clear_fresh(to);
	if (err)
		return store_fail(from, err, "target: %s", policy_store_error(to));
	for (size_t i = 0; !err && i < PS_COPY_TABLES; i++) {
		ret->tables[i].name = tables[i].name;
		err = read_table(from, &tables[i], to, &ret->tables[i]);
	}
	if (!err)
		err = copy_group_parents(from, to);
	if (!err && ((err = to->driver->ids_follow(to)) || (err = store_packages_changed(to)) ||
	                (err = store_files_changed(to)) || (err = store_policies_changed(to))))
		store_fail(from, err, "target: %s", policy_store_error(to));
	/* read back, inside the target's transaction */
	for (size_t i = 0; !err && i < PS_COPY_TABLES; i++) {
		struct ps_copy_table back;
		err = read_table(to, &tables[i], NULL, &back);
		if (err)
			store_fail(from, err, "reading back %s: %s", tables[i].name, policy_store_error(to));
		else if (back.rows != ret->tables[i].rows ||
		    memcmp(back.checksum, ret->tables[i].checksum, sizeof(back.checksum)))
			err = store_fail(from, TNC_EINVALID,
			    "%s: %zu rows copied, %zu read back, checksums %s", tables[i].name,
			    ret->tables[i].rows, back.rows,
			    memcmp(back.checksum, ret->tables[i].checksum, sizeof(back.checksum))
			        ? "differ" : "equal");
	}
	return err;
}

int
policy_admin_copy(struct policy_store *from, struct policy_store *to, struct ps_copy_report *ret)
{
	*ret = (struct ps_copy_report){0};
	if (from->version != to->version)
		return store_fail(from, TNC_EVERSION, "schema %d to schema %d: migrate both first",
		    from->version, to->version);
	int err = store_begin(from, false);
	if (!err && (err = store_begin(to, true)))
		store_fail(from, err, "target: %s", policy_store_error(to));
	if (!err)
		err = copy_all(from, to, ret);
	int end = store_end(to, err);
	if (!err && end)
		err = store_fail(from, end, "target: %s", policy_store_error(to));
	store_pkg_cache_drop(to);
	store_file_cache_drop(to);
	store_plan_cache_drop(to);
	return store_end(from, err);
}
