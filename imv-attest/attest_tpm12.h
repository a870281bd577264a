/* attest_tpm12.h - a TPM 1.2 endpoint in the Attestation IMV: its TPM
 * Version Information (a TPM_CAP_VERSION_INFO, TCG PTS IF-M binding 3.11,
 * kept because a TPM_Quote2 may sign it) and its Simple Evidence Final
 * (3.15.2, flags 0x40 TPM_QUOTE_INFO, 0x80 TPM_QUOTE_INFO2, 0xc0 the
 * latter with the version information), verified against the emulated
 * SHA-1 PCRs and the D-H nonce.
 *
 * The attribute does not carry the quote info the TPM signed: it is
 * rebuilt (attest/quote_rebuild.h) from the composite, the IMV's own
 * nonce (20 octets: the D-H hash must be SHA-1) and, for TPM_Quote2, the
 * PCR selection and locality 0 (TPM_LOC_ZERO, where an operating system's
 * TSS quotes).  The composite is a TPM_PCR_COMPOSITE (TCG), whose values
 * are compared PCR by PCR, or its SHA-1 digest alone (strongSwan), whose
 * selection is then that of the PCRs the evidence extended (select octets
 * up to the highest one, or three).  PCRs no evidence extended count at
 * their TPM 1.2 reset value: zero, all ones for PCRs 17-22.  Pure: no
 * I/O, no logging.
 */
#ifndef TNC_ATTEST_TPM12_H
#define TNC_ATTEST_TPM12_H

#include <openssl/evp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attest_evidence.h"
#include "pa_pts_final.h"

#define ATTEST_TPM12_VERSION_MAX 128 /* a TPM_CAP_VERSION_INFO with its vendor data */

struct attest_tpm12 {
	bool present; /* the endpoint reported a TPM 1.2 */
	uint8_t version_info[ATTEST_TPM12_VERSION_MAX];
	size_t version_info_len;
};

/* The TPM Version Information value of a TPM 1.2 (tag 0x0030), kept;
 * TNC_ETOOLONG beyond ATTEST_TPM12_VERSION_MAX octets. */
int attest_tpm12_version(struct attest_tpm12 *t, struct bytes value) TNC_MUST_CHECK;

/* Simple Evidence Final with a TPM 1.2 quote: verified with the AIK
 * against ev's SHA-1 PCRs and nonce.  Sets ev->quote_done, quote_ok and,
 * when it fails, ev->failed and the reason. */
void attest_tpm12_final(struct attest_evidence *ev, const struct attest_tpm12 *t,
    const struct pa_pts_final *f, EVP_PKEY *aik, struct bytes nonce);

/* "TPM_Quote", "TPM_Quote2" or "TPM_Quote2 with version information". */
const char *attest_tpm12_quote_name(uint8_t mode);

#endif
