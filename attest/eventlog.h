/* eventlog.h - TCG PC Client event logs: parse and replay into emulated PCRs.
 *
 * Both formats of the PC Client Platform Firmware Profile (PFP): the SHA-1
 * log of TCG_PCR_EVENT records, and the crypto-agile log whose first
 * record carries the "Spec ID Event03" header (TCG_EfiSpecIdEvent: the
 * algorithms and digest sizes of every later TCG_PCR_EVENT2 record).
 * Replay rules: PCRs start at zero; EV_NO_ACTION records are never
 * extended (a StartupLocality record in PCR 0 sets PCR 0's start value;
 * SP800-155 reference manifest records are counted; a PCR index of
 * 0xFFFFFFFF is accepted there, as Windows writes it); every other record
 * extends PCR := H(PCR || digest) in each bank.
 *
 * Nothing is kept per event: the result is a fixed-size summary, so memory
 * does not grow with the log.  A first pass over the record headers checks
 * the limits and every length before anything is hashed, so a crafted log
 * with a million events costs a header walk, not a million hashes.
 */
#ifndef TNC_ATTEST_EVENTLOG_H
#define TNC_ATTEST_EVENTLOG_H

#include <stdbool.h>
#include <stdint.h>

#include "attest_error.h"
#include "pcr_bank.h"
#include "wire.h"

#define EV_NO_ACTION 0x00000003u /* PFP, Events table */

#define EVENTLOG_MAX_EVENTS 8192             /* default: records, the header included */
#define EVENTLOG_MAX_EVENT_DATA (1u << 20)   /* default: bytes of one record's event data */
#define EVENTLOG_SPEC_ALGS_MAX 16            /* algorithms a Spec ID header may declare */
#define EVENTLOG_TYPES_MAX 48                /* distinct event types counted one by one */
#define EVENTLOG_PROBLEMS_MAX 8              /* problems kept as text (all are counted) */

enum eventlog_format {
	EVENTLOG_FORMAT_SHA1,  /* TCG_PCR_EVENT records only */
	EVENTLOG_FORMAT_AGILE, /* Spec ID Event03 header, then TCG_PCR_EVENT2 records */
};

struct eventlog_limits {
	uint32_t max_events;     /* more records are refused */
	uint32_t max_event_data; /* a record with more event data is refused */
	unsigned banks;          /* DIGEST_BIT()s of the banks to replay; 0: every bank the log has */
};

/* EVENTLOG_MAX_EVENTS, EVENTLOG_MAX_EVENT_DATA, every bank. */
void eventlog_limits_default(struct eventlog_limits *l);

/* One record, as handed to an eventlog_event_fn: views into the log. */
struct eventlog_event {
	uint32_t record; /* 0-based; an agile log's header is record 0 */
	size_t offset;   /* of the record in the log */
	uint32_t pcr, type;
	unsigned algs;                           /* DIGEST_BIT()s of the digests present */
	const uint8_t *digest[DIGEST_ALG_COUNT]; /* digest_size() bytes each */
	struct bytes data;
};

/* Called for every record after the header, in order, after the whole log
 * has passed the first pass; a non-zero return stops the replay and is
 * returned. */
typedef int eventlog_event_fn(void *ctx, const struct eventlog_event *ev);

struct eventlog_spec_alg {
	uint16_t tpm_alg, size; /* as declared; algorithms not in digest.h are skipped by size */
};

struct eventlog_spec_id {
	uint32_t platform_class;
	uint8_t version_major, version_minor, errata, uintn_size;
	uint32_t nalgs;
	struct eventlog_spec_alg algs[EVENTLOG_SPEC_ALGS_MAX];
	uint8_t vendor_info_size;
};

struct eventlog_type_count {
	uint32_t type, count;
};

struct eventlog_summary {
	enum eventlog_format format;
	struct eventlog_spec_id spec_id; /* agile logs */
	uint32_t records;                /* every record, the header included */
	uint32_t extended;               /* records extended into the PCRs */
	uint32_t no_action;              /* EV_NO_ACTION records, the header excluded */
	uint32_t sp800_155;              /* of those, SP800-155 reference manifest events */
	int startup_locality;            /* -1: the log has no StartupLocality record */
	size_t ntypes;                   /* records per event type, the header excluded */
	struct eventlog_type_count types[EVENTLOG_TYPES_MAX];
	uint32_t other_types;            /* records of types beyond the table */
	struct pcr_banks pcrs;           /* the replayed banks */
	uint32_t problems;               /* oddities that do not stop the replay */
	char problem[EVENTLOG_PROBLEMS_MAX][ATTEST_REASON_MAX];
};

/* Parses and replays the log at log[0..len) into *ret (the digest
 * context does the hashing), calling fn (may be NULL) per record.  0, or
 * a negative TNC_E* code with *err naming the record and field; *ret is
 * then unspecified. */
int eventlog_replay(const uint8_t *log, size_t len, const struct eventlog_limits *lim,
    struct digest_ctx *d, eventlog_event_fn *fn, void *ctx, struct eventlog_summary *ret,
    struct attest_error *err) TNC_MUST_CHECK;

/* The PFP name of an event type ("EV_IPL"), or NULL for an undefined one. */
const char *eventlog_type_name(uint32_t type);

#endif
