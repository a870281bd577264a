/* sw_inventory.c - the SWIMA IMC's software inventory (see sw_inventory.h).
 *
 * Debian's syntax (deb-control(5), deb-version(7)): a package name is
 * [a-z0-9][a-z0-9+.-]*, a version [A-Za-z0-9.+~:-]+ (epoch, upstream and
 * revision together), an architecture [a-z0-9-]+.
 *
 * rpm's (what rpmbuild accepts in a spec): a name is [A-Za-z0-9_][A-Za-z0-9_+.-]*,
 * version and release are [A-Za-z0-9._+~^]+ each, the epoch a number; the
 * version this file sees is "[epoch:]version-release" (sw_rpm.c), so it has
 * exactly one '-'.  An architecture is [A-Za-z0-9_]+ ("x86_64", "noarch").
 */
#include "sw_inventory.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "package_list.h"
#include "pa_swima.h"
#include "pa_value.h"
#include "reason.h"
#include "swid_tag.h"

static bool
only(const char *s, const char *allowed)
{
	return s[strspn(s, allowed)] == 0;
}

#define LOWER_DIGITS "abcdefghijklmnopqrstuvwxyz0123456789"
#define ALNUM LOWER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
#define RPM_VERREL ALNUM "._+~^"

static const char *
check_field(const char *s, bool required, const char *allowed, const char *empty_reason,
    const char *long_reason, const char *syntax_reason, int *ret_err)
{
	size_t len = strlen(s);

	*ret_err = TNC_EINVALID;
	if (len == 0)
		return required ? empty_reason : NULL;
	if (len > SW_FIELD_MAX) {
		*ret_err = TNC_ETOOLONG;
		return long_reason;
	}
	return only(s, allowed) ? NULL : syntax_reason;
}

/* The reason a Debian package's fields cannot be named, or NULL. */
static const char *
check_debian_package(const char *name, const char *version, const char *arch, int *ret_err)
{
	const char *why = check_field(name, true, LOWER_DIGITS "+.-", "Package: empty",
	    "Package: over 255 octets", "Package: not a Debian package name", ret_err);

	if (!why && !strchr(LOWER_DIGITS, name[0]))
		why = "Package: not a Debian package name";
	if (!why)
		why = check_field(version, true, ALNUM ".+~:-",
		    "Version: missing", "Version: over 255 octets", "Version: not a Debian version",
		    ret_err);
	if (!why)
		why = check_field(arch, false, LOWER_DIGITS "-", NULL,
		    "Architecture: over 255 octets", "Architecture: not a Debian architecture",
		    ret_err);
	return why;
}

/* "[epoch:]version-release" of rpm's syntax. */
static bool
is_rpm_evr(const char *s)
{
	size_t epoch = strspn(s, "0123456789");
	const char *v = s[epoch] == ':' && epoch > 0 && epoch <= 10 ? s + epoch + 1 : s;
	size_t vlen = strspn(v, RPM_VERREL);

	if (vlen == 0 || v[vlen] != '-')
		return false;
	const char *r = v + vlen + 1;
	size_t rlen = strspn(r, RPM_VERREL);
	return rlen > 0 && r[rlen] == 0;
}

/* The reason an rpm package's fields cannot be named, or NULL. */
static const char *
check_rpm_package(const char *name, const char *version, const char *arch, int *ret_err)
{
	const char *why = check_field(name, true, ALNUM "_+.-", "Name: empty",
	    "Name: over 255 octets", "Name: not an rpm package name", ret_err);

	if (!why && !strchr(ALNUM "_", name[0]))
		why = "Name: not an rpm package name";
	if (!why)
		why = check_field(version, true, RPM_VERREL ":-", "Version: missing",
		    "Version: over 255 octets", "Version: not an rpm [epoch:]version-release",
		    ret_err);
	if (!why && !is_rpm_evr(version))
		why = "Version: not an rpm [epoch:]version-release";
	if (!why)
		why = check_field(arch, false, ALNUM "_", NULL, "Arch: over 255 octets",
		    "Arch: not an rpm architecture", ret_err);
	return why;
}

static bool
is_text(const char *s)
{
	return s && *s && pa_value_is_text((struct bytes){(const uint8_t *)s, strlen(s)});
}

static const char *
check_naming(const struct sw_naming *n)
{
	if (!is_text(n->regid))
		return "naming: regid is not text";
	if (!is_text(n->entity_name))
		return "naming: entity name is not text";
	if (!is_text(n->product))
		return "naming: product is not text";
	if (!is_text(n->os_version))
		return "naming: OS version is not text";
	return NULL;
}

/* Appends s to w with from[i] written as to[i]. */
static void
put_mapped(struct wire_writer *w, const char *s, const char *from, const char *to)
{
	for (; *s; s++) {
		const char *m = strchr(from, *s);
		wire_put_u8(w, (uint8_t)(m ? to[m - from] : *s));
	}
}

int
sw_inventory_package_init(struct sw_package *p, const struct sw_naming *n, const char *name,
    const char *version, const char *arch, const char **ret_reason)
{
	struct wire_writer tag, id;
	int err;
	const char *why;

	memset(p, 0, sizeof(*p));
	if ((why = check_naming(n)) != NULL) {
		*ret_reason = why;
		return TNC_EINVALID;
	}
	why = n->syntax == SW_SYNTAX_RPM ? check_rpm_package(name, version, arch, &err) :
	    check_debian_package(name, version, arch, &err);
	if (why) {
		*ret_reason = why;
		return err;
	}
	wire_writer_init(&tag, SW_ID_MAX);
	put_mapped(&tag, n->product, " ", "_");
	wire_put_u8(&tag, '_');
	put_mapped(&tag, n->os_version, " ", "-");
	wire_put_u8(&tag, '-');
	put_mapped(&tag, name, ":+", "~~");
	wire_put_u8(&tag, '-');
	put_mapped(&tag, version, ":+", "~~");
	wire_writer_init(&id, SW_ID_MAX + 1);
	if (wire_writer_status(&tag) == 0)
		pa_swima_software_id(&id,
		    (struct bytes){(const uint8_t *)n->regid, strlen(n->regid)},
		    (struct bytes){tag.buf, tag.len});
	wire_put_u8(&id, 0);
	err = wire_writer_status(&tag) ? wire_writer_status(&tag) : wire_writer_status(&id);
	if (err) {
		wire_writer_clear(&tag);
		wire_writer_clear(&id);
		*ret_reason = "Software Identifier: over 1024 octets";
		return TNC_ETOOLONG;
	}
	p->sw_id = (char *)id.buf; /* the writer's heap buffer, NUL-terminated */
	p->tag_id = p->sw_id + strlen(n->regid) + 2;
	p->record_id = sw_inventory_record_id(p->sw_id);
	wire_writer_clear(&tag);
	p->name = strdup(name);
	p->version = strdup(version);
	p->arch = strdup(arch);
	if (!p->name || !p->version || !p->arch)
		abort();
	return 0;
}

void
sw_inventory_package_clear(struct sw_package *p)
{
	free(p->name);
	free(p->version);
	free(p->arch);
	free(p->sw_id);
	memset(p, 0, sizeof(*p));
}

uint32_t
sw_inventory_record_id(const char *sw_id)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *s = (const unsigned char *)sw_id; *s; s++)
		h = (h ^ *s) * 16777619u;
	return h;
}

int
sw_inventory_package_tag(const struct sw_naming *n, const struct sw_package *p, uint8_t **ret,
    size_t *ret_len)
{
	struct swid_tag_spec spec = {
		.tag_id = p->tag_id,
		.name = p->name,
		.version = p->version,
		.version_scheme = "alphanumeric",
		.entity_name = n->entity_name,
		.regid = n->regid,
	};

	return swid_tag_generate(&spec, ret, ret_len);
}

void
sw_inventory_init(struct sw_inventory *inv)
{
	memset(inv, 0, sizeof(*inv));
}

void
sw_inventory_clear(struct sw_inventory *inv)
{
	for (size_t i = 0; i < inv->count; i++)
		sw_inventory_package_clear(&inv->v[i]);
	free(inv->v);
	memset(inv, 0, sizeof(*inv));
}

int
sw_inventory_add(struct sw_inventory *inv, const struct sw_naming *n, const char *name,
    const char *version, const char *arch, const char **ret_reason)
{
	if (inv->count == SW_INVENTORY_MAX) {
		*ret_reason = "over 100000 installed packages";
		return TNC_ETOOLONG;
	}
	if (inv->count == inv->cap) {
		size_t cap = inv->cap ? 2 * inv->cap : 512;
		struct sw_package *v = realloc(inv->v, cap * sizeof(*v));
		if (!v)
			abort();
		inv->v = v;
		inv->cap = cap;
	}
	int err = sw_inventory_package_init(&inv->v[inv->count], n, name, version, arch,
	    ret_reason);
	if (err == 0)
		inv->count++;
	return err;
}

struct load {
	struct sw_inventory *inv;
	const struct sw_naming *naming;
	const char *path;
	char *reason;
	size_t reason_size;
};

static int
add_one(void *ctx, const struct dpkg_package *d)
{
	struct load *l = ctx;
	const char *why;
	int err = sw_inventory_add(l->inv, l->naming, d->name, d->version, d->arch, &why);

	if (err)
		reason_set(l->reason, l->reason_size, "%s:%u: %s", l->path, d->line, why);
	return err;
}

/* By Software Identifier; equal ones in file order (record_id holds the
 * index while sorting), so the first of a duplicate is kept. */
static int
by_sw_id(const void *a, const void *b)
{
	const struct sw_package *x = a, *y = b;
	int c = strcmp(x->sw_id, y->sw_id);

	return c ? c : (x->record_id < y->record_id ? -1 : x->record_id > y->record_id);
}

int
sw_inventory_load_dpkg(struct sw_inventory *inv, const char *path, const struct sw_naming *n,
    char *reason, size_t reason_size)
{
	struct load l = {inv, n, path, reason, reason_size};
	const char *why = check_naming(n);
	int err;

	sw_inventory_clear(inv);
	if (why) {
		reason_set(reason, reason_size, "%s", why);
		return TNC_EINVALID;
	}
	reason_set(reason, reason_size, "%s", "");
	err = package_list_read_dpkg(path, add_one, &l);
	if (err && !reason[0])
		reason_set(reason, reason_size, "%s: %s", path,
		    err == TNC_ETOOLONG ? "over 64 MiB, or a line over 64 KiB" :
		    err == TNC_EINVALID ? "a stanza gives Package, Version, Architecture or Status twice" :
		    tnc_strerror(err));
	if (err) {
		sw_inventory_clear(inv);
		return err;
	}
	sw_inventory_sort(inv);
	return 0;
}

void
sw_inventory_sort(struct sw_inventory *inv)
{
	/* record_id is a function of sw_id: reuse it as the order of adding
	 * for the sort's tie-break, then restore it. */
	for (size_t i = 0; i < inv->count; i++)
		inv->v[i].record_id = (uint32_t)i;
	qsort(inv->v, inv->count, sizeof(*inv->v), by_sw_id);
	size_t kept = 0;
	for (size_t i = 0; i < inv->count; i++) {
		if (kept > 0 && strcmp(inv->v[kept - 1].sw_id, inv->v[i].sw_id) == 0) {
			sw_inventory_package_clear(&inv->v[i]);
			continue;
		}
		inv->v[kept] = inv->v[i];
		inv->v[kept].record_id = sw_inventory_record_id(inv->v[kept].sw_id);
		kept++;
	}
	inv->count = kept;
}

const struct sw_package *
sw_inventory_find(const struct sw_inventory *inv, const char *id, size_t len)
{
	size_t lo = 0, hi = inv->count;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *s = inv->v[mid].sw_id;
		size_t slen = strlen(s);
		int c = memcmp(s, id, slen < len ? slen : len);
		if (c == 0)
			c = (slen > len) - (slen < len);
		if (c == 0)
			return &inv->v[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}
