/* os_verdict.h - the OS IMV's judgement: a pure function over what the
 * endpoint reported (struct os_facts) and the workitems tnc-policy gave the
 * connection (struct os_items), and the texts of its result: one result per
 * workitem ("IMV 1 handled PCKGS workitem 1: isolate - ..."), the
 * recommendation's reason and the IETF Remediation Instructions (RFC 5792
 * 4.2.10), each naming the package or setting that failed.
 *
 * Callers: os_state.c once the facts the workitems need are in (or the
 * client stopped answering, or tnccs solicits).  No I/O, no logging, no
 * globals.
 */
#ifndef TNC_OS_VERDICT_H
#define TNC_OS_VERDICT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imv_endpoint.h"
#include "imv_workitems.h"
#include "ipc_msg.h"
#include "wire.h"

#define OS_FACT_UNSET (-1)
/* Product name and version as kept; String Version has an 8-bit length. */
#define OS_TEXT_MAX IMV_ENDPOINT_TEXT_MAX
#define OS_NAME_MAX 128    /* a package name or version as shown (cut to fit) */
#define OS_FINDINGS_MAX 16 /* packages kept by name per kind; the rest are counted */
#define OS_RESULT_MAX 256  /* a workitem's result text */

/* A package's verdict as tnc-policy gives it (policy/pkg_verdict.h, the
 * values of policy-package-verdicts). */
enum os_pkg_verdict {
	OS_PKG_UNKNOWN,     /* the database has no version of it for the product */
	OS_PKG_OK,
	OS_PKG_OUTDATED,    /* a newer release exists, none of them a security fix */
	OS_PKG_VULNERABLE,  /* a newer release fixes a security problem */
	OS_PKG_BLACKLISTED,
	OS_PKG_VERDICTS,
};

struct os_package_name {
	char name[OS_NAME_MAX], version[OS_NAME_MAX];
};

/* The first packages of one verdict by name, the rest counted. */
struct os_package_names {
	struct os_package_name item[OS_FINDINGS_MAX];
	unsigned n;
};

/* Installed packages with their verdicts, over every Installed Packages
 * attribute of the handshake. */
struct os_packages {
	uint32_t total; /* judged */
	uint32_t count[OS_PKG_VERDICTS];
	/* named: blacklisted, vulnerable, outdated (PCKGS), unknown (UNSRC) */
	struct os_package_names named[OS_PKG_VERDICTS];
	bool lookup_failed; /* tnc-policy could not judge some of them */
	char failure[128];
};

/* Counts one package with its verdict (names kept while there is room). */
void os_packages_add(struct os_packages *p, enum os_pkg_verdict v, struct bytes name,
    struct bytes version);

/* What the endpoint reported; strings are printable ASCII (the caller
 * replaces anything else).  Start from OS_FACTS_INIT. */
struct os_facts {
	bool have_product;    /* IETF Product Information */
	bool product_cut;     /* its name did not fit: not usable */
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

#define OS_FACTS_INIT {.forwarding = OS_FACT_UNSET, .default_password = OS_FACT_UNSET}

/* The OS IMV's name for imv_text_copy() (imv_endpoint.h): a view as a C
 * string of printable ASCII, cut to fit size (> 0); true when all of it
 * fit. */
static inline bool
os_copy_text(char *dst, size_t size, struct bytes b)
{
	return imv_text_copy(dst, size, b);
}

/* Attributes the endpoint sent (bits of 1 << enum os_have). */
enum os_have {
	OS_HAVE_PRODUCT,
	OS_HAVE_STRING_VERSION,
	OS_HAVE_NUMERIC_VERSION,
	OS_HAVE_OP_STATUS,
	OS_HAVE_FORWARDING,
	OS_HAVE_DEFAULT_PASSWORD,
	OS_HAVE_DEVICE_ID,
	OS_HAVE_PACKAGES,
};

/* The workitem types this IMV judges (tnc-policy's ps_policy_type_imv). */
enum os_item_type {
	OS_ITEM_PCKGS, /* installed packages: none blacklisted or vulnerable */
	OS_ITEM_UNSRC, /* installed packages: none unknown to the database */
	OS_ITEM_FWDEN, /* IPv4 forwarding disabled */
	OS_ITEM_PWDEN, /* factory default password not enabled */
	OS_ITEM_OTHER, /* not this IMV's: no result */
};

/* The names of enum os_item_type for imv_workitems_read(). */
extern const struct imv_workitem_types os_item_types;

/* Each workitem's type is an enum os_item_type. */
struct os_items {
	struct imv_workitem item[IPC_POLICY_WORKITEMS_MAX];
	unsigned n;
};

/* The workitems of a policy-workitems answer (its status 0). */
void os_items_from_msg(const struct ipc_policy_workitems *m, struct os_items *items);
/* The facts (bits of 1 << enum os_have) the workitems need. */
unsigned os_items_needs(const struct os_items *items);

enum os_outcome {
	OS_PASS,     /* allow */
	OS_FAIL,     /* the policy's rec_fail */
	OS_NORESULT, /* its fact is missing: the policy's rec_noresult */
};

struct os_result {
	enum os_outcome outcome;
	enum imv_recommendation rec;
	char text[OS_RESULT_MAX];
	char cause[96]; /* no result: why, in short, for the reason */
};

struct os_verdict {
	enum imv_recommendation rec; /* the worst result; allow without workitems */
	enum imv_evaluation eval;    /* compliant, non-compliant major, don't know */
	struct os_result result[IPC_POLICY_WORKITEMS_MAX]; /* per workitem */
};

/* The judgement, per workitem:
 * PCKGS: a blacklisted or vulnerable package: fail; no Installed Packages,
 *   a failed lookup, or packages of which the database knows none (an
 *   unknown product): no result; else pass.
 * UNSRC: a package unknown to the database: fail; no Installed Packages or
 *   a failed lookup: no result; else pass.
 * FWDEN: enabled: fail; disabled: pass; unknown or not reported: no result.
 * PWDEN: enabled: fail; not enabled: pass; not reported: no result.
 * Recommendation: the worst (no access > isolate > allow).  Evaluation:
 * non-compliant major with a failure, else don't know with a missing
 * result (or no workitems), else compliant. */
void os_verdict_judge(const struct os_items *items, const struct os_facts *f,
    struct os_verdict *v);
/* One short line naming what failed, for the recommendation's reason. */
void os_verdict_reason(const struct os_items *items, const struct os_verdict *v,
    const struct os_facts *f, char *buf, size_t size);
/* Remediation instructions: one line per failure ("remove package
 * telnetd"), then "see URI" if uri is not empty.  Empty when nothing
 * failed. */
void os_verdict_remediation(const struct os_items *items, const struct os_verdict *v,
    const struct os_facts *f, const char *uri, char *buf, size_t size);

#endif
