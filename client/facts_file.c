/* facts_file.c - the --facts override file (see facts_file.h).  A bad line
 * is refused with "file:line: reason"; nothing is guessed. */
#include "facts_file.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 8192

static int
set_text(char *dst, size_t size, const char *value, const char **ret_reason)
{
	size_t n = strlen(value);

	if (n == 0) {
		*ret_reason = "empty value";
		return TNC_ECONFIG;
	}
	if (n >= size || n > 255) {
		*ret_reason = "value longer than 255 bytes";
		return TNC_ECONFIG;
	}
	memcpy(dst, value, n + 1);
	return 0;
}

static int
set_flag(uint32_t *dst, const char *value, const char **ret_reason)
{
	if (strcmp(value, "0") != 0 && strcmp(value, "1") != 0) {
		*ret_reason = "value must be 0 or 1";
		return TNC_ECONFIG;
	}
	*dst = (uint32_t)(value[0] - '0');
	return 0;
}

static int
set_count(unsigned *dst, const char *value, const char **ret_reason)
{
	char *end;
	unsigned long n;

	errno = 0;
	n = strtoul(value, &end, 10);
	if (!isdigit((unsigned char)value[0]) || *end || errno || n > PACKAGE_LIST_MAX) {
		*ret_reason = "value must be a number from 0 to 65535";
		return TNC_ECONFIG;
	}
	*dst = (unsigned)n;
	return 0;
}

/* One "key = value" with both parts trimmed: TNC_ENOTFOUND for a key we
 * do not know, TNC_ECONFIG with *ret_reason for a bad value. */
static int
apply(struct os_facts *f, const char *key, const char *value, const char **ret_reason)
{
	if (strcmp(key, "product") == 0) {
		int err = set_text(f->product, sizeof(f->product), value, ret_reason);
		if (!err)
			f->product_vendor = os_facts_product_vendor(f->product);
		return err;
	}
	if (strcmp(key, "version") == 0)
		return set_text(f->version, sizeof(f->version), value, ret_reason);
	if (strcmp(key, "device_id") == 0)
		return set_text(f->device_id, sizeof(f->device_id), value, ret_reason);
	if (strcmp(key, "forwarding") == 0)
		return set_flag(&f->forwarding, value, ret_reason);
	if (strcmp(key, "default_password") == 0)
		return set_flag(&f->default_password, value, ret_reason);
	if (strcmp(key, "numeric_version") == 0) {
		if (os_facts_parse_numeric(value, &f->major, &f->minor) == 0)
			return 0;
		*ret_reason = "value must be MAJOR.MINOR (digits)";
		return TNC_ECONFIG;
	}
	if (strcmp(key, "packages") == 0) {
		if (!value[0] || strlen(value) >= sizeof(f->packages_path)) {
			*ret_reason = "value must be a path";
			return TNC_ECONFIG;
		}
		snprintf(f->packages_path, sizeof(f->packages_path), "%s", value);
		f->packages_required = true;
		return 0;
	}
	if (strcmp(key, "packages_extra") == 0) {
		int err = package_list_parse_pairs(&f->extra, value);
		if (err)
			*ret_reason = err == TNC_ETOOLONG ?
			    "name or version longer than 255 bytes, or too many packages" :
			    "value must be name=version[, name=version...]";
		return err ? TNC_ECONFIG : 0;
	}
	if (strcmp(key, "packages_count") == 0)
		return set_count(&f->synthetic, value, ret_reason);
	return TNC_ENOTFOUND;
}

static char *
strip(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		s[--n] = 0;
	return s;
}

/* One line: 0 (also for blank and comment lines), TNC_ENOTFOUND for an
 * unknown key (*ret_key names it), TNC_ECONFIG with *ret_reason. */
static int
parse_line(struct os_facts *f, char *line, const char **ret_key, const char **ret_reason)
{
	char *text = strip(line);
	char *eq = strchr(text, '=');

	if (!text[0] || text[0] == '#')
		return 0;
	if (!eq) {
		*ret_reason = "expected 'key = value'";
		return TNC_ECONFIG;
	}
	*eq = 0;
	*ret_key = strip(text);
	return apply(f, *ret_key, strip(eq + 1), ret_reason);
}

int
facts_file_load(const char *path, struct os_facts *f, char *err, size_t err_size)
{
	FILE *fp = fopen(path, "re");
	char line[LINE_MAX_LEN];
	unsigned lineno = 0;
	int rc = 0;

	if (!fp) {
		rc = -errno;
		snprintf(err, err_size, "%s: %s", path, tnc_strerror(rc));
		return rc;
	}
	while (!rc && fgets(line, sizeof(line), fp)) {
		const char *key = "", *reason = "line too long";
		lineno++;
		if (!strchr(line, '\n') && !feof(fp))
			rc = TNC_ECONFIG; /* with reason "line too long" */
		else
			rc = parse_line(f, line, &key, &reason);
		if (rc == TNC_ENOTFOUND)
			snprintf(err, err_size, "%s:%u: unknown key '%.64s'", path, lineno, key);
		else if (rc)
			snprintf(err, err_size, "%s:%u: %s", path, lineno, reason);
	}
	if (!rc && ferror(fp)) {
		rc = TNC_ECONFIG;
		snprintf(err, err_size, "%s: read error", path);
	}
	fclose(fp);
	return rc ? TNC_ECONFIG : 0;
}
