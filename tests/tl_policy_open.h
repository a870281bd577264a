/* tl_policy_open.h - opening a test's policy database (tl_policy_db.h)
 * through the store, whichever engine it is on. */
#ifndef TNC_TL_POLICY_OPEN_H
#define TNC_TL_POLICY_OPEN_H

#include "policy_store.h"

/* ps_target_make(db, pwfile; "" for none) and policy_store_open_target():
 * the first failure's code, with the reason in err. */
int tl_policy_open(const char *db, const char *pwfile, unsigned flags, struct policy_store **ret,
    char *err, size_t errlen);

#endif
