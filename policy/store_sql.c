/* store_sql.c - the store's plumbing: cached statements, parameter binding,
 * transactions, names to ids and the error text (see store_int.h). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "os_version.h"
#include "store_int.h"

int
store_fail(struct policy_store *s, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	return err;
}

int
store_sqlite_fail(struct policy_store *s, int rc, const char *what)
{
	int err;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		err = TNC_ETIMEOUT; /* the busy timeout ran out */
		break;
	case SQLITE_CONSTRAINT:
		err = (rc == SQLITE_CONSTRAINT_UNIQUE || rc == SQLITE_CONSTRAINT_PRIMARYKEY) ? -EEXIST
		                                                                               : TNC_EINVALID;
		break;
	case SQLITE_NOMEM:
		err = -ENOMEM;
		break;
	case SQLITE_FULL:
		err = -ENOSPC;
		break;
	case SQLITE_READONLY:
	case SQLITE_PERM:
	case SQLITE_CANTOPEN:
		err = -EACCES;
		break;
	case SQLITE_IOERR:
		err = -EIO;
		break;
	default:
		err = TNC_EINVALID; /* corrupt, not a database, misuse */
	}
	return store_fail(s, err, "%s: %s", what, sqlite3_errmsg(s->db));
}

static sqlite3_stmt *
cached(struct policy_store *s, const char *sql)
{
	size_t i;
	for (i = 0; i < STORE_STMT_CACHE && s->cache[i].sql; i++)
		if (s->cache[i].sql == sql)
			return s->cache[i].st;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(s->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		store_sqlite_fail(s, rc, "preparing a statement");
		return NULL;
	}
	if (i == STORE_STMT_CACHE) { /* full: the oldest entry makes room */
		sqlite3_finalize(s->cache[0].st);
		memmove(&s->cache[0], &s->cache[1], sizeof(s->cache[0]) * (STORE_STMT_CACHE - 1));
		i = STORE_STMT_CACHE - 1;
	}
	s->cache[i].sql = sql;
	s->cache[i].st = st;
	return st;
}

void
store_stmt_cache_clear(struct policy_store *s)
{
	for (size_t i = 0; i < STORE_STMT_CACHE && s->cache[i].sql; i++) {
		sqlite3_finalize(s->cache[i].st);
		s->cache[i].sql = NULL;
		s->cache[i].st = NULL;
	}
}

static sqlite3_stmt *
vstmt(struct policy_store *s, const char *sql, const char *fmt, va_list ap)
{
	sqlite3_stmt *st = cached(s, sql);
	if (!st)
		return NULL;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	/* a parameter left unbound would silently be NULL */
	if ((int)strlen(fmt) != sqlite3_bind_parameter_count(st)) {
		store_fail(s, TNC_EINVALID, "%zu parameters for a statement of %d", strlen(fmt),
		    sqlite3_bind_parameter_count(st));
		return NULL;
	}
	int rc = SQLITE_OK;
	for (int i = 1; fmt[i - 1] && rc == SQLITE_OK; i++) {
		switch (fmt[i - 1]) {
		case 't': {
			const char *t = va_arg(ap, const char *);
			rc = t ? sqlite3_bind_text(st, i, t, -1, SQLITE_TRANSIENT) : sqlite3_bind_null(st, i);
			break;
		}
		case 'i':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'I':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'N': {
			int64_t v = va_arg(ap, int64_t);
			rc = v ? sqlite3_bind_int64(st, i, v) : sqlite3_bind_null(st, i);
			break;
		}
		default:
			rc = SQLITE_MISUSE;
		}
	}
	if (rc != SQLITE_OK) {
		store_sqlite_fail(s, rc, "binding a parameter");
		return NULL;
	}
	return st;
}

sqlite3_stmt *
store_stmt(struct policy_store *s, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = vstmt(s, sql, fmt, ap);
	va_end(ap);
	return st;
}

int
store_exec(struct policy_store *s, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = vstmt(s, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return TNC_EINVALID;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		;
	int err = rc == SQLITE_DONE ? 0 : store_sqlite_fail(s, sqlite3_extended_errcode(s->db), "writing");
	sqlite3_reset(st);
	return err;
}

int
store_int(struct policy_store *s, int64_t *ret, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	sqlite3_stmt *st = vstmt(s, sql, fmt, ap);
	va_end(ap);
	if (!st)
		return TNC_EINVALID;
	int rc = sqlite3_step(st), err = 0;
	if (rc == SQLITE_ROW)
		*ret = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		err = TNC_ENOTFOUND;
	else
		err = store_sqlite_fail(s, sqlite3_extended_errcode(s->db), "reading");
	sqlite3_reset(st);
	return err;
}

/* A statement without parameters or rows (BEGIN, COMMIT, ROLLBACK), from
 * the cache: sqlite3_exec() would compile it again each time.  SQLite's
 * result code. */
static int
run_cached(struct policy_store *s, const char *sql)
{
	sqlite3_stmt *st = cached(s, sql);
	if (!st)
		return SQLITE_ERROR;
	int rc = sqlite3_step(st);
	int ext = sqlite3_extended_errcode(s->db);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? SQLITE_OK : ext;
}

static const char begin_read[] = "BEGIN", begin_write[] = "BEGIN IMMEDIATE",
    commit[] = "COMMIT", rollback[] = "ROLLBACK";

int
store_begin(struct policy_store *s, bool write)
{
	/* IMMEDIATE takes the write lock now, under the busy timeout: a deferred
	 * transaction that upgrades later can fail at once with SQLITE_BUSY. */
	int rc = run_cached(s, write ? begin_write : begin_read);
	return rc == SQLITE_OK ? 0 : store_sqlite_fail(s, rc, "starting a transaction");
}

int
store_end(struct policy_store *s, int err)
{
	if (!sqlite3_get_autocommit(s->db)) {
		if (err) {
			(void)run_cached(s, rollback);
		} else {
			int rc = run_cached(s, commit);
			if (rc != SQLITE_OK) {
				err = store_sqlite_fail(s, rc, "committing");
				(void)run_cached(s, rollback);
			}
		}
	}
	return err;
}

int
store_check_name(struct policy_store *s, const char *what, const char *v)
{
	if (!v || !v[0])
		return store_fail(s, TNC_EINVALID, "%s must not be empty", what);
	if (strlen(v) > PS_VALUE_MAX)
		return store_fail(s, TNC_ETOOLONG, "%s is longer than %d bytes", what, PS_VALUE_MAX);
	return 0;
}

int
store_id(struct policy_store *s, enum store_kind kind, const char *name, int64_t *ret)
{
	static const struct {
		const char *what, *sql;
	} kinds[] = {
	    [STORE_PRODUCT] = {"product", "SELECT id FROM products WHERE name = ?"},
	    [STORE_GROUP] = {"group", "SELECT id FROM groups WHERE name = ?"},
	    [STORE_POLICY] = {"policy", "SELECT id FROM policies WHERE name = ?"},
	    [STORE_DEVICE] = {"device", "SELECT id FROM devices WHERE value = ?"},
	    [STORE_PACKAGE] = {"package", "SELECT id FROM packages WHERE name = ?"},
	};
	int err = store_check_name(s, kinds[kind].what, name);
	if (err)
		return err;
	err = store_int(s, ret, kinds[kind].sql, "t", name);
	if (err == TNC_ENOTFOUND)
		return store_fail(s, err, "no %s '%s'", kinds[kind].what, name);
	return err;
}

int
store_product_ensure(struct policy_store *s, const char *name, int64_t *ret)
{
	int err = store_id(s, STORE_PRODUCT, name, ret);
	if (err != TNC_ENOTFOUND)
		return err;
	err = store_exec(s, "INSERT INTO products (name) VALUES (?)", "t", name);
	if (!err)
		*ret = sqlite3_last_insert_rowid(s->db);
	return err;
}

static void
debver_cmp(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	struct bytes v[2];
	for (int i = 0; i < 2; i++) {
		const unsigned char *t = sqlite3_value_text(argv[i]);
		v[i] = (struct bytes){t, t ? (size_t)sqlite3_value_bytes(argv[i]) : 0};
	}
	int c = os_version_cmp(v[0], v[1]);
	sqlite3_result_int(ctx, (c > 0) - (c < 0));
}

int
store_register_functions(sqlite3 *db)
{
	return sqlite3_create_function(db, "debver_cmp", 2,
	    SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS, NULL, debver_cmp, NULL, NULL);
}

int
store_uri(const char *path, const char *mode, char *out, size_t size)
{
	size_t o = (size_t)snprintf(out, size, "file:");
	for (const unsigned char *p = (const unsigned char *)path; *p; p++) {
		if (o + 4 >= size)
			return -1;
		if (*p == '%' || *p == '?' || *p == '#' || *p < 0x21 || *p > 0x7e)
			o += (size_t)snprintf(out + o, size - o, "%%%02X", *p);
		else
			out[o++] = (char)*p;
	}
	int n = snprintf(out + o, size - o, "?mode=%s", mode);
	return n < 0 || (size_t)n >= size - o ? -1 : 0;
}
