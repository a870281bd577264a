/* tpm_aik.h - the attestation identity key (AIK): a restricted signing key
 * of the TPM, which signs the IMC's quotes (tpm_quote.h).
 *
 * Made under an SRK-like ECC primary of the endorsement hierarchy (there the
 * TPM signs its clock and firmware version in clear, as in the seeds' quote;
 * an owner-hierarchy key gets them obfuscated) and kept in the caller's
 * state directory as the TPM wrapped it: aik.pub and aik.priv (the layout
 * tpm2_create -u/-r writes), and aik.pem for the operator to register.  The
 * server knows the key by its key id, SHA-1 of the DER SubjectPublicKeyInfo
 * ("verifying AIK with keyid ..."; the ITA-HSR Device ID).  Needs the
 * hierarchy's empty authValue (the default).  No libtss2 types in the tpm_*.h
 * headers: attest/quote.h defines TPM2_ALG_* names as libtss2 does.
 */
#ifndef TNC_TPM_AIK_H
#define TNC_TPM_AIK_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tpm_conn.h"

#define TPM_AIK_KEYID_SIZE 20

enum tpm_aik_type {
	TPM_AIK_ECC_P256, /* ECDSA with SHA-256 */
	TPM_AIK_RSA_2048, /* RSASSA-PKCS1-v1_5 with SHA-256 */
};

struct tpm_aik;

/* Loads the AIK kept in state_dir into the TPM, or, when state_dir holds
 * none, creates one of type (the type of an existing AIK wins) and writes
 * aik.pub, aik.priv and aik.pem.  An AIK that no longer loads (the TPM was
 * cleared, or it is another TPM) is an error, never silently replaced: the
 * server trusts the old key.  t must outlive the key. */
int tpm_aik_load(struct tpm *t, const char *state_dir, enum tpm_aik_type type,
    struct tpm_aik **ret) TNC_MUST_CHECK;
/* Flushes the key from the TPM; NULL is a no-op. */
void tpm_aik_free(struct tpm_aik *k);

enum tpm_aik_type tpm_aik_type(const struct tpm_aik *k);
/* The public key as DER SubjectPublicKeyInfo; valid while k is. */
const uint8_t *tpm_aik_public_der(const struct tpm_aik *k, size_t *ret_len);
/* SHA-1 of that DER: TPM_AIK_KEYID_SIZE bytes, valid while k is. */
const uint8_t *tpm_aik_keyid(const struct tpm_aik *k);

#endif
