/* facts_file.h - --facts FILE: "key = value" lines that override the facts
 * collected from this machine (tests and demonstrations).
 *
 * Keys: product, version (the string version), numeric_version (M or M.m),
 * forwarding (0/1), default_password (0/1), device_id, packages (path of a
 * dpkg status file), packages_extra (comma separated name=version pairs
 * appended), packages_count (N synthetic packages "pkgNNNNN"/"1.0-N"
 * appended).  Blank lines and lines starting with '#' are ignored.
 */
#ifndef TNC_FACTS_FILE_H
#define TNC_FACTS_FILE_H

#include <stddef.h>

#include "err.h"
#include "os_facts.h"

/* Applies the file to f; on failure (TNC_ECONFIG, or -errno when the file
 * cannot be read) err holds "file:line: reason" (or "file: reason") and f
 * may be partly changed. */
int facts_file_load(const char *path, struct os_facts *f, char *err, size_t err_size)
    TNC_MUST_CHECK;

#endif
