/* credential_file.h - what the credentials files (SASL password hashes,
 * EAP-MD5 secrets) share: the whole file read at once with a size bound,
 * its copy in memory wiped after parsing, and refusals of the form
 * "path:line: reason". */
#ifndef TNC_CREDENTIAL_FILE_H
#define TNC_CREDENTIAL_FILE_H

#include <stddef.h>

#include "err.h"

/* Formats the refusal into err ("path: reason" for line 0) and returns
 * TNC_ECONFIG. */
__attribute__((format(printf, 5, 6))) int credential_file_refuse(char *err, size_t errlen,
    const char *path, unsigned line, const char *fmt, ...);

/* Parses text[0..len) into ret; on failure fills err. */
typedef int credential_file_parse_fn(const char *text, size_t len, const char *path, void *ret,
    char *err, size_t errlen);

/* Reads path (a regular file of at most max octets) and hands its text to
 * parse, then wipes the text: it may hold secrets. */
int credential_file_load(const char *path, size_t max, credential_file_parse_fn *parse,
    void *ret, char *err, size_t errlen) TNC_MUST_CHECK;

#endif
