/* verify_io.c - what tncverify's subcommands share: reading an evidence
 * file whole, and hex (see verify.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "verify.h"

int
verify_read_file(const char *path, size_t max, uint8_t **ret, size_t *ret_len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc = 0;

	if (!f) {
		rc = -errno;
		fprintf(stderr, "tncverify: %s: %s\n", path, strerror(errno));
		return rc;
	}
	do {
		if (len == cap) {
			if (cap > max) {
				fprintf(stderr, "tncverify: %s: larger than %zu bytes\n", path, max);
				rc = TNC_ETOOLONG;
				goto out;
			}
			cap = cap ? cap * 2 : 1 << 16;
			if (!(buf = realloc(buf, cap + 1)))
				abort();
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	if (ferror(f)) {
		rc = -EIO;
		fprintf(stderr, "tncverify: %s: read error\n", path);
		goto out;
	}
	if (len > max) {
		fprintf(stderr, "tncverify: %s: larger than %zu bytes\n", path, max);
		rc = TNC_ETOOLONG;
		goto out;
	}
	buf[len] = '\0'; /* text inputs may be read as strings */
	*ret = buf;
	*ret_len = len;
	buf = NULL;
out:
	free(buf);
	fclose(f);
	return rc;
}

void
verify_hex(const uint8_t *p, size_t n, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}
