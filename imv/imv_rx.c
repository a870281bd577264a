/* imv_rx.c - a received PA-TNC message of an IMV taken apart (see
 * imv_rx.h). */
#include "imv_rx.h"

#include <stdio.h>

#include "log.h"
#include "pa_ietf.h"
#include "pa_ietf_error.h"

int
imv_rx_bad(struct imv_rx *rx, const struct pa_tnc_attr *a, struct parse_error *pe,
    const char *why)
{
	char what[160];
	if (rx->outer)
		pe->offset = rx->outer->offset; /* the value lies in no message */
	else
		pa_tnc_attr_rebase_error(a, pe);
	snprintf(what, sizeof(what), "%s %s attribute%s%s", why ? "refused" : "malformed",
	    pa_tnc_attr_name(a->vendor, a->type), why ? ": " : "", why ? why : "");
	rx->ops->fail(rx->st, rx->msg, rx->len, pe, what,
	    a->vendor != PA_TNC_VENDOR_IETF || a->type != PA_IETF_PA_TNC_ERROR);
	return TNC_EINVALID;
}

int
imv_rx_refuse(struct imv_rx *rx, const struct pa_tnc_attr *a, const char *why)
{
	struct parse_error pe = {0, PA_TNC_ERROR_INVALID_PARAMETER, why};
	return imv_rx_bad(rx, a, &pe, why);
}

static int
on_contract(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	if (imv_contract_received(&rx->link->contract, rx->link->imc_id, a, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	return 0;
}

static int dispatch(struct imv_rx *rx, const struct pa_tnc_attr *a);

/* The attribute the segments carried is complete: processed as if it came
 * whole. */
static int
reassembled(struct imv_rx *rx, const struct pa_tnc_attr *envelope, const struct pa_tnc_attr *a)
{
	int err = 0;

	if ((a->flags & PA_TNC_ATTR_FLAG_NOSKIP) &&
	    !pa_tnc_is_supported(rx->ops->limits, a->vendor, a->type)) {
		if (rx->ops->os_style) {
			struct parse_error pe = {envelope->offset,
			    PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED, NULL};
			struct pa_ietf_error e;
			pa_ietf_error_from_parse(rx->msg, rx->len, &pe, &e);
			e.attr_flags = a->flags;
			e.attr_vendor = a->vendor;
			e.attr_type = a->type;
			imv_errors_add(&rx->link->errors, &e);
			LOG(IMV, 1, "segmented attribute type '%s' 0x%06x/0x%08x with NOSKIP is not "
			    "supported", pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
		}
	} else {
		struct imv_rx inner = *rx;
		inner.outer = envelope;
		err = dispatch(&inner, a);
	}
	/* a's value lived in the reassembly */
	if (rx->ops->drop_segments) {
		rx->ops->drop_segments(rx->st);
	} else {
		imv_reasm_drop(rx->reasm);
	}
	return err;
}

static int
on_envelope(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe = {0, PA_TNC_ERROR_INVALID_PARAMETER, NULL};
	struct pa_tnc_attr whole;
	bool done = false;

	if (rx->outer) {
		pe.reason = "a segment envelope inside a segmented attribute";
		return imv_rx_bad(rx, a, &pe, NULL);
	}
	if (imv_reasm_envelope(rx->reasm, rx->ops->imv_id, rx->link->imc_id, a, &whole, &done, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	return done ? reassembled(rx, a, &whole) : 0;
}

static int
on_cancel(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	if (imv_reasm_cancel(rx->reasm, rx->link->imc_id, a, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	return 0;
}

static const struct imv_rx_handler segmentation[] = {
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, on_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, on_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, on_envelope},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL, on_cancel},
};

static imv_rx_fn *
handler(const struct imv_rx_handler *h, size_t n, const struct pa_tnc_attr *a)
{
	for (size_t i = 0; i < n; i++)
		if (h[i].vendor == a->vendor && h[i].type == a->type)
			return h[i].fn;
	return NULL;
}

static int
dispatch(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	bool os_style = rx->ops->os_style;
	LOG(IMV, os_style ? 2 : 3, "processing PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
	if (os_style)
		LOG_HEX(IMV, 4, a->value.ptr, a->value.len);
	imv_rx_fn *fn = handler(rx->ops->handlers, rx->ops->n_handlers, a);
	if (!fn)
		fn = handler(segmentation, sizeof(segmentation) / sizeof(segmentation[0]), a);
	if (fn)
		return fn(rx, a);
	/* RFC 5792 4.2: without NOSKIP an unknown attribute is skipped. */
	if (os_style)
		LOG(IMV, 2, "ignoring attribute type '%s' 0x%06x/0x%08x",
		    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
	return 0;
}

void
imv_rx_process(const struct imv_rx_ops *ops, void *st, struct imv_link *link,
    struct imv_reasm **reasm, const uint8_t *msg, size_t len)
{
	struct pa_tnc_msg m;
	struct parse_error pe;

	if (pa_tnc_msg_parse(msg, len, ops->limits, &m, &pe) != 0) {
		if (pe.code == PA_TNC_ERROR_INVALID_PARAMETER) {
			ops->fail(st, msg, len, &pe, "malformed PA-TNC message", true);
			return;
		}
		/* Version Not Supported, Attribute Type Not Supported */
		imv_errors_ignore(&link->errors, link->imc_id, msg, len, &pe);
		return;
	}
	LOG(IMV, 2, "processing PA-TNC message with ID 0x%08x (%zu attributes)", m.msg_id, m.count);
	struct imv_rx rx = {ops, st, link, reasm, msg, len, NULL};
	for (size_t i = 0; i < m.count; i++)
		if (dispatch(&rx, &m.attrs[i]) != 0)
			break;
	pa_tnc_msg_clear(&m);
}
