/* adm_hash.h - reference hashes of every regular file under a directory,
 * named by the path they have on the endpoint (prefix + relative path). */
#ifndef TNC_ADM_HASH_H
#define TNC_ADM_HASH_H

#include <openssl/evp.h>
#include <stddef.h>

#include "policy_admin.h"

#define ADM_HASH_MAX_FILES 200000

struct adm_hashes {
	struct ps_file_hash *h; /* strings owned here */
	size_t n;
};

/* The digest of sha1, sha256, sha384 or sha512; NULL for another name. */
const EVP_MD *adm_hash_md(const char *algo);

/* Walks dir (symlinks not followed, one file system); algo is sha1,
 * sha256, sha384 or sha512.  0, or -1 with the reason in err. */
int adm_hash_tree(const char *dir, const char *prefix, const char *algo, struct adm_hashes *ret,
    char *err, size_t errlen);
/* Appends a copy of path and hex; algo is a static name. */
void adm_hashes_add(struct adm_hashes *h, const char *path, const char *algo, const char *hex,
    int64_t size);
void adm_hashes_clear(struct adm_hashes *h);

#endif
