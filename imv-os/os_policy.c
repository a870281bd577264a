/* os_policy.c - the [imv-os] keys and the package check (see os_policy.h).
 *
 * Lists are split on ',' (package names also on blanks), entries trimmed,
 * empty entries skipped.  The package lists are sorted once so each of the
 * up to 65535 packages of an Installed Packages attribute costs a binary
 * search.
 */
#include "os_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "os_version.h"

static char *
xstrndup(const char *s, size_t n)
{
	char *d = strndup(s, n);
	if (!d)
		abort();
	return d;
}

static void *
xreallocarray(void *p, size_t n, size_t size)
{
	p = reallocarray(p, n ? n : 1, size);
	if (!p)
		abort();
	return p;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* The next entry of list *pp up to a separator, trimmed; NULL at the end. */
static const char *
next_entry(const char **pp, const char *seps, size_t *ret_len)
{
	const char *p = *pp;
	for (;;) {
		while (*p && (is_blank(*p) || strchr(seps, *p)))
			p++;
		if (!*p)
			return NULL;
		const char *start = p;
		while (*p && !strchr(seps, *p))
			p++;
		size_t n = (size_t)(p - start);
		while (n && is_blank(start[n - 1]))
			n--;
		*pp = p;
		if (n) {
			*ret_len = n;
			return start;
		}
	}
}

static void
free_list(char **list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i]);
	free(list);
}

static void
clear_min(struct os_policy *p)
{
	for (size_t i = 0; i < p->nmin; i++)
		free(p->min[i].name);
	free(p->min);
	p->min = NULL;
	p->nmin = 0;
}

void
os_policy_init(struct os_policy *p)
{
	*p = (struct os_policy){
		.unknown_product = OS_UNKNOWN_ISOLATE,
		.remediation_uri = xstrndup("", 0),
		.max_segment_size = OS_SEGMENT_DEFAULT,
	};
}

void
os_policy_clear(struct os_policy *p)
{
	free_list(p->products, p->nproducts);
	free_list(p->blacklist, p->nblacklist);
	clear_min(p);
	free(p->remediation_uri);
	*p = (struct os_policy){0};
}

static char **
parse_list(const char *value, const char *seps, size_t *ret_n)
{
	char **list = NULL;
	size_t n = 0, len;
	const char *e;
	for (const char *p = value; (e = next_entry(&p, seps, &len));) {
		list = xreallocarray(list, n + 1, sizeof(*list));
		list[n++] = xstrndup(e, len);
	}
	*ret_n = n;
	return list;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_min(const void *a, const void *b)
{
	return strcmp(((const struct os_min_version *)a)->name,
	    ((const struct os_min_version *)b)->name);
}

static bool
has_blank(const char *s)
{
	return strchr(s, ' ') || strchr(s, '\t');
}

/* "name>=version" entries; on failure p is unchanged. */
static const char *
set_min_versions(struct os_policy *p, const char *value)
{
	size_t n;
	char **list = parse_list(value, ",", &n);
	struct os_min_version *min = xreallocarray(NULL, n, sizeof(*min));
	const char *err = NULL;

	for (size_t i = 0; i < n; i++) {
		char *op = strstr(list[i], ">=");
		if (!op) {
			err = "an entry is not \"name>=version\"";
			break;
		}
		*op = 0;
		char *name = list[i], *version = op + 2;
		size_t nl = strlen(name);
		while (nl && is_blank(name[nl - 1]))
			name[--nl] = 0;
		version += strspn(version, " \t");
		if (!*name || !*version || has_blank(name) || has_blank(version) ||
		    strstr(version, ">=")) {
			err = "an entry is not \"name>=version\"";
			break;
		}
		/* A version dpkg would refuse could never compare as meant. */
		if ((err = os_version_check((struct bytes){(const uint8_t *)version,
		    strlen(version)})))
			break;
		min[i] = (struct os_min_version){name, version};
	}
	if (!err && n)
		qsort(min, n, sizeof(*min), cmp_min);
	for (size_t i = 1; !err && i < n; i++)
		if (strcmp(min[i - 1].name, min[i].name) == 0)
			err = "a package is named twice";
	if (err) {
		free_list(list, n);
		free(min);
		return err;
	}
	free(list); /* the entries now belong to min[] */
	clear_min(p);
	p->min = min;
	p->nmin = n;
	return NULL;
}

static const char *
set_segment_size(struct os_policy *p, const char *value)
{
	char *end;
	unsigned long v = strtoul(value, &end, 10);
	if (end == value || *end || value[0] == '-' || v < 512 || v > 1000000)
		return "max_segment_size must be 512..1000000";
	p->max_segment_size = (uint32_t)v;
	return NULL;
}

const char *
os_policy_set(struct os_policy *p, const char *key, const char *value)
{
	size_t n;
	if (strcmp(key, "allowed_products") == 0) {
		char **list = parse_list(value, ",", &n);
		free_list(p->products, p->nproducts);
		p->products = list;
		p->nproducts = n;
		return NULL;
	}
	if (strcmp(key, "unknown_product") == 0) {
		if (strcmp(value, "allow") == 0)
			p->unknown_product = OS_UNKNOWN_ALLOW;
		else if (strcmp(value, "isolate") == 0)
			p->unknown_product = OS_UNKNOWN_ISOLATE;
		else if (strcmp(value, "block") == 0)
			p->unknown_product = OS_UNKNOWN_BLOCK;
		else
			return "unknown_product must be allow, isolate or block";
		return NULL;
	}
	if (strcmp(key, "blacklisted_packages") == 0) {
		char **list = parse_list(value, ", \t", &n);
		if (n)
			qsort(list, n, sizeof(*list), cmp_str);
		free_list(p->blacklist, p->nblacklist);
		p->blacklist = list;
		p->nblacklist = n;
		return NULL;
	}
	if (strcmp(key, "min_package_versions") == 0)
		return set_min_versions(p, value);
	if (strcmp(key, "remediation_uri") == 0) {
		size_t len;
		const char *e = next_entry(&value, "", &len);
		free(p->remediation_uri);
		p->remediation_uri = xstrndup(e ? e : "", e ? len : 0);
		return NULL;
	}
	if (strcmp(key, "max_segment_size") == 0)
		return set_segment_size(p, value);
	return "";
}

const char *
os_policy_check(const char *key, const char *value)
{
	struct os_policy p;
	os_policy_init(&p);
	const char *err = os_policy_set(&p, key, value);
	os_policy_clear(&p);
	return err;
}

bool
os_policy_product_allowed(const struct os_policy *p, const char *product)
{
	if (p->nproducts == 0)
		return true;
	for (size_t i = 0; i < p->nproducts; i++) {
		const char *e = p->products[i];
		size_t n = strlen(e);
		if (n && e[n - 1] == '*' ? strncmp(product, e, n - 1) == 0 : strcmp(product, e) == 0)
			return true;
	}
	return false;
}

/* strcmp() of a view against a C string. */
static int
cmp_bytes_str(struct bytes b, const char *s)
{
	size_t n = strlen(s);
	int r = memcmp(b.ptr, s, b.len < n ? b.len : n);
	if (r)
		return r;
	return b.len < n ? -1 : b.len > n;
}

/* Binary search over sorted entries of size bytes whose first member is the
 * name (char *). */
static const void *
find_name(struct bytes name, const void *base, size_t n, size_t size)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const void *e = (const char *)base + mid * size;
		int r = cmp_bytes_str(name, *(char *const *)e);
		if (r == 0)
			return e;
		if (r < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return NULL;
}

const char *
os_policy_min_version(const struct os_policy *p, struct bytes name)
{
	const struct os_min_version *min = name.len ? find_name(name, p->min, p->nmin,
	    sizeof(*p->min)) : NULL;
	return min ? min->version : NULL;
}

bool
os_policy_copy_text(char *dst, size_t size, struct bytes b)
{
	size_t n = b.len < size - 1 ? b.len : size - 1;
	for (size_t i = 0; i < n; i++)
		dst[i] = b.ptr[i] >= 0x20 && b.ptr[i] < 0x7f ? (char)b.ptr[i] : '?';
	dst[n] = 0;
	return n == b.len;
}

static void
add_finding(struct os_findings *fs, enum os_finding_kind kind, struct bytes name,
    struct bytes version, const char *wanted)
{
	if (fs->n >= OS_FINDINGS_MAX) {
		fs->dropped++;
		return;
	}
	struct os_finding *f = &fs->item[fs->n++];
	f->kind = kind;
	os_policy_copy_text(f->name, sizeof(f->name), name);
	os_policy_copy_text(f->version, sizeof(f->version), version);
	snprintf(f->wanted, sizeof(f->wanted), "%s", wanted);
}

void
os_policy_package(const struct os_policy *p, struct bytes name, struct bytes version,
    struct os_packages *sum)
{
	const char *wanted;

	sum->total++;
	if (name.len && find_name(name, p->blacklist, p->nblacklist, sizeof(*p->blacklist))) {
		sum->blacklisted++;
		add_finding(&sum->findings, OS_FINDING_BLACKLISTED, name, version, "");
	} else if ((wanted = os_policy_min_version(p, name))) {
		if (os_version_cmp(version, (struct bytes){(const uint8_t *)wanted,
		    strlen(wanted)}) < 0) {
			sum->outdated++;
			add_finding(&sum->findings, OS_FINDING_OUTDATED, name, version, wanted);
		} else {
			sum->ok++;
		}
	} else {
		sum->unknown++;
	}
}
