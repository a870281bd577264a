/* ps_names.c - policy types, recommendations and evaluations as the
 * database and tncadm spell them (see policy_store.h). */
#include <string.h>

#include "policy_store.h"

static const char *const type_names[] = {
#define PS_POLICY_TYPE_NAME(name, text) #name,
    PS_POLICY_TYPE_MAP(PS_POLICY_TYPE_NAME)
#undef PS_POLICY_TYPE_NAME
};

static const char *const type_texts[] = {
#define PS_POLICY_TYPE_TEXT(name, text) text,
    PS_POLICY_TYPE_MAP(PS_POLICY_TYPE_TEXT)
#undef PS_POLICY_TYPE_TEXT
};

/* Indexed by the IF-IMV values of enum imv_recommendation / imv_evaluation. */
static const char *const rec_names[] = {"allow", "no_access", "isolate", "none"};
static const char *const eval_names[] = {"compliant", "noncompliant_minor", "noncompliant_major",
    "error", "dont_know"};

unsigned
ps_policy_type_imv(enum ps_policy_type t)
{
	switch (t) {
	case PS_POLICY_PCKGS:
	case PS_POLICY_UNSRC:
	case PS_POLICY_FWDEN:
	case PS_POLICY_PWDEN:
		return 1;
	case PS_POLICY_SWIDT:
	case PS_POLICY_SWIDI:
		return 2;
	default:
		return 3;
	}
}

static int
parse(const char *const *names, int n, const char *name)
{
	for (int i = 0; name && i < n; i++)
		if (!strcmp(names[i], name))
			return i;
	return -1;
}

const char *
ps_policy_type_name(enum ps_policy_type t)
{
	return (unsigned)t < PS_POLICY_TYPE_COUNT ? type_names[t] : "?";
}

const char *
ps_policy_type_text(enum ps_policy_type t)
{
	return (unsigned)t < PS_POLICY_TYPE_COUNT ? type_texts[t] : "?";
}

int
ps_policy_type_parse(const char *name)
{
	return parse(type_names, PS_POLICY_TYPE_COUNT, name);
}

const char *
ps_rec_name(enum imv_recommendation r)
{
	return (unsigned)r <= IMV_REC_NONE ? rec_names[r] : "?";
}

int
ps_rec_parse(const char *name)
{
	return parse(rec_names, IMV_REC_NONE + 1, name);
}

const char *
ps_eval_name(enum imv_evaluation e)
{
	return (unsigned)e <= IMV_EVAL_DONT_KNOW ? eval_names[e] : "?";
}

int
ps_eval_parse(const char *name)
{
	return parse(eval_names, IMV_EVAL_DONT_KNOW + 1, name);
}
