/* tree.c - indented output for tncdump (see tree.h). */
#include "tree.h"

#include <stdarg.h>

#define HEX_PER_LINE 16

void
tree_init(struct tree *t, FILE *out, const uint8_t *origin, bool all)
{
	t->out = out;
	t->origin = origin;
	t->depth = 0;
	t->all = all;
	t->errors = 0;
}

static void
indent(struct tree *t)
{
	for (unsigned i = 0; i < t->depth; i++)
		fputs("  ", t->out);
}

void
tree_line(struct tree *t, const char *fmt, ...)
{
	va_list ap;

	indent(t);
	va_start(ap, fmt);
	vfprintf(t->out, fmt, ap);
	va_end(ap);
	fputc('\n', t->out);
}

void
tree_push(struct tree *t)
{
	t->depth++;
}

void
tree_pop(struct tree *t)
{
	t->depth--;
}

size_t
tree_at(const struct tree *t, const void *p)
{
	return (size_t)((const uint8_t *)p - t->origin);
}

void
tree_fail(struct tree *t, const char *reason, size_t offset)
{
	tree_line(t, "error: %s at byte offset %zu", reason, offset);
	t->errors++;
}

void
tree_error(struct tree *t, const void *base, const struct parse_error *e)
{
	tree_fail(t, e->reason ? e->reason : "malformed", tree_at(t, base) + e->offset);
}

void
tree_sub_error(struct tree *t, const void *base, const struct parse_error *e)
{
	tree_push(t);
	tree_error(t, base, e);
	tree_pop(t);
}

const char *
tree_quote(char *buf, struct bytes s)
{
	static const char hex[] = "0123456789abcdef";
	size_t n = s.len < TREE_QUOTE_CUT ? s.len : TREE_QUOTE_CUT;
	char *p = buf;

	*p++ = '\'';
	for (size_t i = 0; i < n; i++) {
		uint8_t c = s.ptr[i];

		if (c == '\'' || c == '\\') {
			*p++ = '\\';
			*p++ = (char)c;
		} else if (c >= 0x20 && c < 0x7f) {
			*p++ = (char)c;
		} else {
			*p++ = '\\';
			*p++ = 'x';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 0xf];
		}
	}
	*p++ = '\'';
	*p = '\0';
	if (n < s.len)
		snprintf(p, TREE_QUOTE_MAX - (size_t)(p - buf), "... (%zu bytes)", s.len);
	return buf;
}

/* Up to HEX_PER_LINE octets of b from i as "xx xx ..." into buf. */
static const char *
hex_run(char *buf, struct bytes b, size_t i)
{
	char *p = buf;

	for (size_t k = i; k < b.len && k < i + HEX_PER_LINE; k++)
		p += sprintf(p, "%s%02x", p == buf ? "" : " ", b.ptr[k]);
	*p = '\0';
	return buf;
}

void
tree_hex(struct tree *t, const char *label, struct bytes b)
{
	char run[HEX_PER_LINE * 3 + 1];

	if (b.len == 0) {
		tree_line(t, "%s (0 bytes)", label);
		return;
	}
	if (!t->all || b.len <= HEX_PER_LINE) {
		tree_line(t, "%s (%zu bytes): %s%s", label, b.len, hex_run(run, b, 0),
		    b.len > HEX_PER_LINE ? " ..." : "");
		return;
	}
	tree_line(t, "%s (%zu bytes):", label, b.len);
	tree_push(t);
	for (size_t i = 0; i < b.len; i += HEX_PER_LINE)
		tree_line(t, "%06zu: %s", i, hex_run(run, b, i));
	tree_pop(t);
}

size_t
tree_list_limit(const struct tree *t, size_t n)
{
	return t->all || n < TREE_LIST_CUT ? n : TREE_LIST_CUT;
}

void
tree_more(struct tree *t, size_t shown, size_t n)
{
	if (shown < n)
		tree_line(t, "... %zu more", n - shown);
}

const char *
tree_plural(size_t n)
{
	return n == 1 ? "" : "s";
}
