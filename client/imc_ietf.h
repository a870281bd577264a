/* imc_ietf.h - the IETF attributes (RFC 5792) every IMC takes from an
 * IMV: Assessment Result, Remediation Instructions and PA-TNC Error.
 * Logged; the result and the instructions also go to an outcome.
 * Diagnostics: IMV subsystem (shown as IMC by tncclient).
 */
#ifndef TNC_IMC_IETF_H
#define TNC_IMC_IETF_H

#include <stdint.h>

#include "outcome.h"
#include "pa_tnc.h"

/* Handles a from IMV imv if it is one of those (imc_receive.h's handler
 * answers); out NULL: logged only (the SWIMA and attestation IMCs; the OS
 * IMC's IMV is the one whose words tncclient reports). */
int imc_ietf_handle(const struct pa_tnc_attr *a, uint16_t imv, struct outcome *out,
    struct parse_error *pe);

#endif
