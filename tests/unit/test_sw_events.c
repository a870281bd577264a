/* test_sw_events.c - the SWIMA IMC's event history: the events of
 * tests/data/dpkg-log (see its PROVENANCE.md) with their EIDs, times and
 * identifiers, the state file's text, EIDs kept across runs, new events,
 * a log rotation and the event limit, a new epoch when the state is
 * removed, malformed or can no longer be continued, "events since EID n",
 * and malformed log lines refused with "path:line: reason". */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "log.h"
#include "pa_swima.h"
#include "sw_events.h"
#include "testlib.h"

static char dir[64], state[128], log0[128], log1[128];

static const struct sw_naming debian12 = {"debian.org", "tnc test", "Debian", "12 x86_64", SW_SYNTAX_DEBIAN};

static void
setup(void)
{
	log_set_all_levels(-1);
	setenv("TZ", "UTC0", 1);
	tzset();
	snprintf(dir, sizeof(dir), "/tmp/test_sw_events.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(state, sizeof(state), "%s/swima-state", dir);
	snprintf(log0, sizeof(log0), "%s/dpkg.log.1", dir);
	snprintf(log1, sizeof(log1), "%s/dpkg.log", dir);
}

static void
teardown(void)
{
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void
put(const char *path, const char *mode, const char *content)
{
	FILE *f = fopen(path, mode);
	ck_assert_ptr_nonnull(f);
	fputs(content, f);
	ck_assert_int_eq(fclose(f), 0);
}

/* The sample logs copied to dir (so tests may change them). */
static const struct sw_events_sources *
sample(void)
{
	static struct sw_events_sources src;
	tl_copy_testdata("dpkg-log/dpkg.log.1", dir, "dpkg.log.1");
	tl_copy_testdata("dpkg-log/dpkg.log", dir, "dpkg.log");
	src = (struct sw_events_sources){{log0, log1}, state};
	return &src;
}

static void
load(struct sw_events *ev, const struct sw_events_sources *src)
{
	char reason[SW_REASON_MAX];
	int err = sw_events_load(ev, src, &debian12, reason, sizeof(reason));
	ck_assert_msg(err == 0, "load: %d %s", err, reason);
	ck_assert_str_eq(reason, "");
}

struct want {
	uint32_t eid;
	const char *time;
	uint8_t action;
	const char *name, *version, *id;
};

/* The table of tests/data/dpkg-log/PROVENANCE.md. */
static const struct want sample_events[] = {
	{1, "2026-10-01T09:12:04Z", PA_SWIMA_ACTION_CREATION, "openssl", "3.0.10-1", "openssl-3.0.10-1"},
	{2, "2026-10-01T09:12:04Z", PA_SWIMA_ACTION_CREATION, "telnetd", "0.17-44", "telnetd-0.17-44"},
	{3, "2026-10-14T17:40:11Z", PA_SWIMA_ACTION_CREATION, "libstdc++6", "12.2.0-14+deb12u1",
	    "libstdc~~6-12.2.0-14~deb12u1"},
	{4, "2026-10-14T17:40:11Z", PA_SWIMA_ACTION_CREATION, "zlib1g", "1:1.2.13.dfsg-1",
	    "zlib1g-1~1.2.13.dfsg-1"},
	{5, "2026-10-14T17:40:12Z", PA_SWIMA_ACTION_CREATION, "nano", "7.2-1", "nano-7.2-1"},
	{6, "2026-11-02T08:01:15Z", PA_SWIMA_ACTION_DELETION, "openssl", "3.0.10-1", "openssl-3.0.10-1"},
	{6, "2026-11-02T08:01:15Z", PA_SWIMA_ACTION_CREATION, "openssl", "3.0.11-1", "openssl-3.0.11-1"},
	{7, "2026-11-02T08:03:40Z", PA_SWIMA_ACTION_DELETION, "nano", "7.2-1", "nano-7.2-1"},
	{8, "2026-11-20T13:25:02Z", PA_SWIMA_ACTION_CREATION, "rsh-server", "0.17-22",
	    "rsh-server-0.17-22"},
	{9, "2026-11-20T13:25:03Z", PA_SWIMA_ACTION_ALTERATION, "bash", "5.2.15-2", "bash-5.2.15-2"},
};
#define SAMPLE_EVENTS (sizeof(sample_events) / sizeof(sample_events[0]))

static void
check_event(const struct sw_event *e, const struct want *w, uint32_t eid_offset)
{
	char id[256];
	snprintf(id, sizeof(id), "debian.org__Debian_12-x86_64-%s", w->id);
	ck_assert_uint_eq(e->eid, w->eid + eid_offset);
	ck_assert_str_eq(e->timestamp, w->time);
	ck_assert_uint_eq(e->action, w->action);
	ck_assert_str_eq(e->pkg.name, w->name);
	ck_assert_str_eq(e->pkg.version, w->version);
	ck_assert_str_eq(e->pkg.arch, "amd64");
	ck_assert_str_eq(e->pkg.sw_id, id);
	ck_assert_uint_eq(e->pkg.record_id, sw_inventory_record_id(id));
}

static char *
state_text(void)
{
	size_t len;
	char *s = (char *)tl_read_file(state, &len);
	ck_assert_ptr_nonnull(s);
	return s;
}

START_TEST(sample_log)
{
	struct sw_events ev;
	char want[256];

	sw_events_init(&ev);
	load(&ev, sample());
	ck_assert_str_eq(ev.new_epoch_reason, "no state file");
	ck_assert_uint_ne(ev.epoch, 0);
	ck_assert_uint_eq(ev.last_eid, 9);
	ck_assert_uint_eq(ev.count, SAMPLE_EVENTS);
	for (size_t i = 0; i < SAMPLE_EVENTS; i++)
		check_event(&ev.v[i], &sample_events[i], 0);
	char *text = state_text();
	snprintf(want, sizeof(want), "swima-state 1\nepoch %u\nlast-eid 9\n"
	    "anchor 2026-11-20 13:25:03 upgrade bash:amd64 5.2.15-2 5.2.15-2\n", ev.epoch);
	ck_assert_str_eq(text, want);
	free(text);
	struct stat st;
	ck_assert_int_eq(stat(state, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0600);
	sw_events_clear(&ev);
	ck_assert_uint_eq(ev.count, 0);
}
END_TEST

/* dpkg logs local time; the events carry UTC. */
START_TEST(local_time_to_utc)
{
	struct sw_events ev;

	setenv("TZ", "XYZ-5", 1); /* 5 hours east of UTC, no DST */
	tzset();
	sw_events_init(&ev);
	load(&ev, sample());
	ck_assert_str_eq(ev.v[0].timestamp, "2026-10-01T04:12:04Z");
	ck_assert_str_eq(ev.v[SAMPLE_EVENTS - 1].timestamp, "2026-11-20T08:25:03Z");
	sw_events_clear(&ev);
}
END_TEST

START_TEST(eids_stable_across_runs)
{
	const struct sw_events_sources *src = sample();
	struct sw_events ev;
	uint32_t epoch;
	unsigned char before[32], after[32];

	sw_events_init(&ev);
	load(&ev, src);
	epoch = ev.epoch;
	tl_sha256_file(state, before);
	/* The same logs again: the same events and EIDs, the state unchanged. */
	load(&ev, src);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 9);
	ck_assert_uint_eq(ev.count, SAMPLE_EVENTS);
	for (size_t i = 0; i < SAMPLE_EVENTS; i++)
		check_event(&ev.v[i], &sample_events[i], 0);
	tl_sha256_file(state, after);
	ck_assert_mem_eq(before, after, 32);

	/* dpkg appends: the old events keep their EIDs, the new one gets 10; a
	 * last line without its newline waits for the next run. */
	put(log1, "a", "2026-12-01 10:00:00 startup archives unpack\n"
	    "2026-12-01 10:00:01 install curl:amd64 <none> 7.88.1-10+deb12u5\n"
	    "2026-12-01 10:00:01 status half-installed curl:amd64 7.88.1-10+deb12u5\n"
	    "2026-12-01 10:00:02 remove telnetd:amd64 0.17-44 <no");
	load(&ev, src);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 10);
	ck_assert_uint_eq(ev.count, SAMPLE_EVENTS + 1);
	for (size_t i = 0; i < SAMPLE_EVENTS; i++)
		check_event(&ev.v[i], &sample_events[i], 0);
	ck_assert_uint_eq(ev.v[SAMPLE_EVENTS].eid, 10);
	ck_assert_str_eq(ev.v[SAMPLE_EVENTS].pkg.sw_id,
	    "debian.org__Debian_12-x86_64-curl-7.88.1-10~deb12u5");
	put(log1, "a", "ne>\n");
	load(&ev, src);
	ck_assert_uint_eq(ev.last_eid, 11);
	ck_assert_uint_eq(ev.v[ev.count - 1].action, PA_SWIMA_ACTION_DELETION);
	ck_assert_str_eq(ev.v[ev.count - 1].pkg.name, "telnetd");

	/* logrotate: dpkg.log becomes dpkg.log.1, the old .1 is compressed
	 * away: the events still seen keep their EIDs (6.. of the sample). */
	ck_assert_int_eq(rename(log1, log0), 0);
	put(log1, "w", "2026-12-02 11:00:00 disappear oldlib:amd64 0.9-1 <none>\n");
	load(&ev, src);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 12);
	ck_assert_uint_eq(ev.count, 8);
	for (size_t i = 0; i < 5; i++)
		check_event(&ev.v[i], &sample_events[5 + i], 0);
	ck_assert_uint_eq(ev.v[7].eid, 12);
	ck_assert_uint_eq(ev.v[7].action, PA_SWIMA_ACTION_DELETION);
	ck_assert_str_eq(ev.v[7].pkg.sw_id, "debian.org__Debian_12-x86_64-oldlib-0.9-1");

	/* Events since an EID. */
	size_t first, n;
	ck_assert_int_eq(sw_events_since(&ev, epoch, 5, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(n, 8);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 6, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(first, 2);
	ck_assert_uint_eq(n, 6);
	ck_assert_uint_eq(ev.v[first].eid, 7);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 11, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(first, 7);
	ck_assert_uint_eq(n, 1);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 12, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 4000, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(n, 0);
	/* EIDs 1..5 are gone with the rotated log. */
	ck_assert_int_eq(sw_events_since(&ev, epoch, 4, &first, &n), SW_EVENTS_EXPIRED);
	ck_assert_uint_eq(n, 0);
	ck_assert_int_eq(sw_events_since(&ev, epoch, 0, &first, &n), SW_EVENTS_EXPIRED);
	ck_assert_int_eq(sw_events_since(&ev, epoch + 1, 6, &first, &n), SW_EVENTS_EPOCH_CHANGED);
	ck_assert_uint_eq(n, 0);
	sw_events_clear(&ev);
}
END_TEST

START_TEST(since_in_a_fresh_epoch)
{
	struct sw_events ev;
	size_t first, n;

	sw_events_init(&ev);
	load(&ev, sample());
	ck_assert_int_eq(sw_events_since(&ev, ev.epoch, 0, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(first, 0);
	ck_assert_uint_eq(n, SAMPLE_EVENTS);
	ck_assert_int_eq(sw_events_since(&ev, ev.epoch, 5, &first, &n), SW_EVENTS_LISTED);
	ck_assert_uint_eq(first, 5);
	ck_assert_uint_eq(n, 5); /* EID 6 (two events), 7, 8, 9 */
	sw_events_clear(&ev);
}
END_TEST

START_TEST(new_epochs)
{
	const struct sw_events_sources *src = sample();
	struct sw_events ev;
	uint32_t epoch;

	sw_events_init(&ev);
	load(&ev, src);
	epoch = ev.epoch;
	/* The state removed. */
	ck_assert_int_eq(unlink(state), 0);
	load(&ev, src);
	ck_assert_str_eq(ev.new_epoch_reason, "no state file");
	ck_assert_uint_ne(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 9);
	for (size_t i = 0; i < SAMPLE_EVENTS; i++)
		check_event(&ev.v[i], &sample_events[i], 0);
	epoch = ev.epoch;

	/* The state malformed in several ways. */
	static const char *const bad[] = {
		"",
		"swima-state 2\nepoch 5\nlast-eid 0\n",
		"swima-state 1\nepoch 0\nlast-eid 0\n",
		"swima-state 1\nepoch 4294967296\nlast-eid 0\n",
		"swima-state 1\nepoch 5\nlast-eid 3\n",
		"swima-state 1\nepoch 5\nlast-eid 0\nanchor x\n",
		"swima-state 1\nepoch 5\nlast-eid 9\nanchor x\nmore\n",
		"swima-state 1\nepoch 5\nlast-eid 9\nanchor x",
		"swima-state 1\nepoch +5\nlast-eid 9\nanchor x\n",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		put(state, "w", bad[i]);
		load(&ev, src);
		ck_assert_msg(ev.new_epoch_reason != NULL &&
		    strcmp(ev.new_epoch_reason, "state file malformed") == 0, "bad state %zu", i);
		ck_assert_uint_eq(ev.v[0].eid, 1);
		ck_assert_uint_eq(ev.last_eid, 9);
	}

	/* The log replaced: its last event is gone. */
	put(log0, "w", "");
	put(log1, "w", "2026-12-05 10:00:00 install vim:amd64 <none> 2:9.0.1378-2\n");
	load(&ev, src);
	ck_assert_str_eq(ev.new_epoch_reason, "the last event is no longer in the log");
	ck_assert_uint_eq(ev.count, 1);
	ck_assert_uint_eq(ev.v[0].eid, 1);
	ck_assert_uint_eq(ev.last_eid, 1);
	ck_assert_str_eq(ev.v[0].pkg.sw_id, "debian.org__Debian_12-x86_64-vim-2~9.0.1378-2");

	/* EIDs that would not fit: a state whose last EID is 2^32 - 1, then one
	 * more event. */
	char text[256];
	snprintf(text, sizeof(text), "swima-state 1\nepoch 77\nlast-eid 4294967295\n"
	    "anchor 2026-12-05 10:00:00 install vim:amd64 <none> 2:9.0.1378-2\n");
	put(state, "w", text);
	load(&ev, src);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.epoch, 77);
	ck_assert_uint_eq(ev.v[0].eid, 4294967295u);
	put(log1, "a", "2026-12-05 10:00:09 remove vim:amd64 2:9.0.1378-2 <none>\n");
	load(&ev, src);
	ck_assert_str_eq(ev.new_epoch_reason, "no EIDs left");
	ck_assert_uint_ne(ev.epoch, 77);
	ck_assert_uint_eq(ev.last_eid, 2);

	/* More events before the anchor than EIDs below it. */
	snprintf(text, sizeof(text), "swima-state 1\nepoch 78\nlast-eid 1\n"
	    "anchor 2026-12-05 10:00:09 remove vim:amd64 2:9.0.1378-2 <none>\n");
	put(state, "w", text);
	load(&ev, src);
	ck_assert_str_eq(ev.new_epoch_reason, "the log has more events before the last one than EIDs");
	ck_assert_uint_eq(ev.last_eid, 2);

	/* No events yet: last EID 0, then the first event is EID 1 of the same
	 * epoch. */
	put(log1, "w", "2026-12-06 10:00:00 startup archives unpack\n");
	ck_assert_int_eq(unlink(state), 0);
	load(&ev, src);
	ck_assert_str_eq(ev.new_epoch_reason, "no state file");
	ck_assert_uint_eq(ev.count, 0);
	ck_assert_uint_eq(ev.last_eid, 0);
	epoch = ev.epoch;
	char *s = state_text();
	snprintf(text, sizeof(text), "swima-state 1\nepoch %u\nlast-eid 0\n", epoch);
	ck_assert_str_eq(s, text);
	free(s);
	put(log1, "a", "2026-12-06 10:00:01 install vim:amd64 <none> 2:9.0.1378-2\n");
	load(&ev, src);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.epoch, epoch);
	ck_assert_uint_eq(ev.last_eid, 1);
	sw_events_clear(&ev);
}
END_TEST

START_TEST(malformed_lines)
{
	static const struct {
		const char *line;
		int err;
		const char *reason;
	} bad[] = {
		{"2026-13-01 00:00:00 install a:amd64 <none> 1\n", TNC_EINVALID,
		    "timestamp: not YYYY-MM-DD HH:MM:SS"},
		{"2026-10-01T09:12:04 install a:amd64 <none> 1\n", TNC_EINVALID,
		    "timestamp: not YYYY-MM-DD HH:MM:SS"},
		{"2026-10-01 09:12\n", TNC_EINVALID, "timestamp: not YYYY-MM-DD HH:MM:SS"},
		{"2026-10-01 09:12:04 frobnicate a:amd64 1 2\n", TNC_EINVALID,
		    "action: not one dpkg logs"},
		{"2026-10-01 09:12:04 install a:amd64 <none>\n", TNC_EINVALID,
		    "action: not \"<action> <package> <installed> <available>\""},
		{"2026-10-01 09:12:04 install a:amd64 <none> 1 2\n", TNC_EINVALID,
		    "action: not \"<action> <package> <installed> <available>\""},
		{"2026-10-01 09:12:04  install a:amd64 <none> 1\n", TNC_EINVALID, "empty field"},
		{"2026-10-01 09:12:04 status installed a:amd64\n", TNC_EINVALID,
		    "status: not \"status <state> <package> <version>\""},
		{"2026-10-01 09:12:04 startup\n", TNC_EINVALID, "startup/conffile: fields missing"},
		{"2026-10-01 09:12:04 install A:amd64 <none> 1\n", TNC_EINVALID,
		    "Package: not a Debian package name"},
		{"2026-10-01 09:12:04 install a:AMD64 <none> 1\n", TNC_EINVALID,
		    "Architecture: not a Debian architecture"},
		{"2026-10-01 09:12:04 install a:amd64 <none> 1;rm\n", TNC_EINVALID,
		    "Version: not a Debian version"},
		{"2026-10-01 09:12:04 install a:amd64 <none> <none>\n", TNC_EINVALID,
		    "install: no version installed"},
		{"2026-10-01 09:12:04 upgrade a:amd64 <none> 1\n", TNC_EINVALID,
		    "upgrade: a version is <none>"},
		{"2026-10-01 09:12:04 upgrade a:amd64 1 2_0\n", TNC_EINVALID,
		    "Version: not a Debian version"},
		{"2026-10-01 09:12:04 remove a:amd64 <none> <none>\n", TNC_EINVALID,
		    "remove: no version was installed"},
	};
	struct sw_events_sources src = {{NULL, log1}, state};
	struct sw_events ev;
	char reason[SW_REASON_MAX], want[SW_REASON_MAX], text[512];

	sw_events_init(&ev);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(text, sizeof(text), "2026-10-01 09:12:03 startup archives unpack\n%s",
		    bad[i].line);
		put(log1, "w", text);
		ck_assert_int_eq(sw_events_load(&ev, &src, &debian12, reason, sizeof(reason)),
		    bad[i].err);
		snprintf(want, sizeof(want), "%s:2: %s", log1, bad[i].reason);
		ck_assert_str_eq(reason, want);
		ck_assert_uint_eq(ev.count, 0);
		ck_assert_int_eq(access(state, F_OK), -1); /* no state written */
	}

	/* A line over 8192 octets, a NUL octet. */
	char *huge = malloc(SW_EVENTS_LINE_MAX + 64);
	ck_assert_ptr_nonnull(huge);
	int n = snprintf(huge, 64, "2026-10-01 09:12:04 conffile /etc/");
	memset(huge + n, 'x', SW_EVENTS_LINE_MAX);
	strcpy(huge + n + SW_EVENTS_LINE_MAX, " keep\n");
	put(log1, "w", huge);
	free(huge);
	ck_assert_int_eq(sw_events_load(&ev, &src, &debian12, reason, sizeof(reason)), TNC_ETOOLONG);
	snprintf(want, sizeof(want), "%s:1: line over 8192 octets", log1);
	ck_assert_str_eq(reason, want);
	FILE *f = fopen(log1, "w");
	ck_assert_ptr_nonnull(f);
	fwrite("2026-10-01 09:12:04 startup\0 x\n", 1, 31, f);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(sw_events_load(&ev, &src, &debian12, reason, sizeof(reason)), TNC_EINVALID);
	snprintf(want, sizeof(want), "%s:1: NUL octet", log1);
	ck_assert_str_eq(reason, want);

	/* A state directory that does not exist: the write fails, nothing is
	 * reported. */
	put(log1, "w", "2026-10-01 09:12:04 install a:amd64 <none> 1\n");
	char nodir[200];
	snprintf(nodir, sizeof(nodir), "%s/none/swima-state", dir);
	src.state = nodir;
	ck_assert_int_eq(sw_events_load(&ev, &src, &debian12, reason, sizeof(reason)), -ENOENT);
	snprintf(want, sizeof(want), "%s: %s", nodir, strerror(ENOENT));
	ck_assert_str_eq(reason, want);
	ck_assert_uint_eq(ev.count, 0);
	sw_events_clear(&ev);
}
END_TEST

/* Past SW_EVENTS_MAX event lines the oldest half is forgotten; the EIDs
 * of what is kept stay the same on the next run. */
START_TEST(event_limit)
{
	struct sw_events_sources src = {{NULL, log1}, state};
	struct sw_events ev;
	FILE *f = fopen(log1, "w");

	ck_assert_ptr_nonnull(f);
	for (unsigned i = 0; i < SW_EVENTS_MAX - 1; i++)
		fprintf(f, "2026-01-01 %02u:%02u:%02u install p%u:amd64 <none> 1.%u\n", i / 3600 % 24,
		    i / 60 % 60, i % 60, i, i);
	ck_assert_int_eq(fclose(f), 0);
	sw_events_init(&ev);
	load(&ev, &src);
	ck_assert_uint_eq(ev.count, SW_EVENTS_MAX - 1);
	ck_assert_uint_eq(ev.last_eid, SW_EVENTS_MAX - 1);
	/* Two more: the limit is hit, the first 50000 lines go. */
	put(log1, "a", "2026-01-02 00:00:00 install q1:amd64 <none> 1\n"
	    "2026-01-02 00:00:01 install q2:amd64 <none> 1\n");
	load(&ev, &src);
	ck_assert_ptr_null(ev.new_epoch_reason);
	ck_assert_uint_eq(ev.count, SW_EVENTS_MAX / 2 + 1);
	ck_assert_uint_eq(ev.v[0].eid, SW_EVENTS_MAX / 2 + 1);
	ck_assert_str_eq(ev.v[0].pkg.name, "p50000");
	ck_assert_uint_eq(ev.last_eid, SW_EVENTS_MAX + 1);
	ck_assert_str_eq(ev.v[ev.count - 1].pkg.name, "q2");
	size_t first, n;
	ck_assert_int_eq(sw_events_since(&ev, ev.epoch, 100, &first, &n), SW_EVENTS_EXPIRED);
	ck_assert_int_eq(sw_events_since(&ev, ev.epoch, SW_EVENTS_MAX / 2, &first, &n),
	    SW_EVENTS_LISTED);
	ck_assert_uint_eq(n, SW_EVENTS_MAX / 2 + 1);
	sw_events_clear(&ev);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("sw_events");
	TCase *tc = tcase_create("events");
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, sample_log);
	tcase_add_test(tc, local_time_to_utc);
	tcase_add_test(tc, eids_stable_across_runs);
	tcase_add_test(tc, since_in_a_fresh_epoch);
	tcase_add_test(tc, new_epochs);
	tcase_add_test(tc, malformed_lines);
	tcase_add_test(tc, event_limit);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
