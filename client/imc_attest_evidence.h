/* imc_attest_evidence.h - the attestation IMC's evidence: the PTS
 * attributes made from the BIOS event log, the IMA measurement list and a
 * TPM quote, in strongSwan's encodings (which tncclient sends):
 *
 * - per BIOS event that is extended (not EV_NO_ACTION) a Simple Component
 *   Evidence of ITA-HSR 'Linux IMA' K|Trusted Platform: the event's PCR and
 *   its digest in the measurement algorithm's bank, transform "match";
 * - per IMA entry one of 'Linux IMA' K|Operating System: PCR 10, validation
 *   "passed" (0x60), policy URI "<file hash algorithm>:<path>" (the path
 *   alone for the ima template), the template hash in the measurement
 *   algorithm as measurement: the logged one when the list is of that
 *   algorithm, else the template data hashed with it, as Linux >= 5.8
 *   extends the other banks (all zero for a violation);
 * - but an IMA entry that carries a file signature (not strongSwan's: its
 *   template hash covers the signature, which the form above drops) as a
 *   TCG Integrity Measurement Log attribute: the entry as
 *   binary_runtime_measurements has it, little-endian, with that template
 *   hash (imv-attest/attest_imasig.h reads it);
 * - Simple Evidence Final with flag 0x10: the TPMS_ATTEST's fields one by
 *   one (PCR digest, qualified signer, clock info, firmware version, PCR
 *   selection) and the bare signature (ECDSA r || s, or RSA's octets); the
 *   verifier rebuilds the TPMS_ATTEST with its nonce.
 *
 * Measurement times are sent as unknown: a log records none.
 */
#ifndef TNC_IMC_ATTEST_EVIDENCE_H
#define TNC_IMC_ATTEST_EVIDENCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "err.h"
#include "tpm_aik.h"
#include "tpm_quote.h"
#include "wire.h"

/* Receives each attribute value made, with its vendor and type. */
typedef void imc_evidence_emit_fn(void *ctx, uint32_t vendor, uint32_t type, struct bytes value);

struct imc_evidence_sink {
	imc_evidence_emit_fn *emit;
	void *ctx;
};

/* Largest log or list read (securityfs files have no size to stat). */
#define IMC_EVIDENCE_FILE_MAX (64u << 20)

/* Reads a whole file (also a securityfs one) into a malloc'd buffer. */
int imc_evidence_read_file(const char *path, uint8_t **ret, size_t *ret_len, char *err,
    size_t err_size) TNC_MUST_CHECK;

/* What a log gave. */
struct imc_evidence_count {
	uint32_t sent;     /* Simple Component Evidence attributes emitted */
	uint32_t pcrs;     /* PCRs they extend, bit i = PCR i */
	int startup_locality; /* BIOS logs: -1 when the log has none */
};

/* One Simple Component Evidence per extended record of the event log, in
 * bank; fails (nothing emitted) when the log does not parse or has no
 * digest of bank for an extended record. */
int imc_evidence_bios(const uint8_t *log, size_t len, enum digest_alg bank,
    const struct imc_evidence_sink *sink, struct imc_evidence_count *ret, char *err,
    size_t err_size) TNC_MUST_CHECK;
/* One Simple Component Evidence per entry of the IMA list (binary or
 * ASCII); fails when the list does not parse (entries before the bad one
 * were emitted). */
int imc_evidence_ima(const uint8_t *list, size_t len, enum digest_alg bank,
    const struct imc_evidence_sink *sink, struct imc_evidence_count *ret, char *err,
    size_t err_size) TNC_MUST_CHECK;

/* The startup locality of an event log, -1 when it has none (or does not
 * parse): what TPM Version Information reports. */
int imc_evidence_startup_locality(const uint8_t *log, size_t len);

/* Emits the Simple Evidence Final (flag 0x10) of quote, which signed with
 * the hash sig_hash (a TPM2_ALG_ hash). */
int imc_evidence_final(const struct tpm_quote *quote, uint16_t sig_hash,
    const struct imc_evidence_sink *sink, char *err, size_t err_size) TNC_MUST_CHECK;

#endif
