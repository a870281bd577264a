/* ikev2_names.c - names of IKEv2 values for logs and tncdump, and the
 * one-line message summary.
 *
 * The long names are RFC 7296's (and IANA's "IKEv2 Parameters").  The short
 * ones in the summary follow what strongSwan's charon logs, so that our
 * logs read like the seeds' ("[ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]",
 * "[ IDr EAP/REQ/TTLS ]", "[ AUTH CPRP(ADDR DNS) SA TSi TSr N(AUTH_LFT) ]").
 */
#include "ikev2.h"

#include <stdarg.h>
#include <stdio.h>

#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

struct name16 {
	uint16_t value;
	const char *name;
};

static const char *
lookup(const struct name16 *t, size_t n, uint16_t value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return NULL;
}

static const char *
or_unknown(const char *name)
{
	return name ? name : "unknown";
}

static const struct name16 exchanges[] = {
	{IKEV2_IKE_SA_INIT, "IKE_SA_INIT"},
	{IKEV2_IKE_AUTH, "IKE_AUTH"},
	{IKEV2_CREATE_CHILD_SA, "CREATE_CHILD_SA"},
	{IKEV2_INFORMATIONAL, "INFORMATIONAL"},
	{IKEV2_IKE_SESSION_RESUME, "IKE_SESSION_RESUME"},
	{IKEV2_IKE_INTERMEDIATE, "IKE_INTERMEDIATE"},
};

const char *
ikev2_exchange_name(uint8_t exchange)
{
	return or_unknown(lookup(exchanges, N_ELEMS(exchanges), exchange));
}

/* Long name and summary name per payload type. */
static const struct {
	uint8_t type;
	const char *name;
	const char *brief;
} payloads[] = {
	{IKEV2_PL_SA, "SECURITY_ASSOCIATION", "SA"},
	{IKEV2_PL_KE, "KEY_EXCHANGE", "KE"},
	{IKEV2_PL_IDI, "ID_INITIATOR", "IDi"},
	{IKEV2_PL_IDR, "ID_RESPONDER", "IDr"},
	{IKEV2_PL_CERT, "CERTIFICATE", "CERT"},
	{IKEV2_PL_CERTREQ, "CERTREQ", "CERTREQ"},
	{IKEV2_PL_AUTH, "AUTHENTICATION", "AUTH"},
	{IKEV2_PL_NONCE, "NONCE", "No"},
	{IKEV2_PL_NOTIFY, "NOTIFY", "N"},
	{IKEV2_PL_DELETE, "DELETE", "D"},
	{IKEV2_PL_VENDOR, "VENDOR_ID", "V"},
	{IKEV2_PL_TSI, "TRAFFIC_SELECTOR_INITIATOR", "TSi"},
	{IKEV2_PL_TSR, "TRAFFIC_SELECTOR_RESPONDER", "TSr"},
	{IKEV2_PL_SK, "ENCRYPTED", "E"},
	{IKEV2_PL_CP, "CONFIGURATION", "CP"},
	{IKEV2_PL_EAP, "EXTENSIBLE_AUTHENTICATION", "EAP"},
	{IKEV2_PL_SKF, "ENCRYPTED_FRAGMENT", "EF"},
};

const char *
ikev2_payload_name(uint8_t type)
{
	for (size_t i = 0; i < N_ELEMS(payloads); i++)
		if (payloads[i].type == type)
			return payloads[i].name;
	return "unknown";
}

static const char *
payload_brief(uint8_t type)
{
	for (size_t i = 0; i < N_ELEMS(payloads); i++)
		if (payloads[i].type == type)
			return payloads[i].brief;
	return NULL;
}

static const struct {
	uint16_t type;
	const char *name;
	const char *brief;
} notifies[] = {
	{IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD, "UNSUPPORTED_CRITICAL_PAYLOAD", "CRIT"},
	{IKEV2_N_INVALID_IKE_SPI, "INVALID_IKE_SPI", "INVAL_IKE_SPI"},
	{IKEV2_N_INVALID_MAJOR_VERSION, "INVALID_MAJOR_VERSION", "INVAL_MAJOR"},
	{IKEV2_N_INVALID_SYNTAX, "INVALID_SYNTAX", "INVAL_SYN"},
	{IKEV2_N_INVALID_MESSAGE_ID, "INVALID_MESSAGE_ID", "INVAL_MID"},
	{IKEV2_N_INVALID_SPI, "INVALID_SPI", "INVAL_SPI"},
	{IKEV2_N_NO_PROPOSAL_CHOSEN, "NO_PROPOSAL_CHOSEN", "NO_PROP"},
	{IKEV2_N_INVALID_KE_PAYLOAD, "INVALID_KE_PAYLOAD", "INVAL_KE"},
	{IKEV2_N_AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED", "AUTH_FAILED"},
	{IKEV2_N_SINGLE_PAIR_REQUIRED, "SINGLE_PAIR_REQUIRED", "SINGLE_PAIR"},
	{IKEV2_N_NO_ADDITIONAL_SAS, "NO_ADDITIONAL_SAS", "NO_ADD_SAS"},
	{IKEV2_N_INTERNAL_ADDRESS_FAILURE, "INTERNAL_ADDRESS_FAILURE", "INT_ADDR_FAIL"},
	{IKEV2_N_FAILED_CP_REQUIRED, "FAILED_CP_REQUIRED", "FAIL_CP_REQ"},
	{IKEV2_N_TS_UNACCEPTABLE, "TS_UNACCEPTABLE", "TS_UNACCEPT"},
	{IKEV2_N_INVALID_SELECTORS, "INVALID_SELECTORS", "INVAL_SEL"},
	{IKEV2_N_TEMPORARY_FAILURE, "TEMPORARY_FAILURE", "TEMP_FAIL"},
	{IKEV2_N_CHILD_SA_NOT_FOUND, "CHILD_SA_NOT_FOUND", "NO_CHILD_SA"},
	{IKEV2_N_INITIAL_CONTACT, "INITIAL_CONTACT", "INIT_CONTACT"},
	{IKEV2_N_SET_WINDOW_SIZE, "SET_WINDOW_SIZE", "SET_WINSIZE"},
	{IKEV2_N_ADDITIONAL_TS_POSSIBLE, "ADDITIONAL_TS_POSSIBLE", "ADD_TS_POSS"},
	{IKEV2_N_IPCOMP_SUPPORTED, "IPCOMP_SUPPORTED", "IPCOMP_SUP"},
	{IKEV2_N_NAT_DETECTION_SOURCE_IP, "NAT_DETECTION_SOURCE_IP", "NATD_S_IP"},
	{IKEV2_N_NAT_DETECTION_DESTINATION_IP, "NAT_DETECTION_DESTINATION_IP", "NATD_D_IP"},
	{IKEV2_N_COOKIE, "COOKIE", "COOKIE"},
	{IKEV2_N_USE_TRANSPORT_MODE, "USE_TRANSPORT_MODE", "USE_TRANSP"},
	{IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED, "HTTP_CERT_LOOKUP_SUPPORTED", "HTTP_CERT_LOOK"},
	{IKEV2_N_REKEY_SA, "REKEY_SA", "REKEY_SA"},
	{IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED, "ESP_TFC_PADDING_NOT_SUPPORTED", "ESP_TFC_PAD_N"},
	{IKEV2_N_NON_FIRST_FRAGMENTS_ALSO, "NON_FIRST_FRAGMENTS_ALSO", "NON_FIRST_FRAG"},
	{IKEV2_N_MOBIKE_SUPPORTED, "MOBIKE_SUPPORTED", "MOBIKE_SUP"},
	{IKEV2_N_ADDITIONAL_IP4_ADDRESS, "ADDITIONAL_IP4_ADDRESS", "ADD_4_ADDR"},
	{IKEV2_N_ADDITIONAL_IP6_ADDRESS, "ADDITIONAL_IP6_ADDRESS", "ADD_6_ADDR"},
	{IKEV2_N_NO_ADDITIONAL_ADDRESSES, "NO_ADDITIONAL_ADDRESSES", "NO_ADD_ADDR"},
	{IKEV2_N_UPDATE_SA_ADDRESSES, "UPDATE_SA_ADDRESSES", "UPD_SA_ADDR"},
	{IKEV2_N_COOKIE2, "COOKIE2", "COOKIE2"},
	{IKEV2_N_NO_NATS_ALLOWED, "NO_NATS_ALLOWED", "NO_NATS"},
	{IKEV2_N_AUTH_LIFETIME, "AUTH_LIFETIME", "AUTH_LFT"},
	{IKEV2_N_MULTIPLE_AUTH_SUPPORTED, "MULTIPLE_AUTH_SUPPORTED", "MULT_AUTH"},
	{IKEV2_N_ANOTHER_AUTH_FOLLOWS, "ANOTHER_AUTH_FOLLOWS", "AUTH_FOLLOWS"},
	{IKEV2_N_REDIRECT_SUPPORTED, "REDIRECT_SUPPORTED", "REDIR_SUP"},
	{IKEV2_N_REDIRECT, "REDIRECT", "REDIR"},
	{IKEV2_N_REDIRECTED_FROM, "REDIRECTED_FROM", "REDIR_FROM"},
	{IKEV2_N_EAP_ONLY_AUTHENTICATION, "EAP_ONLY_AUTHENTICATION", "EAP_ONLY"},
	{IKEV2_N_CHILDLESS_IKEV2_SUPPORTED, "CHILDLESS_IKEV2_SUPPORTED", "CHDLESS_SUP"},
	{IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED, "IKEV2_FRAGMENTATION_SUPPORTED", "FRAG_SUP"},
	{IKEV2_N_SIGNATURE_HASH_ALGORITHMS, "SIGNATURE_HASH_ALGORITHMS", "HASH_ALG"},
	{IKEV2_N_INTERMEDIATE_EXCHANGE_SUPPORTED, "INTERMEDIATE_EXCHANGE_SUPPORTED", "IKE_INT_SUP"},
};

const char *
ikev2_notify_name(uint16_t type)
{
	for (size_t i = 0; i < N_ELEMS(notifies); i++)
		if (notifies[i].type == type)
			return notifies[i].name;
	return "unknown";
}

static const char *
notify_brief(uint16_t type)
{
	for (size_t i = 0; i < N_ELEMS(notifies); i++)
		if (notifies[i].type == type)
			return notifies[i].brief;
	return NULL;
}

static const struct name16 protocols[] = {
	{IKEV2_PROTO_IKE, "IKE"},
	{IKEV2_PROTO_AH, "AH"},
	{IKEV2_PROTO_ESP, "ESP"},
};

const char *
ikev2_protocol_name(uint8_t protocol)
{
	return or_unknown(lookup(protocols, N_ELEMS(protocols), protocol));
}

static const struct name16 transform_types[] = {
	{IKEV2_TRANS_ENCR, "ENCRYPTION_ALGORITHM"},
	{IKEV2_TRANS_PRF, "PSEUDO_RANDOM_FUNCTION"},
	{IKEV2_TRANS_INTEG, "INTEGRITY_ALGORITHM"},
	{IKEV2_TRANS_DH, "DIFFIE_HELLMAN_GROUP"},
	{IKEV2_TRANS_ESN, "EXTENDED_SEQUENCE_NUMBERS"},
};

const char *
ikev2_transform_type_name(uint8_t type)
{
	return or_unknown(lookup(transform_types, N_ELEMS(transform_types), type));
}

static const struct name16 encr[] = {
	{3, "3DES_CBC"}, {11, "NULL"}, {12, "AES_CBC"}, {13, "AES_CTR"},
	{14, "AES_CCM_8"}, {15, "AES_CCM_12"}, {16, "AES_CCM_16"}, {18, "AES_GCM_8"},
	{19, "AES_GCM_12"}, {20, "AES_GCM_16"}, {21, "NULL_AES_GMAC"}, {23, "CAMELLIA_CBC"},
	{28, "CHACHA20_POLY1305"},
};
static const struct name16 prf[] = {
	{1, "PRF_HMAC_MD5"}, {2, "PRF_HMAC_SHA1"}, {4, "PRF_AES128_XCBC"},
	{5, "PRF_HMAC_SHA2_256"}, {6, "PRF_HMAC_SHA2_384"}, {7, "PRF_HMAC_SHA2_512"},
	{8, "PRF_AES128_CMAC"},
};
static const struct name16 integ[] = {
	{1, "HMAC_MD5_96"}, {2, "HMAC_SHA1_96"}, {5, "AES_XCBC_96"}, {7, "HMAC_SHA1_160"},
	{8, "AES_CMAC_96"}, {12, "HMAC_SHA2_256_128"}, {13, "HMAC_SHA2_384_192"},
	{14, "HMAC_SHA2_512_256"},
};
static const struct name16 dh[] = {
	{1, "MODP_768"}, {2, "MODP_1024"}, {5, "MODP_1536"}, {14, "MODP_2048"},
	{15, "MODP_3072"}, {16, "MODP_4096"}, {17, "MODP_6144"}, {18, "MODP_8192"},
	{19, "ECP_256"}, {20, "ECP_384"}, {21, "ECP_521"}, {22, "MODP_1024_160"},
	{23, "MODP_2048_224"}, {24, "MODP_2048_256"}, {25, "ECP_192"}, {26, "ECP_224"},
	{27, "ECP_224_BP"}, {28, "ECP_256_BP"}, {29, "ECP_384_BP"}, {30, "ECP_512_BP"},
	{31, "CURVE_25519"}, {32, "CURVE_448"},
};
static const struct name16 esn[] = {{0, "NO_EXT_SEQ"}, {1, "EXT_SEQ"}};

const char *
ikev2_transform_name(uint8_t type, uint16_t id)
{
	switch (type) {
	case IKEV2_TRANS_ENCR:
		return or_unknown(lookup(encr, N_ELEMS(encr), id));
	case IKEV2_TRANS_PRF:
		return or_unknown(lookup(prf, N_ELEMS(prf), id));
	case IKEV2_TRANS_INTEG:
		return or_unknown(lookup(integ, N_ELEMS(integ), id));
	case IKEV2_TRANS_DH:
		return or_unknown(lookup(dh, N_ELEMS(dh), id));
	case IKEV2_TRANS_ESN:
		return or_unknown(lookup(esn, N_ELEMS(esn), id));
	default:
		return "unknown";
	}
}

static const char *const eap_codes[] = {NULL, "REQ", "RES", "SUCC", "FAIL"};

static const struct name16 eap_types[] = {
	{1, "ID"}, {2, "NTF"}, {3, "NAK"}, {4, "MD5"}, {5, "OTP"}, {6, "GTC"},
	{13, "TLS"}, {18, "SIM"}, {21, "TTLS"}, {23, "AKA"}, {25, "PEAP"},
	{26, "MSCHAPV2"}, {38, "TNC"}, {54, "PT"}, {254, "EXP"}, {255, "XP"},
};

static const char *const cfg_briefs[] = {NULL, "CPRQ", "CPRP", "CPS", "CPA"};

static const struct name16 cfg_attrs[] = {
	{IKEV2_CFG_INTERNAL_IP4_ADDRESS, "ADDR"},
	{IKEV2_CFG_INTERNAL_IP4_NETMASK, "MASK"},
	{IKEV2_CFG_INTERNAL_IP4_DNS, "DNS"},
	{IKEV2_CFG_INTERNAL_IP4_NBNS, "NBNS"},
	{IKEV2_CFG_INTERNAL_IP4_DHCP, "DHCP"},
	{IKEV2_CFG_APPLICATION_VERSION, "VER"},
	{IKEV2_CFG_INTERNAL_IP6_ADDRESS, "ADDR6"},
	{IKEV2_CFG_INTERNAL_IP6_DNS, "DNS6"},
	{IKEV2_CFG_INTERNAL_IP6_DHCP, "DHCP6"},
	{IKEV2_CFG_INTERNAL_IP4_SUBNET, "SUBNET"},
	{IKEV2_CFG_SUPPORTED_ATTRIBUTES, "SUP"},
	{IKEV2_CFG_INTERNAL_IP6_SUBNET, "SUBNET6"},
};

/* snprintf into out[0..size) at *len, counting what did not fit. */
struct text {
	char *out;
	size_t size;
	size_t len;
};

__attribute__((format(printf, 2, 3))) static void
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	size_t room = t->len < t->size ? t->size - t->len : 0;

	va_start(ap, fmt);
	int n = vsnprintf(room ? t->out + t->len : NULL, room, fmt, ap);
	va_end(ap);
	if (n > 0)
		t->len += (size_t)n;
}

/* A name from a table, or the number. */
static void
put_name(struct text *t, const char *name, unsigned value)
{
	if (name)
		put(t, "%s", name);
	else
		put(t, "%u", value);
}

static void
put_cp(struct text *t, const struct ikev2_cp *cp)
{
	struct bytes list = cp->attrs;
	struct ikev2_cp_attr a;
	const char *sep = "";

	put(t, "%s(", cfg_briefs[cp->cfg_type]);
	while (ikev2_cp_next(&list, &a)) {
		put(t, "%s", sep);
		put_name(t, lookup(cfg_attrs, N_ELEMS(cfg_attrs), a.type), a.type);
		sep = " ";
	}
	put(t, ")");
}

static void
put_payload(struct text *t, const struct ikev2_payload *p)
{
	switch (p->type) {
	case IKEV2_PL_NOTIFY:
		put(t, "N(");
		put_name(t, notify_brief(p->u.notify.type), p->u.notify.type);
		put(t, ")");
		return;
	case IKEV2_PL_EAP:
		put(t, "EAP/%s", eap_codes[p->u.eap.code]);
		if (p->u.eap.code == IKEV2_EAP_REQUEST || p->u.eap.code == IKEV2_EAP_RESPONSE) {
			put(t, "/");
			put_name(t, lookup(eap_types, N_ELEMS(eap_types), p->u.eap.type), p->u.eap.type);
		}
		return;
	case IKEV2_PL_CP:
		put_cp(t, &p->u.cp);
		return;
	case IKEV2_PL_SKF:
		put(t, "EF(%u/%u)", p->u.sk.fragment, p->u.sk.fragments);
		return;
	default:
		put_name(t, payload_brief(p->type), p->type);
	}
}

size_t
ikev2_summary(const struct ikev2_header *h, const struct ikev2_chain *c, char *out, size_t size)
{
	struct text t = {out, size, 0};
	struct ikev2_iter it;
	struct ikev2_payload p;

	if (size)
		out[0] = '\0';
	put_name(&t, lookup(exchanges, N_ELEMS(exchanges), h->exchange), h->exchange);
	put(&t, " %s %u [", h->flags & IKEV2_FLAG_RESPONSE ? "response" : "request", h->message_id);
	ikev2_iter_init(&it, c);
	while (ikev2_iter_next(&it, &p)) {
		put(&t, " ");
		put_payload(&t, &p);
	}
	put(&t, " ]");
	return t.len;
}

size_t
ikev2_proposal_str(const struct ikev2_proposal *p, char *out, size_t size)
{
	/* strongSwan's order: encryption, integrity, PRF, DH group, ESN. */
	static const uint8_t order[] = {IKEV2_TRANS_ENCR, IKEV2_TRANS_INTEG, IKEV2_TRANS_PRF,
	    IKEV2_TRANS_DH, IKEV2_TRANS_ESN};
	struct text t = {out, size, 0};
	const char *sep = ":";

	if (size)
		out[0] = '\0';
	put(&t, "%s", ikev2_protocol_name(p->protocol));
	for (size_t i = 0; i < N_ELEMS(order); i++) {
		struct bytes list = p->transforms;
		struct ikev2_transform tr;
		while (ikev2_transform_next(&list, &tr)) {
			if (tr.type != order[i])
				continue;
			put(&t, "%s%s", sep, ikev2_transform_name(tr.type, tr.id));
			if (tr.key_length)
				put(&t, "_%u", tr.key_length);
			sep = "/";
		}
	}
	return t.len;
}
