/* child_log.c - log lines of a child go to tncd over the log pipe. */
#include "child_log.h"

#include <stdio.h>
#include <unistd.h>

#include "log.h"

/* "SUB L S FILE:LINE text": tncd's log_sink.c reads it. */
static void
pipe_output(const struct log_event *e, void *ctx)
{
	int fd = *(int *)ctx;
	char line[LOG_LINE_MAX + 96];
	int n = snprintf(line, sizeof(line), "%s %d %d %.48s:%d %s\n", log_subsys_name(e->sub),
	    e->level, (int)e->severity, e->file, e->line, e->text);
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
