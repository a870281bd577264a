/* ike_initiator_send.c - protecting, fragmenting (RFC 7383) and sending
 * our messages; opening and reassembling the responder's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "ike_initiator_int.h"
#include "ikev2_seal.h"
#include "ikev2_sk.h"

/* The inner chain plain (first payload first) sealed under h with our
 * keys: one SK message, or SKF fragments of at most fragment_size when the
 * responder supports them and allowed is set. */
static int
seal(struct ike_initiator *i, const struct ikev2_header *h, uint8_t first, struct bytes plain,
    bool allowed, struct ikev2_buf **ret, size_t *ret_count)
{
	const struct ikev2_sealer s = {.keys = &i->keys, .initiator = true, .gcm_iv = &i->gcm_iv,
	    .random = i->random, .random_arg = i->random_arg, .max_msg_len = i->cfg->max_msg_len,
	    .fragment_size = allowed && i->frag_supported ? i->cfg->fragment_size : 0};
	const char *why;
	int err;

	if ((err = ikev2_seal(&s, h, first, plain, ret, ret_count, &why)))
		return ikei_fail(i, err, why);
	return 0;
}

void
ikei_forget_request(struct ike_initiator *i)
{
	ikev2_buf_list_free(&i->req, &i->req_count);
	i->outstanding = false;
}

static void
send_list(struct ike_initiator *i, const struct ikev2_buf *list, size_t count)
{
	for (size_t k = 0; k < count; k++)
		i->ops.send(i->arg, list[k].ptr, list[k].len);
}

static void
outstanding(struct ike_initiator *i, uint8_t exchange, uint64_t now_ms)
{
	i->outstanding = true;
	i->exchange = exchange;
	i->sends = 1;
	i->sent_ms = now_ms;
	send_list(i, i->req, i->req_count);
}

int
ikei_request(struct ike_initiator *i, uint8_t exchange, struct ikev2_builder *b, uint64_t now_ms)
{
	const struct ikev2_header h = {.spi_i = i->spi_i, .spi_r = i->spi_r,
	    .major = IKEV2_MAJOR_VERSION, .exchange = exchange, .flags = IKEV2_FLAG_INITIATOR,
	    .message_id = i->mid};
	struct bytes plain;
	int err;

	if (i->outstanding)
		return ikei_fail(i, TNC_ESTATE, "a request is outstanding");
	if ((err = ikev2_builder_finish(b, &plain)))
		return ikei_fail(i, err, "request does not build");
	if ((err = seal(i, &h, b->first, plain, true, &i->req, &i->req_count)))
		return err;
	outstanding(i, exchange, now_ms);
	return 0;
}

int
ikei_request_raw(struct ike_initiator *i, struct bytes msg, uint64_t now_ms)
{
	ikei_forget_request(i);
	if (!(i->req = calloc(1, sizeof(*i->req))))
		return ikei_fail(i, -ENOMEM, "no memory for a message");
	i->req_count = 1;
	if (ikev2_buf_set(&i->req[0], msg.ptr, msg.len)) {
		ikei_forget_request(i);
		return ikei_fail(i, -ENOMEM, "no memory for a message");
	}
	outstanding(i, IKEV2_IKE_SA_INIT, now_ms);
	return 0;
}

int
ikei_respond(struct ike_initiator *i, uint8_t exchange, uint32_t mid, struct ikev2_builder *b)
{
	const struct ikev2_header h = {.spi_i = i->spi_i, .spi_r = i->spi_r,
	    .major = IKEV2_MAJOR_VERSION, .exchange = exchange,
	    .flags = IKEV2_FLAG_INITIATOR | IKEV2_FLAG_RESPONSE, .message_id = mid};
	struct bytes plain;
	struct ikev2_buf *list;
	size_t count;
	int err;

	if ((err = ikev2_builder_finish(b, &plain)))
		return ikei_fail(i, err, "answer does not build");
	/* our answers are small: never fragmented */
	if ((err = seal(i, &h, b->first, plain, false, &list, &count)))
		return err;
	ikev2_buf_list_free(&i->peer_resp, &i->peer_resp_count);
	i->peer_resp = list;
	i->peer_resp_count = count;
	i->peer_mid = mid + 1;
	send_list(i, list, count);
	return 0;
}

void
ikei_resend_answer(struct ike_initiator *i)
{
	send_list(i, i->peer_resp, i->peer_resp_count);
}

int
ikei_open(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw,
    struct ikev2_chain *ret, const char **ret_reason)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&i->keys, false);
	const bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	const struct ikev2_frag_limits flim = {i->cfg->max_fragments, i->cfg->max_msg_len};
	struct ikev2_payload sk;
	struct parse_error e;
	struct bytes plain;
	uint8_t first;
	int err;

	if (!ikev2_find_sk(m, &sk)) {
		*ret_reason = "message without an Encrypted payload";
		return TNC_EINVALID;
	}
	if (ikev2_sk_open(&k, raw, &sk, i->opened, i->cfg->max_msg_len, &plain, &e)) {
		/* a wrong ICV is dropped silently (2.21.1, 3.14) */
		snprintf(i->reason_buf, sizeof(i->reason_buf), "%s", e.reason);
		*ret_reason = i->reason_buf;
		return TNC_EINVALID;
	}
	first = sk.next;
	if (sk.type == IKEV2_PL_SKF) {
		size_t len = 0;
		err = ikev2_frag_add(&i->frag, &flim, response, m->hdr.message_id, sk.u.sk.fragment,
		    sk.u.sk.fragments, sk.next, plain, i->plain, &len, &first, ret_reason);
		if (err <= 0)
			return err;
		plain = (struct bytes){i->plain, len};
	}
	const uint32_t base = sk.offset + IKEV2_PAYLOAD_HEADER_LEN +
	    (sk.type == IKEV2_PL_SKF ? IKEV2_SKF_FIELDS_LEN : 0);
	if (ikev2_chain_parse(first, sk.offset, plain.ptr, plain.len, base, response, &i->lim, ret,
		&e)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "inner chain: %s", e.reason);
		*ret_reason = i->reason_buf;
		return TNC_EPEER;
	}
	return 1;
}
