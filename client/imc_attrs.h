/* imc_attrs.h - the OS IMC's facts as PA-TNC attributes (RFC 5792 4.2.2-
 * 4.2.12, ITA-HSR Device ID), appended to a message being built with the
 * codec/pa_*.h encoders.  All attribute flags are 0, as strongSwan sends.
 */
#ifndef TNC_IMC_ATTRS_H
#define TNC_IMC_ATTRS_H

#include <stdbool.h>
#include <stdint.h>

#include "os_facts.h"
#include "pa_tnc.h"

/* true for the attribute types the IMC reports (the Device ID only when
 * it is known). */
bool imc_attrs_provides(const struct os_facts *f, uint32_t vendor, uint32_t type);
/* Appends the attribute of type (vendor, type) describing f; false (and
 * nothing appended) for a type the IMC does not provide, and for the
 * Device ID when it is not known. */
bool imc_attrs_add(struct pa_tnc_builder *b, const struct os_facts *f, uint32_t vendor,
    uint32_t type);
/* The attributes pushed unsolicited at the start of a handshake. */
void imc_attrs_add_first(struct pa_tnc_builder *b, const struct os_facts *f);

#endif
