/* ima_int.h - between the IMA list readers and the replay (ima.c); not
 * for callers of ima.h.
 *
 * A reader yields one entry per call with index, offset, PCR, template
 * hash, name and template data (what the template hash covers) filled in,
 * and the file's path, hash and signature found in the template data
 * (ima_template_fields()).  Views point into the list or into rd->scratch
 * and stay valid until the next call.
 */
#ifndef TNC_ATTEST_IMA_INT_H
#define TNC_ATTEST_IMA_INT_H

#include <string.h>

#include "ima.h"

/* The kernel's IMA_EVENT_NAME_LEN_MAX + 1: the ima template hashes its
 * file name zero-padded to this size. */
#define IMA_LEGACY_NAME_LEN 256
#define IMA_LEGACY_DIGEST_LEN 20
#define IMA_FIELDS_MAX 16

/* What a template field means to a verifier. */
enum ima_field {
	IMA_FIELD_OTHER, /* skipped by its length */
	IMA_FIELD_D,     /* d: 20-byte SHA-1 digest */
	IMA_FIELD_D_NG,  /* d-ng, d-ngv2: "[type:]alg:" NUL digest */
	IMA_FIELD_N,     /* n (outside the ima template), n-ng: the name and its NUL */
	IMA_FIELD_N_NG,
	IMA_FIELD_SIG,
	IMA_FIELD_BUF,
};

/* A template's fields, worked out from its name once and kept while the
 * entries keep using it (lists rarely mix templates). */
struct ima_template {
	char name[IMA_TEMPLATE_NAME_MAX + 1];
	size_t name_len;
	char list[IMA_TEMPLATE_NAME_MAX + 1]; /* "d-ng|n-ng|sig" */
	size_t n;
	struct bytes ids[IMA_FIELDS_MAX];     /* into list */
	enum ima_field fields[IMA_FIELDS_MAX];
};

struct ima_reader {
	struct wire_reader r;      /* over the whole list */
	enum digest_alg alg;       /* of the template hashes */
	uint32_t max_entry_data;
	uint32_t index;            /* of the next entry */
	uint8_t hash[DIGEST_MAX];  /* an ASCII line's template hash */
	struct ima_template tmpl;  /* of the last entry */
	uint8_t *scratch;          /* rebuilt template data (ASCII), padded name (ima template) */
	size_t scratch_cap;        /* at least IMA_SCRATCH_EXTRA */
};

#define IMA_SCRATCH_EXTRA (IMA_LEGACY_DIGEST_LEN + IMA_LEGACY_NAME_LEN)

/* Binary lists.  detect: the template hash size that makes the first
 * entry parse (0 or TNC_EINVALID with err). */
int ima_binary_detect(const uint8_t *list, size_t len, enum digest_alg *ret,
    struct attest_error *err) TNC_MUST_CHECK;
int ima_binary_next(struct ima_reader *rd, struct ima_entry *e, struct attest_error *err)
    TNC_MUST_CHECK;
int ima_binary_frame(struct ima_reader *rd, struct attest_error *err) TNC_MUST_CHECK;

/* ASCII lists: the template hash algorithm from the first line's hash. */
int ima_ascii_detect(const uint8_t *list, size_t len, enum digest_alg *ret,
    struct attest_error *err) TNC_MUST_CHECK;
int ima_ascii_next(struct ima_reader *rd, struct ima_entry *e, struct attest_error *err)
    TNC_MUST_CHECK;

/* The legacy ima template, framed and hashed unlike all others. */
static inline bool
ima_is_legacy(struct bytes template_name)
{
	return template_name.len == 3 && memcmp(template_name.ptr, "ima", 3) == 0;
}

/* An empty entry: what the readers start from.  Field by field, as the
 * signature result (set later) makes a whole-struct memset the costliest
 * step of reading an entry. */
static inline void
ima_entry_start(struct ima_entry *e, uint32_t index, size_t offset)
{
	static const struct bytes none;

	e->index = index;
	e->offset = offset;
	e->pcr = 0;
	e->template_hash = NULL;
	e->template_name = e->template_data = e->path = e->file_hash_alg = none;
	e->file_hash = e->sig = e->buf = none;
	e->file_hash_digest = -1;
	e->violation = e->template_hash_ok = e->buf_digest_ok = false;
	e->sig_result.status = IMA_SIG_NONE;
}

/* next reads a whole entry; frame only checks its lengths and skips it
 * (counting a binary list).  They return TNC_ENOTFOUND at the end. */

/* Makes t describe the template e->template_name (a known name, or a
 * "field|field" list), unless it already does.  0, or TNC_EINVALID with
 * err for more than IMA_FIELDS_MAX fields. */
int ima_template_lookup(struct ima_template *t, const struct ima_entry *e, struct attest_error *err)
    TNC_MUST_CHECK;

/* Splits e->template_data (length-prefixed fields of template t) and
 * fills path, file hash and its algorithm, sig and buf.  0, or
 * TNC_EINVALID with err naming the entry and field. */
int ima_template_fields(const struct ima_template *t, struct ima_entry *e, struct attest_error *err)
    TNC_MUST_CHECK;

/* Fills e->file_hash_alg, ->file_hash and ->file_hash_digest from a d-ng
 * or d-ngv2 field: "[type:]alg:" NUL digest.  0 or TNC_EINVALID. */
int ima_digest_ng(struct bytes field, struct ima_entry *e) TNC_MUST_CHECK;

#endif
