/* adm_dpkg.c - reads Package / Version / Status out of deb822 stanzas (see
 * adm_dpkg.h).  Continuation lines and other fields are skipped; every
 * version is checked with dpkg's rules (os_version_check). */
#include "adm_dpkg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_version.h"

struct stanza {
	char *package, *version;
	bool has_status, installed;
};

static void
stanza_reset(struct stanza *s)
{
	free(s->package);
	free(s->version);
	*s = (struct stanza){0};
}

static char *
field_value(const char *line, const char *name)
{
	size_t n = strlen(name);
	if (strncasecmp(line, name, n) || line[n] != ':')
		return NULL;
	const char *v = line + n + 1;
	while (*v == ' ' || *v == '\t')
		v++;
	size_t len = strlen(v);
	while (len && (v[len - 1] == '\n' || v[len - 1] == ' ' || v[len - 1] == '\t' ||
	                  v[len - 1] == '\r'))
		len--;
	return strndup(v, len);
}

/* Ends a stanza: keeps it if it names an installed (or any, without
 * Status) package; -1 when it is malformed. */
static int
stanza_end(struct stanza *s, struct adm_dpkg *d, const char *path, size_t lineno, char *err,
    size_t errlen)
{
	int rc = 0;
	if (!s->package && !s->version && !s->has_status)
		goto out;
	d->stanzas++;
	if (!s->package || !s->version) {
		snprintf(err, errlen, "%s:%zu: a stanza without %s", path, lineno,
		    s->package ? "Version" : "Package");
		rc = -1;
		goto out;
	}
	const char *why = os_version_check((struct bytes){(const uint8_t *)s->version,
	    strlen(s->version)});
	if (why) {
		snprintf(err, errlen, "%s:%zu: %s %s: %s", path, lineno, s->package, s->version, why);
		rc = -1;
		goto out;
	}
	if (s->has_status && !s->installed)
		goto out;
	if (d->n == ADM_DPKG_MAX_PACKAGES) {
		snprintf(err, errlen, "%s: more than %d packages", path, ADM_DPKG_MAX_PACKAGES);
		rc = -1;
		goto out;
	}
	if (d->n % 1024 == 0) {
		d->v = realloc(d->v, (d->n + 1024) * sizeof(*d->v));
		if (!d->v)
			abort();
	}
	d->v[d->n++] = (struct ps_package_version){s->package, s->version};
	s->package = s->version = NULL; /* moved */
out:
	stanza_reset(s);
	return rc;
}

int
adm_dpkg_read(const char *path, struct adm_dpkg *ret, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	*ret = (struct adm_dpkg){0};
	if (!f) {
		snprintf(err, errlen, "%s: %m", path);
		return -1;
	}
	struct stanza s = {0};
	char *line = NULL;
	size_t cap = 0, lineno = 0;
	ssize_t len;
	int rc = 0;
	while (!rc && (len = getline(&line, &cap, f)) >= 0) {
		lineno++;
		if (len > ADM_DPKG_MAX_LINE) {
			snprintf(err, errlen, "%s:%zu: line longer than %d bytes", path, lineno,
			    ADM_DPKG_MAX_LINE);
			rc = -1;
		} else if (line[0] == '\n' || (line[0] == '\r' && line[1] == '\n')) {
			rc = stanza_end(&s, ret, path, lineno, err, errlen);
		} else if (line[0] != ' ' && line[0] != '\t') {
			char *v;
			if ((v = field_value(line, "Package"))) {
				free(s.package);
				s.package = v;
			} else if ((v = field_value(line, "Version"))) {
				free(s.version);
				s.version = v;
			} else if ((v = field_value(line, "Status"))) {
				/* "install ok installed", "hold ok installed": the third word */
				const char *third = strrchr(v, ' ');
				s.has_status = true;
				s.installed = third && !strcmp(third + 1, "installed");
				free(v);
			}
		}
	}
	if (!rc && ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		rc = -1;
	}
	if (!rc)
		rc = stanza_end(&s, ret, path, lineno, err, errlen);
	if (!rc && ret->stanzas == 0) {
		snprintf(err, errlen, "%s: no package stanza: not a dpkg status or Packages file", path);
		rc = -1;
	}
	stanza_reset(&s);
	free(line);
	fclose(f);
	if (rc)
		adm_dpkg_clear(ret);
	return rc;
}

void
adm_dpkg_clear(struct adm_dpkg *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free((char *)d->v[i].name);
		free((char *)d->v[i].version);
	}
	free(d->v);
	*d = (struct adm_dpkg){0};
}
