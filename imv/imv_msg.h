/* imv_msg.h - the PA-TNC message builder every IMV sends with (RFC 5792
 * 4.1): Segmentation Contract Request/Response and Next Segment (TCG IF-M
 * Segmentation), IETF Attribute Request, Assessment Result, Remediation
 * Instructions and PA-TNC Error, through the codec's builders.
 *
 * One message at a time: imv_msg_begin() starts it with a random
 * Message Identifier, the adders append attributes (logging each at
 * level 2 like the seeds' "creating PA-TNC attribute type ..."), and
 * imv_msg_finish() views the result until the next begin or clear.
 */
#ifndef TNC_IMV_MSG_H
#define TNC_IMV_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"

struct imv_msg {
	struct pa_tnc_builder b;
	bool started;
};

/* Starts a message of at most max_len octets (a started one is dropped). */
void imv_msg_begin(struct imv_msg *r, size_t max_len);
void imv_msg_clear(struct imv_msg *r);
/* type: PA_SEGMENT_CONTRACT_REQUEST or PA_SEGMENT_CONTRACT_RESPONSE. */
void imv_msg_contract(struct imv_msg *r, uint32_t type, uint32_t max_msg_size,
    uint32_t max_seg_size);
void imv_msg_attr_request(struct imv_msg *r, const struct pa_tnc_type *types, size_t n);
void imv_msg_next_segment(struct imv_msg *r, uint32_t base_msg_id);
void imv_msg_error(struct imv_msg *r, const struct pa_ietf_error *e);
/* result: enum pa_ietf_assessment_result. */
void imv_msg_assessment(struct imv_msg *r, uint32_t result);
/* An IETF String (text, language lang) or URI remediation. */
void imv_msg_remediation(struct imv_msg *r, uint32_t type, const char *text,
    const char *lang);
/* An attribute of another type: begun (logged), its value written to
 * r->b.w by the codec's encoder, then ended. */
void imv_msg_attr_begin(struct imv_msg *r, uint32_t vendor, uint32_t type);
void imv_msg_attr_end(struct imv_msg *r);
/* Number of attributes so far. */
size_t imv_msg_count(const struct imv_msg *r);
/* *ret views the message until the next begin or clear. */
int imv_msg_finish(struct imv_msg *r, struct bytes *ret) TNC_MUST_CHECK;

#endif
