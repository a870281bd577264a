/* dump_attr.h - prints the value of one PA-TNC attribute through the value
 * decoders of codec/ (pa_ietf.h, pa_ietf_error.h, pa_segment.h, pa_pts*.h). */
#ifndef TNC_DUMP_ATTR_H
#define TNC_DUMP_ATTR_H

#include "pa_tnc.h"
#include "tree.h"

/* Decodes value and prints it at t's depth; 0, or a codec error with *e
 * filled (offset from the start of the value). */
typedef int dump_attr_fn(struct tree *t, struct bytes value, struct parse_error *e);

/* The value of attribute a (a view into the input) as lines one level
 * deeper: decoded for the types the codecs know, else a hex preview.  A
 * value the codec refuses gets an error line with its input offset. */
void dump_attr_value(struct tree *t, const struct pa_tnc_attr *a);

#endif
