/* imc_msgq.h - the PA messages an IMC has for the server, in the order
 * queued, until the PB client takes them for a CDATA batch.
 */
#ifndef TNC_IMC_MSGQ_H
#define TNC_IMC_MSGQ_H

#include <stddef.h>
#include <stdint.h>

#include "wire.h"

/* A PA message for the server. */
struct imc_msg {
	struct imc_msg *next;
	uint8_t flags;         /* PB_PA_FLAG_EXCL when it answers one IMV */
	uint16_t validator_id; /* that IMV, or PB_PA_ID_ANY */
	size_t len;
	uint8_t data[]; /* the PA-TNC message */
};

struct imc_msgq {
	struct imc_msg *head, **tail;
};

void imc_msgq_init(struct imc_msgq *q);
/* Queues a copy of the PA-TNC message msg for IMV imv (EXCL), or for any
 * IMV (imv PB_PA_ID_ANY). */
void imc_msgq_push(struct imc_msgq *q, struct bytes msg, uint16_t imv);
/* All queued messages, oldest first, or NULL; the caller frees each with
 * free(). */
struct imc_msg *imc_msgq_take_all(struct imc_msgq *q);
/* The oldest queued message alone, or NULL; the caller frees it. */
struct imc_msg *imc_msgq_take_one(struct imc_msgq *q);
/* Frees everything queued. */
void imc_msgq_drop(struct imc_msgq *q);

#endif
