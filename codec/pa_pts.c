/* pa_pts.c - PTS negotiation attributes (TCG Attestation PTS Protocol:
 * Binding to TNC IF-M 1.0, 3.6-3.13) and the values several PTS attributes
 * share: algorithm and D-H group sets, Component Functional Names.
 *
 * Offsets in errors count from the start of the value; reserved fields are
 * ignored on reception and sent as zero (3.2).
 */
#include "pa_pts.h"

#include "pa_tnc.h"
#include "pa_value.h"

size_t
pa_pts_algo_size(uint16_t algo)
{
	switch (algo) {
	case PA_PTS_ALGO_SHA1:
		return 20;
	case PA_PTS_ALGO_SHA256:
		return 32;
	case PA_PTS_ALGO_SHA384:
		return 48;
	case PA_PTS_ALGO_SHA512:
		return 64;
	default:
		return 0;
	}
}

bool
pa_pts_algo_is_one(uint16_t set)
{
	return pa_pts_algo_size(set) != 0;
}

size_t
pa_pts_dh_public_size(uint16_t group)
{
	switch (group) {
	case PA_PTS_DH_MODP1024:
		return 128;
	case PA_PTS_DH_MODP1536:
		return 192;
	case PA_PTS_DH_MODP2048:
		return 256;
	case PA_PTS_DH_ECP256:
		return 64;
	case PA_PTS_DH_ECP384:
		return 96;
	default:
		return 0;
	}
}

int
pa_pts_comp_name_get(struct wire_reader *r, struct pa_pts_comp_name *ret, struct parse_error *e)
{
	size_t at = wire_offset(r);
	struct pa_pts_comp_name n;

	if (wire_get_u24(r, &n.vendor) || wire_get_u8(r, &n.qualifier) ||
	    wire_get_u32(r, &n.name))
		return pa_value_truncated(e, r);
	/* 5.1: binary enumeration is the only family defined. */
	if (n.qualifier & PA_PTS_FAMILY_MASK)
		return pa_value_fail(e, TNC_EINVALID, at + 3,
		    "functional name encoding family is not binary enumeration");
	*ret = n;
	return 0;
}

void
pa_pts_comp_name_put(struct wire_writer *w, const struct pa_pts_comp_name *n)
{
	if (n->vendor > PA_TNC_VENDOR_MAX || (n->qualifier & PA_PTS_FAMILY_MASK))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u24(w, n->vendor);
	wire_put_u8(w, n->qualifier);
	wire_put_u32(w, n->name);
}

/* A value of exactly one 32-bit field. */
static int
get_u32_value(struct bytes value, uint32_t *ret, struct parse_error *e)
{
	struct wire_reader r;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u32(&r, ret))
		return pa_value_truncated(e, &r);
	return pa_value_end(e, &r);
}

int
pa_pts_reserved_decode(struct bytes value, struct parse_error *ret_err)
{
	uint32_t reserved;

	return get_u32_value(value, &reserved, ret_err);
}

void
pa_pts_reserved_encode(struct wire_writer *w)
{
	wire_put_u32(w, 0);
}

int
pa_pts_caps_decode(struct bytes value, uint32_t *ret, struct parse_error *ret_err)
{
	uint32_t v;
	int err;

	if ((err = get_u32_value(value, &v, ret_err)))
		return err;
	*ret = v & PA_PTS_CAPS_ALL;
	return 0;
}

void
pa_pts_caps_encode(struct wire_writer *w, uint32_t caps)
{
	if (caps & ~(uint32_t)PA_PTS_CAPS_ALL)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u32(w, caps);
}

int
pa_pts_algo_request_decode(struct bytes value, uint16_t *ret, struct parse_error *ret_err)
{
	uint32_t v;
	int err;

	if ((err = get_u32_value(value, &v, ret_err)))
		return err;
	*ret = (uint16_t)(v & PA_PTS_ALGOS_ALL);
	return 0;
}

int
pa_pts_algo_decode(struct bytes value, uint16_t *ret, struct parse_error *ret_err)
{
	uint32_t v;
	int err;

	if ((err = get_u32_value(value, &v, ret_err)))
		return err;
	/* 3.9.2: the selection names exactly one algorithm. */
	if (!pa_pts_algo_is_one((uint16_t)v))
		return pa_value_fail(ret_err, TNC_EINVALID, 2,
		    "selected measurement algorithm is not exactly one known algorithm");
	*ret = (uint16_t)v;
	return 0;
}

void
pa_pts_algo_encode(struct wire_writer *w, uint16_t algos)
{
	if (algos & ~PA_PTS_ALGOS_ALL)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u16(w, 0); /* Reserved */
	wire_put_u16(w, algos);
}

int
pa_pts_dh_request_decode(struct bytes value, struct pa_pts_dh_request *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_dh_request v;
	struct wire_reader r;
	uint8_t reserved;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &reserved) || wire_get_u8(&r, &v.min_nonce_len) ||
	    wire_get_u16(&r, &v.groups))
		return pa_value_truncated(ret_err, &r);
	if ((err = pa_value_end(ret_err, &r)))
		return err;
	v.groups &= PA_PTS_DH_ALL;
	*ret = v;
	return 0;
}

void
pa_pts_dh_request_encode(struct wire_writer *w, const struct pa_pts_dh_request *v)
{
	if (v->groups & ~PA_PTS_DH_ALL)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u8(w, v->min_nonce_len);
	wire_put_u16(w, v->groups);
}

int
pa_pts_dh_response_decode(struct bytes value, struct pa_pts_dh_response *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_dh_response v;
	struct wire_reader r;
	uint32_t reserved;
	uint8_t nonce_len;
	size_t size;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u24(&r, &reserved) || wire_get_u8(&r, &nonce_len) ||
	    wire_get_u16(&r, &v.group) || wire_get_u16(&r, &v.hash_algos))
		return pa_value_truncated(ret_err, &r);
	/* 3.8.2: the responder selects one of the offered groups. */
	if ((size = pa_pts_dh_public_size(v.group)) == 0)
		return pa_value_fail(ret_err, TNC_EINVALID, 4,
		    "selected D-H group is not exactly one known group");
	v.hash_algos &= PA_PTS_ALGOS_ALL;
	if (nonce_len == 0)
		return pa_value_fail(ret_err, TNC_EINVALID, 3, "D-H responder nonce is empty");
	if (wire_get_bytes(&r, nonce_len, &v.nonce))
		return pa_value_fail(ret_err, TNC_ETRUNCATED, 3,
		    "nonce length past the end of the value");
	if (wire_remaining(&r) != size)
		return pa_value_fail(ret_err, TNC_EINVALID, wire_offset(&r),
		    "D-H public value does not have the size of the selected group");
	if (wire_get_bytes(&r, size, &v.public_value))
		return pa_value_truncated(ret_err, &r);
	*ret = v;
	return 0;
}

void
pa_pts_dh_response_encode(struct wire_writer *w, const struct pa_pts_dh_response *v)
{
	size_t size = pa_pts_dh_public_size(v->group);

	if (size == 0 || v->public_value.len != size || v->nonce.len == 0 ||
	    v->nonce.len > UINT8_MAX || (v->hash_algos & ~PA_PTS_ALGOS_ALL))
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u24(w, 0); /* Reserved */
	wire_put_u8(w, (uint8_t)v->nonce.len);
	wire_put_u16(w, v->group);
	wire_put_u16(w, v->hash_algos);
	wire_put_bytes(w, v->nonce.ptr, v->nonce.len);
	wire_put_bytes(w, v->public_value.ptr, v->public_value.len);
}

int
pa_pts_dh_finish_decode(struct bytes value, struct pa_pts_dh_finish *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_dh_finish v;
	struct wire_reader r;
	uint8_t reserved, nonce_len;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &reserved) || wire_get_u8(&r, &nonce_len) ||
	    wire_get_u16(&r, &v.hash_algo))
		return pa_value_truncated(ret_err, &r);
	/* 3.8.3: one of the algorithms the responder offered. */
	if (!pa_pts_algo_is_one(v.hash_algo))
		return pa_value_fail(ret_err, TNC_EINVALID, 2,
		    "selected hash algorithm is not exactly one known algorithm");
	if (nonce_len == 0)
		return pa_value_fail(ret_err, TNC_EINVALID, 1, "D-H initiator nonce is empty");
	/* The public value comes first; the nonce, of known length, ends the
	 * value; a public value must remain between them. */
	if (wire_remaining(&r) <= nonce_len)
		return pa_value_fail(ret_err, TNC_ETRUNCATED, 1,
		    "nonce length leaves no D-H public value");
	if (wire_get_bytes(&r, wire_remaining(&r) - nonce_len, &v.public_value) ||
	    wire_get_bytes(&r, nonce_len, &v.nonce))
		return pa_value_truncated(ret_err, &r);
	*ret = v;
	return 0;
}

void
pa_pts_dh_finish_encode(struct wire_writer *w, const struct pa_pts_dh_finish *v)
{
	if (!pa_pts_algo_is_one(v->hash_algo) || v->nonce.len == 0 || v->nonce.len > UINT8_MAX ||
	    v->public_value.len == 0)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, 0); /* Reserved */
	wire_put_u8(w, (uint8_t)v->nonce.len);
	wire_put_u16(w, v->hash_algo);
	wire_put_bytes(w, v->public_value.ptr, v->public_value.len);
	wire_put_bytes(w, v->nonce.ptr, v->nonce.len);
}

/* TPM_CAP_VERSION_INFO after its tag. */
static int
tpm12_version(struct wire_reader *r, struct pa_pts_tpm_version *v, struct parse_error *e)
{
	uint16_t vendor_len;
	size_t at;

	if (wire_get_u8(r, &v->major) || wire_get_u8(r, &v->minor) ||
	    wire_get_u8(r, &v->rev_major) || wire_get_u8(r, &v->rev_minor) ||
	    wire_get_u16(r, &v->spec_level) || wire_get_u8(r, &v->errata_rev) ||
	    wire_get_u32(r, &v->vendor))
		return pa_value_truncated(e, r);
	at = wire_offset(r);
	if (wire_get_u16(r, &vendor_len))
		return pa_value_truncated(e, r);
	if (wire_get_bytes(r, vendor_len, &v->vendor_specific))
		return pa_value_fail(e, TNC_ETRUNCATED, at,
		    "vendor specific length past the end of the value");
	return pa_value_end(e, r);
}

/* strongSwan's TPM 2.0 layout after its tag. */
static int
tpm20_version(struct wire_reader *r, struct pa_pts_tpm_version *v, struct parse_error *e)
{
	uint8_t reserved;

	if (wire_get_u8(r, &reserved) || wire_get_u8(r, &v->locality) ||
	    wire_get_u32(r, &v->revision) || wire_get_u32(r, &v->year) ||
	    wire_get_u32(r, &v->vendor))
		return pa_value_truncated(e, r);
	return pa_value_end(e, r);
}

int
pa_pts_tpm_version_decode(struct bytes value, struct pa_pts_tpm_version *ret,
    struct parse_error *ret_err)
{
	struct pa_pts_tpm_version v = {0};
	struct wire_reader r;
	int err;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u16(&r, &v.tag))
		return pa_value_truncated(ret_err, &r);
	if (v.tag == PA_PTS_TPM12_VERSION_TAG)
		err = tpm12_version(&r, &v, ret_err);
	else if (v.tag == PA_PTS_TPM20_VERSION_TAG)
		err = tpm20_version(&r, &v, ret_err);
	else
		err = pa_value_fail(ret_err, TNC_EINVALID, 0,
		    "TPM version information is neither TPM_CAP_VERSION_INFO nor TPM 2.0");
	if (err)
		return err;
	*ret = v;
	return 0;
}

void
pa_pts_tpm_version_encode(struct wire_writer *w, const struct pa_pts_tpm_version *v)
{
	wire_put_u16(w, v->tag);
	if (v->tag == PA_PTS_TPM20_VERSION_TAG) {
		wire_put_u8(w, 0); /* Reserved */
		wire_put_u8(w, v->locality);
		wire_put_u32(w, v->revision);
		wire_put_u32(w, v->year);
		wire_put_u32(w, v->vendor);
		return;
	}
	if (v->tag != PA_PTS_TPM12_VERSION_TAG || v->vendor_specific.len > UINT16_MAX)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->major);
	wire_put_u8(w, v->minor);
	wire_put_u8(w, v->rev_major);
	wire_put_u8(w, v->rev_minor);
	wire_put_u16(w, v->spec_level);
	wire_put_u8(w, v->errata_rev);
	wire_put_u32(w, v->vendor);
	wire_put_u16(w, (uint16_t)v->vendor_specific.len);
	wire_put_bytes(w, v->vendor_specific.ptr, v->vendor_specific.len);
}

int
pa_pts_aik_decode(struct bytes value, struct pa_pts_aik *ret, struct parse_error *ret_err)
{
	struct pa_pts_aik v;
	struct wire_reader r;
	uint8_t flags;

	wire_reader_init(&r, value.ptr, value.len);
	if (wire_get_u8(&r, &flags))
		return pa_value_truncated(ret_err, &r);
	if (wire_remaining(&r) == 0)
		return pa_value_fail(ret_err, TNC_ETRUNCATED, 1,
		    "attestation identity key is empty");
	if (wire_get_bytes(&r, wire_remaining(&r), &v.blob))
		return pa_value_truncated(ret_err, &r);
	v.naked = (flags & PA_PTS_AIK_FLAG_NAKED) != 0;
	*ret = v;
	return 0;
}

void
pa_pts_aik_encode(struct wire_writer *w, const struct pa_pts_aik *v)
{
	if (v->blob.len == 0)
		wire_writer_fail(w, TNC_EINVALID);
	wire_put_u8(w, v->naked ? PA_PTS_AIK_FLAG_NAKED : 0);
	wire_put_bytes(w, v->blob.ptr, v->blob.len);
}
