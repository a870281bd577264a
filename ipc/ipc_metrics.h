/* ipc_metrics.h - a process's metric registry (base/metrics.h) on the wire,
 * and its samples in the Prometheus text exposition format.  Pure.
 *
 * Payload of METRICS: u16 families; per family: text name, u8 type, text
 * help, text label name ("" = none), u8 bounds, bounds x text upper bound,
 * u8 series; per series: text label value, text value (a number), u64
 * count, bounds x u64 bucket count (not cumulative).  Names and label names
 * must be Prometheus identifiers; everything is validated on decode.
 */
#ifndef TNC_IPC_METRICS_H
#define TNC_IPC_METRICS_H

#include "metrics.h"
#include "wire.h"

int ipc_metrics_encode(const struct metric_family *registry, struct wire_writer *w) TNC_MUST_CHECK;

/* One line of exposition: a family's HELP/TYPE comes first (sample NULL),
 * then its samples ("name{label=\"v\"}" and a value). */
struct metric_line {
	const char *family, *type, *help; /* family lines and samples */
	const char *sample;               /* NULL on the family's first line */
	const char *value;
};

/* Validates a METRICS payload and calls fn for each line, in order; stops
 * and returns fn's first non-zero result.  TNC_E* for a malformed payload
 * (nothing is reported for it then: the whole payload is checked first). */
int ipc_metrics_walk(struct bytes payload, int (*fn)(const struct metric_line *l, void *arg),
    void *arg) TNC_MUST_CHECK;

#endif
