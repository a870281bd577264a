/* imc_attest_links.h - the directory symlinks of a UsrMerge system (/bin ->
 * /usr/bin), answered to strongSwan's ITA-HSR Get Symlinks so that the
 * verifier finds an IMA file under either path. */
#ifndef TNC_IMC_ATTEST_LINKS_H
#define TNC_IMC_ATTEST_LINKS_H

#include <stddef.h>

#include "pa_pts_symlinks.h"

#define IMC_LINKS_MAX 64 /* links reported; a root has a handful */

struct imc_links {
	size_t count;
	struct pa_pts_symlink links[IMC_LINKS_MAX]; /* views into text */
	char text[IMC_LINKS_MAX][2][256];
};

/* The symlinks directly in dir that lead to a directory, each with the
 * directory's real path; entries whose names do not fit are skipped.
 * An unreadable dir gives none. */
void imc_links_collect(const char *dir, struct imc_links *ret);

#endif
