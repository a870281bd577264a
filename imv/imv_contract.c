/* imv_contract.c - segmentation contracts of one connection (see
 * imv_contract.h). */
#include "imv_contract.h"

#include <stdio.h>
#include <string.h>

#include "imv_budget.h"
#include "log.h"

void
imv_contract_init(struct imv_contract *c, uint16_t imv_id, uint32_t pa_vendor,
    uint32_t pa_subtype, uint32_t max_msg, uint32_t max_seg_size)
{
	memset(c, 0, sizeof(*c));
	c->imv_id = imv_id;
	c->pa_vendor = pa_vendor;
	c->pa_subtype = pa_subtype;
	c->own.max_msg_size = (uint32_t)imv_budget_conn_max();
	c->own.max_seg_size = max_seg_size;
	if (max_msg > IMV_SEGMENT_OVERHEAD + PA_TNC_ATTR_HEADER_LEN &&
	    max_seg_size > max_msg - IMV_SEGMENT_OVERHEAD)
		c->own.max_seg_size = max_msg - IMV_SEGMENT_OVERHEAD;
}

void
imv_contract_reset(struct imv_contract *c)
{
	c->asked = c->peer_known = false;
}

static void
log_sizes(const struct pa_segment_contract *c)
{
	char msg[48], seg[48];

	if (c->max_msg_size == PA_SEGMENT_NO_LIMIT)
		snprintf(msg, sizeof(msg), "no message size limit");
	else
		snprintf(msg, sizeof(msg), "maximum message size of %u bytes", c->max_msg_size);
	if (c->max_seg_size == PA_SEGMENT_NO_LIMIT)
		snprintf(seg, sizeof(seg), "no segment size limit");
	else
		snprintf(seg, sizeof(seg), "maximum segment size of %u bytes", c->max_seg_size);
	LOG(IMV, 1, "  %s, %s", msg, seg);
}

void
imv_contract_ask(const struct imv_contract *c, struct imv_msg *m)
{
	LOG(IMV, 1, "IMV %u requests a segmentation contract for PA message type '%s' "
	    "0x%06x/0x%08x", c->imv_id, pa_tnc_subtype_name(c->pa_vendor, c->pa_subtype),
	    c->pa_vendor, c->pa_subtype);
	log_sizes(&c->own);
	imv_msg_contract(m, PA_SEGMENT_CONTRACT_REQUEST, c->own.max_msg_size, c->own.max_seg_size);
}

void
imv_contract_answer(const struct imv_contract *c, struct imv_msg *m, uint16_t imc_id)
{
	if (!c->asked)
		return;
	LOG(IMV, 1, "IMV %u answers the segmentation contract request of IMC %u", c->imv_id, imc_id);
	log_sizes(&c->own);
	imv_msg_contract(m, PA_SEGMENT_CONTRACT_RESPONSE, c->own.max_msg_size, c->own.max_seg_size);
}

void
imv_contract_answered(struct imv_contract *c)
{
	c->asked = false;
}

int
imv_contract_received(struct imv_contract *c, uint16_t imc_id, const struct pa_tnc_attr *a,
    struct parse_error *ret_err)
{
	struct pa_segment_contract sizes;
	bool request = a->type == PA_SEGMENT_CONTRACT_REQUEST;
	int err;

	if ((err = pa_segment_contract_decode(a->value, &sizes, ret_err)) != 0)
		return err;
	LOG(IMV, 1, "IMV %u received a segmentation contract %s from IMC %u for PA message type "
	    "'%s' 0x%06x/0x%08x", c->imv_id, request ? "request" : "response", imc_id,
	    pa_tnc_subtype_name(c->pa_vendor, c->pa_subtype), c->pa_vendor, c->pa_subtype);
	log_sizes(&sizes);
	c->peer = sizes;
	c->peer_known = true;
	if (request)
		c->asked = true;
	return 0;
}
