/* reason.h - why something failed, written into the caller's buffer
 * (char *reason, size_t size: the convention of client/'s readers). */
#ifndef TNC_CLIENT_REASON_H
#define TNC_CLIENT_REASON_H

#include <stddef.h>

/* snprintf() into reason; a reason cut short is still a reason. */
void reason_set(char *reason, size_t size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
