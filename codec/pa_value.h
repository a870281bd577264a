/* pa_value.h - how the PA-TNC attribute value decoders (pa_ietf*.c,
 * pa_segment.c, pa_pts*.c) report a bad value: RFC 5792 Invalid Parameter at
 * the offset of the offending octet, counted from the start of the value;
 * and the one check of their text fields. */
#ifndef TNC_PA_VALUE_H
#define TNC_PA_VALUE_H

#include <stdbool.h>

#include "wire.h"

int pa_value_fail(struct parse_error *e, int err, size_t offset, const char *reason);
/* A fixed field did not fit: the failed read left r at its start. */
int pa_value_truncated(struct parse_error *e, const struct wire_reader *r);
/* 0 at the end of the value, else TNC_ETRAILING at the first extra octet. */
int pa_value_end(struct parse_error *e, const struct wire_reader *r);

/* Text fields are UTF-8 without NUL (overlong forms, surrogates and values
 * past U+10FFFF refused), so a log line or database column never sees a
 * cut-off or malformed string. */
bool pa_value_is_text(struct bytes s);
/* 0 if s, found at offset at of the value, is text; else Invalid Parameter
 * at its first bad octet. */
int pa_value_check_text(struct bytes s, size_t at, struct parse_error *e);

#endif
