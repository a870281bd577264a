/* ima_template.c - IMA templates: which fields a template has, and the
 * fields a verifier needs (file name, file digest, signature, buffer).
 *
 * Template descriptors as the kernel defines them (ima_template.c); a name
 * that is not one of them is read as a "field|field" list, the form custom
 * templates are logged under (a single field, e.g. "sig", is a list too).
 * Fields this code does not know are skipped by their length.
 */
#include <stdint.h>
#include <string.h>

#include "ima_int.h"
#include "le.h"

static const struct {
	const char *name, *fields;
} templates[] = {
    {"ima", "d|n"},
    {"ima-ng", "d-ng|n-ng"},
    {"ima-ngv2", "d-ngv2|n-ng"},
    {"ima-sig", "d-ng|n-ng|sig"},
    {"ima-sigv2", "d-ngv2|n-ng|sig"},
    {"ima-buf", "d-ng|n-ng|buf"},
    {"ima-modsig", "d-ng|n-ng|sig|d-modsig|modsig"},
    {"evm-sig", "d-ng|n-ng|evmsig|xattrnames|xattrlengths|xattrvalues|iuid|igid|imode"},
};

static const struct {
	const char *id;
	enum ima_field field;
} field_ids[] = {
    {"d", IMA_FIELD_D},
    {"d-ng", IMA_FIELD_D_NG},
    {"d-ngv2", IMA_FIELD_D_NG},
    {"n", IMA_FIELD_N},
    {"n-ng", IMA_FIELD_N_NG},
    {"sig", IMA_FIELD_SIG},
    {"buf", IMA_FIELD_BUF},
};

static enum ima_field
field_of(struct bytes id)
{
	for (size_t i = 0; i < sizeof(field_ids) / sizeof(field_ids[0]); i++)
		if (bytes_eq_str(id, field_ids[i].id))
			return field_ids[i].field;
	return IMA_FIELD_OTHER;
}

int
ima_template_lookup(struct ima_template *t, const struct ima_entry *e, struct attest_error *err)
{
	struct bytes name = e->template_name;
	const char *list = NULL;
	size_t start = 0, len;

	if (name.len == t->name_len && memcmp(name.ptr, t->name, name.len) == 0)
		return 0;
	t->name_len = 0; /* no template until this one is complete */
	for (size_t i = 0; i < sizeof(templates) / sizeof(templates[0]) && !list; i++)
		if (bytes_eq_str(name, templates[i].name))
			list = templates[i].fields;
	len = list ? strlen(list) : name.len;
	memcpy(t->list, list ? list : (const char *)name.ptr, len);
	t->n = 0;
	for (size_t i = 0; i <= len; i++) {
		if (i < len && t->list[i] != '|')
			continue;
		if (t->n == IMA_FIELDS_MAX)
			return attest_fail(err, TNC_EINVALID, e->offset,
			    "entry %u at offset %zu: template name with more than %d fields", e->index,
			    e->offset, IMA_FIELDS_MAX);
		t->ids[t->n] = (struct bytes){(const uint8_t *)t->list + start, i - start};
		t->fields[t->n] = field_of(t->ids[t->n]);
		t->n++;
		start = i + 1;
	}
	memcpy(t->name, name.ptr, name.len);
	t->name_len = name.len;
	return 0;
}

int
ima_digest_ng(struct bytes field, struct ima_entry *e)
{
	size_t nul, colon = SIZE_MAX, start = 0;
	enum digest_alg a;

	/* "alg:" or, for d-ngv2, "type:alg:", then NUL and the digest; one
	 * pass over the short prefix finds the NUL and where alg starts */
	for (nul = 0; nul < field.len && field.ptr[nul]; nul++)
		if (field.ptr[nul] == ':') {
			start = colon == SIZE_MAX ? 0 : colon + 1;
			colon = nul;
		}
	if (nul == field.len || nul == 0 || field.ptr[nul - 1] != ':')
		return TNC_EINVALID;
	e->file_hash_alg = (struct bytes){field.ptr + start, colon - start};
	e->file_hash = (struct bytes){field.ptr + nul + 1, field.len - nul - 1};
	e->file_hash_digest = -1;
	if (digest_from_name((const char *)e->file_hash_alg.ptr, e->file_hash_alg.len, &a) == 0) {
		if (e->file_hash.len != digest_size(a))
			return TNC_EINVALID;
		e->file_hash_digest = (int)a;
	}
	return 0;
}

static void
put_le32(uint8_t *p, size_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> 8 * i);
}

int
ima_rebuild_hash(struct digest_ctx *d, enum digest_alg alg, enum ima_rebuild form,
    const char *file_algo, struct bytes digest, struct bytes name, uint8_t *out)
{
	/* the longest: u32, "sha512:" NUL, digest, u32, name NUL, u32 */
	uint8_t buf[4 + 8 + DIGEST_MAX + 4 + IMA_NAME_MAX + 1 + 4];
	size_t alen = strlen(file_algo), n = 0;

	if (form == IMA_REBUILD_LEGACY) {
		if (digest.len != IMA_LEGACY_DIGEST_LEN || name.len >= IMA_LEGACY_NAME_LEN)
			return TNC_EINVALID;
		memset(buf, 0, IMA_LEGACY_DIGEST_LEN + IMA_LEGACY_NAME_LEN);
		memcpy(buf, digest.ptr, digest.len);
		memcpy(buf + IMA_LEGACY_DIGEST_LEN, name.ptr, name.len);
		digest_two(d, alg, buf, IMA_LEGACY_DIGEST_LEN + IMA_LEGACY_NAME_LEN, NULL, 0, out);
		return 0;
	}
	if (alen > 7 || digest.len > DIGEST_MAX || name.len > IMA_NAME_MAX)
		return TNC_EINVALID;
	put_le32(buf, alen + 2 + digest.len);
	memcpy(buf + 4, file_algo, alen);
	n = 4 + alen;
	buf[n++] = ':';
	buf[n++] = 0;
	memcpy(buf + n, digest.ptr, digest.len);
	n += digest.len;
	put_le32(buf + n, name.len + 1);
	memcpy(buf + n + 4, name.ptr, name.len);
	n += 4 + name.len;
	buf[n++] = 0;
	if (form == IMA_REBUILD_SIG) {
		put_le32(buf + n, 0);
		n += 4;
	}
	digest_two(d, alg, buf, n, NULL, 0, out);
	return 0;
}

static int
field_fail(const struct ima_entry *e, struct bytes id, struct attest_error *err, const char *what)
{
	return attest_fail(err, TNC_EINVALID, e->offset, "entry %u at offset %zu: field %.*s %s",
	    e->index, e->offset, (int)id.len, (const char *)id.ptr, what);
}

/* One field's meaning for a verifier. */
static int
take_field(struct ima_entry *e, enum ima_field f, struct bytes id, struct bytes v,
    struct attest_error *err)
{
	switch (f) {
	case IMA_FIELD_D_NG:
		if (ima_digest_ng(v, e))
			return field_fail(e, id, err, "is not \"[type:]alg:\" NUL digest of that algorithm");
		break;
	case IMA_FIELD_D:
		if (v.len != IMA_LEGACY_DIGEST_LEN)
			return field_fail(e, id, err, "is not a 20-byte SHA-1 digest");
		e->file_hash_alg = (struct bytes){(const uint8_t *)"sha1", 4};
		e->file_hash_digest = DIGEST_SHA1;
		e->file_hash = v;
		break;
	case IMA_FIELD_N:
	case IMA_FIELD_N_NG: /* both hold the name with its NUL */
		if (v.len > 0 && v.ptr[v.len - 1] == '\0')
			v.len--;
		if (memchr(v.ptr, '\0', v.len))
			return field_fail(e, id, err, "holds a NUL inside the name");
		e->path = v;
		break;
	case IMA_FIELD_SIG:
		e->sig = v;
		break;
	case IMA_FIELD_BUF:
		e->buf = v;
		break;
	case IMA_FIELD_OTHER:
		break;
	}
	return 0;
}

int
ima_template_fields(const struct ima_template *t, struct ima_entry *e, struct attest_error *err)
{
	struct wire_reader r;
	struct bytes v;
	uint32_t len;
	int rc;

	wire_reader_init(&r, e->template_data.ptr, e->template_data.len);
	for (size_t i = 0; i < t->n; i++) {
		if (le_get_u32(&r, &len) || le_get_bytes(&r, len, &v))
			return attest_fail(err, TNC_EINVALID, e->offset,
			    "entry %u at offset %zu: template %.*s has %zu fields, its data ends in field %zu",
			    e->index, e->offset, (int)e->template_name.len,
			    (const char *)e->template_name.ptr, t->n, i + 1);
		if ((rc = take_field(e, t->fields[i], t->ids[i], v, err)))
			return rc;
	}
	if (wire_remaining(&r))
		return attest_fail(err, TNC_EINVALID, e->offset,
		    "entry %u at offset %zu: %zu bytes after the %zu fields of template %.*s", e->index,
		    e->offset, wire_remaining(&r), t->n, (int)e->template_name.len,
		    (const char *)e->template_name.ptr);
	return 0;
}
