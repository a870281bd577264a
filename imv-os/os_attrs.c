/* os_attrs.c - the attributes of a received Operating System message (see
 * os_attrs.h).
 *
 * Taken: IETF Product Information, Numeric Version, String Version,
 * Operational Status, Installed Packages, PA-TNC Error, Forwarding Enabled
 * and Factory Default Password Enabled; ITA-HSR Device ID; TCG Segmentation
 * Contract Request/Response, Segment Envelope and Cancel Segment Exchange
 * (imv_rx.h, which takes the message apart).  Anything else is ignored, or
 * refused when it has NOSKIP (RFC 5792 4.2).
 * Facts are logged at level 1 in the seeds' words ("operating system name
 * is 'Debian' from vendor ..."), protocol detail at level 2.
 */
#include "os_attrs.h"

#include <stdio.h>
#include <string.h>

#include "ipc_frame.h"
#include "imv_rx.h"
#include "log.h"
#include "pa_ietf.h"

#define ATTRS_MAX 1024 /* attributes in one message */

static const struct pa_tnc_type supported[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION},
	{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION},
	{PA_TNC_VENDOR_IETF, PA_IETF_OPERATIONAL_STATUS},
	{PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR},
	{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED},
	{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED},
	{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL},
};

static const struct pa_tnc_limits limits = {
	.max_msg_len = IPC_FRAME_MAX_HARD, /* a message arrives in one IPC frame */
	.max_attrs = ATTRS_MAX,
	.supported = supported,
	.n_supported = sizeof(supported) / sizeof(supported[0]),
};

/* Product vendors the log names (SMI Private Enterprise Numbers). */
static const char *
vendor_name(uint32_t pen, char *buf, size_t size)
{
	switch (pen) {
	case 311: return "Microsoft";
	case 2312: return "Red Hat";
	case 9586: return "Debian Project";
	case 11129: return "Google";
	case 28428: return "Canonical";
	default:
		snprintf(buf, size, "with PEN %u", pen);
		return buf;
	}
}

static int
on_product(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct pa_ietf_product_info v;
	struct parse_error pe;
	struct os_facts *f = &st->facts;
	char buf[32];

	if (pa_ietf_product_info_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	f->have_product = true;
	f->product_cut = !os_copy_text(f->product, sizeof(f->product), v.name);
	st->have |= 1u << OS_HAVE_PRODUCT;
	LOG(IMV, 1, "operating system name is '%s' from vendor %s", f->product,
	    vendor_name(v.vendor, buf, sizeof(buf)));
	return 0;
}

static int
on_numeric_version(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct pa_ietf_numeric_version v;
	struct parse_error pe;

	if (pa_ietf_numeric_version_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->have |= 1u << OS_HAVE_NUMERIC_VERSION;
	LOG(IMV, 1, "operating system numeric version is %u.%u", v.major, v.minor);
	if (v.build || v.sp_major || v.sp_minor)
		LOG(IMV, 2, "  build %u, service pack %u.%u", v.build, v.sp_major, v.sp_minor);
	return 0;
}

static int
on_string_version(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct pa_ietf_string_version v;
	struct parse_error pe;
	struct os_facts *f = &st->facts;
	char build[OS_NAME_MAX], config[OS_NAME_MAX];

	if (pa_ietf_string_version_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	f->have_version = true;
	os_copy_text(f->version, sizeof(f->version), v.version);
	st->have |= 1u << OS_HAVE_STRING_VERSION;
	LOG(IMV, 1, "operating system version is '%s'", f->version);
	os_copy_text(build, sizeof(build), v.build);
	os_copy_text(config, sizeof(config), v.config);
	if (build[0] || config[0])
		LOG(IMV, 2, "  build '%s', configuration '%s'", build, config);
	return 0;
}

static int
on_op_status(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct pa_ietf_operational_status v;
	struct parse_error pe;
	char last[PA_IETF_LAST_USE_LEN + 1];

	if (pa_ietf_operational_status_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->have |= 1u << OS_HAVE_OP_STATUS;
	os_copy_text(last, sizeof(last), v.last_use);
	LOG(IMV, 1, "operational status: %s, result: %s", pa_ietf_op_status_name(v.status),
	    pa_ietf_op_result_name(v.result));
	LOG(IMV, 1, "last boot: %s", last);
	return 0;
}

static int
on_forwarding(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	uint32_t v;
	struct parse_error pe;

	if (pa_ietf_forwarding_enabled_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->facts.forwarding = (int)v;
	st->have |= 1u << OS_HAVE_FORWARDING;
	LOG(IMV, 1, "IPv4 forwarding is %s", pa_ietf_forwarding_name(v));
	return 0;
}

static int
on_default_password(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	uint32_t v;
	struct parse_error pe;

	if (pa_ietf_default_password_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->facts.default_password = (int)v;
	st->have |= 1u << OS_HAVE_DEFAULT_PASSWORD;
	LOG(IMV, 1, "factory default password is %s", v ? "enabled" : "disabled");
	return 0;
}

static int
on_device_id(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct bytes id;
	struct parse_error pe;
	char text[OS_NAME_MAX];

	if (pa_ietf_device_id_decode(a->value, &id, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	st->have |= 1u << OS_HAVE_DEVICE_ID;
	imv_device_id_copy(st->facts.device_id, sizeof(st->facts.device_id), id);
	os_copy_text(text, sizeof(text), id);
	LOG(IMV, 1, "device ID is %s", text);
	return 0;
}

static int
on_packages(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct pa_ietf_installed_packages v;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package p;
	struct parse_error pe;
	struct os_facts *f = &st->facts;

	if (pa_ietf_installed_packages_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	if (f->have_product)
		LOG(IMV, 1, "processing installed '%s%s%s' packages", f->product,
		    f->have_version ? " " : "", f->have_version ? f->version : "");
	else
		LOG(IMV, 1, "processing installed packages");
	pa_ietf_packages_iter_init(&it, &v);
	while (pa_ietf_packages_next(&it, &p))
		os_state_package(st, p.name, p.version);
	f->have_packages = true;
	st->have |= 1u << OS_HAVE_PACKAGES;
	LOG(IMV, 2, "received %u installed packages", (unsigned)v.count);
	return 0;
}

static int
on_error(struct imv_rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct pa_ietf_error v;
	struct parse_error pe;

	if (pa_ietf_error_decode(a->value, &v, &pe))
		return imv_rx_bad(rx, a, &pe, NULL);
	LOG(IMV, 1, "received PA-TNC error '%s' from IMC %u",
	    pa_tnc_error_code_name(v.vendor, v.code), st->link.imc_id);
	if (v.vendor != PA_TNC_VENDOR_IETF)
		return 0;
	if (v.code == PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED)
		LOG(IMV, 1, "  attribute type '%s' 0x%06x/0x%08x is not supported",
		    pa_tnc_attr_name(v.attr_vendor, v.attr_type), v.attr_vendor, v.attr_type);
	else if (v.code == PA_TNC_ERROR_INVALID_PARAMETER)
		LOG(IMV, 1, "  at offset %u", v.offset);
	else if (v.code == PA_TNC_ERROR_VERSION_NOT_SUPPORTED)
		LOG(IMV, 1, "  it takes PA-TNC versions %u to %u", v.min_version, v.max_version);
	return 0;
}

static const struct imv_rx_handler handlers[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION, on_product},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION, on_numeric_version},
	{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION, on_string_version},
	{PA_TNC_VENDOR_IETF, PA_IETF_OPERATIONAL_STATUS, on_op_status},
	{PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES, on_packages},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, on_error},
	{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED, on_forwarding},
	{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED, on_default_password},
	{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID, on_device_id},
};

/* imv_rx.h calls back with the state as void *. */
static void
drop_segments(void *st)
{
	os_state_drop_segments(st);
}

static const struct imv_rx_ops rx_ops = {
	.imv_id = OS_IMV_ID,
	.limits = &limits,
	.handlers = handlers,
	.n_handlers = sizeof(handlers) / sizeof(handlers[0]),
	.fail = os_state_fail,
	.drop_segments = drop_segments,
	.os_style = true,
};

void
os_attrs_process(struct os_state *st, const uint8_t *msg, size_t len)
{
	imv_rx_process(&rx_ops, st, &st->link, &st->reasm, msg, len);
}
