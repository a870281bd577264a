/* adm_sw.c - tncadm sw: the software database of the SWIMA IMV
 * (policy_software.h): a device's inventory and events, the devices that
 * run a package in a version range, and advisories that mark versions
 * vulnerable, with the devices they affect.
 *
 * Advisories come as the Debian security tracker's DSA list
 * (security-tracker data/DSA/list: a line "[24 Oct 2023] DSA-5532-1
 * openssl - security update", then indented lines "[bookworm] - openssl
 * 3.0.11-1~deb12u2", one per release, "<not-affected>" and the like
 * instead of a version where there is no fix) or as a simple list, a line
 * "package fixed-version advisory-id" each.  Both mark the versions below
 * the fixed one.  A DSA list names fixed versions per Debian release, so
 * it is imported for one (--suite): another release's fix would mark this
 * release's versions.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm.h"
#include "policy_software.h"

#define ADVISORY_FILE_MAX (64u << 20) /* the whole DSA list is a few MB */

struct listing {
	struct adm *a;
	const char *device, *package;
	int64_t since;
	struct ps_sw_range range;
	const char *source;
};

static int
fill_inventory(void *ctx, ps_row_fn *row, void *row_ctx)
{
	struct listing *l = ctx;
	return policy_store_sw_inventory_list(l->a->store, l->device, row, row_ctx);
}

static int
fill_events(void *ctx, ps_row_fn *row, void *row_ctx)
{
	struct listing *l = ctx;
	return policy_store_sw_events_list(l->a->store, l->device, l->since, row, row_ctx);
}

static int
fill_devices(void *ctx, ps_row_fn *row, void *row_ctx)
{
	struct listing *l = ctx;
	return policy_store_sw_devices(l->a->store, l->package, &l->range, row, row_ctx);
}

static int
fill_affected(void *ctx, ps_row_fn *row, void *row_ctx)
{
	struct listing *l = ctx;
	return policy_store_sw_affected(l->a->store, l->source, row, row_ctx);
}

static int
print(struct adm *a, enum ps_sw_listing what, adm_rows_fn *fill, struct listing *l)
{
	size_t n;
	const struct ps_column *cols = ps_sw_columns(what, &n);
	return adm_print_rows(a, cols, n, fill, l);
}

int
cmd_sw_inventory(struct adm *a)
{
	struct listing l = {.a = a, .device = a->args[0]};
	return print(a, PS_SW_INVENTORY, fill_inventory, &l);
}

int
cmd_sw_events(struct adm *a)
{
	struct listing l = {.a = a, .device = a->args[0], .since = -1};
	if (a->opt[ADM_OPT_SINCE] && (l.since = adm_int_option(a, ADM_OPT_SINCE, -1)) < 0)
		return ADM_USAGE;
	return print(a, PS_SW_EVENTS, fill_events, &l);
}

int
cmd_sw_devices(struct adm *a)
{
	const char *below = a->opt[ADM_OPT_BELOW], *to = a->opt[ADM_OPT_TO];
	if (below && to)
		return adm_usage_fail(a, "--below and --to do not go together");
	struct listing l = {.a = a, .package = a->args[0],
	    .range = {a->opt[ADM_OPT_FROM], below ? below : to, below != NULL}};
	return print(a, PS_SW_DEVICES, fill_devices, &l);
}

/* --- advisories --- */

struct marks {
	struct ps_sw_advisory *v;
	size_t n, cap;
};

static void
mark_add(struct marks *m, const char *package, const char *version, const char *advisory)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 256;
		if (!(m->v = realloc(m->v, m->cap * sizeof(*m->v))))
			abort();
	}
	m->v[m->n++] = (struct ps_sw_advisory){package, version, advisory, false};
}

/* The next whitespace-separated word of *p, NUL-terminated in place;
 * NULL at the end of the line. */
static char *
word(char **p)
{
	char *s = *p + strspn(*p, " \t");
	if (!*s)
		return NULL;
	char *e = s + strcspn(s, " \t");
	*p = *e ? e + 1 : e;
	*e = '\0';
	return s;
}

/* "[24 Oct 2023] DSA-5532-1 openssl - security update": the advisory. */
static const char *
dsa_header(char *line)
{
	char *p = strchr(line, ']');
	if (!p)
		return NULL;
	p++;
	return word(&p);
}

/* "\t[bookworm] - openssl 3.0.11-1~deb12u2": a mark when the release is
 * suite and a version is fixed; "{CVE-...}", "NOTE: ..." are not marks. */
static int
dsa_entry(char *line, const char *suite, const char *advisory, struct marks *m)
{
	char *p = line + strspn(line, " \t");
	if (*p != '[')
		return 0;
	char *release = p + 1, *end = strchr(release, ']');
	if (!end)
		return -1;
	*end = '\0';
	p = end + 1;
	char *dash = word(&p), *package = word(&p), *version = word(&p);
	if (!dash || strcmp(dash, "-") || !package || !version)
		return -1;
	if (!advisory)
		return -1;
	if (!strcmp(release, suite) && version[0] != '<') /* <not-affected>, <unfixed>, ... */
		mark_add(m, package, version, advisory);
	return 0;
}

/* text (modified in place) as a DSA list or a simple list. */
static int
parse(struct adm *a, char *text, const char *suite, struct marks *m)
{
	const char *advisory = NULL;
	bool dsa = false, first = true;
	unsigned lineno = 0;
	for (char *line = text, *next; line; line = next) {
		lineno++;
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		line[strcspn(line, "\r")] = '\0';
		char *p = line + strspn(line, " \t");
		if (!*p || *p == '#')
			continue;
		if (first) {
			dsa = *line == '[';
			first = false;
			if (dsa && !suite)
				return adm_usage_fail(a, "a DSA list names fixed versions per Debian release:"
				    " give --suite (e.g. bookworm)");
		}
		int bad = 0;
		if (dsa && *line == '[') {
			bad = !(advisory = dsa_header(line));
		} else if (dsa) {
			bad = dsa_entry(line, suite, advisory, m) < 0;
		} else {
			char *package = word(&p), *version = word(&p), *id = word(&p);
			bad = !id || word(&p);
			if (!bad)
				mark_add(m, package, version, id);
		}
		if (bad) {
			fprintf(stderr, "tncadm: line %u: not %s\n", lineno, dsa ? "a DSA list's line" :
			    "\"package fixed-version advisory-id\"");
			return ADM_FAIL;
		}
	}
	return ADM_OK;
}

static char *
read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f) {
		fprintf(stderr, "tncadm: %s: %s\n", path, strerror(errno));
		return NULL;
	}
	char *text = malloc(ADVISORY_FILE_MAX + 1);
	size_t n = text ? fread(text, 1, ADVISORY_FILE_MAX + 1, f) : 0;
	bool bad = !text || ferror(f) || n > ADVISORY_FILE_MAX || memchr(text, 0, n);
	fclose(f);
	if (bad) {
		fprintf(stderr, "tncadm: %s: unreadable, larger than %u bytes or not text\n", path,
		    ADVISORY_FILE_MAX);
		free(text);
		return NULL;
	}
	text[n] = '\0';
	return text;
}

int
cmd_sw_advisories(struct adm *a)
{
	if (strcmp(a->args[0], "import"))
		return adm_usage_fail(a, "usage: tncadm sw advisories import FILE [--suite CODENAME]");
	const char *path = a->args[1], *suite = a->opt[ADM_OPT_SUITE];
	char *text = read_file(path), source[PS_VALUE_MAX + 1];
	struct marks m = {0};
	if (!text)
		return ADM_FAIL;
	const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	snprintf(source, sizeof(source), "%s%s%s", base, suite ? ":" : "", suite ? suite : "");
	int code = parse(a, text, suite, &m);
	size_t added = 0;
	if (!code) {
		int err = policy_store_sw_advisories_import(a->store, source, m.v, m.n, &added);
		code = err ? adm_store_fail(a, err, NULL) : ADM_OK;
	}
	if (!code && !a->json)
		printf("%zu versions marked vulnerable (%zu new) from %s; the devices affected:\n", m.n,
		    added, source);
	if (!code) {
		struct listing l = {.a = a, .source = source};
		code = print(a, PS_SW_AFFECTED, fill_affected, &l);
	}
	free(m.v);
	free(text);
	return code;
}
