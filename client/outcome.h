/* outcome.h - what the server told the client about its assessment, kept
 * for the summary main() prints: PB-Assessment-Result,
 * PB-Access-Recommendation, PB-Reason-Strings, PB-Remediation-Parameters
 * (RFC 5793 4.6-4.8, 4.11) and the IMVs' IETF Assessment Result and
 * Remediation Instructions attributes (RFC 5792 4.2.9-4.2.10).
 */
#ifndef TNC_OUTCOME_H
#define TNC_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "wire.h"

/* Exit codes of tncclient. */
enum outcome_exit {
	OUTCOME_EXIT_ALLOW = 0,
	OUTCOME_EXIT_ISOLATE = 2,
	OUTCOME_EXIT_NO_ACCESS = 3,
	OUTCOME_EXIT_ERROR = 4,
	OUTCOME_EXIT_AUTH = 5, /* SASL: refused, or required and not possible */
	OUTCOME_EXIT_USAGE = 64,
};

enum outcome_kind {
	OUTCOME_REASON,            /* PB-Reason-String */
	OUTCOME_REMEDIATION_URI,   /* PB-Remediation-Parameters, IETF URI */
	OUTCOME_REMEDIATION_TEXT,  /* PB-Remediation-Parameters, IETF String */
	OUTCOME_REMEDIATION_OTHER, /* PB-Remediation-Parameters, other type: text
	                            * describes it */
	OUTCOME_IMV_ASSESSMENT,    /* IETF Assessment Result attribute */
	OUTCOME_IMV_REMEDIATION,   /* IETF Remediation Instructions attribute */
};

struct outcome_item {
	enum outcome_kind kind;
	uint16_t imv;   /* Posterior Validator ID of the PA message (IMV kinds) */
	uint32_t value; /* assessment result (OUTCOME_IMV_ASSESSMENT) */
	char *text;     /* NUL-terminated copy, may be empty */
	char *lang;
};

struct outcome {
	bool have_assessment, have_recommendation;
	uint32_t assessment;
	uint16_t recommendation;
	struct outcome_item *items;
	size_t count, cap;
};

void outcome_init(struct outcome *o);
void outcome_clear(struct outcome *o);
/* Forgets everything (a handshake retry starts the assessment over). */
void outcome_reset(struct outcome *o);
/* Appends an item; text and lang are copied. */
void outcome_add(struct outcome *o, enum outcome_kind kind, uint16_t imv, uint32_t value,
    struct bytes text, struct bytes lang);
/* OUTCOME_EXIT_ALLOW, _ISOLATE or _NO_ACCESS; fails closed (no access)
 * when the RESULT batch carried no PB-Access-Recommendation. */
int outcome_exit_code(const struct outcome *o);
/* The summary, one line per fact; the server's texts are kept on their
 * line (line breaks as blanks, other control characters as '?'). */
void outcome_print(const struct outcome *o, FILE *f);

#endif
