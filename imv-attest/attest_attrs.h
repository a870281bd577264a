/* attest_attrs.h - a received PA-TNC message of subtype TCG/PTS or
 * IETF/Operating System taken apart for the Attestation IMV: the
 * endpoint's product, version and Device ID from the latter; the PTS
 * answers, the segmentation layer and the evidence from the former. */
#ifndef TNC_ATTEST_ATTRS_H
#define TNC_ATTEST_ATTRS_H

#include "attest_state.h"

/* A PTS message that does not parse, or an attribute value that does not,
 * fails the connection (attest_state_fail); in an Operating System message
 * (the OS IMV's to judge) it is ignored. */
void attest_attrs_process(struct attest_state *st, bool pts, const uint8_t *msg, size_t len);

#endif
