/* ptconn.h - one PT-TLS connection as pt_tls_server.c (the client side)
 * and tnccs_link.c (the tnc-tnccs side) share it. */
#ifndef TNC_PTCONN_H
#define TNC_PTCONN_H

#include <stdbool.h>
#include <stdint.h>

#include "id_table.h"
#include "source_limit.h"
#include "tls_conn.h"

enum ptc_state {
	PTC_TLS,
	PTC_NEGOTIATE,      /* waits for the Version Request */
	PTC_SASL_SELECTION, /* waits for the SASL Mechanism Selection */
	PTC_SASL_RESPONSE,  /* waits for the SASL Authentication Data (the PLAIN message) */
	PTC_DATA,
	PTC_CLOSING,
};

/* What tnc-tnccs knows of the connection. */
enum ptc_tnccs {
	TNCCS_UNKNOWN, /* nothing: never opened, or tnccs closed it */
	TNCCS_OPENING, /* TNCCS_OPEN (open_flags) waits to be sent */
	TNCCS_OPENED,  /* opened; batches flow */
	TNCCS_CLOSING, /* the client is gone; TNCCS_CLOSE waits to be sent */
};

struct ptconn {
	/* first: pt_tls_server.c's table of the connections with a client
	 * hands back entries; id = TNCCS Connection ID */
	struct id_table_entry entry;
	struct ptconn *wait_next;   /* tnccs_link's queue */
	bool waiting;               /* in that queue: reading from the client is held */
	struct tls_conn *tls;       /* NULL once the client is gone */
	struct source_key source;
	enum ptc_state state;
	enum ptc_tnccs tnccs;
	uint8_t open_flags;         /* TNCCS_OPEN_* of a pending open */
	bool client_waits;          /* a client batch went to tnccs, no batch back since */
	int close_err;              /* for TNCCS_CLOSE */
	uint32_t next_msg_id;
	char sasl_user[256];        /* SASL-authenticated identity; empty: none */
	uint8_t *rx;                /* received, not yet handled: at most a partial message */
	size_t rx_len, rx_cap;
	uint64_t accepted_at;       /* loop time, ms */
	uint64_t active_at;         /* last complete PT-TLS message either way */
	uint64_t partial_at;        /* first byte of the unfinished message; 0: none */
};

/* pt_tls_server.c: tnccs_link holds a connection (it waits for tnc-tnccs)
 * and lets it go on (its queued messages are handled first). */
void pt_conn_pause(struct ptconn *c);
void pt_conn_resume(struct ptconn *c);
/* The connection with a client after c, in no particular order; the
 * first for NULL. */
struct ptconn *pt_conn_next(const struct ptconn *c);

#endif
