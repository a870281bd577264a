/* swima_upload.h - what the SWIMA IMV hands tnc-policy from one SWIMA
 * attribute: the identifiers of an inventory, the events since an EID, or
 * SWID tags, each entry as ipc_msg.h encodes it, cut into chunks that fit
 * an IPC frame and kept until the channel to tnc-policy takes them.
 *
 * Bounded: at most max_records entries and max_bytes octets of chunks per
 * upload; an entry past either is refused (TNC_ETOOLONG) and the upload
 * is then spoilt.  An inventory or events travel as chunks of one upload
 * (IPC_SW_FIRST on the first, IPC_SW_LAST on the last, which alone is
 * answered); each chunk of tags is a request of its own.
 */
#ifndef TNC_SWIMA_UPLOAD_H
#define TNC_SWIMA_UPLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ipc_msg.h"

#define SWIMA_CHUNK_BYTES (64u * 1024) /* list octets of one frame, well within its bound */

enum swima_upload_kind { SWIMA_UP_INVENTORY, SWIMA_UP_EVENTS, SWIMA_UP_TAGS };

struct swima_chunk {
	struct wire_writer list;
	uint16_t count;
};

struct swima_upload {
	enum swima_upload_kind kind;
	uint32_t epoch, last_eid;
	struct swima_chunk *chunk;
	size_t n, cap;
	size_t sent;           /* chunks the port took */
	size_t records, bytes; /* entries and octets in all chunks */
	size_t stored;         /* entries tnc-policy stored, summed over its answers */
	size_t max_records, max_bytes;
};

void swima_upload_begin(struct swima_upload *u, enum swima_upload_kind kind, uint32_t epoch,
    uint32_t last_eid, size_t max_records, size_t max_bytes);
/* Frees the chunks; the upload is empty. */
void swima_upload_clear(struct swima_upload *u);

/* One entry more (TNC_ETOOLONG past a bound or for a field longer than
 * the IPC message takes, TNC_EINVALID for an action out of range). */
int swima_upload_id(struct swima_upload *u, const struct ipc_sw_id *id) TNC_MUST_CHECK;
int swima_upload_event(struct swima_upload *u, const struct ipc_sw_event *e) TNC_MUST_CHECK;
int swima_upload_tag(struct swima_upload *u, const struct ipc_sw_id *id, struct bytes tag)
    TNC_MUST_CHECK;

/* Chunks not yet taken by the port. */
bool swima_upload_pending(const struct swima_upload *u);
/* The next chunk as a message (views the upload); *ret_ask: it is answered
 * (the last of a list, or tags), so it goes with a seq. */
void swima_upload_next(const struct swima_upload *u, struct ipc_msg *m, bool *ret_ask);
/* The port took the chunk of swima_upload_next(). */
void swima_upload_sent(struct swima_upload *u);

#endif
