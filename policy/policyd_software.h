/* policyd_software.h - tnc-policy's side of the SWIMA IMV's software
 * database (policy_software.h; the policy-sw-* messages of
 * ipc/messages.def): the state, inventories and events (arriving in
 * chunks), tags, untagged identifiers and workitem verdicts of the
 * connection's device, the one its OS IMV reported. */
#ifndef TNC_POLICYD_SOFTWARE_H
#define TNC_POLICYD_SOFTWARE_H

#include "policyd.h"

/* Chunks of inventories and events waiting for their last chunk: at most
 * this many connections at once, this many bytes each and in all (an
 * inventory of 20,000 identifiers is about 1.5 MB). */
#define POLICYD_SW_UPLOADS 64
#define POLICYD_SW_UPLOAD_BYTES (16u << 20)
#define POLICYD_SW_UPLOADS_BYTES (128u << 20)

/* Whether type is a policy-sw-* request for tnc-policy. */
bool policyd_sw_request_type(uint16_t type);

/* A policy-sw-* request rx of the IMV imv_id (only the SWIMA IMV's are
 * taken).  True when it is answered: *reply is the answer, whose lists
 * view w (the caller initialised w and clears it after sending). */
bool policyd_sw_request(struct pending_table *p, struct policyd_db *db, uint16_t imv_id,
    const struct ipc_received *rx, struct ipc_msg *reply, struct wire_writer *w);

/* The connection ended (or its tnc-tnccs went away: conn 0 and all):
 * its chunks waiting for their last one are dropped. */
void policyd_sw_forget(uint32_t conn, bool all);

#endif
