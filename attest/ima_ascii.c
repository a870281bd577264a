/* ima_ascii.c - reading ascii_runtime_measurements (see ima_int.h).
 *
 * One line per entry: PCR, template hash (hex), template name, then the
 * fields separated by single spaces (Linux ima_measurements_ascii_show):
 * the ima template prints digest and name; the ng templates print
 * "[type:]alg:hex" and the name, then sig or buf in hex (empty when there
 * is none, leaving the line ending in a space).  A file name may hold
 * spaces, so the fields after it are split off from the end of the line.
 * The template data the hash covers is rebuilt from the fields.
 */
#include <string.h>

#include "ima_int.h"

#define LINE_EXTRA 1024 /* bytes of a line beyond twice the data limit (hash, name, PCR) */

/* The templates whose ASCII form can be turned back into template data. */
static const char *const ascii_templates[] = {"ima", "ima-ng", "ima-ngv2", "ima-sig", "ima-sigv2",
    "ima-buf"};

struct builder {
	uint8_t *buf;
	size_t len, cap;
};

static int
hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool
unhex(struct bytes hex, uint8_t *out)
{
	if (hex.len % 2)
		return false;
	for (size_t i = 0; i < hex.len; i += 2) {
		int hi = hexval(hex.ptr[i]), lo = hexval(hex.ptr[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

static bool
put(struct builder *b, const void *p, size_t n)
{
	if (n > b->cap - b->len)
		return false;
	memcpy(b->buf + b->len, p, n);
	b->len += n;
	return true;
}

static bool
put_hex(struct builder *b, struct bytes hex)
{
	if (hex.len / 2 > b->cap - b->len || !unhex(hex, b->buf + b->len))
		return false;
	b->len += hex.len / 2;
	return true;
}

/* A field's u32 length (little-endian), written once its bytes are in. */
static void
patch_len(struct builder *b, size_t at)
{
	uint32_t n = (uint32_t)(b->len - at - 4);
	for (int i = 0; i < 4; i++)
		b->buf[at + i] = (uint8_t)(n >> 8 * i);
}

/* The next space-separated token of *rest (to its end if there is none). */
static struct bytes
token(struct bytes *rest)
{
	const uint8_t *sp = memchr(rest->ptr, ' ', rest->len);
	struct bytes t = {rest->ptr, sp ? (size_t)(sp - rest->ptr) : rest->len};

	*rest = sp ? (struct bytes){sp + 1, rest->len - t.len - 1} : (struct bytes){rest->ptr + t.len, 0};
	return t;
}

/* The last space-separated token of *rest, which keeps what precedes it;
 * empty (and *rest unchanged) when there is no space. */
static struct bytes
last_token(struct bytes *rest)
{
	for (size_t i = rest->len; i > 0; i--)
		if (rest->ptr[i - 1] == ' ') {
			struct bytes t = {rest->ptr + i, rest->len - i};
			rest->len = i - 1;
			return t;
		}
	return (struct bytes){rest->ptr + rest->len, 0};
}

static int
line_fail(const struct ima_entry *e, struct attest_error *err, const char *what)
{
	return attest_fail(err, TNC_EINVALID, e->offset, "entry %u (line %u) at offset %zu: %s",
	    e->index, e->index + 1, e->offset, what);
}

static int
hash_alg_of_hex(size_t hex_len, enum digest_alg *ret)
{
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (hex_len == 2 * digest_size((enum digest_alg)a)) {
			*ret = (enum digest_alg)a;
			return 0;
		}
	return TNC_ENOTFOUND;
}

int
ima_ascii_detect(const uint8_t *list, size_t len, enum digest_alg *ret, struct attest_error *err)
{
	const uint8_t *nl = memchr(list, '\n', len);
	struct bytes rest = {list, nl ? (size_t)(nl - list) : len}, hash;

	token(&rest);
	hash = token(&rest);
	if (hash_alg_of_hex(hash.len, ret))
		return attest_fail(err, TNC_EINVALID, 0,
		    "entry 0 (line 1): a template hash of %zu hex digits is none of SHA-1/256/384/512",
		    hash.len);
	return 0;
}

/* The ima template: "hex-digest name"; data = digest || name padded. */
static int
rebuild_legacy(struct ima_reader *rd, struct ima_entry *e, struct bytes rest,
    struct attest_error *err)
{
	struct bytes d = token(&rest);

	if (d.len != 2 * IMA_LEGACY_DIGEST_LEN || !unhex(d, rd->scratch))
		return line_fail(e, err, "the ima template's digest is not 40 hex digits");
	if (rest.len >= IMA_LEGACY_NAME_LEN)
		return line_fail(e, err, "file name of more than 255 bytes in an ima template");
	memset(rd->scratch + IMA_LEGACY_DIGEST_LEN, 0, IMA_LEGACY_NAME_LEN);
	memcpy(rd->scratch + IMA_LEGACY_DIGEST_LEN, rest.ptr, rest.len);
	e->template_data = (struct bytes){rd->scratch, IMA_LEGACY_DIGEST_LEN + IMA_LEGACY_NAME_LEN};
	e->file_hash_alg = (struct bytes){(const uint8_t *)"sha1", 4};
	e->file_hash_digest = DIGEST_SHA1;
	e->file_hash = (struct bytes){rd->scratch, IMA_LEGACY_DIGEST_LEN};
	e->path = (struct bytes){rd->scratch + IMA_LEGACY_DIGEST_LEN, rest.len};
	return 0;
}

/* The ng templates: "[type:]alg:hex name [hex]...". */
static int
rebuild_ng(struct ima_reader *rd, struct ima_entry *e, struct bytes rest, struct attest_error *err)
{
	struct builder b = {rd->scratch, 0,
	    rd->scratch_cap < rd->max_entry_data ? rd->scratch_cap : rd->max_entry_data};
	const struct ima_template *t = &rd->tmpl;
	struct bytes tail[IMA_FIELDS_MAX], d = token(&rest);
	const uint8_t *colon = NULL, *zero = (const uint8_t *)"\0\0\0";
	size_t at;
	int rc;

	if ((rc = ima_template_lookup(&rd->tmpl, e, err)))
		return rc;
	if (t->n < 2 || t->fields[0] != IMA_FIELD_D_NG || t->fields[1] != IMA_FIELD_N_NG)
		return line_fail(e, err, "template without digest and name fields");
	for (size_t i = t->n; i-- > 2;)
		tail[i] = last_token(&rest);
	for (size_t i = 0; i < d.len; i++)
		if (d.ptr[i] == ':')
			colon = d.ptr + i;
	if (!colon)
		return line_fail(e, err, "file digest without \"alg:\" prefix");
	at = b.len;
	if (!put(&b, zero, 4) || !put(&b, d.ptr, (size_t)(colon + 1 - d.ptr)) || !put(&b, zero, 1) ||
	    !put_hex(&b, (struct bytes){colon + 1, d.len - (size_t)(colon + 1 - d.ptr)}))
		return line_fail(e, err, "file digest is not \"alg:\" and hex digits");
	patch_len(&b, at);
	at = b.len;
	if (!put(&b, zero, 4) || !put(&b, rest.ptr, rest.len) || !put(&b, zero, 1))
		return attest_fail(err, TNC_ETOOLONG, e->offset,
		    "entry %u (line %u): the entry exceeds the limit of %u bytes", e->index, e->index + 1,
		    rd->max_entry_data);
	patch_len(&b, at);
	for (size_t i = 2; i < t->n; i++) {
		at = b.len;
		if (!put(&b, zero, 4) || !put_hex(&b, tail[i]))
			return line_fail(e, err, "a field after the file name is not hex digits");
		patch_len(&b, at);
	}
	e->template_data = (struct bytes){b.buf, b.len};
	return ima_template_fields(t, e, err);
}

static bool
ascii_template(struct bytes name)
{
	for (size_t i = 0; i < sizeof(ascii_templates) / sizeof(ascii_templates[0]); i++)
		if (bytes_eq_str(name, ascii_templates[i]))
			return true;
	return false;
}

/* "PCR hash name rest": the header fields of a line. */
static int
read_header(struct ima_reader *rd, struct ima_entry *e, struct bytes *rest,
    struct attest_error *err)
{
	struct bytes pcr = token(rest), hash = token(rest);

	if (pcr.len == 0 || pcr.len > 2)
		return line_fail(e, err, "no PCR index");
	for (size_t i = 0; i < pcr.len; i++) {
		if (pcr.ptr[i] < '0' || pcr.ptr[i] > '9')
			return line_fail(e, err, "PCR index is not a decimal number");
		e->pcr = e->pcr * 10 + (uint32_t)(pcr.ptr[i] - '0');
	}
	if (e->pcr >= PCR_COUNT)
		return line_fail(e, err, "PCR index out of range (0-23)");
	if (hash.len != 2 * digest_size(rd->alg) || !unhex(hash, rd->hash))
		return line_fail(e, err, "template hash is not hex of the list's hash size");
	e->template_hash = rd->hash;
	e->template_name = token(rest);
	if (e->template_name.len == 0 || e->template_name.len > IMA_TEMPLATE_NAME_MAX)
		return line_fail(e, err, "no template name");
	if (!ascii_template(e->template_name))
		return line_fail(e, err, "template not readable in ASCII form (ima, ima-ng, ima-ngv2,"
		                         " ima-sig, ima-sigv2, ima-buf)");
	return 0;
}

/* The next line, without its end of line; the limit on its length. */
static int
next_line(struct ima_reader *rd, struct ima_entry *e, struct bytes *line, struct attest_error *err)
{
	const uint8_t *start = rd->r.base + wire_offset(&rd->r), *nl;
	size_t left = wire_remaining(&rd->r), max = 2 * (size_t)rd->max_entry_data + LINE_EXTRA;

	if (left == 0)
		return TNC_ENOTFOUND;
	ima_entry_start(e, rd->index, wire_offset(&rd->r));
	nl = memchr(start, '\n', left < max + 1 ? left : max + 1);
	if (!nl && left > max)
		return attest_fail(err, TNC_ETOOLONG, e->offset,
		    "entry %u (line %u) at offset %zu: a line longer than %zu bytes", e->index,
		    e->index + 1, e->offset, max);
	if (wire_get_bytes(&rd->r, nl ? (size_t)(nl - start) + 1 : left, line))
		return TNC_ETRUNCATED; /* cannot happen: the length is what remains at most */
	line->len -= nl ? 1 : 0;
	if (line->len > 0 && line->ptr[line->len - 1] == '\r')
		line->len--;
	return 0;
}

int
ima_ascii_next(struct ima_reader *rd, struct ima_entry *e, struct attest_error *err)
{
	struct bytes line;
	int rc;

	if ((rc = next_line(rd, e, &line, err)) || (rc = read_header(rd, e, &line, err)))
		return rc;
	rc = ima_is_legacy(e->template_name) ? rebuild_legacy(rd, e, line, err)
	                                            : rebuild_ng(rd, e, line, err);
	if (rc == 0)
		rd->index++;
	return rc;
}
