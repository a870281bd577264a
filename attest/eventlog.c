/* eventlog.c - TCG PC Client event logs: parse and replay (see eventlog.h).
 *
 * Two passes over the log: check() walks every record, validates every
 * length, index and rule and counts; only a log that passes is replayed by
 * extend(), which hashes.  Both read records through next_record(), so
 * they cannot disagree on where a record ends.
 */
#include "eventlog.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "le.h"

#define SHA1_SIZE 20
#define UNKNOWN_DIGEST_MAX 128 /* size a Spec ID may declare for an algorithm we skip */

static const char spec_id_sig[16] = "Spec ID Event03"; /* with its NUL */
static const char locality_sig[16] = "StartupLocality";
/* "SP800-155 Event" starts the signature of Event, Event2 and Event3. */
static const char sp800_155_prefix[] = "SP800-155 Event";

struct parser {
	struct wire_reader r;
	const struct eventlog_limits *lim;
	enum eventlog_format format;
	const struct eventlog_spec_id *spec;
	uint32_t record; /* number of the next record */
	size_t body;     /* offset of the first record after the header */
	size_t spill;    /* bytes of the header's vendorInfo beyond its eventSize */
};

void
eventlog_limits_default(struct eventlog_limits *l)
{
	l->max_events = EVENTLOG_MAX_EVENTS;
	l->max_event_data = EVENTLOG_MAX_EVENT_DATA;
	l->banks = 0;
}

static int
truncated(struct parser *p, size_t start, const char *field, struct attest_error *err)
{
	return attest_fail(err, TNC_ETRUNCATED, wire_offset(&p->r),
	    "record %u at offset %zu: the log ends inside its %s", p->record, start, field);
}

/* eventSize and the event data, the last two fields of both record kinds. */
static int
read_data(struct parser *p, struct eventlog_event *ev, struct attest_error *err)
{
	uint32_t size;

	if (le_get_u32(&p->r, &size))
		return truncated(p, ev->offset, "eventSize", err);
	if (size > wire_remaining(&p->r))
		return attest_fail(err, TNC_ETRUNCATED, wire_offset(&p->r) - 4,
		    "record %u at offset %zu: eventSize %u runs past the end of the log (%zu bytes left)",
		    ev->record, ev->offset, size, wire_remaining(&p->r));
	if (size > p->lim->max_event_data)
		return attest_fail(err, TNC_ETOOLONG, wire_offset(&p->r) - 4,
		    "record %u at offset %zu: eventSize %u exceeds the limit of %u bytes", ev->record,
		    ev->offset, size, p->lim->max_event_data);
	if (wire_get_bytes(&p->r, size, &ev->data))
		return truncated(p, ev->offset, "event data", err);
	return 0;
}

/* TCG_PCR_EVENT: pcrIndex, eventType, SHA-1 digest, eventSize, event. */
static int
read_sha1_record(struct parser *p, struct eventlog_event *ev, struct attest_error *err)
{
	struct bytes digest;

	if (le_get_u32(&p->r, &ev->pcr) || le_get_u32(&p->r, &ev->type))
		return truncated(p, ev->offset, "pcrIndex or eventType", err);
	if (wire_get_bytes(&p->r, SHA1_SIZE, &digest))
		return truncated(p, ev->offset, "SHA-1 digest", err);
	ev->algs = DIGEST_BIT(DIGEST_SHA1);
	ev->digest[DIGEST_SHA1] = digest.ptr;
	return read_data(p, ev, err);
}

static const struct eventlog_spec_alg *
spec_alg(const struct eventlog_spec_id *spec, uint16_t tpm_alg)
{
	for (uint32_t i = 0; i < spec->nalgs; i++)
		if (spec->algs[i].tpm_alg == tpm_alg)
			return &spec->algs[i];
	return NULL;
}

/* TCG_PCR_EVENT2: pcrIndex, eventType, TPML_DIGEST_VALUES, eventSize,
 * event.  Each digest's algorithm must be one the Spec ID header declares,
 * each at most once; not all need be there (Windows measures its boot
 * events into the SHA-256 bank only), and a bank is extended only with the
 * digests it gets. */
static int
read_agile_record(struct parser *p, struct eventlog_event *ev, struct attest_error *err)
{
	uint32_t count, seen = 0;

	if (le_get_u32(&p->r, &ev->pcr) || le_get_u32(&p->r, &ev->type))
		return truncated(p, ev->offset, "pcrIndex or eventType", err);
	if (le_get_u32(&p->r, &count))
		return truncated(p, ev->offset, "digest count", err);
	if (count > p->spec->nalgs)
		return attest_fail(err, TNC_EINVALID, wire_offset(&p->r) - 4,
		    "record %u at offset %zu: %u digests, but the Spec ID event declares %u algorithms",
		    ev->record, ev->offset, count, p->spec->nalgs);
	ev->algs = 0;
	for (uint32_t i = 0; i < count; i++) {
		const struct eventlog_spec_alg *sa;
		struct bytes digest;
		enum digest_alg a;
		uint16_t tpm_alg;

		if (le_get_u16(&p->r, &tpm_alg))
			return truncated(p, ev->offset, "digest algorithm", err);
		sa = spec_alg(p->spec, tpm_alg);
		if (!sa)
			return attest_fail(err, TNC_EINVALID, wire_offset(&p->r) - 2,
			    "record %u at offset %zu: digest %u has algorithm 0x%04x, which the Spec ID"
			    " event does not declare", ev->record, ev->offset, i, tpm_alg);
		if (seen & 1u << (sa - p->spec->algs))
			return attest_fail(err, TNC_EINVALID, wire_offset(&p->r) - 2,
			    "record %u at offset %zu: two digests of algorithm 0x%04x", ev->record,
			    ev->offset, tpm_alg);
		seen |= 1u << (sa - p->spec->algs);
		if (wire_get_bytes(&p->r, sa->size, &digest))
			return truncated(p, ev->offset, "digest", err);
		if (digest_from_tpm_alg(tpm_alg, &a) == 0) {
			ev->algs |= DIGEST_BIT(a);
			ev->digest[a] = digest.ptr;
		}
	}
	return read_data(p, ev, err);
}

/* The next record, or TNC_ENOTFOUND at the end of the log. */
static int
next_record(struct parser *p, struct eventlog_event *ev, struct attest_error *err)
{
	int rc;

	if (wire_remaining(&p->r) == 0)
		return TNC_ENOTFOUND;
	if (p->record >= p->lim->max_events)
		return attest_fail(err, TNC_ETOOLONG, wire_offset(&p->r),
		    "more than %u records: the log is refused before replay", p->lim->max_events);
	memset(ev, 0, sizeof(*ev));
	ev->record = p->record;
	ev->offset = wire_offset(&p->r);
	rc = p->format == EVENTLOG_FORMAT_AGILE ? read_agile_record(p, ev, err)
	                                        : read_sha1_record(p, ev, err);
	if (rc)
		return rc;
	p->record++;
	return 0;
}

static int
spec_fail(struct attest_error *err, size_t base, const struct wire_reader *r, const char *what)
{
	return attest_fail(err, TNC_EINVALID, base + wire_offset(r),
	    "record 0 (Spec ID event): %s", what);
}

/* TCG_EfiSpecIdEvent (PFP, Specification ID Version Event): signature,
 * platformClass, version minor/major, errata, uintnSize,
 * numberOfAlgorithms, {algorithmId, digestSize}..., vendorInfoSize,
 * vendorInfo.  base: offset of data in the log.  *ret_spill: how many
 * bytes of vendorInfo lie beyond the event data (see start()). */
static int
parse_spec_id(struct bytes data, size_t base, struct eventlog_spec_id *spec, size_t *ret_spill,
    struct attest_error *err)
{
	struct wire_reader r;
	uint8_t b[4];

	wire_reader_init(&r, data.ptr, data.len);
	if (wire_skip(&r, sizeof(spec_id_sig)) || le_get_u32(&r, &spec->platform_class) ||
	    wire_get_u8(&r, &b[0]) || wire_get_u8(&r, &b[1]) || wire_get_u8(&r, &b[2]) ||
	    wire_get_u8(&r, &b[3]) || le_get_u32(&r, &spec->nalgs))
		return spec_fail(err, base, &r, "truncated before the algorithm list");
	spec->version_minor = b[0], spec->version_major = b[1], spec->errata = b[2];
	spec->uintn_size = b[3];
	if (spec->nalgs == 0 || spec->nalgs > EVENTLOG_SPEC_ALGS_MAX)
		return spec_fail(err, base, &r, "numberOfAlgorithms is 0 or more than 16");
	for (uint32_t i = 0; i < spec->nalgs; i++) {
		struct eventlog_spec_alg *sa = &spec->algs[i];
		enum digest_alg a;

		if (le_get_u16(&r, &sa->tpm_alg) || le_get_u16(&r, &sa->size))
			return spec_fail(err, base, &r, "truncated inside the algorithm list");
		for (uint32_t k = 0; k < i; k++)
			if (spec->algs[k].tpm_alg == sa->tpm_alg)
				return spec_fail(err, base, &r, "an algorithm is declared twice");
		if (digest_from_tpm_alg(sa->tpm_alg, &a) == 0) {
			if (sa->size != digest_size(a))
				return spec_fail(err, base, &r, "wrong digestSize for a known algorithm");
			continue;
		}
		if (sa->size == 0 || sa->size > UNKNOWN_DIGEST_MAX)
			return spec_fail(err, base, &r, "digestSize of an unknown algorithm out of range");
	}
	if (wire_get_u8(&r, &spec->vendor_info_size))
		return spec_fail(err, base, &r, "truncated before vendorInfoSize");
	*ret_spill = 0;
	if (spec->vendor_info_size > wire_remaining(&r))
		*ret_spill = spec->vendor_info_size - wire_remaining(&r);
	else if (wire_remaining(&r) > spec->vendor_info_size)
		return spec_fail(err, base, &r, "bytes after vendorInfo");
	return 0;
}

/* Puts the reader back before the first record after the header. */
static void
rewind_body(struct parser *p)
{
	p->r.pos = p->body; /* within the log: start() read up to there */
	p->record = p->body ? 1 : 0;
}

static bool
is_spec_id(const struct eventlog_event *ev)
{
	return ev->pcr == 0 && ev->type == EV_NO_ACTION && ev->data.len >= sizeof(spec_id_sig) &&
	       memcmp(ev->data.ptr, spec_id_sig, sizeof(spec_id_sig)) == 0;
}

/* Reads the first record and sets the format.  For an agile log it is the
 * header, consumed here; a SHA-1 log's first record is an ordinary one and
 * the reader is put back before it. */
static int
start(struct parser *p, const uint8_t *log, size_t len, struct eventlog_spec_id *spec,
    struct attest_error *err)
{
	struct eventlog_event ev;
	int rc;

	wire_reader_init(&p->r, log, len);
	p->format = EVENTLOG_FORMAT_SHA1;
	p->spec = spec;
	p->record = 0;
	p->body = 0;
	p->spill = 0;
	if (len == 0)
		return attest_fail(err, TNC_ETRUNCATED, 0, "the log is empty");
	if ((rc = next_record(p, &ev, err)))
		return rc;
	if (is_spec_id(&ev)) {
		p->format = EVENTLOG_FORMAT_AGILE;
		if ((rc = parse_spec_id(ev.data, (size_t)(ev.data.ptr - log), spec, &p->spill, err)))
			return rc;
		/* A log whose eventSize leaves vendorInfo out (tpm2-tools'
		 * specid-vendordata fixture): read on after vendorInfo, as
		 * tpm2_eventlog does, if the log holds it. */
		if (wire_skip(&p->r, p->spill))
			return attest_fail(err, TNC_ETRUNCATED, wire_offset(&p->r),
			    "record 0 (Spec ID event): vendorInfo runs past the end of the log");
		p->body = wire_offset(&p->r);
	}
	rewind_body(p);
	return 0;
}

static void __attribute__((format(printf, 2, 3)))
problem(struct eventlog_summary *s, const char *fmt, ...)
{
	va_list ap;

	if (s->problems < EVENTLOG_PROBLEMS_MAX) {
		va_start(ap, fmt);
		vsnprintf(s->problem[s->problems], ATTEST_REASON_MAX, fmt, ap);
		va_end(ap);
	}
	s->problems++;
}

static void
count_type(struct eventlog_summary *s, uint32_t type)
{
	for (size_t i = 0; i < s->ntypes; i++)
		if (s->types[i].type == type) {
			s->types[i].count++;
			return;
		}
	if (s->ntypes == EVENTLOG_TYPES_MAX) {
		s->other_types++;
		return;
	}
	s->types[s->ntypes++] = (struct eventlog_type_count){type, 1};
}

/* StartupLocality (PFP, Startup Locality Event): "StartupLocality\0" and
 * one byte, in PCR 0, before anything is extended into PCR 0. */
static int
check_locality(struct eventlog_summary *s, const struct eventlog_event *ev, bool pcr0_extended,
    struct attest_error *err)
{
	uint8_t locality;

	if (ev->pcr != 0) {
		problem(s, "record %u at offset %zu: StartupLocality event outside PCR 0: ignored",
		    ev->record, ev->offset);
		return 0;
	}
	if (ev->data.len != sizeof(locality_sig) + 1)
		return attest_fail(err, TNC_EINVALID, ev->offset,
		    "record %u at offset %zu: StartupLocality event data is %zu bytes, 17 expected",
		    ev->record, ev->offset, ev->data.len);
	locality = ev->data.ptr[sizeof(locality_sig)];
	if (s->startup_locality >= 0 || pcr0_extended || locality > 4)
		return attest_fail(err, TNC_EINVALID, ev->offset,
		    "record %u at offset %zu: StartupLocality %u %s", ev->record, ev->offset, locality,
		    locality > 4 ? "is not a TPM locality"
		    : pcr0_extended ? "comes after PCR 0 was extended"
		                    : "given a second time");
	s->startup_locality = locality;
	return 0;
}

static int
check_no_action(struct eventlog_summary *s, const struct eventlog_event *ev, bool pcr0_extended,
    struct attest_error *err)
{
	s->no_action++;
	if (ev->data.len >= sizeof(locality_sig) &&
	    memcmp(ev->data.ptr, locality_sig, sizeof(locality_sig)) == 0)
		return check_locality(s, ev, pcr0_extended, err);
	if (ev->data.len >= sizeof(sp800_155_prefix) - 1 &&
	    memcmp(ev->data.ptr, sp800_155_prefix, sizeof(sp800_155_prefix) - 1) == 0)
		s->sp800_155++;
	return 0;
}

/* First pass: every record's structure and the replay rules; counts. */
static int
check(struct parser *p, struct eventlog_summary *s, unsigned banks, struct attest_error *err)
{
	uint32_t missing[DIGEST_ALG_COUNT] = {0};
	struct eventlog_event ev;
	bool pcr0_extended = false;
	int rc;

	while ((rc = next_record(p, &ev, err)) == 0) {
		count_type(s, ev.type);
		if (!eventlog_type_name(ev.type))
			problem(s, "record %u at offset %zu: undefined event type 0x%08x", ev.record,
			    ev.offset, ev.type);
		if (ev.type == EV_NO_ACTION) {
			if ((rc = check_no_action(s, &ev, pcr0_extended, err)))
				return rc;
			continue;
		}
		if (ev.pcr >= PCR_COUNT)
			return attest_fail(err, TNC_EINVALID, ev.offset,
			    "record %u at offset %zu: PCR index %u out of range (0-23)", ev.record,
			    ev.offset, ev.pcr);
		for (int a = 0; a < DIGEST_ALG_COUNT; a++)
			missing[a] += (banks & ~ev.algs) >> a & 1;
		pcr0_extended |= ev.pcr == 0;
		s->extended++;
	}
	if (rc != TNC_ENOTFOUND)
		return rc;
	s->records = p->record;
	for (int a = 0; a < DIGEST_ALG_COUNT; a++)
		if (missing[a])
			problem(s, "%u of %u extended records carry no %s digest", missing[a], s->extended,
			    digest_name((enum digest_alg)a));
	return 0;
}

/* Second pass: hashing, and the caller's callback. */
static int
extend(struct parser *p, struct eventlog_summary *s, struct digest_ctx *d, eventlog_event_fn *fn,
    void *ctx)
{
	struct eventlog_event ev;
	int rc;

	if (s->startup_locality >= 0)
		pcr_banks_set_locality(&s->pcrs, (uint8_t)s->startup_locality);
	/* check() has read every record: next_record() cannot fail here. */
	while (next_record(p, &ev, NULL) == 0) {
		if (ev.type != EV_NO_ACTION)
			for (int a = 0; a < DIGEST_ALG_COUNT; a++)
				if (ev.algs & DIGEST_BIT(a))
					pcr_banks_extend(&s->pcrs, d, (enum digest_alg)a, ev.pcr,
					    ev.digest[a]);
		if (fn && (rc = fn(ctx, &ev)))
			return rc;
	}
	return 0;
}

static unsigned
log_banks(const struct eventlog_summary *s)
{
	unsigned banks = 0;
	enum digest_alg a;

	if (s->format == EVENTLOG_FORMAT_SHA1)
		return DIGEST_BIT(DIGEST_SHA1);
	for (uint32_t i = 0; i < s->spec_id.nalgs; i++)
		if (digest_from_tpm_alg(s->spec_id.algs[i].tpm_alg, &a) == 0)
			banks |= DIGEST_BIT(a);
	return banks;
}

/* Spec ID algorithms outside digest.h are skipped by their size. */
static void
note_unknown_algs(struct eventlog_summary *s)
{
	enum digest_alg a;

	for (uint32_t i = 0; i < s->spec_id.nalgs; i++) {
		const struct eventlog_spec_alg *sa = &s->spec_id.algs[i];

		if (digest_from_tpm_alg(sa->tpm_alg, &a) != 0)
			problem(s, "Spec ID event declares algorithm 0x%04x (%u-byte digests): not replayed",
			    sa->tpm_alg, sa->size);
	}
}

int
eventlog_replay(const uint8_t *log, size_t len, const struct eventlog_limits *lim,
    struct digest_ctx *d, eventlog_event_fn *fn, void *ctx, struct eventlog_summary *ret,
    struct attest_error *err)
{
	struct parser p = {.lim = lim};
	int rc;

	memset(ret, 0, sizeof(*ret));
	ret->startup_locality = -1;
	if ((rc = start(&p, log, len, &ret->spec_id, err)))
		return rc;
	ret->format = p.format;
	note_unknown_algs(ret);
	if (p.spill)
		problem(ret, "record 0 (Spec ID event): %zu bytes of vendorInfo lie beyond its eventSize",
		    p.spill);
	if ((rc = check(&p, ret, log_banks(ret), err)))
		return rc;
	pcr_banks_init(&ret->pcrs, log_banks(ret) & (lim->banks ? lim->banks : DIGEST_ALL));
	rewind_body(&p);
	return extend(&p, ret, d, fn, ctx);
}
