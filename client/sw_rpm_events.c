/* sw_rpm_events.c - the SWIMA IMC's event history of an rpm database
 * (see sw_rpm_events.h).
 *
 * The state file, replaced whole; fields are single-blank separated (rpm's
 * syntax has no blanks), an architecture "" is written "-":
 *   swima-rpm-state 1
 *   epoch <1..4294967295>
 *   last-eid <0..4294967295>
 *   package <installtime> <name> <version> <arch>        the snapshot
 *   event <eid> <YYYY-MM-DDThh:mm:ssZ> <action 1..3> <name> <version> <arch>
 */
#include "sw_rpm_events.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "log.h"
#include "pa_swima.h"
#include "reason.h"
#include "sw_state.h"

const char sw_rpm_events_state[] = "/var/lib/tnc/client/swima-rpm-state";

#define FIELDS_MAX 7

struct rpm_state {
	uint32_t epoch, last_eid;
	struct sw_inventory snapshot;
	struct sw_event *v; /* in EID order */
	size_t count, cap;
};

static void
state_clear(struct rpm_state *st)
{
	sw_inventory_clear(&st->snapshot);
	for (size_t i = 0; i < st->count; i++)
		sw_inventory_package_clear(&st->v[i].pkg);
	free(st->v);
	memset(st, 0, sizeof(*st));
}

static struct sw_event *
state_next_event(struct rpm_state *st)
{
	if (st->count == st->cap) {
		size_t cap = st->cap ? 2 * st->cap : 64;
		struct sw_event *v = realloc(st->v, cap * sizeof(*v));
		if (!v)
			abort();
		st->v = v;
		st->cap = cap;
	}
	memset(&st->v[st->count], 0, sizeof(st->v[0]));
	return &st->v[st->count];
}

static bool
parse_time(const char *s, int64_t *ret)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return false;
	*ret = v;
	return true;
}

/* "YYYY-MM-DDThh:mm:ssZ", as this file writes it. */
static bool
is_timestamp(const char *s)
{
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";

	if (strlen(s) != sizeof(shape) - 1)
		return false;
	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	return true;
}

/* Splits s in place at single blanks into at most FIELDS_MAX fields; 0
 * for an empty field or more fields. */
static size_t
split(char *s, char *f[FIELDS_MAX])
{
	size_t n = 0;

	for (;;) {
		char *blank = strchr(s, ' ');
		if (*s == 0 || blank == s || n == FIELDS_MAX)
			return 0;
		f[n++] = s;
		if (!blank)
			return n;
		*blank = 0;
		s = blank + 1;
	}
}

static const char *
arch_of(const char *field)
{
	return strcmp(field, "-") == 0 ? "" : field;
}

/* One line (without its newline) of the state after the header. */
static bool
parse_record(char *line, const struct sw_naming *n, struct rpm_state *st)
{
	char *f[FIELDS_MAX];
	size_t nf = split(line, f);
	const char *why;

	if (nf == 5 && strcmp(f[0], "package") == 0 && st->count == 0) {
		int64_t t;
		if (!parse_time(f[1], &t) ||
		    sw_inventory_add(&st->snapshot, n, f[2], f[3], arch_of(f[4]), &why) != 0)
			return false;
		st->snapshot.v[st->snapshot.count - 1].install_time = t;
		return true;
	}
	if (nf == 7 && strcmp(f[0], "event") == 0 && st->count < SW_RPM_EVENTS_MAX) {
		struct sw_event *e = state_next_event(st);
		uint32_t action;
		if (!sw_state_parse_u32(f[1], &e->eid) || e->eid == 0 || e->eid > st->last_eid ||
		    (st->count > 0 && e->eid < st->v[st->count - 1].eid) || !is_timestamp(f[2]) ||
		    !sw_state_parse_u32(f[3], &action) || action < PA_SWIMA_ACTION_CREATION ||
		    action > PA_SWIMA_ACTION_ALTERATION ||
		    sw_inventory_package_init(&e->pkg, n, f[4], f[5], arch_of(f[6]), &why) != 0)
			return false;
		memcpy(e->timestamp, f[2], sizeof(e->timestamp));
		e->action = (uint8_t)action;
		st->count++;
		return true;
	}
	return false;
}

/* Reads the state; NULL when it was read, else why there is none to
 * continue (static text); *ret_err is set for a state that exists but
 * cannot be read. */
static const char *
read_state(const char *path, const struct sw_naming *n, struct rpm_state *st, int *ret_err)
{
	char line[SW_RPM_STATE_LINE_MAX + 1];
	const char *why = NULL;
	unsigned lineno = 0;
	struct stat sb;
	FILE *f = fopen(path, "re");

	*ret_err = 0;
	if (!f) {
		if (errno != ENOENT)
			*ret_err = -errno;
		return "no state file";
	}
	if (fstat(fileno(f), &sb) != 0 || sb.st_size > SW_RPM_STATE_MAX) {
		fclose(f);
		return "state file over its size";
	}
	while (!why && fgets(line, sizeof(line), f)) {
		size_t len = strlen(line);
		if (len == 0 || line[len - 1] != '\n') {
			why = "state file malformed";
			break;
		}
		line[--len] = 0;
		switch (++lineno) {
		case 1:
			why = strcmp(line, "swima-rpm-state 1") ? "state file malformed" : NULL;
			break;
		case 2:
			why = strncmp(line, "epoch ", 6) || !sw_state_parse_u32(line + 6, &st->epoch) ||
			    st->epoch == 0 ? "state file malformed" : NULL;
			break;
		case 3:
			why = strncmp(line, "last-eid ", 9) || !sw_state_parse_u32(line + 9, &st->last_eid) ?
			    "state file malformed" : NULL;
			break;
		default: why = parse_record(line, n, st) ? NULL : "state file malformed";
		}
	}
	if (!why && ferror(f))
		*ret_err = -EIO;
	fclose(f);
	if (!why && lineno < 3)
		why = "state file malformed";
	if (why || *ret_err) {
		state_clear(st);
		return why ? why : "state file unreadable";
	}
	sw_inventory_sort(&st->snapshot);
	return NULL;
}

static void
put_package(FILE *f, const struct sw_package *p)
{
	fprintf(f, "%s %s %s", p->name, p->version, p->arch[0] ? p->arch : "-");
}

/* The state of sw_state_replace(): st's epoch, Last EID and events with
 * the database as the snapshot. */
struct state_out {
	const struct rpm_state *st;
	const struct sw_inventory *snapshot;
};

static int
put_state(FILE *f, void *ctx)
{
	const struct state_out *o = ctx;

	fprintf(f, "swima-rpm-state 1\nepoch %" PRIu32 "\nlast-eid %" PRIu32 "\n", o->st->epoch,
	    o->st->last_eid);
	for (size_t i = 0; i < o->snapshot->count; i++) {
		fprintf(f, "package %" PRId64 " ", o->snapshot->v[i].install_time);
		put_package(f, &o->snapshot->v[i]);
		fputc('\n', f);
	}
	for (size_t i = 0; i < o->st->count; i++) {
		const struct sw_event *e = &o->st->v[i];
		fprintf(f, "event %" PRIu32 " %s %u ", e->eid, e->timestamp, e->action);
		put_package(f, &e->pkg);
		fputc('\n', f);
	}
	return ferror(f) ? -EIO : 0;
}

/* One difference between snapshot and database. */
struct change {
	const struct sw_package *pkg;
	uint8_t action;
};

/* The changes of one name: one EID. */
struct group {
	size_t first, count; /* in the changes */
	int64_t time;
	const char *name;
};

static int
action_rank(uint8_t action)
{
	return action == PA_SWIMA_ACTION_DELETION ? 0 : 1;
}

static int
by_name_deletions_first(const void *a, const void *b)
{
	const struct change *x = a, *y = b;
	int c = strcmp(x->pkg->name, y->pkg->name);

	if (c == 0)
		c = action_rank(x->action) - action_rank(y->action);
	return c ? c : strcmp(x->pkg->sw_id, y->pkg->sw_id);
}

static int
by_time_and_name(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->time != y->time)
		return x->time < y->time ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct diff {
	struct change *changes;
	size_t n_changes;
	struct group *groups;
	size_t n_groups;
};

static void
diff_clear(struct diff *d)
{
	free(d->changes);
	free(d->groups);
	memset(d, 0, sizeof(*d));
}

/* The changes from old to now (both sorted by Software Identifier),
 * grouped by name and the groups in EID order. */
static void
diff_make(struct diff *d, const struct sw_inventory *old, const struct sw_inventory *now,
    int64_t run_time)
{
	size_t i = 0, j = 0;

	memset(d, 0, sizeof(*d));
	if ((d->changes = malloc((old->count + now->count + 1) * sizeof(*d->changes))) == NULL)
		abort();
	while (i < old->count || j < now->count) {
		int c = i == old->count ? 1 : j == now->count ? -1 :
		    strcmp(old->v[i].sw_id, now->v[j].sw_id);
		struct change *ch = &d->changes[d->n_changes];
		if (c < 0)
			*ch = (struct change){&old->v[i++], PA_SWIMA_ACTION_DELETION};
		else if (c > 0)
			*ch = (struct change){&now->v[j++], PA_SWIMA_ACTION_CREATION};
		else if (old->v[i++].install_time != now->v[j].install_time)
			*ch = (struct change){&now->v[j++], PA_SWIMA_ACTION_ALTERATION};
		else {
			j++;
			continue;
		}
		d->n_changes++;
	}
	qsort(d->changes, d->n_changes, sizeof(*d->changes), by_name_deletions_first);
	if ((d->groups = malloc((d->n_changes + 1) * sizeof(*d->groups))) == NULL)
		abort();
	for (size_t k = 0; k < d->n_changes; k++) {
		const struct change *ch = &d->changes[k];
		struct group *g = &d->groups[d->n_groups - 1];
		if (d->n_groups == 0 || strcmp(g->name, ch->pkg->name) != 0) {
			g = &d->groups[d->n_groups++];
			*g = (struct group){k, 0, INT64_MIN, ch->pkg->name};
		}
		g->count++;
		/* an INSTALLTIME of 0 is none: the run's time then */
		if (ch->action != PA_SWIMA_ACTION_DELETION && ch->pkg->install_time > 0 &&
		    ch->pkg->install_time > g->time)
			g->time = ch->pkg->install_time;
	}
	for (size_t k = 0; k < d->n_groups; k++)
		if (d->groups[k].time == INT64_MIN)
			d->groups[k].time = run_time;
	qsort(d->groups, d->n_groups, sizeof(*d->groups), by_time_and_name);
}

static void
format_time(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;

	if (!gmtime_r(&tt, &tm) || strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm) != 20)
		memcpy(out, "1970-01-01T00:00:00Z", 21);
}

/* Appends d's events to st from EID last_eid + 1 on. */
static void
append_events(struct rpm_state *st, const struct diff *d, const struct sw_naming *n)
{
	for (size_t g = 0; g < d->n_groups; g++) {
		const struct group *gr = &d->groups[g];
		char ts[21];
		st->last_eid++;
		format_time(gr->time, ts);
		for (size_t k = gr->first; k < gr->first + gr->count; k++) {
			const struct sw_package *p = d->changes[k].pkg;
			struct sw_event *e = state_next_event(st);
			const char *why;
			/* a copy of a package that was named before cannot fail */
			if (sw_inventory_package_init(&e->pkg, n, p->name, p->version, p->arch, &why))
				abort();
			e->eid = st->last_eid;
			e->action = d->changes[k].action;
			memcpy(e->timestamp, ts, sizeof(ts));
			st->count++;
		}
	}
}

/* Forgets the oldest EIDs while over SW_RPM_EVENTS_MAX events. */
static void
trim_events(struct rpm_state *st)
{
	size_t drop;

	if (st->count <= SW_RPM_EVENTS_MAX)
		return;
	drop = st->count - SW_RPM_EVENTS_MAX;
	while (drop < st->count && st->v[drop].eid == st->v[drop - 1].eid)
		drop++;
	for (size_t i = 0; i < drop; i++)
		sw_inventory_package_clear(&st->v[i].pkg);
	memmove(st->v, st->v + drop, (st->count - drop) * sizeof(*st->v));
	st->count -= drop;
}

int
sw_rpm_events_load(struct sw_events *ev, const struct sw_rpm_db *db, const char *state_path,
    const struct sw_naming *n, char *reason, size_t reason_size)
{
	struct sw_inventory now;
	struct rpm_state st = {0};
	struct diff d = {0};
	const char *why;
	int err;

	sw_events_clear(ev);
	sw_inventory_init(&now);
	if ((err = sw_inventory_load_rpm(&now, db, n, reason, reason_size)) != 0)
		return err;
	why = read_state(state_path, n, &st, &err);
	if (err) {
		reason_set(reason, reason_size, "%s: %s", state_path, tnc_strerror(err));
		goto out;
	}
	if (!why) {
		diff_make(&d, &st.snapshot, &now, (int64_t)time(NULL));
		if (UINT32_MAX - st.last_eid < d.n_groups)
			why = "no EIDs left";
	}
	if (why) {
		state_clear(&st);
		if ((err = sw_state_random_epoch(&st.epoch)) != 0) {
			reason_set(reason, reason_size, "no random EID epoch: %s", tnc_strerror(err));
			goto out;
		}
	} else {
		append_events(&st, &d, n);
		trim_events(&st);
	}
	if (why || d.n_groups > 0) {
		struct state_out o = {&st, &now};
		if ((err = sw_state_replace(state_path, put_state, &o)) != 0) {
			reason_set(reason, reason_size, "%s: %s", state_path, tnc_strerror(err));
			goto out;
		}
	}
	if (why)
		LOG(IMV, 1, "SWIMA: new EID epoch %" PRIu32 " (%s) for %zu rpm packages", st.epoch,
		    why, now.count);
	else if (d.n_groups > 0)
		LOG(IMV, 1, "SWIMA: the rpm database changed: %zu events, EIDs up to %" PRIu32,
		    d.n_changes, st.last_eid);
	ev->epoch = st.epoch;
	ev->last_eid = st.last_eid;
	ev->new_epoch_reason = why;
	ev->v = st.v;
	ev->count = st.count;
	st.v = NULL;
	st.count = st.cap = 0;
	reason_set(reason, reason_size, "%s", "");
out:
	diff_clear(&d);
	state_clear(&st);
	sw_inventory_clear(&now);
	return err;
}
