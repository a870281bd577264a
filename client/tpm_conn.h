/* tpm_conn.h - the endpoint's TPM 2.0 through libtss2's ESAPI, reached by a
 * TCTI configuration string ("device:/dev/tpmrm0",
 * "swtpm:host=127.0.0.1,port=2321", ...).
 *
 * The attestation IMC opens the TPM once and then loads its AIK
 * (tpm_aik.h), reads the TPM's version (tpm_info.h) and quotes PCRs
 * (tpm_quote.h); the tests also start a software TPM at a locality and
 * replay event logs into it (tpm_replay.h).  A struct tpm is used by one
 * thread.  Every failing call leaves its reason in tpm_error(): the TPM
 * command and libtss2's decoding of the response code.
 */
#ifndef TNC_TPM_CONN_H
#define TNC_TPM_CONN_H

#include <stddef.h>

#include "err.h"

/* Consulted when the caller names no TCTI. */
#define TPM_TCTI_ENV "TNC_TPM_TCTI"

struct tpm;

/* Opens the TPM named by tcti, else by $TNC_TPM_TCTI, else libtss2's default
 * (tpm2-abrmd, /dev/tpmrm0, /dev/tpm0, ...).  Sends no command.  On failure
 * returns -EIO and the reason in err (unless NULL). */
int tpm_open(const char *tcti, struct tpm **ret, char *err, size_t err_size) TNC_MUST_CHECK;
/* Closes the connection; free the AIK first (tpm_aik_free flushes it from
 * the TPM).  NULL is a no-op. */
void tpm_close(struct tpm *t);
/* TPM2_Startup(CLEAR) at locality 0..4, as a platform's firmware does: a
 * TPM started at locality 3 begins PCR 0 at 00..03.  Only for TPMs nothing
 * has started yet (a fresh software TPM); TNC_ESTATE when it was started
 * already, -EIO for other failures (a TCTI that cannot set the locality). */
int tpm_startup(struct tpm *t, unsigned locality) TNC_MUST_CHECK;
/* Why the last failing call on t failed; "" when none did. */
const char *tpm_error(const struct tpm *t);

#endif
