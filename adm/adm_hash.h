/* adm_hash.h - reference hashes of every regular file under a directory,
 * named by the path they have on the endpoint (prefix + relative path). */
#ifndef TNC_ADM_HASH_H
#define TNC_ADM_HASH_H

#include <stddef.h>

#include "policy_admin.h"

#define ADM_HASH_MAX_FILES 200000

struct adm_hashes {
	struct ps_file_hash *h; /* strings owned here */
	size_t n;
};

/* Walks dir (symlinks not followed, one file system); algo is sha1,
 * sha256, sha384 or sha512.  0, or -1 with the reason in err. */
int adm_hash_tree(const char *dir, const char *prefix, const char *algo, struct adm_hashes *ret,
    char *err, size_t errlen);
void adm_hashes_clear(struct adm_hashes *h);

#endif
