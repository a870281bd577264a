/* dump_attr.c - PA-TNC attribute values for tncdump: the IETF attributes of
 * RFC 5792 4.2 and ITA-HSR Device ID here, TCG Segmentation in
 * dump_segment.c, PA-TNC Error in dump_pa_error.c, PTS in dump_pts*.c, SWIMA in
 * dump_swima.c.
 *
 * Every value goes through its codec decoder; a type no codec decodes is
 * shown as a hex preview.  Lists print TREE_LIST_CUT entries unless --all.
 */
#include "dump_attr.h"

#include "dump_pa_error.h"
#include "dump_pts.h"
#include "dump_segment.h"
#include "dump_swima.h"
#include "pa_ietf.h"
#include "pa_segment.h"

static int
attr_request(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_attr_request req;
	size_t n;
	int err;

	if ((err = pa_ietf_attr_request_decode(value, &req, e)))
		return err;
	tree_line(t, "%zu attribute type%s requested", req.count, tree_plural(req.count));
	n = tree_list_limit(t, req.count);
	for (size_t i = 0; i < n; i++) {
		struct pa_tnc_type ty = pa_ietf_attr_request_get(&req, i);
		tree_line(t, "%s 0x%06x/0x%08x", pa_tnc_attr_name(ty.vendor, ty.type), ty.vendor,
		    ty.type);
	}
	tree_more(t, n, req.count);
	return 0;
}

static int
product_info(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_product_info v;
	char name[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_ietf_product_info_decode(value, &v, e)))
		return err;
	tree_line(t, "product vendor %u (0x%06x), product ID %u, name %s", v.vendor, v.vendor,
	    v.product_id, tree_quote(name, v.name));
	return 0;
}

static int
numeric_version(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_numeric_version v;
	int err;

	if ((err = pa_ietf_numeric_version_decode(value, &v, e)))
		return err;
	tree_line(t, "major %u, minor %u, build %u, service pack %u.%u", v.major, v.minor, v.build,
	    v.sp_major, v.sp_minor);
	return 0;
}

static int
string_version(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_string_version v;
	char version[TREE_QUOTE_MAX], build[TREE_QUOTE_MAX], config[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_ietf_string_version_decode(value, &v, e)))
		return err;
	tree_line(t, "version %s, build %s, configuration %s", tree_quote(version, v.version),
	    tree_quote(build, v.build), tree_quote(config, v.config));
	return 0;
}

static int
operational_status(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_operational_status v;
	char last_use[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_ietf_operational_status_decode(value, &v, e)))
		return err;
	tree_line(t, "status %s (%u), result %s (%u), last use %s", pa_ietf_op_status_name(v.status),
	    v.status, pa_ietf_op_result_name(v.result), v.result, tree_quote(last_use, v.last_use));
	return 0;
}

static int
port_filter(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_port_filter pf;
	size_t n;
	int err;

	if ((err = pa_ietf_port_filter_decode(value, &pf, e)))
		return err;
	tree_line(t, "%zu port%s", pf.count, tree_plural(pf.count));
	n = tree_list_limit(t, pf.count);
	for (size_t i = 0; i < n; i++) {
		struct pa_ietf_port p = pa_ietf_port_filter_get(&pf, i);
		tree_line(t, "protocol %u port %u %s", p.protocol, p.port,
		    p.blocked ? "blocked" : "allowed");
	}
	tree_more(t, n, pf.count);
	return 0;
}

static int
installed_packages(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_installed_packages v;
	struct pa_ietf_packages_iter it;
	struct pa_ietf_package p;
	char name[TREE_QUOTE_MAX], version[TREE_QUOTE_MAX];
	size_t n, i = 0;
	int err;

	if ((err = pa_ietf_installed_packages_decode(value, &v, e)))
		return err;
	tree_line(t, "%u package%s", v.count, tree_plural(v.count));
	n = tree_list_limit(t, v.count);
	pa_ietf_packages_iter_init(&it, &v);
	while (i < n && pa_ietf_packages_next(&it, &p)) {
		tree_line(t, "%s %s", tree_quote(name, p.name), tree_quote(version, p.version));
		i++;
	}
	tree_more(t, i, v.count);
	return 0;
}

static int
assessment_result(struct tree *t, struct bytes value, struct parse_error *e)
{
	uint32_t v;
	int err;

	if ((err = pa_ietf_assessment_result_decode(value, &v, e)))
		return err;
	tree_line(t, "result %s (%u)", pa_ietf_assessment_result_name(v), v);
	return 0;
}

static int
remediation(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct pa_ietf_remediation v;
	char text[TREE_QUOTE_MAX], lang[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_ietf_remediation_decode(value, &v, e)))
		return err;
	tree_line(t, "parameters type 0x%06x/0x%08x", v.vendor, v.type);
	if (v.vendor == PA_TNC_VENDOR_IETF && v.type == PA_IETF_REMEDIATION_URI)
		tree_line(t, "URI %s", tree_quote(text, v.text));
	else if (v.vendor == PA_TNC_VENDOR_IETF && v.type == PA_IETF_REMEDIATION_STRING)
		tree_line(t, "string %s, language %s", tree_quote(text, v.text),
		    tree_quote(lang, v.lang));
	else
		tree_hex(t, "parameters", v.params);
	return 0;
}

static int
forwarding(struct tree *t, struct bytes value, struct parse_error *e)
{
	uint32_t v;
	int err;

	if ((err = pa_ietf_forwarding_enabled_decode(value, &v, e)))
		return err;
	tree_line(t, "status %s (%u)", pa_ietf_forwarding_name(v), v);
	return 0;
}

static int
default_password(struct tree *t, struct bytes value, struct parse_error *e)
{
	uint32_t v;
	int err;

	if ((err = pa_ietf_default_password_decode(value, &v, e)))
		return err;
	/* The decoder admits only the two values RFC 5792 4.2.12 defines. */
	tree_line(t, "status %s (%u)", v == PA_IETF_DEFAULT_PASSWORD_STATUS_ENABLED ? "enabled" :
	    "disabled", v);
	return 0;
}

static int
device_id(struct tree *t, struct bytes value, struct parse_error *e)
{
	struct bytes id;
	char text[TREE_QUOTE_MAX];
	int err;

	if ((err = pa_ietf_device_id_decode(value, &id, e)))
		return err;
	tree_line(t, "device ID %s", tree_quote(text, id));
	return 0;
}

struct decoder {
	uint32_t vendor;
	uint32_t type;
	dump_attr_fn *fn;
};

static const struct decoder decoders[] = {
	{PA_TNC_VENDOR_IETF, PA_IETF_ATTRIBUTE_REQUEST, attr_request},
	{PA_TNC_VENDOR_IETF, PA_IETF_PRODUCT_INFORMATION, product_info},
	{PA_TNC_VENDOR_IETF, PA_IETF_NUMERIC_VERSION, numeric_version},
	{PA_TNC_VENDOR_IETF, PA_IETF_STRING_VERSION, string_version},
	{PA_TNC_VENDOR_IETF, PA_IETF_OPERATIONAL_STATUS, operational_status},
	{PA_TNC_VENDOR_IETF, PA_IETF_PORT_FILTER, port_filter},
	{PA_TNC_VENDOR_IETF, PA_IETF_INSTALLED_PACKAGES, installed_packages},
	{PA_TNC_VENDOR_IETF, PA_IETF_PA_TNC_ERROR, dump_pa_error_value},
	{PA_TNC_VENDOR_IETF, PA_IETF_ASSESSMENT_RESULT, assessment_result},
	{PA_TNC_VENDOR_IETF, PA_IETF_REMEDIATION_INSTRUCTIONS, remediation},
	{PA_TNC_VENDOR_IETF, PA_IETF_FORWARDING_ENABLED, forwarding},
	{PA_TNC_VENDOR_IETF, PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED, default_password},
	{PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID, device_id},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_REQUEST, dump_segment_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CONTRACT_RESPONSE, dump_segment_contract},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_ENVELOPE, dump_segment_envelope},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_NEXT, dump_segment_next},
	{PA_TNC_VENDOR_TCG, PA_SEGMENT_CANCEL, dump_segment_cancel},
};

void
dump_attr_value(struct tree *t, const struct pa_tnc_attr *a)
{
	struct parse_error e;
	dump_attr_fn *fn;

	tree_push(t);
	for (size_t i = 0; i < sizeof(decoders) / sizeof(decoders[0]); i++) {
		if (decoders[i].vendor != a->vendor || decoders[i].type != a->type)
			continue;
		if (decoders[i].fn(t, a->value, &e))
			tree_error(t, a->value.ptr, &e);
		tree_pop(t);
		return;
	}
	if ((fn = dump_pts_decoder(a->vendor, a->type)) == NULL &&
	    (fn = dump_swima_decoder(a->vendor, a->type)) == NULL)
		tree_hex(t, "value", a->value);
	else if (fn(t, a->value, &e))
		tree_error(t, a->value.ptr, &e);
	tree_pop(t);
}
