/* test_imv_table.c - the Connection ID hash table of the IMV library
 * (imv/imv_table.c): find, add, remove and take-all over many entries,
 * with consecutive and colliding IDs, and an even spread of the IDs tnc-ike
 * assigns. */
#include <stdlib.h>

#include "imv_table.h"
#include "testlib.h"

#define N 100000

static struct imv_table_entry entries[N];

START_TEST(find_add_remove)
{
	struct imv_table t;

	imv_table_init(&t, 4096);
	ck_assert_ptr_null(imv_table_find(&t, 1));
	for (uint32_t i = 0; i < N; i++) {
		entries[i].id = i + 1;
		imv_table_add(&t, &entries[i]);
	}
	ck_assert_uint_eq(t.count, N);
	for (uint32_t i = 0; i < N; i++)
		ck_assert_ptr_eq(imv_table_find(&t, i + 1), &entries[i]);
	ck_assert_ptr_null(imv_table_find(&t, 0));
	ck_assert_ptr_null(imv_table_find(&t, N + 1));
	/* every other one goes */
	for (uint32_t i = 0; i < N; i += 2)
		imv_table_remove(&t, &entries[i]);
	ck_assert_uint_eq(t.count, N / 2);
	for (uint32_t i = 0; i < N; i++)
		ck_assert_ptr_eq(imv_table_find(&t, i + 1), i % 2 ? &entries[i] : NULL);
	imv_table_remove(&t, &entries[0]); /* not in it: nothing happens */
	ck_assert_uint_eq(t.count, N / 2);
	imv_table_clear(&t);
}
END_TEST

START_TEST(take_all_empties)
{
	struct imv_table t;
	size_t n = 0;

	imv_table_init(&t, 16);
	for (uint32_t i = 0; i < 1000; i++) {
		entries[i].id = 0xffffffffu - i * 4096; /* IDs far apart */
		imv_table_add(&t, &entries[i]);
	}
	for (struct imv_table_entry *e = imv_table_take_all(&t); e; e = e->next)
		n++;
	ck_assert_uint_eq(n, 1000);
	ck_assert_uint_eq(t.count, 0);
	ck_assert_ptr_null(imv_table_find(&t, 0xffffffffu));
	ck_assert_ptr_null(imv_table_take_all(&t));
	imv_table_clear(&t);
}
END_TEST

/* 4096 consecutive IDs in 4096 buckets: no chain longer than a few. */
START_TEST(consecutive_ids_spread)
{
	struct imv_table t;
	size_t longest = 0;

	imv_table_init(&t, 4096);
	ck_assert_uint_eq((size_t)1 << (32 - t.shift), 4096);
	for (uint32_t i = 0; i < 4096; i++) {
		entries[i].id = 1000 + i;
		imv_table_add(&t, &entries[i]);
	}
	for (size_t b = 0; b < 4096; b++) {
		size_t len = 0;
		for (struct imv_table_entry *e = t.buckets[b]; e; e = e->next)
			len++;
		if (len > longest)
			longest = len;
	}
	ck_assert_uint_le(longest, 4);
	imv_table_clear(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("imv_table");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, find_add_remove);
	tcase_add_test(tc, take_all_empties);
	tcase_add_test(tc, consecutive_ids_spread);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
