/* tls_context.h - the PT-TLS server's TLS context (OpenSSL), set up before
 * the sandbox: certificates are read, or an ephemeral one is made, while
 * files can still be opened. */
#ifndef TNC_TLS_CONTEXT_H
#define TNC_TLS_CONTEXT_H

#include <openssl/ssl.h>
#include <sys/types.h>

#include "err.h"

struct tls_settings {
	const char *cert, *key; /* PEM files; both empty: ephemeral self-signed */
	const char *ca;         /* PEM; set: clients must present a certificate */
	const char *state_dir;  /* where the ephemeral certificate is published */
	uid_t uid;              /* ... as this uid and gid: tnc-ike's own */
	gid_t gid;
};

int tls_context_new(const struct tls_settings *s, SSL_CTX **ret) TNC_MUST_CHECK;

#endif
