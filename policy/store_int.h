/* store_int.h - what the store's files share: the handle, the statement
 * cache, transactions and the error text.  Not for callers of the store. */
#ifndef TNC_STORE_INT_H
#define TNC_STORE_INT_H

#include <stdarg.h>

#include "policy_store.h"

#define STORE_STMT_CACHE 64
#define STORE_PKG_CACHES 4           /* products whose releases are held in memory */
#define STORE_PKG_CACHE_ROWS 200000  /* rows of one product; above: no cache */
#define STORE_FILE_CACHES 2         /* (product, algorithm) pairs whose hashes are held */
#define STORE_FILE_CACHE_ROWS 200000 /* hashes of one pair; above: no cache */
#define STORE_PLAN_CACHES 16        /* products whose applicable enforcements are held */
#define STORE_RETRIES 3              /* tries of a transaction that a concurrent writer broke */

struct pkg_cache;
struct file_cache;
struct plan_cache;
struct store_rows; /* a running statement and its rows, the driver's */

/* One bound parameter: 't' text (t NULL: a NULL text), 'I' int64 i,
 * 'n' a NULL integer. */
struct store_param {
	char kind;
	int64_t i;
	const char *t;
};

enum store_type { STORE_NULL, STORE_INT, STORE_TEXT };

/* What a database engine gives the store (store_sqlite.c, store_pg.c).
 * Every function returns 0 or a negative code with s->error set by
 * store_fail(); the codes mean the same on every engine: -EEXIST a unique
 * key, TNC_EINVALID a constraint or bad SQL, TNC_ETIMEOUT a lock wait that
 * ran out, -EAGAIN a transaction a concurrent writer broke (serialization
 * failure, deadlock: run it again), -ENOTCONN the server is gone
 * (policy_store_reconnect()), -EACCES, -EIO, -ENOMEM, -ENOSPC. */
struct store_driver {
	const char *name; /* "sqlite", "postgresql" */
	/* Connects s->conn to t; with PS_OPEN_CREATE a missing SQLite file is
	 * made.  Refuses what is not a policy database or is corrupt, before
	 * anything is written (the store then migrates under lock). */
	int (*open)(struct policy_store *s, const struct ps_target *t, unsigned flags, char *err,
	    size_t errlen);
	/* The database passed the store's checks: the settings that write to
	 * it (SQLite: WAL).  Nothing before this may change a refused one. */
	int (*accepted)(struct policy_store *s);
	int (*reconnect)(struct policy_store *s);
	void (*close)(struct policy_store *s);
	/* Runs sql (the store's own text, '?' or '?N' parameters, static: its
	 * address is the statement cache's key) with p bound.  Rows are read
	 * with next(); finish() ends the statement (also before the last row). */
	int (*query)(struct policy_store *s, const char *sql, const struct store_param *p, size_t n,
	    struct store_rows **ret);
	/* 1 a row, 0 no more (s->changes: rows the statement changed), <0. */
	int (*next)(struct policy_store *s, struct store_rows *r);
	enum store_type (*type)(struct store_rows *r, int col);
	int64_t (*integer)(struct store_rows *r, int col);  /* booleans are 0 / 1 */
	const char *(*text)(struct store_rows *r, int col); /* NULL for NULL; valid until next() */
	void (*finish)(struct store_rows *r);
	/* Several statements without parameters (a schema step), in the
	 * caller's transaction; the engine's dialect of the store's SQL. */
	int (*script)(struct policy_store *s, const char *sql, const char *what);
	/* A write transaction sees the latest commits and takes the locks it
	 * needs as it goes; a read transaction is one snapshot.  schema: also
	 * excludes every other store's migration until the end. */
	int (*begin)(struct policy_store *s, bool write, bool schema);
	int (*commit)(struct policy_store *s);
	void (*rollback)(struct policy_store *s);
	bool (*in_transaction)(struct policy_store *s);
	/* Whether the database has no tables at all, and whether it has the
	 * schema_version table (the store's own tables live in the connection's
	 * default schema). */
	int (*inspect)(struct policy_store *s, bool *ret_empty, bool *ret_has_version);
	/* After rows were inserted with explicit ids (import, copy): new rows
	 * get ids above every stored one. */
	int (*ids_follow)(struct policy_store *s);
	/* The engine's own consistency check (policy_store_check()). */
	int (*check)(struct policy_store *s);
	void (*stmt_cache_clear)(struct policy_store *s);
	int (*server_pid)(const struct policy_store *s); /* 0: in this process */
};

extern const struct store_driver store_sqlite_driver, store_pg_driver;

struct policy_store {
	const struct store_driver *driver;
	void *conn; /* the driver's */
	int version;
	int64_t changes; /* rows the last finished statement changed */
	char error[PS_ERROR_MAX];
	struct pkg_cache *pkg_cache[STORE_PKG_CACHES];
	uint64_t pkg_cache_clock;
	size_t pkg_cache_rows; /* a product with more is not held; 0: STORE_PKG_CACHE_ROWS */
	struct file_cache *file_cache[STORE_FILE_CACHES];
	uint64_t file_cache_clock;
	size_t file_cache_rows; /* a pair with more is not held; 0: STORE_FILE_CACHE_ROWS */
	struct plan_cache *plan_cache[STORE_PLAN_CACHES];
	uint64_t plan_cache_clock;
};

/* What policy_store_open() connects to. */
struct ps_target {
	const struct store_driver *driver;
	char *db;       /* a SQLite file's path, or a PostgreSQL URI */
	char *password; /* from the password file; NULL: none */
	char *hostaddr; /* PostgreSQL: the host's numeric address, resolved by ps_target_make() */
	char *user;     /* PostgreSQL: the URI's user, else the process's user name */
};

/* One schema step: policy/schema/NNN-*.sql, embedded at build time. */
struct store_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct store_migration store_migrations[];
extern const size_t store_nmigrations;
extern const char store_default_policy_sql[];

/* Writes fmt to err (may be NULL) and returns code: the errors of opening,
 * before there is a store to hold them. */
int store_errf(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Sets s->error from fmt and returns err. */
int store_fail(struct policy_store *s, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* A running statement for a static SQL text with its parameters bound
 * from fmt: 't' const char * (NULL binds NULL), 'i' int, 'I' int64_t,
 * 'N' int64_t where 0 binds NULL.  Read with store_next() and the column
 * functions; store_done() ends it. */
int store_query(struct policy_store *s, struct store_rows **ret, const char *sql, const char *fmt,
    ...) TNC_MUST_CHECK;
/* 1 a row, 0 no more, <0 an error. */
int store_next(struct policy_store *s, struct store_rows *r) TNC_MUST_CHECK;
enum store_type store_col_type(struct policy_store *s, struct store_rows *r, int col);
int64_t store_col_int(struct policy_store *s, struct store_rows *r, int col);
const char *store_col_text(struct policy_store *s, struct store_rows *r, int col);
void store_done(struct policy_store *s, struct store_rows *r); /* NULL: no-op */
/* A statement run to completion (rows ignored); 0 or error; store_changes()
 * then gives the rows it changed. */
int store_exec(struct policy_store *s, const char *sql, const char *fmt, ...) TNC_MUST_CHECK;
int64_t store_changes(const struct policy_store *s);
/* A statement run to completion: 0 with *ret from column 0 of the first
 * row, TNC_ENOTFOUND when there is none (INSERT ... RETURNING id gives the
 * new row's id). */
int store_int(struct policy_store *s, int64_t *ret, const char *sql, const char *fmt, ...)
    TNC_MUST_CHECK;
void store_stmt_cache_clear(struct policy_store *s);

/* Begins a write or read transaction; store_end() commits or rolls back
 * by err and returns the outcome. */
int store_begin(struct policy_store *s, bool write) TNC_MUST_CHECK;
int store_end(struct policy_store *s, int err);

/* Runs fn(s, ctx) in a write transaction, again (up to STORE_RETRIES
 * times) while a concurrent writer breaks it (-EAGAIN). */
int store_write(struct policy_store *s, int (*fn)(struct policy_store *s, void *ctx), void *ctx)
    TNC_MUST_CHECK;

enum store_kind { STORE_PRODUCT, STORE_GROUP, STORE_POLICY, STORE_DEVICE, STORE_PACKAGE };
/* The id of a named row (products, groups, policies, packages by name;
 * devices by device ID); TNC_ENOTFOUND with "no <kind> 'name'". */
int store_id(struct policy_store *s, enum store_kind kind, const char *name, int64_t *ret)
    TNC_MUST_CHECK;
/* The id of a product, created if new. */
int store_product_ensure(struct policy_store *s, const char *name, int64_t *ret) TNC_MUST_CHECK;

/* In the caller's write transaction: a database holding nothing but the
 * default policy loses that too (an import or copy brings its own);
 * -EEXIST for one with rows of its own. */
int store_clear_fresh(struct policy_store *s) TNC_MUST_CHECK;

/* Name lengths from outside: 1..PS_VALUE_MAX bytes, else TNC_ETOOLONG /
 * TNC_EINVALID with what in the error. */
int store_check_name(struct policy_store *s, const char *what, const char *v) TNC_MUST_CHECK;

/* The cached releases of product (store_pkg_cache.c), loaded or reloaded
 * as needed inside the caller's read transaction; *ret NULL when the
 * product is too big to cache. */
/* policy_store_package_versions() within the caller's transaction, from
 * the product's cache (store_pkg_cache_get()) or, when it is NULL, package
 * by package. */
int store_package_versions_in(struct policy_store *s, int64_t product,
    const struct pkg_cache *cache, const char *const *names, size_t n,
    struct ps_package_set **ret) TNC_MUST_CHECK;
/* Test hook: the rows above which a product's releases are not held. */
void store_pkg_cache_bound(struct policy_store *s, size_t rows);
int store_pkg_cache_get(struct policy_store *s, int64_t product, struct pkg_cache **ret)
    TNC_MUST_CHECK;
/* A package's releases in a cache; TNC_ENOTFOUND when it has none there
 * and is not blacklisted. */
int store_pkg_cache_find(const struct pkg_cache *c, const char *name, const struct ps_release **ret,
    size_t *ret_n, bool *ret_blacklist) TNC_MUST_CHECK;
/* Forgets every cache (closing, reconnecting). */
void store_pkg_cache_drop(struct policy_store *s);
/* In the caller's write transaction, which changed packages or releases:
 * every store's cache of them is stale from its commit on. */
int store_packages_changed(struct policy_store *s) TNC_MUST_CHECK;

/* Forgets every cache of reference hashes (closing, reconnecting). */
void store_file_cache_drop(struct policy_store *s);
/* In the caller's write transaction, which changed reference hashes:
 * every store's cache of them is stale from its commit on. */
int store_files_changed(struct policy_store *s) TNC_MUST_CHECK;
/* Test hook: the hashes above which a (product, algorithm) is not held. */
void store_file_cache_bound(struct policy_store *s, size_t rows);

/* The due workitems of the device (0: none yet) of the product (0: none
 * yet) from the database, inside the caller's transaction (store_plan.c). */
int store_plan_device(struct policy_store *s, int64_t device, int64_t product, int64_t now,
    struct ps_workitem **ret, size_t *ret_n) TNC_MUST_CHECK;
/* Forgets every product's plan (closing, reconnecting, a copy). */
void store_plan_cache_drop(struct policy_store *s);
/* In the caller's write transaction, which changed products, groups,
 * memberships, policies, enforcements or devices: every store's plans are
 * stale from its commit on. */
int store_policies_changed(struct policy_store *s) TNC_MUST_CHECK;

#endif
