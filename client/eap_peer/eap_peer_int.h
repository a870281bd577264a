/* eap_peer_int.h - the state shared by the EAP peer's files: eap_peer.c
 * (the outer EAP-TTLS packets, fragments, the end), eap_peer_tls.c (the
 * TLS connection and the tunnel), eap_peer_inner.c (the tunneled
 * EAP-Identity, EAP-MD5 and EAP-TNC / PT-EAP). */
#ifndef TNC_EAP_PEER_INT_H
#define TNC_EAP_PEER_INT_H

#include "eap.h"
#include "eap_frag.h"
#include "eap_peer.h"

/* EAP-TNC's Type-Data header: Flags/Version and the Message Length. */
#define EAP_PEER_TNC_OVERHEAD (EAP_TYPE_HEADER_LEN + 1 + EAP_FRAG_LENGTH_LEN)
/* A PB-TNC batch header (RFC 5793 4.1). */
#define EAP_PEER_BATCH_MIN 8

/* The last tunneled method the server started. */
enum eap_peer_inner {
	INNER_NONE,
	INNER_IDENTITY,
	INNER_MD5,
	INNER_TNC, /* EAP-TNC or PT-EAP: tnc_type */
};

struct eap_peer {
	/* The owner's, with identity and md5_secret pointing at the copies
	 * below and the TLS fields cleared (the SSL has them). */
	struct eap_peer_config cfg;
	char identity[EAP_PEER_IDENTITY_MAX + 1];
	uint8_t *secret;
	struct eap_peer_ops ops;
	void *arg;
	SSL *ssl;
	BIO *net_in;  /* the server's TLS octets, written here for the SSL */
	BIO *net_out; /* the SSL's output, read from here into Responses */
	enum eap_peer_state state;
	/* Inside eap_peer_receive(): a refusal ends the conversation when it
	 * returns, and the owner's batch goes out with its Response. */
	bool busy;
	bool failed;    /* a refusal waits for the end of eap_peer_receive() */
	int fail_err;
	bool send_alert; /* our TLS alert goes out before the end */
	bool answered;   /* a Request was taken: request_id is valid */
	uint8_t request_id;  /* of the last Request taken */
	bool response_due;   /* its Response waits (for the owner's batch) */
	unsigned round_trips;
	struct wire_writer last_response; /* for a retransmitted Request */
	/* EAP-TTLS */
	bool ack_due;               /* the server's fragment to acknowledge */
	struct eap_reasm reasm;     /* the server's TLS message */
	struct wire_writer out_msg; /* ours, being sent */
	struct eap_fragmenter frag; /* over out_msg */
	char alert[96];             /* the last alert the server sent */
	/* Tunneled */
	enum eap_peer_inner inner;
	bool inner_taken;   /* a tunneled Request was taken: inner_id is valid */
	uint8_t inner_id;   /* its Identifier */
	uint8_t tnc_type;   /* EAP_TYPE_TNC or EAP_TYPE_PT_EAP, once started */
	bool batch_due;     /* the owner's batch is due */
	struct eap_reasm tnc_reasm;   /* the server's batch (EAP-TNC) */
	struct wire_writer batch;     /* ours, being sent (EAP-TNC) */
	size_t batch_sent;
	char reason[320];
};

/* Ends the conversation with the reason (the first one given is kept): at
 * once, or when eap_peer_receive() returns if busy.  Returns err. */
int eap_peer_fail(struct eap_peer *p, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a codec's refusal: "what: reason at offset N". */
int eap_peer_fail_parse(struct eap_peer *p, int err, const char *what,
    const struct parse_error *pe);
/* The Response now due, from what is pending: an acknowledgement, our
 * next fragment, our new TLS output, or an empty Response. */
int eap_peer_respond(struct eap_peer *p);

/* eap_peer_tls.c */
/* The SSL for cfg's trust store, server name and client certificate. */
int eap_peer_tls_new(struct eap_peer *p, const struct eap_peer_config *cfg);
/* The handshake's first flight (the ClientHello). */
int eap_peer_tls_start(struct eap_peer *p);
/* One whole TLS message from the server: the handshake goes on, then the
 * tunneled Request it carries, if any, goes to eap_peer_inner_take(). */
int eap_peer_tls_take(struct eap_peer *p, struct bytes msg);
/* Puts our tunneled Response (pkt: the caller's writer) into the tunnel. */
int eap_peer_tls_send_inner(struct eap_peer *p, const struct wire_writer *pkt);
/* The MSK and EMSK from the TLS exporter. */
int eap_peer_tls_keys(struct eap_peer *p, struct eap_keys *ret);

/* eap_peer_inner.c: a tunneled EAP packet (eap_parse() validated). */
int eap_peer_inner_take(struct eap_peer *p, const struct eap_packet *e);
/* Whether a batch of the server's is half reassembled. */
bool eap_peer_inner_partial(const struct eap_peer *p);

#endif
