/* os_verdict.c - the OS IMV's judgement and its texts (see os_verdict.h). */
#include "os_verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The names tnc-policy stores, in enum os_item_type order. */
static const char *const item_names[] = {"PCKGS", "UNSRC", "FWDEN", "PWDEN"};
const struct imv_workitem_types os_item_types = {item_names, OS_ITEM_OTHER, false};

void
os_packages_add(struct os_packages *p, enum os_pkg_verdict v, struct bytes name,
    struct bytes version)
{
	if ((unsigned)v >= OS_PKG_VERDICTS)
		v = OS_PKG_UNKNOWN;
	p->total++;
	p->count[v]++;
	struct os_package_names *n = &p->named[v];
	if (v == OS_PKG_OK || n->n >= OS_FINDINGS_MAX)
		return;
	os_copy_text(n->item[n->n].name, OS_NAME_MAX, name);
	os_copy_text(n->item[n->n].version, OS_NAME_MAX, version);
	n->n++;
}

void
os_items_from_msg(const struct ipc_policy_workitems *m, struct os_items *items)
{
	items->n = imv_workitems_read(m, &os_item_types, items->item);
}

unsigned
os_items_needs(const struct os_items *items)
{
	static const unsigned needs[] = {
		[OS_ITEM_PCKGS] = 1u << OS_HAVE_PACKAGES, [OS_ITEM_UNSRC] = 1u << OS_HAVE_PACKAGES,
		[OS_ITEM_FWDEN] = 1u << OS_HAVE_FORWARDING,
		[OS_ITEM_PWDEN] = 1u << OS_HAVE_DEFAULT_PASSWORD, [OS_ITEM_OTHER] = 0,
	};
	unsigned bits = 0;
	for (unsigned i = 0; i < items->n; i++)
		bits |= needs[items->item[i].type];
	return bits;
}

/* Appends to a text buffer; a text that does not fit ends in "...". */
struct text {
	char *buf;
	size_t size, len;
};

static void __attribute__((format(printf, 2, 3)))
put(struct text *t, const char *fmt, ...)
{
	va_list ap;
	if (t->size == 0 || t->len >= t->size)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(t->buf + t->len, t->size - t->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n < t->size - t->len) {
		t->len += (size_t)n;
		return;
	}
	t->len = t->size; /* cut: mark it */
	if (t->size > 4)
		memcpy(t->buf + t->size - 4, "...", 4);
}

static void
text_init(struct text *t, char *buf, size_t size)
{
	*t = (struct text){buf, size, 0};
	if (size)
		buf[0] = 0;
}

static const char *const verdict_words[OS_PKG_VERDICTS] = {
	[OS_PKG_UNKNOWN] = "unknown", [OS_PKG_OK] = "ok", [OS_PKG_OUTDATED] = "outdated",
	[OS_PKG_VULNERABLE] = "vulnerable", [OS_PKG_BLACKLISTED] = "blacklisted",
};

/* "blacklisted package telnetd (0.17-44), ..." for the named packages of
 * verdict v; the ones not named are counted. */
static void
put_named(struct text *t, const struct os_packages *p, enum os_pkg_verdict v, const char **sep)
{
	const struct os_package_names *n = &p->named[v];
	for (unsigned i = 0; i < n->n; i++) {
		put(t, "%s%s package %s (%s)", *sep, verdict_words[v], n->item[i].name,
		    n->item[i].version);
		*sep = ", ";
	}
	if (p->count[v] > n->n) {
		put(t, "%s%u more %s packages", *sep, p->count[v] - n->n, verdict_words[v]);
		*sep = ", ";
	}
}

static void
put_counts(struct text *t, const struct os_packages *p)
{
	put(t, "processed %u packages: %u blacklisted, %u vulnerable, %u outdated, %u ok, "
	    "%u unknown", p->total, p->count[OS_PKG_BLACKLISTED], p->count[OS_PKG_VULNERABLE],
	    p->count[OS_PKG_OUTDATED], p->count[OS_PKG_OK], p->count[OS_PKG_UNKNOWN]);
}

static enum os_outcome
judge_packages(const struct imv_workitem *it, const struct os_facts *f, struct text *t,
    struct text *cause)
{
	const struct os_packages *p = &f->packages;
	const char *sep = "; ";
	char product[2 * OS_TEXT_MAX];

	if (!f->have_packages) {
		put(t, "no installed packages received");
		put(cause, "no installed packages received");
		return OS_NORESULT;
	}
	if (p->lookup_failed) {
		put(t, "the package versions could not be looked up: %s", p->failure);
		put(cause, "the package versions could not be looked up");
		return OS_NORESULT;
	}
	put_counts(t, p);
	if (it->type == OS_ITEM_UNSRC) {
		if (!p->count[OS_PKG_UNKNOWN])
			return OS_PASS;
		put_named(t, p, OS_PKG_UNKNOWN, &sep);
		return OS_FAIL;
	}
	if (p->count[OS_PKG_BLACKLISTED] || p->count[OS_PKG_VULNERABLE]) {
		put_named(t, p, OS_PKG_BLACKLISTED, &sep);
		put_named(t, p, OS_PKG_VULNERABLE, &sep);
		return OS_FAIL;
	}
	if (p->total && p->count[OS_PKG_UNKNOWN] == p->total) {
		imv_endpoint_product(product, sizeof(product), f->product, f->have_version,
		    f->version);
		put(t, "; the database knows none of them for product '%s'", product);
		put(cause, "unknown product '%s'", product);
		return OS_NORESULT;
	}
	return OS_PASS;
}

static enum os_outcome
judge_flag(int value, const char *what, const char *on, const char *off, struct text *t,
    struct text *cause)
{
	if (value == 1) {
		put(t, "%s %s", what, on);
		return OS_FAIL;
	}
	if (value == 0) {
		put(t, "%s %s", what, off);
		return OS_PASS;
	}
	put(t, "%s %s", what, value == OS_FACT_UNSET ? "not reported" : "unknown");
	put(cause, "%s", t->buf);
	return OS_NORESULT;
}

static enum os_outcome
judge_item(const struct imv_workitem *it, const struct os_facts *f, struct text *t,
    struct text *cause)
{
	switch (it->type) {
	case OS_ITEM_PCKGS:
	case OS_ITEM_UNSRC:
		return judge_packages(it, f, t, cause);
	case OS_ITEM_FWDEN:
		return judge_flag(f->forwarding, "IPv4 forwarding", "is enabled", "is disabled", t,
		    cause);
	case OS_ITEM_PWDEN:
		return judge_flag(f->default_password, "factory default password", "is enabled",
		    "is not enabled", t, cause);
	default:
		put(t, "not a workitem type of the OS IMV");
		put(cause, "not a workitem type of the OS IMV");
		return OS_NORESULT;
	}
}

void
os_verdict_judge(const struct os_items *items, const struct os_facts *f, struct os_verdict *v)
{
	struct imv_tally tally;

	memset(v, 0, sizeof(*v));
	imv_tally_init(&tally, items->n);
	for (unsigned i = 0; i < items->n; i++) {
		const struct imv_workitem *it = &items->item[i];
		struct os_result *r = &v->result[i];
		struct text t, cause;
		text_init(&t, r->text, sizeof(r->text));
		text_init(&cause, r->cause, sizeof(r->cause));
		r->outcome = judge_item(it, f, &t, &cause);
		r->rec = r->outcome == OS_PASS ? IMV_REC_ALLOW :
		    r->outcome == OS_FAIL ? it->rec_fail : it->rec_noresult;
		imv_tally_add(&tally, r->rec, r->outcome == OS_FAIL, r->outcome == OS_NORESULT);
	}
	v->rec = tally.rec;
	v->eval = imv_tally_eval(&tally);
}

void
os_verdict_reason(const struct os_items *items, const struct os_verdict *v,
    const struct os_facts *f, char *buf, size_t size)
{
	struct text t;
	const char *sep = "";

	text_init(&t, buf, size);
	if (items->n == 0) {
		put(&t, "no workitems - no evaluation requested");
		return;
	}
	for (unsigned i = 0; i < items->n; i++) {
		const struct imv_workitem *it = &items->item[i];
		const struct os_result *r = &v->result[i];
		if (r->outcome == OS_PASS)
			continue;
		if (r->outcome == OS_NORESULT) {
			put(&t, "%s%s: no result (%s)", sep, it->type_name, r->cause);
		} else if (it->type == OS_ITEM_FWDEN) {
			put(&t, "%sIPv4 forwarding enabled", sep);
		} else if (it->type == OS_ITEM_PWDEN) {
			put(&t, "%sfactory default password enabled", sep);
		} else {
			const char *psep = sep;
			if (it->type == OS_ITEM_UNSRC) {
				put_named(&t, &f->packages, OS_PKG_UNKNOWN, &psep);
			} else {
				put_named(&t, &f->packages, OS_PKG_BLACKLISTED, &psep);
				put_named(&t, &f->packages, OS_PKG_VULNERABLE, &psep);
			}
		}
		sep = ", ";
	}
	if (!sep[0])
		put(&t, "operating system is compliant");
}

/* "<action> <name> (<version>)<why>" per named package of verdict v. */
static void
put_remedy(struct text *t, const struct os_packages *p, enum os_pkg_verdict v,
    const char *action, const char *why)
{
	const struct os_package_names *n = &p->named[v];
	for (unsigned i = 0; i < n->n; i++)
		put(t, "%s %s (%s)%s\n", action, n->item[i].name, n->item[i].version, why);
	if (p->count[v] > n->n)
		put(t, "and %u more %s packages\n", p->count[v] - n->n, verdict_words[v]);
}

void
os_verdict_remediation(const struct os_items *items, const struct os_verdict *v,
    const struct os_facts *f, const char *uri, char *buf, size_t size)
{
	struct text t;
	bool any = false;

	text_init(&t, buf, size);
	for (unsigned i = 0; i < items->n; i++) {
		if (v->result[i].outcome != OS_FAIL)
			continue;
		any = true;
		switch (items->item[i].type) {
		case OS_ITEM_PCKGS:
			put_remedy(&t, &f->packages, OS_PKG_BLACKLISTED, "remove package", "");
			put_remedy(&t, &f->packages, OS_PKG_VULNERABLE, "install the security update of",
			    "");
			break;
		case OS_ITEM_UNSRC:
			put_remedy(&t, &f->packages, OS_PKG_UNKNOWN, "remove package",
			    ", which is not from a known source");
			break;
		case OS_ITEM_FWDEN:
			put(&t, "disable IPv4 forwarding\n");
			break;
		case OS_ITEM_PWDEN:
			put(&t, "change the factory default password\n");
			break;
		default:
			break;
		}
	}
	if (any && uri && uri[0])
		put(&t, "see %s\n", uri);
}
