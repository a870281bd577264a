/* package_list.c - installed-package lists (see package_list.h).
 *
 * dpkg status format (deb-status(5)): stanzas of "Field: value" lines
 * separated by blank lines, continuation lines start with a blank.  Only
 * Package, Version, Architecture and Status matter; an entry counts when
 * its Status is "install ok installed".
 */
#include "package_list.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
	char *package, *version, *arch;
	bool installed, has_status;
	unsigned line;
};

static void
stanza_reset(struct stanza *s)
{
	free(s->package);
	free(s->version);
	free(s->arch);
	memset(s, 0, sizeof(*s));
}

/* Hands an installed stanza to fn and starts the next one. */
static int
stanza_end(struct stanza *s, dpkg_package_fn fn, void *ctx)
{
	int err = 0;

	if (s->package && s->installed) {
		struct dpkg_package p = {s->package, s->version ? s->version : "",
		    s->arch ? s->arch : "", s->line};
		err = fn(ctx, &p);
	}
	stanza_reset(s);
	return err;
}

static bool
is_field(const char *line, const char *name)
{
	size_t n = strlen(name);
	return strncmp(line, name, n) == 0 && line[n] == ':';
}

/* A field that matters given twice in one stanza: which one dpkg would
 * mean is anyone's guess, and one package could hide behind another. */
static bool
repeated(const struct stanza *s, const char *line)
{
	return (is_field(line, "Package") && s->package) ||
	    (is_field(line, "Version") && s->version) ||
	    (is_field(line, "Architecture") && s->arch) || (is_field(line, "Status") && s->has_status);
}

/* "Field: value" -> a copy of value without surrounding blanks, if the
 * line is that field. */
static bool
field(const char *line, const char *name, char **ret)
{
	if (!is_field(line, name))
		return false;
	const char *v = line + strlen(name) + 1;
	v += strspn(v, " \t");
	size_t len = strcspn(v, "\n");
	while (len > 0 && (v[len - 1] == ' ' || v[len - 1] == '\t' || v[len - 1] == '\r'))
		len--;
	free(*ret);
	*ret = copy(v, len);
	return true;
}

/* A file too large to read whole is refused before the first line. */
static int
check_size(FILE *f)
{
	struct stat st;

	if (fstat(fileno(f), &st) != 0)
		return -errno;
	return (uintmax_t)st.st_size > DPKG_STATUS_FILE_MAX ? TNC_ETOOLONG : 0;
}

int
package_list_read_dpkg(const char *path, dpkg_package_fn fn, void *ctx)
{
	FILE *f = fopen(path, "re");
	struct stanza s = {0};
	char *line = NULL, *status = NULL;
	size_t size = 0;
	unsigned lineno = 0;
	ssize_t n;
	int err;

	if (!f)
		return -errno;
	err = check_size(f);
	while (!err && (n = getline(&line, &size, f)) >= 0) {
		lineno++;
		if ((size_t)n > DPKG_STATUS_LINE_MAX) {
			err = TNC_ETOOLONG;
		} else if (line[0] == '\n' || line[0] == '\r' || line[0] == 0) {
			err = stanza_end(&s, fn, ctx);
		} else {
			if (!s.line)
				s.line = lineno;
			if (repeated(&s, line)) {
				err = TNC_EINVALID;
			} else if (field(line, "Status", &status)) {
				s.installed = strcmp(status, "install ok installed") == 0;
				s.has_status = true;
			} else if (!field(line, "Package", &s.package) &&
			    !field(line, "Version", &s.version))
				(void)field(line, "Architecture", &s.arch);
		}
	}
	if (!err && ferror(f))
		err = TNC_EINVALID;
	if (!err)
		err = stanza_end(&s, fn, ctx);
	stanza_reset(&s);
	free(status);
	free(line);
	fclose(f);
	return err;
}

struct load_ctx {
	struct package_list *l;
	const char *path;
};

static int
load_one(void *ctx, const struct dpkg_package *p)
{
	struct load_ctx *c = ctx;
	int err = package_list_add(c->l, p->name, strlen(p->name), p->version,
	    strlen(p->version));

	if (err == TNC_ETOOLONG && c->l->count < PACKAGE_LIST_MAX) {
		LOG(IMV, 1, "%s: package '%.40s...' skipped: name or version over %u bytes",
		    c->path, p->name, PACKAGE_FIELD_MAX);
		err = 0;
	}
	return err;
}

int
package_list_load_dpkg(struct package_list *l, const char *path)
{
	struct load_ctx c = {l, path};

	return package_list_read_dpkg(path, load_one, &c);
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
