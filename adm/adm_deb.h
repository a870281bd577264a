/* adm_deb.h - reference hashes of the files a Debian package installs,
 * read from the .deb itself (libarchive: the ar container, then
 * data.tar with whatever compression it has). */
#ifndef TNC_ADM_DEB_H
#define TNC_ADM_DEB_H

#include <stddef.h>

#include "adm_hash.h"

struct adm_deb_counts {
	size_t files;     /* regular files hashed */
	size_t hardlinks; /* hard links: their target's hash under their own path */
	size_t symlinks;  /* skipped: IMA measures what they point to */
	size_t others;    /* directories, devices, fifos: nothing to hash */
};

/* Appends the hashes (algo: sha1 sha256 sha384 sha512) of path's files to
 * *h, named as installed ("/usr/bin/x").  0, or -1 with the reason (path:
 * member: what) in err; on error *h holds what it held before. */
int adm_deb_read(const char *path, const char *algo, struct adm_hashes *h,
    struct adm_deb_counts *counts, char *err, size_t errlen);

#endif
