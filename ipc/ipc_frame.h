/* ipc_frame.h - the IPC frame header (ipc/README.md has the byte layout).
 *
 * Pure: no I/O.  ipc_frame_parse_header() validates version, flags, type and
 * length against the channel maximum before the caller allocates anything.
 */
#ifndef TNC_IPC_FRAME_H
#define TNC_IPC_FRAME_H

#include <stdbool.h>
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

/* Channel ends: what is at each end of a channel.  messages.def names the
 * ends that may send and receive each message; a child's end follows from
 * its manifest kind (child.c). */
#define IPC_END_TNCD 0x01  /* the supervisor */
#define IPC_END_IKE 0x02   /* the network-facing child */
#define IPC_END_TNCCS 0x04 /* the PB-TNC engine */
#define IPC_END_IMV 0x08   /* any IMV */
#define IPC_END_CTL 0x10   /* tncctl on the control socket */
#define IPC_END_POLICY 0x20 /* tnc-policy, the policy database's writer */
#define IPC_END_XFRM 0x40  /* tnc-xfrm, the kernel IPsec installer */
#define IPC_END_CHILD (IPC_END_IKE | IPC_END_TNCCS | IPC_END_IMV | IPC_END_POLICY | IPC_END_XFRM)

enum ipc_type {
#define X(name, num, from, to, fd, once, text) IPC_##name = num,
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
/* Whether the type may flow from end `from` to end `to` (one IPC_END_* each). */
bool ipc_type_allowed(uint16_t type, unsigned from, unsigned to);
/* 1 if the type carries a descriptor, 0 if not. */
int ipc_type_has_fd(uint16_t type);
/* 1 if the type may arrive at most once on a channel. */
int ipc_type_once(uint16_t type);
/* The registry's row index of a type (0 .. ipc_type_count()-1), or -1. */
int ipc_type_index(uint16_t type);
unsigned ipc_type_count(void);
/* The registry row at an index: number, ends, descriptor, once, name. */
struct ipc_type_info {
	uint16_t type;
	unsigned from, to;
	int fd, once;
	const char *name;
};
const struct ipc_type_info *ipc_type_at(unsigned index);
/* "tncd", "ike", "tnccs", "imv", "tncctl"; several ends joined by '|'. */
const char *ipc_end_names(unsigned ends, char *buf, size_t size);

/* Parses and validates the 16-byte header in buf[0..15].  Checks, in order:
 * version, flags, type known, FD flag agrees with the type, length <= max. */
int ipc_frame_parse_header(const uint8_t *buf, size_t len, uint32_t max,
    struct ipc_header *ret) TNC_MUST_CHECK;
void ipc_frame_write_header(const struct ipc_header *h, uint8_t out[IPC_HEADER_LEN]);

#endif
