/* eap_peer.h - the EAP peer conversation of the seeds, tncclient's side of
 * ike/eap_server/, as a pure module (no sockets, no logging, no globals):
 * EAP-TTLS v0 (RFC 5281; TLS over memory BIOs, the server's certificate
 * verified against the configured trust store and, when given, name)
 * started by the server's EAP-TTLS Start, then inside the tunnel, in this
 * order:
 *
 *   1. EAP-Identity: the configured identity (skipped by a server that
 *      authenticated our client certificate);
 *   2. EAP-MD5 (RFC 3748 5.4) with the configured secret, right after 1,
 *      when the server asks for it;
 *   3. EAP-TNC (type 38, TCG IF-T for Tunneled EAP) or PT-EAP (type 54,
 *      RFC 7171), whichever the server starts: PB-TNC batches between the
 *      server and the owner's TNCC;
 *
 * until the server's EAP-Success (the MSK from the TLS exporter,
 * eap_ttls_keys.h) or EAP-Failure.
 *
 * Every packet from the server is validated (lengths, codes, types,
 * versions, flags, Identifiers, the order above, the bounds of the
 * configuration) as the server validates ours.  A Request with the
 * Identifier of the Request last answered is a retransmission: the last
 * Response goes out again (RFC 3748 4.1).  Every refusal ends the
 * conversation with ops->done(false, reason), once; nothing more is sent
 * (a TLS alert of our handshake excepted: it goes out first, so that the
 * server can log it) and the owner closes the IKE SA.
 *
 * The callbacks are synchronous and must not free the peer nor call
 * eap_peer_receive(); they may call eap_peer_tnc_batch().
 */
#ifndef TNC_EAP_PEER_H
#define TNC_EAP_PEER_H

#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eap.h"
#include "eap_ttls_keys.h"
#include "err.h"
#include "wire.h"

#define EAP_PEER_IDENTITY_MAX 255

struct eap_peer_config {
	/* The inner EAP-Identity (copied): 0-255 octets as the owner wants
	 * them sent (RFC 3748 5.1 allows an empty one). */
	const char *identity;
	/* The EAP-MD5 secret (copied); empty: an EAP-MD5 Request is refused. */
	struct bytes md5_secret;
	/* The trust anchors for the server's certificate (a reference is
	 * taken); required. */
	X509_STORE *trust;
	/* The name (or IP address) the server's certificate must carry; NULL:
	 * any certificate that verifies against trust. */
	const char *server_name;
	/* A client certificate and its key (references taken; both or
	 * neither), for the second seed's authentication by certificate. */
	X509 *cert;
	EVP_PKEY *key;
	/* TLS1_2_VERSION (strongSwan's EAP-TTLS) or TLS1_3_VERSION; 1.2 at
	 * least in any case. */
	int max_tls_version;
	/* TLS octets per EAP-TTLS Response, 1 to 65525. */
	size_t fragment;
	/* Bound on a TLS message of the server's, reassembled from fragments. */
	size_t max_message;
	/* Bound on a tunneled EAP packet, both ways (with the PB-TNC carrier's
	 * header: EAP-TNC's 10 octets, PT-EAP's 6). */
	size_t max_inner;
	/* EAP-TNC: batch octets per packet (the packet is 10 octets more and
	 * must fit max_inner).  PT-EAP does not fragment. */
	size_t tnc_fragment;
	/* Bound on a PB-TNC batch, both ways (at least a PB-TNC header, 8). */
	size_t max_batch;
	/* Bound on the server's Requests over the whole conversation. */
	unsigned max_round_trips;
	/* EAP-TNC fragments cut as strongSwan cuts them: M without L on the
	 * first one (our server must accept that form; for its tests).
	 * Otherwise L with the batch length on the first (RFC 5281 9.2.2's
	 * form, which EAP-TNC borrows). */
	bool strongswan_fragments;
};

struct eap_peer_ops {
	/* A Response for the server. */
	void (*send)(void *arg, struct bytes eap);
	/* The server started EAP-TNC or PT-EAP (type): the owner's TNCC
	 * gives its first batch with eap_peer_tnc_batch(). */
	void (*tnc_start)(void *arg, uint8_t type);
	/* A PB-TNC batch from the server, reassembled (bounded); the owner
	 * answers with eap_peer_tnc_batch(). */
	void (*tnc_batch)(void *arg, struct bytes batch);
	/* The conversation ended: EAP-Success with the keys (reason NULL), or
	 * EAP-Failure / a refusal with the reason.  No callback after this. */
	void (*done)(void *arg, bool success, const struct eap_keys *keys,
	    const char *reason);
	/* Optional (NULL): each tunneled Request, validated, as it is taken,
	 * for the owner's log. */
	void (*inner_request)(void *arg, const struct eap_packet *req);
};

enum eap_peer_state {
	EAP_PEER_START,     /* waiting for the EAP-TTLS Start */
	EAP_PEER_HANDSHAKE, /* the TLS handshake */
	EAP_PEER_TUNNEL,    /* our handshake is done: tunneled Requests */
	EAP_PEER_ENDED,     /* done() has come */
};

struct eap_peer;

/* TNC_EINVALID for a configuration out of range (no trust store, an
 * identity over 255 octets, a certificate without its key or not matching
 * it, bounds of 0, a fragment that does not fit max_inner), -ENOMEM. */
int eap_peer_new(const struct eap_peer_config *cfg, const struct eap_peer_ops *ops, void *arg,
    struct eap_peer **ret) TNC_MUST_CHECK;

/* Takes one EAP packet from the server (a Request, Success or Failure).
 * 0: taken (the Response may have gone out, or waits for the owner's
 * batch); TNC_EAGAIN: discarded, the conversation unchanged (a
 * retransmitted Request, answered again; a Success or Failure whose
 * Identifier is not our last Response's); TNC_ESTATE after the end; any
 * other negative code: the conversation failed (done() has come). */
int eap_peer_receive(struct eap_peer *p, struct bytes eap) TNC_MUST_CHECK;

/* The owner's PB-TNC batch for the server, when one is due (after
 * tnc_start() or tnc_batch()): copied, sent in fragments (EAP-TNC) with
 * the Response now due.  An empty batch: nothing to say (an empty
 * Response).  TNC_ESTATE when no batch is due or after the end; a batch
 * over the bound fails the conversation. */
int eap_peer_tnc_batch(struct eap_peer *p, struct bytes batch) TNC_MUST_CHECK;

enum eap_peer_state eap_peer_state(const struct eap_peer *p);

/* The TLS connection, for the owner's inspection (negotiated version,
 * the server's certificate); valid until eap_peer_free().  Writing to it
 * breaks the conversation (the tests do so to play a misbehaving peer). */
SSL *eap_peer_ssl(const struct eap_peer *p);

void eap_peer_free(struct eap_peer *p);

#endif
