/* imv_reasm.c - one segmented attribute in flight (see imv_reasm.h). */
#include "imv_reasm.h"

#include <stdio.h>
#include <stdlib.h>

#include "imv_budget.h"
#include "log.h"
#include "wire.h"

struct imv_reasm {
	uint16_t imv_id;
	struct pa_segment_reasm *codec;
	size_t held;          /* octets reserved from the budget */
	uint32_t base_msg_id;
	unsigned count;       /* segments received */
	char attr[64];        /* the attribute's type, for the log */
};

void
imv_reasm_free(struct imv_reasm *r)
{
	if (!r)
		return;
	pa_segment_reasm_free(r->codec);
	imv_budget_release(&r->held);
	free(r);
}

void
imv_reasm_drop(struct imv_reasm **rp)
{
	imv_reasm_free(*rp);
	*rp = NULL;
}

static int
refuse(struct imv_reasm **rp, struct parse_error *e, int err, size_t offset, const char *reason)
{
	imv_reasm_free(*rp);
	*rp = NULL;
	return parse_fail(e, err, PA_TNC_ERROR_INVALID_PARAMETER, offset, reason);
}

/* START: a new object whose declared Length fits the cap and the budget. */
static int
start(struct imv_reasm **rp, uint16_t imv_id, uint16_t imc_id,
    const struct pa_segment_envelope *env, struct parse_error *e)
{
	size_t cap = imv_budget_conn_max();
	struct wire_reader head;
	struct imv_reasm *r;
	uint32_t vendor, type, length;
	uint8_t flags;

	if (*rp)
		return refuse(rp, e, TNC_ESTATE, 0, "START while a segment exchange is open");
	/* The base attribute's header: Flags, Vendor ID, Type, Length. */
	wire_reader_init(&head, env->segment.ptr, env->segment.len);
	if (wire_get_u8(&head, &flags) || wire_get_u24(&head, &vendor) ||
	    wire_get_u32(&head, &type) || wire_get_u32(&head, &length))
		return refuse(rp, e, TNC_ETRUNCATED, 4, "first segment shorter than an attribute header");
	if ((r = calloc(1, sizeof(*r))) == NULL)
		abort();
	r->imv_id = imv_id;
	r->base_msg_id = env->base_msg_id;
	snprintf(r->attr, sizeof(r->attr), "%s", pa_tnc_attr_name(vendor, type));
	*rp = r;
	if (length > cap) {
		LOG_WARN(IMV, "IMV %u refuses '%s' of %u bytes from IMC %u: above the %zu bytes one "
		    "connection may reassemble", imv_id, r->attr, length, imc_id, cap);
		return refuse(rp, e, TNC_ETOOLONG, 4 + 8,
		    "segmented attribute above the connection's reassembly cap");
	}
	if (imv_budget_reserve(&r->held, length) != 0) {
		LOG_WARN(IMV, "IMV %u refuses '%s' of %u bytes from IMC %u: the reassembly budget is "
		    "exhausted (%zu of %zu bytes reserved)", imv_id, r->attr, length, imc_id,
		    imv_budget_used(), imv_budget_total_max());
		return refuse(rp, e, TNC_ETOOLONG, 4 + 8,
		    "segmented attribute beyond the IMV's reassembly budget");
	}
	r->codec = pa_segment_reasm_new(length);
	return 0;
}

int
imv_reasm_envelope(struct imv_reasm **rp, uint16_t imv_id, uint16_t imc_id,
    const struct pa_tnc_attr *a, struct pa_tnc_attr *ret_attr, bool *ret_done,
    struct parse_error *ret_err)
{
	struct pa_segment_envelope env;
	struct imv_reasm *r;
	bool done = false;
	int err;

	if ((err = pa_segment_envelope_decode(a->value, &env, ret_err)) != 0)
		return refuse(rp, ret_err, err, ret_err->offset, ret_err->reason);
	if (env.flags & PA_SEGMENT_FLAG_START) {
		if ((err = start(rp, imv_id, imc_id, &env, ret_err)) != 0)
			return err;
	} else if (!*rp) {
		return refuse(rp, ret_err, TNC_ESTATE, 0, "segment without START");
	}
	r = *rp;
	if ((err = pa_segment_reasm_feed(r->codec, &env, &done, ret_err)) != 0)
		return refuse(rp, ret_err, err, ret_err->offset, ret_err->reason);
	r->count++;
	LOG(IMV, 2, "received segment %u of '%s' (%zu bytes)", r->count, r->attr, env.segment.len);
	if (done) {
		if ((err = pa_segment_reasm_attr(r->codec, ret_attr)) != 0)
			return refuse(rp, ret_err, err, 0, "reassembled attribute does not parse");
		LOG(IMV, 1, "reassembled '%s' (%zu bytes, %u segments)", r->attr,
		    ret_attr->value.len + PA_TNC_ATTR_HEADER_LEN, r->count);
	}
	*ret_done = done;
	return 0;
}

int
imv_reasm_cancel(struct imv_reasm **rp, uint16_t imc_id, const struct pa_tnc_attr *a,
    struct parse_error *ret_err)
{
	uint32_t id;
	int err;

	if ((err = pa_segment_cancel_decode(a->value, &id, ret_err)) != 0)
		return err;
	LOG(IMV, 1, "IMC %u cancelled the segment exchange of base message %u", imc_id, id);
	imv_reasm_free(*rp);
	*rp = NULL;
	return 0;
}

void
imv_reasm_next(const struct imv_reasm *r, struct imv_msg *m, uint16_t imc_id)
{
	LOG(IMV, 2, "IMV %u requests segment %u of '%s' from IMC %u", r->imv_id, r->count + 1,
	    r->attr, imc_id);
	imv_msg_next_segment(m, r->base_msg_id);
}

const char *imv_reasm_attr_name(const struct imv_reasm *r) { return r->attr; }
unsigned imv_reasm_segments(const struct imv_reasm *r) { return r->count; }
