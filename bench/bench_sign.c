/* bench_sign.c - one handshake signature, timed (see bench_sign.h). */
#include "bench_sign.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <stdio.h>
#include <time.h>

static double
thread_cpu_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int
sign_once(EVP_PKEY *key)
{
	unsigned char msg[130] = {0}, sig[1024]; /* TLS 1.3: 64 spaces, context, hash */
	size_t len = sizeof(sig);
	EVP_PKEY_CTX *pctx = NULL;
	EVP_MD_CTX *md = EVP_MD_CTX_new();
	int ok = md && EVP_DigestSignInit_ex(md, &pctx, "SHA256", NULL, NULL, key, NULL) == 1 &&
	    (!EVP_PKEY_is_a(key, "RSA") ||
	    (EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
	    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST) == 1)) &&
	    EVP_DigestSign(md, sig, &len, msg, sizeof(msg)) == 1;
	EVP_MD_CTX_free(md);
	return ok ? 0 : -1;
}

double
bench_sign_us(EVP_PKEY *key, int n)
{
	if (n < 1 || sign_once(key) != 0) /* the first one sets up caches */
		return -1;
	double t0 = thread_cpu_us();
	for (int i = 0; i < n; i++)
		if (sign_once(key) != 0)
			return -1;
	return (thread_cpu_us() - t0) / n;
}

double
bench_sign_us_file(const char *path, int n)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	EVP_PKEY *key = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!key)
		return -1;
	double us = bench_sign_us(key, n);
	EVP_PKEY_free(key);
	return us;
}
