/* os_state.h - one TNCCS connection as the OS IMV sees it: the facts the
 * endpoint reported, where the assessment stands, and its part of the IF-M
 * layer (imv/): segmentation contracts, the segmented attribute being
 * reassembled within the process's budget, the PA-TNC Errors owed to the
 * IMC and the message being built.
 *
 * The IF-IMV events arrive as calls (receive, batch ending, solicit); what
 * the IMV owes tnccs afterwards comes back in struct os_out, so the whole
 * exchange runs (and is tested) without a process.  main.c turns os_out
 * into imv_send() and imv_recommend().  Logs with LOG(IMV, ...).
 */
#ifndef TNC_OS_STATE_H
#define TNC_OS_STATE_H

#include "imv_budget.h"
#include "imv_contract.h"
#include "imv_errors.h"
#include "imv_reasm.h"
#include "os_verdict.h"

#define OS_IMV_ID 1 /* the OS IMV's IF-IMV ID */
/* The default reassembly bounds (imv_budget.h), by the names
 * tests/unit/test_os_policy.c uses. */
#define OS_REASM_MAX IMV_REASM_CONN_DEFAULT
#define OS_REASM_BUDGET IMV_REASM_TOTAL_DEFAULT
#define OS_REASON_MAX 200 /* what tnccs keeps of a reason string */

enum os_phase {
	OS_PHASE_START,   /* nothing asked yet */
	OS_PHASE_ASKED,   /* the Attribute Request went out */
	OS_PHASE_DECIDED, /* Assessment Result sent, recommendation given */
};

/* Attributes the endpoint sent (bits of 1 << enum os_have). */
enum os_have {
	OS_HAVE_PRODUCT,
	OS_HAVE_STRING_VERSION,
	OS_HAVE_NUMERIC_VERSION,
	OS_HAVE_OP_STATUS,
	OS_HAVE_FORWARDING,
	OS_HAVE_DEFAULT_PASSWORD,
	OS_HAVE_DEVICE_ID,
	OS_HAVE_PACKAGES,
};

struct os_state {
	const struct os_policy *policy;
	uint32_t conn_id;
	uint32_t max_msg;   /* largest PA-TNC message this connection carries */
	uint16_t imc_id;    /* the OS IMC that spoke, PB_PA_ID_ANY before */
	enum os_phase phase;
	bool got_reply;     /* a message arrived since the request */
	bool failed;        /* a malformed message: no access, error */
	char failure[128];
	unsigned have;      /* enum os_have bits */
	struct os_facts facts;
	struct imv_contract contract;
	struct imv_reasm *reasm; /* the segmented attribute in flight, or NULL */
	size_t reserved;    /* budget taken by os_state_reserve() */
	struct imv_errors errors; /* owed to the IMC with the next message */
	struct imv_msg out; /* the last message built; os_out.msg views it */
};

/* What the IMV owes tnccs after an event: at most one PA message (to
 * imc_id, exclusively when it is a specific IMC) and a recommendation. */
struct os_out {
	bool send;
	uint16_t imc_id;
	bool excl;
	struct bytes msg; /* valid until the next call on the state */
	bool recommend;
	enum imv_recommendation rec;
	enum imv_evaluation eval;
	char reason[OS_REASON_MAX];
};

/* A state for connection conn_id whose PA messages carry at most max_msg
 * octets; policy must outlive it.  Never NULL (OOM aborts). */
struct os_state *os_state_new(const struct os_policy *policy, uint32_t conn_id,
    uint32_t max_msg);
void os_state_free(struct os_state *st);
/* A new handshake on the same connection: forget the facts and decision. */
void os_state_restart(struct os_state *st);

/* ReceiveMessage: one PA-TNC message of subtype Operating System. */
void os_state_receive(struct os_state *st, uint16_t imc_id, const uint8_t *msg, size_t len);
/* BatchEnding: ask, request the next segment, or decide. */
void os_state_batch_ending(struct os_state *st, struct os_out *out);
/* SolicitRecommendation: decide now with what is known. */
void os_state_solicit(struct os_state *st, struct os_out *out);

/* Marks the connection failed (no access, error) for a malformed message
 * and, with tell_imc, queues the Invalid Parameter error answering it (not
 * for a malformed PA-TNC Error: errors are not answered with errors). */
void os_state_fail(struct os_state *st, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc);
/* Drops a segment exchange in flight and returns its bytes to the budget. */
void os_state_drop_segments(struct os_state *st);
/* Test hooks of tests/unit/test_os_policy.c: n more octets of the process
 * budget held by st until os_state_drop_segments() (TNC_ETOOLONG when they
 * do not fit), and the octets all connections hold (imv_budget_used()). */
int os_state_reserve(struct os_state *st, size_t n) TNC_MUST_CHECK;
size_t os_state_reasm_bytes(void);

#endif
