/* pa_pts_comp.h - the PTS attributes about functional components: Request
 * Functional Component Evidence (TCG PTS IF-M binding 3.14.1) and Simple
 * Component Evidence (3.15.1), with the Measurement Date/Time format and
 * the way strongSwan names an IMA file in the policy URI.
 *
 * strongSwan sends one Simple Component Evidence per BIOS event (component
 * ITA-HSR 'Linux IMA', qualifier K|Trusted Platform, the event digest as
 * measurement, extended into the event's PCR) and per IMA entry (qualifier
 * K|OS, PCR 10, validation flags "passed" (0x60), the template hash as
 * measurement and "<hash algorithm>:<path>" as policy URI, or only the path
 * for the ima template).  Conventions of pa_pts.h.
 */
#ifndef TNC_PA_PTS_COMP_H
#define TNC_PA_PTS_COMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "pa_pts.h"
#include "wire.h"

/* Request Functional Component Evidence flags (3.14.1). */
#define PA_PTS_REQ_FLAG_TTC 0x80  /* T: the transitive trust chain too */
#define PA_PTS_REQ_FLAG_VER 0x40  /* V: verify the component locally */
#define PA_PTS_REQ_FLAG_CURR 0x20 /* C: current (in-memory) evidence */
#define PA_PTS_REQ_FLAG_PCR 0x10  /* P: with PCR before/after values */
#define PA_PTS_REQ_FLAGS_ALL 0xf0
#define PA_PTS_REQ_ENTRY_LEN 12
/* Components one request may name: each one makes the collector produce
 * evidence, so a peer gets to ask for a bounded number. */
#define PA_PTS_MAX_COMPONENTS 64

/* A request: count entries of flags, 24-bit sub-component depth and
 * Component Functional Name, viewed in entries. */
struct pa_pts_comp_request {
	struct bytes entries;
	size_t count; /* 1..PA_PTS_MAX_COMPONENTS */
};
struct pa_pts_comp_request_entry {
	uint8_t flags; /* PA_PTS_REQ_FLAG_*, reserved bits dropped */
	uint32_t depth;
	struct pa_pts_comp_name name;
};
int pa_pts_comp_request_decode(struct bytes value, struct pa_pts_comp_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* Entry i < count of a decoded request. */
struct pa_pts_comp_request_entry pa_pts_comp_request_get(const struct pa_pts_comp_request *req,
    size_t i);
void pa_pts_comp_request_encode(struct wire_writer *w,
    const struct pa_pts_comp_request_entry *entries, size_t n);

/* Simple Component Evidence flags (3.15.1): PCR information included, and
 * the result of a local verification, which carries a policy URI when it
 * failed or passed. */
#define PA_PTS_EVID_FLAG_PCR 0x80
#define PA_PTS_EVID_VALIDATION_MASK 0x60
enum pa_pts_validation {
	PA_PTS_VALIDATION_NONE = 0x00,   /* not attempted */
	PA_PTS_VALIDATION_UNABLE = 0x20, /* attempted, unable to verify */
	PA_PTS_VALIDATION_FAILED = 0x40,
	PA_PTS_VALIDATION_PASSED = 0x60,
};
/* Measurement Type: the only one defined is a hash. */
#define PA_PTS_MEAS_TYPE_HASH 0x80
/* PCR Transform: how the measurement was fitted to the PCR's size. */
enum pa_pts_transform {
	PA_PTS_TRANSFORM_NO = 0,
	PA_PTS_TRANSFORM_MATCH = 1, /* hash size matched the PCR size */
	PA_PTS_TRANSFORM_SHORT = 2, /* shorter, padded (strongSwan: SHA-1 IMA in a SHA-256 bank) */
	PA_PTS_TRANSFORM_LONG = 3,  /* longer, truncated */
};
#define PA_PTS_TIME_LEN 20
#define PA_PTS_EVIDENCE_FIXED_LEN 40

struct pa_pts_comp_evidence {
	uint8_t flags; /* PA_PTS_EVID_FLAG_PCR | enum pa_pts_validation */
	uint32_t depth;
	struct pa_pts_comp_name name;
	uint32_t pcr;       /* Extended into PCR (24 bits) */
	uint16_t hash_algo; /* one PA_PTS_ALGO_* */
	uint8_t transform;  /* enum pa_pts_transform */
	struct bytes time;  /* PA_PTS_TIME_LEN octets, see pa_pts_time_parse() */
	struct bytes policy_uri; /* validation failed or passed only */
	struct bytes pcr_before; /* PA_PTS_EVID_FLAG_PCR only; 1..64 octets, */
	struct bytes pcr_after;  /* both of one length */
	struct bytes measurement; /* 1..PA_PTS_HASH_MAX octets */
};
int pa_pts_comp_evidence_decode(struct bytes value, struct pa_pts_comp_evidence *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
/* The optional fields are written as flags says; anything that would not
 * decode (a URI or PCR values flags do not announce, or the other way
 * round) is the writer's error. */
void pa_pts_comp_evidence_encode(struct wire_writer *w, const struct pa_pts_comp_evidence *v);

/* Measurement Date/Time: RFC 3339 "YYYY-MM-DDThh:mm:ssZ" in UTC, or
 * "0000-00-00T00:00:00Z", strongSwan's "unknown".  0 and *ret_known false
 * for the latter, else the seconds since the epoch; TNC_EINVALID for text
 * of any other form or a date that does not exist. */
int pa_pts_time_parse(struct bytes text, bool *ret_known, int64_t *ret_unix) TNC_MUST_CHECK;
/* out[PA_PTS_TIME_LEN + 1]: the time (or "unknown") as above, NUL-ended;
 * years outside 1..9999 give "unknown". */
void pa_pts_time_format(char *out, bool known, int64_t unix_time);

/* An IMA entry's policy URI as strongSwan writes it: "sha256:/usr/bin/x"
 * for ima-ng and ima-sig (algo "sha256", the template's own prefix without
 * its colon; ":" alone stands for sha1), "/usr/bin/x" for the ima
 * template (has_algo false).  Views into uri. */
struct pa_pts_ima_uri {
	bool has_algo;
	struct bytes algo;
	struct bytes path;
};
void pa_pts_ima_uri_split(struct bytes uri, struct pa_pts_ima_uri *ret);

#endif
