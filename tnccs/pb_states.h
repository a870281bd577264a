/* pb_states.h - the PB-TNC server's states and the batch transitions of
 * RFC 5793 3.2, as one table (pure). */
#ifndef TNC_PB_STATES_H
#define TNC_PB_STATES_H

#include <stdbool.h>
#include <stdint.h>

enum pb_state {
	PB_STATE_INIT,
	PB_STATE_SERVER_WORKING,
	PB_STATE_CLIENT_WORKING,
	PB_STATE_DECIDED,
	PB_STATE_END,
	PB_STATE_COUNT,
	PB_STATE_INVALID = PB_STATE_COUNT, /* the batch is not allowed here */
};

/* The state a batch of type (enum pb_batch_type) leads to from `from`,
 * received from the client (by_client) or sent by the server;
 * PB_STATE_INVALID when RFC 5793 3.2 does not allow it. */
enum pb_state pb_state_after(enum pb_state from, uint8_t type, bool by_client);
const char *pb_state_name(enum pb_state st);

#endif
