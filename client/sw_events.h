/* sw_events.h - the SWIMA IMC's event history (RFC 8412 3.7): the
 * installs, upgrades and removals dpkg logged, as RFC 8412 events with
 * EIDs that stay the same across runs.
 *
 * dpkg(1) logs one line per step, "YYYY-MM-DD HH:MM:SS <what> ...", in local
 * time.  The action lines "<action> <pkg>[:<arch>] <installed> <available>"
 * make the events:
 *   install  P - NEW      CREATION of P NEW
 *   upgrade  P OLD NEW    DELETION of P OLD and CREATION of P NEW (the
 *                         Software Identifier holds the version, so an
 *                         upgrade is a new identifier, as strongSwan
 *                         reports it); ALTERATION of P NEW when OLD == NEW
 *   remove   P OLD -      DELETION of P OLD
 *   disappear P OLD -     DELETION (every file replaced by another package)
 * The events of one line are simultaneous and share its EID.  "purge"
 * (only configuration files go; dpkg logs "remove" first), "configure",
 * "trigproc", "status", "startup" and "conffile" lines make none.  A line
 * of another form, an unknown action, a bad timestamp or a field not of
 * Debian's syntax refuses the whole history with "path:line: reason"; a
 * last line without its newline (dpkg still writing) is left for the next
 * run.
 *
 * EIDs: the state file holds the EID Epoch, the last EID and the text of
 * the log line of that EID (the anchor).  A run finds the anchor in the
 * logs: the lines before it keep their EIDs (counted back from the last
 * EID), those after get the next ones.  A new random epoch, with EIDs from
 * 1, starts when the state file is missing or malformed, when the anchor is
 * no longer in the logs (rotated away, log replaced), or when the EIDs
 * would not fit.  The state is replaced atomically (rename) when it
 * changes; its directory must exist.
 *
 * Bounds: SW_EVENTS_LINE_MAX octets a line, SW_EVENTS_FILE_MAX a log file,
 * at most SW_EVENTS_MAX event lines kept (the oldest half goes when the
 * limit is hit; RFC 8412 lets an endpoint forget old events).  Compressed
 * rotations (dpkg.log.2.gz ...) are not read.
 */
#ifndef TNC_SW_EVENTS_H
#define TNC_SW_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "sw_inventory.h"

#define SW_EVENTS_MAX 100000        /* event lines kept */
#define SW_EVENTS_LINE_MAX 8192     /* octets of a log line, newline included */
#define SW_EVENTS_FILE_MAX (256u << 20)
#define SW_EVENTS_STATE_MAX (SW_EVENTS_LINE_MAX + 256)

struct sw_event {
	uint32_t eid;
	char timestamp[21]; /* RFC 3339 in UTC: "YYYY-MM-DDThh:mm:ssZ" */
	uint8_t action;     /* enum pa_swima_action */
	struct sw_package pkg;
};

struct sw_events {
	uint32_t epoch;
	uint32_t last_eid;           /* 0: no event in this epoch */
	const char *new_epoch_reason; /* why this run started the epoch; NULL: it continues */
	struct sw_event *v;          /* in EID order */
	size_t count;
};

/* The logs, oldest first (a missing one has no events), and the state. */
struct sw_events_sources {
	const char *logs[2];
	const char *state;
};
/* /var/log/dpkg.log.1, /var/log/dpkg.log; /var/lib/tnc/client/swima-state. */
extern const struct sw_events_sources sw_events_system;

void sw_events_init(struct sw_events *ev);
void sw_events_clear(struct sw_events *ev);
/* Reads the logs and the state into ev (replacing what it held) and writes
 * the state if it changed.  Failures leave ev empty, the state untouched
 * and "path[:line]: reason" in reason: TNC_EINVALID (a malformed line),
 * TNC_ETOOLONG (a line or file over its bound), -errno (a log or the state
 * cannot be read or written, or no random epoch). */
int sw_events_load(struct sw_events *ev, const struct sw_events_sources *src,
    const struct sw_naming *n, char *reason, size_t reason_size) TNC_MUST_CHECK;

enum sw_events_since {
	SW_EVENTS_LISTED = 0,       /* [*ret_first, +*ret_count) are the events after the EID */
	SW_EVENTS_EPOCH_CHANGED = 1, /* the epoch asked for is not ev->epoch */
	SW_EVENTS_EXPIRED = 2,       /* some events after the EID are no longer kept */
};
/* The events of epoch with an EID above after_eid (a SWIMA Request's
 * Earliest EID E asks for after_eid E - 1). */
enum sw_events_since sw_events_since(const struct sw_events *ev, uint32_t epoch,
    uint32_t after_eid, size_t *ret_first, size_t *ret_count);

#endif
