/* swima_state.h - one TNCCS connection as the SWIMA IMV sees it (IMV 2,
 * RFC 8412): the endpoint's product and device from the Operating System
 * messages it also receives, the SWIDT / SWIDI workitems tnc-policy gave
 * it, the device's stored SWIMA state (epoch, last EID), the SWIMA
 * Requests it made and the answers on their way to tnc-policy, a
 * subscription, and its part of the IF-M layer (imv/).
 *
 * As attest_state.h: the IF-IMV events and tnc-policy's answers arrive as
 * calls; what the IMV owes tnccs comes back in struct imv_out, and what it
 * asks of tnc-policy goes out through struct swima_policy_port, so the
 * whole exchange runs (and is tested) without a process.  Logs with
 * LOG(IMV, ...).
 */
#ifndef TNC_SWIMA_STATE_H
#define TNC_SWIMA_STATE_H

#include "imv_endpoint.h"
#include "imv_link.h"
#include "imv_out.h"
#include "imv_reasm.h"
#include "swima_items.h"
#include "swima_upload.h"

#define SWIMA_IMV_ID 2
#define SWIMA_SEGMENT_DEFAULT 65466
/* What one answer of the IMC may hand tnc-policy: its bounds per upload. */
#define SWIMA_RECORDS_DEFAULT 100000 /* PS_SW_INVENTORY_MAX */
#define SWIMA_BYTES_DEFAULT (16u << 20) /* POLICYD_SW_UPLOAD_BYTES */

struct swima_config {
	uint32_t max_segment_size; /* proposed in a segmentation contract */
	uint32_t max_records;      /* entries of one inventory, events or tags */
	uint32_t max_bytes;        /* their octets as sent to tnc-policy */
};

/* How a state asks tnc-policy (main.c: IPC frames; tests: a recorder or
 * the store).  Each returns 0 or a TNC_E* error; store() may refuse with
 * TNC_EAGAIN (back-pressure: swima_state_policy_drained() follows). */
struct swima_policy_port {
	int (*workitems)(void *ctx, uint32_t seq, const char *product, const char *device);
	int (*state)(void *ctx, uint32_t seq);
	/* POLICY_SW_INVENTORY, POLICY_SW_EVENTS or POLICY_SW_TAGS; seq 0: a
	 * chunk that is not answered */
	int (*store)(void *ctx, uint32_t seq, const struct ipc_msg *m);
	int (*untagged)(void *ctx, uint32_t seq, uint16_t max);
	int (*verdict)(void *ctx, uint32_t seq, uint32_t workitem);
	int (*result)(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text);
};

enum swima_phase {
	SWIMA_PHASE_START,   /* waiting for product and device */
	SWIMA_PHASE_WORKING, /* workitems asked, the exchange under way */
	SWIMA_PHASE_DECIDED,
};

/* The answer of tnc-policy a held batch waits for. */
enum swima_wait {
	SWIMA_WAIT_NONE,
	SWIMA_WAIT_WORKITEMS,
	SWIMA_WAIT_STATE,
	SWIMA_WAIT_UPLOAD,
	SWIMA_WAIT_UNTAGGED,
	SWIMA_WAIT_VERDICTS,
};

/* The SWIMA Request out: identifiers (an inventory or events), or the
 * targeted one for SWID tags. */
enum swima_request { SWIMA_REQ_NONE, SWIMA_REQ_IDS, SWIMA_REQ_TAGS };

struct swima_state {
	const struct swima_config *cfg;
	const struct swima_policy_port *port;
	void *port_ctx;
	struct imv_link link; /* with the SWIMA IMC, IMV_ID_ANY until it spoke */
	enum swima_phase phase;
	enum swima_wait wait;
	uint32_t seq;    /* of the answer awaited */
	bool held;       /* a batch ending waits for tnc-policy */
	unsigned batches_unknown; /* client batches ended without product and device ID */
	struct swima_items items;
	bool have_items;
	unsigned verdicts_due;
	struct imv_endpoint endpoint; /* from the Operating System messages */
	/* the device's stored state */
	bool known;
	uint32_t epoch, last_eid;
	/* the request out and its answer */
	enum swima_request request;
	uint32_t request_id, next_request_id;
	bool answered, epoch_changed;
	char refused[160]; /* the IMC answered the request with this error */
	struct swima_counts counts;
	/* the answer on its way to tnc-policy; sub_upload: a subscription's */
	struct swima_upload upload;
	bool sub_upload, upload_blocked;
	/* a subscription the IMC holds (it survives a new handshake) */
	bool subscribed;
	uint32_t sub_id;
	/* a malformed message: no access, error */
	bool failed;
	char failure[200];
	bool contract_sent; /* our Segmentation Contract Request went with a request */
	struct imv_reasm *reasm;
};

struct swima_state *swima_state_new(const struct swima_config *cfg,
    const struct swima_policy_port *port, void *port_ctx, uint32_t conn_id, uint32_t max_msg);
void swima_state_free(struct swima_state *st);
void swima_state_restart(struct swima_state *st);

/* ReceiveMessage: a PA-TNC message of subtype IETF/SWIMA or IETF/Operating
 * System (swima tells which). */
void swima_state_receive(struct swima_state *st, bool swima, uint16_t imc_id,
    const uint8_t *msg, size_t len);
void swima_state_batch_ending(struct swima_state *st, struct imv_out *out);
void swima_state_solicit(struct swima_state *st, struct imv_out *out);
void swima_state_workitems(struct swima_state *st, uint32_t seq,
    const struct ipc_policy_workitems *w, struct imv_out *out);
void swima_state_sw_state(struct swima_state *st, uint32_t seq,
    const struct ipc_policy_sw_state *s, struct imv_out *out);
void swima_state_untagged(struct swima_state *st, uint32_t seq,
    const struct ipc_policy_sw_untagged *u, struct imv_out *out);
void swima_state_verdict(struct swima_state *st, uint32_t seq,
    const struct ipc_policy_sw_verdict *v, struct imv_out *out);
void swima_state_policy_drained(struct swima_state *st, struct imv_out *out);
void swima_state_policy_lost(struct swima_state *st, struct imv_out *out);

/* A malformed message fails the connection and, with tell_imc, queues the
 * Invalid Parameter error answering it: swima_attrs.c's imv_rx_ops.fail,
 * state is the struct swima_state. */
void swima_state_fail(void *state, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc);

#endif
