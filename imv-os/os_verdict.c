/* os_verdict.c - the OS IMV's judgement and its texts (see os_verdict.h). */
#include "os_verdict.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const char *const check_names[OS_CHECK_COUNT] = {"PRODUCT", "FWDEN", "PWDEN", "PCKGS"};

const char *
os_verdict_check_name(enum os_check c)
{
	return (unsigned)c < OS_CHECK_COUNT ? check_names[c] : "?";
}

void
os_facts_product(const struct os_facts *f, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", f->product, f->have_version ? " " : "",
	    f->have_version ? f->version : "");
}

/* Worse of two recommendations; NONE (no fact) adds nothing. */
static enum imv_recommendation
worse(enum imv_recommendation a, enum imv_recommendation b)
{
	static const int rank[] = {[IMV_REC_ALLOW] = 1, [IMV_REC_NO_ACCESS] = 3,
	    [IMV_REC_ISOLATE] = 2, [IMV_REC_NONE] = 0};
	return rank[b] > rank[a] ? b : a;
}

static void
add(struct os_verdict *v, enum os_finding_kind kind)
{
	if (v->findings.n < OS_FINDINGS_MAX)
		v->findings.item[v->findings.n++] = (struct os_finding){.kind = kind};
	else
		v->findings.dropped++;
}

static enum imv_recommendation
judge_product(const struct os_policy *p, const struct os_facts *f, struct os_verdict *v)
{
	static const enum imv_recommendation action[] = {[OS_UNKNOWN_ALLOW] = IMV_REC_ALLOW,
	    [OS_UNKNOWN_ISOLATE] = IMV_REC_ISOLATE, [OS_UNKNOWN_BLOCK] = IMV_REC_NO_ACCESS};
	char product[2 * OS_TEXT_MAX];

	v->product = OS_PRODUCT_ANY;
	if (p->nproducts == 0)
		return IMV_REC_ALLOW;
	if (!f->have_product || !f->have_version)
		v->complete = false;
	os_facts_product(f, product, sizeof(product));
	if (f->have_product && !f->product_cut && os_policy_product_allowed(p, product)) {
		v->product = OS_PRODUCT_ALLOWED;
		return IMV_REC_ALLOW;
	}
	v->product = OS_PRODUCT_UNKNOWN;
	if (p->unknown_product != OS_UNKNOWN_ALLOW)
		add(v, OS_FINDING_PRODUCT);
	return action[p->unknown_product];
}

static enum imv_recommendation
judge_flag(int value, enum os_finding_kind kind, struct os_verdict *v)
{
	if (value == 0)
		return IMV_REC_ALLOW;
	if (value == 1) {
		add(v, kind);
		return IMV_REC_ISOLATE;
	}
	v->complete = false; /* not reported, or "unknown" */
	return IMV_REC_NONE;
}

static enum imv_recommendation
judge_packages(const struct os_facts *f, struct os_verdict *v)
{
	const struct os_findings *pf = &f->packages.findings;

	if (!f->have_packages) {
		v->complete = false;
		return IMV_REC_NONE;
	}
	for (unsigned i = 0; i < pf->n; i++) {
		if (v->findings.n < OS_FINDINGS_MAX)
			v->findings.item[v->findings.n++] = pf->item[i];
		else
			v->findings.dropped++;
	}
	v->findings.dropped += pf->dropped;
	return f->packages.blacklisted || f->packages.outdated ? IMV_REC_ISOLATE : IMV_REC_ALLOW;
}

void
os_verdict_judge(const struct os_policy *p, const struct os_facts *f, struct os_verdict *v)
{
	bool only_outdated = true;

	memset(v, 0, sizeof(*v));
	v->complete = true;
	v->check[OS_CHECK_PRODUCT] = judge_product(p, f, v);
	v->check[OS_CHECK_FWDEN] = judge_flag(f->forwarding, OS_FINDING_FORWARDING, v);
	v->check[OS_CHECK_PWDEN] = judge_flag(f->default_password, OS_FINDING_DEFAULT_PASSWORD, v);
	v->check[OS_CHECK_PCKGS] = judge_packages(f, v);
	v->rec = IMV_REC_NONE; /* PRODUCT always decides, so it does not stay NONE */
	for (int c = 0; c < OS_CHECK_COUNT; c++)
		v->rec = worse(v->rec, v->check[c]);
	for (unsigned i = 0; i < v->findings.n; i++)
		only_outdated &= v->findings.item[i].kind == OS_FINDING_OUTDATED;
	if (f->have_packages && f->packages.blacklisted)
		only_outdated = false; /* beyond the kept findings */
	if (v->findings.n == 0 && v->findings.dropped == 0)
		v->eval = v->complete ? IMV_EVAL_COMPLIANT : IMV_EVAL_DONT_KNOW;
	else
		v->eval = only_outdated ? IMV_EVAL_NONCOMPLIANT_MINOR : IMV_EVAL_NONCOMPLIANT_MAJOR;
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

void
os_verdict_check_text(const struct os_verdict *v, const struct os_facts *f, enum os_check c,
    char *buf, size_t size)
{
	struct text t = {buf, size, 0};
	char product[2 * OS_TEXT_MAX];
	const struct os_packages *pk = &f->packages;

	if (size)
		buf[0] = 0;
	switch (c) {
	case OS_CHECK_PRODUCT:
		os_facts_product(f, product, sizeof(product));
		if (!f->have_product)
			put(&t, "operating system not reported");
		else
			put(&t, "product '%s'%s", product, v->product == OS_PRODUCT_ANY ?
			    ", every product allowed" : v->product == OS_PRODUCT_ALLOWED ?
			    " is allowed" : " is not in allowed_products");
		break;
	case OS_CHECK_FWDEN:
		put(&t, "%s", f->forwarding == 1 ? "IPv4 forwarding is enabled" :
		    f->forwarding == 0 ? "forwarding not enabled" :
		    f->forwarding == 2 ? "forwarding status unknown" : "forwarding not reported");
		break;
	case OS_CHECK_PWDEN:
		put(&t, "%s", f->default_password == 1 ? "factory default password is enabled" :
		    f->default_password == 0 ? "factory default password not enabled" :
		    "factory default password not reported");
		break;
	case OS_CHECK_PCKGS:
		if (!f->have_packages)
			put(&t, "no installed packages received");
		else
			put(&t, "processed %u packages: %u blacklisted, %u outdated, %u ok, %u unknown",
			    pk->total, pk->blacklisted, pk->outdated, pk->ok, pk->unknown);
		break;
	default:
		break;
	}
}

/* The facts a check needed and did not get. */
static void
put_missing(struct text *t, const struct os_verdict *v, const struct os_facts *f)
{
	const char *sep = "";

	put(t, "missing facts:");
	if (v->product != OS_PRODUCT_ANY && (!f->have_product || !f->have_version)) {
		put(t, "%s operating system", sep);
		sep = ",";
	}
	if (f->forwarding != 0 && f->forwarding != 1) {
		put(t, "%s IPv4 forwarding", sep);
		sep = ",";
	}
	if (f->default_password != 0 && f->default_password != 1) {
		put(t, "%s factory default password", sep);
		sep = ",";
	}
	if (!f->have_packages)
		put(t, "%s installed packages", sep);
}

void
os_verdict_reason(const struct os_verdict *v, const struct os_facts *f, char *buf,
    size_t size)
{
	struct text t = {buf, size, 0};
	char product[2 * OS_TEXT_MAX];

	if (size)
		buf[0] = 0;
	if (v->findings.n == 0 && v->findings.dropped == 0) {
		if (v->complete)
			put(&t, "operating system is compliant");
		else
			put_missing(&t, v, f);
		return;
	}
	for (unsigned i = 0; i < v->findings.n; i++) {
		const struct os_finding *fi = &v->findings.item[i];
		const char *sep = i ? ", " : "";
		switch (fi->kind) {
		case OS_FINDING_PRODUCT:
			os_facts_product(f, product, sizeof(product));
			if (f->have_product)
				put(&t, "%sunknown product '%s'", sep, product);
			else
				put(&t, "%soperating system not reported", sep);
			break;
		case OS_FINDING_FORWARDING:
			put(&t, "%sIPv4 forwarding enabled", sep);
			break;
		case OS_FINDING_DEFAULT_PASSWORD:
			put(&t, "%sfactory default password enabled", sep);
			break;
		case OS_FINDING_BLACKLISTED:
			put(&t, "%sblacklisted package %s", sep, fi->name);
			break;
		case OS_FINDING_OUTDATED:
			put(&t, "%soutdated package %s %s (< %s)", sep, fi->name, fi->version,
			    fi->wanted);
			break;
		}
	}
	if (v->findings.dropped)
		put(&t, " and %u more", v->findings.dropped);
}

void
os_verdict_remediation(const struct os_verdict *v, const struct os_facts *f,
    const struct os_policy *p, char *buf, size_t size)
{
	struct text t = {buf, size, 0};
	char product[2 * OS_TEXT_MAX];

	if (size)
		buf[0] = 0;
	if (v->findings.n == 0 && v->findings.dropped == 0)
		return;
	for (unsigned i = 0; i < v->findings.n; i++) {
		const struct os_finding *fi = &v->findings.item[i];
		switch (fi->kind) {
		case OS_FINDING_PRODUCT:
			os_facts_product(f, product, sizeof(product));
			if (f->have_product)
				put(&t, "use an allowed operating system instead of '%s'\n", product);
			else
				put(&t, "report the operating system (product and version)\n");
			break;
		case OS_FINDING_FORWARDING:
			put(&t, "disable IPv4 forwarding\n");
			break;
		case OS_FINDING_DEFAULT_PASSWORD:
			put(&t, "change the factory default password\n");
			break;
		case OS_FINDING_BLACKLISTED:
			put(&t, "remove package %s\n", fi->name);
			break;
		case OS_FINDING_OUTDATED:
			put(&t, "upgrade %s to >= %s (installed: %s)\n", fi->name, fi->wanted,
			    fi->version);
			break;
		}
	}
	if (v->findings.dropped)
		put(&t, "and %u more packages to remove or upgrade\n", v->findings.dropped);
	if (p->remediation_uri[0])
		put(&t, "see %s\n", p->remediation_uri);
}
