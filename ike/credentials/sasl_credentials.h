/* sasl_credentials.h - the SASL PLAIN credentials file: one user a line,
 *
 *     NAME:$argon2id$v=19$m=KIB,t=PASSES,p=1$SALT$HASH
 *
 * (libsodium's crypto_pwhash_str, Argon2id); '#' starts a comment line,
 * blank lines are skipped.  A name is 1-255 octets of UTF-8 without control
 * characters or ':' and does not start with '#'.  Bounded: the file, its
 * lines and its entries (below); a hash must be cheap enough to verify in
 * tnc-ike's one loop (m * t at most SASL_CREDS_COST_MAX).  tnc-ike loads it
 * before its sandbox, tncd --check-config validates it, tncadm writes it.
 * Linked by all three (library tnc_sasl_credentials). */
#ifndef TNC_SASL_CREDENTIALS_H
#define TNC_SASL_CREDENTIALS_H

#include <sodium.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "err.h"
#include "sasl_plain.h"

#define SASL_CREDS_DEFAULT_PATH "/etc/tnc/sasl-credentials"
#define SASL_CREDS_FILE_MAX (4u * 1024 * 1024)
#define SASL_CREDS_LINE_MAX 512
#define SASL_CREDS_ENTRIES_MAX 10000
/* What tncadm writes: about 2 ms per verification on a 2020s x86 core. */
#define SASL_CREDS_OPSLIMIT 2
#define SASL_CREDS_MEMLIMIT (2048u * 1024)
/* The most a verification may cost: memory in KiB times passes (twice
 * tncadm's, about 4 ms). */
#define SASL_CREDS_COST_MAX 8192u

struct sasl_cred {
	char name[SASL_PLAIN_FIELD_MAX + 1];
	size_t name_len;
	char hash[crypto_pwhash_STRBYTES];
	unsigned line; /* in the file it was read from; 0: added since */
};

struct sasl_creds {
	struct sasl_cred *v;
	size_t n, cap;
};

/* Reads and parses path (a regular file of at most SASL_CREDS_FILE_MAX
 * octets) into *ret (emptied first).  0, or TNC_ECONFIG with "path:line:
 * reason" (or "path: reason") in err; *ret is empty then. */
int sasl_creds_load(const char *path, struct sasl_creds *ret, char *err, size_t errlen)
    TNC_MUST_CHECK;
/* The same for text[0..len) read from path. */
int sasl_creds_parse(const char *text, size_t len, const char *path, struct sasl_creds *ret,
    char *err, size_t errlen) TNC_MUST_CHECK;
/* NULL if name[0..len) may be a user name, else why not (static text). */
const char *sasl_creds_name_check(const char *name, size_t len);
/* NULL if hash is an Argon2id string within the cost bound, else why not. */
const char *sasl_creds_hash_check(const char *hash);
/* The entry of name[0..len), or NULL. */
const struct sasl_cred *sasl_creds_find(const struct sasl_creds *c, const uint8_t *name,
    size_t len);
/* Adds or replaces (*ret_replaced) the entry of name: 0, TNC_EINVALID for a
 * name or hash the file cannot hold, TNC_ETOOLONG when it is full. */
int sasl_creds_set(struct sasl_creds *c, const char *name, const char *hash, bool *ret_replaced)
    TNC_MUST_CHECK;
/* Removes the entry of name: 0 or TNC_ENOTFOUND. */
int sasl_creds_remove(struct sasl_creds *c, const char *name) TNC_MUST_CHECK;
/* Writes the file's text (a header comment, one line per entry) to f. */
void sasl_creds_write(const struct sasl_creds *c, FILE *f);
/* Wipes and frees the entries. */
void sasl_creds_clear(struct sasl_creds *c);

#endif
