/* quote.c - parsers of TPM quote structures: TPMS_ATTEST, TPMT_SIGNATURE
 * (TPM 2.0 Library Part 2), TPM_QUOTE_INFO and TPM_QUOTE_INFO2 (TPM 1.2
 * Main Part 2).  Every size is checked before use; see quote.h.
 */
#include "quote.h"

#include <string.h>

const char *
quote_reason_name(enum quote_reason r)
{
	switch (r) {
	case QUOTE_OK:
		return "verified";
	case QUOTE_MALFORMED:
		return "malformed";
	case QUOTE_SIGNATURE:
		return "signature";
	case QUOTE_SIGNATURE_HASH:
		return "signature hash algorithm";
	case QUOTE_MAGIC:
		return "magic";
	case QUOTE_TYPE:
		return "type";
	case QUOTE_NONCE:
		return "nonce mismatch";
	case QUOTE_PCR_SELECTION:
		return "PCR selection";
	case QUOTE_PCR_DIGEST:
		return "PCR digest";
	}
	return "unknown";
}

static bool
bit_set(const uint8_t *select, size_t size, unsigned pcr)
{
	return pcr / 8 < size && (select[pcr / 8] >> (pcr % 8) & 1);
}

bool
tpm2_pcr_selected(const struct tpm2_pcr_selection *s, unsigned pcr)
{
	return bit_set(s->select, s->size_of_select, pcr);
}

bool
tpm12_pcr_selected(const struct tpm12_pcr_selection *s, unsigned pcr)
{
	return bit_set(s->select, s->size_of_select, pcr);
}

/* A TPM2B: u16 size, then at most max octets. */
static int
get_tpm2b(struct wire_reader *r, size_t max, struct bytes *ret, struct parse_error *e,
    const char *what)
{
	size_t at = wire_offset(r);
	uint16_t size;

	if (wire_get_u16(r, &size) || wire_get_bytes(r, size, ret))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at, what);
	if (size > max)
		return parse_fail(e, TNC_ETOOLONG, QUOTE_MALFORMED, at, what);
	return 0;
}

static int
get_selections(struct wire_reader *r, uint32_t *ret_count,
    struct tpm2_pcr_selection sel[QUOTE_MAX_SELECTIONS], struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint32_t count;
	struct bytes b;

	if (wire_get_u32(r, &count))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
		    "TPML_PCR_SELECTION count truncated");
	/* Bounded before anything else: a crafted count costs nothing. */
	if (count > QUOTE_MAX_SELECTIONS)
		return parse_fail(e, TNC_ETOOLONG, QUOTE_PCR_SELECTION, at,
		    "TPML_PCR_SELECTION: more than 16 PCR selections");
	for (uint32_t i = 0; i < count; i++) {
		at = wire_offset(r);
		memset(&sel[i], 0, sizeof(sel[i]));
		if (wire_get_u16(r, &sel[i].hash) || wire_get_u8(r, &sel[i].size_of_select))
			return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
			    "TPMS_PCR_SELECTION truncated");
		if (sel[i].size_of_select > QUOTE_MAX_SELECT_BYTES)
			return parse_fail(e, TNC_ETOOLONG, QUOTE_PCR_SELECTION, at + 2,
			    "TPMS_PCR_SELECTION: sizeofSelect above 4 (PCRs beyond 31)");
		if (wire_get_bytes(r, sel[i].size_of_select, &b))
			return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at + 3,
			    "TPMS_PCR_SELECTION pcrSelect truncated");
		memcpy(sel[i].select, b.ptr, b.len);
	}
	*ret_count = count;
	return 0;
}

int
tpm2_pcr_selection_parse(const uint8_t *buf, size_t len, uint32_t *ret_count,
    struct tpm2_pcr_selection ret[QUOTE_MAX_SELECTIONS], struct parse_error *e)
{
	struct wire_reader r;
	int rc;

	wire_reader_init(&r, buf, len);
	if ((rc = get_selections(&r, ret_count, ret, e)))
		return rc;
	if (wire_remaining(&r))
		return parse_fail(e, TNC_ETRAILING, QUOTE_MALFORMED, wire_offset(&r),
		    "bytes after the TPML_PCR_SELECTION");
	return 0;
}

static int
get_header(struct wire_reader *r, struct tpm2_attest *a, struct parse_error *e)
{
	size_t at = wire_offset(r);
	int rc;

	if (wire_get_u32(r, &a->magic) || wire_get_u16(r, &a->type))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
		    "TPMS_ATTEST magic or type truncated");
	if ((rc = get_tpm2b(r, QUOTE_MAX_NAME, &a->qualified_signer, e,
		 "TPMS_ATTEST qualifiedSigner: truncated or longer than a TPMU_NAME")))
		return rc;
	if ((rc = get_tpm2b(r, QUOTE_MAX_NAME, &a->extra_data, e,
		 "TPMS_ATTEST extraData: truncated or longer than 66 octets")))
		return rc;
	at = wire_offset(r);
	if (wire_get_u64(r, &a->clock) || wire_get_u32(r, &a->reset_count) ||
	    wire_get_u32(r, &a->restart_count) || wire_get_u8(r, &a->safe) ||
	    wire_get_u64(r, &a->firmware_version))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
		    "TPMS_ATTEST clockInfo or firmwareVersion truncated");
	if (a->safe > 1) /* TPMI_YES_NO */
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, at + 16,
		    "TPMS_CLOCK_INFO safe is neither YES nor NO");
	return 0;
}

int
tpm2_attest_parse(const uint8_t *buf, size_t len, struct tpm2_attest *ret, struct parse_error *e)
{
	struct tpm2_attest a;
	struct wire_reader r;
	int rc;

	memset(&a, 0, sizeof(a));
	wire_reader_init(&r, buf, len);
	if ((rc = get_header(&r, &a, e)))
		return rc;
	if (a.type == TPM2_ST_ATTEST_QUOTE) {
		if ((rc = get_selections(&r, &a.selection_count, a.selections, e)))
			return rc;
		if ((rc = get_tpm2b(&r, DIGEST_MAX, &a.pcr_digest, e,
			 "TPMS_QUOTE_INFO pcrDigest: truncated or longer than 64 octets")))
			return rc;
		if (wire_remaining(&r))
			return parse_fail(e, TNC_ETRAILING, QUOTE_MALFORMED, wire_offset(&r),
			    "bytes after the TPMS_QUOTE_INFO");
	}
	*ret = a;
	return 0;
}

int
tpm2_signature_parse(const uint8_t *buf, size_t len, struct tpm2_signature *ret,
    struct parse_error *e)
{
	struct tpm2_signature s;
	struct wire_reader r;
	enum digest_alg hash;
	int rc;

	memset(&s, 0, sizeof(s));
	wire_reader_init(&r, buf, len);
	if (wire_get_u16(&r, &s.sig_alg) || wire_get_u16(&r, &s.hash))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, 0,
		    "TPMT_SIGNATURE sigAlg or hash truncated");
	switch (s.sig_alg) {
	case TPM2_ALG_RSASSA:
	case TPM2_ALG_RSAPSS:
		rc = get_tpm2b(&r, QUOTE_MAX_RSA_SIG, &s.rsa, e,
		    "TPMS_SIGNATURE_RSA sig: truncated or longer than 512 octets");
		break;
	case TPM2_ALG_ECDSA:
		rc = get_tpm2b(&r, QUOTE_MAX_ECC_PARAM, &s.ecc_r, e,
		    "TPMS_SIGNATURE_ECC signatureR: truncated or longer than 66 octets");
		if (!rc)
			rc = get_tpm2b(&r, QUOTE_MAX_ECC_PARAM, &s.ecc_s, e,
			    "TPMS_SIGNATURE_ECC signatureS: truncated or longer than 66 octets");
		break;
	default:
		return parse_fail(e, TNC_ETYPE, QUOTE_SIGNATURE, 0,
		    "TPMT_SIGNATURE sigAlg is not RSASSA, RSAPSS or ECDSA");
	}
	if (rc)
		return rc;
	if (digest_from_tpm_alg(s.hash, &hash))
		return parse_fail(e, TNC_ETYPE, QUOTE_SIGNATURE, 2,
		    "TPMT_SIGNATURE hash is not SHA-1, SHA-256, SHA-384 or SHA-512");
	if (wire_remaining(&r))
		return parse_fail(e, TNC_ETRAILING, QUOTE_MALFORMED, wire_offset(&r),
		    "bytes after the TPMT_SIGNATURE");
	*ret = s;
	return 0;
}

/* TPM_CAP_VERSION_INFO (TPM 1.2 Main Part 2, 21.6): tag, version, specLevel,
 * errataRev, tpmVendorID, vendorSpecificSize, vendorSpecific. */
static int
get_version_info(struct wire_reader *r, struct bytes *ret, struct parse_error *e)
{
	size_t at = wire_offset(r);
	uint16_t tag, vendor_size;
	struct bytes fixed, vendor;

	if (wire_get_u16(r, &tag) || wire_get_bytes(r, 4 + 2 + 1 + 4, &fixed) ||
	    wire_get_u16(r, &vendor_size) || wire_get_bytes(r, vendor_size, &vendor))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
		    "TPM_CAP_VERSION_INFO truncated");
	if (tag != TPM12_TAG_CAP_VERSION_INFO)
		return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, at,
		    "TPM_CAP_VERSION_INFO tag is not 0x0030");
	*ret = (struct bytes){r->base + at, wire_offset(r) - at};
	return 0;
}

static int
get_quote_info2(struct wire_reader *r, struct tpm12_quote_info *q, struct parse_error *e)
{
	struct bytes fixed, select;
	size_t at;

	if (wire_skip(r, 2) || wire_get_bytes(r, 4, &fixed) ||
	    wire_get_bytes(r, TPM12_DIGEST_LEN, &q->external_data))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, 0,
		    "TPM_QUOTE_INFO2 fixed or externalData truncated");
	memcpy(q->fixed, fixed.ptr, 4);
	at = wire_offset(r);
	if (wire_get_u16(r, &q->selection.size_of_select))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
		    "TPM_PCR_INFO_SHORT truncated");
	if (q->selection.size_of_select > QUOTE_MAX_SELECT_BYTES)
		return parse_fail(e, TNC_ETOOLONG, QUOTE_PCR_SELECTION, at,
		    "TPM_PCR_SELECTION: sizeOfSelect above 4 (PCRs beyond 31)");
	if (wire_get_bytes(r, q->selection.size_of_select, &select) ||
	    wire_get_u8(r, &q->locality_at_release) ||
	    wire_get_bytes(r, TPM12_DIGEST_LEN, &q->composite_hash))
		return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, at,
		    "TPM_PCR_INFO_SHORT truncated");
	memcpy(q->selection.select, select.ptr, select.len);
	if (wire_remaining(r))
		return get_version_info(r, &q->version_info, e);
	return 0;
}

int
tpm12_quote_info_parse(const uint8_t *buf, size_t len, struct tpm12_quote_info *ret,
    struct parse_error *e)
{
	struct tpm12_quote_info q;
	struct wire_reader r;
	struct bytes b;
	int rc;

	memset(&q, 0, sizeof(q));
	wire_reader_init(&r, buf, len);
	if (len >= 2 && (buf[0] << 8 | buf[1]) == TPM12_TAG_QUOTE_INFO2) {
		q.version = 2;
		if ((rc = get_quote_info2(&r, &q, e)))
			return rc;
	} else {
		q.version = 1;
		/* TPM_STRUCT_VER, "QUOT", TPM_COMPOSITE_HASH, TPM_NONCE */
		if (len != 4 + 4 + 2 * TPM12_DIGEST_LEN)
			return parse_fail(e, TNC_EINVALID, QUOTE_MALFORMED, 0,
			    "neither a TPM_QUOTE_INFO (48 octets) nor a TPM_QUOTE_INFO2 (tag 0x0036)");
		if (wire_get_bytes(&r, 4, &b))
			return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, 0, "TPM_QUOTE_INFO");
		memcpy(q.struct_version, b.ptr, 4);
		if (wire_get_bytes(&r, 4, &b) ||
		    wire_get_bytes(&r, TPM12_DIGEST_LEN, &q.composite_hash) ||
		    wire_get_bytes(&r, TPM12_DIGEST_LEN, &q.external_data))
			return parse_fail(e, TNC_ETRUNCATED, QUOTE_MALFORMED, 4, "TPM_QUOTE_INFO");
		memcpy(q.fixed, b.ptr, 4);
	}
	if (wire_remaining(&r))
		return parse_fail(e, TNC_ETRAILING, QUOTE_MALFORMED, wire_offset(&r),
		    "bytes after the TPM_QUOTE_INFO2");
	*ret = q;
	return 0;
}
