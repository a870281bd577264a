/* tl_pg_sql.c - SQL on a test's PostgreSQL database, past the store (see
 * tl_pg_sql.h). */
#include "tl_pg_sql.h"

#include <check.h>
#include <stdio.h>
#include <stdlib.h>

#include "tl_policy_db.h"

static PGresult *
query(PGconn *c, const char *sql, int nparams, const char *const *params, ExecStatusType want)
{
	PGresult *r = PQexecParams(c, sql, nparams, NULL, params, NULL, NULL, 0);
	ck_assert_msg(PQresultStatus(r) == want, "%s: %s", sql, PQerrorMessage(c));
	return r;
}

void
tl_pg_exec(const char *uri, const char *password_file, const char *sql)
{
	PGconn *c = tl_pg_connect(uri, password_file);
	/* PQexec: several statements in one string, as a schema script has */
	PGresult *r = PQexec(c, sql);
	ck_assert_msg(PQresultStatus(r) == PGRES_COMMAND_OK, "%s: %s", sql, PQerrorMessage(c));
	PQclear(r);
	PQfinish(c);
}

/* Every row of a query, a line each, the cells separated by '|'. */
static void
dump_rows(PGconn *c, FILE *out, const char *sql, int nparams, const char *const *params)
{
	PGresult *r = query(c, sql, nparams, params, PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(r); i++) {
		for (int j = 0; j < PQnfields(r); j++)
			fprintf(out, "%s%s", j ? "|" : "  ",
			    PQgetisnull(r, i, j) ? "NULL" : PQgetvalue(r, i, j));
		fputc('\n', out);
	}
	PQclear(r);
}

char *
tl_pg_dump(const char *uri, const char *password_file)
{
	PGconn *c = tl_pg_connect(uri, password_file);
	char *text;
	size_t len;
	FILE *out = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(out);
	/* quote_ident: the names go into the SQL below as identifiers */
	PGresult *rels = query(c,
	    "SELECT quote_ident(relname), relkind FROM pg_catalog.pg_class"
	    " WHERE relnamespace = current_schema()::regnamespace ORDER BY relname",
	    0, NULL, PGRES_TUPLES_OK);
	for (int i = 0; i < PQntuples(rels); i++) {
		const char *name = PQgetvalue(rels, i, 0);
		char kind = PQgetvalue(rels, i, 1)[0], sql[512];
		fprintf(out, "%s (%c)\n", name, kind);
		if (kind == 'r') {
			dump_rows(c, out,
			    "SELECT attname, format_type(atttypid, atttypmod), attnotnull"
			    " FROM pg_catalog.pg_attribute WHERE attrelid = $1::regclass AND attnum > 0"
			    " AND NOT attisdropped ORDER BY attnum", 1, &name);
			int n = snprintf(sql, sizeof(sql), "SELECT t::text FROM %s AS t ORDER BY 1", name);
			ck_assert_int_lt(n, (int)sizeof(sql));
			dump_rows(c, out, sql, 0, NULL);
		} else if (kind == 'S') {
			int n = snprintf(sql, sizeof(sql), "SELECT last_value, is_called FROM %s", name);
			ck_assert_int_lt(n, (int)sizeof(sql));
			dump_rows(c, out, sql, 0, NULL);
		}
	}
	PQclear(rels);
	PQfinish(c);
	ck_assert_int_eq(fclose(out), 0);
	return text;
}
