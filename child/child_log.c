/* child_log.c - log lines of a child go to tncd over the log pipe. */
#include "child_log.h"

#include <stdio.h>
#include <unistd.h>

#include "log.h"

static void
pipe_output(enum log_subsys sub, int level, const char *text, void *ctx)
{
	int fd = *(int *)ctx;
	char line[LOG_LINE_MAX + 16];
	int n = snprintf(line, sizeof(line), "%s %d %s\n", log_subsys_name(sub), level, text);
	if (n <= 0)
		return;
	if ((size_t)n >= sizeof(line)) {
		n = sizeof(line) - 1;
		line[n - 1] = '\n';
	}
	/* One write per line: atomic below PIPE_BUF, so lines never interleave. */
	ssize_t ignored = write(fd, line, (size_t)n);
	(void)ignored;
}

void
child_log_init(int fd)
{
	static int log_fd;
	log_fd = fd;
	log_set_output(pipe_output, &log_fd);
}
