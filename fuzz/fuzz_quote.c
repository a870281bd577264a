/* fuzz_quote.c - libFuzzer harness for the TPM quote parsers (quote.h):
 * TPMS_ATTEST, TPMT_SIGNATURE, TPML_PCR_SELECTION, TPM_QUOTE_INFO(2), and
 * the PCR value files of quote_verify.h.
 *
 * Each input goes to every parser.  A refusal must name its field, lie
 * inside the input and carry a quote reason; a quote that parses must
 * rebuild (quote_rebuild.h) from its fields to the same octets, and must
 * not verify without an AIK.  Any mismatch aborts.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "quote_rebuild.h"
#include "quote_verify.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(bool ok)
{
	if (!ok)
		abort();
}

static void
check_refusal(const struct parse_error *e, size_t size)
{
	check(e->reason != NULL && e->offset <= size);
	check(e->code == QUOTE_MALFORMED || e->code == QUOTE_PCR_SELECTION ||
	    e->code == QUOTE_SIGNATURE);
}

static bool
inside(struct bytes b, const uint8_t *data, size_t size)
{
	return b.len == 0 || (b.ptr >= data && b.ptr + b.len <= data + size);
}

static const uint8_t zeros[DIGEST_MAX];

static const uint8_t *
any_pcr(void *ctx, uint16_t alg, unsigned pcr)
{
	return zeros;
}

/* Cuts a parsed quote into the fields strongSwan sends and rebuilds it. */
static void
check_attest(const struct tpm2_attest *a, const uint8_t *data, size_t size)
{
	struct tpm2_signature sig = {.sig_alg = TPM2_ALG_RSASSA, .hash = TPM2_ALG_SHA256};
	struct quote_expect x = {.pcr = any_pcr};
	struct quote_tpm2_fields f;
	struct quote_result r;
	struct parse_error e;
	struct wire_writer w;
	const uint8_t *clock;

	check(inside(a->qualified_signer, data, size) && inside(a->extra_data, data, size));
	check(a->selection_count <= QUOTE_MAX_SELECTIONS && a->safe <= 1);
	x.nonce = a->extra_data;
	check(quote_verify_tpm2((struct bytes){data, size}, &sig, NULL, &x, &r) != QUOTE_OK);
	check(!r.signature_valid);
	if (a->type != TPM2_ST_ATTEST_QUOTE || a->magic != TPM2_GENERATED_VALUE)
		return;
	check(inside(a->pcr_digest, data, size));
	check(a->pcr_digest.ptr + a->pcr_digest.len == data + size);
	/* after the two TPM2Bs: clockInfo, firmwareVersion, pcrSelect, pcrDigest */
	clock = data + 6 + 2 + a->qualified_signer.len + 2 + a->extra_data.len;
	f.qualified_signer = a->qualified_signer;
	f.clock_info = (struct bytes){clock, 17};
	f.firmware_version = (struct bytes){clock + 17, 8};
	f.pcr_select = (struct bytes){clock + 25, (size_t)(a->pcr_digest.ptr - 2 - (clock + 25))};
	f.pcr_digest = a->pcr_digest;
	wire_writer_init(&w, 4096);
	check(quote_rebuild_tpm2(&f, a->extra_data, &w, &e) == 0);
	check(w.len == size && memcmp(w.buf, data, size) == 0);
	wire_writer_clear(&w);
}

static void
check_quote_info(const struct tpm12_quote_info *q, const uint8_t *data, size_t size)
{
	struct parse_error e;
	struct wire_writer w;

	check(inside(q->external_data, data, size) && inside(q->composite_hash, data, size));
	if (q->version == 2 && memcmp(q->fixed, "QUT2", 4))
		return;
	if (q->version == 1 && memcmp(data, "\x01\x01\x00\x00QUOT", 8))
		return;
	wire_writer_init(&w, 4096);
	check(quote_rebuild_tpm12(q->version, q->composite_hash, q->external_data, &q->selection,
	    q->locality_at_release, q->version_info, &w, &e) == 0);
	check(w.len == size && memcmp(w.buf, data, size) == 0);
	wire_writer_clear(&w);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct tpm2_pcr_selection sel[QUOTE_MAX_SELECTIONS];
	struct tpm12_quote_info q12;
	struct tpm2_signature sig;
	struct tpm2_attest a;
	struct parse_error e;
	struct pcr_banks b;
	uint32_t count;

	if (tpm2_attest_parse(data, size, &a, &e) == 0)
		check_attest(&a, data, size);
	else
		check_refusal(&e, size);
	if (tpm2_signature_parse(data, size, &sig, &e) == 0)
		check(inside(sig.rsa, data, size) && inside(sig.ecc_r, data, size) &&
		    inside(sig.ecc_s, data, size));
	else
		check_refusal(&e, size);
	if (tpm2_pcr_selection_parse(data, size, &count, sel, &e) == 0)
		check(count <= QUOTE_MAX_SELECTIONS && 4 + 3 * count <= size);
	else
		check_refusal(&e, size);
	if (tpm12_quote_info_parse(data, size, &q12, &e) == 0)
		check_quote_info(&q12, data, size);
	else
		check_refusal(&e, size);
	if (tpm2_signature_from_bare(TPM2_ALG_ECDSA, TPM2_ALG_SHA256, (struct bytes){data, size}, &sig,
	        &e) == 0)
		check(sig.ecc_r.len == sig.ecc_s.len && 2 * sig.ecc_r.len == size);
	pcr_banks_init(&b, 0);
	if (quote_pcrs_load(&b, (const char *)data, size, &e))
		check(e.reason != NULL && e.code == QUOTE_MALFORMED);
	return 0;
}
