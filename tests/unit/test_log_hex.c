/* test_log_hex.c - LOG_HEX prints what the seeds print for the 105-byte
 * CDATA batch of their first session ("02[TNC] => 105 bytes @ ..." and the
 * lines after it), without the memory address; long dumps are capped. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "testlib.h"

static char lines[2048][128];
static int nlines;

static void
capture(const struct log_event *e, void *ctx)
{
	if (nlines < 2048)
		snprintf(lines[nlines++], sizeof(lines[0]), "%s", e->text);
}

START_TEST(seed_batch_dump)
{
	/* the seed document's lines, less "Nov 29 ... charon: 02[TNC] " */
	static const char *const want[] = {
		"=> 105 bytes",
		"0: 02 00 00 01 00 00 00 69 00 00 00 00 00 00 00 06 .......i........",
		"16: 00 00 00 1F 41 63 63 65 70 74 2D 4C 61 6E 67 75 ....Accept-Langu",
		"32: 61 67 65 3A 20 65 6E 80 00 00 00 00 00 00 01 00 age: en.........",
		"48: 00 00 42 00 00 55 97 00 00 00 01 00 01 FF FF 01 ..B..U..........",
		"64: 00 00 00 56 9E 52 8E 00 00 00 00 00 00 00 02 00 ...V.R..........",
		"80: 00 00 22 00 00 00 00 00 55 62 75 6E 74 75 20 31 ..\".....Ubuntu 1",
		"96: 31 2E 31 30 20 69 36 38 36 1.10 i686",
	};
	size_t len;
	uint8_t *batch = tl_read_testdata("seed/pb-tnc-cdata-105.bin", &len);
	ck_assert_uint_eq(len, 105);
	log_set_output(capture, NULL);
	log_set_all_levels(4);
	LOG_HEX(TNC, 4, batch, len);
	ck_assert_int_eq(nlines, 8);
	for (int i = 0; i < 8; i++)
		ck_assert_str_eq(lines[i], want[i]);
	/* below level 4 nothing is formatted */
	nlines = 0;
	log_set_all_levels(3);
	LOG_HEX(TNC, 4, batch, len);
	ck_assert_int_eq(nlines, 0);
	free(batch);
}
END_TEST

START_TEST(long_dumps_are_capped)
{
	static uint8_t big[LOG_HEX_MAX + 100];
	log_set_output(capture, NULL);
	log_set_all_levels(4);
	nlines = 0;
	LOG_HEX(IMV, 4, big, sizeof(big));
	ck_assert_int_eq(nlines, 1 + LOG_HEX_MAX / 16 + 1);
	ck_assert_str_eq(lines[nlines - 1], "(100 more bytes not shown)");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("log_hex");
	TCase *tc = tcase_create("hex");
	tcase_add_test(tc, seed_batch_dump);
	tcase_add_test(tc, long_dumps_are_capped);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
