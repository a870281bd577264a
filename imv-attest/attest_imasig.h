/* attest_imasig.h - IMA entries that carry a file signature (ima-sig
 * under IMA appraisal) in the Attestation IMV, and the IMA keys they are
 * checked with.
 *
 * strongSwan's IMA evidence (Simple Component Evidence, flag 0x60) carries
 * the template hash, which covers the signature, but not the signature:
 * such an entry's template hash cannot be rebuilt from a reference digest.
 * tncclient therefore sends each entry with a signature as a TCG
 * Integrity Measurement Log attribute holding that one entry as
 * binary_runtime_measurements has it, little-endian (the kernel's
 * canonical form), with the template hash in the evidence's bank.  The
 * IMV reads it with the library's IMA parser (attest/ima.h): the
 * template hash is recomputed from the template data (so it is
 * extended into PCR 10 only if it is that data's), and the signature is
 * checked over the file digest with the keys of [imv-attest]
 * ima_keys_dir.  The file is then judged by its digest, as the store
 * knows it; a signature that does not verify, or whose key id names no
 * trusted key, fails the file (with no keys configured it is not
 * checked, and the file is judged by its digest alone).
 *
 * The IMA keys tncadm stores in the policy database are not used: the
 * IMV reaches tnc-policy through no message that would fetch them.
 */
#ifndef TNC_ATTEST_IMASIG_H
#define TNC_ATTEST_IMASIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "digest.h"
#include "ima_sig.h"
#include "ipc_msg.h"
#include "wire.h"

/* One signed entry, copied out of its attribute. */
struct attest_imasig_entry {
	uint32_t pcr;
	uint8_t template_hash[DIGEST_MAX]; /* in the bank's algorithm, checked */
	char file_algo[IPC_POLICY_ALGO_MAX + 1]; /* "sha256" */
	uint8_t file_hash[DIGEST_MAX];
	size_t file_hash_len;
	char path[IPC_POLICY_PATH_MAX + 1];
	size_t path_len;
	struct ima_sig_result sig;
};

/* A connection's signed entries. */
struct attest_imasig {
	uint32_t entries, failed;
	char failure[200]; /* the first file that failed, and why */
};

/* Loads every key or certificate in dir (PEM or DER, RSA or EC); the
 * number loaded, or a negative error with why naming the file.  Before
 * the sandbox. */
int attest_imasig_load_keys(const char *dir, char *why, size_t size);
bool attest_imasig_have_keys(void);
void attest_imasig_free_keys(void); /* tests */

/* Reads the value of an Integrity Measurement Log attribute: exactly one
 * binary entry whose template hash is of bank and matches its data, with
 * a file digest and a signature.  0, or TNC_EINVALID with why. */
int attest_imasig_read(struct bytes value, enum digest_alg bank,
    struct attest_imasig_entry *ret, char *why, size_t size) TNC_MUST_CHECK;

/* Counts entry number n; false when its signature fails the file, with
 * the reason kept for the first such file and written to why. */
bool attest_imasig_judge(struct attest_imasig *s, const struct attest_imasig_entry *e,
    uint32_t n, char *why, size_t size);

#endif
