/* tree.h - the indented tree tncdump prints: one line per object or field
 * group, two spaces per level, offsets counted from the input's first octet.
 *
 * Text from the wire is quoted with every octet outside printable ASCII
 * escaped (\xNN), so a dump never carries control sequences to a terminal.
 * Error lines are counted; the caller turns a non-zero count into exit 1.
 */
#ifndef TNC_TREE_H
#define TNC_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "wire.h"

/* Room tree_quote() needs: TREE_QUOTE_CUT octets escaped, plus the tail. */
#define TREE_QUOTE_CUT 200
#define TREE_QUOTE_MAX (TREE_QUOTE_CUT * 4 + 48)
/* Entries of a list printed without --all. */
#define TREE_LIST_CUT 10

struct tree {
	FILE *out;
	const uint8_t *origin; /* first octet of the input */
	unsigned depth;
	bool all;        /* --all: lists and hex dumps are printed in full */
	unsigned errors; /* error lines printed so far */
};

void tree_init(struct tree *t, FILE *out, const uint8_t *origin, bool all);
/* One line at the current depth. */
void tree_line(struct tree *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void tree_push(struct tree *t);
void tree_pop(struct tree *t);
/* Offset of p (inside the input) from its first octet. */
size_t tree_at(const struct tree *t, const void *p);
/* "error: <reason> at byte offset N" for a codec failure whose offset counts
 * from base (a pointer into the input). */
void tree_error(struct tree *t, const void *base, const struct parse_error *e);
/* tree_error() one level deeper, under the line of the object it refuses. */
void tree_sub_error(struct tree *t, const void *base, const struct parse_error *e);
/* The same for a problem found outside the codecs, at an input offset. */
void tree_fail(struct tree *t, const char *reason, size_t offset);
/* s quoted and escaped into buf[TREE_QUOTE_MAX]; longer text is cut after
 * TREE_QUOTE_CUT octets and its length added.  Returns buf. */
const char *tree_quote(char *buf, struct bytes s);
/* "<label> (N bytes): hex" of the first 16 octets; with --all every octet,
 * 16 to a line, each line led by its offset in b. */
void tree_hex(struct tree *t, const char *label, struct bytes b);
/* How many of n list entries to print: n with --all, else TREE_LIST_CUT. */
size_t tree_list_limit(const struct tree *t, size_t n);
/* "... N more" when a list of n was cut after shown entries. */
void tree_more(struct tree *t, size_t shown, size_t n);
/* "s" unless n is 1, for "3 messages" / "1 message". */
const char *tree_plural(size_t n);

#endif
