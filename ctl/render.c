/* render.c - tncctl output: an aligned text table, JSON typed by the
 * reply's column types (jansson), or the Prometheus text exposition format
 * for `metrics` (see render.h). */
#include "render.h"

#include <errno.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

struct table {
	unsigned ncols, nrows;
	struct bytes *names;
	uint8_t *types;
	struct bytes *cells; /* nrows * ncols */
};

static void
table_clear(struct table *t)
{
	free(t->names);
	free(t->types);
	free(t->cells);
}

static int
load(const struct ipc_ctl_reply *r, struct table *t)
{
	size_t pos = 0, n = (size_t)r->ncols * r->nrows;
	int err = 0;

	*t = (struct table){r->ncols, r->nrows, calloc(r->ncols + 1u, sizeof(struct bytes)),
	    calloc(r->ncols + 1u, 1), calloc(n + 1, sizeof(struct bytes))};
	if (!t->names || !t->types || !t->cells)
		abort();
	for (unsigned i = 0; i < r->ncols && !err; i++)
		err = ipc_table_column(r, &pos, &t->names[i], &t->types[i]);
	pos = 0;
	for (size_t i = 0; i < n && !err; i++)
		err = ipc_table_cell(r, &pos, &t->cells[i]);
	if (err)
		table_clear(t);
	return err;
}

static char *
text(struct bytes b)
{
	char *s = strndup((const char *)b.ptr, b.len);
	if (!s)
		abort();
	return s;
}

/* A cell as its column's type says; null when it does not read as one
 * ("?" for a field /proc did not show). */
static json_t *
typed_value(struct bytes cell, uint8_t type)
{
	char *s = text(cell), *end;
	json_t *v = NULL;

	errno = 0;
	if (type == IPC_COL_INT) {
		long long n = strtoll(s, &end, 10);
		v = *s && !*end && !errno ? json_integer(n) : json_null();
	} else if (type == IPC_COL_NUMBER) {
		double d = strtod(s, &end);
		v = *s && !*end && !errno ? json_real(d) : json_null();
	} else {
		v = json_stringn((const char *)cell.ptr, cell.len);
	}
	free(s);
	return v ? v : json_null(); /* not UTF-8: null rather than a broken document */
}

static int
print_json(FILE *out, const struct ipc_ctl_reply *r, const struct table *t)
{
	json_t *doc = json_object(), *rows = json_array();
	json_object_set_new(doc, "status", json_integer(r->status));
	json_object_set_new(doc, "message", json_stringn((const char *)r->message.ptr,
	    r->message.len));
	for (unsigned row = 0; row < t->nrows; row++) {
		json_t *o = json_object();
		for (unsigned col = 0; col < t->ncols; col++) {
			char *key = text(t->names[col]);
			json_object_set_new(o, key, typed_value(t->cells[row * t->ncols + col],
			    t->types[col]));
			free(key);
		}
		json_array_append_new(rows, o);
	}
	json_object_set_new(doc, "rows", rows);
	int err = json_dumpf(doc, out, JSON_INDENT(2) | JSON_COMPACT | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', out) == EOF;
	json_decref(doc);
	return err ? TNC_EINVALID : 0;
}

static void
print_table(FILE *out, const struct ipc_ctl_reply *r, const struct table *t)
{
	size_t width[64] = {0};
	unsigned ncols = t->ncols < 64 ? t->ncols : 64;

	if (r->message.len)
		fprintf(out, "%.*s\n", (int)r->message.len, (const char *)r->message.ptr);
	for (unsigned col = 0; col < ncols; col++)
		width[col] = t->names[col].len;
	for (unsigned row = 0; row < t->nrows; row++)
		for (unsigned col = 0; col < ncols; col++)
			if (t->cells[row * t->ncols + col].len > width[col])
				width[col] = t->cells[row * t->ncols + col].len;
	for (unsigned row = 0; row <= t->nrows && ncols; row++) {
		for (unsigned col = 0; col < ncols; col++) {
			struct bytes v = row ? t->cells[(row - 1) * t->ncols + col] : t->names[col];
			bool last = col + 1 == ncols;
			fprintf(out, "%-*.*s%s", last ? 0 : (int)width[col], (int)v.len,
			    (const char *)v.ptr, last ? "\n" : "  ");
		}
	}
}

/* The metrics table (family, type, help, sample, value) as exposition
 * text: HELP and TYPE once per family, before its first sample. */
static int
print_exposition(FILE *out, const struct table *t)
{
	if (t->ncols != 5)
		return TNC_EINVALID;
	for (unsigned row = 0; row < t->nrows; row++) {
		const struct bytes *c = &t->cells[row * 5];
		bool first = row == 0 || c[0].len != t->cells[(row - 1) * 5].len ||
		    memcmp(c[0].ptr, t->cells[(row - 1) * 5].ptr, c[0].len) != 0;
		if (first)
			fprintf(out, "# HELP %.*s %.*s\n# TYPE %.*s %.*s\n", (int)c[0].len,
			    (const char *)c[0].ptr, (int)c[2].len, (const char *)c[2].ptr,
			    (int)c[0].len, (const char *)c[0].ptr, (int)c[1].len, (const char *)c[1].ptr);
		fprintf(out, "%.*s %.*s\n", (int)c[3].len, (const char *)c[3].ptr, (int)c[4].len,
		    (const char *)c[4].ptr);
	}
	return 0;
}

int
render_reply(FILE *out, const struct ipc_ctl_reply *r, enum render_format format)
{
	struct table t;
	int err = load(r, &t);
	if (err)
		return err;
	if (format == RENDER_JSON)
		err = print_json(out, r, &t);
	else if (format == RENDER_EXPOSITION && r->status == 0)
		err = print_exposition(out, &t);
	else
		print_table(out, r, &t);
	table_clear(&t);
	return err;
}
