/* test_dpkg_version.c - os_version_cmp() against `dpkg --compare-versions`:
 * the edge cases of deb-version(7), then every pair of a sample of the real
 * versions on this machine (the dpkg status file and apt's package records).
 * The sample is sorted with dpkg itself as the comparator, so every pair's
 * expected order comes from dpkg; the number of pairs is printed. */
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "os_version.h"
#include "testlib.h"

#define SAMPLE 300 /* versions; about 45,000 pairs */

extern char **environ;

static struct bytes
B(const char *s)
{
	return (struct bytes){(const uint8_t *)s, strlen(s)};
}

static int
sign(int r)
{
	return (r > 0) - (r < 0);
}

/* `dpkg --compare-versions a op b`: 1 true, 0 false. */
static int
dpkg_says(const char *a, const char *op, const char *b)
{
	char *argv[] = {"dpkg", "--compare-versions", (char *)a, (char *)op, (char *)b, NULL};
	pid_t pid;
	int st;
	ck_assert_int_eq(posix_spawnp(&pid, "dpkg", NULL, NULL, argv, environ), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) <= 1, "dpkg --compare-versions %s %s %s: 0x%x",
	    a, op, b, st);
	return WEXITSTATUS(st) == 0;
}

static int
dpkg_cmp(const char *a, const char *b)
{
	return dpkg_says(a, "lt", b) ? -1 : dpkg_says(a, "eq", b) ? 0 : 1;
}

static const char *const edge[][2] = {
	/* epoch */
	{"1:2.38.1-5", "2.40"}, {"0:1.0", "1.0"}, {"2:1.0", "10:0.1"}, {"1:1.0", "1:1.1"},
	{"00:1.0", "0:1.0"},
	/* upstream and revision are compared apart: the last '-' splits */
	{"1.0+dfsg-1", "1.0-1"}, {"5.2-1", "5.2+b1"}, {"1.2-1", "1.2.1"}, {"1.0-1-1", "1.0-1"},
	{"1.0-2", "1.0-10"}, {"1.0", "1.0-0"}, {"1.0-1", "1.0a-1"},
	/* '~' first, then the end, then letters, then the other characters */
	{"1.0~rc1", "1.0"}, {"1.0~~", "1.0~"}, {"1.0~~a", "1.0~"}, {"1.0", "1.0a"},
	{"1.0a", "1.0+"}, {"1.0+", "1.0."}, {"1.0Z", "1.0a"}, {"1.0a", "1.0~"},
	{"3.0.11-1~deb12u2", "3.0.11-1"}, {"3.0.11-1", "3.0.11-1+b1"}, {"5.2.15-2+b8", "5.2.15-2+b10"},
	/* numbers, of any length */
	{"1.01", "1.1"}, {"1.10", "1.9"}, {"123456789012345678901234567890", "123456789012345678901234567891"},
	{"99999999999999999999999", "100000000000000000000000"}, {"2.0", "2.0.0"},
	{"0.0", "0"}, {"1.0.0", "1.0"},
};

START_TEST(edge_cases_match_dpkg)
{
	for (size_t i = 0; i < sizeof(edge) / sizeof(edge[0]); i++) {
		const char *a = edge[i][0], *b = edge[i][1];
		int want = dpkg_cmp(a, b);
		ck_assert_msg(sign(os_version_cmp(B(a), B(b))) == want, "%s vs %s: dpkg says %d", a, b,
		    want);
		ck_assert_msg(sign(os_version_cmp(B(b), B(a))) == -want, "%s vs %s: dpkg says %d", b, a,
		    -want);
	}
}
END_TEST

START_TEST(what_dpkg_refuses)
{
	static const char *const bad[] = {"", "1.0 a", ":1.0", "1.2:3", "1:", "1.0-", "x:1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(os_version_check(B(bad[i])) != NULL, "'%s' accepted", bad[i]);
	static const char *const good[] = {"1.0", "1:2.38.1-5", "3.0.11-1~deb12u2", "0", "1.0-1-1",
	    "2:1.0+dfsg~rc1-0.1"};
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(os_version_check(B(good[i])) == NULL, "'%s' refused", good[i]);
}
END_TEST

/* --- the machine's versions --- */

static char **versions;
static size_t nversions, cap;

static int
by_text(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "Version:" lines of a dpkg status file or of apt's package records. */
static void
collect(FILE *f)
{
	char line[4096];
	while (fgets(line, sizeof(line), f)) {
		if (strncmp(line, "Version: ", 9) != 0)
			continue;
		line[strcspn(line, "\n")] = 0;
		if (os_version_check(B(line + 9)))
			continue; /* dpkg would refuse it */
		if (nversions == cap) {
			cap = cap ? cap * 2 : 1024;
			versions = realloc(versions, cap * sizeof(*versions));
			ck_assert_ptr_nonnull(versions);
		}
		versions[nversions++] = strdup(line + 9);
	}
}

/* Stable merge sort with dpkg as the comparator. */
static void
dpkg_sort(char **v, size_t n, char **tmp)
{
	if (n < 2)
		return;
	size_t h = n / 2;
	dpkg_sort(v, h, tmp);
	dpkg_sort(v + h, n - h, tmp);
	size_t i = 0, j = h, k = 0;
	while (i < h && j < n)
		tmp[k++] = dpkg_says(v[j], "lt", v[i]) ? v[j++] : v[i++];
	while (i < h)
		tmp[k++] = v[i++];
	while (j < n)
		tmp[k++] = v[j++];
	memcpy(v, tmp, n * sizeof(*v));
}

START_TEST(every_pair_of_real_versions_matches_dpkg)
{
	FILE *f = fopen("/var/lib/dpkg/status", "r");
	ck_assert_ptr_nonnull(f);
	collect(f);
	fclose(f);
	/* apt's lists (compressed on disk) when apt has any */
	if ((f = popen("apt-cache dumpavail 2>/dev/null", "r"))) {
		collect(f);
		pclose(f);
	}
	qsort(versions, nversions, sizeof(*versions), by_text);
	size_t u = 0;
	for (size_t i = 0; i < nversions; i++) {
		if (u && strcmp(versions[u - 1], versions[i]) == 0) {
			free(versions[i]);
			continue;
		}
		versions[u++] = versions[i];
	}
	nversions = u;
	ck_assert_msg(nversions >= 150, "only %zu distinct versions on this machine", nversions);

	/* an even spread over the distinct versions, deterministic */
	char *sample[SAMPLE], *tmp[SAMPLE];
	size_t n = nversions < SAMPLE ? nversions : SAMPLE;
	for (size_t i = 0; i < n; i++)
		sample[i] = versions[i * nversions / n];
	dpkg_sort(sample, n, tmp);
	/* rank[i]: the class of versions dpkg holds equal to sample[i] */
	size_t rank[SAMPLE];
	rank[0] = 0;
	for (size_t i = 1; i < n; i++)
		rank[i] = rank[i - 1] + !dpkg_says(sample[i - 1], "eq", sample[i]);

	size_t pairs = 0, wrong = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t j = i + 1; j < n; j++) {
			int want = rank[i] == rank[j] ? 0 : -1;
			int got = sign(os_version_cmp(B(sample[i]), B(sample[j])));
			int back = sign(os_version_cmp(B(sample[j]), B(sample[i])));
			pairs++;
			if (got != want || back != -want) {
				if (wrong++ < 10)
					fprintf(stderr, "dpkg: %s %s %s; os_version_cmp says %d\n", sample[i],
					    want ? "<" : "=", sample[j], got);
			}
		}
	printf("dpkg order: %zu pairs of %zu real versions (of %zu distinct) compared, %zu differ\n",
	    pairs, n, nversions, wrong);
	ck_assert_uint_ge(pairs, 10000);
	ck_assert_uint_eq(wrong, 0);
	for (size_t i = 0; i < nversions; i++)
		free(versions[i]);
	free(versions);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("dpkg_version");
	TCase *tc = tcase_create("dpkg");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, edge_cases_match_dpkg);
	tcase_add_test(tc, what_dpkg_refuses);
	tcase_add_test(tc, every_pair_of_real_versions_matches_dpkg);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
