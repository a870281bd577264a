/* wire.h - bounds-checked big-endian cursors over byte buffers.
 *
 * Every parser of untrusted bytes reads through struct wire_reader: each
 * read checks the remaining length first and, on failure, leaves the cursor
 * where it was and returns TNC_ETRUNCATED, so the caller can report the exact
 * offset (wire_offset()).  struct wire_writer appends to a caller-owned
 * growable buffer with a hard cap.  No I/O, no globals.
 */
#ifndef TNC_WIRE_H
#define TNC_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

/* A borrowed view into someone else's buffer. */
struct bytes {
	const uint8_t *ptr;
	size_t len;
};

struct wire_reader {
	const uint8_t *base;
	size_t len;
	size_t pos;
};

void wire_reader_init(struct wire_reader *r, const void *buf, size_t len);
size_t wire_remaining(const struct wire_reader *r);
size_t wire_offset(const struct wire_reader *r);

int wire_get_u8(struct wire_reader *r, uint8_t *ret) TNC_MUST_CHECK;
int wire_get_u16(struct wire_reader *r, uint16_t *ret) TNC_MUST_CHECK;
int wire_get_u24(struct wire_reader *r, uint32_t *ret) TNC_MUST_CHECK;
int wire_get_u32(struct wire_reader *r, uint32_t *ret) TNC_MUST_CHECK;
int wire_get_u64(struct wire_reader *r, uint64_t *ret) TNC_MUST_CHECK;
/* A view of the next len bytes; advances past them. */
int wire_get_bytes(struct wire_reader *r, size_t len, struct bytes *ret) TNC_MUST_CHECK;
int wire_skip(struct wire_reader *r, size_t len) TNC_MUST_CHECK;

struct wire_writer {
	uint8_t *buf; /* heap, owned by the writer until wire_writer_take() */
	size_t len;
	size_t cap;
	size_t max; /* hard cap; appends beyond it fail with TNC_ETOOLONG */
	int err;    /* first error; later appends are no-ops */
};

void wire_writer_init(struct wire_writer *w, size_t max);
void wire_writer_clear(struct wire_writer *w);
void wire_put_u8(struct wire_writer *w, uint8_t v);
void wire_put_u16(struct wire_writer *w, uint16_t v);
void wire_put_u24(struct wire_writer *w, uint32_t v);
void wire_put_u32(struct wire_writer *w, uint32_t v);
void wire_put_u64(struct wire_writer *w, uint64_t v);
void wire_put_bytes(struct wire_writer *w, const void *p, size_t len);
/* Overwrite a big-endian field written earlier (for lengths known late). */
void wire_patch_u16(struct wire_writer *w, size_t at, uint16_t v);
void wire_patch_u24(struct wire_writer *w, size_t at, uint32_t v);
void wire_patch_u32(struct wire_writer *w, size_t at, uint32_t v);
/* 0, or the first error any append hit. */
int wire_writer_status(const struct wire_writer *w) TNC_MUST_CHECK;
/* Records err (negative) as the writer's error unless it already has one: for
 * encoders that find their input unencodable; later appends are no-ops. */
void wire_writer_fail(struct wire_writer *w, int err);

bool bytes_eq_str(struct bytes b, const char *s);

/* Where and why a parse failed, for protocols whose error messages carry an
 * offset (PB-Error, PA-TNC Error, PT-TLS Error): the byte offset from the
 * start of the outermost buffer the caller handed in, the protocol's own
 * error code, and a short reason for the log. */
struct parse_error {
	uint32_t offset;
	uint32_t code;
	const char *reason; /* static string */
};

/* The one way a parser reports: fills *e (unless NULL) and returns err. */
int parse_fail(struct parse_error *e, int err, uint32_t code, size_t offset, const char *reason);

#endif
