/* verify_refdb.h - the reference hashes of one product, read from the
 * policy database once, for tncverify ima --db to look every file of an
 * IMA list up in.
 *
 * A file is ok when a reference hash of its algorithm equals its hash,
 * differ when the product has hashes of that algorithm for the path but
 * none equals, unknown when it has none (the seeds' ok / differ / unknown).
 */
#ifndef TNC_VERIFY_REFDB_H
#define TNC_VERIFY_REFDB_H

#include <stddef.h>

#include "wire.h"

enum refdb_result { REFDB_OK, REFDB_UNKNOWN, REFDB_DIFFER };

struct refdb;

/* Opens db (a SQLite path or PostgreSQL URI with its password file, may
 * be NULL) and reads product's reference hashes.  0, or a negative code
 * after saying why on stderr. */
int refdb_load(const char *db, const char *password_file, const char *product,
    struct refdb **ret);
void refdb_free(struct refdb *r); /* NULL: no-op */
size_t refdb_size(const struct refdb *r);

/* alg as IMA logs it ("sha256"), hex lower-case. */
enum refdb_result refdb_lookup(const struct refdb *r, struct bytes path, struct bytes alg,
    const char *hex);

#endif
