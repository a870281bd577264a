/* ike_sa.h - the responder side of one IKEv2 SA (RFC 7296), pure.
 *
 * The owner (tnc-ike) creates one struct ike_sa per IKE_SA_INIT request it
 * accepts (after ike_cookie_check() when it is under load), feeds it every
 * datagram addressed to its SPIs with ike_sa_receive(), and calls
 * ike_sa_timeout() at the time it last returned.  The SA answers through
 * ops->send (protected, fragmented per RFC 7383 when the peer supports it),
 * runs IKE_AUTH with EAP through the owner's EAP conversation (seam 1:
 * eap_start / eap_response out, ike_sa_eap_request() / ike_sa_eap_done()
 * in) and hands the CHILD_SA's keys to child_up().
 *
 * Authentication: the peer with EAP (MSK-based AUTH, RFC 7296 2.16); the
 * gateway with EAP only (RFC 5998) when the peer sends
 * N(EAP_ONLY_AUTHENTICATION) and cfg->sign_always is false, else with its
 * certificate and a signature AUTH in the first IKE_AUTH response
 * (cfg->sign_key; without one such a peer is refused with
 * AUTHENTICATION_FAILED).  The peer may rekey the
 * CHILD_SA and the IKE SA (CREATE_CHILD_SA, ike_sa_rekey*.c).  Not built
 * yet: CHILD_SAs beyond the one of IKE_AUTH (a CREATE_CHILD_SA for a new
 * one gets NO_ADDITIONAL_SAS), IPv6 traffic selectors and virtual IPs.
 *
 * No sockets, no clock, no logging, no globals: time comes in as
 * milliseconds of the owner's monotonic clock, randomness from the owner's
 * function.  Every refusal leaves a reason (ike_sa_reason()).
 */
#ifndef TNC_IKE_SA_H
#define TNC_IKE_SA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "ike_pool.h"
#include "ikev2.h"
#include "ikev2_keys.h"
#include "ikev2_suite.h"
#include "wire.h"

#include <openssl/types.h>

/* An IP address (4 or 16 octets, network order) and UDP port. */
struct ike_endpoint {
	uint8_t addr_len;
	uint8_t addr[16];
	uint16_t port;
};

/* One IKE SA transform set we accept; the list is in our preference order. */
struct ike_suite_cfg {
	uint16_t encr, encr_bits, integ, prf, dh;
};

/* One ESP transform set we accept (no ESN; no PFS in IKE_AUTH). */
struct ike_esp_cfg {
	uint16_t encr, encr_bits, integ;
};

/* An IPv4 traffic selector: addresses in host order, inclusive ranges;
 * ip_proto 0 is any protocol. */
struct ike_ts4 {
	uint32_t start, end;
	uint8_t ip_proto;
	uint16_t start_port, end_port;
};

/* A connection the EAP result selects by name (its CHILD_SA). */
struct ike_conn_cfg {
	const char *name;
	struct ike_ts4 local_ts;
	bool remote_is_virtual_ip; /* remote TS: the peer's virtual IP (/32) */
	struct ike_ts4 remote_ts;  /* otherwise */
	const struct ike_esp_cfg *esp;
	size_t esp_count;
	uint32_t lifetime_s; /* the CHILD_SA's: not rekeyed by the peer within it, the
	                      * IKE SA is deleted (it carries this one CHILD_SA) */
	struct ike_pool *pool; /* virtual IPs; NULL: none offered */
	const uint32_t *dns;   /* INTERNAL_IP4_DNS answers, host order */
	size_t dns_count;
};

struct ike_sa_config {
	const struct ike_suite_cfg *suites;
	size_t suite_count;
	const struct ike_conn_cfg *conns;
	size_t conn_count;
	uint8_t id_type; /* IDr: enum ikev2_id_type and its data */
	struct bytes id;
	size_t max_msg_len;      /* a datagram, and a reassembled message */
	size_t max_payloads;     /* per chain */
	size_t fragment_size;    /* outgoing datagrams above it are fragmented */
	uint16_t max_fragments;  /* of an incoming message */
	uint32_t ike_lifetime_s; /* N(AUTH_LIFETIME); the SA is deleted after it */
	uint32_t half_open_ms;   /* until established, else closed */
	uint32_t dpd_ms;         /* idle time before a liveness check; 0: none */
	/* Gateway certificate AUTH (RFC 7296 2.15, 2.16): a peer that does not
	 * send N(EAP_ONLY_AUTHENTICATION) gets [ IDr CERT AUTH EAP ] with
	 * cert_der (our X.509 certificate, DER) and a signature of sign_key
	 * (its private key, loaded before the sandbox); NULL: it is refused. */
	struct bytes cert_der;
	EVP_PKEY *sign_key;
	bool sign_always; /* also when the peer offers EAP-only (RFC 5998 lets us) */
};

/* Writes len random octets; 0 or a negative error. */
typedef int (*ike_random_fn)(void *arg, uint8_t *buf, size_t len);

struct ike_sa_params {
	const struct ike_sa_config *cfg; /* outlives the SA */
	struct ike_endpoint local, remote;
	ike_random_fn random;
	void *random_arg;
	uint64_t now_ms;
};

/* A CHILD_SA for the kernel: "in" is peer -> us, "out" us -> peer. */
struct ike_child_sa {
	const char *conn_name;
	uint32_t spi_in, spi_out;
	struct ikev2_suite esp;
	/* ei/ai: initiator (peer) -> responder, i.e. inbound; er/ar outbound */
	struct ikev2_child_keys keys;
	struct ike_ts4 ts_local, ts_remote; /* narrowed */
	struct ike_endpoint local, peer;
	bool has_virtual_ip;
	uint32_t virtual_ip; /* host order */
	uint32_t lifetime_s;
	/* CHILD_SA rekeying: this one replaces the CHILD_SA with these SPIs
	 * (0: it replaces none), which stays up until its child_down() */
	uint32_t rekeys_spi_in, rekeys_spi_out;
};

struct ike_sa;

/* What the IKE SA needs from its owner.  All callbacks are synchronous and
 * must not free the SA. */
struct ike_sa_ops {
	/* A datagram for the peer (already protected/fragmented); the owner sends
	 * it to the peer's current address, from the local address the SA knows. */
	void (*send)(void *arg, const uint8_t *msg, size_t len);
	/* IKE_AUTH without AUTH: the peer wants EAP.  peer_id is the IDi payload
	 * body (ID type octet, 3 reserved, data).  The owner starts its EAP
	 * conversation and later calls ike_sa_eap_request(). */
	void (*eap_start)(void *arg, struct bytes peer_id);
	/* An EAP packet (a Response) from the peer, validated by eap_parse(). */
	void (*eap_response)(void *arg, struct bytes eap);
	/* The IKE SA is established with a CHILD_SA (keys for the kernel), or
	 * a CHILD_SA / the IKE SA ended.  child_down() comes before closed()
	 * for a CHILD_SA still up; after closed() no callback comes. */
	void (*child_up)(void *arg, const struct ike_child_sa *child);
	void (*child_down)(void *arg, const struct ike_child_sa *child);
	void (*closed)(void *arg, const char *reason);
	/* Optional (NULL: not called).  A protected message's header and inner
	 * chain (decrypted, reassembled), received (before it is acted on) or
	 * about to be sent, for the owner's log: "parsed IKE_AUTH request 1
	 * [ IDi N(INIT_CONTACT) ... ]". */
	void (*message)(void *arg, bool sent, const struct ikev2_header *h,
	    const struct ikev2_chain *inner);
	/* Optional.  The peer's AUTH verified: the IKE SA is established (with
	 * or without a CHILD_SA; before child_up()).  initial_contact: its
	 * IKE_AUTH carried N(INITIAL_CONTACT), so the owner may delete the
	 * other IKE SAs of the same peer identity (RFC 7296 2.4). */
	void (*established)(void *arg, bool initial_contact);
	/* Optional.  MOBIKE: the peer moved the IKE SA with
	 * UPDATE_SA_ADDRESSES to remote, talking to our local (the request's
	 * source and destination); child: the CHILD_SA, its endpoints moved,
	 * or NULL.  The owner sends to remote from now on and moves the
	 * CHILD_SA's kernel state. */
	void (*moved)(void *arg, const struct ike_endpoint *local,
	    const struct ike_endpoint *remote, const struct ike_child_sa *child);
};

/* A new SA for the IKE_SA_INIT request the owner passes next to
 * ike_sa_receive().  TNC_EINVALID for a config without suites or limits. */
int ike_sa_new(const struct ike_sa_params *p, const struct ike_sa_ops *ops, void *arg,
    struct ike_sa **ret) TNC_MUST_CHECK;
/* Wipes the keys, releases the virtual IP; no callback. */
void ike_sa_free(struct ike_sa *sa);

/* One datagram from the peer (the non-ESP marker of port 4500 removed).
 * 0 when it was processed (answered, or a response of ours consumed); a
 * negative error when it was dropped or refused, ike_sa_reason() says why
 * (a refusal may have been answered with an error notification, and may
 * have closed the SA). */
int ike_sa_receive(struct ike_sa *sa, const uint8_t *msg, size_t len, uint64_t now_ms);
/* ike_sa_receive() of a datagram that came from remote to our local: with
 * MOBIKE (RFC 4555) an authenticated UPDATE_SA_ADDRESSES moves the SA to
 * these endpoints (ike_sa_receive() takes the SA's own as the datagram's).
 * TNC_EINVALID for an endpoint neither IPv4 nor IPv6. */
int ike_sa_receive_from(struct ike_sa *sa, const uint8_t *msg, size_t len,
    const struct ike_endpoint *local, const struct ike_endpoint *remote,
    uint64_t now_ms);

/* Timers: call at the time it returns (0: nothing scheduled).  Ends a
 * half-open SA, checks an idle peer's liveness (DPD), deletes the SA at
 * its lifetime (as ike_sa_delete()) and retransmits the DELETE. */
uint64_t ike_sa_timeout(struct ike_sa *sa, uint64_t now_ms);

/* The owner's EAP conversation produced an EAP packet (Request, Success or
 * Failure) for the peer: it goes out in the IKE_AUTH response now pending. */
int ike_sa_eap_request(struct ike_sa *sa, struct bytes eap);
/* The EAP conversation ended.  success: msk is the MSK (AUTH key per RFC
 * 7296 2.16) and conn_name selects the configured connection (its TS,
 * ESP proposals, pool) for the CHILD_SA; failure: the EAP-Failure was
 * already passed to ike_sa_eap_request(); the IKE SA ends with
 * AUTHENTICATION_FAILED at the peer's next request. */
int ike_sa_eap_done(struct ike_sa *sa, bool success, struct bytes msk,
    const char *conn_name);

/* The owner ends the SA (its kernel SAs could not be installed): the
 * CHILD_SA goes down (child_down()) and the virtual IP back to the pool at
 * once; an established SA then sends the peer a DELETE of the IKE SA,
 * retransmitted (ike_sa_timeout()) until the peer answers or gives no
 * answer for 15 s, and only then closed(reason).  Until then the SA answers
 * the peer's INFORMATIONAL requests: the peer may not have taken the SA as
 * established when the first DELETE came (strongSwan ignores it then). */
void ike_sa_delete(struct ike_sa *sa, const char *reason, uint64_t now_ms);
/* Ends the SA at once and tells the peer nothing (it has forgotten the SA:
 * another SA of its identity came with INITIAL_CONTACT): CHILD_SA down,
 * virtual IP released, closed(reason). */
void ike_sa_close(struct ike_sa *sa, const char *reason);

/* The SA moved (NAT-T: both ends to port 4500, or a NAT mapping changed):
 * the endpoints its CHILD_SA's kernel SAs are installed between. */
void ike_sa_set_endpoints(struct ike_sa *sa, const struct ike_endpoint *local,
    const struct ike_endpoint *remote);
/* Both sides sent N(MOBIKE_SUPPORTED): only the peer's UPDATE_SA_ADDRESSES
 * moves the SA then (moved()), not the owner's NAT-T tracking. */
bool ike_sa_mobike(const struct ike_sa *sa);

uint64_t ike_sa_spi_i(const struct ike_sa *sa);
uint64_t ike_sa_spi_r(const struct ike_sa *sa); /* 0 until IKE_SA_INIT answered */
/* After the peer rekeyed the IKE SA (its SPIs are then the new ones), the
 * old SA's SPIs until the peer deleted it: true and both filled. */
bool ike_sa_old_spis(const struct ike_sa *sa, uint64_t *spi_i, uint64_t *spi_r);
/* NAT detection (RFC 7296 2.23) from IKE_SA_INIT: a NAT in front of the
 * peer (the owner then talks to it on 4500 and uses UDP encapsulation),
 * or in front of us. */
bool ike_sa_nat_remote(const struct ike_sa *sa);
bool ike_sa_nat_local(const struct ike_sa *sa);
/* The IKE SA's negotiated transforms and D-H group, once IKE_SA_INIT is
 * answered: true and *ret filled, else false. */
bool ike_sa_ike_suite(const struct ike_sa *sa, struct ike_suite_cfg *ret);
bool ike_sa_established(const struct ike_sa *sa);
bool ike_sa_closed(const struct ike_sa *sa);
/* Why the last call returned an error, or why the SA closed; never NULL. */
const char *ike_sa_reason(const struct ike_sa *sa);

#endif
