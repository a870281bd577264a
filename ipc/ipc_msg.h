/* ipc_msg.h - typed, length-checked payloads of the IPC messages.
 *
 * ipc_msg_decode() turns a frame payload into struct ipc_msg; strings and
 * blobs are views into the payload, valid while the frame is.  Encoding is
 * field by field (never a memcpy of a struct); a payload with trailing bytes,
 * a length past its end, or a text field with a NUL byte does not parse.
 * Field encodings: u8/u16/u32/u64 big-endian; text = u16 length + bytes.
 */
#ifndef TNC_IPC_MSG_H
#define TNC_IPC_MSG_H

#include <stdint.h>

#include "ipc_frame.h"
#include "wire.h"

#define IPC_PROTO_MAJOR 1
#define IPC_PROTO_MINOR 0
#define IPC_CONFIG_MAX 128  /* key/value pairs in one CONFIG */
#define IPC_CTL_ARGS_MAX 8  /* words of a tncctl command */
#define IPC_TEXT_MAX 4096

struct ipc_hello {
	uint16_t proto_major, proto_minor;
	struct bytes role;    /* "tnc-imv-os" */
	uint8_t slot;
	uint32_t gen;         /* generation: restarts of this role so far */
	uint32_t pid;
	struct bytes version;
};

struct ipc_config {
	uint16_t count;
	struct bytes key[IPC_CONFIG_MAX];
	struct bytes value[IPC_CONFIG_MAX];
};

/* Sent after sandbox_enter(): READY means sandboxed. */
struct ipc_ready {
	uint32_t uid, gid;
	uint8_t chrooted;
	uint32_t seccomp_syscalls;
};

struct ipc_ping {
	uint64_t token; /* PONG echoes it */
};

#define IPC_LOGLEVEL_ALL 0xff
struct ipc_loglevel {
	uint8_t subsys; /* enum log_subsys, or IPC_LOGLEVEL_ALL */
	int8_t level;
};

/* The frame carries the child's end of a new channel to `peer`. */
struct ipc_peer_attach {
	struct bytes peer; /* "tnc-imv-attest" */
	uint32_t gen;
};

/* Request (tncd -> child): ping `peer` over the direct channel.
 * Reply (child -> tncd, REPLY flag): status 0 and the round trip. */
struct ipc_peer_ping {
	struct bytes peer;
	int32_t status;
	uint64_t rtt_us;
};

struct ipc_shutdown {
	uint32_t deadline_ms;
};

struct ipc_ctl_request {
	uint8_t argc;
	struct bytes argv[IPC_CTL_ARGS_MAX];
};

/* A reply is a status, a message and a table: column names, then rows.
 * The table's cells are walked with ipc_table_cell(). */
struct ipc_ctl_reply {
	int32_t status;
	struct bytes message;
	uint16_t ncols, nrows;
	struct bytes table; /* ncols + nrows*ncols text fields, validated */
};

struct ipc_msg {
	uint16_t type;
	union {
		struct ipc_hello hello;
		struct ipc_config config;
		struct ipc_ready ready;
		struct ipc_ping ping;
		struct ipc_loglevel loglevel;
		struct ipc_peer_attach peer_attach;
		struct ipc_peer_ping peer_ping;
		struct ipc_shutdown shutdown;
		struct ipc_ctl_request ctl_request;
		struct ipc_ctl_reply ctl_reply;
	} u;
};

int ipc_msg_decode(uint16_t type, const uint8_t *payload, size_t len,
    struct ipc_msg *ret) TNC_MUST_CHECK;
/* Appends the payload of msg to w (w's cap bounds it). */
int ipc_msg_encode(const struct ipc_msg *msg, struct wire_writer *w) TNC_MUST_CHECK;

/* Text fields of a validated table in order: the ncols column names first,
 * then each row.  *pos starts at 0; returns 0 and advances, or TNC_ENOTFOUND
 * past the end. */
int ipc_table_cell(const struct ipc_ctl_reply *reply, size_t *pos,
    struct bytes *ret) TNC_MUST_CHECK;

/* Table building for replies: append text cells with wire_put_text(). */
void ipc_put_text(struct wire_writer *w, const char *s, size_t len);

/* A view as a C string in a caller buffer (cut to fit). */
const char *bytes_cstr(struct bytes b, char *buf, size_t size);

#endif
