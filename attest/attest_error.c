/* attest_error.c - filling struct attest_error (see attest_error.h). */
#include "attest_error.h"

#include <stdarg.h>
#include <stdio.h>

int
attest_fail(struct attest_error *e, int err, size_t offset, const char *fmt, ...)
{
	va_list ap;

	if (e) {
		e->offset = offset;
		va_start(ap, fmt);
		vsnprintf(e->reason, sizeof(e->reason), fmt, ap);
		va_end(ap);
	}
	return err;
}
