/* pa_value.h - how the PA-TNC attribute value decoders (pa_ietf*.c,
 * pa_segment.c) report a bad value: RFC 5792 Invalid Parameter at the offset
 * of the offending octet, counted from the start of the value. */
#ifndef TNC_PA_VALUE_H
#define TNC_PA_VALUE_H

#include "wire.h"

int pa_value_fail(struct parse_error *e, int err, size_t offset, const char *reason);
/* A fixed field did not fit: the failed read left r at its start. */
int pa_value_truncated(struct parse_error *e, const struct wire_reader *r);
/* 0 at the end of the value, else TNC_ETRAILING at the first extra octet. */
int pa_value_end(struct parse_error *e, const struct wire_reader *r);

#endif
