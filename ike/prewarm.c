/* prewarm.c - sandbox pre-warming for tnc-ike (see prewarm.h).
 *
 * Each step names what it loads while files and every syscall are still
 * there:
 *  - glibc reads the time zone (/etc/localtime) on the first localtime,
 *    gmtime or mktime: OpenSSL compares certificate times with gmtime_r;
 *  - glibc's qsort asks sysinfo() for the memory size the first time it
 *    sorts more than 1 KiB (OpenSSL sorts stacks with it);
 *  - OpenSSL reads its configuration file, activates providers, loads
 *    error strings and seeds its random generators on first use;
 *  - an X.509 verification fetches digest and signature implementations,
 *    caches extensions and compares times: one real verification of the
 *    server's own chain walks that path once.
 */
#include "prewarm.h"

#include <openssl/err.h>
#include <openssl/provider.h>
#include <openssl/rand.h>
#include <openssl/x509_vfy.h>
#include <openssl/x509v3.h>
#include <stdlib.h>
#include <time.h>

#include "log.h"

static int
cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

static void
prewarm_libc(void)
{
	time_t now = time(NULL);
	struct tm tm;
	int sample[512]; /* above qsort's 1 KiB on-stack limit */

	tzset();
	localtime_r(&now, &tm);
	gmtime_r(&now, &tm);
	for (size_t i = 0; i < sizeof(sample) / sizeof(sample[0]); i++)
		sample[i] = (int)(i * 7919 % 512);
	qsort(sample, sizeof(sample) / sizeof(sample[0]), sizeof(sample[0]), cmp_int);
}

int
prewarm_libraries(void)
{
	unsigned char seed[32];

	prewarm_libc();
	if (OPENSSL_init_ssl(OPENSSL_INIT_LOAD_CONFIG | OPENSSL_INIT_LOAD_SSL_STRINGS |
	    OPENSSL_INIT_LOAD_CRYPTO_STRINGS | OPENSSL_INIT_ADD_ALL_CIPHERS |
	    OPENSSL_INIT_ADD_ALL_DIGESTS, NULL) != 1 ||
	    !OSSL_PROVIDER_try_load(NULL, "default", 1) ||
	    RAND_bytes(seed, sizeof(seed)) != 1 || RAND_priv_bytes(seed, sizeof(seed)) != 1) {
		LOG_ERR(TLS, "cannot initialise OpenSSL before the sandbox");
		ERR_clear_error();
		return TNC_EINVALID;
	}
	OPENSSL_cleanse(seed, sizeof(seed));
	return 0;
}

/* Verifies leaf with the untrusted chain against store; returns the
 * X509_V_* result. */
static int
verify(X509_STORE *store, X509 *leaf, STACK_OF(X509) *chain)
{
	X509_STORE_CTX *vc = X509_STORE_CTX_new();
	int rc = X509_V_ERR_UNSPECIFIED;
	if (vc && X509_STORE_CTX_init(vc, store, leaf, chain) == 1) {
		X509_STORE_CTX_set_purpose(vc, X509_PURPOSE_SSL_SERVER);
		rc = X509_verify_cert(vc) == 1 ? X509_V_OK : X509_STORE_CTX_get_error(vc);
	}
	X509_STORE_CTX_free(vc);
	return rc;
}

void
prewarm_verification(SSL_CTX *ctx)
{
	X509 *leaf = SSL_CTX_get0_certificate(ctx);
	STACK_OF(X509) *chain = NULL;
	if (!leaf)
		return;
	SSL_CTX_get0_chain_certs(ctx, &chain);
	/* the top of the configured chain as the anchor: the verification runs
	 * all the way, with signatures and times */
	X509 *top = chain && sk_X509_num(chain) > 0 ? sk_X509_value(chain, sk_X509_num(chain) - 1) :
	    leaf;
	X509_STORE *own = X509_STORE_new();
	if (!own || X509_STORE_add_cert(own, top) != 1)
		abort();
	X509_STORE_set_flags(own, X509_V_FLAG_PARTIAL_CHAIN);
	int rc = verify(own, leaf, chain);
	X509_STORE_free(own);
	if (rc != X509_V_OK)
		LOG(TLS, 1, "the server certificate chain does not verify: %s",
		    X509_verify_cert_error_string(rc));
	/* the client CA store (tls_ca) as client certificates will meet it */
	(void)verify(SSL_CTX_get_cert_store(ctx), leaf, chain);
	(void)X509_cmp_current_time(X509_get0_notAfter(leaf));
	ERR_clear_error();
}
