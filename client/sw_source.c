/* sw_source.c - the SWIMA IMC's package sources (see sw_source.h). */
#include "sw_source.h"

#include <stdio.h>
#include <unistd.h>

#include "sw_rpm_events.h"

enum sw_source_kind
sw_source_choose(const struct sw_source *s)
{
	if (s->kind != SW_SOURCE_AUTO)
		return s->kind;
	if (s->dpkg_status && access(s->dpkg_status, F_OK) == 0)
		return SW_SOURCE_DPKG;
	return sw_rpm_db_exists(&s->rpm) ? SW_SOURCE_RPM : SW_SOURCE_DPKG;
}

const char *
sw_source_name(const struct sw_source *s)
{
	return s->kind == SW_SOURCE_RPM ? "rpm" : "dpkg";
}

int
sw_source_inventory(const struct sw_source *s, struct sw_inventory *inv,
    const struct sw_naming *n, char *reason, size_t reason_size)
{
	if (s->kind == SW_SOURCE_RPM)
		return sw_inventory_load_rpm(inv, &s->rpm, n, reason, reason_size);
	return sw_inventory_load_dpkg(inv, s->dpkg_status, n, reason, reason_size);
}

int
sw_source_events(const struct sw_source *s, struct sw_events *ev, const struct sw_naming *n,
    char *reason, size_t reason_size)
{
	if (s->kind == SW_SOURCE_RPM)
		return sw_rpm_events_load(ev, &s->rpm, s->events.state, n, reason, reason_size);
	return sw_events_load(ev, &s->events, n, reason, reason_size);
}

bool
sw_source_watched(const struct sw_source *s, size_t i, char *path, size_t size)
{
	if (s->kind == SW_SOURCE_RPM)
		return sw_rpm_db_file(&s->rpm, i, path, size);
	if (i >= 2 || !s->events.logs[i])
		return false;
	return (size_t)snprintf(path, size, "%s", s->events.logs[i]) < size;
}
