/* ike_initiator.c - the initiator object, the checks every message of the
 * responder passes first, dispatch, retransmission, close. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_initiator_int.h"

/* The retransmission interval doubles at most this many times. */
#define MAX_BACKOFF_SHIFT 6

int
ikei_fail(struct ike_initiator *i, int err, const char *reason)
{
	i->reason = reason;
	return err;
}

int
ikei_end(struct ike_initiator *i, int err, const char *reason)
{
	if (i->state != IKEI_CLOSED) {
		/* DELETING: closed by the owner, or the failure already reported */
		const bool report = i->state != IKEI_DELETING;
		i->state = IKEI_CLOSED;
		ikei_forget_request(i);
		i->reason = reason;
		if (report)
			i->ops.failed(i->arg, reason);
	}
	return ikei_fail(i, err, reason);
}

static bool
proposals_ok(const struct ike_initiator_proposal *p, size_t count)
{
	if (!p || !count || count > 255)
		return false;
	for (size_t k = 0; k < count; k++)
		if (!p[k].transforms || !p[k].count || p[k].count > 255)
			return false;
	return true;
}

int
ike_initiator_new(const struct ike_initiator_params *p, const struct ike_initiator_ops *ops,
    void *arg, struct ike_initiator **ret)
{
	const struct ike_initiator_config *c = p->cfg;
	struct ike_initiator *i;

	if (!c || !proposals_ok(c->ike, c->ike_count) || !proposals_ok(c->esp, c->esp_count) ||
	    !c->tsi || !c->tsi_count || !c->tsr || !c->tsr_count || !c->max_msg_len ||
	    !c->max_payloads || !c->fragment_size || !c->max_fragments || !c->retransmit_ms ||
	    !c->max_sends || !p->random || (p->local.addr_len != 4 && p->local.addr_len != 16) ||
	    (p->remote.addr_len != 4 && p->remote.addr_len != 16) ||
	    c->id.len > UINT16_MAX - 8 || c->idr.len > UINT16_MAX - 8 || c->hash_algs.len % 2 ||
	    c->hash_algs.len > 256 || (!c->eap_only && !c->trust))
		return TNC_EINVALID;
	if (!(i = calloc(1, sizeof(*i))))
		return -ENOMEM;
	i->opened = malloc(c->max_msg_len);
	i->plain = malloc(c->max_msg_len);
	if (!i->opened || !i->plain) {
		free(i->opened);
		free(i->plain);
		free(i);
		return -ENOMEM;
	}
	i->cfg = c;
	i->ops = *ops;
	i->arg = arg;
	i->random = p->random;
	i->random_arg = p->random_arg;
	i->dh_private = p->dh_private;
	i->local = p->local;
	i->remote = p->remote;
	i->lim = (struct ikev2_limits){c->max_msg_len, c->max_payloads};
	i->state = IKEI_NEW;
	i->reason = "";
	*ret = i;
	return 0;
}

void
ike_initiator_free(struct ike_initiator *i)
{
	if (!i)
		return;
	ikei_forget_request(i);
	ikev2_buf_list_free(&i->peer_resp, &i->peer_resp_count);
	struct ikev2_buf *bufs[] = {&i->cookie, &i->nr, &i->init_req, &i->init_resp, &i->idi, &i->idr};
	for (size_t k = 0; k < sizeof(bufs) / sizeof(bufs[0]); k++)
		ikev2_buf_free(bufs[k]);
	ikev2_frag_reset(&i->frag);
	ikev2_dh_free(i->dh);
	OPENSSL_cleanse(i->opened, i->cfg->max_msg_len);
	OPENSSL_cleanse(i->plain, i->cfg->max_msg_len);
	free(i->opened);
	free(i->plain);
	ikev2_sa_keys_cleanse(&i->keys);
	OPENSSL_cleanse(i, sizeof(*i));
	free(i);
}

int
ike_initiator_start(struct ike_initiator *i, uint64_t now_ms)
{
	uint8_t spi[8];

	if (i->state != IKEI_NEW)
		return ikei_fail(i, TNC_ESTATE, "already started");
	do {
		if (i->random(i->random_arg, spi, sizeof(spi)))
			return ikei_fail(i, TNC_EINVALID, "random source failed");
		i->spi_i = 0;
		for (int k = 0; k < 8; k++)
			i->spi_i = i->spi_i << 8 | spi[k];
	} while (i->spi_i == 0);
	if (i->random(i->random_arg, i->ni, sizeof(i->ni)))
		return ikei_fail(i, TNC_EINVALID, "random source failed");
	if (!(i->dh = ikev2_dh_new(ikei_first_group(i->cfg), i->dh_private)))
		return ikei_fail(i, TNC_ECONFIG, "first IKE proposal has no supported D-H group");
	i->state = IKEI_INIT;
	return ikei_init_send(i, now_ms);
}

/* A response to our request: it must answer the one outstanding. */
static int
response(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw, uint64_t now_ms)
{
	struct ikev2_chain c;
	const char *why;
	int err;

	if (!i->outstanding || m->hdr.message_id != i->mid)
		return ikei_fail(i, TNC_ESTATE, "response to no request outstanding");
	if (m->hdr.exchange != i->exchange)
		return ikei_fail(i, TNC_EINVALID, "response of another exchange than the request");
	if ((err = ikei_open(i, m, raw, &c, &why)) == TNC_EPEER)
		return ikei_end(i, err, why); /* authentic, malformed: no use retrying */
	if (err <= 0)
		return ikei_fail(i, err, why);
	const bool deleting = i->state == IKEI_DELETING;
	ikei_forget_request(i);
	i->mid++;
	if (m->hdr.exchange == IKEV2_IKE_AUTH)
		return ikei_auth_response(i, &c, now_ms);
	if (deleting) {
		i->state = IKEI_CLOSED;
		return ikei_fail(i, 0, "IKE SA deleted");
	}
	return 0;
}

/* A request of the responder: window 1, retransmissions answered again. */
static int
request(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw, uint64_t now_ms)
{
	const uint32_t mid = m->hdr.message_id;
	struct ikev2_chain c;
	const char *why;
	int err;

	if (i->state != IKEI_ESTABLISHED && i->state != IKEI_DELETING)
		return ikei_fail(i, TNC_ESTATE, "request of the responder before the IKE SA is up");
	if (i->peer_resp_count && mid == i->peer_mid - 1) {
		if ((err = ikei_open(i, m, raw, &c, &why)) < 0)
			return ikei_fail(i, err, why);
		ikei_resend_answer(i);
		return ikei_fail(i, 0, "retransmitted request answered again");
	}
	if (mid != i->peer_mid)
		return ikei_fail(i, TNC_ESTATE, "request message ID outside the window");
	if ((err = ikei_open(i, m, raw, &c, &why)) <= 0)
		return ikei_fail(i, err, why);
	return ikei_info_request(i, m->hdr.exchange, mid, &c, now_ms);
}

int
ike_initiator_receive(struct ike_initiator *i, const uint8_t *msg, size_t len, uint64_t now_ms)
{
	const struct bytes raw = {msg, len};
	struct ikev2_msg m;
	struct parse_error e;

	i->reason = "";
	if (i->state == IKEI_NEW || i->state == IKEI_CLOSED)
		return ikei_fail(i, TNC_ESTATE, "no IKE SA in progress");
	if (ikev2_msg_parse(msg, len, &i->lim, &m, &e)) {
		snprintf(i->reason_buf, sizeof(i->reason_buf), "%s", e.reason);
		return ikei_fail(i, TNC_EINVALID, i->reason_buf);
	}
	if (m.hdr.spi_i != i->spi_i)
		return ikei_fail(i, TNC_EINVALID, "SPIi of another IKE SA");
	if (m.hdr.flags & IKEV2_FLAG_INITIATOR)
		return ikei_fail(i, TNC_EINVALID, "message with the Initiator flag (ours, reflected?)");
	if (i->state == IKEI_INIT)
		return ikei_init_response(i, &m, raw, now_ms);
	if (m.hdr.exchange == IKEV2_IKE_SA_INIT)
		return ikei_fail(i, TNC_ESTATE, "IKE_SA_INIT message after the exchange");
	if (m.hdr.spi_r != i->spi_r)
		return ikei_fail(i, TNC_EINVALID, "SPIr of another IKE SA");
	if (m.hdr.flags & IKEV2_FLAG_RESPONSE)
		return response(i, &m, raw, now_ms);
	return request(i, &m, raw, now_ms);
}

uint64_t
ike_initiator_timeout(struct ike_initiator *i, uint64_t now_ms)
{
	if (i->state == IKEI_NEW || i->state == IKEI_CLOSED || !i->outstanding)
		return 0;
	const unsigned shift = i->sends - 1 < MAX_BACKOFF_SHIFT ? i->sends - 1 : MAX_BACKOFF_SHIFT;
	const uint64_t due = i->sent_ms + ((uint64_t)i->cfg->retransmit_ms << shift);
	if (now_ms < due)
		return due;
	if (i->sends >= i->cfg->max_sends) {
		if (i->state == IKEI_DELETING) {
			i->state = IKEI_CLOSED;
			ikei_forget_request(i);
			i->reason = "responder did not answer the DELETE";
			return 0;
		}
		(void)ikei_end(i, TNC_ETIMEOUT, "responder did not answer the request");
		return 0;
	}
	for (size_t k = 0; k < i->req_count; k++)
		i->ops.send(i->arg, i->req[k].ptr, i->req[k].len);
	const unsigned next = i->sends < MAX_BACKOFF_SHIFT ? i->sends : MAX_BACKOFF_SHIFT;
	i->sends++;
	i->sent_ms = now_ms;
	return now_ms + ((uint64_t)i->cfg->retransmit_ms << next);
}

int
ike_initiator_close(struct ike_initiator *i, uint64_t now_ms)
{
	if (i->state == IKEI_CLOSED || i->state == IKEI_DELETING)
		return 0;
	if (i->state == IKEI_ESTABLISHED && !i->outstanding)
		return ikei_delete(i, now_ms);
	/* not established: nothing the responder keeps needs deleting
	 * (its half-open SA times out) */
	i->state = IKEI_CLOSED;
	ikei_forget_request(i);
	return ikei_fail(i, 0, "closed before the IKE SA was up");
}

uint64_t
ike_initiator_spi_i(const struct ike_initiator *i)
{
	return i->spi_i;
}

uint64_t
ike_initiator_spi_r(const struct ike_initiator *i)
{
	return i->spi_r;
}

bool
ike_initiator_nat_local(const struct ike_initiator *i)
{
	return i->nat_local;
}

bool
ike_initiator_nat_remote(const struct ike_initiator *i)
{
	return i->nat_remote;
}

const struct ikev2_suite *
ike_initiator_suite(const struct ike_initiator *i)
{
	return &i->keys.suite;
}

bool
ike_initiator_established(const struct ike_initiator *i)
{
	return i->state == IKEI_ESTABLISHED;
}

bool
ike_initiator_closed(const struct ike_initiator *i)
{
	return i->state == IKEI_CLOSED;
}

const char *
ike_initiator_reason(const struct ike_initiator *i)
{
	return i->reason ? i->reason : "";
}

const char *
ike_initiator_responder_signature(const struct ike_initiator *i)
{
	return i->responder_signature;
}

struct bytes
ike_initiator_responder_id(const struct ike_initiator *i)
{
	return i->idr.len > 4 ? (struct bytes){i->idr.ptr + 4, i->idr.len - 4}
			      : (struct bytes){NULL, 0};
}
