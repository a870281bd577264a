/* sw_rpm_events.h - the SWIMA IMC's event history (RFC 8412 3.7) for an
 * rpm database.  rpm keeps no log like dpkg's, so each run compares the
 * database (sw_rpm.h) with the snapshot the IMC kept at its last run, and
 * keeps the events it derives in its state file:
 *   a Software Identifier only in the snapshot   DELETION
 *   one only in the database                     CREATION
 *   one in both with another INSTALLTIME         ALTERATION (reinstalled)
 * An upgrade is DELETION of the old identifier and CREATION of the new one
 * (the identifier holds the version), as for dpkg.  The changes of one
 * package name in a run are one transaction: they share an EID, the
 * deletions first, all with the latest INSTALLTIME among them, or the time
 * of the run when the name was only removed (or has no INSTALLTIME).  A run's EIDs follow the last
 * one in the order of those times, then of the names.
 *
 * A new random epoch with no events, the database as its snapshot, starts
 * when the state file is missing or malformed (a first run, an unreadable
 * snapshot) or when the EIDs would not fit.  The state is replaced
 * atomically (sw_state.h) when it changes; its directory must exist.
 *
 * Bounds: the snapshot is an inventory (SW_INVENTORY_MAX packages), at most
 * SW_RPM_EVENTS_MAX events are kept (the oldest EIDs go first; RFC 8412
 * lets an endpoint forget old events; a state with more is malformed),
 * SW_RPM_STATE_LINE_MAX octets a line of the state, SW_RPM_STATE_MAX the
 * file.
 */
#ifndef TNC_SW_RPM_EVENTS_H
#define TNC_SW_RPM_EVENTS_H

#include <stddef.h>

#include "err.h"
#include "sw_events.h"
#include "sw_rpm.h"

#define SW_RPM_EVENTS_MAX 20000
#define SW_RPM_STATE_LINE_MAX 1024
#define SW_RPM_STATE_MAX (128u << 20)

/* /var/lib/tnc/client/swima-rpm-state */
extern const char sw_rpm_events_state[];

/* Reads the database and the state at state_path into ev (replacing what it
 * held) and writes the state if it changed.  Failures leave ev empty, the
 * state untouched and the reason in reason: those of
 * sw_inventory_load_rpm(), -errno (the state cannot be read or written, no
 * random epoch). */
int sw_rpm_events_load(struct sw_events *ev, const struct sw_rpm_db *db, const char *state_path,
    const struct sw_naming *n, char *reason, size_t reason_size) TNC_MUST_CHECK;

#endif
