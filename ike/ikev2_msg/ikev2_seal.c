/* ikev2_seal.c - SK / SKF sealing of outgoing messages (see ikev2_seal.h). */
#include "ikev2_seal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ikev2_sk.h"
#include "ikev2_msg_find.h"

static int
next_iv(void *arg, uint8_t *buf, size_t len)
{
	const struct ikev2_sealer *s = arg;

	if (!s->keys->suite.aead)
		return s->random(s->random_arg, buf, len);
	const uint64_t n = ++*s->gcm_iv;
	memset(buf, 0, len);
	for (size_t i = 0; i < 8 && i < len; i++)
		buf[len - 1 - i] = (uint8_t)(n >> (8 * i));
	return 0;
}

static int
refuse(const char **ret_reason, int err, const char *reason)
{
	*ret_reason = reason;
	return err;
}

int
ikev2_seal(const struct ikev2_sealer *s, const struct ikev2_header *h, uint8_t first,
    struct bytes plain, struct ikev2_buf **ret, size_t *ret_count, const char **ret_reason)
{
	const struct ikev2_suite *suite = &s->keys->suite;
	const struct ikev2_sk_key k = ikev2_sk_key_of(s->keys, s->initiator);
	const size_t overhead =
	    IKEV2_HEADER_LEN + IKEV2_PAYLOAD_HEADER_LEN + suite->iv_len + suite->icv_len;
	const size_t whole = overhead + plain.len + suite->block_len; /* padding and Pad Length */
	const bool fragment = s->fragment_size && whole > s->fragment_size;
	size_t chunk = plain.len, count = 1;
	int err = 0;

	if (fragment) {
		const size_t room = s->fragment_size > overhead + IKEV2_SKF_FIELDS_LEN
		    ? (s->fragment_size - overhead - IKEV2_SKF_FIELDS_LEN) / suite->block_len *
			suite->block_len
		    : 0;
		if (room < 2)
			return refuse(ret_reason, TNC_ECONFIG, "fragment size too small for the cipher");
		chunk = room - 1; /* the Pad Length octet; no padding needed */
		count = plain.len ? (plain.len + chunk - 1) / chunk : 1;
		if (count > UINT16_MAX)
			return refuse(ret_reason, TNC_ETOOLONG, "message needs too many fragments");
	}
	struct ikev2_buf *out = calloc(count, sizeof(*out));
	if (!out)
		return refuse(ret_reason, -ENOMEM, "no memory for a message");
	for (size_t i = 0; i < count && !err; i++) {
		struct ikev2_builder b;
		struct bytes msg;
		const size_t at = i * chunk;
		const size_t n = plain.len - at < chunk ? plain.len - at : chunk;
		ikev2_builder_init(&b, h, s->max_msg_len);
		if (!fragment)
			err = ikev2_sk_seal(&b, &k, first, plain, 0, 0, next_iv, (void *)s, &msg);
		else
			err = ikev2_sk_seal(&b, &k, i == 0 ? first : IKEV2_PL_NONE,
			    (struct bytes){plain.ptr ? plain.ptr + at : NULL, n}, (uint16_t)(i + 1),
			    (uint16_t)count, next_iv, (void *)s, &msg);
		if (!err)
			err = ikev2_buf_set(&out[i], msg.ptr, msg.len);
		ikev2_builder_clear(&b);
	}
	if (err) {
		ikev2_buf_list_free(&out, &count);
		return refuse(ret_reason, err, "message does not seal");
	}
	*ret = out;
	*ret_count = count;
	return 0;
}
