/* eap_secrets.c - the EAP-MD5 secrets file (see eap_secrets.h). */
#include "eap_secrets.h"

#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "credential_file.h"

static bool
is_control(unsigned char ch)
{
	return ch < 0x20 || ch == 0x7f;
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* NULL if identity[0..len) may be listed, else why not. */
static const char *
identity_check(const char *id, size_t len)
{
	if (len == 0)
		return "empty identity";
	if (len > EAP_SECRETS_FIELD_MAX)
		return "identity longer than 255 octets";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)id[i];
		if (is_control(ch) || is_blank((char)ch) || ch == ':' || ch == '"')
			return "identity holds a control character, a blank, ':' or '\"'";
	}
	return NULL;
}

/* Room for one more entry (the old array is wiped: it holds secrets). */
static void
grow(struct eap_secrets *s)
{
	if (s->n < s->cap)
		return;
	size_t cap = s->cap ? s->cap * 2 : 16;
	struct eap_secret *v = calloc(cap, sizeof(*v));
	if (!v)
		abort();
	if (s->n) {
		memcpy(v, s->v, s->n * sizeof(*v));
		sodium_memzero(s->v, s->n * sizeof(*v));
	}
	free(s->v);
	s->v = v;
	s->cap = cap;
}

void
eap_secrets_clear(struct eap_secrets *s)
{
	if (s->v)
		sodium_memzero(s->v, s->cap * sizeof(*s->v));
	free(s->v);
	memset(s, 0, sizeof(*s));
}

int
eap_secrets_find(const struct eap_secrets *s, struct bytes identity, struct bytes *ret)
{
	uint8_t padded[EAP_SECRETS_FIELD_MAX] = {0};
	const struct eap_secret *found = NULL;

	if (identity.len == 0 || identity.len > EAP_SECRETS_FIELD_MAX)
		return TNC_ENOTFOUND;
	memcpy(padded, identity.ptr, identity.len);
	for (size_t i = 0; i < s->n; i++) {
		const struct eap_secret *e = &s->v[i];
		bool same = (sodium_memcmp(e->identity, padded, sizeof(padded)) == 0) &
		    (e->identity_len == identity.len);
		/* Identities are unique: at most one entry matches. */
		found = same ? e : found;
	}
	sodium_memzero(padded, sizeof(padded));
	if (!found)
		return TNC_ENOTFOUND;
	*ret = (struct bytes){found->secret, found->secret_len};
	return 0;
}

/* One non-comment line: IDENTITY : "SECRET". */
static int
parse_line(struct eap_secrets *s, const char *line, size_t len, const char *path, unsigned no,
    char *err, size_t errlen)
{
	const char *colon = memchr(line, ':', len), *end = line + len;
	const char *why;

	if (!colon)
		return credential_file_refuse(err, errlen, path, no, "no ':' between identity and secret");
	size_t id_len = (size_t)(colon - line);
	while (id_len > 0 && is_blank(line[id_len - 1]))
		id_len--;
	if ((why = identity_check(line, id_len)))
		return credential_file_refuse(err, errlen, path, no, "%s", why);
	const char *p = colon + 1;
	while (p < end && is_blank(*p))
		p++;
	while (end > p && is_blank(end[-1]))
		end--;
	if (end - p < 2 || *p != '"' || end[-1] != '"')
		return credential_file_refuse(err, errlen, path, no, "the secret is not in double quotes");
	p++;
	end--;
	size_t secret_len = (size_t)(end - p);
	if (secret_len == 0 || secret_len > EAP_SECRETS_FIELD_MAX)
		return credential_file_refuse(err, errlen, path, no, "the secret is empty or longer than 255 octets");
	for (const char *q = p; q < end; q++)
		if (is_control((unsigned char)*q) || *q == '"')
			return credential_file_refuse(err, errlen, path, no,
			    "the secret holds a control character or '\"'");
	if (s->n >= EAP_SECRETS_ENTRIES_MAX)
		return credential_file_refuse(err, errlen, path, no, "more than %u identities", EAP_SECRETS_ENTRIES_MAX);
	grow(s);
	struct eap_secret *e = &s->v[s->n++];
	memcpy(e->identity, line, id_len);
	e->identity_len = id_len;
	memcpy(e->secret, p, secret_len);
	e->secret_len = secret_len;
	e->line = no;
	return 0;
}

static int
by_identity(const void *a, const void *b)
{
	const struct eap_secret *x = *(const struct eap_secret *const *)a;
	const struct eap_secret *y = *(const struct eap_secret *const *)b;
	int d = memcmp(x->identity, y->identity, sizeof(x->identity));
	if (d == 0 && x->identity_len != y->identity_len)
		d = x->identity_len < y->identity_len ? -1 : 1;
	return d ? d : (x->line > y->line) - (x->line < y->line);
}

/* An identity listed twice is refused at its second line (sorted: n log n
 * comparisons for a file of 10,000 identities). */
static int
check_unique(const struct eap_secrets *s, const char *path, char *err, size_t errlen)
{
	const struct eap_secret **v = calloc(s->n ? s->n : 1, sizeof(*v));
	int code = 0;
	if (!v)
		abort();
	for (size_t i = 0; i < s->n; i++)
		v[i] = &s->v[i];
	qsort(v, s->n, sizeof(*v), by_identity);
	for (size_t i = 1; i < s->n && !code; i++)
		if (v[i - 1]->identity_len == v[i]->identity_len &&
		    memcmp(v[i - 1]->identity, v[i]->identity, v[i]->identity_len) == 0)
			code = credential_file_refuse(err, errlen, path, v[i]->line,
			    "identity '%.*s' is listed twice (first at line %u)",
			    (int)v[i]->identity_len, (const char *)v[i]->identity, v[i - 1]->line);
	free(v);
	return code;
}

int
eap_secrets_parse(const char *text, size_t len, const char *path, struct eap_secrets *ret,
    char *err, size_t errlen)
{
	unsigned no = 0;
	size_t at = 0;

	eap_secrets_clear(ret);
	if (len > EAP_SECRETS_FILE_MAX)
		return credential_file_refuse(err, errlen, path, 0, "larger than %u octets", EAP_SECRETS_FILE_MAX);
	while (at < len) {
		const char *line = text + at, *nl = memchr(line, '\n', len - at);
		size_t line_len = nl ? (size_t)(nl - line) : len - at;
		no++;
		at += line_len + (nl ? 1 : 0);
		if (line_len > EAP_SECRETS_LINE_MAX) {
			eap_secrets_clear(ret);
			return credential_file_refuse(err, errlen, path, no, "line longer than %u octets",
			    EAP_SECRETS_LINE_MAX);
		}
		size_t lead = 0;
		while (lead < line_len && is_blank(line[lead]))
			lead++;
		if (lead == line_len || line[lead] == '#')
			continue;
		if (parse_line(ret, line + lead, line_len - lead, path, no, err, errlen) != 0) {
			eap_secrets_clear(ret);
			return TNC_ECONFIG;
		}
	}
	if (check_unique(ret, path, err, errlen) != 0) {
		eap_secrets_clear(ret);
		return TNC_ECONFIG;
	}
	return 0;
}

static int
parse_any(const char *text, size_t len, const char *path, void *ret, char *err, size_t errlen)
{
	return eap_secrets_parse(text, len, path, ret, err, errlen);
}

int
eap_secrets_load(const char *path, struct eap_secrets *ret, char *err, size_t errlen)
{
	eap_secrets_clear(ret);
	return credential_file_load(path, EAP_SECRETS_FILE_MAX, parse_any, ret, err, errlen);
}
