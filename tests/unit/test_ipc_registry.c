/* test_ipc_registry.c - the registry (ipc/messages.def) is the one trust
 * contract between processes: its rows are well formed, and ipc/README.md's
 * message table says exactly what it says (number, name, from, to,
 * descriptor, once), row by row. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_frame.h"
#include "testlib.h"

#define README TNC_SOURCE_DIR "/ipc/README.md"

enum { COL_TYPE, COL_NAME, COL_FROM, COL_TO, COL_FD, COL_ONCE, COL_PAYLOAD, NCOLS };

struct doc_row {
	unsigned type;
	char cell[NCOLS][128];
};

/* "| 0x0001 | hello | ike, tnccs, imv | tncd | – | once | ..." */
static int
parse_row(const char *line, struct doc_row *r)
{
	char (*cells)[128] = r->cell;
	const char *p = line;
	for (int i = 0; i < NCOLS; i++) {
		const char *bar = strchr(p, '|');
		if (!bar)
			return -1;
		const char *next = strchr(bar + 1, '|');
		if (!next)
			return -1;
		size_t n = (size_t)(next - bar - 1);
		if (n >= sizeof(cells[i]))
			n = sizeof(cells[i]) - 1;
		memcpy(cells[i], bar + 1, n);
		cells[i][n] = 0;
		/* trim */
		char *s = cells[i];
		while (*s == ' ')
			s++;
		memmove(cells[i], s, strlen(s) + 1);
		for (size_t k = strlen(cells[i]); k > 0 && cells[i][k - 1] == ' '; k--)
			cells[i][k - 1] = 0;
		p = next;
	}
	return sscanf(cells[COL_TYPE], "0x%x", &r->type) == 1 ? 0 : -1;
}

/* The README writes ends as "ike, tnccs"; ipc_end_names() as "ike|tnccs". */
static void
doc_ends(unsigned ends, char *out, size_t size)
{
	char buf[64];
	ipc_end_names(ends, buf, sizeof(buf));
	size_t o = 0;
	for (const char *p = buf; *p && o + 3 < size; p++) {
		if (*p == '|') {
			out[o++] = ',';
			out[o++] = ' ';
		} else {
			out[o++] = *p;
		}
	}
	out[o] = 0;
}

START_TEST(rows_are_well_formed)
{
	unsigned n = ipc_type_count();
	ck_assert_uint_gt(n, 20);
	ck_assert_uint_le(n, 64); /* "once" is tracked in a 64-bit mask per channel */
	for (unsigned i = 0; i < n; i++) {
		const struct ipc_type_info *t = ipc_type_at(i);
		ck_assert_ptr_nonnull(t->name);
		ck_assert_uint_ne(t->from, 0);
		ck_assert_uint_ne(t->to, 0);
		ck_assert_int_eq(ipc_type_index(t->type), (int)i);
		for (unsigned j = i + 1; j < n; j++) {
			ck_assert_uint_ne(t->type, ipc_type_at(j)->type);
			ck_assert_str_ne(t->name, ipc_type_at(j)->name);
		}
		/* tncctl talks to tncd only, and only tncd hands out descriptors */
		if (t->from & IPC_END_CTL)
			ck_assert_uint_eq(t->to, IPC_END_TNCD);
		if (t->fd)
			ck_assert_uint_eq(t->from, IPC_END_TNCD);
	}
	ck_assert_int_eq(ipc_type_index(0x0101), -1); /* retired */
	ck_assert_ptr_null(ipc_type_at(n));
}
END_TEST

START_TEST(readme_table_matches_registry)
{
	size_t len;
	char *text = (char *)tl_read_file(README, &len);
	ck_assert_ptr_nonnull(text);
	unsigned n = ipc_type_count(), documented = 0;
	int seen[64] = {0};

	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		struct doc_row r;
		if (strncmp(line, "| 0x", 4) != 0)
			continue;
		ck_assert_msg(parse_row(line, &r) == 0, "README row does not parse: %s", line);
		int i = ipc_type_index((uint16_t)r.type);
		ck_assert_msg(i >= 0, "README documents 0x%04x, which messages.def lacks", r.type);
		ck_assert_msg(!seen[i], "README documents 0x%04x twice", r.type);
		seen[i] = 1;
		documented++;
		const struct ipc_type_info *t = ipc_type_at((unsigned)i);
		char from[64], to[64];
		doc_ends(t->from, from, sizeof(from));
		doc_ends(t->to, to, sizeof(to));
		ck_assert_str_eq(r.cell[COL_NAME], t->name);
		ck_assert_msg(!strcmp(r.cell[COL_FROM], from), "0x%04x from: README '%s', "
		    "registry '%s'", r.type, r.cell[COL_FROM], from);
		ck_assert_msg(!strcmp(r.cell[COL_TO], to), "0x%04x to: README '%s', registry '%s'",
		    r.type, r.cell[COL_TO], to);
		ck_assert_str_eq(r.cell[COL_FD], t->fd ? "1" : "–");
		ck_assert_str_eq(r.cell[COL_ONCE], t->once ? "once" : "–");
		ck_assert_uint_gt(strlen(r.cell[COL_PAYLOAD]), 0);
	}
	free(text);
	ck_assert_msg(documented == n, "README documents %u of %u message types", documented, n);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ipc_registry");
	TCase *tc = tcase_create("registry");
	tcase_add_test(tc, rows_are_well_formed);
	tcase_add_test(tc, readme_table_matches_registry);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
