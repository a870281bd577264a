/* ikev2_server.c - the IKE SAs of tnc-ike (see ikev2_server.h): two hash
 * tables of the peers (by our SPI once IKE_SA_INIT is answered, and by the
 * initiator's SPI with its address, for retransmitted IKE_SA_INIT
 * requests), the bounds, the cookies, one timer per SA.
 *
 * A peer is freed only here, at the top of the loop (a datagram, its
 * timer): its callbacks run deep inside ike_sa and eap_server calls, which
 * must not free it.  Anything that reaches a peer from elsewhere
 * (tnc-tnccs) kicks its timer, which runs ikev2_server_update() next turn. */
#include "ikev2_server.h"

#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ike_cookie.h"
#include "ike_metrics.h"
#include "ikev2.h"
#include "ikev2_peer.h"
#include "ikev2_udp.h"
#include "log.h"

#define COOKIE_ROTATION_MS (5 * 60 * 1000)
#define REFUSAL_WINDOW_MS 1000 /* refusals logged one by one per window ... */
#define REFUSALS_LOGGED 3      /* ... up to this many, then counted */

static struct {
	struct child *child;
	const struct ikev2_config *cfg;
	struct ikev2_limits lim;
	struct ikev2_peer **by_r, **by_i;
	struct ikev2_peer **by_old_r; /* a rekeyed IKE SA's old SPIr, until it is deleted */
	unsigned bits;         /* log2 of the buckets */
	unsigned count, half_open, serial;
	struct source_limit sas, half_opens; /* per source address */
	struct ike_cookies cookies;
	uv_timer_t cookie_timer, refusal_timer;
	unsigned refusals_logged, refusals_counted;
} srv;

uint64_t
ikev2_server_now(void)
{
	return uv_now(child_loop(srv.child));
}

const struct ikev2_config *
ikev2_server_config(void)
{
	return srv.cfg;
}

unsigned
ikev2_server_count(void)
{
	return srv.count;
}

static struct ikev2_peer **
bucket(struct ikev2_peer **table, uint64_t spi)
{
	return &table[(spi * 0x9e3779b97f4a7c15ull) >> (64 - srv.bits)];
}

static bool
same_endpoint(const struct ike_endpoint *a, const struct ike_endpoint *b)
{
	return a->addr_len == b->addr_len && a->port == b->port &&
	    memcmp(a->addr, b->addr, a->addr_len) == 0;
}

/* The SA of these SPIs: its current ones, or the old ones of an IKE SA
 * the peer rekeyed (for its DELETE of the old SA). */
static struct ikev2_peer *
find_r(uint64_t spi_i, uint64_t spi_r)
{
	struct ikev2_peer *p = *bucket(srv.by_r, spi_r);
	while (p && p->spi_r != spi_r)
		p = p->next_r;
	if (p && p->spi_i == spi_i)
		return p;
	p = *bucket(srv.by_old_r, spi_r);
	while (p && (p->old_spi_r != spi_r || p->old_spi_i != spi_i))
		p = p->next_old_r;
	return p;
}

/* A half-open SA of that initiator's SPI and address (RFC 7296 2.1: a
 * retransmitted IKE_SA_INIT request is known by both). */
static struct ikev2_peer *
find_i(uint64_t spi_i, const struct ike_endpoint *remote)
{
	struct ikev2_peer *p = *bucket(srv.by_i, spi_i);
	while (p && (p->spi_i != spi_i || !same_endpoint(&p->remote, remote)))
		p = p->next_i;
	return p;
}

static void
unlink_from(struct ikev2_peer **pp, struct ikev2_peer *p, bool by_r)
{
	while (*pp && *pp != p)
		pp = by_r ? &(*pp)->next_r : &(*pp)->next_i;
	if (*pp)
		*pp = by_r ? p->next_r : p->next_i;
}

static void
unlink_old(struct ikev2_peer *p)
{
	struct ikev2_peer **pp = bucket(srv.by_old_r, p->old_spi_r);
	while (*pp && *pp != p)
		pp = &(*pp)->next_old_r;
	if (*pp)
		*pp = p->next_old_r;
	p->old_spi_i = p->old_spi_r = 0;
}

static void
push(struct ikev2_peer **b, struct ikev2_peer *p, struct ikev2_peer **next)
{
	*next = *b;
	*b = p;
}

/* The peer rekeyed p's IKE SA (ike_sa_rekey_ike.c): the table knows it by
 * its new SPIs, and by the old ones until the SA forgets them. */
static void
follow_rekey(struct ikev2_peer *p)
{
	uint64_t old_i = 0, old_r = 0;
	const bool has_old = ike_sa_old_spis(p->sa, &old_i, &old_r);
	char local[64], remote[64];

	if (p->old_spi_r && (!has_old || old_r != p->old_spi_r))
		unlink_old(p);
	if (!p->spi_r || ike_sa_spi_r(p->sa) == p->spi_r)
		return;
	unlink_from(bucket(srv.by_i, p->spi_i), p, false);
	unlink_from(bucket(srv.by_r, p->spi_r), p, true);
	p->spi_i = ike_sa_spi_i(p->sa);
	p->spi_r = ike_sa_spi_r(p->sa);
	push(bucket(srv.by_i, p->spi_i), p, &p->next_i);
	push(bucket(srv.by_r, p->spi_r), p, &p->next_r);
	if (has_old) {
		p->old_spi_i = old_i;
		p->old_spi_r = old_r;
		push(bucket(srv.by_old_r, old_r), p, &p->next_old_r);
	}
	LOG(IKE, 1, "IKE_SA %s[%u] rekeyed between %s[%s]...%s[%s]", p->conn ? p->conn : "-",
	    p->serial, ikev2_address_str(&p->local, local, sizeof(local)), srv.cfg->id,
	    ikev2_address_str(&p->remote, remote, sizeof(remote)), p->peer_id);
}

static int
random_bytes(void *arg, uint8_t *buf, size_t len)
{
	return RAND_bytes(buf, (int)len) == 1 ? 0 : TNC_EINVALID;
}

static void
on_refusal_window(uv_timer_t *t)
{
	if (srv.refusals_counted)
		LOG(NET, 1, "refused %u more IKE_SA_INIT requests in the last %u ms",
		    srv.refusals_counted, REFUSAL_WINDOW_MS);
	srv.refusals_logged = srv.refusals_counted = 0;
}

static void
refuse(const struct ikev2_dgram *d, const char *metric, const char *why)
{
	char from[64];
	ike_metrics_ike_sa_refused(metric);
	if (srv.refusals_logged == 0 && srv.refusals_counted == 0)
		uv_timer_start(&srv.refusal_timer, on_refusal_window, REFUSAL_WINDOW_MS, 0);
	if (srv.refusals_logged < REFUSALS_LOGGED) {
		srv.refusals_logged++;
		LOG(IKE, 1, "ignoring IKE_SA_INIT from %s: %s",
		    ikev2_endpoint_str(&d->peer, from, sizeof(from)), why);
	} else {
		srv.refusals_counted++;
	}
}

static void on_timer(uv_timer_t *t);

static void
free_peer(uv_handle_t *h)
{
	free(h->data);
}

static void
destroy(struct ikev2_peer *p)
{
	ikev2_glue_end(p);
	unlink_from(bucket(srv.by_i, p->spi_i), p, false);
	if (p->spi_r)
		unlink_from(bucket(srv.by_r, p->spi_r), p, true);
	if (p->old_spi_r)
		unlink_old(p);
	if (p->half_open) {
		srv.half_open--;
		source_limit_put(&srv.half_opens, &p->source);
	}
	source_limit_put(&srv.sas, &p->source);
	srv.count--;
	ike_sa_free(p->sa);
	p->sa = NULL;
	uv_close((uv_handle_t *)&p->timer, free_peer);
}

void
ikev2_server_update(struct ikev2_peer *p)
{
	uint64_t now = ikev2_server_now();
	if (!p->dead && !ike_sa_closed(p->sa)) {
		if (!p->spi_r && ike_sa_spi_r(p->sa)) {
			p->spi_r = ike_sa_spi_r(p->sa);
			struct ikev2_peer **b = bucket(srv.by_r, p->spi_r);
			p->next_r = *b;
			*b = p;
		}
		follow_rekey(p);
		if (p->half_open && ike_sa_established(p->sa)) {
			p->half_open = false;
			srv.half_open--;
			source_limit_put(&srv.half_opens, &p->source);
		}
		uint64_t due = ike_sa_timeout(p->sa, now);
		if (!ike_sa_closed(p->sa)) {
			if (due)
				uv_timer_start(&p->timer, on_timer, due > now ? due - now : 0, 0);
			else
				uv_timer_stop(&p->timer);
			return;
		}
	}
	destroy(p);
}

static void
on_timer(uv_timer_t *t)
{
	ikev2_server_update(t->data);
}

void
ikev2_server_kick(struct ikev2_peer *p)
{
	if (p->sa)
		uv_timer_start(&p->timer, on_timer, 0, 0);
}

void
ikev2_server_initial_contact(struct ikev2_peer *p)
{
	for (size_t b = 0; p->peer_id[0] && b < (size_t)1 << srv.bits; b++) {
		for (struct ikev2_peer *q = srv.by_r[b]; q; q = q->next_r) {
			if (q == p || q->dead || !ike_sa_established(q->sa) ||
			    strcmp(q->peer_id, p->peer_id) != 0)
				continue;
			snprintf(q->close_reason, sizeof(q->close_reason),
			    "INITIAL_CONTACT in IKE_SA %u of the same peer", p->serial);
			/* one DELETE, in case the peer still has the SA (the same
			 * identity on another device), and not kept for its answer:
			 * a restarted peer has forgotten the SA */
			ike_sa_delete(q->sa, q->close_reason, ikev2_server_now());
			ike_sa_close(q->sa, q->close_reason);
			ikev2_server_kick(q); /* freed at the next loop turn */
		}
	}
}

/* A new SA for an IKE_SA_INIT request within the bounds; NULL: refused. */
static struct ikev2_peer *
create(const struct ikev2_dgram *d, uint64_t spi_i)
{
	const struct ikev2_config *cfg = srv.cfg;
	struct ike_cookie_result cookie;
	struct source_key key;
	char from[64];

	if (srv.count >= cfg->max_sas) {
		refuse(d, "ike_sa_limit", "max_sas IKE SAs exist");
		return NULL;
	}
	if (srv.half_open >= cfg->max_half_open) {
		refuse(d, "half_open_limit", "max_half_open IKE SAs are half-open");
		return NULL;
	}
	if (srv.half_open >= cfg->cookie_threshold) {
		switch (ike_cookie_check(&srv.cookies, d->data, d->len, &srv.lim, &d->peer,
		    &cookie)) {
		case IKE_COOKIE_ACCEPT:
			break;
		case IKE_COOKIE_REPLY:
			LOG(IKE, 2, "asking %s for a cookie: %s",
			    ikev2_endpoint_str(&d->peer, from, sizeof(from)), cookie.reason);
			if (ikev2_udp_send(&d->local, &d->peer, cookie.reply,
			    cookie.reply_len) != 0)
				LOG(NET, 2, "cannot send the cookie to %s", from);
			return NULL;
		case IKE_COOKIE_DROP:
			refuse(d, "malformed", cookie.reason);
			return NULL;
		}
	}
	struct sockaddr_storage ss = {0};
	/* source_limit counts socket addresses */
	if (d->peer.addr_len == 4) {
		struct sockaddr_in *in = (struct sockaddr_in *)&ss;
		in->sin_family = AF_INET;
		memcpy(&in->sin_addr, d->peer.addr, 4);
	} else {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
		in6->sin6_family = AF_INET6;
		memcpy(&in6->sin6_addr, d->peer.addr, 16);
	}
	if (source_limit_take(&srv.sas, (struct sockaddr *)&ss, &key) != 0) {
		refuse(d, "address_limit", "max_sas_per_address IKE SAs from that address");
		return NULL;
	}
	if (source_limit_take(&srv.half_opens, (struct sockaddr *)&ss, &key) != 0) {
		source_limit_put(&srv.sas, &key);
		refuse(d, "half_open_address_limit",
		    "max_half_open_per_address half-open IKE SAs from that address");
		return NULL;
	}
	struct ikev2_peer *p = calloc(1, sizeof(*p));
	if (!p)
		abort();
	p->spi_i = spi_i;
	p->local = d->local;
	p->remote = d->peer;
	p->source = key;
	p->half_open = true;
	struct ike_sa_params params = {.cfg = &cfg->sa, .local = d->local, .remote = d->peer,
	    .random = random_bytes, .now_ms = ikev2_server_now()};
	int err = ike_sa_new(&params, &ikev2_glue_sa_ops, p, &p->sa);
	if (err) {
		LOG_ERR(IKE, "cannot create an IKE SA: %s", tnc_strerror(err));
		source_limit_put(&srv.half_opens, &key);
		source_limit_put(&srv.sas, &key);
		free(p);
		return NULL;
	}
	p->serial = ++srv.serial;
	struct ikev2_peer **b = bucket(srv.by_i, spi_i);
	p->next_i = *b;
	*b = p;
	uv_timer_init(child_loop(srv.child), &p->timer);
	p->timer.data = p;
	srv.count++;
	srv.half_open++;
	LOG(IKE, 1, "%s is initiating an IKE_SA", ikev2_address_str(&d->peer, from, sizeof(from)));
	return p;
}

/* Validates the datagram's outer chain and logs it ("parsed IKE_SA_INIT
 * request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]"); false when it is
 * malformed. */
static bool
parsed(const struct ikev2_dgram *d)
{
	struct ikev2_msg m;
	struct parse_error pe;
	char summary[512];

	if (ikev2_msg_parse(d->data, d->len, &srv.lim, &m, &pe) != 0) {
		LOG(ENC, 1, "invalid IKE message at offset %u: %s", pe.offset,
		    pe.reason ? pe.reason : "malformed");
		return false;
	}
	/* a protected message's line, with its inner chain, comes from its SA
	 * once it is opened (ikev2_glue.c); fragments are logged as such */
	if (log_level(LOG_ENC) >= 1 && !ikev2_ends_in_sk(&m.chain)) {
		ikev2_summary(&m.hdr, &m.chain, summary, sizeof(summary));
		LOG(ENC, 1, "parsed %s", summary);
	}
	return true;
}

static void
on_datagram(const struct ikev2_dgram *d)
{
	char from[64], to[64];
	struct ikev2_peer *p;

	LOG(NET, 1, "received packet: from %s to %s (%zu bytes)",
	    ikev2_endpoint_str(&d->peer, from, sizeof(from)),
	    ikev2_endpoint_str(&d->local, to, sizeof(to)), d->len);
	if (d->len < IKEV2_HEADER_LEN) {
		LOG(NET, 2, "dropping %zu bytes from %s: shorter than an IKE header", d->len, from);
		return;
	}
	struct wire_reader r;
	uint64_t spi_i, spi_r;
	wire_reader_init(&r, d->data, d->len);
	if (wire_get_u64(&r, &spi_i) != 0 || wire_get_u64(&r, &spi_r) != 0)
		return;
	uint8_t exchange = d->data[18], flags = d->data[19];
	/* a malformed message is dropped before it can make an SA (the SA
	 * answers one of its own with the notification RFC 7296 asks for) */
	if (!parsed(d) && spi_r == 0)
		return;
	if (spi_r == 0) {
		if (exchange != IKEV2_IKE_SA_INIT || (flags & IKEV2_FLAG_RESPONSE)) {
			LOG(IKE, 2, "dropping a message from %s without a responder SPI", from);
			return;
		}
		p = find_i(spi_i, &d->peer);
		if (!p && !(p = create(d, spi_i)))
			return;
	} else if (!(p = find_r(spi_i, spi_r))) {
		LOG(IKE, 2, "dropping a message from %s for no IKE SA of ours (SPIs %016llx_i "
		    "%016llx_r)", from, (unsigned long long)spi_i, (unsigned long long)spi_r);
		return;
	}
	p->reply_local = &d->local;
	p->reply_remote = &d->peer;
	int err = ike_sa_receive_from(p->sa, d->data, d->len, &d->local, &d->peer,
	    ikev2_server_now());
	p->reply_local = p->reply_remote = NULL;
	if (err) {
		LOG(IKE, 1, "IKE_SA %u: message from %s not taken: %s", p->serial, from,
		    ike_sa_reason(p->sa));
		if (!ike_sa_spi_r(p->sa))
			p->dead = true; /* its IKE_SA_INIT was refused: nothing to keep */
	} else if (!ike_sa_mobike(p->sa) &&
	    (!same_endpoint(&p->remote, &d->peer) || !same_endpoint(&p->local, &d->local))) {
		/* only a request that passed the SA's checks moves it (NAT-T: to
		 * 4500); with MOBIKE only the peer's UPDATE_SA_ADDRESSES does,
		 * through the SA (ikev2_glue.c's sa_moved) */
		p->remote = d->peer;
		p->local = d->local;
		ike_sa_set_endpoints(p->sa, &d->local, &d->peer);
	}
	ikev2_server_update(p);
}

static void
on_cookie_rotation(uv_timer_t *t)
{
	uint8_t secret[IKE_COOKIE_SECRET_LEN];
	if (RAND_bytes(secret, sizeof(secret)) == 1)
		ike_cookies_rotate(&srv.cookies, secret);
	OPENSSL_cleanse(secret, sizeof(secret));
}

void
ikev2_server_init(struct child *c, const struct ikev2_config *cfg)
{
	uint8_t secret[IKE_COOKIE_SECRET_LEN];

	srv.child = c;
	srv.cfg = cfg;
	srv.lim = (struct ikev2_limits){cfg->sa.max_msg_len, cfg->sa.max_payloads};
	for (srv.bits = 4; srv.bits < 24 && (1u << srv.bits) < cfg->max_sas; srv.bits++)
		;
	srv.by_r = calloc((size_t)1 << srv.bits, sizeof(*srv.by_r));
	srv.by_i = calloc((size_t)1 << srv.bits, sizeof(*srv.by_i));
	srv.by_old_r = calloc((size_t)1 << srv.bits, sizeof(*srv.by_old_r));
	if (!srv.by_r || !srv.by_i || !srv.by_old_r || RAND_bytes(secret, sizeof(secret)) != 1)
		abort();
	ike_cookies_init(&srv.cookies, secret);
	OPENSSL_cleanse(secret, sizeof(secret));
	source_limit_init(&srv.sas, cfg->max_sas_per_address);
	source_limit_init(&srv.half_opens, cfg->max_half_open_per_address);
	uv_timer_init(child_loop(c), &srv.refusal_timer);
	uv_timer_init(child_loop(c), &srv.cookie_timer);
	uv_timer_start(&srv.cookie_timer, on_cookie_rotation, COOKIE_ROTATION_MS,
	    COOKIE_ROTATION_MS);
	ikev2_udp_init(c, cfg->sa.max_msg_len, on_datagram);
}

bool
ikev2_server_listen(struct ipc_received *rx)
{
	return ikev2_udp_listen(rx);
}
