/* sasl_credentials.c - the SASL PLAIN credentials file (see
 * sasl_credentials.h). */
#include "sasl_credentials.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "credential_file.h"

#define HASH_PREFIX "$argon2id$v=19$m="

const char *
sasl_creds_name_check(const char *name, size_t len)
{
	if (len == 0)
		return "empty user name";
	if (len > SASL_PLAIN_FIELD_MAX)
		return "user name longer than 255 octets";
	if (name[0] == '#')
		return "user name starts with '#'";
	for (size_t i = 0; i < len; i++) {
		unsigned char ch = (unsigned char)name[i];
		if (ch < 0x20 || ch == 0x7f || ch == ':')
			return "user name holds a control character or ':'";
	}
	if (!sasl_utf8_ok((struct bytes){(const uint8_t *)name, len}))
		return "user name is not UTF-8";
	return NULL;
}

/* A decimal number of 1-9 digits at *p, which moves past it. */
static bool
get_number(const char **p, unsigned long *ret)
{
	const char *s = *p;
	unsigned long v = 0;
	while (*s >= '0' && *s <= '9' && s - *p < 9)
		v = v * 10 + (unsigned long)(*s++ - '0');
	if (s == *p || (*s >= '0' && *s <= '9'))
		return false;
	*p = s;
	*ret = v;
	return true;
}

const char *
sasl_creds_hash_check(const char *hash)
{
	const char *p = hash;
	unsigned long m, t, par;

	if (strlen(hash) >= crypto_pwhash_STRBYTES)
		return "password hash too long";
	if (strncmp(p, HASH_PREFIX, strlen(HASH_PREFIX)) != 0)
		return "not an Argon2id password hash ($argon2id$v=19$m=...)";
	p += strlen(HASH_PREFIX);
	if (!get_number(&p, &m) || strncmp(p, ",t=", 3) != 0 || (p += 3, !get_number(&p, &t)) ||
	    strncmp(p, ",p=", 3) != 0 || (p += 3, !get_number(&p, &par)) || *p != '$')
		return "password hash parameters are not m=KIB,t=N,p=N";
	if (par != 1)
		return "password hash parallelism is not 1";
	if (t == 0 || m * t > SASL_CREDS_COST_MAX)
		return "password hash costs too much to verify (m * t above 8192)";
	/* libsodium decodes the whole string: -1 when it cannot */
	if (crypto_pwhash_str_needs_rehash(hash, SASL_CREDS_OPSLIMIT, SASL_CREDS_MEMLIMIT) < 0)
		return "malformed Argon2id password hash";
	return NULL;
}

const struct sasl_cred *
sasl_creds_find(const struct sasl_creds *c, const uint8_t *name, size_t len)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].name_len == len && memcmp(c->v[i].name, name, len) == 0)
			return &c->v[i];
	return NULL;
}

/* Room for one more entry (the old array is wiped: it holds hashes). */
static void
grow(struct sasl_creds *c)
{
	if (c->n < c->cap)
		return;
	size_t cap = c->cap ? c->cap * 2 : 16;
	struct sasl_cred *v = calloc(cap, sizeof(*v));
	if (!v)
		abort();
	if (c->n) {
		memcpy(v, c->v, c->n * sizeof(*v));
		sodium_memzero(c->v, c->n * sizeof(*v));
	}
	free(c->v);
	c->v = v;
	c->cap = cap;
}

/* Appends an entry whose name and hash were checked. */
static struct sasl_cred *
append(struct sasl_creds *c, const char *name, size_t name_len, unsigned line)
{
	grow(c);
	struct sasl_cred *e = &c->v[c->n++];
	memcpy(e->name, name, name_len);
	e->name[name_len] = 0;
	e->name_len = name_len;
	e->line = line;
	return e;
}

int
sasl_creds_set(struct sasl_creds *c, const char *name, const char *hash, bool *ret_replaced)
{
	size_t len = strlen(name);
	struct sasl_cred *e = (struct sasl_cred *)sasl_creds_find(c, (const uint8_t *)name, len);

	if (sasl_creds_name_check(name, len) || sasl_creds_hash_check(hash))
		return TNC_EINVALID;
	if (!e && c->n >= SASL_CREDS_ENTRIES_MAX)
		return TNC_ETOOLONG;
	*ret_replaced = e != NULL;
	if (!e)
		e = append(c, name, len, 0);
	snprintf(e->hash, sizeof(e->hash), "%s", hash);
	return 0;
}

int
sasl_creds_remove(struct sasl_creds *c, const char *name)
{
	struct sasl_cred *e = (struct sasl_cred *)sasl_creds_find(c, (const uint8_t *)name,
	    strlen(name));
	if (!e)
		return TNC_ENOTFOUND;
	size_t at = (size_t)(e - c->v);
	memmove(e, e + 1, (c->n - at - 1) * sizeof(*e));
	sodium_memzero(&c->v[--c->n], sizeof(*e));
	return 0;
}

void
sasl_creds_clear(struct sasl_creds *c)
{
	if (c->v)
		sodium_memzero(c->v, c->cap * sizeof(*c->v));
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* One non-comment line: NAME:HASH. */
static int
parse_line(struct sasl_creds *c, const char *line, size_t len, const char *path, unsigned no,
    char *err, size_t errlen)
{
	const char *colon = memchr(line, ':', len);
	const char *why;
	char hash[crypto_pwhash_STRBYTES];

	if (!colon)
		return credential_file_refuse(err, errlen, path, no, "no ':' between user name and password hash");
	size_t name_len = (size_t)(colon - line), hash_len = len - name_len - 1;
	if ((why = sasl_creds_name_check(line, name_len)))
		return credential_file_refuse(err, errlen, path, no, "%s", why);
	if (hash_len >= sizeof(hash) || memchr(colon + 1, 0, hash_len))
		return credential_file_refuse(err, errlen, path, no, "password hash too long or holds a NUL");
	memcpy(hash, colon + 1, hash_len);
	hash[hash_len] = 0;
	if ((why = sasl_creds_hash_check(hash)))
		return credential_file_refuse(err, errlen, path, no, "%s", why);
	if (c->n >= SASL_CREDS_ENTRIES_MAX)
		return credential_file_refuse(err, errlen, path, no, "more than %u users", SASL_CREDS_ENTRIES_MAX);
	memcpy(append(c, line, name_len, no)->hash, hash, hash_len + 1);
	return 0;
}

static int
by_name(const void *a, const void *b)
{
	const struct sasl_cred *x = *(const struct sasl_cred *const *)a;
	const struct sasl_cred *y = *(const struct sasl_cred *const *)b;
	int d = strcmp(x->name, y->name);
	return d ? d : (x->line > y->line) - (x->line < y->line);
}

/* A name listed twice is refused at its second line (sorted: n log n, not
 * n^2 name comparisons for a file of 10,000 users). */
static int
check_unique(const struct sasl_creds *c, const char *path, char *err, size_t errlen)
{
	const struct sasl_cred **v = calloc(c->n ? c->n : 1, sizeof(*v));
	int code = 0;
	if (!v)
		abort();
	for (size_t i = 0; i < c->n; i++)
		v[i] = &c->v[i];
	qsort(v, c->n, sizeof(*v), by_name);
	for (size_t i = 1; i < c->n && !code; i++)
		if (strcmp(v[i - 1]->name, v[i]->name) == 0)
			code = credential_file_refuse(err, errlen, path, v[i]->line, "user '%s' is listed twice "
			    "(first at line %u)", v[i]->name, v[i - 1]->line);
	free(v);
	return code;
}

int
sasl_creds_parse(const char *text, size_t len, const char *path, struct sasl_creds *ret,
    char *err, size_t errlen)
{
	unsigned no = 0;
	size_t at = 0;

	sasl_creds_clear(ret);
	if (len > SASL_CREDS_FILE_MAX)
		return credential_file_refuse(err, errlen, path, 0, "larger than %u octets", SASL_CREDS_FILE_MAX);
	while (at < len) {
		const char *line = text + at, *nl = memchr(line, '\n', len - at);
		size_t line_len = nl ? (size_t)(nl - line) : len - at;
		no++;
		at += line_len + (nl ? 1 : 0);
		if (line_len > SASL_CREDS_LINE_MAX) {
			sasl_creds_clear(ret);
			return credential_file_refuse(err, errlen, path, no, "line longer than %u octets",
			    SASL_CREDS_LINE_MAX);
		}
		if (line_len == 0 || line[0] == '#')
			continue;
		if (parse_line(ret, line, line_len, path, no, err, errlen) != 0) {
			sasl_creds_clear(ret);
			return TNC_ECONFIG;
		}
	}
	if (check_unique(ret, path, err, errlen) != 0) {
		sasl_creds_clear(ret);
		return TNC_ECONFIG;
	}
	return 0;
}

static int
parse_any(const char *text, size_t len, const char *path, void *ret, char *err, size_t errlen)
{
	return sasl_creds_parse(text, len, path, ret, err, errlen);
}

int
sasl_creds_load(const char *path, struct sasl_creds *ret, char *err, size_t errlen)
{
	sasl_creds_clear(ret);
	return credential_file_load(path, SASL_CREDS_FILE_MAX, parse_any, ret, err, errlen);
}

void
sasl_creds_write(const struct sasl_creds *c, FILE *f)
{
	fprintf(f, "# SASL PLAIN users of tnc-ike (tncadm sasl): NAME:ARGON2ID-HASH\n");
	for (size_t i = 0; i < c->n; i++)
		fprintf(f, "%s:%s\n", c->v[i].name, c->v[i].hash);
}
