/* ikev2_peer.h - one IKE SA of tnc-ike's responder and what hangs on it:
 * the pure ike_sa (ikev2_sa/), its EAP conversation (eap_server/) and, for
 * EAP-TNC, a TNCCS connection to tnc-tnccs (tnccs_link.h).  ikev2_server.c
 * owns the table of peers, the bounds and the datagrams; ikev2_glue.c
 * connects the three parts and writes the log lines of the seeds. */
#ifndef TNC_IKEV2_PEER_H
#define TNC_IKEV2_PEER_H

#include <stdbool.h>
#include <stdint.h>
#include <uv.h>

#include "eap_server.h"
#include "ike_sa.h"
#include "ikev2_config.h"
#include "ikev2_kernel.h"
#include "source_limit.h"
#include "tnccs_link.h"

struct ikev2_tnc;

struct ikev2_peer {
	struct ikev2_peer *next_r, *next_i; /* the table's chains: by SPIr, by SPIi */
	uint64_t spi_i, spi_r;              /* spi_r: 0 until IKE_SA_INIT is answered */
	/* the old SPIs of an IKE SA the peer rekeyed, until it deleted the old
	 * SA (0: none), and their chain in the table */
	uint64_t old_spi_i, old_spi_r;
	struct ikev2_peer *next_old_r;
	unsigned serial;                    /* the SA's number in the logs: "rw-allow[3]" */
	struct ike_sa *sa;
	/* where the SA talks: the last request that was processed came from
	 * remote to local; a response goes back the way its request came */
	struct ike_endpoint local, remote;
	const struct ike_endpoint *reply_local, *reply_remote; /* during a receive */
	struct source_key source;
	bool half_open;                     /* counted as such: not established yet */
	bool dead;                          /* closed: freed when the call stack unwinds */
	uv_timer_t timer;
	struct eap_server *eap;
	struct ikev2_tnc *tnc;              /* EAP-TNC's TNCCS connection, or NULL */
	bool tnc_decided;                   /* TNCCS_RESULT came */
	uint8_t recommendation;             /* its enum imv_recommendation */
	const char *conn;                   /* chosen by the result: "rw-allow", "rw-isolate" */
	char peer_id[256];                  /* IDi's data as text */
	char identity[256];                 /* the inner EAP identity */
	bool proposal_logged;               /* "selected proposal: IKE:..." */
	struct ikev2_kernel_child *kernel;  /* the CHILD_SA's kernel state, or NULL */
	char close_reason[IPC_XFRM_REASON_MAX + 256]; /* why the owner ended the SA */
};

/* ikev2_server.c */
const struct ikev2_config *ikev2_server_config(void);
uint64_t ikev2_server_now(void);
/* After any call into peer's SA or EAP conversation: the half-open count,
 * the SPI table and the timer follow the SA; a closed peer is freed (when
 * not inside one of its own callbacks). */
void ikev2_server_update(struct ikev2_peer *p);
/* ikev2_server_update() at the next loop turn: for what reaches a peer
 * from outside its SA (tnc-tnccs), where freeing it now would be unsafe. */
void ikev2_server_kick(struct ikev2_peer *p);
/* p's peer sent INITIAL_CONTACT (RFC 7296 2.4): the other established IKE
 * SAs of its identity (IDi) are deleted. */
void ikev2_server_initial_contact(struct ikev2_peer *p);

/* ikev2_glue.c */
extern const struct ike_sa_ops ikev2_glue_sa_ops;
/* The peer is going away: its EAP conversation and TNCCS connection end. */
void ikev2_glue_end(struct ikev2_peer *p);

#endif
