/* imc_reply.h - the PA-TNC message(s) an IMC builds in answer to one PA
 * message from an IMV (or unsolicited, to any IMV), queued on an
 * imc_msgq when sent.  A message is started on its first attribute, with a
 * random Message ID.
 */
#ifndef TNC_IMC_REPLY_H
#define TNC_IMC_REPLY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imc_msgq.h"
#include "pa_tnc.h"

struct imc_reply {
	struct imc_msgq *q;
	uint16_t imv;   /* the IMV answered (EXCL), or PB_PA_ID_ANY */
	size_t msg_max; /* of a message (see spill) */
	/* false: one message of at most msg_max octets, refused whole when
	 * more is added.  true (the attestation IMC, whose evidence fills
	 * many messages): an attribute that would make the message longer
	 * than msg_max starts a new one, and one longer alone goes alone. */
	bool spill;
	/* Of the "creating PA-TNC attribute" lines: the attestation IMC's
	 * evidence is thousands of attributes, logged a level lower (3). */
	int attr_level;
	struct pa_tnc_builder b;
	bool open;
};

/* A reply to imv of one message of at most msg_max octets (spill false,
 * attr_level 2). */
void imc_reply_init(struct imc_reply *r, struct imc_msgq *q, uint16_t imv, size_t msg_max);
/* The message being built, for encoders that append whole attributes
 * (imc_attrs.h); not with spill. */
struct pa_tnc_builder *imc_reply_builder(struct imc_reply *r);
/* Appends an attribute whose value is given. */
void imc_reply_add(struct imc_reply *r, uint32_t vendor, uint32_t type, struct bytes value);
/* Appends the attribute whose value a typed encoder wrote to w (logged
 * and left out when w failed), and clears w. */
void imc_reply_put(struct imc_reply *r, uint32_t vendor, uint32_t type, struct wire_writer *w);
/* Queues the message, if anything was added to it; true when there was
 * (even if it could not be built). */
bool imc_reply_send(struct imc_reply *r);

#endif
