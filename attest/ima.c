/* ima.c - IMA measurement lists: the replay (see ima.h).
 *
 * extend() reads each entry in full, hashes it and calls back.  Before it,
 * a list that could hold more entries than allowed is counted: newlines
 * of an ASCII list, the framing of a binary one (count_entries(), through
 * the same reader, so it cannot disagree on where an entry ends); a list
 * too short to exceed the limit needs no count.  Either way no hashing
 * happens before the count is known to be within the limit.
 */
#include "ima.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ima_int.h"

void
ima_options_default(struct ima_options *o)
{
	o->max_entries = IMA_MAX_ENTRIES;
	o->max_entry_data = IMA_MAX_ENTRY_DATA;
	o->banks = 0;
	o->padded_banks = 0;
	o->template_hash_alg = -1;
	o->keys = NULL;
}

static bool
all_zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

static int
next(struct ima_reader *rd, enum ima_format f, struct ima_entry *e, struct attest_error *err)
{
	int rc = f == IMA_FORMAT_ASCII ? ima_ascii_next(rd, e, err) : ima_binary_next(rd, e, err);

	if (rc == 0)
		e->violation = all_zero(e->template_hash, digest_size(rd->alg));
	return rc;
}

static bool
is_template(const struct ima_template_count *t, struct bytes name)
{
	return name.len < sizeof(t->name) && t->name[name.len] == '\0' &&
	       memcmp(t->name, name.ptr, name.len) == 0;
}

static void
count_template(struct ima_summary *s, struct bytes name)
{
	/* most lists use one template: try the newest first */
	if (s->ntemplates && is_template(&s->templates[s->ntemplates - 1], name)) {
		s->templates[s->ntemplates - 1].count++;
		return;
	}
	for (size_t i = 0; i < s->ntemplates; i++)
		if (is_template(&s->templates[i], name)) {
			s->templates[i].count++;
			return;
		}
	if (s->ntemplates == IMA_TEMPLATES_MAX || name.len >= sizeof(s->templates[0].name)) {
		s->other_templates++;
		return;
	}
	memcpy(s->templates[s->ntemplates].name, name.ptr, name.len);
	s->templates[s->ntemplates].name[name.len] = '\0';
	s->templates[s->ntemplates++].count = 1;
}

static void
note_boot_aggregate(struct ima_summary *s, const struct ima_entry *e)
{
	size_t n = e->file_hash_alg.len < sizeof(s->boot_aggregate_alg) - 1
	               ? e->file_hash_alg.len
	               : sizeof(s->boot_aggregate_alg) - 1;

	if (s->has_boot_aggregate || !bytes_eq_str(e->path, "boot_aggregate") ||
	    e->file_hash.len == 0 || e->file_hash.len > DIGEST_MAX)
		return;
	s->has_boot_aggregate = true;
	s->boot_aggregate_index = e->index;
	s->boot_aggregate_digest = e->file_hash_digest;
	memcpy(s->boot_aggregate_alg, e->file_hash_alg.ptr, n);
	s->boot_aggregate_alg[n] = '\0';
	s->boot_aggregate_len = e->file_hash.len;
	memcpy(s->boot_aggregate, e->file_hash.ptr, e->file_hash.len);
}

/* The first pass over a binary list: the framing of every entry
 * (lengths, limits), nothing interpreted and nothing hashed. */
static int
count_entries(struct ima_reader *rd, const struct ima_options *o, struct attest_error *err)
{
	int rc;

	for (;;) {
		if (rd->index == o->max_entries && wire_remaining(&rd->r))
			return attest_fail(err, TNC_ETOOLONG, wire_offset(&rd->r),
			    "more than %u entries: the list is refused before replay", o->max_entries);
		if ((rc = ima_binary_frame(rd, err)))
			return rc == TNC_ENOTFOUND ? 0 : rc;
	}
}

/* Whether a list of len bytes could hold more than max entries; if not,
 * the replay can start at once.  No binary entry is shorter than its
 * framing: PCR, template hash, name length, a 1-byte name, data length;
 * an ASCII entry is a line. */
static bool
may_exceed(const uint8_t *list, size_t len, enum ima_format f, enum digest_alg a, uint32_t max)
{
	const uint8_t *p = list, *end = list + len;
	uint32_t n = 0;

	if (f == IMA_FORMAT_BINARY)
		return len / (13 + digest_size(a)) > max;
	while (p < end && n <= max) {
		const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
		n++;
		p = nl ? nl + 1 : end;
	}
	return n > max;
}

/* What the summary counts of an entry, before hashing. */
static void
count_entry(struct ima_summary *s, const struct ima_entry *e)
{
	s->entries++;
	count_template(s, e->template_name);
	s->pcr_mask |= 1u << e->pcr;
	if (e->violation && s->violations++ < IMA_INDEXES_MAX)
		s->violation[s->violations - 1] = e->index;
	note_boot_aggregate(s, e);
}

/* The digests entry e extends into each bank: the logged hash into the
 * list's own bank (what the TPM got), the template data hashed with the
 * bank's algorithm into the others; all-ones for a violation.  The own
 * bank first and alone unless others are asked for: the common case is
 * two hashes per entry and nothing else. */
static void
extend_entry(struct ima_summary *s, struct digest_ctx *d, struct ima_entry *e)
{
	static const uint8_t ones[DIGEST_MAX] = {
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	    0xff, 0xff, 0xff, 0xff};
	enum digest_alg own = s->template_hash_alg;
	uint8_t h[DIGEST_MAX];

	if (!e->violation)
		digest_two(d, own, e->template_data.ptr, e->template_data.len, NULL, 0, h);
	pcr_banks_extend(&s->pcrs, d, own, e->pcr, e->violation ? ones : e->template_hash);
	/* h compared only now: read right after the hash stored it word by
	 * word, it stalled the compare (3 % of bench_evidence) */
	if (!e->violation) {
		e->template_hash_ok = memcmp(h, e->template_hash, digest_size(own)) == 0;
		if (e->template_hash_ok)
			s->template_hash_ok++;
		else if (s->template_hash_mismatch++ < IMA_INDEXES_MAX)
			s->mismatch[s->template_hash_mismatch - 1] = e->index;
	}
	if (s->pcrs.active != DIGEST_BIT(own))
		for (int a = 0; a < DIGEST_ALG_COUNT; a++) {
			if (a == (int)own || !pcr_banks_has(&s->pcrs, (enum digest_alg)a))
				continue;
			if (!e->violation)
				digest_two(d, (enum digest_alg)a, e->template_data.ptr, e->template_data.len,
				    NULL, 0, h);
			pcr_banks_extend(&s->pcrs, d, (enum digest_alg)a, e->pcr, e->violation ? ones : h);
		}
	if (!s->padded.active)
		return;
	/* Before Linux 5.8 every bank got the SHA-1 value, zero-padded; a
	 * violation's 0xff.. covered its 20 bytes only. */
	memset(h, 0, sizeof(h));
	memcpy(h, e->violation ? ones : e->template_hash, digest_size(own));
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (pcr_banks_has(&s->padded, (enum digest_alg)a))
			pcr_banks_extend(&s->padded, d, (enum digest_alg)a, e->pcr, h);
}

/* ima-buf measures a buffer (keys, the kexec command line): its digest
 * field must be the buffer's hash. */
static void
check_buf(struct ima_summary *s, struct digest_ctx *d, struct ima_entry *e)
{
	uint8_t h[DIGEST_MAX];

	if (e->buf.len == 0)
		return;
	s->buf_entries++;
	if (e->file_hash_digest >= 0) {
		digest_two(d, (enum digest_alg)e->file_hash_digest, e->buf.ptr, e->buf.len, NULL, 0, h);
		e->buf_digest_ok = memcmp(h, e->file_hash.ptr, e->file_hash.len) == 0;
	}
	if (!e->buf_digest_ok)
		s->buf_digest_mismatch++;
}

/* Second pass: the fields, hashing, signatures, and the caller's
 * callback; a malformed field stops it here. */
static int
extend(struct ima_reader *rd, const struct ima_options *o, struct ima_summary *s,
    struct digest_ctx *d, ima_entry_fn *fn, void *ctx, struct attest_error *err)
{
	struct ima_entry e;
	int rc;

	while ((rc = next(rd, s->format, &e, err)) == 0) {
		count_entry(s, &e);
		extend_entry(s, d, &e);
		check_buf(s, d, &e);
		ima_sig_check(o->keys, e.sig, e.file_hash_alg, e.file_hash, &e.sig_result);
		s->sig_count[e.sig_result.status]++;
		if (fn && (rc = fn(ctx, &e)))
			return rc;
	}
	return rc == TNC_ENOTFOUND ? 0 : rc;
}

static void
reader_init(struct ima_reader *rd, const uint8_t *list, size_t len, enum digest_alg alg,
    const struct ima_options *o, uint8_t *scratch, size_t cap)
{
	wire_reader_init(&rd->r, list, len);
	rd->alg = alg;
	rd->max_entry_data = o->max_entry_data;
	rd->index = 0;
	rd->tmpl.name_len = 0;
	rd->scratch = scratch;
	rd->scratch_cap = cap;
}

/* Banks other than the list's own replay only if larger: padding a
 * digest into a smaller bank means nothing. */
static unsigned
larger_banks(unsigned banks, enum digest_alg own)
{
	unsigned out = 0;

	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if ((banks & DIGEST_BIT(a)) && digest_size((enum digest_alg)a) > digest_size(own))
			out |= DIGEST_BIT(a);
	return out;
}

int
ima_replay(const uint8_t *list, size_t len, const struct ima_options *o, struct digest_ctx *d,
    ima_entry_fn *fn, void *ctx, struct ima_summary *ret, struct attest_error *err)
{
	struct ima_reader rd;
	enum digest_alg alg;
	uint8_t *scratch;
	size_t cap;
	int rc = 0;

	memset(ret, 0, sizeof(*ret));
	ret->boot_aggregate_digest = -1;
	if (len == 0)
		return attest_fail(err, TNC_ETRUNCATED, 0, "the list is empty");
	/* An ASCII line starts with the PCR's decimal digits; a binary entry
	 * with a little-endian PCR index below 24. */
	ret->format = list[0] >= '0' && list[0] <= '9' ? IMA_FORMAT_ASCII : IMA_FORMAT_BINARY;
	if (o->template_hash_alg >= 0 && o->template_hash_alg < DIGEST_ALG_COUNT)
		alg = (enum digest_alg)o->template_hash_alg;
	else if ((rc = ret->format == IMA_FORMAT_ASCII ? ima_ascii_detect(list, len, &alg, err)
	                                               : ima_binary_detect(list, len, &alg, err)))
		return rc;
	ret->template_hash_alg = alg;
	/* A rebuilt ASCII entry is smaller than its line: no more scratch
	 * than the list, or one entry at the limit, could fill. */
	cap = (len < o->max_entry_data ? len : o->max_entry_data) + IMA_SCRATCH_EXTRA;
	if (!(scratch = malloc(cap)))
		abort();
	reader_init(&rd, list, len, alg, o, scratch, cap);
	if (may_exceed(list, len, ret->format, alg, o->max_entries)) {
		if (ret->format == IMA_FORMAT_ASCII)
			rc = attest_fail(err, TNC_ETOOLONG, 0,
			    "more than %u entries: the list is refused before replay", o->max_entries);
		else
			rc = count_entries(&rd, o, err);
		reader_init(&rd, list, len, alg, o, scratch, cap);
	}
	if (rc == 0) {
		pcr_banks_init(&ret->pcrs, DIGEST_BIT(alg) | o->banks);
		pcr_banks_init(&ret->padded, larger_banks(o->padded_banks, alg));
		rc = extend(&rd, o, ret, d, fn, ctx, err);
	}
	free(scratch);
	return rc;
}
