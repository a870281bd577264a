/* tpm_conn.c - opening and starting the TPM (see tpm_conn.h).
 *
 * libtss2 logs its own failures to stderr (TSS2_LOG=all+none silences it);
 * the reasons that matter come back through tpm_error(). */
#include "tpm_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tss2/tss2_rc.h>
#include <tss2/tss2_sys.h>
#include <tss2/tss2_tctildr.h>

#define LOCALITY_MAX 4

int
tpm_fail(struct tpm *t, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(t->err, sizeof(t->err), fmt, ap);
	va_end(ap);
	return err;
}

int
tpm_fail_rc(struct tpm *t, const char *what, TSS2_RC rc)
{
	return tpm_fail(t, -EIO, "%s: %s", what, Tss2_RC_Decode(rc));
}

int
tpm_open(const char *tcti, struct tpm **ret, char *err, size_t err_size)
{
	struct tpm *t = calloc(1, sizeof(*t));
	TSS2_RC rc;

	if (!t)
		abort();
	if (!tcti)
		tcti = getenv(TPM_TCTI_ENV);
	rc = Tss2_TctiLdr_Initialize(tcti, &t->tcti);
	if (rc != TSS2_RC_SUCCESS) {
		if (err)
			snprintf(err, err_size, "TCTI \"%s\": %s", tcti ? tcti : "(libtss2 default)",
			    Tss2_RC_Decode(rc));
		free(t);
		return -EIO;
	}
	rc = Esys_Initialize(&t->esys, t->tcti, NULL);
	if (rc != TSS2_RC_SUCCESS) {
		if (err)
			snprintf(err, err_size, "ESAPI: %s", Tss2_RC_Decode(rc));
		Tss2_TctiLdr_Finalize(&t->tcti);
		free(t);
		return -EIO;
	}
	*ret = t;
	return 0;
}

void
tpm_close(struct tpm *t)
{
	if (!t)
		return;
	Esys_Finalize(&t->esys);
	Tss2_TctiLdr_Finalize(&t->tcti);
	free(t);
}

static int
set_locality(struct tpm *t, unsigned locality)
{
	TSS2_RC rc = Tss2_Tcti_SetLocality(t->tcti, (uint8_t)locality);

	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail(t, -EIO, "setting locality %u: %s", locality, Tss2_RC_Decode(rc));
	return 0;
}

int
tpm_startup(struct tpm *t, unsigned locality)
{
	TSS2_SYS_CONTEXT *sys;
	TSS2_RC rc;
	int err;

	if (locality > LOCALITY_MAX)
		return tpm_fail(t, TNC_EINVALID, "locality %u: TPM localities are 0 to 4", locality);
	/* Through SAPI: ESAPI's Esys_Startup turns "already started" into
	 * success (with a warning on stderr). */
	if ((rc = Esys_GetSysContext(t->esys, &sys)) != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "ESAPI", rc);
	/* Only a TPM2_Startup sent at locality 3 starts PCR 0 at 00..03 (TPM
	 * 2.0 Part 1, "Startup Locality"); the TCTI sets the locality. */
	if (locality != 0 && (err = set_locality(t, locality)) < 0)
		return err;
	rc = Tss2_Sys_Startup(sys, TPM2_SU_CLEAR);
	if (locality != 0 && (err = set_locality(t, 0)) < 0)
		return err;
	if (rc == TPM2_RC_INITIALIZE)
		return tpm_fail(t, TNC_ESTATE, "TPM2_Startup: the TPM was started already");
	if (rc != TSS2_RC_SUCCESS)
		return tpm_fail_rc(t, "TPM2_Startup", rc);
	return 0;
}

const char *
tpm_error(const struct tpm *t)
{
	return t->err;
}
