/* os_attrs.c - the attributes of a received Operating System message (see
 * os_attrs.h).
 *
 * Taken: IETF Product Information, Numeric Version, String Version,
 * Operational Status, Installed Packages, PA-TNC Error, Forwarding Enabled
 * and Factory Default Password Enabled; ITA-HSR Device ID; TCG Segmentation
 * Contract Request/Response, Segment Envelope and Cancel Segment Exchange
 * (handed to the IF-M layer in imv/).  Anything else is ignored, or refused when it has NOSKIP (RFC 5792 4.2).
 * Facts are logged at level 1 in the seeds' words ("operating system name
 * is 'Debian' from vendor ..."), protocol detail at level 2.
 */
#include "os_attrs.h"

#include <stdio.h>
#include <string.h>

#include "ipc_frame.h"
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

/* One message being processed: where errors point. */
struct rx {
	struct os_state *st;
	const uint8_t *msg;
	size_t len;
	/* The envelope a reassembled attribute arrived in, else NULL. */
	const struct pa_tnc_attr *outer;
};

/* An attribute value that does not decode: the connection fails. */
static int
bad_value(struct rx *rx, const struct pa_tnc_attr *a, struct parse_error *pe)
{
	char what[96];
	if (rx->outer)
		pe->offset = rx->outer->offset; /* the value lies in no message */
	else
		pa_tnc_attr_rebase_error(a, pe);
	snprintf(what, sizeof(what), "malformed %s attribute",
	    pa_tnc_attr_name(a->vendor, a->type));
	os_state_fail(rx->st, rx->msg, rx->len, pe, what,
	    a->vendor != PA_TNC_VENDOR_IETF || a->type != PA_IETF_PA_TNC_ERROR);
	return TNC_EINVALID;
}

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
on_product(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_product_info v;
	struct parse_error pe;
	struct os_facts *f = &rx->st->facts;
	char buf[32];

	if (pa_ietf_product_info_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	f->have_product = true;
	f->product_cut = !os_copy_text(f->product, sizeof(f->product), v.name);
	rx->st->have |= 1u << OS_HAVE_PRODUCT;
	LOG(IMV, 1, "operating system name is '%s' from vendor %s", f->product,
	    vendor_name(v.vendor, buf, sizeof(buf)));
	return 0;
}

static int
on_numeric_version(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_numeric_version v;
	struct parse_error pe;

	if (pa_ietf_numeric_version_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	rx->st->have |= 1u << OS_HAVE_NUMERIC_VERSION;
	LOG(IMV, 1, "operating system numeric version is %u.%u", v.major, v.minor);
	if (v.build || v.sp_major || v.sp_minor)
		LOG(IMV, 2, "  build %u, service pack %u.%u", v.build, v.sp_major, v.sp_minor);
	return 0;
}

static int
on_string_version(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_string_version v;
	struct parse_error pe;
	struct os_facts *f = &rx->st->facts;
	char build[OS_NAME_MAX], config[OS_NAME_MAX];

	if (pa_ietf_string_version_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	f->have_version = true;
	os_copy_text(f->version, sizeof(f->version), v.version);
	rx->st->have |= 1u << OS_HAVE_STRING_VERSION;
	LOG(IMV, 1, "operating system version is '%s'", f->version);
	os_copy_text(build, sizeof(build), v.build);
	os_copy_text(config, sizeof(config), v.config);
	if (build[0] || config[0])
		LOG(IMV, 2, "  build '%s', configuration '%s'", build, config);
	return 0;
}

static int
on_op_status(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_operational_status v;
	struct parse_error pe;
	char last[PA_IETF_LAST_USE_LEN + 1];

	if (pa_ietf_operational_status_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	rx->st->have |= 1u << OS_HAVE_OP_STATUS;
	os_copy_text(last, sizeof(last), v.last_use);
	LOG(IMV, 1, "operational status: %s, result: %s", pa_ietf_op_status_name(v.status),
	    pa_ietf_op_result_name(v.result));
	LOG(IMV, 1, "last boot: %s", last);
	return 0;
}

static int
on_forwarding(struct rx *rx, const struct pa_tnc_attr *a)
{
	uint32_t v;
	struct parse_error pe;

	if (pa_ietf_forwarding_enabled_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	rx->st->facts.forwarding = (int)v;
	rx->st->have |= 1u << OS_HAVE_FORWARDING;
	LOG(IMV, 1, "IPv4 forwarding is %s", pa_ietf_forwarding_name(v));
	return 0;
}

static int
on_default_password(struct rx *rx, const struct pa_tnc_attr *a)
{
	uint32_t v;
	struct parse_error pe;

	if (pa_ietf_default_password_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	rx->st->facts.default_password = (int)v;
	rx->st->have |= 1u << OS_HAVE_DEFAULT_PASSWORD;
	LOG(IMV, 1, "factory default password is %s", v ? "enabled" : "disabled");
	return 0;
}

static int
on_device_id(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct bytes id;
	struct parse_error pe;
	char text[OS_NAME_MAX];

	if (pa_ietf_device_id_decode(a->value, &id, &pe))
		return bad_value(rx, a, &pe);
	rx->st->have |= 1u << OS_HAVE_DEVICE_ID;
	bool printable = id.len > 0 && id.len < OS_TEXT_MAX;
	for (size_t i = 0; printable && i < id.len; i++)
		printable = id.ptr[i] >= 0x20 && id.ptr[i] < 0x7f;
	if (printable) /* exactly as sent, or not at all: a cut ID would be another device */
		memcpy(rx->st->facts.device_id, id.ptr, id.len);
	rx->st->facts.device_id[printable ? id.len : 0] = 0;
	os_copy_text(text, sizeof(text), id);
	LOG(IMV, 1, "device ID is %s", text);
	return 0;
}

static int
on_packages(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_installed_packages v;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package p;
	struct parse_error pe;
	struct os_facts *f = &rx->st->facts;

	if (pa_ietf_installed_packages_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	if (f->have_product)
		LOG(IMV, 1, "processing installed '%s%s%s' packages", f->product,
		    f->have_version ? " " : "", f->have_version ? f->version : "");
	else
		LOG(IMV, 1, "processing installed packages");
	pa_ietf_packages_iter_init(&it, &v);
	while (pa_ietf_packages_next(&it, &p))
		os_state_package(rx->st, p.name, p.version);
	f->have_packages = true;
	rx->st->have |= 1u << OS_HAVE_PACKAGES;
	LOG(IMV, 2, "received %u installed packages", (unsigned)v.count);
	return 0;
}

static int
on_error(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct pa_ietf_error v;
	struct parse_error pe;

	if (pa_ietf_error_decode(a->value, &v, &pe))
		return bad_value(rx, a, &pe);
	LOG(IMV, 1, "received PA-TNC error '%s' from IMC %u",
	    pa_tnc_error_code_name(v.vendor, v.code), rx->st->imc_id);
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

static int
on_contract(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;

	if (imv_contract_received(&rx->st->contract, rx->st->imc_id, a, &pe))
		return bad_value(rx, a, &pe);
	return 0;
}

static int dispatch(struct rx *rx, const struct pa_tnc_attr *a);

/* The attribute the segments carried is complete: process it. */
static int
reassembled(struct rx *rx, const struct pa_tnc_attr *envelope, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	int err;

	if ((a->flags & PA_TNC_ATTR_FLAG_NOSKIP) && !pa_tnc_is_supported(&limits, a->vendor, a->type)) {
		struct parse_error pe = {envelope->offset, PA_TNC_ERROR_ATTRIBUTE_TYPE_NOT_SUPPORTED, NULL};
		struct pa_ietf_error e;
		pa_ietf_error_from_parse(rx->msg, rx->len, &pe, &e);
		e.attr_flags = a->flags;
		e.attr_vendor = a->vendor;
		e.attr_type = a->type;
		imv_errors_add(&st->errors, &e);
		LOG(IMV, 1, "segmented attribute type '%s' 0x%06x/0x%08x with NOSKIP is not supported",
		    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
		os_state_drop_segments(st);
		return 0;
	}
	struct rx inner = {st, rx->msg, rx->len, envelope};
	err = dispatch(&inner, a);
	os_state_drop_segments(st); /* a's value lived in the reassembly */
	return err;
}

static int
on_envelope(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct os_state *st = rx->st;
	struct parse_error pe = {0, PA_TNC_ERROR_INVALID_PARAMETER, NULL};
	struct pa_tnc_attr whole;
	bool done = false;

	if (rx->outer) {
		pe.reason = "a segment envelope inside a segmented attribute";
		return bad_value(rx, a, &pe);
	}
	if (imv_reasm_envelope(&st->reasm, OS_IMV_ID, st->imc_id, a, &whole, &done, &pe))
		return bad_value(rx, a, &pe);
	return done ? reassembled(rx, a, &whole) : 0;
}

static int
on_cancel(struct rx *rx, const struct pa_tnc_attr *a)
{
	struct parse_error pe;

	if (imv_reasm_cancel(&rx->st->reasm, rx->st->imc_id, a, &pe))
		return bad_value(rx, a, &pe);
	return 0;
}

static const struct {
	uint32_t vendor, type;
	int (*fn)(struct rx *rx, const struct pa_tnc_attr *a);
} handlers[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION, on_product},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION, on_numeric_version},
	{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION, on_string_version},
	{PA_TNC_VENDOR_IETF, PA_IETF_OPERATIONAL_STATUS, on_op_status},
	{PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES, on_packages},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, on_error},
	{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED, on_forwarding},
	{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED, on_default_password},
	{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID, on_device_id},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, on_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, on_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, on_envelope},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL, on_cancel},
};

static int
dispatch(struct rx *rx, const struct pa_tnc_attr *a)
{
	LOG(IMV, 2, "processing PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(a->vendor, a->type), a->vendor, a->type);
	LOG_HEX(IMV, 4, a->value.ptr, a->value.len);
	for (size_t i = 0; i < sizeof(handlers) / sizeof(handlers[0]); i++)
		if (handlers[i].vendor == a->vendor && handlers[i].type == a->type)
			return handlers[i].fn(rx, a);
	/* RFC 5792 4.2: without NOSKIP an unknown attribute is skipped. */
	LOG(IMV, 2, "ignoring attribute type '%s' 0x%06x/0x%08x", pa_tnc_attr_name(a->vendor,
	    a->type), a->vendor, a->type);
	return 0;
}

void
os_attrs_process(struct os_state *st, const uint8_t *msg, size_t len)
{
	struct pa_tnc_msg m;
	struct parse_error pe;

	if (pa_tnc_msg_parse(msg, len, &limits, &m, &pe) != 0) {
		if (pe.code == PA_TNC_ERROR_INVALID_PARAMETER) {
			os_state_fail(st, msg, len, &pe, "malformed PA-TNC message", true);
			return;
		}
		/* Version Not Supported, Attribute Type Not Supported */
		imv_errors_ignore(&st->errors, st->imc_id, msg, len, &pe);
		return;
	}
	LOG(IMV, 2, "processing PA-TNC message with ID 0x%08x (%zu attributes)", m.msg_id, m.count);
	struct rx rx = {st, msg, len, NULL};
	for (size_t i = 0; i < m.count; i++)
		if (dispatch(&rx, &m.attrs[i]) != 0)
			break;
	pa_tnc_msg_clear(&m);
}
