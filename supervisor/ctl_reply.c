/* ctl_reply.c - encoding of tncctl replies (see ctl_reply.h). */
#include "ctl_reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

void
ctl_table_init(struct ctl_table *t, const char *const *cols, uint16_t ncols)
{
	wire_writer_init(&t->cells, IPC_FRAME_MAX_DEFAULT - 1024);
	t->ncols = ncols;
	t->nrows = 0;
	t->in_row = 0;
	for (uint16_t i = 0; i < ncols; i++)
		ipc_put_text(&t->cells, cols[i], strlen(cols[i]));
}

void
ctl_table_cell(struct ctl_table *t, const char *fmt, ...)
{
	char text[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	ipc_put_text(&t->cells, text, strlen(text));
	if (++t->in_row == t->ncols) {
		t->in_row = 0;
		t->nrows++;
	}
}

void
ctl_table_clear(struct ctl_table *t)
{
	wire_writer_clear(&t->cells);
}

void
ctl_reply(struct ipc_channel *ch, uint32_t seq, int status, const char *message,
    struct ctl_table *table)
{
	struct ipc_msg m = {.type = IPC_CTL_REPLY};
	struct ipc_ctl_reply *r = &m.u.ctl_reply;

	r->status = status;
	r->message = (struct bytes){(const uint8_t *)message, strlen(message)};
	if (table && wire_writer_status(&table->cells) == 0 && table->in_row == 0) {
		r->ncols = table->ncols;
		r->nrows = table->nrows;
		r->table = (struct bytes){table->cells.buf, table->cells.len};
	}
	int err = ipc_channel_send(ch, &m, 0, seq, IPC_FLAG_REPLY, -1);
	if (err)
		LOG(IPC, 1, "cannot answer tncctl: %s", tnc_strerror(err));
}
