/* imc_reply.c - building an IMC's answer (see imc_reply.h).
 * Diagnostics: IMV subsystem (shown as IMC by tncclient). */
#include "imc_reply.h"

#include <stdlib.h>
#include <sys/random.h>

#include "log.h"

#define ATTR_LEVEL 2

void
imc_reply_init(struct imc_reply *r, struct imc_msgq *q, uint16_t imv, size_t msg_max)
{
	*r = (struct imc_reply){.q = q, .imv = imv, .msg_max = msg_max,
	    .attr_level = ATTR_LEVEL};
}

static uint32_t
random_msg_id(void)
{
	uint32_t id;

	if (getrandom(&id, sizeof(id), 0) != sizeof(id))
		id = (uint32_t)rand();
	return id;
}

static void
open_message(struct imc_reply *r, size_t max_len)
{
	uint32_t id = random_msg_id();

	LOG(IMV, 2, "creating PA-TNC message with ID 0x%08x", id);
	pa_tnc_builder_init(&r->b, id, max_len);
	r->open = true;
}

struct pa_tnc_builder *
imc_reply_builder(struct imc_reply *r)
{
	if (!r->open)
		open_message(r, r->msg_max);
	return &r->b;
}

void
imc_reply_add(struct imc_reply *r, uint32_t vendor, uint32_t type, struct bytes value)
{
	size_t attr_len = PA_TNC_ATTR_HEADER_LEN + value.len;

	if (r->spill && r->open && r->b.w.len + attr_len > r->msg_max)
		(void)imc_reply_send(r);
	if (!r->open && r->spill)
		open_message(r, PA_TNC_HEADER_LEN + (attr_len > r->msg_max ? attr_len : r->msg_max));
	LOG(IMV, r->attr_level, "creating PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(vendor, type), vendor, type);
	pa_tnc_builder_add(imc_reply_builder(r), 0, vendor, type, value);
}

void
imc_reply_put(struct imc_reply *r, uint32_t vendor, uint32_t type, struct wire_writer *w)
{
	if (wire_writer_status(w) == 0)
		imc_reply_add(r, vendor, type, (struct bytes){w->buf, w->len});
	else
		LOG(IMV, 0, "cannot encode attribute '%s': %s", pa_tnc_attr_name(vendor, type),
		    tnc_strerror(wire_writer_status(w)));
	wire_writer_clear(w);
}

bool
imc_reply_send(struct imc_reply *r)
{
	struct bytes msg;

	if (!r->open)
		return false;
	int err = pa_tnc_builder_finish(&r->b, &msg);
	if (err)
		LOG(IMV, 0, "cannot build a PA-TNC message: %s", tnc_strerror(err));
	else
		imc_msgq_push(r->q, msg, r->imv);
	pa_tnc_builder_clear(&r->b);
	r->open = false;
	return true;
}
