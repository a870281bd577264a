/* ike_initiator_send.c - protecting, fragmenting (RFC 7383) and sending
 * our messages; opening and reassembling the responder's. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_initiator_int.h"
#include "ikev2_sk.h"

/* SKF's Fragment Number and Total Fragments, before the IV. */
#define SKF_FIELDS_LEN 4

/* IVs: AES-GCM needs uniqueness under the key (a counter), AES-CBC
 * unpredictability (the owner's random source). */
static int
next_iv(void *arg, uint8_t *buf, size_t len)
{
	struct ike_initiator *i = arg;

	if (!i->keys.suite.aead)
		return i->random(i->random_arg, buf, len);
	const uint64_t n = ++i->gcm_iv;
	memset(buf, 0, len);
	for (size_t k = 0; k < 8 && k < len; k++)
		buf[len - 1 - k] = (uint8_t)(n >> (8 * k));
	return 0;
}

static void
free_list(struct ikei_buf **list, size_t *count)
{
	for (size_t k = 0; k < *count; k++)
		ikei_buf_free(&(*list)[k]);
	free(*list);
	*list = NULL;
	*count = 0;
}

/* The inner chain plain (first payload first) sealed under h with our
 * keys: one SK message, or SKF fragments of at most fragment_size when the
 * responder supports them and allowed is set. */
static int
seal(struct ike_initiator *i, const struct ikev2_header *h, uint8_t first, struct bytes plain,
    bool allowed, struct ikei_buf **ret, size_t *ret_count)
{
	const struct ikev2_suite *s = &i->keys.suite;
	const struct ikev2_sk_key k = ikev2_sk_key_of(&i->keys, true);
	const size_t overhead = IKEV2_HEADER_LEN + IKEV2_PAYLOAD_HEADER_LEN + s->iv_len + s->icv_len;
	const size_t whole = overhead + plain.len + s->block_len; /* padding and Pad Length */
	const bool fragment = allowed && i->frag_supported && whole > i->cfg->fragment_size;
	size_t chunk = plain.len, count = 1;
	int err = 0;

	if (fragment) {
		const size_t room = i->cfg->fragment_size > overhead + SKF_FIELDS_LEN
		    ? (i->cfg->fragment_size - overhead - SKF_FIELDS_LEN) / s->block_len * s->block_len
		    : 0;
		if (room < 2)
			return ikei_fail(i, TNC_ECONFIG, "fragment size too small for the cipher");
		chunk = room - 1; /* the Pad Length octet; no padding needed */
		count = plain.len ? (plain.len + chunk - 1) / chunk : 1;
		if (count > UINT16_MAX)
			return ikei_fail(i, TNC_ETOOLONG, "message needs too many fragments");
	}
	struct ikei_buf *out = calloc(count, sizeof(*out));
	if (!out)
		return ikei_fail(i, -ENOMEM, "no memory for a message");
	for (size_t n = 0; n < count && !err; n++) {
		struct ikev2_builder b;
		struct bytes msg;
		const size_t at = n * chunk;
		const size_t len = plain.len - at < chunk ? plain.len - at : chunk;
		ikev2_builder_init(&b, h, i->cfg->max_msg_len);
		if (!fragment)
			err = ikev2_sk_seal(&b, &k, first, plain, 0, 0, next_iv, i, &msg);
		else
			err = ikev2_sk_seal(&b, &k, n == 0 ? first : IKEV2_PL_NONE,
			    (struct bytes){plain.ptr ? plain.ptr + at : NULL, len}, (uint16_t)(n + 1),
			    (uint16_t)count, next_iv, i, &msg);
		if (!err)
			err = ikei_buf_set(&out[n], msg.ptr, msg.len);
		ikev2_builder_clear(&b);
	}
	if (err) {
		free_list(&out, &count);
		return ikei_fail(i, err, "message does not seal");
	}
	*ret = out;
	*ret_count = count;
	return 0;
}

void
ikei_forget_request(struct ike_initiator *i)
{
	free_list(&i->req, &i->req_count);
	i->outstanding = false;
}

static void
send_list(struct ike_initiator *i, const struct ikei_buf *list, size_t count)
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
	if (ikei_buf_set(&i->req[0], msg.ptr, msg.len)) {
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
	struct ikei_buf *list;
	size_t count;
	int err;

	if ((err = ikev2_builder_finish(b, &plain)))
		return ikei_fail(i, err, "answer does not build");
	/* our answers are small: never fragmented */
	if ((err = seal(i, &h, b->first, plain, false, &list, &count)))
		return err;
	free_list(&i->peer_resp, &i->peer_resp_count);
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

void
ikei_frag_reset(struct ikei_frag *f)
{
	if (f->parts) {
		for (size_t k = 0; k < f->total; k++)
			ikei_buf_free(&f->parts[k]);
		free(f->parts);
	}
	memset(f, 0, sizeof(*f));
}

/* Stores fragment num of total of message mid (a response or a request);
 * 1 with the whole inner chain in i->plain[0..*ret_len), first payload
 * *ret_first; 0 stored; a negative error with *why. */
static int
frag_add(struct ike_initiator *i, bool response, uint32_t mid, uint16_t num, uint16_t total,
    uint8_t next, struct bytes plain, size_t *ret_len, uint8_t *ret_first, const char **why)
{
	struct ikei_frag *f = &i->frag;
	const bool same = f->active && f->response == response && f->mid == mid;

	*why = "fragment stored";
	if (!num || !total || num > total) {
		*why = "Fragment Number not within 1..Total Fragments";
		return TNC_EINVALID;
	}
	if (total > i->cfg->max_fragments) {
		*why = "Total Fragments above the limit";
		return TNC_ETOOLONG;
	}
	if (same && total < f->total) {
		*why = "Total Fragments below that of stored fragments";
		return TNC_EINVALID;
	}
	if (!same || total > f->total) {
		/* a new message, or the responder fragmented it again (2.6.1) */
		ikei_frag_reset(f);
		if (!(f->parts = calloc(total, sizeof(*f->parts)))) {
			*why = "no memory for fragments";
			return -ENOMEM;
		}
		f->active = true;
		f->response = response;
		f->mid = mid;
		f->total = total;
	}
	struct ikei_buf *part = &f->parts[num - 1];
	if (part->ptr) {
		*why = "duplicate fragment ignored";
		return 0;
	}
	if (plain.len > i->cfg->max_msg_len - f->bytes) {
		*why = "reassembled message above the limit";
		return TNC_ETOOLONG;
	}
	if (ikei_buf_set(part, plain.ptr, plain.len)) {
		*why = "no memory for fragments";
		return -ENOMEM;
	}
	f->bytes += plain.len;
	f->have++;
	if (num == 1)
		f->first = next;
	if (f->have < f->total)
		return 0;
	size_t at = 0;
	for (size_t k = 0; k < f->total; k++) {
		if (f->parts[k].len)
			memcpy(i->plain + at, f->parts[k].ptr, f->parts[k].len);
		at += f->parts[k].len;
	}
	*ret_len = at;
	*ret_first = f->first;
	ikei_frag_reset(f);
	return 1;
}

/* The Encrypted payload that ends m's chain. */
static bool
find_sk(const struct ikev2_msg *m, struct ikev2_payload *ret)
{
	struct ikev2_iter it;
	struct ikev2_payload p;
	bool found = false;

	ikev2_iter_init(&it, &m->chain);
	while (ikev2_iter_next(&it, &p)) {
		found = p.type == IKEV2_PL_SK || p.type == IKEV2_PL_SKF;
		if (found)
			*ret = p;
	}
	return found;
}

int
ikei_open(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw,
    struct ikev2_chain *ret, const char **ret_reason)
{
	const struct ikev2_sk_key k = ikev2_sk_key_of(&i->keys, false);
	const bool response = m->hdr.flags & IKEV2_FLAG_RESPONSE;
	struct ikev2_payload sk;
	struct parse_error e;
	struct bytes plain;
	uint8_t first;
	int err;

	if (!find_sk(m, &sk)) {
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
		err = frag_add(i, response, m->hdr.message_id, sk.u.sk.fragment, sk.u.sk.fragments,
		    sk.next, plain, &len, &first, ret_reason);
		if (err <= 0)
			return err;
		plain = (struct bytes){i->plain, len};
	}
	const uint32_t base = sk.offset + IKEV2_PAYLOAD_HEADER_LEN +
	    (sk.type == IKEV2_PL_SKF ? SKF_FIELDS_LEN : 0);
	if (ikev2_chain_parse(first, sk.offset, plain.ptr, plain.len, base, response, &i->lim, ret,
		&e)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "inner chain: %s", e.reason);
		*ret_reason = i->reason_buf;
		return TNC_EPEER;
	}
	return 1;
}
