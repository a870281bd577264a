/* tnccs_link.h - tnc-ike's side of the channel to tnc-tnccs.
 *
 * Nothing meant for tnc-tnccs is lost or reordered: when the channel is
 * above its high-water mark (TNC_EAGAIN) or tnc-tnccs is gone, the
 * connection joins a queue and is held (its unsent PB-TNC batches stay in
 * its receive buffer, its TNCCS_OPEN or TNCCS_CLOSE in its state) until
 * the channel drains or a new tnc-tnccs is attached; then each queued
 * connection goes on in turn.  Connections tnc-tnccs knew when it went
 * away are opened again with TNCCS_OPEN_RESUMED (and CLIENT_WAITS when the
 * client's last batch got no answer).  A tnc-tnccs that is not back within
 * tnccs_wait ends the held connections. */
#ifndef TNC_TNCCS_LINK_H
#define TNC_TNCCS_LINK_H

#include "child.h"
#include "ptconn.h"

void tnccs_link_init(struct child *child, unsigned wait_ms, unsigned max_batch);
/* Whether a new client can be taken: tnc-tnccs is there. */
bool tnccs_link_up(void);
/* The connection entered the PT-TLS data phase: TNCCS_OPEN.  0, or an
 * error that ends it. */
int tnccs_link_open(struct ptconn *c) TNC_MUST_CHECK;
/* One client batch: 0 sent; TNC_EAGAIN the connection is queued and held
 * (keep the batch, pt_conn_resume() comes); another error ends it. */
int tnccs_link_batch(struct ptconn *c, struct bytes batch) TNC_MUST_CHECK;
/* The client is gone (c->tls is NULL now).  Returns true when the link
 * keeps c until its TNCCS_CLOSE is out (and frees it then); false: the
 * caller frees it. */
bool tnccs_link_close(struct ptconn *c);
/* tnc-tnccs closed the connection: nothing more goes to it. */
void tnccs_link_forget(struct ptconn *c);

/* child_ops */
void tnccs_link_attached(void);
void tnccs_link_closed(void);
void tnccs_link_drained(void);

#endif
