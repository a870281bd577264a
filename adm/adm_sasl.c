/* adm_sasl.c - tncadm sasl: the PT-TLS SASL PLAIN users of tnc-ike
 * (ike/credentials/sasl_credentials.h).  add hashes the password with
 * Argon2id at the cost tnc-ike can afford in its loop; the file is written
 * whole to a temporary file (0600) beside it and renamed over it, so
 * tnc-ike never reads half of it.  tnc-ike reads it when it starts:
 * `tncctl restart tnc-ike` applies a change. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "adm.h"
#include "sasl_credentials.h"
#include "sasl_password.h"

static const char *
creds_path(const struct adm *a)
{
	return a->opt[ADM_OPT_FILE] ? a->opt[ADM_OPT_FILE] : SASL_CREDS_DEFAULT_PATH;
}

__attribute__((format(printf, 1, 2))) static int
fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "tncadm: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return ADM_FAIL;
}

/* The file; when missing_ok, a file that does not exist yet is empty. */
static int
load(const struct adm *a, struct sasl_creds *c, bool missing_ok)
{
	char err[1024];
	struct stat st;

	*c = (struct sasl_creds){0};
	if (missing_ok && stat(creds_path(a), &st) != 0 && errno == ENOENT)
		return ADM_OK;
	return sasl_creds_load(creds_path(a), c, err, sizeof(err)) ? fail("%s", err) : ADM_OK;
}

static int
save(const struct adm *a, const struct sasl_creds *c)
{
	char tmp[4096];
	const char *path = creds_path(a);

	snprintf(tmp, sizeof(tmp), "%s.tmpXXXXXX", path);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return fail("cannot write beside %s", path);
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return fail("cannot write %s", tmp);
	}
	sasl_creds_write(c, f);
	bool ok = fchmod(fd, 0600) == 0 && fflush(f) == 0 && fsync(fd) == 0;
	ok = fclose(f) == 0 && ok;
	if (!ok || rename(tmp, path) != 0) {
		unlink(tmp);
		return fail("cannot write %s", path);
	}
	return ADM_OK;
}

/* The password from --password-file, else from standard input (without
 * echo on a terminal). */
static int
read_password(const struct adm *a, struct sasl_password *p)
{
	char err[512];
	const char *file = a->opt[ADM_OPT_PASSWORD_FILE];
	struct termios old, quiet;
	int rc;

	if (file)
		rc = sasl_password_read_file(file, p, err, sizeof(err));
	else if (isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0) {
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		fprintf(stderr, "password: ");
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
		rc = sasl_password_read(STDIN_FILENO, "the terminal", p, err, sizeof(err));
		(void)tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
		fputc('\n', stderr);
	} else {
		rc = sasl_password_read(STDIN_FILENO, "standard input", p, err, sizeof(err));
	}
	return rc ? fail("%s", err) : ADM_OK;
}

int
cmd_sasl_add(struct adm *a)
{
	const char *user = a->args[0];
	const char *why = sasl_creds_name_check(user, strlen(user));
	char hash[crypto_pwhash_STRBYTES];
	struct sasl_password pw;
	struct sasl_creds c;
	bool replaced;
	int code;

	if (why)
		return adm_usage_fail(a, "user '%s': %s", user, why);
	if (sodium_init() < 0)
		return fail("libsodium cannot be initialised");
	if ((code = read_password(a, &pw)))
		return code;
	if (!sasl_utf8_ok((struct bytes){(const uint8_t *)pw.text, pw.len})) {
		sasl_password_clear(&pw);
		return fail("the password is not UTF-8");
	}
	int err = crypto_pwhash_str_alg(hash, pw.text, pw.len, SASL_CREDS_OPSLIMIT,
	    SASL_CREDS_MEMLIMIT, crypto_pwhash_ALG_ARGON2ID13);
	sasl_password_clear(&pw);
	if (err)
		return fail("cannot hash the password (out of memory)");
	if ((code = load(a, &c, true)))
		return code;
	err = sasl_creds_set(&c, user, hash, &replaced);
	code = err ? fail("%s holds 10,000 users already", creds_path(a)) : save(a, &c);
	sasl_creds_clear(&c);
	return code ? code : adm_done(a, 0, "%s user '%s' in %s (takes effect at 'tncctl restart "
	    "tnc-ike')", replaced ? "changed" : "added", user, creds_path(a));
}

int
cmd_sasl_remove(struct adm *a)
{
	struct sasl_creds c;
	int code = load(a, &c, false);

	if (code)
		return code;
	if (sasl_creds_remove(&c, a->args[0]) != 0)
		code = fail("no user '%s'", a->args[0]);
	else
		code = save(a, &c);
	sasl_creds_clear(&c);
	return code ? code : adm_done(a, 0, "removed user '%s' from %s (takes effect at 'tncctl "
	    "restart tnc-ike')", a->args[0], creds_path(a));
}

static const struct ps_column list_columns[] = {{"user", PS_COL_TEXT}};

static int
list_rows(void *ctx, ps_row_fn *row, void *row_ctx)
{
	const struct sasl_creds *c = ctx;
	int err = 0;
	for (size_t i = 0; i < c->n && !err; i++) {
		struct ps_cell cell = {.s = c->v[i].name};
		err = row(row_ctx, list_columns, &cell, 1);
	}
	return err;
}

int
cmd_sasl_list(struct adm *a)
{
	struct sasl_creds c;
	int code = load(a, &c, false);

	if (!code)
		code = adm_print_rows(a, list_columns, 1, list_rows, &c);
	sasl_creds_clear(&c);
	return code;
}

static double
now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

/* With USER, the password against USER's entry; it prints how long the
 * verification took (what tnc-ike's loop spends on one attempt). */
static int
check_password(struct adm *a, const struct sasl_creds *c)
{
	const char *user = a->args[0];
	const struct sasl_cred *e = sasl_creds_find(c, (const uint8_t *)user, strlen(user));
	struct sasl_password pw;
	int code;

	if (!e)
		return fail("no user '%s'", user);
	if (sodium_init() < 0)
		return fail("libsodium cannot be initialised");
	if ((code = read_password(a, &pw)))
		return code;
	double start = now_ms();
	bool match = crypto_pwhash_str_verify(e->hash, pw.text, pw.len) == 0;
	double took = now_ms() - start;
	sasl_password_clear(&pw);
	if (!match)
		return fail("wrong password for user '%s'", user);
	return adm_done(a, 0, "the password of user '%s' matches (verified in %.2f ms)", user, took);
}

int
cmd_sasl_check(struct adm *a)
{
	struct sasl_creds c;
	int code = load(a, &c, false);

	if (!code && a->nargs == 1)
		code = check_password(a, &c);
	else if (!code)
		code = adm_done(a, 0, "%s: %zu users, every line valid", creds_path(a), c.n);
	sasl_creds_clear(&c);
	return code;
}
