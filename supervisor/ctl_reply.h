/* ctl_reply.h - building tncctl replies: a status, a message and a table. */
#ifndef TNC_CTL_REPLY_H
#define TNC_CTL_REPLY_H

#include "ipc_channel.h"

/* A column: its name (the JSON field) and what its values are. */
struct ctl_col {
	const char *name;
	enum ipc_col_type type;
};

struct ctl_table {
	struct wire_writer columns, cells;
	uint16_t ncols, nrows;
	uint16_t in_row; /* cells written in the current row */
};

void ctl_table_init(struct ctl_table *t, const struct ctl_col *cols, uint16_t ncols);
void ctl_table_cell(struct ctl_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ctl_table_clear(struct ctl_table *t);

/* Sends the reply for request seq; table may be NULL. */
void ctl_reply(struct ipc_channel *ch, uint32_t seq, int status, const char *message,
    struct ctl_table *table);

#endif
