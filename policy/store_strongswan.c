/* store_strongswan.c - taking over a strongSwan / strongTNC IMV policy
 * database (SQLite; strongSwan's templates/database/imv/tables.sql).
 *
 * The file is attached read-only and copied table by table in one
 * transaction, keeping the ids, so an operator finds the same rows under
 * the same numbers.  strongSwan's integer codes become our names: policy
 * types 1..16 (IMV_WORKITEM_*; 15 is SWIDI when its argument asks for
 * software identifiers only, flag R, else SWIDT), recommendations 0..3
 * (TNC_IMV_Action_Recommendation).  A code we do not know fails the import.
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy_admin.h"
#include "store_int.h"
#include "store_sqlite.h"

#define REC(col)                                                                        \
	"CASE WHEN " col " IS NULL THEN NULL WHEN " col " = 0 THEN 'allow' WHEN " col     \
	" = 1 THEN 'no_access' WHEN " col " = 2 THEN 'isolate' WHEN " col                 \
	" = 3 THEN 'none' ELSE 'unknown:' || " col " END"

struct step {
	const char *what;
	size_t count; /* offset in struct ps_import_counts */
	const char *sql;
};

static const struct step steps[] = {
    {"products", offsetof(struct ps_import_counts, products),
        "INSERT INTO products (id, name) SELECT id, name FROM ss.products"},
    {"directories", offsetof(struct ps_import_counts, directories),
        "INSERT INTO directories (id, path) SELECT id, path FROM ss.directories"},
    {"files", offsetof(struct ps_import_counts, files),
        "INSERT INTO files (id, dir, name) SELECT id, dir, name FROM ss.files"},
    {"packages", offsetof(struct ps_import_counts, packages),
        "INSERT INTO packages (id, name, blacklist)"
        " SELECT id, name, coalesce(blacklist, 0) != 0 FROM ss.packages"},
    {"versions", offsetof(struct ps_import_counts, versions),
        "INSERT INTO versions (id, package, product, release, security, blacklist, time)"
        " SELECT id, package, product, coalesce(release, ''), coalesce(security, 0) != 0,"
        " coalesce(blacklist, 0) != 0, coalesce(time, 0) FROM ss.versions"},
    /* reference hashes are per package version there, per product here */
    {"file_hashes", offsetof(struct ps_import_counts, file_hashes),
        "INSERT INTO file_hashes (file, product, algo, hash, size)"
        " SELECT h.file, v.product, lower(a.name),"
        "  CASE WHEN typeof(h.hash) = 'blob' THEN lower(hex(h.hash)) ELSE lower(h.hash) END,"
        "  h.size FROM ss.file_hashes AS h JOIN ss.versions AS v ON v.id = h.version"
        " JOIN ss.algorithms AS a ON a.id = h.algo WHERE h.device IS NULL OR h.device = 0"
        " ORDER BY h.id ON CONFLICT DO NOTHING"},
    {"devices", offsetof(struct ps_import_counts, devices),
        "INSERT INTO devices (id, value, description, product, trusted, first_seen, last_seen)"
        " SELECT d.id, d.value, coalesce(d.description, ''),"
        "  CASE WHEN d.product > 0 THEN d.product END, coalesce(d.trusted, 0) != 0,"
        "  coalesce(d.created, 0), max(coalesce(d.created, 0),"
        "   coalesce((SELECT max(time) FROM ss.sessions WHERE device = d.id), 0))"
        " FROM ss.devices AS d"},
    {"groups", offsetof(struct ps_import_counts, groups),
        "INSERT INTO groups (id, name, parent)"
        " SELECT id, name, CASE WHEN parent > 0 THEN parent END FROM ss.groups"},
    {"groups_members", offsetof(struct ps_import_counts, group_devices),
        "INSERT INTO groups_devices (group_id, device)"
        " SELECT group_id, device_id FROM ss.groups_members"},
    {"groups_product_defaults", offsetof(struct ps_import_counts, group_products),
        "INSERT INTO groups_products (group_id, product)"
        " SELECT group_id, product_id FROM ss.groups_product_defaults"},
    {"policies", offsetof(struct ps_import_counts, policies),
        "INSERT INTO policies (id, type, name, argument, rec_fail, rec_noresult, file, dir)"
        " SELECT id, CASE type WHEN 1 THEN 'PCKGS' WHEN 2 THEN 'UNSRC' WHEN 3 THEN 'FWDEN'"
        "  WHEN 4 THEN 'PWDEN' WHEN 5 THEN 'FREFM' WHEN 6 THEN 'FMEAS' WHEN 7 THEN 'FMETA'"
        "  WHEN 8 THEN 'DREFM' WHEN 9 THEN 'DMEAS' WHEN 10 THEN 'DMETA' WHEN 11 THEN 'TCPOP'"
        "  WHEN 12 THEN 'TCPBL' WHEN 13 THEN 'UDPOP' WHEN 14 THEN 'UDPBL'"
        "  WHEN 15 THEN CASE WHEN instr(coalesce(argument, ''), 'R') THEN 'SWIDI' ELSE 'SWIDT' END"
        "  WHEN 16 THEN 'TPMRA' ELSE 'unknown:' || type END,"
        " name, coalesce(argument, ''), " REC("rec_fail") ", " REC("rec_noresult") ","
        " CASE WHEN file > 0 THEN file END, CASE WHEN dir > 0 THEN dir END FROM ss.policies"},
    {"enforcements", offsetof(struct ps_import_counts, enforcements),
        "INSERT INTO enforcements (id, policy, group_id, max_age, rec_fail, rec_noresult)"
        " SELECT id, policy, group_id, max_age, " REC("rec_fail") ", " REC("rec_noresult")
        " FROM ss.enforcements"},
};

static int
source_ok(struct policy_store *s, const char *path)
{
	int64_t tables = 0;
	char *problem = NULL;
	int rc = sqlite3_exec(store_sqlite_db(s), "PRAGMA ss.quick_check(1)", NULL, NULL, &problem);
	sqlite3_free(problem);
	if (rc != SQLITE_OK)
		return store_fail(s, TNC_EINVALID, "%s: not a SQLite database, or corrupt: %s", path,
		    sqlite3_errmsg(store_sqlite_db(s)));
	int err = store_int(s, &tables,
	    "SELECT count(*) FROM ss.sqlite_master WHERE type = 'table' AND name IN ('products',"
	    " 'directories', 'files', 'algorithms', 'file_hashes', 'packages', 'versions',"
	    " 'devices', 'groups', 'groups_members', 'groups_product_defaults', 'policies',"
	    " 'enforcements', 'sessions')", "");
	if (!err && tables != 14)
		err = store_fail(s, TNC_EINVALID, "%s: not a strongSwan IMV policy database", path);
	return err;
}

/* Attaches the file and copies with SQL, on the SQLite engine. */
static int
import_attached(struct policy_store *s, const char *path, struct ps_import_counts *ret)
{
	char u[4200];
	struct stat sb;
	struct ps_import_counts counts = {0};
	if (stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
		return store_fail(s, -ENOENT, "%s: no such file", path);
	if (store_sqlite_uri(path, "ro", u, sizeof(u)) < 0)
		return store_fail(s, TNC_ETOOLONG, "%s: path too long", path);
	int err = store_exec(s, "ATTACH DATABASE ? AS ss", "t", u);
	if (err)
		return store_fail(s, err, "%s: cannot open: %s", path, sqlite3_errmsg(store_sqlite_db(s)));
	err = source_ok(s, path);
	if (!err)
		err = store_begin(s, true);
	if (!err)
		err = store_clear_fresh(s);
	for (size_t i = 0; !err && i < sizeof(steps) / sizeof(steps[0]); i++) {
		err = store_exec(s, steps[i].sql, "");
		if (err)
			store_fail(s, err, "importing %s: %s", steps[i].what, policy_store_error(s));
		else
			*(size_t *)((char *)&counts + steps[i].count) = (size_t)store_changes(s);
	}
	if (!err)
		err = store_packages_changed(s);
	if (!err)
		err = store_files_changed(s);
	if (!err)
		err = store_policies_changed(s);
	err = store_end(s, err);
	/* statements on the attached schema must go before it can be detached */
	store_stmt_cache_clear(s);
	sqlite3_exec(store_sqlite_db(s), "DETACH DATABASE ss", NULL, NULL, NULL);
	if (!err)
		*ret = counts;
	return err;
}

/* Another engine cannot attach a SQLite file: the import goes to a new
 * SQLite database in a private temporary directory first, then is copied
 * over whole (policy_admin_copy). */
static int
import_via_sqlite(struct policy_store *s, const char *path, struct ps_import_counts *ret)
{
	char dir[] = "/tmp/tnc-import.XXXXXX", db[64], err[PS_ERROR_MAX];
	if (!mkdtemp(dir))
		return store_fail(s, -errno, "a temporary directory: %s", strerror(errno));
	snprintf(db, sizeof(db), "%s/import.db", dir);
	struct policy_store *tmp = NULL;
	struct ps_copy_report report;
	int code = policy_store_open(db, PS_OPEN_CREATE, &tmp, err, sizeof(err));
	if (code)
		store_fail(s, code, "%s", err);
	else if ((code = import_attached(tmp, path, ret)))
		store_fail(s, code, "%s", policy_store_error(tmp));
	else if ((code = policy_admin_copy(tmp, s, &report)))
		store_fail(s, code, "%s", policy_store_error(tmp));
	policy_store_close(tmp);
	static const char *const files[] = {"", "-wal", "-shm"};
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char f[80];
		snprintf(f, sizeof(f), "%s%s", db, files[i]);
		unlink(f);
	}
	rmdir(dir);
	return code;
}

int
policy_admin_import_strongswan(struct policy_store *s, const char *path,
    struct ps_import_counts *ret)
{
	if (s->driver == &store_sqlite_driver)
		return import_attached(s, path, ret);
	return import_via_sqlite(s, path, ret);
}
