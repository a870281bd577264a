/* ike_sa_child.c - the CHILD_SA of IKE_AUTH (RFC 7296 1.2, 2.9, 2.17,
 * 3.15): the connection's ESP proposal, traffic selectors narrowed to the
 * connection's, a virtual IP from its pool with the CP payload, KEYMAT.
 * Without one, the IKE SA still comes up and the answer carries the
 * notification that says why (NO_PROPOSAL_CHOSEN, TS_UNACCEPTABLE,
 * FAILED_CP_REQUIRED, INTERNAL_ADDRESS_FAILURE).  The selection and the
 * keys serve a rekey's new CHILD_SA as well (ike_sa_rekey.c).
 */
#include <string.h>

#include "ike_proposal.h"
#include "ike_sa_int.h"

/* The lowest ESP SPI we hand out: 1..255 are reserved (RFC 4303 2.1). */
#define SPI_MIN 256
#define PORT_MAX 65535

static uint32_t
max32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* 2.9: the first of the peer's IPv4 selectors that meets ours, cut down
 * to the part within ours; false when none meets it. */
static bool
narrow(struct bytes list, uint8_t count, const struct ike_ts4 *ours, struct ike_ts4 *ret)
{
	struct ikev2_ts t;

	for (uint8_t i = 0; i < count && ikev2_ts_next(&list, &t); i++) {
		if (t.type != IKEV2_TS_IPV4_ADDR_RANGE || t.start.len != 4 || t.end.len != 4)
			continue; /* IPv6 selectors: no IPv6 connections yet */
		if (t.ip_proto && ours->ip_proto && t.ip_proto != ours->ip_proto)
			continue;
		const struct ike_ts4 n = {
		    .start = max32(ike_get_u32(t.start.ptr), ours->start),
		    .end = min32(ike_get_u32(t.end.ptr), ours->end),
		    .ip_proto = ours->ip_proto ? ours->ip_proto : t.ip_proto,
		    .start_port = (uint16_t)max32(t.start_port, ours->start_port),
		    .end_port = (uint16_t)min32(t.end_port, ours->end_port),
		};
		if (n.start > n.end || n.start_port > n.end_port)
			continue;
		*ret = n;
		return true;
	}
	return false;
}

static void
add_ts(struct ikev2_builder *b, uint8_t type, const struct ike_ts4 *ts)
{
	uint8_t start[4], end[4];

	ike_put_u32(start, ts->start);
	ike_put_u32(end, ts->end);
	const struct ikev2_ts t = {IKEV2_TS_IPV4_ADDR_RANGE, ts->ip_proto, ts->start_port,
	    ts->end_port, {start, 4}, {end, 4}};
	ikev2_builder_add_ts(b, type, &t, 1);
}

/* CFG_REPLY: the address, and the DNS servers when asked for. */
static void
add_cp(struct ike_sa *sa, struct ikev2_builder *b)
{
	const struct ike_conn_cfg *conn = sa->conn;
	struct ikev2_cp_attr attrs[1 + 8];
	uint8_t values[1 + 8][4];
	size_t n = 0;

	ike_put_u32(values[n], sa->vip);
	attrs[n] = (struct ikev2_cp_attr){IKEV2_CFG_INTERNAL_IP4_ADDRESS, {values[n], 4}};
	n++;
	for (size_t i = 0; sa->creq.want_dns && i < conn->dns_count && n < 1 + 8; i++, n++) {
		ike_put_u32(values[n], conn->dns[i]);
		attrs[n] = (struct ikev2_cp_attr){IKEV2_CFG_INTERNAL_IP4_DNS, {values[n], 4}};
	}
	ikev2_builder_add_cp(b, IKEV2_CFG_REPLY, attrs, n);
}

/* A fresh inbound SPI. */
static int
new_spi(struct ike_sa *sa, uint32_t *ret)
{
	uint8_t spi[4];

	do {
		if (sa->random(sa->random_arg, spi, sizeof(spi)))
			return TNC_EINVALID;
		*ret = ike_get_u32(spi);
	} while (*ret < SPI_MIN);
	return 0;
}

uint16_t
ike_sa_child_select(struct ike_sa *sa, const struct ike_child_offer *o, struct ike_child_sa *c,
    struct ike_choice *ch)
{
	const struct ike_conn_cfg *conn = sa->conn;
	struct ike_ts4 remote = conn->remote_ts;

	if (conn->remote_is_virtual_ip) {
		if (!sa->vip_leased)
			return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
		remote = (struct ike_ts4){sa->vip, sa->vip, 0, 0, PORT_MAX};
	}
	memset(c, 0, sizeof(*c));
	if (!narrow(o->tsi, o->tsi_count, &remote, &c->ts_remote) ||
	    !narrow(o->tsr, o->tsr_count, &conn->local_ts, &c->ts_local))
		return IKEV2_N_TS_UNACCEPTABLE;
	if (ike_select_esp(o->proposals, conn->esp, conn->esp_count, ch) != IKE_SELECT_OK ||
	    ikev2_suite_init(&c->esp, ch->encr, ch->encr_bits, ch->integ, 0, NULL))
		return IKEV2_N_NO_PROPOSAL_CHOSEN;
	if (new_spi(sa, &c->spi_in))
		return IKEV2_N_TEMPORARY_FAILURE;
	c->spi_out = ike_get_u32(ch->spi.ptr);
	c->conn_name = conn->name;
	c->local = sa->local;
	c->peer = sa->remote;
	c->has_virtual_ip = sa->vip_leased;
	c->virtual_ip = sa->vip;
	c->lifetime_s = conn->lifetime_s;
	return 0;
}

uint16_t
ike_sa_child_keys(struct ike_sa *sa, struct ike_child_sa *c, struct bytes g_ir, struct bytes ni,
    struct bytes nr)
{
	const struct bytes sk_d = {sa->keys.d, sa->keys.suite.prf_len};

	if (ikev2_child_keys_derive(sa->keys.suite.prf, sk_d, &c->esp, g_ir, ni, nr, &c->keys)) {
		ikev2_child_keys_cleanse(&c->keys);
		return IKEV2_N_TEMPORARY_FAILURE;
	}
	return 0;
}

void
ike_sa_child_add_sa(struct ikev2_builder *b, const struct ike_choice *ch,
    const struct ike_child_sa *c)
{
	uint8_t spi[4];

	ike_put_u32(spi, c->spi_in);
	ike_choice_add_sa(b, ch, IKEV2_PROTO_ESP, (struct bytes){spi, 4});
}

void
ike_sa_child_add_ts(struct ikev2_builder *b, const struct ike_child_sa *c)
{
	add_ts(b, IKEV2_PL_TSI, &c->ts_remote);
	add_ts(b, IKEV2_PL_TSR, &c->ts_local);
}

/* IKE_AUTH's CHILD_SA into sa->child and its payloads into b; 0, or the
 * notification type saying why there is none. */
static uint16_t
make_child(struct ike_sa *sa, struct ikev2_builder *b)
{
	const struct ike_conn_cfg *conn = sa->conn;
	const struct ike_child_request *q = &sa->creq;
	const struct ike_child_offer offer = {{q->proposals.ptr, q->proposals.len},
	    {q->tsi.ptr, q->tsi.len}, {q->tsr.ptr, q->tsr.len}, q->tsi_count, q->tsr_count};
	struct ike_child_sa *c = &sa->child;
	struct ike_choice ch;
	uint16_t refused;

	if (conn->remote_is_virtual_ip) {
		if (!q->cp_request || !q->want_addr || !conn->pool)
			return IKEV2_N_FAILED_CP_REQUIRED;
		if (!sa->vip_leased) {
			if (ike_pool_lease(conn->pool, &sa->vip))
				return IKEV2_N_INTERNAL_ADDRESS_FAILURE;
			sa->vip_leased = true;
		}
	}
	const struct bytes ni = {sa->ni.ptr, sa->ni.len}, nr = {sa->nr.ptr, sa->nr.len};
	if ((refused = ike_sa_child_select(sa, &offer, c, &ch)) ||
	    (refused = ike_sa_child_keys(sa, c, (struct bytes){NULL, 0}, ni, nr)))
		return refused;
	if (sa->vip_leased)
		add_cp(sa, b);
	ike_sa_child_add_sa(b, &ch, c);
	ike_sa_child_add_ts(b, c);
	return 0;
}

void
ike_sa_child_answer(struct ike_sa *sa, struct ikev2_builder *b)
{
	if (!sa->creq.present)
		return; /* the peer asked for no CHILD_SA */
	const uint16_t refused = make_child(sa, b);
	if (refused)
		ikev2_builder_add_notify(b, IKEV2_PROTO_NONE, (struct bytes){NULL, 0}, refused,
		    (struct bytes){NULL, 0});
	else {
		sa->child_active = true;
		sa->child_since_ms = sa->last_rx_ms;
	}
}

void
ike_sa_child_down(struct ike_sa *sa)
{
	if (!sa->child_active)
		return;
	sa->child_active = false;
	sa->ops.child_down(sa->arg, &sa->child);
	ikev2_child_keys_cleanse(&sa->child.keys);
}

void
ike_sa_child_end(struct ike_sa *sa)
{
	ike_sa_rekeyed_end(sa);
	ike_sa_child_down(sa);
}

void
ike_sa_release_vip(struct ike_sa *sa)
{
	if (!sa->vip_leased)
		return;
	sa->vip_leased = false;
	(void)ike_pool_release(sa->conn->pool, sa->vip);
}
