/* pa_pts_names.c - names of PTS values for logs and dumps (see pa_pts_names.h):
 * the TCG PTS IF-M binding's algorithm and D-H group values (3.8.5, 3.8.6,
 * 3.9.3), Component Functional Names of the TCG (5.3) and ITA-HSR name
 * spaces with their qualifiers (5.2), and the enumerations of the evidence
 * attributes.
 */
#include "pa_pts_names.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "pa_pts_comp.h"
#include "pa_pts_file.h"
#include "pa_pts_final.h"
#include "pa_tnc.h"

struct name {
	uint32_t value;
	const char *name;
};

#define NAMES(t) (t), sizeof(t) / sizeof((t)[0])

static const char *
find(const struct name *t, size_t n, uint32_t value)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == value)
			return t[i].name;
	return "unknown";
}

static const struct name algos[] = {
	{PA_PTS_ALGO_SHA1, "HASH_SHA1"},
	{PA_PTS_ALGO_SHA256, "HASH_SHA2_256"},
	{PA_PTS_ALGO_SHA384, "HASH_SHA2_384"},
	{PA_PTS_ALGO_SHA512, "HASH_SHA2_512"},
};

static const struct name dh_groups[] = {
	{PA_PTS_DH_MODP1024, "MODP_1024"},
	{PA_PTS_DH_MODP1536, "MODP_1536"},
	{PA_PTS_DH_MODP2048, "MODP_2048"},
	{PA_PTS_DH_ECP256, "ECP_256"},
	{PA_PTS_DH_ECP384, "ECP_384"},
};

static const struct name tcg_comps[] = {
	{PA_PTS_TCG_COMP_IGNORE, "Ignore"},
	{PA_PTS_TCG_COMP_CRTM, "CRTM"},
	{PA_PTS_TCG_COMP_BIOS, "BIOS"},
	{PA_PTS_TCG_COMP_PLATFORM_EXT, "Platform Extensions"},
	{PA_PTS_TCG_COMP_BOARD, "Motherboard Firmware"},
	{PA_PTS_TCG_COMP_INIT_LOADER, "Initial Program Loader"},
	{PA_PTS_TCG_COMP_OPT_ROMS, "Option ROMs"},
};

static const struct name ita_comps[] = {
	{PA_PTS_ITA_COMP_IGNORE, "Ignore"},
	{PA_PTS_ITA_COMP_TGRUB, "Trusted GRUB Boot Loader"},
	{PA_PTS_ITA_COMP_TBOOT, "Trusted Boot"},
	{PA_PTS_ITA_COMP_IMA, "Linux IMA"},
};

static const struct name qualifier_types[] = {
	{PA_PTS_QUALIFIER_UNKNOWN, "Unknown"},
	{PA_PTS_QUALIFIER_TRUSTED, "Trusted Platform"},
	{PA_PTS_QUALIFIER_OS, "Operating System"},
	{PA_PTS_QUALIFIER_GUI, "Graphical User Interface"},
	{PA_PTS_QUALIFIER_APP, "Application"},
	{PA_PTS_QUALIFIER_NET, "Networking"},
	{PA_PTS_QUALIFIER_LIB, "Library"},
	{PA_PTS_QUALIFIER_TNC, "TNC Defined Component"},
	{PA_PTS_QUALIFIER_ALL, "All Matching Components"},
};

static const struct name validations[] = {
	{PA_PTS_VALIDATION_NONE, "no validation"},
	{PA_PTS_VALIDATION_UNABLE, "unable to verify"},
	{PA_PTS_VALIDATION_FAILED, "verification failed"},
	{PA_PTS_VALIDATION_PASSED, "verification passed"},
};

static const struct name transforms[] = {
	{PA_PTS_TRANSFORM_NO, "no transform"},
	{PA_PTS_TRANSFORM_MATCH, "hash size matches PCR"},
	{PA_PTS_TRANSFORM_SHORT, "hash padded to PCR size"},
	{PA_PTS_TRANSFORM_LONG, "hash truncated to PCR size"},
};

static const struct name quote_modes[] = {
	{PA_PTS_QUOTE_NONE, "no quote"},
	{PA_PTS_QUOTE_TPM2, "TPM 2.0 quote info"},
	{PA_PTS_QUOTE_INFO, "TPM_QUOTE_INFO"},
	{PA_PTS_QUOTE_INFO2, "TPM_QUOTE_INFO2"},
	{PA_PTS_QUOTE_INFO2_CAP_VER, "TPM_QUOTE_INFO2 with TPM_CAP_VERSION_INFO"},
};

static const struct name file_types[] = {
	{PA_PTS_FILE_OTHER, "other"},
	{PA_PTS_FILE_FIFO, "fifo"},
	{PA_PTS_FILE_CHAR_SPEC, "character special"},
	{PA_PTS_FILE_DIRECTORY, "directory"},
	{PA_PTS_FILE_BLOCK_SPEC, "block special"},
	{PA_PTS_FILE_REGULAR, "regular"},
	{PA_PTS_FILE_SYMLINK, "symbolic link"},
	{PA_PTS_FILE_SOCKET, "socket"},
};

/* snprintf that appends at *used and never overruns buf[n]. */
static void add(char *buf, size_t n, size_t *used, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
add(char *buf, size_t n, size_t *used, const char *fmt, ...)
{
	va_list ap;
	int k;

	if (*used >= n)
		return;
	va_start(ap, fmt);
	k = vsnprintf(buf + *used, n - *used, fmt, ap);
	va_end(ap);
	if (k > 0)
		*used += (size_t)k < n - *used ? (size_t)k : n - *used - 1;
}

static const char *
set_text(char *buf, size_t n, const struct name *t, size_t count, uint16_t set)
{
	size_t used = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < count; i++)
		if (set & t[i].value)
			add(buf, n, &used, "%s%s", used ? " " : "", t[i].name);
	if (used == 0)
		add(buf, n, &used, "none");
	return buf;
}

const char *
pa_pts_algo_name(uint16_t algo)
{
	return find(NAMES(algos), algo);
}

const char *
pa_pts_dh_group_name(uint16_t group)
{
	return find(NAMES(dh_groups), group);
}

const char *
pa_pts_algo_set_text(char *buf, size_t n, uint16_t set)
{
	return set_text(buf, n, NAMES(algos), set);
}

const char *
pa_pts_dh_group_set_text(char *buf, size_t n, uint16_t set)
{
	return set_text(buf, n, NAMES(dh_groups), set);
}

const char *
pa_pts_caps_text(char *buf, size_t n, uint32_t caps)
{
	static const struct name flags[] = {
		{PA_PTS_CAP_C, "C"}, {PA_PTS_CAP_V, "V"}, {PA_PTS_CAP_D, "D"},
		{PA_PTS_CAP_T, "T"}, {PA_PTS_CAP_X, "X"},
	};
	size_t used = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(flags) / sizeof(flags[0]); i++)
		add(buf, n, &used, "%s", caps & flags[i].value ? flags[i].name : ".");
	return buf;
}

const char *
pa_pts_comp_func_name(uint32_t vendor, uint32_t name)
{
	if (vendor == PA_TNC_VENDOR_TCG)
		return find(NAMES(tcg_comps), name);
	if (vendor == PA_TNC_VENDOR_ITA)
		return find(NAMES(ita_comps), name);
	return "unknown";
}

const char *
pa_pts_qualifier_type_name(uint8_t type)
{
	return find(NAMES(qualifier_types), type);
}

const char *
pa_pts_comp_text(char *buf, size_t n, const struct pa_pts_comp_name *name)
{
	const char *fn = pa_pts_comp_func_name(name->vendor, name->name);
	uint8_t q = name->qualifier;
	size_t used = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	if (strcmp(pa_tnc_vendor_name(name->vendor), "unknown") == 0)
		add(buf, n, &used, "0x%06x", name->vendor);
	else
		add(buf, n, &used, "%s", pa_tnc_vendor_name(name->vendor));
	if (strcmp(fn, "unknown") == 0)
		add(buf, n, &used, " functional component 0x%08x", name->name);
	else
		add(buf, n, &used, " functional component '%s'", fn);
	add(buf, n, &used, " [%c%c] '%s'", q & PA_PTS_QUALIFIER_KERNEL ? 'K' : '.',
	    q & PA_PTS_QUALIFIER_SUB ? 'S' : '.',
	    pa_pts_qualifier_type_name(q & PA_PTS_QUALIFIER_TYPE_MASK));
	return buf;
}

const char *
pa_pts_validation_name(uint8_t validation)
{
	return find(NAMES(validations), validation);
}

const char *
pa_pts_transform_name(uint8_t transform)
{
	return find(NAMES(transforms), transform);
}

const char *
pa_pts_quote_mode_name(uint8_t mode)
{
	return find(NAMES(quote_modes), mode);
}

const char *
pa_pts_file_type_name(uint8_t type)
{
	return find(NAMES(file_types), type);
}

/* The four vendor octets as text: trailing blanks and NULs dropped. */
static void
vendor_text(char out[5], uint32_t vendor)
{
	size_t len = 4;

	for (size_t i = 0; i < 4; i++) {
		char c = (char)(vendor >> (24 - 8 * i));
		out[i] = c >= 0x20 && c < 0x7f ? c : (c == 0 ? ' ' : '?');
	}
	while (len > 0 && out[len - 1] == ' ')
		len--;
	out[len] = '\0';
}

const char *
pa_pts_tpm_version_text(char *buf, size_t n, const struct pa_pts_tpm_version *v)
{
	char vendor[5];
	size_t used = 0;

	if (n == 0)
		return buf;
	buf[0] = '\0';
	vendor_text(vendor, v->vendor);
	if (v->tag == PA_PTS_TPM20_VERSION_TAG)
		add(buf, n, &used, "TPM 2.0 rev. %u.%02u %u %s", v->revision / 100,
		    v->revision % 100, v->year, vendor);
	else
		add(buf, n, &used, "TPM 1.2 version %u.%u.%u.%u, spec level %u, errata %u, vendor %s",
		    v->major, v->minor, v->rev_major, v->rev_minor, v->spec_level, v->errata_rev,
		    vendor);
	return buf;
}
