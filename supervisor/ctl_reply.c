/* ctl_reply.c - encoding of tncctl replies (see ctl_reply.h). */
#include "ctl_reply.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "log.h"

void
ctl_table_init(struct ctl_table *t, const struct ctl_col *cols, uint16_t ncols)
{
	wire_writer_init(&t->columns, 4096);
	wire_writer_init(&t->cells, IPC_FRAME_MAX_DEFAULT - 8192);
	t->ncols = ncols;
	t->nrows = 0;
	t->in_row = 0;
	for (uint16_t i = 0; i < ncols; i++) {
		ipc_put_text(&t->columns, cols[i].name, strlen(cols[i].name));
		wire_put_u8(&t->columns, (uint8_t)cols[i].type);
	}
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
	wire_writer_clear(&t->columns);
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
	if (table && (wire_writer_status(&table->cells) || wire_writer_status(&table->columns) ||
	    table->in_row)) {
		/* never a silently cut table */
		r->status = TNC_ETOOLONG;
		r->message = (struct bytes){(const uint8_t *)"the answer does not fit a reply", 31};
	} else if (table) {
		r->ncols = table->ncols;
		r->nrows = table->nrows;
		r->columns = (struct bytes){table->columns.buf, table->columns.len};
		r->table = (struct bytes){table->cells.buf, table->cells.len};
	}
	int err = ipc_channel_send(ch, &m, 0, seq, IPC_FLAG_REPLY, -1);
	if (err)
		LOG(IPC, 1, "cannot answer tncctl: %s", tnc_strerror(err));
}
