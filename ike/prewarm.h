/* prewarm.h - load, before sandbox_enter(), everything glibc and OpenSSL
 * would otherwise load lazily on first use inside the sandbox, where the
 * file access or syscall it needs kills the process (SIGSYS). */
#ifndef TNC_PREWARM_H
#define TNC_PREWARM_H

#include <openssl/ssl.h>

#include "err.h"

/* Before the TLS context exists: libc state, OpenSSL's configuration,
 * providers, error strings and random generators. */
int prewarm_libraries(void) TNC_MUST_CHECK;
/* With the finished server context: one complete verification of the
 * configured certificate chain, and one against the client CA store. */
void prewarm_verification(SSL_CTX *ctx);

#endif
