/* dump_pt_tls.h - prints a PT-TLS message stream (RFC 6876 3.5-3.9) for
 * tncdump, framed and parsed by codec/pt_tls.h; PB-TNC Batch messages by
 * dump_pb.h. */
#ifndef TNC_DUMP_PT_TLS_H
#define TNC_DUMP_PT_TLS_H

#include "tree.h"

/* Every message of stream (a view into the input) at t's depth.  A message
 * the codec refuses gets an error line and the dump goes on with the next
 * one; a Message Length below 16 or past the end of the input ends it. */
void dump_pt_tls_stream(struct tree *t, struct bytes stream);

#endif
