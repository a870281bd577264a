/* ikev2_kernel.c - CHILD_SAs to tnc-xfrm requests (see ikev2_kernel.h). */
#include "ikev2_kernel.h"

#include <arpa/inet.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ikev2_suite.h"
#include "log.h"
#include "xfrm_link.h"

/* One priority for all: a peer's policies never overlap another's (each
 * has its own /32 on the remote side). */
#define POLICY_PRIORITY 1000
#define PORT_MAX 65535

/* The kernel objects of one CHILD_SA, in the order they are asked for:
 * policies first (tnc-xfrm admits SAs only under them). */
enum { POL_OUT, POL_IN, POL_FWD, SA_IN, SA_OUT, OBJ_COUNT };
static const char *const obj_name[OBJ_COUNT] = {"policy out", "policy in", "policy fwd",
    "SA in", "SA out"};

struct kernel_req {
	struct ikev2_kernel_child *k;
	unsigned obj;
	bool add;
};

struct ikev2_kernel_child {
	struct ikev2_kernel_child *prev, *next; /* the list of installed ones */
	bool linked;
	ikev2_kernel_failed failed; /* NULL once removed or reported */
	void *arg;
	uint32_t session;
	struct ipc_xfrm_policy_id policy[3]; /* POL_OUT, POL_IN, POL_FWD */
	struct ipc_xfrm_sa_id sa[2];         /* SA_IN, SA_OUT */
	struct kernel_req req[2 * OBJ_COUNT]; /* adds, then deletes */
	char desc[OBJ_COUNT][128];            /* each object, for the log */
	unsigned pending, added;
	bool removed, in_answer;
};

static struct xfrm_link to_xfrm;
static struct ikev2_kernel_child *installed;
static uint32_t last_reqid;

static void
unlink_child(struct ikev2_kernel_child *k)
{
	if (!k->linked)
		return;
	if (k->prev)
		k->prev->next = k->next;
	else
		installed = k->next;
	if (k->next)
		k->next->prev = k->prev;
	k->prev = k->next = NULL;
	k->linked = false;
}

static void
release_if_done(struct ikev2_kernel_child *k)
{
	if (k->removed && !k->pending && !k->in_answer)
		free(k);
}

static void fail(struct ikev2_kernel_child *k, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* The first failure goes to the owner; k leaves the installed list. */
static void
fail(struct ikev2_kernel_child *k, const char *fmt, ...)
{
	char reason[IPC_XFRM_REASON_MAX + 192]; /* an object's description and tnc-xfrm's reason */
	va_list ap;
	ikev2_kernel_failed failed = k->failed;

	unlink_child(k);
	if (!failed)
		return;
	k->failed = NULL;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	failed(k->arg, reason);
}

static void
on_answer(void *ctx, int status, const char *reason)
{
	struct kernel_req *r = ctx;
	struct ikev2_kernel_child *k = r->k;

	k->pending--;
	k->in_answer = true;
	if (!r->add) {
		/* ENOTFOUND: its add was refused, or tnc-xfrm lost it with our channel */
		if (status)
			LOG(IKE, 2, "IKE_SA %u: %s not deleted by tnc-xfrm: %s", k->session,
			    k->desc[r->obj], reason);
	} else if (status) {
		fail(k, "%s refused by tnc-xfrm: %s", k->desc[r->obj], reason);
	} else {
		LOG(IKE, 2, "IKE_SA %u: %s installed", k->session, k->desc[r->obj]);
		if (++k->added == OBJ_COUNT && !k->removed)
			LOG(IKE, 1, "IKE_SA %u: kernel SAs %08x_i %08x_o and their policies installed",
			    k->session, k->sa[0].spi, k->sa[1].spi);
	}
	k->in_answer = false;
	release_if_done(k);
}

/* Sends request obj of k (add or delete); 0 or xfrm_link_request()'s error. */
static int
ask(struct ikev2_kernel_child *k, const struct ipc_msg *m, unsigned obj, bool add)
{
	struct kernel_req *r = &k->req[(add ? 0 : OBJ_COUNT) + obj];

	*r = (struct kernel_req){k, obj, add};
	int err = xfrm_link_request(&to_xfrm, m, k->session, on_answer, r);
	if (!err)
		k->pending++;
	return err;
}

void
ikev2_kernel_remove(struct ikev2_kernel_child *k)
{
	if (!k)
		return;
	unlink_child(k);
	k->failed = NULL;
	k->removed = true;
	for (unsigned obj = 0; obj < OBJ_COUNT; obj++) {
		struct ipc_msg m = {.type = obj < SA_IN ? IPC_XFRM_POLICY_DELETE : IPC_XFRM_SA_DELETE};
		if (obj < SA_IN)
			m.u.xfrm_policy_id = k->policy[obj];
		else
			m.u.xfrm_sa_id = k->sa[obj - SA_IN];
		int err = ask(k, &m, obj, false);
		/* without a channel tnc-xfrm removed everything of ours already */
		if (err)
			LOG(IKE, 2, "IKE_SA %u: %s not deleted: %s", k->session, k->desc[obj],
			    tnc_strerror(err));
	}
	release_if_done(k);
}

static void
put_ipv4(uint8_t out[IPC_XFRM_ADDR], uint32_t host_order)
{
	memset(out, 0, IPC_XFRM_ADDR);
	out[0] = (uint8_t)(host_order >> 24);
	out[1] = (uint8_t)(host_order >> 16);
	out[2] = (uint8_t)(host_order >> 8);
	out[3] = (uint8_t)host_order;
}

/* The prefix length of ts's address range, or -1 when it is none or ts
 * narrows protocol or ports. */
static int
ts_prefix(const struct ike_ts4 *ts)
{
	const uint32_t span = ts->end - ts->start;
	if (ts->ip_proto || ts->start_port != 0 || ts->end_port != PORT_MAX || ts->end < ts->start ||
	    (span & (span + 1)) != 0 || (ts->start & span) != 0)
		return -1;
	return 32 - __builtin_popcount(span);
}

/* tnc-xfrm's name of the CHILD_SA's ESP transform, or 0. */
static uint8_t
xfrm_alg(const struct ikev2_suite *esp)
{
	if (esp->encr == IKEV2_ENCR_AES_GCM_16)
		return IPC_XFRM_AES_GCM_16;
	if (esp->encr != IKEV2_ENCR_AES_CBC)
		return 0;
	switch (esp->integ) {
	case IKEV2_INTEG_HMAC_SHA2_256_128: return IPC_XFRM_AES_CBC_SHA256;
	case IKEV2_INTEG_HMAC_SHA2_384_192: return IPC_XFRM_AES_CBC_SHA384;
	case IKEV2_INTEG_HMAC_SHA2_512_256: return IPC_XFRM_AES_CBC_SHA512;
	default: return 0;
	}
}

static const char *
xfrm_alg_text(uint8_t alg)
{
	switch (alg) {
	case IPC_XFRM_AES_GCM_16: return "aes-gcm-16";
	case IPC_XFRM_AES_CBC_SHA256: return "aes-cbc/hmac-sha256";
	case IPC_XFRM_AES_CBC_SHA384: return "aes-cbc/hmac-sha384";
	default: return "aes-cbc/hmac-sha512";
	}
}

static void
fill_policy(struct ipc_msg *m, struct ipc_xfrm_policy_id *id, uint8_t dir,
    const struct ike_ts4 *src, int src_prefix, const struct ike_ts4 *dst, int dst_prefix,
    const struct ike_endpoint *tun_src, const struct ike_endpoint *tun_dst, uint32_t reqid)
{
	struct ipc_xfrm_policy *p = &m->u.xfrm_policy;

	*m = (struct ipc_msg){.type = IPC_XFRM_POLICY_ADD};
	p->id.family = AF_INET;
	p->id.dir = dir;
	put_ipv4(p->id.src, src->start);
	put_ipv4(p->id.dst, dst->start);
	p->id.src_prefix = (uint8_t)src_prefix;
	p->id.dst_prefix = (uint8_t)dst_prefix;
	memcpy(p->tun_src, tun_src->addr, 4);
	memcpy(p->tun_dst, tun_dst->addr, 4);
	p->reqid = reqid;
	p->priority = POLICY_PRIORITY;
	*id = p->id;
}

/* An SA from src to dst with enc/integ keys; UDP encapsulation between
 * the endpoints' ports when encap. */
static void
fill_sa(struct ipc_msg *m, struct ipc_xfrm_sa_id *id, const struct ike_child_sa *c, bool in,
    bool encap, uint32_t reqid)
{
	const struct ike_endpoint *src = in ? &c->peer : &c->local;
	const struct ike_endpoint *dst = in ? &c->local : &c->peer;
	struct ipc_xfrm_sa *sa = &m->u.xfrm_sa;

	*m = (struct ipc_msg){.type = IPC_XFRM_SA_ADD};
	sa->id.family = AF_INET;
	memcpy(sa->id.src, src->addr, 4);
	memcpy(sa->id.dst, dst->addr, 4);
	sa->id.spi = in ? c->spi_in : c->spi_out;
	sa->reqid = reqid;
	sa->alg = xfrm_alg(&c->esp);
	/* ei/ai protect what the peer (the initiator) sends: our inbound SA */
	sa->enc_key = (struct bytes){in ? c->keys.ei : c->keys.er, c->esp.encr_key_len};
	sa->integ_key = (struct bytes){in ? c->keys.ai : c->keys.ar, c->esp.integ_key_len};
	if (encap) {
		sa->encap_sport = src->port;
		sa->encap_dport = dst->port;
	}
	sa->hard_seconds = c->lifetime_s;
	*id = sa->id;
}

static const char *
addr_text(const uint8_t a[IPC_XFRM_ADDR], char out[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, a, out, INET_ADDRSTRLEN) ? out : "?";
}

/* "policy out 10.1.0.0/28 === 192.168.0.254/32 via 192.168.0.1 -> 192.168.0.254
 * (reqid 1)", "SA in c3c268a8 192.168.0.254 -> 192.168.0.1 (reqid 1, aes-gcm-16)" */
static void
describe(struct ikev2_kernel_child *k, const struct ipc_msg m[OBJ_COUNT])
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	for (unsigned obj = 0; obj < OBJ_COUNT; obj++) {
		if (obj < SA_IN) {
			const struct ipc_xfrm_policy *p = &m[obj].u.xfrm_policy;
			snprintf(k->desc[obj], sizeof(k->desc[obj]),
			    "%s %s/%u === %s/%u via %s -> %s (reqid %u)", obj_name[obj],
			    addr_text(p->id.src, a), p->id.src_prefix, addr_text(p->id.dst, b),
			    p->id.dst_prefix, addr_text(p->tun_src, c), addr_text(p->tun_dst, d),
			    p->reqid);
			continue;
		}
		const struct ipc_xfrm_sa *sa = &m[obj].u.xfrm_sa;
		snprintf(k->desc[obj], sizeof(k->desc[obj]), "%s %08x %s -> %s (reqid %u, %s%s)",
		    obj_name[obj], sa->id.spi, addr_text(sa->id.src, a), addr_text(sa->id.dst, b),
		    sa->reqid, xfrm_alg_text(sa->alg), sa->encap_sport ? ", in UDP" : "");
	}
}

int
ikev2_kernel_install(const struct ike_child_sa *c, bool encap, uint32_t session,
    ikev2_kernel_failed failed, void *arg, struct ikev2_kernel_child **ret, char *reason,
    size_t size)
{
	const int local_prefix = ts_prefix(&c->ts_local), remote_prefix = ts_prefix(&c->ts_remote);
	struct ipc_msg m[OBJ_COUNT];
	struct ikev2_kernel_child *k;

	if (local_prefix < 0 || remote_prefix < 0) {
		snprintf(reason, size, "a traffic selector is no address prefix, or names a protocol "
		    "or ports: tnc-xfrm's policies select address prefixes only");
		return TNC_EINVALID;
	}
	if (c->local.addr_len != 4 || c->peer.addr_len != 4) {
		snprintf(reason, size, "IPv6 tunnel endpoints are not built");
		return TNC_EINVALID;
	}
	if (!xfrm_alg(&c->esp)) {
		snprintf(reason, size, "ESP transform %u/%u has no kernel form in tnc-xfrm",
		    c->esp.encr, c->esp.integ);
		return TNC_EINVALID;
	}
	if (!to_xfrm.ch || to_xfrm.npending + OBJ_COUNT > XFRM_LINK_PENDING_MAX) {
		snprintf(reason, size, "%s", to_xfrm.ch ? "too many requests wait for tnc-xfrm" :
		    "no channel to tnc-xfrm");
		return to_xfrm.ch ? TNC_EAGAIN : TNC_ECLOSED;
	}
	if (!(k = calloc(1, sizeof(*k))))
		abort();
	k->failed = failed;
	k->arg = arg;
	k->session = session;
	if (++last_reqid == 0) /* 0 ties an SA to no policy */
		last_reqid = 1;
	fill_policy(&m[POL_OUT], &k->policy[POL_OUT], IPC_XFRM_OUT, &c->ts_local, local_prefix,
	    &c->ts_remote, remote_prefix, &c->local, &c->peer, last_reqid);
	fill_policy(&m[POL_IN], &k->policy[POL_IN], IPC_XFRM_IN, &c->ts_remote, remote_prefix,
	    &c->ts_local, local_prefix, &c->peer, &c->local, last_reqid);
	fill_policy(&m[POL_FWD], &k->policy[POL_FWD], IPC_XFRM_FWD, &c->ts_remote, remote_prefix,
	    &c->ts_local, local_prefix, &c->peer, &c->local, last_reqid);
	fill_sa(&m[SA_IN], &k->sa[0], c, true, encap, last_reqid);
	fill_sa(&m[SA_OUT], &k->sa[1], c, false, encap, last_reqid);
	describe(k, m);
	for (unsigned obj = 0; obj < OBJ_COUNT; obj++) {
		int err = ask(k, &m[obj], obj, true);
		if (err) {
			snprintf(reason, size, "%s not sent to tnc-xfrm: %s", obj_name[obj],
			    tnc_strerror(err));
			ikev2_kernel_remove(k); /* what went out is deleted again */
			return err;
		}
	}
	k->next = installed;
	if (installed)
		installed->prev = k;
	installed = k;
	k->linked = true;
	*ret = k;
	return 0;
}

void
ikev2_kernel_attached(struct ipc_channel *ch)
{
	xfrm_link_attached(&to_xfrm, ch);
}

void
ikev2_kernel_closed(void)
{
	xfrm_link_closed(&to_xfrm); /* waiting requests fail their CHILD_SAs */
	/* tnc-xfrm removes all it installed for us when our channel closes */
	while (installed)
		fail(installed, "the channel to tnc-xfrm closed, and with it the kernel SAs");
}

void
ikev2_kernel_answer(const struct ipc_received *rx)
{
	xfrm_link_answer(&to_xfrm, rx);
}
