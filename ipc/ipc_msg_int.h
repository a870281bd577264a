/* ipc_msg_int.h - what ipc_msg.c, ipc_msg_sw.c and ipc_msg_xfrm.c share: the field
 * readers and writers of the payload codecs, and the software and xfrm
 * messages' parts of ipc_msg_decode()/ipc_msg_encode(). */
#ifndef TNC_IPC_MSG_INT_H
#define TNC_IPC_MSG_INT_H

#include "ipc_msg.h"

/* A text of 0..max bytes with a 16-bit length, no NUL. */
int ipc_get_text_max(struct wire_reader *r, size_t max, struct bytes *ret);
/* Bytes with a 32-bit length. */
int ipc_get_blob(struct wire_reader *r, struct bytes *ret);
void ipc_put_blob(struct wire_writer *w, struct bytes b);
/* A status: 0 or a negative TNC_E* / -errno code. */
int ipc_get_status(struct wire_reader *r, int32_t *ret);
void ipc_put_bytes_text(struct wire_writer *w, struct bytes b);

/* The policy-sw-* types; TNC_ETYPE for any other. */
int ipc_msg_decode_sw(struct wire_reader *r, struct ipc_msg *m);
int ipc_msg_encode_sw(const struct ipc_msg *m, struct wire_writer *w);
/* The xfrm-* types, all numbered 0x04xx (ipc_msg_xfrm.c); TNC_ETYPE for any other. */
#define IPC_XFRM_RANGE 0x0400
int ipc_msg_decode_xfrm(struct wire_reader *r, struct ipc_msg *m);
int ipc_msg_encode_xfrm(const struct ipc_msg *m, struct wire_writer *w);

#endif
