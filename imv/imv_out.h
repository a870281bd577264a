/* imv_out.h - what an IMV's connection state owes tnccs after an event, the
 * one shape every IMV's pure state machine returns (os_state, swima_state,
 * attest_state; built through imv_link.h) and imv_deliver() (imv.h)
 * carries out. */
#ifndef TNC_IMV_OUT_H
#define TNC_IMV_OUT_H

#include <stdbool.h>
#include <stdint.h>

#include "ipc_msg.h" /* enum imv_recommendation, enum imv_evaluation */
#include "wire.h"

#define IMV_REASON_MAX 512

/* At most one PA message (to imc_id, exclusively when it is a specific
 * IMC) and a recommendation; hold: the batch ending is not done yet (an
 * answer of tnc-policy is awaited); done: a held batch ending is done now. */
struct imv_out {
	bool hold, done;
	bool send;
	uint16_t imc_id;
	bool excl;
	struct bytes msg; /* valid until the next call on the state */
	bool recommend;
	enum imv_recommendation rec;
	enum imv_evaluation eval;
	char reason[IMV_REASON_MAX];
};

#endif
