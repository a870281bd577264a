/* dump_pb.h - prints a PB-TNC batch (RFC 5793 4) for tncdump, validated by
 * codec/pb_tnc.h; the PA-TNC message of each PB-PA by dump_pa.h. */
#ifndef TNC_DUMP_PB_H
#define TNC_DUMP_PB_H

#include "tree.h"

/* The batch (a view into the input, exactly its Batch Length) at t's depth.
 * A batch the codec refuses gets its size and one error line: pb_batch_parse()
 * validates the whole batch before it yields any message.  A bad PA-TNC
 * message gets its error line under its PB-PA; the next message follows. */
void dump_pb_batch(struct tree *t, struct bytes batch);

#endif
