/* adm_out.c - tncadm's output: aligned tables for people, JSON (jansson)
 * for scripts, with each field's JSON type fixed by the listing's column
 * type (integer, string, boolean, null). */
#include <jansson.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "adm.h"

struct table {
	size_t ncols, nrows, cap;
	const struct ps_column *cols;
	char **cells; /* nrows * ncols */
	json_t *rows; /* JSON mode */
};

/* Text for a terminal: control characters become '?'. */
static char *
printable(const char *s)
{
	char *p = strdup(s);
	if (!p)
		abort();
	for (char *c = p; *c; c++)
		if ((unsigned char)*c < 0x20 || *c == 0x7f)
			*c = '?';
	return p;
}

/* A JSON string; bytes that are not UTF-8 become '?'. */
static json_t *
json_text(const char *s)
{
	json_t *j = json_string(s);
	if (j)
		return j;
	char *p = strdup(s);
	if (!p)
		abort();
	for (unsigned char *c = (unsigned char *)p; *c; c++)
		if (*c >= 0x80)
			*c = '?';
	j = json_string(p);
	free(p);
	return j;
}

static json_t *
json_row(const struct ps_column *cols, const struct ps_cell *cells, size_t n)
{
	json_t *o = json_object();
	for (size_t i = 0; i < n; i++) {
		json_t *v = cells[i].null               ? json_null()
		            : cols[i].type == PS_COL_INT  ? json_integer(cells[i].i)
		            : cols[i].type == PS_COL_BOOL ? json_boolean(cells[i].i)
		                                          : json_text(cells[i].s);
		json_object_set_new(o, cols[i].name, v);
	}
	return o;
}

static int
on_row(void *ctx, const struct ps_column *cols, const struct ps_cell *cells, size_t n)
{
	struct table *t = ctx;
	if (t->rows)
		return json_array_append_new(t->rows, json_row(cols, cells, n)) ? TNC_EINVALID : 0;
	if (t->nrows == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 32;
		t->cells = realloc(t->cells, t->cap * n * sizeof(*t->cells));
		if (!t->cells)
			abort();
	}
	char buf[32];
	for (size_t i = 0; i < n; i++) {
		const char *text = buf;
		if (cells[i].null)
			text = "-";
		else if (cols[i].type == PS_COL_BOOL)
			text = cells[i].i ? "yes" : "no";
		else if (cols[i].type == PS_COL_INT)
			snprintf(buf, sizeof(buf), "%lld", (long long)cells[i].i);
		else
			text = cells[i].s;
		t->cells[t->nrows * n + i] = printable(text);
	}
	t->nrows++;
	return 0;
}

static void
table_print(const struct table *t)
{
	size_t width[16] = {0};
	for (size_t c = 0; c < t->ncols && c < 16; c++) {
		width[c] = strlen(t->cols[c].name);
		for (size_t r = 0; r < t->nrows; r++) {
			size_t w = strlen(t->cells[r * t->ncols + c]);
			width[c] = w > width[c] ? w : width[c];
		}
	}
	for (size_t c = 0; c < t->ncols; c++)
		printf("%-*s%s", c + 1 < t->ncols ? (int)width[c] : 0, t->cols[c].name,
		    c + 1 < t->ncols ? "  " : "\n");
	for (size_t r = 0; r < t->nrows; r++)
		for (size_t c = 0; c < t->ncols; c++)
			printf("%-*s%s", c + 1 < t->ncols ? (int)width[c] : 0, t->cells[r * t->ncols + c],
			    c + 1 < t->ncols ? "  " : "\n");
}

static void
table_clear(struct table *t)
{
	for (size_t i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	free(t->cells);
	json_decref(t->rows);
}

/* Runs a listing into t (JSON rows when json). */
static int
collect(struct adm *a, enum ps_list what, const char *arg, int64_t limit, bool json,
    struct table *t)
{
	*t = (struct table){.rows = json ? json_array() : NULL};
	t->cols = policy_admin_list_columns(what, &t->ncols);
	int err = policy_admin_list(a->store, what, arg, limit, on_row, t);
	return err ? adm_store_fail(a, err, NULL) : ADM_OK;
}

static int
json_print(json_t *j)
{
	int rc = json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(j);
	return rc ? ADM_FAIL : ADM_OK;
}

/* Prints what collect() or adm_print_rows() filled t with, then clears t. */
static int
print_collected(struct table *t, int code)
{
	if (!code && t->rows) {
		code = json_print(t->rows);
		t->rows = NULL;
	} else if (!code) {
		table_print(t);
	}
	table_clear(t);
	return code;
}

int
adm_print_list(struct adm *a, enum ps_list what, const char *arg, int64_t limit)
{
	struct table t;
	return print_collected(&t, collect(a, what, arg, limit, a->json, &t));
}

int
adm_print_rows(struct adm *a, const struct ps_column *cols, size_t ncols, adm_rows_fn *fill,
    void *ctx)
{
	struct table t = {.rows = a->json ? json_array() : NULL, .cols = cols, .ncols = ncols};
	int err = fill(ctx, on_row, &t);
	return print_collected(&t, err ? adm_store_fail(a, err, NULL) : ADM_OK);
}

int
adm_print_lists(struct adm *a, const char *const *keys, const enum ps_list *what,
    const bool *single, int n, const char *arg)
{
	json_t *out = a->json ? json_object() : NULL;
	int code = ADM_OK;
	for (int i = 0; i < n && !code; i++) {
		struct table t;
		code = collect(a, what[i], arg, 0, a->json, &t);
		if (!code && out) {
			json_t *v = single[i] ? json_incref(json_array_get(t.rows, 0)) : json_incref(t.rows);
			json_object_set_new(out, keys[i], v ? v : json_null());
		} else if (!code && single[i]) {
			for (size_t c = 0; c < t.ncols && t.nrows; c++)
				printf("%-14s %s\n", t.cols[c].name, t.cells[c]);
		} else if (!code) {
			printf("\n%s:\n", keys[i]);
			table_print(&t);
		}
		table_clear(&t);
	}
	if (out && !code)
		return json_print(out);
	json_decref(out);
	return code;
}

int
adm_done(struct adm *a, int err, const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	if (err)
		return adm_store_fail(a, err, NULL);
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!a->json) {
		char *p = printable(msg);
		printf("%s\n", p);
		free(p);
		return ADM_OK;
	}
	return json_print(json_pack("{s:b, s:o}", "ok", 1, "message", json_text(msg)));
}

int
adm_list(struct adm *a, enum ps_list what, const char *arg, int64_t dflt)
{
	return adm_print_list(a, what, arg, adm_int_option(a, ADM_OPT_LIMIT, dflt));
}

int
adm_print_counts(struct adm *a, const char *const *names, const int64_t *values, int n)
{
	if (!a->json) {
		for (int i = 0; i < n; i++)
			printf("%-24s %lld\n", names[i], (long long)values[i]);
		return ADM_OK;
	}
	json_t *o = json_object();
	for (int i = 0; i < n; i++)
		json_object_set_new(o, names[i], json_integer(values[i]));
	return json_print(o);
}
