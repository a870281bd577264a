/* pb_states.c - RFC 5793 3.2 transitions (see pb_states.h). */
#include "pb_states.h"

#include "pb_tnc.h"

#define I PB_STATE_INIT
#define SW PB_STATE_SERVER_WORKING
#define CW PB_STATE_CLIENT_WORKING
#define D PB_STATE_DECIDED
#define E PB_STATE_END
#define X PB_STATE_INVALID

/* [from][batch type]: columns 0 (none), CDATA, SDATA, RESULT, CRETRY,
 * SRETRY, CLOSE.  CLOSE ends the session from any state. */
static const uint8_t from_client[PB_STATE_COUNT][PB_BATCH_CLOSE + 1] = {
	[PB_STATE_INIT] =           {X, SW, X, X, X, X, E},
	[PB_STATE_SERVER_WORKING] = {X, X, X, X, X, X, E},
	[PB_STATE_CLIENT_WORKING] = {X, SW, X, X, SW, X, E},
	[PB_STATE_DECIDED] =        {X, X, X, X, SW, X, E},
	[PB_STATE_END] =            {X, X, X, X, X, X, X},
};

static const uint8_t from_server[PB_STATE_COUNT][PB_BATCH_CLOSE + 1] = {
	[PB_STATE_INIT] =           {X, X, X, X, X, X, E},
	[PB_STATE_SERVER_WORKING] = {X, X, CW, D, X, CW, E},
	[PB_STATE_CLIENT_WORKING] = {X, X, X, X, X, X, E},
	[PB_STATE_DECIDED] =        {X, X, X, X, X, CW, E},
	[PB_STATE_END] =            {X, X, X, X, X, X, X},
};

enum pb_state
pb_state_after(enum pb_state from, uint8_t type, bool by_client)
{
	if (from >= PB_STATE_COUNT || type > PB_BATCH_CLOSE)
		return PB_STATE_INVALID;
	return (enum pb_state)(by_client ? from_client : from_server)[from][type];
}

const char *
pb_state_name(enum pb_state st)
{
	static const char *const names[] = {"Init", "Server Working", "Client Working",
	    "Decided", "End"};
	return st < PB_STATE_COUNT ? names[st] : "?";
}
