/* ike_initiator_int.h - what the ike_initiator*.c files share and nobody
 * else uses. */
#ifndef TNC_IKE_INITIATOR_INT_H
#define TNC_IKE_INITIATOR_INT_H

#include "ike_initiator.h"
#include "ikev2.h"
#include "ikev2_buf.h"
#include "ikev2_dh.h"
#include "ikev2_frag.h"
#include "ikev2_keys.h"
#include "ikev2_msg_find.h"

enum ikei_state {
	IKEI_NEW,
	IKEI_INIT,        /* IKE_SA_INIT sent */
	IKEI_AUTH,        /* IKE_AUTH exchanges */
	IKEI_ESTABLISHED,
	IKEI_DELETING,    /* our DELETE sent */
	IKEI_CLOSED,
};

#define IKEI_NONCE_LEN 32
#define IKEI_MSK_MAX 256
/* IKE_SA_INIT sent again for a COOKIE or INVALID_KE_PAYLOAD, at most. */
#define IKEI_MAX_RESTARTS 3

struct ike_initiator {
	const struct ike_initiator_config *cfg;
	struct ike_initiator_ops ops;
	void *arg;
	ike_initiator_random_fn random;
	void *random_arg;
	struct bytes dh_private; /* the caller's (tests), usually empty */
	struct ike_initiator_endpoint local, remote;
	struct ikev2_limits lim;
	enum ikei_state state;
	const char *reason;
	char reason_buf[160];

	uint64_t spi_i, spi_r;
	struct ikev2_dh *dh;
	unsigned restarts;
	struct ikev2_buf cookie;
	uint8_t ni[IKEI_NONCE_LEN];
	struct ikev2_buf nr, init_req, init_resp;
	bool nat_local, nat_remote, frag_supported;
	struct ikev2_sa_keys keys;
	uint64_t gcm_iv; /* AES-GCM IVs are a counter: never repeated */

	/* our request: window 1 */
	uint32_t mid;      /* of the request outstanding, or the next one */
	bool outstanding;
	uint8_t exchange;
	struct ikev2_buf *req; /* its datagrams, for retransmission */
	size_t req_count;
	uint64_t sent_ms;
	unsigned sends;

	/* the responder's requests: window 1 */
	uint32_t peer_mid; /* the next one expected */
	struct ikev2_buf *peer_resp; /* our answer to peer_mid - 1 */
	size_t peer_resp_count;

	struct ikev2_frag frag;
	uint8_t *opened; /* a decrypted SK / SKF payload */
	uint8_t *plain;  /* a reassembled inner chain */

	/* IKE_AUTH */
	struct ikev2_buf idi, idr; /* ID payload bodies: ours, the responder's */
	uint32_t spi_in;          /* our ESP SPI */
	bool eap_owed;            /* a Request waits for the owner's Response */
	bool msk_owed;            /* EAP-Success delivered, eap_done() awaited */
	bool auth_sent;           /* the request outstanding carries our AUTH */
	const char *responder_signature; /* its certificate AUTH's scheme, verified */
	uint8_t msk[IKEI_MSK_MAX];
	size_t msk_len;
	bool child_up;
	struct ike_initiator_child child;
};

/* ike_initiator.c */
int ikei_fail(struct ike_initiator *i, int err, const char *reason);
/* Ends the SA: state CLOSED, ops->failed(reason) unless it was DELETING. */
int ikei_end(struct ike_initiator *i, int err, const char *reason);

/* ike_initiator_send.c */
/* Sends a new request of ours (protected; fragmented if needed): the
 * inner chain in b, finished here, cleared by the caller. */
int ikei_request(struct ike_initiator *i, uint8_t exchange, struct ikev2_builder *b,
    uint64_t now_ms);
/* Sends an unprotected IKE_SA_INIT request (stored for retransmission). */
int ikei_request_raw(struct ike_initiator *i, struct bytes msg, uint64_t now_ms);
/* Answers the responder's request mid with the inner chain in b. */
int ikei_respond(struct ike_initiator *i, uint8_t exchange, uint32_t mid,
    struct ikev2_builder *b);
void ikei_resend_answer(struct ike_initiator *i);
void ikei_forget_request(struct ike_initiator *i);
/* Opens the Encrypted payload of m with the responder's keys and, for SKF,
 * reassembles: 1 with the whole inner chain in *ret (a message of the
 * responder), 0 for a fragment stored, a negative error with *ret_reason:
 * TNC_EPEER for an authentic message whose inner chain is malformed, others
 * for one to drop (integrity, fragment bounds). */
int ikei_open(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw,
    struct ikev2_chain *ret, const char **ret_reason);

/* ike_initiator_init.c */
/* The first D-H group of the first IKE proposal, 0 if none. */
uint16_t ikei_first_group(const struct ike_initiator_config *c);
int ikei_init_send(struct ike_initiator *i, uint64_t now_ms);
int ikei_init_response(struct ike_initiator *i, const struct ikev2_msg *m, struct bytes raw,
    uint64_t now_ms);

/* ike_initiator_auth.c */
int ikei_auth_first(struct ike_initiator *i, uint64_t now_ms);
int ikei_auth_response(struct ike_initiator *i, const struct ikev2_chain *c, uint64_t now_ms);

/* ike_initiator_info.c */
int ikei_info_request(struct ike_initiator *i, uint8_t exchange, uint32_t mid,
    const struct ikev2_chain *c, uint64_t now_ms);
/* Sends INFORMATIONAL [ D ] of the IKE SA; state DELETING. */
int ikei_delete(struct ike_initiator *i, uint64_t now_ms);
/* Tells the responder our authentication failed (RFC 7296 2.21.2: an
 * INFORMATIONAL [ N(AUTHENTICATION_FAILED) ] of its own), sent once and
 * not awaited: the caller ends the SA right after. */
void ikei_auth_failed(struct ike_initiator *i, uint64_t now_ms);

#endif
