/* dump_pa.h - prints a PA-TNC message (RFC 5792 4.1, 4.2) for tncdump,
 * parsed by codec/pa_tnc.h, its attribute values by dump_attr.h. */
#ifndef TNC_DUMP_PA_H
#define TNC_DUMP_PA_H

#include "err.h"
#include "pa_tnc.h"
#include "tree.h"

/* pa_tnc_msg_parse() of msg as a dump wants it: every attribute type is
 * accepted with NOSKIP, since the dump shows each one.  Release *ret with
 * pa_tnc_msg_clear(); on failure *e counts from msg.ptr. */
int dump_pa_parse(struct bytes msg, struct pa_tnc_msg *ret, struct parse_error *e)
    TNC_MUST_CHECK;

/* The message msg (a view into the input) and its attributes at t's depth;
 * a message the codec refuses gets its size and an error line. */
void dump_pa_msg(struct tree *t, struct bytes msg);

#endif
