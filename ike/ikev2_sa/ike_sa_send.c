/* ike_sa_send.c - protecting, fragmenting and sending the SA's messages. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ike_sa_int.h"
#include "ikev2_sk.h"

/* SKF's Fragment Number and Total Fragments. */
#define SKF_FIELDS_LEN 4

/* IVs: AES-GCM needs uniqueness under the key (a counter), AES-CBC
 * unpredictability (the owner's random source). */
static int
next_iv(void *arg, uint8_t *buf, size_t len)
{
	struct ike_sa *sa = arg;

	if (!sa->keys.suite.aead)
		return sa->random(sa->random_arg, buf, len);
	const uint64_t n = ++sa->gcm_iv;
	memset(buf, 0, len);
	for (size_t i = 0; i < 8 && i < len; i++)
		buf[len - 1 - i] = (uint8_t)(n >> (8 * i));
	return 0;
}

static void
free_datagrams(struct ike_buf **list, size_t *count)
{
	for (size_t i = 0; i < *count; i++)
		ike_buf_free(&(*list)[i]);
	free(*list);
	*list = NULL;
	*count = 0;
}

/* Seals plaintext (first payload first_inner) under header h as one SK
 * message, or as SKF fragments when the peer supports them and one
 * message would exceed the fragment size; the datagrams into *ret. */
static int
seal(struct ike_sa *sa, const struct ikev2_header *h, uint8_t first_inner, struct bytes plain,
    struct ike_buf **ret, size_t *ret_count)
{
	const struct ikev2_suite *s = &sa->keys.suite;
	const struct ikev2_sk_key k = ikev2_sk_key_of(&sa->keys, false);
	const size_t overhead = IKEV2_HEADER_LEN + IKEV2_PAYLOAD_HEADER_LEN + s->iv_len + s->icv_len;
	const size_t whole = overhead + plain.len + 1 + s->block_len - 1;
	const bool fragment = sa->frag_supported && whole > sa->cfg->fragment_size;
	size_t chunk = plain.len, count = 1;
	int err = 0;

	if (fragment) {
		const size_t room = sa->cfg->fragment_size > overhead + SKF_FIELDS_LEN
		    ? (sa->cfg->fragment_size - overhead - SKF_FIELDS_LEN) / s->block_len * s->block_len
		    : 0;
		if (room < 2)
			return ike_sa_fail(sa, TNC_ECONFIG, "fragment size too small for the cipher");
		chunk = room - 1; /* the Pad Length octet; no padding needed */
		count = plain.len ? (plain.len + chunk - 1) / chunk : 1;
		if (count > UINT16_MAX)
			return ike_sa_fail(sa, TNC_ETOOLONG, "message needs too many fragments");
	}
	struct ike_buf *out = calloc(count, sizeof(*out));
	if (!out)
		return ike_sa_fail(sa, -ENOMEM, "no memory for a message");
	for (size_t i = 0; i < count && !err; i++) {
		struct ikev2_builder b;
		struct bytes msg;
		const size_t at = i * chunk;
		const size_t n = plain.len - at < chunk ? plain.len - at : chunk;
		ikev2_builder_init(&b, h, sa->cfg->max_msg_len);
		if (!fragment)
			err = ikev2_sk_seal(&b, &k, first_inner, plain, 0, 0, next_iv, sa, &msg);
		else
			err = ikev2_sk_seal(&b, &k, i == 0 ? first_inner : IKEV2_PL_NONE,
			    (struct bytes){plain.ptr ? plain.ptr + at : NULL, n}, (uint16_t)(i + 1),
			    (uint16_t)count, next_iv, sa, &msg);
		if (!err)
			err = ike_buf_set(&out[i], msg.ptr, msg.len);
		ikev2_builder_clear(&b);
	}
	if (err) {
		free_datagrams(&out, &count);
		return ike_sa_fail(sa, err, "message does not seal");
	}
	*ret = out;
	*ret_count = count;
	return 0;
}

static void
send_all(struct ike_sa *sa, const struct ike_buf *list, size_t count)
{
	for (size_t i = 0; i < count; i++)
		sa->ops.send(sa->arg, list[i].ptr, list[i].len);
}

int
ike_sa_respond(struct ike_sa *sa, uint8_t exchange, struct ikev2_builder *b)
{
	const struct ikev2_header h = {.spi_i = sa->spi_i, .spi_r = sa->spi_r,
	    .major = IKEV2_MAJOR_VERSION, .exchange = exchange, .flags = IKEV2_FLAG_RESPONSE,
	    .message_id = sa->next_mid};
	struct bytes plain;
	struct ike_buf *list;
	size_t count;
	int err;

	if ((err = ikev2_builder_finish(b, &plain)))
		return ike_sa_fail(sa, err, "answer does not build");
	const struct ikev2_chain inner = {.first = b->first, .buf = plain, .response = true};
	ike_sa_report(sa, true, &h, &inner);
	if ((err = seal(sa, &h, b->first, plain, &list, &count)))
		return err;
	free_datagrams(&sa->resp, &sa->resp_count);
	sa->resp = list;
	sa->resp_count = count;
	sa->pending = false;
	sa->next_mid++;
	send_all(sa, list, count);
	return 0;
}

int
ike_sa_respond_notify(struct ike_sa *sa, uint8_t exchange, uint16_t type, struct bytes data)
{
	struct ikev2_builder b;
	int err;

	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	ikev2_builder_add_notify(&b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0}, type, data);
	err = ike_sa_respond(sa, exchange, &b);
	ikev2_builder_clear(&b);
	return err;
}

void
ike_sa_resend(struct ike_sa *sa)
{
	send_all(sa, sa->resp, sa->resp_count);
}

int
ike_sa_request(struct ike_sa *sa, uint8_t exchange, struct ikev2_builder *b)
{
	/* we are the original responder: neither I nor R */
	const struct ikev2_header h = {.spi_i = sa->spi_i, .spi_r = sa->spi_r,
	    .major = IKEV2_MAJOR_VERSION, .exchange = exchange, .message_id = sa->our_mid};
	struct bytes plain;
	struct ike_buf *list;
	size_t count;
	int err;

	if ((err = ikev2_builder_finish(b, &plain)))
		return ike_sa_fail(sa, err, "request does not build");
	const struct ikev2_chain inner = {.first = b->first, .buf = plain};
	ike_sa_report(sa, true, &h, &inner);
	/* our requests are small: never fragmented */
	const bool frag = sa->frag_supported;
	sa->frag_supported = false;
	err = seal(sa, &h, b->first, plain, &list, &count);
	sa->frag_supported = frag;
	if (err)
		return err;
	ike_buf_free(&sa->our_req);
	sa->our_req = list[0];
	free(list);
	sa->our_outstanding = true;
	sa->our_tries = 1;
	sa->ops.send(sa->arg, sa->our_req.ptr, sa->our_req.len);
	return 0;
}

int
ike_sa_open(struct ike_sa *sa, struct bytes msg, const struct ikev2_payload *sk,
    struct bytes *ret_plain, struct parse_error *e)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&sa->keys, true);
	return ikev2_sk_open(&k, msg, sk, sa->plain, sa->cfg->max_msg_len, ret_plain, e);
}
