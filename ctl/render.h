/* render.h - prints a tncctl reply as an aligned table or as JSON. */
#ifndef TNC_RENDER_H
#define TNC_RENDER_H

#include <stdbool.h>
#include <stdio.h>

#include "ipc_msg.h"

/* Message (if any) first, then the table; JSON is an array of objects with
 * the column names as keys, one object per line.  0 or TNC_E* if the table
 * is malformed. */
int render_reply(FILE *out, const struct ipc_ctl_reply *r, bool json) TNC_MUST_CHECK;

#endif
