/* swima_attrs.h - the attributes of a message the SWIMA IMV receives: from
 * Operating System messages the product, version and device ID; from
 * SWIMA messages the answers to its SWIMA Requests (identifier inventories
 * and events, SWID tags), a subscription's events, PA-TNC errors and the
 * TCG Segmentation attributes. */
#ifndef TNC_SWIMA_ATTRS_H
#define TNC_SWIMA_ATTRS_H

#include "swima_state.h"

void swima_attrs_process(struct swima_state *st, bool swima, const uint8_t *msg, size_t len);

#endif
