/* fuzz_imv_evidence.c - libFuzzer harness for what the Attestation IMV
 * reads itself from a TPM 1.2 endpoint and from tncclient's signed IMA
 * entries: the Simple Evidence Final of a TPM 1.2 quote
 * (attest_tpm12_final: a TPM_PCR_COMPOSITE, or its digest, and the
 * signature) and the Integrity Measurement Log attribute of one signed
 * entry (attest_imasig_read).
 *
 * The first octet chooses the reader and the quote mode or PCR bank; the
 * rest is the value.  A TPM 1.2 quote with a made-up signature never
 * verifies and always leaves a reason; an entry read or refused leaves
 * its fields within their bounds or a reason.  Any mismatch aborts.
 */
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "attest_imasig.h"
#include "attest_tpm12.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
tpm12(const uint8_t *value, size_t len, uint8_t mode)
{
	static EVP_PKEY *aik;
	static const uint8_t sig[256] = {1};
	struct attest_evidence ev;
	struct attest_tpm12 t = {.present = true, .version_info = {0, 0x30},
	    .version_info_len = 2};
	uint8_t nonce[20] = {0};

	if (!aik)
		aik = EVP_RSA_gen(1024); /* only ever refuses a signature */
	attest_evidence_init(&ev, 1000);
	ev.bank_set = true;
	ev.bank = DIGEST_SHA1;
	pcr_banks_init(&ev.pcrs, DIGEST_BIT(DIGEST_SHA1));
	ev.pcrs.used[DIGEST_SHA1] = 0x4ff;
	struct pa_pts_final f = {.mode = mode, .composite = {value, len},
	    .quote_sig = {sig, sizeof(sig)}};
	attest_tpm12_final(&ev, &t, &f, aik, (struct bytes){nonce, sizeof(nonce)});
	check(ev.quote_done && !ev.quote_ok && ev.failed && ev.reason[0]);
	check(memchr(ev.reason, 0, sizeof(ev.reason)) != NULL);
	attest_evidence_clear(&ev);
}

static void
imasig(const uint8_t *value, size_t len, enum digest_alg bank)
{
	static struct attest_imasig_entry e;
	char why[128];

	if (attest_imasig_read((struct bytes){value, len}, bank, &e, why, sizeof(why)) != 0) {
		check(why[0] != 0);
		return;
	}
	check(e.path_len > 0 && e.path_len == strlen(e.path) && e.path_len <= IPC_POLICY_PATH_MAX);
	check(e.file_hash_len <= sizeof(e.file_hash) && e.file_algo[0]);
	check(e.sig.status != IMA_SIG_NONE);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t modes[] = {PA_PTS_QUOTE_INFO, PA_PTS_QUOTE_INFO2,
	    PA_PTS_QUOTE_INFO2_CAP_VER};

	if (size < 1)
		return 0;
	if (data[0] & 0x80)
		imasig(data + 1, size - 1, (enum digest_alg)(data[0] % DIGEST_ALG_COUNT));
	else
		tpm12(data + 1, size - 1, modes[data[0] % 3]);
	return 0;
}
