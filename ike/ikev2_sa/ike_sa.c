/* ike_sa.c - the SA object, the message ID window and dispatch, timers. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa_int.h"

/* Liveness check: retransmissions at a quarter of the DPD interval, the
 * peer declared dead after this many sends without an answer. */
#define DPD_SENDS 4
/* Our DELETE: sent again 1, 2 and 4 s after the one before, the SA closed
 * 8 s after the last. */
#define DELETE_SENDS 4
#define DELETE_FIRST_WAIT_MS 1000u

int
ike_sa_fail(struct ike_sa *sa, int err, const char *reason)
{
	sa->reason = reason;
	return err;
}

void
ike_sa_close(struct ike_sa *sa, const char *reason)
{
	if (sa->state == IKE_SA_CLOSED)
		return;
	ike_sa_child_end(sa);
	ike_sa_release_vip(sa);
	sa->state = IKE_SA_CLOSED;
	sa->reason = reason;
	sa->ops.closed(sa->arg, reason);
}

void
ike_sa_report(struct ike_sa *sa, bool sent, const struct ikev2_header *h,
    const struct ikev2_chain *inner)
{
	if (sa->ops.message)
		sa->ops.message(sa->arg, sent, h, inner);
}

int
ike_sa_new(const struct ike_sa_params *p, const struct ike_sa_ops *ops, void *arg,
    struct ike_sa **ret)
{
	const struct ike_sa_config *c = p->cfg;
	struct ike_sa *sa;

	if (!c || !c->suites || !c->suite_count || !c->max_msg_len || !c->max_payloads ||
	    !c->fragment_size || !p->random || (p->local.addr_len != 4 && p->local.addr_len != 16) ||
	    (p->remote.addr_len != 4 && p->remote.addr_len != 16))
		return TNC_EINVALID;
	if (!(sa = calloc(1, sizeof(*sa))))
		return -ENOMEM;
	if (!(sa->plain = malloc(c->max_msg_len))) {
		free(sa);
		return -ENOMEM;
	}
	sa->cfg = c;
	sa->ops = *ops;
	sa->arg = arg;
	sa->random = p->random;
	sa->random_arg = p->random_arg;
	sa->local = p->local;
	sa->remote = p->remote;
	sa->lim = (struct ikev2_limits){c->max_msg_len, c->max_payloads};
	sa->state = IKE_SA_NEW;
	sa->reason = "";
	sa->created_ms = sa->last_rx_ms = p->now_ms;
	*ret = sa;
	return 0;
}

void
ike_sa_free(struct ike_sa *sa)
{
	if (!sa)
		return;
	ike_sa_release_vip(sa); /* no callback: the owner is tearing down */
	struct ikev2_buf *bufs[] = {&sa->init_req, &sa->init_resp, &sa->ni, &sa->nr, &sa->our_req,
	    &sa->idi, &sa->creq.proposals, &sa->creq.tsi, &sa->creq.tsr};
	for (size_t i = 0; i < sizeof(bufs) / sizeof(bufs[0]); i++)
		ikev2_buf_free(bufs[i]);
	ikev2_buf_list_free(&sa->resp, &sa->resp_count);
	ike_sa_old_ike_end(sa);
	ikev2_frag_reset(&sa->frag);
	OPENSSL_cleanse(sa->plain, sa->cfg->max_msg_len);
	free(sa->plain);
	ikev2_sa_keys_cleanse(&sa->keys);
	OPENSSL_cleanse(sa, sizeof(*sa));
	free(sa);
}

/* A response to our request: authenticated, it ends the request. */
static int
our_response(struct ike_sa *sa, const struct ikev2_msg *m, struct bytes raw, uint64_t now_ms)
{
	struct ikev2_payload sk;
	struct bytes plain;
	struct parse_error e;

	if (!sa->our_outstanding || m->hdr.message_id != sa->our_mid)
		return ike_sa_fail(sa, TNC_ESTATE, "response to no request of ours");
	if (!ikev2_find_sk(m, &sk) || sk.type != IKEV2_PL_SK)
		return ike_sa_fail(sa, TNC_EINVALID, "response without an Encrypted payload");
	if (ike_sa_open(sa, raw, &sk, &plain, &e))
		return ike_sa_fail(sa, TNC_EINVALID, e.reason);
	struct ikev2_chain chain;
	const uint32_t base = sk.offset + IKEV2_PAYLOAD_HEADER_LEN;
	if (ikev2_chain_parse(sk.next, sk.offset, plain.ptr, plain.len, base, true, &sa->lim, &chain,
		&e) == 0)
		ike_sa_report(sa, false, &m->hdr, &chain);
	/* a malformed answer still answers: the peer is alive */
	sa->our_outstanding = false;
	sa->our_mid++;
	sa->last_rx_ms = now_ms;
	if (sa->state == IKE_SA_DELETING)
		ike_sa_close(sa, sa->ending);
	return 0;
}

/* The reason for an error notification answering a bad inner chain. */
static int
answer_error(struct ike_sa *sa, uint8_t exchange, const struct parse_error *e,
    struct bytes critical_octet)
{
	const uint16_t code = e->code ? (uint16_t)e->code : IKEV2_N_INVALID_SYNTAX;
	const struct bytes data =
	    code == IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD ? critical_octet : (struct bytes){NULL, 0};

	snprintf(sa->reason_buf, sizeof(sa->reason_buf), "%s", e->reason);
	(void)ike_sa_respond_notify(sa, exchange, code, data);
	/* 2.21.2: a malformed IKE_AUTH request leaves no IKE SA */
	if (exchange == IKEV2_IKE_AUTH && sa->state != IKE_SA_ESTABLISHED)
		ike_sa_close(sa, sa->reason_buf);
	return ike_sa_fail(sa, TNC_EINVALID, sa->reason_buf);
}

static int
dispatch(struct ike_sa *sa, uint8_t exchange, const struct ikev2_chain *c)
{
	switch (exchange) {
	case IKEV2_IKE_AUTH:
		if (sa->state == IKE_SA_ESTABLISHED || sa->state == IKE_SA_DELETING) {
			(void)ike_sa_respond_notify(sa, exchange, IKEV2_N_INVALID_SYNTAX,
			    (struct bytes){NULL, 0});
			return ike_sa_fail(sa, TNC_ESTATE, "IKE_AUTH on an established IKE SA");
		}
		return ike_sa_auth_request(sa, c);
	case IKEV2_INFORMATIONAL:
		return ike_sa_info_request(sa, c);
	case IKEV2_CREATE_CHILD_SA:
		return ike_sa_create_child_request(sa, c);
	default:
		return ike_sa_fail(sa, TNC_ETYPE, "exchange type not handled");
	}
}

/* A request inside the IKE SA: window, integrity, reassembly, dispatch. */
static int
protected_request(struct ike_sa *sa, const struct ikev2_msg *m, struct bytes raw,
    uint64_t now_ms)
{
	const uint32_t mid = m->hdr.message_id;
	const struct ikev2_frag_limits flim = {sa->cfg->max_fragments, sa->cfg->max_msg_len};
	struct ikev2_payload sk;
	struct bytes plain;
	struct parse_error e;
	struct ikev2_chain chain;
	uint8_t first;
	int err;

	if (!ikev2_find_sk(m, &sk))
		return ike_sa_fail(sa, TNC_EINVALID, "request without an Encrypted payload");
	if (sa->resp_count && mid == sa->next_mid - 1) {
		/* RFC 7383 2.6.1: only the first fragment triggers the answer */
		if (sk.type == IKEV2_PL_SKF && sk.u.sk.fragment != 1)
			return ike_sa_fail(sa, TNC_ESTATE, "retransmitted fragment other than the first");
		if (ike_sa_open(sa, raw, &sk, &plain, &e))
			return ike_sa_fail(sa, TNC_EINVALID, e.reason);
		ike_sa_resend(sa);
		return 0;
	}
	if (mid != sa->next_mid)
		return ike_sa_fail(sa, TNC_ESTATE, "message ID outside the window");
	if (sa->pending)
		return ike_sa_fail(sa, TNC_ESTATE, "retransmission of a request whose answer is pending");
	if ((err = ike_sa_open(sa, raw, &sk, &plain, &e))) {
		if (!e.code) /* 2.21.1, 3.14: a failed ICV is dropped silently */
			return ike_sa_fail(sa, err, e.reason);
		return answer_error(sa, m->hdr.exchange, &e, (struct bytes){NULL, 0});
	}
	first = sk.next;
	if (sk.type == IKEV2_PL_SKF) {
		const char *why;
		size_t len;
		/* the fragment, opened into sa->plain, is copied before the
		 * whole message is written there */
		err = ikev2_frag_add(&sa->frag, &flim, false, mid, sk.u.sk.fragment,
		    sk.u.sk.fragments, sk.next, plain, sa->plain, &len, &first, &why);
		if (err < 0)
			return ike_sa_fail(sa, err, why);
		if (err == 0) {
			sa->last_rx_ms = now_ms;
			return ike_sa_fail(sa, 0, why);
		}
		plain = (struct bytes){sa->plain, len};
	}
	sa->last_rx_ms = now_ms;
	/* error offsets count as if the plaintext stood in the Encrypted field
	 * (of the first fragment, for a reassembled message) */
	const uint32_t base = sk.offset + IKEV2_PAYLOAD_HEADER_LEN +
	    (sk.type == IKEV2_PL_SKF ? IKEV2_SKF_FIELDS_LEN : 0);
	if ((err = ikev2_chain_parse(first, sk.offset, plain.ptr, plain.len, base, false, &sa->lim,
		 &chain, &e))) {
		uint8_t octet = 0;
		/* the unknown type is named by an octet of the plaintext, or
		 * by the Encrypted payload's Next Payload for the first */
		if (e.offset == sk.offset)
			octet = first;
		else if (e.offset >= base && e.offset - base < plain.len)
			octet = plain.ptr[e.offset - base];
		return answer_error(sa, m->hdr.exchange, &e, (struct bytes){&octet, 1});
	}
	ike_sa_report(sa, false, &m->hdr, &chain);
	sa->pending = true;
	err = dispatch(sa, m->hdr.exchange, &chain);
	/* an exchange we do not answer leaves the window where it was */
	if (err == TNC_ETYPE)
		sa->pending = false;
	return err;
}

int
ike_sa_receive(struct ike_sa *sa, const uint8_t *msg, size_t len, uint64_t now_ms)
{
	const struct bytes raw = {msg, len};
	struct ikev2_msg m;
	struct parse_error e;

	sa->reason = "";
	if (sa->state == IKE_SA_CLOSED)
		return ike_sa_fail(sa, TNC_ESTATE, "IKE SA closed");
	if (ikev2_msg_parse(msg, len, &sa->lim, &m, &e)) {
		snprintf(sa->reason_buf, sizeof(sa->reason_buf), "%s", e.reason);
		return ike_sa_fail(sa, TNC_EINVALID, sa->reason_buf);
	}
	if (sa->state == IKE_SA_NEW)
		return ike_sa_init_request(sa, &m, raw);
	if (m.hdr.exchange == IKEV2_IKE_SA_INIT) {
		/* a retransmitted request (SPIr still zero) gets the same answer */
		if (m.hdr.spi_i != sa->spi_i || len != sa->init_req.len ||
		    memcmp(msg, sa->init_req.ptr, len) != 0)
			return ike_sa_fail(sa, TNC_EINVALID, "IKE_SA_INIT other than the one answered");
		sa->ops.send(sa->arg, sa->init_resp.ptr, sa->init_resp.len);
		return 0;
	}
	if (sa->old_ike_active && m.hdr.spi_i == sa->old_spi_i && m.hdr.spi_r == sa->old_spi_r)
		return ike_sa_old_ike_receive(sa, &m, raw); /* rekeyed by the peer */
	if (m.hdr.spi_i != sa->spi_i || m.hdr.spi_r != sa->spi_r)
		return ike_sa_fail(sa, TNC_EINVALID, "SPIs of another IKE SA");
	if (m.hdr.flags & IKEV2_FLAG_RESPONSE)
		return our_response(sa, &m, raw, now_ms);
	if (!(m.hdr.flags & IKEV2_FLAG_INITIATOR))
		return ike_sa_fail(sa, TNC_EINVALID, "request without the Initiator flag");
	return protected_request(sa, &m, raw, now_ms);
}

/* Sends an INFORMATIONAL request: a DELETE of the IKE SA or empty. */
static void
inform(struct ike_sa *sa, bool delete_ike, uint64_t now_ms)
{
	struct ikev2_builder b;

	sa->our_sent_ms = now_ms;
	if (sa->our_outstanding) /* the liveness check is given up */
		sa->our_mid++;
	ikev2_builder_init_chain(&b, sa->cfg->max_msg_len);
	if (delete_ike)
		ikev2_builder_add_delete(&b, IKEV2_PROTO_IKE, 0, 0, (struct bytes){NULL, 0});
	(void)ike_sa_request(sa, IKEV2_INFORMATIONAL, &b);
	ikev2_builder_clear(&b);
}

/* Our DELETE is outstanding: sent again, or given up. */
static uint64_t
deleting_timeout(struct ike_sa *sa, uint64_t now_ms)
{
	const uint64_t due = sa->our_sent_ms + ((uint64_t)DELETE_FIRST_WAIT_MS << (sa->our_tries - 1));
	if (now_ms < due)
		return due;
	if (sa->our_tries >= DELETE_SENDS) {
		ike_sa_close(sa, sa->ending);
		return 0;
	}
	sa->ops.send(sa->arg, sa->our_req.ptr, sa->our_req.len);
	sa->our_tries++;
	sa->our_sent_ms = now_ms;
	return now_ms + ((uint64_t)DELETE_FIRST_WAIT_MS << (sa->our_tries - 1));
}

static uint64_t
earliest(uint64_t a, uint64_t b)
{
	return !a ? b : !b ? a : a < b ? a : b;
}

uint64_t
ike_sa_timeout(struct ike_sa *sa, uint64_t now_ms)
{
	const struct ike_sa_config *c = sa->cfg;

	if (sa->state == IKE_SA_CLOSED)
		return 0;
	if (sa->state == IKE_SA_DELETING)
		return deleting_timeout(sa, now_ms);
	if (sa->state != IKE_SA_ESTABLISHED) {
		const uint64_t end = sa->created_ms + c->half_open_ms;
		if (now_ms >= end) {
			ike_sa_close(sa, "not established in time");
			return 0;
		}
		return end;
	}
	uint64_t next = 0;
	if (c->ike_lifetime_s) {
		const uint64_t end = sa->established_ms + (uint64_t)c->ike_lifetime_s * 1000;
		if (now_ms >= end) {
			ike_sa_delete(sa, "IKE SA lifetime expired", now_ms);
			return ike_sa_timeout(sa, now_ms);
		}
		next = end;
	}
	if (sa->child_active && sa->child.lifetime_s) {
		const uint64_t end = sa->child_since_ms + (uint64_t)sa->child.lifetime_s * 1000;
		if (now_ms >= end) {
			ike_sa_delete(sa, "CHILD_SA lifetime expired, not rekeyed by the peer", now_ms);
			return ike_sa_timeout(sa, now_ms);
		}
		next = earliest(next, end);
	}
	next = earliest(next, ike_sa_rekeyed_timeout(sa, now_ms));
	next = earliest(next, ike_sa_old_ike_timeout(sa, now_ms));
	if (c->dpd_ms) {
		const uint64_t step = c->dpd_ms / DPD_SENDS ? c->dpd_ms / DPD_SENDS : 1;
		if (sa->our_outstanding) {
			const uint64_t due = sa->our_sent_ms + step;
			if (now_ms >= due) {
				if (sa->our_tries >= DPD_SENDS) {
					ike_sa_close(sa, "peer did not answer the liveness check");
					return 0;
				}
				sa->ops.send(sa->arg, sa->our_req.ptr, sa->our_req.len);
				sa->our_tries++;
				sa->our_sent_ms = now_ms;
				return earliest(next, now_ms + step);
			}
			return earliest(next, due);
		}
		const uint64_t idle_end = sa->last_rx_ms + c->dpd_ms;
		if (now_ms >= idle_end) {
			inform(sa, false, now_ms);
			return earliest(next, now_ms + step);
		}
		next = earliest(next, idle_end);
	}
	return next;
}

void
ike_sa_delete(struct ike_sa *sa, const char *reason, uint64_t now_ms)
{
	if (sa->state == IKE_SA_DELETING || sa->state == IKE_SA_CLOSED)
		return;
	if (sa->state != IKE_SA_ESTABLISHED) {
		ike_sa_close(sa, reason);
		return;
	}
	ike_sa_child_end(sa);
	ike_sa_release_vip(sa);
	sa->ending = reason;
	sa->state = IKE_SA_DELETING;
	inform(sa, true, now_ms);
}

void
ike_sa_set_endpoints(struct ike_sa *sa, const struct ike_endpoint *local,
    const struct ike_endpoint *remote)
{
	sa->local = *local;
	sa->remote = *remote;
	if (sa->child_active) {
		sa->child.local = *local;
		sa->child.peer = *remote;
	}
}

uint64_t
ike_sa_spi_i(const struct ike_sa *sa)
{
	return sa->spi_i;
}

uint64_t
ike_sa_spi_r(const struct ike_sa *sa)
{
	return sa->spi_r;
}

bool
ike_sa_nat_remote(const struct ike_sa *sa)
{
	return sa->nat_remote;
}

bool
ike_sa_nat_local(const struct ike_sa *sa)
{
	return sa->nat_local;
}

bool
ike_sa_ike_suite(const struct ike_sa *sa, struct ike_suite_cfg *ret)
{
	if (!sa->dh_group)
		return false;
	const struct ikev2_suite *s = &sa->keys.suite;
	*ret = (struct ike_suite_cfg){s->encr, s->encr_bits, s->integ, s->prf, sa->dh_group};
	return true;
}

bool
ike_sa_established(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_ESTABLISHED;
}

bool
ike_sa_closed(const struct ike_sa *sa)
{
	return sa->state == IKE_SA_CLOSED;
}

const char *
ike_sa_reason(const struct ike_sa *sa)
{
	return sa->reason ? sa->reason : "";
}
