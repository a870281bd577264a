/* dump_ikev2.c - IKEv2 messages for tncdump (RFC 7296 3, RFC 7383 2.5).
 *
 * ikev2_msg_parse() validates the datagram; the iterator yields the
 * decoded payloads, each printed with its fields.  The names are the
 * codec's, but for the few value sets it keeps to itself (ID types, AUTH
 * methods, CP attributes), which are named here as RFC 7296 does.
 */
#include "dump_ikev2.h"

#include <arpa/inet.h>
#include <string.h>

#include "dump_eap.h"
#include "ikev2.h"

#define NON_ESP_MARKER_LEN 4
#define IPV4_LEN 4
#define IPV6_LEN 16
#define MAX_DATAGRAM 65535
#define MAX_PAYLOADS 256
/* Transform IDs searched when a name is looked up. */
#define TRANSFORM_ID_MAX 1024

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct named {
	unsigned value;
	const char *name;
};

static const char *
name_of(const struct named *t, size_t n, unsigned value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "unknown";
}

/* Encrypted field layouts (RFC 7296 3.14; RFC 4106, 4309, 7634 for the
 * AEAD ones, whose ICV the cipher carries). */
static const struct {
	uint16_t id;
	size_t iv, block, aead_icv;
} ciphers[] = {
	{3, 8, 8, 0},   /* 3DES_CBC */
	{11, 0, 1, 0},  /* NULL */
	{12, 16, 16, 0}, /* AES_CBC */
	{13, 8, 1, 0},  /* AES_CTR */
	{14, 8, 1, 8},  /* AES_CCM_8 */
	{15, 8, 1, 12}, /* AES_CCM_12 */
	{16, 8, 1, 16}, /* AES_CCM_16 */
	{18, 8, 1, 8},  /* AES_GCM_8 */
	{19, 8, 1, 12}, /* AES_GCM_12 */
	{20, 8, 1, 16}, /* AES_GCM_16 */
	{21, 8, 1, 16}, /* NULL_AES_GMAC */
	{23, 16, 16, 0}, /* CAMELLIA_CBC */
	{28, 8, 1, 16}, /* CHACHA20_POLY1305 */
};

/* Integrity checksum lengths (RFC 7296 3.3.2 and the RFCs it cites). */
static const struct {
	uint16_t id;
	size_t icv;
} integs[] = {
	{1, 12}, {2, 12}, {5, 12}, {7, 20}, {8, 12}, {12, 16}, {13, 24}, {14, 32},
};

static bool
transform_id(uint8_t type, const char *name, uint16_t *ret)
{
	for (uint16_t id = 0; id < TRANSFORM_ID_MAX; id++) {
		if (strcmp(ikev2_transform_name(type, id), name) == 0) {
			*ret = id;
			return true;
		}
	}
	return false;
}

int
dump_sk_parse(const char *encr, const char *integ, struct dump_sk *ret, const char **ret_why)
{
	uint16_t id;
	size_t i, j;

	if (!encr) {
		*ret_why = "--ike-integ needs --ike-encr";
		return TNC_EINVALID;
	}
	if (!transform_id(IKEV2_TRANS_ENCR, encr, &id)) {
		*ret_why = "--ike-encr names no known encryption transform";
		return TNC_EINVALID;
	}
	for (i = 0; i < N_ELEMS(ciphers) && ciphers[i].id != id; i++)
		;
	if (i == N_ELEMS(ciphers)) {
		*ret_why = "--ike-encr names a transform of unknown layout";
		return TNC_EINVALID;
	}
	*ret = (struct dump_sk){true, ciphers[i].iv, ciphers[i].aead_icv, ciphers[i].block};
	if (ciphers[i].aead_icv) {
		if (integ) {
			*ret_why = "an AEAD cipher takes no --ike-integ";
			return TNC_EINVALID;
		}
		return 0;
	}
	if (!integ || !transform_id(IKEV2_TRANS_INTEG, integ, &id)) {
		*ret_why = "--ike-integ names no known integrity transform (required for this cipher)";
		return TNC_EINVALID;
	}
	for (j = 0; j < N_ELEMS(integs) && integs[j].id != id; j++)
		;
	if (j == N_ELEMS(integs)) {
		*ret_why = "--ike-integ names a transform of unknown checksum length";
		return TNC_EINVALID;
	}
	ret->icv = integs[j].icv;
	return 0;
}

/* An IKE header whose Length is len.  The version is the codec's to
 * check: a dump names a wrong one rather than guess another format. */
static bool
header_fits(const uint8_t *msg, size_t len)
{
	struct wire_reader r;
	uint32_t length;

	wire_reader_init(&r, msg, len);
	return !wire_skip(&r, IKEV2_HEADER_LEN - 4) && !wire_get_u32(&r, &length) &&
	    length == len;
}

/* RFC 3948 2.2: on UDP port 4500 an IKE message follows four zero octets
 * (the initiator's SPI is never zero, RFC 7296 3.1).  Taken as the marker
 * when the datagram does not fit as a message by itself. */
static size_t
marker_len(const uint8_t *buf, size_t len)
{
	static const uint8_t marker[NON_ESP_MARKER_LEN];

	if (len <= NON_ESP_MARKER_LEN || header_fits(buf, len) ||
	    memcmp(buf, marker, NON_ESP_MARKER_LEN) != 0)
		return 0;
	return NON_ESP_MARKER_LEN;
}

bool
dump_ikev2_looks(const uint8_t *buf, size_t len)
{
	size_t skip = marker_len(buf, len);

	return header_fits(buf + skip, len - skip);
}

static const struct named id_types[] = {
	{IKEV2_ID_IPV4_ADDR, "ID_IPV4_ADDR"}, {IKEV2_ID_FQDN, "ID_FQDN"},
	{IKEV2_ID_RFC822_ADDR, "ID_RFC822_ADDR"}, {IKEV2_ID_IPV6_ADDR, "ID_IPV6_ADDR"},
	{IKEV2_ID_DER_ASN1_DN, "ID_DER_ASN1_DN"}, {IKEV2_ID_DER_ASN1_GN, "ID_DER_ASN1_GN"},
	{IKEV2_ID_KEY_ID, "ID_KEY_ID"},
};

static const struct named auth_methods[] = {
	{1, "RSA Digital Signature"}, {2, "Shared Key Message Integrity Code"},
	{3, "DSS Digital Signature"}, {9, "ECDSA with SHA-256 on the P-256 curve"},
	{10, "ECDSA with SHA-384 on the P-384 curve"}, {11, "ECDSA with SHA-512 on the P-521 curve"},
	{14, "Digital Signature"},
};

static const struct named cfg_types[] = {
	{IKEV2_CFG_REQUEST, "CFG_REQUEST"}, {IKEV2_CFG_REPLY, "CFG_REPLY"},
	{IKEV2_CFG_SET, "CFG_SET"}, {IKEV2_CFG_ACK, "CFG_ACK"},
};

static const struct named cfg_attrs[] = {
	{IKEV2_CFG_INTERNAL_IP4_ADDRESS, "INTERNAL_IP4_ADDRESS"},
	{IKEV2_CFG_INTERNAL_IP4_NETMASK, "INTERNAL_IP4_NETMASK"},
	{IKEV2_CFG_INTERNAL_IP4_DNS, "INTERNAL_IP4_DNS"},
	{IKEV2_CFG_INTERNAL_IP4_NBNS, "INTERNAL_IP4_NBNS"},
	{IKEV2_CFG_INTERNAL_IP4_DHCP, "INTERNAL_IP4_DHCP"},
	{IKEV2_CFG_APPLICATION_VERSION, "APPLICATION_VERSION"},
	{IKEV2_CFG_INTERNAL_IP6_ADDRESS, "INTERNAL_IP6_ADDRESS"},
	{IKEV2_CFG_INTERNAL_IP6_DNS, "INTERNAL_IP6_DNS"},
	{IKEV2_CFG_INTERNAL_IP6_DHCP, "INTERNAL_IP6_DHCP"},
	{IKEV2_CFG_INTERNAL_IP4_SUBNET, "INTERNAL_IP4_SUBNET"},
	{IKEV2_CFG_SUPPORTED_ATTRIBUTES, "SUPPORTED_ATTRIBUTES"},
	{IKEV2_CFG_INTERNAL_IP6_SUBNET, "INTERNAL_IP6_SUBNET"},
};

/* An IPv4 or IPv6 address (4 or 16 octets) as text into buf. */
static const char *
addr_text(char *buf, size_t n, const uint8_t *a, size_t len)
{
	if (!inet_ntop(len == IPV4_LEN ? AF_INET : AF_INET6, a, buf, (socklen_t)n))
		snprintf(buf, n, "?");
	return buf;
}

static void
dump_sa(struct tree *t, struct bytes list)
{
	struct ikev2_proposal p;
	char text[512];

	while (ikev2_proposal_next(&list, &p)) {
		ikev2_proposal_str(&p, text, sizeof(text));
		tree_line(t, "proposal %u: %s", p.num, text);
		if (p.spi.len) {
			tree_push(t);
			tree_hex(t, "SPI", p.spi);
			tree_pop(t);
		}
	}
}

static void
dump_id(struct tree *t, const struct ikev2_id *id)
{
	char text[TREE_QUOTE_MAX];
	const char *name = name_of(id_types, N_ELEMS(id_types), id->type);

	switch (id->type) {
	case IKEV2_ID_IPV4_ADDR:
	case IKEV2_ID_IPV6_ADDR: /* the codec checked 4 / 16 octets */
		tree_line(t, "%s %s", name, addr_text(text, sizeof(text), id->data.ptr, id->data.len));
		break;
	case IKEV2_ID_FQDN:
	case IKEV2_ID_RFC822_ADDR:
		tree_line(t, "%s %s", name, tree_quote(text, id->data));
		break;
	default:
		tree_line(t, "%s (%u)", name, id->type);
		tree_hex(t, "identification data", id->data);
	}
}

static void
dump_notify(struct tree *t, const struct ikev2_notify *n)
{
	tree_line(t, "%s (%u), protocol %s (%u)", ikev2_notify_name(n->type), n->type,
	    n->protocol ? ikev2_protocol_name(n->protocol) : "none", n->protocol);
	if (n->spi.len)
		tree_hex(t, "SPI", n->spi);
	if (n->data.len)
		tree_hex(t, "notification data", n->data);
}

static void
dump_ts(struct tree *t, struct ikev2_ts_list ts)
{
	struct ikev2_ts s;
	char start[INET6_ADDRSTRLEN], end[INET6_ADDRSTRLEN];

	tree_line(t, "%u traffic selector%s", ts.count, tree_plural(ts.count));
	while (ikev2_ts_next(&ts.selectors, &s))
		tree_line(t, "%s - %s, IP protocol %u, ports %u-%u",
		    addr_text(start, sizeof(start), s.start.ptr, s.start.len),
		    addr_text(end, sizeof(end), s.end.ptr, s.end.len), s.ip_proto, s.start_port,
		    s.end_port);
}

/* A CP attribute's value by the sizes RFC 7296 3.15.1 gives its type (the
 * codec checked them). */
static void
dump_cp_value(struct tree *t, const char *name, const struct ikev2_cp_attr *a)
{
	char addr[INET6_ADDRSTRLEN], text[TREE_QUOTE_MAX];
	const uint8_t *v = a->value.ptr;

	if (a->value.len == 0)
		tree_line(t, "%s (%u): empty", name, a->type);
	else if (a->type == IKEV2_CFG_APPLICATION_VERSION)
		tree_line(t, "%s (%u): %s", name, a->type, tree_quote(text, a->value));
	else if (a->type == IKEV2_CFG_SUPPORTED_ATTRIBUTES)
		tree_hex(t, name, a->value);
	else if (a->value.len == IPV4_LEN || a->value.len == IPV6_LEN)
		tree_line(t, "%s (%u): %s", name, a->type,
		    addr_text(addr, sizeof(addr), v, a->value.len));
	else if (a->value.len == 2 * IPV4_LEN) { /* INTERNAL_IP4_SUBNET: address, netmask */
		char mask[INET6_ADDRSTRLEN];
		tree_line(t, "%s (%u): %s/%s", name, a->type, addr_text(addr, sizeof(addr), v, 4),
		    addr_text(mask, sizeof(mask), v + 4, 4));
	} else if (a->value.len == IPV6_LEN + 1) /* an IPv6 address and prefix length */
		tree_line(t, "%s (%u): %s/%u", name, a->type,
		    addr_text(addr, sizeof(addr), v, IPV6_LEN), v[IPV6_LEN]);
	else
		tree_hex(t, name, a->value);
}

static void
dump_cp(struct tree *t, struct ikev2_cp cp)
{
	struct ikev2_cp_attr a;

	tree_line(t, "%s (%u)", name_of(cfg_types, N_ELEMS(cfg_types), cp.cfg_type), cp.cfg_type);
	while (ikev2_cp_next(&cp.attrs, &a))
		dump_cp_value(t, name_of(cfg_attrs, N_ELEMS(cfg_attrs), a.type), &a);
}

static void
dump_sk(struct tree *t, const struct ikev2_payload *p, const struct dump_sk *sk)
{
	struct bytes enc = p->u.sk.encrypted, iv, ct, icv;

	if (p->type == IKEV2_PL_SKF)
		tree_line(t, "fragment %u of %u", p->u.sk.fragment, p->u.sk.fragments);
	if (p->type == IKEV2_PL_SK || p->u.sk.fragment == 1)
		tree_line(t, "first inner payload %s (%u)", ikev2_payload_name(p->next), p->next);
	if (!sk->set) {
		tree_line(t, "encrypted %zu bytes", enc.len);
		return;
	}
	if (ikev2_sk_split(enc, sk->iv, sk->icv, sk->block, &iv, &ct, &icv)) {
		tree_fail(t, "Encrypted field does not fit the given transforms' IV, block and ICV",
		    tree_at(t, enc.ptr));
		return;
	}
	tree_line(t, "IV %zu bytes, ciphertext %zu bytes, ICV %zu bytes", iv.len, ct.len, icv.len);
}

static void
dump_body(struct tree *t, const struct ikev2_payload *p, const struct dump_sk *sk)
{
	const char *method;

	switch (p->type) {
	case IKEV2_PL_SA:
		dump_sa(t, p->u.sa);
		break;
	case IKEV2_PL_KE:
		tree_line(t, "group %s (%u)", ikev2_transform_name(IKEV2_TRANS_DH, p->u.ke.group),
		    p->u.ke.group);
		tree_hex(t, "key exchange data", p->u.ke.data);
		break;
	case IKEV2_PL_IDI:
	case IKEV2_PL_IDR:
		dump_id(t, &p->u.id);
		break;
	case IKEV2_PL_CERT:
	case IKEV2_PL_CERTREQ:
		tree_line(t, "encoding %u%s", p->u.cert.encoding,
		    p->u.cert.encoding == IKEV2_CERT_X509_SIGNATURE ? " (X.509 Certificate - Signature)" : "");
		tree_hex(t, p->type == IKEV2_PL_CERT ? "certificate data" : "certification authority",
		    p->u.cert.data);
		break;
	case IKEV2_PL_AUTH:
		method = name_of(auth_methods, N_ELEMS(auth_methods), p->u.auth.method);
		tree_line(t, "method %s (%u)", method, p->u.auth.method);
		tree_hex(t, "authentication data", p->u.auth.data);
		break;
	case IKEV2_PL_NONCE:
		tree_hex(t, "nonce", p->u.nonce);
		break;
	case IKEV2_PL_NOTIFY:
		dump_notify(t, &p->u.notify);
		break;
	case IKEV2_PL_DELETE:
		tree_line(t, "protocol %s (%u), %u SPI%s of %u bytes",
		    ikev2_protocol_name(p->u.del.protocol), p->u.del.protocol, p->u.del.spi_count,
		    tree_plural(p->u.del.spi_count), p->u.del.spi_size);
		if (p->u.del.spis.len)
			tree_hex(t, "SPIs", p->u.del.spis);
		break;
	case IKEV2_PL_VENDOR:
		tree_hex(t, "vendor ID", p->u.vendor);
		break;
	case IKEV2_PL_TSI:
	case IKEV2_PL_TSR:
		dump_ts(t, p->u.ts);
		break;
	case IKEV2_PL_CP:
		dump_cp(t, p->u.cp);
		break;
	case IKEV2_PL_EAP:
		dump_eap_packet(t, p->u.eap.msg);
		break;
	default: /* SK, SKF: the iterator yields known types only */
		dump_sk(t, p, sk);
		break;
	}
}

static void
dump_header(struct tree *t, const uint8_t *at, const struct ikev2_header *h)
{
	uint8_t f = h->flags;

	tree_line(t, "IKEv2 message (%u bytes) @%zu: %s (%u), version %u.%u, message ID %u",
	    h->length, tree_at(t, at), ikev2_exchange_name(h->exchange), h->exchange, h->major,
	    h->minor, h->message_id);
	tree_push(t);
	tree_line(t, "SPIi 0x%016llx, SPIr 0x%016llx, flags 0x%02x%s%s%s",
	    (unsigned long long)h->spi_i, (unsigned long long)h->spi_r, f,
	    f & IKEV2_FLAG_INITIATOR ? " INITIATOR" : "", f & IKEV2_FLAG_VERSION ? " VERSION" : "",
	    f & IKEV2_FLAG_RESPONSE ? " RESPONSE" : "");
	tree_pop(t);
}

void
dump_ikev2_msg(struct tree *t, struct bytes datagram, const struct dump_sk *sk)
{
	static const struct ikev2_limits lim = {MAX_DATAGRAM, MAX_PAYLOADS};
	size_t skip = marker_len(datagram.ptr, datagram.len);
	struct bytes m = {datagram.ptr + skip, datagram.len - skip};
	struct ikev2_msg msg;
	struct ikev2_iter it;
	struct ikev2_payload p;
	struct parse_error e;
	char summary[1024];
	size_t shown = 0;

	if (skip)
		tree_line(t, "non-ESP marker (UDP port 4500) @%zu", tree_at(t, datagram.ptr));
	if (ikev2_msg_parse(m.ptr, m.len, &lim, &msg, &e)) {
		tree_line(t, "IKEv2 message (%zu bytes) @%zu", m.len, tree_at(t, m.ptr));
		tree_sub_error(t, m.ptr, &e);
		return;
	}
	dump_header(t, m.ptr, &msg.hdr);
	tree_push(t);
	ikev2_summary(&msg.hdr, &msg.chain, summary, sizeof(summary));
	tree_line(t, "%s", summary);
	ikev2_iter_init(&it, &msg.chain);
	while (ikev2_iter_next(&it, &p)) {
		shown++;
		tree_line(t, "%s payload (%zu bytes) @%zu%s", ikev2_payload_name(p.type),
		    p.body.len + IKEV2_PAYLOAD_HEADER_LEN, tree_at(t, m.ptr + p.offset),
		    p.critical ? ", critical" : "");
		tree_push(t);
		dump_body(t, &p, sk);
		tree_pop(t);
	}
	if (msg.chain.count > shown)
		tree_line(t, "%zu payload%s of unknown type skipped (not critical)",
		    msg.chain.count - shown, tree_plural(msg.chain.count - shown));
	tree_pop(t);
}
