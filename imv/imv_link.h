/* imv_link.h - one connection's exchange with its IMC at the IF-M layer,
 * the part of every IMV's connection state that is the same in all: the
 * IMC that spoke, the segmentation contracts (imv_contract.h), the PA-TNC
 * Errors owed to the IMC (imv_errors.h), and the PA-TNC message being
 * built (imv_msg.h) into the struct imv_out the state returns (imv_out.h).
 *
 * A message begins with what is owed to the IMC (its errors, the answer to
 * its Segmentation Contract Request) and, finished, goes to that IMC
 * exclusively once it is known (RFC 5793 4.5); a message without any
 * attribute is not sent.  What the IMV recommends and why a malformed
 * message failed the connection are logged here in the seeds' words, as
 * LOG(IMV, ...) naming the IMV.  The segment being reassembled stays in the
 * IMV's state, which frees it its own way.
 */
#ifndef TNC_IMV_LINK_H
#define TNC_IMV_LINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "imv_contract.h"
#include "imv_errors.h"
#include "imv_msg.h"
#include "imv_out.h"
#include "imv_reasm.h"

struct imv_link {
	uint16_t imv_id;
	uint32_t conn_id;
	uint32_t max_msg; /* largest PA-TNC message this connection carries */
	uint16_t imc_id;  /* the IMC that spoke, IMV_ID_ANY before */
	struct imv_contract contract;
	struct imv_errors errors; /* owed to the IMC with the next message */
	struct imv_msg out;       /* the last message built; imv_out.msg views it */
};

/* Connection conn_id of IMV imv_id, whose PA messages of pa_vendor /
 * pa_subtype carry at most max_msg octets; segments of max_seg_size are
 * offered in the segmentation contract. */
void imv_link_init(struct imv_link *l, uint16_t imv_id, uint32_t pa_vendor,
    uint32_t pa_subtype, uint32_t conn_id, uint32_t max_msg, uint32_t max_seg_size);
/* A new handshake: no IMC known, no contract asked, no error owed. */
void imv_link_reset(struct imv_link *l);
/* Frees the message built. */
void imv_link_clear(struct imv_link *l);

/* Starts the next message with what is owed to the IMC. */
void imv_link_begin(struct imv_link *l);
/* Hands the message to out if it has any attribute; what was owed is then
 * delivered.  An error: the message does not fit max_msg. */
int imv_link_finish(struct imv_link *l, struct imv_out *out) TNC_MUST_CHECK;
/* imv_link_finish(), a failure logged. */
void imv_link_send(struct imv_link *l, struct imv_out *out);
/* Only what is owed, if anything. */
void imv_link_flush(struct imv_link *l, struct imv_out *out);
/* Next Segment for the attribute r is reassembling. */
void imv_link_next_segment(struct imv_link *l, const struct imv_reasm *r, struct imv_out *out);
/* An Assessment Result alone in a message; result: enum
 * pa_ietf_assessment_result (IF-IMV's enum imv_evaluation agrees). */
void imv_link_assessment(struct imv_link *l, struct imv_out *out, uint32_t result);
/* The recommendation into out, logged. */
void imv_link_recommend(const struct imv_link *l, struct imv_out *out,
    enum imv_recommendation rec, enum imv_evaluation eval, const char *reason);
/* A malformed message of the IMC, what at pe's offset: logged (pe's reason
 * unless what names it already), with tell_imc the Invalid Parameter error
 * answering it queued (not for a malformed PA-TNC Error: errors are not
 * answered with errors), and its text kept in failure[size] unless an
 * earlier one is there (the first failure is the reason). */
void imv_link_malformed(struct imv_link *l, const uint8_t *msg, size_t len,
    const struct parse_error *pe, const char *what, bool tell_imc, char *failure, size_t size);

#endif
