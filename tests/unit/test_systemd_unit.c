/* test_systemd_unit.c - etc/systemd/tncd.service and etc/sysusers.d/tnc.conf:
 * the unit's exposure as systemd-analyze scores it stays at 3.0 or lower,
 * it keeps the notify/watchdog contract and what the children need to
 * confine themselves, and the system users match the manifest.
 *
 * systemd-analyze and systemd-sysusers come with Debian's `systemd` package;
 * without them these tests fail rather than skip, since CI installs it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "manifest.h"
#include "testlib.h"

#define UNIT_PATH TNC_SOURCE_DIR "/etc/systemd/tncd.service"
#define SYSUSERS_PATH TNC_SOURCE_DIR "/etc/sysusers.d/tnc.conf"
#define EXPOSURE_MAX_TENTHS 30
#define EXPOSURE_LINE "Overall exposure level for tncd.service: "
#define OUTPUT_MAX 65536
/* Check refuses failure messages near its 4 KiB pipe message limit. */
#define MESSAGE_MAX 3000

/* Runs cmd through sh with stdout and stderr into out (always terminated);
 * returns its exit code, 127 when the command was not found. */
static int
run(const char *cmd, char *out, size_t size)
{
	char full[1024];
	size_t len = 0, n;

	snprintf(full, sizeof(full), "SYSTEMD_COLORS=0 SYSTEMD_PAGER=cat %s 2>&1", cmd);
	FILE *p = popen(full, "r");
	ck_assert_msg(p != NULL, "popen(%s) failed", full);
	while (len + 1 < size && (n = fread(out + len, 1, size - 1 - len, p)) > 0)
		len += n;
	out[len] = 0;
	char sink[4096];
	while (fread(sink, 1, sizeof(sink), p) > 0)
		;
	int st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + (WIFSIGNALED(st) ? WTERMSIG(st) : 0);
}

static void
require_tool(const char *tool)
{
	char cmd[128], out[512];
	snprintf(cmd, sizeof(cmd), "command -v %s", tool);
	ck_assert_msg(run(cmd, out, sizeof(out)) == 0,
	    "%s not found: install the systemd package (this test does not skip)", tool);
}

/* "2.6" after EXPOSURE_LINE as tenths (26); -1 when the line is missing. */
static int
parse_exposure(const char *out)
{
	const char *v = strstr(out, EXPOSURE_LINE);
	if (!v)
		return -1;
	v += strlen(EXPOSURE_LINE);
	if (v[0] < '0' || v[0] > '9')
		return -1;
	char *end;
	long whole = strtol(v, &end, 10);
	if (end[0] != '.' || end[1] < '0' || end[1] > '9' || whole > 10)
		return -1;
	return (int)(whole * 10 + (end[1] - '0'));
}

/* The lines of a security report that cost exposure (marked with a cross)
 * and the summary, cut to fit a Check failure message. */
static const char *
costly_items(const char *out)
{
	static char buf[MESSAGE_MAX];
	size_t used = 0;

	buf[0] = 0;
	for (const char *line = out; *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if ((strncmp(line, "\u2717", 3) == 0 || memmem(line, len, "Overall", 7)) &&
		    used + len + 2 < sizeof(buf)) {
			memcpy(buf + used, line, len);
			used += len;
			buf[used++] = '\n';
			buf[used] = 0;
		}
		line += len + (end != NULL);
	}
	if (!used)
		snprintf(buf, sizeof(buf), "%.*s", (int)sizeof(buf) - 1, out);
	return buf;
}

START_TEST(exposure_at_most_3_0)
{
	static char out[OUTPUT_MAX];

	require_tool("systemd-analyze");
	int rc = run("systemd-analyze security --no-pager --offline=yes --threshold=30 " UNIT_PATH,
	    out, sizeof(out));
	int tenths = parse_exposure(out);
	ck_assert_msg(tenths >= 0, "no '%s' line in systemd-analyze output (exit %d):\n%s",
	    EXPOSURE_LINE, rc, costly_items(out));
	ck_assert_msg(tenths <= EXPOSURE_MAX_TENTHS, "exposure %d.%d is above %d.%d:\n%s",
	    tenths / 10, tenths % 10, EXPOSURE_MAX_TENTHS / 10, EXPOSURE_MAX_TENTHS % 10,
	    costly_items(out));
	ck_assert_msg(rc == 0, "systemd-analyze exited %d at exposure %d.%d:\n%s", rc,
	    tenths / 10, tenths % 10, costly_items(out));
}
END_TEST

/* The example units for node_exporter's textfile collector load cleanly. */
START_TEST(metrics_example_units_verify)
{
	char out[OUTPUT_MAX];
	require_tool("systemd-analyze");
	int rc = run("systemd-analyze verify --man=no " TNC_SOURCE_DIR
	    "/etc/systemd/tnc-metrics.service " TNC_SOURCE_DIR "/etc/systemd/tnc-metrics.timer",
	    out, sizeof(out));
	ck_assert_msg(rc == 0 && !strstr(out, "tnc-metrics"), "exit %d:\n%s", rc, out);
}
END_TEST

START_TEST(parser_reads_the_summary_line)
{
	ck_assert_int_eq(parse_exposure("→ " EXPOSURE_LINE "2.6 OK :-)\n"), 26);
	ck_assert_int_eq(parse_exposure(EXPOSURE_LINE "10.0 UNSAFE\n"), 100);
	ck_assert_int_eq(parse_exposure(EXPOSURE_LINE "3 OK\n"), -1);
	ck_assert_int_eq(parse_exposure("Overall exposure level for other.service: 1.0"), -1);
}
END_TEST

/* Values of every `key=` line of the [Service] section, space-joined, in
 * out; returns how many lines set it. */
static int
service_setting(const char *unit, const char *key, char *out, size_t size)
{
	size_t klen = strlen(key), used = 0;
	int in_service = 0, found = 0;

	out[0] = 0;
	for (const char *line = unit; *line; ) {
		const char *end = strchr(line, '\n');
		size_t len = end ? (size_t)(end - line) : strlen(line);
		if (line[0] == '[')
			in_service = len == 9 && strncmp(line, "[Service]", 9) == 0;
		else if (in_service && len > klen && strncmp(line, key, klen) == 0 &&
		    line[klen] == '=') {
			int n = snprintf(out + used, size - used, "%s%.*s", used ? " " : "",
			    (int)(len - klen - 1), line + klen + 1);
			if (n > 0 && (size_t)n < size - used)
				used += (size_t)n;
			found++;
		}
		line += len + (end != NULL);
	}
	return found;
}

static char *
read_unit(void)
{
	size_t len;
	char *unit = (char *)tl_read_file(UNIT_PATH, &len);
	ck_assert_msg(unit != NULL, "cannot read %s", UNIT_PATH);
	return unit;
}

/* True when word occurs in the space-separated list. */
static int
has_word(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(list, word); p; p = strstr(p + 1, word))
		if ((p == list || p[-1] == ' ') && (p[n] == 0 || p[n] == ' '))
			return 1;
	return 0;
}

START_TEST(notify_and_watchdog)
{
	char *unit = read_unit();
	char v[512];

	ck_assert_int_eq(service_setting(unit, "Type", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "notify");
	ck_assert_int_eq(service_setting(unit, "NotifyAccess", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "main");
	ck_assert_int_eq(service_setting(unit, "WatchdogSec", v, sizeof(v)), 1);
	ck_assert_msg(atoi(v) > 0, "WatchdogSec=%s does not enable the watchdog", v);
	ck_assert_int_eq(service_setting(unit, "Restart", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "on-failure");
	free(unit);
}
END_TEST

/* The score must never be bought by taking away what the children need
 * between exec and the end of sandbox_enter(). */
START_TEST(children_can_still_confine_themselves)
{
	static const char *const caps[] = {"CAP_NET_BIND_SERVICE", "CAP_CHOWN", "CAP_FOWNER", "CAP_KILL",
	    "CAP_DAC_READ_SEARCH", "CAP_SYS_CHROOT", "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP",
	    "CAP_NET_ADMIN"}; /* the last one tnc-xfrm keeps */
	static const char *const calls[] = {"@system-service", "chroot", "seccomp"};
	char *unit = read_unit();
	char v[1024];

	ck_assert_msg(service_setting(unit, "User", v, sizeof(v)) == 0,
	    "tncd must run as root to give each child its own uid");
	ck_assert_int_eq(service_setting(unit, "CapabilityBoundingSet", v, sizeof(v)), 1);
	for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++)
		ck_assert_msg(has_word(v, caps[i]), "CapabilityBoundingSet lacks %s", caps[i]);
	int words = 1;
	for (const char *p = v; *p; p++)
		words += *p == ' ';
	ck_assert_msg(words == (int)(sizeof(caps) / sizeof(caps[0])),
	    "CapabilityBoundingSet=%s: a new capability needs its reason in the unit and here", v);
	ck_assert_msg(!has_word(v, "CAP_SYS_PTRACE") && !has_word(v, "CAP_SYS_ADMIN"),
	    "CapabilityBoundingSet=%s", v);
	ck_assert_int_ge(service_setting(unit, "SystemCallFilter", v, sizeof(v)), 1);
	for (size_t i = 0; i < sizeof(calls) / sizeof(calls[0]); i++)
		ck_assert_msg(has_word(v, calls[i]), "SystemCallFilter lacks %s: %s", calls[i], v);
	ck_assert_int_eq(service_setting(unit, "NoNewPrivileges", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "yes");
	ck_assert_int_eq(service_setting(unit, "StateDirectory", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "tnc");
	ck_assert_int_eq(service_setting(unit, "RuntimeDirectory", v, sizeof(v)), 1);
	ck_assert_str_eq(v, "tnc");
	free(unit);
}
END_TEST

/* Every child role has one `u NAME - "GECOS"` line with its manifest name and
 * no fixed id: systemd-sysusers picks a free system id on each machine. */
START_TEST(sysusers_match_manifest)
{
	size_t len;
	char *conf = (char *)tl_read_file(SYSUSERS_PATH, &len);
	ck_assert_msg(conf != NULL, "cannot read %s", SYSUSERS_PATH);

	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		const struct role_manifest *m = manifest_role(r);
		int found = 0;
		for (const char *line = conf; *line; ) {
			const char *end = strchr(line, '\n');
			size_t n = end ? (size_t)(end - line) : strlen(line);
			char type[4], name[64], id[16];
			char copy[512];
			snprintf(copy, sizeof(copy), "%.*s", (int)n, line);
			if (sscanf(copy, "%3s %63s %15s", type, name, id) == 3 &&
			    strcmp(type, "u") == 0 && strcmp(name, m->name) == 0) {
				ck_assert_msg(strcmp(id, "-") == 0, "%s has the fixed id %s", m->name, id);
				ck_assert_msg(strchr(copy, '"') != NULL, "%s has no description",
				    m->name);
				found++;
			}
			line += n + (end != NULL);
		}
		ck_assert_msg(found == 1, "%d lines for %s in %s", found, m->name, SYSUSERS_PATH);
	}
	free(conf);
}
END_TEST

START_TEST(sysusers_file_is_valid)
{
	static char out[OUTPUT_MAX];
	char root[] = "/tmp/tnc-sysusers-XXXXXX", cmd[512];

	require_tool("systemd-sysusers");
	ck_assert_ptr_nonnull(mkdtemp(root));
	snprintf(cmd, sizeof(cmd), "systemd-sysusers --root=%s --dry-run " SYSUSERS_PATH, root);
	int rc = run(cmd, out, sizeof(out));
	rmdir(root);
	ck_assert_msg(rc == 0, "systemd-sysusers exited %d:\n%.2000s", rc, out);
	for (int r = ROLE_TNCD + 1; r < ROLE_COUNT; r++) {
		char want[96];
		snprintf(want, sizeof(want), "Creating user '%s'", manifest_role(r)->name);
		ck_assert_msg(strstr(out, want) != NULL, "no \"%s\" in:\n%.2000s", want, out);
	}
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("systemd_unit");
	TCase *tc = tcase_create("unit");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, exposure_at_most_3_0);
	tcase_add_test(tc, parser_reads_the_summary_line);
	tcase_add_test(tc, metrics_example_units_verify);
	tcase_add_test(tc, notify_and_watchdog);
	tcase_add_test(tc, children_can_still_confine_themselves);
	suite_add_tcase(s, tc);
	TCase *users = tcase_create("sysusers");
	tcase_add_test(users, sysusers_match_manifest);
	tcase_add_test(users, sysusers_file_is_valid);
	suite_add_tcase(s, users);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
