/* recommendation.h - combining the IMVs' recommendations into the final
 * one (pure).  Policies, as the config documents them:
 *   default  the most restrictive recommendation given (no access > isolate
 *            > allow); IMVs that gave none are left out; none at all: no access
 *   any      the most permissive recommendation given (allow > isolate >
 *            no access); none at all: no access
 *   all      allow only if every IMV recommends allow; otherwise the most
 *            restrictive given; an IMV without one counts as no access
 * The evaluation is the worst one given (don't know when there is none).
 */
#ifndef TNC_RECOMMENDATION_H
#define TNC_RECOMMENDATION_H

#include <stddef.h>
#include <stdint.h>

enum rec_policy { REC_POLICY_DEFAULT, REC_POLICY_ANY, REC_POLICY_ALL };

struct rec_input {
	uint8_t recommendation; /* enum imv_recommendation */
	uint8_t evaluation;     /* enum imv_evaluation */
};

/* -1 if the name is not a policy. */
int rec_policy_parse(const char *name);
const char *rec_policy_name(enum rec_policy p);
void rec_combine(enum rec_policy p, const struct rec_input *in, size_t n,
    struct rec_input *ret);

#endif
