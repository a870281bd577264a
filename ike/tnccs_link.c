/* tnccs_link.c - tnc-ike's side of the channel to tnc-tnccs (see
 * tnccs_link.h).  One FIFO of held connections; each has at most a
 * pending TNCCS_OPEN, then its unsent batches (in its receive buffer),
 * then a pending TNCCS_CLOSE, and goes on in exactly that order. */
#include "tnccs_link.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pb_tnc.h"

static struct {
	struct child *child;
	unsigned wait_ms, max_batch;
	uv_timer_t wait;             /* runs while tnc-tnccs is gone */
	bool gave_up;                /* it did not come back in time */
	bool throttled;              /* a send was refused since the last drain */
	struct ptconn *head, *tail;  /* held connections */
} lk;

static void
enqueue(struct ptconn *c)
{
	if (c->waiting)
		return;
	c->waiting = true;
	c->wait_next = NULL;
	if (lk.tail)
		lk.tail->wait_next = c;
	else
		lk.head = c;
	lk.tail = c;
	if (c->tls)
		pt_conn_pause(c);
}

static void
push_front(struct ptconn *c)
{
	c->waiting = true;
	c->wait_next = lk.head;
	lk.head = c;
	if (!lk.tail)
		lk.tail = c;
}

static struct ptconn *
pop(void)
{
	struct ptconn *c = lk.head;
	if (!c)
		return NULL;
	lk.head = c->wait_next;
	if (!lk.head)
		lk.tail = NULL;
	c->waiting = false;
	c->wait_next = NULL;
	return c;
}

static void
unqueue(struct ptconn *c)
{
	if (!c->waiting)
		return;
	struct ptconn **pp = &lk.head, *prev = NULL;
	while (*pp != c) {
		prev = *pp;
		pp = &(*pp)->wait_next;
	}
	*pp = c->wait_next;
	if (lk.tail == c)
		lk.tail = prev;
	c->waiting = false;
	c->wait_next = NULL;
}

/* Sends m; TNC_EAGAIN when tnc-tnccs cannot take it now (back-pressure,
 * or gone but awaited). */
static int
send_now(struct ptconn *c, const struct ipc_msg *m)
{
	struct ipc_channel *ch = child_peer(lk.child, ROLE_TNCCS);
	if (!ch)
		return lk.gave_up ? TNC_ECLOSED : TNC_EAGAIN;
	int err = ipc_channel_send(ch, m, c->entry.id, 0, 0, -1);
	if (err == TNC_EAGAIN || err == TNC_ECLOSED) {
		/* ECLOSED: closing, peer_closed follows and opens it again */
		if (!lk.throttled)
			LOG(IPC, 1, "tnc-tnccs takes no more for now (back-pressure): connections wait");
		lk.throttled = true;
		return TNC_EAGAIN;
	}
	if (err)
		LOG(IPC, 1, "cannot send '%s' of Connection ID %u to tnc-tnccs: %s",
		    ipc_type_name(m->type), c->entry.id, tnc_strerror(err));
	return err;
}

static int
send_open(struct ptconn *c)
{
	const char *transport = "IF-T for TLS 2.0";
	const char *peer = tls_conn_peer(c->tls);
	/* the SASL user when the client authenticated so, else its certificate's subject */
	const char *identity = c->sasl_user[0] ? c->sasl_user : tls_conn_identity(c->tls);
	struct ipc_msg m = {.type = IPC_TNCCS_OPEN};
	m.u.tnccs_open = (struct ipc_tnccs_open){
		.flags = c->open_flags,
		.transport = {(const uint8_t *)transport, strlen(transport)},
		.peer = {(const uint8_t *)peer, strlen(peer)},
		.identity = {(const uint8_t *)identity, strlen(identity)},
		.max_batch = lk.max_batch,
		/* a batch holding one PB-PA */
		.max_msg = lk.max_batch - PB_BATCH_HEADER_LEN - PB_MSG_HEADER_LEN - PB_PA_HEADER_LEN,
	};
	int err = send_now(c, &m);
	if (err)
		return err;
	if (c->open_flags & TNCCS_OPEN_RESUMED)
		LOG(TNC, 1, "Connection ID %u resumed with the new tnc-tnccs%s", c->entry.id,
		    c->open_flags & TNCCS_OPEN_CLIENT_WAITS ? ", the client waits for an answer" : "");
	c->tnccs = TNCCS_OPENED;
	c->open_flags = 0;
	return 0;
}

static int
send_close(struct ptconn *c)
{
	const char *why = c->close_err ? tnc_strerror(c->close_err) : "the client closed the connection";
	struct ipc_msg m = {.type = IPC_TNCCS_CLOSE};
	m.u.tnccs_close = (struct ipc_tnccs_close){c->close_err, {(const uint8_t *)why, strlen(why)}};
	int err = send_now(c, &m);
	if (err != TNC_EAGAIN)
		c->tnccs = TNCCS_UNKNOWN; /* sent, or cannot ever be */
	return err;
}

/* Lets the held connections go on in order until the channel refuses
 * again. */
static void
drain(void)
{
	struct ptconn *c;
	lk.throttled = false;
	while (!lk.throttled && child_peer(lk.child, ROLE_TNCCS) && (c = pop())) {
		int err = 0;
		if (c->tnccs == TNCCS_OPENING)
			err = send_open(c);
		else if (c->tnccs == TNCCS_CLOSING)
			err = send_close(c);
		if (err == TNC_EAGAIN) {
			push_front(c);
			break;
		}
		if (!c->tls) {
			free(c); /* its TNCCS_CLOSE is out: nothing left of it */
			continue;
		}
		if (err) {
			tls_conn_abort(c->tls, err);
			continue;
		}
		pt_conn_resume(c);
	}
}

static void
on_wait_over(uv_timer_t *t)
{
	struct ptconn *c;
	unsigned n = 0;
	lk.gave_up = true;
	while ((c = pop())) {
		if (c->tls) {
			tls_conn_abort(c->tls, TNC_ECLOSED);
			n++;
		} else {
			free(c);
		}
	}
	LOG_WARN(TNC, "tnc-tnccs did not come back within %u ms: %u waiting PT-TLS connections "
	    "closed", lk.wait_ms, n);
}

void
tnccs_link_init(struct child *child, unsigned wait_ms, unsigned max_batch)
{
	lk.child = child;
	lk.wait_ms = wait_ms;
	lk.max_batch = max_batch;
	uv_timer_init(child_loop(child), &lk.wait);
}

bool
tnccs_link_up(void)
{
	return child_peer(lk.child, ROLE_TNCCS) != NULL;
}

int
tnccs_link_open(struct ptconn *c)
{
	c->tnccs = TNCCS_OPENING;
	c->open_flags = 0;
	int err = send_open(c);
	if (err == TNC_EAGAIN) {
		enqueue(c);
		return 0;
	}
	return err;
}

int
tnccs_link_batch(struct ptconn *c, struct bytes batch)
{
	if (c->tnccs == TNCCS_UNKNOWN)
		return TNC_ESTATE;
	if (c->tnccs != TNCCS_OPENED) { /* a pending open goes first */
		enqueue(c);
		return TNC_EAGAIN;
	}
	struct ipc_msg m = {.type = IPC_TNCCS_BATCH, .u.tnccs_batch.batch = batch};
	int err = send_now(c, &m);
	if (err == TNC_EAGAIN)
		enqueue(c);
	else if (!err)
		c->client_waits = true;
	return err;
}

bool
tnccs_link_close(struct ptconn *c)
{
	if (c->tnccs != TNCCS_OPENED) { /* tnc-tnccs does not know it */
		unqueue(c);
		return false;
	}
	c->tnccs = TNCCS_CLOSING;
	if (c->waiting)
		return true; /* its turn comes */
	if (send_close(c) == TNC_EAGAIN) {
		enqueue(c);
		return true;
	}
	return false;
}

void
tnccs_link_forget(struct ptconn *c)
{
	c->tnccs = TNCCS_UNKNOWN;
	unqueue(c);
}

void
tnccs_link_attached(void)
{
	uv_timer_stop(&lk.wait);
	lk.gave_up = false;
	drain();
}

void
tnccs_link_closed(void)
{
	struct ptconn *c, *keep = NULL, **kp = &keep;
	/* the new tnc-tnccs knows none of the pending closes */
	while ((c = pop())) {
		if (c->tls) {
			*kp = c;
			kp = &c->wait_next;
		} else {
			free(c);
		}
	}
	*kp = NULL;
	while ((c = keep)) {
		keep = c->wait_next;
		enqueue(c);
	}
	unsigned n = 0;
	for (c = pt_conn_next(NULL); c; c = pt_conn_next(c)) {
		if (c->tnccs != TNCCS_OPENED)
			continue;
		c->tnccs = TNCCS_OPENING;
		c->open_flags = TNCCS_OPEN_RESUMED | (c->client_waits ? TNCCS_OPEN_CLIENT_WAITS : 0);
		enqueue(c);
		n++;
	}
	lk.gave_up = false;
	uv_timer_start(&lk.wait, on_wait_over, lk.wait_ms, 0);
	LOG(TNC, 1, "tnc-tnccs is gone: %u PT-TLS connections wait up to %u ms for a new one", n,
	    lk.wait_ms);
}

void
tnccs_link_drained(void)
{
	drain();
}
