/* render.h - prints a tncctl reply as an aligned table, as typed JSON, or
 * (metrics) in the Prometheus text exposition format. */
#ifndef TNC_RENDER_H
#define TNC_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "ipc_msg.h"

enum render_format {
	RENDER_TABLE,      /* message (if any), then an aligned table */
	RENDER_JSON,       /* {"status", "message", "rows": [{column: typed value}]} */
	RENDER_EXPOSITION, /* the metrics table as Prometheus text */
};

/* 0, or TNC_E* if the table is malformed. */
int render_reply(FILE *out, const struct ipc_ctl_reply *r, enum render_format format) TNC_MUST_CHECK;

#endif
