/* metrics.h - a process's counters, gauges and histograms, for `tncctl
 * metrics` (Prometheus text exposition format).
 *
 * A family is declared once, statically, with METRIC_FAMILY(); code moves
 * it with metric_add()/metric_set()/metric_observe(), each with an optional
 * label value.  A family has no label, one ("recommendation"), or two
 * joined by a comma ("imv,recommendation"), whose values are then joined by
 * a comma too ("OS,allow").  A family keeps at most
 * METRIC_LABELS_MAX label values; later ones are counted under "other", so
 * a peer cannot grow a process's memory through label values.  No
 * allocation; not thread-safe (one libuv loop per process).
 */
#ifndef TNC_METRICS_H
#define TNC_METRICS_H

#include <stddef.h>
#include <stdint.h>

#define METRIC_LABELS_MAX 24
#define METRIC_LABEL_LEN 40
#define METRIC_BUCKETS_MAX 16

enum metric_type { METRIC_COUNTER, METRIC_GAUGE, METRIC_HISTOGRAM };

struct metric_series {
	char label[METRIC_LABEL_LEN]; /* "" when the family has no label */
	double value;                 /* counter, gauge; histogram: the sum */
	uint64_t count;               /* histogram observations */
	uint64_t bucket[METRIC_BUCKETS_MAX]; /* histogram, cumulative at render */
};

struct metric_family {
	const char *name;       /* "tnc_sessions_total" */
	enum metric_type type;
	const char *help;
	const char *label_name; /* NULL: no label; "a" or "a,b" */
	const double *bounds;   /* histogram upper bounds, increasing */
	unsigned nbounds;
	unsigned nseries;
	struct metric_series series[METRIC_LABELS_MAX];
	struct metric_family *next; /* the process's registry, by registration */
};

/* Declares a family; it joins the registry on first use. */
#define METRIC_FAMILY(var, name_, type_, help_, label_) \
	static struct metric_family var = {.name = name_, .type = type_, .help = help_, \
	    .label_name = label_}
#define METRIC_HISTOGRAM_FAMILY(var, name_, help_, bounds_) \
	static struct metric_family var = {.name = name_, .type = METRIC_HISTOGRAM, .help = help_, \
	    .bounds = bounds_, .nbounds = sizeof(bounds_) / sizeof((bounds_)[0])}

/* label may be NULL when the family has none; with two label names it is
 * "value1,value2". */
void metric_add(struct metric_family *f, const char *label, double n);
void metric_set(struct metric_family *f, const char *label, double v);
void metric_observe(struct metric_family *f, double v);

/* The registry: every family used so far in this process. */
struct metric_family *metrics_registry(void);

#endif
