/* attest_error.h - why a piece of attestation evidence was refused.
 *
 * The parsers of tnc_attest (event logs, IMA lists) return a negative
 * TNC_E* code and fill a struct attest_error whose text names the record
 * or entry and the field at fault, e.g. "record 12 at offset 0x1a0:
 * eventSize 1936287754 runs past the end of the log", ready for a log line
 * or a workitem result.
 */
#ifndef TNC_ATTEST_ERROR_H
#define TNC_ATTEST_ERROR_H

#include <stddef.h>

#include "err.h"

#define ATTEST_REASON_MAX 200

struct attest_error {
	size_t offset; /* byte offset into the input where the fault is */
	char reason[ATTEST_REASON_MAX];
};

/* Fills *e (unless NULL) and returns err: the one way the parsers fail. */
int attest_fail(struct attest_error *e, int err, size_t offset, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
