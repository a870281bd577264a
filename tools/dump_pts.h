/* dump_pts.h - the PTS attribute values for tncdump: the TCG Attestation
 * PTS Protocol binding to IF-M (vendor TCG) and strongSwan's ITA-HSR Get
 * Symlinks / Symlinks, each decoded by its codec (codec/pa_pts*.h) and
 * worded with codec/pa_pts_names.h.  dump_pts.c holds the negotiation and
 * report attributes and the lookup; dump_pts_evidence.c the evidence and
 * file attributes. */
#ifndef TNC_DUMP_PTS_H
#define TNC_DUMP_PTS_H

#include <stdint.h>

#include "dump_attr.h"

/* The printer of a PTS attribute type; NULL for any other type. */
dump_attr_fn *dump_pts_decoder(uint32_t vendor, uint32_t type);

/* dump_pts_evidence.c, listed by dump_pts_decoder(). */
int dump_pts_comp_request(struct tree *t, struct bytes value, struct parse_error *e);
int dump_pts_comp_evidence(struct tree *t, struct bytes value, struct parse_error *e);
int dump_pts_final(struct tree *t, struct bytes value, struct parse_error *e);
int dump_pts_file_meas_request(struct tree *t, struct bytes value, struct parse_error *e);
int dump_pts_file_meas(struct tree *t, struct bytes value, struct parse_error *e);
int dump_pts_file_meta_request(struct tree *t, struct bytes value, struct parse_error *e);
int dump_pts_file_meta(struct tree *t, struct bytes value, struct parse_error *e);

#endif
