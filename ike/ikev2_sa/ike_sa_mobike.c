/* ike_sa_mobike.c - MOBIKE (RFC 4555), the responder's part.
 *
 * The peer offers it with N(MOBIKE_SUPPORTED) in IKE_AUTH; our last
 * IKE_AUTH response carries it too, and MOBIKE is on.  Then an
 * INFORMATIONAL request with N(UPDATE_SA_ADDRESSES) moves the IKE SA and
 * its CHILD_SA to the request's own endpoints: its source is the peer's
 * new address, its destination ours.  Its NAT detection notifications are
 * checked as in IKE_SA_INIT (under both SPIs now), the NAT state follows
 * what they find, and ours answer them; N(COOKIE2) is echoed.  The peer's
 * ADDITIONAL_IP4/6_ADDRESS and NO_ADDITIONAL_ADDRESSES are checked and
 * bounded, then dropped: we never start a move, so we keep no list of the
 * peer's addresses.  While MOBIKE is off these notifications are status
 * types we do not use: ignored, as RFC 7296 3.10.1 says.
 *
 * No return routability check before a move: the request is
 * authenticated (its ICV verified, its message ID in the window), and RFC
 * 4555 5.2 leaves that check to the responder's policy; ours trusts the
 * authenticated peer.
 */
#include <string.h>

#include <openssl/crypto.h>

#include "ike_sa_int.h"

/* ADDITIONAL_*_ADDRESS, and NAT_DETECTION_SOURCE_IP hashes (one per
 * address of the peer), taken in one request. */
#define MOBIKE_MAX_ADDRESSES 16
/* RFC 4555 4.2.5: COOKIE2's data is 8 to 64 octets. */
#define COOKIE2_MIN 8
#define COOKIE2_MAX 64

int
ike_sa_receive_from(struct ike_sa *sa, const uint8_t *msg, size_t len,
    const struct ike_endpoint *local, const struct ike_endpoint *remote, uint64_t now_ms)
{
	if ((local->addr_len != 4 && local->addr_len != 16) ||
	    (remote->addr_len != 4 && remote->addr_len != 16))
		return ike_sa_fail(sa, TNC_EINVALID, "datagram endpoint neither IPv4 nor IPv6");
	sa->rx_local = local;
	sa->rx_remote = remote;
	const int err = ike_sa_receive(sa, msg, len, now_ms);
	sa->rx_local = sa->rx_remote = NULL;
	return err;
}

bool
ike_sa_mobike(const struct ike_sa *sa)
{
	return sa->mobike;
}

void
ike_sa_mobike_offer(struct ike_sa *sa, const struct ikev2_chain *c)
{
	struct ikev2_payload p;
	sa->mobike_offered |= ikev2_find(c, IKEV2_PL_NOTIFY, IKEV2_N_MOBIKE_SUPPORTED, &p);
}

void
ike_sa_mobike_answer(struct ike_sa *sa, struct ikev2_builder *b)
{
	const struct bytes none = {NULL, 0};
	if (!sa->mobike_offered)
		return;
	ikev2_builder_add_notify(b, IKEV2_PROTO_NONE, none, IKEV2_N_MOBIKE_SUPPORTED, none);
	sa->mobike = true;
}

/* What the request carries, counted for the bounds. */
struct mobike_request {
	unsigned updates, cookies, natd_src, natd_dst, additional, no_additional;
	bool natd_src_match, natd_dst_match;
	struct bytes cookie2;
};

static bool
same_address(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return a->addr_len == b->addr_len && memcmp(a->addr, b->addr, a->addr_len) == 0;
}

static bool
same_endpoint(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return same_address(a, b) && a->port == b->port;
}

/* One notification into r; NULL, or why it is refused.  The codec has
 * checked the lengths of NAT_DETECTION_*_IP (20) and ADDITIONAL_IP4/6_ADDRESS
 * (4, 16) already. */
static const char *
take(struct mobike_request *r, const struct ikev2_notify *n, const uint8_t src[IKEV2_NATD_LEN],
    const uint8_t dst[IKEV2_NATD_LEN])
{
	const struct bytes d = n->data;

	switch (n->type) {
	case IKEV2_N_UPDATE_SA_ADDRESSES:
		if (d.len)
			return "UPDATE_SA_ADDRESSES with data";
		return r->updates++ ? "UPDATE_SA_ADDRESSES twice" : NULL;
	case IKEV2_N_COOKIE2:
		if (d.len < COOKIE2_MIN || d.len > COOKIE2_MAX)
			return "COOKIE2 not of 8 to 64 octets";
		r->cookie2 = d;
		return r->cookies++ ? "COOKIE2 twice" : NULL;
	case IKEV2_N_NAT_DETECTION_SOURCE_IP:
		if (++r->natd_src > MOBIKE_MAX_ADDRESSES)
			return "more than 16 NAT_DETECTION_SOURCE_IP";
		/* any of the peer's addresses may be the one it sent from */
		r->natd_src_match |= !CRYPTO_memcmp(d.ptr, src, IKEV2_NATD_LEN);
		return NULL;
	case IKEV2_N_NAT_DETECTION_DESTINATION_IP:
		r->natd_dst_match = !CRYPTO_memcmp(d.ptr, dst, IKEV2_NATD_LEN);
		return r->natd_dst++ ? "NAT_DETECTION_DESTINATION_IP twice" : NULL;
	case IKEV2_N_ADDITIONAL_IP4_ADDRESS:
	case IKEV2_N_ADDITIONAL_IP6_ADDRESS:
		return ++r->additional > MOBIKE_MAX_ADDRESSES ?
		    "more than 16 ADDITIONAL_IP4/6_ADDRESS" : NULL;
	case IKEV2_N_NO_ADDITIONAL_ADDRESSES:
		if (d.len)
			return "NO_ADDITIONAL_ADDRESSES with data";
		return r->no_additional++ ? "NO_ADDITIONAL_ADDRESSES twice" : NULL;
	default:
		return NULL;
	}
}

int
ike_sa_mobike_info(struct ike_sa *sa, const struct ikev2_chain *c, struct ikev2_builder *b,
    struct ike_mobike_ask *ask)
{
	const struct ike_endpoint *local = sa->rx_local ? sa->rx_local : &sa->local;
	const struct ike_endpoint *remote = sa->rx_remote ? sa->rx_remote : &sa->remote;
	uint8_t src[IKEV2_NATD_LEN], dst[IKEV2_NATD_LEN];
	struct mobike_request r = {0};
	struct ikev2_iter it;
	struct ikev2_payload p;
	const char *why = NULL;

	memset(ask, 0, sizeof(*ask));
	if (!sa->mobike)
		return 0;
	if (!ike_sa_natd_hash(sa->spi_i, sa->spi_r, remote, src) ||
	    !ike_sa_natd_hash(sa->spi_i, sa->spi_r, local, dst))
		return ike_sa_fail(sa, TNC_EINVALID, "NAT detection hashes not computed");
	ikev2_iter_init(&it, c);
	while (!why && ikev2_iter_next(&it, &p))
		if (p.type == IKEV2_PL_NOTIFY)
			why = take(&r, &p.u.notify, src, dst);
	if (!why && r.no_additional && r.additional)
		why = "NO_ADDITIONAL_ADDRESSES with ADDITIONAL_IP4/6_ADDRESS";
	if (!why && !r.natd_src != !r.natd_dst)
		why = "NAT_DETECTION_SOURCE_IP and _DESTINATION_IP not both present";
	if (why)
		return ike_sa_fail(sa, TNC_EINVALID, why);
	ask->update = r.updates;
	ask->natd = r.natd_src;
	ask->nat_remote = ask->natd && !r.natd_src_match;
	ask->nat_local = ask->natd && !r.natd_dst_match;
	/* ours describe the path this request took: from remote to local */
	if (ask->natd && ike_sa_add_natd(sa, b, local, remote))
		return ike_sa_fail(sa, TNC_EINVALID, "NAT detection hashes not computed");
	if (r.cookies)
		ikev2_builder_add_notify(b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0}, IKEV2_N_COOKIE2,
		    r.cookie2);
	return 0;
}

void
ike_sa_mobike_move(struct ike_sa *sa, const struct ike_mobike_ask *ask)
{
	/* without the datagram's endpoints there is nowhere new to go */
	if (!ask->update || !sa->rx_local || !sa->rx_remote || sa->state == IKE_SA_CLOSED)
		return;
	const bool nat_changed = ask->natd &&
	    (ask->nat_remote != sa->nat_remote || ask->nat_local != sa->nat_local);
	if (ask->natd) {
		sa->nat_remote = ask->nat_remote;
		sa->nat_local = ask->nat_local;
	}
	/* our port alone (500 or 4500, as NAT-T floated) is no move */
	if (same_endpoint(&sa->remote, sa->rx_remote) && same_address(&sa->local, sa->rx_local) &&
	    !nat_changed)
		return;
	sa->local = *sa->rx_local;
	sa->remote = *sa->rx_remote;
	if (sa->child_active) {
		sa->child.local = sa->local;
		sa->child.peer = sa->remote;
	}
	if (sa->ops.moved)
		sa->ops.moved(sa->arg, &sa->local, &sa->remote, sa->child_active ? &sa->child : NULL);
}
