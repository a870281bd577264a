/* eap_server.h - the EAP server conversation of the seeds, as a pure module
 * (no sockets, no logging, no globals): EAP-TTLS (ttls_server.h) started on
 * the outer identity without an outer EAP-Identity, then inside the tunnel
 *
 *   1. EAP-Identity: the peer's inner identity;
 *   2. EAP-MD5 (RFC 3748 5.4) with the identity's secret from the
 *      eap_secrets file, when configured;
 *      (when the peer presented a client certificate that verified against
 *      tls_ctx's trust store, as the context's owner asked, the
 *      certificate's subject is the identity instead of 1 and 2, as in the
 *      second seed: its last commonName, else the subject in RFC 2253 form)
 *   3. EAP-TNC (type 38, TCG IF-T for Tunneled EAP; or PT-EAP, type 54,
 *      RFC 7171) carrying PB-TNC batches between the peer and tnc-tnccs,
 *      when configured, until the owner reports the TNCCS connection's
 *      result with eap_server_tnc_finish();
 *
 * then EAP-Success with the TTLS MSK, or EAP-Failure.  As in RFC 5281 and
 * strongSwan, no inner EAP-Success or EAP-Failure goes through the tunnel:
 * the outer one ends the conversation.
 *
 * One Request is outstanding at a time: every packet ops->send() gives is
 * the answer to the peer's last Response (or the first Request, from
 * eap_server_start()), for the IKE_AUTH response now pending.  While the
 * conversation waits for tnc-tnccs (a batch or the result), nothing is
 * sent and the IKE_AUTH request stays pending.
 *
 * Every refusal, whatever its source (the peer, a bound, the TNC result),
 * ends the conversation: EAP-Failure through ops->send(), then
 * ops->done(false, reason), once.  (Only tnc-tnccs's batch out of turn,
 * eap_server_tnc_batch() while a Request is out, makes that EAP-Failure
 * come with no Response to answer: the owner sends it with the IKE_AUTH
 * response due next, or closes the SA.)  The callbacks are synchronous
 * and must not free the server nor call eap_server_receive(); they may
 * call eap_server_tnc_batch() and eap_server_tnc_finish().
 */
#ifndef TNC_EAP_SERVER_H
#define TNC_EAP_SERVER_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "eap_secrets.h"
#include "eap_ttls_keys.h"
#include "err.h"
#include "ttls_server.h"
#include "wire.h"

/* An inner identity: 1-255 octets of UTF-8 without control characters. */
#define EAP_SERVER_IDENTITY_MAX 255
#define EAP_SERVER_MD5_CHALLENGE_LEN 16

struct eap_server_config {
	/* tnc-ike's server context (certificate, key, TLS versions); a
	 * reference is taken per conversation. */
	SSL_CTX *tls_ctx;
	/* EAP-TTLS: fragment size, TLS message bound, handshake round trips,
	 * bound on a tunneled EAP packet (inner), highest TLS version. */
	struct ttls_server_limits ttls;
	/* EAP-MD5 after the identity, with these secrets (borrowed; must
	 * outlive the server); NULL: no EAP-MD5, the identity is the peer's
	 * unauthenticated claim (eap_server_identity_auth()). */
	const struct eap_secrets *md5_secrets;
	/* The TNC method: EAP_TYPE_TNC, EAP_TYPE_PT_EAP, or 0 for none (the
	 * conversation succeeds after EAP-MD5).  One of EAP-MD5 and TNC at
	 * least. */
	uint8_t tnc_type;
	/* EAP-TNC: batch octets per packet (the packet is 10 octets more and
	 * must fit ttls.inner).  PT-EAP does not fragment: a batch must fit
	 * one tunneled packet (6 octets of header). */
	size_t tnc_fragment;
	/* Bound on a PB-TNC batch, both ways (at least a PB-TNC header, 8). */
	size_t max_batch;
	/* Bound on the peer's Responses over the whole conversation. */
	unsigned max_round_trips;
};

/* How the inner identity was authenticated. */
enum eap_server_identity_auth {
	EAP_SERVER_ID_UNAUTHENTICATED, /* no EAP-MD5 configured, or not yet done */
	EAP_SERVER_ID_MD5,
	EAP_SERVER_ID_CERTIFICATE, /* a client certificate verified in the TLS handshake */
};

struct eap_server_ops {
	/* An EAP packet for the peer (Request, Success or Failure). */
	void (*send)(void *arg, struct bytes eap);
	/* The inner EAP-TNC method starts: the owner opens a TNCCS connection
	 * for it (TNCCS_OPEN); identity is the authenticated inner EAP
	 * identity (for the IMVs' "user AR identity"). */
	void (*tnc_open)(void *arg, const char *identity);
	/* A PB-TNC batch from the peer, reassembled (bounded). */
	void (*tnc_batch)(void *arg, struct bytes batch);
	/* The conversation ended: success with the keys, or failure with a
	 * reason for the log.  After this no other callback comes. */
	void (*done)(void *arg, bool success, const struct eap_keys *keys,
	    const char *reason);
};

struct eap_server;

/* TNC_EINVALID for a configuration out of range (the reason is not
 * kept: the owner validates its configuration first), -ENOMEM. */
int eap_server_new(const struct eap_server_config *cfg, const struct eap_server_ops *ops,
    void *arg, struct eap_server **ret) TNC_MUST_CHECK;

/* Sends the EAP-TTLS Start Request.  Once.  The outer identity (IDi) is
 * not the server's business: the authenticated identity is the inner
 * one, the outer may be anonymous (RFC 5281 7.1). */
int eap_server_start(struct eap_server *s) TNC_MUST_CHECK;

/* Takes one EAP packet from the peer.  0: taken (an answer may have gone
 * out); TNC_EAGAIN: discarded, the conversation unchanged (an Identifier
 * other than the outstanding Request's, or no Request outstanding: a
 * retransmission); TNC_ESTATE after the end; any other negative code: the
 * conversation failed (EAP-Failure and done() have come). */
int eap_server_receive(struct eap_server *s, struct bytes eap) TNC_MUST_CHECK;

/* From tnc-tnccs: a PB-TNC batch for the peer, while the conversation
 * waits for one (after a batch of the peer's).  Copied; sent in
 * fragments.  TNC_ESTATE before EAP-TNC or after the end; a batch over
 * the bound or at the wrong time fails the conversation. */
int eap_server_tnc_batch(struct eap_server *s, struct bytes batch) TNC_MUST_CHECK;

/* The TNCCS connection's final result: once the server's last batch has
 * been delivered (the peer's Response to its last fragment), EAP-Success
 * with the MSK (access) or EAP-Failure.  TNC_ESTATE before EAP-TNC, after
 * the end or when called twice. */
int eap_server_tnc_finish(struct eap_server *s, bool access) TNC_MUST_CHECK;

enum eap_server_identity_auth eap_server_identity_auth(const struct eap_server *s);

void eap_server_free(struct eap_server *s);

#endif
