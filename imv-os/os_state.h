/* os_state.h - one TNCCS connection as the OS IMV sees it: the facts the
 * endpoint reported, the segmented attribute being reassembled (TCG IF-M
 * Segmentation), the PA-TNC Errors owed to the IMC and where the
 * assessment stands.
 *
 * The IF-IMV events arrive as calls (receive, batch ending, solicit); what
 * the IMV owes tnccs afterwards comes back in struct os_out, so the whole
 * exchange runs (and is tested) without a process.  main.c turns os_out
 * into imv_send() and imv_recommend().  Logs with LOG(IMV, ...).
 */
#ifndef TNC_OS_STATE_H
#define TNC_OS_STATE_H

#include "os_request.h"
#include "os_verdict.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"

#define OS_IMV_ID 1 /* the OS IMV's IF-IMV ID */
#define OS_REASM_MAX (16u * 1024 * 1024)  /* one reassembled attribute */
#define OS_REASM_BUDGET (128u * 1024 * 1024) /* all connections together */
#define OS_ERRORS_MAX 8 /* PA-TNC Errors queued for the next message */
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
	bool contract_asked; /* a Segmentation Contract Request awaits our answer */
	bool failed;        /* a malformed message: no access, error */
	char failure[128];
	unsigned have;      /* enum os_have bits */
	struct os_facts facts;
	/* Segmented attribute in flight. */
	struct pa_segment_reasm *reasm;
	uint32_t seg_base_id;
	unsigned seg_count;
	size_t seg_bytes;   /* counted against OS_REASM_BUDGET */
	char seg_attr[64];  /* its type, for the log */
	/* Owed to the IMC with the next message. */
	struct pa_ietf_error errors[OS_ERRORS_MAX];
	unsigned nerrors;
	struct os_request out; /* the last message built; os_out.msg views it */
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

/* Queues a PA-TNC Error for the next message (the oldest are kept). */
void os_state_add_error(struct os_state *st, const struct pa_ietf_error *e);
/* Marks the connection failed (no access, error) for a malformed message
 * and, with tell_imc, queues the Invalid Parameter error answering it (not
 * for a malformed PA-TNC Error: errors are not answered with errors). */
void os_state_fail(struct os_state *st, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc);
/* Counts n more octets of segments against OS_REASM_BUDGET; TNC_ETOOLONG
 * (nothing counted) when they do not fit. */
int os_state_reserve(struct os_state *st, size_t n) TNC_MUST_CHECK;
/* Drops a segment exchange in flight and returns its bytes to the budget. */
void os_state_drop_segments(struct os_state *st);
/* Logs the sizes of a segmentation contract (level 1). */
void os_state_log_contract(const struct pa_segment_contract *c);
/* Bytes all connections hold in segment reassembly (for tests). */
size_t os_state_reasm_bytes(void);

#endif
