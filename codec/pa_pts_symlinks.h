/* pa_pts_symlinks.h - strongSwan's ITA-HSR Get Symlinks and Symlinks
 * attributes (vendor PA_TNC_VENDOR_ITA, types PA_ITA_GET_SYMLINKS and
 * PA_ITA_SYMLINKS of pa_ietf.h), with which a verifier learns the
 * directory links of a UsrMerge system (/bin -> /usr/bin) so that IMA file
 * names can be looked up under either path.
 *
 * Get Symlinks: the directory to search, as text filling the value
 * (strongSwan sends "/").  Symlinks: a 32-bit count, then per link the
 * link's path and the directory it points to, each with a 16-bit length.
 * The count is checked against the value's size before the list is walked.
 * Conventions of pa_pts.h.
 */
#ifndef TNC_PA_PTS_SYMLINKS_H
#define TNC_PA_PTS_SYMLINKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

int pa_pts_symlinks_request_decode(struct bytes value, struct bytes *ret_dir,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_symlinks_request_encode(struct wire_writer *w, struct bytes dir);

struct pa_pts_symlinks {
	uint32_t count;
	struct bytes entries;
};
struct pa_pts_symlink {
	struct bytes link; /* e.g. "/bin" */
	struct bytes dir;  /* e.g. "/usr/bin" */
};
struct pa_pts_symlinks_iter {
	struct wire_reader r;
};
int pa_pts_symlinks_decode(struct bytes value, struct pa_pts_symlinks *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_symlinks_iter_init(struct pa_pts_symlinks_iter *it, const struct pa_pts_symlinks *s);
/* The next link of a decoded attribute; false after the last. */
bool pa_pts_symlinks_next(struct pa_pts_symlinks_iter *it, struct pa_pts_symlink *ret);
void pa_pts_symlinks_encode(struct wire_writer *w, const struct pa_pts_symlink *links, size_t n);

#endif
