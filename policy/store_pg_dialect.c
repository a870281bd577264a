/* store_pg_dialect.c - the store's SQLite SQL as PostgreSQL's (see
 * store_pg_dialect.h).
 *
 * The text is cut into tokens first (words, literals, quoted names,
 * comments, parameters, space, single characters), so a rule only ever
 * sees whole words outside literals and comments; a rule looks at its
 * neighbours skipping space and comments.  Everything no rule rewrites is
 * copied byte for byte.
 */
#include <ctype.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store_pg_dialect.h"

#define PARAM_MAX 65535 /* PostgreSQL's limit of parameters in one statement */

enum tok_kind { TOK_SPACE, TOK_COMMENT, TOK_WORD, TOK_STRING, TOK_QUOTED, TOK_PARAM, TOK_OTHER };

struct tok {
	enum tok_kind kind;
	const char *p;
	size_t len;
};

struct toks {
	struct tok *v;
	size_t n, cap;
};

struct out {
	char *p;
	size_t len, cap;
};

static void
put(struct out *o, const char *s, size_t n)
{
	if (o->len + n + 1 > o->cap) {
		o->cap = (o->len + n + 1) * 2;
		o->p = realloc(o->p, o->cap);
		if (!o->p)
			abort();
	}
	memcpy(o->p + o->len, s, n);
	o->len += n;
	o->p[o->len] = '\0';
}

static void
put_str(struct out *o, const char *s)
{
	put(o, s, strlen(s));
}

static void
add_tok(struct toks *t, enum tok_kind kind, const char *p, size_t len)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = realloc(t->v, t->cap * sizeof(*t->v));
		if (!t->v)
			abort();
	}
	t->v[t->n++] = (struct tok){kind, p, len};
}

static bool
is_word_char(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '$';
}

/* The end of the literal or quoted name opened by *p (the quote doubled
 * inside), NULL when it is not closed. */
static const char *
quoted_end(const char *p)
{
	char q = *p++;
	for (;;) {
		if (!*p)
			return NULL;
		if (*p == q && p[1] != q)
			return p + 1;
		p += *p == q ? 2 : 1;
	}
}

static int
lex(const char *sql, struct toks *t, const char **ret_why)
{
	const char *p = sql;
	while (*p) {
		const char *start = p;
		enum tok_kind kind = TOK_OTHER;
		if (isspace((unsigned char)*p)) {
			while (isspace((unsigned char)*p))
				p++;
			kind = TOK_SPACE;
		} else if (p[0] == '-' && p[1] == '-') {
			p += strcspn(p, "\n");
			kind = TOK_COMMENT;
		} else if (p[0] == '/' && p[1] == '*') {
			const char *end = strstr(p + 2, "*/");
			if (!end) {
				*ret_why = "a comment is not closed";
				return TNC_EINVALID;
			}
			p = end + 2;
			kind = TOK_COMMENT;
		} else if (*p == '\'' || *p == '"') {
			kind = *p == '\'' ? TOK_STRING : TOK_QUOTED;
			if (!(p = quoted_end(p))) {
				*ret_why = "a literal or quoted name is not closed";
				return TNC_EINVALID;
			}
		} else if (*p == '?') {
			for (p++; isdigit((unsigned char)*p); p++)
				;
			kind = TOK_PARAM;
		} else if (isalpha((unsigned char)*p) || *p == '_') {
			while (is_word_char(*p))
				p++;
			kind = TOK_WORD;
		} else if (isdigit((unsigned char)*p)) { /* a number, never a word */
			while (is_word_char(*p) || *p == '.')
				p++;
		} else {
			p++;
		}
		add_tok(t, kind, start, (size_t)(p - start));
	}
	return 0;
}

static bool
significant(const struct tok *t)
{
	return t->kind != TOK_SPACE && t->kind != TOK_COMMENT;
}

/* The index of the first significant token after i; t->n if none. */
static size_t
next_sig(const struct toks *t, size_t i)
{
	for (i++; i < t->n && !significant(&t->v[i]); i++)
		;
	return i;
}

/* The first significant token before i; NULL if none. */
static const struct tok *
prev_sig(const struct toks *t, size_t i)
{
	while (i-- > 0)
		if (significant(&t->v[i]))
			return &t->v[i];
	return NULL;
}

static bool
is_word(const struct toks *t, size_t i, const char *word)
{
	return i < t->n && t->v[i].kind == TOK_WORD && t->v[i].len == strlen(word) &&
	       strncasecmp(t->v[i].p, word, t->v[i].len) == 0;
}

static bool
is_char(const struct tok *tok, char c)
{
	return tok && tok->kind == TOK_OTHER && tok->len == 1 && tok->p[0] == c;
}

/* Whether the INTEGER at i is "id INTEGER [NOT NULL] PRIMARY KEY" in a
 * column list; *ret_end is then the index of KEY. */
static bool
identity_column(const struct toks *t, size_t i, size_t *ret_end)
{
	const struct tok *name = prev_sig(t, i);
	if (!name || name->kind != TOK_WORD || name->len != 2 || strncasecmp(name->p, "id", 2))
		return false;
	const struct tok *before = prev_sig(t, (size_t)(name - t->v));
	if (!is_char(before, '(') && !is_char(before, ','))
		return false;
	size_t j = next_sig(t, i);
	if (is_word(t, j, "NOT")) {
		j = next_sig(t, j);
		if (!is_word(t, j, "NULL"))
			return false;
		j = next_sig(t, j);
	}
	if (!is_word(t, j, "PRIMARY") || !is_word(t, next_sig(t, j), "KEY"))
		return false;
	*ret_end = next_sig(t, j);
	return true;
}

/* One character of a regex into a SQL literal: quotes doubled. */
static void
put_lit_char(struct out *o, char c)
{
	put(o, c == '\'' ? "''" : &c, c == '\'' ? 2 : 1);
}

/* A regex special character, taken literally. */
static void
put_escaped(struct out *o, char c)
{
	put_lit_char(o, '\\');
	put_lit_char(o, c);
}

/* A glob bracket expression at g[i] ('['), copied as a regex bracket
 * expression; the index after its ']', 0 when it has none. */
static size_t
glob_class(const char *g, size_t i, struct out *o)
{
	size_t j = i + 1;
	if (g[j] == '^')
		j++;
	if (g[j] == ']') /* first: a member, not the end */
		j++;
	const char *close = strchr(g + j, ']');
	if (!close)
		return 0;
	size_t end = (size_t)(close - g);
	put_str(o, "[");
	for (j = i + 1; j < end; j++) {
		char c = g[j];
		/* inside brackets PostgreSQL's regexes still give '\' a meaning:
		 * punctuation is escaped, letters, digits, ranges and UTF-8 not */
		bool raw = isalnum((unsigned char)c) || c == '-' || (unsigned char)c >= 0x80 ||
		           (c == '^' && j == i + 1);
		if (raw)
			put_lit_char(o, c);
		else
			put_escaped(o, c);
	}
	put_str(o, "]");
	return end + 1;
}

/* SQLite's GLOB pattern (the literal token lit) as a quoted, anchored
 * POSIX regex: * any run, ? one character, [..] and [^..] classes. */
static int
glob_to_regex(const struct tok *lit, struct out *o, const char **ret_why)
{
	struct out glob = {0};
	for (size_t i = 1; i + 1 < lit->len; i += lit->p[i] == '\'' ? 2 : 1)
		put(&glob, &lit->p[i], 1);
	const char *g = glob.p ? glob.p : "";
	int err = 0;
	put_str(o, "'^");
	for (size_t i = 0; g[i];) {
		if (g[i] == '[') {
			size_t next = glob_class(g, i, o);
			if (!next) {
				*ret_why = "a GLOB pattern's '[' has no ']'";
				err = TNC_EINVALID;
				break;
			}
			i = next;
			continue;
		}
		if (g[i] == '*')
			put_str(o, ".*");
		else if (g[i] == '?')
			put_str(o, ".");
		else if (strchr(".^$+(){}|\\]", g[i]))
			put_escaped(o, g[i]);
		else
			put_lit_char(o, g[i]);
		i++;
	}
	put_str(o, "$'");
	free(glob.p);
	return err;
}

/* Drops the space just written (before a dropped WITHOUT ROWID). */
static void
trim_space(struct out *o)
{
	while (o->len && isspace((unsigned char)o->p[o->len - 1]))
		o->p[--o->len] = '\0';
}

/* The GLOB at i: "~" or, after NOT, "!~" (the NOT was dropped), the space
 * as it was, the pattern translated.  The index of the pattern. */
static int
glob(const struct toks *t, size_t i, bool negated, struct out *o, size_t *ret_end,
    const char **ret_why)
{
	put_str(o, negated ? "!~" : "~");
	size_t lit = next_sig(t, i);
	if (lit == t->n || t->v[lit].kind != TOK_STRING) {
		*ret_why = "a GLOB pattern is not a literal";
		return TNC_EINVALID;
	}
	for (size_t j = i + 1; j < lit; j++)
		put(o, t->v[j].p, t->v[j].len);
	*ret_end = lit;
	return glob_to_regex(&t->v[lit], o, ret_why);
}

int
store_pg_script(const char *sql, char **ret, const char **ret_why)
{
	struct toks t = {0};
	struct out o = {0};
	int err = lex(sql, &t, ret_why);
	put(&o, "", 0);
	for (size_t i = 0; !err && i < t.n; i++) {
		size_t end;
		if (is_word(&t, i, "INTEGER") && identity_column(&t, i, &end)) {
			put_str(&o, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY");
			i = end;
		} else if (is_word(&t, i, "INTEGER")) {
			put_str(&o, "BIGINT");
		} else if (is_word(&t, i, "WITHOUT") && is_word(&t, next_sig(&t, i), "ROWID") &&
		           is_char(prev_sig(&t, i), ')')) {
			trim_space(&o);
			i = next_sig(&t, i);
		} else if (is_word(&t, i, "NOT") && is_word(&t, next_sig(&t, i), "GLOB")) {
			err = glob(&t, next_sig(&t, i), true, &o, &i, ret_why);
		} else if (is_word(&t, i, "GLOB")) {
			err = glob(&t, i, false, &o, &i, ret_why);
		} else {
			put(&o, t.v[i].p, t.v[i].len);
		}
	}
	free(t.v);
	if (err) {
		free(o.p);
		return err;
	}
	*ret = o.p;
	return 0;
}

int
store_pg_params(const char *sql, char **ret, int *ret_nparams, const char **ret_why)
{
	struct toks t = {0};
	struct out o = {0};
	int err = lex(sql, &t, ret_why), highest = 0;
	put(&o, "", 0);
	for (size_t i = 0; !err && i < t.n; i++) {
		const struct tok *k = &t.v[i];
		if (k->kind != TOK_PARAM) {
			put(&o, k->p, k->len);
			continue;
		}
		long number = highest + 1;
		if (k->len > 1)
			number = k->len > 6 ? PARAM_MAX + 1 : strtol(k->p + 1, NULL, 10);
		if (number < 1 || number > PARAM_MAX) {
			*ret_why = "a parameter number out of range";
			err = TNC_EINVALID;
			break;
		}
		if (number > highest)
			highest = (int)number;
		char dollar[16];
		put(&o, dollar, (size_t)snprintf(dollar, sizeof(dollar), "$%ld", number));
	}
	free(t.v);
	if (err) {
		free(o.p);
		return err;
	}
	*ret = o.p;
	*ret_nparams = highest;
	return 0;
}

/* A table name token as PostgreSQL stores it; NULL if it is not a name. */
static char *
table_name(const struct toks *t, size_t i)
{
	if (i >= t->n || (t->v[i].kind != TOK_WORD && t->v[i].kind != TOK_QUOTED))
		return NULL;
	const struct tok *k = &t->v[i];
	struct out o = {0};
	if (k->kind == TOK_WORD) {
		for (size_t j = 0; j < k->len; j++) {
			char c = (char)tolower((unsigned char)k->p[j]);
			put(&o, &c, 1);
		}
	} else {
		for (size_t j = 1; j + 1 < k->len; j += k->p[j] == '"' ? 2 : 1)
			put(&o, &k->p[j], 1);
		put(&o, "", 0);
	}
	return o.p;
}

static size_t
find_table(const struct store_pg_tables *set, const char *name)
{
	size_t i = 0;
	while (i < set->n && strcmp(set->names[i], name))
		i++;
	return i;
}

/* The name after CREATE TABLE [IF NOT EXISTS] / DROP TABLE [IF EXISTS]
 * at i (TABLE); *ret_at its index. */
static char *
statement_table(const struct toks *t, size_t i, bool create, size_t *ret_at)
{
	size_t j = next_sig(t, i);
	if (is_word(t, j, "IF")) {
		j = next_sig(t, j);
		if (create)
			j = next_sig(t, j); /* NOT */
		j = next_sig(t, j);     /* EXISTS */
	}
	*ret_at = j;
	return table_name(t, j);
}

int
store_pg_tables(const char *sql, struct store_pg_tables *set, const char **ret_why)
{
	struct toks t = {0};
	int err = lex(sql, &t, ret_why);
	for (size_t i = 0; !err && i < t.n; i++) {
		bool create = is_word(&t, i, "CREATE");
		if ((!create && !is_word(&t, i, "DROP")) || !is_word(&t, next_sig(&t, i), "TABLE"))
			continue;
		size_t at;
		char *name = statement_table(&t, next_sig(&t, i), create, &at);
		size_t after = next_sig(&t, at);
		if (!name || (after < t.n && is_char(&t.v[after], '.'))) {
			*ret_why = "a CREATE or DROP TABLE without a plain table name";
			err = TNC_EINVALID;
			free(name);
			break;
		}
		size_t found = find_table(set, name);
		if (create && found == set->n) {
			set->names = realloc(set->names, (set->n + 1) * sizeof(*set->names));
			if (!set->names)
				abort();
			set->names[set->n++] = name;
			name = NULL;
		} else if (!create && found < set->n) {
			free(set->names[found]);
			set->names[found] = set->names[--set->n];
		}
		free(name);
		i = at;
	}
	free(t.v);
	return err;
}

void
store_pg_tables_clear(struct store_pg_tables *set)
{
	for (size_t i = 0; i < set->n; i++)
		free(set->names[i]);
	free(set->names);
	set->names = NULL;
	set->n = 0;
}
