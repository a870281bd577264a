/* recommendation.c - the final recommendation (see recommendation.h). */
#include "recommendation.h"

#include <string.h>

#include "ipc_msg.h"

/* Restrictiveness: higher is stricter. */
static int
strictness(uint8_t rec)
{
	switch (rec) {
	case IMV_REC_ALLOW: return 0;
	case IMV_REC_ISOLATE: return 1;
	default: return 2; /* no access */
	}
}

/* How bad a definite evaluation is.  "Don't know" is not one: an IMV that
 * was asked nothing (no workitems) says it, and the final evaluation is
 * the worst of the others' (the seeds: OS "don't know", SWIMA and
 * Attestation "compliant" give "compliant"); only when no IMV knows is it
 * "don't know". */
static int
badness(uint8_t eval)
{
	switch (eval) {
	case IMV_EVAL_DONT_KNOW: return -1;
	case IMV_EVAL_COMPLIANT: return 0;
	case IMV_EVAL_NONCOMPLIANT_MINOR: return 1;
	case IMV_EVAL_NONCOMPLIANT_MAJOR: return 2;
	default: return 3; /* error */
	}
}

int
rec_policy_parse(const char *name)
{
	if (!strcmp(name, "default"))
		return REC_POLICY_DEFAULT;
	if (!strcmp(name, "any"))
		return REC_POLICY_ANY;
	if (!strcmp(name, "all"))
		return REC_POLICY_ALL;
	return -1;
}

const char *
rec_policy_name(enum rec_policy p)
{
	return p == REC_POLICY_ANY ? "any" : p == REC_POLICY_ALL ? "all" : "default";
}

void
rec_combine(enum rec_policy p, const struct rec_input *in, size_t n, struct rec_input *ret)
{
	int given = 0, strictest = -1, loosest = 3, worst = -1;
	uint8_t worst_eval = IMV_EVAL_DONT_KNOW;
	int all_allow = n > 0;

	for (size_t i = 0; i < n; i++) {
		if (in[i].recommendation == IMV_REC_NONE) {
			all_allow = 0;
			continue;
		}
		given++;
		int s = strictness(in[i].recommendation);
		strictest = s > strictest ? s : strictest;
		loosest = s < loosest ? s : loosest;
		all_allow &= in[i].recommendation == IMV_REC_ALLOW;
		if (badness(in[i].evaluation) > worst) {
			worst = badness(in[i].evaluation);
			worst_eval = in[i].evaluation;
		}
	}
	static const uint8_t by_strictness[] = {IMV_REC_ALLOW, IMV_REC_ISOLATE, IMV_REC_NO_ACCESS};
	uint8_t rec;
	if (!given)
		rec = IMV_REC_NO_ACCESS;
	else if (p == REC_POLICY_ANY)
		rec = by_strictness[loosest];
	else if (p == REC_POLICY_ALL)
		rec = all_allow ? IMV_REC_ALLOW : (given < (int)n ? IMV_REC_NO_ACCESS : by_strictness[strictest]);
	else
		rec = by_strictness[strictest];
	ret->recommendation = rec;
	ret->evaluation = given ? worst_eval : IMV_EVAL_DONT_KNOW;
}
