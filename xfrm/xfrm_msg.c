/* xfrm_msg.c - XFRM netlink requests and the kernel's acks (see xfrm_msg.h).
 *
 * Each message is a struct nlmsghdr, the request's fixed struct and its
 * attributes, each padded to 4 bytes.  The structs are the kernel's ABI
 * (<linux/xfrm.h>), filled field by field and copied into the buffer.
 */
#include "xfrm_msg.h"

#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/udp.h>
#include <linux/xfrm.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

/* The ESP transforms: the kernel's algorithm names, key lengths in bytes
 * and, for the HMACs, the truncation of RFC 4868 in bits. */
struct alg_row {
	unsigned alg;
	const char *name;     /* ours, for logs */
	const char *aead;     /* kernel AEAD name, or NULL */
	const char *enc;      /* kernel cipher name (with an HMAC) */
	const char *integ;    /* kernel HMAC name */
	unsigned integ_bytes; /* its key */
	unsigned trunc_bits;  /* its ICV */
};

static const struct alg_row algs[] = {
	{IPC_XFRM_AES_GCM_16, "aes-gcm-16", "rfc4106(gcm(aes))", NULL, NULL, 0, 0},
	{IPC_XFRM_AES_CBC_SHA256, "aes-cbc/hmac-sha256-128", NULL, "cbc(aes)", "hmac(sha256)", 32, 128},
	{IPC_XFRM_AES_CBC_SHA384, "aes-cbc/hmac-sha384-192", NULL, "cbc(aes)", "hmac(sha384)", 48, 192},
	{IPC_XFRM_AES_CBC_SHA512, "aes-cbc/hmac-sha512-256", NULL, "cbc(aes)", "hmac(sha512)", 64, 256},
};

#define GCM_SALT 4 /* RFC 4106 8.1: the key is followed by a 4-byte salt */
#define ICV_GCM_BITS 128

static const struct alg_row *
find_alg(unsigned alg)
{
	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++)
		if (algs[i].alg == alg)
			return &algs[i];
	return NULL;
}

const char *
xfrm_alg_name(unsigned alg)
{
	const struct alg_row *a = find_alg(alg);
	return a ? a->name : "?";
}

static int
refuse(const char **why, const char *reason)
{
	*why = reason;
	return TNC_EINVALID;
}

static size_t
addr_len(uint8_t family)
{
	return family == AF_INET ? 4 : 16;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

/* A host address of family: IPv4 in the first 4 bytes and nothing after
 * them, never the unspecified address. */
static bool
host_addr_ok(uint8_t family, const uint8_t a[IPC_XFRM_ADDR])
{
	size_t n = addr_len(family);
	return !all_zero(a, n) && all_zero(a + n, IPC_XFRM_ADDR - n);
}

/* A network of family: prefix in range and no bit set past it. */
static bool
net_ok(uint8_t family, const uint8_t a[IPC_XFRM_ADDR], unsigned prefix)
{
	size_t n = addr_len(family);
	if (prefix > n * 8)
		return false;
	for (unsigned bit = prefix; bit < IPC_XFRM_ADDR * 8; bit++)
		if (a[bit / 8] & (0x80u >> (bit % 8)))
			return false;
	return true;
}

static bool
family_ok(uint8_t family)
{
	return family == AF_INET || family == AF_INET6;
}

int
xfrm_check_sa_id(const struct ipc_xfrm_sa_id *id, const char **why)
{
	if (!family_ok(id->family))
		return refuse(why, "family: neither IPv4 nor IPv6");
	if (id->spi < XFRM_SPI_MIN)
		return refuse(why, "spi: 0 or reserved (below 256)");
	if (!host_addr_ok(id->family, id->src))
		return refuse(why, "src: not a host address of the family");
	if (!host_addr_ok(id->family, id->dst))
		return refuse(why, "dst: not a host address of the family");
	return 0;
}

int
xfrm_check_sa(const struct ipc_xfrm_sa *sa, const char **why)
{
	int err = xfrm_check_sa_id(&sa->id, why);
	if (err)
		return err;
	if (sa->reqid == 0)
		return refuse(why, "reqid: 0 ties the SA to no policy");
	const struct alg_row *a = find_alg(sa->alg);
	if (!a)
		return refuse(why, "alg: unknown transform");
	size_t aes = a->aead ? sa->enc_key.len - GCM_SALT : sa->enc_key.len;
	if ((a->aead && sa->enc_key.len < GCM_SALT) || (aes != 16 && aes != 24 && aes != 32))
		return refuse(why, a->aead ? "enc_key: not an AES-128/192/256 key and a 4-byte salt" :
		    "enc_key: not an AES-128/192/256 key");
	if (sa->integ_key.len != a->integ_bytes)
		return refuse(why, a->aead ? "integ_key: AES-GCM takes none" :
		    "integ_key: not the HMAC's key length");
	if ((sa->encap_sport == 0) != (sa->encap_dport == 0))
		return refuse(why, "encap: one UDP port of two");
	if (sa->hard_seconds && sa->soft_seconds > sa->hard_seconds)
		return refuse(why, "soft_seconds: after hard_seconds");
	return 0;
}

int
xfrm_check_policy_id(const struct ipc_xfrm_policy_id *id, const char **why)
{
	if (!family_ok(id->family))
		return refuse(why, "family: neither IPv4 nor IPv6");
	if (id->dir > IPC_XFRM_FWD)
		return refuse(why, "dir: not in, out or fwd");
	if (!net_ok(id->family, id->src, id->src_prefix))
		return refuse(why, "src: prefix out of range or host bits set");
	if (!net_ok(id->family, id->dst, id->dst_prefix))
		return refuse(why, "dst: prefix out of range or host bits set");
	return 0;
}

int
xfrm_check_policy(const struct ipc_xfrm_policy *p, const char **why)
{
	int err = xfrm_check_policy_id(&p->id, why);
	if (err)
		return err;
	if (!host_addr_ok(p->id.family, p->tun_src))
		return refuse(why, "tun_src: not a host address of the family");
	if (!host_addr_ok(p->id.family, p->tun_dst))
		return refuse(why, "tun_dst: not a host address of the family");
	if (p->reqid == 0)
		return refuse(why, "reqid: 0 ties the policy to no SA");
	return 0;
}

/* --- building --- */

struct nl_out {
	uint8_t *buf;
	size_t size, len;
	int err;
};

/* Appends n bytes of p (NULL: zeros) and pads to 4 bytes. */
static void
put(struct nl_out *o, const void *p, size_t n)
{
	size_t padded = NLMSG_ALIGN(n);
	if (o->err || padded > o->size - o->len) {
		o->err = TNC_ETOOLONG;
		return;
	}
	memset(o->buf + o->len, 0, padded);
	if (p)
		memcpy(o->buf + o->len, p, n);
	o->len += padded;
}

static void
begin(struct nl_out *o, uint8_t *buf, size_t size, uint16_t type, uint32_t seq)
{
	struct nlmsghdr h = {.nlmsg_type = type, .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
	    .nlmsg_seq = seq};
	*o = (struct nl_out){buf, size, 0, 0};
	put(o, &h, sizeof(h));
}

/* An attribute: its header, then the head struct (head_len bytes) and
 * tail bytes right after it (a key after its algorithm struct). */
static void
put_attr(struct nl_out *o, uint16_t type, const void *head, size_t head_len,
    const void *tail, size_t tail_len)
{
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + head_len + tail_len),
	    .nla_type = type};
	uint8_t body[sizeof(struct xfrm_algo_auth) + IPC_XFRM_KEY_MAX];

	if (head_len + tail_len > sizeof(body)) {
		o->err = TNC_ETOOLONG;
		return;
	}
	memcpy(body, head, head_len);
	if (tail_len)
		memcpy(body + head_len, tail, tail_len);
	put(o, &a, sizeof(a));
	put(o, body, head_len + tail_len);
}

static int
finish(struct nl_out *o, size_t *len)
{
	if (o->err)
		return o->err;
	uint32_t total = (uint32_t)o->len;
	memcpy(o->buf + offsetof(struct nlmsghdr, nlmsg_len), &total, sizeof(total));
	*len = o->len;
	return 0;
}

static void
set_name(char *dst, const char *name)
{
	/* names from the table above, all far shorter than the 64-byte field */
	strncpy(dst, name, 63);
}

static void
put_sa_algs(struct nl_out *o, const struct ipc_xfrm_sa *sa, const struct alg_row *a)
{
	if (a->aead) {
		struct xfrm_algo_aead aead;
		memset(&aead, 0, sizeof(aead));
		set_name(aead.alg_name, a->aead);
		aead.alg_key_len = (unsigned)sa->enc_key.len * 8;
		aead.alg_icv_len = ICV_GCM_BITS;
		put_attr(o, XFRMA_ALG_AEAD, &aead, sizeof(aead), sa->enc_key.ptr, sa->enc_key.len);
		return;
	}
	struct xfrm_algo enc;
	memset(&enc, 0, sizeof(enc));
	set_name(enc.alg_name, a->enc);
	enc.alg_key_len = (unsigned)sa->enc_key.len * 8;
	put_attr(o, XFRMA_ALG_CRYPT, &enc, sizeof(enc), sa->enc_key.ptr, sa->enc_key.len);
	struct xfrm_algo_auth auth;
	memset(&auth, 0, sizeof(auth));
	set_name(auth.alg_name, a->integ);
	auth.alg_key_len = (unsigned)sa->integ_key.len * 8;
	auth.alg_trunc_len = a->trunc_bits;
	put_attr(o, XFRMA_ALG_AUTH_TRUNC, &auth, sizeof(auth), sa->integ_key.ptr,
	    sa->integ_key.len);
}

int
xfrm_build_newsa(const struct ipc_xfrm_sa *sa, uint32_t seq, uint8_t *buf, size_t size,
    size_t *len, const char **why)
{
	struct xfrm_usersa_info info;
	struct nl_out o;
	int err = xfrm_check_sa(sa, why);
	if (err)
		return err;

	memset(&info, 0, sizeof(info));
	memcpy(&info.id.daddr, sa->id.dst, IPC_XFRM_ADDR);
	info.id.spi = htonl(sa->id.spi);
	info.id.proto = IPPROTO_ESP;
	memcpy(&info.saddr, sa->id.src, IPC_XFRM_ADDR);
	info.lft.soft_byte_limit = info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
	info.lft.soft_add_expires_seconds = sa->soft_seconds;
	info.lft.hard_add_expires_seconds = sa->hard_seconds;
	info.reqid = sa->reqid;
	info.family = sa->id.family;
	info.mode = XFRM_MODE_TUNNEL;
	info.replay_window = XFRM_REPLAY_WINDOW;

	begin(&o, buf, size, XFRM_MSG_NEWSA, seq);
	put(&o, &info, sizeof(info));
	put_sa_algs(&o, sa, find_alg(sa->alg));
	if (sa->encap_sport) {
		struct xfrm_encap_tmpl encap;
		memset(&encap, 0, sizeof(encap));
		encap.encap_type = UDP_ENCAP_ESPINUDP;
		encap.encap_sport = htons(sa->encap_sport);
		encap.encap_dport = htons(sa->encap_dport);
		put_attr(&o, XFRMA_ENCAP, &encap, sizeof(encap), NULL, 0);
	}
	return finish(&o, len);
}

int
xfrm_build_delsa(const struct ipc_xfrm_sa_id *id, uint32_t seq, uint8_t *buf, size_t size,
    size_t *len, const char **why)
{
	struct xfrm_usersa_id sid;
	struct nl_out o;
	int err = xfrm_check_sa_id(id, why);
	if (err)
		return err;

	memset(&sid, 0, sizeof(sid));
	memcpy(&sid.daddr, id->dst, IPC_XFRM_ADDR);
	sid.spi = htonl(id->spi);
	sid.family = id->family;
	sid.proto = IPPROTO_ESP;
	begin(&o, buf, size, XFRM_MSG_DELSA, seq);
	put(&o, &sid, sizeof(sid));
	put_attr(&o, XFRMA_SRCADDR, id->src, IPC_XFRM_ADDR, NULL, 0);
	return finish(&o, len);
}

static void
fill_selector(struct xfrm_selector *sel, const struct ipc_xfrm_policy_id *id)
{
	memset(sel, 0, sizeof(*sel));
	memcpy(&sel->daddr, id->dst, IPC_XFRM_ADDR);
	memcpy(&sel->saddr, id->src, IPC_XFRM_ADDR);
	sel->family = id->family;
	sel->prefixlen_d = id->dst_prefix;
	sel->prefixlen_s = id->src_prefix;
}

int
xfrm_build_newpolicy(const struct ipc_xfrm_policy *p, uint32_t seq, uint8_t *buf,
    size_t size, size_t *len, const char **why)
{
	struct xfrm_userpolicy_info info;
	struct xfrm_user_tmpl tmpl;
	struct nl_out o;
	int err = xfrm_check_policy(p, why);
	if (err)
		return err;

	memset(&info, 0, sizeof(info));
	fill_selector(&info.sel, &p->id);
	info.lft.soft_byte_limit = info.lft.hard_byte_limit = XFRM_INF;
	info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
	info.priority = p->priority;
	info.dir = p->id.dir;
	info.action = XFRM_POLICY_ALLOW;

	memset(&tmpl, 0, sizeof(tmpl));
	memcpy(&tmpl.id.daddr, p->tun_dst, IPC_XFRM_ADDR);
	tmpl.id.proto = IPPROTO_ESP;
	tmpl.family = p->id.family;
	memcpy(&tmpl.saddr, p->tun_src, IPC_XFRM_ADDR);
	tmpl.reqid = p->reqid;
	tmpl.mode = XFRM_MODE_TUNNEL;
	tmpl.aalgos = tmpl.ealgos = tmpl.calgos = ~0u; /* the SA with reqid decides */

	begin(&o, buf, size, XFRM_MSG_NEWPOLICY, seq);
	put(&o, &info, sizeof(info));
	put_attr(&o, XFRMA_TMPL, &tmpl, sizeof(tmpl), NULL, 0);
	return finish(&o, len);
}

int
xfrm_build_delpolicy(const struct ipc_xfrm_policy_id *id, uint32_t seq, uint8_t *buf,
    size_t size, size_t *len, const char **why)
{
	struct xfrm_userpolicy_id pid;
	struct nl_out o;
	int err = xfrm_check_policy_id(id, why);
	if (err)
		return err;

	memset(&pid, 0, sizeof(pid));
	fill_selector(&pid.sel, id);
	pid.dir = id->dir;
	begin(&o, buf, size, XFRM_MSG_DELPOLICY, seq);
	put(&o, &pid, sizeof(pid));
	return finish(&o, len);
}

int
xfrm_build_probe(uint32_t seq, uint8_t *buf, size_t size, size_t *len)
{
	struct nl_out o;
	uint32_t flags = 0; /* the payload of a GETSPDINFO: u32 flags */
	begin(&o, buf, size, XFRM_MSG_GETSPDINFO, seq);
	put(&o, &flags, sizeof(flags));
	return finish(&o, len);
}

/* --- the kernel's answers --- */

/* The NLMSGERR_ATTR_MSG string of an acked error's TLVs (buf, len), cut to
 * fit text and stopped at its NUL. */
static void
ext_ack_text(const uint8_t *buf, size_t len, char *text, size_t text_size)
{
	size_t pos = 0;
	while (len - pos >= NLA_HDRLEN) {
		struct nlattr a;
		memcpy(&a, buf + pos, sizeof(a));
		if (a.nla_len < NLA_HDRLEN || a.nla_len > len - pos)
			return;
		if ((a.nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG) {
			size_t n = a.nla_len - NLA_HDRLEN;
			const uint8_t *p = buf + pos + NLA_HDRLEN;
			const uint8_t *nul = memchr(p, 0, n);
			n = nul ? (size_t)(nul - p) : n;
			n = n < text_size - 1 ? n : text_size - 1;
			memcpy(text, p, n);
			text[n] = 0;
			return;
		}
		pos += NLA_ALIGN(a.nla_len);
		if (pos > len)
			return;
	}
}

int
xfrm_parse_ack(const uint8_t *buf, size_t len, uint32_t seq, int *kernel_err, char *text,
    size_t text_size)
{
	size_t pos = 0;

	if (text && text_size)
		text[0] = 0;
	while (pos < len) {
		struct nlmsghdr h;
		if (len - pos < sizeof(h))
			return TNC_ETRUNCATED;
		memcpy(&h, buf + pos, sizeof(h));
		if (h.nlmsg_len < sizeof(h))
			return TNC_EINVALID;
		if (h.nlmsg_len > len - pos)
			return TNC_ETRUNCATED;
		if (h.nlmsg_type == NLMSG_ERROR && h.nlmsg_seq == seq) {
			int32_t error;
			if (h.nlmsg_len < sizeof(h) + sizeof(error))
				return TNC_ETRUNCATED;
			memcpy(&error, buf + pos + sizeof(h), sizeof(error));
			if (error > 0)
				return TNC_EINVALID; /* the kernel sends 0 or -errno */
			*kernel_err = error;
			/* capped: the request's header only, then the TLVs */
			size_t tlvs = sizeof(h) + sizeof(struct nlmsgerr);
			if (text && text_size && (h.nlmsg_flags & NLM_F_CAPPED) &&
			    (h.nlmsg_flags & NLM_F_ACK_TLVS) && h.nlmsg_len > tlvs)
				ext_ack_text(buf + pos + tlvs, h.nlmsg_len - tlvs, text, text_size);
			return 0;
		}
		size_t step = NLMSG_ALIGN(h.nlmsg_len);
		if (step > len - pos)
			break;
		pos += step;
	}
	return TNC_ENOTFOUND;
}
