/* ike_out.c - see ike_out.h. */
#include "ike_out.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"

struct ike_frame {
	struct ike_frame *next;
	uint32_t session;
	struct ipc_msg m; /* its bytes field views data */
	size_t len;
	uint8_t data[];
};

void
ike_out_init(struct ike_out *q)
{
	*q = (struct ike_out){.head = NULL, .tail = &q->head};
}

/* The one bytes field of the message, which the copy must own. */
static struct bytes *
owned_field(struct ipc_msg *m)
{
	switch (m->type) {
	case IPC_TNCCS_BATCH: return &m->u.tnccs_batch.batch;
	case IPC_TNCCS_CLOSE: return &m->u.tnccs_close.reason;
	default: return NULL;
	}
}

static void
keep(struct ike_out *q, uint32_t session, const struct ipc_msg *m)
{
	struct ipc_msg copy = *m;
	struct bytes *field = owned_field(&copy);
	size_t len = field ? field->len : 0;
	struct ike_frame *f = malloc(sizeof(*f) + len);
	if (!f)
		abort();
	f->next = NULL;
	f->session = session;
	f->m = copy;
	f->len = len;
	if (field) {
		memcpy(f->data, field->ptr, len);
		*owned_field(&f->m) = (struct bytes){f->data, len};
	}
	if (m->type == IPC_TNCCS_BATCH)
		q->batch_bytes += len;
	q->frames++;
	*q->tail = f;
	q->tail = &f->next;
}

int
ike_out_send(struct ike_out *q, struct ipc_channel *ch, uint32_t session, const struct ipc_msg *m)
{
	if (!ch)
		return TNC_ECLOSED;
	if (m->type == IPC_TNCCS_BATCH && q->batch_bytes + m->u.tnccs_batch.batch.len > IKE_OUT_MAX)
		return TNC_EAGAIN;
	int err = q->head ? TNC_EAGAIN : ipc_channel_send(ch, m, session, 0, 0, -1);
	if (err != TNC_EAGAIN)
		return err;
	if (!q->head)
		LOG(IPC, 1, "tnc-ike pushes back: keeping frames for it until it drains");
	keep(q, session, m);
	return 0;
}

static void
drop_head(struct ike_out *q)
{
	struct ike_frame *f = q->head;
	q->head = f->next;
	if (!q->head)
		q->tail = &q->head;
	if (f->m.type == IPC_TNCCS_BATCH)
		q->batch_bytes -= f->len;
	q->frames--;
	free(f);
}

void
ike_out_flush(struct ike_out *q, struct ipc_channel *ch)
{
	while (q->head && ch) {
		int err = ipc_channel_send(ch, &q->head->m, q->head->session, 0, 0, -1);
		if (err == TNC_EAGAIN)
			return;
		if (err)
			LOG(IPC, 1, "cannot send a kept '%s' for Connection ID %u to tnc-ike: %s",
			    ipc_type_name(q->head->m.type), q->head->session, tnc_strerror(err));
		drop_head(q);
	}
	if (!q->head)
		LOG(IPC, 2, "every frame kept for tnc-ike is sent");
}

void
ike_out_clear(struct ike_out *q)
{
	while (q->head)
		drop_head(q);
}
