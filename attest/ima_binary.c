/* ima_binary.c - reading binary_runtime_measurements (see ima_int.h).
 *
 * Per entry (Linux ima_fs.c, ima_measurements_show): u32 PCR, the template
 * hash (20 bytes, or the bank's size in binary_runtime_measurements_<alg>),
 * u32 name length, template name, then u32 template data length and the
 * data (length-prefixed fields) - except for the ima template, which has
 * neither the data length nor a length before its 20-byte digest: digest,
 * u32 name length, name.
 */
#include <string.h>

#include "ima_int.h"
#include "le.h"

static bool
printable(struct bytes b)
{
	for (size_t i = 0; i < b.len; i++)
		if (b.ptr[i] < 0x21 || b.ptr[i] > 0x7e)
			return false;
	return b.len > 0;
}

int
ima_binary_detect(const uint8_t *list, size_t len, enum digest_alg *ret, struct attest_error *err)
{
	/* The name length lands on digest bytes for any other size, which
	 * are all but never a small number followed by a printable name. */
	for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
		size_t at = 4 + digest_size((enum digest_alg)a);
		uint32_t n;

		if (len < at + 4)
			break;
		n = le32(list + at);
		if (n == 0 || n > IMA_TEMPLATE_NAME_MAX || n > len - at - 4 ||
		    !printable((struct bytes){list + at + 4, n}))
			continue;
		*ret = (enum digest_alg)a;
		return 0;
	}
	return attest_fail(err, TNC_EINVALID, 0,
	    "entry 0: no template hash size (20, 32, 48, 64) gives a template name:"
	    " not a binary IMA measurement list");
}

static int
truncated(const struct ima_entry *e, const struct wire_reader *r, const char *field,
    struct attest_error *err)
{
	return attest_fail(err, TNC_ETRUNCATED, wire_offset(r),
	    "entry %u at offset %zu: the list ends inside its %s", e->index, e->offset, field);
}

/* The ima template's digest and name (no template data length). */
static int
frame_legacy(struct wire_reader *r, struct ima_entry *e, struct attest_error *err)
{
	uint32_t len;

	if (le_get_bytes(r, IMA_LEGACY_DIGEST_LEN, &e->file_hash))
		return truncated(e, r, "digest", err);
	if (le_get_u32(r, &len))
		return truncated(e, r, "file name length", err);
	if (len >= IMA_LEGACY_NAME_LEN)
		return attest_fail(err, TNC_EINVALID, wire_offset(r) - 4,
		    "entry %u at offset %zu: file name of %u bytes in an ima template (at most 255)",
		    e->index, e->offset, len);
	if (le_get_bytes(r, len, &e->path))
		return truncated(e, r, "file name", err);
	return 0;
}

/* The entry's framing: every length checked, nothing interpreted. */
static int
frame(struct ima_reader *rd, struct ima_entry *e, struct attest_error *err)
{
	struct wire_reader *r = &rd->r;
	struct bytes hash;
	uint32_t len;

	if (wire_remaining(r) == 0)
		return TNC_ENOTFOUND;
	ima_entry_start(e, rd->index, wire_offset(r));
	if (le_get_u32(r, &e->pcr))
		return truncated(e, r, "PCR index", err);
	if (e->pcr >= PCR_COUNT)
		return attest_fail(err, TNC_EINVALID, e->offset,
		    "entry %u at offset %zu: PCR index %u out of range (0-23)", e->index, e->offset,
		    e->pcr);
	if (le_get_bytes(r, digest_size(rd->alg), &hash))
		return truncated(e, r, "template hash", err);
	e->template_hash = hash.ptr;
	if (le_get_u32(r, &len))
		return truncated(e, r, "template name length", err);
	if (len == 0 || len > IMA_TEMPLATE_NAME_MAX)
		return attest_fail(err, TNC_EINVALID, wire_offset(r) - 4,
		    "entry %u at offset %zu: template name length %u (1-255)", e->index, e->offset, len);
	if (le_get_bytes(r, len, &e->template_name))
		return truncated(e, r, "template name", err);
	if (ima_is_legacy(e->template_name))
		return frame_legacy(r, e, err);
	if (le_get_u32(r, &len))
		return truncated(e, r, "template data length", err);
	if (len > rd->max_entry_data)
		return attest_fail(err, TNC_ETOOLONG, wire_offset(r) - 4,
		    "entry %u at offset %zu: %u bytes of template data exceed the limit of %u",
		    e->index, e->offset, len, rd->max_entry_data);
	if (le_get_bytes(r, len, &e->template_data))
		return truncated(e, r, "template data", err);
	return 0;
}

int
ima_binary_frame(struct ima_reader *rd, struct attest_error *err)
{
	struct ima_entry e;
	int rc = frame(rd, &e, err);

	if (rc == 0)
		rd->index++;
	return rc;
}

/* The ima template: the data the template hash covers is the digest and
 * the name zero-padded to 256 bytes (kernel ima_calc_field_array_hash). */
static int
fields_legacy(struct ima_reader *rd, struct ima_entry *e, struct attest_error *err)
{
	if (memchr(e->path.ptr, '\0', e->path.len))
		return attest_fail(err, TNC_EINVALID, e->offset,
		    "entry %u at offset %zu: NUL inside the file name", e->index, e->offset);
	memcpy(rd->scratch, e->file_hash.ptr, IMA_LEGACY_DIGEST_LEN);
	memset(rd->scratch + IMA_LEGACY_DIGEST_LEN, 0, IMA_LEGACY_NAME_LEN);
	memcpy(rd->scratch + IMA_LEGACY_DIGEST_LEN, e->path.ptr, e->path.len);
	e->template_data = (struct bytes){rd->scratch, IMA_LEGACY_DIGEST_LEN + IMA_LEGACY_NAME_LEN};
	e->file_hash_alg = (struct bytes){(const uint8_t *)"sha1", 4};
	e->file_hash_digest = DIGEST_SHA1;
	return 0;
}

int
ima_binary_next(struct ima_reader *rd, struct ima_entry *e, struct attest_error *err)
{
	int rc;

	if ((rc = frame(rd, e, err)))
		return rc;
	if (ima_is_legacy(e->template_name))
		rc = fields_legacy(rd, e, err);
	else if ((rc = ima_template_lookup(&rd->tmpl, e, err)) == 0)
		rc = ima_template_fields(&rd->tmpl, e, err);
	if (rc == 0)
		rd->index++;
	return rc;
}
