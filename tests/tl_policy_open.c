/* tl_policy_open.c - a test's policy database through the store (see
 * tl_policy_open.h). */
#include "tl_policy_open.h"

int
tl_policy_open(const char *db, const char *pwfile, unsigned flags, struct policy_store **ret,
    char *err, size_t errlen)
{
	struct ps_target *t;
	*ret = NULL;
	int code = ps_target_make(db, pwfile[0] ? pwfile : NULL, &t, err, errlen);
	if (code)
		return code;
	code = policy_store_open_target(t, flags, ret, err, errlen);
	ps_target_free(t);
	return code;
}
