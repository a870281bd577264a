/* sasl_password.c - a SASL password from a descriptor (see sasl_password.h). */
#include "sasl_password.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

int
sasl_password_read(int fd, const char *what, struct sasl_password *ret, char *err, size_t errlen)
{
	/* one octet more than the longest password and its line end tells "too long" */
	char buf[SASL_PLAIN_FIELD_MAX + 2];
	size_t len = 0;
	ssize_t n = 0;

	memset(ret, 0, sizeof(*ret));
	/* octet by octet: what follows the first line stays unread (a pipe) */
	while (len < sizeof(buf) && (len == 0 || buf[len - 1] != '\n') &&
	    ((n = read(fd, buf + len, 1)) > 0 || (n < 0 && errno == EINTR)))
		len += n > 0 ? 1 : 0;
	char *nl = memchr(buf, '\n', len);
	size_t plen = nl ? (size_t)(nl - buf) : len;
	const char *why = n < 0 ? strerror(errno)
	    : plen == 0 ? "its first line is empty"
	    : plen > SASL_PLAIN_FIELD_MAX ? "its first line is longer than 255 octets"
	    : memchr(buf, 0, plen) ? "the password holds a NUL" : NULL;
	if (!why) {
		memcpy(ret->text, buf, plen);
		ret->len = plen;
	}
	sodium_memzero(buf, sizeof(buf));
	if (why) {
		snprintf(err, errlen, "password from %s: %s", what, why);
		return TNC_EINVALID;
	}
	return 0;
}

int
sasl_password_read_file(const char *path, struct sasl_password *ret, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);

	if (fd < 0) {
		memset(ret, 0, sizeof(*ret));
		snprintf(err, errlen, "cannot open the password file %s: %s", path, strerror(errno));
		return TNC_EINVALID;
	}
	int rc = sasl_password_read(fd, path, ret, err, errlen);
	close(fd);
	return rc;
}

void
sasl_password_clear(struct sasl_password *p)
{
	sodium_memzero(p, sizeof(*p));
}
