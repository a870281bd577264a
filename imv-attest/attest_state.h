/* attest_state.h - one TNCCS connection as the Attestation IMV sees it
 * (IMV 3): the endpoint's product and device from the Operating System
 * messages it also receives, the workitems tnc-policy gave it, the PTS
 * exchange (capabilities and measurement algorithm, D-H nonce, TPM
 * version, AIK, evidence), the evidence verified so far and its file
 * look-ups, and its part of the IF-M layer (imv/).
 *
 * As os_state.h: the IF-IMV events and tnc-policy's answers arrive as
 * calls; what the IMV owes tnccs comes back in struct imv_out, and what
 * it asks of tnc-policy goes out through struct attest_policy_port, so the
 * whole exchange runs (and is tested) without a process.  Logs with
 * LOG(IMV, ...) and, for evidence, LOG(PTS, ...).
 */
#ifndef TNC_ATTEST_STATE_H
#define TNC_ATTEST_STATE_H

#include "imv_out.h"
#include "attest_aik.h"
#include "attest_evidence.h"
#include "attest_files.h"
#include "attest_imasig.h"
#include "attest_tpm12.h"
#include "attest_verdict.h"
#include "imv_budget.h"
#include "imv_endpoint.h"
#include "imv_link.h"
#include "imv_reasm.h"
#include "pts_dh.h"

#define ATTEST_IMV_ID 3
#define ATTEST_SEGMENT_DEFAULT 65466
#define ATTEST_MIN_NONCE 20 /* D-H nonce length asked for (the seeds' 20) */

/* The [imv-attest] settings (tncd checked them). */
struct attest_config {
	uint32_t max_segment_size; /* proposed in a segmentation contract */
	uint32_t max_events;       /* evidence attributes per connection */
};

/* How a state asks tnc-policy (main.c: IPC frames; tests: a recorder).
 * Each returns 0 or a TNC_E* error. */
struct attest_policy_port {
	int (*workitems)(void *ctx, uint32_t seq, const char *product, const char *device);
	int (*files)(void *ctx, uint32_t seq, const struct ipc_policy_files *m);
	int (*aik)(void *ctx, uint32_t seq);
	int (*result)(void *ctx, uint32_t workitem, enum imv_recommendation rec, const char *text);
};

enum attest_phase {
	ATTEST_PHASE_START,    /* waiting for product and device */
	ATTEST_PHASE_POLICY,   /* workitems asked; the batch is held */
	ATTEST_PHASE_CAPS,     /* capabilities and algorithm asked */
	ATTEST_PHASE_DH,       /* D-H Nonce Parameters asked */
	ATTEST_PHASE_TPM,      /* D-H finished; TPM version and AIK asked */
	ATTEST_PHASE_AIK,      /* the device's AIK asked of tnc-policy; held */
	ATTEST_PHASE_EVIDENCE, /* evidence asked; it arrives in many batches */
	ATTEST_PHASE_DECIDED,
};

struct attest_state {
	const struct attest_config *cfg;
	const struct attest_policy_port *port;
	void *port_ctx;
	struct imv_link link; /* with the PTS IMC, IMV_ID_ANY until it spoke */
	enum attest_phase phase;
	uint32_t seq;    /* of the workitems or AIK request awaited */
	bool held;       /* a batch ending waits for tnc-policy */
	unsigned batches_unknown; /* client batches ended without product and device ID */
	bool have_items;
	struct attest_items items;
	struct imv_endpoint endpoint; /* from the Operating System messages */
	/* PTS */
	bool got_caps, got_algo, got_version, got_final;
	struct attest_tpm12 tpm12; /* a TPM 1.2 endpoint's version information */
	uint16_t algo;
	struct pts_dh *dh;
	enum pts_dh_group group;
	uint8_t my_nonce[PTS_DH_MAX_NONCE];
	size_t my_nonce_len;
	uint16_t dh_hash;
	uint8_t nonce[PTS_DH_MAX_HASH]; /* the agreed one */
	size_t nonce_len;
	bool have_aik;
	struct attest_aik aik;
	bool aik_trusted;
	char aik_problem[320]; /* why it is not trusted */
	struct attest_evidence ev;
	struct attest_files files;
	struct attest_filemeas fm; /* the file workitems' requests and answers */
	struct attest_imasig imasig; /* signed IMA entries, and the first that fails */
	/* a malformed message: no access, error */
	bool failed;
	char failure[160];
	struct imv_reasm *reasm;
};


struct attest_state *attest_state_new(const struct attest_config *cfg,
    const struct attest_policy_port *port, void *port_ctx, uint32_t conn_id, uint32_t max_msg);
void attest_state_free(struct attest_state *st);
void attest_state_restart(struct attest_state *st);

/* ReceiveMessage: a PA-TNC message of subtype TCG/PTS or IETF/Operating
 * System (pts tells which). */
void attest_state_receive(struct attest_state *st, bool pts, uint16_t imc_id,
    const uint8_t *msg, size_t len);
void attest_state_batch_ending(struct attest_state *st, struct imv_out *out);
void attest_state_solicit(struct attest_state *st, struct imv_out *out);
void attest_state_workitems(struct attest_state *st, uint32_t seq,
    const struct ipc_policy_workitems *w, struct imv_out *out);
void attest_state_file_verdicts(struct attest_state *st, uint32_t seq,
    const struct ipc_policy_file_verdicts *v, struct imv_out *out);
void attest_state_file_references(struct attest_state *st, uint32_t seq,
    const struct ipc_policy_file_references *r, struct imv_out *out);
void attest_state_aik(struct attest_state *st, uint32_t seq, const struct ipc_policy_aik *a,
    struct imv_out *out);
void attest_state_policy_drained(struct attest_state *st, struct imv_out *out);
void attest_state_policy_lost(struct attest_state *st, struct imv_out *out);

/* A malformed message fails the connection and, with tell_imc, queues the
 * Invalid Parameter error answering it: attest_attrs.c's imv_rx_ops.fail,
 * state is the struct attest_state. */
void attest_state_fail(void *state, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc);

#endif
