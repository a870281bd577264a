/* ipc_frame.h - the IPC frame header (ipc/README.md has the byte layout).
 *
 * Pure: no I/O.  ipc_frame_parse_header() validates version, flags, type and
 * length against the channel maximum before the caller allocates anything.
 */
#ifndef TNC_IPC_FRAME_H
#define TNC_IPC_FRAME_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define IPC_FRAME_VERSION 1
#define IPC_HEADER_LEN 16
#define IPC_FRAME_MAX_DEFAULT (256u * 1024u)
#define IPC_FRAME_MAX_HARD (1024u * 1024u)

#define IPC_FLAG_FD 0x01    /* exactly one descriptor rides with this frame */
#define IPC_FLAG_REPLY 0x02 /* answers the request whose seq it echoes */
#define IPC_FLAGS_KNOWN (IPC_FLAG_FD | IPC_FLAG_REPLY)

/* Channel sides, for the allow-table in messages.def. */
#define IPC_ON_SUPERVISOR 0x01 /* tncd's end of a child's control channel */
#define IPC_ON_CHILD 0x02      /* the child's end of its control channel */
#define IPC_ON_PEER 0x04       /* either end of a child-to-child channel */
#define IPC_ON_CTL_SERVER 0x08 /* tncd's end of a tncctl connection */
#define IPC_ON_CTL_CLIENT 0x10 /* tncctl's end */

enum ipc_type {
#define X(name, num, on, fd, text) IPC_##name = num,
#include "messages.def"
#undef X
};

struct ipc_header {
	uint8_t version;
	uint8_t flags;
	uint16_t type;
	uint32_t length;  /* payload bytes, header excluded */
	uint32_t session; /* TNCCS connection id / IKE SA handle; 0 = control */
	uint32_t seq;     /* request id; replies echo it; 0 = one-way */
};

/* Log name of a type ("peer-attach"); NULL when the type is unknown. */
const char *ipc_type_name(uint16_t type);
/* The IPC_ON_* sides that may receive the type; 0 when unknown. */
unsigned ipc_type_accepted_on(uint16_t type);
/* 1 if the type carries a descriptor, 0 if not. */
int ipc_type_has_fd(uint16_t type);

/* Parses and validates the 16-byte header in buf[0..15].  Checks, in order:
 * version, flags, type known, FD flag agrees with the type, length <= max. */
int ipc_frame_parse_header(const uint8_t *buf, size_t len, uint32_t max,
    struct ipc_header *ret) TNC_MUST_CHECK;
void ipc_frame_write_header(const struct ipc_header *h, uint8_t out[IPC_HEADER_LEN]);

#endif
