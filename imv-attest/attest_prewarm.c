/* attest_prewarm.c - OpenSSL's first use, before the sandbox (see
 * attest_prewarm.h): its configuration file and providers, its random
 * generators, and one D-H exchange of each kind (ECP and MODP), whose
 * first run fetches the key management and derivation implementations. */
#include "attest_prewarm.h"

#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <time.h>

#include "log.h"
#include "pts_dh.h"

static int
one_exchange(enum pts_dh_group group)
{
	struct pts_dh *a = pts_dh_new(group, (struct bytes){NULL, 0});
	struct pts_dh *b = pts_dh_new(group, (struct bytes){NULL, 0});
	int rc = a && b && pts_dh_set_peer(a, pts_dh_public(b)) == 0 ? 0 : TNC_EINVALID;

	pts_dh_free(a);
	pts_dh_free(b);
	return rc;
}

int
attest_prewarm(void)
{
	unsigned char seed[32];
	time_t now = time(NULL);
	struct tm tm;

	tzset(); /* certificate times are compared with gmtime_r */
	gmtime_r(&now, &tm);
	if (OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_LOAD_CRYPTO_STRINGS |
	    OPENSSL_INIT_ADD_ALL_CIPHERS | OPENSSL_INIT_ADD_ALL_DIGESTS, NULL) != 1 ||
	    !OSSL_PROVIDER_try_load(NULL, "default", 1) || RAND_bytes(seed, sizeof(seed)) != 1 ||
	    RAND_priv_bytes(seed, sizeof(seed)) != 1 || one_exchange(PTS_DH_ECP_256) ||
	    one_exchange(PTS_DH_MODP_1024)) {
		LOG_ERR(CFG, "[imv-attest] cannot initialise OpenSSL before the sandbox");
		ERR_clear_error();
		return TNC_EINVALID;
	}
	OPENSSL_cleanse(seed, sizeof(seed));
	return 0;
}
