/* imc_segments.c - the IMC's side of TCG IF-M Segmentation (see
 * imc_segments.h). */
#include "imc_segments.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pa_tnc.h"

#define CONTRACT_VALUE_LEN 8     /* Max Message Size, Max Segment Size */
#define ENVELOPE_HEADER_LEN 4    /* flags, Base Message ID */

/* A segmented attribute being handed out on request. */
struct imc_exchange {
	struct imc_exchange *next;
	uint16_t imv;
	uint8_t *attr; /* the whole attribute; the splitter views it */
	struct pa_segment_splitter split;
	unsigned sent;
};

static void
free_exchange(struct imc_exchange *x)
{
	free(x->attr);
	free(x);
}

void
imc_segments_init(struct imc_segments *s)
{
	memset(s, 0, sizeof(*s));
	s->next_base_id = 1;
}

void
imc_segments_forget(struct imc_segments *s)
{
	while (s->exchanges) {
		struct imc_exchange *x = s->exchanges;
		s->exchanges = x->next;
		free_exchange(x);
	}
	memset(s->contracts, 0, sizeof(s->contracts));
}

/* The slot of the contract with imv, or IMC_SEGMENTS_CONTRACTS. */
static size_t
contract_slot(const struct imc_segments *s, uint16_t imv)
{
	size_t i = 0;

	while (i < IMC_SEGMENTS_CONTRACTS && !(s->contracts[i].used && s->contracts[i].imv == imv))
		i++;
	return i;
}

const struct pa_segment_contract *
imc_segments_contract(const struct imc_segments *s, uint16_t imv)
{
	size_t i = contract_slot(s, imv);

	return i < IMC_SEGMENTS_CONTRACTS ? &s->contracts[i].sizes : NULL;
}

int
imc_segments_on_contract(struct imc_segments *s, unsigned imc_id, struct imc_reply *r,
    struct bytes value, struct parse_error *pe)
{
	struct pa_segment_contract req;
	struct wire_writer w;
	int err = pa_segment_contract_decode(value, &req, pe);
	size_t i = contract_slot(s, r->imv);

	if (err)
		return err;
	for (size_t j = 0; i == IMC_SEGMENTS_CONTRACTS && j < IMC_SEGMENTS_CONTRACTS; j++)
		if (!s->contracts[j].used)
			i = j;
	if (i == IMC_SEGMENTS_CONTRACTS)
		i = IMC_SEGMENTS_CONTRACTS - 1; /* more IMVs than slots: reuse one */
	struct imc_contract *c = &s->contracts[i];
	*c = (struct imc_contract){true, r->imv, {req.max_msg_size,
	    req.max_seg_size < IMC_SEGMENTS_OWN_MAX_SEG ? req.max_seg_size :
	    IMC_SEGMENTS_OWN_MAX_SEG}};
	LOG(IMV, 1, "IMC %u received a segmentation contract request from IMV %u", imc_id, r->imv);
	if (c->sizes.max_msg_size == PA_SEGMENT_NO_LIMIT)
		LOG(IMV, 1, "  no message size limit, maximum segment size of %u bytes",
		    c->sizes.max_seg_size);
	else
		LOG(IMV, 1, "  maximum message size of %u bytes, maximum segment size of %u bytes",
		    c->sizes.max_msg_size, c->sizes.max_seg_size);
	wire_writer_init(&w, CONTRACT_VALUE_LEN);
	pa_segment_contract_encode(&w, &c->sizes);
	imc_reply_put(r, PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, &w);
	return 0;
}

uint32_t
imc_segments_start(struct imc_segments *s, uint16_t imv, struct bytes attr, uint32_t max_seg)
{
	struct imc_exchange *x = calloc(1, sizeof(*x));
	uint32_t id = s->next_base_id;

	if (!x || !(x->attr = malloc(attr.len ? attr.len : 1)))
		abort();
	x->imv = imv;
	memcpy(x->attr, attr.ptr, attr.len);
	s->next_base_id = id >= PA_SEGMENT_ID_MAX ? 1 : id + 1;
	if (pa_segment_splitter_init(&x->split, (struct bytes){x->attr, attr.len}, id, max_seg)) {
		LOG(IMV, 0, "cannot cut %zu bytes into segments of %u bytes", attr.len, max_seg);
		free_exchange(x);
		return 0;
	}
	x->next = s->exchanges;
	s->exchanges = x;
	return id;
}

static struct imc_exchange **
find_exchange(struct imc_segments *s, uint16_t imv, uint32_t base_id)
{
	struct imc_exchange **pp = &s->exchanges;

	while (*pp && ((*pp)->split.base_msg_id != base_id || (*pp)->imv != imv))
		pp = &(*pp)->next;
	return pp;
}

static void
drop_exchange(struct imc_exchange **pp)
{
	struct imc_exchange *x = *pp;
	*pp = x->next;
	free_exchange(x);
}

/* The next segment of *pp into r; the exchange is dropped after its last. */
static void
send_segment(struct imc_reply *r, struct imc_exchange **pp)
{
	struct imc_exchange *x = *pp;
	struct pa_segment_envelope env;
	struct wire_writer w;

	if (pa_segment_splitter_next(&x->split, &env)) {
		x->sent++;
		LOG(IMV, 1, "sending segment %u (%zu bytes%s) of base message ID %u to IMV %u",
		    x->sent, env.segment.len,
		    (env.flags & PA_SEGMENT_FLAG_MORE) ? ", more to follow" : ", the last",
		    env.base_msg_id, x->imv);
		wire_writer_init(&w, ENVELOPE_HEADER_LEN + env.segment.len);
		pa_segment_envelope_encode(&w, &env);
		imc_reply_put(r, PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, &w);
	}
	if (x->split.pos == x->split.attr.len)
		drop_exchange(pp);
}

void
imc_segments_send(struct imc_segments *s, struct imc_reply *r, uint32_t base_id)
{
	struct imc_exchange **pp = find_exchange(s, r->imv, base_id);

	if (*pp)
		send_segment(r, pp);
}

int
imc_segments_on_next(struct imc_segments *s, struct imc_reply *r, struct bytes value,
    struct parse_error *pe)
{
	struct pa_segment_next next;
	int err = pa_segment_next_decode(value, &next, pe);

	if (err)
		return err;
	struct imc_exchange **pp = find_exchange(s, r->imv, next.base_msg_id);
	if (!*pp) {
		LOG(IMV, 0, "IMV %u asks for a segment of unknown base message ID %u", r->imv,
		    next.base_msg_id);
		/* the Base Message ID field follows the flags octet */
		*pe = (struct parse_error){1, PA_TNC_ERROR_INVALID_PARAMETER,
		    "unknown base message ID"};
		return TNC_ENOTFOUND;
	}
	if (next.cancel) {
		LOG(IMV, 1, "IMV %u cancels the segments of base message ID %u", r->imv,
		    next.base_msg_id);
		drop_exchange(pp);
		return 0;
	}
	send_segment(r, pp);
	return 0;
}

int
imc_segments_on_cancel(struct imc_segments *s, struct imc_reply *r, struct bytes value,
    struct parse_error *pe)
{
	uint32_t id;
	int err = pa_segment_cancel_decode(value, &id, pe);

	if (err)
		return err;
	struct imc_exchange **pp = find_exchange(s, r->imv, id);
	LOG(IMV, 1, "IMV %u cancels the segment exchange with base message ID %u%s", r->imv, id,
	    *pp ? "" : " (not known)");
	if (*pp)
		drop_exchange(pp);
	return 0;
}
