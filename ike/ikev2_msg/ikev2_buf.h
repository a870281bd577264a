/* ikev2_buf.h - an owned copy of octets, wiped when freed (keys, nonces,
 * protected datagrams), and lists of them. */
#ifndef TNC_IKEV2_BUF_H
#define TNC_IKEV2_BUF_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct ikev2_buf {
	uint8_t *ptr;
	size_t len;
};

/* Replaces b's content with a copy of p[0..len) (len 0 still allocates,
 * so an empty copy is told from none by ptr). */
int ikev2_buf_set(struct ikev2_buf *b, const void *p, size_t len) TNC_MUST_CHECK;
void ikev2_buf_free(struct ikev2_buf *b);
/* Frees the count buffers of *list and the list itself. */
void ikev2_buf_list_free(struct ikev2_buf **list, size_t *count);

#endif
