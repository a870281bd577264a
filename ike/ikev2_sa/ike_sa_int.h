/* ike_sa_int.h - what the ike_sa*.c files share and nobody else uses. */
#ifndef TNC_IKE_SA_INT_H
#define TNC_IKE_SA_INT_H

#include "ikev2_buf.h"
#include "ikev2_frag.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_keys.h"
#include "ikev2_msg_find.h"

enum ike_sa_state {
	IKE_SA_NEW,         /* waiting for IKE_SA_INIT */
	IKE_SA_INIT_DONE,   /* waiting for the first IKE_AUTH request */
	IKE_SA_EAP,         /* EAP rounds until the peer's AUTH */
	IKE_SA_ESTABLISHED,
	IKE_SA_DELETING,    /* our DELETE sent, waiting for the peer's answer */
	IKE_SA_CLOSED,
};

#define IKE_NONCE_LEN 32
#define IKE_MSK_MAX 256

/* What the first IKE_AUTH request asked for its CHILD_SA, kept until the
 * peer's AUTH is verified. */
struct ike_child_request {
	bool present; /* SA, TSi and TSr were all there */
	struct ikev2_buf proposals;
	struct ikev2_buf tsi, tsr; /* the selectors */
	uint8_t tsi_count, tsr_count;
	bool cp_request, want_addr, want_dns;
};

struct ike_sa {
	const struct ike_sa_config *cfg;
	struct ike_sa_ops ops;
	void *arg;
	ike_random_fn random;
	void *random_arg;
	struct ike_endpoint local, remote;
	struct ikev2_limits lim;
	enum ike_sa_state state;
	const char *reason;
	char reason_buf[96];

	uint64_t spi_i, spi_r;
	bool nat_remote, nat_local, frag_supported;
	uint64_t created_ms, established_ms, last_rx_ms;

	/* IKE_SA_INIT, for AUTH (2.15) */
	struct ikev2_buf init_req, init_resp, ni, nr;
	struct ikev2_sa_keys keys;
	uint16_t dh_group; /* of IKE_SA_INIT, for ike_sa_ike_suite() */
	uint64_t gcm_iv; /* AES-GCM IVs are a counter: never repeated */

	/* the peer's requests: window 1 */
	uint32_t next_mid;           /* the next request expected */
	bool pending;                /* next_mid received, its answer not sent yet */
	struct ikev2_buf *resp;      /* datagrams of the answer to next_mid - 1 */
	size_t resp_count;
	struct ikev2_frag frag;
	uint8_t *plain;              /* a decrypted / reassembled inner chain */

	/* our requests (liveness check, DELETE) */
	uint32_t our_mid;
	bool our_outstanding;
	struct ikev2_buf our_req;
	uint64_t our_sent_ms;
	unsigned our_tries;
	const char *ending; /* why our DELETE was sent: the closed() reason */

	/* IKE_AUTH */
	struct ikev2_buf idi; /* the IDi payload body */
	bool idr_sent, eap_success_sent, eap_failed, eap_done;
	bool initial_contact; /* N(INITIAL_CONTACT) in the first request */
	uint8_t msk[IKE_MSK_MAX];
	size_t msk_len;
	const struct ike_conn_cfg *conn;
	struct ike_child_request creq;

	bool child_active;
	struct ike_child_sa child;
	bool vip_leased; /* from conn->pool, for the IKE SA's life */
	uint32_t vip;
};

/* ike_sa.c */
/* Records reason, returns err (negative). */
int ike_sa_fail(struct ike_sa *sa, int err, const char *reason);
/* ops->message() for a protected message, when the owner set it. */
void ike_sa_report(struct ike_sa *sa, bool sent, const struct ikev2_header *h,
    const struct ikev2_chain *inner);

/* ike_sa_send.c */
/* Answers request mid of exchange with the inner chain in b (finished
 * here, cleared by the caller): protected, fragmented if needed, stored
 * for retransmissions; the window moves on. */
int ike_sa_respond(struct ike_sa *sa, uint8_t exchange, struct ikev2_builder *b);
/* Answers with one notification (an error, or status). */
int ike_sa_respond_notify(struct ike_sa *sa, uint8_t exchange, uint16_t type,
    struct bytes data);
/* Sends the stored answer again. */
void ike_sa_resend(struct ike_sa *sa);
/* Sends a request of ours (INFORMATIONAL) with the inner chain in b. */
int ike_sa_request(struct ike_sa *sa, uint8_t exchange, struct ikev2_builder *b);
/* Opens the SK/SKF payload sk of msg with the peer's keys into
 * sa->plain; *e as ikev2_sk_open() fills it. */
int ike_sa_open(struct ike_sa *sa, struct bytes msg, const struct ikev2_payload *sk,
    struct bytes *ret_plain, struct parse_error *e);

/* ike_sa_init.c */
int ike_sa_init_request(struct ike_sa *sa, const struct ikev2_msg *m, struct bytes raw);

/* ike_sa_auth.c */
int ike_sa_auth_request(struct ike_sa *sa, const struct ikev2_chain *c);

/* ike_sa_child.c: builds the CHILD_SA of sa->conn into b's answer, or the
 * notification saying why there is none. */
void ike_sa_child_answer(struct ike_sa *sa, struct ikev2_builder *b);
/* child_down() for the CHILD_SA if it is up, keys wiped. */
void ike_sa_child_end(struct ike_sa *sa);
void ike_sa_release_vip(struct ike_sa *sa);

/* ike_sa_info.c */
int ike_sa_info_request(struct ike_sa *sa, const struct ikev2_chain *c);

#endif
