/* adm_ima.h - reference hashes from a trusted IMA measurement list: each
 * measured file's digest, named by the path IMA measured. */
#ifndef TNC_ADM_IMA_H
#define TNC_ADM_IMA_H

#include <stddef.h>

#include "adm_hash.h"

#define ADM_IMA_LIST_MAX (256u << 20) /* bytes of a list */

struct adm_ima_counts {
	size_t entries;        /* in the list */
	size_t imported;       /* distinct (path, algorithm) pairs: the hashes returned */
	size_t repeated;       /* measurements of a pair seen again (the last one counts) */
	size_t boot_aggregate; /* the boot_aggregate entry */
	size_t violations;     /* all-zero template hashes: nothing was measured */
	size_t not_files;      /* buffers (ima-buf), names that are not absolute paths */
	size_t other_algo;     /* file digests of another algorithm than wanted (or known) */
};

/* Reads the list at path (binary or ASCII; templates ima, ima-ng, ima-sig
 * and the others tnc_attest knows), keeping file digests of algorithm algo
 * (sha1 sha256 sha384 sha512; NULL: every one of these).  Sizes are unknown
 * (-1).  A list whose template hash does not match an entry's data is
 * refused: it is not the list IMA wrote.  0, or -1 with the reason in err. */
int adm_ima_read(const char *path, const char *algo, struct adm_hashes *ret,
    struct adm_ima_counts *counts, char *err, size_t errlen);

#endif
