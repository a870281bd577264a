/* tl_attest.h - what the attestation integration tests
 * (tests/integration/test_attest_*.c) share: an endpoint on a software TPM
 * (tests/tpm/swtpm-start) with the evidence of one boot, tncd enforcing
 * TPM Remote Attestation for it, tncclient with the attestation IMC, and
 * the checks of tncd's log and of the stored session.
 *
 * The evidence: the test data has no BIOS log and IMA list of the same
 * boot, so tnc-test-attest-evidence (tests/helpers/attest_evidence.c) makes
 * the IMA list of the event log TL_BIOS_LOG from the real list
 * TL_IMA_LIST; nothing is hand-made and nothing generated is kept in the
 * tree.  The swtpm, started at the log's locality 3, gets both replayed
 * into its PCRs. */
#ifndef TNC_TL_ATTEST_H
#define TNC_TL_ATTEST_H

#include <stdbool.h>
#include <stddef.h>

#include "testlib.h"
#include "tpm_aik.h"

#define TL_SWTPM_START TNC_SOURCE_DIR "/tests/tpm/swtpm-start"
/* relative to tests/data */
#define TL_BIOS_LOG "tpm-replay/binary_bios_measurements.bin"
#define TL_IMA_LIST "tpm-replay/sha1.log"
/* entries at the end of the IMA list whose files the database does not know */
#define TL_ATTEST_UNKNOWN 12

/* The TCase's directory, /tmp/TEST.XXXXXX (TEST: the test program's
 * name), holding its endpoints; mode 0755, as the IMV reads files below
 * it (test_attest_signed's keys). */
extern char tl_attest_base[64];
/* The unchecked fixture: makes tl_attest_base; libtss2 is made quiet. */
void tl_attest_base_setup(void);
/* Stops the swtpm of every endpoint below tl_attest_base and removes it:
 * the unchecked teardown, so also after a test crashed. */
void tl_attest_base_teardown(void);

/* The endpoint: its directory (below tl_attest_base), the swtpm's TCTI,
 * the AIK's directory and key id (which is also the device id), the BIOS
 * log and IMA list tncclient reads, and how many entries that list has. */
struct tl_endpoint {
	char dir[96];
	char tcti[128], aik_dir[128], bios[128], ima[128], keyid[2 * TPM_AIK_KEYID_SIZE + 1];
	unsigned ima_entries;
};

/* A new endpoint directory below tl_attest_base (mode 0755) with a swtpm at locality 3 started there and the IMA list
 * made by `tnc-test-attest-evidence MODE` ("boot", "boot-signed") as
 * dir/ima.bin, and dir/ima-known.bin without its last TL_ATTEST_UNKNOWN
 * entries.  The test may add to ima.bin before tl_endpoint_replay(). */
void tl_endpoint_make(struct tl_endpoint *e, const char *mode);
/* Replays the BIOS log and ima.bin into the swtpm's PCRs and makes the AIK
 * (P-256) in aik_dir: its key id into keyid. */
void tl_endpoint_replay(struct tl_endpoint *e);

/* tncd with [imv-attest] at log level 2 for the IMV and PTS (and the
 * further lines imv_attest_conf, or NULL), a TPMRA policy (isolate when it
 * fails, no access without a result) enforced for the default group, the
 * product's reference files of ima-known.bin, and the device with its AIK
 * (trusted if trust). */
void tl_attest_server_start(struct tl_tncd *t, const struct tl_endpoint *e,
    const char *imv_attest_conf, bool trust);
/* tncclient with the attestation IMC on the endpoint; bios and ima (or
 * NULL) override the endpoint's files, env (or NULL) is put before the
 * command.  Its exit code; its output (stderr too) in out. */
int tl_attest_client(struct tl_tncd *t, const struct tl_endpoint *e, const char *bios,
    const char *ima, const char *env, char *out, size_t size);

/* Fails the test unless `tncadm session show` of the latest session has
 * the workitem type ("TPMRA", "FREFM") and needle. */
void tl_assert_stored(struct tl_tncd *t, const char *type, const char *needle);

#endif
