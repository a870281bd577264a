/* pa_pts_final.c - Simple Evidence Final (TCG PTS IF-M binding 3.15.2 and
 * strongSwan's TPM 2.0 flag 0x10; see pa_pts_final.h).
 *
 * Every length is checked against what remains before the field is viewed;
 * the TPM 2.0 fields also against the sizes TPMS_ATTEST gives them, and
 * the PCR selection is walked once (at most 16 banks of at most 4 octets)
 * so a consumer never meets a selection it would have to bound itself.
 */
#include "pa_pts_final.h"

#include "pa_pts.h"
#include "pa_value.h"

/* A field with a 16- or 32-bit length; *at is where its length starts. */
static int
get_field(struct wire_reader *r, bool wide, struct bytes *ret, size_t *at, const char *reason,
    struct parse_error *e)
{
	uint32_t len;
	uint16_t len16;

	*at = wire_offset(r);
	if (wide ? wire_get_u32(r, &len) : wire_get_u16(r, &len16))
		return pa_value_truncated(e, r);
	if (!wide)
		len = len16;
	if (wire_get_bytes(r, len, ret))
		return pa_value_fail(e, TNC_ETRUNCATED, *at, reason);
	return 0;
}

/* A TPML_PCR_SELECTION filling sel exactly; offsets from base. */
static int
check_pcr_select(struct bytes sel, size_t base, struct parse_error *e)
{
	struct wire_reader r;
	uint32_t count;
	uint16_t hash;
	uint8_t size;

	wire_reader_init(&r, sel.ptr, sel.len);
	if (wire_get_u32(&r, &count))
		return pa_value_fail(e, TNC_ETRUNCATED, base, "PCR selection truncated");
	if (count > PA_PTS_MAX_PCR_SELECTIONS)
		return pa_value_fail(e, TNC_ETOOLONG, base, "more than 16 PCR selections");
	for (uint32_t i = 0; i < count; i++) {
		size_t at = base + wire_offset(&r);

		if (wire_get_u16(&r, &hash) || wire_get_u8(&r, &size))
			return pa_value_fail(e, TNC_ETRUNCATED, at, "PCR selection truncated");
		if (size > PA_PTS_PCR_SELECT_MAX)
			return pa_value_fail(e, TNC_ETOOLONG, at + 2, "PCR select bitmap above 4 octets");
		if (wire_skip(&r, size))
			return pa_value_fail(e, TNC_ETRUNCATED, at + 2, "PCR selection truncated");
	}
	if (wire_remaining(&r) > 0)
		return pa_value_fail(e, TNC_ETRAILING, base + wire_offset(&r),
		    "bytes after the PCR selection");
	return 0;
}

/* strongSwan's TPMS_ATTEST fields after the PCR digest. */
static int
get_tpm2(struct wire_reader *r, struct pa_pts_final *v, struct parse_error *e)
{
	size_t at;
	int err;

	if ((err = get_field(r, false, &v->qualified_signer, &at,
	    "qualified signer length past the end of the value", e)))
		return err;
	if (v->qualified_signer.len == 0 || v->qualified_signer.len > PA_PTS_NAME_MAX)
		return pa_value_fail(e, TNC_EINVALID, at, "qualified signer is not 1 to 66 octets");
	if ((err = get_field(r, false, &v->clock_info, &at,
	    "clock info length past the end of the value", e)))
		return err;
	if (v->clock_info.len != PA_PTS_CLOCK_INFO_LEN)
		return pa_value_fail(e, TNC_EINVALID, at, "clock info is not 17 octets");
	if ((err = get_field(r, false, &v->firmware_version, &at,
	    "firmware version length past the end of the value", e)))
		return err;
	if (v->firmware_version.len != PA_PTS_FIRMWARE_LEN)
		return pa_value_fail(e, TNC_EINVALID, at, "firmware version is not 8 octets");
	if ((err = get_field(r, false, &v->pcr_select, &at,
	    "PCR selection length past the end of the value", e)))
		return err;
	return check_pcr_select(v->pcr_select, at + 2, e);
}

/* The PCR composite (or digest) and, for TPM 2.0, its fields. */
static int
get_quote(struct wire_reader *r, struct pa_pts_final *v, struct parse_error *e)
{
	size_t at;
	int err;

	if ((err = get_field(r, true, &v->composite, &at,
	    "PCR composite length past the end of the value", e)))
		return err;
	if (v->composite.len == 0)
		return pa_value_fail(e, TNC_EINVALID, at, "PCR composite is empty");
	if (v->mode == PA_PTS_QUOTE_TPM2) {
		/* The digest of the quoted PCRs, in the algorithm named up front. */
		if (v->composite.len != pa_pts_algo_size(v->composite_algo))
			return pa_value_fail(e, TNC_EINVALID, at,
			    "PCR digest does not have the size of the composite hash algorithm");
		if ((err = get_tpm2(r, v, e)))
			return err;
	}
	if ((err = get_field(r, true, &v->quote_sig, &at,
	    "quote signature length past the end of the value", e)))
		return err;
	if (v->quote_sig.len == 0)
		return pa_value_fail(e, TNC_EINVALID, at, "quote signature is empty");
	return 0;
}

int
pa_pts_final_decode(struct bytes value, struct pa_pts_final *ret, struct parse_error *ret_err)
{
	struct pa_pts_final v = {0};
	struct wire_reader r;
	uint8_t flags, reserved;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &flags) || wire_get_u8(&r, &reserved) ||
	    wire_get_u16(&r, &v.composite_algo))
		return pa_value_truncated(ret_err, &r);
	v.mode = flags & PA_PTS_FINAL_QUOTE_MASK;
	v.has_evid_sig = (flags & PA_PTS_FINAL_FLAG_EVID_SIG) != 0;
	if (v.mode != PA_PTS_QUOTE_NONE && v.mode != PA_PTS_QUOTE_TPM2 &&
	    v.mode != PA_PTS_QUOTE_INFO && v.mode != PA_PTS_QUOTE_INFO2 &&
	    v.mode != PA_PTS_QUOTE_INFO2_CAP_VER)
		return pa_value_fail(ret_err, TNC_EINVALID, 0, "unknown quote info flags");
	if (v.composite_algo != 0 && !pa_pts_algo_is_one(v.composite_algo))
		return pa_value_fail(ret_err, TNC_EINVALID, 2,
		    "composite hash algorithm is neither 0 nor one known algorithm");
	if (v.mode != PA_PTS_QUOTE_NONE && (err = get_quote(&r, &v, ret_err)))
		return err;
	if (v.has_evid_sig) {
		if (wire_remaining(&r) == 0)
			return pa_value_fail(ret_err, TNC_ETRUNCATED, wire_offset(&r),
			    "evidence signature announced but missing");
		if (wire_get_bytes(&r, wire_remaining(&r), &v.evid_sig))
			return pa_value_truncated(ret_err, &r);
	}
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	*ret = v;
	return 0;
}

static void
put_field(struct wire_writer *w, bool wide, struct bytes b)
{
	if (b.len > (wide ? UINT32_MAX : UINT16_MAX))
		wire_writer_fail(w, TNC_EINVALID);
	if (wide)
		wire_put_u32(w, (uint32_t)b.len);
	else
		wire_put_u16(w, (uint16_t)b.len);
	wire_put_bytes(w, b.ptr, b.len);
}

/* What the decoder would refuse, checked before encoding. */
static bool
encodable(const struct pa_pts_final *v)
{
	struct parse_error ignored;

	if (v->composite_algo != 0 && !pa_pts_algo_is_one(v->composite_algo))
		return false;
	if (v->has_evid_sig != (v->evid_sig.len > 0))
		return false;
	switch (v->mode) {
	case PA_PTS_QUOTE_NONE:
		return v->composite.len == 0 && v->quote_sig.len == 0;
	case PA_PTS_QUOTE_TPM2:
		return v->composite.len == pa_pts_algo_size(v->composite_algo) &&
		    v->qualified_signer.len > 0 && v->qualified_signer.len <= PA_PTS_NAME_MAX &&
		    v->clock_info.len == PA_PTS_CLOCK_INFO_LEN &&
		    v->firmware_version.len == PA_PTS_FIRMWARE_LEN &&
		    check_pcr_select(v->pcr_select, 0, &ignored) == 0 && v->quote_sig.len > 0;
	case PA_PTS_QUOTE_INFO:
	case PA_PTS_QUOTE_INFO2:
	case PA_PTS_QUOTE_INFO2_CAP_VER:
		return v->composite.len > 0 && v->quote_sig.len > 0;
	default:
		return false;
	}
}

void
pa_pts_final_encode(struct wire_writer *w, const struct pa_pts_final *v)
{
	if (!encodable(v))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->mode | (v->has_evid_sig ? PA_PTS_FINAL_FLAG_EVID_SIG : 0));
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u16(w, v->composite_algo);
	if (v->mode != PA_PTS_QUOTE_NONE) {
		put_field(w, true, v->composite);
		if (v->mode == PA_PTS_QUOTE_TPM2) {
			put_field(w, false, v->qualified_signer);
			put_field(w, false, v->clock_info);
			put_field(w, false, v->firmware_version);
			put_field(w, false, v->pcr_select);
		}
		put_field(w, true, v->quote_sig);
	}
	wire_put_bytes(w, v->evid_sig.ptr, v->evid_sig.len);
}

void
pa_pts_pcr_select_iter_init(struct pa_pts_pcr_select_iter *it, struct bytes pcr_select)
{
	wire_reader_init(&it->r, pcr_select.ptr, pcr_select.len);
	if (wire_get_u32(&it->r, &it->left))
		it->left = 0;
}

bool
pa_pts_pcr_select_next(struct pa_pts_pcr_select_iter *it, uint16_t *ret_hash,
    struct bytes *ret_select)
{
	uint16_t hash;
	uint8_t size;

	if (it->left == 0 || wire_get_u16(&it->r, &hash) || wire_get_u8(&it->r, &size) ||
	    wire_get_bytes(&it->r, size, ret_select))
		return false;
	it->left--;
	*ret_hash = hash;
	return true;
}
