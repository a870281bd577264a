/* store_open.c - opening, creating and migrating the policy database.
 *
 * A file is first inspected through a read-only connection, so a corrupt
 * file, a foreign database or a newer schema is refused before anything can
 * write to it.  Only then is it opened for writing: WAL (readers never wait
 * for the writer), foreign keys on, a busy timeout, synchronous=NORMAL (a
 * power cut may lose the last transactions, never consistency).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "store_int.h"

enum file_state { FILE_EMPTY, FILE_SCHEMA };

static int
errf(char *err, size_t errlen, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int
errf(char *err, size_t errlen, int code, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int
policy_store_schema_latest(void)
{
	return store_migrations[store_nmigrations - 1].version;
}

/* Reads what the file holds through a read-only connection. */
static int
inspect(const char *path, enum file_state *ret_state, int *ret_version, char *err, size_t errlen)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	int code = 0;
	int rc = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL);
	if (rc != SQLITE_OK) {
		code = errf(err, errlen, -EACCES, "%s: cannot open: %s", path, sqlite3_errstr(rc));
		goto out;
	}
	sqlite3_busy_timeout(db, PS_BUSY_TIMEOUT_MS);
	rc = sqlite3_prepare_v2(db,
	    "SELECT count(*), count(CASE WHEN name = 'schema_version' AND type = 'table' THEN 1 END)"
	    " FROM sqlite_master", -1, &st, NULL);
	if (rc == SQLITE_OK && sqlite3_step(st) != SQLITE_ROW)
		rc = sqlite3_errcode(db);
	if (rc != SQLITE_OK && rc != SQLITE_ROW) {
		code = errf(err, errlen, TNC_EINVALID, "%s: not a SQLite database, or corrupt: %s", path,
		    sqlite3_errmsg(db));
		goto out;
	}
	int64_t objects = sqlite3_column_int64(st, 0), has_version = sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	st = NULL;
	if (objects == 0) {
		*ret_state = FILE_EMPTY;
		*ret_version = 0;
		goto out;
	}
	rc = sqlite3_prepare_v2(db, "PRAGMA quick_check(1)", -1, &st, NULL);
	const unsigned char *verdict = NULL;
	if (rc == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		verdict = sqlite3_column_text(st, 0);
	if (!verdict || strcmp((const char *)verdict, "ok")) {
		code = errf(err, errlen, TNC_EINVALID, "%s: corrupt database: %s", path,
		    verdict ? (const char *)verdict : sqlite3_errmsg(db));
		goto out;
	}
	sqlite3_finalize(st);
	st = NULL;
	if (!has_version) {
		code = errf(err, errlen, TNC_EINVALID,
		    "%s: not a tnc policy database (no schema_version table)", path);
		goto out;
	}
	rc = sqlite3_prepare_v2(db, "SELECT max(version) FROM schema_version", -1, &st, NULL);
	if (rc != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    sqlite3_column_type(st, 0) != SQLITE_INTEGER) {
		code = errf(err, errlen, TNC_EINVALID, "%s: no schema version recorded", path);
		goto out;
	}
	*ret_state = FILE_SCHEMA;
	*ret_version = sqlite3_column_int(st, 0);
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
		return errf(err, errlen, TNC_ETOOLONG, "%s: path too long", path);
	strcpy(dir, path);
	const char *parent = dirname(dir);
	struct stat st;
	/* only a missing one: tnc-policy's sandbox has no mkdir */
	if (stat(parent, &st) != 0 && mkdir(parent, 0700) < 0 && errno != EEXIST)
		return errf(err, errlen, -errno, "%s: cannot create: %s", parent, strerror(errno));
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0 && errno != EEXIST) /* EEXIST: another process made it just now */
		return errf(err, errlen, -errno, "%s: cannot create: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return 0;
}

static int
check_version(const char *path, int version, unsigned flags, char *err, size_t errlen)
{
	int latest = policy_store_schema_latest();
	if (version > latest)
		return errf(err, errlen, TNC_EVERSION,
		    "%s: schema version %d is newer than this build knows (%d); not touched", path,
		    version, latest);
	if (version < latest && !(flags & PS_OPEN_MIGRATE))
		return errf(err, errlen, TNC_EVERSION,
		    "%s: schema version %d is older than this build's (%d); run 'tncadm migrate'", path,
		    version, latest);
	return 0;
}

static int
pragmas(struct policy_store *s)
{
	static const char *const setup[] = {"PRAGMA foreign_keys = ON", "PRAGMA journal_mode = WAL",
	    "PRAGMA synchronous = NORMAL"};
	sqlite3_busy_timeout(s->db, PS_BUSY_TIMEOUT_MS);
	for (size_t i = 0; i < sizeof(setup) / sizeof(setup[0]); i++) {
		int rc = sqlite3_exec(s->db, setup[i], NULL, NULL, NULL);
		if (rc != SQLITE_OK)
			return store_sqlite_fail(s, sqlite3_extended_errcode(s->db), setup[i]);
	}
	if (store_register_functions(s->db) != SQLITE_OK)
		return store_sqlite_fail(s, sqlite3_extended_errcode(s->db), "registering functions");
	return 0;
}

/* Applies the schema steps above the database's version (all of them, and
 * the default policy, on an empty file) in one transaction. */
static int
migrate(struct policy_store *s)
{
	int err = store_begin(s, true);
	if (err)
		return err;
	int64_t has_table = 0, version = 0;
	err = store_int(s, &has_table,
	    "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'", "");
	if (!err && has_table)
		err = store_int(s, &version, "SELECT max(version) FROM schema_version", "");
	bool fresh = !has_table;
	for (size_t i = 0; !err && i < store_nmigrations; i++) {
		const struct store_migration *m = &store_migrations[i];
		if (m->version <= version)
			continue;
		int rc = sqlite3_exec(s->db, m->sql, NULL, NULL, NULL);
		if (rc != SQLITE_OK) {
			err = store_sqlite_fail(s, sqlite3_extended_errcode(s->db), m->name);
			break;
		}
		err = store_exec(s, "INSERT INTO schema_version (version, applied) VALUES (?, ?)", "iI",
		    m->version, (int64_t)time(NULL));
	}
	if (!err && fresh && sqlite3_exec(s->db, store_default_policy_sql, NULL, NULL, NULL) != SQLITE_OK)
		err = store_sqlite_fail(s, sqlite3_extended_errcode(s->db), "default policy");
	/* schema text changed under the cached statements */
	store_stmt_cache_clear(s);
	return store_end(s, err);
}

int
policy_store_peek_version(const char *path, int *ret_version, char *err, size_t errlen)
{
	enum file_state state;
	int version = 0;
	struct stat sb;
	if (stat(path, &sb) < 0)
		return errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
	int code = inspect(path, &state, &version, err, errlen);
	if (!code && state == FILE_EMPTY)
		return errf(err, errlen, TNC_EINVALID, "%s: empty database; run 'tncadm init'", path);
	if (!code)
		*ret_version = version;
	return code;
}

int
policy_store_open(const char *path, unsigned flags, struct policy_store **ret, char *err,
    size_t errlen)
{
	*ret = NULL;
	struct stat sb;
	if (stat(path, &sb) < 0) {
		if (errno != ENOENT || !(flags & PS_OPEN_CREATE))
			return errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
		int code = create_file(path, err, errlen);
		if (code)
			return code;
	}
	enum file_state state;
	int version = 0;
	int code = inspect(path, &state, &version, err, errlen);
	if (code)
		return code;
	if (state == FILE_EMPTY && !(flags & PS_OPEN_CREATE))
		return errf(err, errlen, TNC_EINVALID, "%s: empty database; run 'tncadm init'", path);
	if (state == FILE_SCHEMA && (code = check_version(path, version, flags, err, errlen)))
		return code;

	struct policy_store *s = calloc(1, sizeof(*s));
	if (!s)
		abort();
	/* a URI, so that ATTACH (import-strongswan) can open a file read-only */
	char uri[4200];
	if (store_uri(path, "rw", uri, sizeof(uri)) < 0) {
		code = errf(err, errlen, TNC_ETOOLONG, "%s: path too long", path);
		goto fail;
	}
	int rc = sqlite3_open_v2(uri, &s->db,
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI, NULL);
	if (rc != SQLITE_OK) {
		code = errf(err, errlen, -EACCES, "%s: cannot open for writing: %s", path,
		    sqlite3_errstr(rc));
		goto fail;
	}
	code = pragmas(s);
	if (!code && (state == FILE_EMPTY || version < policy_store_schema_latest()))
		code = migrate(s);
	if (code) {
		errf(err, errlen, code, "%s: %s", path, s->error);
		goto fail;
	}
	int64_t v = 0;
	if ((code = store_int(s, &v, "SELECT max(version) FROM schema_version", ""))) {
		errf(err, errlen, code, "%s: %s", path, s->error);
		goto fail;
	}
	s->version = (int)v;
	*ret = s;
	return 0;
fail:
	policy_store_close(s);
	return code;
}

void
policy_store_close(struct policy_store *s)
{
	if (!s)
		return;
	store_stmt_cache_clear(s);
	store_pkg_cache_drop(s);
	sqlite3_close(s->db);
	free(s);
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

/* Runs a check pragma; the first row that is not "ok" is the problem. */
static int
check_pragma(struct policy_store *s, const char *sql, bool ok_row)
{
	sqlite3_stmt *st = store_stmt(s, sql, "");
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
		err = store_sqlite_fail(s, sqlite3_extended_errcode(s->db), sql);
	}
	sqlite3_reset(st);
	return err;
}

int
policy_store_check(struct policy_store *s)
{
	int err = check_pragma(s, "PRAGMA integrity_check", true);
	return err ? err : check_pragma(s, "PRAGMA foreign_key_check", false);
}
