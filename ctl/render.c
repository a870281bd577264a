/* render.c - tncctl output: aligned text table or JSON (see render.h). */
#include "render.h"

#include <stdlib.h>
#include <string.h>

static bool
is_integer(struct bytes b)
{
	size_t i = b.len > 0 && b.ptr[0] == '-';
	if (i == b.len || b.len > 18)
		return false;
	for (; i < b.len; i++)
		if (b.ptr[i] < '0' || b.ptr[i] > '9')
			return false;
	return true;
}

static void
json_string(FILE *out, struct bytes b)
{
	fputc('"', out);
	for (size_t i = 0; i < b.len; i++) {
		unsigned char ch = b.ptr[i];
		if (ch == '"' || ch == '\\')
			fprintf(out, "\\%c", ch);
		else if (ch < 0x20)
			fprintf(out, "\\u%04x", ch);
		else
			fputc(ch, out);
	}
	fputc('"', out);
}

static int
load_cells(const struct ipc_ctl_reply *r, struct bytes **ret)
{
	size_t n = (size_t)r->ncols * (r->nrows + 1u), pos = 0;
	struct bytes *cells = calloc(n ? n : 1, sizeof(*cells));
	if (!cells)
		abort();
	for (size_t i = 0; i < n; i++) {
		int err = ipc_table_cell(r, &pos, &cells[i]);
		if (err) {
			free(cells);
			return err;
		}
	}
	*ret = cells;
	return 0;
}

static void
print_json(FILE *out, const struct ipc_ctl_reply *r, const struct bytes *cells)
{
	fprintf(out, "{\"status\":%d,\"message\":", r->status);
	json_string(out, r->message);
	fprintf(out, ",\"rows\":[\n");
	for (unsigned row = 1; row <= r->nrows; row++) {
		fputc('{', out);
		for (unsigned col = 0; col < r->ncols; col++) {
			struct bytes v = cells[row * r->ncols + col];
			if (col)
				fputc(',', out);
			json_string(out, cells[col]);
			fputc(':', out);
			if (is_integer(v))
				fprintf(out, "%.*s", (int)v.len, (const char *)v.ptr);
			else
				json_string(out, v);
		}
		fprintf(out, "}%s\n", row < r->nrows ? "," : "");
	}
	fprintf(out, "]}\n");
}

static void
print_table(FILE *out, const struct ipc_ctl_reply *r, const struct bytes *cells)
{
	size_t width[64] = {0};
	unsigned ncols = r->ncols < 64 ? r->ncols : 64;

	if (r->message.len)
		fprintf(out, "%.*s\n", (int)r->message.len, (const char *)r->message.ptr);
	for (unsigned row = 0; row <= r->nrows && ncols; row++)
		for (unsigned col = 0; col < ncols; col++)
			if (cells[row * r->ncols + col].len > width[col])
				width[col] = cells[row * r->ncols + col].len;
	for (unsigned row = 0; row <= r->nrows && ncols; row++) {
		for (unsigned col = 0; col < ncols; col++) {
			struct bytes v = cells[row * r->ncols + col];
			bool last = col + 1 == ncols;
			fprintf(out, "%-*.*s%s", last ? 0 : (int)width[col], (int)v.len,
			    (const char *)v.ptr, last ? "\n" : "  ");
		}
	}
}

int
render_reply(FILE *out, const struct ipc_ctl_reply *r, bool json)
{
	struct bytes *cells;
	int err = load_cells(r, &cells);
	if (err)
		return err;
	if (json)
		print_json(out, r, cells);
	else
		print_table(out, r, cells);
	free(cells);
	return 0;
}
