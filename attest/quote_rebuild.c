/* quote_rebuild.c - TPMS_ATTEST and TPM_QUOTE_INFO(2) built from the
 * fields a PTS Simple Evidence Final carries (see quote_rebuild.h).
 */
#include "quote_rebuild.h"

#include <string.h>

#define CLOCK_INFO_LEN 17 /* clock u64, resetCount u32, restartCount u32, safe u8 */
#define FIRMWARE_VERSION_LEN 8

int
quote_rebuild_tpm2(const struct quote_tpm2_fields *f, struct bytes nonce, struct wire_writer *w,
    struct parse_error *e)
{
	struct tpm2_pcr_selection sel[QUOTE_MAX_SELECTIONS];
	struct tpm2_attest check;
	struct wire_writer out;
	uint32_t count;
	int rc;

	if (f->qualified_signer.len > QUOTE_MAX_NAME)
		return parse_fail(e, TNC_ETOOLONG, QUOTE_MALFORMED, 0,
		    "qualified signer longer than a TPMU_NAME");
	if (nonce.len > QUOTE_MAX_NAME)
		return parse_fail(e, TNC_ETOOLONG, QUOTE_MALFORMED, 0,
		    "nonce longer than a TPM2B_DATA holds");
	if (f->clock_info.len != CLOCK_INFO_LEN)
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, 0,
		    "clock info is not a 17-octet TPMS_CLOCK_INFO");
	if (f->firmware_version.len != FIRMWARE_VERSION_LEN)
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, 0,
		    "firmware version is not 8 octets");
	if (f->pcr_digest.len > DIGEST_MAX)
		return parse_fail(e, TNC_ETOOLONG, QUOTE_MALFORMED, 0,
		    "PCR digest longer than 64 octets");
	if ((rc = tpm2_pcr_selection_parse(f->pcr_select.ptr, f->pcr_select.len, &count, sel, e)))
		return rc;

	wire_writer_init(&out, 2048);
	wire_put_u32(&out, TPM2_GENERATED_VALUE);
	wire_put_u16(&out, TPM2_ST_ATTEST_QUOTE);
	wire_put_u16(&out, (uint16_t)f->qualified_signer.len);
	wire_put_bytes(&out, f->qualified_signer.ptr, f->qualified_signer.len);
	wire_put_u16(&out, (uint16_t)nonce.len);
	wire_put_bytes(&out, nonce.ptr, nonce.len);
	wire_put_bytes(&out, f->clock_info.ptr, f->clock_info.len);
	wire_put_bytes(&out, f->firmware_version.ptr, f->firmware_version.len);
	wire_put_bytes(&out, f->pcr_select.ptr, f->pcr_select.len);
	wire_put_u16(&out, (uint16_t)f->pcr_digest.len);
	wire_put_bytes(&out, f->pcr_digest.ptr, f->pcr_digest.len);
	/* What the TPM would have signed must parse as one (e.g. safe is 0 or 1). */
	if ((rc = wire_writer_status(&out)))
		parse_fail(e, rc, QUOTE_MALFORMED, 0, "rebuilt TPMS_ATTEST too long");
	else if (!(rc = tpm2_attest_parse(out.buf, out.len, &check, e)))
		wire_put_bytes(w, out.buf, out.len);
	wire_writer_clear(&out);
	return rc ? rc : wire_writer_status(w);
}

int
quote_rebuild_tpm12(int version, struct bytes composite_hash, struct bytes nonce,
    const struct tpm12_pcr_selection *sel, uint8_t locality_at_release,
    struct bytes version_info, struct wire_writer *w, struct parse_error *e)
{
	struct tpm12_quote_info check;
	struct wire_writer out;
	int rc;

	if (composite_hash.len != TPM12_DIGEST_LEN || nonce.len != TPM12_DIGEST_LEN)
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, 0,
		    "TPM 1.2 composite hash and nonce are 20 octets each");
	if (version == 2 && (!sel || sel->size_of_select > QUOTE_MAX_SELECT_BYTES))
		return parse_fail(e, TNC_EINVALID, QUOTE_PCR_SELECTION, 0,
		    "TPM_QUOTE_INFO2 needs a PCR selection of at most 4 octets");
	if (version != 1 && version != 2)
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, 0,
		    "TPM 1.2 quote info version is 1 or 2");

	wire_writer_init(&out, 1024);
	if (version == 1) {
		wire_put_bytes(&out, "\x01\x01\x00\x00", 4); /* TPM_STRUCT_VER 1.1.0.0 */
		wire_put_bytes(&out, "QUOT", 4);
		wire_put_bytes(&out, composite_hash.ptr, composite_hash.len);
		wire_put_bytes(&out, nonce.ptr, nonce.len);
	} else {
		wire_put_u16(&out, TPM12_TAG_QUOTE_INFO2);
		wire_put_bytes(&out, "QUT2", 4);
		wire_put_bytes(&out, nonce.ptr, nonce.len);
		wire_put_u16(&out, sel->size_of_select);
		wire_put_bytes(&out, sel->select, sel->size_of_select);
		wire_put_u8(&out, locality_at_release);
		wire_put_bytes(&out, composite_hash.ptr, composite_hash.len);
		wire_put_bytes(&out, version_info.ptr, version_info.len);
	}
	if ((rc = wire_writer_status(&out)))
		parse_fail(e, rc, QUOTE_MALFORMED, 0, "rebuilt TPM_QUOTE_INFO2 too long");
	else if (!(rc = tpm12_quote_info_parse(out.buf, out.len, &check, e)))
		wire_put_bytes(w, out.buf, out.len);
	wire_writer_clear(&out);
	return rc ? rc : wire_writer_status(w);
}

int
tpm2_signature_from_bare(uint16_t sig_alg, uint16_t hash, struct bytes sig,
    struct tpm2_signature *ret, struct parse_error *e)
{
	struct tpm2_signature s;
	enum digest_alg a;

	memset(&s, 0, sizeof(s));
	s.sig_alg = sig_alg;
	s.hash = hash;
	if (digest_from_tpm_alg(hash, &a))
		return parse_fail(e, TNC_ETYPE, QUOTE_SIGNATURE, 0,
		    "signature hash is not SHA-1, SHA-256, SHA-384 or SHA-512");
	switch (sig_alg) {
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		if (sig.len == 0 || sig.len > QUOTE_MAX_RSA_SIG)
			return parse_fail(e, TNC_EINVALID, QUOTE_SIGNATURE, 0,
			    "RSA signature empty or longer than 512 octets");
		s.rsa = sig;
		break;
	case TPM2_ALG_ECDSA:
		/* r and s are each as long as the curve's order */
		if (sig.len == 0 || sig.len % 2 || sig.len > 2 * QUOTE_MAX_ECC_PARAM)
			return parse_fail(e, TNC_EINVALID, QUOTE_SIGNATURE, 0,
			    "ECDSA signature is not r || s of equal halves");
		s.ecc_r = (struct bytes){sig.ptr, sig.len / 2};
		s.ecc_s = (struct bytes){sig.ptr + sig.len / 2, sig.len / 2};
		break;
	default:
		return parse_fail(e, TNC_ETYPE, QUOTE_SIGNATURE, 0,
		    "signature scheme is not RSASSA, RSAPSS or ECDSA");
	}
	*ret = s;
	return 0;
}
