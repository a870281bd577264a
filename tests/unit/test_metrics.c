/* test_metrics.c - a process's metric registry (base/metrics.h), its wire
 * form and its Prometheus exposition lines (ipc/ipc_metrics.h): counters
 * with labels, a bounded number of label values, histograms with cumulative
 * buckets, escaping, and malformed payloads refused whole. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ipc_metrics.h"
#include "testlib.h"

static const double bounds[] = {0.01, 0.1, 1};
METRIC_FAMILY(sessions, "tnc_test_sessions_total", METRIC_COUNTER, "Sessions by result.",
    "recommendation");
METRIC_FAMILY(per_imv, "tnc_test_imv_total", METRIC_COUNTER, "By IMV and recommendation.",
    "imv,recommendation");
METRIC_FAMILY(in_flight, "tnc_test_in_flight", METRIC_GAUGE, "Sessions in flight.", NULL);
METRIC_HISTOGRAM_FAMILY(duration, "tnc_test_duration_seconds", "Session duration.", bounds);

static char text[1 << 16];

static int
render(const struct metric_line *l, void *arg)
{
	size_t n = strlen(text);
	if (!l->sample)
		snprintf(text + n, sizeof(text) - n, "# HELP %s %s\n# TYPE %s %s\n", l->family, l->help,
		    l->family, l->type);
	else
		snprintf(text + n, sizeof(text) - n, "%s %s\n", l->sample, l->value);
	return 0;
}

static int
walk_registry(void)
{
	struct wire_writer w;
	text[0] = 0;
	wire_writer_init(&w, 1 << 20);
	ck_assert_int_eq(ipc_metrics_encode(metrics_registry(), &w), 0);
	int err = ipc_metrics_walk((struct bytes){w.buf, w.len}, render, NULL);
	wire_writer_clear(&w);
	return err;
}

START_TEST(counters_gauges_histograms_render)
{
	metric_add(&sessions, "allow", 1);
	metric_add(&sessions, "allow", 2);
	metric_add(&sessions, "isolate", 1);
	metric_set(&in_flight, NULL, 7);
	metric_add(&per_imv, "OS,no access", 2);
	metric_observe(&duration, 0.005);
	metric_observe(&duration, 0.05);
	metric_observe(&duration, 0.07);
	metric_observe(&duration, 5);
	ck_assert_int_eq(walk_registry(), 0);
	ck_assert_msg(strstr(text, "# TYPE tnc_test_sessions_total counter\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_sessions_total{recommendation=\"allow\"} 3\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_sessions_total{recommendation=\"isolate\"} 1\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_in_flight 7\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_imv_total{imv=\"OS\",recommendation=\"no access\"} 2\n"),
	    "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_duration_seconds_bucket{le=\"0.01\"} 1\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_duration_seconds_bucket{le=\"0.10000000000000001\"} 3\n") ||
	    strstr(text, "tnc_test_duration_seconds_bucket{le=\"0.1\"} 3\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_duration_seconds_bucket{le=\"1\"} 3\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_duration_seconds_bucket{le=\"+Inf\"} 4\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_duration_seconds_count 4\n"), "%s", text);
	ck_assert_msg(strstr(text, "tnc_test_duration_seconds_sum 5.125"), "%s", text);
}
END_TEST

START_TEST(label_values_are_bounded_and_escaped)
{
	char label[32];
	metric_add(&sessions, "say \"hi\"\\", 1);
	for (int i = 0; i < 100; i++) {
		snprintf(label, sizeof(label), "code-%d", i);
		metric_add(&sessions, label, 1);
	}
	ck_assert_uint_eq(sessions.nseries, METRIC_LABELS_MAX);
	ck_assert_int_eq(walk_registry(), 0);
	/* the first values keep their own series; the rest are "other" */
	ck_assert_msg(strstr(text, "{recommendation=\"code-0\"} 1\n"), "%s", text);
	char other[64];
	snprintf(other, sizeof(other), "{recommendation=\"other\"} %d\n", 100 - (METRIC_LABELS_MAX - 2));
	ck_assert_msg(strstr(text, other), "want %s in %s", other, text);
	ck_assert_msg(strstr(text, "{recommendation=\"say \\\"hi\\\"\\\\\"} 1\n"), "%s", text);
}
END_TEST

START_TEST(malformed_payloads_are_refused_whole)
{
	int calls = 0;
	struct bytes b;
	/* one family: "bad name" is not an identifier */
	static const uint8_t bad_name[] = {0, 1, 0, 8, 'b', 'a', 'd', ' ', 'n', 'a', 'm', 'e', 0,
	    0, 0, 0, 0, 0, 0};
	b = (struct bytes){bad_name, sizeof(bad_name)};
	ck_assert_int_eq(ipc_metrics_walk(b, render, &calls), TNC_EINVALID);
	/* truncated: announces a family and ends */
	static const uint8_t truncated[] = {0, 1, 0, 3, 'a', 'b', 'c'};
	b = (struct bytes){truncated, sizeof(truncated)};
	ck_assert_int_eq(ipc_metrics_walk(b, render, &calls), TNC_ETRUNCATED);
	/* a trailing byte */
	static const uint8_t trailing[] = {0, 0, 7};
	b = (struct bytes){trailing, sizeof(trailing)};
	ck_assert_int_eq(ipc_metrics_walk(b, render, &calls), TNC_ETRAILING);
	/* a counter whose value is not a number: "x" */
	static const uint8_t nan_value[] = {0, 1, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, 'x',
	    0, 0, 0, 0, 0, 0, 0, 0};
	b = (struct bytes){nan_value, sizeof(nan_value)};
	ck_assert_int_eq(ipc_metrics_walk(b, render, &calls), TNC_EINVALID);
	/* two label names but a value with one part */
	static const uint8_t one_value[] = {0, 1, 0, 1, 'a', 0, 0, 0, 0, 3, 'x', ',', 'y', 0, 1,
	    0, 1, 'v', 0, 1, '5', 0, 0, 0, 0, 0, 0, 0, 0};
	b = (struct bytes){one_value, sizeof(one_value)};
	ck_assert_int_eq(ipc_metrics_walk(b, render, &calls), TNC_EINVALID);
	/* the same with a number is fine, and only then is anything reported */
	static const uint8_t good[] = {0, 1, 0, 1, 'a', 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1, '5',
	    0, 0, 0, 0, 0, 0, 0, 0};
	text[0] = 0;
	b = (struct bytes){good, sizeof(good)};
	ck_assert_int_eq(ipc_metrics_walk(b, render, NULL), 0);
	ck_assert_str_eq(text, "# HELP a \n# TYPE a counter\na 5\n");
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("metrics");
	TCase *tc = tcase_create("metrics");
	tcase_add_test(tc, counters_gauges_histograms_render);
	tcase_add_test(tc, label_values_are_bounded_and_escaped);
	tcase_add_test(tc, malformed_payloads_are_refused_whole);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return tl_run_suite(suite());
}
