/* ike_initiator.h - the initiator side of one IKEv2 SA (RFC 7296) as
 * tncclient needs it, pure.
 *
 * ike_initiator_start() sends IKE_SA_INIT with the configured proposals,
 * NAT detection, N(IKEV2_FRAGMENTATION_SUPPORTED) and optionally
 * N(SIGNATURE_HASH_ALGORITHMS); it is sent again
 * with the group an INVALID_KE_PAYLOAD names or with the COOKIE the
 * responder asks to be echoed (2.6, 1.2), a bounded number of times.
 * IKE_AUTH request 1 is strongSwan's with EAP: [ IDi N(INITIAL_CONTACT)
 * IDr? SA TSi TSr CP(CFG_REQUEST ADDR DNS)? N(EAP_ONLY_AUTHENTICATION)? ];
 * each EAP packet of the responder goes to ops->eap_request(), the owner's
 * EAP peer answers with ike_initiator_eap_response(); after EAP-Success
 * ike_initiator_eap_done() sends [ AUTH ] keyed with the MSK (2.16), the
 * responder's AUTH is verified with it (RFC 5998: the responder
 * authenticates through the EAP method only), and the CHILD_SA (ESP SPIs,
 * transforms, KEYMAT both ways, traffic selectors, virtual IP and DNS)
 * goes to ops->established().
 *
 * Every message of the responder is checked before it counts: IKE
 * header (SPIs, flags, exchange, message ID in the window), integrity,
 * then the payloads the exchange needs; a refusal leaves its reason in
 * ike_initiator_reason().  A message failing integrity is dropped and the
 * request is retransmitted as if it had not come (2.21.1).  Requests of
 * the responder (liveness checks, DELETE) are answered.  RFC 7383
 * fragments are reassembled, and our requests fragmented when the
 * responder supports it.
 *
 * Without eap_only the responder authenticates first with its certificate
 * (2.16: [ IDr CERT AUTH EAP ]), and with eap_only it may (RFC 5998 leaves
 * the choice to it; taken when cfg->trust is set): the certificate must chain to cfg->trust
 * and name the IDr (and cfg->cert_host when set), the AUTH be its
 * signature over the ResponderSignedOctets (ikev2_sig.h's methods); else
 * the SA ends with N(AUTHENTICATION_FAILED) sent and the reason.
 *
 * Not built: MOBIKE, rekeying, CHILD_SAs beyond the one of IKE_AUTH,
 * a NAT-T port change (the owner
 * reads ike_initiator_nat_local() after IKE_SA_INIT; the NATD hashes are
 * not recomputed).
 *
 * No sockets, no clock, no logging, no globals: time comes in as
 * milliseconds of the owner's monotonic clock, randomness (SPIs, nonce,
 * CBC IVs) from the owner's function; D-H private values from OpenSSL.
 */
#ifndef TNC_IKE_INITIATOR_H
#define TNC_IKE_INITIATOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ikev2.h"
#include "ikev2_keys.h"
#include "ikev2_suite.h"
#include "wire.h"

#include <openssl/types.h>

/* An IP address (4 or 16 octets, network order) and UDP port. */
struct ike_initiator_endpoint {
	uint8_t addr_len;
	uint8_t addr[16];
	uint16_t port;
};

/* One proposal: its transforms as sent (numbered in list order from 1). */
struct ike_initiator_proposal {
	const struct ikev2_transform_spec *transforms;
	size_t count;
};

struct ike_initiator_config {
	/* IKE proposals; the KE goes with the first D-H group of the first */
	const struct ike_initiator_proposal *ike;
	size_t ike_count;
	/* ESP proposals for the CHILD_SA (an ESN transform included as wanted) */
	const struct ike_initiator_proposal *esp;
	size_t esp_count;
	uint8_t id_type; /* IDi: enum ikev2_id_type and its data */
	struct bytes id;
	uint8_t idr_type; /* IDr: sent when idr.len, and the responder's must match */
	struct bytes idr;
	const struct ikev2_ts *tsi; /* the selectors proposed */
	size_t tsi_count;
	const struct ikev2_ts *tsr;
	size_t tsr_count;
	bool request_vip;  /* CP(CFG_REQUEST INTERNAL_IP4_ADDRESS INTERNAL_IP4_DNS) */
	bool eap_only;     /* N(EAP_ONLY_AUTHENTICATION), RFC 5998 */
	/* the responder certificate's trust anchors (required without
	 * eap_only; with it, NULL refuses a responder's certificate AUTH), and
	 * the name or address it must carry besides the IDr (NULL: none) */
	X509_STORE *trust;
	const char *cert_host;
	/* RFC 7427 hash algorithm IDs (2 octets each) announced in
	 * N(SIGNATURE_HASH_ALGORITHMS) as strongSwan does; empty: none */
	struct bytes hash_algs;
	size_t max_msg_len;     /* a datagram, and a reassembled message */
	size_t max_payloads;    /* per chain */
	size_t fragment_size;   /* our requests above it are fragmented */
	uint16_t max_fragments; /* of an incoming message */
	uint32_t retransmit_ms; /* the first retransmission; doubled each time */
	unsigned max_sends;     /* sends of one request before giving up */
};

/* Writes len random octets; 0 or a negative error. */
typedef int (*ike_initiator_random_fn)(void *arg, uint8_t *buf, size_t len);

struct ike_initiator_params {
	const struct ike_initiator_config *cfg; /* outlives the initiator */
	struct ike_initiator_endpoint local, remote;
	ike_initiator_random_fn random;
	void *random_arg;
	/* Known-answer tests only: the private value of every KE (as
	 * ikev2_dh_new() takes it; 32 octets suit each group), outliving the
	 * initiator; empty: a fresh one from OpenSSL each time. */
	struct bytes dh_private;
};

#define IKE_INITIATOR_MAX_TS 4
#define IKE_INITIATOR_MAX_DNS 4

/* A traffic selector as the responder narrowed it (addresses 4 or 16
 * octets, network order). */
struct ike_initiator_ts {
	uint8_t type, ip_proto, addr_len;
	uint16_t start_port, end_port;
	uint8_t start[16], end[16];
};

/* The CHILD_SA for the kernel: "in" is responder -> us, "out" us ->
 * responder. */
struct ike_initiator_child {
	uint32_t spi_in, spi_out;
	struct ikev2_suite esp;
	/* ei/ai: initiator (us) -> responder, i.e. outbound; er/ar inbound */
	struct ikev2_child_keys keys;
	struct ike_initiator_ts tsi[IKE_INITIATOR_MAX_TS], tsr[IKE_INITIATOR_MAX_TS];
	size_t tsi_count, tsr_count;
	bool has_virtual_ip;
	uint32_t virtual_ip; /* host order */
	uint32_t dns[IKE_INITIATOR_MAX_DNS]; /* host order */
	size_t dns_count;
	uint32_t auth_lifetime_s; /* N(AUTH_LIFETIME), 0 when absent */
};

struct ike_initiator;

/* What the initiator needs from its owner.  All callbacks are synchronous
 * and must not free the initiator; eap_request() may call
 * ike_initiator_eap_response() / _eap_done() right away. */
struct ike_initiator_ops {
	/* A datagram for the responder (already protected/fragmented). */
	void (*send)(void *arg, const uint8_t *msg, size_t len);
	/* An EAP packet of the responder (Request, Success or Failure),
	 * validated by eap_parse(). */
	void (*eap_request)(void *arg, struct bytes eap);
	/* The IKE SA is up; child is NULL when the responder refused the
	 * CHILD_SA (ike_initiator_reason() says with which notification). */
	void (*established)(void *arg, const struct ike_initiator_child *child);
	/* The SA ended other than by ike_initiator_close(); after this no
	 * callback comes. */
	void (*failed)(void *arg, const char *reason);
};

/* TNC_EINVALID for a config without proposals, selectors or limits. */
int ike_initiator_new(const struct ike_initiator_params *p, const struct ike_initiator_ops *ops,
    void *arg, struct ike_initiator **ret) TNC_MUST_CHECK;
/* Wipes the keys; no callback. */
void ike_initiator_free(struct ike_initiator *i);

/* Sends IKE_SA_INIT. */
int ike_initiator_start(struct ike_initiator *i, uint64_t now_ms) TNC_MUST_CHECK;

/* One datagram from the responder (the non-ESP marker of port 4500
 * removed).  0 when it was taken; a negative error when it was dropped or
 * refused, ike_initiator_reason() says why (a refusal may have ended the
 * SA, with ops->failed()). */
int ike_initiator_receive(struct ike_initiator *i, const uint8_t *msg, size_t len,
    uint64_t now_ms);

/* Retransmissions: call at the time it returns (0: nothing scheduled).
 * After max_sends unanswered sends the SA fails. */
uint64_t ike_initiator_timeout(struct ike_initiator *i, uint64_t now_ms);

/* The owner's EAP peer answered the EAP Request last delivered: the next
 * IKE_AUTH request carries eap (a Response).  TNC_ESTATE when no Request
 * waits for one. */
int ike_initiator_eap_response(struct ike_initiator *i, struct bytes eap, uint64_t now_ms);
/* After EAP-Success: [ AUTH ] with msk, the method's MSK (2.16). */
int ike_initiator_eap_done(struct ike_initiator *i, struct bytes msk, uint64_t now_ms);

/* Ends the SA: an established one with an INFORMATIONAL DELETE (sent,
 * retransmitted until answered or given up); no callback. */
int ike_initiator_close(struct ike_initiator *i, uint64_t now_ms);

uint64_t ike_initiator_spi_i(const struct ike_initiator *i);
uint64_t ike_initiator_spi_r(const struct ike_initiator *i); /* 0 until IKE_SA_INIT answered */
/* NAT detection (2.23) from the IKE_SA_INIT answer: a NAT in front of us
 * (the owner moves to port 4500 and UDP encapsulation), or in front of
 * the responder. */
bool ike_initiator_nat_local(const struct ike_initiator *i);
bool ike_initiator_nat_remote(const struct ike_initiator *i);
/* The IKE SA's transforms, valid once IKE_SA_INIT is answered. */
const struct ikev2_suite *ike_initiator_suite(const struct ike_initiator *i);
bool ike_initiator_established(const struct ike_initiator *i);
bool ike_initiator_closed(const struct ike_initiator *i);
/* Why the last call returned an error, or why the SA ended; never NULL. */
const char *ike_initiator_reason(const struct ike_initiator *i);
/* The responder's certificate AUTH, verified: its signature scheme as
 * strongSwan names it ("ECDSA_WITH_SHA256_DER", ...); NULL when it
 * authenticated through EAP only. */
const char *ike_initiator_responder_signature(const struct ike_initiator *i);
/* The data of the responder's IDr; empty before it came. */
struct bytes ike_initiator_responder_id(const struct ike_initiator *i);

#endif
