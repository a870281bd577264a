/* ikev2.h - IKEv2 messages (RFC 7296 section 3), fragments (RFC 7383).
 *
 * ikev2_msg_parse() validates a whole datagram: the IKE header, then the
 * payload chain, decoding every payload it knows to check it (unknown ones
 * are skipped unless critical, section 2.5).  The chain stops at an SK or
 * SKF payload, which must be the last one; once the caller has decrypted
 * it, ikev2_chain_parse() validates the inner chain the same way.  The
 * iterator then yields the decoded payloads as views into the buffer (no
 * allocation).  struct ikev2_builder writes a message or a bare chain (the
 * plaintext of an SK payload).  No crypto, no I/O, no logging, no globals.
 *
 * Failures fill struct parse_error: the code is the IKEv2 Notify error to
 * answer with (INVALID_SYNTAX, INVALID_MAJOR_VERSION,
 * UNSUPPORTED_CRITICAL_PAYLOAD), the offset counts from the start of the
 * message and names the offending field.  For UNSUPPORTED_CRITICAL_PAYLOAD
 * the offset is that of the Next Payload field naming the unknown type, so
 * buf[offset] is the one octet the notification carries (3.10.1).
 */
#ifndef TNC_IKEV2_H
#define TNC_IKEV2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "wire.h"

#define IKEV2_HEADER_LEN 28
#define IKEV2_PAYLOAD_HEADER_LEN 4
#define IKEV2_MAJOR_VERSION 2
#define IKEV2_MINOR_VERSION 0
/* Offset of the header's Next Payload field. */
#define IKEV2_HEADER_NEXT_AT 16

/* Header flags (3.1); the other bits are ignored on receipt. */
#define IKEV2_FLAG_INITIATOR 0x08
#define IKEV2_FLAG_VERSION 0x10
#define IKEV2_FLAG_RESPONSE 0x20

/* The critical bit of the generic payload header (3.2). */
#define IKEV2_PAYLOAD_CRITICAL 0x80

enum ikev2_exchange {
	IKEV2_IKE_SA_INIT = 34,
	IKEV2_IKE_AUTH = 35,
	IKEV2_CREATE_CHILD_SA = 36,
	IKEV2_INFORMATIONAL = 37,
	IKEV2_IKE_SESSION_RESUME = 38, /* RFC 5723 */
	IKEV2_IKE_INTERMEDIATE = 43,   /* RFC 9242 */
};

enum ikev2_payload_type {
	IKEV2_PL_NONE = 0,
	IKEV2_PL_SA = 33,
	IKEV2_PL_KE = 34,
	IKEV2_PL_IDI = 35,
	IKEV2_PL_IDR = 36,
	IKEV2_PL_CERT = 37,
	IKEV2_PL_CERTREQ = 38,
	IKEV2_PL_AUTH = 39,
	IKEV2_PL_NONCE = 40,
	IKEV2_PL_NOTIFY = 41,
	IKEV2_PL_DELETE = 42,
	IKEV2_PL_VENDOR = 43,
	IKEV2_PL_TSI = 44,
	IKEV2_PL_TSR = 45,
	IKEV2_PL_SK = 46,
	IKEV2_PL_CP = 47,
	IKEV2_PL_EAP = 48,
	IKEV2_PL_SKF = 53, /* RFC 7383 */
};

/* Security Protocol IDs (3.3.1, 3.10, 3.11). */
enum ikev2_protocol {
	IKEV2_PROTO_NONE = 0,
	IKEV2_PROTO_IKE = 1,
	IKEV2_PROTO_AH = 2,
	IKEV2_PROTO_ESP = 3,
};

enum ikev2_transform_type {
	IKEV2_TRANS_ENCR = 1,
	IKEV2_TRANS_PRF = 2,
	IKEV2_TRANS_INTEG = 3,
	IKEV2_TRANS_DH = 4,
	IKEV2_TRANS_ESN = 5,
};

/* The one transform attribute RFC 7296 defines (3.3.5), TV format. */
#define IKEV2_ATTR_KEY_LENGTH 14
#define IKEV2_ATTR_TV 0x8000

enum ikev2_id_type {
	IKEV2_ID_IPV4_ADDR = 1,
	IKEV2_ID_FQDN = 2,
	IKEV2_ID_RFC822_ADDR = 3,
	IKEV2_ID_IPV6_ADDR = 5,
	IKEV2_ID_DER_ASN1_DN = 9,
	IKEV2_ID_DER_ASN1_GN = 10,
	IKEV2_ID_KEY_ID = 11,
};

/* CERT / CERTREQ encodings used here (3.6). */
#define IKEV2_CERT_X509_SIGNATURE 4
/* An X.509 CERTREQ lists SHA-1 hashes of CA public keys (3.7). */
#define IKEV2_CERTREQ_HASH_LEN 20

enum ikev2_ts_type {
	IKEV2_TS_IPV4_ADDR_RANGE = 7,
	IKEV2_TS_IPV6_ADDR_RANGE = 8,
};

enum ikev2_cfg_type {
	IKEV2_CFG_REQUEST = 1,
	IKEV2_CFG_REPLY = 2,
	IKEV2_CFG_SET = 3,
	IKEV2_CFG_ACK = 4,
};

enum ikev2_cfg_attr {
	IKEV2_CFG_INTERNAL_IP4_ADDRESS = 1,
	IKEV2_CFG_INTERNAL_IP4_NETMASK = 2,
	IKEV2_CFG_INTERNAL_IP4_DNS = 3,
	IKEV2_CFG_INTERNAL_IP4_NBNS = 4,
	IKEV2_CFG_INTERNAL_IP4_DHCP = 6,
	IKEV2_CFG_APPLICATION_VERSION = 7,
	IKEV2_CFG_INTERNAL_IP6_ADDRESS = 8,
	IKEV2_CFG_INTERNAL_IP6_DNS = 10,
	IKEV2_CFG_INTERNAL_IP6_DHCP = 12,
	IKEV2_CFG_INTERNAL_IP4_SUBNET = 13,
	IKEV2_CFG_SUPPORTED_ATTRIBUTES = 14,
	IKEV2_CFG_INTERNAL_IP6_SUBNET = 15,
};
#define IKEV2_CFG_ATTR_TYPE_MASK 0x7fff

/* Notify Message Types (3.10.1 and later RFCs): the ones this codec checks
 * or names.  Below 16384 errors, from 16384 status. */
enum ikev2_notify_type {
	IKEV2_N_UNSUPPORTED_CRITICAL_PAYLOAD = 1,
	IKEV2_N_INVALID_IKE_SPI = 4,
	IKEV2_N_INVALID_MAJOR_VERSION = 5,
	IKEV2_N_INVALID_SYNTAX = 7,
	IKEV2_N_INVALID_MESSAGE_ID = 9,
	IKEV2_N_INVALID_SPI = 11,
	IKEV2_N_NO_PROPOSAL_CHOSEN = 14,
	IKEV2_N_INVALID_KE_PAYLOAD = 17,
	IKEV2_N_AUTHENTICATION_FAILED = 24,
	IKEV2_N_SINGLE_PAIR_REQUIRED = 34,
	IKEV2_N_NO_ADDITIONAL_SAS = 35,
	IKEV2_N_INTERNAL_ADDRESS_FAILURE = 36,
	IKEV2_N_FAILED_CP_REQUIRED = 37,
	IKEV2_N_TS_UNACCEPTABLE = 38,
	IKEV2_N_INVALID_SELECTORS = 39,
	IKEV2_N_TEMPORARY_FAILURE = 43,
	IKEV2_N_CHILD_SA_NOT_FOUND = 44,
	IKEV2_N_INITIAL_CONTACT = 16384,
	IKEV2_N_SET_WINDOW_SIZE = 16385,
	IKEV2_N_ADDITIONAL_TS_POSSIBLE = 16386,
	IKEV2_N_IPCOMP_SUPPORTED = 16387,
	IKEV2_N_NAT_DETECTION_SOURCE_IP = 16388,
	IKEV2_N_NAT_DETECTION_DESTINATION_IP = 16389,
	IKEV2_N_COOKIE = 16390,
	IKEV2_N_USE_TRANSPORT_MODE = 16391,
	IKEV2_N_HTTP_CERT_LOOKUP_SUPPORTED = 16392,
	IKEV2_N_REKEY_SA = 16393,
	IKEV2_N_ESP_TFC_PADDING_NOT_SUPPORTED = 16394,
	IKEV2_N_NON_FIRST_FRAGMENTS_ALSO = 16395,
	IKEV2_N_MOBIKE_SUPPORTED = 16396,
	IKEV2_N_ADDITIONAL_IP4_ADDRESS = 16397,
	IKEV2_N_ADDITIONAL_IP6_ADDRESS = 16398,
	IKEV2_N_NO_ADDITIONAL_ADDRESSES = 16399,
	IKEV2_N_UPDATE_SA_ADDRESSES = 16400,
	IKEV2_N_COOKIE2 = 16401,
	IKEV2_N_NO_NATS_ALLOWED = 16402,
	IKEV2_N_AUTH_LIFETIME = 16403,
	IKEV2_N_MULTIPLE_AUTH_SUPPORTED = 16404,
	IKEV2_N_ANOTHER_AUTH_FOLLOWS = 16405,
	IKEV2_N_REDIRECT_SUPPORTED = 16406,
	IKEV2_N_REDIRECT = 16407,
	IKEV2_N_REDIRECTED_FROM = 16408,
	IKEV2_N_EAP_ONLY_AUTHENTICATION = 16417,
	IKEV2_N_CHILDLESS_IKEV2_SUPPORTED = 16418,
	IKEV2_N_IKEV2_FRAGMENTATION_SUPPORTED = 16430,
	IKEV2_N_SIGNATURE_HASH_ALGORITHMS = 16431,
	IKEV2_N_INTERMEDIATE_EXCHANGE_SUPPORTED = 16438,
};
/* NAT_DETECTION_*_IP data is a SHA-1 digest (2.23). */
#define IKEV2_NATD_LEN 20
/* COOKIE data: 1 to 64 octets (2.6). */
#define IKEV2_COOKIE_MAX 64
/* Nonce data: 16 to 256 octets (3.9). */
#define IKEV2_NONCE_MIN 16
#define IKEV2_NONCE_MAX 256

/* EAP codes (RFC 3748 4), the only part of the EAP message read here. */
enum ikev2_eap_code {
	IKEV2_EAP_REQUEST = 1,
	IKEV2_EAP_RESPONSE = 2,
	IKEV2_EAP_SUCCESS = 3,
	IKEV2_EAP_FAILURE = 4,
};
#define IKEV2_EAP_HEADER_LEN 4

struct ikev2_header {
	uint64_t spi_i;
	uint64_t spi_r;
	uint8_t next_payload;
	uint8_t major;
	uint8_t minor;
	uint8_t exchange;
	uint8_t flags; /* as received, unknown bits included */
	uint32_t message_id;
	uint32_t length;
};

/* Every struct bytes below is a view into the parsed buffer. */

/* A proposal (3.3.1); its transforms are read with ikev2_transform_next(). */
struct ikev2_proposal {
	uint8_t num;
	uint8_t protocol; /* enum ikev2_protocol */
	uint8_t transform_count;
	struct bytes spi;
	struct bytes transforms;
};

struct ikev2_transform {
	uint8_t type; /* enum ikev2_transform_type */
	uint16_t id;
	uint16_t key_length; /* the Key Length attribute, 0 when absent */
	/* All attributes as received: key_length is the only one encoded, so
	 * a transform with other attributes does not re-encode identically. */
	struct bytes attrs;
};

struct ikev2_ke {
	uint16_t group;
	struct bytes data;
};

struct ikev2_id {
	uint8_t type; /* enum ikev2_id_type */
	struct bytes data;
};

/* CERT and CERTREQ. */
struct ikev2_cert {
	uint8_t encoding;
	struct bytes data;
};

struct ikev2_auth {
	uint8_t method;
	struct bytes data;
};

struct ikev2_notify {
	uint8_t protocol;
	uint16_t type; /* enum ikev2_notify_type */
	struct bytes spi;
	struct bytes data;
};

struct ikev2_delete {
	uint8_t protocol;
	uint8_t spi_size;
	uint16_t spi_count;
	struct bytes spis;
};

/* TSi / TSr: count selectors, read with ikev2_ts_next(). */
struct ikev2_ts_list {
	uint8_t count;
	struct bytes selectors;
};

struct ikev2_ts {
	uint8_t type; /* enum ikev2_ts_type */
	uint8_t ip_proto;
	uint16_t start_port;
	uint16_t end_port;
	struct bytes start; /* 4 or 16 octets */
	struct bytes end;
};

/* CP: attributes read with ikev2_cp_next(). */
struct ikev2_cp {
	uint8_t cfg_type; /* enum ikev2_cfg_type */
	struct bytes attrs;
};

struct ikev2_cp_attr {
	uint16_t type; /* enum ikev2_cfg_attr; the reserved bit cleared */
	struct bytes value;
};

/* SK (3.14) before decryption: the whole Encrypted field; split it with
 * ikev2_sk_split().  SKF (RFC 7383 2.5) adds the fragment numbers. */
struct ikev2_sk {
	uint16_t fragment;  /* SKF only: 1..total */
	uint16_t fragments; /* SKF only: the total */
	struct bytes encrypted;
};

/* EAP: the message as bytes, with the header fields read for names. */
struct ikev2_eap {
	uint8_t code; /* enum ikev2_eap_code */
	uint8_t id;
	uint8_t type; /* Request / Response: the EAP type; else 0 */
	struct bytes msg;
};

struct ikev2_payload {
	uint8_t type;  /* enum ikev2_payload_type */
	uint8_t next;  /* as received; for SK/SKF the first inner payload */
	bool critical; /* as received; ignored for known types (2.5) */
	uint32_t offset; /* of the generic header, from the start of the message */
	struct bytes body; /* after the generic header */
	union {
		struct bytes sa; /* the proposals: ikev2_proposal_next() */
		struct ikev2_ke ke;
		struct ikev2_id id;           /* IDi, IDr */
		struct ikev2_cert cert;       /* CERT, CERTREQ */
		struct ikev2_auth auth;
		struct bytes nonce;
		struct ikev2_notify notify;
		struct ikev2_delete del;
		struct bytes vendor;
		struct ikev2_ts_list ts;      /* TSi, TSr */
		struct ikev2_sk sk;           /* SK, SKF */
		struct ikev2_cp cp;
		struct ikev2_eap eap;
	} u;
};

/* A validated payload chain: the payloads from first, in buf. */
struct ikev2_chain {
	uint8_t first;
	struct bytes buf;
	uint32_t base;  /* offset of buf within the message, for error offsets */
	bool response;  /* the message's R flag: proposal numbering depends on it */
	size_t count;   /* payloads, skipped unknown ones included */
};

struct ikev2_msg {
	struct ikev2_header hdr;
	struct ikev2_chain chain;
};

struct ikev2_limits {
	size_t max_msg_len;
	size_t max_payloads; /* per chain */
};

/* Validates the datagram buf[0..len) (the header's length must equal len)
 * and its payload chain up to SK/SKF.  *ret views buf. */
int ikev2_msg_parse(const uint8_t *buf, size_t len, const struct ikev2_limits *lim,
    struct ikev2_msg *ret, struct parse_error *ret_err) TNC_MUST_CHECK;

/* Validates a payload chain starting with type first (the decrypted
 * content of an SK payload, padding removed), named by the Next Payload
 * field at first_named_at (the SK payload's offset); base is the offset the
 * errors add (that of the SK payload's Encrypted field), as if the
 * plaintext stood there.  SK and SKF may not appear in it. */
int ikev2_chain_parse(uint8_t first, uint32_t first_named_at, const uint8_t *buf, size_t len,
    uint32_t base, bool response, const struct ikev2_limits *lim, struct ikev2_chain *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;

/* Iterates over a chain validated by one of the functions above, yielding
 * each payload of a known type (unknown non-critical ones are skipped). */
struct ikev2_iter {
	struct wire_reader r;
	uint8_t next;
	uint32_t base;
	bool response;
};
void ikev2_iter_init(struct ikev2_iter *it, const struct ikev2_chain *c);
bool ikev2_iter_next(struct ikev2_iter *it, struct ikev2_payload *ret);

/* Decodes p->body into p->u by p->type (p->offset is used for errors).
 * Exposed for tools; the parsers above call it on every known payload. */
int ikev2_payload_decode(struct ikev2_payload *p, bool response,
    struct parse_error *ret_err) TNC_MUST_CHECK;
bool ikev2_payload_known(uint8_t type);

/* Sub-structure iterators over validated payloads: each takes the next
 * element off the front of *list; false at the end. */
bool ikev2_proposal_next(struct bytes *list, struct ikev2_proposal *ret);
bool ikev2_transform_next(struct bytes *list, struct ikev2_transform *ret);
bool ikev2_ts_next(struct bytes *list, struct ikev2_ts *ret);
bool ikev2_cp_next(struct bytes *list, struct ikev2_cp_attr *ret);

/* Splits an SK/SKF Encrypted field into IV, ciphertext (with padding and
 * Pad Length) and ICV for the negotiated transform: iv_len and icv_len in
 * octets, block the cipher's block size (1 for stream and AEAD modes);
 * the ciphertext must be a non-empty multiple of block. */
int ikev2_sk_split(struct bytes encrypted, size_t iv_len, size_t icv_len, size_t block,
    struct bytes *iv, struct bytes *ciphertext, struct bytes *icv) TNC_MUST_CHECK;

/* Builder.  Appends never fail individually: the first error sticks and
 * ikev2_builder_finish() reports it (TNC_ETOOLONG past max_len or a 16-bit
 * length, TNC_EINVALID for a count or size its field cannot hold,
 * TNC_ESTATE for a payload after SK / SKF).  The builder writes what it is
 * given, valid or not (tests build malformed messages with it); a struct
 * bytes with a NULL ptr must be empty, except as ikev2_builder_add_sk()
 * says. */
struct ikev2_builder {
	struct wire_writer w;
	bool has_header;
	uint8_t first;     /* type of the first payload (for a bare chain) */
	size_t next_at;    /* where the previous Next Payload field is */
};

/* A message with the header fields of h (next_payload and length are
 * filled in as payloads are added and on finish). */
void ikev2_builder_init(struct ikev2_builder *b, const struct ikev2_header *h, size_t max_len);
/* A bare chain: the plaintext of an SK payload. */
void ikev2_builder_init_chain(struct ikev2_builder *b, size_t max_len);

/* Proposals as a responder or initiator writes them. */
struct ikev2_transform_spec {
	uint8_t type;
	uint16_t id;
	uint16_t key_length; /* 0: no Key Length attribute */
};
struct ikev2_proposal_spec {
	uint8_t num;
	uint8_t protocol;
	struct bytes spi;
	const struct ikev2_transform_spec *transforms;
	size_t transform_count;
};

void ikev2_builder_add_sa(struct ikev2_builder *b, const struct ikev2_proposal_spec *props,
    size_t count);
void ikev2_builder_add_ke(struct ikev2_builder *b, uint16_t group, struct bytes data);
void ikev2_builder_add_id(struct ikev2_builder *b, uint8_t payload_type, uint8_t id_type,
    struct bytes data);
void ikev2_builder_add_cert(struct ikev2_builder *b, uint8_t payload_type, uint8_t encoding,
    struct bytes data);
void ikev2_builder_add_auth(struct ikev2_builder *b, uint8_t method, struct bytes data);
void ikev2_builder_add_nonce(struct ikev2_builder *b, struct bytes nonce);
void ikev2_builder_add_notify(struct ikev2_builder *b, uint8_t protocol, struct bytes spi,
    uint16_t type, struct bytes data);
void ikev2_builder_add_delete(struct ikev2_builder *b, uint8_t protocol, uint8_t spi_size,
    uint16_t spi_count, struct bytes spis);
void ikev2_builder_add_vendor(struct ikev2_builder *b, struct bytes vid);
void ikev2_builder_add_ts(struct ikev2_builder *b, uint8_t payload_type,
    const struct ikev2_ts *ts, size_t count);
void ikev2_builder_add_cp(struct ikev2_builder *b, uint8_t cfg_type,
    const struct ikev2_cp_attr *attrs, size_t count);
void ikev2_builder_add_eap(struct ikev2_builder *b, struct bytes eap_msg);
/* SK (payload_type IKEV2_PL_SK) or SKF (IKEV2_PL_SKF, with fragment and
 * fragments); must be the last payload.  first_inner is the type of the
 * first encrypted payload.  A NULL ptr in iv, ciphertext or icv writes that
 * many zero octets, for a caller that encrypts in place after finish. */
void ikev2_builder_add_sk(struct ikev2_builder *b, uint8_t payload_type, uint8_t first_inner,
    uint16_t fragment, uint16_t fragments, struct bytes iv, struct bytes ciphertext,
    struct bytes icv);
/* Any payload as decoded (the round trip of ikev2_payload_decode()):
 * SA proposals and transforms are rewritten field by field, a transform
 * keeping only its Key Length attribute; the critical bit is not set. */
void ikev2_builder_add(struct ikev2_builder *b, const struct ikev2_payload *p);
/* Patches the length; *ret views the message (or chain), valid until
 * ikev2_builder_clear(). */
int ikev2_builder_finish(struct ikev2_builder *b, struct bytes *ret) TNC_MUST_CHECK;
void ikev2_builder_clear(struct ikev2_builder *b);

/* Names for logs and tncdump; never NULL ("unknown" for undefined values). */
const char *ikev2_exchange_name(uint8_t exchange);
const char *ikev2_payload_name(uint8_t type);       /* "NOTIFY", "TRAFFIC_SELECTOR_INITIATOR" */
const char *ikev2_notify_name(uint16_t type);       /* "NAT_DETECTION_SOURCE_IP" */
const char *ikev2_protocol_name(uint8_t protocol);  /* "IKE", "ESP" */
const char *ikev2_transform_type_name(uint8_t type);
const char *ikev2_transform_name(uint8_t type, uint16_t id); /* "AES_CBC", "MODP_2048" */

/* The summary strongSwan logs after "parsed " / "generating ", e.g.
 * "IKE_SA_INIT request 0 [ SA KE No N(NATD_S_IP) N(NATD_D_IP) ]", of the
 * header h and the chain c (the outer chain, or the decrypted inner one).
 * Truncated to fit out[0..size); returns the length it needed. */
size_t ikev2_summary(const struct ikev2_header *h, const struct ikev2_chain *c, char *out,
    size_t size);
/* A proposal as "IKE:AES_CBC_256/HMAC_SHA2_256_128/PRF_HMAC_SHA2_256/MODP_2048". */
size_t ikev2_proposal_str(const struct ikev2_proposal *p, char *out, size_t size);

#endif
