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
#define KERNEL_LIFETIME_SLACK_S 60

/* The policies of one CHILD_SA (kept across its rekeys, RFC 7296 2.8: the
 * same selectors and reqid) and the SA pairs under them: the CHILD_SA's,
 * and while a rekey's old CHILD_SA is still up, the new one's. */
enum { POL_OUT, POL_IN, POL_FWD, POL_COUNT };
enum { SA_IN, SA_OUT, SA_DIRS };
#define PAIRS 2
#define OBJ_COUNT (POL_COUNT + SA_DIRS) /* what an install asks for */
static const char *const pol_name[POL_COUNT] = {"policy out", "policy in", "policy fwd"};
static const char *const sa_name[SA_DIRS] = {"SA in", "SA out"};

/* One request's context: pair -1 for a policy. */
struct kernel_req {
	struct ikev2_kernel_child *k;
	int pair;
	unsigned obj;
	bool add;
};

struct sa_pair {
	bool used;                         /* asked for and not removed */
	bool first;                        /* the install's: logged with the policies */
	struct ipc_xfrm_sa_id id[SA_DIRS];
	char desc[SA_DIRS][128];
	struct kernel_req req[2 * SA_DIRS]; /* adds, then deletes */
	unsigned pending, added;
	bool logged;                       /* "kernel SAs ... installed" */
};

struct ikev2_kernel_child {
	struct ikev2_kernel_child *prev, *next; /* the list of installed ones */
	bool linked;
	ikev2_kernel_failed failed; /* NULL once removed or reported */
	void *arg;
	uint32_t session, reqid;
	bool encap;
	struct ipc_xfrm_policy_id policy[POL_COUNT];
	char pol_desc[POL_COUNT][128];
	struct kernel_req pol_req[2 * POL_COUNT]; /* adds, then deletes */
	unsigned pol_added;
	struct sa_pair pair[PAIRS];
	unsigned pending;
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

static const char *
req_desc(const struct kernel_req *r)
{
	return r->pair < 0 ? r->k->pol_desc[r->obj] : r->k->pair[r->pair].desc[r->obj];
}

/* An SA pair's adds all answered: one line (the first pair's waits for
 * the policies). */
static void
log_if_installed(struct ikev2_kernel_child *k)
{
	for (int i = 0; i < PAIRS; i++) {
		struct sa_pair *s = &k->pair[i];
		if (!s->used || s->logged || s->added != SA_DIRS ||
		    (s->first && k->pol_added != POL_COUNT))
			continue;
		s->logged = true;
		if (s->first)
			LOG(IKE, 1, "IKE_SA %u: kernel SAs %08x_i %08x_o and their policies installed",
			    k->session, s->id[SA_IN].spi, s->id[SA_OUT].spi);
		else
			LOG(IKE, 1, "IKE_SA %u: kernel SAs %08x_i %08x_o installed under the policies "
			    "of reqid %u", k->session, s->id[SA_IN].spi, s->id[SA_OUT].spi, k->reqid);
	}
}

static void
on_answer(void *ctx, int status, const char *reason)
{
	struct kernel_req *r = ctx;
	struct ikev2_kernel_child *k = r->k;

	k->pending--;
	if (r->pair >= 0)
		k->pair[r->pair].pending--;
	k->in_answer = true;
	if (!r->add) {
		/* ENOTFOUND: its add was refused, or tnc-xfrm lost it with our channel */
		if (status)
			LOG(IKE, 2, "IKE_SA %u: %s not deleted by tnc-xfrm: %s", k->session,
			    req_desc(r), reason);
	} else if (status) {
		fail(k, "%s refused by tnc-xfrm: %s", req_desc(r), reason);
	} else if (!k->removed) {
		LOG(IKE, 2, "IKE_SA %u: %s installed", k->session, req_desc(r));
		if (r->pair < 0)
			k->pol_added++;
		else if (k->pair[r->pair].used)
			k->pair[r->pair].added++;
		log_if_installed(k);
	}
	k->in_answer = false;
	release_if_done(k);
}

/* Sends m for k (pair -1: a policy) with the context r; 0 or
 * xfrm_link_request()'s error. */
static int
ask(struct ikev2_kernel_child *k, const struct ipc_msg *m, struct kernel_req *r, int pair,
    unsigned obj, bool add)
{
	*r = (struct kernel_req){k, pair, obj, add};
	int err = xfrm_link_request(&to_xfrm, m, k->session, on_answer, r);
	if (!err) {
		k->pending++;
		if (pair >= 0)
			k->pair[pair].pending++;
	}
	return err;
}

/* Deletes the SAs of pair i. */
static void
remove_pair(struct ikev2_kernel_child *k, int i)
{
	struct sa_pair *s = &k->pair[i];

	if (!s->used)
		return;
	s->used = false;
	for (unsigned d = 0; d < SA_DIRS; d++) {
		const struct ipc_msg m = {.type = IPC_XFRM_SA_DELETE, .u.xfrm_sa_id = s->id[d]};
		int err = ask(k, &m, &s->req[SA_DIRS + d], i, d, false);
		/* without a channel tnc-xfrm removed everything of ours already */
		if (err)
			LOG(IKE, 2, "IKE_SA %u: %s not deleted: %s", k->session, s->desc[d],
			    tnc_strerror(err));
	}
}

void
ikev2_kernel_remove(struct ikev2_kernel_child *k)
{
	if (!k)
		return;
	unlink_child(k);
	k->failed = NULL;
	k->removed = true;
	for (int i = 0; i < PAIRS; i++)
		remove_pair(k, i);
	for (unsigned obj = 0; obj < POL_COUNT; obj++) {
		const struct ipc_msg m = {.type = IPC_XFRM_POLICY_DELETE,
		    .u.xfrm_policy_id = k->policy[obj]};
		int err = ask(k, &m, &k->pol_req[POL_COUNT + obj], -1, obj, false);
		if (err)
			LOG(IKE, 2, "IKE_SA %u: %s not deleted: %s", k->session, k->pol_desc[obj],
			    tnc_strerror(err));
	}
	release_if_done(k);
}

bool
ikev2_kernel_child_down(struct ikev2_kernel_child *k, uint32_t spi_in)
{
	unsigned left = 0;

	for (int i = 0; i < PAIRS; i++) {
		if (k->pair[i].used && k->pair[i].id[SA_IN].spi == spi_in)
			remove_pair(k, i);
		left += k->pair[i].used;
	}
	if (left)
		return false;
	ikev2_kernel_remove(k);
	return true;
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
	/* tnc-ike ends the IKE SA at the CHILD_SA's lifetime (ike_sa_timeout);
	 * the kernel's own limit, a little later, holds if it cannot */
	sa->hard_seconds = c->lifetime_s + KERNEL_LIFETIME_SLACK_S;
	*id = sa->id;
}

static const char *
addr_text(const uint8_t a[IPC_XFRM_ADDR], char out[INET_ADDRSTRLEN])
{
	return inet_ntop(AF_INET, a, out, INET_ADDRSTRLEN) ? out : "?";
}

/* "policy out 10.1.0.0/28 === 192.168.0.254/32 via 192.168.0.1 -> 192.168.0.254
 * (reqid 1)" */
static void
describe_policy(char *out, size_t size, unsigned obj, const struct ipc_xfrm_policy *p)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], c[INET_ADDRSTRLEN], d[INET_ADDRSTRLEN];

	snprintf(out, size, "%s %s/%u === %s/%u via %s -> %s (reqid %u)", pol_name[obj],
	    addr_text(p->id.src, a), p->id.src_prefix, addr_text(p->id.dst, b), p->id.dst_prefix,
	    addr_text(p->tun_src, c), addr_text(p->tun_dst, d), p->reqid);
}

/* "SA in c3c268a8 192.168.0.254 -> 192.168.0.1 (reqid 1, aes-gcm-16)", with
 * ", in UDP 4500 -> 4500" when encapsulated */
static void
describe_sa(char *out, size_t size, unsigned dir, const struct ipc_xfrm_sa *sa)
{
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN], udp[32] = "";

	if (sa->encap_sport)
		snprintf(udp, sizeof(udp), ", in UDP %u -> %u", sa->encap_sport, sa->encap_dport);
	snprintf(out, size, "%s %08x %s -> %s (reqid %u, %s%s)", sa_name[dir], sa->id.spi,
	    addr_text(sa->id.src, a), addr_text(sa->id.dst, b), sa->reqid, xfrm_alg_text(sa->alg),
	    udp);
}

/* What tnc-xfrm needs of c beyond its selectors; 0 or TNC_EINVALID and
 * reason. */
static int
check_sas(const struct ike_child_sa *c, char *reason, size_t size)
{
	if (c->local.addr_len != 4 || c->peer.addr_len != 4) {
		snprintf(reason, size, "IPv6 tunnel endpoints are not built");
		return TNC_EINVALID;
	}
	if (!xfrm_alg(&c->esp)) {
		snprintf(reason, size, "ESP transform %u/%u has no kernel form in tnc-xfrm",
		    c->esp.encr, c->esp.integ);
		return TNC_EINVALID;
	}
	return 0;
}

/* Room for n more requests on the channel; 0 or an error and reason. */
static int
check_room(unsigned n, char *reason, size_t size)
{
	if (to_xfrm.ch && to_xfrm.npending + n <= XFRM_LINK_PENDING_MAX)
		return 0;
	snprintf(reason, size, "%s", to_xfrm.ch ? "too many requests wait for tnc-xfrm" :
	    "no channel to tnc-xfrm");
	return to_xfrm.ch ? TNC_EAGAIN : TNC_ECLOSED;
}

/* Asks for c's SAs as pair i of k, under k's reqid; 0 or the error and
 * reason (what went out stays recorded for ikev2_kernel_remove()). */
static int
add_pair(struct ikev2_kernel_child *k, int i, const struct ike_child_sa *c, bool first,
    char *reason, size_t size)
{
	struct sa_pair *s = &k->pair[i];
	struct ipc_msg m[SA_DIRS];

	memset(s, 0, sizeof(*s));
	s->used = true;
	s->first = first;
	for (unsigned d = 0; d < SA_DIRS; d++) {
		fill_sa(&m[d], &s->id[d], c, d == SA_IN, k->encap, k->reqid);
		describe_sa(s->desc[d], sizeof(s->desc[d]), d, &m[d].u.xfrm_sa);
	}
	for (unsigned d = 0; d < SA_DIRS; d++) {
		int err = ask(k, &m[d], &s->req[d], i, d, true);
		if (err) {
			snprintf(reason, size, "%s not sent to tnc-xfrm: %s", sa_name[d],
			    tnc_strerror(err));
			return err;
		}
	}
	return 0;
}

int
ikev2_kernel_install(const struct ike_child_sa *c, bool encap, uint32_t session,
    ikev2_kernel_failed failed, void *arg, struct ikev2_kernel_child **ret, char *reason,
    size_t size)
{
	const int local_prefix = ts_prefix(&c->ts_local), remote_prefix = ts_prefix(&c->ts_remote);
	struct ipc_msg m[POL_COUNT];
	struct ikev2_kernel_child *k;
	int err;

	if (local_prefix < 0 || remote_prefix < 0) {
		snprintf(reason, size, "a traffic selector is no address prefix, or names a protocol "
		    "or ports: tnc-xfrm's policies select address prefixes only");
		return TNC_EINVALID;
	}
	if ((err = check_sas(c, reason, size)) || (err = check_room(OBJ_COUNT, reason, size)))
		return err;
	if (!(k = calloc(1, sizeof(*k))))
		abort();
	k->failed = failed;
	k->arg = arg;
	k->session = session;
	k->encap = encap;
	if (++last_reqid == 0) /* 0 ties an SA to no policy */
		last_reqid = 1;
	k->reqid = last_reqid;
	fill_policy(&m[POL_OUT], &k->policy[POL_OUT], IPC_XFRM_OUT, &c->ts_local, local_prefix,
	    &c->ts_remote, remote_prefix, &c->local, &c->peer, k->reqid);
	fill_policy(&m[POL_IN], &k->policy[POL_IN], IPC_XFRM_IN, &c->ts_remote, remote_prefix,
	    &c->ts_local, local_prefix, &c->peer, &c->local, k->reqid);
	fill_policy(&m[POL_FWD], &k->policy[POL_FWD], IPC_XFRM_FWD, &c->ts_remote, remote_prefix,
	    &c->ts_local, local_prefix, &c->peer, &c->local, k->reqid);
	for (unsigned obj = 0; obj < POL_COUNT; obj++) {
		describe_policy(k->pol_desc[obj], sizeof(k->pol_desc[obj]), obj, &m[obj].u.xfrm_policy);
		if ((err = ask(k, &m[obj], &k->pol_req[obj], -1, obj, true))) {
			snprintf(reason, size, "%s not sent to tnc-xfrm: %s", pol_name[obj],
			    tnc_strerror(err));
			break;
		}
	}
	if (err || (err = add_pair(k, 0, c, true, reason, size))) {
		ikev2_kernel_remove(k); /* what went out is deleted again */
		return err;
	}
	k->next = installed;
	if (installed)
		installed->prev = k;
	installed = k;
	k->linked = true;
	*ret = k;
	return 0;
}

int
ikev2_kernel_rekey(struct ikev2_kernel_child *k, const struct ike_child_sa *c, char *reason,
    size_t size)
{
	int free_pair = -1, err;

	if (!k->linked) {
		snprintf(reason, size, "the CHILD_SA's kernel state is lost already");
		return TNC_ESTATE;
	}
	for (int i = PAIRS - 1; i >= 0; i--)
		if (!k->pair[i].used && !k->pair[i].pending)
			free_pair = i;
	if (free_pair < 0) {
		snprintf(reason, size, "the SAs of %d CHILD_SAs are installed or being removed "
		    "under these policies already", PAIRS);
		return TNC_EAGAIN;
	}
	if ((err = check_sas(c, reason, size)) || (err = check_room(SA_DIRS, reason, size)))
		return err;
	return add_pair(k, free_pair, c, false, reason, size);
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
