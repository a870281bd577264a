/* store_int.h - what the store's files share: the handle, the statement
 * cache, transactions and the error text.  Not for callers of the store. */
#ifndef TNC_STORE_INT_H
#define TNC_STORE_INT_H

#include <sqlite3.h>
#include <stdarg.h>

#include "policy_store.h"

#define STORE_STMT_CACHE 64
#define STORE_PKG_CACHES 4           /* products whose releases are held in memory */
#define STORE_PKG_CACHE_ROWS 200000  /* rows of one product; above: no cache */

struct pkg_cache;

struct policy_store {
	sqlite3 *db;
	int version;
	char error[PS_ERROR_MAX];
	struct {
		const char *sql; /* the static text is the key */
		sqlite3_stmt *st;
	} cache[STORE_STMT_CACHE];
	struct pkg_cache *pkg_cache[STORE_PKG_CACHES];
	uint64_t pkg_cache_clock;
	size_t pkg_cache_rows; /* a product with more is not held; 0: STORE_PKG_CACHE_ROWS */
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

/* Sets s->error from fmt and returns err. */
int store_fail(struct policy_store *s, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Maps a SQLite result code to a TNC code and records sqlite's message
 * with what (e.g. "adding a product"). */
int store_sqlite_fail(struct policy_store *s, int rc, const char *what);

/* A cached, reset statement for a static SQL text with its parameters bound
 * from fmt: 't' const char * (NULL binds NULL), 'i' int, 'I' int64_t,
 * 'N' int64_t where 0 binds NULL.  NULL on error (s->error set). */
sqlite3_stmt *store_stmt(struct policy_store *s, const char *sql, const char *fmt, ...);
/* store_stmt, stepped to completion (no rows expected); 0 or error. */
int store_exec(struct policy_store *s, const char *sql, const char *fmt, ...) TNC_MUST_CHECK;
/* store_stmt, one step: 0 with *ret from column 0 when there is a row,
 * TNC_ENOTFOUND when there is none. */
int store_int(struct policy_store *s, int64_t *ret, const char *sql, const char *fmt, ...)
    TNC_MUST_CHECK;
void store_stmt_cache_clear(struct policy_store *s);

/* BEGIN IMMEDIATE (write) or BEGIN (read); commit or roll back by err. */
int store_begin(struct policy_store *s, bool write) TNC_MUST_CHECK;
int store_end(struct policy_store *s, int err);

enum store_kind { STORE_PRODUCT, STORE_GROUP, STORE_POLICY, STORE_DEVICE, STORE_PACKAGE };
/* The id of a named row (products, groups, policies, packages by name;
 * devices by device ID); TNC_ENOTFOUND with "no <kind> 'name'". */
int store_id(struct policy_store *s, enum store_kind kind, const char *name, int64_t *ret)
    TNC_MUST_CHECK;
/* The id of a product, created if new. */
int store_product_ensure(struct policy_store *s, const char *name, int64_t *ret) TNC_MUST_CHECK;

/* Name lengths from outside: 1..PS_VALUE_MAX bytes, else TNC_ETOOLONG /
 * TNC_EINVALID with what in the error. */
int store_check_name(struct policy_store *s, const char *what, const char *v) TNC_MUST_CHECK;

/* path as a file: URI with ?mode=mode (ro, rw), its special characters
 * percent-encoded; -1 when it does not fit. */
int store_uri(const char *path, const char *mode, char *out, size_t size);

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
/* This connection changed packages or releases: forget every cache. */
void store_pkg_cache_drop(struct policy_store *s);

/* Registers debver_cmp(a, b) (dpkg order) on the connection. */
int store_register_functions(sqlite3 *db);

#endif
