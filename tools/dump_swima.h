/* dump_swima.h - the SWIMA attribute values (RFC 8412) for tncdump, each
 * decoded by codec/pa_swima.h. */
#ifndef TNC_DUMP_SWIMA_H
#define TNC_DUMP_SWIMA_H

#include <stdint.h>

#include "dump_attr.h"

/* The printer of a SWIMA attribute type; NULL for any other type. */
dump_attr_fn *dump_swima_decoder(uint32_t vendor, uint32_t type);

#endif
