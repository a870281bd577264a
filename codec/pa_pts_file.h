/* pa_pts_file.h - the file attributes of the TCG PTS IF-M binding: Request
 * File Metadata (3.17.1), Unix-Style File Metadata (3.17.3), Request File
 * Measurement (3.19.1), File Measurement (3.19.2).
 *
 * The lists carry a 64-bit count: a decoder refuses a count the value
 * cannot hold (each entry has a minimum size) before walking it, then
 * checks every entry once; an iterator hands them out.  Paths and file
 * names are text (UTF-8 without NUL).  Conventions of pa_pts.h.
 */
#ifndef TNC_PA_PTS_FILE_H
#define TNC_PA_PTS_FILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

/* Flags of both requests: D, the directory's files rather than the file. */
#define PA_PTS_FILE_FLAG_DIRECTORY 0x80

/* Request File Measurement: flags, reserved, request ID, the delimiter
 * (a UTF-8 encoded character in 32 bits, e.g. 0x2f for '/') and the fully
 * qualified path filling the rest. */
struct pa_pts_file_meas_request {
	bool directory;
	uint16_t request_id;
	uint32_t delimiter;
	struct bytes path;
};
int pa_pts_file_meas_request_decode(struct bytes value, struct pa_pts_file_meas_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_file_meas_request_encode(struct wire_writer *w,
    const struct pa_pts_file_meas_request *v);

/* File Measurement: count (64 bits), the request ID it answers, the
 * measurement length (16 bits, at most 64), then per file the measurement
 * and a 16-bit-length file name. */
struct pa_pts_file_meas {
	uint64_t count;
	uint16_t request_id;
	uint16_t meas_len;
	struct bytes entries;
};
struct pa_pts_file_meas_entry {
	struct bytes measurement;
	struct bytes filename;
};
struct pa_pts_file_meas_iter {
	struct wire_reader r;
	uint16_t meas_len;
};
int pa_pts_file_meas_decode(struct bytes value, struct pa_pts_file_meas *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_file_meas_iter_init(struct pa_pts_file_meas_iter *it, const struct pa_pts_file_meas *m);
/* The next file of a decoded attribute; false after the last. */
bool pa_pts_file_meas_next(struct pa_pts_file_meas_iter *it, struct pa_pts_file_meas_entry *ret);
/* Every entry's measurement must have meas_len octets. */
void pa_pts_file_meas_encode(struct wire_writer *w, uint16_t request_id, uint16_t meas_len,
    const struct pa_pts_file_meas_entry *files, size_t n);

/* Request File Metadata: flags, an 8-bit delimiter (an ASCII character),
 * reserved, the path filling the rest. */
struct pa_pts_file_meta_request {
	bool directory;
	uint8_t delimiter;
	struct bytes path;
};
int pa_pts_file_meta_request_decode(struct bytes value, struct pa_pts_file_meta_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_file_meta_request_encode(struct wire_writer *w,
    const struct pa_pts_file_meta_request *v);

/* Unix-Style File Metadata: count (64 bits), then per file its length
 * (16 bits, 52 octets of fixed fields plus the name), type, reserved,
 * size, create, modify and access times, owner and group (64 bits each),
 * and the name. */
#define PA_PTS_FILE_META_FIXED_LEN 52
enum pa_pts_file_type {
	PA_PTS_FILE_OTHER = 0x00,
	PA_PTS_FILE_FIFO = 0x01,
	PA_PTS_FILE_CHAR_SPEC = 0x02,
	PA_PTS_FILE_DIRECTORY = 0x04,
	PA_PTS_FILE_BLOCK_SPEC = 0x06,
	PA_PTS_FILE_REGULAR = 0x08,
	PA_PTS_FILE_SYMLINK = 0x0a,
	PA_PTS_FILE_SOCKET = 0x0c,
};
struct pa_pts_file_meta {
	uint64_t count;
	struct bytes entries;
};
struct pa_pts_file_meta_entry {
	uint8_t type; /* enum pa_pts_file_type; other values passed on */
	uint64_t size, created, modified, accessed, owner, group;
	struct bytes filename;
};
struct pa_pts_file_meta_iter {
	struct wire_reader r;
};
int pa_pts_file_meta_decode(struct bytes value, struct pa_pts_file_meta *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_file_meta_iter_init(struct pa_pts_file_meta_iter *it, const struct pa_pts_file_meta *m);
bool pa_pts_file_meta_next(struct pa_pts_file_meta_iter *it, struct pa_pts_file_meta_entry *ret);
void pa_pts_file_meta_encode(struct wire_writer *w, const struct pa_pts_file_meta_entry *files,
    size_t n);

#endif
