/* dump_pa_error.h - the IETF PA-TNC Error attribute value (RFC 5792 4.2.8)
 * for tncdump, decoded by codec/pa_ietf_error.h.  A dump_attr_fn. */
#ifndef TNC_DUMP_PA_ERROR_H
#define TNC_DUMP_PA_ERROR_H

#include "dump_attr.h"

int dump_pa_error_value(struct tree *t, struct bytes value, struct parse_error *e);

#endif
