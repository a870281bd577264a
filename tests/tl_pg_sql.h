/* tl_pg_sql.h - SQL run by a test directly on one of its PostgreSQL
 * databases (tl_policy_db.h), past the store: to prepare a database the
 * store must refuse, and to show that it left one as it was. */
#ifndef TNC_TL_PG_SQL_H
#define TNC_TL_PG_SQL_H

/* Runs statements that return no rows; fails the test on an error. */
void tl_pg_exec(const char *uri, const char *password_file, const char *sql);
/* Everything in the database's current schema as text (malloc'd): each
 * relation with its kind, each table's columns and rows, each sequence's
 * position.  Two equal dumps: nothing was created, changed or dropped. */
char *tl_pg_dump(const char *uri, const char *password_file);

#endif
