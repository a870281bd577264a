/* tpm_int.h - what the tpm_*.c files share: an open TPM's ESAPI context
 * and last error text, and a loaded AIK.  Not for other callers. */
#ifndef TNC_TPM_INT_H
#define TNC_TPM_INT_H

#include <stdarg.h>
#include <tss2/tss2_esys.h>

#include "tpm_aik.h"
#include "tpm_conn.h"

struct tpm {
	TSS2_TCTI_CONTEXT *tcti;
	ESYS_CONTEXT *esys;
	char err[256];
};

struct tpm_aik {
	struct tpm *t;
	ESYS_TR handle; /* loaded in the TPM */
	enum tpm_aik_type type;
	uint8_t *der; /* SubjectPublicKeyInfo (OPENSSL_malloc'd) */
	size_t der_len;
	uint8_t keyid[TPM_AIK_KEYID_SIZE];
};

/* Records "what: libtss2's text for rc" as t's error; returns -EIO. */
int tpm_fail_rc(struct tpm *t, const char *what, TSS2_RC rc);
/* Records a formatted reason as t's error; returns err. */
int tpm_fail(struct tpm *t, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
