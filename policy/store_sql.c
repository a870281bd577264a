/* store_sql.c - the store's plumbing over the engine (store_int.h):
 * parameters, statements, transactions, names to ids and the error text. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "store_int.h"

#define PARAMS_MAX 16

int
store_errf(char *err, size_t errlen, int code, const char *fmt, ...)
{
	if (err && errlen) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return code;
}

int
store_fail(struct policy_store *s, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(s->error, sizeof(s->error), fmt, ap);
	va_end(ap);
	return err;
}

static int
vquery(struct policy_store *s, struct store_rows **ret, const char *sql, const char *fmt,
    va_list ap)
{
	struct store_param p[PARAMS_MAX];
	size_t n = strlen(fmt);
	*ret = NULL;
	if (n > PARAMS_MAX)
		return store_fail(s, TNC_EINVALID, "%zu parameters for one statement", n);
	for (size_t i = 0; i < n; i++) {
		switch (fmt[i]) {
		case 't':
			p[i] = (struct store_param){'t', 0, va_arg(ap, const char *)};
			break;
		case 'i':
			p[i] = (struct store_param){'I', va_arg(ap, int), NULL};
			break;
		case 'I':
			p[i] = (struct store_param){'I', va_arg(ap, int64_t), NULL};
			break;
		case 'N':
			p[i].i = va_arg(ap, int64_t);
			p[i].kind = p[i].i ? 'I' : 'n';
			p[i].t = NULL;
			break;
		default:
			return store_fail(s, TNC_EINVALID, "parameter kind '%c'", fmt[i]);
		}
	}
	return s->driver->query(s, sql, p, n, ret);
}

int
store_query(struct policy_store *s, struct store_rows **ret, const char *sql, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int err = vquery(s, ret, sql, fmt, ap);
	va_end(ap);
	return err;
}

int
store_next(struct policy_store *s, struct store_rows *r)
{
	return s->driver->next(s, r);
}

enum store_type
store_col_type(struct policy_store *s, struct store_rows *r, int col)
{
	return s->driver->type(r, col);
}

int64_t
store_col_int(struct policy_store *s, struct store_rows *r, int col)
{
	return s->driver->integer(r, col);
}

const char *
store_col_text(struct policy_store *s, struct store_rows *r, int col)
{
	return s->driver->text(r, col);
}

void
store_done(struct policy_store *s, struct store_rows *r)
{
	if (r)
		s->driver->finish(r);
}

/* Steps r to its end; the first row's column 0 in *first when wanted. */
static int
drain(struct policy_store *s, struct store_rows *r, int64_t *first, bool *found)
{
	int rc;
	while ((rc = store_next(s, r)) > 0) {
		if (first && !*found)
			*first = store_col_int(s, r, 0);
		*found = true;
	}
	store_done(s, r);
	return rc;
}

int
store_exec(struct policy_store *s, const char *sql, const char *fmt, ...)
{
	struct store_rows *r;
	va_list ap;
	va_start(ap, fmt);
	int err = vquery(s, &r, sql, fmt, ap);
	va_end(ap);
	bool found = false;
	return err ? err : drain(s, r, NULL, &found);
}

int64_t
store_changes(const struct policy_store *s)
{
	return s->changes;
}

int
store_int(struct policy_store *s, int64_t *ret, const char *sql, const char *fmt, ...)
{
	struct store_rows *r;
	va_list ap;
	va_start(ap, fmt);
	int err = vquery(s, &r, sql, fmt, ap);
	va_end(ap);
	bool found = false;
	if (!err)
		err = drain(s, r, ret, &found);
	return err ? err : found ? 0 : TNC_ENOTFOUND;
}

void
store_stmt_cache_clear(struct policy_store *s)
{
	s->driver->stmt_cache_clear(s);
}

int
store_begin(struct policy_store *s, bool write)
{
	return s->driver->begin(s, write, false);
}

int
store_end(struct policy_store *s, int err)
{
	if (!s->driver->in_transaction(s))
		return err;
	if (err) {
		s->driver->rollback(s);
		return err;
	}
	err = s->driver->commit(s);
	if (err)
		s->driver->rollback(s);
	return err;
}

int
store_write(struct policy_store *s, int (*fn)(struct policy_store *s, void *ctx), void *ctx)
{
	int err = -EAGAIN;
	for (int i = 0; i < STORE_RETRIES && err == -EAGAIN; i++) {
		err = store_begin(s, true);
		if (!err)
			err = fn(s, ctx);
		err = store_end(s, err);
	}
	return err;
}

int
store_check_name(struct policy_store *s, const char *what, const char *v)
{
	if (!v || !v[0])
		return store_fail(s, TNC_EINVALID, "%s must not be empty", what);
	if (strlen(v) > PS_VALUE_MAX)
		return store_fail(s, TNC_ETOOLONG, "%s is longer than %d bytes", what, PS_VALUE_MAX);
	return 0;
}

int
store_id(struct policy_store *s, enum store_kind kind, const char *name, int64_t *ret)
{
	static const struct {
		const char *what, *sql;
	} kinds[] = {
	    [STORE_PRODUCT] = {"product", "SELECT id FROM products WHERE name = ?"},
	    [STORE_GROUP] = {"group", "SELECT id FROM groups WHERE name = ?"},
	    [STORE_POLICY] = {"policy", "SELECT id FROM policies WHERE name = ?"},
	    [STORE_DEVICE] = {"device", "SELECT id FROM devices WHERE value = ?"},
	    [STORE_PACKAGE] = {"package", "SELECT id FROM packages WHERE name = ?"},
	};
	int err = store_check_name(s, kinds[kind].what, name);
	if (err)
		return err;
	err = store_int(s, ret, kinds[kind].sql, "t", name);
	if (err == TNC_ENOTFOUND)
		return store_fail(s, err, "no %s '%s'", kinds[kind].what, name);
	return err;
}

int
store_product_ensure(struct policy_store *s, const char *name, int64_t *ret)
{
	int err = store_id(s, STORE_PRODUCT, name, ret);
	if (err != TNC_ENOTFOUND)
		return err;
	/* another gateway may add it at the same moment: then its row is ours */
	err = store_int(s, ret,
	    "INSERT INTO products (name) VALUES (?) ON CONFLICT (name) DO NOTHING RETURNING id", "t",
	    name);
	return err == TNC_ENOTFOUND ? store_id(s, STORE_PRODUCT, name, ret) : err;
}
