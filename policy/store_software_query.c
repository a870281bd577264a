/* store_software_query.c - what the software database answers (see
 * policy_software.h): a device's untagged identifiers, a SWIDT / SWIDI
 * policy's verdict, the operator's listings, devices by package version,
 * and the advisories that mark versions vulnerable.  Version ranges are
 * compared here, in dpkg's order (os_version_cmp()), not in SQL. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "os_version.h"
#include "store_software_int.h"

#define RULE_FORBID "forbid:"
#define RULE_REQUIRE "require:"
#define RULE_SUBSCRIBE "subscribe"

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static int
vcmp(const char *a, const char *b)
{
	return os_version_cmp(B(a), B(b));
}

int
policy_store_sw_untagged(struct policy_store *s, const char *device, size_t max,
    ps_sw_name_fn *fn, void *ctx)
{
	struct store_rows *r;
	int err = store_check_name(s, "device ID", device);
	if (!err)
		err = store_query(s, &r,
		    "SELECT i.name FROM devices AS d JOIN sw_inventory AS inv ON inv.device = d.id"
		    " JOIN sw_identifiers AS i ON i.id = inv.identifier"
		    " WHERE d.value = ? AND NOT EXISTS (SELECT 1 FROM sw_tags AS t"
		    " WHERE t.identifier = i.id) ORDER BY i.name LIMIT ?",
		    "tI", device, (int64_t)max);
	if (err)
		return err;
	int rc;
	while ((rc = store_next(s, r)) > 0 && !(err = fn(ctx, store_col_text(s, r, 0))))
		;
	store_done(s, r);
	return err ? err : rc;
}

/* The next word of a rules argument at *p: its kind's prefix length and
 * the package in name; 0 at the end, <0 for a word that is not a rule. */
static int
next_rule(const char **p, bool *forbid, char name[PS_VALUE_MAX + 1])
{
	size_t len;
	/* "subscribe" is the IMV's (a subscription), no rule of the verdict */
	while (*p += strspn(*p, " "), len = strcspn(*p, " "),
	    len == strlen(RULE_SUBSCRIBE) && !strncmp(*p, RULE_SUBSCRIBE, len))
		*p += len;
	if (!**p)
		return 0;
	size_t prefix = !strncmp(*p, RULE_FORBID, strlen(RULE_FORBID)) ? strlen(RULE_FORBID) :
	    !strncmp(*p, RULE_REQUIRE, strlen(RULE_REQUIRE)) ? strlen(RULE_REQUIRE) : 0;
	if (!prefix || len == prefix || len - prefix > PS_VALUE_MAX)
		return -1;
	*forbid = prefix == strlen(RULE_FORBID);
	memcpy(name, *p + prefix, len - prefix);
	name[len - prefix] = '\0';
	*p += len;
	return 1;
}

const char *
ps_sw_rules_check(const char *argument)
{
	char name[PS_VALUE_MAX + 1];
	bool forbid;
	int rc;
	if (!argument)
		return "no argument";
	while ((rc = next_rule(&argument, &forbid, name)) > 0)
		;
	return rc < 0 ? "a word is not forbid:PACKAGE, require:PACKAGE (1..255 bytes) or subscribe" :
	    NULL;
}

/* Appends "; " and a note to the verdict's detail while it fits. */
static void
note(struct ps_sw_verdict *v, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
note(struct ps_sw_verdict *v, const char *fmt, ...)
{
	char one[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(one, sizeof(one), fmt, ap);
	va_end(ap);
	size_t len = strlen(v->detail);
	if (len + strlen(one) + 3 < sizeof(v->detail))
		snprintf(v->detail + len, sizeof(v->detail) - len, "%s%s", len ? "; " : "", one);
}

static bool
marked(const char *version, const char *kind, const char *mark)
{
	int c = vcmp(version, mark);
	return strcmp(kind, "exact") ? c < 0 : c == 0;
}

static int
verdict_vulnerable(struct policy_store *s, int64_t dev, struct ps_sw_verdict *v)
{
	struct store_rows *r;
	int64_t counted = 0;
	int rc = store_query(s, &r,
	    "SELECT i.id, i.package, i.version, m.kind, m.version, m.advisory"
	    " FROM sw_inventory AS inv JOIN sw_identifiers AS i ON i.id = inv.identifier"
	    " JOIN sw_vulnerable AS m ON m.package = i.package"
	    " WHERE inv.device = ? AND i.version IS NOT NULL ORDER BY i.package, i.id, m.advisory",
	    "I", dev);
	if (rc)
		return rc;
	while ((rc = store_next(s, r)) > 0) {
		int64_t id = store_col_int(s, r, 0);
		const char *version = store_col_text(s, r, 2);
		if (id == counted || !marked(version, store_col_text(s, r, 3), store_col_text(s, r, 4)))
			continue;
		counted = id;
		v->vulnerable++;
		note(v, "vulnerable %s %s (%s)", store_col_text(s, r, 1), version,
		    store_col_text(s, r, 5));
	}
	store_done(s, r);
	return rc;
}

static int
verdict_in(struct policy_store *s, const char *device, const char *argument,
    struct ps_sw_verdict *v)
{
	char name[PS_VALUE_MAX + 1];
	bool forbid;
	int64_t dev = 0, count = 0;
	int err = sw_device_find(s, device, &dev);
	if (err && err != TNC_ENOTFOUND)
		return err;
	if (dev && (err = store_int(s, &count,
	    "SELECT count(*) FROM sw_inventory WHERE device = ?", "I", dev)))
		return err;
	v->identifiers = (uint32_t)count;
	for (const char *p = argument; next_rule(&p, &forbid, name) > 0;) {
		int64_t one = 0;
		if (dev && (err = store_int(s, &one,
		    "SELECT count(*) FROM sw_inventory AS inv JOIN sw_identifiers AS i"
		    " ON i.id = inv.identifier WHERE inv.device = ? AND i.package = ?", "It", dev,
		    name)))
			return err;
		if (forbid && one) {
			v->forbidden++;
			note(v, "forbidden %s", name);
		} else if (!forbid && !one) {
			v->missing++;
			note(v, "missing %s", name);
		}
	}
	if (dev && (err = verdict_vulnerable(s, dev, v)))
		return err;
	v->fail = v->forbidden || v->missing || v->vulnerable;
	return 0;
}

int
policy_store_sw_verdict(struct policy_store *s, const char *device, const char *argument,
    struct ps_sw_verdict *ret)
{
	*ret = (struct ps_sw_verdict){0};
	const char *why = ps_sw_rules_check(argument);
	if (why)
		return store_fail(s, TNC_EINVALID, "software rules '%.64s': %s", argument, why);
	int err = store_check_name(s, "device ID", device);
	if (!err)
		err = store_begin(s, false);
	if (!err)
		err = verdict_in(s, device, argument, ret);
	return store_end(s, err);
}

/* --- listings --- */

static const struct ps_column inventory_cols[] = {{"identifier", PS_COL_TEXT},
    {"package", PS_COL_TEXT}, {"version", PS_COL_TEXT}, {"since", PS_COL_INT},
    {"tagged", PS_COL_BOOL}};
static const struct ps_column event_cols[] = {{"epoch", PS_COL_INT}, {"eid", PS_COL_INT},
    {"time", PS_COL_TEXT}, {"action", PS_COL_TEXT}, {"identifier", PS_COL_TEXT}};
static const struct ps_column device_cols[] = {{"device", PS_COL_TEXT}, {"package", PS_COL_TEXT},
    {"version", PS_COL_TEXT}, {"identifier", PS_COL_TEXT}};
static const struct ps_column affected_cols[] = {{"device", PS_COL_TEXT},
    {"package", PS_COL_TEXT}, {"version", PS_COL_TEXT}, {"advisory", PS_COL_TEXT}};
#define NCOLS(c) (sizeof(c) / sizeof((c)[0]))

const struct ps_column *
ps_sw_columns(enum ps_sw_listing what, size_t *ret_n)
{
	static const struct {
		const struct ps_column *cols;
		size_t n;
	} listings[] = {
	    [PS_SW_INVENTORY] = {inventory_cols, NCOLS(inventory_cols)},
	    [PS_SW_EVENTS] = {event_cols, NCOLS(event_cols)},
	    [PS_SW_DEVICES] = {device_cols, NCOLS(device_cols)},
	    [PS_SW_AFFECTED] = {affected_cols, NCOLS(affected_cols)},
	};
	*ret_n = listings[what].n;
	return listings[what].cols;
}

/* Every row of r as cells of cols ('t' text, 'i' integer per column). */
static int
rows_out(struct policy_store *s, struct store_rows *r, const struct ps_column *cols, size_t n,
    ps_row_fn *fn, void *ctx)
{
	struct ps_cell cells[8];
	int rc, err = 0;
	while (!err && (rc = store_next(s, r)) > 0) {
		for (size_t c = 0; c < n; c++)
			cells[c] = cols[c].type == PS_COL_TEXT ? sw_cell_text(store_col_text(s, r, (int)c)) :
			    sw_cell_int(store_col_int(s, r, (int)c));
		err = fn(ctx, cols, cells, n);
	}
	store_done(s, r);
	return err ? err : rc;
}

static int
inventory_list(struct policy_store *s, const char *device, ps_row_fn *fn, void *ctx)
{
	struct store_rows *r;
	int64_t dev;
	int err = sw_device_find(s, device, &dev);
	if (!err)
		err = store_query(s, &r,
		    "SELECT i.name, i.package, i.version, inv.since,"
		    " CASE WHEN t.identifier IS NULL THEN 0 ELSE 1 END"
		    " FROM sw_inventory AS inv JOIN sw_identifiers AS i ON i.id = inv.identifier"
		    " LEFT JOIN sw_tags AS t ON t.identifier = i.id WHERE inv.device = ? ORDER BY i.name",
		    "I", dev);
	return err ? err : rows_out(s, r, inventory_cols, NCOLS(inventory_cols), fn, ctx);
}

int
policy_store_sw_inventory_list(struct policy_store *s, const char *device, ps_row_fn *fn,
    void *ctx)
{
	int err = store_begin(s, false);
	if (!err)
		err = inventory_list(s, device, fn, ctx);
	return store_end(s, err);
}

static int
events_list(struct policy_store *s, const char *device, int64_t since_eid, ps_row_fn *fn,
    void *ctx)
{
	struct store_rows *r;
	int64_t dev;
	int err = sw_device_find(s, device, &dev);
	if (!err)
		err = store_query(s, &r,
		    "SELECT e.epoch, e.eid, e.time, e.action, i.name"
		    " FROM sw_events AS e JOIN sw_identifiers AS i ON i.id = e.identifier"
		    " WHERE e.device = ?1 AND (?2 < 0 OR (e.eid > ?2"
		    " AND e.epoch = (SELECT epoch FROM sw_state WHERE device = ?1)))"
		    " ORDER BY e.epoch, e.eid, e.id",
		    "II", dev, since_eid);
	return err ? err : rows_out(s, r, event_cols, NCOLS(event_cols), fn, ctx);
}

int
policy_store_sw_events_list(struct policy_store *s, const char *device, int64_t since_eid,
    ps_row_fn *fn, void *ctx)
{
	int err = store_begin(s, false);
	if (!err)
		err = events_list(s, device, since_eid, fn, ctx);
	return store_end(s, err);
}

static bool
in_range(const char *version, const struct ps_sw_range *range)
{
	if (!range->from && !range->to)
		return true;
	if (!version)
		return false;
	if (range->from && vcmp(version, range->from) < 0)
		return false;
	if (range->to) {
		int c = vcmp(version, range->to);
		return range->to_below ? c < 0 : c <= 0;
	}
	return true;
}

static int
check_version(struct policy_store *s, const char *what, const char *v)
{
	const char *why = v ? os_version_check(B(v)) : NULL;
	if (v && strlen(v) > PS_VALUE_MAX)
		why = "longer than 255 bytes";
	return why ? store_fail(s, TNC_EINVALID, "%s '%.64s': %s", what, v, why) : 0;
}

static int
devices_in(struct policy_store *s, const char *package, const struct ps_sw_range *range,
    ps_row_fn *fn, void *ctx)
{
	struct store_rows *r;
	int rc = store_query(s, &r,
	    "SELECT d.value, i.package, i.version, i.name FROM sw_identifiers AS i"
	    " JOIN sw_inventory AS inv ON inv.identifier = i.id JOIN devices AS d ON d.id = inv.device"
	    " WHERE i.package = ? ORDER BY d.value, i.name",
	    "t", package);
	if (rc)
		return rc;
	int err = 0;
	while (!err && (rc = store_next(s, r)) > 0) {
		if (!in_range(store_col_text(s, r, 2), range))
			continue;
		struct ps_cell cells[NCOLS(device_cols)];
		for (int c = 0; c < (int)NCOLS(device_cols); c++)
			cells[c] = sw_cell_text(store_col_text(s, r, c));
		err = fn(ctx, device_cols, cells, NCOLS(device_cols));
	}
	store_done(s, r);
	return err ? err : rc;
}

int
policy_store_sw_devices(struct policy_store *s, const char *package,
    const struct ps_sw_range *range, ps_row_fn *fn, void *ctx)
{
	int err = store_check_name(s, "package", package);
	if (!err)
		err = check_version(s, "the lowest version", range->from);
	if (!err)
		err = check_version(s, "the highest version", range->to);
	if (!err)
		err = store_begin(s, false);
	if (!err)
		err = devices_in(s, package, range, fn, ctx);
	return store_end(s, err);
}

/* --- advisories --- */

#define REP10(x) x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x ", " x
#define REP100(x) REP10(REP10(x))
#define MARKS_ADD(rows)                                                                  \
	"INSERT INTO sw_vulnerable (package, kind, version, advisory, source) VALUES " rows   \
	" ON CONFLICT (package, kind, version, advisory) DO NOTHING"
static const char marks_add_sql[] = MARKS_ADD(REP100("(?, ?, ?, ?, ?)")),
                  mark_add_sql[] = MARKS_ADD("(?, ?, ?, ?, ?)");

struct import {
	const char *source;
	const struct ps_sw_advisory *a;
	size_t n;
	int64_t added;
};

static void
bind_mark(void *ctx, size_t row, struct store_param *p)
{
	struct import *c = ctx;
	const struct ps_sw_advisory *a = &c->a[row];
	p[0] = (struct store_param){'t', 0, a->package};
	p[1] = (struct store_param){'t', 0, a->exact ? "exact" : "below"};
	p[2] = (struct store_param){'t', 0, a->version};
	p[3] = (struct store_param){'t', 0, a->advisory};
	p[4] = (struct store_param){'t', 0, c->source};
}

static int
import(struct policy_store *s, void *ctx)
{
	struct import *c = ctx;
	c->added = 0;
	return sw_batch(s, marks_add_sql, mark_add_sql, 5, c->n, bind_mark, NULL, c, &c->added);
}

int
policy_store_sw_advisories_import(struct policy_store *s, const char *source,
    const struct ps_sw_advisory *a, size_t n, size_t *ret_added)
{
	int err = store_check_name(s, "the source", source);
	if (!err && n > PS_SW_INVENTORY_MAX)
		err = store_fail(s, TNC_ETOOLONG, "%zu marks in one import (at most %d)", n,
		    PS_SW_INVENTORY_MAX);
	for (size_t i = 0; !err && i < n; i++) {
		err = store_check_name(s, "a marked package", a[i].package);
		if (!err)
			err = check_version(s, a[i].package, a[i].version);
		if (!err && (!a[i].version || !a[i].advisory || !a[i].advisory[0] ||
		    strlen(a[i].advisory) > PS_SW_ADVISORY_MAX))
			err = store_fail(s, TNC_EINVALID, "%s: no version, or an advisory ID that is"
			    " empty or longer than %d bytes", a[i].package, PS_SW_ADVISORY_MAX);
	}
	struct import c = {source, a, n, 0};
	if (!err)
		err = store_write(s, import, &c);
	if (!err && ret_added)
		*ret_added = (size_t)c.added;
	return err;
}

static int
affected_in(struct policy_store *s, const char *source, ps_row_fn *fn, void *ctx)
{
	struct store_rows *r;
	int rc = store_query(s, &r,
	    "SELECT d.value, i.package, i.version, m.advisory, m.kind, m.version"
	    " FROM sw_vulnerable AS m JOIN sw_identifiers AS i ON i.package = m.package"
	    " JOIN sw_inventory AS inv ON inv.identifier = i.id JOIN devices AS d ON d.id = inv.device"
	    " WHERE (?1 IS NULL OR m.source = ?1) AND i.version IS NOT NULL"
	    " ORDER BY d.value, i.package, m.advisory",
	    "t", source);
	if (rc)
		return rc;
	int err = 0;
	while (!err && (rc = store_next(s, r)) > 0) {
		if (!marked(store_col_text(s, r, 2), store_col_text(s, r, 4), store_col_text(s, r, 5)))
			continue;
		struct ps_cell cells[NCOLS(affected_cols)];
		for (int c = 0; c < (int)NCOLS(affected_cols); c++)
			cells[c] = sw_cell_text(store_col_text(s, r, c));
		err = fn(ctx, affected_cols, cells, NCOLS(affected_cols));
	}
	store_done(s, r);
	return err ? err : rc;
}

int
policy_store_sw_affected(struct policy_store *s, const char *source, ps_row_fn *fn, void *ctx)
{
	int err = store_begin(s, false);
	if (!err)
		err = affected_in(s, source, fn, ctx);
	return store_end(s, err);
}
