/* ike_sa_int.h - what the ike_sa*.c files share and nobody else uses. */
#ifndef TNC_IKE_SA_INT_H
#define TNC_IKE_SA_INT_H

#include "ikev2_buf.h"
#include "ikev2_frag.h"
#include "ike_sa.h"
#include "ikev2.h"
#include "ikev2_keys.h"
#include "ikev2_msg_find.h"
#include "ike_proposal.h"

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

	/* Gateway certificate AUTH (ike_sa_auth.c): the SHA-2 hashes of the
	 * peer's N(SIGNATURE_HASH_ALGORITHMS) in IKE_SA_INIT (ikev2_sig.h's
	 * bits), and whether our first IKE_AUTH response carries CERT and AUTH */
	unsigned peer_sig_hashes;
	bool cert_auth;

	bool child_active;
	struct ike_child_sa child;
	uint64_t child_since_ms; /* child's start: its lifetime counts from it */
	bool vip_leased; /* from conn->pool, for the IKE SA's life */
	uint32_t vip;

	/* CHILD_SA rekeying (ike_sa_rekey.c): the CHILD_SA a rekey replaced,
	 * kept until the peer deletes it or until rekeyed_until_ms */
	bool rekeyed_active;
	struct ike_child_sa rekeyed;
	uint64_t rekeyed_until_ms;
	/* IKE SA rekeying (ike_sa_rekey_ike.c): the old IKE SA, until the
	 * peer's DELETE of it or old_until_ms */
	bool old_ike_active;
	uint64_t old_spi_i, old_spi_r;
	struct ikev2_sa_keys old_keys;
	uint64_t old_gcm_iv;
	uint32_t old_next_mid;
	struct ikev2_buf *old_resp; /* the answer to old_next_mid - 1 */
	size_t old_resp_count;
	uint64_t old_until_ms;

	/* MOBIKE (RFC 4555, ike_sa_mobike.c): the peer sent N(MOBIKE_SUPPORTED)
	 * in IKE_AUTH; on once our last IKE_AUTH response carried it too.  The
	 * endpoints of the datagram being received (ike_sa_receive_from()),
	 * NULL outside it or when the owner did not pass them. */
	bool mobike_offered, mobike;
	const struct ike_endpoint *rx_local, *rx_remote;
};

/* 4 octets in network order: SPIs, IPv4 addresses. */
static inline uint32_t
ike_get_u32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline void
ike_put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

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
/* 2.23: the NAT detection hash of an endpoint; false when libcrypto fails. */
bool ike_sa_natd_hash(uint64_t spi_i, uint64_t spi_r, const struct ike_endpoint *ep,
    uint8_t out[IKEV2_NATD_LEN]);
/* N(NAT_DETECTION_SOURCE_IP) of local and N(NAT_DETECTION_DESTINATION_IP)
 * of remote under the SA's SPIs into b; TNC_EINVALID when not computed. */
int ike_sa_add_natd(const struct ike_sa *sa, struct ikev2_builder *b,
    const struct ike_endpoint *local, const struct ike_endpoint *remote);

/* ike_sa_auth.c */
int ike_sa_auth_request(struct ike_sa *sa, const struct ikev2_chain *c);

/* ike_sa_child.c: builds the CHILD_SA of sa->conn into b's answer, or the
 * notification saying why there is none. */
void ike_sa_child_answer(struct ike_sa *sa, struct ikev2_builder *b);
/* What a request asks of a CHILD_SA: the SA payload's proposals, the
 * TSi and TSr selectors. */
struct ike_child_offer {
	struct bytes proposals, tsi, tsr;
	uint8_t tsi_count, tsr_count;
};
/* A CHILD_SA of sa->conn for o into *c (a fresh inbound SPI, no keys
 * yet) and the chosen proposal into *ch; 0, or the notification type
 * saying why there is none. */
uint16_t ike_sa_child_select(struct ike_sa *sa, const struct ike_child_offer *o,
    struct ike_child_sa *c, struct ike_choice *ch);
/* c's KEYMAT (g_ir empty without PFS); 0 or TEMPORARY_FAILURE. */
uint16_t ike_sa_child_keys(struct ike_sa *sa, struct ike_child_sa *c, struct bytes g_ir,
    struct bytes ni, struct bytes nr);
/* c's SA payload (the choice with c's inbound SPI), and TSi TSr. */
void ike_sa_child_add_sa(struct ikev2_builder *b, const struct ike_choice *ch,
    const struct ike_child_sa *c);
void ike_sa_child_add_ts(struct ikev2_builder *b, const struct ike_child_sa *c);
/* child_down() for the CHILD_SAs that are up (a rekeyed one first), keys
 * wiped; ike_sa_child_down() for the current one only. */
void ike_sa_child_end(struct ike_sa *sa);
void ike_sa_child_down(struct ike_sa *sa);
void ike_sa_release_vip(struct ike_sa *sa);

/* ike_sa_rekey.c */
/* A CREATE_CHILD_SA request: a rekey of our CHILD_SA, or refused. */
int ike_sa_create_child_request(struct ike_sa *sa, const struct ikev2_chain *c);
/* Whether a DELETE payload names the rekeyed CHILD_SA (its outbound SPI,
 * the peer's inbound one). */
bool ike_sa_rekeyed_named(const struct ike_sa *sa, const struct ikev2_delete *d);
/* child_down() for the rekeyed CHILD_SA if it is kept, keys wiped. */
void ike_sa_rekeyed_end(struct ike_sa *sa);
/* The rekeyed CHILD_SA's end when the peer has not deleted it in time;
 * the time it is due (0: none kept). */
uint64_t ike_sa_rekeyed_timeout(struct ike_sa *sa, uint64_t now_ms);

/* ike_sa_rekey_ike.c */
/* A CREATE_CHILD_SA request with IKE proposals: the IKE SA rekeyed (sa
 * becomes the new one) or refused; ni, ke NULL when absent. */
int ike_sa_rekey_ike(struct ike_sa *sa, struct bytes proposals, const struct ikev2_payload *ni,
    const struct ikev2_payload *ke);
/* A message with the old IKE SA's SPIs: its DELETE, or a retransmission. */
int ike_sa_old_ike_receive(struct ike_sa *sa, const struct ikev2_msg *m, struct bytes raw);
/* The old IKE SA forgotten (its keys wiped). */
void ike_sa_old_ike_end(struct ike_sa *sa);
/* Its end when the peer has not deleted it in time; when due (0: none). */
uint64_t ike_sa_old_ike_timeout(struct ike_sa *sa, uint64_t now_ms);

/* ike_sa_info.c */
int ike_sa_info_request(struct ike_sa *sa, const struct ikev2_chain *c);

/* ike_sa_mobike.c */
/* Notes N(MOBIKE_SUPPORTED) in an IKE_AUTH request. */
void ike_sa_mobike_offer(struct ike_sa *sa, const struct ikev2_chain *c);
/* Our last IKE_AUTH response: N(MOBIKE_SUPPORTED) into b when the peer
 * offered it, and MOBIKE is on. */
void ike_sa_mobike_answer(struct ike_sa *sa, struct ikev2_builder *b);
/* What an INFORMATIONAL request's MOBIKE notifications ask. */
struct ike_mobike_ask {
	bool update;                      /* UPDATE_SA_ADDRESSES */
	bool natd, nat_remote, nat_local; /* NAT detection sent, and what it found */
};
/* Reads them (none while MOBIKE is off) into *ask and puts their answers
 * (our NAT detection, the COOKIE2 echoed) into b; an error and a reason
 * naming the notification for one out of bounds. */
int ike_sa_mobike_info(struct ike_sa *sa, const struct ikev2_chain *c, struct ikev2_builder *b,
    struct ike_mobike_ask *ask);
/* After the answer: an update moves the SA and its CHILD_SA to the
 * request's endpoints, the NAT state to what it found (ops->moved). */
void ike_sa_mobike_move(struct ike_sa *sa, const struct ike_mobike_ask *ask);

#endif
