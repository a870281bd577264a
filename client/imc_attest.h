/* imc_attest.h - the attestation IMC (collector ID 3, as in the seeds):
 * answers PA messages of subtype TCG/PTS (TCG Attestation PTS Protocol:
 * Binding to TNC IF-M) from the TPM 2.0 of this machine.
 *
 * It answers PTS Protocol Capabilities, the measurement algorithm, the D-H
 * nonce exchange (as responder), TPM Version Information, the Attestation
 * Identity Key, ITA-HSR Get Symlinks, and Request Functional Component
 * Evidence + Generate Attestation Evidence with one Simple Component
 * Evidence per BIOS event and per IMA entry and a Simple Evidence Final
 * holding a TPM2_Quote over the PCRs they extended, with the agreed nonce.
 * It sends strongSwan's encodings (imc_attest_evidence.h says which), as
 * both strongSwan's Attestation IMV and tnc-imv-attest accept them.
 *
 * Evidence goes out in PA messages of about 32 KB (as the seeds show),
 * one per CDATA batch: the server asks for the next with an empty SDATA.
 * A segmentation contract an IMV asks for is answered, and its sizes bound
 * our messages; evidence attributes are small, so none is segmented.
 *
 * Request File Measurement and Request File Metadata are answered from
 * this machine's files (imc_attest_files.h), also without a TPM: with the
 * TCTI IMC_ATTEST_NO_TPM the IMC offers no PTS capabilities, selects any
 * offered measurement algorithm, and refuses what needs the TPM.
 */
#ifndef TNC_IMC_ATTEST_H
#define TNC_IMC_ATTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "imc_msgq.h"
#include "pb_tnc.h"

#define IMC_ATTEST_ID 3
#define IMC_ATTEST_VENDOR PB_VENDOR_TCG
#define IMC_ATTEST_SUBTYPE 1 /* TCG PA subtype PTS */
/* Our PA messages: the size of strongSwan's evidence messages in the seeds. */
#define IMC_ATTEST_MSG_MAX 32698u
/* The TCTI that runs the IMC without a TPM (tncclient --tpm none). */
#define IMC_ATTEST_NO_TPM "none"

#define IMC_ATTEST_BIOS_LOG "/sys/kernel/security/tpm0/binary_bios_measurements"
#define IMC_ATTEST_IMA_LIST "/sys/kernel/security/ima/binary_runtime_measurements"

/* Deliberately wrong evidence, for the tests of the verifier only. */
enum imc_attest_tamper {
	IMC_ATTEST_TAMPER_NONE,
	IMC_ATTEST_TAMPER_NONCE, /* quote with another nonce than the agreed one */
	/* the quote kept in replay_file (by an earlier run) instead of a fresh
	 * one; without the file a fresh quote, kept there */
	IMC_ATTEST_TAMPER_REPLAY,
};

struct imc_attest_config {
	const char *tcti;     /* NULL: $TNC_TPM_TCTI or libtss2's default */
	const char *aik_dir;  /* where the AIK is kept (tpm_aik.h) */
	const char *bios_log; /* NULL: no BIOS evidence */
	const char *ima_list; /* NULL: no IMA evidence */
	const char *symlinks_root; /* NULL: the directory the IMV names */
	enum imc_attest_tamper tamper;
	const char *replay_file;
};

struct imc_attest;

/* Opens the TPM and loads (or makes) the AIK; NULL with the reason in err.
 * cfg's strings are borrowed and must outlive the IMC. */
struct imc_attest *imc_attest_new(const struct imc_attest_config *cfg, char *err,
    size_t err_size);
void imc_attest_free(struct imc_attest *imc);
/* A new handshake: forgets the nonce, contracts and evidence not sent. */
void imc_attest_begin_handshake(struct imc_attest *imc);
/* true when pa is addressed to this IMC (vendor, subtype, EXCL). */
bool imc_attest_wants(const struct pb_pa *pa);
/* Processes one PA message from the server; the answers are queued. */
void imc_attest_receive(struct imc_attest *imc, const struct pb_pa *pa);
/* The next queued message (one per CDATA batch), or NULL; the caller
 * frees it with free(). */
struct imc_msg *imc_attest_take(struct imc_attest *imc);
/* Drops everything queued (the assessment ended). */
void imc_attest_drop(struct imc_attest *imc);

#endif
