/* package_list.c - installed-package lists (see package_list.h).
 *
 * dpkg status format (deb-status(5)): stanzas of "Field: value" lines
 * separated by blank lines, continuation lines start with a blank.  Only
 * Package, Version and Status matter; an entry counts when its Status is
 * "install ok installed".
 */
#include "package_list.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

void
package_list_init(struct package_list *l)
{
	memset(l, 0, sizeof(*l));
}

void
package_list_clear(struct package_list *l)
{
	for (size_t i = 0; i < l->count; i++) {
		free(l->v[i].name);
		free(l->v[i].version);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

static char *
copy(const char *s, size_t n)
{
	char *p = malloc(n + 1);
	if (!p)
		abort();
	memcpy(p, s, n);
	p[n] = 0;
	return p;
}

int
package_list_add(struct package_list *l, const char *name, size_t name_len,
    const char *version, size_t version_len)
{
	if (name_len == 0)
		return TNC_EINVALID;
	if (name_len > PACKAGE_FIELD_MAX || version_len > PACKAGE_FIELD_MAX ||
	    l->count >= PACKAGE_LIST_MAX)
		return TNC_ETOOLONG;
	if (l->count == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;
		struct package_list_entry *v = realloc(l->v, cap * sizeof(*v));
		if (!v)
			abort();
		l->v = v;
		l->cap = cap;
	}
	l->v[l->count++] = (struct package_list_entry){copy(name, name_len),
	    copy(version, version_len)};
	return 0;
}

int
package_list_append(struct package_list *l, const struct package_list *src)
{
	for (size_t i = 0; i < src->count; i++) {
		const struct package_list_entry *p = &src->v[i];
		int err = package_list_add(l, p->name, strlen(p->name), p->version,
		    strlen(p->version));
		if (err)
			return err;
	}
	return 0;
}

/* One stanza of a dpkg status file as it is read. */
struct stanza {
	char *package, *version;
	bool installed;
};

static void
stanza_reset(struct stanza *s)
{
	free(s->package);
	free(s->version);
	memset(s, 0, sizeof(*s));
}

static int
stanza_end(struct package_list *l, struct stanza *s, const char *path)
{
	int err = 0;

	if (s->package && s->installed) {
		const char *v = s->version ? s->version : "";
		err = package_list_add(l, s->package, strlen(s->package), v, strlen(v));
		if (err == TNC_ETOOLONG && l->count < PACKAGE_LIST_MAX) {
			LOG(IMV, 1, "%s: package '%.40s...' skipped: name or version over %u bytes",
			    path, s->package, PACKAGE_FIELD_MAX);
			err = 0;
		}
	}
	stanza_reset(s);
	return err;
}

/* "Field: value" -> a copy of value without surrounding blanks, if the
 * line is that field. */
static bool
field(const char *line, const char *name, char **ret)
{
	size_t n = strlen(name);

	if (strncmp(line, name, n) != 0 || line[n] != ':')
		return false;
	const char *v = line + n + 1;
	v += strspn(v, " \t");
	size_t len = strcspn(v, "\n");
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
		len--;
	free(*ret);
	*ret = copy(v, len);
	return true;
}

int
package_list_load_dpkg(struct package_list *l, const char *path)
{
	FILE *f = fopen(path, "re");
	struct stanza s = {0};
	char *line = NULL, *status = NULL;
	size_t size = 0;
	int err = 0;

	if (!f)
		return -errno;
	while (!err && getline(&line, &size, f) >= 0) {
		if (line[0] == '\n' || line[0] == '\r' || line[0] == 0) {
			err = stanza_end(l, &s, path);
		} else if (field(line, "Status", &status)) {
			s.installed = strcmp(status, "install ok installed") == 0;
		} else if (!field(line, "Package", &s.package)) {
			(void)field(line, "Version", &s.version);
		}
	}
	if (!err && ferror(f))
		err = TNC_EINVALID;
	if (!err)
		err = stanza_end(l, &s, path);
	stanza_reset(&s);
	free(status);
	free(line);
	fclose(f);
	return err;
}

static void
trim(const char **p, size_t *len)
{
	while (*len > 0 && (**p == ' ' || **p == '\t')) {
		(*p)++;
		(*len)--;
	}
	while (*len > 0 && ((*p)[*len - 1] == ' ' || (*p)[*len - 1] == '\t'))
		(*len)--;
}

int
package_list_parse_pairs(struct package_list *l, const char *text)
{
	const char *p = text;

	for (;;) {
		size_t len = strcspn(p, ",");
		const char *eq = memchr(p, '=', len);
		const char *name = p, *version;
		size_t name_len, version_len;

		if (!eq) {
			const char *q = p;
			size_t n = len;
			trim(&q, &n);
			if (n > 0 || p[len] == ',')
				return TNC_EINVALID; /* "name" without "=version", or "" */
		} else {
			name_len = (size_t)(eq - p);
			version = eq + 1;
			version_len = len - name_len - 1;
			trim(&name, &name_len);
			trim(&version, &version_len);
			int err = package_list_add(l, name, name_len, version, version_len);
			if (err)
				return err;
		}
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

int
package_list_add_synthetic(struct package_list *l, unsigned n)
{
	char name[32], version[32];

	for (unsigned i = 1; i <= n; i++) {
		int nl = snprintf(name, sizeof(name), "pkg%05u", i);
		int vl = snprintf(version, sizeof(version), "1.0-%u", i);
		int err = package_list_add(l, name, (size_t)nl, version, (size_t)vl);
		if (err)
			return err;
	}
	return 0;
}
