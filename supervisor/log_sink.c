/* log_sink.c - the one place log lines leave the system.
 *
 * tncd's own lines and every child's (read from its log pipe as
 * "SUB L text") are stamped "NN[SUB] text" here: the slot comes from the
 * manifest row of the pipe's owner, so a child cannot impersonate another.
 * Control characters are replaced, lines are capped, and a child flooding
 * its pipe is rate limited.  Output: stderr (--foreground, or no journal),
 * otherwise the systemd journal: PRIORITY from the line's severity, the
 * slot and subsystem as TNC_SLOT and TNC_SUBSYS, and CODE_FILE / CODE_LINE
 * of the event (not of this file).  Whatever a child writes that is not a
 * log line (a sanitizer's or a library's message on stderr) is an error.
 */
#include "tncd.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
/* The location fields are the event's, passed explicitly. */
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <systemd/sd-journal.h>

#include "log.h"
#include "log_line.h"

struct log_reader {
	uv_pipe_t pipe;
	uv_timer_t report; /* reports the lines dropped when their second ends */
	int open_handles;
	struct proc *p;
	const struct role_manifest *m;
	char buf[LOG_LINE_MAX + 32];
	size_t len;
	uint64_t window_ms;
	unsigned lines_in_window, dropped;
};

static bool use_journal;

static void
emit(int slot, const char *sub, const struct log_event *e)
{
	if (use_journal)
		sd_journal_send("MESSAGE=%02d[%s] %s", slot, sub, e->text, "PRIORITY=%d",
		    (int)e->severity, "TNC_SLOT=%02d", slot, "TNC_SUBSYS=%s", sub,
		    "CODE_FILE=%s", e->file, "CODE_LINE=%d", e->line, NULL);
	else
		fprintf(stderr, "%02d[%s] %s\n", slot, sub, e->text);
}

static void
own_output(const struct log_event *e, void *ctx)
{
	emit(0, log_subsys_name(e->sub), e);
}

void
log_sink_init(struct tncd *t)
{
	use_journal = !t->foreground && access("/run/systemd/journal/socket", W_OK) == 0;
	setvbuf(stderr, NULL, _IOLBF, 0);
	log_set_output(own_output, t);
}

static void
sanitize(char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			*s = '?';
}

/* A child's first most important line (level 0, or anything it wrote to
 * stderr) is kept: usually the cause, when a child that never got ready
 * failed; what follows tends to be consequences. */
static void
emit_child(struct log_reader *r, const char *sub, const struct log_event *e)
{
	if (e->level <= 0 && !r->p->first_error[0])
		snprintf(r->p->first_error, sizeof(r->p->first_error), "%02u[%s] %s", r->m->slot, sub,
		    e->text);
	emit(r->m->slot, sub, e);
}

static void
handle_line(struct log_reader *r, char *line)
{
	char copy[sizeof(r->buf)];
	struct log_event e;

	snprintf(copy, sizeof(copy), "%s", line);
	if (log_line_parse(copy, &e)) {
		sanitize((char *)e.text);
		emit_child(r, log_subsys_name(e.sub), &e);
		return;
	}
	sanitize(line);
	e = (struct log_event){.level = 0, .severity = LOG_SEV_ERR, .file = "stderr", .line = 1,
	    .text = line};
	emit_child(r, "???", &e);
}

static void
report_dropped(struct log_reader *r)
{
	if (r->dropped)
		LOG_WARN(DMN, "dropped %u log lines of %s (more than %u a second)", r->dropped,
		    r->m->name, r->p->tncd->cfg.log_lines_per_second);
	r->dropped = 0;
}

static void
on_report(uv_timer_t *h)
{
	report_dropped(h->data);
}

static bool
rate_ok(struct log_reader *r)
{
	uint64_t now = uv_now(r->pipe.loop);
	if (now - r->window_ms >= 1000) {
		uv_timer_stop(&r->report);
		report_dropped(r);
		r->window_ms = now;
		r->lines_in_window = 0;
	}
	if (++r->lines_in_window <= r->p->tncd->cfg.log_lines_per_second)
		return true;
	if (r->dropped++ == 0)
		uv_timer_start(&r->report, on_report, r->window_ms + 1000 - now, 0);
	return false;
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *buf)
{
	struct log_reader *r = h->data;
	*buf = uv_buf_init(r->buf + r->len, (unsigned)(sizeof(r->buf) - 1 - r->len));
}

static void
on_closed(uv_handle_t *h)
{
	struct log_reader *r = h->data;
	if (--r->open_handles == 0)
		free(r);
}

static void
reader_close(struct log_reader *r)
{
	uv_close((uv_handle_t *)&r->pipe, on_closed);
	uv_close((uv_handle_t *)&r->report, on_closed);
}

static void
on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf)
{
	struct log_reader *r = s->data;

	if (n < 0) {
		if (r->len) { /* last line without newline */
			r->buf[r->len] = 0;
			handle_line(r, r->buf);
		}
		uv_timer_stop(&r->report);
		report_dropped(r);
		reader_close(r);
		return;
	}
	r->len += (size_t)n;
	size_t start = 0;
	for (size_t i = 0; i < r->len; i++) {
		if (r->buf[i] != '\n')
			continue;
		r->buf[i] = 0;
		if (rate_ok(r))
			handle_line(r, r->buf + start);
		start = i + 1;
	}
	if (start == 0 && r->len == sizeof(r->buf) - 1) {
		r->buf[r->len] = 0; /* over-long line: cut it */
		if (rate_ok(r))
			handle_line(r, r->buf);
		start = r->len;
	}
	memmove(r->buf, r->buf + start, r->len - start);
	r->len -= start;
}

int
log_sink_open_pipe(struct proc *p, int *ret_child_fd)
{
	int fds[2];
	if (pipe2(fds, O_CLOEXEC) != 0)
		return -errno;
	struct log_reader *r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	r->p = p;
	r->m = p->m;
	uv_pipe_init(p->tncd->loop, &r->pipe, 0);
	uv_timer_init(p->tncd->loop, &r->report);
	r->pipe.data = r->report.data = r;
	r->open_handles = 2;
	int err = uv_pipe_open(&r->pipe, fds[0]);
	if (!err)
		err = uv_read_start((uv_stream_t *)&r->pipe, on_alloc, on_read);
	if (err) {
		close(fds[1]);
		reader_close(r);
		return err;
	}
	*ret_child_fd = fds[1];
	return 0;
}
