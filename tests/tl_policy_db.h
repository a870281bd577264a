/* tl_policy_db.h - a fresh policy database for a test, on SQLite or on the
 * PostgreSQL server of tests/pg/pg-server.  ctest's <test>_pg variants
 * (tnc_pg_variant() in tests/CMakeLists.txt) set TNC_TEST_PG to that
 * server's directory; the plain test runs without it, on SQLite. */
#ifndef TNC_TL_POLICY_DB_H
#define TNC_TL_POLICY_DB_H

#include <libpq-fe.h>
#include <stdbool.h>
#include <stddef.h>

/* Whether this run is a _pg variant (TNC_TEST_PG set). */
bool tl_policy_db_is_pg(void);
/* A new, empty database as ps_target_make() takes it: on SQLite the path
 * tnc.db in a new temporary directory (not created yet) and pwfile "";
 * on PostgreSQL a new database's URI
 * ("postgresql://tnc@127.0.0.1:PORT/NAME") and the server's password file.
 * Fails the test when it cannot be made. */
void tl_policy_db(char *db, size_t dbsize, char *pwfile, size_t pwsize);
/* Removes a database of tl_policy_db(): the temporary directory, or DROP
 * DATABASE (closing whatever is still connected to it). */
void tl_policy_db_drop(const char *db);
/* A libpq connection to uri as its user with the password of
 * password_file's first line; fails the test when it cannot connect.
 * The caller PQfinish()es it. */
PGconn *tl_pg_connect(const char *uri, const char *password_file);

#endif
