/* quote.h - TPM quote structures parsed from untrusted bytes: the TPM 2.0
 * TPMS_ATTEST of a TPM2_Quote and its TPMT_SIGNATURE (TPM 2.0 Library
 * Part 2, 10.12.8-10.12.12 and 11.3.4), the TPM 1.2 TPM_QUOTE_INFO and
 * TPM_QUOTE_INFO2 (TPM 1.2 Main Part 2, 11.3 and 11.4).
 *
 * Pure functions over buffers; results are views into the caller's bytes.
 * Work is bounded: at most QUOTE_MAX_SELECTIONS PCR selections of at most
 * QUOTE_MAX_SELECT_BYTES each.  A failure fills struct parse_error: the
 * offset, a reason naming the field and, as its code, an enum quote_reason.
 */
#ifndef TNC_QUOTE_H
#define TNC_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"
#include "wire.h"

/* TPM_ALG_ID values (TCG Algorithm Registry), named as libtss2 names them:
 * a file that includes tss2_tpm2_types.h too must not include this one.
 * Hashes map to digest.h's enum digest_alg through digest_from_tpm_alg(). */
#define TPM2_ALG_SHA1 0x0004
#define TPM2_ALG_SHA256 0x000b
#define TPM2_ALG_SHA384 0x000c
#define TPM2_ALG_SHA512 0x000d
#define TPM2_ALG_RSASSA 0x0014
#define TPM2_ALG_RSAPSS 0x0016
#define TPM2_ALG_ECDSA 0x0018

#define TPM2_GENERATED_VALUE 0xff544347u /* "\xffTCG" */
#define TPM2_ST_ATTEST_QUOTE 0x8018
#define TPM12_TAG_QUOTE_INFO2 0x0036
#define TPM12_TAG_CAP_VERSION_INFO 0x0030
#define TPM12_DIGEST_LEN 20

#define QUOTE_MAX_PCRS 32         /* PCR indexes 0..31: four select octets */
#define QUOTE_MAX_SELECT_BYTES 4
#define QUOTE_MAX_SELECTIONS 16   /* far more banks than any TPM has */
#define QUOTE_MAX_NAME 66         /* sizeof(TPMU_NAME): a TPMT_HA */
#define QUOTE_MAX_RSA_SIG 512     /* RSA 4096 */
#define QUOTE_MAX_ECC_PARAM 66    /* P-521 */

/* Why a quote does not verify; also the code of a parse_error. */
enum quote_reason {
	QUOTE_OK = 0,
	QUOTE_MALFORMED,      /* truncated, a size out of range, trailing bytes */
	QUOTE_SIGNATURE,      /* unusable, or does not verify with the AIK */
	QUOTE_SIGNATURE_HASH, /* signed with another hash than required */
	QUOTE_MAGIC,          /* not TPM2_GENERATED_VALUE / not "QUOT", "QUT2" */
	QUOTE_TYPE,           /* not TPM2_ST_ATTEST_QUOTE */
	QUOTE_NONCE,          /* extraData / externalData is not the nonce */
	QUOTE_PCR_SELECTION,  /* too many selections, or PCRs without values */
	QUOTE_PCR_DIGEST,     /* digest of the expected PCRs differs */
};

/* "nonce mismatch", "PCR digest", ...; never NULL. */
const char *quote_reason_name(enum quote_reason r);

/* TPMS_PCR_SELECTION: bit i of select[i / 8] (bit 0 = LSB) selects PCR i. */
struct tpm2_pcr_selection {
	uint16_t hash;
	uint8_t size_of_select;
	uint8_t select[QUOTE_MAX_SELECT_BYTES];
};

bool tpm2_pcr_selected(const struct tpm2_pcr_selection *s, unsigned pcr);

struct tpm2_attest {
	uint32_t magic;
	uint16_t type;
	struct bytes qualified_signer; /* TPM2B_NAME buffer */
	struct bytes extra_data;       /* TPM2B_DATA buffer: the nonce */
	uint64_t clock;                /* TPMS_CLOCK_INFO */
	uint32_t reset_count;
	uint32_t restart_count;
	uint8_t safe;
	uint64_t firmware_version;
	/* TPMS_QUOTE_INFO; only when type is TPM2_ST_ATTEST_QUOTE */
	uint32_t selection_count;
	struct tpm2_pcr_selection selections[QUOTE_MAX_SELECTIONS];
	struct bytes pcr_digest;
};

/* Parses a TPMS_ATTEST.  Magic and type are not judged here (the verifier
 * names them as reasons); the quote info is parsed when the type is a
 * quote's, and then nothing may follow it.  Codes: QUOTE_MALFORMED, or
 * QUOTE_PCR_SELECTION for a selection beyond the bounds. */
int tpm2_attest_parse(const uint8_t *buf, size_t len, struct tpm2_attest *ret, struct parse_error *e)
    TNC_MUST_CHECK;

/* Parses a TPML_PCR_SELECTION that makes up all of buf (as strongSwan
 * sends it alone); the same bounds. */
int tpm2_pcr_selection_parse(const uint8_t *buf, size_t len, uint32_t *ret_count,
    struct tpm2_pcr_selection ret[QUOTE_MAX_SELECTIONS], struct parse_error *e) TNC_MUST_CHECK;

struct tpm2_signature {
	uint16_t sig_alg;       /* TPM2_ALG_RSASSA, _RSAPSS or _ECDSA */
	uint16_t hash;          /* the scheme's hash: signs the attest, digests the PCRs */
	struct bytes rsa;       /* RSASSA / RSAPSS */
	struct bytes ecc_r;     /* ECDSA */
	struct bytes ecc_s;
};

/* Parses a TPMT_SIGNATURE that makes up all of buf.  Code QUOTE_SIGNATURE
 * for a scheme we cannot verify, QUOTE_MALFORMED otherwise. */
int tpm2_signature_parse(const uint8_t *buf, size_t len, struct tpm2_signature *ret,
    struct parse_error *e) TNC_MUST_CHECK;

/* TPM_PCR_SELECTION of TPM 1.2: a sizeOfSelect and its select octets. */
struct tpm12_pcr_selection {
	uint16_t size_of_select;
	uint8_t select[QUOTE_MAX_SELECT_BYTES];
};

struct tpm12_quote_info {
	int version; /* 1: TPM_QUOTE_INFO (TPM_Quote), 2: TPM_QUOTE_INFO2 (TPM_Quote2) */
	uint8_t struct_version[4]; /* version 1: TPM_STRUCT_VER, 1.1.0.0 */
	uint8_t fixed[4];          /* "QUOT" / "QUT2" */
	struct bytes composite_hash; /* SHA-1 of the TPM_PCR_COMPOSITE */
	struct bytes external_data;  /* the nonce, 20 octets */
	/* version 2 only */
	struct tpm12_pcr_selection selection;
	uint8_t locality_at_release;
	struct bytes version_info; /* TPM_CAP_VERSION_INFO if appended, else empty */
};

/* Parses a TPM_QUOTE_INFO (exactly 48 octets) or a TPM_QUOTE_INFO2 (tag
 * 0x0036), with the TPM_CAP_VERSION_INFO TPM_Quote2 may append.  The fixed
 * value and version are not judged here. */
int tpm12_quote_info_parse(const uint8_t *buf, size_t len, struct tpm12_quote_info *ret,
    struct parse_error *e) TNC_MUST_CHECK;

bool tpm12_pcr_selected(const struct tpm12_pcr_selection *s, unsigned pcr);

#endif
