/* sw_events.c - the SWIMA IMC's event history from dpkg's log and its EID
 * state (see sw_events.h).
 *
 * The state file, replaced whole:
 *   swima-state 1
 *   epoch <1..4294967295>
 *   last-eid <0..4294967295>
 *   anchor <the log line of the last EID>     (only when last-eid > 0)
 */
#include "sw_events.h"

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

const struct sw_events_sources sw_events_system = {
	.logs = {"/var/log/dpkg.log.1", "/var/log/dpkg.log"},
	.state = "/var/lib/tnc/client/swima-state",
};

/* A log line that made events, while the logs are read. */
struct ev_line {
	char *text; /* without its newline: what the state's anchor is compared with */
	size_t n;   /* events of the line: 1 or 2 */
	struct sw_event ev[2];
};

struct lines {
	struct ev_line *v;
	size_t count, cap;
};

static void
ev_line_clear(struct ev_line *l)
{
	free(l->text);
	for (size_t i = 0; i < l->n; i++)
		sw_inventory_package_clear(&l->ev[i].pkg);
	memset(l, 0, sizeof(*l));
}

static void
lines_clear(struct lines *ls)
{
	for (size_t i = 0; i < ls->count; i++)
		ev_line_clear(&ls->v[i]);
	free(ls->v);
	memset(ls, 0, sizeof(*ls));
}

/* Room for one more line; at SW_EVENTS_MAX the oldest half is forgotten. */
static struct ev_line *
lines_next(struct lines *ls)
{
	if (ls->count == SW_EVENTS_MAX) {
		size_t half = SW_EVENTS_MAX / 2;
		for (size_t i = 0; i < half; i++)
			ev_line_clear(&ls->v[i]);
		memmove(ls->v, ls->v + half, (ls->count - half) * sizeof(*ls->v));
		ls->count -= half;
	}
	if (ls->count == ls->cap) {
		size_t cap = ls->cap ? 2 * ls->cap : 256;
		struct ev_line *v = realloc(ls->v, cap * sizeof(*v));
		if (!v)
			abort();
		ls->v = v;
		ls->cap = cap;
	}
	struct ev_line *l = &ls->v[ls->count];
	memset(l, 0, sizeof(*l));
	return l;
}

static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++)
		v = 10 * v + (s[i] - '0');
	return v;
}

/* dpkg's "YYYY-MM-DD HH:MM:SS" (local time) as RFC 3339 in UTC; false if
 * it is not such a time. */
static bool
utc_timestamp(const char *s, char out[21])
{
	static const char shape[] = "dddd-dd-dd dd:dd:dd";
	struct tm tm = {0}, utc;

	for (size_t i = 0; i < sizeof(shape) - 1; i++)
		if (shape[i] == 'd' ? !isdigit((unsigned char)s[i]) : s[i] != shape[i])
			return false;
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	tm.tm_isdst = -1;
	if (tm.tm_year < 70 || tm.tm_mon > 11 || tm.tm_mon < 0 || tm.tm_mday < 1 ||
	    tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return false;
	time_t t = mktime(&tm);
	return t != (time_t)-1 && gmtime_r(&t, &utc) &&
	    strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &utc) == 20;
}

#define TOKENS_MAX 4

/* Splits s in place at single blanks; the number of tokens, TOKENS_MAX + 1
 * when there are more, 0 for an empty token (two blanks, a trailing one). */
static size_t
split(char *s, char *tok[TOKENS_MAX])
{
	size_t n = 0;

	for (;;) {
		char *blank = strchr(s, ' ');
		if (blank == s || *s == 0)
			return 0;
		if (n == TOKENS_MAX)
			return TOKENS_MAX + 1;
		tok[n++] = s;
		if (!blank)
			return n;
		*blank = 0;
		s = blank + 1;
	}
}

static const char NONE[] = "<none>";

/* Adds the event of "<name>[:<arch>]" at version to l. */
static const char *
add_event(struct ev_line *l, const struct sw_naming *nm, const char *timestamp, uint8_t action,
    char *pkg, const char *version, int *ret_err)
{
	struct sw_event *e = &l->ev[l->n];
	char *colon = strchr(pkg, ':');
	const char *arch = "", *why;

	if (colon) {
		*colon = 0;
		arch = colon + 1;
	}
	*ret_err = sw_inventory_package_init(&e->pkg, nm, pkg, version, arch, &why);
	if (colon)
		*colon = ':';
	if (*ret_err)
		return why;
	memcpy(e->timestamp, timestamp, sizeof(e->timestamp));
	e->action = action;
	l->n++;
	return NULL;
}

/* The action lines of dpkg's log and what they make. */
enum line_action { NO_EVENT, INSTALLED, UPGRADED, REMOVED };
static const struct {
	const char *name;
	enum line_action kind;
} actions[] = {
	{"install", INSTALLED}, {"upgrade", UPGRADED}, {"remove", REMOVED},
	{"disappear", REMOVED}, {"configure", NO_EVENT}, {"trigproc", NO_EVENT},
	{"purge", NO_EVENT},
};

/* The events of one log line (without its newline) into l; the reason it
 * is malformed, or NULL. */
static const char *
parse_line(char *line, const struct sw_naming *nm, struct ev_line *l, int *ret_err)
{
	char timestamp[21], *tok[TOKENS_MAX] = {0}; /* split() fills the first n */
	size_t n;

	*ret_err = TNC_EINVALID;
	if (strlen(line) < 20 || line[19] != ' ' || !utc_timestamp(line, timestamp))
		return "timestamp: not YYYY-MM-DD HH:MM:SS";
	n = split(line + 20, tok);
	if (n == 0)
		return "empty field";
	if (strcmp(tok[0], "startup") == 0 || strcmp(tok[0], "conffile") == 0)
		return n >= 2 ? NULL : "startup/conffile: fields missing";
	if (strcmp(tok[0], "status") == 0)
		return n == 4 ? NULL : "status: not \"status <state> <package> <version>\"";

	size_t i;
	for (i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (strcmp(tok[0], actions[i].name) == 0)
			break;
	if (i == sizeof(actions) / sizeof(actions[0]))
		return "action: not one dpkg logs";
	if (n != 4)
		return "action: not \"<action> <package> <installed> <available>\"";

	char *pkg = tok[1];
	const char *old = tok[2], *new = tok[3];
	switch (actions[i].kind) {
	case INSTALLED:
		if (strcmp(new, NONE) == 0)
			return "install: no version installed";
		return add_event(l, nm, timestamp, PA_SWIMA_ACTION_CREATION, pkg, new, ret_err);
	case UPGRADED:
		if (strcmp(old, NONE) == 0 || strcmp(new, NONE) == 0)
			return "upgrade: a version is <none>";
		if (strcmp(old, new) == 0)
			return add_event(l, nm, timestamp, PA_SWIMA_ACTION_ALTERATION, pkg, new,
			    ret_err);
		const char *why = add_event(l, nm, timestamp, PA_SWIMA_ACTION_DELETION, pkg,
		    old, ret_err);
		if (why)
			return why;
		return add_event(l, nm, timestamp, PA_SWIMA_ACTION_CREATION, pkg, new, ret_err);
	case REMOVED:
		if (strcmp(old, NONE) == 0)
			return "remove: no version was installed";
		return add_event(l, nm, timestamp, PA_SWIMA_ACTION_DELETION, pkg, old, ret_err);
	case NO_EVENT:
		break;
	}
	return NULL;
}

/* The event lines of an open log into ls. */
static int
read_lines(FILE *f, const char *path, const struct sw_naming *nm, struct lines *ls,
    char *reason, size_t reason_size)
{
	char *line = malloc(SW_EVENTS_LINE_MAX + 1), *work = malloc(SW_EVENTS_LINE_MAX + 1);
	unsigned lineno = 0;
	int err = 0;

	if (!line || !work)
		abort();
	while (!err && fgets(line, SW_EVENTS_LINE_MAX + 1, f)) {
		size_t len = strlen(line);
		lineno++;
		if (len == 0 || line[len - 1] != '\n') {
			if (feof(f))
				break; /* dpkg is still writing this line */
			err = len == SW_EVENTS_LINE_MAX ? TNC_ETOOLONG : TNC_EINVALID;
			reason_set(reason, reason_size, "%s:%u: %s", path, lineno,
			    err == TNC_ETOOLONG ? "line over 8192 octets" : "NUL octet");
			break;
		}
		line[--len] = 0;
		memcpy(work, line, len + 1); /* parse_line() cuts it into fields */
		struct ev_line *l = lines_next(ls);
		const char *why = parse_line(work, nm, l, &err);
		if (why) {
			reason_set(reason, reason_size, "%s:%u: %s", path, lineno, why);
			ev_line_clear(l);
			break;
		}
		err = 0;
		if (l->n > 0) {
			if ((l->text = strdup(line)) == NULL)
				abort();
			ls->count++;
		}
	}
	if (!err && ferror(f)) {
		err = -EIO;
		reason_set(reason, reason_size, "%s: read error", path);
	}
	free(line);
	free(work);
	return err;
}

/* Appends the event lines of one log to ls; a missing log has none. */
static int
read_log(const char *path, const struct sw_naming *nm, struct lines *ls, char *reason,
    size_t reason_size)
{
	FILE *f = fopen(path, "re");
	struct stat st;
	int err;

	if (!f) {
		err = -errno;
		if (err == -ENOENT)
			return 0;
		reason_set(reason, reason_size, "%s: %s", path, tnc_strerror(err));
		return err;
	}
	if (fstat(fileno(f), &st) != 0 || (uintmax_t)st.st_size > SW_EVENTS_FILE_MAX) {
		err = TNC_ETOOLONG;
		reason_set(reason, reason_size, "%s: over %u MiB", path, SW_EVENTS_FILE_MAX >> 20);
	} else {
		err = read_lines(f, path, nm, ls, reason, reason_size);
	}
	fclose(f);
	return err;
}

struct state {
	uint32_t epoch, last_eid;
	char *anchor; /* NULL when last_eid is 0 */
};

/* Reads the state; NULL when it was read, else why there is none to
 * continue (static text); *ret_err is set for a state that exists but
 * cannot be read. */
static const char *
read_state(const char *path, struct state *st, int *ret_err)
{
	char buf[SW_EVENTS_STATE_MAX + 2], *line[4] = {0};
	FILE *f = fopen(path, "re");
	size_t len, n = 0;

	*ret_err = 0;
	memset(st, 0, sizeof(*st));
	if (!f) {
		if (errno != ENOENT)
			*ret_err = -errno;
		return "no state file";
	}
	len = fread(buf, 1, sizeof(buf) - 1, f);
	if (ferror(f))
		*ret_err = -EIO;
	fclose(f);
	if (*ret_err)
		return "state file unreadable";
	if (len > SW_EVENTS_STATE_MAX)
		return "state file over its size";
	buf[len] = 0;
	if (strlen(buf) != len || len == 0 || buf[len - 1] != '\n')
		return "state file malformed";
	for (char *p = buf; *p && n < 4; n++) {
		char *nl = strchr(p, '\n');
		*nl = 0;
		line[n] = p;
		p = nl + 1;
	}
	if (n < 3 || strcmp(line[0], "swima-state 1") != 0 ||
	    strncmp(line[1], "epoch ", 6) != 0 || !sw_state_parse_u32(line[1] + 6, &st->epoch) ||
	    st->epoch == 0 || strncmp(line[2], "last-eid ", 9) != 0 ||
	    !sw_state_parse_u32(line[2] + 9, &st->last_eid))
		return "state file malformed";
	if (st->last_eid > 0 &&
	    (n != 4 || strncmp(line[3], "anchor ", 7) != 0 || line[3][7] == 0 ||
	        line[3] + strlen(line[3]) + 1 != buf + len))
		return "state file malformed";
	if (st->last_eid == 0 && n != 3)
		return "state file malformed";
	if (st->last_eid > 0 && (st->anchor = strdup(line[3] + 7)) == NULL)
		abort();
	return NULL;
}

struct state_text {
	uint32_t epoch, last_eid;
	const char *anchor;
};

static int
put_state(FILE *f, void *ctx)
{
	const struct state_text *t = ctx;

	if (fprintf(f, "swima-state 1\nepoch %" PRIu32 "\nlast-eid %" PRIu32 "\n", t->epoch,
	    t->last_eid) < 0 || (t->last_eid && fprintf(f, "anchor %s\n", t->anchor) < 0))
		return -EIO;
	return 0;
}

static int
write_state(const char *path, uint32_t epoch, uint32_t last_eid, const char *anchor)
{
	struct state_text t = {epoch, last_eid, anchor};

	return sw_state_replace(path, put_state, &t);
}

/* The EID of the first line, continuing st, or NULL with why not. */
static const char *
continue_state(const struct state *st, const struct lines *ls, uint32_t *ret_first_eid)
{
	size_t k;

	if (st->last_eid == 0) {
		*ret_first_eid = 1;
		return NULL;
	}
	for (k = 0; k < ls->count; k++)
		if (strcmp(ls->v[k].text, st->anchor) == 0)
			break;
	if (k == ls->count)
		return "the last event is no longer in the log";
	if (st->last_eid <= k)
		return "the log has more events before the last one than EIDs";
	if (UINT32_MAX - st->last_eid < ls->count - 1 - k)
		return "no EIDs left";
	*ret_first_eid = st->last_eid - (uint32_t)k;
	return NULL;
}

void
sw_events_init(struct sw_events *ev)
{
	memset(ev, 0, sizeof(*ev));
}

void
sw_events_clear(struct sw_events *ev)
{
	for (size_t i = 0; i < ev->count; i++)
		sw_inventory_package_clear(&ev->v[i].pkg);
	free(ev->v);
	memset(ev, 0, sizeof(*ev));
}

/* Moves the events of ls into ev, numbered from first_eid. */
static void
flatten(struct sw_events *ev, struct lines *ls, uint32_t first_eid)
{
	size_t total = 0;

	for (size_t i = 0; i < ls->count; i++)
		total += ls->v[i].n;
	if (total > 0 && (ev->v = malloc(total * sizeof(*ev->v))) == NULL)
		abort();
	for (size_t i = 0; i < ls->count; i++) {
		for (size_t j = 0; j < ls->v[i].n; j++) {
			ev->v[ev->count] = ls->v[i].ev[j];
			ev->v[ev->count++].eid = first_eid + (uint32_t)i;
		}
		ls->v[i].n = 0; /* moved */
	}
}

int
sw_events_load(struct sw_events *ev, const struct sw_events_sources *src,
    const struct sw_naming *n, char *reason, size_t reason_size)
{
	struct lines ls = {0};
	struct state st = {0};
	uint32_t first_eid = 1, epoch, last_eid;
	const char *why;
	int err = 0;

	sw_events_clear(ev);
	reason_set(reason, reason_size, "%s", "");
	for (size_t i = 0; !err && i < sizeof(src->logs) / sizeof(src->logs[0]); i++)
		if (src->logs[i])
			err = read_log(src->logs[i], n, &ls, reason, reason_size);
	if (err)
		goto out;
	why = read_state(src->state, &st, &err);
	if (err) {
		reason_set(reason, reason_size, "%s: %s", src->state, tnc_strerror(err));
		goto out;
	}
	epoch = st.epoch;
	if (!why)
		why = continue_state(&st, &ls, &first_eid);
	if (why) {
		first_eid = 1;
		if ((err = sw_state_random_epoch(&epoch)) != 0) {
			reason_set(reason, reason_size, "no random EID epoch: %s", tnc_strerror(err));
			goto out;
		}
	}
	last_eid = ls.count ? first_eid + (uint32_t)(ls.count - 1) : (why ? 0 : st.last_eid);
	if (why || last_eid != st.last_eid) {
		err = write_state(src->state, epoch, last_eid,
		    ls.count ? ls.v[ls.count - 1].text : NULL);
		if (err) {
			reason_set(reason, reason_size, "%s: %s", src->state, tnc_strerror(err));
			goto out;
		}
	}
	if (why)
		LOG(IMV, 1, "SWIMA: new EID epoch %" PRIu32 " (%s), last EID %" PRIu32, epoch, why,
		    last_eid);
	ev->epoch = epoch;
	ev->last_eid = last_eid;
	ev->new_epoch_reason = why;
	flatten(ev, &ls, first_eid);
out:
	free(st.anchor);
	lines_clear(&ls);
	return err;
}

enum sw_events_since
sw_events_since(const struct sw_events *ev, uint32_t epoch, uint32_t after_eid,
    size_t *ret_first, size_t *ret_count)
{
	size_t lo = 0, hi = ev->count;

	*ret_first = ev->count;
	*ret_count = 0;
	if (epoch != ev->epoch)
		return SW_EVENTS_EPOCH_CHANGED;
	if (after_eid >= ev->last_eid)
		return SW_EVENTS_LISTED;
	if (ev->count == 0 || after_eid + 1 < ev->v[0].eid)
		return SW_EVENTS_EXPIRED;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (ev->v[mid].eid <= after_eid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*ret_first = lo;
	*ret_count = ev->count - lo;
	return SW_EVENTS_LISTED;
}
