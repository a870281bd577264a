/* store_sqlite.h - what only the SQLite engine has, for the store's files
 * that work on SQLite files by nature (import-strongswan). */
#ifndef TNC_STORE_SQLITE_H
#define TNC_STORE_SQLITE_H

#include <sqlite3.h>

#include "store_int.h"

/* The connection of a store on the SQLite engine. */
sqlite3 *store_sqlite_db(struct policy_store *s);

/* path as a file: URI with ?mode=mode (ro, rw), its special characters
 * percent-encoded; -1 when it does not fit. */
int store_sqlite_uri(const char *path, const char *mode, char *out, size_t size);

#endif
