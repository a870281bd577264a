/* tnccs_link.h - tnc-ike's side of the channel to tnc-tnccs, for every
 * kind of connection that carries PB-TNC: PT-TLS (pt_tls_server.c) and
 * EAP-TNC inside an IKE SA (ikev2_server.c).  Each embeds struct
 * tnccs_conn first and gives its ops; the link assigns the TNCCS
 * Connection ID, so both kinds share one ID space, and hands what
 * tnc-tnccs sends to the connection it names.
 *
 * Nothing meant for tnc-tnccs is lost or reordered: when the channel is
 * above its high-water mark (TNC_EAGAIN) or tnc-tnccs is gone, the
 * connection joins a queue and is held (its unsent PB-TNC batches stay
 * with it, its TNCCS_OPEN or TNCCS_CLOSE in its state) until the channel
 * drains or a new tnc-tnccs is attached; then each queued connection goes
 * on in turn.  Connections tnc-tnccs knew when it went away are opened
 * again with TNCCS_OPEN_RESUMED (and CLIENT_WAITS when the client's last
 * batch got no answer).  A tnc-tnccs that is not back within tnccs_wait
 * ends the held connections. */
#ifndef TNC_TNCCS_LINK_H
#define TNC_TNCCS_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "child.h"
#include "id_table.h"

/* What tnc-tnccs knows of the connection. */
enum tnccs_conn_state {
	TNCCS_UNKNOWN, /* nothing: never opened, or tnccs closed it */
	TNCCS_OPENING, /* TNCCS_OPEN (open_flags) waits to be sent */
	TNCCS_OPENED,  /* opened; batches flow */
	TNCCS_CLOSING, /* the client is gone; TNCCS_CLOSE waits to be sent */
};

struct tnccs_conn;

/* What the link asks of a connection's transport.  pause, resume and abort
 * come only while the client is there (gone is false). */
struct tnccs_conn_ops {
	/* Hold reading from the client; let it go on (what it holds first). */
	void (*pause)(struct tnccs_conn *c);
	void (*resume)(struct tnccs_conn *c);
	/* End the connection with err (tnc-tnccs refused it or is not back). */
	void (*abort)(struct tnccs_conn *c, int err);
	/* The transport's part of TNCCS_OPEN: transport, peer, identity,
	 * max_batch, max_msg (views valid until the call returns). */
	void (*describe)(struct tnccs_conn *c, struct ipc_tnccs_open *o);
	/* A TNCCS_BATCH, TNCCS_RESULT or TNCCS_CLOSE for a connection whose
	 * client is there. */
	void (*from_tnccs)(struct tnccs_conn *c, struct ipc_received *rx);
	/* The client is gone and nothing more goes to tnc-tnccs: free c. */
	void (*release)(struct tnccs_conn *c);
};

struct tnccs_conn {
	struct id_table_entry entry; /* first; id = TNCCS Connection ID */
	const struct tnccs_conn_ops *ops;
	struct tnccs_conn *wait_next; /* the link's queue */
	bool waiting;                 /* in that queue: reading from the client is held */
	bool gone;                    /* the client is gone */
	enum tnccs_conn_state state;
	uint8_t open_flags;           /* TNCCS_OPEN_* of a pending open */
	bool client_waits;            /* a client batch went to tnccs, no batch back since */
	int close_err;                /* for TNCCS_CLOSE */
};

/* bound: the most connections of all kinds at once (sizes the ID table). */
void tnccs_link_init(struct child *child, unsigned wait_ms, size_t bound);
/* Whether a new client can be taken: tnc-tnccs is there. */
bool tnccs_link_up(void);
/* A new connection: assigns c->entry.id and the ops. */
void tnccs_link_add(struct tnccs_conn *c, const struct tnccs_conn_ops *ops);
/* The connection is ready for PB-TNC: TNCCS_OPEN.  0, or an error that
 * ends it. */
int tnccs_link_open(struct tnccs_conn *c) TNC_MUST_CHECK;
/* One client batch: 0 sent; TNC_EAGAIN the connection is queued and held
 * (keep the batch, ops->resume comes); another error ends it. */
int tnccs_link_batch(struct tnccs_conn *c, struct bytes batch) TNC_MUST_CHECK;
/* The client is gone (the link sets c->gone; close_err says why).
 * Returns true when the link keeps c until its TNCCS_CLOSE is out (and
 * releases it then); false: the caller frees it. */
bool tnccs_link_close(struct tnccs_conn *c, int err);
/* tnc-tnccs closed the connection: nothing more goes to it. */
void tnccs_link_forget(struct tnccs_conn *c);
/* A frame from tnc-tnccs: to the connection its session names. */
void tnccs_link_from_tnccs(struct ipc_received *rx);

/* child_ops */
void tnccs_link_attached(void);
void tnccs_link_closed(void);
void tnccs_link_drained(void);

#endif
