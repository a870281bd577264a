/* quote_rebuild.h - the signed quote structure rebuilt from what a PTS
 * Simple Evidence Final carries, so that one verifier (quote_verify.h)
 * serves every encoding.
 *
 * TCG Attestation PTS Protocol: Binding to TNC IF-M 1.0, 3.15.2: for a
 * TPM 1.2 the attribute carries the TPM_PCR_COMPOSITE and the signature,
 * not the TPM_QUOTE_INFO(2) the TPM signed; the verifier builds it from
 * the composite's hash and its own nonce.  strongSwan's TPM 2.0 variant
 * (flag 0x10) carries the TPMS_ATTEST field by field (qualified signer,
 * clock info, firmware version, PCR selection, PCR digest: no magic, type
 * or extraData) and the bare signature (RSA octets, or ECDSA r || s).
 */
#ifndef TNC_QUOTE_REBUILD_H
#define TNC_QUOTE_REBUILD_H

#include "quote.h"

/* The TPMS_ATTEST fields of strongSwan's Simple Evidence Final, flag 0x10. */
struct quote_tpm2_fields {
	struct bytes qualified_signer; /* TPM2B_NAME buffer */
	struct bytes clock_info;       /* TPMS_CLOCK_INFO, 17 octets */
	struct bytes firmware_version; /* 8 octets (its "TPM Version Info") */
	struct bytes pcr_select;       /* TPML_PCR_SELECTION as the TPM marshals it */
	struct bytes pcr_digest;       /* pcrDigest (its "TPM PCR Composite") */
};

/* Appends the TPMS_ATTEST of a TPM2_Quote: TPM2_GENERATED_VALUE,
 * TPM2_ST_ATTEST_QUOTE, the fields, and nonce as extraData.  Refuses (code
 * QUOTE_MALFORMED or QUOTE_PCR_SELECTION) fields of a wrong size, writing
 * nothing. */
int quote_rebuild_tpm2(const struct quote_tpm2_fields *f, struct bytes nonce,
    struct wire_writer *w, struct parse_error *e) TNC_MUST_CHECK;

/* Appends a TPM_QUOTE_INFO (version 1: TPM_Quote) or, for version 2
 * (TPM_Quote2), a TPM_QUOTE_INFO2 over sel with locality_at_release and
 * version_info (a TPM_CAP_VERSION_INFO, or empty) appended.  nonce and
 * composite_hash are 20 octets each. */
int quote_rebuild_tpm12(int version, struct bytes composite_hash, struct bytes nonce,
    const struct tpm12_pcr_selection *sel, uint8_t locality_at_release,
    struct bytes version_info, struct wire_writer *w, struct parse_error *e) TNC_MUST_CHECK;

/* A bare signature as a struct tpm2_signature: sig_alg TPM2_ALG_RSASSA or
 * _RSAPSS takes sig as the RSA signature; TPM2_ALG_ECDSA splits it into r
 * and s halves.  hash is the scheme's hash (the attribute's Composite Hash
 * Algorithm).  ret points into sig. */
int tpm2_signature_from_bare(uint16_t sig_alg, uint16_t hash, struct bytes sig,
    struct tpm2_signature *ret, struct parse_error *e) TNC_MUST_CHECK;

#endif
