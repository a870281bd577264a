/* imc_os.c - the OS IMC (see imc_os.h): RFC 5792 PA-TNC messages of
 * subtype IETF/Operating System, TCG IF-M Segmentation (imc_segments.h)
 * for its one large attribute (Installed Packages).
 *
 * Each PA message from an IMV is answered by at most one PA message to that
 * IMV (EXCL when the IMV is known): a Segmentation Contract Response, the
 * requested attributes, a segment (imc_receive.h says how errors are
 * answered).  Diagnostics: IMV subsystem (shown as IMC by tncclient).
 */
#include "imc_os.h"

#include <stdlib.h>

#include "imc_attrs.h"
#include "imc_ietf.h"
#include "imc_receive.h"
#include "imc_reply.h"
#include "imc_segments.h"
#include "log.h"
#include "pa_ietf.h"
#include "pa_segment.h"
#include "pa_tnc.h"

#define IMC_NAME "OS"
#define MAX_MSG_LEN (16u * 1024 * 1024 - 1024) /* of our PA-TNC messages */
#define MAX_ATTRS 4096

struct imc_os {
	const struct os_facts *facts;
	struct outcome *out;
	struct imc_segments segs;
	struct imc_msgq queue;
};

/* The answer to one PA message from an IMV. */
struct reply {
	struct imc_os *imc;
	struct imc_reply out;
};

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL},
};

struct imc_os *
imc_os_new(const struct os_facts *facts, struct outcome *out)
{
	struct imc_os *imc = calloc(1, sizeof(*imc));

	if (!imc)
		abort();
	imc->facts = facts;
	imc->out = out;
	imc_segments_init(&imc->segs);
	imc_msgq_init(&imc->queue);
	LOG(IMV, 1, "IMC %u \"%s\" initialized", IMC_OS_ID, IMC_NAME);
	return imc;
}

static void
forget(struct imc_os *imc)
{
	imc_segments_forget(&imc->segs);
	imc_msgq_drop(&imc->queue);
}

void
imc_os_free(struct imc_os *imc)
{
	if (!imc)
		return;
	forget(imc);
	free(imc);
}

struct imc_msg *
imc_os_take(struct imc_os *imc)
{
	return imc_msgq_take_all(&imc->queue);
}

void
imc_os_drop(struct imc_os *imc)
{
	imc_msgq_drop(&imc->queue);
}

bool
imc_os_wants(const struct pb_pa *pa)
{
	return imc_receive_wants(pa, IMC_OS_VENDOR, IMC_OS_SUBTYPE, IMC_OS_ID);
}

void
imc_os_begin_handshake(struct imc_os *imc)
{
	struct imc_reply r;

	forget(imc);
	imc_reply_init(&r, &imc->queue, PB_PA_ID_ANY, MAX_MSG_LEN);
	imc_attrs_add_first(imc_reply_builder(&r), imc->facts);
	(void)imc_reply_send(&r);
}

/* Installed Packages, whole or (over the contract's segment size) as the
 * first of a series of Segment Envelopes. */
static void
add_packages(struct reply *r)
{
	struct imc_os *imc = r->imc;
	const struct pa_segment_contract *c = imc_segments_contract(&imc->segs, r->out.imv);
	struct pa_tnc_builder one;
	struct bytes msg;

	if (!c) {
		(void)imc_attrs_add(imc_reply_builder(&r->out), imc->facts, PA_TNC_VENDOR_IETF,
		    PA_IETF_INSTALLED_PACKAGES);
		return;
	}
	/* encoded alone first, to measure it against the contract */
	pa_tnc_builder_init(&one, 0, MAX_MSG_LEN);
	(void)imc_attrs_add(&one, imc->facts, PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES);
	int err = pa_tnc_builder_finish(&one, &msg);
	if (err) {
		LOG(IMV, 0, "cannot encode the installed packages: %s", tnc_strerror(err));
		goto out;
	}
	struct bytes attr = {msg.ptr + PA_TNC_HEADER_LEN, msg.len - PA_TNC_HEADER_LEN};
	struct bytes value = {attr.ptr + PA_TNC_ATTR_HEADER_LEN,
	    attr.len - PA_TNC_ATTR_HEADER_LEN};
	if (attr.len > c->max_msg_size) {
		LOG(IMV, 0, "the installed packages (%zu bytes) exceed the maximum attribute size "
		    "of %u bytes IMV %u accepts: not sent", attr.len, c->max_msg_size, r->out.imv);
	} else if (attr.len > c->max_seg_size) {
		uint32_t id = imc_segments_start(&imc->segs, r->out.imv, attr, c->max_seg_size);
		if (id) {
			LOG(IMV, 1, "the installed packages (%zu bytes) exceed the maximum segment "
			    "size of %u bytes: segmenting them with base message ID %u", attr.len,
			    c->max_seg_size, id);
			imc_segments_send(&imc->segs, &r->out, id);
		}
	} else {
		pa_tnc_builder_add(imc_reply_builder(&r->out), 0, PA_TNC_VENDOR_IETF,
		    PA_IETF_INSTALLED_PACKAGES, value);
	}
out:
	pa_tnc_builder_clear(&one);
}

static int
on_attr_request(struct reply *r, struct bytes value, struct parse_error *pe)
{
	struct pa_ietf_attr_request req;
	int err = pa_ietf_attr_request_decode(value, &req, pe);

	if (err)
		return err;
	for (size_t i = 0; i < req.count; i++) {
		struct pa_tnc_type t = pa_ietf_attr_request_get(&req, i);
		LOG(IMV, 1, "IMV %u requests attribute type '%s' 0x%06x/0x%08x", r->out.imv,
		    pa_tnc_attr_name(t.vendor, t.type), t.vendor, t.type);
		if (!imc_attrs_provides(r->imc->facts, t.vendor, t.type))
			LOG(IMV, 1, "attribute type '%s' 0x%06x/0x%08x is not provided",
			    pa_tnc_attr_name(t.vendor, t.type), t.vendor, t.type);
		else if (t.vendor == PA_TNC_VENDOR_IETF && t.type == PA_IETF_INSTALLED_PACKAGES)
			add_packages(r);
		else
			(void)imc_attrs_add(imc_reply_builder(&r->out), r->imc->facts, t.vendor,
			    t.type);
	}
	return 0;
}

static int
handle(void *ctx, const struct pa_tnc_attr *a, struct parse_error *pe)
{
	struct reply *r = ctx;
	struct imc_segments *segs = &r->imc->segs;

	if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_ATTRIBUTE_REQUEST)
		return on_attr_request(r, a->value, pe);
	if (a->vendor == PA_TNC_VENDOR_TCG) {
		switch (a->type) {
		case PA_SEGMENT_CONTRACT_REQUEST:
			return imc_segments_on_contract(segs, IMC_OS_ID, &r->out, a->value, pe);
		case PA_SEGMENT_NEXT: return imc_segments_on_next(segs, &r->out, a->value, pe);
		case PA_SEGMENT_CANCEL: return imc_segments_on_cancel(segs, &r->out, a->value, pe);
		}
	}
	return imc_ietf_handle(a, r->out.imv, r->imc->out, pe);
}

static const struct imc_receiver receiver = {IMC_OS_ID, IMC_NAME,
	{MAX_MSG_LEN, MAX_ATTRS, supported, sizeof(supported) / sizeof(supported[0])}, false,
	handle};

void
imc_os_receive(struct imc_os *imc, const struct pb_pa *pa)
{
	struct reply r = {.imc = imc};

	imc_reply_init(&r.out, &imc->queue, pa->validator_id, MAX_MSG_LEN);
	imc_receive(&receiver, &r, &r.out, pa);
}
