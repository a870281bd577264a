/* store_sqlite.c - the SQLite engine of the store (store_int.h): one
 * gateway's database in a file.
 *
 * A file is first inspected through a read-only connection, so a corrupt
 * file or a foreign database is refused before anything can write to it.
 * Only then is it opened for writing: WAL (readers never wait for the
 * writer), foreign keys on, a busy timeout, synchronous=NORMAL (a power cut
 * may lose the last transactions, never consistency).  Statements are
 * prepared once per SQL text (its address is the key) and kept.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store_int.h"
#include "store_sqlite.h"

struct sqlite_conn {
	sqlite3 *db;
	struct {
		const char *sql;
		sqlite3_stmt *st;
	} cache[STORE_STMT_CACHE];
};

#define CONN(s) ((struct sqlite_conn *)(s)->conn)

/* SQLite's result code as the store's code, with sqlite's message. */
static int
fail(struct policy_store *s, int rc, const char *what)
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
	return store_fail(s, err, "%s: %s", what, sqlite3_errmsg(CONN(s)->db));
}

static int
fail_last(struct policy_store *s, const char *what)
{
	return fail(s, sqlite3_extended_errcode(CONN(s)->db), what);
}

static sqlite3_stmt *
cached(struct policy_store *s, const char *sql)
{
	struct sqlite_conn *c = CONN(s);
	size_t i;
	for (i = 0; i < STORE_STMT_CACHE && c->cache[i].sql; i++)
		if (c->cache[i].sql == sql)
			return c->cache[i].st;
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v3(c->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL);
	if (rc != SQLITE_OK) {
		fail(s, rc, "preparing a statement");
		return NULL;
	}
	if (i == STORE_STMT_CACHE) { /* full: the oldest entry makes room */
		sqlite3_finalize(c->cache[0].st);
		memmove(&c->cache[0], &c->cache[1], sizeof(c->cache[0]) * (STORE_STMT_CACHE - 1));
		i = STORE_STMT_CACHE - 1;
	}
	c->cache[i].sql = sql;
	c->cache[i].st = st;
	return st;
}

static void
stmt_cache_clear(struct policy_store *s)
{
	struct sqlite_conn *c = CONN(s);
	for (size_t i = 0; i < STORE_STMT_CACHE && c->cache[i].sql; i++) {
		sqlite3_finalize(c->cache[i].st);
		c->cache[i].sql = NULL;
		c->cache[i].st = NULL;
	}
}

static int
query(struct policy_store *s, const char *sql, const struct store_param *p, size_t n,
    struct store_rows **ret)
{
	*ret = NULL;
	sqlite3_stmt *st = cached(s, sql);
	if (!st)
		return TNC_EINVALID;
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	/* a parameter left unbound would silently be NULL */
	if ((int)n != sqlite3_bind_parameter_count(st))
		return store_fail(s, TNC_EINVALID, "%zu parameters for a statement of %d", n,
		    sqlite3_bind_parameter_count(st));
	int rc = SQLITE_OK;
	for (size_t i = 0; i < n && rc == SQLITE_OK; i++) {
		int at = (int)i + 1;
		if (p[i].kind == 'I')
			rc = sqlite3_bind_int64(st, at, p[i].i);
		else if (p[i].kind == 't' && p[i].t)
			rc = sqlite3_bind_text(st, at, p[i].t, -1, SQLITE_TRANSIENT);
		else
			rc = sqlite3_bind_null(st, at);
	}
	if (rc != SQLITE_OK)
		return fail(s, rc, "binding a parameter");
	*ret = (struct store_rows *)st;
	return 0;
}

static int
next(struct policy_store *s, struct store_rows *r)
{
	int rc = sqlite3_step((sqlite3_stmt *)r);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE) {
		s->changes = sqlite3_changes64(CONN(s)->db);
		return 0;
	}
	return fail_last(s, "running a statement");
}

static enum store_type
col_type(struct store_rows *r, int col)
{
	switch (sqlite3_column_type((sqlite3_stmt *)r, col)) {
	case SQLITE_NULL:
		return STORE_NULL;
	case SQLITE_INTEGER:
		return STORE_INT;
	default:
		return STORE_TEXT;
	}
}

static int64_t
col_int(struct store_rows *r, int col)
{
	return sqlite3_column_int64((sqlite3_stmt *)r, col);
}

static const char *
col_text(struct store_rows *r, int col)
{
	return (const char *)sqlite3_column_text((sqlite3_stmt *)r, col);
}

static void
finish(struct store_rows *r)
{
	sqlite3_reset((sqlite3_stmt *)r);
}

static int
script(struct policy_store *s, const char *sql, const char *what)
{
	int rc = sqlite3_exec(CONN(s)->db, sql, NULL, NULL, NULL);
	return rc == SQLITE_OK ? 0 : fail_last(s, what);
}

/* A statement without parameters or rows (BEGIN, COMMIT, ROLLBACK), from
 * the cache: sqlite3_exec() would compile it again each time. */
static int
run_cached(struct policy_store *s, const char *sql, const char *what)
{
	sqlite3_stmt *st = cached(s, sql);
	if (!st)
		return TNC_EINVALID;
	int rc = sqlite3_step(st);
	int err = rc == SQLITE_DONE ? 0 : fail_last(s, what);
	sqlite3_reset(st);
	return err;
}

static const char begin_read[] = "BEGIN", begin_write[] = "BEGIN IMMEDIATE",
    commit_sql[] = "COMMIT", rollback_sql[] = "ROLLBACK";

static int
begin(struct policy_store *s, bool write, bool schema)
{
	/* IMMEDIATE takes the write lock now, under the busy timeout: a deferred
	 * transaction that upgrades later can fail at once with SQLITE_BUSY.
	 * The write lock also excludes every other migration. */
	return run_cached(s, write || schema ? begin_write : begin_read, "starting a transaction");
}

static int
commit(struct policy_store *s)
{
	return run_cached(s, commit_sql, "committing");
}

static void
rollback(struct policy_store *s)
{
	(void)run_cached(s, rollback_sql, "rolling back");
}

static bool
in_transaction(struct policy_store *s)
{
	return !sqlite3_get_autocommit(CONN(s)->db);
}

static int
inspect_db(sqlite3 *db, bool *ret_empty, bool *ret_has_version)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db,
	    "SELECT count(*), count(CASE WHEN name = 'schema_version' AND type = 'table' THEN 1 END)"
	    " FROM sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		*ret_empty = sqlite3_column_int64(st, 0) == 0;
		*ret_has_version = sqlite3_column_int64(st, 1) != 0;
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	return rc;
}

static int
inspect(struct policy_store *s, bool *ret_empty, bool *ret_has_version)
{
	int rc = inspect_db(CONN(s)->db, ret_empty, ret_has_version);
	return rc == SQLITE_OK ? 0 : fail(s, rc, "reading the schema");
}

static int
ids_follow(struct policy_store *s)
{
	(void)s; /* an INTEGER PRIMARY KEY always continues after the largest id */
	return 0;
}

/* Runs a check pragma; the first row that is not "ok" is the problem. */
static int
check_pragma(struct policy_store *s, const char *sql, bool ok_row)
{
	sqlite3_stmt *st = cached(s, sql);
	if (!st)
		return TNC_EINVALID;
	int rc = sqlite3_step(st), err = 0;
	if (rc == SQLITE_ROW) {
		const char *first = (const char *)sqlite3_column_text(st, 0);
		if (!ok_row || !first || strcmp(first, "ok"))
			err = store_fail(s, TNC_EINVALID, "%s: %s%s%s", sql, first ? first : "?",
			    ok_row ? "" : " has a dangling reference in row ",
			    ok_row ? "" : (const char *)sqlite3_column_text(st, 1));
	} else if (rc != SQLITE_DONE) {
		err = fail_last(s, sql);
	}
	sqlite3_reset(st);
	return err;
}

static const char integrity_sql[] = "PRAGMA integrity_check",
    foreign_key_sql[] = "PRAGMA foreign_key_check";

static int
check(struct policy_store *s)
{
	int err = check_pragma(s, integrity_sql, true);
	return err ? err : check_pragma(s, foreign_key_sql, false);
}

/* Reads what the file holds through a read-only connection: not SQLite,
 * corrupt, or not ours (tables but no schema_version) is refused. */
static int
inspect_file(const char *path, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int code = 0;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		code = store_errf(err, errlen, -EACCES, "%s: cannot open: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(db, PS_BUSY_TIMEOUT_MS);
	bool empty = false, has_version = false; /* set when inspect_db() succeeds */
	if (inspect_db(db, &empty, &has_version) != SQLITE_OK) {
		code = store_errf(err, errlen, TNC_EINVALID, "%s: not a SQLite database, or corrupt: %s", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	if (empty)
		goto out;
	rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	const unsigned char *verdict = NULL;
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		verdict = sqlite3_column_text(st, 0);
	if (!verdict || strcmp((const char *)verdict, "ok"))
		code = store_errf(err, errlen, TNC_EINVALID, "%s: corrupt database: %s", path,
		    verdict ? (const char *)verdict : sqlite3_errmsg(db));
out:
	sqlite3_finalize(st);
	sqlite3_close(db);
	return code;
}

/* A missing file is made here, 0600 in a 0700 directory, so that SQLite
 * never creates it with its own (wider) mode. */
static int
create_file(const char *path, char *err, size_t errlen)
{
	char dir[4096];
	if (strlen(path) >= sizeof(dir))
		return store_errf(err, errlen, TNC_ETOOLONG, "%s: path too long", path);
	strcpy(dir, path);
	const char *parent = dirname(dir);
	struct stat st;
	/* only a missing one: tnc-policy's sandbox has no mkdir */
	if (stat(parent, &st) != 0 && mkdir(parent, 0700) < 0 && errno != EEXIST)
		return store_errf(err, errlen, -errno, "%s: cannot create: %s", parent, strerror(errno));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST) /* EEXIST: another process made it just now */
		return store_errf(err, errlen, -errno, "%s: cannot create: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

int
store_sqlite_uri(const char *path, const char *mode, char *out, size_t size)
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

/* The connection's settings; none writes to the file. */
static int
pragmas(struct policy_store *s)
{
	static const char *const setup[] = {"PRAGMA foreign_keys = ON",
	    "PRAGMA synchronous = NORMAL"};
	sqlite3_busy_timeout(CONN(s)->db, PS_BUSY_TIMEOUT_MS);
	for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
		int err = script(s, setup[i], setup[i]);
		if (err)
			return err;
	}
	return 0;
}

static int
open_db(struct policy_store *s, const struct ps_target *t, unsigned flags, char *err,
    size_t errlen)
{
	const char *path = t->db;
	struct stat sb;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || !(flags & PS_OPEN_CREATE))
			return store_errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
		int code = create_file(path, err, errlen);
		if (code)
			return code;
	}
	int code = inspect_file(path, err, errlen);
	if (code)
		return code;
	struct sqlite_conn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	s->conn = c;
	/* a URI, so that ATTACH (import-strongswan) can open a file read-only */
	char uri[4200];
	if (store_sqlite_uri(path, "rw", uri, sizeof(uri)) < 0)
		return store_errf(err, errlen, TNC_ETOOLONG, "%s: path too long", path);
	/* NOMUTEX: a store is one connection used by one thread at a time, so
	 * the connection's own mutexes (a pair per statement step and cursor)
	 * would guard nothing */
	int rc = sqlite3_open_v2(uri, &c->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX,
	    NULL);
	if (rc != SQLITE_OK)
		return store_errf(err, errlen, -EACCES, "%s: cannot open for writing: %s", path,
		    sqlite3_errstr(rc));
	code = pragmas(s);
	if (code)
		return store_errf(err, errlen, code, "%s: %s", path, s->error);
	return 0;
}

/* WAL.  Changing the journal mode needs the file to itself and fails at
 * once, busy timeout or not, while another store writes (gateways
 * creating one database at the same moment): it is tried again for as
 * long as a lock is waited for elsewhere. */
static int
accepted(struct policy_store *s)
{
	static const char wal[] = "PRAGMA journal_mode = WAL";
	int rc, waited = 0;
	while ((rc = sqlite3_exec(CONN(s)->db, wal, NULL, NULL, NULL)) == SQLITE_BUSY &&
	    waited < PS_BUSY_TIMEOUT_MS) {
		sqlite3_sleep(10);
		waited += 10;
	}
	return rc == SQLITE_OK ? 0 : fail_last(s, wal);
}

static int
reconnect(struct policy_store *s)
{
	(void)s; /* a file does not go away */
	return 0;
}

static void
close_db(struct policy_store *s)
{
	struct sqlite_conn *c = CONN(s);
	if (!c)
		return;
	stmt_cache_clear(s);
	sqlite3_close(c->db);
	free(c);
	s->conn = NULL;
}

static int
server_pid(const struct policy_store *s)
{
	(void)s;
	return 0;
}

sqlite3 *
store_sqlite_db(struct policy_store *s)
{
	return CONN(s)->db;
}

const struct store_driver store_sqlite_driver = {
    .name = "sqlite",
    .open = open_db,
    .accepted = accepted,
    .reconnect = reconnect,
    .close = close_db,
    .query = query,
    .next = next,
    .type = col_type,
    .integer = col_int,
    .text = col_text,
    .finish = finish,
    .script = script,
    .begin = begin,
    .commit = commit,
    .rollback = rollback,
    .in_transaction = in_transaction,
    .inspect = inspect,
    .ids_follow = ids_follow,
    .check = check,
    .stmt_cache_clear = stmt_cache_clear,
    .server_pid = server_pid,
};
