/* imc_msgq.c - an IMC's queue of PA messages (see imc_msgq.h). */
#include "imc_msgq.h"

#include <stdlib.h>
#include <string.h>

#include "pb_tnc.h"

void
imc_msgq_init(struct imc_msgq *q)
{
	q->head = NULL;
	q->tail = &q->head;
}

void
imc_msgq_push(struct imc_msgq *q, struct bytes msg, uint16_t imv)
{
	struct imc_msg *m = malloc(sizeof(*m) + msg.len);

	if (!m)
		abort();
	*m = (struct imc_msg){NULL, imv == PB_PA_ID_ANY ? 0 : PB_PA_FLAG_EXCL, imv, msg.len};
	memcpy(m->data, msg.ptr, msg.len);
	*q->tail = m;
	q->tail = &m->next;
}

struct imc_msg *
imc_msgq_take_all(struct imc_msgq *q)
{
	struct imc_msg *m = q->head;

	imc_msgq_init(q);
	return m;
}

struct imc_msg *
imc_msgq_take_one(struct imc_msgq *q)
{
	struct imc_msg *m = q->head;

	if (m) {
		q->head = m->next;
		if (!q->head)
			q->tail = &q->head;
		m->next = NULL;
	}
	return m;
}

void
imc_msgq_drop(struct imc_msgq *q)
{
	for (struct imc_msg *m = imc_msgq_take_all(q), *next; m; m = next) {
		next = m->next;
		free(m);
	}
}
