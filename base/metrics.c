/* metrics.c - see metrics.h. */
#include "metrics.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

static struct metric_family *registry, **registry_tail = &registry;

static void
join(struct metric_family *f)
{
	if (f->next || registry_tail == &f->next)
		return;
	*registry_tail = f;
	registry_tail = &f->next;
}

/* The series for a label value; the last slot collects every value that
 * finds no room ("other"). */
static struct metric_series *
series(struct metric_family *f, const char *label)
{
	char key[METRIC_LABEL_LEN];
	snprintf(key, sizeof(key), "%s", f->label_name && label ? label : "");
	join(f);
	for (unsigned i = 0; i < f->nseries; i++)
		if (strcmp(f->series[i].label, key) == 0)
			return &f->series[i];
	if (f->nseries == METRIC_LABELS_MAX - 1 && f->label_name)
		snprintf(key, sizeof(key), "other");
	if (f->nseries == METRIC_LABELS_MAX)
		return &f->series[METRIC_LABELS_MAX - 1];
	struct metric_series *s = &f->series[f->nseries++];
	memset(s, 0, sizeof(*s));
	snprintf(s->label, sizeof(s->label), "%s", key);
	return s;
}

void
metric_add(struct metric_family *f, const char *label, double n)
{
	series(f, label)->value += n;
}

void
metric_set(struct metric_family *f, const char *label, double v)
{
	series(f, label)->value = v;
}

void
metric_observe(struct metric_family *f, double v)
{
	struct metric_series *s = series(f, NULL);
	s->value += v;
	s->count++;
	for (unsigned i = 0; i < f->nbounds && i < METRIC_BUCKETS_MAX; i++)
		if (v <= f->bounds[i]) {
			s->bucket[i]++;
			break;
		}
}

struct metric_family *
metrics_registry(void)
{
	return registry;
}
