/* bench_sign.h - the private-key operation of a TLS handshake, timed on
 * its own: what the benchmarks subtract to show everything else. */
#ifndef TNC_BENCH_SIGN_H
#define TNC_BENCH_SIGN_H

#include <openssl/evp.h>

/* CPU microseconds (this thread) per signature as a TLS 1.3 server makes
 * it with key: RSA-PSS or ECDSA with SHA-256 over a CertificateVerify's
 * worth of bytes, context set up each time; n signatures.  -1 on error. */
double bench_sign_us(EVP_PKEY *key, int n);
/* The same for the PEM private key in path. */
double bench_sign_us_file(const char *path, int n);

#endif
