/* eap_server_int.h - the state shared by the EAP server's files:
 * eap_server.c (the outer conversation, the tunnel, the end),
 * eap_server_auth.c (EAP-Identity and EAP-MD5), eap_server_tnc.c (EAP-TNC
 * and PT-EAP). */
#ifndef TNC_EAP_SERVER_INT_H
#define TNC_EAP_SERVER_INT_H

#include "eap.h"
#include "eap_frag.h"
#include "eap_server.h"

enum eap_server_phase {
	PHASE_NEW,       /* before eap_server_start() */
	PHASE_HANDSHAKE, /* the TLS handshake */
	PHASE_IDENTITY,  /* the tunneled EAP-Identity Request is out */
	PHASE_MD5,       /* the EAP-MD5 challenge is out */
	PHASE_TNC,       /* EAP-TNC / PT-EAP */
	PHASE_ENDED,     /* EAP-Success or EAP-Failure sent, done() called */
};

/* The outcome decided inside the conversation, concluded when nothing is
 * in flight. */
enum eap_server_result {
	RESULT_NONE,
	RESULT_ACCESS,
	RESULT_NO_ACCESS,
};

struct eap_server {
	struct eap_server_config cfg;
	struct eap_server_ops ops;
	void *arg;
	struct ttls_server *ttls;
	enum eap_server_phase phase;
	/* Inside ttls_server_receive(): what the tunnel queues goes out with
	 * its answer, and the end waits for it to return. */
	bool busy;
	bool request_out;         /* an outer Request awaits its Response */
	uint8_t request_id;       /* that Request's Identifier */
	uint8_t response_id;      /* of the last Response taken */
	unsigned round_trips;
	bool inner_out;           /* a tunneled Request awaits its Response */
	uint8_t inner_id;         /* that Request's Identifier */
	char identity[EAP_SERVER_IDENTITY_MAX + 1];
	enum eap_server_identity_auth identity_auth;
	uint8_t challenge[EAP_SERVER_MD5_CHALLENGE_LEN];
	/* EAP-TNC / PT-EAP */
	struct eap_reasm reasm;      /* the peer's batch (EAP-TNC) */
	struct wire_writer batch;    /* ours, being sent */
	struct eap_fragmenter frag;  /* over batch (EAP-TNC) */
	bool tnc_finished;           /* eap_server_tnc_finish() came */
	enum eap_server_result result;
	char reason[384]; /* room for a 255-octet identity */
};

/* Ends the conversation with the reason (the first one given is kept):
 * at once, or after ttls_server_receive() returns when busy.  Returns err
 * for the caller's return. */
int eap_server_fail(struct eap_server *s, int err, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same for a codec's refusal: "what: reason at offset N". */
int eap_server_fail_parse(struct eap_server *s, int err, const char *what,
    const struct parse_error *pe);
/* Puts the tunneled Request in pkt (the caller's writer; its id is the
 * new inner_id) into the tunnel, and out now unless busy. */
int eap_server_send_inner(struct eap_server *s, struct wire_writer *pkt);
/* Records the outcome; the conversation ends with it once no Request is
 * out and ttls_server_receive() has returned. */
void eap_server_conclude(struct eap_server *s, enum eap_server_result result);

/* eap_server_auth.c: the tunnel is up: the identity of a verified client
 * certificate, or the tunneled EAP-Identity Request; the Response of the
 * Identity or MD5 phase. */
int eap_server_tunnel_start(struct eap_server *s);
int eap_server_auth_take(struct eap_server *s, const struct eap_packet *p);

/* eap_server_tnc.c: the Start Request and tnc_open(); a tunneled
 * Response of the TNC phase. */
int eap_server_tnc_start(struct eap_server *s);
int eap_server_tnc_take(struct eap_server *s, const struct eap_packet *p);

#endif
