/* pa_pts_names.h - names of the PTS values (TCG PTS IF-M binding) for logs and
 * dumps, spelled as strongSwan's logs in the seeds print them:
 * "HASH_SHA2_256", "ECP_256", PTS protocol capabilities ".VDT.",
 * "ITA-HSR functional component 'Linux IMA' [K.] 'Trusted Platform'",
 * "TPM 2.0 rev. 1.38 2018 STM".  Attribute type names are in pa_tnc.h
 * (pa_tnc_attr_name()).
 *
 * Functions return static strings, never NULL ("unknown" for values not
 * defined), or fill the caller's buffer and return it (cut to fit, always
 * NUL-ended; PA_PTS_TEXT_MAX is room enough for any of them).
 */
#ifndef TNC_PA_PTS_NAMES_H
#define TNC_PA_PTS_NAMES_H

#include <stddef.h>
#include <stdint.h>

#include "pa_pts.h"

#define PA_PTS_TEXT_MAX 128

const char *pa_pts_algo_name(uint16_t algo);
const char *pa_pts_dh_group_name(uint16_t group);
/* The names of the members of a set, space-separated ("none" if empty). */
const char *pa_pts_algo_set_text(char *buf, size_t n, uint16_t set);
const char *pa_pts_dh_group_set_text(char *buf, size_t n, uint16_t set);
/* The five capability flags as "CVDTX", a '.' for each one not set. */
const char *pa_pts_caps_text(char *buf, size_t n, uint32_t caps);

/* The name of a Component Functional Name in the TCG or ITA-HSR name space:
 * "BIOS", "Trusted GRUB Boot Loader", "Trusted Boot", "Linux IMA". */
const char *pa_pts_comp_func_name(uint32_t vendor, uint32_t name);
const char *pa_pts_qualifier_type_name(uint8_t type);
/* "<name space> functional component '<name>' [KS] '<qualifier type>'",
 * unknown names in hex; '.' for a K or S flag not set. */
const char *pa_pts_comp_text(char *buf, size_t n, const struct pa_pts_comp_name *name);

/* Simple Component Evidence: validation result, PCR transform. */
const char *pa_pts_validation_name(uint8_t validation);
const char *pa_pts_transform_name(uint8_t transform);
/* Simple Evidence Final: the quote carried (enum pa_pts_quote_mode). */
const char *pa_pts_quote_mode_name(uint8_t mode);
/* Unix-Style File Metadata: enum pa_pts_file_type. */
const char *pa_pts_file_type_name(uint8_t type);

/* "TPM 2.0 rev. 1.38 2018 STM" or "TPM 1.2 version 1.2.3.4, spec level 2,
 * errata 3, vendor IFX"; the vendor's four octets with trailing blanks
 * dropped and anything unprintable shown as '?'. */
const char *pa_pts_tpm_version_text(char *buf, size_t n, const struct pa_pts_tpm_version *v);

#endif
