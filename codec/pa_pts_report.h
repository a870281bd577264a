/* pa_pts_report.h - the PTS attributes that carry reports rather than TLV
 * evidence: Verification Result and Integrity Report (TCG PTS IF-M binding
 * 3.16, XML-based evidence: a document of the IWG schemas filling the
 * value) and Request Integrity Measurement Log.
 *
 * The layout of Request Integrity Measurement Log is that of the binding's
 * 1.0 revision 25 public review draft (4.21): flags, the PCR number (24
 * bits), then optionally the sub-component depth (32 bits) and a Component
 * Functional Name; strongSwan implements none of these three.
 * Conventions of pa_pts.h.
 */
#ifndef TNC_PA_PTS_REPORT_H
#define TNC_PA_PTS_REPORT_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "pa_pts.h"
#include "wire.h"

/* Verification Result or Integrity Report: the XML text, not empty. */
int pa_pts_xml_decode(struct bytes value, struct bytes *ret, struct parse_error *ret_err)
    TNC_MUST_CHECK;
void pa_pts_xml_encode(struct wire_writer *w, struct bytes xml);

#define PA_PTS_IML_REQUEST_LEN 4
#define PA_PTS_IML_REQUEST_COMP_LEN 16
struct pa_pts_iml_request {
	uint8_t flags;
	uint32_t pcr; /* 24 bits */
	bool has_component;
	uint32_t depth;
	struct pa_pts_comp_name name;
};
int pa_pts_iml_request_decode(struct bytes value, struct pa_pts_iml_request *ret,
    struct parse_error *ret_err) TNC_MUST_CHECK;
void pa_pts_iml_request_encode(struct wire_writer *w, const struct pa_pts_iml_request *v);

#endif
