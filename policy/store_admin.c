/* store_admin.c - the operator's changes to products, groups, policies,
 * enforcements and devices (see policy_admin.h).  One transaction each. */
#include <errno.h>
#include <string.h>

#include "policy_admin.h"
#include "store_int.h"

/* Runs one insert; a name taken already becomes -EEXIST with the name. */
static int
insert(struct policy_store *s, int err, const char *kind, const char *name)
{
	if (err == -EEXIST)
		return store_fail(s, err, "%s '%s' exists already", kind, name);
	return err;
}

static int
removed(struct policy_store *s, int err)
{
	if (!err && store_changes(s) != 1)
		return store_fail(s, TNC_ENOTFOUND, "nothing to remove");
	return err;
}

/* Ends an operator's change: committed, it makes every store's plans
 * stale (store_plan.c holds what applies per product). */
static int
admin_end(struct policy_store *s, int err)
{
	if (!err)
		err = store_policies_changed(s);
	return store_end(s, err);
}

/* Deletes the row named name (sql: DELETE ... WHERE id = ?). */
static int
remove_named(struct policy_store *s, enum store_kind kind, const char *name, const char *sql)
{
	int64_t id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, kind, name, &id);
	if (!err)
		err = removed(s, store_exec(s, sql, "I", id));
	return admin_end(s, err);
}

int
policy_admin_product_add(struct policy_store *s, const char *name)
{
	int err = store_check_name(s, "product", name);
	if (!err)
		err = store_begin(s, true);
	if (!err)
		err = insert(s, store_exec(s, "INSERT INTO products (name) VALUES (?)", "t", name),
		    "product", name);
	return admin_end(s, err);
}

int
policy_admin_product_remove(struct policy_store *s, const char *name)
{
	int64_t id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_PRODUCT, name, &id);
	if (!err)
		err = removed(s, store_exec(s, "DELETE FROM products WHERE id = ?", "I", id));
	if (!err) /* its releases and reference hashes went with it */
		err = store_packages_changed(s);
	if (!err)
		err = store_files_changed(s);
	return admin_end(s, err);
}

int
policy_admin_group_add(struct policy_store *s, const char *name, const char *parent)
{
	int64_t parent_id = 0;
	int err = store_check_name(s, "group", name);
	if (!err)
		err = store_begin(s, true);
	if (!err && parent)
		err = store_id(s, STORE_GROUP, parent, &parent_id);
	if (!err)
		err = insert(s,
		    store_exec(s, "INSERT INTO groups (name, parent) VALUES (?, ?)", "tN", name, parent_id),
		    "group", name);
	return admin_end(s, err);
}

int
policy_admin_group_remove(struct policy_store *s, const char *name)
{
	return remove_named(s, STORE_GROUP, name, "DELETE FROM groups WHERE id = ?");
}

int
policy_admin_group_set_default(struct policy_store *s, const char *name)
{
	int64_t id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_GROUP, name, &id);
	if (!err)
		err = store_exec(s, "UPDATE groups SET is_default = 0 WHERE is_default = 1", "");
	if (!err)
		err = store_exec(s, "UPDATE groups SET is_default = 1 WHERE id = ?", "I", id);
	return admin_end(s, err);
}

int
policy_admin_group_member(struct policy_store *s, const char *group, enum ps_member_kind kind,
    const char *member, bool add)
{
	static const char *const sql[2][2] = {
	    {"DELETE FROM groups_devices WHERE group_id = ? AND device = ?",
	        "INSERT INTO groups_devices (group_id, device) VALUES (?, ?)"},
	    {"DELETE FROM groups_products WHERE group_id = ? AND product = ?",
	        "INSERT INTO groups_products (group_id, product) VALUES (?, ?)"},
	};
	int64_t group_id, member_id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_GROUP, group, &group_id);
	if (!err)
		err = kind == PS_MEMBER_DEVICE ? store_id(s, STORE_DEVICE, member, &member_id)
		                               : store_id(s, STORE_PRODUCT, member, &member_id);
	if (!err)
		err = store_exec(s, sql[kind == PS_MEMBER_PRODUCT][add], "II", group_id, member_id);
	if (err == -EEXIST)
		store_fail(s, err, "'%s' is a member of '%s' already", member, group);
	else if (!add && !err && store_changes(s) != 1)
		err = store_fail(s, TNC_ENOTFOUND, "'%s' is not a member of '%s'", member, group);
	return admin_end(s, err);
}

/* The directory (and for a file policy, the file) of a policy's path. */
static int
path_ids(struct policy_store *s, const char *path, bool is_file, int64_t *ret_file,
    int64_t *ret_dir)
{
	char dir[PS_VALUE_MAX + 1];
	size_t len = strlen(path);
	if (path[0] != '/' || len > PS_VALUE_MAX || (is_file && path[len - 1] == '/'))
		return store_fail(s, TNC_EINVALID, "'%s': an absolute %s path is needed", path,
		    is_file ? "file" : "directory");
	const char *slash = strrchr(path, '/');
	size_t dirlen = is_file ? (size_t)(slash - path) : len;
	memcpy(dir, path, dirlen);
	dir[dirlen ? dirlen : 1] = '\0';
	if (!dirlen)
		dir[0] = '/';
	int err = store_exec(s, "INSERT INTO directories (path) VALUES (?) ON CONFLICT DO NOTHING",
	    "t", dir);
	if (!err)
		err = store_int(s, ret_dir, "SELECT id FROM directories WHERE path = ?", "t", dir);
	if (err || !is_file)
		return err;
	err = store_exec(s, "INSERT INTO files (dir, name) VALUES (?, ?) ON CONFLICT DO NOTHING", "It",
	    *ret_dir, slash + 1);
	if (!err)
		err = store_int(s, ret_file, "SELECT id FROM files WHERE dir = ? AND name = ?", "It",
		    *ret_dir, slash + 1);
	return err;
}

int
policy_admin_policy_add(struct policy_store *s, const struct ps_policy_spec *p)
{
	bool file = p->type == PS_POLICY_FREFM || p->type == PS_POLICY_FMEAS ||
	            p->type == PS_POLICY_FMETA;
	bool dir = p->type == PS_POLICY_DREFM || p->type == PS_POLICY_DMEAS ||
	           p->type == PS_POLICY_DMETA;
	int64_t file_id = 0, dir_id = 0;
	int err = store_check_name(s, "policy", p->name);
	if (!err && (unsigned)p->type >= PS_POLICY_TYPE_COUNT)
		err = store_fail(s, TNC_EINVALID, "unknown policy type");
	if (!err && (file || dir) != (p->path != NULL))
		err = store_fail(s, TNC_EINVALID, "a %s policy %s a path", ps_policy_type_name(p->type),
		    file || dir ? "needs" : "takes no");
	if (!err && strlen(p->argument) > 1024)
		err = store_fail(s, TNC_ETOOLONG, "argument longer than 1024 bytes");
	if (!err)
		err = store_begin(s, true);
	if (!err && p->path)
		err = path_ids(s, p->path, file, &file_id, &dir_id);
	if (!err)
		err = insert(s,
		    store_exec(s,
		        "INSERT INTO policies (type, name, argument, rec_fail, rec_noresult, file, dir)"
		        " VALUES (?, ?, ?, ?, ?, ?, ?)",
		        "tttttNN", ps_policy_type_name(p->type), p->name, p->argument,
		        ps_rec_name(p->rec_fail), ps_rec_name(p->rec_noresult), file_id,
		        file ? 0 : dir_id),
		    "policy", p->name);
	return admin_end(s, err);
}

int
policy_admin_policy_remove(struct policy_store *s, const char *name)
{
	return remove_named(s, STORE_POLICY, name, "DELETE FROM policies WHERE id = ?");
}

int
policy_admin_policy_set(struct policy_store *s, const char *name, const char *argument,
    int rec_fail, int rec_noresult)
{
	int64_t id;
	if (argument && strlen(argument) > 1024)
		return store_fail(s, TNC_ETOOLONG, "argument longer than 1024 bytes");
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_POLICY, name, &id);
	if (!err && argument)
		err = store_exec(s, "UPDATE policies SET argument = ? WHERE id = ?", "tI", argument, id);
	if (!err && rec_fail >= 0)
		err = store_exec(s, "UPDATE policies SET rec_fail = ? WHERE id = ?", "tI",
		    ps_rec_name(rec_fail), id);
	if (!err && rec_noresult >= 0)
		err = store_exec(s, "UPDATE policies SET rec_noresult = ? WHERE id = ?", "tI",
		    ps_rec_name(rec_noresult), id);
	return admin_end(s, err);
}

int
policy_admin_enforcement_add(struct policy_store *s, const char *policy, const char *group,
    int64_t max_age, int rec_fail, int rec_noresult)
{
	int64_t policy_id, group_id;
	if (max_age < 0)
		return store_fail(s, TNC_EINVALID, "max_age must not be negative");
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_POLICY, policy, &policy_id);
	if (!err)
		err = store_id(s, STORE_GROUP, group, &group_id);
	if (!err)
		err = store_exec(s,
		    "INSERT INTO enforcements (policy, group_id, max_age, rec_fail, rec_noresult)"
		    " VALUES (?, ?, ?, ?, ?)",
		    "IIItt", policy_id, group_id, max_age, rec_fail < 0 ? NULL : ps_rec_name(rec_fail),
		    rec_noresult < 0 ? NULL : ps_rec_name(rec_noresult));
	if (err == -EEXIST)
		store_fail(s, err, "'%s' enforces '%s' already", group, policy);
	return admin_end(s, err);
}

int
policy_admin_enforcement_remove(struct policy_store *s, const char *policy, const char *group)
{
	int64_t policy_id, group_id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_POLICY, policy, &policy_id);
	if (!err)
		err = store_id(s, STORE_GROUP, group, &group_id);
	if (!err)
		err = store_exec(s, "DELETE FROM enforcements WHERE policy = ? AND group_id = ?", "II",
		    policy_id, group_id);
	if (!err && store_changes(s) != 1)
		err = store_fail(s, TNC_ENOTFOUND, "'%s' does not enforce '%s'", group, policy);
	return admin_end(s, err);
}

int
policy_admin_enforcement_set(struct policy_store *s, const char *policy, const char *group,
    int64_t max_age, int rec_fail, int rec_noresult)
{
	int64_t policy_id, group_id, id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_POLICY, policy, &policy_id);
	if (!err)
		err = store_id(s, STORE_GROUP, group, &group_id);
	if (!err) {
		err = store_int(s, &id, "SELECT id FROM enforcements WHERE policy = ? AND group_id = ?",
		    "II", policy_id, group_id);
		if (err == TNC_ENOTFOUND)
			store_fail(s, err, "'%s' does not enforce '%s'", group, policy);
	}
	if (!err && max_age >= 0)
		err = store_exec(s, "UPDATE enforcements SET max_age = ? WHERE id = ?", "II", max_age,
		    id);
	if (!err && rec_fail >= 0)
		err = store_exec(s, "UPDATE enforcements SET rec_fail = ? WHERE id = ?", "tI",
		    ps_rec_name(rec_fail), id);
	if (!err && rec_noresult >= 0)
		err = store_exec(s, "UPDATE enforcements SET rec_noresult = ? WHERE id = ?", "tI",
		    ps_rec_name(rec_noresult), id);
	return admin_end(s, err);
}

int
policy_admin_device_add(struct policy_store *s, const char *value, const char *product,
    const char *description, const char *aik_keyid, int64_t now)
{
	int64_t product_id = 0;
	int err = store_check_name(s, "device ID", value);
	if (!err && strlen(description) > PS_VALUE_MAX)
		err = store_fail(s, TNC_ETOOLONG, "description longer than %d bytes", PS_VALUE_MAX);
	if (!err)
		err = store_begin(s, true);
	if (!err && product)
		err = store_id(s, STORE_PRODUCT, product, &product_id);
	if (!err)
		err = insert(s,
		    store_exec(s,
		        "INSERT INTO devices (value, description, product, aik_keyid, first_seen,"
		        " last_seen) VALUES (?, ?, ?, ?, ?, ?)",
		        "ttNtII", value, description, product_id, aik_keyid, now, now),
		    "device", value);
	if (err == TNC_EINVALID && aik_keyid)
		store_fail(s, err, "AIK key id '%s': lower-case hex, 2..128 digits", aik_keyid);
	return admin_end(s, err);
}

int
policy_admin_device_remove(struct policy_store *s, const char *value)
{
	return remove_named(s, STORE_DEVICE, value, "DELETE FROM devices WHERE id = ?");
}

int
policy_admin_device_trust(struct policy_store *s, const char *value, bool trusted)
{
	int64_t id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_DEVICE, value, &id);
	if (!err)
		err = store_exec(s, "UPDATE devices SET trusted = ? WHERE id = ?", "iI", trusted ? 1 : 0,
		    id);
	return admin_end(s, err);
}

int
policy_admin_files_import(struct policy_store *s, const char *product,
    const struct ps_file_hash *h, size_t n)
{
	int64_t product_id, file_id, dir_id;
	int err = store_begin(s, true);
	if (!err)
		err = store_id(s, STORE_PRODUCT, product, &product_id);
	for (size_t i = 0; !err && i < n; i++) {
		err = path_ids(s, h[i].path, true, &file_id, &dir_id);
		if (!err)
			err = store_exec(s,
			    "INSERT INTO file_hashes (file, product, algo, hash, size)"
			    " VALUES (?, ?, ?, ?, NULLIF(?, -1))"
			    " ON CONFLICT (file, product, algo) DO UPDATE SET hash = excluded.hash,"
			    " size = excluded.size",
			    "IIttI", file_id, product_id, h[i].algo, h[i].hash, h[i].size);
		if (err == TNC_EINVALID)
			store_fail(s, err, "%s: bad %s hash '%s'", h[i].path, h[i].algo, h[i].hash);
	}
	if (!err)
		err = store_files_changed(s);
	return admin_end(s, err);
}
