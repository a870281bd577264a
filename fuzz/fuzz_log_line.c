/* fuzz_log_line.c - libFuzzer harness for the parser of a child's log
 * pipe lines (supervisor/log_line.c), the bytes a compromised child
 * controls.  Aborts unless a parsed line's fields are what the parser
 * promises: a known subsystem, level -1..4, severity err..debug, a
 * location "name:N" with N >= 1 and the text inside the input. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log_line.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *line = malloc(size + 1);
	if (!line)
		abort();
	memcpy(line, data, size);
	line[size] = 0;
	struct log_event e;
	if (log_line_parse(line, &e)) {
		size_t len = strlen(line);
		if ((unsigned)e.sub >= LOG_SUBSYS_COUNT || e.level < LOG_LEVEL_MIN ||
		    e.level > LOG_LEVEL_MAX || e.severity < LOG_SEV_ERR || e.severity > LOG_SEV_DEBUG ||
		    e.line < 1 || !e.file[0] || e.text < line || e.text > line + size ||
		    e.file < line || e.file > line + size || len > size)
			abort();
	}
	free(line);
	return 0;
}
