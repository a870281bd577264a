/* credential_file.c - reading a credentials file (see credential_file.h). */
#include "credential_file.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int
credential_file_refuse(char *err, size_t errlen, const char *path, unsigned line,
    const char *fmt, ...)
{
	char reason[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	if (line)
		snprintf(err, errlen, "%s:%u: %s", path, line, reason);
	else
		snprintf(err, errlen, "%s: %s", path, reason);
	return TNC_ECONFIG;
}

int
credential_file_load(const char *path, size_t max, credential_file_parse_fn *parse, void *ret,
    char *err, size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0)
		return credential_file_refuse(err, errlen, path, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (size_t)st.st_size > max) {
		close(fd);
		return credential_file_refuse(err, errlen, path, 0,
		    "not a regular file of at most %zu octets", max);
	}
	/* the file may grow between fstat and read: one octet more tells */
	size_t cap = (size_t)st.st_size + 1, len = 0;
	char *text = malloc(cap);
	ssize_t n = 0;
	if (!text)
		abort();
	while (len < cap && ((n = read(fd, text + len, cap - len)) > 0 || (n < 0 && errno == EINTR)))
		len += n > 0 ? (size_t)n : 0;
	int read_errno = n < 0 ? errno : 0;
	close(fd);
	int code = read_errno
	    ? credential_file_refuse(err, errlen, path, 0, "cannot read: %s", strerror(read_errno))
	    : len == cap ? credential_file_refuse(err, errlen, path, 0, "changed while it was read")
	    : parse(text, len, path, ret, err, errlen);
	sodium_memzero(text, cap);
	free(text);
	return code;
}
