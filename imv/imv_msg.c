/* imv_msg.c - an IMV's outgoing PA-TNC messages (see imv_msg.h). */
#include "imv_msg.h"

#include <string.h>
#include <sys/random.h>

#include "log.h"

/* RFC 5792 4.1: Message Identifiers need not be sequential; strongSwan's
 * are random, so are ours (a counter if the kernel cannot say). */
static uint32_t
message_id(void)
{
	static uint32_t counter;
	uint32_t id;
	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) != (ssize_t)sizeof(id))
		id = ++counter;
	return id;
}

void
imv_msg_begin(struct imv_msg *r, size_t max_len)
{
	uint32_t id = message_id();
	imv_msg_clear(r);
	pa_tnc_builder_init(&r->b, id, max_len);
	r->started = true;
	LOG(IMV, 2, "creating PA-TNC message with ID 0x%08x", id);
}

void
imv_msg_clear(struct imv_msg *r)
{
	if (r->started)
		pa_tnc_builder_clear(&r->b);
	r->started = false;
}

void
imv_msg_attr_begin(struct imv_msg *r, uint32_t vendor, uint32_t type)
{
	LOG(IMV, 2, "creating PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(vendor, type), vendor, type);
	pa_tnc_builder_begin(&r->b, 0, vendor, type);
}

void
imv_msg_attr_end(struct imv_msg *r)
{
	pa_tnc_builder_end(&r->b);
}

void
imv_msg_contract(struct imv_msg *r, uint32_t type, uint32_t max_msg_size,
    uint32_t max_seg_size)
{
	struct pa_segment_contract c = {max_msg_size, max_seg_size};
	imv_msg_attr_begin(r, PA_TNC_VENDOR_TCG, type);
	pa_segment_contract_encode(&r->b.w, &c);
	imv_msg_attr_end(r);
}

void
imv_msg_attr_request(struct imv_msg *r, const struct pa_tnc_type *types, size_t n)
{
	imv_msg_attr_begin(r, PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST);
	pa_ietf_attr_request_encode(&r->b.w, types, n);
	pa_tnc_builder_end(&r->b);
	for (size_t i = 0; i < n; i++)
		LOG(IMV, 2, "  0x%06x/0x%08x '%s'", types[i].vendor, types[i].type,
		    pa_tnc_attr_name(types[i].vendor, types[i].type));
}

void
imv_msg_next_segment(struct imv_msg *r, uint32_t base_msg_id)
{
	struct pa_segment_next n = {false, base_msg_id};
	imv_msg_attr_begin(r, PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT);
	pa_segment_next_encode(&r->b.w, &n);
	imv_msg_attr_end(r);
}

void
imv_msg_error(struct imv_msg *r, const struct pa_ietf_error *e)
{
	imv_msg_attr_begin(r, PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR);
	pa_ietf_error_encode(&r->b.w, e);
	imv_msg_attr_end(r);
}

void
imv_msg_assessment(struct imv_msg *r, uint32_t result)
{
	imv_msg_attr_begin(r, PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT);
	pa_ietf_assessment_result_encode(&r->b.w, result);
	imv_msg_attr_end(r);
}

void
imv_msg_remediation(struct imv_msg *r, uint32_t type, const char *text, const char *lang)
{
	struct pa_ietf_remediation rem = {
		.vendor = PA_TNC_VENDOR_IETF, .type = type,
		.text = {(const uint8_t *)text, strlen(text)},
		.lang = {(const uint8_t *)lang, strlen(lang)},
	};
	imv_msg_attr_begin(r, PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS);
	pa_ietf_remediation_encode(&r->b.w, &rem);
	imv_msg_attr_end(r);
}

size_t
imv_msg_count(const struct imv_msg *r)
{
	return r->started ? r->b.count : 0;
}

int
imv_msg_finish(struct imv_msg *r, struct bytes *ret)
{
	int err = r->started ? pa_tnc_builder_finish(&r->b, ret) : TNC_ESTATE;
	if (err == 0)
		LOG(IMV, 2, "created PA-TNC message (%zu bytes)", ret->len);
	return err;
}
