/* imv_endpoint.c - the endpoint's product and device from Operating
 * System messages (see imv_endpoint.h). */
#include "imv_endpoint.h"

#include <stdio.h>
#include <string.h>

#include "ipc_frame.h"
#include "pa_ietf.h"
#include "pa_tnc.h"

/* OS messages are the OS IMV's to judge: NOSKIP is its business. */
static const struct pa_tnc_limits os_limits = {
	.max_msg_len = IPC_FRAME_MAX_HARD,
	.max_attrs = 1024,
};

void
imv_endpoint_clear(struct imv_endpoint *e)
{
	*e = (struct imv_endpoint){0};
}

static void
take(struct imv_endpoint *e, const struct pa_tnc_attr *a)
{
	struct parse_error pe;
	if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_PRODUCT_INFORMATION) {
		struct pa_ietf_product_info v;
		if (pa_ietf_product_info_decode(a->value, &v, &pe) == 0 &&
		    v.name.len < sizeof(e->product)) {
			imv_text_copy(e->product, sizeof(e->product), v.name);
			e->have_product = true;
		}
	} else if (a->vendor == PA_TNC_VENDOR_IETF && a->type == PA_IETF_STRING_VERSION) {
		struct pa_ietf_string_version v;
		if (pa_ietf_string_version_decode(a->value, &v, &pe) == 0) {
			imv_text_copy(e->version, sizeof(e->version), v.version);
			e->have_version = true;
		}
	} else if (a->vendor == PA_TNC_VENDOR_ITA && a->type == PA_ITA_DEVICE_ID) {
		struct bytes id;
		if (pa_ietf_device_id_decode(a->value, &id, &pe) == 0)
			imv_device_id_copy(e->device, sizeof(e->device), id);
	}
}

void
imv_endpoint_read(struct imv_endpoint *e, const uint8_t *msg, size_t len)
{
	struct pa_tnc_msg m;
	struct parse_error pe;

	if (pa_tnc_msg_parse(msg, len, &os_limits, &m, &pe) != 0)
		return;
	for (size_t i = 0; i < m.count; i++)
		take(e, &m.attrs[i]);
	pa_tnc_msg_clear(&m);
}

bool
imv_endpoint_known(const struct imv_endpoint *e)
{
	return e->have_product && e->device[0];
}

void
imv_endpoint_product(char *buf, size_t size, const char *name, bool have_version,
    const char *version)
{
	snprintf(buf, size, "%s%s%s", name, have_version ? " " : "", have_version ? version : "");
}

bool
imv_text_copy(char *dst, size_t size, struct bytes b)
{
	size_t n = b.len < size - 1 ? b.len : size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f ? (char)b.ptr[i] : '?';
	dst[n] = 0;
	return n == b.len;
}

bool
imv_device_id_copy(char *dst, size_t size, struct bytes id)
{
	bool printable = id.len > 0 && id.len < size;
	for (size_t i = 0; printable && i < id.len; i++)
		printable = id.ptr[i] >= 0x20 && id.ptr[i] < 0x7f;
	if (printable)
		memcpy(dst, id.ptr, id.len);
	dst[printable ? id.len : 0] = 0;
	return printable;
}
