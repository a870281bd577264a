/* os_request.h - the PA-TNC messages the OS IMV sends (RFC 5792 4.1):
 * Segmentation Contract Request/Response and Next Segment (TCG IF-M
 * Segmentation), IETF Attribute Request, Assessment Result, Remediation
 * Instructions and PA-TNC Error, through the codec's builders.
 *
 * One message at a time: os_request_begin() starts it with a random
 * Message Identifier, the adders append attributes (logging each at
 * level 2 like the seeds' "creating PA-TNC attribute type ..."), and
 * os_request_finish() views the result until the next begin or clear.
 */
#ifndef TNC_OS_REQUEST_H
#define TNC_OS_REQUEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pa_ietf.h"
#include "pa_ietf_error.h"
#include "pa_segment.h"
#include "pa_tnc.h"

struct os_request {
	struct pa_tnc_builder b;
	bool started;
};

/* Starts a message of at most max_len octets (a started one is dropped). */
void os_request_begin(struct os_request *r, size_t max_len);
void os_request_clear(struct os_request *r);
/* type: PA_SEGMENT_CONTRACT_REQUEST or PA_SEGMENT_CONTRACT_RESPONSE. */
void os_request_contract(struct os_request *r, uint32_t type, uint32_t max_msg_size,
    uint32_t max_seg_size);
void os_request_attr_request(struct os_request *r, const struct pa_tnc_type *types, size_t n);
void os_request_next_segment(struct os_request *r, uint32_t base_msg_id);
void os_request_error(struct os_request *r, const struct pa_ietf_error *e);
/* result: enum pa_ietf_assessment_result. */
void os_request_assessment(struct os_request *r, uint32_t result);
/* An IETF String (text, language lang) or URI remediation. */
void os_request_remediation(struct os_request *r, uint32_t type, const char *text,
    const char *lang);
/* Number of attributes so far. */
size_t os_request_count(const struct os_request *r);
/* *ret views the message until the next begin or clear. */
int os_request_finish(struct os_request *r, struct bytes *ret) TNC_MUST_CHECK;

#endif
