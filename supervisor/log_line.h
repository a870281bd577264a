/* log_line.h - a child's log line as it arrives on its log pipe,
 * "SUB L S FILE:LINE text" (child/child_log.c writes it).  Pure.  The child
 * may be compromised: every field is checked, and anything that is not
 * such a line is refused, for the log sink to show as a raw line. */
#ifndef TNC_LOG_LINE_H
#define TNC_LOG_LINE_H

#include <stdbool.h>

#include "log.h"

/* Parses line in place (it is cut into the fields e points to).  false
 * when it is not a log line: an unknown subsystem, a level outside -1..4, a
 * severity outside err..debug, a location that is not "name.c:N". */
bool log_line_parse(char *line, struct log_event *e);

#endif
