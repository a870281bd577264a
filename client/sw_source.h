/* sw_source.h - where the SWIMA IMC's inventory and events come from: the
 * one interface it reads packages through, with two implementations:
 *   dpkg  the status file (sw_inventory_load_dpkg()) and dpkg's logs with
 *         the EID state (sw_events.h);
 *   rpm   the rpm database (sw_rpm.h) and the snapshot kept in the state
 *         file (sw_rpm_events.h).
 * SW_SOURCE_AUTO chooses when the IMC is configured (sw_source_choose()).
 */
#ifndef TNC_SW_SOURCE_H
#define TNC_SW_SOURCE_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "sw_events.h"
#include "sw_inventory.h"
#include "sw_rpm.h"

/* Files whose change may mean new events: dpkg's two logs, or the rpm
 * database's file of each backend (sqlite, bdb, ndb). */
#define SW_SOURCE_WATCHED SW_RPM_DB_FILES /* > 2 */

enum sw_source_kind {
	SW_SOURCE_DPKG = 0,
	SW_SOURCE_RPM,
	SW_SOURCE_AUTO, /* only until sw_source_choose() */
};

struct sw_source {
	enum sw_source_kind kind;
	const char *dpkg_status;         /* dpkg */
	struct sw_events_sources events; /* dpkg: its logs; either: .state */
	struct sw_rpm_db rpm;            /* rpm */
};

/* AUTO's choice: dpkg when its status file exists, else rpm when its
 * database does (sw_rpm_db_exists()), else dpkg (whose answers then name the missing
 * status file); another kind is kept. */
enum sw_source_kind sw_source_choose(const struct sw_source *s);
/* "dpkg" or "rpm". */
const char *sw_source_name(const struct sw_source *s);

/* The inventory (sw_inventory_load_dpkg(), sw_inventory_load_rpm()). */
int sw_source_inventory(const struct sw_source *s, struct sw_inventory *inv,
    const struct sw_naming *n, char *reason, size_t reason_size) TNC_MUST_CHECK;
/* The event history (sw_events_load(), sw_rpm_events_load()). */
int sw_source_events(const struct sw_source *s, struct sw_events *ev, const struct sw_naming *n,
    char *reason, size_t reason_size) TNC_MUST_CHECK;
/* Watched file i (< SW_SOURCE_WATCHED) into path; false when there is none. */
bool sw_source_watched(const struct sw_source *s, size_t i, char *path, size_t size);

#endif
