/* ike_sa_send.c - protecting, fragmenting and sending the SA's messages. */
#include <stdlib.h>

#include "ike_sa_int.h"
#include "ikev2_seal.h"
#include "ikev2_sk.h"

/* Seals plaintext (first payload first_inner) under header h as one SK
 * message, or as SKF fragments when fragmenting (the peer supports it)
 * and one message would exceed the fragment size; the datagrams into *ret. */
static int
seal(struct ike_sa *sa, const struct ikev2_header *h, uint8_t first_inner, struct bytes plain,
    bool fragmenting, struct ikev2_buf **ret, size_t *ret_count)
{
	const struct ikev2_sealer s = {.keys = &sa->keys, .initiator = false,
	    .gcm_iv = &sa->gcm_iv, .random = sa->random, .random_arg = sa->random_arg,
	    .max_msg_len = sa->cfg->max_msg_len,
	    .fragment_size = fragmenting ? sa->cfg->fragment_size : 0};
	const char *why;
	int err;

	if ((err = ikev2_seal(&s, h, first_inner, plain, ret, ret_count, &why)))
		return ike_sa_fail(sa, err, why);
	return 0;
}

static void
send_all(struct ike_sa *sa, const struct ikev2_buf *list, size_t count)
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
	struct ikev2_buf *list;
	size_t count;
	int err;

	if ((err = ikev2_builder_finish(b, &plain)))
		return ike_sa_fail(sa, err, "answer does not build");
	const struct ikev2_chain inner = {.first = b->first, .buf = plain, .response = true};
	ike_sa_report(sa, true, &h, &inner);
	if ((err = seal(sa, &h, b->first, plain, sa->frag_supported, &list, &count)))
		return err;
	ikev2_buf_list_free(&sa->resp, &sa->resp_count);
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
	struct ikev2_buf *list;
	size_t count;
	int err;

	if ((err = ikev2_builder_finish(b, &plain)))
		return ike_sa_fail(sa, err, "request does not build");
	const struct ikev2_chain inner = {.first = b->first, .buf = plain};
	ike_sa_report(sa, true, &h, &inner);
	/* our requests are small: never fragmented */
	if ((err = seal(sa, &h, b->first, plain, false, &list, &count)))
		return err;
	ikev2_buf_free(&sa->our_req);
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
