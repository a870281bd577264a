/* ikev2_buf.c - owned octets (see ikev2_buf.h). */
#include "ikev2_buf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

int
ikev2_buf_set(struct ikev2_buf *b, const void *p, size_t len)
{
	uint8_t *n = malloc(len ? len : 1);

	if (!n)
		return -ENOMEM;
	if (len)
		memcpy(n, p, len);
	ikev2_buf_free(b);
	b->ptr = n;
	b->len = len;
	return 0;
}

void
ikev2_buf_free(struct ikev2_buf *b)
{
	if (b->ptr)
		OPENSSL_cleanse(b->ptr, b->len);
	free(b->ptr);
	b->ptr = NULL;
	b->len = 0;
}

void
ikev2_buf_list_free(struct ikev2_buf **list, size_t *count)
{
	for (size_t i = 0; i < *count; i++)
		ikev2_buf_free(&(*list)[i]);
	free(*list);
	*list = NULL;
	*count = 0;
}
