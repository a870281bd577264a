/* imc_receive.c - an IMC's receiving of a PA message (see imc_receive.h). */
#include "imc_receive.h"

#include "imc_errors.h"
#include "log.h"
#include "pa_segment.h"

bool
imc_receive_wants(const struct pb_pa *pa, uint32_t vendor, uint32_t subtype, uint16_t id)
{
	if (pa->vendor != vendor || pa->subtype != subtype)
		return false;
	/* RFC 5793 4.5: EXCL delivers only to the named collector */
	return !(pa->flags & PB_PA_FLAG_EXCL) || pa->collector_id == id;
}

static bool
is_contract(const struct pa_tnc_attr *a)
{
	return a->vendor == PA_TNC_VENDOR_TCG && a->type == PA_SEGMENT_CONTRACT_REQUEST;
}

/* Runs the handler on the attributes of m that pass (all, contract
 * requests or the others); false after a malformed value (its error
 * added). */
static bool
process(const struct imc_receiver *rx, void *ctx, struct imc_reply *r, const struct pb_pa *pa,
    const struct pa_tnc_msg *m, int contracts)
{
	struct parse_error pe;

	for (size_t i = 0; i < m->count; i++) {
		const struct pa_tnc_attr *a = &m->attrs[i];
		if (contracts >= 0 && is_contract(a) != contracts)
			continue;
		LOG(IMV, 2, "processing PA-TNC attribute type '%s' 0x%06x/0x%08x",
		    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
		int err = rx->handle(ctx, a, &pe);
		if (err == IMC_ATTR_IGNORED) {
			LOG(IMV, 1, "ignoring PA-TNC attribute type '%s' 0x%06x/0x%08x",
			    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
		} else if (err) {
			pa_tnc_attr_rebase_error(a, &pe);
			LOG(IMV, 0, "bad attribute '%s' from IMV %u: %s at offset %u",
			    pa_tnc_attr_name(a->vendor, a->type), pa->validator_id,
			    pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
			imc_errors_from_parse(r, pa->body.ptr, pa->body.len, &pe);
			return false;
		}
	}
	return true;
}

void
imc_receive(const struct imc_receiver *rx, void *ctx, struct imc_reply *r,
    const struct pb_pa *pa)
{
	struct pa_tnc_msg m;
	struct parse_error pe;

	LOG(IMV, 1, "IMC %u \"%s\" received a message from IMV %u", rx->id, rx->name,
	    pa->validator_id);
	int err = pa_tnc_msg_parse(pa->body.ptr, pa->body.len, &rx->lim, &m, &pe);
	if (err) {
		LOG(IMV, 0, "bad PA-TNC message from IMV %u: %s at offset %u", pa->validator_id,
		    pe.reason ? pe.reason : tnc_strerror(err), pe.offset);
		imc_errors_from_parse(r, pa->body.ptr, pa->body.len, &pe);
	} else {
		LOG(IMV, 2, "processing PA-TNC message with ID 0x%08x", m.msg_id);
		if (!rx->contracts_first)
			(void)process(rx, ctx, r, pa, &m, -1);
		else if (process(rx, ctx, r, pa, &m, 1))
			(void)process(rx, ctx, r, pa, &m, 0);
		pa_tnc_msg_clear(&m);
	}
	(void)imc_reply_send(r);
}
