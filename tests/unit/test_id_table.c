/* test_id_table.c - the table of objects by Connection ID (base/id_table.c)
 * that tnc-ike, tnc-tnccs, tnc-policy and the IMVs keep: find, add and
 * remove over many entries and over long chains, walks that remove the
 * entry in hand (how the callers empty it), the bucket counts, and an even
 * spread of the consecutive IDs tnc-ike assigns. */
#include <string.h>

#include "id_table.h"
#include "testlib.h"

#define N 100000

static struct id_table_entry entries[N];
static unsigned seen[N]; /* times a walk met entries[i] */

static size_t
nbuckets(const struct id_table *t)
{
	return (size_t)1 << (32 - t->shift);
}

/* entries[0..n) with IDs first, first + step, ..., none seen yet. */
static void
add_ids(struct id_table *t, size_t n, uint32_t first, uint32_t step)
{
	memset(seen, 0, sizeof(seen));
	for (size_t i = 0; i < n; i++) {
		entries[i].id = first + (uint32_t)i * step;
		id_table_add(t, &entries[i]);
	}
}

/* Walks t, counting the visits of each entry in seen[]; the number of
 * entries met. */
static size_t
walk(const struct id_table *t)
{
	size_t n = 0;
	for (struct id_table_entry *e = id_table_next(t, NULL); e; e = id_table_next(t, e)) {
		seen[e - entries]++;
		n++;
	}
	return n;
}

/* N entries in 4096 buckets: chains of about 25, all found. */
START_TEST(find_add_remove)
{
	struct id_table t;

	id_table_init(&t, 4096);
	ck_assert_ptr_null(id_table_find(&t, 1));
	add_ids(&t, N, 1, 1);
	ck_assert_uint_eq(t.count, N);
	for (uint32_t i = 0; i < N; i++)
		ck_assert_ptr_eq(id_table_find(&t, i + 1), &entries[i]);
	ck_assert_ptr_null(id_table_find(&t, 0));
	ck_assert_ptr_null(id_table_find(&t, N + 1));
	/* every other one goes, from the middle of the chains too */
	for (uint32_t i = 0; i < N; i += 2)
		id_table_remove(&t, &entries[i]);
	ck_assert_uint_eq(t.count, N / 2);
	for (uint32_t i = 0; i < N; i++)
		ck_assert_ptr_eq(id_table_find(&t, i + 1), i % 2 ? &entries[i] : NULL);
	id_table_remove(&t, &entries[0]); /* not in it: nothing happens */
	ck_assert_uint_eq(t.count, N / 2);
	id_table_clear(&t);
}
END_TEST

/* Two buckets: every ID collides with hundreds of others; the heads, the
 * middles and the tails of the chains go. */
START_TEST(long_chains)
{
	struct id_table t;

	id_table_init(&t, 1);
	ck_assert_uint_eq(nbuckets(&t), 2);
	add_ids(&t, 1000, 7, 1);
	for (size_t i = 0; i < 1000; i += 3)
		id_table_remove(&t, &entries[i]);
	ck_assert_uint_eq(t.count, 1000 - 334);
	for (size_t i = 0; i < 1000; i++)
		ck_assert_ptr_eq(id_table_find(&t, 7 + (uint32_t)i), i % 3 == 0 ? NULL : &entries[i]);
	ck_assert_uint_eq(walk(&t), 1000 - 334);
	for (size_t i = 0; i < 1000; i++)
		ck_assert_uint_eq(seen[i], i % 3 == 0 ? 0 : 1);
	id_table_clear(&t);
}
END_TEST

/* A walk meets every entry once, whatever the IDs. */
START_TEST(walk_meets_each_once)
{
	struct id_table t;

	id_table_init(&t, 16);
	ck_assert_ptr_null(id_table_next(&t, NULL));
	add_ids(&t, 1000, 0xffffffffu, (uint32_t)-4096); /* IDs far apart */
	ck_assert_uint_eq(walk(&t), 1000);
	for (size_t i = 0; i < 1000; i++)
		ck_assert_uint_eq(seen[i], 1);
	id_table_clear(&t);
}
END_TEST

/* Walks t as the callers do, taking the next entry before the one in hand
 * goes: every entry with an odd ID, or every one.  The number met. */
static size_t
walk_removing(struct id_table *t, bool odd_only)
{
	size_t n = 0;
	for (struct id_table_entry *e = id_table_next(t, NULL), *next; e; e = next) {
		next = id_table_next(t, e);
		seen[e - entries]++;
		if (!odd_only || e->id % 2)
			id_table_remove(t, e);
		n++;
	}
	return n;
}

/* tnc-tnccs ends some sessions while it tells each of them that an IMV is
 * lost, then ends all when tnc-ike is gone (an IMV and tnc-policy empty
 * their tables the same way): each entry is met once by each walk. */
START_TEST(walks_removing)
{
	struct id_table t;

	id_table_init(&t, 20000);
	ck_assert_uint_eq(nbuckets(&t), 32768);
	add_ids(&t, 20000, 1, 1);
	ck_assert_uint_eq(walk_removing(&t, true), 20000);
	ck_assert_uint_eq(t.count, 10000);
	for (size_t i = 0; i < 20000; i++) {
		ck_assert_uint_eq(seen[i], 1);
		ck_assert_ptr_eq(id_table_find(&t, (uint32_t)i + 1), i % 2 ? &entries[i] : NULL);
	}
	ck_assert_uint_eq(walk_removing(&t, false), 10000);
	ck_assert_uint_eq(t.count, 0);
	ck_assert_ptr_null(id_table_next(&t, NULL));
	ck_assert_ptr_null(id_table_find(&t, 2));
	id_table_clear(&t);
}
END_TEST

/* 4096 consecutive IDs in 4096 buckets: no chain longer than a few. */
START_TEST(consecutive_ids_spread)
{
	struct id_table t;
	size_t longest = 0;

	id_table_init(&t, 4096);
	ck_assert_uint_eq(nbuckets(&t), 4096);
	add_ids(&t, 4096, 1000, 1);
	for (size_t b = 0; b < 4096; b++) {
		size_t len = 0;
		for (struct id_table_entry *e = t.buckets[b]; e; e = e->next)
			len++;
		if (len > longest)
			longest = len;
	}
	ck_assert_uint_le(longest, 4);
	id_table_clear(&t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("id_table");
	TCase *tc = tcase_create("table");
	tcase_add_test(tc, find_add_remove);
	tcase_add_test(tc, long_chains);
	tcase_add_test(tc, walk_meets_each_once);
	tcase_add_test(tc, walks_removing);
	tcase_add_test(tc, consecutive_ids_spread);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
