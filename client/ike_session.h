/* ike_session.h - one IKEv2 session of tncclient's initiator mode: a UDP
 * socket to the responder (its IKE port, then its NAT-T port with the
 * non-ESP marker when the initiator detects a NAT in front of us), an
 * ike_initiator and an eap_peer joined as RFC 7296 2.16 joins them: the
 * responder's EAP packets go to the peer, its Responses back into
 * IKE_AUTH, its MSK keys the AUTH payload.  The EAP-TNC batches are the
 * owner's TNCC's, through the pb_transport ike_session_transport() gives.
 *
 * Everything blocks within the client's deadline (deadline.h); the
 * retransmissions are the initiator's, timed by the same clock.
 */
#ifndef TNC_IKE_SESSION_H
#define TNC_IKE_SESSION_H

#include <openssl/ssl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "ike_initiator.h"
#include "pb_client.h"
#include "wire.h"

struct ike_session_config {
	const char *host;   /* the responder: a name or an address */
	uint16_t port;      /* its IKE port (500) */
	uint16_t natt_port; /* its NAT-T port (4500) */
	const char *identity; /* IDi and the inner EAP-Identity */
	struct bytes md5_secret;
	X509_STORE *trust;       /* the EAP-TTLS server certificate's anchors */
	const char *server_name; /* the name that certificate must carry; NULL: any */
	X509 *cert;              /* an EAP-TTLS client certificate and key, or NULL */
	EVP_PKEY *key;
	bool request_vip;        /* CP(CFG_REQUEST) for a virtual IP and DNS */
	/* the responder authenticates with its certificate (chaining to trust,
	 * naming server_name) and a signature AUTH; else EAP-only (RFC 5998) */
	bool gateway_cert;
	size_t ike_fragment_size; /* our IKE messages above it go in RFC 7383 fragments */
	size_t eap_fragment_size; /* PB-TNC octets per EAP-TNC packet */
	/* the connection's name in the log lines ("home" in the seeds) */
	const char *name;
};

struct ike_session;

/* Resolves the responder, connects the socket and sends IKE_SA_INIT.
 * TNC_EINVALID for a name that does not resolve or a configuration the
 * libraries refuse; the reason is logged. */
int ike_session_open(const struct ike_session_config *cfg, struct ike_session **ret)
    TNC_MUST_CHECK;
void ike_session_free(struct ike_session *s);

/* Runs the exchanges until the EAP-TNC method wants the TNCC's first
 * batch: 0; TNC_ENOTFOUND when the EAP conversation or the SA ended before
 * (no TNC method: see ike_session_established()); TNC_ETIMEOUT at the
 * deadline. */
int ike_session_wait_tnc(struct ike_session *s) TNC_MUST_CHECK;

/* The TNCC's transport: batches into EAP-TNC Responses; the server's
 * batches as they come (blocking, within the deadline). */
struct pb_transport ike_session_transport(struct ike_session *s);

/* After the TNCC's last batch: runs the exchanges until the IKE SA is up
 * (0) or the EAP conversation or the SA failed (TNC_EPEER, the reason in
 * ike_session_reason()); TNC_ETIMEOUT at the deadline. */
int ike_session_wait_established(struct ike_session *s) TNC_MUST_CHECK;

/* Keeps the established SA (liveness checks and the responder's requests
 * answered) until *stop becomes true (a signal) or the SA ends: 0, or
 * TNC_EPEER when the responder ended it. */
int ike_session_stay(struct ike_session *s, volatile const sig_atomic_t *stop) TNC_MUST_CHECK;

/* An INFORMATIONAL DELETE of the IKE SA, waited for until answered or
 * given up (bounded by the initiator's retransmissions and the deadline). */
void ike_session_close(struct ike_session *s);

bool ike_session_established(const struct ike_session *s);
/* The CHILD_SA once established; NULL when the responder refused it. */
const struct ike_initiator_child *ike_session_child(const struct ike_session *s);
/* Whether the EAP conversation ended with EAP-Failure or a refusal. */
bool ike_session_eap_failed(const struct ike_session *s);
/* IKE_AUTH exchanges so far (requests answered, retransmissions not
 * counted). */
unsigned ike_session_auth_round_trips(const struct ike_session *s);
/* Why the session failed; "" when it did not. */
const char *ike_session_reason(const struct ike_session *s);
/* A traffic selector as strongSwan writes it: "10.1.0.0/28", or a range. */
void ike_session_ts_text(const struct ike_initiator_ts *t, char *out, size_t size);
/* "ADDR[PORT]" of either end, as the log lines name them. */
const char *ike_session_local(const struct ike_session *s);
const char *ike_session_remote(const struct ike_session *s);

#endif
