/* dump_segment.h - TCG IF-M Segmentation attribute values for tncdump,
 * decoded by codec/pa_segment.h.  Each is a dump_attr_fn. */
#ifndef TNC_DUMP_SEGMENT_H
#define TNC_DUMP_SEGMENT_H

#include "dump_attr.h"

/* Segmentation Contract Request and Response (the same two sizes). */
int dump_segment_contract(struct tree *t, struct bytes value, struct parse_error *e);
int dump_segment_envelope(struct tree *t, struct bytes value, struct parse_error *e);
int dump_segment_next(struct tree *t, struct bytes value, struct parse_error *e);
int dump_segment_cancel(struct tree *t, struct bytes value, struct parse_error *e);

#endif
