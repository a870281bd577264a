/* os_verdict.h - the OS IMV's judgement: a pure function over what the
 * endpoint reported (struct os_facts) and the policy (os_policy.h), and the
 * texts of its result: per-check log lines, the recommendation's reason and
 * the IETF Remediation Instructions (RFC 5792 4.2.10).
 *
 * Callers: os_state.c once the installed packages are in, when the client
 * stopped answering, or when tnccs solicits a recommendation.  No I/O, no
 * logging, no globals.
 */
#ifndef TNC_OS_VERDICT_H
#define TNC_OS_VERDICT_H

#include "os_policy.h"

#define OS_FACT_UNSET (-1)
/* Product name and version as kept; String Version has an 8-bit length. */
#define OS_TEXT_MAX 256

/* What the endpoint reported; strings are printable ASCII (the caller
 * replaces anything else).  Start from OS_FACTS_INIT. */
struct os_facts {
	bool have_product;    /* IETF Product Information */
	bool product_cut;     /* its name did not fit: it matches no entry */
	char product[OS_TEXT_MAX];
	bool have_version;    /* IETF String Version */
	char version[OS_TEXT_MAX];
	int forwarding;       /* OS_FACT_UNSET, or 0 disabled, 1 enabled, 2 unknown */
	int default_password; /* OS_FACT_UNSET, or 0 not enabled, 1 enabled */
	bool have_packages;   /* an IETF Installed Packages attribute was processed */
	/* ITA-HSR Device ID as sent, when it is 1..255 printable bytes (what
	 * tnc-policy records); "" otherwise */
	char device_id[OS_TEXT_MAX];
	struct os_packages packages;
};

/* "name version" as the policy lists products and tnc-policy records them. */
void os_facts_product(const struct os_facts *f, char *buf, size_t size);

#define OS_FACTS_INIT {.forwarding = OS_FACT_UNSET, .default_password = OS_FACT_UNSET}

/* The checks, named in the log like strongSwan's workitems. */
enum os_check {
	OS_CHECK_PRODUCT, /* allowed_products, unknown_product */
	OS_CHECK_FWDEN,   /* IPv4 forwarding */
	OS_CHECK_PWDEN,   /* factory default password */
	OS_CHECK_PCKGS,   /* blacklisted_packages, min_package_versions */
	OS_CHECK_COUNT,
};

enum os_product_status {
	OS_PRODUCT_ANY,     /* allowed_products is empty */
	OS_PRODUCT_ALLOWED, /* in allowed_products */
	OS_PRODUCT_UNKNOWN, /* not in it, or not reported */
};

struct os_verdict {
	enum imv_recommendation rec;
	enum imv_evaluation eval;
	/* Per check: ALLOW, ISOLATE, NO_ACCESS, or NONE when its fact is missing. */
	enum imv_recommendation check[OS_CHECK_COUNT];
	enum os_product_status product;
	bool complete; /* every fact a check needs was reported */
	struct os_findings findings; /* product, forwarding, password, then packages */
};

/* The judgement.
 * PRODUCT: with an empty allowed_products, allow; else the product ("name
 *   version") in the list: allow; not in it, or not reported: the
 *   unknown_product action (allow, isolate, block = no access).
 * FWDEN: enabled: isolate; disabled: allow; unknown or not reported: none.
 * PWDEN: enabled: isolate; not enabled: allow; not reported: none.
 * PCKGS: any blacklisted or outdated package: isolate; else allow; no
 *   Installed Packages: none.
 * Recommendation: the worst check (no access > isolate > allow; none adds
 * nothing).  Evaluation: non-compliant minor when the only findings are
 * outdated packages, major for any other finding, else compliant when
 * every check had its facts, else don't know. */
void os_verdict_judge(const struct os_policy *p, const struct os_facts *f,
    struct os_verdict *v);

/* "PRODUCT", "FWDEN", "PWDEN", "PCKGS". */
const char *os_verdict_check_name(enum os_check c);
/* One check's result for the log: "IPv4 forwarding is enabled". */
void os_verdict_check_text(const struct os_verdict *v, const struct os_facts *f,
    enum os_check c, char *buf, size_t size);
/* One short line naming the findings, for the recommendation's reason. */
void os_verdict_reason(const struct os_verdict *v, const struct os_facts *f, char *buf,
    size_t size);
/* Remediation instructions: one line per finding ("remove package
 * telnetd"), then the remediation URI if there is one.  Empty when the
 * verdict has no finding. */
void os_verdict_remediation(const struct os_verdict *v, const struct os_facts *f,
    const struct os_policy *p, char *buf, size_t size);

#endif
