/* test_man_pages.c - the man pages in man/: each renders without a groff
 * warning; tncd.conf(5) documents every section and key etc/tncd.conf has,
 * and no key that file no longer has; each program's page names every
 * option its --help prints and lists exit codes.
 *
 * groff comes with Debian's groff-base (priority important); without it
 * the rendering test fails rather than skips.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "testlib.h"

#define MAN_DIR TNC_SOURCE_DIR "/man"
#define CONF_PATH TNC_SOURCE_DIR "/etc/tncd.conf"
#define OUTPUT_MAX 65536
#define LINE_MAX_LEN 512

static const char *const pages[] = {"tncd.8", "tncctl.8", "tncadm.8", "tncclient.1",
    "tncdump.1", "tncd.conf.5"};

/* Each program and the page that documents it. */
static const struct {
	const char *program, *page;
} programs[] = {
	{"tncd", "tncd.8"},
	{"tncctl", "tncctl.8"},
	{"tncadm", "tncadm.8"},
	{"tncclient", "tncclient.1"},
	{"tncdump", "tncdump.1"},
};

static char *
read_text(const char *path)
{
	size_t len;
	char *text = (char *)tl_read_file(path, &len);
	ck_assert_msg(text != NULL, "cannot read %s", path);
	return text;
}

/* The page's source with the roff escapes that matter here undone: \- is
 * '-', font changes (\fB \fI \fR \fP) and \& vanish, \(dq is '"'. */
static char *
read_page_plain(const char *page)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/%s", MAN_DIR, page);
	char *text = read_text(path), *out = text;
	for (const char *p = text; *p; ) {
		if (p[0] == '\\' && p[1] == '-') {
			*out++ = '-';
			p += 2;
		} else if (p[0] == '\\' && p[1] == 'f' && p[2]) {
			p += 3;
		} else if (p[0] == '\\' && p[1] == '&') {
			p += 2;
		} else if (strncmp(p, "\\(dq", 4) == 0) {
			*out++ = '"';
			p += 4;
		} else {
			*out++ = *p++;
		}
	}
	*out = 0;
	return text;
}

/* Copies line number `*pos` on into line (without '\n'); false at the end. */
static bool
next_line(const char **pos, char *line, size_t size)
{
	if (!**pos)
		return false;
	size_t n = strcspn(*pos, "\n");
	snprintf(line, size, "%.*s", (int)n, *pos);
	*pos += n + ((*pos)[n] == '\n');
	return true;
}

/* true if word occurs in text with no identifier character right after it. */
static bool
has_word(const char *text, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = strstr(text, word); p; p = strstr(p + 1, word)) {
		bool starts = p == text || !(isalnum((unsigned char)p[-1]) || p[-1] == '_');
		char after = p[n];
		if (starts && !(isalnum((unsigned char)after) || after == '_' || after == '-'))
			return true;
	}
	return false;
}

/* The keys tncd.conf(5) documents: in DESCRIPTION, the first word of a bold
 * line (.B, .BI, .BR) right after .TP.  Returns how many, into keys. */
static int
page_keys(const char *page_text, char keys[][64], int max)
{
	char line[LINE_MAX_LEN], prev[LINE_MAX_LEN] = "";
	const char *pos = page_text;
	bool in_description = false;
	int n = 0;

	while (next_line(&pos, line, sizeof(line))) {
		if (strncmp(line, ".SH", 3) == 0)
			in_description = strcmp(line, ".SH DESCRIPTION") == 0;
		else if (in_description && strcmp(prev, ".TP") == 0 && line[0] == '.' &&
		    line[1] == 'B' && (line[2] == ' ' || line[2] == 'I' || line[2] == 'R')) {
			const char *w = line + strcspn(line, " ");
			w += strspn(w, " ");
			ck_assert_int_lt(n, max);
			snprintf(keys[n], sizeof(keys[n]), "%.*s", (int)strcspn(w, " "), w);
			n++;
		}
		snprintf(prev, sizeof(prev), "%s", line);
	}
	return n;
}

START_TEST(pages_render_without_warnings)
{
	static char out[OUTPUT_MAX];
	char cmd[512];
	const char *page = pages[_i];

	/* -ww: every warning; -rCHECKSTYLE=3: the man macros' own style checks. */
	snprintf(cmd, sizeof(cmd), "LC_ALL=C.UTF-8 groff -man -ww -z -rCHECKSTYLE=3 %s/%s 2>&1",
	    MAN_DIR, page);
	int rc = tl_sh(out, sizeof(out), "%s", cmd);
	ck_assert_msg(rc == 0 && out[0] == 0, "%s: groff exited %d:\n%.2000s", page, rc, out);
	/* And a rendering has the page's sections. */
	snprintf(cmd, sizeof(cmd), "LC_ALL=C.UTF-8 groff -man -Tutf8 -P-cbou %s/%s 2>&1", MAN_DIR,
	    page);
	rc = tl_sh(out, sizeof(out), "%s", cmd);
	ck_assert_int_eq(rc, 0);
	ck_assert_msg(strstr(out, "NAME") && strstr(out, "SYNOPSIS") && strstr(out, "SEE ALSO"),
	    "%s renders without NAME, SYNOPSIS or SEE ALSO:\n%.2000s", page, out);
}
END_TEST

/* Every [section] and every "key =" line of etc/tncd.conf is in the page. */
START_TEST(conf_page_documents_every_key)
{
	char *conf = read_text(CONF_PATH), *page = read_page_plain("tncd.conf.5");
	static char keys[256][64];
	int nkeys = page_keys(page, keys, 256), checked = 0;
	char line[LINE_MAX_LEN], want[128];

	for (const char *pos = conf; next_line(&pos, line, sizeof(line)); ) {
		char name[64];
		if (sscanf(line, "[%63[^]]]", name) == 1) {
			snprintf(want, sizeof(want), "[%s]", name);
			char heading[LINE_MAX_LEN];
			bool found = false;
			for (const char *p = page; !found && next_line(&p, heading, sizeof(heading)); )
				found = strncmp(heading, ".SS ", 4) == 0 && strstr(heading, want);
			ck_assert_msg(found, "tncd.conf(5) has no .SS for section %s", want);
			checked++;
		} else if (sscanf(line, "%63[a-z0-9_.] =", name) == 1 && strstr(line, " =")) {
			bool found = false;
			for (int i = 0; i < nkeys && !found; i++)
				found = strcmp(keys[i], name) == 0;
			ck_assert_msg(found, "tncd.conf(5) does not document key '%s' (%s)", name,
			    line);
			checked++;
		}
	}
	/* A file the loop could not parse must not pass. */
	ck_assert_msg(checked > 0, "only %d sections and keys found in %s", checked, CONF_PATH);
	free(conf);
	free(page);
}
END_TEST

/* Every key the page documents is still named in etc/tncd.conf. */
START_TEST(conf_page_has_no_stale_key)
{
	char *conf = read_text(CONF_PATH), *page = read_page_plain("tncd.conf.5");
	static char keys[256][64];
	int nkeys = page_keys(page, keys, 256);

	ck_assert_int_gt(nkeys, 0);
	for (int i = 0; i < nkeys; i++)
		ck_assert_msg(has_word(conf, keys[i]),
		    "tncd.conf(5) documents '%s', which %s does not mention", keys[i], CONF_PATH);
	free(conf);
	free(page);
}
END_TEST

/* Every option the program's --help prints is in its page, and the page
 * has an EXIT STATUS section with codes. */
START_TEST(program_pages_name_every_option)
{
	static char help[OUTPUT_MAX];
	const char *program = programs[_i].program;
	char *page = read_page_plain(programs[_i].page);
	int options = 0;

	tl_sh(help, sizeof(help), "%s/%s --help 2>&1", TNC_BIN_DIR, program);
	ck_assert_msg(strstr(help, "usage"), "%s --help printed no usage:\n%.2000s", program,
	    help);
	for (const char *p = help; (p = strchr(p, '-')); ) {
		char option[64];
		/* "-s" or "--word", after a blank, '[', ',' or '|'. */
		bool starts = p == help || strchr(" \t\n[,|", p[-1]);
		size_t n = 1 + strspn(p + 1,
		    "-abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
		bool is_short = n == 2 && p[1] != '-', is_long = n > 3 && p[1] == '-';
		if (starts && (is_short || is_long)) {
			snprintf(option, sizeof(option), "%.*s", (int)n, p);
			ck_assert_msg(has_word(page, option), "%s's --help has %s, its man page not",
			    program, option);
			options++;
		}
		p += n;
	}
	ck_assert_msg(options > 0, "no option found in %s --help", program);
	const char *exit_status = strstr(page, "\n.SH EXIT STATUS\n");
	ck_assert_msg(exit_status != NULL, "%s has no EXIT STATUS section", programs[_i].page);
	ck_assert_msg(strstr(exit_status, "\n.TP\n.B 0\n") != NULL,
	    "%s's EXIT STATUS does not list 0", programs[_i].page);
	free(page);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("man_pages");
	TCase *tc = tcase_create("man");
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, pages_render_without_warnings, 0,
	    (int)(sizeof(pages) / sizeof(pages[0])));
	tcase_add_test(tc, conf_page_documents_every_key);
	tcase_add_test(tc, conf_page_has_no_stale_key);
	tcase_add_loop_test(tc, program_pages_name_every_option, 0,
	    (int)(sizeof(programs) / sizeof(programs[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
