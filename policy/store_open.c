/* store_open.c - opening, creating and migrating the policy database on
 * either engine: one migration history (policy/schema/), applied under the
 * engine's schema lock in one transaction with its schema_version row. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store_int.h"

int
policy_store_schema_latest(void)
{
	return store_migrations[store_nmigrations - 1].version;
}

/* The database's schema version, 0 when it has no tables at all;
 * TNC_EINVALID for a database that is not ours. */
static int
read_version(struct policy_store *s, int *ret)
{
	bool empty, has_version;
	int err = s->driver->inspect(s, &empty, &has_version);
	if (err)
		return err;
	*ret = 0;
	if (empty)
		return 0;
	if (!has_version)
		return store_fail(s, TNC_EINVALID, "not a tnc policy database (no schema_version table)");
	int64_t v = 0;
	err = store_int(s, &v, "SELECT max(version) FROM schema_version", "");
	if (err == TNC_ENOTFOUND || (!err && v <= 0))
		return store_fail(s, TNC_EINVALID, "no schema version recorded");
	*ret = (int)v;
	return err;
}

static int
check_version(struct policy_store *s, int version, unsigned flags)
{
	int latest = policy_store_schema_latest();
	if (version == 0 && !(flags & PS_OPEN_CREATE))
		return store_fail(s, TNC_EINVALID, "empty database; run 'tncadm init'");
	if (version > latest)
		return store_fail(s, TNC_EVERSION,
		    "schema version %d is newer than this build knows (%d); not touched", version, latest);
	if (version && version < latest && !(flags & PS_OPEN_MIGRATE))
		return store_fail(s, TNC_EVERSION,
		    "schema version %d is older than this build's (%d); run 'tncadm migrate'", version,
		    latest);
	return 0;
}

/* Applies the schema steps above the database's version (all of them, and
 * the default policy, on an empty database) in one transaction, under the
 * engine's schema lock: the version is read again inside, so a store that
 * waited for another one's migration finds it done. */
static int
migrate(struct policy_store *s, unsigned flags)
{
	int err = s->driver->begin(s, true, true);
	if (err)
		return err;
	int version = 0;
	err = read_version(s, &version);
	if (!err)
		err = check_version(s, version, flags);
	for (size_t i = 0; !err && i < store_nmigrations; i++) {
		const struct store_migration *m = &store_migrations[i];
		if (m->version <= version)
			continue;
		err = s->driver->script(s, m->sql, m->name);
		if (!err)
			err = store_exec(s, "INSERT INTO schema_version (version, applied) VALUES (?, ?)",
			    "iI", m->version, (int64_t)time(NULL));
	}
	if (!err && version == 0)
		err = s->driver->script(s, store_default_policy_sql, "default policy");
	/* schema text changed under the cached statements */
	store_stmt_cache_clear(s);
	return store_end(s, err);
}

/* Opens and checks; migrates (or creates) when may_migrate. */
static int
open_store(const struct ps_target *t, unsigned flags, bool may_migrate, struct policy_store **ret,
    char *err, size_t errlen)
{
	*ret = NULL;
	struct policy_store *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	s->driver = t->driver;
	const char *name = ps_target_name(t);
	int code = s->driver->open(s, t, flags, err, errlen);
	if (code)
		goto fail;
	int version = 0;
	code = read_version(s, &version);
	if (!code)
		code = check_version(s, version, flags);
	if (!code && may_migrate)
		code = s->driver->accepted(s);
	if (!code && may_migrate && version < policy_store_schema_latest())
		code = migrate(s, flags);
	if (!code)
		code = read_version(s, &s->version);
	if (code) {
		store_errf(err, errlen, code, "%s: %s", name, s->error);
		goto fail;
	}
	*ret = s;
	return 0;
fail:
	policy_store_close(s);
	return code;
}

int
policy_store_open_target(const struct ps_target *t, unsigned flags, struct policy_store **ret,
    char *err, size_t errlen)
{
	return open_store(t, flags, true, ret, err, errlen);
}

int
policy_store_open(const char *db, unsigned flags, struct policy_store **ret, char *err,
    size_t errlen)
{
	struct ps_target *t;
	*ret = NULL;
	int code = ps_target_make(db, NULL, &t, err, errlen);
	if (code)
		return code;
	code = policy_store_open_target(t, flags, ret, err, errlen);
	ps_target_free(t);
	return code;
}

int
policy_store_peek_version(const struct ps_target *t, int *ret_version, char *err, size_t errlen)
{
	struct policy_store *s = NULL;
	/* MIGRATE: an older schema is what the caller asks about */
	int code = open_store(t, PS_OPEN_MIGRATE, false, &s, err, errlen);
	if (!code)
		*ret_version = policy_store_schema_version(s);
	policy_store_close(s);
	return code;
}

int
policy_store_reconnect(struct policy_store *s)
{
	int err = s->driver->reconnect(s);
	if (!err) {
		store_pkg_cache_drop(s);
		store_file_cache_drop(s);
		store_plan_cache_drop(s);
	}
	return err;
}

void
policy_store_close(struct policy_store *s)
{
	if (!s)
		return;
	store_pkg_cache_drop(s);
	store_file_cache_drop(s);
	store_plan_cache_drop(s);
	if (s->conn)
		s->driver->close(s);
	free(s);
}

int
policy_store_server_pid(const struct policy_store *s)
{
	return s->driver->server_pid(s);
}

const char *
policy_store_error(const struct policy_store *s)
{
	return s->error;
}

int
policy_store_schema_version(const struct policy_store *s)
{
	return s->version;
}

int
policy_store_check(struct policy_store *s)
{
	return s->driver->check(s);
}
