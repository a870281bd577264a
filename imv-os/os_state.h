/* os_state.h - one TNCCS connection as the OS IMV sees it: the facts the
 * endpoint reported, the workitems tnc-policy gave it, where the
 * assessment stands, and its part of the IF-M layer (imv/): segmentation
 * contracts, the segmented attribute being reassembled within the
 * process's budget, the PA-TNC Errors owed to the IMC and the message being
 * built.
 *
 * The IF-IMV events arrive as calls (receive, batch ending, solicit), and
 * tnc-policy's answers too (workitems, package verdicts, its loss); what
 * the IMV owes tnccs afterwards comes back in struct imv_out, and what it
 * asks of tnc-policy goes out through struct os_policy_port, so the whole
 * exchange runs (and is tested) without a process.  main.c turns both into
 * IPC.  Logs with LOG(IMV, ...).  The exchange with the IMC is imv_link.h's,
 * the workitems imv_workitems.h's.
 */
#ifndef TNC_OS_STATE_H
#define TNC_OS_STATE_H

#include "imv_budget.h"
#include "imv_link.h"
#include "imv_out.h"
#include "imv_reasm.h"
#include "os_lookup.h"
#include "os_verdict.h"

#define OS_IMV_ID 1 /* the OS IMV's IF-IMV ID */
/* The default reassembly bounds (imv_budget.h), by the names
 * tests/unit/test_os_imv.c uses. */
#define OS_REASM_MAX IMV_REASM_CONN_DEFAULT
#define OS_REASM_BUDGET IMV_REASM_TOTAL_DEFAULT
#define OS_REASON_MAX 200 /* what tnccs keeps of a reason string */
#define OS_SEGMENT_DEFAULT 65466

/* The [imv-os] settings (tncd checked them). */
struct os_config {
	const char *remediation_uri; /* "" = none */
	uint32_t max_segment_size;   /* proposed in a segmentation contract */
};

/* How a state asks tnc-policy (main.c: IPC frames for the connection;
 * tests: a recorder).  Each returns 0 or a TNC_E* error; the answers come
 * back through os_state_workitems() and os_state_verdicts() with the seq. */
struct os_policy_port {
	/* policy-device as a request: the workitems for this device. */
	int (*workitems)(void *ctx, uint32_t seq, const char *product, const char *device);
	/* policy-packages: count packages (ipc_policy_package_put() entries). */
	int (*packages)(void *ctx, uint32_t seq, uint16_t count, struct bytes list);
	/* policy-workitem-result. */
	int (*result)(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text);
};

enum os_phase {
	OS_PHASE_START,   /* nothing asked yet */
	OS_PHASE_POLICY,  /* workitems asked of tnc-policy; the batch is held */
	OS_PHASE_ASKED,   /* an Attribute Request went out */
	OS_PHASE_LOOKUP,  /* package verdicts awaited; the batch is held */
	OS_PHASE_DECIDED, /* Assessment Result sent, recommendation given */
};


struct os_state {
	const struct os_config *cfg;
	const struct os_policy_port *port;
	void *port_ctx;
	struct imv_link link; /* the OS IMC, its contracts, the errors owed, the message built */
	enum os_phase phase;
	bool have_items;    /* tnc-policy answered with the workitems */
	bool asked_items;   /* the facts the workitems need were requested */
	uint32_t seq;       /* of the request awaited in OS_PHASE_POLICY */
	struct os_items items;
	struct os_lookups lookups; /* installed packages to judge */
	bool got_reply;     /* a message arrived since the request */
	bool failed;        /* a malformed message: no access, error */
	char failure[128];
	unsigned have;      /* enum os_have bits */
	struct os_facts facts;
	struct imv_reasm *reasm; /* the segmented attribute in flight, or NULL */
	size_t reserved;    /* budget taken by os_state_reserve() */
};


/* A state for connection conn_id whose PA messages carry at most max_msg
 * octets; cfg and port must outlive it, port_ctx is passed to port's
 * calls.  Never NULL (OOM aborts). */
struct os_state *os_state_new(const struct os_config *cfg, const struct os_policy_port *port,
    void *port_ctx, uint32_t conn_id, uint32_t max_msg);
void os_state_free(struct os_state *st);
/* A new handshake on the same connection: forget the facts and decision. */
void os_state_restart(struct os_state *st);

/* ReceiveMessage: one PA-TNC message of subtype Operating System. */
void os_state_receive(struct os_state *st, uint16_t imc_id, const uint8_t *msg, size_t len);
/* BatchEnding: ask, request the next segment, or decide. */
void os_state_batch_ending(struct os_state *st, struct imv_out *out);
/* SolicitRecommendation: decide now with what is known. */
void os_state_solicit(struct os_state *st, struct imv_out *out);
/* tnc-policy's answer to the workitems request seq (one of an earlier
 * assessment is ignored). */
void os_state_workitems(struct os_state *st, uint32_t seq, const struct ipc_policy_workitems *w,
    struct imv_out *out);
/* tnc-policy's verdicts for the packages request seq. */
void os_state_verdicts(struct os_state *st, uint32_t seq,
    const struct ipc_policy_package_verdicts *v, struct imv_out *out);
/* The channel to tnc-policy drained after back-pressure: package lists
 * that waited are sent now. */
void os_state_policy_drained(struct os_state *st, struct imv_out *out);
/* The channel to tnc-policy closed: an answer awaited will not come. */
void os_state_policy_lost(struct os_state *st, struct imv_out *out);
/* An installed package, from os_attrs.c: queued for its verdict. */
void os_state_package(struct os_state *st, struct bytes name, struct bytes version);

/* Marks the connection failed (no access, error) for a malformed message
 * and, with tell_imc, queues the Invalid Parameter error answering it (not
 * for a malformed PA-TNC Error: errors are not answered with errors).
 * os_attrs.c's imv_rx_ops.fail: state is the struct os_state. */
void os_state_fail(void *state, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc);
/* Drops a segment exchange in flight and returns its bytes to the budget. */
void os_state_drop_segments(struct os_state *st);
/* Test hooks of tests/unit/test_os_imv.c: n more octets of the process
 * budget held by st until os_state_drop_segments() (TNC_ETOOLONG when they
 * do not fit), and the octets all connections hold (imv_budget_used()). */
int os_state_reserve(struct os_state *st, size_t n) TNC_MUST_CHECK;
size_t os_state_reasm_bytes(void);

#endif
