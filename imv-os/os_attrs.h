/* os_attrs.h - a received PA-TNC message of subtype Operating System, taken
 * apart: validation (RFC 5792 4.1, 4.2, NOSKIP), then each attribute into
 * the connection's state (see os_attrs.c for which). */
#ifndef TNC_OS_ATTRS_H
#define TNC_OS_ATTRS_H

#include "os_state.h"

/* Validates msg and applies its attributes to st.  A message that does not
 * parse, or an attribute value that does not, fails the connection
 * (os_state_fail); an unsupported NOSKIP attribute or PA-TNC version only
 * queues the PA-TNC Error RFC 5792 asks for and the message is ignored. */
void os_attrs_process(struct os_state *st, const uint8_t *msg, size_t len);

#endif
