/* store_target.c - where the policy database is: a SQLite file's path or a
 * PostgreSQL URI ("postgresql://" or "postgres://").
 *
 * For PostgreSQL, ps_target_make() does up front what a sandboxed process
 * cannot do later: it reads the password file and resolves the host to a
 * numeric address (libpq then connects, and reconnects, with hostaddr; the
 * host name stays for TLS certificate checks).  Only TCP: a Unix socket
 * path, or no host (libpq's default is a socket), is refused.  No error
 * text holds the password: a URI that carries one is refused without
 * echoing it, and file errors name the file, never its content.
 */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "store_int.h"

#define PASSWORD_MAX 1024 /* bytes of the password file's first line */

static char *
xstrdup(const char *s)
{
	char *d = strdup(s);
	if (!d)
		abort();
	return d;
}

bool
ps_db_is_pg(const char *db)
{
	return strncmp(db, "postgresql://", 13) == 0 || strncmp(db, "postgres://", 11) == 0;
}

/* The first line of the password file, which must be a regular file that
 * neither group nor others may read or write. */
static int
read_password(const char *path, char **ret, char *err, size_t errlen)
{
	/* O_NONBLOCK: a FIFO must not block the open; fstat() refuses it */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return store_errf(err, errlen, -errno, "%s: %s%s", path, strerror(errno),
		    errno == ELOOP ? " (a symbolic link is refused)" : "");
	char buf[PASSWORD_MAX + 2];
	size_t n = 0;
	int code = 0;
	struct stat st;
	if (fstat(fd, &st) < 0) {
		code = store_errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		code = store_errf(err, errlen, TNC_ECONFIG, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_mode & (S_IRWXG | S_IRWXO)) {
		code = store_errf(err, errlen, TNC_ECONFIG,
		    "%s: group or others may use it; the password file must be mode 0600 or 0400", path);
		goto out;
	}
	while (n < sizeof(buf) - 1) {
		ssize_t r = read(fd, buf + n, sizeof(buf) - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			code = store_errf(err, errlen, -errno, "%s: %s", path, strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	const char *newline = memchr(buf, '\n', n);
	size_t len = newline ? (size_t)(newline - buf) : n;
	if (len && buf[len - 1] == '\r')
		len--;
	if (len > PASSWORD_MAX) {
		code = store_errf(err, errlen, TNC_ETOOLONG, "%s: the password is longer than %d bytes", path,
		    PASSWORD_MAX);
	} else if (len == 0) {
		code = store_errf(err, errlen, TNC_ECONFIG, "%s: the first line (the password) is empty", path);
	} else if (memchr(buf, '\0', len)) {
		code = store_errf(err, errlen, TNC_ECONFIG, "%s: the password has a NUL byte", path);
	} else {
		buf[len] = '\0';
		*ret = xstrdup(buf);
	}
out:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return code;
}

static const char *
uri_option(const PQconninfoOption *opts, const char *keyword)
{
	for (; opts->keyword; opts++)
		if (!strcmp(opts->keyword, keyword))
			return opts->val && opts->val[0] ? opts->val : NULL;
	return NULL;
}

/* The numeric address of host: the first getaddrinfo() gives. */
static int
resolve(const char *host, char **ret, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *res;
	int rc = getaddrinfo(host, NULL, &hints, &res);
	if (rc)
		return store_errf(err, errlen, rc == EAI_AGAIN ? -EAGAIN : TNC_ECONFIG,
		    "database host %s: %s", host, gai_strerror(rc));
	char addr[NI_MAXHOST];
	rc = getnameinfo(res->ai_addr, res->ai_addrlen, addr, sizeof(addr), NULL, 0, NI_NUMERICHOST);
	freeaddrinfo(res);
	if (rc)
		return store_errf(err, errlen, TNC_ECONFIG, "database host %s: %s", host, gai_strerror(rc));
	*ret = xstrdup(addr);
	return 0;
}

/* The URI's host (resolved unless the URI gives hostaddr) and user. */
static int
pg_target(struct ps_target *t, char *err, size_t errlen)
{
	char *why = NULL;
	PQconninfoOption *opts = PQconninfoParse(t->db, &why);
	if (!opts) {
		/* libpq's text may quote the URI, which may hold a password */
		PQfreemem(why);
		return store_errf(err, errlen, TNC_ECONFIG,
		    "the database URI is not a valid PostgreSQL connection URI");
	}
	const char *host = uri_option(opts, "host"), *hostaddr = uri_option(opts, "hostaddr"),
		   *user = uri_option(opts, "user");
	int code = 0;
	if (uri_option(opts, "password")) {
		code = store_errf(err, errlen, TNC_ECONFIG,
		    "the database URI holds a password: put it in the password file");
	} else if (!host) {
		code = store_errf(err, errlen, TNC_ECONFIG,
		    "%s: no host (libpq would use a Unix socket; only TCP is supported)", t->db);
	} else if (host[0] == '/' || host[0] == '@') {
		code = store_errf(err, errlen, TNC_ECONFIG,
		    "%s: the host is a Unix socket; only TCP is supported", t->db);
	} else if (strchr(host, ',')) {
		code = store_errf(err, errlen, TNC_ECONFIG, "%s: more than one host", t->db);
	} else if (hostaddr) {
		t->hostaddr = xstrdup(hostaddr);
	} else {
		code = resolve(host, &t->hostaddr, err, errlen);
	}
	if (!code && user) {
		t->user = xstrdup(user);
	} else if (!code) {
		struct passwd *pw = getpwuid(geteuid());
		if (pw)
			t->user = xstrdup(pw->pw_name);
		else
			code = store_errf(err, errlen, TNC_ECONFIG, "%s: no user in the URI and no name for uid %u",
			    t->db, (unsigned)geteuid());
	}
	PQconninfoFree(opts);
	return code;
}

int
ps_target_make(const char *db, const char *password_file, struct ps_target **ret, char *err,
    size_t errlen)
{
	*ret = NULL;
	if (!db || !db[0])
		return store_errf(err, errlen, TNC_ECONFIG, "no database given");
	bool pg = ps_db_is_pg(db);
	if (password_file && !pg)
		return store_errf(err, errlen, TNC_ECONFIG, "%s: a password file is only for a PostgreSQL URI",
		    db);
	struct ps_target *t = calloc(1, sizeof(*t));
	if (!t)
		abort();
	t->driver = pg ? &store_pg_driver : &store_sqlite_driver;
	t->db = xstrdup(db);
	int code = 0;
	if (pg)
		code = pg_target(t, err, errlen);
	if (!code && password_file)
		code = read_password(password_file, &t->password, err, errlen);
	if (code) {
		ps_target_free(t);
		return code;
	}
	*ret = t;
	return 0;
}

void
ps_target_free(struct ps_target *t)
{
	if (!t)
		return;
	if (t->password) {
		explicit_bzero(t->password, strlen(t->password));
		free(t->password);
	}
	free(t->db);
	free(t->hostaddr);
	free(t->user);
	free(t);
}

bool
ps_target_is_pg(const struct ps_target *t)
{
	return t->driver == &store_pg_driver;
}

const char *
ps_target_name(const struct ps_target *t)
{
	return t->db;
}
