/* ttls_server.h - the server side of one EAP-TTLS v0 conversation (RFC 5281)
 * as an event-driven pure module: OpenSSL over two memory BIOs, no sockets,
 * no logging, no globals.
 *
 * The caller owns the EAP conversation around it: ttls_server_start()
 * gives the EAP-TTLS/Start Request, ttls_server_receive() takes each EAP
 * Response and appends the next Request (a TLS fragment, or the ACK of the
 * peer's fragment).  After the handshake, every tunneled EAP-Message AVP is
 * handed to the inner callback; EAP packets for the peer go into the tunnel
 * with ttls_server_send_inner() and out with the next Request
 * (ttls_server_flush() when no Response is pending).  ttls_server_succeed()
 * exports the MSK (eap_ttls_keys.h) once the inner method has succeeded.
 *
 * Every refusal moves the conversation to TTLS_SERVER_FAILED for good, with
 * a reason (ttls_server_reason()); the caller then sends EAP-Failure.
 */
#ifndef TNC_TTLS_SERVER_H
#define TNC_TTLS_SERVER_H

#include <openssl/ssl.h>
#include <stddef.h>
#include <stdint.h>

#include "eap_ttls_keys.h"
#include "err.h"
#include "wire.h"

enum ttls_server_state {
	TTLS_SERVER_HANDSHAKE, /* from ttls_server_start() to the handshake's end */
	TTLS_SERVER_TUNNEL,    /* tunneled AVPs flow both ways */
	TTLS_SERVER_DONE,      /* ttls_server_succeed() exported the keys */
	TTLS_SERVER_FAILED,
};

struct ttls_server_limits {
	size_t fragment;        /* TLS octets per outgoing EAP-TTLS packet, >= 1 */
	size_t message;         /* bound on a reassembled TLS message from the peer */
	unsigned round_trips;   /* bound on Responses taken during the handshake */
	size_t inner;           /* bound on a tunneled EAP packet, both ways */
	int max_tls_version;    /* TLS1_2_VERSION (strongSwan's TTLS) or TLS1_3_VERSION */
};

/* Called with each tunneled EAP packet (validated by eap_parse(), at most
 * limits.inner octets), a view valid during the call.  It may call
 * ttls_server_send_inner() and ttls_server_fail(). */
typedef void ttls_inner_fn(void *arg, struct bytes eap);

struct ttls_server;

/* A conversation on ctx (tnc-ike's TLS context; a reference is taken).
 * TNC_EINVALID for limits out of range, -ENOMEM. */
int ttls_server_new(SSL_CTX *ctx, const struct ttls_server_limits *limits,
    ttls_inner_fn *on_inner, void *arg, struct ttls_server **ret) TNC_MUST_CHECK;
void ttls_server_free(struct ttls_server *s);

/* Appends the EAP-TTLS/Start Request with identifier id to out.  Once. */
int ttls_server_start(struct ttls_server *s, uint8_t id, struct wire_writer *out) TNC_MUST_CHECK;

/* Takes one received EAP packet and appends the next Request, if any, to
 * out (nothing appended: the server waits for ttls_server_send_inner()).
 * A Response with another identifier than the last Request's is
 * discarded (RFC 3748 4.1): TNC_EAGAIN, the conversation unchanged.
 * Any other failure: a negative code, the state FAILED, the reason set. */
int ttls_server_receive(struct ttls_server *s, const uint8_t *pkt, size_t len,
    struct wire_writer *out) TNC_MUST_CHECK;

/* Encrypts eap (one EAP packet) in an EAP-Message AVP for the peer; it
 * goes out with the next Request.  TUNNEL state only. */
int ttls_server_send_inner(struct ttls_server *s, struct bytes eap) TNC_MUST_CHECK;

/* Appends the Request carrying pending tunnel data, if any and if no
 * Response is awaited, to out. */
int ttls_server_flush(struct ttls_server *s, struct wire_writer *out) TNC_MUST_CHECK;

/* Ends the tunnel successfully: the MSK and EMSK from the TLS exporter.
 * TUNNEL state only. */
int ttls_server_succeed(struct ttls_server *s, struct eap_keys *ret) TNC_MUST_CHECK;

/* Ends the conversation with reason (copied) unless it has ended;
 * returns err, for the caller's return. */
int ttls_server_fail(struct ttls_server *s, int err, const char *reason);

enum ttls_server_state ttls_server_state(const struct ttls_server *s);
/* Why the conversation failed; "" otherwise.  Never NULL. */
const char *ttls_server_reason(const struct ttls_server *s);
/* The negotiated TLS version (TLS1_2_VERSION ...), 0 before the handshake. */
int ttls_server_tls_version(const struct ttls_server *s);
/* After the handshake, the certificate the peer presented if it verified
 * against ctx's trust store (requested by the context owner's
 * SSL_CTX_set_verify()), else NULL; valid until ttls_server_free(). */
X509 *ttls_server_peer_cert(const struct ttls_server *s);

#endif
