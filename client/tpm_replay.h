/* tpm_replay.h - making a (software) TPM hold the PCR values a boot left:
 * start it at the event log's startup locality, extend every event of a
 * TCG PC Client event log, then every entry of an IMA measurement list.
 *
 * For tests and demonstrations on swtpm (tests/tpm/swtpm-start
 * --no-startup): the attestation IMC on a real machine never replays,
 * firmware and kernel extended its TPM.  The logs are read by the
 * verifier's own parsers (attest/eventlog.h, attest/ima.h), whose first
 * pass checks a whole log before the TPM is touched; a bad log fails with
 * their reason ("record N at offset X: ...") in tpm_error(). */
#ifndef TNC_TPM_REPLAY_H
#define TNC_TPM_REPLAY_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "tpm_conn.h"

struct tpm_replay {
	uint32_t records;  /* records or entries in the file (an agile log's header too) */
	uint32_t extended; /* of them, extended into the TPM */
	/* boot: the log's StartupLocality, the TPM started at it; -1 when the
	 * log has none (started at locality 0) */
	int startup_locality;
	uint32_t pcrs;  /* PCRs extended, bit i = PCR i */
	unsigned banks; /* DIGEST_BIT()s extended: the TPM's banks the log has digests for */
};

/* Starts the TPM (tpm_startup) at the log's startup locality and extends
 * every record but EV_NO_ACTION ones, each in the banks both the TPM and
 * the record have.  The TPM must not have been started (TNC_ESTATE
 * otherwise). */
int tpm_replay_boot(struct tpm *t, const uint8_t *log, size_t len, struct tpm_replay *ret)
    TNC_MUST_CHECK;
/* Extends every entry of an IMA list (binary or ASCII, its template hash
 * algorithm recognised) into its PCR, in each bank of the TPM: the logged
 * template hash in the list's own bank, the template data hashed with the
 * bank's algorithm in the others (as Linux >= 5.8 does), all ones for a
 * violation. */
int tpm_replay_ima(struct tpm *t, const uint8_t *list, size_t len, struct tpm_replay *ret)
    TNC_MUST_CHECK;

#endif
