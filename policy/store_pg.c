/* store_pg.c - the PostgreSQL engine of the store (store_int.h), over
 * libpq: one database shared by a fleet of gateways.
 *
 * The connection goes to the numeric address ps_target_make() resolved
 * (no name lookup later, in the sandbox), with TCP keepalives and a TCP
 * user timeout so that a dead server is noticed in seconds.  Statements
 * are the store's SQLite-flavoured texts, their parameters rewritten
 * (store_pg_dialect.c) and prepared once per text with the parameter types
 * the store binds, so the server never has to guess them.  Every error is
 * mapped from its SQLSTATE to the store's codes; a lost server is
 * -ENOTCONN until reconnect() succeeds.  Notices are dropped: they would
 * go to stderr, and the store reports what matters as errors.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "store_int.h"
#include "store_pg_dialect.h"

/* Type OIDs (fixed by PostgreSQL; the header naming them is the server's). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25 };

#define PG_VERSION_MIN 110000 /* 11: identity columns (10) and the jit setting */
#define STR(x) #x
#define XSTR(x) STR(x)

struct pg_stmt {
	const char *sql; /* the store's static text: the key */
	char name[24];
	int nparams;
	Oid *types;
};

struct pg_conn {
	PGconn *pg;
	struct pg_stmt cache[STORE_STMT_CACHE]; /* oldest first */
	size_t ncache;
	uint64_t prepared; /* statements ever prepared: the next one's name */
};

/* A finished statement's whole result: the store's results are small
 * (the largest, a product's releases for the package cache, is bounded by
 * STORE_PKG_CACHE_ROWS), so PQexecPrepared() and a row index do. */
struct store_rows {
	PGresult *res;
	int row, nrows;
	int64_t changes;
};

#define CONN(s) ((struct pg_conn *)(s)->conn)

/* SQLSTATEs (a class is its first two characters) as the store's codes;
 * the first match counts, anything else is TNC_EINVALID (bad SQL, bad
 * data). */
static const struct {
	const char *state;
	int code;
} state_codes[] = {
    {"23505", -EEXIST},      /* unique_violation */
    {"23", TNC_EINVALID},    /* other integrity constraints */
    {"40001", -EAGAIN},      /* serialization_failure */
    {"40P01", -EAGAIN},      /* deadlock_detected */
    {"55P03", TNC_ETIMEOUT}, /* lock_not_available: lock_timeout ran out */
    {"57014", TNC_ETIMEOUT}, /* query_canceled */
    {"57P", -ENOTCONN},      /* the server shuts down, crashed or cannot take us now */
    {"08", -ENOTCONN},       /* connection exceptions */
    {"53100", -ENOSPC},      /* disk_full */
    {"53", -ENOMEM},         /* out of memory or other resources */
    {"42501", -EACCES},      /* insufficient_privilege */
    {"28", -EACCES},         /* invalid authorization */
    {"25006", -EACCES},      /* read_only_sql_transaction: a standby */
    {"58", -EIO},            /* system errors */
    {"XX", -EIO},            /* internal errors, corruption */
};

static int
code_of(PGconn *pg, const PGresult *res)
{
	if (PQstatus(pg) == CONNECTION_BAD)
		return -ENOTCONN;
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (!state) /* libpq's own failure: no result at all is out of memory */
		return res ? -EIO : -ENOMEM;
	for (size_t i = 0; i < sizeof(state_codes) / sizeof(state_codes[0]); i++)
		if (!strncmp(state, state_codes[i].state, strlen(state_codes[i].state)))
			return state_codes[i].code;
	return TNC_EINVALID;
}

/* The failure of a result (NULL: of the connection) as the store's code,
 * with the first line of the server's or libpq's message. */
static int
pg_fail(struct policy_store *s, PGconn *pg, const PGresult *res, const char *what)
{
	const char *m = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	if (!m && res && PQresultErrorMessage(res)[0])
		m = PQresultErrorMessage(res);
	if (!m)
		m = PQerrorMessage(pg);
	return store_fail(s, code_of(pg, res), "%s: %.*s", what, (int)strcspn(m, "\n"), m);
}

/* A result that is not an error: a command done or rows. */
static bool
result_ok(const PGresult *res)
{
	ExecStatusType st = PQresultStatus(res);
	return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
}

/* A text without parameters, its rows ignored. */
static int
run(struct policy_store *s, const char *sql, const char *what)
{
	PGresult *res = PQexec(CONN(s)->pg, sql);
	int err = result_ok(res) ? 0 : pg_fail(s, CONN(s)->pg, res, what);
	PQclear(res);
	return err;
}

static void
drop_notice(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/* What every new session needs: a live connection to a new enough server,
 * lock waits bounded like the SQLite engine's busy timeout, and no JIT: the
 * store's statements are short, and compiling one costs tens of
 * milliseconds whenever the planner overestimates (as on tables not yet
 * analyzed), each time it runs. */
static int
session_setup(struct policy_store *s)
{
	PGconn *pg = CONN(s)->pg;
	if (PQstatus(pg) != CONNECTION_OK)
		return pg_fail(s, pg, NULL, "cannot connect");
	PQsetNoticeProcessor(pg, drop_notice, NULL);
	if (PQserverVersion(pg) < PG_VERSION_MIN)
		return store_fail(s, TNC_EVERSION, "PostgreSQL %d is too old (11 or later)",
		    PQserverVersion(pg) / 10000);
	return run(s, "SET lock_timeout = " XSTR(PS_BUSY_TIMEOUT_MS) "; SET jit = off",
	    "setting up the session");
}

/* Forgets the cached statements; with deallocate, also on the server. */
static void
forget_statements(struct pg_conn *c, bool deallocate)
{
	if (deallocate && c->ncache && PQstatus(c->pg) == CONNECTION_OK)
		PQclear(PQexec(c->pg, "DEALLOCATE ALL"));
	for (size_t i = 0; i < c->ncache; i++)
		free(c->cache[i].types);
	c->ncache = 0;
}

static int
open_pg(struct policy_store *s, const struct ps_target *t, unsigned flags, char *err,
    size_t errlen)
{
	(void)flags; /* the database itself is the administrator's to create */
	struct pg_conn *c = calloc(1, sizeof(*c));
	if (!c)
		abort();
	s->conn = c;
	/* libpq keeps the last value of a keyword: the defaults come before
	 * the URI (dbname, expanded), which may change them; after it what
	 * must hold.  A dead server is noticed in about 11 s: when idle by
	 * keepalives (after 5 s, 3 probes 2 s apart), with a request out by
	 * the TCP user timeout (10 s); a connect gives up after 5 s.  No
	 * GSSAPI: it would load Kerberos in the sandbox. */
	const char *const keys[] = {"connect_timeout", "application_name", "keepalives",
	    "keepalives_idle", "keepalives_interval", "keepalives_count", "tcp_user_timeout",
	    "dbname", "hostaddr", "user", "password", "gssencmode", "client_encoding", NULL};
	const char *const values[] = {"5", "tnc", "1", "5", "2", "3", "10000", t->db, t->hostaddr,
	    t->user, t->password, "disable", "UTF8", NULL};
	c->pg = PQconnectdbParams(keys, values, 1);
	if (!c->pg)
		abort(); /* libpq's out of memory */
	int code = session_setup(s);
	if (code && err && errlen)
		snprintf(err, errlen, "%s: %s", ps_target_name(t), s->error);
	return code;
}

static int
reconnect(struct policy_store *s)
{
	struct pg_conn *c = CONN(s);
	if (PQstatus(c->pg) == CONNECTION_OK)
		return 0;
	forget_statements(c, false); /* they went with the old session */
	PQreset(c->pg);
	return session_setup(s) ? -ENOTCONN : 0;
}

static void
close_pg(struct policy_store *s)
{
	struct pg_conn *c = CONN(s);
	forget_statements(c, false); /* the session's end drops them */
	PQfinish(c->pg);
	free(c);
	s->conn = NULL;
}

static void
stmt_cache_clear(struct policy_store *s)
{
	forget_statements(CONN(s), true);
}

static Oid
param_type(char kind)
{
	return kind == 't' ? OID_TEXT : OID_INT8; /* 'I', 'n' */
}

/* Whether a cached statement was prepared for these parameters. */
static int
check_params(struct policy_store *s, const struct pg_stmt *st, const struct store_param *p,
    size_t n)
{
	/* a parameter left unbound would silently be NULL */
	if (n != (size_t)st->nparams)
		return store_fail(s, TNC_EINVALID, "%zu parameters for a statement of %d", n,
		    st->nparams);
	for (size_t i = 0; i < n; i++)
		if (param_type(p[i].kind) != st->types[i])
			return store_fail(s, TNC_EINVALID, "parameter %zu is bound as another type", i + 1);
	return 0;
}

/* The prepared statement for sql: from the cache, or prepared now (the
 * oldest one then makes room). */
static int
prepared(struct policy_store *s, const char *sql, const struct store_param *p, size_t n,
    const struct pg_stmt **ret)
{
	struct pg_conn *c = CONN(s);
	for (size_t i = 0; i < c->ncache; i++)
		if (c->cache[i].sql == sql) {
			*ret = &c->cache[i];
			return check_params(s, *ret, p, n);
		}
	char *text;
	const char *why;
	int nparams;
	if (store_pg_params(sql, &text, &nparams, &why))
		return store_fail(s, TNC_EINVALID, "preparing a statement: %s", why);
	struct pg_stmt st = {.sql = sql, .nparams = nparams};
	snprintf(st.name, sizeof(st.name), "tnc_%" PRIu64, c->prepared++);
	st.types = calloc(n ? n : 1, sizeof(*st.types));
	if (!st.types)
		abort();
	for (size_t i = 0; i < n; i++)
		st.types[i] = param_type(p[i].kind);
	int err = check_params(s, &st, p, n);
	if (!err) {
		PGresult *res = PQprepare(c->pg, st.name, text, (int)n, st.types);
		err = result_ok(res) ? 0 : pg_fail(s, c->pg, res, "preparing a statement");
		PQclear(res);
	}
	free(text);
	if (err) {
		free(st.types);
		return err;
	}
	if (c->ncache == STORE_STMT_CACHE) {
		char deallocate[48];
		snprintf(deallocate, sizeof(deallocate), "DEALLOCATE %s", c->cache[0].name);
		PQclear(PQexec(c->pg, deallocate)); /* failing, it stays only on the server */
		free(c->cache[0].types);
		memmove(&c->cache[0], &c->cache[1], sizeof(c->cache[0]) * (STORE_STMT_CACHE - 1));
		c->ncache--;
	}
	c->cache[c->ncache] = st;
	*ret = &c->cache[c->ncache++];
	return 0;
}

static int
query(struct policy_store *s, const char *sql, const struct store_param *p, size_t n,
    struct store_rows **ret)
{
	*ret = NULL;
	const struct pg_stmt *st = NULL;
	int err = prepared(s, sql, p, n, &st);
	if (err)
		return err;
	const char **values = calloc(n ? n : 1, sizeof(*values));
	char(*ints)[24] = calloc(n ? n : 1, sizeof(*ints));
	if (!values || !ints)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (p[i].kind == 't') {
			values[i] = p[i].t; /* NULL: SQL NULL */
		} else if (p[i].kind == 'I') {
			snprintf(ints[i], sizeof(ints[i]), "%" PRId64, p[i].i);
			values[i] = ints[i];
		}
	}
	PGresult *res = PQexecPrepared(CONN(s)->pg, st->name, (int)n, values, NULL, NULL, 0);
	free(values);
	free(ints);
	if (!result_ok(res)) {
		err = pg_fail(s, CONN(s)->pg, res, "running a statement");
		PQclear(res);
		return err;
	}
	struct store_rows *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->res = res;
	r->row = -1;
	r->nrows = PQntuples(res);
	/* a SELECT changes nothing; PQcmdTuples() would count its rows */
	if (strncmp(PQcmdStatus(res), "SELECT", 6))
		r->changes = strtoll(PQcmdTuples(res), NULL, 10);
	*ret = r;
	return 0;
}

static int
next(struct policy_store *s, struct store_rows *r)
{
	if (r->row + 1 < r->nrows) {
		r->row++;
		return 1;
	}
	s->changes = r->changes;
	return 0;
}

static enum store_type
col_type(struct store_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return STORE_NULL;
	switch (PQftype(r->res, col)) {
	case OID_BOOL:
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return STORE_INT;
	default:
		return STORE_TEXT;
	}
}

static int64_t
col_int(struct store_rows *r, int col)
{
	if (PQgetisnull(r->res, r->row, col))
		return 0;
	const char *v = PQgetvalue(r->res, r->row, col);
	if (PQftype(r->res, col) == OID_BOOL)
		return v[0] == 't';
	return strtoll(v, NULL, 10);
}

static const char *
col_text(struct store_rows *r, int col)
{
	return PQgetisnull(r->res, r->row, col) ? NULL : PQgetvalue(r->res, r->row, col);
}

static void
finish(struct store_rows *r)
{
	if (!r)
		return;
	PQclear(r->res);
	free(r);
}

static int
script(struct policy_store *s, const char *sql, const char *what)
{
	char *text;
	const char *why;
	if (store_pg_script(sql, &text, &why))
		return store_fail(s, TNC_EINVALID, "%s: %s", what, why);
	int err = run(s, text, what);
	free(text);
	return err;
}

static int
commit(struct policy_store *s)
{
	PGconn *pg = CONN(s)->pg;
	PGresult *res = PQexec(pg, "COMMIT");
	int err = 0;
	if (!result_ok(res))
		err = pg_fail(s, pg, res, "committing");
	else if (!strcmp(PQcmdStatus(res), "ROLLBACK")) /* COMMIT of a failed transaction */
		err = store_fail(s, TNC_EINVALID, "committing: a statement had failed; rolled back");
	PQclear(res);
	return err;
}

static bool
in_transaction(struct policy_store *s)
{
	PGTransactionStatusType st = PQtransactionStatus(CONN(s)->pg);
	return st == PQTRANS_ACTIVE || st == PQTRANS_INTRANS || st == PQTRANS_INERROR;
}

static void
rollback(struct policy_store *s)
{
	if (in_transaction(s))
		PQclear(PQexec(CONN(s)->pg, "ROLLBACK"));
}

/* Any fixed number: the advisory lock that orders the stores' schema
 * changes of one database ("tnc-pol" in ASCII). */
#define SCHEMA_LOCK_KEY "32772469541597036"

static int
begin(struct policy_store *s, bool write, bool schema)
{
	/* A write sees the latest commits (READ COMMITTED): the store's writes
	 * are upserts on unique keys, so a concurrent writer's row is found,
	 * not lost or doubled.  A read is one snapshot.  Both named, whatever
	 * the database's default isolation is. */
	int err = run(s,
	    write || schema ? "BEGIN ISOLATION LEVEL READ COMMITTED"
	                    : "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY",
	    "starting a transaction");
	if (!err && schema) {
		err = run(s, "SELECT pg_advisory_xact_lock(" SCHEMA_LOCK_KEY ")",
		    "waiting for another store's schema change");
		if (err)
			rollback(s);
	}
	return err;
}

/* The store's tables live in the connection's default schema. */
static int
inspect(struct policy_store *s, bool *ret_empty, bool *ret_has_version)
{
	PGconn *pg = CONN(s)->pg;
	PGresult *res = PQexec(pg,
	    "SELECT count(*), count(*) FILTER (WHERE tablename = 'schema_version')"
	    " FROM pg_catalog.pg_tables WHERE schemaname = current_schema()");
	int err = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK || PQntuples(res) != 1) {
		err = pg_fail(s, pg, res, "reading the schema");
	} else {
		*ret_empty = !strcmp(PQgetvalue(res, 0, 0), "0");
		*ret_has_version = strcmp(PQgetvalue(res, 0, 1), "0") != 0;
	}
	PQclear(res);
	return err;
}

/* The sequence of every identity id column: the tables and sequence names. */
static const char identity_tables_sql[] =
    "SELECT quote_ident(c.relname), pg_get_serial_sequence(c.oid::regclass::text, 'id')"
    " FROM pg_catalog.pg_attribute AS a JOIN pg_catalog.pg_class AS c ON c.oid = a.attrelid"
    " WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'"
    "  AND a.attname = 'id' AND a.attidentity <> ''";

static int
ids_follow(struct policy_store *s)
{
	PGconn *pg = CONN(s)->pg;
	PGresult *tables = PQexec(pg, identity_tables_sql);
	if (PQresultStatus(tables) != PGRES_TUPLES_OK) {
		int err = pg_fail(s, pg, tables, "finding the id sequences");
		PQclear(tables);
		return err;
	}
	int err = 0;
	for (int i = 0; !err && i < PQntuples(tables); i++) {
		char sql[256];
		/* the table name is quoted by the server: it fits and is one name */
		if (snprintf(sql, sizeof(sql),
		        "SELECT setval($1::regclass, coalesce(max(id), 0) + 1, false) FROM %s",
		        PQgetvalue(tables, i, 0)) >= (int)sizeof(sql)) {
			err = store_fail(s, TNC_ETOOLONG, "a table name is too long");
			break;
		}
		const char *seq = PQgetvalue(tables, i, 1);
		PGresult *res = PQexecParams(pg, sql, 1, NULL, &seq, NULL, NULL, 0);
		if (!result_ok(res))
			err = pg_fail(s, pg, res, "moving an id sequence");
		PQclear(res);
	}
	PQclear(tables);
	return err;
}

/* Whether the default schema has the table. */
static int
check_table(struct policy_store *s, const char *name)
{
	PGconn *pg = CONN(s)->pg;
	PGresult *res = PQexecParams(pg,
	    "SELECT 1 FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1",
	    1, NULL, &name, NULL, NULL, 0);
	int err = 0;
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		err = pg_fail(s, pg, res, "checking the tables");
	else if (PQntuples(res) == 0)
		err = store_fail(s, TNC_EINVALID, "table %s is missing", name);
	PQclear(res);
	return err;
}

/* An index that a failed build left unusable, or a constraint added
 * NOT VALID (rows before it were never checked). */
static const char invalid_sql[] =
    "SELECT 'index ' || c.relname FROM pg_catalog.pg_index AS i"
    " JOIN pg_catalog.pg_class AS c ON c.oid = i.indexrelid"
    " WHERE c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid"
    " UNION ALL SELECT 'constraint ' || conname FROM pg_catalog.pg_constraint"
    " WHERE connamespace = current_schema()::regnamespace AND NOT convalidated LIMIT 1";

/* What PostgreSQL can check cheaply: every table of the schema steps
 * applied is there, no index or constraint is invalid.  Foreign keys need
 * no check: the server enforces them on every write. */
static int
check(struct policy_store *s)
{
	struct store_pg_tables tables = {0};
	const char *why;
	int err = 0;
	for (size_t i = 0; !err && i < store_nmigrations; i++)
		if (store_migrations[i].version <= s->version &&
		    store_pg_tables(store_migrations[i].sql, &tables, &why))
			err = store_fail(s, TNC_EINVALID, "%s: %s", store_migrations[i].name, why);
	for (size_t i = 0; !err && i < tables.n; i++)
		err = check_table(s, tables.names[i]);
	store_pg_tables_clear(&tables);
	if (err)
		return err;
	PGconn *pg = CONN(s)->pg;
	PGresult *res = PQexec(pg, invalid_sql);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		err = pg_fail(s, pg, res, "checking indexes and constraints");
	else if (PQntuples(res))
		err = store_fail(s, TNC_EINVALID, "%s is not valid", PQgetvalue(res, 0, 0));
	PQclear(res);
	return err;
}

static int
server_pid(const struct policy_store *s)
{
	const struct pg_conn *c = s->conn;
	return PQbackendPID(c->pg);
}

/* Nothing PostgreSQL sets on a database writes before the store's checks. */
static int
accepted(struct policy_store *s)
{
	(void)s;
	return 0;
}

const struct store_driver store_pg_driver = {
    .name = "postgresql",
    .open = open_pg,
    .accepted = accepted,
    .server_pid = server_pid,
    .reconnect = reconnect,
    .close = close_pg,
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
};
