/* imc_attrs.c - encoding the OS facts as PA-TNC attributes (see imc_attrs.h).
 * Diagnostics: one "creating PA-TNC attribute" line per attribute (IMV
 * subsystem: the client's IMC). */
#include "imc_attrs.h"

#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "pa_ietf.h"

static struct bytes
text(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static void
add_packages(struct pa_tnc_builder *b, const struct os_facts *f)
{
	const struct package_list *l = &f->pkgs;
	struct pa_ietf_package *v = calloc(l->count ? l->count : 1, sizeof(*v));

	if (!v)
		abort();
	for (size_t i = 0; i < l->count; i++)
		v[i] = (struct pa_ietf_package){text(l->v[i].name), text(l->v[i].version)};
	pa_ietf_installed_packages_encode(&b->w, v, l->count);
	free(v);
	LOG(IMV, 1, "reporting %zu installed packages", l->count);
}

/* The value of one IETF attribute imc_attrs_provides() vouched for. */
static void
add_ietf(struct pa_tnc_builder *b, const struct os_facts *f, uint32_t type)
{
	char last_use[PA_IETF_LAST_USE_LEN + 1];

	switch (type) {
	case PA_IETF_PRODUCT_INFORMATION:
		pa_ietf_product_info_encode(&b->w, &(struct pa_ietf_product_info){
		    f->product_vendor, 0, text(f->product)});
		break;
	case PA_IETF_STRING_VERSION:
		pa_ietf_string_version_encode(&b->w, &(struct pa_ietf_string_version){
		    text(f->version), text(""), text("")});
		break;
	case PA_IETF_NUMERIC_VERSION:
		pa_ietf_numeric_version_encode(&b->w, &(struct pa_ietf_numeric_version){
		    f->major, f->minor, 0, 0, 0});
		break;
	case PA_IETF_OPERATIONAL_STATUS:
		os_facts_format_time(f->boot_time, last_use);
		pa_ietf_operational_status_encode(&b->w, &(struct pa_ietf_operational_status){
		    PA_IETF_OP_STATUS_OPERATIONAL, PA_IETF_OP_RESULT_SUCCESSFUL,
		    {(const uint8_t *)last_use, PA_IETF_LAST_USE_LEN}});
		break;
	case PA_IETF_FORWARDING_ENABLED:
		pa_ietf_forwarding_enabled_encode(&b->w, f->forwarding);
		break;
	case PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED:
		pa_ietf_default_password_encode(&b->w, f->default_password);
		break;
	case PA_IETF_INSTALLED_PACKAGES:
		add_packages(b, f);
		break;
	}
}

bool
imc_attrs_provides(const struct os_facts *f, uint32_t vendor, uint32_t type)
{
	if (vendor == PA_TNC_VENDOR_ITA)
		return type == PA_ITA_DEVICE_ID && f->device_id[0];
	if (vendor != PA_TNC_VENDOR_IETF)
		return false;
	return type == PA_IETF_PRODUCT_INFORMATION || type == PA_IETF_STRING_VERSION ||
	    type == PA_IETF_NUMERIC_VERSION || type == PA_IETF_OPERATIONAL_STATUS ||
	    type == PA_IETF_FORWARDING_ENABLED ||
	    type == PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED || type == PA_IETF_INSTALLED_PACKAGES;
}

bool
imc_attrs_add(struct pa_tnc_builder *b, const struct os_facts *f, uint32_t vendor, uint32_t type)
{
	if (!imc_attrs_provides(f, vendor, type))
		return false;
	LOG(IMV, 2, "creating PA-TNC attribute type '%s' 0x%06x/0x%08x",
	    pa_tnc_attr_name(vendor, type), vendor, type);
	pa_tnc_builder_begin(b, 0, vendor, type);
	if (vendor == PA_TNC_VENDOR_ITA)
		pa_ietf_device_id_encode(&b->w, text(f->device_id));
	else
		add_ietf(b, f, type);
	pa_tnc_builder_end(b);
	return true;
}

void
imc_attrs_add_first(struct pa_tnc_builder *b, const struct os_facts *f)
{
	static const uint32_t ietf[] = {
		PA_IETF_PRODUCT_INFORMATION, PA_IETF_STRING_VERSION, PA_IETF_NUMERIC_VERSION,
		PA_IETF_OPERATIONAL_STATUS, PA_IETF_FORWARDING_ENABLED,
		PA_IETF_FACTORY_DEFAULT_PASSWORD_ENABLED,
	};
	for (size_t i = 0; i < sizeof(ietf) / sizeof(ietf[0]); i++)
		(void)imc_attrs_add(b, f, PA_TNC_VENDOR_IETF, ietf[i]);
	(void)imc_attrs_add(b, f, PA_TNC_VENDOR_ITA, PA_ITA_DEVICE_ID);
}
