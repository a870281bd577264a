/* test_xfrm_msg.c - the XFRM netlink requests of xfrm/xfrm_msg.c byte for
 * byte against what iproute2 sends for the same request
 * (tests/data/xfrm/PROVENANCE.md): an AES-GCM SA, an AES-CBC/HMAC-SHA-256
 * SA with UDP encapsulation and lifetimes, an IPv6 AES-CBC/HMAC-SHA-512 SA,
 * out and fwd policies, both deletes; the refusals of invalid requests,
 * each with its reason; the kernel's acks; the xfrm-* IPC payloads; and
 * the bound on what tnc-xfrm installs. */
#include <arpa/inet.h>
#include <linux/netlink.h>
#include <linux/xfrm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "ipc_msg.h"
#include "testlib.h"
#include "xfrm_msg.h"
#include "xfrm_service.h"

#define SEQ 0x11223344u

/* A hex file of tests/data/xfrm: '#' lines skipped, the rest hex bytes. */
static size_t
load_hex(const char *name, uint8_t *out, size_t size)
{
	char rel[64];
	size_t len, n = 0;
	snprintf(rel, sizeof(rel), "xfrm/%s", name);
	char *text = (char *)tl_read_testdata(rel, &len);
	ck_assert_ptr_nonnull(text);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		if (line[0] == '#')
			continue;
		for (char *p = line; *p; ) {
			unsigned v;
			int used;
			if (sscanf(p, " %2x%n", &v, &used) != 1)
				break;
			ck_assert_uint_lt(n, size);
			out[n++] = (uint8_t)v;
			p += used;
		}
	}
	free(text);
	return n;
}

/* The message's header, then its body against the file. */
static void
assert_message(const uint8_t *msg, size_t len, uint16_t type, const char *file)
{
	static uint8_t want[XFRM_REQUEST_MAX];
	struct nlmsghdr h;
	size_t n = load_hex(file, want, sizeof(want));

	ck_assert_uint_ge(len, sizeof(h));
	memcpy(&h, msg, sizeof(h));
	ck_assert_uint_eq(h.nlmsg_len, len);
	ck_assert_uint_eq(h.nlmsg_type, type);
	ck_assert_uint_eq(h.nlmsg_flags, NLM_F_REQUEST | NLM_F_ACK);
	ck_assert_uint_eq(h.nlmsg_seq, SEQ);
	ck_assert_uint_eq(h.nlmsg_pid, 0);
	ck_assert_uint_eq(len - sizeof(h), n);
	for (size_t i = 0; i < n; i++)
		ck_assert_msg(msg[sizeof(h) + i] == want[i], "%s: byte %zu is %02x, iproute2 %02x",
		    file, sizeof(h) + i, msg[sizeof(h) + i], want[i]);
}

static void
v4(uint8_t a[IPC_XFRM_ADDR], const char *s)
{
	memset(a, 0, IPC_XFRM_ADDR);
	ck_assert_int_eq(inet_pton(AF_INET, s, a), 1);
}

static void
v6(uint8_t a[IPC_XFRM_ADDR], const char *s)
{
	ck_assert_int_eq(inet_pton(AF_INET6, s, a), 1);
}

static uint8_t key_lo[64], key_hi[64]; /* 0x00.. and 0x20.. (0x40.. for the 64-byte one) */

static void
make_keys(void)
{
	for (int i = 0; i < 64; i++) {
		key_lo[i] = (uint8_t)i;
		key_hi[i] = (uint8_t)(0x20 + i);
	}
}

static struct ipc_xfrm_sa
gcm_sa(void)
{
	struct ipc_xfrm_sa sa = {.id = {.family = AF_INET, .spi = 0x01020304}, .reqid = 7,
	    .alg = IPC_XFRM_AES_GCM_16};
	make_keys();
	v4(sa.id.src, "192.0.2.1");
	v4(sa.id.dst, "192.0.2.2");
	sa.enc_key = (struct bytes){key_lo, 20}; /* AES-128 and the salt */
	return sa;
}

static struct ipc_xfrm_sa
cbc_sa(void)
{
	struct ipc_xfrm_sa sa = {.id = {.family = AF_INET, .spi = 0x0a0b0c0d}, .reqid = 9,
	    .alg = IPC_XFRM_AES_CBC_SHA256, .encap_sport = 4500, .encap_dport = 4500,
	    .soft_seconds = 3000, .hard_seconds = 3600};
	make_keys();
	v4(sa.id.src, "192.0.2.1");
	v4(sa.id.dst, "192.0.2.2");
	sa.enc_key = (struct bytes){key_lo, 16};
	sa.integ_key = (struct bytes){key_hi, 32};
	return sa;
}

static struct ipc_xfrm_policy
out_policy(void)
{
	struct ipc_xfrm_policy p = {.id = {.family = AF_INET, .dir = IPC_XFRM_OUT,
	    .src_prefix = 16, .dst_prefix = 24}, .reqid = 7, .priority = 1000};
	v4(p.id.src, "10.1.0.0");
	v4(p.id.dst, "10.2.0.0");
	v4(p.tun_src, "192.0.2.1");
	v4(p.tun_dst, "192.0.2.2");
	return p;
}

static struct ipc_xfrm_sa
cbc_sha512_ipv6_sa(void)
{
	static uint8_t key512[64];
	struct ipc_xfrm_sa sa = {.id = {.family = AF_INET6, .spi = 0x0a0b0c0e}, .reqid = 10,
	    .alg = IPC_XFRM_AES_CBC_SHA512};
	make_keys();
	for (int i = 0; i < 64; i++)
		key512[i] = (uint8_t)(0x40 + i);
	v6(sa.id.src, "2001:db8::1");
	v6(sa.id.dst, "2001:db8::2");
	sa.enc_key = (struct bytes){key_lo, 32};
	sa.integ_key = (struct bytes){key512, 64};
	return sa;
}

/* Each SA's XFRM_MSG_NEWSA against iproute2's in file, len octets. */
static const struct {
	struct ipc_xfrm_sa (*make)(void);
	const char *file;
	size_t len;
} sas_as_iproute2[] = {
	{gcm_sa, "gcm.hex", 336}, {cbc_sa, "cbc.hex", 464}, {cbc_sha512_ipv6_sa, "cbc6.hex", 484},
};

START_TEST(sa_as_iproute2)
{
	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len;
	const char *why = NULL;
	struct ipc_xfrm_sa sa = sas_as_iproute2[_i].make();
	ck_assert_int_eq(xfrm_build_newsa(&sa, SEQ, buf, sizeof(buf), &len, &why), 0);
	assert_message(buf, len, XFRM_MSG_NEWSA, sas_as_iproute2[_i].file);
	ck_assert_uint_eq(len, sas_as_iproute2[_i].len);
}
END_TEST

START_TEST(policies_as_iproute2)
{
	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len;
	const char *why = NULL;
	struct ipc_xfrm_policy p = out_policy();
	ck_assert_int_eq(xfrm_build_newpolicy(&p, SEQ, buf, sizeof(buf), &len, &why), 0);
	assert_message(buf, len, XFRM_MSG_NEWPOLICY, "pol.hex");
	ck_assert_uint_eq(len, 252);
	p.id.dir = IPC_XFRM_FWD;
	ck_assert_int_eq(xfrm_build_newpolicy(&p, SEQ, buf, sizeof(buf), &len, &why), 0);
	assert_message(buf, len, XFRM_MSG_NEWPOLICY, "polfwd.hex");
	p.id.dir = IPC_XFRM_OUT;
	ck_assert_int_eq(xfrm_build_delpolicy(&p.id, SEQ, buf, sizeof(buf), &len, &why), 0);
	assert_message(buf, len, XFRM_MSG_DELPOLICY, "delpol.hex");
}
END_TEST

START_TEST(delsa_as_iproute2)
{
	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len;
	const char *why = NULL;
	struct ipc_xfrm_sa sa = gcm_sa();
	ck_assert_int_eq(xfrm_build_delsa(&sa.id, SEQ, buf, sizeof(buf), &len, &why), 0);
	assert_message(buf, len, XFRM_MSG_DELSA, "delsa.hex");
}
END_TEST

/* Each broken SA is refused with a reason naming its field, on a GCM and
 * on a CBC SA. */
static uint8_t long_key[IPC_XFRM_KEY_MAX];
static void spi0(struct ipc_xfrm_sa *s) { s->id.spi = 0; }
static void spi_reserved(struct ipc_xfrm_sa *s) { s->id.spi = 255; }
static void family(struct ipc_xfrm_sa *s) { s->id.family = 3; }
static void src_zero(struct ipc_xfrm_sa *s) { memset(s->id.src, 0, IPC_XFRM_ADDR); }
static void dst_v4_tail(struct ipc_xfrm_sa *s) { s->id.dst[4] = 1; }
static void reqid0(struct ipc_xfrm_sa *s) { s->reqid = 0; }
static void alg_unknown(struct ipc_xfrm_sa *s) { s->alg = 9; }
static void alg_zero(struct ipc_xfrm_sa *s) { s->alg = 0; }
static void enc_15(struct ipc_xfrm_sa *s) { s->enc_key.len = 15; }
static void enc_3(struct ipc_xfrm_sa *s) { s->enc_key.len = 3; }
static void enc_33(struct ipc_xfrm_sa *s) { s->enc_key = (struct bytes){long_key, 33}; }
static void integ_wrong(struct ipc_xfrm_sa *s) { s->integ_key.len = s->integ_key.len ? 31 : 1; }
static void encap_half(struct ipc_xfrm_sa *s) { s->encap_sport = 4500; s->encap_dport = 0; }
static void soft_after_hard(struct ipc_xfrm_sa *s) { s->soft_seconds = 3601; s->hard_seconds = 3600; }

static const struct {
	void (*breaks)(struct ipc_xfrm_sa *);
	const char *field;
} bad_sas[] = {
	{spi0, "spi:"}, {spi_reserved, "spi:"}, {family, "family:"}, {src_zero, "src:"},
	{dst_v4_tail, "dst:"}, {reqid0, "reqid:"}, {alg_unknown, "alg:"}, {alg_zero, "alg:"},
	{enc_15, "enc_key:"}, {enc_3, "enc_key:"}, {enc_33, "enc_key:"},
	{integ_wrong, "integ_key:"}, {encap_half, "encap:"}, {soft_after_hard, "soft_seconds:"},
};

START_TEST(invalid_sas_refused)
{
	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len = 0;
	const char *why;

	for (int cbc = 0; cbc < 2; cbc++) {
		struct ipc_xfrm_sa sa = cbc ? cbc_sa() : gcm_sa();
		bad_sas[_i].breaks(&sa);
		why = NULL;
		ck_assert_int_eq(xfrm_build_newsa(&sa, SEQ, buf, sizeof(buf), &len, &why),
		    TNC_EINVALID);
		ck_assert_ptr_nonnull(why);
		ck_assert_msg(strncmp(why, bad_sas[_i].field, strlen(bad_sas[_i].field)) == 0,
		    "case %d: reason \"%s\", wanted %s", _i, why, bad_sas[_i].field);
		ck_assert_uint_eq(len, 0); /* nothing built */
	}
}
END_TEST

/* The valid key lengths of each transform pass. */
START_TEST(key_lengths_accepted)
{
	const char *why = NULL;
	struct ipc_xfrm_sa sa = gcm_sa();
	for (size_t n = 20; n <= 36; n += 8) {
		sa.enc_key.len = n;
		ck_assert_msg(xfrm_check_sa(&sa, &why) == 0, "GCM %zu: %s", n, why);
	}
	sa = cbc_sa();
	static const struct { uint8_t alg; size_t integ; } hmacs[] = {
		{IPC_XFRM_AES_CBC_SHA256, 32}, {IPC_XFRM_AES_CBC_SHA384, 48},
		{IPC_XFRM_AES_CBC_SHA512, 64},
	};
	for (size_t i = 0; i < 3; i++)
		for (size_t n = 16; n <= 32; n += 8) {
			sa.alg = hmacs[i].alg;
			sa.enc_key.len = n;
			sa.integ_key = (struct bytes){long_key, hmacs[i].integ};
			ck_assert_msg(xfrm_check_sa(&sa, &why) == 0, "%s %zu: %s",
			    xfrm_alg_name(sa.alg), n, why);
			sa.integ_key.len = hmacs[(i + 1) % 3].integ; /* another HMAC's length */
			ck_assert_int_eq(xfrm_check_sa(&sa, &why), TNC_EINVALID);
		}
}
END_TEST

START_TEST(invalid_policies_refused)
{
	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len = 0;
	const char *why;
	struct ipc_xfrm_policy p;

#define REFUSED(mutation, prefix) do {                                              \
		p = out_policy();                                                       \
		mutation;                                                               \
		why = NULL;                                                             \
		ck_assert_int_eq(xfrm_build_newpolicy(&p, SEQ, buf, sizeof(buf), &len, &why), \
		    TNC_EINVALID);                                                      \
		ck_assert_msg(why && strncmp(why, prefix, strlen(prefix)) == 0,         \
		    "%s: reason \"%s\"", #mutation, why ? why : "(none)");              \
	} while (0)
	REFUSED(p.id.dir = 3, "dir:");
	REFUSED(p.id.family = 0, "family:");
	REFUSED(p.id.src_prefix = 33, "src:");
	REFUSED(p.id.src_prefix = 8, "src:");      /* 10.1.0.0/8 has a host bit */
	REFUSED(p.id.dst[3] = 1, "dst:");          /* 10.2.0.1/24 */
	REFUSED(p.id.dst[5] = 1, "dst:");          /* past an IPv4 address */
	REFUSED(memset(p.tun_dst, 0, IPC_XFRM_ADDR), "tun_dst:");
	REFUSED(p.tun_src[15] = 1, "tun_src:");
	REFUSED(p.reqid = 0, "reqid:");
#undef REFUSED
	ck_assert_uint_eq(len, 0);

	/* Whole-address-space selectors are fine: 0.0.0.0/0 and ::/0. */
	p = out_policy();
	memset(p.id.src, 0, IPC_XFRM_ADDR);
	p.id.src_prefix = 0;
	ck_assert_int_eq(xfrm_check_policy(&p, &why), 0);
	p.id.family = AF_INET6;
	memset(p.id.dst, 0, IPC_XFRM_ADDR);
	p.id.dst_prefix = 128;
	v6(p.tun_src, "2001:db8::1");
	v6(p.tun_dst, "2001:db8::2");
	ck_assert_int_eq(xfrm_check_policy(&p, &why), 0);
	p.id.dst_prefix = 129;
	ck_assert_int_eq(xfrm_check_policy(&p, &why), TNC_EINVALID);
}
END_TEST

START_TEST(buffer_too_small)
{
	uint8_t buf[XFRM_REQUEST_MAX];
	size_t len = 0;
	const char *why = NULL;
	struct ipc_xfrm_sa sa = cbc_sa();
	ck_assert_int_eq(xfrm_build_newsa(&sa, SEQ, buf, 463, &len, &why), TNC_ETOOLONG);
	ck_assert_int_eq(xfrm_build_newsa(&sa, SEQ, buf, 464, &len, &why), 0);
	ck_assert_uint_eq(len, 464);
}
END_TEST

/* An NLMSG_ERROR answer: header, error, the request's header echoed. */
static size_t
make_ack(uint8_t *buf, uint32_t seq, int32_t error)
{
	struct nlmsghdr h = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct nlmsgerr)),
	    .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = seq};
	struct nlmsgerr e = {.error = error, .msg = {.nlmsg_seq = seq}};
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), &e, sizeof(e));
	return h.nlmsg_len;
}

START_TEST(acks_parsed)
{
	uint8_t buf[256];
	int kerr = 1;
	size_t n = make_ack(buf, SEQ, 0);
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, NULL, 0), 0);
	ck_assert_int_eq(kerr, 0);
	n = make_ack(buf, SEQ, -17);
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, NULL, 0), 0);
	ck_assert_int_eq(kerr, -17);
	/* Another request's answer, then ours in the same datagram. */
	size_t first = make_ack(buf, SEQ - 1, -2);
	n = first + make_ack(buf + first, SEQ, -93);
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, NULL, 0), 0);
	ck_assert_int_eq(kerr, -93);
	ck_assert_int_eq(xfrm_parse_ack(buf, first, SEQ, &kerr, NULL, 0), TNC_ENOTFOUND);
	/* Lengths that do not add up. */
	ck_assert_int_eq(xfrm_parse_ack(buf, 10, SEQ, &kerr, NULL, 0), TNC_ETRUNCATED);
	n = make_ack(buf, SEQ, 0);
	ck_assert_int_eq(xfrm_parse_ack(buf, n - 1, SEQ, &kerr, NULL, 0), TNC_ETRUNCATED);
	struct nlmsghdr h = {.nlmsg_len = 8, .nlmsg_type = NLMSG_ERROR, .nlmsg_seq = SEQ};
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, NULL, 0), TNC_EINVALID);
	h.nlmsg_len = sizeof(h) + 2; /* too short for the error */
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(xfrm_parse_ack(buf, sizeof(h) + 2, SEQ, &kerr, NULL, 0), TNC_ETRUNCATED);
	n = make_ack(buf, SEQ, 5); /* positive: never the kernel's */
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, NULL, 0), TNC_EINVALID);

	/* A capped error with the kernel's extended-ack message. */
	static const char why[] = "Requested AEAD algorithm not found";
	char text[16];
	n = make_ack(buf, SEQ, -38);
	struct nlattr a = {.nla_len = (uint16_t)(NLA_HDRLEN + sizeof(why)),
	    .nla_type = NLMSGERR_ATTR_MSG};
	memcpy(buf + n, &a, sizeof(a));
	memcpy(buf + n + NLA_HDRLEN, why, sizeof(why));
	n += NLA_ALIGN(a.nla_len);
	memcpy(&h, buf, sizeof(h));
	h.nlmsg_len = (uint32_t)n;
	h.nlmsg_flags = NLM_F_CAPPED | NLM_F_ACK_TLVS;
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, text, sizeof(text)), 0);
	ck_assert_int_eq(kerr, -38);
	ck_assert_str_eq(text, "Requested AEAD "); /* cut to fit */
	/* An attribute longer than the message: no text, still the error. */
	a.nla_len = 200;
	memcpy(buf + make_ack(buf, SEQ, -38) , &a, sizeof(a));
	memcpy(buf, &h, sizeof(h));
	ck_assert_int_eq(xfrm_parse_ack(buf, n, SEQ, &kerr, text, sizeof(text)), 0);
	ck_assert_str_eq(text, "");
}
END_TEST

/* The xfrm-* IPC payloads round trip, and the decoder refuses what no
 * encoder makes. */
START_TEST(ipc_payloads)
{
	struct ipc_msg m = {.type = IPC_XFRM_SA_ADD}, back;
	struct wire_writer w;

	m.u.xfrm_sa = cbc_sa();
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ipc_msg_encode(&m, &w), 0);
	ck_assert_uint_eq(w.len, 1 + 16 + 16 + 4 + 4 + 1 + 17 + 33 + 2 + 2 + 4 + 4);
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), 0);
	ck_assert_int_eq(memcmp(back.u.xfrm_sa.id.dst, m.u.xfrm_sa.id.dst, IPC_XFRM_ADDR), 0);
	ck_assert_uint_eq(back.u.xfrm_sa.id.spi, 0x0a0b0c0d);
	ck_assert_uint_eq(back.u.xfrm_sa.integ_key.len, 32);
	ck_assert_int_eq(memcmp(back.u.xfrm_sa.integ_key.ptr, key_hi, 32), 0);
	ck_assert_uint_eq(back.u.xfrm_sa.hard_seconds, 3600);
	ck_assert_uint_eq(back.u.xfrm_sa.encap_dport, 4500);
	/* family 3, a key length of 65, a trailing byte */
	w.buf[0] = 3;
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), TNC_EINVALID);
	w.buf[0] = AF_INET;
	w.buf[1 + 16 + 16 + 4 + 4 + 1] = 65;
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), TNC_ETOOLONG);
	w.buf[1 + 16 + 16 + 4 + 4 + 1] = 16;
	wire_put_u8(&w, 0);
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), TNC_ETRAILING);
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len - 2, &back), TNC_ETRUNCATED);
	wire_writer_clear(&w);

	m = (struct ipc_msg){.type = IPC_XFRM_POLICY_ADD};
	m.u.xfrm_policy = out_policy();
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ipc_msg_encode(&m, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), 0);
	ck_assert_uint_eq(back.u.xfrm_policy.id.dst_prefix, 24);
	ck_assert_uint_eq(back.u.xfrm_policy.priority, 1000);
	w.buf[1] = 3; /* dir */
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), TNC_EINVALID);
	wire_writer_clear(&w);

	m = (struct ipc_msg){.type = IPC_XFRM_RESULT};
	m.u.xfrm_result.status = -17;
	m.u.xfrm_result.reason = (struct bytes){(const uint8_t *)"File exists", 11};
	wire_writer_init(&w, 4096);
	ck_assert_int_eq(ipc_msg_encode(&m, &w), 0);
	ck_assert_int_eq(ipc_msg_decode(m.type, w.buf, w.len, &back), 0);
	ck_assert_int_eq(back.u.xfrm_result.status, -17);
	ck_assert_uint_eq(back.u.xfrm_result.reason.len, 11);
	wire_writer_clear(&w);

	/* Only ike sends requests, only xfrm answers (messages.def). */
	ck_assert(ipc_type_allowed(IPC_XFRM_SA_ADD, IPC_END_IKE, IPC_END_XFRM));
	ck_assert(!ipc_type_allowed(IPC_XFRM_SA_ADD, IPC_END_TNCCS, IPC_END_XFRM));
	ck_assert(!ipc_type_allowed(IPC_XFRM_POLICY_ADD, IPC_END_TNCD, IPC_END_XFRM));
	ck_assert(ipc_type_allowed(IPC_XFRM_RESULT, IPC_END_XFRM, IPC_END_IKE));
	ck_assert(!ipc_type_allowed(IPC_XFRM_RESULT, IPC_END_XFRM, IPC_END_TNCCS));
}
END_TEST

/* At its bound of installed SAs and policies tnc-xfrm refuses more before
 * the kernel sees them (fd -1: a request reaching the kernel would fail
 * otherwise), and deletes only what it installed. */
START_TEST(installs_are_bounded)
{
	static struct xfrm_service s = {.fd = -1};
	char reason[IPC_XFRM_REASON_MAX];
	struct ipc_msg m = {.type = IPC_XFRM_SA_ADD};

	m.u.xfrm_sa = gcm_sa();
	for (unsigned i = 0; i < XFRM_TABLE_MAX; i++) {
		struct ipc_xfrm_sa_id id = m.u.xfrm_sa.id;
		id.spi = XFRM_SPI_MIN + i;
		ck_assert_int_eq(xfrm_table_add_sa(&s.table, &id), 0);
	}
	ck_assert_int_eq(xfrm_table_add_sa(&s.table, &m.u.xfrm_sa.id), TNC_ETOOLONG);
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_ETOOLONG);
	ck_assert_str_eq(reason, "SAs installed: at the bound");
	/* An invalid request is refused for what it is, bound or not. */
	m.u.xfrm_sa.reqid = 0;
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_EINVALID);
	ck_assert_str_eq(reason, "reqid: 0 ties the SA to no policy");

	m = (struct ipc_msg){.type = IPC_XFRM_POLICY_ADD};
	m.u.xfrm_policy = out_policy();
	s.table.npolicy = XFRM_TABLE_MAX;
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_ETOOLONG);
	ck_assert_str_eq(reason, "policies installed: at the bound");
	s.table.npolicy = 0;

	/* Deletes of what it did not install never reach the kernel. */
	m = (struct ipc_msg){.type = IPC_XFRM_POLICY_DELETE};
	m.u.xfrm_policy_id = out_policy().id;
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_ENOTFOUND);
	ck_assert_str_eq(reason, "selector: not a policy tnc-xfrm installed");
	m = (struct ipc_msg){.type = IPC_XFRM_SA_DELETE};
	m.u.xfrm_sa_id = cbc_sa().id;
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_ENOTFOUND);
	/* The table finds and forgets by the kernel's key (family, dst, SPI). */
	struct ipc_xfrm_sa_id id = gcm_sa().id;
	id.spi = XFRM_SPI_MIN + 7;
	memset(id.src, 9, 4); /* the source is no part of the key */
	ck_assert_int_eq(xfrm_table_find_sa(&s.table, &id), 7);
	xfrm_table_remove_sa(&s.table, 7);
	ck_assert_int_eq(xfrm_table_find_sa(&s.table, &id), -1);
	ck_assert_uint_eq(s.table.nsa, XFRM_TABLE_MAX - 1);
	id.spi = XFRM_SPI_MIN + XFRM_TABLE_MAX - 1; /* the last moved into slot 7 */
	ck_assert_int_eq(xfrm_table_find_sa(&s.table, &id), 7);
	/* A reply type is no request. */
	m = (struct ipc_msg){.type = IPC_XFRM_RESULT};
	ck_assert_int_eq(xfrm_service_handle(&s, &m, reason, sizeof(reason)), TNC_ETYPE);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("xfrm_msg");
	TCase *tc = tcase_create("layout");
	tcase_add_loop_test(tc, sa_as_iproute2, 0,
	    sizeof(sas_as_iproute2) / sizeof(sas_as_iproute2[0]));
	tcase_add_test(tc, policies_as_iproute2);
	tcase_add_test(tc, delsa_as_iproute2);
	tcase_add_test(tc, buffer_too_small);
	suite_add_tcase(s, tc);
	TCase *checks = tcase_create("checks");
	tcase_add_loop_test(checks, invalid_sas_refused, 0, sizeof(bad_sas) / sizeof(bad_sas[0]));
	tcase_add_test(checks, key_lengths_accepted);
	tcase_add_test(checks, invalid_policies_refused);
	tcase_add_test(checks, acks_parsed);
	tcase_add_test(checks, ipc_payloads);
	tcase_add_test(checks, installs_are_bounded);
	suite_add_tcase(s, checks);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
