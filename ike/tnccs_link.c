/* tnccs_link.c - tnc-ike's side of the channel to tnc-tnccs (see
 * tnccs_link.h).  One table of the connections whose client is there, by
 * TNCCS Connection ID; one FIFO of held connections; each has at most a
 * pending TNCCS_OPEN, then its unsent batches (its transport keeps them),
 * then a pending TNCCS_CLOSE, and goes on in exactly that order. */
#include "tnccs_link.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

static struct {
	struct child *child;
	unsigned wait_ms;
	struct id_table conns;       /* whose client is there */
	uint32_t next_id;
	uv_timer_t wait;             /* runs while tnc-tnccs is gone */
	bool gave_up;                /* it did not come back in time */
	bool throttled;              /* a send was refused since the last drain */
	struct tnccs_conn *head, *tail;  /* held connections */
} lk;

static void
enqueue(struct tnccs_conn *c)
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
	if (!c->gone)
		c->ops->pause(c);
}

static void
push_front(struct tnccs_conn *c)
{
	c->waiting = true;
	c->wait_next = lk.head;
	lk.head = c;
	if (!lk.tail)
		lk.tail = c;
}

static struct tnccs_conn *
pop(void)
{
	struct tnccs_conn *c = lk.head;
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
unqueue(struct tnccs_conn *c)
{
	if (!c->waiting)
		return;
	struct tnccs_conn **pp = &lk.head, *prev = NULL;
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
send_now(struct tnccs_conn *c, const struct ipc_msg *m)
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
send_open(struct tnccs_conn *c)
{
	struct ipc_msg m = {.type = IPC_TNCCS_OPEN};
	c->ops->describe(c, &m.u.tnccs_open);
	m.u.tnccs_open.flags |= c->open_flags; /* describe() gave the transport's */
	int err = send_now(c, &m);
	if (err)
		return err;
	if (c->open_flags & TNCCS_OPEN_RESUMED)
		LOG(TNC, 1, "Connection ID %u resumed with the new tnc-tnccs%s", c->entry.id,
		    c->open_flags & TNCCS_OPEN_CLIENT_WAITS ? ", the client waits for an answer" : "");
	c->state = TNCCS_OPENED;
	c->open_flags = 0;
	return 0;
}

static int
send_close(struct tnccs_conn *c)
{
	const char *why = c->close_err ? tnc_strerror(c->close_err) : "the client closed the connection";
	struct ipc_msg m = {.type = IPC_TNCCS_CLOSE};
	m.u.tnccs_close = (struct ipc_tnccs_close){c->close_err, {(const uint8_t *)why, strlen(why)}};
	int err = send_now(c, &m);
	if (err != TNC_EAGAIN)
		c->state = TNCCS_UNKNOWN; /* sent, or cannot ever be */
	return err;
}

/* Lets the held connections go on in order until the channel refuses
 * again. */
static void
drain(void)
{
	struct tnccs_conn *c;
	lk.throttled = false;
	while (!lk.throttled && child_peer(lk.child, ROLE_TNCCS) && (c = pop())) {
		int err = 0;
		if (c->state == TNCCS_OPENING)
			err = send_open(c);
		else if (c->state == TNCCS_CLOSING)
			err = send_close(c);
		if (err == TNC_EAGAIN) {
			push_front(c);
			break;
		}
		if (c->gone) {
			c->ops->release(c); /* its TNCCS_CLOSE is out: nothing left of it */
			continue;
		}
		if (err) {
			c->ops->abort(c, err);
			continue;
		}
		c->ops->resume(c);
	}
}

static void
on_wait_over(uv_timer_t *t)
{
	struct tnccs_conn *c;
	unsigned n = 0;
	lk.gave_up = true;
	while ((c = pop())) {
		if (!c->gone) {
			c->ops->abort(c, TNC_ECLOSED);
			n++;
		} else {
			c->ops->release(c);
		}
	}
	LOG_WARN(TNC, "tnc-tnccs did not come back within %u ms: %u waiting connections closed",
	    lk.wait_ms, n);
}

void
tnccs_link_init(struct child *child, unsigned wait_ms, size_t bound)
{
	lk.child = child;
	lk.wait_ms = wait_ms;
	id_table_init(&lk.conns, bound);
	uv_timer_init(child_loop(child), &lk.wait);
}

bool
tnccs_link_up(void)
{
	return child_peer(lk.child, ROLE_TNCCS) != NULL;
}

void
tnccs_link_add(struct tnccs_conn *c, const struct tnccs_conn_ops *ops)
{
	c->ops = ops;
	do /* 0 is no connection; once the IDs wrap, one may still be in use */
		c->entry.id = ++lk.next_id;
	while (c->entry.id == 0 || id_table_find(&lk.conns, c->entry.id));
	id_table_add(&lk.conns, &c->entry);
}

int
tnccs_link_open(struct tnccs_conn *c)
{
	c->state = TNCCS_OPENING;
	c->open_flags = 0;
	int err = send_open(c);
	if (err == TNC_EAGAIN) {
		enqueue(c);
		return 0;
	}
	return err;
}

int
tnccs_link_batch(struct tnccs_conn *c, struct bytes batch)
{
	if (c->state == TNCCS_UNKNOWN)
		return TNC_ESTATE;
	if (c->state != TNCCS_OPENED) { /* a pending open goes first */
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
tnccs_link_close(struct tnccs_conn *c, int err)
{
	id_table_remove(&lk.conns, &c->entry);
	c->gone = true;
	c->close_err = err;
	if (c->state != TNCCS_OPENED) { /* tnc-tnccs does not know it */
		unqueue(c);
		return false;
	}
	c->state = TNCCS_CLOSING;
	if (c->waiting)
		return true; /* its turn comes */
	if (send_close(c) == TNC_EAGAIN) {
		enqueue(c);
		return true;
	}
	return false;
}

void
tnccs_link_forget(struct tnccs_conn *c)
{
	c->state = TNCCS_UNKNOWN;
	unqueue(c);
}

void
tnccs_link_from_tnccs(struct ipc_received *rx)
{
	struct tnccs_conn *c = (struct tnccs_conn *)id_table_find(&lk.conns, rx->hdr.session);
	if (c) /* else the client already left */
		c->ops->from_tnccs(c, rx);
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
	struct tnccs_conn *c, *keep = NULL, **kp = &keep;
	/* the new tnc-tnccs knows none of the pending closes */
	while ((c = pop())) {
		if (!c->gone) {
			*kp = c;
			kp = &c->wait_next;
		} else {
			c->ops->release(c);
		}
	}
	*kp = NULL;
	while ((c = keep)) {
		keep = c->wait_next;
		enqueue(c);
	}
	unsigned n = 0;
	for (struct id_table_entry *e = id_table_next(&lk.conns, NULL); e;
	    e = id_table_next(&lk.conns, e)) {
		c = (struct tnccs_conn *)e;
		if (c->state != TNCCS_OPENED)
			continue;
		c->state = TNCCS_OPENING;
		c->open_flags = TNCCS_OPEN_RESUMED | (c->client_waits ? TNCCS_OPEN_CLIENT_WAITS : 0);
		enqueue(c);
		n++;
	}
	lk.gave_up = false;
	uv_timer_start(&lk.wait, on_wait_over, lk.wait_ms, 0);
	LOG(TNC, 1, "tnc-tnccs is gone: %u connections wait up to %u ms for a new one", n,
	    lk.wait_ms);
}

void
tnccs_link_drained(void)
{
	drain();
}
