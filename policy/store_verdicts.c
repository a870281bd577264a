/* store_verdicts.c - installed versions of one product's packages judged
 * against the database in one call (see policy_store.h). */
#include <string.h>

#include "pkg_verdict.h"
#include "store_int.h"

int
policy_store_package_verdicts(struct policy_store *s, const char *product,
    const char *const *names, const char *const *versions, size_t n, uint8_t *ret)
{
	int64_t product_id;
	struct ps_package_set *set;
	int err = store_check_name(s, "product", product);
	if (!err)
		err = store_id(s, STORE_PRODUCT, product, &product_id);
	if (err == TNC_ENOTFOUND) { /* a product the database has no packages of */
		memset(ret, PKG_UNKNOWN, n);
		return 0;
	}
	if (!err)
		err = policy_store_package_versions(s, product_id, names, n, &set);
	if (err)
		return err;
	for (size_t i = 0; i < n; i++)
		ret[i] = (uint8_t)pkg_verdict(&set->pkgs[i], versions[i]);
	policy_store_package_set_free(set);
	return 0;
}
