/* os_facts.c - collecting the OS IMC's facts from this machine (see
 * os_facts.h).  Every source is optional: what cannot be read keeps its
 * "not known" value, and the IMC says so in its log. */
#include "os_facts.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "log.h"

const struct os_facts_sources os_facts_system = {
	.os_release = "/etc/os-release",
	.os_release_fallback = "/usr/lib/os-release",
	.uptime = "/proc/uptime",
	.ip_forward = "/proc/sys/net/ipv4/ip_forward",
	.machine_id = "/etc/machine-id",
	.dpkg_status = "/var/lib/dpkg/status",
};

void
os_facts_init(struct os_facts *f)
{
	memset(f, 0, sizeof(*f));
	f->forwarding = OS_FORWARDING_UNKNOWN;
	package_list_init(&f->extra);
	package_list_init(&f->pkgs);
}

void
os_facts_clear(struct os_facts *f)
{
	package_list_clear(&f->extra);
	package_list_clear(&f->pkgs);
	memset(f, 0, sizeof(*f));
}

/* The first line of a small file, without the newline and trailing blanks. */
static int
read_line(const char *path, char *out, size_t size)
{
	FILE *fp = fopen(path, "re");
	if (!fp)
		return -errno;
	if (!fgets(out, (int)size, fp)) {
		fclose(fp);
		return TNC_ETRUNCATED;
	}
	fclose(fp);
	size_t n = strlen(out);
	while (n > 0 && isspace((unsigned char)out[n - 1]))
		out[--n] = 0;
	return 0;
}

/* os-release(5) value: optionally quoted; in double quotes a backslash
 * escapes the next character. */
static void
unquote(const char *v, char *out, size_t size)
{
	size_t o = 0;
	char q = (*v == '"' || *v == '\'') ? *v++ : 0;

	for (; *v && *v != '\n' && o + 1 < size; v++) {
		if (q && *v == q)
			break;
		if (q == '"' && *v == '\\' && v[1])
			v++;
		out[o++] = *v;
	}
	out[o] = 0;
}

/* NAME and VERSION_ID of os-release(5). */
static int
read_os_release(const char *path, char *name, size_t name_size, char *version_id,
    size_t version_size)
{
	FILE *fp = fopen(path, "re");
	char line[1024];

	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp)) {
		if (strncmp(line, "NAME=", 5) == 0)
			unquote(line + 5, name, name_size);
		else if (strncmp(line, "VERSION_ID=", 11) == 0)
			unquote(line + 11, version_id, version_size);
	}
	fclose(fp);
	return 0;
}

void
os_facts_product_name(const char *os_release_name, char *out, size_t size)
{
	static const char *const suffixes[] = {" GNU/Linux", " Linux"};
	size_t n = strlen(os_release_name);

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t sl = strlen(suffixes[i]);
		if (n <= sl || strcmp(os_release_name + n - sl, suffixes[i]) != 0)
			continue;
		/* "Red Hat Enterprise Linux" keeps its name: only "<Word> Linux" */
		if (i == 0 || !memchr(os_release_name, ' ', n - sl))
			n -= sl;
		break;
	}
	snprintf(out, size, "%.*s", (int)n, os_release_name);
}

uint32_t
os_facts_product_vendor(const char *product)
{
	/* IANA Private Enterprise Numbers of the distributions' makers */
	static const struct {
		const char *prefix;
		uint32_t pen;
	} pens[] = {
		{"Debian", 9586}, {"Ubuntu", 28978}, {"Fedora", 30401}, {"Red Hat", 2312},
	};
	for (size_t i = 0; i < sizeof(pens) / sizeof(pens[0]); i++)
		if (strncmp(product, pens[i].prefix, strlen(pens[i].prefix)) == 0)
			return pens[i].pen;
	return 0;
}

static int
parse_u32(const char *s, size_t n, uint32_t *ret)
{
	uint64_t v = 0;

	if (n == 0 || n > 10)
		return TNC_EINVALID;
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return TNC_EINVALID;
		v = v * 10 + (uint64_t)(s[i] - '0');
	}
	if (v > UINT32_MAX)
		return TNC_EINVALID;
	*ret = (uint32_t)v;
	return 0;
}

int
os_facts_parse_numeric(const char *text, uint32_t *ret_major, uint32_t *ret_minor)
{
	const char *dot = strchr(text, '.');
	uint32_t major, minor = 0;
	size_t n = dot ? (size_t)(dot - text) : strlen(text);

	if (parse_u32(text, n, &major) || (dot && parse_u32(dot + 1, strlen(dot + 1), &minor)))
		return TNC_EINVALID;
	*ret_major = major;
	*ret_minor = minor;
	return 0;
}

void
os_facts_format_time(time_t t, char out[21])
{
	struct tm tm;

	if (t == 0 || !gmtime_r(&t, &tm) || tm.tm_year + 1900 > 9999 ||
	    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		memcpy(out, "0000-00-00T00:00:00Z", 21);
}

static void
collect_os(struct os_facts *f, const struct os_facts_sources *src)
{
	char name[OS_FACTS_TEXT_MAX] = "", version_id[64] = "";
	struct utsname u;
	int err = read_os_release(src->os_release, name, sizeof(name), version_id,
	    sizeof(version_id));

	if (err && src->os_release_fallback)
		err = read_os_release(src->os_release_fallback, name, sizeof(name), version_id,
		    sizeof(version_id));
	if (err)
		LOG(IMV, 1, "cannot read %s: %s", src->os_release, tnc_strerror(err));
	os_facts_product_name(name[0] ? name : "Linux", f->product, sizeof(f->product));
	f->product_vendor = os_facts_product_vendor(f->product);
	const char *machine = uname(&u) == 0 ? u.machine : "";
	snprintf(f->version, sizeof(f->version), "%s%s%s", version_id,
	    version_id[0] && machine[0] ? " " : "", machine);
	if (os_facts_parse_numeric(version_id, &f->major, &f->minor) != 0)
		f->major = f->minor = 0;
}

static void
collect_boot_time(struct os_facts *f, const char *path)
{
	char line[128];
	int err = read_line(path, line, sizeof(line));
	char *end;

	if (err) {
		LOG(IMV, 1, "cannot read %s: %s", path, tnc_strerror(err));
		return;
	}
	double up = strtod(line, &end);
	if (end == line || up < 0 || up > 1e10) {
		LOG(IMV, 1, "%s: no uptime in '%s'", path, line);
		return;
	}
	f->boot_time = time(NULL) - (time_t)up;
}

static void
collect_forwarding(struct os_facts *f, const char *path)
{
	char line[32];
	int err = read_line(path, line, sizeof(line));

	if (err)
		LOG(IMV, 1, "cannot read %s: %s", path, tnc_strerror(err));
	else if (strcmp(line, "0") == 0)
		f->forwarding = OS_FORWARDING_DISABLED;
	else if (strcmp(line, "1") == 0)
		f->forwarding = OS_FORWARDING_ENABLED;
	else
		LOG(IMV, 1, "%s: unexpected value '%s'", path, line);
}

void
os_facts_collect(struct os_facts *f, const struct os_facts_sources *src)
{
	collect_os(f, src);
	collect_boot_time(f, src->uptime);
	collect_forwarding(f, src->ip_forward);
	int err = read_line(src->machine_id, f->device_id, sizeof(f->device_id));
	if (err) {
		f->device_id[0] = 0;
		LOG(IMV, 1, "cannot read %s: %s; no device ID", src->machine_id, tnc_strerror(err));
	}
	f->default_password = 0; /* no way to know: a facts file can say otherwise */
	snprintf(f->packages_path, sizeof(f->packages_path), "%s", src->dpkg_status);
}

int
os_facts_load_packages(struct os_facts *f)
{
	int err = 0;

	package_list_clear(&f->pkgs);
	if (f->packages_path[0]) {
		err = package_list_load_dpkg(&f->pkgs, f->packages_path);
		if (err == -ENOENT && !f->packages_required) {
			LOG(IMV, 1, "no %s: reporting no dpkg packages", f->packages_path);
			err = 0;
		} else if (err) {
			LOG(IMV, 0, "cannot read the package list %s: %s", f->packages_path,
			    tnc_strerror(err));
		}
	}
	if (!err)
		err = package_list_append(&f->pkgs, &f->extra);
	if (!err)
		err = package_list_add_synthetic(&f->pkgs, f->synthetic);
	if (err == TNC_ETOOLONG)
		LOG(IMV, 0, "more than %u installed packages: too many for one attribute",
		    PACKAGE_LIST_MAX);
	return err;
}
